"""Pulumi programs read statically: Python (aliases, Args classes, constants, config) and YAML (config,
variables, interpolation, stack config), stack exports and previews, and bad input."""

from __future__ import annotations

import json

import pytest

from conftest import scan_json, write

PROJECT_PY = "name: gpu-platform\nruntime: python\nconfig:\n  poolType:\n    type: string\n    default: g5.12xlarge\n"

PROGRAM_PY = '''"""GPU platform: a training node group and batch runners."""
import pulumi
from pulumi_aws import eks as k, ec2
from pulumi_aws.ec2 import Instance as VM, InstanceArgs

cfg = pulumi.Config()
TEAM_TAGS = {"team": "research", "cost-center": "cc-1", "environment": cfg.get("env") or "dev"}
POOL_TYPE = cfg.get("poolType") or "p4d.24xlarge"
NODES = cfg.get_int("nodes") or 1
TYPES = {"small": "g6.xlarge", "big": "g5.48xlarge"}


def runner(name, size, spot=False):
    options = ec2.InstanceInstanceMarketOptionsArgs(market_type="spot") if spot else None
    return VM(f"runner-{name}", InstanceArgs(instance_type=TYPES[size], instance_market_options=options,
                                             tags={**TEAM_TAGS, "workload": "batch"}))


pool = k.NodeGroup(
    "trainer",
    cluster_name="ml",
    node_role_arn="arn:aws:iam::123456789012:role/nodes",
    subnet_ids=["subnet-1"],
    instance_types=[POOL_TYPE],
    scaling_config=k.NodeGroupScalingConfigArgs(min_size=NODES, max_size=NODES * 2, desired_size=NODES),
    tags=TEAM_TAGS,
)

for i in range(2):
    runner(str(i), "big")
runner("cheap", "small", spot=True)
'''


def _finding_keys(run):
    return {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}


def test_python_aliases_args_constants_functions_and_config_defaults(tmp_path, catalog) -> None:
    write(tmp_path, {"Pulumi.yaml": PROJECT_PY, "__main__.py": PROGRAM_PY})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    by_name = {r["address"]: r for r in run.report["resources"]}
    assert set(by_name) == {"trainer", "runner-0", "runner-1", "runner-cheap"}
    trainer = by_name["trainer"]
    assert trainer["type"] == "aws:eks/nodeGroup:NodeGroup" and trainer["line"] == 19
    assert trainer["compute"]["instance_type"] == "g5.12xlarge"  # Pulumi.yaml config default beats the `or`
    assert trainer["compute"]["count"] == 1 and trainer["compute"]["max"] == 2
    assert by_name["runner-0"]["compute"]["instance_type"] == "g5.48xlarge"
    assert by_name["runner-0"]["line"] == 15  # the constructor inside the function
    assert by_name["runner-cheap"]["compute"]["purchase"] == "spot"
    # no region in config: priced in the config default (us-east-1) and said so
    hourly = catalog.hourly("aws", "us-east-1", "g5.48xlarge").usd_per_hour
    assert by_name["runner-0"]["monthly_cost_usd"] == pytest.approx(round(hourly * 730, 2), abs=0.01)
    assert ("FIN-GPU-001", "runner-0", "__main__.py", 15) in _finding_keys(run)
    assert not any(f["resource"] == "runner-cheap" and f["rule_id"] == "FIN-GPU-001" for f in run.findings())


def test_stack_selects_config_and_require_without_value_stays_unknown(tmp_path) -> None:
    program = PROGRAM_PY.replace('cfg.get_int("nodes") or 1', 'cfg.require_int("nodes")')
    write(tmp_path, {"Pulumi.yaml": PROJECT_PY, "__main__.py": program,
                     "Pulumi.dev.yaml": "config:\n  gpu-platform:nodes: '3'\n  aws:region: us-west-2\n",
                     "Pulumi.prod.yaml": "config:\n  gpu-platform:poolType: p5.48xlarge\n  aws:region: eu-west-1\n"
                                         "  gpu-platform:env: prod\n"})
    dev = scan_json(".", "--stack", "dev", cwd=tmp_path)
    trainer = next(r for r in dev.report["resources"] if r["address"] == "trainer")
    assert trainer["region"] == "us-west-2" and trainer["compute"]["count"] == 3
    prod = scan_json(".", "--stack", "prod", cwd=tmp_path)
    trainer = next(r for r in prod.report["resources"] if r["address"] == "trainer")
    assert trainer["region"] == "eu-west-1" and trainer["compute"]["instance_type"] == "p5.48xlarge"
    assert trainer["compute"]["count"] is None  # nodes required but not set for prod: unknown, never guessed
    # two stacks and no --stack: defaults only, with a note that names the stacks
    neither = scan_json(".", cwd=tmp_path)
    assert any("stacks dev, prod" in s["reason"] for s in neither.report.get("skipped", [])) or \
        "dev, prod" in neither.stdout


def test_python_syntax_error_is_one_line_and_the_rest_of_the_scan_completes(tmp_path) -> None:
    write(tmp_path, {"broken/Pulumi.yaml": "name: broken\nruntime: python\n",
                     "broken/__main__.py": "import pulumi_aws as aws\n\ninst = aws.ec2.Instance('x' instance_type='p4d.24xlarge')\n",
                     "good/Pulumi.yaml": PROJECT_PY, "good/__main__.py": PROGRAM_PY})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (error,) = run.report["errors"]
    assert error["file"] == "broken/__main__.py" and error["line"] == 3
    assert error["message"].startswith("Python syntax error: ")
    assert "\n" not in error["message"]
    assert any(f["file"] == "good/__main__.py" for f in run.findings())


def test_dynamic_constructs_are_noted_not_guessed(tmp_path) -> None:
    program = '''import json, os
import pulumi
import pulumi_aws as aws

sizes = json.loads(os.environ["SIZES"])
for name in sizes:
    aws.ec2.Instance(name, instance_type="p4d.24xlarge")
while True:
    break
aws.ec2.Instance(os.environ["NAME"], instance_type="p4d.24xlarge")
vm = aws.ec2.Instance("dyn", instance_type=sizes["big"], tags=lambda: {})


class Pool(pulumi.ComponentResource):
    def __init__(self, name, size, opts=None):
        super().__init__("acme:gpu:Pool", name, None, opts)
        self.size = size
        self.node = aws.ec2.Instance(f"{name}-node", instance_type=self.size,
                                     opts=pulumi.ResourceOptions(parent=self))
        self.register_outputs({"id": self.node.id})


pool = Pool("research", "p5.48xlarge")
'''
    write(tmp_path, {"Pulumi.yaml": "name: dyn\nruntime: python\n", "__main__.py": program})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    dyn, component = sorted(run.report["resources"], key=lambda r: r["line"])
    assert dyn["address"] == "dyn" and dyn["compute"]["instance_type"] is None
    # a component class constructed at module level: its __init__ is read with its arguments
    assert (component["address"], component["line"], component["compute"]["instance_type"]) == \
        ("research-node", 18, "p5.48xlarge")
    reasons = {(s["line"], s["reason"].split(" (")[0]) for s in run.report["skipped"]}
    assert (6, "for loop over a value not known statically") in reasons
    assert (8, "while loop not read statically") in reasons
    assert any(line == 10 and "resource name not known statically" in r for line, r in reasons)


YAML_PROJECT = """name: serving
runtime: yaml
config:
  region:
    type: string
    default: us-west-2
  replicas: 2
variables:
  tags:
    team: inference
    environment: ${pulumi.stack}
  endpointName: llm-${pulumi.stack}
  ami:
    fn::invoke:
      function: aws:ec2:getAmi
      arguments: {mostRecent: true}
      return: id
resources:
  west:
    type: pulumi:providers:aws
    properties:
      region: ${region}
      defaultTags:
        tags: {cost-center: cc-9}
  config:
    type: aws:sagemaker:EndpointConfiguration
    properties:
      name: ${endpointName}-cfg
      productionVariants:
        - variantName: primary
          modelName: llama
          instanceType: ml.g5.12xlarge
          initialInstanceCount: ${replicas}
      tags: ${tags}
    options:
      provider: ${west}
  endpoint:
    type: aws:sagemaker:Endpoint
    properties:
      name: ${endpointName}
      endpointConfigName: ${config.name}
      tags: ${tags}
    options:
      provider: ${west}
  box:
    type: aws:ec2/instance:Instance
    properties:
      ami: ${ami}
      instanceType: g5.xlarge
      tags: ${tags}
"""


def test_yaml_config_variables_interpolation_and_provider_options(tmp_path, catalog) -> None:
    write(tmp_path, {"Pulumi.yaml": YAML_PROJECT, "Pulumi.staging.yaml": "config:\n  serving:replicas: 3\n"})
    run = scan_json(".", cwd=tmp_path)
    by_name = {r["address"]: r for r in run.report["resources"]}
    endpoint = by_name["endpoint"]
    assert endpoint["region"] == "us-west-2"  # explicit provider, region from the config default
    assert endpoint["compute"]["count"] == 3  # stack config over Pulumi.yaml's short default
    assert endpoint["tags"] == {"team": "inference", "environment": "staging", "cost-center": "cc-9"}
    assert by_name["box"]["tags"] == {"team": "inference", "environment": "staging"}  # default provider
    assert by_name["box"]["compute"]["instance_type"] == "g5.xlarge"  # the unknown ami (fn::invoke) costs nothing
    assert run.finding("FIN-GPU-003", "endpoint")["line"] == 37


def test_yaml_main_file_and_short_config(tmp_path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: m\nruntime: yaml\nmain: infra/\n",
                     "infra/Main.yaml": "config:\n  size: p4d.24xlarge\nresources:\n  trainer:\n"
                                        "    type: aws:ec2:Instance\n    properties:\n      instanceType: ${size}\n"})
    run = scan_json(".", cwd=tmp_path)
    (r,) = run.report["resources"]
    assert (r["address"], r["file"], r["line"], r["compute"]["instance_type"]) == \
        ("trainer", "infra/Main.yaml", 4, "p4d.24xlarge")


def test_yaml_syntax_error_names_file_and_line(tmp_path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: m\nruntime: yaml\nresources:\n  a: [\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (error,) = run.report["errors"]
    assert error["file"] == "Pulumi.yaml" and error["line"] and "invalid YAML" in error["message"]


URN = "urn:pulumi:prod::gpu::{}::{}"


def _state(token: str, name: str, inputs: dict, provider: str | None = None) -> dict:
    out = {"urn": URN.format(token, name), "custom": True, "type": token, "inputs": inputs, "outputs": inputs}
    if provider:
        out["provider"] = provider
    return out


def test_stack_export_through_the_same_rules(tmp_path, catalog) -> None:
    provider = _state("pulumi:providers:aws", "default_7_0_0", {"region": "us-west-2"})
    provider_ref = provider["urn"] + "::f1b5a3e0-0000-4000-8000-000000000000"
    export = {"version": 3, "deployment": {"manifest": {}, "resources": [
        {"urn": "urn:pulumi:prod::gpu::pulumi:pulumi:Stack::gpu-prod", "custom": False,
         "type": "pulumi:pulumi:Stack"},
        provider,
        _state("aws:ec2/instance:Instance", "trainer", {"instanceType": "p4d.24xlarge",
                                                       "tags": {"team": "a", "workload": "training"}},
               provider_ref)]}}
    write(tmp_path, {"stack.json": json.dumps(export, indent=2)})
    run = scan_json("stack.json", cwd=tmp_path)
    (r,) = run.report["resources"]
    assert r["region"] == "us-west-2" and r["source"] == "pulumi" and r["file"] == "stack.json"
    text = (tmp_path / "stack.json").read_text()
    assert r["line"] == text[:text.index('"urn": "' + URN.format("aws:ec2/instance:Instance", "trainer"))].count("\n") + 1
    hourly = catalog.hourly("aws", "us-west-2", "p4d.24xlarge").usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx(round(hourly * 730, 2), abs=0.01)
    assert run.finding("FIN-GPU-001", "trainer")


def test_preview_json_reads_the_state_after_the_change(tmp_path) -> None:
    preview = {"config": {"aws:region": "us-east-1"}, "steps": [
        {"op": "update", "urn": URN.format("aws:ec2/instance:Instance", "trainer"),
         "oldState": _state("aws:ec2/instance:Instance", "trainer", {"instanceType": "g5.xlarge"}),
         "newState": _state("aws:ec2/instance:Instance", "trainer", {"instanceType": "p4d.24xlarge",
                                                                     "ami": "04da6b54-80e4-46f7-96ec-b56ff0331ba9"})},
        {"op": "delete", "urn": URN.format("aws:ec2/instance:Instance", "old"),
         "oldState": _state("aws:ec2/instance:Instance", "old", {"instanceType": "p5.48xlarge"})}]}
    write(tmp_path, {"preview.json": json.dumps(preview, indent=2)})
    run = scan_json("preview.json", cwd=tmp_path)
    (r,) = run.report["resources"]
    assert (r["address"], r["compute"]["instance_type"], r["region"]) == ("trainer", "p4d.24xlarge", "us-east-1")


def test_other_json_is_skipped_and_broken_state_is_an_error(tmp_path) -> None:
    write(tmp_path, {"package.json": '{"name": "x"}', "bad.json": '{"deployment": {"resources": [{"urn": "urn:pulumi:a'})
    run = scan_json("package.json", "bad.json", cwd=tmp_path)
    assert run.exit_code == 2
    (error,) = run.report["errors"]
    assert error["file"] == "bad.json" and "invalid JSON" in error["message"]
    assert any(s["file"] == "package.json" for s in run.report["skipped"])


K8S_PY = '''import pulumi_kubernetes as k8s
from pulumi_kubernetes.apps.v1 import Deployment, DeploymentSpecArgs
from pulumi_kubernetes.core.v1 import ContainerArgs, PodSpecArgs, PodTemplateSpecArgs, ResourceRequirementsArgs

labels = {"app": "vllm"}
Deployment(
    "vllm",
    metadata=k8s.meta.v1.ObjectMetaArgs(name="vllm", labels={**labels, "team": "ml", "cost-center": "c",
                                                             "environment": "prod"}),
    spec=DeploymentSpecArgs(
        replicas=2,
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels=labels),
        template=PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels=labels),
            spec=PodSpecArgs(
                node_selector={"node.kubernetes.io/instance-type": "g5.12xlarge"},
                containers=[ContainerArgs(name="vllm", image="vllm/vllm-openai:v0.6.3",
                                          resources=ResourceRequirementsArgs(limits={"nvidia.com/gpu": "1"}))],
            ),
        ),
    ),
)
'''


def test_kubernetes_resources_feed_the_kubernetes_facts(tmp_path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: k\nruntime: python\n", "__main__.py": K8S_PY})
    run = scan_json(".", cwd=tmp_path)
    (r,) = run.report["resources"]
    assert (r["address"], r["type"], r["line"], r["source"]) == ("vllm", "kubernetes:apps/v1:Deployment", 6, "pulumi")
    assert r["cost_components"][0]["unit"] == "pod-hours" and r["compute"]["count"] == 2
    assert r["compute"]["gpu"]["count"] == 1 and r["compute"]["instance_type"] == "g5.12xlarge"
    assert run.finding("FIN-GPU-004", "vllm")  # 1 of 4 GPUs per pinned node


K8S_EXPOSED_PY = '''"""vLLM behind a Service; on minikube a ClusterIP, else a LoadBalancer (pulumi/examples' shape)."""
import pulumi
import pulumi_kubernetes as k8s

config = pulumi.Config()
is_minikube = config.require("is_minikube")
app_labels = {"app": "vllm", "team": "ml", "cost-center": "cc-7", "environment": "prod"}

server = k8s.apps.v1.Deployment(
    "vllm",
    spec={
        "replicas": 1,
        "selector": {"match_labels": {"app": "vllm"}},
        "template": {
            "metadata": {"labels": app_labels},
            "spec": {
                "node_selector": {"node.kubernetes.io/instance-type": "g6.xlarge"},
                "containers": [{
                    "name": "vllm",
                    "image": "vllm/vllm-openai:v0.6.3",
                    "args": ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"],
                    "resources": {"limits": {"nvidia.com/gpu": "1"}},
                }],
            },
        },
    },
)

frontend = k8s.core.v1.Service(
    "vllm",
    metadata={"labels": {"app": "vllm"}},
    spec={
        "selector": {"app": "vllm"},
        "ports": [{"port": 80, "target_port": 8000}],
        "type": "ClusterIP" if is_minikube == "true" else "LoadBalancer",
    },
)
'''


def test_kubernetes_objects_sharing_a_name_and_unknown_fields(tmp_path) -> None:
    """A Deployment and its Service both named "vllm", no metadata.name (Pulumi auto-names them), and a Service type
    known only at deploy time: both are read, linked, and the unknown field is noted, not an internal error."""
    write(tmp_path, {"Pulumi.yaml": "name: k\nruntime: python\n", "__main__.py": K8S_EXPOSED_PY})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    res = {r["address"]: r for r in run.report["resources"]}
    assert set(res) == {"vllm (Deployment)", "vllm (Service)"}
    deployment, service = res["vllm (Deployment)"], res["vllm (Service)"]
    assert deployment["links"]["exposed_by"] == "vllm (Service)" and service["links"]["routes_to"] == "vllm (Deployment)"
    assert deployment["compute"]["instance_type"] == "g6.xlarge" and deployment["compute"]["gpu"]["count"] == 1
    assert deployment["line"] == K8S_EXPOSED_PY.splitlines().index("server = k8s.apps.v1.Deployment(") + 1
    assert service["unknowns"] == ["spec.type: comparison of values not known statically"]
    assert deployment["llm"]["public"] is None  # the Service type is not known: neither public nor private


def test_azure_native_vm_and_agent_pool(tmp_path, catalog) -> None:
    program = '''resources:
  serving:
    type: azure-native:compute:VirtualMachine
    properties:
      location: westeurope
      hardwareProfile: {vmSize: Standard_NC4as_T4_v3}
      tags: {team: a, cost-center: b, environment: dev, workload: inference}
  cluster:
    type: azure-native:containerservice:ManagedCluster
    properties:
      location: eastus
      agentPoolProfiles:
        - {name: system, vmSize: Standard_D4s_v5, count: 2, mode: System}
  gpupool:
    type: azure-native:containerservice:AgentPool
    properties:
      resourceName: ${cluster.name}
      vmSize: Standard_NC24ads_A100_v4
      count: 1
      scaleSetPriority: Regular
      nodeLabels: {workload: training}
'''
    write(tmp_path, {"Pulumi.yaml": "name: az\nruntime: yaml\n" + program})
    run = scan_json(".", cwd=tmp_path)
    by_name = {r["address"]: r for r in run.report["resources"]}
    price = catalog.hourly("azure", "westeurope", "Standard_NC4as_T4_v3").usd_per_hour
    assert by_name["serving"]["monthly_cost_usd"] == pytest.approx(round(price * 730, 2), abs=0.01)
    assert by_name["gpupool"]["compute"]["instance_type"] == "Standard_NC24ads_A100_v4"
    assert by_name["gpupool"]["links"] == {"cluster": "cluster"}
    assert by_name["gpupool"]["region"] == "eastus"  # the cluster's location
    assert run.finding("FIN-GPU-001", "gpupool")


def test_preview_is_gated_with_the_cost_diff_and_gates(tmp_path, catalog) -> None:
    """pulumi preview --json: findings only on what changes, the before/after cost of each change, and the
    budget gates of linter.costdiff (the same as a Terraform plan's)."""
    from conftest import run_cli

    tags = {"team": "a", "cost-center": "b", "environment": "prod"}
    steps = [
        {"op": "update", "oldState": _state("aws:ec2/instance:Instance", "trainer",
                                            {"instanceType": "g5.xlarge", "tags": {**tags, "workload": "training"}}),
         "newState": _state("aws:ec2/instance:Instance", "trainer",
                            {"instanceType": "p4d.24xlarge", "tags": {**tags, "workload": "training"}})},
        {"op": "delete", "oldState": _state("aws:ec2/instance:Instance", "old", {"instanceType": "g6.xlarge",
                                                                                "tags": tags})},
        {"op": "same", "oldState": _state("aws:ec2/instance:Instance", "legacy", {"instanceType": "p3.2xlarge"}),
         "newState": _state("aws:ec2/instance:Instance", "legacy", {"instanceType": "p3.2xlarge"})},
    ]
    for step in steps:
        step["urn"] = (step.get("newState") or step["oldState"])["urn"]
    write(tmp_path, {"preview.json": json.dumps({"config": {"aws:region": "us-east-1"}, "steps": steps}, indent=1)})
    run = run_cli("plan", "preview.json", "--max-monthly-increase", "1000", "--fail-on", "high", "--format", "json",
                  cwd=tmp_path)
    assert run.exit_code == 1
    report = run.report  # validated against the report schema
    assert {(f["rule_id"], f["resource"]) for f in report["findings"]} == {("FIN-GPU-001", "trainer")}  # not legacy
    price = {t: catalog.hourly("aws", "us-east-1", t).usd_per_hour * 730
             for t in ("g5.xlarge", "p4d.24xlarge", "g6.xlarge", "p3.2xlarge")}
    rows = {d["address"]: (d["action"], d["delta_usd"]) for d in report["cost_diff"]["resources"]}
    assert rows["trainer"] == ("update", pytest.approx(price["p4d.24xlarge"] - price["g5.xlarge"], abs=0.02))
    assert rows["old"] == ("delete", pytest.approx(-price["g6.xlarge"], abs=0.02))
    assert "legacy" not in rows  # unchanged, counted in the totals only
    assert report["cost_diff"]["monthly_after_usd"] == \
        pytest.approx(price["p4d.24xlarge"] + price["p3.2xlarge"], abs=0.05)
    assert {g["name"]: g["passed"] for g in report["gates"]} == {"max-monthly-increase": False, "fail-on": False}
    assert report["plan"]["tool"] == "pulumi preview"


def test_ignore_comments_in_python_and_yaml_programs(tmp_path) -> None:
    yml = ("name: y\nruntime: yaml\nresources:\n  # IGNORE\n  trainer:\n    type: aws:ec2:Instance\n"
           "    properties:\n      instanceType: p4d.24xlarge\n      tags: {workload: training}\n")
    py = PROGRAM_PY.replace("    return VM(", "    # IGNORE\n    return VM(")

    def findings(comment_py: str, comment_yml: str, where) -> set[tuple[str, str, str]]:
        write(where, {"py/Pulumi.yaml": PROJECT_PY, "py/__main__.py": py.replace("IGNORE", comment_py),
                      "yml/Pulumi.yaml": yml.replace("IGNORE", comment_yml)})
        run = scan_json(".", cwd=where)
        return {(f["file"], f["rule_id"], f["resource"]) for f in run.findings()}

    (tmp_path / "a").mkdir()
    (tmp_path / "b").mkdir()
    plain = findings("no comment", "no comment", tmp_path / "a")
    ignored = findings("finops-lint:ignore FIN-GPU-001 eval runners are short-lived",
                       "finops-lint:ignore FIN-GPU-001 covered by a capacity reservation", tmp_path / "b")
    gone = plain - ignored
    assert gone == {("py/__main__.py", "FIN-GPU-001", "runner-0"), ("py/__main__.py", "FIN-GPU-001", "runner-1"),
                    ("yml/Pulumi.yaml", "FIN-GPU-001", "trainer")}
    assert ignored < plain


def test_component_packages_are_noted_not_silently_dropped(tmp_path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: e\nruntime: yaml\nresources:\n  cluster:\n    type: eks:Cluster\n"
                                    "    properties:\n      desiredCapacity: 2\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["resources"] == []
    (note,) = run.report["skipped"]
    assert (note["file"], note["line"]) == ("Pulumi.yaml", 4)
    assert note["reason"].startswith("1 resource(s) of package 'eks' (eks:Cluster) not read")
    assert "pulumi preview --json" in note["reason"]


def test_yaml_get_resources_are_existing_not_created(tmp_path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: g\nruntime: yaml\nresources:\n  shared:\n    type: aws:ec2:Instance\n"
                                    "    get:\n      id: i-0123456789abcdef0\n  trainer:\n    type: aws:ec2:Instance\n"
                                    "    properties:\n      instanceType: g5.xlarge\n"})
    run = scan_json(".", cwd=tmp_path)
    assert [r["address"] for r in run.report["resources"]] == ["trainer"]


def test_a_terraform_plan_given_to_scan_points_at_the_plan_command(tmp_path) -> None:
    write(tmp_path, {"plan.json": json.dumps({"format_version": "1.2", "planned_values": {}, "resource_changes": []})})
    run = scan_json("plan.json", cwd=tmp_path)
    (note,) = run.report["skipped"]
    assert note["file"] == "plan.json" and "finops-lint plan" in note["reason"]
