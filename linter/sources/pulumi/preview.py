"""Gate a ``pulumi preview --json`` like a Terraform plan: findings on what it changes, the cost diff and gates.

Each step's old and new state go through the same reader, facts and pricing as a scan; the diff and the gates
are :mod:`linter.costdiff`'s and the result is ``finops-lint plan``'s, so a preview and a Terraform plan get the
same figures, report fields and exit codes (``finops-lint plan preview.json``).
"""

from __future__ import annotations

from typing import Any

from linter.costdiff import CHANGING, Change, cost_diff, evaluate_gates
from linter.engine import apply_facts, display_path, lint
from linter.model import Resource, ScanError

# pulumi preview step ops -> the planner-neutral actions of linter.costdiff
ACTION_OF_OP = {"create": "create", "update": "update", "delete": "delete", "same": "no-op", "read": "read",
                "replace": "replace", "create-replacement": "replace", "delete-replaced": "replace",
                "import": "create", "import-replacement": "replace", "refresh": "read", "discard": "delete",
                "discard-replaced": "replace", "read-replacement": "read", "remove-pending-replace": "no-op"}


def is_preview(path: str) -> bool:
    """A ``pulumi preview --json`` file (``steps`` with Pulumi URNs), told from a Terraform plan cheaply."""
    from linter.files import read_all  # never blocks on a named pipe

    try:
        head = read_all(path, 65536)
    except OSError:
        return False
    return b'"steps"' in head and b"urn:pulumi:" in head


def check_preview(path: str, config: Any, catalog: Any, rules: list[Any], options: Any = None) -> Any:
    """``finops-lint plan preview.json``: findings (on created, updated and replaced resources, or all with
    ``options.all_resources``), cost diff and gates, as a :class:`linter.plan.PlanResult`."""
    from linter.plan import PlanOptions, PlanResult
    from linter.sources.pulumi.build import to_resources
    from linter.sources.pulumi.state import NotPulumi, read_state
    from linter.sources.terraform_plan.document import PlanError
    from linter.suppress import clear_ignores

    options = options or PlanOptions()
    clear_ignores()
    shown = display_path(path)
    try:
        doc = read_state(path, shown)
    except NotPulumi as exc:
        raise PlanError(shown, str(exc)) from exc
    except ValueError as exc:
        raise PlanError(shown, str(exc), getattr(exc, "line", None)) from exc
    if doc.kind != "preview":
        raise PlanError(shown, "a Pulumi stack export, not a 'pulumi preview --json'; scan it instead")
    errors: list[ScanError] = []
    steps: dict[tuple[str, str], tuple[str, Any, Any]] = {}  # (token, name) -> (action, before, after)
    for step in doc.steps:
        ref = step.after or step.before
        key = (ref.token, ref.name)
        action = ACTION_OF_OP.get(step.op, "update")
        _, before, after = steps.get(key, (action, None, None))
        steps[key] = (action, before or step.before, after or step.after)
    befores = to_resources([b for _, b, _ in steps.values() if b is not None], doc.project, shown, catalog, config,
                           errors)
    afters = to_resources([a for _, _, a in steps.values() if a is not None], doc.project, shown, catalog, config,
                          errors)
    apply_facts(befores, config, catalog)
    apply_facts(afters, config, catalog)

    def index(resources: list[Resource]) -> dict[tuple[str, str], Resource]:
        return {(r.type, r.name or r.address): r for r in resources}

    before_of, after_of = index(befores), index(afters)
    changes: list[Change] = []
    changed: set[str] = set()
    for (token, name), (action, b, a) in steps.items():
        full = (b or a).token if (b or a) else token
        before = before_of.get(_key(full, name, befores))
        after = after_of.get(_key(full, name, afters))
        address = (after or before).address if (after or before) else name
        changes.append(Change(address=address, action=action, before=before, after=after))
        if action in CHANGING:
            changed.add(address)
    subject = afters if options.all_resources else [r for r in afters if r.address in changed]
    scan = lint(list(afters), subject, errors, [], config, catalog, rules, options.scan)
    diff = cost_diff(changes)
    gates = evaluate_gates(diff, scan.findings, options.limits)
    info = {"file": shown, "tool": "pulumi preview", "tool_version": None, "stack": doc.project.stack,
            "project": doc.project.name, "source_dir": None, "changed": len(changed),
            "deleted": sum(1 for a, _, _ in steps.values() if a == "delete"),
            "findings_scope": "planned state" if options.all_resources else "created, updated or replaced resources"}
    return PlanResult(scan, diff, gates, info)


def _key(token: str, name: str, resources: list[Resource]) -> tuple[str, str]:
    from linter.sources.pulumi.types import full_token

    full = full_token(token)
    return next(((r.type, r.name or r.address) for r in resources if r.type == full and
                 (r.name == name or r.address == name or r.address.startswith(name + " ("))), (full, name))
