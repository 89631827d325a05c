"""Terraform/OpenTofu plan JSON -> raw resources before and after, for the HCL reader's mappers.

Each resource change gives the resource as it is (``before``) and as it will be (``after``);
both become :class:`RawResource` values shaped like the HCL evaluator's, with the provider
configuration the resource uses (region, AWS ``default_tags``, Google ``default_labels``). What the
provider already resolved wins over the configuration: ``tags_all`` holds the effective AWS tags,
``terraform_labels`` the Google ones, and AWS provider v6 writes each resource's ``region``.
"""

from __future__ import annotations

import os
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.costdiff import action_of
from linter.model import ScanError, Skipped
from linter.records import record
from linter.sources.terraform.module import KUBE_PROVIDERS, ProviderConfig, RawResource, connection_refs
from linter.sources.terraform.values import Unknown, is_unknown
from linter.sources.terraform_plan.configuration import Configuration, ModuleConfig, module_names
from linter.sources.terraform_plan.document import PlanDocument, PlanError, load_plan_document
from linter.sources.terraform_plan.source_map import Location, SourceMap, holds_terraform
from linter.sources.terraform_plan.values import expression_at, plan_values

_REGION_KEYS = ("region", "location", "zone")


@record
class PlanEntry:
    address: str
    action: str
    before: RawResource | None
    after: RawResource | None
    location: Location | None = None  # where the .tf source declares it, when mapped


@record
class PlanRead:
    document: PlanDocument
    entries: list[PlanEntry] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    source_dir: str | None = None


def default_source_dir(plan_path: str) -> str | None:
    """The plan file's directory when it holds ``.tf`` files (``terraform show -json`` run in the root module)."""
    directory = os.path.dirname(os.path.abspath(plan_path))
    return directory if holds_terraform(directory) else None


def _strings(value: Any) -> dict[str, Any] | None:
    return {str(k): v for k, v in value.items()} if isinstance(value, dict) else None


class _Reader:
    def __init__(self, doc: PlanDocument, source_dir: str | None, display: Any) -> None:
        self.doc = doc
        self.display = display
        self.configuration = Configuration(doc.data)
        self.source_map = SourceMap(source_dir, self.configuration, display) if source_dir else None
        self._hcl_providers: dict[str, ProviderConfig] | None = None
        self._providers: dict[str, ProviderConfig] = {}

    # -- providers ---------------------------------------------------------------------
    def hcl_providers(self) -> dict[str, ProviderConfig]:
        if self._hcl_providers is None:
            self._hcl_providers = self.source_map.root_providers() if self.source_map else {}
        return self._hcl_providers

    def provider(self, key: str, config: dict[str, Any] | None) -> ProviderConfig:
        cached = self._providers.get(key)
        if cached is not None:
            return cached
        name = str((config or {}).get("name") or key.split(":")[-1].split(".")[0])
        alias = (config or {}).get("alias")
        exprs = (config or {}).get("expressions")
        exprs = exprs if isinstance(exprs, dict) else {}
        module = self.configuration.provider_module(config) if config else self.configuration.root
        hcl = self.hcl_providers().get(key) if ":" not in key else None  # root provider blocks only
        region: Any = None
        for k in _REGION_KEYS:
            if k in exprs:
                region = self.configuration.resolve(exprs[k], module)
                break
        if (region is None or is_unknown(region)) and hcl is not None and isinstance(hcl.region, str):
            region = hcl.region
        tags: dict[str, Any] = {}
        block = exprs.get("default_tags")
        block = block[0] if isinstance(block, list) and block and isinstance(block[0], dict) else None
        if block is not None and "tags" in block:
            value = self.configuration.resolve(block["tags"], module)
            if isinstance(value, dict):
                tags = value
            elif hcl is not None and hcl.default_tags:
                tags = hcl.default_tags
            else:
                tags = {"__unknown__": value}
        labels: dict[str, Any] = {}
        if "default_labels" in exprs:
            value = self.configuration.resolve(exprs["default_labels"], module)
            labels = value if isinstance(value, dict) else (hcl.default_labels if hcl is not None else {})
        provider = ProviderConfig(name, alias if isinstance(alias, str) else None,
                                  region if isinstance(region, str) else None, tags, labels,
                                  cluster_refs=self.cluster_refs(config, exprs, module) if name in KUBE_PROVIDERS
                                  else ())
        self._providers[key] = provider
        return provider

    def cluster_refs(self, config: dict[str, Any] | None, exprs: dict[str, Any],
                     module: ModuleConfig | None) -> tuple[str, ...]:
        """The resources a Kubernetes provider's ``host`` (or other connection argument) reads, module outputs
        followed to the cluster inside (``module.eks.cluster_endpoint`` -> ``module.eks.aws_eks_cluster.this``):
        its objects are priced in that cluster's region, as the HCL reader does."""
        address = (config or {}).get("module_address")
        prefix = f"{address}." if isinstance(address, str) and address else ""

        def refs_of(name: str) -> list[str]:
            expr = exprs.get(name)
            refs = expr.get("references") if isinstance(expr, dict) else None
            refs = [r for r in refs if isinstance(r, str)] if isinstance(refs, list) else []
            return list(self.configuration.references(refs, module, prefix))

        return connection_refs(refs_of)

    @staticmethod
    def effective(base: ProviderConfig, rtype: str, values: dict[str, Any]) -> ProviderConfig:
        """The resource's own resolved facts over its provider's: AWS ``tags_all`` (default_tags merged by the
        provider) and v6 ``region``, Google ``terraform_labels`` (default_labels merged)."""
        region, tags, labels = base.region, base.default_tags, base.default_labels
        if rtype.startswith("aws_"):
            if isinstance(values.get("region"), str):
                region = values["region"]
            tags_all = _strings(values.get("tags_all"))
            if tags_all is not None:
                tags = tags_all  # own tags are merged over these by the mapper, which gives tags_all again
        elif rtype.startswith("google_"):
            merged = _strings(values.get("terraform_labels"))
            if merged is not None:
                labels = merged
        if (region, tags, labels) == (base.region, base.default_tags, base.default_labels):
            return base
        return ProviderConfig(base.name, base.alias, region, tags, labels, base.file, base.line)

    # -- resources ---------------------------------------------------------------------
    def raw(self, rc: dict[str, Any], values: Any, unknown: Any, sensitive: Any, location: Location | None,
            module: ModuleConfig | None, config_resource: dict[str, Any] | None, base: ProviderConfig) -> RawResource:
        address, rtype = rc["address"], rc["type"]
        module_address = rc.get("module_address") or ""
        prefix = f"{module_address}." if module_address else ""
        expressions = (config_resource or {}).get("expressions")

        def refs_at(path: tuple[Any, ...]) -> tuple[str, ...]:
            expr = expression_at(expressions, path)
            refs = expr.get("references") if isinstance(expr, dict) else None
            return self.configuration.references(refs, module, prefix) if isinstance(refs, list) else ()

        merged = plan_values(values, unknown, sensitive, refs_at)
        merged = merged if isinstance(merged, dict) else {}
        unknown_attrs = {k: v.reason for k, v in merged.items() if isinstance(v, Unknown)}
        file, line = (location.file, location.line) if location else (self.doc.path, self.doc.line_of(address))
        return RawResource(rtype, rc["name"], address, merged, file, line, self.effective(base, rtype, merged),
                           prefix, unknown_attrs, rc.get("mode", "managed"), location.called_from if location else ())

    def entry(self, rc: dict[str, Any]) -> PlanEntry:
        change = rc.get("change") or {}
        actions = change.get("actions") or []
        action = action_of(actions)
        if "forget" in actions and "create" not in actions:  # removed {destroy = false}: it stays, and is paid,
            change = {**change, "after": change.get("before"), "after_unknown": None,  # outside Terraform
                      "after_sensitive": change.get("before_sensitive")}
        module_address = rc.get("module_address") or ""
        module = self.configuration.module(module_names(module_address))
        config_resource = module.resource(rc["type"], rc["name"]) if module is not None else None
        key, pconf = self.configuration.provider_config(config_resource, str(rc.get("provider_name") or rc["type"]),
                                                        module_address)
        base = self.provider(key, pconf)
        location = self.source_map.locate(module_address, rc["type"], rc["name"]) if self.source_map else None
        before = after = None
        if isinstance(change.get("before"), dict) and action != "create":
            before = self.raw(rc, change["before"], None, change.get("before_sensitive"), location, module,
                              config_resource, base)
        if isinstance(change.get("after"), dict) and action != "delete":
            after = self.raw(rc, change["after"], change.get("after_unknown"), change.get("after_sensitive"),
                             location, module, config_resource, base)
        return PlanEntry(rc["address"], action, before, after, location)


def _check_change(rc: Any) -> str | None:
    if not isinstance(rc, dict):
        return "a resource_changes entry is not an object"
    for key in ("address", "type", "name"):
        if not isinstance(rc.get(key), str):
            return f"resource change without a string '{key}'"
    change = rc.get("change")
    if not isinstance(change, dict) or not isinstance(change.get("actions"), list):
        return f"{rc['address']}: change.actions missing"
    return None


def _state_resources(module: Any) -> list[dict[str, Any]]:
    """Resources of a state/planned-values module tree, child modules included."""
    if not isinstance(module, dict):
        return []
    out = [r for r in module.get("resources") or [] if isinstance(r, dict)]
    for child in module.get("child_modules") or []:
        out.extend(_state_resources(child))
    return out


def read_plan(path: str, source_dir: str | None, display: Any) -> PlanRead:
    """Read a plan file; :class:`PlanError` when it is not one. ``source_dir`` None means the default."""
    doc = load_plan_document(path, display(path))
    if source_dir is not None and not fs.isdir(source_dir):
        raise PlanError(display(source_dir), "--source-dir is not a directory")
    directory = source_dir if source_dir is not None else default_source_dir(path)
    reader = _Reader(doc, directory, display)
    result = PlanRead(doc, source_dir=directory)
    data = doc.data
    if data.get("errored") is True:
        result.skipped.append(Skipped(file=doc.path, reason="the plan errored: its changes may be incomplete"))
    if data.get("complete") is False:
        result.skipped.append(Skipped(file=doc.path, reason="the plan is not complete (deferred changes); "
                                                            "a later plan may change more"))
    seen: set[str] = set()
    for rc in data.get("resource_changes") or []:
        problem = _check_change(rc)
        if problem is not None:
            address = rc.get("address") if isinstance(rc, dict) else None
            result.errors.append(ScanError(file=doc.path, line=doc.line_of(address) if isinstance(address, str)
                                           else None, message=f"not read: {problem}"))
            continue
        if rc.get("mode", "managed") != "managed":
            continue  # data sources cost nothing themselves
        seen.add(rc["address"])
        entry = reader.entry(rc)
        result.entries.append(entry)
        note = entry.location.note if entry.location else None
        if note and not any(s.reason == note for s in result.skipped):
            result.skipped.append(Skipped(file=entry.location.file, line=entry.location.line, reason=note))
    # resources the plan leaves out of resource_changes (``-target`` plans, old formats) are unchanged
    prior = _state_resources(((data.get("prior_state") or {}).get("values") or {}).get("root_module"))
    planned = _state_resources((data.get("planned_values") or {}).get("root_module"))
    for r in [*prior, *planned]:
        if r.get("mode", "managed") != "managed" or r.get("address") in seen or _check_change(
                {**r, "change": {"actions": []}}) is not None or not isinstance(r.get("values"), dict):
            continue
        seen.add(r["address"])
        module_address = r["address"].rsplit(f"{r['type']}.{r['name']}", 1)[0].rstrip(".")
        rc = {**r, "module_address": module_address,
              "change": {"actions": ["no-op"], "before": r["values"], "after": r["values"],
                         "before_sensitive": r.get("sensitive_values"), "after_sensitive": r.get("sensitive_values")}}
        result.entries.append(reader.entry(rc))
    if reader.source_map is not None:  # the plan is the truth; a .tf file we cannot parse only costs its mapping
        result.skipped.extend(Skipped(file=e.file, line=e.line, reason=f"source mapping: {e.message}")
                              for e in reader.source_map.loader.errors)
    return result
