"""Report totals that do not double count: several findings on one resource overlap, and pods placed on a
node pool declared in the same scan are paid inside that pool's bill."""

from __future__ import annotations

from typing import Any

from linter.model import Finding, Resource

Key = tuple[str, str, str]


def _key(source: str, file: str, address: str) -> Key:
    return source, file, address


def _pools(resources: list[Resource]) -> dict[tuple[str, str], Key]:
    """Node pools in the scan by (file, address), which is what a pod's links name."""
    return {(r.file, r.address): _key(r.source, r.file, r.address) for r in resources
            if r.compute is not None and r.compute.nodes is not None}


def _pool_of(r: Resource) -> tuple[str, str] | None:
    address = r.links.get("node_pool")
    return (r.links.get("node_pool_file", ""), address) if address else None


def spend_total(resources: list[Resource]) -> float:
    """Each resource's monthly cost once; pods on a node pool in the scan are paid inside the pool's bill.

    Per pool the larger of the pool's own cost and the sum of its pods' shares counts: a pool that scales
    from zero has no cost of its own (its pods are its spend), and pods that need more nodes than the
    pool's minimum make it grow.
    """
    pools = _pools(resources)
    own: dict[Key, float] = {}
    on_pool: dict[Key, float] = {}
    total = 0.0
    for r in resources:
        pool = pools.get(_pool_of(r))  # type: ignore[arg-type]
        if pool is not None:
            on_pool[pool] = on_pool.get(pool, 0.0) + (r.monthly_cost_usd or 0)
        elif r.compute is not None and r.compute.nodes is not None:
            key = _key(r.source, r.file, r.address)
            own[key] = own.get(key, 0.0) + (r.monthly_cost_usd or 0)
        else:
            total += r.monthly_cost_usd or 0
    total += sum(max(cost, on_pool.get(key, 0.0)) for key, cost in own.items())
    return round(total, 2)


def savings_total(findings: list[Finding], resources: list[Resource] | None = None) -> float:
    """Per resource the largest saving among its findings.

    Spot, a smaller size and scaling to zero each save part of the same bill; adding them up
    would promise more than fixing the resource can return. (A single figure may exceed the
    resource's own price: stranded GPUs are paid on the node, not in the pod's share.)
    """
    return kind_total(findings, "savings", resources)


class _PoolIndex:
    """Which resources run on which node pool of the scan (and each pool's root module): the same for every kind
    of total, so built once per report."""

    def __init__(self, resources: list[Resource]) -> None:
        pools = _pools(resources)
        self.pool_origin = {_key(r.source, r.file, r.address): r.origin for r in resources
                            if r.compute is not None and r.compute.nodes is not None}
        self.pool_key = {_key(r.source, r.file, r.address): pools[p] for r in resources
                         if (p := _pool_of(r)) in pools}


def kind_total(findings: list[Finding], kind: str, resources: list[Resource] | None = None,
               index: _PoolIndex | None = None) -> float:
    """One figure per resource (the largest of that kind), summed over resources.

    Pods on a node pool declared in the scan save part of the pool's bill: per pool, the larger of the
    pool's own figure and the sum of its pods' figures counts. (``index``: the pools of ``resources``, when
    the caller asks for several kinds.)
    """
    # per resource and root module: a shared module's block reached from two roots is two resources, each billed
    best: dict[tuple[Key, str], float] = {}
    for f in findings:
        if f.impact.kind != kind:
            continue
        # a finding on a count/for_each block (or a shared module) counts per instance, as before grouping
        parts = [(i.resource, i.impact_usd, i.root or f.origin) for i in f.instances] or \
            [(f.resource, f.impact.monthly_usd, f.origin)]
        for address, usd, root in parts:
            if usd is not None:
                key = (_key(f.source, f.file, address), root)
                best[key] = max(best.get(key, 0.0), usd)
    index = index or _PoolIndex(resources or [])
    pool_origin, pool_key = index.pool_origin, index.pool_key
    on_pool: dict[tuple[Key, str], float] = {}
    for key in [k for k in best if k[0] in pool_key]:
        pool = (pool_key[key[0]], pool_origin.get(pool_key[key[0]], ""))  # the pool's own root module
        on_pool[pool] = on_pool.get(pool, 0.0) + best.pop(key)
    for key, value in on_pool.items():
        best[key] = max(best.get(key, 0.0), value)
    return round(sum(best.values()), 2)


def money_totals(findings: list[Finding], resources: list[Resource]) -> dict[str, Any]:
    """The summary's dollar totals and unpriced count, as both the text and the JSON report show them."""
    index = _PoolIndex(resources)
    return {
        "monthly_cost_usd": spend_total(resources),
        "monthly_savings_usd": kind_total(findings, "savings", resources, index),
        "monthly_exposure_usd": kind_total(findings, "exposure", resources, index),
        "monthly_unattributed_usd": kind_total(findings, "unattributed", resources, index),
        "unpriced_resources": sum(1 for r in resources if r.compute is not None and r.monthly_cost_usd is None),
    }
