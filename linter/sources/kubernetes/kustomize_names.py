"""Kustomize's name references (its ``nameReference`` transformer), for the references finops-lint follows.

A base with ``namePrefix: team-`` renames its Deployment ``vllm`` to ``team-vllm``; an overlay's autoscaler that
still says ``scaleTargetRef: {name: vllm}`` is rewritten by kustomize to ``team-vllm``, once, at the end of the
build (api/internal/target/kusttarget.go, FixBackReferences). Without it the autoscaler names nothing and the
Deployment is priced as if it were not scaled (FIN-SCALE-001 links them by that name).

The references are kustomize's defaults (api/internal/konfig/builtinpluginconsts/namereference.go) among the kinds
the render holds: an HPA's ``scaleTargetRef`` (to a Deployment, ReplicationController, ReplicaSet or StatefulSet,
whatever kind the reference says), an Ingress backend's Service and a StatefulSet's ``serviceName``. Others, a KEDA
ScaledObject's ``scaleTargetRef`` or an HTTPRoute's ``backendRefs``, are not in kustomize's list and keep their
names, as kustomize leaves them. The referral is chosen as api/filters/nameref/nameref.go does: objects in the
referrer's namespace that had that name before a rename, then the one whose prefixes and suffixes match the
referrer's; several left with different names is kustomize's "found multiple possible referrals" error.
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from typing import Any, Protocol

from linter.sources.kubernetes.classify import CLUSTER_SCOPED


class Named(Protocol):
    """An object being rendered (kustomize.Item): its data, the ids it had, the prefixes and suffixes it got."""

    @property
    def obj(self) -> Any: ...

    @property
    def prev(self) -> list[tuple[str, str, str]]: ...  # (kind, name, namespace) before each rename

    @property
    def prefixes(self) -> list[str]: ...

    @property
    def suffixes(self) -> list[str]: ...


class AmbiguousReference(ValueError):
    """Several renamed objects could be the one a reference names: kustomize stops the build."""


_SCALED = ("Deployment", "ReplicationController", "ReplicaSet", "StatefulSet")
# (referral kind, referral version or "", referrer kind, referrer group or None, path), in kustomize's order
BACK_REFERENCES: tuple[tuple[str, str, str, str | None, tuple[str, ...]], ...] = (
    *((kind, "", "HorizontalPodAutoscaler", None, ("spec", "scaleTargetRef", "name")) for kind in _SCALED),
    ("Service", "v1", "StatefulSet", "apps", ("spec", "serviceName")),
    ("Service", "v1", "Ingress", None, ("spec", "rules", "http", "paths", "backend", "serviceName")),
    ("Service", "v1", "Ingress", None, ("spec", "backend", "serviceName")),
    ("Service", "v1", "Ingress", None, ("spec", "rules", "http", "paths", "backend", "service", "name")),
    ("Service", "v1", "Ingress", None, ("spec", "defaultBackend", "service", "name")),
)
_REFERRERS = frozenset(ref[2] for ref in BACK_REFERENCES)


def fix_references(items: list[Named]) -> None:
    """Point each reference at the new name of the object it named (after every prefix, suffix and namespace)."""
    if not any(item.prev for item in items):
        return  # nothing was renamed or moved: every reference holds
    for referrer in items:
        kind = referrer.obj.kind
        if kind not in _REFERRERS:
            continue
        namespace = _namespace(referrer)
        nearby = [i for i in items if i.obj.kind in CLUSTER_SCOPED or _namespace(i) == namespace]
        for referral_kind, version, referrer_kind, group, path in BACK_REFERENCES:
            if referrer_kind != kind or (group is not None and _group(referrer.obj.api_version) != group):
                continue
            candidates = [i for i in nearby if i.obj.kind == referral_kind
                          and (not version or _version(i.obj.api_version) == version)]
            if candidates:
                _set(referrer.obj.data, path, functools.partial(_new_name, referrer=referrer, candidates=candidates))


def _set(node: Any, path: tuple[str, ...], rename: Callable[[str], str]) -> None:
    """Apply ``rename`` to the text at ``path``, through every element of a list met on the way."""
    if isinstance(node, list):
        for element in node:
            _set(element, path, rename)
        return
    if not isinstance(node, dict) or path[0] not in node:
        return
    if len(path) == 1:
        if isinstance(node[path[0]], str):
            node[path[0]] = rename(node[path[0]])
        return
    _set(node[path[0]], path[1:], rename)


def _new_name(old: str, referrer: Named, candidates: list[Named]) -> str:
    found = [c for c in candidates if any(name == old for _, name, _ in c.prev)]
    if len(found) > 1:
        found = [c for c in found if _same_ends(c, referrer, allow_empty=True)]
        if len(found) > 1:
            found = [c for c in found if _same_ends(c, referrer, allow_empty=False)]
    if not found:
        return old
    names = {_name(c) for c in found}
    if len(names) > 1:
        raise AmbiguousReference(f"{referrer.obj.kind} {_name(referrer)} names {old!r}, which several objects were "
                                 f"called before a prefix or suffix ({', '.join(sorted(names))})")
    return names.pop()


def _same_ends(a: Named, b: Named, allow_empty: bool) -> bool:
    """kustomize's PrefixesSuffixesEquals: the shorter list of prefixes (suffixes) ends the longer one."""
    def same(x: list[str], y: list[str]) -> bool:
        if allow_empty and (not x or not y):
            return True
        short, long_ = (x, y) if len(x) <= len(y) else (y, x)
        if not short:
            return not long_
        return long_[len(long_) - len(short):] == short

    return same(a.prefixes, b.prefixes) and same(a.suffixes, b.suffixes)


def _name(item: Named) -> str:
    meta = item.obj.data.get("metadata")
    return str(meta.get("name") or "") if isinstance(meta, dict) else ""


def _namespace(item: Named) -> str:
    meta = item.obj.data.get("metadata")
    return str(meta.get("namespace") or "default") if isinstance(meta, dict) else "default"


def _group(api_version: str) -> str:
    return api_version.rsplit("/", 1)[0] if "/" in api_version else ""


def _version(api_version: str) -> str:
    return api_version.rsplit("/", 1)[-1]
