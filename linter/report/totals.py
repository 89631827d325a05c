"""Report totals that do not double count: several findings on one resource overlap, and pods placed on a
node pool declared in the same scan are paid inside that pool's bill."""

from __future__ import annotations

from linter.model import Finding, Resource

Key = tuple[str, str, str]


def _key(source: str, file: str, address: str) -> Key:
    return source, file, address


def _pools(resources: list[Resource]) -> set[str]:
    return {r.address for r in resources if r.compute is not None and r.compute.nodes is not None}


def spend_total(resources: list[Resource]) -> float:
    """Each resource's monthly cost once; a pod on a node pool in the scan is a share of the pool's cost."""
    pools = _pools(resources)
    return round(sum(r.monthly_cost_usd or 0 for r in resources if r.links.get("node_pool") not in pools), 2)


def savings_total(findings: list[Finding], resources: list[Resource] | None = None) -> float:
    """Per resource the largest saving among its findings.

    Spot, a smaller size and scaling to zero each save part of the same bill; adding them up
    would promise more than fixing the resource can return. (A single figure may exceed the
    resource's own price: stranded GPUs are paid on the node, not in the pod's share.)
    """
    return kind_total(findings, "savings", resources)


def kind_total(findings: list[Finding], kind: str, resources: list[Resource] | None = None) -> float:
    """One figure per resource (the largest of that kind), summed over resources.

    Pods on a node pool declared in the scan save part of the pool's bill: per pool, the larger of the
    pool's own figure and the sum of its pods' figures counts.
    """
    best: dict[Key, float] = {}
    for f in findings:
        if f.impact.kind == kind and f.impact.monthly_usd is not None:
            key = _key(f.source, f.file, f.resource)
            best[key] = max(best.get(key, 0.0), f.impact.monthly_usd)
    pools = _pools(resources or [])
    pool_of = {_key(r.source, r.file, r.address): r.links["node_pool"] for r in resources or []
               if r.links.get("node_pool") in pools}
    on_pool: dict[str, float] = {}
    for key in [k for k in best if k in pool_of]:
        on_pool[pool_of[key]] = on_pool.get(pool_of[key], 0.0) + best.pop(key)
    for key in best:
        if key[2] in on_pool:
            best[key] = max(best[key], on_pool.pop(key[2]))
    return round(sum(best.values()) + sum(on_pool.values()), 2)
