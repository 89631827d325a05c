"""eksctl ClusterConfig files are read as the node groups they create, priced like aws_eks_node_group.

Found on aws-samples/aws-do-eks (wd/conf/eksctl/yaml: eks-gpu-p5.yaml, eks-gpu-p4de.yaml, ...): every ClusterConfig
was only noted as "ClusterConfig asks for GPUs ... finops-lint does not read the ClusterConfig kind", so its GPU node
groups (2 x p5.48xlarge: $80,358.40 a month) were not in the report. eksctl's defaults come from its source
(eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5/types.go: DefaultNodeType m5.large, DefaultNodeCount 2; defaults.go:
alpha.eksctl.io/cluster-name and nodegroup-name labels; pkg/cfn/builder: metadata.tags merged under each group's).
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import scan_json

FIXTURES = Path(__file__).parent / "fixtures" / "precision_eksctl_nodegroups"
CLUSTER = "ml-dev/cluster.yaml"
TRAIN = "ClusterConfig/ml-dev/managedNodeGroups/train-p4d"
EVAL = "ClusterConfig/ml-dev/nodeGroups/eval-mixed"


def _scan(tmp_path: Path, fixture: str) -> dict[str, Any]:
    shutil.copytree(FIXTURES / fixture, tmp_path / fixture)
    run = scan_json(fixture, "--no-cache", cwd=tmp_path)
    assert run.report["errors"] == []
    return run.report


def _by_address(report: dict[str, Any]) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in report["resources"]}


def _finding(report: dict[str, Any], rule: str, resource: str) -> dict[str, Any]:
    found = [f for f in report["findings"] if f["rule_id"] == rule and f["resource"] == resource]
    assert len(found) == 1, [(f["rule_id"], f["resource"]) for f in report["findings"]]
    return found[0]


def test_each_node_group_is_a_priced_resource_at_its_list_item(tmp_path: Path) -> None:
    """sys: 1 x m6i.xlarge $0.192/h x 730 = $140.16; train-p4d: desiredCapacity 2 x p4d.24xlarge $21.95764/h x 730 =
    $32,058.15; batch-spot (minSize 0, no desiredCapacity) scales from zero; eval-mixed (self-managed, base 1 on
    demand, 0% above): 1 g5.12xlarge on demand $4,140.56 + 1 on spot at 59% below ($1,697.63) = $5,838.19."""
    report = _scan(tmp_path, "ml-dev")
    res = _by_address(report)
    assert not any(s.get("reason", "").startswith("ClusterConfig") for s in report["skipped"])
    got = {a: (r["file"], r["line"], r["region"], r["monthly_cost_usd"]) for a, r in res.items()
           if a.startswith("ClusterConfig/")}
    assert got == {
        "ClusterConfig/ml-dev/managedNodeGroups/sys": (CLUSTER, 21, "us-west-2", 140.16),
        TRAIN: (CLUSTER, 29, "us-west-2", 32058.15),
        "ClusterConfig/ml-dev/managedNodeGroups/batch-spot": (CLUSTER, 49, "us-west-2", None),
        EVAL: (CLUSTER, 59, "us-west-2", 5838.19),
    }
    assert [(c["price_usd"], c["monthly_quantity"]) for c in res[TRAIN]["cost_components"]] == [(21.95764, 1460.0)]
    assert res["ClusterConfig/ml-dev/managedNodeGroups/batch-spot"]["price_notes"][0].startswith(
        "scales from zero (0 now, max 6)")


def test_gpu_rules_apply_to_eksctl_node_groups(tmp_path: Path) -> None:
    """FIN-GPU-001: train-p4d trains on demand, 2 x 21.95764 x 730 x 63% = $20,196.64; eval-mixed keeps half on
    demand, $4,140.56 x 59% = $2,442.93. FIN-GPU-003: minSize 1 in dev (metadata.tags environment: dev), 1 x 21.95764
    x 730 x 70% idle = $11,220.35."""
    report = _scan(tmp_path, "ml-dev")
    train = _finding(report, "FIN-GPU-001", TRAIN)
    assert (train["file"], train["line"], train["monthly_cost_usd"], train["impact"]["monthly_usd"]) == \
        (CLUSTER, 29, 32058.15, 20196.64)
    assert _finding(report, "FIN-GPU-001", EVAL)["impact"]["monthly_usd"] == 2442.93
    idle = _finding(report, "FIN-GPU-003", TRAIN)
    assert idle["impact"]["monthly_usd"] == 11220.35
    assert "tag environment=dev from metadata.tags of ClusterConfig ml-dev" in idle["message"]
    assert not [f for f in report["findings"] if f["rule_id"] == "FIN-GPU-001"
                and f["resource"].endswith("/batch-spot")]  # spot: true


def test_remediations_speak_eksctl_not_terraform(tmp_path: Path) -> None:
    """The fixes named Terraform's capacity_type = "SPOT" and scaling_config min_size, which an eksctl file does
    not have: a managed group is told spot: true, a self-managed one an instancesDistribution, both minSize: 0."""
    report = _scan(tmp_path, "ml-dev")
    managed, unmanaged = _finding(report, "FIN-GPU-001", TRAIN), _finding(report, "FIN-GPU-001", EVAL)
    assert managed["remediation"].startswith("Set spot: true on this managedNodeGroups entry")
    assert unmanaged["remediation"].startswith("Give the node group an instancesDistribution with "
                                               "onDemandBaseCapacity: 0, onDemandPercentageAboveBaseCapacity: 0")
    assert _finding(report, "FIN-GPU-003", TRAIN)["remediation"].startswith(
        "Set minSize: 0 and desiredCapacity: 0 on the node group")
    assert not [f for f in report["findings"] if "capacity_type" in f["remediation"] or "scaling_config" in
                f["remediation"]]


def test_cost_tags_come_from_metadata_tags_and_the_group_tags(tmp_path: Path) -> None:
    """team and environment from metadata.tags, cost-center from the group's tags: only sys lacks cost-center."""
    report = _scan(tmp_path, "ml-dev")
    tagged = [f["resource"] for f in report["findings"] if f["rule_id"] == "FIN-TAG-001"]
    assert tagged == ["ClusterConfig/ml-dev/managedNodeGroups/sys"]
    finding = _finding(report, "FIN-TAG-001", "ClusterConfig/ml-dev/managedNodeGroups/sys")
    assert finding["message"] == ("ClusterConfig/ml-dev/managedNodeGroups/sys has no cost-center cost-allocation tag "
                                  "($140.16/month unattributed)")
    assert "metadata.tags" in finding["remediation"]


def test_pods_selecting_the_group_run_on_it(tmp_path: Path) -> None:
    """The Job selects alpha.eksctl.io/nodegroup-name: train-p4d (eksctl's label): priced on a p4d.24xlarge in
    us-west-2 (1 x 21.95764 x 730 = $16,029.08), linked to the group, and counted once in the total:
    140.16 + 32,058.15 + 5,838.19 = $38,036.50."""
    report = _scan(tmp_path, "ml-dev")
    job = _by_address(report)["Job/ml/llama-finetune"]
    assert (job["region"], job["monthly_cost_usd"], job["links"]["node_pool"]) == ("us-west-2", 16029.08, TRAIN)
    assert TRAIN in _finding(report, "FIN-GPU-001", "Job/ml/llama-finetune")["remediation"]
    assert report["summary"]["monthly_cost_usd"] == 38036.5


def test_templated_cluster_config_says_what_is_unknown(tmp_path: Path) -> None:
    """envsubst placeholders: not priced, and the unknowns say why (no crash, no guessed price)."""
    res = _by_address(_scan(tmp_path, "templated"))
    group = res["ClusterConfig/${CLUSTER_NAME}/managedNodeGroups/gpu"]
    assert (group["line"], group["monthly_cost_usd"]) == (7, None)
    assert group["unknowns"] == [
        "desiredCapacity '${GPU_NODES}' is not a number (a template placeholder?): not read",
        "instance type '${GPU_NODE_TYPE}' is a template placeholder: render the file to price it"]
