"""Pods fitted onto the node pools declared in the same scan: an AKS pool's max pods, and a pool's maximum size
shared by several GPU workloads.

1. AKS reserves 20 MB x max pods + 50 MB of each node's memory (learn.microsoft.com/azure/aks/node-resource-
   reservations). Max pods was assumed 30 (the Azure CNI default) for every node, though the Terraform says it: the
   pool's ``max_pods`` (ARM ``properties.maxPods``), else the cluster's network plugin default (kubenet 110, Azure
   CNI 30, Azure CNI Overlay 250). A Triton pod asking 26Gi fits a Standard_NC4as_T4_v3 (28 GiB) on Azure CNI
   (27.30 GiB allocatable) but not on kubenet (25.81 GiB): that was never said.
2. Commit 125861a says GPU pods beyond their pool's maximum size stay Pending, workload by workload: two Deployments
   of 3 one-GPU replicas on an EKS group of at most four 1-GPU nodes fitted alone, and nothing was said. They are
   now summed per pool.
The AKS fixture is modelled on Azure/terraform-azurerm-aks (main.tf network_profile, extra_node_pool.tf), the EKS one
on the node group of 125861a's test, both with variables, tfvars and tags. Every dollar figure is recomputed from the catalog.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import scan_json, write
from linter.pricing.catalog import Catalog

FIXTURES = Path(__file__).parent / "fixtures" / "precision_pool_capacity"
HOURS = 730
AKS_SOURCE = "learn.microsoft.com/azure/aks/node-resource-reservations"


def _monthly(provider: str, region: str, machine: str, pods: int) -> float:
    price = Catalog().hourly(provider, region, machine)
    assert price is not None
    return round(price.usd_per_hour * HOURS * pods, 2)


def _scan(tmp_path: Path, name: str, edits: list[tuple[str, str, str]] | None = None) -> dict[str, dict[str, Any]]:
    """Scan a copy of a fixture, each of ``edits`` (file, old text, new text) made first."""
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    for file, old, new in edits or []:
        text = (root / file).read_text()
        assert old in text
        (root / file).write_text(text.replace(old, new))
    run = scan_json(".", "--no-cache", cwd=root)
    assert run.report["errors"] == []
    return {r["address"]: r for r in run.report["resources"]}


def test_aks_kubenet_pool_reserves_memory_for_110_pods(tmp_path: Path) -> None:
    """network_plugin = "kubenet" (terraform.tfvars): the T4 pool's nodes run up to 110 pods, so AKS keeps
    20 MB x 110 + 50 MB = 2,250 MB and 100Mi of 28 GiB: 25.81 GiB left, under the pod's 26Gi. It was checked
    against 30 pods (27.30 GiB) and said to fit. The pool fixes the machine, so the pod is still priced as its
    share: 2 x $0.526 x 730 = $767.96."""
    res = _scan(tmp_path, "aks")
    triton = res["Deployment/serving/triton-embeddings"]
    assert (triton["file"], triton["line"], triton["links"]["node_pool"]) == \
        ("manifests/triton.yaml", 1, "azurerm_kubernetes_cluster_node_pool.gpu")
    evidence = triton["compute"]["evidence"]
    assert ("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 25.81 GiB after AKS kube-reserved (max pods 110: the "
            'kubenet default, network_plugin = "kubenet" on azurerm_kubernetes_cluster.main) and 100Mi eviction '
            f"({AKS_SOURCE})") in evidence
    assert "the pod's requests do not fit Standard_NC4as_T4_v3" in evidence
    assert triton["monthly_cost_usd"] == _monthly("azure", "eastus", "Standard_NC4as_T4_v3", 2) == 767.96
    assert round(28 - (20 * 110 + 50) * 1e6 / 2**30 - 100 / 1024, 2) == 25.81 < 26


def test_aks_azure_cni_pool_keeps_30_pods_and_the_pod_fits(tmp_path: Path) -> None:
    """The same cluster on Azure CNI (network_plugin = "azure"): 30 pods, 650 MB reserved, 27.30 GiB left: the
    26Gi pod fits, priced 2 x $0.526 x 730 = $767.96; the basis names the plugin instead of an assumption."""
    res = _scan(tmp_path, "aks", [("terraform.tfvars", 'network_plugin = "kubenet"', 'network_plugin = "azure"')])
    evidence = res["Deployment/serving/triton-embeddings"]["compute"]["evidence"]
    assert ("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 27.30 GiB after AKS kube-reserved (max pods 30: the "
            'Azure CNI default, network_plugin = "azure" on azurerm_kubernetes_cluster.main) and 100Mi eviction '
            f"({AKS_SOURCE})") in evidence
    assert "the pod's requests do not fit Standard_NC4as_T4_v3" not in evidence
    assert res["Deployment/serving/triton-embeddings"]["monthly_cost_usd"] == 767.96


def test_aks_pool_max_pods_wins_over_the_plugin_default_and_overlay_is_250(tmp_path: Path) -> None:
    """A pool's own max_pods (here 50 on kubenet) is its nodes' figure: 20 x 50 + 50 = 1,050 MB, 26.92 GiB left,
    the pod fits. Azure CNI Overlay without max_pods: 250 pods, 5,050 MB, 23.20 GiB left, it does not."""
    res = _scan(tmp_path, "aks", [("main.tf", '  os_sku                = "Ubuntu"\n',
                                   '  os_sku                = "Ubuntu"\n  max_pods              = 50\n')])
    evidence = res["Deployment/serving/triton-embeddings"]["compute"]["evidence"]
    assert any(e.startswith("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 26.92 GiB after AKS kube-reserved (max pods "
                            "50: max_pods of azurerm_kubernetes_cluster_node_pool.gpu)") for e in evidence)
    assert "the pod's requests do not fit Standard_NC4as_T4_v3" not in evidence
    overlay = _scan(tmp_path / "o", "aks", [
        ("terraform.tfvars", 'network_plugin = "kubenet"', 'network_plugin = "azure"'),
        ("main.tf", '    load_balancer_sku = "standard"\n',
         '    load_balancer_sku = "standard"\n    network_plugin_mode = "overlay"\n')])
    evidence = overlay["Deployment/serving/triton-embeddings"]["compute"]["evidence"]
    assert any(e.startswith("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 23.20 GiB after AKS kube-reserved (max pods "
                            '250: the Azure CNI Overlay default, network_plugin = "azure", network_plugin_mode = '
                            '"overlay" on azurerm_kubernetes_cluster.main)') for e in evidence)
    assert "the pod's requests do not fit Standard_NC4as_T4_v3" in evidence


def test_aks_max_pods_known_only_at_apply_keeps_the_stated_assumption(tmp_path: Path) -> None:
    """max_pods from a variable with no value: no default stands in for it; 30 is assumed, as it says."""
    res = _scan(tmp_path, "aks", [
        ("main.tf", '  os_sku                = "Ubuntu"\n',
         '  os_sku                = "Ubuntu"\n  max_pods              = var.gpu_max_pods\n'),
        ("variables.tf", 'variable "tags" {', 'variable "gpu_max_pods" {\n  type = number\n}\n\nvariable "tags" {')])
    evidence = res["Deployment/serving/triton-embeddings"]["compute"]["evidence"]
    assert any(e.startswith("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 27.30 GiB after AKS kube-reserved (max pods "
                            "30 assumed: the Azure CNI default)") for e in evidence)


AVM_AKS = """
# Azure Verified Modules (avm-res-containerservice-managedcluster) write AKS as azapi_resource
locals {
  tags = { team = "ml", "cost-center" = "cc-1", environment = "prod" }
}

resource "azapi_resource" "cluster" {
  type      = "Microsoft.ContainerService/managedClusters@2024-09-01"
  name      = "ml-aks"
  parent_id = "/subscriptions/0000/resourceGroups/ml"
  location  = "eastus"
  tags      = local.tags
  body = {
    properties = {
      dnsPrefix         = "ml"
      agentPoolProfiles = [{ name = "system", mode = "System", vmSize = "Standard_D4s_v5", count = 3 }]
      networkProfile    = { networkPlugin = "azure", networkPluginMode = "overlay", podCidr = "192.168.0.0/16" }
    }
  }
}

resource "azapi_resource" "t4_pool" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2024-09-01"
  name      = "t4"
  parent_id = azapi_resource.cluster.id
  tags      = local.tags
  body = {
    properties = {
      vmSize     = "Standard_NC4as_T4_v3"
      count      = 2
      maxPods    = 110
      nodeLabels = { workload = "embeddings" }
    }
  }
}
"""
EMBED = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: embed
  namespace: serving
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: embed}}
  template:
    metadata: {labels: {app: embed, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {workload: embeddings}
      containers:
        - name: tei
          image: ghcr.io/huggingface/text-embeddings-inference:turing-1.5
          resources:
            requests: {cpu: "3", memory: 26Gi}
            limits: {nvidia.com/gpu: 1}
"""


def test_aks_azapi_agent_pool_max_pods_is_read(tmp_path: Path) -> None:
    """An azapi agent pool's properties.maxPods (110) wins over its overlay cluster's 250: 25.81 GiB left, under
    26Gi. Priced as its share of the pool's node: 2 x $0.526 x 730 = $767.96."""
    write(tmp_path, {"main.tf": AVM_AKS, "embed.yaml": EMBED})
    run = scan_json(".", cwd=tmp_path)
    embed = {r["address"]: r for r in run.report["resources"]}["Deployment/serving/embed"]
    assert embed["links"]["node_pool"] == "azapi_resource.t4_pool"
    assert any(e.startswith("Standard_NC4as_T4_v3 allocatable 3.86 vCPU / 25.81 GiB after AKS kube-reserved (max pods "
                            "110: max_pods of azapi_resource.t4_pool)") for e in embed["compute"]["evidence"])
    assert "the pod's requests do not fit Standard_NC4as_T4_v3" in embed["compute"]["evidence"]
    assert embed["monthly_cost_usd"] == _monthly("azure", "eastus", "Standard_NC4as_T4_v3", 2) == 767.96


def _shared(pool: str, other: str, pods: int) -> str:
    return (f"node pool {pool} has at most 4 node(s) of 1 GPU(s), 4 GPU(s) in all, shared with {other} (3 pods): it "
            f"holds 4 of the 6 pods of 1 GPU(s) these workloads ask for (this one {pods}), the rest stay Pending "
            "unless its maximum size is raised")


def test_gpu_pods_of_two_workloads_beyond_their_shared_pools_max_are_said_to_stay_pending(tmp_path: Path) -> None:
    """vLLM and a reranker, 3 one-GPU replicas each, on an EKS group of at most 4 g5.2xlarge (1 A10G each): each
    fits alone (3 <= 4), together 2 of their 6 pods stay Pending. Each note says so and names the other workload.
    Each is still priced at its pods' share: 3 x $1.212 x 730 = $2,654.28."""
    res = _scan(tmp_path, "eks")
    vllm, tei = res["Deployment/inference/vllm-llama3-8b"], res["Deployment/inference/tei-bge-reranker"]
    assert (vllm["file"], vllm["line"], tei["line"]) == ("manifests/inference.yaml", 1, 27)
    assert vllm["links"]["node_pool"] == tei["links"]["node_pool"] == "aws_eks_node_group.gpu_a10g"
    assert _shared("aws_eks_node_group.gpu_a10g", "Deployment/inference/tei-bge-reranker", 3) in vllm["price_notes"]
    assert _shared("aws_eks_node_group.gpu_a10g", "Deployment/inference/vllm-llama3-8b", 3) in tei["price_notes"]
    assert vllm["monthly_cost_usd"] == tei["monthly_cost_usd"] == _monthly("aws", "us-west-2", "g5.2xlarge", 3) \
        == 2654.28


def test_workloads_that_fit_their_shared_pool_together_get_no_note(tmp_path: Path) -> None:
    """3 + 1 one-GPU pods on at most 4 one-GPU nodes: they fit; nothing is said."""
    res = _scan(tmp_path, "eks", [("manifests/inference.yaml", "  replicas: 3\n  selector:\n    matchLabels: {app: tei",
                                    "  replicas: 1\n  selector:\n    matchLabels: {app: tei")])
    for name in ("vllm-llama3-8b", "tei-bge-reranker"):
        assert not [n for n in res[f"Deployment/inference/{name}"].get("price_notes", []) if "Pending" in n]


def test_one_workload_alone_on_its_pool_keeps_its_own_message(tmp_path: Path) -> None:
    """The reranker moved to CPU nodes (no GPU, another selector): the vLLM Deployment, scaled to 6, is alone on the
    pool and gets the single-workload message of 125861a, naming no other workload."""
    res = _scan(tmp_path, "eks", [
        ("manifests/inference.yaml", "  replicas: 3\n  selector:\n    matchLabels: {app: vllm",
         "  replicas: 6\n  selector:\n    matchLabels: {app: vllm"),
        ("manifests/inference.yaml", "            requests: {cpu: \"2\", memory: 8Gi}\n            limits: "
         "{nvidia.com/gpu: 1}", "            requests: {cpu: \"2\", memory: 8Gi}")])
    vllm = res["Deployment/inference/vllm-llama3-8b"]
    assert "node pool aws_eks_node_group.gpu_a10g has at most 4 node(s) of 1 GPU(s): 4 of these 6 pods of 1 GPU(s) " \
           "fit, the rest stay Pending unless its maximum size is raised" in vllm["price_notes"]
    assert not [n for n in vllm["price_notes"] if "shared with" in n]
    assert not [n for n in res["Deployment/inference/tei-bge-reranker"].get("price_notes", []) if "Pending" in n]
