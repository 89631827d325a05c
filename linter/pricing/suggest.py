"""Suggest a smaller machine type for GPU work, from the catalog only."""

from __future__ import annotations

from dataclasses import dataclass

from linter.facts.compute import accelerators_of
from linter.pricing.catalog import Catalog, Price


@dataclass(frozen=True, slots=True)
class Suggestion:
    machine_type: str
    price: Price
    gpu_count: float
    gpu_model: str | None
    gpu_memory_gib: float | None
    reason: str


def priced_machines(catalog: Catalog, provider: str, region: str | None, current: str) -> list[tuple[str, dict, Price]]:
    """Machine types with a price in ``region`` other than ``current``, SageMaker ``ml.*`` ones only when
    ``current`` is one."""
    sagemaker = current.startswith("ml.")
    out = []
    for name, spec in catalog.data(provider).get("machine_types", {}).items():
        if name == current or name.startswith("ml.") != sagemaker:
            continue
        price = catalog.hourly(provider, region, name)
        if price is not None:
            out.append((name, spec, price))
    return out


def smaller_gpu_type(catalog: Catalog, provider: str, region: str | None, current: str | None,
                     single_gpu: bool) -> Suggestion | None:
    """``single_gpu``: one GPU with at least the current per-GPU memory (batch inference, ETL,
    evaluation parallelise across instances); otherwise the next size down in the family."""
    if not region or not current:
        return None
    spec = catalog.machine(provider, current)
    here = catalog.hourly(provider, region, current)
    if spec is None or here is None:
        return None
    gpu = accelerators_of(spec)
    if gpu.count <= 1 or gpu.kind != "gpu":
        return None
    options = []
    for name, cand, price in priced_machines(catalog, provider, region, current):
        g = accelerators_of(cand)
        if g.kind != "gpu" or g.count <= 0 or g.count >= gpu.count or price.usd_per_hour >= here.usd_per_hour:
            continue
        if single_gpu:
            if g.count != 1 or (gpu.memory_gib and (g.memory_gib or 0) < gpu.memory_gib):
                continue
            same_family = cand.get("family") == spec.get("family")
            options.append((not same_family, price.usd_per_hour, name, cand, price))
        elif cand.get("family") == spec.get("family"):
            options.append((-g.count, price.usd_per_hour, name, cand, price))
    if not options:
        return None
    options.sort(key=lambda o: (o[0], o[1]))
    _, _, name, cand, price = options[0]
    g = accelerators_of(cand)
    if single_gpu:
        reason = (f"one {g.model} ({g.memory_gib:g} GiB) per instance holds what one of the {gpu.count:g} "
                  f"{gpu.model} GPUs holds; scale out instances instead of GPUs per instance"
                  if g.memory_gib and gpu.memory_gib else f"one {g.model} per instance")
    else:
        reason = f"the next size down in the {spec.get('family')} family ({g.count:g}x {g.model})"
    return Suggestion(name, price, g.count, g.model, g.memory_gib, reason)


def smaller_gpu_node(catalog: Catalog, provider: str, region: str | None, current: str, gpus: float,
                      model: str | None, memory_gib: float | None) -> tuple[str, float, Price] | None:
    """The cheapest catalog type with the same GPU model and at least ``gpus`` GPUs, cheaper than ``current``."""
    here = catalog.hourly(provider, region, current)
    best: tuple[float, str, float, Price] | None = None
    for name, spec, price in priced_machines(catalog, provider, region, current):
        g = accelerators_of(spec)
        if g.kind == "none" or g.count < gpus:
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
