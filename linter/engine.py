"""The pipeline: files -> sources -> resources -> links & facts -> rules -> findings -> report."""

from __future__ import annotations

import hashlib
import os
import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter.config import Config
from linter.filters import PathFilter
from linter.model import SEVERITY_ORDER, Finding, Resource, ScanError, Skipped
from linter.pricing.catalog import Catalog
from linter.records import record
from linter.rules.expr import ExpressionError, evaluate
from linter.rules.loader import Rule
from linter.shown_paths import display_path
from linter.suppress import Baseline


@record
class ScanOptions:
    var_files: list[str] = field(default_factory=list)
    cli_vars: dict[str, str] = field(default_factory=dict)
    rules_dirs: list[str] = field(default_factory=list)
    baseline: Baseline | set[str] | None = None
    keep: Callable[[Finding], bool] | None = None  # e.g. --filter: findings outside the changed files drop out
    skip_rules: set[str] = field(default_factory=set)
    only_rules: set[str] = field(default_factory=set)
    exclude: PathFilter = field(default_factory=PathFilter)
    min_monthly_usd: float | None = None
    min_monthly_origin: str = "--min-monthly-usd"  # how the floor is named in notes
    anchor: str | None = None  # directory fingerprints are relative to (repository root); None: working directory
    max_file_bytes: int | None = None  # --max-file-size / max_file_size; None: linter.files.MAX_FILE_BYTES
    follow_external_links: bool = False  # follow symlinks that leave the scanned repository
    jobs: int | None = None  # worker processes reading roots and manifests; None: one per CPU on large scans
    after_facts: Callable[[list[Resource]], None] | None = None  # sees the final resources before the rules run
    stack: str | None = None  # Pulumi stack whose Pulumi.<stack>.yaml config is read
    pulumi_execute: bool = False  # run Python Pulumi programs under the mock runtime instead of reading them
    discovered: Any = None  # the files being found in a child (linter/early_discovery.py); taken once
    json_findings: bool = False  # the report is JSON: a child running rules also encodes its findings' lines


@record
class Hidden:
    """A finding the report does not count, and why: an ignore comment or annotation, or the baseline."""

    finding: Finding
    by: str  # "ignore" | "baseline"
    reason: str

    def to_dict(self) -> dict[str, Any]:
        f = self.finding
        return {"rule_id": f.rule_id, "file": f.file, "line": f.line, "resource": f.resource, "by": self.by,
                "reason": self.reason, "fingerprint": f.fingerprint}


@record
class ScanResult:
    findings: list[Finding]
    resources: list[Resource]
    errors: list[ScanError]
    skipped: list[Skipped]
    suppressed: int = 0
    baselined: int = 0
    warnings: list[ScanError] = field(default_factory=list)
    hidden: list[Hidden] = field(default_factory=list)  # suppressed and baselined findings, with reasons
    below_min: int = 0  # findings dropped by the money floor
    encoded: dict[int, tuple[Finding, str]] | None = None  # id -> (finding, its JSON line), encoded by a child


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


def collect_resources(paths: list[str], config: Config, catalog: Catalog, options: ScanOptions,
                      root_facts: RootFacts | None = None, early: Any = None,
                      ) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    """Every resource the paths declare; the file size limit and the symlink boundary hold while reading. The
    Terraform roots' resources come first; with ``root_facts``, they have their own facts already."""
    from linter.files import Boundary, set_boundary, set_max_file_bytes

    set_max_file_bytes(options.max_file_bytes)
    set_boundary(Boundary(paths, options.follow_external_links))
    try:
        return _collect(paths, config, catalog, options, root_facts, early)
    finally:
        set_boundary(None)
        set_max_file_bytes(None)


def _collect(paths: list[str], config: Config, catalog: Catalog, options: ScanOptions,
             root_facts: RootFacts | None = None, early: Any = None,
             ) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    found = None
    if options.discovered is not None:  # found in a child meanwhile: the readers are imported while it finishes
        child, options.discovered = options.discovered, None
        _import_readers()
        found = child.result()
    if found is None:
        from linter.discovery import discover

        found = discover(paths, display_path, options.exclude)
    errors: list[ScanError] = [ScanError(file=display_path(p), message="no such file or directory")
                               for p in found.missing]
    skipped: list[Skipped] = list(found.skipped)
    resources: list[Resource] = []
    prepared = None
    if found.yaml_files:  # workloads' own parts, computed as their files arrive from the workers
        from linter.sources.kubernetes.manifest_files import PreparedWorkloads

        prepared = PreparedWorkloads()
    more = bool(found.yaml_files or found.pulumi_projects or found.pulumi_json)  # to build here after reading
    roots_in = early.prepare if early is not None and root_facts is not None and more else None
    roots, manifests = _read_files(found.terraform_dirs, found.yaml_files, found.explicit_files, config, catalog,
                                   options, root_facts, prepared, roots_in)
    if early is not None and roots is not None and root_facts is not None and more:
        early.start(roots.resources)
    lite: tuple[list[Resource], list[ScanError], set[str]] | None = None
    if manifests is not None:  # LiteLLM proxy configs (also inside ConfigMaps); plain ones are not manifests
        lite, manifests = _litellm_configs(found.yaml_files, manifests)
    if roots is not None:
        resources.extend(roots.resources)
        errors.extend(roots.errors)
        skipped.extend(roots.skipped)
        skipped = _rendered_templates_dropped(skipped, roots.files_read)
    if found.pulumi_projects or found.pulumi_json:
        from linter.sources.pulumi import read_json_files, read_projects

        for got in (read_projects(found.pulumi_projects, options.stack, options.pulumi_execute, config, catalog,
                                  display_path, resources),
                    read_json_files(found.pulumi_json, config, catalog, display_path, resources)):
            resources.extend(got[0])
            errors.extend(got[1])
            skipped.extend(got[2])
    if lite is not None:
        resources.extend(lite[0])
        errors.extend(lite[1])
    if manifests is not None:
        from linter.sources.kubernetes import build_manifests
        from linter.sources.kubernetes.classify import KUSTOMIZATION_NAMES

        if any(os.path.basename(p) in KUSTOMIZATION_NAMES for p in found.yaml_files):  # the renderer only then
            from linter.sources.kubernetes.kustomize import apply_overlays

            manifests, not_rendered, applied = apply_overlays(found.yaml_files, manifests, display_path)
            if applied:  # a patch of a rendered kustomization is in its objects: no "not a manifest" note
                shown = {display_path(p) for p in applied}
                skipped = [s for s in skipped if not (s.file in shown and s.reason.startswith("Kustomize patch"))]
            skipped.extend(not_rendered)
        k8s_resources, k8s_errors, k8s_skipped = build_manifests(found.yaml_files, manifests, config, catalog,
                                                                 display_path, resources, prepared)
        from linter.parked import park

        park(manifests, prepared)  # the parsed documents: the process exit drops them (linter/parked.py)
        k8s_resources = _declared_once(resources, k8s_resources, k8s_skipped, roots.files_read if roots else [],
                                       found.terraform_dirs)
        resources.extend(k8s_resources)
        errors.extend(k8s_errors)
        skipped.extend(k8s_skipped)
    return resources, errors, list({(s.file, s.line, s.reason): s for s in skipped}.values())  # each notice once


def _import_readers() -> None:
    """The modules a directory scan reads with (imported later all the same), while the discovery child walks."""
    import linter.sources.kubernetes.manifest_files
    import linter.sources.terraform.module
    import linter.terraform_roots
    import linter.workers  # noqa: F401


def _rendered_templates_dropped(skipped: list[Skipped], files_read: list[str]) -> list[Skipped]:
    """Discovery lists YAML templates (``deploy.yaml.tpl``) as not read; one that Terraform's templatefile() read is
    in the report through the Terraform resource that deploys it, and the note goes."""
    from linter.discovery import YAML_TEMPLATE

    read = set(files_read)
    return [s for s in skipped if not (s.reason == YAML_TEMPLATE and os.path.realpath(s.file) in read)]


def _declared_once(declared: list[Resource], manifests: list[Resource], skipped: list[Skipped],
                   files_read: list[str], terraform_dirs: list[str]) -> list[Resource]:
    """A manifest file that Terraform reads (``kubectl_manifest`` of ``file("manifests/job.yaml")``,
    ``kubernetes_manifest`` of ``yamldecode(templatefile(...))``) declares the objects Terraform deploys: each is
    counted once, as the Terraform resource, and the file's copy noted. The same object in a file Terraform does
    not read (another sample of the same name) is not that object. A template Terraform's code names in a
    templatefile() call (``namespace: ${namespace}``) is not an object either, rendered or not (``count = 0``)."""
    owners = {r.links["object"]: r for r in declared if "object" in r.links}
    read = set(files_read)
    real_read: dict[str, bool] = {}  # per manifest file (a file holds many objects): realpath() is a stat per part
    kept = []
    calls: list[str] | None = None  # the scan's templatefile() calls, read at the first template met
    for r in manifests:
        in_read = real_read.get(r.file)
        if in_read is None:
            in_read = real_read[r.file] = bool(read) and os.path.realpath(r.file) in read
        owner = (owners.get(r.address) or _rendered_from(r.address, owners)) if in_read else None
        if owner is not None:
            skipped.append(Skipped(file=r.file, line=r.line, reason=f"{r.address} is also declared by "
                                   f"{owner.address} ({owner.file}:{owner.line}), which deploys it: counted there"))
            continue
        if "${" in r.address and not in_read and calls is None:
            calls = _templatefile_calls(terraform_dirs)
        name = f'{os.path.basename(r.file)}"'
        if "${" in r.address and (in_read or any(name in call for call in calls or ())):
            skipped.append(Skipped(file=r.file, line=r.line, reason=f"{r.address} is a template that Terraform "
                                   "renders (templatefile()): what it deploys is counted at the Terraform resource"))
        else:
            kept.append(r)
    return kept


def _templatefile_calls(terraform_dirs: list[str]) -> list[str]:
    """The templatefile() calls of the scan's .tf files, read once (asked only when a manifest holds ${...})."""
    from linter import files

    calls: list[str] = []
    for directory in terraform_dirs:
        try:
            tf_files = [os.path.join(directory, n) for n in os.listdir(directory) if n.endswith(".tf")]
        except OSError:
            continue
        for tf in tf_files:
            try:
                text = files.read_text(tf)
            except (OSError, ValueError):
                continue
            if "templatefile(" in text:
                calls.extend(re.findall(r"templatefile\([^)\n]*", text))
    return calls


def _rendered_from(address: str, owners: dict[str, Resource]) -> Resource | None:
    """The Terraform resource that deploys the object a template's address stands for: a templatefile()'d
    manifest says ``StatefulSet/${namespace}/db``, Terraform deploys ``StatefulSet/data/db``."""
    if "${" not in address:
        return None
    pattern = re.compile("[^/]*".join(re.escape(part) for part in re.split(r"\$\{[^}]*\}", address)) + "$")
    return next((owner for object_address, owner in owners.items() if pattern.match(object_address)), None)


def _litellm_configs(yaml_files: list[str], manifests: list[list[Any]]) -> tuple[
        tuple[list[Resource], list[ScanError], set[str]] | None, list[list[Any]]]:
    """The LiteLLM routes of the YAML files the manifest reader found a ``model_list:`` in, and the manifest reads
    without the plain LiteLLM configs (which are no manifests: their reading says nothing)."""
    flagged = {read.path for part in manifests for read in part if read.litellm}
    if not flagged:
        return None, manifests
    from linter.sources.litellm import read_litellm

    lite = read_litellm([f for f in yaml_files if f in flagged], display_path)
    if lite[2]:
        manifests = [[read for read in part if read.path not in lite[2]] for part in manifests]
    return lite, manifests


def _read_files(terraform_dirs: list[str], yaml_files: list[str], explicit: set[str], config: Config,
                catalog: Catalog, options: ScanOptions, root_facts: RootFacts | None = None,
                prepared: Any = None, roots_in: Callable[[list[Resource]], None] | None = None,
                ) -> tuple[Any, list[list[Any]] | None]:
    """The Terraform roots (loaded and normalized) and the manifest files (parsed), as one list of tasks: a large
    scan runs them all in one set of worker processes, which stay busy until the last task. ``root_facts`` gives
    each root's resources their own facts as the root arrives (here, while the workers read the rest), and
    ``prepared`` (``PreparedWorkloads``) the workloads of each manifest directory their own parts. Once every
    root has arrived (with its own facts), ``roots_in`` is given their resources, in order, while the workers
    read on (``EarlyRules.prepare``)."""
    tasks: list[Callable[[], Any]] = []
    if terraform_dirs:
        from linter.terraform_roots import root_tasks

        tasks += root_tasks(terraform_dirs, config, catalog, options, display_path)
    first_manifest = len(tasks)
    if yaml_files:
        from linter.sources.kubernetes import manifest_tasks

        tasks += manifest_tasks(yaml_files, explicit, display_path)
    on_result = None
    arrived: dict[int, Any] = {}  # root results by index, until all are in (for ``roots_in``)
    if root_facts is not None or prepared is not None:
        def on_result(index: int, result: Any) -> None:
            if index < first_manifest:
                if root_facts is not None:
                    root_facts.give(result)
                if roots_in is not None and index not in arrived:
                    arrived[index] = result
                    if len(arrived) == first_manifest:
                        roots_in([r for i in range(first_manifest) for r in arrived[i].resources])
            elif prepared is not None:
                prepared.give(result)
    if options.jobs == 1 or len(tasks) < 2:  # the common pre-commit case: no process machinery at all
        done = []
        for index, task in enumerate(tasks):
            done.append(task())
            if on_result is not None:
                on_result(index, done[-1])
    else:
        from linter.terraform_roots import terraform_files
        from linter.workers import run_tasks

        done = run_tasks(tasks, options.jobs, terraform_files(terraform_dirs) + len(yaml_files), on_result)
    roots = None
    if terraform_dirs:
        from linter.terraform_roots import merge_roots

        if root_facts is not None:
            root_facts.settle(done[:first_manifest])
        roots = merge_roots(done[:first_manifest])
    return roots, done[first_manifest:] if yaml_files else None


def own_facts(resources: list[Resource], config: Config, catalog: Catalog) -> None:
    """What each resource says of itself alone (tags, workload class, price): no other resource is read."""
    from linter.facts.tags import apply_tag_facts
    from linter.facts.workload import classify
    from linter.pricing.cost import price_resource

    for r in resources:
        apply_tag_facts(r, config)
        r.workload = classify(r, config)
        price_resource(r, catalog, config)


class RootFacts:
    """Own facts of each Terraform root's resources, applied as the root's result comes in from a worker: that
    work is then done while the workers read the remaining roots and manifests, not after them. Nothing between
    reading and the facts (the Kubernetes and Pulumi builders read a Terraform node pool's compute, region,
    provider, address and file) reads what own facts set."""

    def __init__(self, config: Config, catalog: Catalog) -> None:
        self.config, self.catalog = config, catalog
        self._given: list[Any] = []  # the root results given their facts (a worker's, even if later replaced)
        self.count = 0  # how many resources, at the start of the scan's list, have their own facts

    def give(self, read: Any) -> None:
        from linter.pickled_once import thaw

        thaw(read)  # the bytes its cache entry was written from are the resources without facts
        own_facts(read.resources, self.config, self.catalog)
        self._given.append(read)

    def settle(self, final: list[Any]) -> None:
        """The roots' results as the scan keeps them: each has its own facts once (a result read again after a
        worker died has not been given them yet)."""
        for read in final:
            if not any(read is given for given in self._given):
                self.give(read)
        self._given = []
        self.count = sum(len(read.resources) for read in final)


def apply_facts(resources: list[Resource], config: Config, catalog: Catalog, own_facts_done: int = 0) -> None:
    """Facts for the rules; the first ``own_facts_done`` resources already have their own (``RootFacts``)."""
    from linter.facts.links import link_autoscalers, link_gateway_configs
    from linter.facts.tags import apply_billing_facts
    from linter.suppress import ignores_for

    own_facts(resources[own_facts_done:] if own_facts_done else resources, config, catalog)
    cwd = os.getcwd()
    for r in resources:
        r.ignores = ignores_for(r.file, r.line, cwd) or r.ignores
    link_autoscalers(resources)
    link_gateway_configs(resources)
    apply_billing_facts(resources, config)


def rebase(path: str, anchor: str | None, cwd: str | None = None) -> str:
    """A report path (relative to the working directory, ``cwd`` when the caller has it) made relative to
    ``anchor``, so fingerprints and baseline entries do not depend on where the scan was started."""
    if not anchor or not path:
        return path
    cwd = cwd or os.getcwd()
    key = (cwd, path, anchor)
    rebased = _REBASED.get(key)
    if rebased is None:
        full = os.path.join(cwd, path)
        if full.startswith(anchor + os.sep) and _NORMAL.match(full) and _NORMAL.match(anchor):
            rebased = full[len(anchor) + 1:]  # below the anchor, no '.' or '..' parts: what relpath gives, cheaply
        else:
            rebased = os.path.relpath(full, anchor)
        rebased = rebased.replace(os.sep, "/")
        if len(_REBASED) >= 65536:
            _REBASED.clear()
        _REBASED[key] = rebased
    return rebased


_REBASED: dict[tuple[str, str, str], str] = {}  # (working directory, path, anchor) -> rebased path (memoised)
# an absolute path without empty, '.' or '..' parts and no trailing separator (what abspath and display_path give)
_NORMAL = re.compile(r"^(?:/(?!\.\.?(?:/|$))[^/]+)+$" if os.sep == "/" else r"(?!)")


def fingerprint(rule_id: str, resource: Resource, anchor: str | None = None, cwd: str | None = None) -> str:
    """The finding's stable id; ``cwd``: the working directory, when the caller asks for many at once."""
    return fingerprint_of(rule_id, resource.source, resource.origin, resource.file, resource.address, anchor, cwd)


def fingerprint_of(rule_id: str, source: str, origin: str, file: str, address: str, anchor: str | None = None,
                   cwd: str | None = None) -> str:
    """``fingerprint`` from the parts it reads (a grouped finding's block address, its one root or none)."""
    if anchor and cwd is None:
        cwd = os.getcwd()
    key = f"{rule_id}|{source}|{rebase(origin, anchor, cwd)}|{rebase(file, anchor, cwd)}|{address}"
    # a path that is not UTF-8 (os gives its bytes back as surrogates) hashes as those bytes; others as before
    return hashlib.sha256(key.encode("utf-8", "surrogateescape")).hexdigest()[:20]


def _evidence(r: Resource) -> list[str]:
    """The workload class and what set it, in the resource's words (labels on GCP and Kubernetes)."""
    if r.workload.kind == "unknown":
        return []
    word = "label" if r.provider in ("gcp", "kubernetes") else "tag"
    out = []
    for e in r.workload.evidence:
        if e.startswith("tag "):  # effective tags: on the resource, or inherited by it
            e = f"{word} {e[4:]} at {r.file}:{r.line}"
        out.append(f"{r.workload.kind}: {e}")
    return out


def _impact_of(r: Resource, impact: Any, x: dict[str, Any]) -> str | None:
    """What a saving is of when it is larger than the resource's own cost: pods priced as a share of a node
    save on the whole nodes they leave partly idle."""
    cost, saving = r.monthly_cost_usd, impact.monthly_usd
    if impact.kind != "savings" or cost is None or saving is None or saving <= cost:
        return None
    c = r.compute
    if c is not None and c.service == "pod" and c.instance_type:
        nodes = x.get("nodes")
        count = f"{nodes:g} " if isinstance(nodes, (int, float)) else ""
        return f"the {count}{c.instance_type} node(s) its pods pin, not only its pods' share"
    return "more than this resource's own cost (see the assumptions)"


def finding_order(f: Finding) -> tuple[str, int, str, str]:
    return f.file, f.line, f.resource, f.rule_id


def evaluate_rules(resources: list[Resource], rules: list[Rule], config: Config, catalog: Catalog,
                   anchor: str | None = None, broken: set[str] | None = None,
                   ) -> tuple[list[Finding], list[ScanError], list[Hidden]]:
    """Findings (in report order), rule errors and ignored findings; a rule that fails on a resource is not run on
    the next ones (``broken``: the ids of such rules, the caller's set when given)."""
    from linter.rules.impacts import IMPACTS, ImpactContext
    from linter.severity import by_impact

    ictx = ImpactContext(catalog, config)
    findings: list[Finding] = []
    errors: list[ScanError] = []
    hidden: list[Hidden] = []
    active = [rule for rule in rules if rule.id not in config.disabled_rules]
    broken = set() if broken is None else broken
    cwd = os.getcwd() if anchor else None
    applicable: dict[tuple[frozenset[str], str], list[Rule]] = {}  # the rules for each kind of resource, in order
    for r in resources:
        kind = (frozenset(facets_of(r)), r.source)
        rules_here = applicable.get(kind)
        if rules_here is None:
            rules_here = applicable[kind] = [rule for rule in active if kind[0].intersection(rule.applies_to)
                                             and (not rule.sources or r.source in rule.sources)]
        for rule in rules_here:
            if rule.id in broken:
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
            severity, note = by_impact(config.severity.get(rule.id, rule.severity), result.impact.kind,
                                       result.impact.monthly_usd, config.severity_by_impact)
            finding = Finding(
                rule_id=rule.id, rule=rule.name, severity=severity,  # type: ignore[arg-type]
                message=" ".join(message.split()), remediation=" ".join(remediation.split()), source=r.source,
                file=r.file, line=r.line, resource=r.address, resource_type=r.type,
                monthly_cost_usd=r.monthly_cost_usd, impact=result.impact,
                fingerprint=fingerprint(rule.id, r, anchor, cwd),
                evidence=_evidence(r) if "workload" in rule.when_source else [], notes=[note] if note else [],
                impact_of=_impact_of(r, result.impact, result.vars),
                called_from=list(r.called_from), origin=r.origin)
            reason = r.ignores.get(rule.id, r.ignores.get("all"))
            if reason is not None:
                hidden.append(Hidden(finding, "ignore", reason or "(no reason given)"))
                continue
            findings.append(finding)
    findings.sort(key=finding_order)
    return findings, errors, hidden


def scan(paths: list[str], config: Config, catalog: Catalog, rules: list[Rule],
         options: ScanOptions | None = None) -> ScanResult:
    from linter.suppress import clear_ignores

    clear_ignores()
    options = options or ScanOptions()
    root_facts = RootFacts(config, catalog)
    early = None
    if options.jobs != 1:  # the Terraform roots' rules, in a child while the rest is built (linter/early_rules.py)
        from linter.early_rules import EarlyRules

        early = EarlyRules(config, catalog, chosen_rules(rules, options), options.anchor, options.json_findings)
    try:
        resources, errors, skipped = collect_resources(paths, config, catalog, options, root_facts, early)
    except BaseException:
        if early is not None:  # its child, gated or running, goes with the scan
            early.drop()
        raise
    from linter.collector import paused

    with paused():  # facts, findings and rule messages: acyclic, alive until the report is written
        apply_facts(resources, config, catalog, root_facts.count)
        if options.after_facts is not None:
            options.after_facts(resources)
        result = lint(resources, resources, errors, skipped, config, catalog, rules, options, early)
    settle_workers()
    return result


def settle_workers() -> None:
    """Wait for worker processes still writing their cache entries (linter/cache.py ``defer_writes``): long done
    by the end of a large scan, and the next run finds every entry."""
    import sys

    pool = sys.modules.get("linter.pool")
    if pool is not None:
        pool.reap()


def chosen_rules(rules: list[Rule], options: ScanOptions) -> list[Rule]:
    """The rules --skip-rule and --only-rule leave."""
    from linter.filters import by_rule

    wanted = by_rule({r.id for r in rules}, options.skip_rules, options.only_rules)
    return [r for r in rules if r.id in wanted]


def lint(resources: list[Resource], subject: list[Resource], errors: list[ScanError], skipped: list[Skipped],
         config: Config, catalog: Catalog, rules: list[Rule], options: ScanOptions, early: Any = None) -> ScanResult:
    """Rules on ``subject`` (resources with facts applied; ``finops-lint plan`` passes only what a plan changes),
    then ignores, filters, the money floor and the baseline; the result lists all ``resources``. Rules read
    resources and never change them: the JSON inventory may be rendered while they run."""
    from linter.filters import min_monthly
    from linter.suppress import annotation_warnings, ignore_warnings

    chosen = chosen_rules(rules, options)
    group = grouper(resources, rules, config, options.anchor)
    if early is not None:  # the first resources' findings, grouped, from the child that ran their rules (EarlyRules)
        findings, rule_errors, hidden = early.evaluate(subject, chosen, group)
    else:
        findings, rule_errors, hidden = evaluate_rules(subject, chosen, config, catalog, options.anchor)
        findings = group(findings)
    errors.extend(rule_errors)
    warnings = ignore_warnings({r.id for r in rules}, display_path)
    warnings += annotation_warnings(resources, {r.id for r in rules})
    if options.exclude:  # files of an excluded module reached through a module call from an included one
        findings = [f for f in findings if options.exclude.match(f.file) is None]
        hidden = [h for h in hidden if options.exclude.match(h.finding.file) is None]
        warnings = [w for w in warnings if options.exclude.match(w.file) is None]
    if options.keep is not None:
        findings = [f for f in findings if options.keep(f)]
        hidden = [h for h in hidden if options.keep(h.finding)]
    findings, below = min_monthly(findings, options.min_monthly_usd, options.min_monthly_origin)
    findings, baselined = apply_baseline(findings, options.baseline, config, options.anchor)
    hidden.extend(baselined)
    resources.sort(key=report_order)
    errors.sort(key=lambda e: (e.file, e.line or 0))
    suppressed = sum(1 for h in hidden if h.by == "ignore")
    # the money floor and the baseline may add notes to findings: lines encoded before them would miss those
    encoded = early.encoded if early is not None and options.min_monthly_usd is None and options.baseline is None \
        else None
    return ScanResult(findings, resources, errors, skipped, suppressed, len(baselined), warnings, hidden, below,
                      encoded)


def grouper(resources: list[Resource], rules: list[Rule], config: Config,
            anchor: str | None) -> Callable[[list[Finding]], list[Finding]]:
    """Findings -> one per block and verdict (``grouping.group_findings``), before filters; severity follows the
    summed figure. Findings of different sources never share a group or a fingerprint, so the groups of a part of
    them (the roots' findings, in the early rules child) are the groups they form among all."""
    from linter.grouping import group_findings
    from linter.severity import by_impact

    base = {r.id: config.severity.get(r.id, r.severity) for r in rules}
    return lambda findings: group_findings(
        findings, resources, anchor,
        lambda f: by_impact(base.get(f.rule_id, f.severity), f.impact.kind, f.impact.monthly_usd,
                            config.severity_by_impact))


def report_order(r: Resource) -> tuple[str, int, str]:
    return r.file, r.line, r.address


def apply_baseline(findings: list[Finding], baseline: Baseline | set[str] | None, config: Config,
                   anchor: str | None) -> tuple[list[Finding], list[Hidden]]:
    """Hide findings the baseline holds, unless their cost or impact grew past ``baseline_growth``: those
    come back with the baseline's figures beside today's."""
    if baseline is None:
        return findings, []
    kept: list[Finding] = []
    hidden: list[Hidden] = []
    for f in findings:
        if isinstance(baseline, Baseline):
            entry = baseline.match(f, (rebase(f.file, anchor), f.file))
            source = baseline.path
        else:
            entry = {} if f.fingerprint in baseline else None
            source = "the baseline"
        if entry is None:
            kept.append(f)
            continue
        growth = _grown(f, entry, config)
        if growth:
            f.baseline = {"monthly_cost_usd": _num(entry.get("monthly_cost_usd")),
                          "impact_usd": _num(entry.get("impact_usd"))}
            f.notes.append(growth)
            kept.append(f)
        else:
            hidden.append(Hidden(f, "baseline", f"in {source}"))
    return kept, hidden


def _num(value: object) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _grown(f: Finding, entry: dict[str, Any], config: Config) -> str | None:
    """A note when the cost or the impact grew by more than both growth thresholds, else None."""
    limits = config.baseline_growth
    pairs = (("cost", _num(entry.get("monthly_cost_usd")), f.monthly_cost_usd),
             (f.impact.kind, _num(entry.get("impact_usd")), f.impact.monthly_usd))
    for what, old, new in pairs:
        if old is None or new is None or new <= old:
            continue
        if new - old >= limits.usd and (old == 0 or (new - old) / old * 100 >= limits.percent):
            pct = f" (+{(new - old) / old * 100:.0f}%)" if old else ""
            return (f"in the baseline at {what} ${old:,.2f}/mo, now ${new:,.2f}/mo{pct}: grew past "
                    f"baseline_growth ({limits.percent:g}% and ${limits.usd:,.0f})")
    return None


def exceeds(findings: list[Finding], fail_on: str) -> bool:
    if fail_on == "none":
        return False
    threshold = SEVERITY_ORDER[fail_on]
    return any(SEVERITY_ORDER[f.severity] >= threshold for f in findings)
