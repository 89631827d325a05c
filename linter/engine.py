"""The pipeline: files -> sources -> resources -> links & facts -> rules -> findings -> report."""

from __future__ import annotations

import hashlib
import os
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from linter.config import Config
from linter.model import SEVERITY_ORDER, Finding, Resource, ScanError, Skipped
from linter.pricing.catalog import Catalog
from linter.rules.expr import ExpressionError, evaluate
from linter.rules.loader import Rule


@dataclass
class ScanOptions:
    var_files: list[str] = field(default_factory=list)
    cli_vars: dict[str, str] = field(default_factory=dict)
    rules_dirs: list[str] = field(default_factory=list)
    baseline: set[str] | None = None
    keep: Callable[[Finding], bool] | None = None  # e.g. --filter: findings outside the changed files drop out
    stack: str | None = None  # Pulumi stack whose Pulumi.<stack>.yaml config is read
    pulumi_execute: bool = False  # run Python Pulumi programs under the mock runtime instead of reading them


@dataclass
class ScanResult:
    findings: list[Finding]
    resources: list[Resource]
    errors: list[ScanError]
    skipped: list[Skipped]
    suppressed: int = 0
    baselined: int = 0


def display_path(path: str) -> str:
    """Paths relative to the working directory when below it, as the report contract says."""
    absolute = os.path.abspath(path)
    cwd = os.getcwd()
    if absolute == cwd or absolute.startswith(cwd + os.sep):
        return os.path.relpath(absolute, cwd)
    return absolute


def make_catalog(config: Config, config_path: str | None) -> Catalog:
    prices = config.prices
    return Catalog(prices.overrides, prices.discount_percent, prices.spot_discounts,
                   config_path or ".finops-lint.yaml")


def facets_of(r: Resource) -> set[str]:
    facets = set(r.facets) | {"any", "workload"}
    if r.compute is not None:
        facets.add("compute")
        if r.compute.gpu.count > 0:
            facets.add("gpu")
    if r.taggable:
        facets.add("taggable")
    if r.llm is not None:
        facets.add("llm_endpoint")
    return facets


def collect_resources(paths: list[str], config: Config, catalog: Catalog,
                      options: ScanOptions) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    from linter.discovery import discover

    found = discover(paths, display_path)
    errors: list[ScanError] = []
    skipped: list[Skipped] = list(found.skipped)
    resources: list[Resource] = []
    if found.terraform_dirs:
        from linter.sources.terraform.module import TerraformLoader
        from linter.sources.terraform.normalize import normalize

        loader = TerraformLoader(display_path)
        for directory in found.terraform_dirs:
            try:
                raws = loader.load_root(directory, options.var_files, options.cli_vars)
                resources.extend(normalize(raws, catalog, config, display_path(directory), errors))
            except Exception as exc:  # an internal error costs this module, never the rest of the scan
                errors.append(ScanError(file=display_path(directory), message=f"module not read, internal error "
                                        f"({type(exc).__name__}: {exc}); please report this with the files"))
            loader.forget_parsed(directory)  # its syntax trees are not needed once it is normalized
        errors.extend(loader.errors)
        skipped.extend(loader.skipped)
    if found.pulumi_projects or found.pulumi_json:
        from linter.sources.pulumi import read_json_files, read_projects

        for got in (read_projects(found.pulumi_projects, options.stack, options.pulumi_execute, config, catalog,
                                  display_path, resources),
                    read_json_files(found.pulumi_json, config, catalog, display_path, resources)):
            resources.extend(got[0])
            errors.extend(got[1])
            skipped.extend(got[2])
    if found.yaml_files:  # LiteLLM proxy configs (also inside ConfigMaps); plain ones are not manifests
        from linter.sources.litellm import read_litellm

        lite, lite_errors, consumed = read_litellm(found.yaml_files, display_path)
        resources.extend(lite)
        errors.extend(lite_errors)
        found.yaml_files = [f for f in found.yaml_files if f not in consumed]
    if found.yaml_files:
        from linter.sources.kubernetes import read_manifests

        k8s_resources, k8s_errors, k8s_skipped = read_manifests(found.yaml_files, found.explicit_files, config,
                                                                catalog, display_path, resources)
        resources.extend(k8s_resources)
        errors.extend(k8s_errors)
        skipped.extend(k8s_skipped)
    return resources, errors, skipped


def apply_facts(resources: list[Resource], config: Config, catalog: Catalog) -> None:
    from linter.facts.links import link_autoscalers
    from linter.facts.tags import apply_billing_facts, apply_tag_facts
    from linter.facts.workload import classify
    from linter.pricing.cost import price_resource
    from linter.suppress import ignores_for

    for r in resources:
        apply_tag_facts(r, config)
        r.workload = classify(r, config)
        price_resource(r, catalog, config)
        r.ignores = ignores_for(r.file, r.line) or r.ignores
    link_autoscalers(resources)
    apply_billing_facts(resources, config)


def fingerprint(rule_id: str, resource: Resource) -> str:
    key = f"{rule_id}|{resource.source}|{resource.origin}|{resource.file}|{resource.address}"
    return hashlib.sha256(key.encode()).hexdigest()[:20]


def evaluate_rules(resources: list[Resource], rules: list[Rule], config: Config,
                   catalog: Catalog) -> tuple[list[Finding], list[ScanError], int]:
    from linter.rules.impacts import IMPACTS, ImpactContext

    ictx = ImpactContext(catalog, config)
    findings: list[Finding] = []
    errors: list[ScanError] = []
    suppressed = 0
    active = [rule for rule in rules if rule.id not in config.disabled_rules]
    broken: set[str] = set()
    for r in resources:
        facets = facets_of(r)
        for rule in active:
            if rule.id in broken or not facets.intersection(rule.applies_to):
                continue
            if rule.sources and r.source not in rule.sources:
                continue
            context: dict[str, Any] = {"r": r, "nonprod_environments": config.nonprod_environments}
            try:
                if not evaluate(rule.when, context):
                    continue
                result = IMPACTS[rule.impact](r, ictx)
                if result is None or (result.impact.kind == "savings" and result.impact.monthly_usd == 0):
                    continue  # a fix worth a known $0 is no finding; an unknown saving stays and says why
                context["x"] = result.vars
                context["impact"] = result.impact
                message = rule.message.render(context)
                remediation = rule.remediation.render(context)
            except ExpressionError as exc:
                errors.append(ScanError(file=rule.file, message=f"rule {rule.id} failed on {r.address}: {exc}"))
                broken.add(rule.id)
                continue
            if rule.id in r.ignores or "all" in r.ignores:
                suppressed += 1
                continue
            findings.append(Finding(
                rule_id=rule.id, rule=rule.name, severity=config.severity.get(rule.id, rule.severity),  # type: ignore[arg-type]
                message=" ".join(message.split()), remediation=" ".join(remediation.split()), source=r.source,
                file=r.file, line=r.line, resource=r.address, resource_type=r.type,
                monthly_cost_usd=r.monthly_cost_usd, impact=result.impact, fingerprint=fingerprint(rule.id, r),
                called_from=list(r.called_from), origin=r.origin))
    findings.sort(key=lambda f: (f.file, f.line, f.resource, f.rule_id))
    return findings, errors, suppressed


def scan(paths: list[str], config: Config, catalog: Catalog, rules: list[Rule],
         options: ScanOptions | None = None) -> ScanResult:
    from linter.suppress import clear_ignores

    clear_ignores()
    options = options or ScanOptions()
    resources, errors, skipped = collect_resources(paths, config, catalog, options)
    apply_facts(resources, config, catalog)
    findings, rule_errors, suppressed = evaluate_rules(resources, rules, config, catalog)
    from linter.grouping import group_findings

    findings = group_findings(findings, resources)  # one finding per block and verdict, before baselines
    errors.extend(rule_errors)
    if options.keep is not None:
        findings = [f for f in findings if options.keep(f)]
    baselined = 0
    if options.baseline is not None:
        kept = [f for f in findings if f.fingerprint not in options.baseline]
        baselined = len(findings) - len(kept)
        findings = kept
    resources.sort(key=lambda r: (r.file, r.line, r.address))
    errors.sort(key=lambda e: (e.file, e.line or 0))
    return ScanResult(findings, resources, errors, skipped, suppressed, baselined)


def exceeds(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "none":
        return False
    threshold = SEVERITY_ORDER[fail_on]
    return any(SEVERITY_ORDER[f.severity] >= threshold for f in findings)
