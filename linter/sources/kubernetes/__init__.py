"""Kubernetes manifests (multi-document YAML, ``kind: List``) -> normalized resources.

Modules, one job each: ``classify`` (what a file is, which kinds we model, why a file is
skipped), ``read`` (YAML documents with their lines), ``pods`` (requests, GPUs, node
constraints), ``nodes`` (the node type/cloud/capacity a pod pins), ``workloads`` (replicas
per kind, workload class), ``autoscalers`` (HPA/KEDA), ``nodepools`` (Karpenter),
``exposure`` (Service/Ingress/HTTPRoute), ``build`` (resources and cross-object joins).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from linter.model import Resource, ScanError, Skipped
from linter.records import record


def read_manifests(files: list[str], explicit_files: set[str], config: Any, catalog: Any,
                   display_path: Callable[[str], str], declared: list[Resource] | None = None,
                   jobs: int | None = 1) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    """Resources of the manifest files; ``declared``: what other sources declared (pods that select one of its
    node pools are priced on it)."""
    tasks = manifest_tasks(files, explicit_files, display_path)
    if jobs == 1 or len(tasks) < 2:
        parts = [task() for task in tasks]
    else:
        from linter.workers import run_tasks

        parts = run_tasks(tasks, jobs, len(files))
    return build_manifests(files, parts, config, catalog, display_path, declared)


def manifest_tasks(files: list[str], explicit: set[str],
                   display_path: Callable[[str], str]) -> list[Callable[[], list[Any]]]:
    """One reading task per directory (or share of a large one, see ``_batches``): the cache holds one entry per
    task, and a large scan runs them in worker processes (linter/workers.py)."""

    def task(share: str, batch: list[tuple[str, bool]]) -> Callable[[], list[Any]]:
        return lambda: _read_dir(batch, share, display_path)

    return [task(share, batch) for share, batch in _batches(files, explicit)]


def build_manifests(files: list[str], parts: list[list[Any]], config: Any, catalog: Any,
                    display_path: Callable[[str], str], declared: list[Resource] | None = None,
                    prepared: Any = None) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    """Resources, errors and skip notes from the files as ``manifest_tasks`` read them, joined in file order;
    ``prepared`` holds workloads' own parts computed while they were read (``PreparedWorkloads``)."""
    from linter.collector import paused
    from linter.sources.kubernetes.build import Builder

    order = {path: i for i, path in enumerate(files)}
    reads = sorted((r for part in parts for r in part), key=lambda r: order.get(r.path, len(order)))
    with paused():  # the parsed manifests are acyclic and stay alive: nothing for the collector to free
        builder = Builder(config, catalog, display_path, declared=declared)
        builder.prepared = prepared
        for read in reads:
            builder.ingest(read)
        resources = builder.finish()
        if any(getattr(read, "rendered_by", "") for read in reads):  # objects a kustomization rendered
            from linter.sources.kubernetes.kustomize import settle

            settle(builder.built, display_path, retarget)
    return resources, builder.errors, builder.skipped


def _read_dir(files: list[tuple[str, bool]], part: str, display_path: Callable[[str], str]) -> list[Any]:
    from linter.collector import paused
    from linter.sources.kubernetes.manifest_files import FileRead, read_manifest_dir

    # Parsing allocates millions of short-lived, acyclic objects (YAML nodes) while the parsed manifests stay
    # alive: the cyclic collector would rescan that growing heap again and again.
    try:
        with paused():
            return read_manifest_dir(files, display_path, part)
    except Exception as exc:  # an internal error costs these files, never the rest of the scan
        return [FileRead(path, display_path(path), errors=[ScanError(
            file=display_path(path), message=f"not read, internal error ({type(exc).__name__}: {exc}); please "
                                             "report this with the file")]) for path, _ in files]


SHARED_DIRECTORY = 64  # a directory with more manifests than this is read (and cached) in SHARES parts
SHARES = 16


def _batches(files: list[str], explicit: set[str]) -> list[tuple[str, list[tuple[str, bool]]]]:
    """(part, files) per directory; a large directory (a Helm or Kustomize render of hundreds of files) in shares
    by a hash of the file name, so workers split it and one edit re-reads one share (the same shares every run)."""
    import os
    import zlib

    by_dir: dict[str, list[str]] = {}
    for path in files:
        by_dir.setdefault(os.path.dirname(path), []).append(path)
    out: list[tuple[str, list[tuple[str, bool]]]] = []
    for paths in by_dir.values():
        if len(paths) <= SHARED_DIRECTORY:
            out.append(("", [(p, p in explicit) for p in paths]))
            continue
        shares: dict[int, list[tuple[str, bool]]] = {}
        for p in paths:
            shares.setdefault(zlib.crc32(os.path.basename(p).encode("utf-8", "surrogateescape")) % SHARES,
                              []).append((p, p in explicit))
        out.extend((f"{SHARES}:{share}", batch) for share, batch in sorted(shares.items()))
    return out


@record
class EmbeddedManifest:
    """A Kubernetes object another source already parsed (e.g. a Terraform ``kubernetes_*`` resource):
    the manifest as the API reads it, and the identity the resulting resource keeps."""

    data: dict[str, Any]  # apiVersion, kind, metadata, spec: camelCase, as in YAML
    file: str  # display path of the file that declares it
    line: int
    address: str  # the declaring source's address, e.g. ``kubernetes_deployment_v1.vllm``
    type: str  # the declaring source's resource type
    source: str  # e.g. "terraform"
    unknown_fields: tuple[str, ...] = ()  # dotted paths left out of ``data`` because only known at apply time


def build_embedded(manifests: list[EmbeddedManifest], origin: str, config: Any, catalog: Any,
                   default_regions: dict[str, str] | None = None,
                   region_sources: dict[str, str] | None = None,
                   declared: list[Resource] | None = None) -> dict[str, Resource]:
    """Resources for already-parsed manifests, built and joined exactly as manifest files are
    (HPA/KEDA -> workload, Service -> pods, Namespace labels), then renamed to the declaring
    source's addresses: links between them follow. Keyed by address; objects of kinds the
    reader does not model are left out (the caller keeps its own resource for them)."""
    from linter.sources.kubernetes.build import Builder

    builder = Builder(config, catalog, lambda p: p, default_regions, region_sources, declared,
                      scope=origin or ".")
    owners: dict[int, EmbeddedManifest] = {}
    for m in manifests:
        src = builder.add_object(m.file, m.file, m.data, m.line, m.unknown_fields)
        if src is not None:
            owners[id(src)] = m
    builder.finish()
    renamed: dict[str, str] = {}
    built: list[tuple[EmbeddedManifest, Resource]] = []
    for src, r in builder.built:
        m = owners.get(id(src))
        if m is None:
            continue
        renamed.setdefault(r.address, m.address)
        built.append((m, r))
    rename = _renamer(renamed)
    out: dict[str, Resource] = {}
    for m, r in built:
        kube_address = r.address
        retarget(r, renamed, rename)
        r.address, r.type, r.source, r.origin = m.address, m.type, m.source, origin  # type: ignore[assignment]
        r.links["object"] = kube_address  # the object it declares: a manifest file declaring it too is not counted
        out[m.address] = r
    return out


def retarget(r: Resource, renamed: dict[str, str], rename: Callable[[str], str] | None = None) -> None:
    """``r`` with the addresses of ``renamed`` replaced: its own, its links, and where its evidence names them."""
    rename = rename or _renamer(renamed)
    r.address = renamed.get(r.address, r.address)
    r.links = {k: renamed.get(v, v) for k, v in r.links.items()}
    if r.autoscaling is not None:
        r.autoscaling.address = renamed.get(r.autoscaling.address, r.autoscaling.address)
    if r.compute is not None:
        r.compute.evidence = [rename(e) for e in r.compute.evidence]
    if r.llm is not None:  # exposure evidence names the Service or route by the declaring source's address
        r.llm.public_evidence = [rename(e) for e in r.llm.public_evidence]
        r.llm.rate_limits = [rename(e) for e in r.llm.rate_limits]
    r.unknowns = [rename(u) for u in r.unknowns]


def _renamer(renamed: dict[str, str]) -> Callable[[str], str]:
    """Replace whole addresses in one pass: ``Deployment/a/vllm`` never rewrites ``Deployment/a/vllm-big``."""
    if not renamed:
        return lambda text: text
    pattern = re.compile("|".join(re.escape(old) for old in sorted(renamed, key=len, reverse=True))
                         + r"(?![A-Za-z0-9_.-])")
    return lambda text: pattern.sub(lambda m: renamed[m.group(0)], text)
