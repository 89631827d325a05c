"""A pod lands on a node whose *allocatable* CPU and memory hold its requests, not its machine's raw size.

The kubelet's kube-reserved, system-reserved and hard eviction threshold are taken off a node before the scheduler
places pods, by each cloud's documented formula (linter/pricing/allocatable.py): a vLLM pod asking 62Gi "fitted" a
g6.4xlarge (64 GiB) and was priced one size too small, though EKS leaves pods 61.14 GiB of it. The same on GKE (g2,
GKE's memory tiers) and AKS (NCasT4_v3, 20 MB x max pods + 50 MB). Every figure is recomputed from the catalog.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import scan_json
from linter.pricing.catalog import Catalog

FIXTURES = Path(__file__).parent / "fixtures" / "precision_node_allocatable"
HOURS = 730


@pytest.fixture(scope="module")
def resources(tmp_path_factory: pytest.TempPathFactory) -> dict[str, dict[str, Any]]:
    root = tmp_path_factory.mktemp("alloc")
    shutil.copytree(FIXTURES, root / "k8s")
    run = scan_json("k8s", "--no-cache", cwd=root)
    assert run.report["errors"] == []
    return {r["address"]: r for r in run.report["resources"]}


def _monthly(provider: str, region: str, machine: str, pods: int) -> float:
    price = Catalog().hourly(provider, region, machine)
    assert price is not None
    return round(price.usd_per_hour * HOURS * pods, 2)


def test_eks_vllm_pod_over_g6_4xlarge_allocatable_memory_lands_on_g6_8xlarge(
        resources: dict[str, dict[str, Any]]) -> None:
    """62Gi < 64 GiB but > 64 - (11 x 234 + 255) MiB - 100Mi = 61.14 GiB (max pods 234 = 8 ENIs x 29 + 2): the
    pods land on g6.8xlarge, 2 x $2.0144 x 730 = $2,941.02 (was g6.4xlarge, 2 x $1.3232 x 730 = $1,931.87)."""
    vllm = resources["Deployment/inference/vllm-llama31-8b"]
    assert (vllm["file"], vllm["line"], vllm["compute"]["instance_type"]) == ("k8s/eks-vllm.yaml", 3, "g6.8xlarge")
    assert vllm["monthly_cost_usd"] == _monthly("aws", "us-east-1", "g6.8xlarge", 2) == 2941.02
    assert "g6.8xlarge allocatable 31.85 vCPU / 125.14 GiB after EKS kube-reserved (max pods 234) and 100Mi " \
           "eviction (awslabs/amazon-eks-ami nodeadm)" in vllm["compute"]["evidence"]


def test_eks_pod_within_allocatable_still_fits_g6_4xlarge(resources: dict[str, dict[str, Any]]) -> None:
    """60Gi and 14 vCPU are within g6.4xlarge's 61.14 GiB / 15.89 vCPU: it stays there, $1.3232 x 730 = $965.94."""
    canary = resources["Deployment/inference/vllm-llama31-8b-canary"]
    assert (canary["line"], canary["compute"]["instance_type"]) == (52, "g6.4xlarge")
    assert canary["monthly_cost_usd"] == _monthly("aws", "us-east-1", "g6.4xlarge", 1) == 965.94
    assert "g6.4xlarge allocatable 15.89 vCPU / 61.14 GiB after EKS kube-reserved (max pods 234) and 100Mi " \
           "eviction (awslabs/amazon-eks-ami nodeadm)" in canary["compute"]["evidence"]


def test_gke_training_job_over_g2_standard_8_allocatable_lands_on_g2_standard_12(
        resources: dict[str, dict[str, Any]]) -> None:
    """GKE keeps 25% of the first 4 GiB, 20% of the next 4, 10% of the next 8 and 6% of the next 16 of a 32 GB
    g2-standard-8, plus 100Mi: 28.34 GiB left, under the Job's 30Gi. g2-standard-12: $1.000416287 x 730 = $730.30
    (was g2-standard-8, $623.15)."""
    job = resources["Job/training/lora-finetune-gemma2-9b"]
    assert (job["file"], job["line"], job["compute"]["instance_type"]) == \
        ("k8s/gke-finetune.yaml", 3, "g2-standard-12")
    assert job["monthly_cost_usd"] == _monthly("gcp", "us-central1", "g2-standard-12", 1) == 730.3
    assert [c["name"] for c in job["cost_components"]] == ["Pod share of g2-standard-12 (1 of 1 GPUs), on-demand"]
    assert "g2-standard-12 allocatable 11.90 vCPU / 43.38 GiB after GKE's memory and CPU reservations and 100Mi " \
           "eviction (cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes)" in job["compute"]["evidence"]
    from linter.pricing.allocatable import allocatable

    g2_8 = allocatable("gcp", Catalog().machine("gcp", "g2-standard-8"))
    assert g2_8 is not None and round(g2_8.memory_gib, 2) == 28.34 < 30 < 32


def test_aks_triton_over_nc4as_t4_allocatable_lands_on_nc8as_t4(resources: dict[str, dict[str, Any]]) -> None:
    """AKS reserves 20 MB x 30 pods + 50 MB (650 MB, the Azure CNI default max pods) and 100Mi of a 28 GiB
    Standard_NC4as_T4_v3: 27.30 GiB left, under 27.5Gi. Standard_NC8as_T4_v3: 3 x $0.752 x 730 = $1,646.88 (was
    NC4as, 3 x $0.526 x 730 = $1,151.94)."""
    triton = resources["Deployment/serving/triton-embeddings"]
    assert (triton["file"], triton["line"], triton["compute"]["instance_type"]) == \
        ("k8s/aks-triton.yaml", 3, "Standard_NC8as_T4_v3")
    assert triton["monthly_cost_usd"] == _monthly("azure", "eastus", "Standard_NC8as_T4_v3", 3) == 1646.88
    assert any(e.startswith("Standard_NC8as_T4_v3 allocatable 7.82 vCPU / 55.30 GiB after AKS kube-reserved (max "
                            "pods 30 assumed: the Azure CNI default)") for e in triton["compute"]["evidence"])
    from linter.pricing.allocatable import allocatable

    nc4 = allocatable("azure", Catalog().machine("azure", "Standard_NC4as_T4_v3"))
    assert nc4 is not None and round(nc4.memory_gib, 2) == 27.30 and round(nc4.vcpus, 2) == 3.86


def test_documented_reservation_figures() -> None:
    """The pages' own examples: AKS's CPU table (16 cores: 260m; 64: 740m), EKS nodeadm's 16-vCPU kube-reserved CPU
    (60 + 10 + 10 + 30 = 110m), GKE's sub-1-GiB machines (255 MiB); an EC2 type without max pods keeps the strict
    rule (no allocatable)."""
    from linter.pricing.allocatable import allocatable

    assert round(16 - allocatable("azure", {"vcpus": 16, "memory_gib": 64.0}).vcpus, 3) == 0.26  # type: ignore[union-attr]
    assert round(64 - allocatable("azure", {"vcpus": 64, "memory_gib": 256.0}).vcpus, 3) == 0.74  # type: ignore[union-attr]
    assert round(16 - allocatable("aws", {"vcpus": 16, "memory_gib": 64.0, "eks_max_pods": 234}).vcpus, 3) == 0.11  # type: ignore[union-attr]
    micro = allocatable("gcp", {"vcpus": 2, "memory_gib": 0.6})
    assert micro is not None and round((0.6 - micro.memory_gib) * 1024) == 355  # 255 MiB + 100 MiB eviction
    assert allocatable("aws", Catalog().machine("aws", "p3.2xlarge")) is None
