"""Suggest a smaller machine type for GPU work, from the catalog only."""

from __future__ import annotations

import math

from linter.facts.compute import accelerators_of
from linter.model import Accelerators
from linter.pricing.catalog import Catalog, Discount, Price
from linter.pricing.cost import blend
from linter.records import record


def priced_machines(catalog: Catalog, provider: str, region: str | None, current: str) -> list[tuple[str, dict, Price]]:
    """Machine types with a price in ``region`` other than ``current``, SageMaker ``ml.*`` ones only when
    ``current`` is one."""
    sagemaker = current.startswith("ml.")
    return [m for m in _priced_in(catalog, provider, region, sagemaker) if m[0] != current]


def _priced_in(catalog: Catalog, provider: str, region: str | None, sagemaker: bool) -> list[tuple[str, dict, Price]]:
    """Every priced type of a region, once per catalog (asked for by each savings finding)."""
    memo: dict[tuple[str, str | None, bool], list[tuple[str, dict, Price]]] = \
        catalog.__dict__.setdefault("_priced_in", {})
    key = (provider, region, sagemaker)
    if key not in memo:
        memo[key] = [(name, spec, price) for name, spec in catalog.data(provider).get("machine_types", {}).items()
                     if name.startswith("ml.") == sagemaker
                     and (price := catalog.hourly(provider, region, name)) is not None]
    return memo[key]


def priced_accelerated(catalog: Catalog, provider: str, region: str | None,
                       current: str) -> list[tuple[str, dict, Price, Accelerators]]:
    """``priced_machines`` that have GPUs or other accelerators, each with them, in catalog order: read once per
    catalog (most types have none, and each savings finding used to read every type's again). The accelerators
    are shared: read them, never change them."""
    memo: dict[tuple[str, str | None, bool], list[tuple[str, dict, Price, Accelerators]]] = \
        catalog.__dict__.setdefault("_priced_accelerated", {})
    key = (provider, region, current.startswith("ml."))
    if key not in memo:
        memo[key] = [(name, spec, price, g) for name, spec, g in _accelerated(catalog, provider, key[2])
                     if (price := catalog.hourly(provider, region, name)) is not None]
    return [m for m in memo[key] if m[0] != current]


def _accelerated(catalog: Catalog, provider: str, sagemaker: bool) -> list[tuple[str, dict, Accelerators]]:
    """The catalog's types with accelerators, in catalog order, once per catalog: each region then prices only
    those."""
    memo: dict[tuple[str, bool], list[tuple[str, dict, Accelerators]]] = \
        catalog.__dict__.setdefault("_accelerated", {})
    key = (provider, sagemaker)
    if key not in memo:
        memo[key] = [(name, spec, g) for name, spec in catalog.data(provider).get("machine_types", {}).items()
                     if name.startswith("ml.") == sagemaker and (g := accelerators_of(spec)).kind != "none"]
    return memo[key]


def smaller_gpu_node(catalog: Catalog, provider: str, region: str | None, current: str, gpus: float,
                      model: str | None, memory_gib: float | None) -> tuple[str, float, Price] | None:
    """The cheapest catalog type with the same GPU model and at least ``gpus`` GPUs, cheaper than ``current``."""
    here = catalog.hourly(provider, region, current)
    best: tuple[float, str, float, Price] | None = None
    for name, _spec, price, g in priced_accelerated(catalog, provider, region, current):
        if g.count < gpus:
            continue
        if model and str(g.model or "").upper() != model.upper():
            continue
        if memory_gib and g.memory_gib and float(g.memory_gib) < memory_gib - 2:
            continue
        if here is not None and price.usd_per_hour >= here.usd_per_hour:
            continue
        if best is None or price.usd_per_hour < best[0]:
            best = (price.usd_per_hour, name, g.count, price)
    return None if best is None else (best[1], best[2], best[3])


@record(frozen=True, slots=True)
class EqualCapacity:
    """``per_current`` instances of a smaller type that hold the same GPUs (same model, at least the same memory
    per GPU) as one instance of the current type, and what they cost an hour at a purchase mix."""

    machine_type: str
    spec: dict
    price: Price
    spot: Discount | None
    per_current: int
    hourly: float  # per_current instances, at the purchase mix
    gpu_count: float  # per instance of machine_type
    gpu_model: str | None
    gpu_memory_gib: float | None


def equal_gpu_capacity(catalog: Catalog, provider: str, region: str | None, current: str | None,
                       share: float) -> EqualCapacity | None:
    """The cheapest way to hold one ``current`` instance's GPUs on smaller instances of the same GPU model: N x a
    smaller size with N x its GPUs >= the current GPUs, priced at ``share`` on demand and the rest at the smaller
    type's own spot discount. None when no smaller size of that GPU exists, or its discount is unknown."""
    if not region or not current:
        return None
    spec = catalog.machine(provider, current)
    if spec is None:
        return None
    gpu = accelerators_of(spec)
    if gpu.count <= 1 or gpu.kind != "gpu" or not gpu.model:
        return None
    best: EqualCapacity | None = None
    for name, cand, price, g in priced_accelerated(catalog, provider, region, current):
        if g.kind != "gpu" or not 0 < g.count < gpu.count or str(g.model or "").upper() != gpu.model.upper():
            continue
        if gpu.memory_gib and (g.memory_gib or 0) < gpu.memory_gib:
            continue
        spot = catalog.spot_discount(provider, cand.get("family"), "gpu", region)
        if share < 1 and spot is None:
            continue
        n = math.ceil(gpu.count / g.count)
        hourly = n * price.usd_per_hour * blend(share, spot)
        if best is None or (hourly, n) < (best.hourly, best.per_current):
            best = EqualCapacity(name, cand, price, spot, n, hourly, g.count, g.model, g.memory_gib)
    return best
