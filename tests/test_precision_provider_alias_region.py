"""Kubernetes objects a Terraform root applies through an aliased kubectl / kubernetes provider are priced in the
region of the cluster that provider connects to (its ``host``), not in the root's default provider's region or the
config default.

Found on aws-samples/cyrustc-sample, terraform-deepseek-eks-openwebui: two EKS clusters made by the
terraform-aws-modules/eks module, one given ``providers = { aws = aws.llm }`` (us-west-2), one ``aws = aws.frontend``
(ap-east-1); each has its own ``provider "kubectl"`` alias whose host is the module's ``cluster_endpoint``. The
frontend Karpenter NodePool (``provider = kubectl.frontend``) was priced in us-west-2, the default provider's region.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import scan_json, write

FIXTURES = Path(__file__).parent / "fixtures" / "precision_provider_alias_region"
APPLIED = "the cluster the Terraform provider applying it connects to"


def _scan(tmp_path: Path, fixture: str) -> dict[str, dict[str, Any]]:
    shutil.copytree(FIXTURES / fixture, tmp_path / fixture)
    run = scan_json(fixture, "--no-cache", cwd=tmp_path)
    assert run.report["errors"] == []
    return {r["address"]: r for r in run.report["resources"]}


def test_manifest_on_an_aliased_kubectl_provider_is_priced_in_its_clusters_region(tmp_path: Path) -> None:
    """kubectl.eu's host is aws_eks_cluster.eu (provider aws.eu, eu-west-1): 2 pods on g5.xlarge there are
    2 x $1.123/h x 730 h = $1,639.58, not us-east-1's 2 x $1.006 x 730 = $1,468.76 (the config default, as the root
    has clusters in two regions). The kubernetes.us Deployment stays in us-east-1, now said to be its cluster's."""
    res = _scan(tmp_path, "two_clusters")
    llm = res["kubectl_manifest.llm"]
    assert (llm["file"], llm["line"], llm["region"], llm["monthly_cost_usd"]) == \
        ("two_clusters/main.tf", 63, "eu-west-1", 1639.58)
    assert [(c["price_usd"], c["monthly_usd"]) for c in llm["cost_components"]] == [(1.123, 1639.58)]
    assert llm["price_notes"][0] == (
        "region not pinned by node labels; priced in eu-west-1 (the region of aws_eks_cluster.eu "
        f"(two_clusters/main.tf:31), {APPLIED})")
    embeddings = res["kubernetes_deployment_v1.embeddings"]
    assert (embeddings["region"], embeddings["monthly_cost_usd"]) == ("us-east-1", 734.38)  # 1 x 1.006 x 730
    assert embeddings["price_notes"][0] == (
        "region not pinned by node labels; priced in us-east-1 (the region of aws_eks_cluster.us "
        f"(two_clusters/main.tf:23), {APPLIED})")


def test_kubernetes_provider_reading_a_local_modules_output(tmp_path: Path) -> None:
    """kubernetes.eu's host is module.eks_eu.cluster_endpoint, whose cluster the module makes with the aws.eu provider
    it is given (eu-central-1): 3 pods on g4dn.xlarge are 3 x $0.658/h x 730 h = $1,441.02 (was us-east-1:
    3 x 0.526 x 730 = $1,151.94)."""
    res = _scan(tmp_path, "local_module")
    whisper = res["kubernetes_deployment_v1.whisper"]
    assert (whisper["file"], whisper["line"], whisper["region"], whisper["monthly_cost_usd"]) == \
        ("local_module/main.tf", 45, "eu-central-1", 1441.02)
    assert whisper["price_notes"][0] == (
        "region not pinned by node labels; priced in eu-central-1 (the region of module.eks_eu.aws_eks_cluster.this[0] "
        f"(local_module/modules/eks/main.tf:23), {APPLIED})")


def test_unread_registry_module_given_an_aliased_aws_provider(tmp_path: Path) -> None:
    """cyrustc-sample's shape: module.frontend_eks (terraform-aws-modules/eks, not installed) is given
    aws = aws.frontend, var.frontend_vpc_region = ap-east-1; the NodePool applied through kubectl.frontend launches
    c5.large at $0.108/h there ($78.84 a month each), not us-west-2's $0.085. The LLM cluster's objects stay in
    us-west-2 (aws.llm) at the same $1,470.51 ($2.0144/h x 730 h), now said to be module.llm_eks's region."""
    res = _scan(tmp_path, "deepseek_openwebui")
    pool = res["kubectl_manifest.frontend_general_nodepool"]
    assert (pool["file"], pool["line"], pool["region"]) == ("deepseek_openwebui/ui_nodepool.tf", 2, "ap-east-1")
    assert [(c["name"], c["price_usd"]) for c in pool["cost_components"]] == [
        ("Node usage (Linux, on-demand, c5.large)", 0.108)]
    assert pool["price_notes"][0] == (
        "region not pinned by node labels; priced in ap-east-1 (the region of module.frontend_eks (its aws provider "
        f"is aws.frontend, deepseek_openwebui/main.tf:40), {APPLIED})")
    assert "($78.84 a month for each c5.large: $0.108/h x 730 h)" in pool["price_notes"][2]
    llm = res["kubectl_manifest.llm_gpu_deployment[0]"]
    assert (llm["region"], llm["monthly_cost_usd"]) == ("us-west-2", 1470.51)
    assert "(the region of module.llm_eks (its aws provider is aws.llm, deepseek_openwebui/main.tf:30)" \
        in llm["price_notes"][0]


def test_provider_whose_host_names_no_cluster_keeps_the_roots_region(tmp_path: Path) -> None:
    """A host given at apply (a variable with no default) leads to no cluster: the manifest is priced as before,
    in the config default (the root has clusters in two regions), and the note says so."""
    main = (FIXTURES / "two_clusters" / "main.tf").read_text().replace(
        "host                   = aws_eks_cluster.eu.endpoint", "host                   = var.eu_endpoint").replace(
        "base64decode(aws_eks_cluster.eu.certificate_authority[0].data)", "base64decode(var.eu_ca)").replace(
        "aws_eks_cluster.eu.name,", "var.name,")
    variables = (FIXTURES / "two_clusters" / "variables.tf").read_text() + \
        '\nvariable "eu_endpoint" {\n  type = string\n}\n\nvariable "eu_ca" {\n  type = string\n}\n'
    write(tmp_path, {"root/main.tf": main, "root/variables.tf": variables})
    run = scan_json("root", "--no-cache", cwd=tmp_path)
    llm = next(r for r in run.report["resources"] if r["address"] == "kubectl_manifest.llm")
    assert (llm["region"], llm["monthly_cost_usd"]) == ("us-east-1", 1468.76)  # 2 x 1.006 x 730
    assert llm["price_notes"][0] == "region not pinned by node labels; priced in us-east-1 (config default_regions.aws)"


def test_cluster_looked_up_by_a_data_source_is_in_its_providers_region(tmp_path: Path) -> None:
    """The common shape when another stack owns the cluster: ``data "aws_eks_cluster" "eu" { provider = aws.eu }``
    and a kubectl provider whose host is ``data.aws_eks_cluster.eu.endpoint``. The manifests were priced in the
    root's other region (us-east-1, from an S3 bucket); now in eu-west-1: 2 x g5.xlarge at $1.123/h x 730 h."""
    llm = _scan(tmp_path, "data_source")["kubectl_manifest.llm"]
    assert llm["region"] == "eu-west-1"
    assert llm["monthly_cost_usd"] == round(2 * 1.123 * 730, 2)
    assert f"region not pinned by node labels; priced in eu-west-1 (the region of data.aws_eks_cluster.eu (its aws " \
           f"provider is aws.eu, data_source/main.tf:8), {APPLIED})" in llm["price_notes"]
