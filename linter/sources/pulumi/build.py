"""Pulumi resources -> normalized resources, through the Terraform mappers and the Kubernetes reader.

Bridged resources (aws, gcp, azure) become the raw shape a Terraform evaluation gives (``aws_instance`` with
snake_case attributes and nested blocks as lists) and go through ``normalize`` unchanged; Kubernetes resources
become manifests for the Kubernetes reader; azure-native VMs, scale sets and AKS pools are translated to the
azurerm attributes their mappers read. Resources keep their Pulumi name as address and their token as type.
"""

from __future__ import annotations

import os
import re
from typing import Any

from linter.model import Resource, ScanError, Skipped
from linter.sources.pulumi.project import Project, PulumiResource, provider_settings
from linter.sources.pulumi.types import (
    PROVIDER_OF_PACKAGE,
    full_token,
    kubernetes_kind,
    native_key,
    package_of,
    pseudo_type,
    raw_address,
    snake,
    terraform_type,
    to_terraform,
)
from linter.sources.terraform.module import ProviderConfig, RawResource, connection_refs
from linter.sources.terraform.values import Unknown, is_unknown, unknowns_in

_K8S_MAPS = frozenset({"labels", "annotations", "nodeSelector", "matchLabels", "limits", "requests", "data",
                       "stringData", "selector", "capacity", "allocatable"})
# a Service's selector is a map of labels; a workload's is a LabelSelector, whose keys are converted
_LABEL_SELECTOR_KEYS = frozenset({"match_labels", "match_expressions", "matchLabels", "matchExpressions"})


def provider_package(token: str) -> str | None:
    """``pulumi:providers:aws`` (state, YAML) -> "aws"; None for other tokens."""
    return token.split(":", 2)[2] if token.startswith("pulumi:providers:") else None


# a kubernetes provider's arguments that name the cluster it connects to (pulumi_kubernetes.Provider)
_CLUSTER_ARGS = ("kubeconfig", "context", "cluster")


def _provider_config(package: str, settings: dict[str, Any], name: str) -> ProviderConfig:
    settings = {snake(str(k)): v for k, v in settings.items()}
    region = next((settings[k] for k in ("region", "zone", "location") if settings.get(k) is not None), None)
    tags = settings.get("default_tags")
    tags = tags.get("tags") if isinstance(tags, dict) else None
    labels = settings.get("default_labels")
    # a kubernetes provider: the resources its kubeconfig is made of (``create_kubeconfig(cluster)``), the cluster
    # its objects are applied to
    refs = connection_refs(lambda arg: [r for u in unknowns_in(settings.get(arg)) for r in u.refs], _CLUSTER_ARGS) \
        if package == "kubernetes" else ()
    return ProviderConfig(package, None if name == "default" else name, region,
                          tags if isinstance(tags, dict) else {}, labels if isinstance(labels, dict) else {},
                          cluster_refs=refs)


def camel_keys(value: Any, parent: str = "") -> Any:
    """Kubernetes inputs written with Python's snake_case names -> the API's camelCase; map keys stay."""
    from linter.sources.terraform.map_kubernetes import camel

    if isinstance(value, dict) and not is_unknown(value):
        if parent in _K8S_MAPS and not (parent == "selector" and _LABEL_SELECTOR_KEYS & set(map(str, value))):
            return dict(value)
        out = {}
        for k, v in value.items():
            key = camel(str(k)) if "_" in str(k) and "." not in str(k) and "/" not in str(k) else str(k)
            out[key] = camel_keys(v, key)
        return out
    if isinstance(value, list):
        return [camel_keys(v, parent) for v in value]
    return value


def _get(values: dict[str, Any], *path: str) -> Any:
    for key in path:
        if not isinstance(values, dict) or is_unknown(values):
            return None
        values = values.get(key)  # type: ignore[assignment]
    return values


def _native_pool(p: dict[str, Any], name: Any) -> dict[str, Any]:
    return {"name": p.get("name", name), "vm_size": p.get("vmSize"), "node_count": p.get("count"),
            "min_count": p.get("minCount"), "max_count": p.get("maxCount"),
            "enable_auto_scaling": p.get("enableAutoScaling"), "priority": p.get("scaleSetPriority"),
            "node_labels": p.get("nodeLabels"), "node_taints": p.get("nodeTaints")}


# node pools whose name a pod can select (cloud.google.com/gke-nodepool, eks.amazonaws.com/nodegroup): Pulumi
# auto-names one given no name (its resource name plus a random suffix), which the mappers read as the
# Terraform name prefix it amounts to, so the pool's other node labels still link the pods that select them
_AUTO_NAMED = {"google_container_node_pool": ("name", "name_prefix"),
               "aws_eks_node_group": ("node_group_name", "node_group_name_prefix")}


def auto_named(values: dict[str, Any], tf_type: str, name: str) -> dict[str, Any]:
    """A node pool's attributes with Pulumi's auto-name as a name prefix when the program names it not."""
    keys = _AUTO_NAMED.get(tf_type)
    if keys is None or any(values.get(k) is not None for k in keys):
        return values
    return {**values, keys[1]: f"{name}-"}


_USER_MAPS = frozenset({"tags", "nodeLabels", "node_labels"})  # keys the user names: kept as written


def _camel(value: Any) -> Any:
    """azure-native inputs as the API spells them: a Python program gives them in snake_case
    (``hardware_profile={"vm_size": ...}``), a YAML program and a stack export in camelCase."""
    if isinstance(value, list):
        return [_camel(item) for item in value]
    if not isinstance(value, dict) or is_unknown(value):
        return value
    out: dict[str, Any] = {}
    for k, item in value.items():
        name = re.sub(r"_([a-z0-9])", lambda m: m.group(1).upper(), k) if isinstance(k, str) else k
        out[name] = item if k in _USER_MAPS else _camel(item)
    return out


def native_values(key: str, v: dict[str, Any], name: str) -> list[tuple[str, dict[str, Any]]]:
    """azure-native inputs -> (suffix, azurerm attributes) of the resources their mappers price."""
    v = _camel(v)
    base = {"location": v.get("location"), "tags": v.get("tags")}
    if key == "compute:VirtualMachine":
        return [("", {**base, "size": _get(v, "hardwareProfile", "vmSize"), "priority": v.get("priority")})]
    if key == "compute:VirtualMachineScaleSet":
        return [("", {**base, "sku": _get(v, "sku", "name"), "instances": _get(v, "sku", "capacity"),
                      "priority": _get(v, "virtualMachineProfile", "priority")})]
    if key == "containerservice:AgentPool":
        cluster = v.get("resourceName")
        return [("", {**_native_pool(v, v.get("agentPoolName", name)),
                      "kubernetes_cluster_id": cluster if is_unknown(cluster) else None})]
    if key == "containerservice:ManagedCluster":
        pools = [p for p in v.get("agentPoolProfiles") or [] if isinstance(p, dict)]
        out = [("", {**base, "default_node_pool": [_native_pool(pools[0], "default")] if pools else []})]
        return out + [(f"/{p.get('name', i)}", {**_native_pool(p, p.get("name")), "location": v.get("location"),
                                                "tags": v.get("tags")}) for i, p in enumerate(pools[1:], 1)]
    return [("", base)]


def to_resources(declared: list[PulumiResource], project: Project | None, origin: str, catalog: Any, config: Any,
                 errors: list[ScanError], others: list[Resource] | None = None,
                 skipped: list[Skipped] | None = None) -> list[Resource]:
    """Normalized resources of one program, stack or preview (``origin``: its project directory or file);
    with ``skipped``, a note per package whose resources are not read (component packages such as eks or
    awsx create cloud resources that only a preview or stack export lists)."""
    from linter.sources.kubernetes import EmbeddedManifest
    from linter.sources.kubernetes import _renamer as renamer
    from linter.sources.terraform.map_kubernetes import build_per_cluster, connected_cluster, plain_manifest
    from linter.sources.terraform.normalize import normalize

    providers: dict[str, ProviderConfig] = {}
    for package in ("aws", "gcp", "azure", "azure-native"):
        settings = provider_settings(project, package)
        if settings:
            providers[package] = _provider_config(package, settings, "default")
    for pr in declared:
        package = provider_package(full_token(pr.token))
        if package:
            providers[pr.name] = _provider_config(package, pr.values, pr.name)
    raws: list[RawResource] = []
    manifests: list[EmbeddedManifest] = []
    manifest_unknowns: dict[int, list[str]] = {}  # per manifest: the fields only known at deploy time
    manifest_providers: dict[int, str | None] = {}  # per manifest: the Kubernetes provider applying it
    unread: dict[str, list[PulumiResource]] = {}
    shown: dict[str, tuple[str, str, PulumiResource]] = {}  # raw address -> (address, token, declaration)
    for pr in declared:
        token = full_token(pr.token)
        package = package_of(token)
        if provider_package(token) or package == "pulumi":
            continue
        if PROVIDER_OF_PACKAGE.get(package) is None:  # random:, tls:, command:, or a component package
            unread.setdefault(package, []).append(pr)
            continue
        if package == "kubernetes" and token.split(":")[1].startswith("helm"):  # helm/v3:Release, helm.sh/v4:Chart
            if skipped is not None:
                note = _helm_note(pr, origin)
                if note is not None:
                    skipped.append(note)
            continue
        if package == "kubernetes":
            kind = kubernetes_kind(token)
            if kind is not None:
                data = camel_keys({k: v for k, v in pr.values.items() if k not in ("apiVersion", "kind")})
                unknown_fields: list[str] = []
                known = plain_manifest(data, "", unknown_fields)  # the API's shape, unknowns noted
                meta = known.setdefault("metadata", {})
                if isinstance(meta, dict) and not meta.get("name") and not meta.get("generateName"):
                    meta["generateName"] = f"{pr.name}-"  # Pulumi auto-names it: the name plus a random suffix
                fields = [u.lstrip(".") for u in unknown_fields]
                manifests.append(EmbeddedManifest(data={"apiVersion": kind[0], "kind": kind[1], **known},
                                                  file=pr.file, line=pr.line, address=pr.name, type=token,
                                                  source="pulumi", unknown_fields=tuple(f.split(":", 1)[0]
                                                                                        for f in fields)))
                manifest_unknowns[id(manifests[-1])] = fields
                manifest_providers[id(manifests[-1])] = pr.provider
            continue
        provider = providers.get(pr.provider or "") or providers.get(package)
        if package == "azure-native":
            tf_type = terraform_type(token) or pseudo_type(token)
            pieces = native_values(native_key(token), pr.values, pr.name)
        else:
            tf_type = terraform_type(token) or pseudo_type(token)
            pieces = [("", auto_named(to_terraform(pr.values, tf_type), tf_type, pr.name))]
        for suffix, values in pieces:
            address = raw_address(token, pr.name + suffix)
            pool_type = "azurerm_kubernetes_cluster_node_pool" if suffix else tf_type
            if suffix:
                address = f"{pool_type}.{address.split('.', 1)[1]}"
                values["kubernetes_cluster_id"] = Unknown("the cluster's id", (raw_address(token, pr.name),))
            unknown_attrs = {k: v.reason for k, v in values.items() if is_unknown(v)}
            raws.append(RawResource(pool_type, pr.name + suffix, address, values, pr.file, pr.line, provider, "",
                                    unknown_attrs))
            shown[address] = (pr.name + suffix, token, pr)
    if skipped is not None:
        for package, prs in unread.items():
            types = sorted({pr.token for pr in prs})
            listed = ", ".join(types[:3]) + (", ..." if len(types) > 3 else "")
            skipped.append(Skipped(file=prs[0].file, line=prs[0].line, reason=(
                f"{len(prs)} resource(s) of package '{package}' ({listed}) not read: finops-lint reads aws, gcp, "
                "azure, azure-native and kubernetes resources; what a component creates is listed by "
                "'pulumi preview --json' or a stack export")))
    out = normalize(raws, catalog, config, origin, errors, source="pulumi")
    names = [name for name, _, _ in shown.values()] + [m.address for m in manifests]
    shared = {n for n in names if names.count(n) > 1}  # Pulumi names are unique per type only
    for m in manifests:  # a Deployment and its Service are often both "nginx"
        if m.address in shared:
            m.address = f"{m.address} ({m.type.rsplit(':', 1)[-1]})"
    declared_by: list[PulumiResource] = []
    for r in out:
        name, token, pr = shown[r.address]
        if name in shared:
            name = f"{name} ({token.rsplit(':', 1)[-1]})"
            shown[r.address] = (name, token, pr)
        r.address, r.type = name, token
        declared_by.append(pr)
    rename = renamer({raw: name for raw, (name, _, _) in shown.items()})
    for r, pr in zip(out, declared_by, strict=True):
        r.links = {k: rename(v) for k, v in r.links.items()}
        if r.autoscaling is not None:
            r.autoscaling.address = r.address
        if r.compute is not None:
            r.compute.evidence = [rename(e) for e in r.compute.evidence]
        r.unknowns = list(dict.fromkeys([rename(u) for u in r.unknowns] + pr.unknowns))
    if manifests:
        regions = {p.name: p.region for p in providers.values()
                   if p.alias is None and isinstance(p.region, str)}
        regions = {PROVIDER_OF_PACKAGE.get(k, k): v for k, v in regions.items()}
        sources = {k: "the program's stack config" for k in regions}
        for cloud, (region, where) in _cluster_regions(out).items():  # where its pods run, as for Terraform
            regions[cloud], sources[cloud] = region, where
        components = _component_clusters(unread.get("eks", []), providers)
        by_type: dict[str, list[RawResource]] = {}
        for raw in [*raws, *components]:
            by_type.setdefault(raw.type, []).append(raw)
        named = renamer({raw: name for raw, (name, _, _) in shown.items()} | {c.address: c.name for c in components})
        clusters: dict[tuple[str, str, str] | None, list[EmbeddedManifest]] = {}
        for m in manifests:  # objects applied through a provider whose kubeconfig is made of a cluster: its region
            name = manifest_providers[id(m)]
            cluster = connected_cluster(by_type, providers.get(name or ""), f"the Pulumi provider {name}")
            cluster = (cluster[0], cluster[1], named(cluster[2])) if cluster else None
            clusters.setdefault(cluster, []).append(m)
        built = build_per_cluster(clusters, origin, config, catalog, regions, sources, [*(others or []), *out])
        for m in manifests:
            r = built.get(m.address)
            if r is not None:
                r.unknowns = list(dict.fromkeys([*r.unknowns, *manifest_unknowns[id(m)]]))
                out.append(r)
    return out


def _helm_note(pr: PulumiResource, origin: str) -> Skipped | None:
    """The note for a Helm Release or Chart the program declares (charts are not rendered): see
    ``pulumi_chart_note``. A values file is read as data, relative to the project directory, as Pulumi reads it."""
    import yaml

    from linter import files
    from linter.sources.terraform.helm_releases import pulumi_chart_note

    project_dir = origin if os.path.isdir(origin) else os.path.dirname(origin)

    def read_values_file(path: str) -> Any:
        try:
            tree = yaml.load(files.read_text(os.path.join(project_dir, path)),
                             Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except (files.UnreadableFile, OSError, yaml.YAMLError, RecursionError, ValueError):
            return None
        return tree if tree is not None else {}

    return pulumi_chart_note(pr.name, pr.values, pr.file, pr.line, read_values_file)


def _component_clusters(declared: list[PulumiResource], providers: dict[str, ProviderConfig]) -> list[RawResource]:
    """``eks.Cluster`` components (pulumi_eks, not read: a preview lists what they create) as the EKS cluster
    each makes with its aws provider, so a Kubernetes provider built from its ``kubeconfig`` names a region."""
    return [RawResource("aws_eks_cluster", pr.name, raw_address(pr.token, pr.name), {}, pr.file, pr.line,
                        providers.get(pr.provider or "") or providers.get("aws"), "", {})
            for pr in declared if pr.token.rsplit(":", 1)[-1] == "Cluster"]


def _cluster_regions(resources: list[Resource]) -> dict[str, tuple[str, str]]:
    """cloud -> (region, why) when the program's Kubernetes clusters of that cloud all run in one region: its
    manifests' pods that select no node pool run there, not in the stack's default region (a GKE cluster in
    europe-west4-a of a stack configured for us-central1)."""
    from linter.sources.kubernetes.classify import CLUSTER_TYPES

    found: dict[str, dict[str, str]] = {}
    for r in resources:
        if r.terraform_type in CLUSTER_TYPES and r.region:
            found.setdefault(r.provider, {}).setdefault(r.region, f"the region of {r.address}, {r.file}:{r.line}")
    return {cloud: next(iter(regions.items())) for cloud, regions in found.items() if len(regions) == 1}

