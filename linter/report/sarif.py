"""SARIF 2.1.0 for code scanning (GitHub, GitLab, IDEs): one rule per finops-lint rule with its docs,
levels from severity, a stable partial fingerprint per finding and the dollar figures in properties."""

from __future__ import annotations

import json
from typing import Any

SARIF_SCHEMA = "https://json.schemastore.org/sarif-2.1.0.json"
LEVELS = {"critical": "error", "high": "error", "medium": "warning", "low": "note", "info": "note"}
# GitHub code scanning ranks results by this 0-10 score; costs are not vulnerabilities but the order holds.
RANK = {"critical": 9.0, "high": 7.5, "medium": 5.0, "low": 2.5, "info": 1.0}


def _rule(meta: dict[str, Any], fallback: dict[str, Any]) -> dict[str, Any]:
    docs = meta.get("docs", {})
    severity = meta.get("severity") or fallback.get("severity", "medium")
    summary = meta.get("summary") or fallback.get("rule") or fallback.get("rule_id", "")
    sections = [("What it does", "what"), ("Why is this bad?", "why"), ("Example", "example"), ("Use instead", "fix")]
    text = "\n\n".join(f"{title}\n{docs[key].strip()}" for title, key in sections if docs.get(key))
    markdown = "\n\n".join(
        f"**{title}**\n\n" + (f"```\n{docs[key].strip()}\n```" if key in ("example", "fix") else docs[key].strip())
        for title, key in sections if docs.get(key))
    rule: dict[str, Any] = {
        "id": meta.get("id") or fallback["rule_id"],
        "name": meta.get("name") or fallback.get("rule", ""),
        "shortDescription": {"text": summary},
        "fullDescription": {"text": (docs.get("what") or summary).strip()},
        "help": {"text": text or summary, "markdown": markdown or summary},
        "defaultConfiguration": {"level": LEVELS.get(severity, "warning")},
        "properties": {"tags": ["finops", "cost"], "severity": severity, "problem.severity":
                       {"error": "error", "warning": "warning"}.get(LEVELS.get(severity, "warning"), "recommendation")},
    }
    if meta.get("help_uri"):
        rule["helpUri"] = meta["help_uri"]
    return rule


def _location(file: str, line: int | None, message: str | None = None) -> dict[str, Any]:
    physical: dict[str, Any] = {"artifactLocation": {"uri": file, "uriBaseId": "%SRCROOT%"}}
    if line:
        physical["region"] = {"startLine": int(line)}
    out: dict[str, Any] = {"physicalLocation": physical}
    if message:
        out["message"] = {"text": message}
    return out


def _money(v: float | None) -> str:
    return "unknown" if v is None else f"${v:,.2f}"


def _result(f: dict[str, Any], index: int) -> dict[str, Any]:
    impact = f.get("impact") or {}
    figures = f"costs {_money(f.get('monthly_cost_usd'))}/mo; {impact.get('kind', 'impact')} " \
              f"{_money(impact.get('monthly_usd'))}/mo"
    location = _location(f["file"], f.get("line"))
    location["logicalLocations"] = [{"name": f.get("resource", ""), "kind": "resource",
                                     "fullyQualifiedName": f.get("resource", "")}]
    properties = {key: value for key, value in f.items()
                  if key not in ("rule_id", "message", "file", "line", "fingerprint")}
    properties.update({"monthly_cost_usd": f.get("monthly_cost_usd"), "impact_kind": impact.get("kind"),
                       "impact_monthly_usd": impact.get("monthly_usd"),
                       "security-severity": str(RANK.get(f.get("severity", ""), 5.0))})
    result: dict[str, Any] = {
        "ruleId": f["rule_id"], "ruleIndex": index, "level": LEVELS.get(f.get("severity", ""), "warning"),
        "message": {"text": f"{f['message']} ({figures})"},
        "locations": [location],
        "partialFingerprints": {"finopsLint/v1": f.get("fingerprint", "")},
        "properties": properties,
    }
    related = [_location(c["file"], c.get("line"), "called from this module block")
               for c in f.get("called_from") or [] if c.get("file")]
    for i, loc in enumerate(related):
        loc["id"] = i
    if related:
        result["relatedLocations"] = related
    return result


def build(report: dict[str, Any], rules: dict[str, dict[str, Any]]) -> dict[str, Any]:
    findings = report.get("findings", [])
    ids = list(rules) + sorted({f["rule_id"] for f in findings} - set(rules))
    first = {f["rule_id"]: f for f in reversed(findings)}
    index = {rule_id: i for i, rule_id in enumerate(ids)}
    tool = report.get("tool", {})
    notifications = [{"level": "error", "message": {"text": e.get("message", "")},
                      "locations": [_location(e["file"], e.get("line"))]} for e in report.get("errors", [])]
    run: dict[str, Any] = {
        "tool": {"driver": {"name": "finops-lint", "version": tool.get("version", ""),
                            "semanticVersion": tool.get("version", ""),
                            "informationUri": "https://github.com/finops-lint/finops-lint",
                            "rules": [_rule(rules.get(i, {}), first.get(i, {"rule_id": i})) for i in ids]}},
        "originalUriBaseIds": {"%SRCROOT%": {"description": {"text": "The directory finops-lint ran in."}}},
        "invocations": [{"executionSuccessful": not report.get("errors"),
                         "toolExecutionNotifications": notifications}],
        "results": [_result(f, index[f["rule_id"]]) for f in findings],
        "properties": {key: report[key] for key in ("summary", "cost_diff", "gates") if key in report},
    }
    return {"$schema": SARIF_SCHEMA, "version": "2.1.0", "runs": [run]}


def render(report: dict[str, Any], rules: dict[str, dict[str, Any]]) -> str:
    return json.dumps(build(report, rules), indent=2)
