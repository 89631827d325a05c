"""Kustomize overlays rendered in-process, for a well-defined subset: what a production overlay changes about cost.

A base priced as written misses what its overlays deploy: replicas raised to 8, a patch that doubles the GPUs, the
vLLM image tag pinned, cost labels added by ``commonLabels``. This renders, without the ``kustomize`` binary and
without fetching anything: ``resources``/``bases`` (files, and directories with their own kustomization, recursively,
cycles refused), ``namespace``, ``namePrefix``/``nameSuffix`` (names, and the references kustomize follows to a
renamed object, kustomize_names.py), ``commonLabels``/``labels``, ``commonAnnotations``, ``replicas``, ``images``
(kustomize_images.py), ``patches``/``patchesStrategicMerge``/``patchesJson6902`` (kustomize_patch.py; a target's
label and annotation selectors in Kubernetes' syntax, label_selector.py), in kustomize's order
(kubernetes-sigs/kustomize api/internal/target/kusttarget_configplugin.go: patches, namespace, prefix/suffix, labels,
annotations, JSON 6902 patches, replicas, images). Generators make ConfigMaps and Secrets, which cost nothing: they
are passed over, and so is a patch of a kind finops-lint does not read (a ClusterRole, a CRD, a webhook
configuration): the render holds only the kinds it prices, and nothing such a patch changes is priced. Any other
feature (components, replacements, vars, helmCharts, plugins, remote bases) leaves the kustomization unrendered,
with a note that names the feature and its line: its files are then read as written. So does a build kustomize
itself refuses (its default load restrictor: a resource or patch file outside the kustomization's directory; an
object reached twice; two kustomization files in one directory; a selector that does not parse): pricing what
kustomize would not deploy, or an object twice, would be wrong either way.

Which kustomizations are rendered: those no other kustomization of the scan includes (the overlays, or a base
scanned alone). Their objects replace the files they come from: a base used by two overlays gives each overlay's
objects, and not its own. Each object keeps the file and line it is written at (suppressions, SARIF and PR comments
point at real lines) and says which kustomization rendered it; the same address from two overlays is told apart by
the overlay (``Deployment/ml/vllm@overlays/prod``). Nothing here is cached: the files are read (and cached) as every
manifest is, and rendering them again is cheap, so an edit to any file of a kustomization shows at once.
"""

from __future__ import annotations

import copy
import functools
import os
import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.model import Resource, Skipped
from linter.records import record
from linter.sources.kubernetes.classify import ALL_KINDS, CLUSTER_SCOPED, KUSTOMIZATION_NAMES, api_group, recognised
from linter.sources.kubernetes.kustomize_images import ImageError, apply_images
from linter.sources.kubernetes.kustomize_names import AmbiguousReference, fix_references
from linter.sources.kubernetes.kustomize_patch import PatchError, json6902, strategic_merge
from linter.sources.kubernetes.label_selector import Requirement, SelectorError
from linter.sources.kubernetes.label_selector import matches as matches_selector
from linter.sources.kubernetes.label_selector import parse as parse_selector
from linter.sources.kubernetes.read import Obj

RENDERED = frozenset({"resources", "bases", "namespace", "namePrefix", "nameSuffix", "commonLabels", "labels",
                      "commonAnnotations", "replicas", "images", "patches", "patchesStrategicMerge",
                      "patchesJson6902"})
PASSED_OVER = frozenset({"apiVersion", "kind", "metadata", "configMapGenerator", "secretGenerator",
                         "generatorOptions", "sortOptions", "buildMetadata", "openapi"})  # nothing priced
_REMOTE = re.compile(r"^(?:[a-z][a-z0-9+.-]*://|git@|(?:github|gitlab|bitbucket)\.(?:com|org)/)|[?&]ref=", re.I)
# kustomize's default field specs (api/konfig/builtinpluginconsts): where pod templates and selectors are
_TEMPLATES = {"Deployment": ("spec", "template"), "ReplicaSet": ("spec", "template"), "DaemonSet": ("spec", "template"),
              "StatefulSet": ("spec", "template"), "Job": ("spec", "template"),
              "ReplicationController": ("spec", "template"), "CronJob": ("spec", "jobTemplate", "spec", "template")}
_MATCH_LABELS = frozenset({"Deployment", "ReplicaSet", "DaemonSet", "StatefulSet"})
_REPLICAS = frozenset({"Deployment", "ReplicaSet", "StatefulSet", "ReplicationController"})
# a quantified group holding a quantifier, "(a+)+", "(x|.*)*": patterns come from the scanned repository, and
# this shape is what makes a backtracking matcher run for ever on a short name
_NESTED_QUANTIFIER = re.compile(r"\((?:[^()\\]|\\.)*[*+}](?:[^()\\]|\\.)*\)[*+{?]")
_UNNAMED = frozenset({"Namespace", "CustomResourceDefinition"})  # kustomize does not prefix these


class NotRendered(Exception):
    """Why a kustomization is not rendered: the file and line to look at, and the reason in words."""

    def __init__(self, path: str, line: int | None, reason: str) -> None:
        super().__init__(reason)
        self.path, self.line, self.reason = path, line, reason


@record
class Item:
    """One object being rendered: the file it is written in, and the names it had (a patch may name any)."""

    file: str
    obj: Obj
    names: set[str] = field(default_factory=set)
    prev: list[tuple[str, str, str]] = field(default_factory=list)  # (kind, name, namespace) before each change
    prefixes: list[str] = field(default_factory=list)  # the namePrefixes it got, innermost first
    suffixes: list[str] = field(default_factory=list)

    def store_id(self) -> None:
        """Note the current id before a transformer changes it, as kustomize's StorePreviousId does: a name
        reference to any id it had follows it (kustomize_names.py)."""
        self.prev.append((self.obj.kind, str(self.meta.get("name") or ""), str(self.meta.get("namespace") or "")))

    @property
    def meta(self) -> dict[str, Any]:
        m = self.obj.data.get("metadata")
        if not isinstance(m, dict):
            m = self.obj.data["metadata"] = {}
        return m


@record
class Rendered:
    root: str
    items: list[Item] = field(default_factory=list)
    files: set[str] = field(default_factory=set)  # resource files whose objects the render holds
    kustomizations: set[str] = field(default_factory=set)
    patches: set[str] = field(default_factory=set)


def kustomization_in(directory: str) -> str | None:
    for name in KUSTOMIZATION_NAMES:
        path = os.path.join(directory, name)
        if fs.isfile(path):
            return path
    return None


def _parse(path: str) -> tuple[dict[str, Any], dict[str, int]]:
    """The kustomization and the line of each top-level key."""
    import yaml

    from linter.files import UnreadableFile, read_text

    try:
        text = read_text(path)
        node = yaml.compose(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        doc = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except UnreadableFile as exc:
        raise NotRendered(path, exc.line, f"kustomization not rendered: {exc.message}") from None
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise NotRendered(path, None, f"kustomization not rendered: invalid YAML ({exc})") from None
    if not isinstance(doc, dict):
        raise NotRendered(path, 1, "kustomization not rendered: it is not a YAML mapping")
    lines = {str(k.value): k.start_mark.line + 1 for k, _ in node.value} if isinstance(node, yaml.MappingNode) else {}
    return doc, lines


def _entries(doc: dict[str, Any], key: str) -> list[Any]:
    value = doc.get(key)
    return value if isinstance(value, list) else []


def included(path: str) -> list[str]:
    """The kustomizations ``path`` includes as resources, bases or components (none when it cannot be read)."""
    try:
        doc, _ = _parse(path)
    except NotRendered:
        return []
    out = []
    for key in ("resources", "bases", "components"):
        for entry in _entries(doc, key):
            if isinstance(entry, str) and not _REMOTE.search(entry):
                child = kustomization_in(os.path.normpath(os.path.join(os.path.dirname(path), entry)))
                if child:
                    out.append(child)
    return out


def roots(kustomizations: list[str]) -> list[str]:
    """The kustomizations no other one includes, directly or through kustomizations between them; one that
    includes itself is a root too (its render is refused with a note rather than left out silently)."""
    children: dict[str, list[str]] = {}

    def reach(start: str) -> set[str]:
        seen: set[str] = set()
        stack = [start]
        while stack:
            path = stack.pop()
            if path not in children:
                children[path] = included(path)
            for child in children[path]:
                if child not in seen:
                    seen.add(child)
                    stack.append(child)
        return seen

    reached = {k: reach(k) for k in kustomizations}
    inside = set().union(*reached.values())
    return [k for k in kustomizations if k not in inside or k in reached[k]]


def render(root: str, load: Callable[[str], list[Obj]]) -> Rendered:
    """The objects the kustomization ``root`` builds; ``load``: the modelled objects of a manifest file."""
    out = Rendered(root)
    out.items = _build(root, [], out, load)
    try:
        fix_references(out.items)
    except AmbiguousReference as exc:
        raise NotRendered(root, None, f"kustomization not rendered: {exc} (kustomize stops: found multiple "
                          "possible referrals)") from None
    return out


def _build(path: str, stack: list[str], out: Rendered, load: Callable[[str], list[Obj]]) -> list[Item]:
    if path in stack:
        raise NotRendered(path, None, "kustomization not rendered: it includes itself through "
                          + " -> ".join(os.path.basename(os.path.dirname(p)) for p in [*stack, path]))
    doc, lines = _parse(path)
    out.kustomizations.add(path)
    here = os.path.dirname(path)
    if sum(fs.isfile(os.path.join(here, name)) for name in KUSTOMIZATION_NAMES) > 1:
        raise NotRendered(path, None, "kustomization not rendered: its directory holds more than one kustomization "
                          f"file ({', '.join(KUSTOMIZATION_NAMES)}), which kustomize refuses")
    for key in doc:
        if key not in RENDERED and key not in PASSED_OVER:
            raise NotRendered(path, lines.get(str(key)), f"Kustomize `{key}` is not rendered by finops-lint: this "
                              "kustomization's files are scanned as written (its patches, names and labels not "
                              "applied); run `kubectl kustomize` and scan the output")
    items: list[Item] = []
    for key in ("resources", "bases"):
        for entry in _entries(doc, key):
            items += _resource(path, here, key, entry, lines.get(key), [*stack, path], out, load)
    _unique(items, path, lines.get("resources") or lines.get("bases"), "is included twice (kustomize: may not add "
            "resource with an already registered id)")
    _patches(path, here, doc, lines, items, out, json=False)
    _namespace(doc.get("namespace"), items)
    _unique(items, path, lines.get("namespace"), "is made twice by the namespace (kustomize: namespace "
            "transformation produces ID conflict)")
    _rename(doc.get("namePrefix"), doc.get("nameSuffix"), items)
    _labels(doc, items)
    _annotate(doc.get("commonAnnotations"), items)
    _patches(path, here, doc, lines, items, out, json=True)
    _replicas(_entries(doc, "replicas"), items)
    try:
        apply_images(_entries(doc, "images"), [item.obj.data for item in items], _NESTED_QUANTIFIER)
    except ImageError as exc:
        raise NotRendered(path, lines.get("images"), f"kustomization not rendered: {exc}") from None
    return items


def _resource(path: str, here: str, key: str, entry: Any, line: int | None, stack: list[str], out: Rendered,
              load: Callable[[str], list[Obj]]) -> list[Item]:
    if not isinstance(entry, str) or not entry.strip():
        raise NotRendered(path, line, f"kustomization not rendered: a `{key}` entry that is not a path: {entry!r}")
    if _REMOTE.search(entry):
        raise NotRendered(path, line, f"Kustomize remote {key[:-1]} {entry} is not fetched by finops-lint: this "
                          "kustomization's files are scanned as written; run `kubectl kustomize` and scan the output")
    target = os.path.normpath(os.path.join(here, entry))
    if fs.isdir(target):
        child = kustomization_in(target)
        if child is None:
            raise NotRendered(path, line, f"kustomization not rendered: {entry} is a directory without a "
                              "kustomization")
        return _build(child, stack, out, load)
    if not fs.isfile(target):
        raise NotRendered(path, line, f"kustomization not rendered: {key} entry {entry} does not exist")
    _within(path, here, entry, line)
    out.files.add(target)
    return [Item(target, Obj(o.api_version, o.kind, copy.deepcopy(o.data), o.line, o.item_lines), {_name(o.data)})
            for o in load(target)]


def _within(path: str, here: str, entry: str, line: int | None) -> None:
    """kustomize loads a file (a resource, a patch) only from the kustomization's directory or below it, symlinks
    resolved (its default load restrictor, api/internal/loader/loadrestrictions.go); a directory elsewhere is
    another kustomization, and may be anywhere."""
    root = os.path.realpath(here)
    directory = os.path.dirname(os.path.realpath(os.path.join(here, entry)))
    if directory != root and not directory.startswith(root.rstrip(os.sep) + os.sep):
        raise NotRendered(path, line, f"kustomization not rendered: {entry} is outside the kustomization's "
                          "directory, and kustomize refuses to load it (\"security; file is not in or below\") "
                          "unless built with --load-restrictor LoadRestrictionsNone; build it so and scan the "
                          "output")


def _unique(items: list[Item], path: str, line: int | None, why: str) -> None:
    """Each object once, as kustomize requires of its ids (group, version, kind, namespace, name): a base reached
    by two paths, or a file listed twice, would otherwise be priced twice."""
    seen: set[tuple[str, str, str, str]] = set()
    for item in items:
        key = (item.obj.api_version, item.obj.kind, str(item.meta.get("namespace") or "default"), _name(item.obj.data))
        if key in seen:
            raise NotRendered(path, line, f"kustomization not rendered: {key[1]} {key[3]} (namespace {key[2]}) {why}")
        seen.add(key)


def _name(data: dict[str, Any]) -> str:
    meta = data.get("metadata")
    return str(meta.get("name") or "") if isinstance(meta, dict) else ""


# -- patches -----------------------------------------------------------------------------------------------------
def _patch_docs(path: str, here: str, entry: Any, line: int | None, out: Rendered) -> list[Any]:
    """The YAML documents of a patch given by path or inline."""
    import yaml

    from linter.files import UnreadableFile, read_text

    text, where = None, path
    if isinstance(entry, dict) and isinstance(entry.get("patch"), str):
        text = entry["patch"]
    else:
        name = entry.get("path") if isinstance(entry, dict) else entry
        if not isinstance(name, str):
            raise NotRendered(path, line, f"kustomization not rendered: a patch without path or patch: {entry!r}")
        if "\n" in name or name.lstrip().startswith(("{", "[")):  # patchesStrategicMerge also takes inline YAML
            text = name
        else:
            where = os.path.normpath(os.path.join(here, name.strip()))
            _within(path, here, name.strip(), line)
            try:
                text = read_text(where)
            except UnreadableFile as exc:
                raise NotRendered(path, line, f"kustomization not rendered: patch {name}: {exc.message}") from None
            out.patches.add(where)
    try:
        return [d for d in yaml.load_all(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader)) if d is not None]
    except (yaml.YAMLError, RecursionError, ValueError) as exc:
        raise NotRendered(path, line, f"kustomization not rendered: patch in {os.path.basename(where)} is not valid "
                          f"YAML ({exc})") from None


def _patches(path: str, here: str, doc: dict[str, Any], lines: dict[str, int], items: list[Item], out: Rendered,
             json: bool) -> None:
    keys = ("patchesJson6902",) if json else ("patchesStrategicMerge", "patches")
    for key in keys:
        for entry in _entries(doc, key):
            line = lines.get(key)
            target = entry.get("target") if isinstance(entry, dict) else None
            docs = _patch_docs(path, here, entry, line, out)
            if isinstance(target, dict) and sum(isinstance(d, dict) for d in docs) > 1:
                raise NotRendered(path, line, "kustomization not rendered: a `patches` entry with a target holds "
                                  f"{len(docs)} strategic-merge patches, which kustomize refuses (one per entry)")
            for patch in docs:
                try:
                    _apply(patch, target if isinstance(target, dict) else None, key, items)
                except PatchError as exc:
                    raise NotRendered(path, line, f"kustomization not rendered: a patch of `{key}` does not apply: "
                                      f"{exc}") from None


def _apply(patch: Any, target: dict[str, Any] | None, key: str, items: list[Item]) -> None:
    if target is not None:
        _check_selectors(target)
    if isinstance(patch, list):  # JSON 6902 operations
        if target is None:
            raise PatchError("JSON 6902 operations without a target")
        for item in [i for i in items if _selected(i, target)]:
            item.store_id()
            _replace(item, json6902(item.obj.data, patch))
        return
    if not isinstance(patch, dict):
        raise PatchError(f"neither an object nor a list of operations: {patch!r}")
    if key == "patchesJson6902":
        raise PatchError("patchesJson6902 holds a partial object, not a list of operations")
    if target is None:  # a partial object names what it patches
        if not _modelled(patch):
            return  # a ClusterRole, a CRD, a ConfigMap: not among the objects read, and nothing it changes is priced
        target = {"kind": patch.get("kind"), "name": _name(patch), "exact": True}
        meta = patch.get("metadata")
        if isinstance(meta, dict) and meta.get("namespace"):
            target["namespace"] = meta["namespace"]
        hits = [i for i in items if _selected(i, target)]
        if not hits:
            raise PatchError(f"no {target['kind']} named {target['name']!r} among the resources")
    else:
        hits = [i for i in items if _selected(i, target)]
        # a targeted patch lands on objects of other names: its own name and kind are not applied
        patch = {k: v for k, v in patch.items() if k not in ("kind", "apiVersion")}
        meta = patch.get("metadata")
        if isinstance(meta, dict):
            patch["metadata"] = {k: v for k, v in meta.items() if k not in ("name", "namespace")}
    for item in hits:
        merged = strategic_merge(item.obj.data, patch)
        if merged is None:
            items.remove(item)
        else:
            _replace(item, merged)


def _modelled(patch: dict[str, Any]) -> bool:
    """Whether the object a patch names is of a kind the render holds: ``load`` gives only the kinds finops-lint
    reads, so a patch of any other kind (kubeflow's ClusterRole aggregation labels, kserve's CRD conversion
    webhooks) finds no target here though kustomize finds one."""
    kind, api = patch.get("kind"), patch.get("apiVersion")
    if not isinstance(kind, str) or not kind:
        return True  # no kind: kustomize refuses it, and so does the search below
    return kind in ALL_KINDS and (not isinstance(api, str) or recognised(api, kind))


def _replace(item: Item, data: dict[str, Any]) -> None:
    api, kind = data.get("apiVersion"), data.get("kind")
    item.obj = Obj(api if isinstance(api, str) else item.obj.api_version, kind if isinstance(kind, str)
                   else item.obj.kind, data, item.obj.line, item.obj.item_lines)


def _matches(pattern: Any, value: str, exact: bool) -> bool:
    if pattern in (None, ""):
        return True
    if exact:
        return str(pattern) == value
    if len(str(pattern)) > 253 or _NESTED_QUANTIFIER.search(str(pattern)):
        raise PatchError(f"target pattern {str(pattern)!r} repeats a repeated group, which Python's regular "
                         "expressions (unlike kustomize's RE2) may take exponential time to match")
    try:
        return re.fullmatch(str(pattern), value) is not None
    except re.error:
        return str(pattern) == value


@functools.lru_cache(maxsize=256)
def _requirements(selector: str) -> tuple[Requirement, ...]:
    return tuple(parse_selector(selector))


def _check_selectors(target: dict[str, Any]) -> None:
    """A target's selectors parse, as kustomize requires (it stops the build on one that does not)."""
    for key in ("labelSelector", "annotationSelector"):
        selector = target.get(key)
        if selector in (None, ""):
            continue
        if not isinstance(selector, str):
            raise PatchError(f"its target's {key} is not text: {selector!r}")
        try:
            _requirements(selector)
        except SelectorError as exc:
            raise PatchError(f"its target's {key} {selector!r} does not parse as a Kubernetes label selector "
                             f"({exc}); kustomize stops there too") from None


def _selector_matches(selector: Any, labels: dict[str, Any]) -> bool:
    return not selector or matches_selector(_requirements(str(selector)), labels)


def _selected(item: Item, target: dict[str, Any]) -> bool:
    exact = bool(target.get("exact"))
    api = item.obj.api_version
    version = api.rsplit("/", 1)[-1]
    meta = item.meta
    return (_matches(target.get("kind"), item.obj.kind, exact)
            and (target.get("group") is None or str(target["group"]) == api_group(api))
            and (target.get("version") is None or str(target["version"]) == version)
            and (target.get("name") in (None, "")
                 or any(_matches(target.get("name"), n, exact) for n in {_name(item.obj.data), *item.names}))
            and _matches(target.get("namespace"), str(meta.get("namespace") or "default"), exact)
            and _selector_matches(target.get("labelSelector"), _as_map(meta.get("labels")))
            and _selector_matches(target.get("annotationSelector"), _as_map(meta.get("annotations"))))


def _as_map(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


# -- transformers ------------------------------------------------------------------------------------------------
def _namespace(namespace: Any, items: list[Item]) -> None:
    if not isinstance(namespace, str) or not namespace:
        return
    for item in items:
        item.store_id()
        if item.obj.kind not in CLUSTER_SCOPED:
            item.meta["namespace"] = namespace


def _rename(prefix: Any, suffix: Any, items: list[Item]) -> None:
    prefix = prefix if isinstance(prefix, str) else ""
    suffix = suffix if isinstance(suffix, str) else ""
    if not prefix and not suffix:
        return
    for item in items:  # kustomize's PrefixTransformer, then its SuffixTransformer
        old = _name(item.obj.data)
        if item.obj.kind in _UNNAMED or not old:
            continue
        item.names.add(old)
        if prefix:
            item.prefixes.append(prefix)
            item.store_id()
            item.meta["name"] = prefix + old
        if suffix:
            item.suffixes.append(suffix)
            item.store_id()
            item.meta["name"] = f"{prefix}{old}{suffix}"


def _at(data: dict[str, Any], path: tuple[str, ...], create: bool) -> dict[str, Any] | None:
    node: Any = data
    for key in path:
        if not isinstance(node, dict):
            return None
        if not isinstance(node.get(key), dict):
            if not create:
                return None
            node[key] = {}
        node = node[key]
    return node if isinstance(node, dict) else None


def _add(data: dict[str, Any], path: tuple[str, ...], pairs: dict[str, str], create: bool = True) -> None:
    node = _at(data, path, create)
    if node is not None:
        node.update(pairs)


def _strs(value: Any) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in _as_map(value).items()}


def _labels(doc: dict[str, Any], items: list[Item]) -> None:
    sets: list[tuple[dict[str, str], bool, bool]] = []  # (pairs, selectors, templates)
    if doc.get("commonLabels"):
        sets.append((_strs(doc["commonLabels"]), True, True))
    for entry in _entries(doc, "labels"):
        if isinstance(entry, dict) and entry.get("pairs"):
            selectors = bool(entry.get("includeSelectors"))
            sets.append((_strs(entry["pairs"]), selectors, selectors or bool(entry.get("includeTemplates"))))
    for pairs, selectors, templates in sets:
        for item in items:
            data, kind = item.obj.data, item.obj.kind
            _add(data, ("metadata", "labels"), pairs)
            if templates and kind in _TEMPLATES:
                _add(data, (*_TEMPLATES[kind], "metadata", "labels"), pairs)
            if selectors and kind in _MATCH_LABELS:
                _add(data, ("spec", "selector", "matchLabels"), pairs)
            elif selectors and kind in ("Service", "ReplicationController"):
                _add(data, ("spec", "selector"), pairs)


def _annotate(annotations: Any, items: list[Item]) -> None:
    pairs = _strs(annotations)
    if not pairs:
        return
    for item in items:
        _add(item.obj.data, ("metadata", "annotations"), pairs)
        if item.obj.kind in _TEMPLATES:
            _add(item.obj.data, (*_TEMPLATES[item.obj.kind], "metadata", "annotations"), pairs)


def _replicas(entries: list[Any], items: list[Item]) -> None:
    for entry in entries:
        if not isinstance(entry, dict) or not isinstance(entry.get("count"), int):
            continue
        for item in items:
            if item.obj.kind in _REPLICAS and entry.get("name") in {_name(item.obj.data), *item.names}:
                spec = _at(item.obj.data, ("spec",), True)
                if spec is not None:
                    spec["replicas"] = entry["count"]


# -- integration ---------------------------------------------------------------------------------------------
def apply_overlays(yaml_files: list[str], parts: list[list[Any]], display: Callable[[str], str]) -> tuple[
        list[list[Any]], list[Skipped], set[str]]:
    """The manifest reads with the scan's top kustomizations rendered: the files they use lose their own objects
    (errors and notes stay), one read per (kustomization, file) holds the rendered ones. Also the notes of
    kustomizations not rendered, and the patch files applied (their "a patch, not a manifest" notes go)."""
    kustomizations = [p for p in yaml_files if os.path.basename(p) in KUSTOMIZATION_NAMES]
    if not kustomizations:
        return parts, [], set()
    from linter.sources.kubernetes.manifest_files import FileRead, _read_manifest_text

    reads: dict[str, Any] = {r.path: r for part in parts for r in part}
    extra: dict[str, Any] = {}  # files outside the scan that a render reads (a base beside the scanned overlay)

    def load(path: str) -> list[Obj]:
        read = reads.get(path) or extra.get(path)
        if read is None:
            from linter.files import UnreadableFile, read_text

            try:
                read = _read_manifest_text(path, display(path), False, read_text(path))
            except UnreadableFile as exc:
                raise NotRendered(path, exc.line, f"kustomization not rendered: {exc.message}") from None
            extra[path] = read
        return list(read.objects)

    done: list[Rendered] = []
    notes: list[Skipped] = []
    noted: set[str] = set()  # kustomizations whose note says why they are not rendered
    for root in roots(kustomizations):
        try:
            done.append(render(root, load))
        except NotRendered as exc:
            notes.append(Skipped(file=display(exc.path), line=exc.line, reason=exc.reason))
            noted.add(exc.path)
    used = {f for r in done for f in r.files}
    kusts = {k for r in done for k in r.kustomizations}
    noted = {p for p in noted if os.path.basename(p) in KUSTOMIZATION_NAMES}  # (not a resource file unread)
    kusts |= noted
    out = [[_emptied(FileRead, read) if read.path in used or read.path in kusts else read for read in part]
           for part in parts]
    rendered = []
    for r in done:
        by_file: dict[str, list[Obj]] = {}
        for item in r.items:
            by_file.setdefault(item.file, []).append(item.obj)
        rendered += [FileRead(path, display(path), objects=objs, rendered_by=r.root) for path, objs in by_file.items()]
    for path, read in extra.items():  # a file outside the scan: its errors and notes, once
        if read.errors or read.skipped:
            rendered.append(FileRead(path, read.shown, errors=read.errors, skipped=read.skipped))
    return [*out, rendered], notes, {p for r in done for p in r.patches}


def _emptied(file_read: Any, read: Any) -> Any:
    """A read without its objects (a render holds them) and without the "kustomization, not a manifest" note (a
    kustomization not rendered has its own note, which says why)."""
    return file_read(read.path, read.shown, errors=read.errors, litellm=read.litellm,
                     skipped=[s for s in read.skipped if not s.reason.startswith("kustomization, not a manifest")])


def settle(built: list[tuple[Any, Resource]], display: Callable[[str], str],
           retarget: Callable[[Resource, dict[str, str]], None]) -> None:
    """Rendered resources say which kustomization rendered them; an address two kustomizations render is told
    apart by the kustomization's directory (links and evidence among its own objects follow)."""
    by_root: dict[str, list[Resource]] = {}
    for s, r in built:
        if getattr(s, "rendered_by", ""):
            by_root.setdefault(s.rendered_by, []).append(r)
    if not by_root:
        return
    roots_of: dict[str, set[str]] = {}
    for root, resources in by_root.items():
        for r in resources:
            roots_of.setdefault(r.address, set()).add(root)
    for root, resources in by_root.items():
        where = display(os.path.dirname(root)) or "."
        renamed = {r.address: f"{r.address}@{where}" for r in resources if len(roots_of[r.address]) > 1}
        note = f"rendered by {display(root)}"
        for r in resources:
            r.price_notes.append(note)
            if r.compute is not None:
                r.compute.evidence.append(note)
            if renamed:
                retarget(r, renamed)
