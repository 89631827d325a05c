"""Text report of ``finops-lint plan``: what the plan does to the bill, then its findings, then the gates."""

from __future__ import annotations

from typing import Any

from linter.costdiff import render_diff, render_gates
from linter.report.text import render as render_findings


def render(result: Any, color: bool = False, verbose: bool = False, show_suppressed: bool = False,
           errors_inline: bool = True, width: int | None = None) -> str:
    info = result.info
    tool = f"{info['tool']} {info['tool_version']}" if info.get("tool_version") else info["tool"]
    where = f"; source {info['source_dir']}" if info.get("source_dir") else \
        "" if str(info.get("tool", "")).startswith("pulumi") else "; no .tf source mapped (--source-dir)"
    lines = [f"Plan {info['file']} ({tool}): {info['changed']} resource(s) to create, update or replace, "
             f"{info['deleted']} to delete{where}", *(f"note: {n}" for n in info.get("notes") or []),
             *render_diff(result.diff), ""]
    lines.append(f"Findings on {info['findings_scope']}:" if result.scan.findings else
                 f"No findings on {info['findings_scope']}.")
    lines.append(render_findings(result.scan, color=color, verbose=verbose, show_suppressed=show_suppressed,
                                 errors_inline=errors_inline, width=width))
    gates = render_gates(result.gates)
    if gates:
        lines += ["", *gates]
    return "\n".join(lines)
