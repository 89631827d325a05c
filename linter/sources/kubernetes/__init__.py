"""Kubernetes manifests (multi-document YAML, ``kind: List``) -> normalized resources.

Modules, one job each: ``classify`` (what a file is, which kinds we model, why a file is
skipped), ``read`` (YAML documents with their lines), ``pods`` (requests, GPUs, node
constraints), ``nodes`` (the node type/cloud/capacity a pod pins), ``workloads`` (replicas
per kind, workload class), ``autoscalers`` (HPA/KEDA), ``nodepools`` (Karpenter),
``exposure`` (Service/Ingress/HTTPRoute), ``build`` (resources and cross-object joins).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.model import Resource, ScanError, Skipped


def read_manifests(files: list[str], explicit_files: set[str], config: Any, catalog: Any,
                   display_path: Callable[[str], str]) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    import gc

    from linter.sources.kubernetes.build import Builder

    # Parsing allocates millions of short-lived, acyclic objects (YAML nodes) while the parsed
    # manifests stay alive: the cyclic collector would rescan that growing heap again and again.
    enabled = gc.isenabled()
    gc.disable()
    try:
        builder = Builder(config, catalog, display_path)
        for path in files:
            builder.add_file(path, path in explicit_files)
        resources = builder.finish()
    finally:
        if enabled:
            gc.enable()
    return resources, builder.errors, builder.skipped
