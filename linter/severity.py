"""Severity that knows money: the rule sets a finding's severity, its known monthly impact moves it.

A "high" finding that saves $0.00 a month should not fail ``--fail-on high``, and a $60,000-a-month
saving deserves more attention than the rule's default. Thresholds live in ``severity_by_impact``
(config); an unknown figure leaves the severity alone. Every move is explained in the finding's notes.
"""

from __future__ import annotations

from linter.config import SeverityByImpact
from linter.model import SEVERITY_ORDER

_BY_RANK = {rank: name for name, rank in SEVERITY_ORDER.items()}
KIND_WORD = {"savings": "saving", "exposure": "exposure", "unattributed": "unattributed spend"}


def by_impact(base: str, kind: str, monthly_usd: float | None, policy: SeverityByImpact) -> tuple[str, str | None]:
    """(severity, note) for a finding of severity ``base`` whose ``kind`` figure is ``monthly_usd``."""
    if not policy.enabled or monthly_usd is None:
        return base, None
    rank = SEVERITY_ORDER[base]
    figure = f"{KIND_WORD.get(kind, kind)} ${monthly_usd:,.2f}/mo"
    for name, limit in (("info", policy.info_below), ("low", policy.low_below), ("medium", policy.medium_below)):
        if monthly_usd < limit and rank > SEVERITY_ORDER[name]:
            return name, (f"severity {base} -> {name}: {figure} is under severity_by_impact.{name}_below "
                          f"(${limit:,.0f})")
    if policy.escalate_at is not None and monthly_usd >= policy.escalate_at and rank < SEVERITY_ORDER["critical"]:
        up = _BY_RANK[rank + 1]
        return up, f"severity {base} -> {up}: {figure} is at or above severity_by_impact.escalate_at " \
                   f"(${policy.escalate_at:,.0f})"
    return base, None
