"""Cost diff and budget gates for a planned change, whatever tool planned it.

A planner (``terraform show -json``, ``pulumi preview --json``) says, per resource, what it does
(``create``, ``update``, ``delete``, ``replace``, ``no-op``, ``read``) and gives the resource as it
is now and as it will be. Readers turn both sides into normalized, priced resources; this module
only compares them, so both planners get the same figures, the same gates and the same report
fields (``cost_diff`` and ``gates`` in the JSON report).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from linter.model import SEVERITY_ORDER, Finding, Record, Resource
from linter.records import record
from linter.report.totals import spend_total

ACTIONS = ("create", "update", "delete", "replace", "no-op", "read")
CHANGING = frozenset({"create", "update", "replace"})  # actions whose result is new configuration to lint


def action_of(actions: list[str]) -> str:
    """One action name from a planner's action list: ``[delete, create]`` (either order) is a replace."""
    names = [str(a) for a in actions]
    if "delete" in names and "create" in names:
        return "replace"
    if len(names) == 1 and names[0] in ACTIONS:
        return names[0]
    for name in ("create", "update", "delete", "read"):  # forget/import variants name their effect first
        if name in names:
            return name
    return "no-op"


@record(kw_only=True, slots=True)
class Change:
    """One resource in a plan: the action, and the priced resource before and after (None when absent)."""

    address: str
    action: str
    before: Resource | None = None
    after: Resource | None = None


@record(kw_only=True, slots=True)
class ResourceDiff(Record):
    address: str
    action: str
    before_usd: float | None
    after_usd: float | None
    delta_usd: float | None


@record(kw_only=True, slots=True)
class CostDiff(Record):
    """Monthly cost of the whole planned state before and after, and each changed resource's share."""

    monthly_before_usd: float
    monthly_after_usd: float
    monthly_delta_usd: float
    resources: list[ResourceDiff] = field(default_factory=list)
    unpriced: list[str] = field(default_factory=list)  # changed compute resources whose price is unknown

    @property
    def delta_percent(self) -> float | None:
        """The change as a percentage of the monthly cost before; None when nothing was spent before."""
        if self.monthly_before_usd <= 0:
            return None
        return round(100 * self.monthly_delta_usd / self.monthly_before_usd, 2)


def _cost(r: Resource | None) -> float | None:
    if r is None:
        return 0.0
    return r.monthly_cost_usd if r.monthly_cost_usd is not None or r.compute is not None else 0.0


def _delta(before: float | None, after: float | None) -> float | None:
    return None if before is None or after is None else round(after - before, 2)


def cost_diff(changes: list[Change]) -> CostDiff:
    """Totals over every resource the plan knows (unchanged ones included, each counted once, pods on a
    node pool inside the pool's bill); the resource list holds the changed resources that carry a price
    or compute, biggest absolute change first (unknown changes last)."""
    before = [c.before for c in changes if c.before is not None and c.action != "read"]
    after = [c.after for c in changes if c.after is not None and c.action != "read"]
    total_before, total_after = spend_total(before), spend_total(after)
    rows: list[ResourceDiff] = []
    unpriced: list[str] = []
    for c in changes:
        if c.action in ("no-op", "read"):
            continue
        priced = [r for r in (c.before, c.after) if r is not None and (r.compute is not None or r.monthly_cost_usd)]
        if not priced:
            continue  # no cost model (IAM, networking glue): nothing to show
        b, a = _cost(c.before), _cost(c.after)
        if (c.before is not None and b is None) or (c.after is not None and a is None):
            unpriced.append(c.address)
        rows.append(ResourceDiff(address=c.address, action=c.action, before_usd=b, after_usd=a, delta_usd=_delta(b, a)))
    rows.sort(key=lambda d: (d.delta_usd is None, -abs(d.delta_usd or 0.0), d.address))
    return CostDiff(monthly_before_usd=total_before, monthly_after_usd=total_after,
                    monthly_delta_usd=round(total_after - total_before, 2), resources=rows, unpriced=unpriced)


@record(kw_only=True)
class GateLimits:
    """Budgets a plan must stay within; None means the gate is off."""

    max_monthly_increase_usd: float | None = None
    max_monthly_increase_percent: float | None = None
    max_monthly_total_usd: float | None = None
    fail_on: str | None = None  # lowest severity that fails the plan ("none" never does)


@record(kw_only=True, slots=True)
class Gate(Record):
    name: str
    limit: Any  # dollars, a percentage, or a severity name
    value: Any
    passed: bool
    note: str | None = None


def evaluate_gates(diff: CostDiff, findings: list[Finding], limits: GateLimits) -> list[Gate]:
    """Every configured gate with the value it saw; a price that is unknown makes a dollar gate's value a
    lower bound, which the note says."""
    gates: list[Gate] = []
    caveat = (f"{len(diff.unpriced)} changed resource(s) have no price, so the real figure may be higher: "
              f"{', '.join(diff.unpriced[:5])}") if diff.unpriced else None
    if limits.max_monthly_increase_usd is not None:
        gates.append(Gate(name="max-monthly-increase", limit=limits.max_monthly_increase_usd,
                          value=diff.monthly_delta_usd,
                          passed=diff.monthly_delta_usd <= limits.max_monthly_increase_usd, note=caveat))
    if limits.max_monthly_increase_percent is not None:
        pct = diff.delta_percent
        if pct is None:
            note = ("no monthly cost before the plan, so an increase has no percentage; "
                    "--max-monthly-increase gates new spend in dollars")
            gates.append(Gate(name="max-monthly-increase-percent", limit=limits.max_monthly_increase_percent,
                              value=None, passed=True, note=note))
        else:
            gates.append(Gate(name="max-monthly-increase-percent", limit=limits.max_monthly_increase_percent,
                              value=pct, passed=pct <= limits.max_monthly_increase_percent, note=caveat))
    if limits.max_monthly_total_usd is not None:
        gates.append(Gate(name="max-monthly-total", limit=limits.max_monthly_total_usd, value=diff.monthly_after_usd,
                          passed=diff.monthly_after_usd <= limits.max_monthly_total_usd, note=caveat))
    if limits.fail_on is not None:
        at_or_above = 0 if limits.fail_on == "none" else sum(
            1 for f in findings if SEVERITY_ORDER[f.severity] >= SEVERITY_ORDER[limits.fail_on])
        gates.append(Gate(name="fail-on", limit=limits.fail_on, value=at_or_above, passed=at_or_above == 0,
                          note=f"findings at or above {limits.fail_on}" if limits.fail_on != "none" else None))
    return gates


def report_fields(diff: CostDiff, gates: list[Gate]) -> dict[str, Any]:
    """The JSON report's ``cost_diff`` and ``gates`` (schema_version 1)."""
    data = diff.to_dict()
    return {"cost_diff": data, "gates": [g.to_dict(exclude_none=True) for g in gates]}


def _money(v: float | None, signed: bool = False) -> str:
    if v is None:
        return "unknown"
    return f"{'+' if signed and v > 0 else '-' if v < 0 else ''}${abs(v):,.2f}"


def _gate_value(name: str, v: Any) -> str:
    if v is None:
        return "n/a"
    if name.endswith("percent"):
        return f"{v:g}%"
    if isinstance(v, (int, float)) and name != "fail-on":
        return _money(v)
    return str(v)


def render_diff(diff: CostDiff) -> list[str]:
    """The diff as a reviewer reads it: the total first, then the biggest changes."""
    pct = diff.delta_percent
    lines = [f"Monthly cost: {_money(diff.monthly_before_usd)} -> {_money(diff.monthly_after_usd)} "
             f"({_money(diff.monthly_delta_usd, signed=True)}/mo" + (f", {pct:+.1f}%" if pct is not None else "") + ")"]
    width = max((len(d.address) for d in diff.resources), default=0)
    for d in diff.resources:
        lines.append(f"  {_money(d.delta_usd, signed=True) + '/mo':>16}  {d.action:<8} {d.address:<{width}}  "
                     f"{_money(d.before_usd)} -> {_money(d.after_usd)}")
    if diff.unpriced:
        lines.append(f"  price unknown for {len(diff.unpriced)} changed resource(s), left out of the totals: "
                     f"{', '.join(diff.unpriced)}")
    return lines


def describe(g: Gate) -> str:
    """``gate NAME: passed|FAILED (value against the limit)``, as the text report and stderr say it."""
    state = "passed" if g.passed else "FAILED"
    if g.name == "fail-on":
        return f"gate fail-on: {state} ({g.value} finding(s) at or above {g.limit})"
    return (f"gate {g.name}: {state} ({_gate_value(g.name, g.value)} against a limit of "
            f"{_gate_value(g.name, g.limit)})" + (f"; {g.note}" if g.note else ""))


def render_gates(gates: list[Gate]) -> list[str]:
    """One line per gate: which passed, which failed, the value against the limit."""
    return [describe(g) for g in gates]


def render_text(diff: CostDiff, gates: list[Gate]) -> str:
    return "\n".join([*render_diff(diff), *render_gates(gates)])
