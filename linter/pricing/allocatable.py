"""What a Kubernetes node offers pods: its machine's vCPUs and memory less the reservations its cloud documents.

The scheduler places a pod only where its requests fit the node's *allocatable* (capacity - kube-reserved -
system-reserved - the hard eviction threshold), so a pod asking 15.5 vCPU / 60 GiB never lands on a 16 vCPU / 64 GiB
node. Each managed offering reserves by its own published formula:

* GKE - cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes ("Memory and CPU reservations").
* AKS - learn.microsoft.com/azure/aks/node-resource-reservations (AKS 1.29 and later): kube-reserved memory
  20 MB x max pods + 50 MB. Max pods is a property of the node pool: a pod on a pool declared in the scan gets the
  pool's (``max_pods``, else its cluster's network plugin default: kubenet 110 and Azure CNI 30,
  learn.microsoft.com/azure/aks/concepts-network-legacy-cni "Maximum pods per node"; Azure CNI Overlay 250,
  learn.microsoft.com/azure/aks/azure-cni-overlay), put on the machine's spec by :func:`on_pool`. Elsewhere the
  smallest documented default (30, Azure CNI) is assumed, i.e. the largest allocatable, so a pod is moved up a size
  only when no default pool would hold it.
* EKS - awslabs/amazon-eks-ami nodeadm (nodeadm/internal/kubelet/config.go): kube-reserved memory 11 MiB x max pods
  + 255 MiB, CPU by GKE's tiers, evictionHard memory.available 100Mi; max pods per type from the AMI's
  instance-info.jsonl (the catalog's ``eks_max_pods``). Karpenter on AWS computes kube-reserved the same way; its
  extra VM memory overhead estimate (vmMemoryOverheadPercent) is a scheduling margin of Karpenter's, not modelled.

A machine whose reservation is not known (an EC2 type without max pods, an unknown cloud) keeps the older rule: a
pod asking for all of a vCPU count or memory size does not fit, anything less does.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from itertools import pairwise
from typing import Any

MIB = 1 / 1024  # GiB
MB = 1e6 / 2**30  # GiB: AKS's page writes decimal MB
EVICTION_GIB = 100 * MIB  # memory.available<100Mi, the hard eviction threshold of all three
GKE_SOURCE = "cloud.google.com/kubernetes-engine/docs/concepts/plan-node-sizes"
AKS_SOURCE = "learn.microsoft.com/azure/aks/node-resource-reservations"
EKS_SOURCE = "awslabs/amazon-eks-ami nodeadm"
AKS_DEFAULT_MAX_PODS = 30
# (cores up to, share of each core in the tier): 6% of the first core, 1% of the next, 0.5% of the next 2, 0.25% above
_CPU_TIERS = ((1.0, 0.06), (2.0, 0.01), (4.0, 0.005), (float("inf"), 0.0025))
_GKE_MEMORY_TIERS = ((4.0, 0.25), (8.0, 0.20), (16.0, 0.10), (128.0, 0.06), (float("inf"), 0.02))
# AKS's CPU table: kube-reserved millicores at 1, 2, 4, 8, 16, 32, 64 cores (linear between, 10m a core beyond)
_AKS_CPU = ((0.0, 0.0), (1.0, 60.0), (2.0, 100.0), (4.0, 140.0), (8.0, 180.0), (16.0, 260.0), (32.0, 420.0),
            (64.0, 740.0))


@dataclass(frozen=True)
class Allocatable:
    vcpus: float
    memory_gib: float
    basis: str  # "after EKS kube-reserved (max pods 234) and 100Mi eviction (awslabs/amazon-eks-ami nodeadm)"

    def describe(self, machine: str) -> str:
        return f"{machine} allocatable {self.vcpus:.2f} vCPU / {self.memory_gib:.2f} GiB {self.basis}"


def _tiered(total: float, tiers: tuple[tuple[float, float], ...]) -> float:
    reserved, start = 0.0, 0.0
    for end, share in tiers:
        if total <= start:
            break
        reserved += (min(total, end) - start) * share
        start = end
    return reserved


def _aks_cpu(cores: float) -> float:
    for (lo, lo_m), (hi, hi_m) in pairwise(_AKS_CPU):
        if cores <= hi:
            return (lo_m + (cores - lo) * (hi_m - lo_m) / (hi - lo)) / 1000
    return (_AKS_CPU[-1][1] + (cores - _AKS_CPU[-1][0]) * 10) / 1000


def on_pool(spec: dict[str, Any] | None, max_pods: int | None, basis: str | None) -> dict[str, Any] | None:
    """A machine's spec as a node of a pool whose max pods per node is known (AKS): a copy, the catalog's own spec
    is shared."""
    if spec is None or not max_pods:
        return spec
    return {**spec, "pool_max_pods": max_pods, "pool_max_pods_basis": basis or "the node pool's"}


def allocatable(provider: str | None, spec: dict[str, Any] | None) -> Allocatable | None:
    """The node's allocatable CPU and memory on ``provider``'s managed Kubernetes; None when not known."""
    if not spec or not spec.get("vcpus") or not spec.get("memory_gib"):
        return None
    return _allocatable(provider, float(spec["vcpus"]), float(spec["memory_gib"]), spec.get("eks_max_pods"),
                        spec.get("pool_max_pods"), spec.get("pool_max_pods_basis"))


@lru_cache(maxsize=1024)  # asked for every candidate machine of every pod: a few hundred distinct machines
def _allocatable(provider: str | None, cores: float, memory: float, eks_max_pods: Any, pool_max_pods: Any = None,
                 pool_basis: str | None = None) -> Allocatable | None:
    if provider == "gcp":
        kube = 255 * MIB if memory < 1 else _tiered(memory, _GKE_MEMORY_TIERS)
        return Allocatable(cores - _tiered(cores, _CPU_TIERS), memory - kube - EVICTION_GIB,
                           f"after GKE's memory and CPU reservations and 100Mi eviction ({GKE_SOURCE})")
    if provider == "azure":
        pods, why = (int(pool_max_pods), f": {pool_basis}") if pool_max_pods else \
            (AKS_DEFAULT_MAX_PODS, " assumed: the Azure CNI default")
        kube = min(20 * MB * pods + 50 * MB, 0.25 * memory)
        return Allocatable(cores - _aks_cpu(cores), memory - kube - EVICTION_GIB,
                           f"after AKS kube-reserved (max pods {pods}{why}) and 100Mi eviction ({AKS_SOURCE})")
    if provider == "aws" and eks_max_pods:
        pods = int(eks_max_pods)
        return Allocatable(cores - _tiered(cores, _CPU_TIERS), memory - (11 * pods + 255) * MIB - EVICTION_GIB,
                           f"after EKS kube-reserved (max pods {pods}) and 100Mi eviction ({EKS_SOURCE})")
    return None


def holds(provider: str | None, spec: dict[str, Any], vcpus: float | None, memory_gib: float | None) -> bool:
    """Whether a pod's CPU and memory requests fit the machine's allocatable (requests <= allocatable)."""
    alloc = allocatable(provider, spec)
    for wanted, size, free in ((vcpus, spec.get("vcpus"), alloc and alloc.vcpus),
                               (memory_gib, spec.get("memory_gib"), alloc and alloc.memory_gib)):
        if not wanted or not size:
            continue
        if (wanted > free) if free is not None else (float(size) <= wanted):
            return False
    return True
