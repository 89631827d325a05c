"""Report formats: each renders the JSON report dict (so fields other features add flow through) and
lives in its own module, imported only when asked for."""

from __future__ import annotations

import importlib
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from linter.report.pieces import Pieces

RENDERERS: dict[str, str] = {
    "sarif": "linter.report.sarif",
    "junit": "linter.report.junit",
    "github": "linter.report.github",
    "markdown": "linter.report.markdown",
}
FORMATS = ("text", "json", *RENDERERS)
DOCS_URL = "https://github.com/finops-lint/finops-lint/blob/main/rules/{id}.yaml"


def rule_meta(rules: list[Any] | None) -> dict[str, dict[str, Any]]:
    """Rule id -> what reports show about a rule (name, severity, summary, docs, help URI)."""
    from pathlib import Path

    from linter.rules.loader import builtin_rules_dir

    builtin = Path(builtin_rules_dir()).resolve()
    meta: dict[str, dict[str, Any]] = {}
    for rule in rules or []:
        path = Path(rule.file).resolve()
        uri = DOCS_URL.format(id=rule.id) if path.parent == builtin else path.as_uri()
        meta[rule.id] = {"id": rule.id, "name": rule.name, "severity": rule.severity, "summary": rule.summary,
                         "docs": dict(rule.docs), "help_uri": uri}
    return meta


def render_report(fmt: str, report: dict[str, Any], rules: list[Any] | None = None) -> str | Pieces:
    """Render a JSON report dict in ``fmt`` (any of FORMATS but text); a JSON report whose inventory a forked child
    rendered into a file comes as ``Pieces`` (linter/report/pieces.py)."""
    if fmt == "json":
        from linter.report.json_report import dumps

        return dumps(report)
    module = importlib.import_module(RENDERERS[fmt])
    return module.render(report, rule_meta(rules))
