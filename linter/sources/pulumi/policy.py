"""A CrossGuard policy pack: finops-lint's rules inside ``pulumi preview --policy-pack``.

One stack validation policy per rule (the joins a rule relies on, ASG -> launch template or pool -> cluster,
need the whole stack), each with the enforcement level its severity maps to (high and critical block the
update, the rest advise) and the monthly figure in the violation message. The resources Pulumi hands the
policy go through the same reader as a stack export, so a preview gets the findings a scan of the program
gets. A pack directory holds ``PulumiPolicy.yaml`` (``runtime: python``), ``requirements.txt``
(``finops-lint[pulumi]``) and a ``__main__.py`` that calls :func:`serve` (see iac_examples/pulumi/policy_pack).
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping, Sequence
from typing import Any

from linter.model import Finding
from linter.sources.pulumi.project import Project, PulumiResource
from linter.sources.terraform.values import Unknown

PACK_NAME = "finops-lint"
MANDATORY_FROM = ("high", "critical")
WHERE = "(pulumi preview)"


def enforcement(severity: str) -> str:
    """Severity -> CrossGuard enforcement level name: high and critical block, the rest advise."""
    return "mandatory" if severity in MANDATORY_FROM else "advisory"


def _plain(value: Any) -> Any:
    """Policy props (a proxy that raises on values unknown during preview) -> plain values and Unknowns."""
    if isinstance(value, Mapping):
        out = {}
        for key in list(value.keys()):
            try:
                out[str(key)] = _plain(value[key])
            except Exception as exc:  # pulumi_policy.proxy.UnknownValueError
                out[str(key)] = Unknown(getattr(exc, "message", "unknown during preview"))
        return out
    if isinstance(value, Sequence) and not isinstance(value, (str, bytes)):
        items = []
        for i in range(len(value)):
            try:
                items.append(_plain(value[i]))
            except Exception as exc:
                items.append(Unknown(getattr(exc, "message", "unknown during preview")))
        return items
    return value


def _declared(resources: Sequence[Any]) -> tuple[list[PulumiResource], Project, dict[str, str]]:
    """Policy resources -> the reader's resources; providers become provider resources by name."""
    from linter.sources.pulumi.state import parse_urn

    declared: list[PulumiResource] = []
    urns: dict[str, str] = {}
    providers: dict[str, PulumiResource] = {}
    stack = ""
    for r in resources:
        stack = stack or parse_urn(str(r.urn))[0]
        provider = getattr(r, "provider", None)
        provider_name = None
        if provider is not None:
            provider_name = str(provider.name)
            providers.setdefault(provider_name, PulumiResource(token=str(provider.resource_type), name=provider_name,
                                                               values=_plain(provider.props), file=WHERE, line=1))
        declared.append(PulumiResource(token=str(r.resource_type), name=str(r.name), values=_plain(r.props),
                                       file=WHERE, line=1, provider=provider_name))
        urns[str(r.name)] = str(r.urn)
    project = Project(directory=".", file="", name="", runtime="", main="", stack=stack or None)
    return [*providers.values(), *declared], project, urns


def stack_findings(resources: Sequence[Any], config: Any = None) -> list[tuple[Finding, str]]:
    """Findings on a stack's resources as Pulumi hands them to a policy, each with its resource's URN."""
    from linter.config import load_config
    from linter.engine import apply_facts, evaluate_rules, make_catalog
    from linter.model import ScanError
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import load_rules
    from linter.sources.pulumi.build import to_resources

    path = None
    if config is None:
        config, path = load_config(os.environ.get("FINOPS_LINT_CONFIG"))
    catalog = make_catalog(config, path)
    rules = load_rules(list(config.rules_dirs), set(IMPACTS))
    declared, project, urns = _declared(resources)
    errors: list[ScanError] = []
    normalized = to_resources(declared, project, WHERE, catalog, config, errors)
    apply_facts(normalized, config, catalog)
    findings, _, _ = evaluate_rules(normalized, rules, config, catalog)
    return [(f, urns.get(f.resource, "")) for f in findings]


def violation_message(f: Finding) -> str:
    """The rule's message with the money: what the resource costs a month and what fixing it is worth."""
    parts = [f"{f.rule_id}: {f.message}"]
    if f.monthly_cost_usd is not None:
        parts.append(f"costs ${f.monthly_cost_usd:,.2f}/month")
    impact = f.impact
    if impact.monthly_usd is not None:
        label = {"savings": "fixing it saves", "exposure": "uncapped exposure", "unattributed": "unattributed"}
        parts.append(f"{label.get(impact.kind, impact.kind)} ${impact.monthly_usd:,.2f}/month")
    if f.remediation:
        parts.append(f"fix: {f.remediation}")
    return "; ".join(parts)


_LAST: dict[int, list[tuple[Finding, str]]] = {}  # the stack last validated: every rule's policy reads it


def validator(rule_id: str, findings: Callable[[Sequence[Any]], list[tuple[Finding, str]]] = stack_findings,
              ) -> Callable[[Any, Callable[[str, str | None], None]], None]:
    """The validate function of one rule's stack policy; findings are computed once per stack for all rules."""

    def validate(args: Any, report_violation: Callable[[str, str | None], None]) -> None:
        key = id(args.resources)
        if key not in _LAST:
            _LAST.clear()
            _LAST[key] = findings(args.resources)
        for f, urn in _LAST[key]:
            if f.rule_id == rule_id:
                report_violation(violation_message(f), urn or None)

    return validate


def policies(config: Any = None) -> list[Any]:
    """One StackValidationPolicy per enabled rule, enforcement level from its (configured) severity."""
    from pulumi_policy import EnforcementLevel, Severity, StackValidationPolicy

    from linter.config import load_config
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import load_rules

    if config is None:
        config, _ = load_config(os.environ.get("FINOPS_LINT_CONFIG"))
    out = []
    for rule in sorted(load_rules(list(config.rules_dirs), set(IMPACTS)), key=lambda r: r.id):
        if rule.id in config.disabled_rules:
            continue
        severity = config.severity.get(rule.id, rule.severity)
        out.append(StackValidationPolicy(
            name=rule.id.lower(), description=f"{rule.name}: {rule.summary}", validate=validator(rule.id),
            enforcement_level=EnforcementLevel(enforcement(severity)),
            severity=Severity(severity) if severity in ("low", "medium", "high", "critical") else None))
    return out


def serve() -> None:
    """Start the policy pack (blocks: Pulumi's policy host talks to it); call from the pack's __main__.py."""
    from pulumi_policy import PolicyPack

    PolicyPack(name=PACK_NAME, policies=policies(),
               description="finops-lint: FinOps rules for AI infrastructure, each violation priced per month")
