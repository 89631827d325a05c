"""Terraform ``kubernetes_*`` resources -> the manifests they create -> the Kubernetes reader.

The Kubernetes provider writes objects two ways: ``kubernetes_manifest`` carries the manifest
as an HCL object (already in the API's camelCase shape), and typed resources such as
``kubernetes_deployment_v1`` spell it as snake_case blocks (``metadata {}``, ``spec { template
{ spec { container { resources { limits = {...} } } } } }``). Both become the dict a YAML
manifest parses to and go through the Kubernetes reader's :class:`Builder`, so pod facts, node
pinning, prices and HPA/KEDA links are the same as for a manifest file. The resources keep the
Terraform address, type, file and line; links between them (HPA -> Deployment) are resolved
within the root module.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

from linter.model import Resource
from linter.sources.kubernetes.classify import CLUSTER_TYPES
from linter.sources.terraform.module import ProviderConfig, RawResource
from linter.sources.terraform.normalize import PROVIDER_OF_PREFIX, MapContext, Mapped, normalize_region
from linter.sources.terraform.values import is_unknown
from linter.sources.terraform.view import View

if TYPE_CHECKING:
    from linter.sources.kubernetes import EmbeddedManifest

# Terraform type -> (apiVersion, kind); the HPA without a version suffix is v1 unless it has metrics.
TYPED: dict[str, tuple[str, str]] = {
    "kubernetes_deployment": ("apps/v1", "Deployment"),
    "kubernetes_deployment_v1": ("apps/v1", "Deployment"),
    "kubernetes_stateful_set": ("apps/v1", "StatefulSet"),
    "kubernetes_stateful_set_v1": ("apps/v1", "StatefulSet"),
    "kubernetes_daemonset": ("apps/v1", "DaemonSet"),
    "kubernetes_daemon_set_v1": ("apps/v1", "DaemonSet"),
    "kubernetes_job": ("batch/v1", "Job"),
    "kubernetes_job_v1": ("batch/v1", "Job"),
    "kubernetes_cron_job": ("batch/v1beta1", "CronJob"),
    "kubernetes_cron_job_v1": ("batch/v1", "CronJob"),
    "kubernetes_pod": ("v1", "Pod"),
    "kubernetes_pod_v1": ("v1", "Pod"),
    "kubernetes_horizontal_pod_autoscaler": ("autoscaling/v1", "HorizontalPodAutoscaler"),
    "kubernetes_horizontal_pod_autoscaler_v1": ("autoscaling/v1", "HorizontalPodAutoscaler"),
    "kubernetes_horizontal_pod_autoscaler_v2beta2": ("autoscaling/v2beta2", "HorizontalPodAutoscaler"),
    "kubernetes_horizontal_pod_autoscaler_v2": ("autoscaling/v2", "HorizontalPodAutoscaler"),
    "kubernetes_service": ("v1", "Service"),
    "kubernetes_service_v1": ("v1", "Service"),
    "kubernetes_ingress": ("extensions/v1beta1", "Ingress"),
    "kubernetes_ingress_v1": ("networking.k8s.io/v1", "Ingress"),
    "kubernetes_namespace": ("v1", "Namespace"),
    "kubernetes_namespace_v1": ("v1", "Namespace"),
}
MANIFEST_TYPES = ("kubernetes_manifest", "kubectl_manifest")  # kubectl_manifest: its YAML text in yaml_body

# Blocks that are lists in the API (Terraform names repeated blocks in the singular).
_LIST_BLOCKS = {
    "container": "containers", "init_container": "initContainers", "ephemeral_container": "ephemeralContainers",
    "toleration": "tolerations", "env": "env", "env_from": "envFrom", "port": "ports", "volume": "volumes",
    "volume_mount": "volumeMounts", "volume_device": "volumeDevices", "image_pull_secrets": "imagePullSecrets",
    "host_aliases": "hostAliases", "match_expressions": "matchExpressions", "match_fields": "matchFields",
    "node_selector_term": "nodeSelectorTerms", "topology_spread_constraint": "topologySpreadConstraints",
    "preferred_during_scheduling_ignored_during_execution": "preferredDuringSchedulingIgnoredDuringExecution",
    "required_during_scheduling_ignored_during_execution": "requiredDuringSchedulingIgnoredDuringExecution",
    "readiness_gate": "readinessGates", "volume_claim_template": "volumeClaimTemplates", "items": "items",
    "rule": "rules", "tls": "tls", "path": "paths", "metric": "metrics", "policy": "policies", "option": "options",
    "resource_claims": "resourceClaims",
}
# ... except under these parents, where the block of that name is a single object.
_SINGLE_UNDER = {
    "port": {"service"},  # Ingress backend service port {number}
    "metric": {"external", "pods", "object"},  # HPA metric identifier
    "required_during_scheduling_ignored_during_execution": {"node_affinity"},  # a NodeSelector
}
# Names that snake_case -> camelCase does not spell as the API does.
_RENAMES = {
    "target_cpu_utilization_percentage": "targetCPUUtilizationPercentage", "host_ipc": "hostIPC",
    "host_pid": "hostPID", "cluster_ip": "clusterIP", "cluster_ips": "clusterIPs", "external_ips": "externalIPs",
    "load_balancer_ip": "loadBalancerIP", "pod_ip": "podIP",
}
# Top-level arguments of typed resources that are Terraform's, not the object's.
_TERRAFORM_ONLY = {"wait_for_rollout", "wait_for_load_balancer", "wait_for_completion",
                   "wait_for_default_service_account", "timeouts"}
_CAMEL = re.compile(r"_([a-z0-9])")


def camel(name: str) -> str:
    return _RENAMES.get(name) or _CAMEL.sub(lambda m: m.group(1).upper(), name)


def plain_manifest(value: Any, path: str, unknowns: list[str]) -> Any:
    """An attribute value as the API reads it: maps keep their keys; unknowns drop out, noted."""
    if is_unknown(value):
        unknowns.append(f"{path}: {value.reason}")
        return None
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, dict):
        out = {}
        for k, v in value.items():
            pv = plain_manifest(v, f"{path}.{k}", unknowns)
            if pv is not None:
                out[str(k)] = pv
        return out
    if isinstance(value, list):
        return [p for p in (plain_manifest(v, f"{path}[{i}]", unknowns) for i, v in enumerate(value)) if p is not None]
    return value


def _is_block(value: Any) -> bool:
    return isinstance(value, list) and bool(value) and all(isinstance(v, dict) for v in value)


def from_blocks(body: dict[str, Any], parent: str, path: str, unknowns: list[str]) -> dict[str, Any]:
    """A Terraform block body (snake_case attributes and nested blocks) -> the API's camelCase object."""
    out: dict[str, Any] = {}
    for name, value in body.items():
        where = f"{path}.{name}" if path else name
        if _is_block(value):
            key = camel(name)
            single = parent in _SINGLE_UNDER.get(name, set())
            if name in _LIST_BLOCKS and not single:
                out[_LIST_BLOCKS[name]] = [from_blocks(v, name, where, unknowns) for v in value]
            else:
                out[key] = from_blocks(value[0], name, where, unknowns)
            continue
        if value == [] and name in _LIST_BLOCKS:  # an empty dynamic block
            continue
        plain = plain_manifest(value, where, unknowns)
        if plain is not None:
            out[camel(name)] = plain
    return out


def manifest_of(raw: RawResource, unknowns: list[str]) -> dict[str, Any] | None:
    """The manifest a ``kubernetes_*`` resource creates, or None when it cannot be told statically."""
    if raw.type in MANIFEST_TYPES:
        value = raw.values.get("manifest") if raw.type == "kubernetes_manifest" else _yaml_body(raw, unknowns)
        if is_unknown(value):
            unknowns.append(f"manifest: {value.reason}")
            return None
        if not isinstance(value, dict):
            return None
        data = plain_manifest(value, "manifest", unknowns)
        return data if isinstance(data, dict) else None
    api, kind = TYPED[raw.type]
    body = {k: v for k, v in raw.values.items() if k not in _TERRAFORM_ONLY}
    data = from_blocks(body, "", "", unknowns)
    if kind == "HorizontalPodAutoscaler" and raw.type == "kubernetes_horizontal_pod_autoscaler" and \
            data.get("spec", {}).get("metrics"):
        api = "autoscaling/v2beta2"
    return {"apiVersion": api, "kind": kind, **data}


def _yaml_body(raw: RawResource, unknowns: list[str]) -> Any:
    """kubectl_manifest's yaml_body, decoded (a value given at apply, or text that is not one YAML object, is
    noted and read as nothing)."""
    from linter.sources.terraform.file_functions import yamldecode
    from linter.sources.terraform.functions import FunctionError

    body = raw.values.get("yaml_body")
    if is_unknown(body) and isinstance(raw.values.get("yaml_body_parsed"), str):
        # a plan: the kubectl provider marks yaml_body sensitive, and writes the same YAML parsed (any
        # sensitive_fields obfuscated) in yaml_body_parsed
        body = raw.values["yaml_body_parsed"]
    if is_unknown(body) or not isinstance(body, str):
        return body
    try:
        return yamldecode(body)
    except FunctionError as exc:
        unknowns.append(f"yaml_body: {exc}")
        return None


def _region_of(r: RawResource) -> tuple[str, str] | None:
    """(cloud, region) a cloud resource runs in: a GKE or AKS cluster's location, else (AWS, GCP) its
    provider's region."""
    cloud = PROVIDER_OF_PREFIX.get(r.type.split("_", 1)[0], "")
    region: Any = None
    if cloud == "azure":
        if r.type == "azurerm_kubernetes_cluster":
            region = View(r).get("location", note=False)
    elif cloud == "gcp" and r.type == "google_container_cluster":
        region = View(r).get("location", note=False)
    elif cloud in ("aws", "gcp") and r.provider is not None and isinstance(r.provider.region, str):
        region = r.provider.region
    return (cloud, normalize_region(cloud, region)) if isinstance(region, str) and region else None


def _cluster_regions(ctx: MapContext, raws: list[RawResource]) -> tuple[dict[str, str], dict[str, str]]:
    """The region the root module's clusters run in, per cloud, when it has exactly one: pods whose
    node labels name no region are priced there rather than in the config default."""
    found: dict[str, set[str]] = {"aws": set(), "gcp": set(), "azure": set()}
    why: dict[str, str] = {}
    for r in raws:
        got = _region_of(r)
        if got is not None:
            found[got[0]].add(got[1])
            why.setdefault(got[0], f"the region of {r.address} in this Terraform root module")
    for name, cloud in (("aws", "aws"), ("google", "gcp")):  # no resource of that cloud: the root's provider block
        provider = ctx.providers.get(name)
        if not found[cloud] and provider is not None and isinstance(provider.region, str) and provider.region:
            found[cloud].add(normalize_region(cloud, provider.region))
            why[cloud] = f'the region of provider "{name}" in this Terraform root module, ' \
                         f"{provider.file}:{provider.line}"
    regions = {c: next(iter(v)) for c, v in found.items() if len(v) == 1}
    return regions, {c: why[c] for c in regions}


def connected_cluster(by_type: Mapping[str, list[RawResource]], provider: ProviderConfig | None,
                      applier: str = "the Terraform provider") -> tuple[str, str, str] | None:
    """(cloud, region, where) of the cluster a manifest's Kubernetes provider connects to (its ``host`` reads
    ``aws_eks_cluster.eu``, or a module's cluster, or an unread module given ``providers = {aws = aws.eu}``),
    among the resources ``by_type``; None when that leads to no cluster, or to clusters in more than one region."""
    if provider is None or not provider.cluster_refs:
        return None
    found: dict[tuple[str, str], str] = {}
    for ref in provider.cluster_refs:
        for r in (r for rtype in CLUSTER_TYPES for r in by_type.get(rtype, ())
                  if r.address == ref or r.address.startswith((f"{ref}[", f"{ref}."))):
            got = _region_of(r)
            if got is not None:
                found.setdefault(got, f"the region of {r.address} ({r.file}:{r.line})")
        passed = provider.module_providers.get(ref, {})
        clouds = [(name, cloud, passed[name]) for name, cloud in (("aws", "aws"), ("google", "gcp"))
                  if name in passed and isinstance(passed[name].region, str) and passed[name].region]
        if len(clouds) == 1:  # an unread module: it makes its cluster with the provider it is given
            name, cloud, given = clouds[0]
            label = f"{given.name}.{given.alias}" if given.alias else given.name
            found.setdefault((cloud, normalize_region(cloud, given.region)),
                             f"the region of {ref} (its {name} provider is {label}, {given.file}:{given.line})")
    if len(found) != 1:
        return None
    (cloud, region), where = next(iter(found.items()))
    return cloud, region, f"{where}, the cluster {applier} applying it connects to"


def build_per_cluster(clusters: dict[tuple[str, str, str] | None, list[EmbeddedManifest]], origin: str,
                      config: Any, catalog: Any, regions: dict[str, str], region_sources: dict[str, str],
                      declared: list[Resource]) -> dict[str, Resource]:
    """``build_embedded`` once per cluster the objects are applied to (a key of ``connected_cluster``): each
    group is priced in its cluster's region, the note naming the cluster; the objects of no known cluster (None)
    in ``regions``."""
    from linter.sources.kubernetes import build_embedded

    built: dict[str, Resource] = {}
    for cluster, manifests in clusters.items():
        cloud, region, where = cluster or ("", "", "")
        built.update(build_embedded(manifests, origin, config, catalog,
                                    {**regions, cloud: region} if cluster else regions,
                                    {**region_sources, cloud: where} if cluster else region_sources, declared))
    return built


def build(raws: list[RawResource], ctx: MapContext, origin: str) -> dict[str, Resource]:
    """Resources for every ``kubernetes_*`` object of a root module whose kind the Kubernetes reader
    models, keyed by Terraform address (the others get the generic mapper). Objects whose provider connects
    to a known cluster are built with the objects of that cluster, priced in its region."""
    from linter.sources.kubernetes import EmbeddedManifest

    wanted = [r for r in raws if r.type in TYPED or r.type in MANIFEST_TYPES]
    if not wanted:
        return {}
    clusters: dict[tuple[str, str, str] | None, list[EmbeddedManifest]] = {}
    notes: dict[str, list[str]] = {}
    for raw in wanted:
        unknowns: list[str] = []
        data = manifest_of(raw, unknowns)
        notes[raw.address] = unknowns
        if data is not None:
            fields = tuple(u.split(":", 1)[0].removeprefix("manifest.") for u in unknowns)
            clusters.setdefault(connected_cluster(ctx.by_type, raw.provider), []).append(
                EmbeddedManifest(data=data, file=raw.file, line=raw.line, address=raw.address, type=raw.type,
                                 source="terraform", unknown_fields=fields))
    regions, region_sources = _cluster_regions(ctx, raws)
    built = build_per_cluster(clusters, origin, ctx.config, ctx.catalog, regions, region_sources, ctx.mapped)
    for address, resource in built.items():
        resource.unknowns = list(dict.fromkeys([*resource.unknowns, *notes.get(address, [])]))
    return built


def map_generic(view: View, ctx: MapContext) -> Mapped:
    """Kubernetes objects the reader does not model (ConfigMaps, RBAC, ...) or that are unknown."""
    fields: dict[str, Any] = {"taggable": False}
    if view.raw.type in MANIFEST_TYPES and view.unknown("manifest") is not None:
        fields["unknowns"] = [f"manifest: {view.unknown('manifest').reason}"]  # type: ignore[union-attr]
    return Mapped(fields)


GENERIC = map_generic
