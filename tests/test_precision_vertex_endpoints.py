"""Vertex AI Model Garden deployments (google_vertex_ai_endpoint_with_model_garden_deployment) keep GPU replicas
deployed around the clock, and finops-lint read nothing of them: no GPUs, no replicas, no finding.

Found on adamuas/intro-to-mlops-gcp (class/main.tf: Qwen3-0.6B on a spot g2-standard-4 with one L4, in var.env
"dev"). Arguments as the provider documents them (terraform-provider-google
website/docs/r/vertex_ai_endpoint_with_model_garden_deployment.html.markdown: deploy_config.dedicated_resources
{machine_spec {machine_type, accelerator_type, accelerator_count}, min_replica_count >= 1, max_replica_count
defaulting to min, spot, autoscaling_metric_specs}). Vertex AI bills prediction nodes at its own rates, not at the
machine's Compute Engine price, and the catalog has no dated public Vertex AI prediction price: the replicas are
reported, unpriced, with that reason.
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

from conftest import scan_json, write

FIXTURES = Path(__file__).resolve().parent / "fixtures" / "precision_vertex_endpoints"
UNPRICED = "no dated public Vertex AI prediction price"
GEMMA = "google_vertex_ai_endpoint_with_model_garden_deployment.gemma"
LLAMA = "google_vertex_ai_endpoint_with_model_garden_deployment.llama"


def _resource(report: dict[str, Any], address: str) -> dict[str, Any]:
    matches = [r for r in report["resources"] if r["address"] == address]
    assert len(matches) == 1, [r["address"] for r in report["resources"]]
    return matches[0]


def test_replicas_and_gpus_read_and_left_unpriced_not_at_compute_engine_prices(catalog) -> None:
    run = scan_json("serving", "--no-cache", cwd=FIXTURES)
    report = run.report
    gemma = _resource(report, GEMMA)
    assert (gemma["file"], gemma["line"], gemma["region"]) == ("serving/main.tf", 17, "us-central1")
    c = gemma["compute"]
    # var.gemma_machine_type's default; var.gemma_replicas = 2 from terraform.tfvars; 2x L4 per g2-standard-24
    assert (c["instance_type"], c["count"], c["min"], c["max"]) == ("g2-standard-24", 2, 2, 2)
    assert (c["gpu"]["model"], c["gpu"]["count"], c["gpu"]["memory_gib"]) == ("L4", 2.0, 22.35)
    assert c["purchase"] == "on_demand"
    # the catalog has a Compute Engine price for the machine: it must not be taken for Vertex AI's node-hour
    assert catalog.hourly("gcp", "us-central1", "g2-standard-24") is not None
    assert gemma["monthly_cost_usd"] is None
    assert [comp["price_usd"] for comp in gemma["cost_components"]] == [None]
    assert any(n.startswith(UNPRICED) and "monthly cost unknown" in n for n in gemma["price_notes"])
    assert gemma["workload"]["kind"] == "inference"

    llama = _resource(report, LLAMA)
    assert llama["line"] == 38
    c = llama["compute"]
    assert (c["instance_type"], c["count"], c["min"], c["max"]) == ("g2-standard-48", 1, 1, 4)
    assert c["gpu"]["count"] == 4.0
    assert llama["autoscaling"]["metric"] == "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle"
    assert (llama["autoscaling"]["min"], llama["autoscaling"]["max"], llama["autoscaling"]["target"]) == (1, 4, 0.7)
    assert report["summary"]["unpriced_resources"] == 2

    # the plain endpoint runs no machine itself: read (labels, provider default_labels), no cost
    endpoint = _resource(report, "google_vertex_ai_endpoint.scoring")
    assert endpoint["monthly_cost_usd"] is None and not endpoint.get("compute")
    assert endpoint["tags"]["environment"] == "prod" and endpoint["tags"]["team"] == "ml-platform"


def test_fixed_replicas_without_autoscaling_are_idle_gpu_capacity_with_unknown_saving() -> None:
    run = scan_json("serving", "--no-cache", cwd=FIXTURES)
    f = run.finding("FIN-GPU-003", GEMMA)
    assert (f["file"], f["line"]) == ("serving/main.tf", 17)
    assert f["message"] == (f"{GEMMA} keeps 2x g2-standard-24 (2x L4 each) running with no autoscaling when it could "
                            "scale to zero")
    assert f["remediation"].startswith("Vertex AI bills every deployed replica by the node-hour")
    assert "aws_appautoscaling_target" not in f["remediation"]
    assert f["monthly_cost_usd"] is None and f["impact"]["monthly_usd"] is None
    assert any(a.startswith(UNPRICED) and a.endswith("dollar figure unknown") for a in f["impact"]["assumptions"])
    assert f["impact"]["current"]["gpus"] == 4.0  # 2 replicas x 2 L4
    # llama autoscales 1..4 on the accelerator duty cycle, in prod (terraform.tfvars): no idle floor finding
    assert not [g for g in run.findings("FIN-GPU-003") if g["resource"] == LLAMA]
    assert not run.findings("FIN-SCALE-001")


def test_llm_facts_token_cap_and_rate_limit() -> None:
    run = scan_json("serving", "--no-cache", cwd=FIXTURES)
    f = run.finding("FIN-LLM-001", LLAMA)  # the pinned vLLM container sets no --max-model-len
    assert (f["file"], f["line"]) == ("serving/main.tf", 38)
    assert f["message"] == (f"{LLAMA} serves meta-llama/Llama-3.1-8B-Instruct with vllm and sets no cap on tokens "
                            "per request or context")
    # Model Garden's own container: its limits are chosen at deploy, not in the code, so not judged
    assert not [g for g in run.findings("FIN-LLM-001") if g["resource"] == GEMMA]
    gemma = _resource(run.report, GEMMA)
    assert gemma["llm"]["model"] == "publishers/google/models/gemma3@gemma-3-12b-it"
    assert gemma["llm"]["params_b"] == 12 and gemma["llm"]["caps_checkable"] is False
    # endpoints take only IAM-authorized requests: not public, no FIN-LLM-002
    assert _resource(run.report, LLAMA)["llm"]["public"] is False
    assert not run.findings("FIN-LLM-002")
    # an 8B model on 4x L4 would fit fewer GPUs, but FIN-GPU-005 needs the price it would save: none without one
    assert _resource(run.report, LLAMA)["llm"]["params_b"] == 8.03
    assert not run.findings("FIN-GPU-005")


def test_real_repository_shape_dev_spot_deployment() -> None:
    """adamuas/intro-to-mlops-gcp class/: one spot L4 replica kept deployed in dev."""
    run = scan_json("class", "--no-cache", cwd=FIXTURES)
    address = "google_vertex_ai_endpoint_with_model_garden_deployment.deploy"
    r = _resource(run.report, address)
    assert (r["file"], r["line"], r["region"]) == ("class/main.tf", 6, "us-east1")
    c = r["compute"]
    assert (c["instance_type"], c["count"], c["purchase"], c["gpu"]["model"], c["gpu"]["count"]) == \
        ("g2-standard-4", 1, "spot", "L4", 1.0)
    assert r["monthly_cost_usd"] is None and any(n.startswith(UNPRICED) for n in r["price_notes"])
    f = run.finding("FIN-GPU-003", address)
    assert f["line"] == 6
    assert f["message"].startswith(f"{address} keeps 1x g2-standard-4 (1x L4 each) running in dev (variable env = "
                                   "\"dev\"")
    assert f["impact"]["monthly_usd"] is None
    assert r["llm"]["model"] == "Qwen/Qwen3-0.6B" and r["llm"]["params_b"] == 0.6


def test_values_known_only_at_apply_are_unknown_with_a_reason(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """
variable "machine_type" {
  type = string
}

variable "replicas" {
  type = number
}

resource "google_vertex_ai_endpoint_with_model_garden_deployment" "llama" {
  publisher_model_name = "publishers/meta/models/llama3-1@llama-3.1-8b-instruct"
  location             = "us-central1"

  deploy_config {
    dedicated_resources {
      machine_spec {
        machine_type      = var.machine_type
        accelerator_type  = "NVIDIA_L4"
        accelerator_count = 1
      }
      min_replica_count = var.replicas
    }
  }
}

resource "google_vertex_ai_endpoint_with_model_garden_deployment" "defaults" {
  publisher_model_name = "publishers/google/models/paligemma@paligemma-224-float32"
  location             = "us-central1"

  model_config {
    accept_eula = true
  }
}
"""})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.exit_code in (0, 1) and not run.report["errors"]
    llama = _resource(run.report, "google_vertex_ai_endpoint_with_model_garden_deployment.llama")
    assert llama["compute"]["instance_type"] is None and llama["compute"]["count"] is None
    assert llama["compute"]["gpu"]["model"] == "L4" and llama["compute"]["gpu"]["count"] == 1.0
    assert "deploy_config.dedicated_resources.machine_spec.machine_type: var.machine_type has no default and no " \
           "value in tfvars" in llama["unknowns"]
    assert any(u.startswith("deploy_config.dedicated_resources.min_replica_count: var.replicas") for u in
               llama["unknowns"])
    defaults = _resource(run.report, "google_vertex_ai_endpoint_with_model_garden_deployment.defaults")
    assert any(u.startswith("deploy_config.dedicated_resources: not set") for u in defaults["unknowns"])
