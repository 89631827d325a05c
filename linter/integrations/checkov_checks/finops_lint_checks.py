"""finops-lint rules as checkov external checks: ``checkov -d . --external-checks-dir $(finops-lint checkov-dir)``.

checkov imports this file; each finops-lint rule (built-in and the rule directories of ./.finops-lint.yaml)
becomes a Terraform resource check with the rule's id. finops-lint must be installed in checkov's
environment (``pip install checkov finops-lint``).
"""

from __future__ import annotations

from typing import Any

from checkov.common.models.enums import CheckCategories, CheckResult
from checkov.terraform.checks.resource.base_resource_check import BaseResourceCheck

from linter.integrations.checkov_bridge import BRIDGE
from linter.report.formats import rule_meta
from linter.report.summary import impact_text, money


def _resource_types() -> list[str]:
    """Every resource type of the providers we read (checkov matches wildcards); a rule whose facets do not
    apply to a resource answers UNKNOWN, which checkov leaves out of its report."""
    from linter.sources.terraform.normalize import PROVIDER_OF_PREFIX

    return sorted(f"{prefix}_*" for prefix in PROVIDER_OF_PREFIX)


def _detail(finding: Any) -> str:
    """The message with the figures that are known (checkov shows details under the failed check)."""
    figures = []
    if finding.monthly_cost_usd is not None:
        figures.append(f"costs {money(finding.monthly_cost_usd)}/mo")
    if finding.impact.monthly_usd is not None:
        figures.append(impact_text(finding.to_dict()))
    return f"{finding.message} ({'; '.join(figures)})" if figures else finding.message


class FinOpsRule(BaseResourceCheck):
    def __init__(self, rule: Any, help_uri: str, resource_types: list[str]) -> None:
        self.rule_id = rule.id
        super().__init__(name=f"finops-lint {rule.name}: {rule.summary}", id=rule.id,
                         categories=[CheckCategories.CONVENTION], supported_resources=resource_types,
                         guideline=help_uri)

    def scan_resource_conf(self, conf: dict[str, Any]) -> CheckResult:
        applies, findings = BRIDGE.evaluate(self.entity_type, conf)
        if self.rule_id not in applies:
            return CheckResult.UNKNOWN
        hits = [f for f in findings if f.rule_id == self.rule_id]
        if not hits:
            return CheckResult.PASSED
        self.details = [_detail(f) for f in hits]
        return CheckResult.FAILED


_TYPES = _resource_types()
_META = rule_meta(BRIDGE.rules)
checks = [FinOpsRule(rule, _META[rule.id]["help_uri"], _TYPES) for rule in BRIDGE.rules]
