"""Build the compute facet from a machine type: GPUs, size, family, largest-size flag."""

from __future__ import annotations

from linter.model import Accelerators, Compute, Purchase
from linter.pricing.catalog import Catalog


def accelerators_of(spec: dict | None) -> Accelerators:
    if not spec:
        return Accelerators()
    gpu = spec.get("gpu")
    if gpu:
        return Accelerators(model=gpu.get("model"), count=float(gpu.get("count") or 0),
                            memory_gib=gpu.get("memory_gib"), vendor=gpu.get("vendor"), kind="gpu")
    acc = spec.get("accelerator")
    if acc:
        return Accelerators(model=acc.get("model"), count=float(acc.get("count") or 0),
                            memory_gib=acc.get("memory_gib"), vendor=acc.get("vendor"), kind="accelerator")
    return Accelerators()


def is_family_largest(catalog: Catalog, provider: str, machine_type: str, spec: dict | None) -> bool:
    """True for the biggest GPU size of a family that also offers smaller GPU sizes."""
    if not spec or not spec.get("family"):
        return False
    mine = accelerators_of(spec).count
    if mine <= 1:
        return False
    counts = [accelerators_of(s).count for _, s in catalog.family_members(provider, spec["family"])]
    counts = [c for c in counts if c > 0]
    return bool(counts) and mine >= max(counts) and min(counts) < mine


def build_compute(catalog: Catalog, provider: str, instance_type: str | None, *, service: str,
                  region: str | None, count: float | None, purchase: Purchase,
                  on_demand_share: float | None, min_size: int | None = None, max_size: int | None = None,
                  instance_types: list[str] | None = None, extra_gpu: Accelerators | None = None,
                  evidence: list[str] | None = None) -> Compute:
    spec = catalog.machine(provider, instance_type)
    gpu = accelerators_of(spec)
    if extra_gpu is not None and extra_gpu.count:
        gpu = extra_gpu if gpu.count == 0 else gpu
    family = spec.get("family") if spec else (instance_type.split(".")[0] if instance_type and "." in instance_type
                                              else None)
    return Compute(
        service=service, instance_type=catalog.canonical_type(provider, instance_type) if instance_type else None,
        instance_types=instance_types or ([instance_type] if instance_type else []), region=region, count=count,
        min=min_size, max=max_size, autoscaled=max_size is not None and (min_size or 0) != max_size,
        purchase=purchase, on_demand_share=on_demand_share, gpu=gpu,
        vcpus=spec.get("vcpus") if spec else None, memory_gib=spec.get("memory_gib") if spec else None,
        family=family, family_largest=is_family_largest(catalog, provider, instance_type or "", spec),
        evidence=evidence or [],
    )


SPOT_UNKNOWN = "spot or on demand: not known until apply"


def spot_evidence(spot: bool | None, yes: str, no: str) -> str:
    """The evidence line for capacity that is spot (``yes``), on demand (``no``) or not known until apply."""
    return yes if spot else no if spot is False else SPOT_UNKNOWN


def share_of_spot(spot: bool | None) -> float | None:
    """The on-demand share of capacity that is all spot (True), all on demand (False) or not known (None)."""
    return None if spot is None else 0.0 if spot else 1.0


def purchase_of_share(on_demand_share: float | None) -> Purchase:
    if on_demand_share is None:
        return "unknown"
    if on_demand_share >= 1:
        return "on_demand"
    if on_demand_share <= 0:
        return "spot"
    return "mixed"


def within_bounds(desired: int | None, low: int | None, high: int | None, name: str,
                  evidence: list[str]) -> int | None:
    """The size a group runs at: its desired size, which AWS keeps between its minimum and maximum (a desired
    size below the minimum, as in a configuration with a key written twice, runs at the minimum)."""
    if desired is None:
        return low
    if low is not None and desired < low:
        evidence.append(f"{name} {desired} is below the minimum {low}: the group runs at least {low}")
        return low
    if high is not None and desired > high:
        evidence.append(f"{name} {desired} is above the maximum {high}: the group runs at most {high}")
        return high
    return desired


def mixed_on_demand_share(base: float, pct: float, count: float | None) -> float:
    """The on-demand share of a group that mixes on demand and spot (an ASG's instances_distribution, eksctl's
    instancesDistribution): the first ``base`` instances on demand, ``pct`` percent of the rest."""
    n = count or 0
    return pct / 100 if n <= 0 else min(1.0, (min(base, n) + max(0.0, n - base) * pct / 100) / n)
