"""The generated Pulumi type map (linter/sources/pulumi/data/types.json, tools/pulumi/build_types.py): it covers
every Terraform type the mappers know, says where it came from, and converts inputs to Terraform's shape."""

from __future__ import annotations

import json
import subprocess
import sys

from conftest import ROOT, write

DATA = ROOT / "linter" / "sources" / "pulumi" / "data" / "types.json"


def test_every_type_the_mappers_know_has_a_token() -> None:
    sys.path.insert(0, str(ROOT / "tools" / "pulumi"))
    from build_types import wanted_types

    data = json.loads(DATA.read_text())
    mapped = set(data["tokens"].values())
    missing = sorted(t for t in wanted_types() if t.split("_", 1)[0] in ("aws", "google", "azurerm") and t not in mapped)
    assert missing == []
    assert {s["provider"] for s in data["sources"]} == {"aws", "gcp", "azure"}
    assert all(s["version"] and s["as_of"] and s["source"] for s in data["sources"])
    assert all(reason for reason in data["additions"].values())


def test_tokens_short_tokens_and_inputs() -> None:
    from linter.sources.pulumi.types import full_token, terraform_type, to_terraform

    assert terraform_type("aws:ec2/instance:Instance") == "aws_instance"
    assert full_token("aws:ec2:Instance") == "aws:ec2/instance:Instance"
    assert terraform_type("gcp:container:NodePool") == "google_container_node_pool"
    assert terraform_type("azure:containerservice/kubernetesClusterNodePool:KubernetesClusterNodePool") == \
        "azurerm_kubernetes_cluster_node_pool"
    assert terraform_type("azure-native:compute/v20230301:VirtualMachine") == "azurerm_linux_virtual_machine"
    assert terraform_type("aws:alb/loadBalancer:LoadBalancer") == "aws_lb"  # an addition, with its reason
    values = to_terraform({"nodeConfig": {"machineType": "a2-highgpu-8g", "guestAccelerators": [{"type": "t", "count": 8}],
                                          "labels": {"CostCenter": "x"}},
                           "autoscaling": {"minNodeCount": 0}}, "google_container_node_pool")
    assert values == {"node_config": [{"machine_type": "a2-highgpu-8g", "guest_accelerator": [{"type": "t", "count": 8}],
                                       "labels": {"CostCenter": "x"}}],  # a map keeps its keys
                      "autoscaling": [{"min_node_count": 0}]}
    asg = to_terraform({"tags": [{"key": "team", "value": "a", "propagateAtLaunch": True}]}, "aws_autoscaling_group")
    assert asg == {"tag": [{"key": "team", "value": "a", "propagate_at_launch": True}]}


def test_build_script_regenerates_from_provider_metadata(tmp_path) -> None:
    """The generator on a tiny bridge metadata file and SDK: tokens (current and past), nested blocks, sources."""
    bridge = {"auto-aliasing": {"resources": {
        "google_container_node_pool": {"current": "gcp:container/nodePool:NodePool", "past": [
            {"name": "gcp:container/pool:Pool", "inCodegen": False, "majorVersion": 3}],
            "fields": {"node_config": {"maxItemsOne": True, "elem": {"fields": {"guest_accelerator": {
                "maxItemsOne": False}}}}}}}}}
    sdk = tmp_path / "pulumi_aws"
    write(tmp_path, {"bridge.json": json.dumps(bridge),
                     "pulumi_aws/pulumi-plugin.json": '{"resource": true, "name": "aws", "version": "7.0.0"}',
                     "pulumi_aws/__init__.py": 'x = """"""\n_utilities.register(resource_modules="""[]""")\n'})
    out = tmp_path / "types.json"
    proc = subprocess.run([sys.executable, str(ROOT / "tools" / "pulumi" / "build_types.py"), "--aws-sdk", str(sdk),
                           "--bridge", f"gcp={tmp_path / 'bridge.json'}@v1.0.0,2026-01-01", "--out", str(out)],
                          capture_output=True, text=True)
    # the fake SDK has none of the AWS tokens the additions name: the build refuses, naming them
    assert proc.returncode != 0
    assert "aws:rds/instance:Instance is not in pulumi_aws 7.0.0" in proc.stderr + proc.stdout
    assert not out.exists()
