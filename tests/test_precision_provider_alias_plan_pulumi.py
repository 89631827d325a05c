"""Kubernetes objects applied through an aliased kubectl / kubernetes provider are priced in the region of the cluster
that provider connects to in a Terraform plan (``terraform show -json``) too, as the HCL reader does
(tests/test_precision_provider_alias_region.py).

The plan writes each provider configuration's ``host`` as references (``aws_eks_cluster.eu.endpoint``, or
``module.eks_eu.cluster_endpoint`` whose output the configuration follows to ``aws_eks_cluster.this``), and each
resource's ``provider_config_key``; a module given ``providers = { aws = aws.eu }`` has its resources keyed
``aws.eu``. The fixtures are the HCL fixtures' roots with the plan Terraform 1.9 writes for them (cyrustc-sample's
terraform-deepseek-eks-openwebui shape: two EKS clusters, one kubectl/kubernetes alias each). The kubectl provider
marks ``yaml_body`` sensitive, so a plan shows the manifest only in ``yaml_body_parsed``.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import run_cli

FIXTURES = Path(__file__).parent / "fixtures" / "precision_provider_alias_plan_pulumi"
APPLIED = "the cluster the Terraform provider applying it connects to"


def _plan(tmp_path: Path, fixture: str) -> tuple[dict[str, Any], dict[str, dict[str, Any]]]:
    shutil.copytree(FIXTURES / fixture, tmp_path / fixture)
    run = run_cli("plan", "--format", "json", "plan.json", "--fail-on", "none", cwd=tmp_path / fixture)
    assert run.exit_code == 0 and run.report["errors"] == []
    return run.report, {r["address"]: r for r in run.report["resources"]}


def test_plan_manifest_on_an_aliased_kubectl_provider_is_priced_in_its_clusters_region(tmp_path: Path) -> None:
    """kubectl.eu's host references aws_eks_cluster.eu (provider_config_key aws.eu, region = var.eu_region =
    eu-west-1): 2 pods on g5.xlarge are 2 x $1.123/h x 730 h = $1,639.58 (was not priced: yaml_body is sensitive).
    kubernetes.us's Deployment stays in us-east-1, 1 x $1.006 x 730 = $734.38, now said to be its cluster's."""
    report, res = _plan(tmp_path, "two_clusters")
    llm = res["kubectl_manifest.llm"]
    assert (llm["file"], llm["line"], llm["region"], llm["monthly_cost_usd"]) == ("main.tf", 63, "eu-west-1", 1639.58)
    assert [(c["price_usd"], c["monthly_usd"]) for c in llm["cost_components"]] == [(1.123, 1639.58)]
    assert llm["price_notes"][0] == (
        f"region not pinned by node labels; priced in eu-west-1 (the region of aws_eks_cluster.eu (main.tf:31), {APPLIED})")
    row = next(r for r in report["cost_diff"]["resources"] if r["address"] == "kubectl_manifest.llm")
    assert (row["action"], row["after_usd"]) == ("create", 1639.58)
    embeddings = res["kubernetes_deployment_v1.embeddings"]
    assert (embeddings["file"], embeddings["line"], embeddings["region"], embeddings["monthly_cost_usd"]) == \
        ("main.tf", 92, "us-east-1", 734.38)
    assert embeddings["price_notes"][0] == (
        f"region not pinned by node labels; priced in us-east-1 (the region of aws_eks_cluster.us (main.tf:23), {APPLIED})")


def test_plan_kubernetes_provider_reading_a_modules_output(tmp_path: Path) -> None:
    """kubernetes.eu's host references module.eks_eu.cluster_endpoint, the output of aws_eks_cluster.this[0] in a
    module given aws = aws.eu (eu-central-1): 3 pods on g4dn.xlarge are 3 x $0.658/h x 730 h = $1,441.02, not
    us-east-1's 3 x $0.526 x 730 = $1,151.94 (the config default, the plan having clusters in two regions)."""
    report, res = _plan(tmp_path, "local_module")
    whisper = res["kubernetes_deployment_v1.whisper"]
    assert (whisper["file"], whisper["line"], whisper["region"], whisper["monthly_cost_usd"]) == \
        ("main.tf", 45, "eu-central-1", 1441.02)
    assert whisper["price_notes"][0] == (
        "region not pinned by node labels; priced in eu-central-1 (the region of module.eks_eu.aws_eks_cluster.this[0] "
        f"(modules/eks/main.tf:23), {APPLIED})")
    row = next(r for r in report["cost_diff"]["resources"] if r["address"] == "kubernetes_deployment_v1.whisper")
    assert row["after_usd"] == 1441.02
