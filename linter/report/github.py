"""GitHub Actions workflow commands: one ``::error``/``::warning``/``::notice`` annotation per finding,
shown on the file and line in the pull request's diff."""

from __future__ import annotations

from typing import Any

from linter.report.summary import impact_text, money

COMMANDS = {"critical": "error", "high": "error", "medium": "warning", "low": "notice", "info": "notice"}


def escape_data(text: str) -> str:
    return text.replace("%", "%25").replace("\r", "%0D").replace("\n", "%0A")


def escape_property(text: str) -> str:
    return escape_data(text).replace(":", "%3A").replace(",", "%2C")


def annotation(command: str, message: str, **props: Any) -> str:
    fields = ",".join(f"{k}={escape_property(str(v))}" for k, v in props.items() if v not in (None, ""))
    return f"::{command} {fields}::{escape_data(message)}" if fields else f"::{command}::{escape_data(message)}"


def render(report: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    lines = []
    for f in report.get("findings", []):
        message = (f"{f['message']} (costs {money(f.get('monthly_cost_usd'))}/mo; {impact_text(f)})\n"
                   f"{f.get('remediation', '')}").rstrip()
        lines.append(annotation(COMMANDS.get(f.get("severity", ""), "warning"), message, file=f["file"],
                                line=f.get("line"), title=f"{f['rule_id']} {f.get('rule', '')}".strip()))
    for e in report.get("errors", []):
        lines.append(annotation("error", e.get("message", ""), file=e.get("file"), line=e.get("line"),
                                title="finops-lint could not read this input"))
    s = report.get("summary", {})
    lines.append(f"finops-lint: {s.get('findings', 0)} finding(s); priced spend {money(s.get('monthly_cost_usd'))}/mo; "
                 f"potential savings {money(s.get('monthly_savings_usd'))}/mo; "
                 f"uncapped exposure {money(s.get('monthly_exposure_usd'))}/mo")
    return "\n".join(lines)
