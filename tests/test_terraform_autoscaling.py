"""FIN-SCALE-001 on Terraform autoscalers, and Kubernetes objects declared in Terraform.

Each fixture under fixtures/terraform/ is a realistic root module (variables, tfvars, tags);
dollar figures are recomputed here from the catalog: exposure = (max - min) x unit price x 730 h,
where the unit price of a VM includes the GPUs attached to it and a pod's is its share of the node.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import ROOT, scan_json, write
from linter.pricing.catalog import Catalog

FIXTURES = ROOT / "tests" / "fixtures" / "terraform"
AUTOSCALING = FIXTURES / "autoscaling"
KUBERNETES = FIXTURES / "kubernetes"
HOURS = 730


def unit_hourly(catalog: Catalog, provider: str, region: str, machine: str,
                accelerators: dict[str, float] | None = None) -> float:
    """On-demand price of one instance with the GPUs it includes or has attached."""
    price = catalog.hourly(provider, region, machine)
    assert price is not None, f"no catalog price for {machine} in {region}"
    total = price.usd_per_hour
    for name, n in (accelerators or {}).items():
        gpu = catalog.accelerator_hourly(provider, region, name)
        assert gpu is not None, f"no catalog price for {name} in {region}"
        total += n * gpu.usd_per_hour
    return total


def resource(run, address: str) -> dict:
    return next(r for r in run.report["resources"] if r["address"] == address)


# ---------------------------------------------------------------------------------------------
# Terraform autoscalers on GPU capacity

FIRING = {
    # case: (scaled resource, file, line, autoscaler, metric, provider, region, machine, attached GPUs, min, max)
    "sagemaker_cpu": ("aws_sagemaker_endpoint.chat", "main.tf", 31, "aws_appautoscaling_policy.chat_cpu",
                      "CPUUtilization", "aws", "us-east-1", "ml.g5.2xlarge", None, 1, 6),
    "sagemaker_step_alarm": ("aws_sagemaker_endpoint.mixtral", "main.tf", 31,
                             "aws_appautoscaling_policy.mixtral_scale_out", "CPUUtilization", "aws", "us-east-1",
                             "ml.g5.12xlarge", None, 1, 3),
    "asg_gpu_cpu": ("aws_autoscaling_group.vllm", "main.tf", 29, "aws_autoscaling_policy.vllm_cpu",
                    "ASGAverageCPUUtilization", "aws", "us-east-1", "g5.12xlarge", None, 2, 8),
    "gce_mig_cpu": ("google_compute_instance_group_manager.reranker", "main.tf", 42,
                    "google_compute_autoscaler.reranker", "cpu_utilization", "gcp", "us-central1", "n1-standard-8",
                    {"nvidia-tesla-t4": 2}, 1, 10),
    "azure_vmss_cpu": ("azurerm_linux_virtual_machine_scale_set.trt_llm", "main.tf", 6,
                       "azurerm_monitor_autoscale_setting.trt_llm", "Percentage CPU", "azure", "eastus",
                       "Standard_NC16as_T4_v3", None, 2, 8),
}


@pytest.mark.parametrize("case", sorted(FIRING))
def test_cpu_autoscaler_on_gpu_capacity_fires_with_exposure(case: str, catalog: Catalog) -> None:
    address, file, line, scaler, metric, provider, region, machine, attached, lo, hi = FIRING[case]
    run = scan_json(".", cwd=AUTOSCALING / case)
    assert run.exit_code == 1, run.stderr
    assert run.report["errors"] == []
    assert {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()} == \
        {("FIN-SCALE-001", address, file, line)}
    f = run.finding("FIN-SCALE-001", address)
    assert f["source"] == "terraform"
    assert f["impact"]["kind"] == "exposure"
    hourly = unit_hourly(catalog, provider, region, machine, attached)
    assert f["impact"]["monthly_usd"] == pytest.approx(round((hi - lo) * hourly * HOURS, 2), abs=0.02)
    assert "730 h/month" in f["impact"]["assumptions"]
    assert any(f"between {lo} and {hi}" in a for a in f["impact"]["assumptions"])
    assert scaler in f["message"] and metric in f["message"]
    r = resource(run, address)
    assert r["region"] == region
    assert r["autoscaling"]["address"] == scaler
    assert (r["autoscaling"]["min"], r["autoscaling"]["max"]) == (lo, hi)
    assert r["monthly_cost_usd"] == pytest.approx(round(r["compute"]["count"] * hourly * HOURS, 2), abs=0.02)


def test_mig_without_target_size_is_priced_at_the_autoscaler_floor(catalog: Catalog) -> None:
    run = scan_json(".", cwd=AUTOSCALING / "gce_mig_cpu")
    r = resource(run, "google_compute_instance_group_manager.reranker")
    assert (r["compute"]["count"], r["compute"]["min"], r["compute"]["max"]) == (1, 1, 10)
    assert [c["unit"] for c in r["cost_components"]] == ["hours", "GPU-hours"]


def test_step_scaling_metric_comes_from_the_cloudwatch_alarm() -> None:
    # the variant name is read from the endpoint configuration's nested block, the metric from the alarm
    run = scan_json(".", cwd=AUTOSCALING / "sagemaker_step_alarm")
    r = resource(run, "aws_sagemaker_endpoint.mixtral")
    assert r["autoscaling"]["metric_kind"] == "cpu"
    assert r["autoscaling"]["target"] == 300
    assert resource(run, "aws_sagemaker_endpoint_configuration.mixtral").get("autoscaling") is None


def test_cpu_alarm_beside_gpu_and_backlog_alarms_still_adds_gpu_instances(catalog: Catalog) -> None:
    """uktrade/data-workspace's shape: one module per model, alarms passed in by the caller that name the module's
    own step policies through its outputs. Any alarm runs its policy, so the high-CPU alarm on the scale-up
    policy adds A10G instances even though a GPU alarm runs it too; a CPU alarm that only scales in does not."""
    fixture = "tests/fixtures/terraform/autoscaling/sagemaker_mixed_alarms"
    run = scan_json(fixture, cwd=ROOT)
    assert run.report["errors"] == []
    assert {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()} == {
        ("FIN-SCALE-001", "module.mistral_7b.aws_sagemaker_endpoint.this",
         f"{fixture}/modules/llm_endpoint/main.tf", 33)}
    f = run.finding("FIN-SCALE-001", "module.mistral_7b.aws_sagemaker_endpoint.this")
    assert "scales out on CPUUtilization via module.mistral_7b.aws_appautoscaling_policy.scale_up_to_n" \
        in f["message"]
    assert f["called_from"][0]["file"] == f"{fixture}/llm.tf" and f["called_from"][0]["line"] == 3
    hourly = unit_hourly(catalog, "aws", "us-east-1", "ml.g5.2xlarge")
    assert f["monthly_cost_usd"] == pytest.approx(round(hourly * HOURS, 2), abs=0.01)  # initial_instance_count 1
    assert f["impact"]["monthly_usd"] == pytest.approx(round((3 - 1) * hourly * HOURS, 2), abs=0.02)
    assert any("scales on GPUUtilization between 0 and 3; CPUUtilization also adds capacity" in a
               for a in f["impact"]["assumptions"])
    assert f["remediation"].startswith("Remove the CPUUtilization metric from "
                                       "module.mistral_7b.aws_appautoscaling_policy.scale_up_to_n")
    phi = resource(run, "module.phi_3_mini.aws_sagemaker_endpoint.this")["autoscaling"]
    assert (phi["metric_kind"], phi["cpu_trigger"], phi["scales_out"]) == ("gpu", None, True)
    scale_in = resource(run, "module.phi_3_mini.aws_appautoscaling_policy.scale_down_to_n")["autoscaling"]
    assert (scale_in["metric"], scale_in["scales_out"]) == ("CPUUtilization", False)


def test_gce_autoscaler_with_cpu_beside_a_gpu_metric_fires(tmp_path: Path) -> None:
    """The GCE autoscaler follows whichever signal asks for more VMs, so cpu_utilization beside a GPU metric
    still buys T4 VMs for CPU load."""
    case = AUTOSCALING / "gce_mig_gpu_metric"
    files = {p.name: p.read_text() for p in case.iterdir() if p.is_file()}
    src = files["main.tf"]
    at = src.index("autoscaling_policy {") + len("autoscaling_policy {")
    files["main.tf"] = src[:at] + "\n    cpu_utilization {\n      target = 0.6\n    }\n" + src[at:]
    write(tmp_path, files)
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-SCALE-001", "google_compute_instance_group_manager.reranker")
    assert "scales out on cpu_utilization via google_compute_autoscaler.reranker" in f["message"]
    assert resource(run, "google_compute_instance_group_manager.reranker")["autoscaling"]["metric_kind"] == "gpu"


NOT_FIRING = {
    # case: (scaled resource, metric kind it scales on)
    "sagemaker_invocations": ("aws_sagemaker_endpoint.chat", "requests"),
    "gce_mig_gpu_metric": ("google_compute_instance_group_manager.reranker", "gpu"),
    "asg_web_cpu": ("aws_autoscaling_group.web", "cpu"),
}


@pytest.mark.parametrize("case", sorted(NOT_FIRING))
def test_request_gpu_metrics_and_cpu_web_tiers_do_not_fire(case: str) -> None:
    address, kind = NOT_FIRING[case]
    run = scan_json(".", cwd=AUTOSCALING / case)
    assert run.findings() == [], [f["message"] for f in run.findings()]
    assert run.exit_code == 0
    assert run.report["errors"] == []
    assert resource(run, address)["autoscaling"]["metric_kind"] == kind  # linked, so the silence is earned


def test_ecs_gpu_service_on_cpu_scaling(catalog: Catalog) -> None:
    """ECS tasks are priced as their share of the capacity provider's instance type."""
    run = scan_json(".", cwd=AUTOSCALING / "ecs_gpu_cpu")
    svc = resource(run, "aws_ecs_service.whisper")
    assert svc["autoscaling"]["metric"] == "ECSServiceAverageCPUUtilization"
    assert (svc["autoscaling"]["min"], svc["autoscaling"]["max"]) == (1, 6)
    assert svc["compute"]["instance_type"] == "g5.xlarge" and svc["compute"]["gpu"]["count"] == 1
    hourly = catalog.hourly("aws", "us-east-1", "g5.xlarge").usd_per_hour  # 1 task = 1 of 1 GPUs
    assert svc["monthly_cost_usd"] == pytest.approx(hourly * 730, abs=0.01)
    assert svc["cost_components"][0]["name"] == "Task share of g5.xlarge (1 of 1 GPUs), on-demand"
    f = run.finding("FIN-SCALE-001", "aws_ecs_service.whisper")
    assert (f["file"], f["line"]) == ("main.tf", 88)
    assert f["impact"]["monthly_usd"] == pytest.approx((6 - 1) * hourly * 730, abs=0.05)
    assert any(a.startswith(f"one pod on demand ${hourly:,.4g}/h = Task share of g5.xlarge (1 of 1 GPUs)")
               for a in f["impact"]["assumptions"])


def test_ecs_service_written_as_cdktf_json_finds_its_capacity_provider(tmp_path: Path, catalog: Catalog) -> None:
    """In .tf.json a block may be one JSON object, not a list (what CDK for Terraform emits)."""
    src = (AUTOSCALING / "ecs_gpu_cpu" / "main.tf").read_text()
    start = src.index('resource "aws_ecs_service" "whisper" {')
    end = src.index('resource "aws_appautoscaling_target" "whisper" {')
    service = {"resource": {"aws_ecs_service": {"whisper": {
        "name": "whisper", "cluster": "${aws_ecs_cluster.speech.id}",
        "task_definition": "${aws_ecs_task_definition.whisper.arn}", "desired_count": 1,
        "capacity_provider_strategy": {"capacity_provider": "${aws_ecs_capacity_provider.gpu.name}", "weight": 1},
    }}}}
    write(tmp_path, {"main.tf": src[:start] + src[end:], "service.tf.json": json.dumps(service, indent=2)})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    svc = resource(run, "aws_ecs_service.whisper")
    assert svc["compute"]["instance_type"] == "g5.xlarge"
    hourly = catalog.hourly("aws", "us-east-1", "g5.xlarge").usd_per_hour
    assert svc["monthly_cost_usd"] == pytest.approx(hourly * 730, abs=0.01)


def test_managed_instance_group_written_as_json_finds_its_template(tmp_path: Path) -> None:
    src = AUTOSCALING / "gce_mig_cpu"
    files = {p.name: p.read_text() for p in src.iterdir()}
    main = files["main.tf"]
    start = main.index('resource "google_compute_instance_group_manager" "reranker" {')
    end = main.index('resource "google_compute_autoscaler" "reranker" {')
    files["main.tf"] = main[:start] + main[end:]
    files["mig.tf.json"] = json.dumps({"resource": {"google_compute_instance_group_manager": {"reranker": {
        "name": "reranker-triton", "base_instance_name": "reranker", "zone": "${var.zone}",
        "version": {"instance_template": "${google_compute_instance_template.reranker.id}"},
    }}}})
    write(tmp_path, files)
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    r = resource(run, "google_compute_instance_group_manager.reranker")
    assert r["compute"]["instance_type"] == "n1-standard-8"
    assert (r["compute"]["count"], r["compute"]["min"], r["compute"]["max"]) == (1, 1, 10)


def test_step_policy_alarm_actions_known_only_after_apply_still_name_the_metric(tmp_path: Path) -> None:
    """alarm_actions = a splat over policies: the whole list is unknown, its references are not."""
    src = AUTOSCALING / "sagemaker_step_alarm"
    files = {p.name: p.read_text() for p in src.iterdir()}
    before = "alarm_actions       = [aws_appautoscaling_policy.mixtral_scale_out.arn]"
    assert before in files["scaling.tf"]
    files["scaling.tf"] = files["scaling.tf"].replace(
        before, "alarm_actions       = aws_appautoscaling_policy.mixtral_scale_out[*].arn")
    write(tmp_path, files)
    run = scan_json(".", cwd=tmp_path)
    want = resource(scan_json(".", cwd=src), "aws_sagemaker_endpoint.mixtral")["autoscaling"]
    got = resource(run, "aws_sagemaker_endpoint.mixtral")["autoscaling"]
    assert got["metric_kind"] == want["metric_kind"] != "unknown"


def test_ecs_fargate_service_is_unpriced_and_says_so(tmp_path: Path) -> None:
    src = (AUTOSCALING / "ecs_gpu_cpu" / "main.tf").read_text()
    src = src.replace("""  capacity_provider_strategy {
    capacity_provider = aws_ecs_capacity_provider.gpu.name
    weight            = 1
  }""", '  launch_type = "FARGATE"')
    write(tmp_path, {"main.tf": src})
    run = scan_json(".", cwd=tmp_path)
    svc = resource(run, "aws_ecs_service.whisper")
    assert svc["monthly_cost_usd"] is None and "compute" not in svc
    assert "Fargate task pricing is not in the catalog; monthly cost unknown" in svc["price_notes"]


def test_azure_autoscale_setting_names_the_strongest_metric(tmp_path: Path) -> None:
    """A scale-out rule on GPU utilisation next to a CPU rule: the GPU signal names the autoscaler."""
    src = (AUTOSCALING / "azure_vmss_cpu" / "main.tf").read_text()
    first = src.index('metric_name        = "Percentage CPU"')
    src = src[:first] + 'metric_name        = "GPU Utilization"' + src[first + len('metric_name        = "Percentage CPU"'):]
    files = {p.name: p.read_text() for p in (AUTOSCALING / "azure_vmss_cpu").iterdir() if p.name != "main.tf"}
    write(tmp_path, {**files, "main.tf": src})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings() == []
    r = resource(run, "azurerm_linux_virtual_machine_scale_set.trt_llm")
    assert (r["autoscaling"]["metric_kind"], r["autoscaling"]["target"]) == ("gpu", 75)


# ---------------------------------------------------------------------------------------------
# Kubernetes objects declared with the Terraform kubernetes provider


def test_vllm_deployment_and_cpu_hpa_in_terraform(catalog: Catalog) -> None:
    run = scan_json(".", cwd=KUBERNETES / "eks_vllm")
    assert run.exit_code == 1
    assert run.report["errors"] == []
    address = "kubernetes_deployment_v1.vllm"
    assert {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()} == {
        ("FIN-SCALE-001", address, "vllm.tf", 9),
        ("FIN-GPU-004", address, "vllm.tf", 9),
    }
    # one replica = 1 of the 4 A10G on a g5.12xlarge, in the region of the root module's EKS cluster
    pod_month = catalog.hourly("aws", "us-west-2", "g5.12xlarge").usd_per_hour / 4 * HOURS
    scale = run.finding("FIN-SCALE-001", address)
    assert scale["source"] == "terraform" and scale["resource_type"] == "kubernetes_deployment_v1"
    assert scale["monthly_cost_usd"] == pytest.approx(round(2 * pod_month, 2), abs=0.01)  # HPA floor: 2 pods
    assert scale["impact"]["kind"] == "exposure"
    assert scale["impact"]["monthly_usd"] == pytest.approx(round((6 - 2) * pod_month, 2), abs=0.02)
    assert "kubernetes_horizontal_pod_autoscaler_v2.vllm" in scale["message"]
    stranded = run.finding("FIN-GPU-004", address)
    assert "1 of the 4 A10G GPUs on the g5.12xlarge" in stranded["message"]
    assert stranded["impact"]["monthly_usd"] == pytest.approx(round(2 * pod_month, 2), abs=0.02)  # 2 idle GPUs
    r = resource(run, address)
    assert (r["source"], r["provider"], r["region"]) == ("terraform", "kubernetes", "us-west-2")
    assert r["workload"]["kind"] == "inference"
    assert r["tags"]["cost-center"] == "cc-9001"
    assert any("aws_eks_cluster.llm" in n for n in r["price_notes"])
    hpa = resource(run, "kubernetes_horizontal_pod_autoscaler_v2.vllm")
    assert (hpa["file"], hpa["line"]) == ("vllm.tf", 118)


def test_keda_scaled_object_manifest_on_the_queue_is_compliant() -> None:
    run = scan_json(".", cwd=KUBERNETES / "keda_queue")
    assert run.findings() == [], [f["message"] for f in run.findings()]
    assert run.exit_code == 0 and run.report["errors"] == []
    r = resource(run, "kubernetes_deployment_v1.qwen")
    assert r["autoscaling"]["address"] == "kubernetes_manifest.qwen_scaler"
    assert r["autoscaling"]["metric_kind"] == "queue"
    assert (r["compute"]["min"], r["compute"]["max"]) == (1, 8)
    assert r["compute"]["gpu"]["model"] == "L4"
    assert r["region"] == "us-central1"


def test_jobs_cron_jobs_and_stateful_sets_in_terraform(catalog: Catalog) -> None:
    run = scan_json(".", cwd=KUBERNETES / "eks_jobs")
    assert {(f["rule_id"], f["resource"], f["line"]) for f in run.findings()} == {
        ("FIN-GPU-001", "kubernetes_job_v1.finetune", 24),
        ("FIN-GPU-004", "kubernetes_stateful_set_v1.triton", 102),
    }
    job = resource(run, "kubernetes_job_v1.finetune")
    assert (job["compute"]["instance_type"], job["compute"]["gpu"]["count"]) == ("p4d.24xlarge", 8)
    assert job["workload"]["kind"] == "fine-tuning"
    p4d = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    assert job["monthly_cost_usd"] == pytest.approx(round(p4d * HOURS, 2), abs=0.01)
    cron = resource(run, "kubernetes_cron_job_v1.nightly_eval")
    assert (cron["compute"]["instance_type"], cron["workload"]["kind"]) == ("g5.xlarge", "batch")
    triton = run.finding("FIN-GPU-004", "kubernetes_stateful_set_v1.triton")
    g5 = catalog.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour
    # required anti-affinity: one 2-GPU pod per 4-GPU node, 3 replicas -> 6 idle GPUs
    assert triton["impact"]["monthly_usd"] == pytest.approx(round(6 * g5 / 4 * HOURS, 2), abs=0.02)


def test_terraform_comment_suppresses_a_finding_on_a_kubernetes_resource(tmp_path: Path) -> None:
    src = KUBERNETES / "eks_vllm"
    files = {p.name: p.read_text() for p in src.iterdir()}
    files["vllm.tf"] = files["vllm.tf"].replace(
        'resource "kubernetes_deployment_v1" "vllm" {',
        '# finops-lint:ignore FIN-GPU-004 node shared with the embedding service\n'
        'resource "kubernetes_deployment_v1" "vllm" {')
    write(tmp_path, files)
    run = scan_json(".", cwd=tmp_path)
    assert [f["rule_id"] for f in run.findings()] == ["FIN-SCALE-001"]
    assert run.report["summary"]["suppressed"] == 1


def test_hcl_blocks_become_the_kubernetes_api_shape() -> None:
    from linter.sources.terraform.map_kubernetes import from_blocks

    body = {
        "node_selector": {"node.kubernetes.io/instance-type": "g5.12xlarge"},
        "toleration": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
        "affinity": [{
            "node_affinity": [{"required_during_scheduling_ignored_during_execution": [{"node_selector_term": [
                {"match_expressions": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                                        "values": ["spot"]}]}]}]}],
            "pod_anti_affinity": [{"required_during_scheduling_ignored_during_execution": [
                {"topology_key": "kubernetes.io/hostname", "label_selector": [{"match_labels": {"app": "x"}}]}]}],
        }],
        "container": [{"name": "vllm", "image": "vllm/vllm-openai:v0.6.3",
                       "resources": [{"limits": {"nvidia.com/gpu": 1.0, "memory": "40Gi"}}],
                       "port": [{"container_port": 8000}]}],
    }
    assert from_blocks(body, "spec", "spec", []) == {
        "nodeSelector": {"node.kubernetes.io/instance-type": "g5.12xlarge"},
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}],
        "affinity": {
            "nodeAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": {"nodeSelectorTerms": [
                {"matchExpressions": [{"key": "karpenter.sh/capacity-type", "operator": "In",
                                       "values": ["spot"]}]}]}},
            "podAntiAffinity": {"requiredDuringSchedulingIgnoredDuringExecution": [
                {"topologyKey": "kubernetes.io/hostname", "labelSelector": {"matchLabels": {"app": "x"}}}]},
        },
        "containers": [{"name": "vllm", "image": "vllm/vllm-openai:v0.6.3",
                        "resources": {"limits": {"nvidia.com/gpu": 1, "memory": "40Gi"}},
                        "ports": [{"containerPort": 8000}]}],
    }
    hpa = {"metric": [{"type": "External", "external": [{"metric": [{"name": "DCGM_FI_DEV_GPU_UTIL"}],
                                                         "target": [{"type": "AverageValue", "average_value": "80"}]}]}],
           "target_cpu_utilization_percentage": 70}
    assert from_blocks(hpa, "spec", "spec", []) == {
        "metrics": [{"type": "External", "external": {"metric": {"name": "DCGM_FI_DEV_GPU_UTIL"},
                                                      "target": {"type": "AverageValue", "averageValue": "80"}}}],
        "targetCPUUtilizationPercentage": 70,
    }


def test_references_into_nested_blocks_are_known_at_plan(tmp_path: Path) -> None:
    """``x.metadata[0].name`` reads the configuration; a key it leaves out is computed (unknown, still linked)."""
    from linter.sources.terraform.module import TerraformLoader
    from linter.sources.terraform.values import is_unknown

    write(tmp_path, {"main.tf": """\
resource "kubernetes_namespace_v1" "llm" {
  metadata {
    name = "llm"
  }
}

resource "kubernetes_config_map_v1" "c" {
  metadata {
    name        = "c"
    namespace   = kubernetes_namespace_v1.llm.metadata[0].name
    annotations = { owner = kubernetes_namespace_v1.llm.metadata[0].uid }
  }
}
"""})
    raws = {r.address: r for r in TerraformLoader(str).load_root(str(tmp_path), [], {})}
    meta = raws["kubernetes_config_map_v1.c"].values["metadata"][0]
    assert meta["namespace"] == "llm"
    owner = meta["annotations"] if is_unknown(meta["annotations"]) else meta["annotations"]["owner"]
    assert is_unknown(owner) and "kubernetes_namespace_v1.llm" in owner.refs


def test_renaming_to_terraform_addresses_never_rewrites_a_longer_name(tmp_path: Path) -> None:
    """Objects named vllm-llama3-8b and vllm-llama3-8b-canary: each keeps its own HPA in the evidence."""
    src = KUBERNETES / "eks_vllm"
    files = {p.name: p.read_text() for p in src.iterdir()}
    files["vllm_canary.tf"] = files["vllm.tf"].replace('"vllm-llama3-8b"', '"vllm-llama3-8b-canary"') \
        .replace('"kubernetes_deployment_v1" "vllm"', '"kubernetes_deployment_v1" "canary"') \
        .replace('"kubernetes_service_v1" "vllm"', '"kubernetes_service_v1" "canary"') \
        .replace('"kubernetes_horizontal_pod_autoscaler_v2" "vllm"', '"kubernetes_horizontal_pod_autoscaler_v2" "canary"') \
        .replace("kubernetes_deployment_v1.vllm.", "kubernetes_deployment_v1.canary.")
    write(tmp_path, files)
    run = scan_json(".", cwd=tmp_path)
    canary = resource(run, "kubernetes_deployment_v1.canary")
    assert canary["links"]["autoscaler"] == "kubernetes_horizontal_pod_autoscaler_v2.canary"
    evidence = " ".join(canary["compute"]["evidence"])
    assert "kubernetes_horizontal_pod_autoscaler_v2.canary" in evidence
    assert "kubernetes_horizontal_pod_autoscaler_v2.vllm" not in evidence
