"""``finops-lint plan``: lint what a plan changes and price the change.

The planned state (every resource after the plan) and the prior state (every resource before it)
go through the same mappers, facts and pricing as a scan, so a resource costs the same in a plan
as in a scan of its source. Rules run on the resources the plan creates or updates (and on
unchanged resources linked to them, such as an ASG whose launch template changes), or on the
whole planned state with ``all_resources``; deleted resources only count in the cost diff.
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from linter.config import Config
from linter.costdiff import CHANGING, Change, CostDiff, Gate, GateLimits, cost_diff, evaluate_gates
from linter.engine import ScanOptions, ScanResult, apply_facts, display_path, lint
from linter.model import Resource, ScanError
from linter.pricing.catalog import Catalog
from linter.records import record
from linter.rules.loader import Rule


@record
class PlanOptions:
    source_dir: str | None = None  # None: the plan file's directory when it holds .tf files
    all_resources: bool = False
    limits: GateLimits = field(default_factory=GateLimits)
    scan: ScanOptions = field(default_factory=ScanOptions)  # the shared options: rule filters, baseline, floor


@record
class PlanResult:
    scan: ScanResult  # findings, the planned state's resources, errors, skip notes
    diff: CostDiff
    gates: list[Gate]
    info: dict[str, Any]  # the plan file, the tool that wrote it, the source directory used

    @property
    def failed_gates(self) -> list[Gate]:
        return [g for g in self.gates if not g.passed]


def _resources(raws: list[Any], catalog: Catalog, config: Config, origin: str,
               errors: list[ScanError]) -> dict[str, Resource]:
    from linter.sources.terraform.normalize import normalize

    out = normalize(raws, catalog, config, origin, errors)
    for r in out:
        r.source = "terraform-plan"
    apply_facts(out, config, catalog)
    return {r.address: r for r in out}


def _linked_to(r: Resource, changed: set[str]) -> bool:
    targets = set(r.links.values()) | ({r.autoscaling.address} if r.autoscaling else set())
    return bool(targets & changed)


def check_plan(path: str, config: Config, catalog: Catalog, rules: list[Rule],
               options: PlanOptions | None = None) -> PlanResult:
    """Findings, cost diff and gates for one plan file; raises ``PlanError`` when it is not a plan."""
    from linter.sources.pulumi.preview import check_preview, is_preview
    from linter.sources.terraform_plan.read import read_plan
    from linter.suppress import clear_ignores, remember

    options = options or PlanOptions()
    if is_preview(path):  # pulumi preview --json: the same diff, gates and report from Pulumi's reader
        return check_preview(path, config, catalog, rules, options)  # type: ignore[no-any-return]
    clear_ignores()
    read = read_plan(path, options.source_dir, display_path)
    remember(path, "")  # a JSON plan holds no suppression comments; do not read it twice
    errors = list(read.errors)
    origin = display_path(read.source_dir) if read.source_dir else read.document.path
    before = _resources([e.before for e in read.entries if e.before is not None], catalog, config, origin, errors)
    after = _resources([e.after for e in read.entries if e.after is not None], catalog, config, origin, errors)
    changes = [Change(address=e.address, action=e.action, before=before.get(e.address), after=after.get(e.address))
               for e in read.entries]
    changed = {e.address for e in read.entries if e.action in CHANGING}
    subject = list(after.values()) if options.all_resources else \
        [r for r in after.values() if r.address in changed or _linked_to(r, changed)]
    scan = lint(list(after.values()), subject, errors, read.skipped, config, catalog, rules, options.scan)
    diff = cost_diff(changes)
    gates = evaluate_gates(diff, scan.findings, options.limits)
    doc = read.document
    info = {"file": doc.path, "tool": doc.tool, "tool_version": doc.tool_version,
            "format_version": str(doc.data.get("format_version")),
            "source_dir": display_path(read.source_dir) if read.source_dir else None,
            "changed": len(changed), "deleted": sum(1 for e in read.entries if e.action == "delete"),
            "findings_scope": "planned state" if options.all_resources else "created or updated resources",
            "notes": list(doc.notes)}
    return PlanResult(scan, diff, gates, info)
