"""Human text report: findings grouped by file, with line, rule, message and monthly figure."""

from __future__ import annotations

from linter.engine import ScanResult
from linter.grouping import where as resource_note
from linter.model import Finding
from linter.report.summary import money as _money
from linter.report.totals import money_totals

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_USAGE_LINES = ("usage:", "exposure =", "ceiling =")  # shown under every exposure figure, even without -v


def _impact(f: Finding) -> str:
    kind = {"savings": "save", "exposure": "exposure", "unattributed": "unattributed"}[f.impact.kind]
    if f.impact.monthly_usd is None:
        return f"{kind}: amount unknown (see assumptions with -v)"
    return f"{kind} {_money(f.impact.monthly_usd)}/mo"


def _cost(f: Finding) -> str:
    return "cost unknown" if f.monthly_cost_usd is None else f"costs {_money(f.monthly_cost_usd)}/mo"


def render(result: ScanResult, color: bool = False, verbose: bool = False) -> str:
    def paint(text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if color else text

    lines: list[str] = []
    current = None
    for f in result.findings:
        if f.file != current:
            if current is not None:
                lines.append("")
            lines.append(paint(f.file, _BOLD))
            current = f.file
        sev = paint(f"{f.severity:<8}", _COLORS.get(f.severity, ""))
        lines.append(f"  {f.line:>5}  {sev} {f.rule_id}  {f.message}")
        lines.append(f"         {'':8} {'':11} {_cost(f)}; {_impact(f)}  {resource_note(f)}")
        if verbose:
            lines.append(f"         {'':8} {'':11} fix: {f.remediation}")
            for a in f.impact.assumptions:
                lines.append(f"         {'':8} {'':11} - {a}")
        elif f.impact.kind == "exposure" and f.impact.monthly_usd is not None:  # the usage behind the figure
            for a in f.impact.assumptions:
                if a.startswith(_USAGE_LINES):
                    lines.append(f"         {'':8} {'':11} - {a}")
    if result.errors:
        lines.append("")
        lines.append(paint("errors:", _BOLD))
        for e in result.errors:
            lines.append(f"  {e.one_line()}")
    if result.skipped:
        lines.append("")
        lines.append("not scanned:")
        for s in result.skipped:
            where = f"{s.file}:{s.line}" if s.line else s.file
            lines.append(f"  {where}: {s.reason}")
    money = money_totals(result.findings, result.resources)
    savings, exposure = money["monthly_savings_usd"], money["monthly_exposure_usd"]
    unattributed, total, unpriced = money["monthly_unattributed_usd"], money["monthly_cost_usd"], \
        money["unpriced_resources"]
    if lines:
        lines.append("")
    summary = (f"{len(result.findings)} finding(s) in {len(result.resources)} resource(s); "
               f"priced spend {_money(total)}/mo; potential savings {_money(savings)}/mo")
    if exposure:
        summary += f"; uncapped exposure {_money(exposure)}/mo"
    if unattributed:
        summary += f"; unattributed {_money(unattributed)}/mo"
    if unpriced:
        summary += f"; {unpriced} compute resource(s) with unknown price"
    if result.suppressed or result.baselined:
        summary += f" ({result.suppressed} suppressed, {result.baselined} in baseline)"
    lines.append(paint(summary, _BOLD))
    return "\n".join(lines)
