"""What the markdown report and the PR comment show, computed once from the JSON report dict:
totals, money per severity and per rule (one figure per resource, as the summary counts it),
findings grouped by file, and the plan's cost diff and gates when the report has them."""

from __future__ import annotations

from typing import Any

from linter.model import SEVERITY_ORDER

SEVERITIES = sorted(SEVERITY_ORDER, key=SEVERITY_ORDER.__getitem__, reverse=True)


def money(value: float | None) -> str:
    """USD for people: ``$1,234.56``; unknown stays unknown."""
    return "unknown" if value is None else f"${value:,.2f}"


def signed(value: float | None) -> str:
    if value is None:
        return "unknown"
    return ("+" if value > 0 else "-" if value < 0 else "±") + money(abs(value))


def _per_resource(findings: list[dict[str, Any]], kind: str) -> float:
    """The largest figure of ``kind`` per resource, summed: fixes on one resource save parts of one bill."""
    best: dict[tuple[str, str], float] = {}
    for f in findings:
        impact = f.get("impact") or {}
        if impact.get("kind") == kind and impact.get("monthly_usd") is not None:
            key = (f.get("file", ""), f.get("resource", ""))
            best[key] = max(best.get(key, 0.0), float(impact["monthly_usd"]))
    return round(sum(best.values()), 2)


def impact_text(f: dict[str, Any]) -> str:
    impact = f.get("impact") or {}
    label = {"savings": "save", "exposure": "exposure", "unattributed": "unattributed"}.get(impact.get("kind"), "")
    return f"{label} {money(impact.get('monthly_usd'))}/mo".strip()


def summarize(report: dict[str, Any], base: dict[str, Any] | None = None) -> dict[str, Any]:
    """The template context. ``base`` is the report of the base branch, for the cost delta of a scan."""
    findings = list(report.get("findings", []))
    summary = report.get("summary", {})
    by_sev = []
    for sev in SEVERITIES:
        group = [f for f in findings if f.get("severity") == sev]
        if group:
            by_sev.append({"severity": sev, "count": len(group), "savings": _per_resource(group, "savings"),
                           "exposure": _per_resource(group, "exposure")})
    by_rule = []
    for rule_id in sorted({f["rule_id"] for f in findings}):
        group = [f for f in findings if f["rule_id"] == rule_id]
        by_rule.append({"rule_id": rule_id, "rule": group[0].get("rule", ""), "count": len(group),
                        "savings": _per_resource(group, "savings"), "exposure": _per_resource(group, "exposure")})
    files: dict[str, list[dict[str, Any]]] = {}
    for f in sorted(findings, key=lambda f: (f.get("file", ""), f.get("line", 0), f["rule_id"])):
        files.setdefault(f.get("file", ""), []).append(f)
    cost_diff = report.get("cost_diff")
    total = summary.get("monthly_cost_usd")
    delta = None
    before = None
    if cost_diff:
        total = cost_diff.get("monthly_after_usd", total)
        before = cost_diff.get("monthly_before_usd")
        delta = cost_diff.get("monthly_delta_usd")
    elif base is not None:
        before = base.get("summary", {}).get("monthly_cost_usd")
        delta = None if before is None or total is None else round(total - before, 2)
    return {
        "summary": summary, "findings": findings, "by_severity": by_sev, "by_rule": by_rule,
        "files": [{"file": name, "findings": items} for name, items in files.items()],
        "total": total, "before": before, "delta": delta, "cost_diff": cost_diff,
        "gates": report.get("gates") or [], "errors": report.get("errors") or [],
        "tool": report.get("tool", {}),
    }
