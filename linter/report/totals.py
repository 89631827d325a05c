"""Report totals that do not double count: several findings on one resource overlap."""

from __future__ import annotations

from linter.model import Finding


def _key(source: str, file: str, address: str) -> tuple[str, str, str]:
    return source, file, address


def savings_total(findings: list[Finding]) -> float:
    """Per resource the largest saving among its findings.

    Spot, a smaller size and scaling to zero each save part of the same bill; adding them up
    would promise more than fixing the resource can return. (A single figure may exceed the
    resource's own price: stranded GPUs are paid on the node, not in the pod's share.)
    """
    return kind_total(findings, "savings")


def kind_total(findings: list[Finding], kind: str) -> float:
    """One figure per resource (the largest of that kind), summed over resources."""
    best: dict[tuple[str, str, str], float] = {}
    for f in findings:
        if f.impact.kind == kind and f.impact.monthly_usd is not None:
            key = _key(f.source, f.file, f.resource)
            best[key] = max(best.get(key, 0.0), f.impact.monthly_usd)
    return round(sum(best.values()), 2)
