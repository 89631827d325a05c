"""Human text report: findings grouped by file, with line, rule, message, monthly figure and why.

Lines fit the terminal (wrapped under the message, never a suffix repeating the resource); colour
follows the terminal conventions (``--color``/``--no-color``, then NO_COLOR, then FORCE_COLOR, then
whether stdout is a TTY). Errors and warnings go to stderr (the CLI prints them); the report keeps
their count in the summary, and their text only when it is written to a file.
"""

from __future__ import annotations

import os
import sys
import textwrap

from linter.engine import ScanResult
from linter.grouping import call_paths, instance_keys
from linter.model import Finding, Resource
from linter.report.summary import money as _money
from linter.report.totals import money_totals

_COLORS = {"critical": "\033[1;31m", "high": "\033[31m", "medium": "\033[33m", "low": "\033[36m", "info": "\033[2m"}
_RESET = "\033[0m"
_BOLD = "\033[1m"
_DIM = "\033[2m"
_MIN_WIDTH = 60
_USAGE_LINES = ("usage:", "exposure =", "ceiling =")  # shown under every exposure figure, even without -v


def wants_color(flag: bool | None, output: str | None) -> bool:
    """``--color``/``--no-color`` win; else NO_COLOR (any value) turns colour off and FORCE_COLOR (other than
    "0") turns it on, as https://no-color.org and https://force-color.org ask; else colour on a TTY."""
    if flag is not None:
        return flag
    if os.environ.get("NO_COLOR"):
        return False
    if os.environ.get("FORCE_COLOR", "0") not in ("", "0"):
        return True
    return output is None and sys.stdout.isatty()


def terminal_width(output: str | None = None) -> int | None:
    """Columns to wrap to: the terminal's (or COLUMNS) when printing to one; None (no wrapping) for files
    and pipes, so CI logs and grep see one line per message."""
    if output is not None:
        return None
    if os.environ.get("COLUMNS") or sys.stdout.isatty():
        import shutil

        return max(_MIN_WIDTH, shutil.get_terminal_size().columns)
    return None


def _impact(f: Finding, verbose: bool) -> str:
    kind = {"savings": "save", "exposure": "exposure", "unattributed": "unattributed"}[f.impact.kind]
    if f.impact.monthly_usd is None:
        return f"{kind}: amount unknown" + ("" if verbose else " (see assumptions with -v)")
    text = f"{kind} {_money(f.impact.monthly_usd)}/mo"
    if f.impact_of:
        text += f" of {f.impact_of}"
    return text


def _cost(f: Finding) -> str:
    return "cost unknown" if f.monthly_cost_usd is None else f"costs {_money(f.monthly_cost_usd)}/mo"


class _Writer:
    """Wraps each field of a finding under the message column."""

    def __init__(self, width: int | None, color: bool) -> None:
        self.width, self.color = width, color
        self.lines: list[str] = []

    def paint(self, text: str, code: str) -> str:
        return f"{code}{text}{_RESET}" if self.color and code else text

    def block(self, first: str, text: str, indent: int, label: str = "", code: str = "") -> None:
        """``first`` (already painted, ``indent`` visible columns) then ``label + text`` wrapped under the text;
        a word longer than the line (a path, an address) overflows rather than being split."""
        if self.width is None:
            self.lines.append(first + self.paint(label + text, code))
            return
        room = max(20, self.width - indent - len(label))
        wrapped = textwrap.wrap(text, room, break_on_hyphens=False, break_long_words=False) or [""]
        self.lines.append(first + self.paint(label + wrapped[0], code))
        pad = " " * (indent + len(label))
        self.lines.extend(pad + self.paint(w, code) for w in wrapped[1:])


def render(result: ScanResult, color: bool = False, verbose: bool = False, show_suppressed: bool = False,
           errors_inline: bool = True, width: int | None = None) -> str:
    out = _Writer(width, color)
    resources = {(r.file, r.address): r for r in result.resources}
    current = None
    for f in result.findings:
        if f.file != current:
            if current is not None:
                out.lines.append("")
            out.lines.append(out.paint(f.file, _BOLD))
            current = f.file
        _finding(out, f, resources.get((f.file, f.resource)), verbose)
    if show_suppressed and result.hidden:
        out.lines.append("")
        out.lines.append(out.paint("suppressed:", _BOLD))
        for h in sorted(result.hidden, key=lambda h: (h.finding.file, h.finding.line, h.finding.rule_id)):
            g = h.finding
            what = "ignored" if h.by == "ignore" else "baselined"
            out.block("  ", f"{g.file}:{g.line} {g.rule_id} {g.resource}: {what}: {h.reason}", 4)
    if errors_inline and result.errors:
        out.lines.append("")
        out.lines.append(out.paint("errors:", _BOLD))
        for e in result.errors:
            out.block("  ", e.one_line(), 4)
    if errors_inline and result.warnings:
        out.lines.append("")
        out.lines.append(out.paint("warnings:", _BOLD))
        for w in result.warnings:
            out.block("  ", w.one_line(), 4)
    if result.skipped:
        out.lines.append("")
        out.lines.append("not scanned:")
        for s in result.skipped:
            where = f"{s.file}:{s.line}" if s.line else s.file
            out.block("  ", f"{where}: {s.reason}", 4)
    if out.lines:
        out.lines.append("")
    out.block("", _summary(result), 0, code=_BOLD)
    return "\n".join(out.lines)


def _finding(out: _Writer, f: Finding, r: Resource | None, verbose: bool) -> None:
    head = f"  {f.line:>5}  "
    sev = out.paint(f"{f.severity:<8}", _COLORS.get(f.severity, ""))
    indent = len(head) + 9 + max(len(f.rule_id), 11) + 2
    first = f"{head}{sev} {f.rule_id:<11}  "
    out.block(first, f.message, indent)
    pad = " " * indent
    money = f"{_cost(f)}; {_impact(f, verbose)}"
    if f.resource not in f.message:
        money += f"; on {f.resource}"
    out.block(pad, money, indent)
    keys = instance_keys(f)
    if keys:
        out.block(pad, keys, indent, label=f"{len(f.instances)} instances: ")
    paths = call_paths(f)
    if paths:
        out.block(pad, paths, indent, label="via: ")
    for e in f.evidence:
        out.block(pad, e, indent, label="why: ", code=_DIM)
    for note in f.notes:
        out.block(pad, note, indent, label="note: ", code=_DIM)
    if verbose:
        out.block(pad, f.remediation, indent, label="fix: ")
        for a in f.impact.assumptions:
            out.block(pad, a, indent, label="- ")
        for n in (r.price_notes if r is not None else []):
            if n not in f.impact.assumptions:
                out.block(pad, n, indent, label="price: ")
    elif f.impact.kind == "exposure" and f.impact.monthly_usd is not None:  # the usage behind the figure
        for a in f.impact.assumptions:
            if a.startswith(_USAGE_LINES):
                out.block(pad, a, indent, label="- ")


def _summary(result: ScanResult) -> str:
    money = money_totals(result.findings, result.resources)
    savings, exposure = money["monthly_savings_usd"], money["monthly_exposure_usd"]
    unattributed, total, unpriced = money["monthly_unattributed_usd"], money["monthly_cost_usd"], \
        money["unpriced_resources"]
    summary = (f"{len(result.findings)} finding(s) in {len(result.resources)} resource(s); "
               f"priced spend {_money(total)}/mo; potential savings {_money(savings)}/mo")
    if exposure:
        summary += f"; uncapped exposure {_money(exposure)}/mo"
    if unattributed:
        summary += f"; unattributed {_money(unattributed)}/mo"
    if unpriced:
        summary += f"; {unpriced} compute resource(s) with unknown price"
    hidden = [f"{result.suppressed} suppressed" if result.suppressed or result.baselined else "",
              f"{result.baselined} in baseline" if result.suppressed or result.baselined else "",
              f"{result.below_min} below the money floor" if result.below_min else ""]
    if any(hidden):
        summary += f" ({', '.join(h for h in hidden if h)})"
    if result.errors:
        summary += f"; {len(result.errors)} error(s)"
    if result.warnings:
        summary += f"; {len(result.warnings)} warning(s)"
    return summary
