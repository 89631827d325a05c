"""Kubernetes objects -> normalized resources, with the joins only manifests can make.

Joins (nearest definition wins when an address repeats across directories, e.g. a
violating and a compliant copy of the same chart): HPA/KEDA -> the workload it scales (its
bounds become the workload's min/max), pod -> the Karpenter NodePool it selects, Service /
Ingress / HTTPRoute -> the workloads they expose, Namespace labels -> the workloads in it.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import replace
from typing import Any

from linter.config import Config
from linter.facts.compute import accelerators_of, build_compute, purchase_of_share
from linter.model import Accelerators, Autoscaling, Compute, PodGroup, Resource, ScanError, Skipped, Workload
from linter.pricing.catalog import Catalog
from linter.records import record
from linter.sources.kubernetes import classify
from linter.sources.kubernetes.autoscalers import Scaler, hpa, keda_triggers, scaled_object
from linter.sources.kubernetes.claims import CLAIM_KINDS, Devices, apply_claims, claim_devices, claim_names
from linter.sources.kubernetes.exposure import exposure_of
from linter.sources.kubernetes.llm import workload_llm
from linter.sources.kubernetes.manifest_files import FileRead, PreparedWorkloads  # read apart: manifest_files.py
from linter.sources.kubernetes.node_groups import (
    REGION,
    NodeGroup,
    best_matches,
    closeness,
    index_groups,
    nearest_of,
    node_groups_of,
    node_types,
    untolerated,
)
from linter.sources.kubernetes.nodepools import NodePoolFacts, max_nodes, nodepool_facts
from linter.sources.kubernetes.nodes import NODEPOOL_KEYS, NodePin, capacity, resolve, tpu_model
from linter.sources.kubernetes.pods import Constraint, PodFacts, pod_facts, rescale_neuron_cores
from linter.sources.kubernetes.read import Obj
from linter.sources.kubernetes.shapes import as_dict, as_list
from linter.sources.kubernetes.workloads import Shape, shape_of, workload_class

IGNORE_ANNOTATION = "finops-lint.io/ignore"
_RULE_IDS = re.compile(r"^\s*((?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+|all)(?:\s*[, ]\s*(?:[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+))*)"
                       r"\s*[:\-]?\s*(.*)$")
_ONLY_ON_AWS = ("aws", "habana")  # accelerator vendors (Inferentia/Trainium, Gaudi) whose machines only AWS rents
# Labels controllers put on the pods they create, not in the pod template: a selector may use them
_PER_POD_LABELS = frozenset({
    "statefulset.kubernetes.io/pod-name", "apps.kubernetes.io/pod-index", "pod-template-hash",
    "controller-revision-hash", "job-name", "batch.kubernetes.io/job-name", "controller-uid",
    "batch.kubernetes.io/controller-uid", "batch.kubernetes.io/job-completion-index",
    "leaderworkerset.sigs.k8s.io/worker-index", "leaderworkerset.sigs.k8s.io/group-index",
    "leaderworkerset.sigs.k8s.io/group-key", "leaderworkerset.sigs.k8s.io/template-revision-hash",
})
_WELL_KNOWN_LABEL = re.compile(r"^(?:[a-z0-9.-]*\.)?(?:kubernetes\.io|k8s\.io|karpenter\.sh|karpenter\.k8s\.aws|"
                               r"amazonaws\.com|cloud\.google\.com|azure\.com|nvidia\.com)/")


@record
class Src:
    path: str  # absolute
    shown: str  # display path
    obj: Obj
    unknown_fields: tuple[str, ...] = ()  # embedded objects: fields known only at apply/deploy time ("spec.type")
    rendered_by: str = ""  # the kustomization that rendered it (absolute path; linter/sources/kubernetes/kustomize.py)

    @property
    def data(self) -> dict[str, Any]:
        return self.obj.data

    @property
    def meta(self) -> dict[str, Any]:
        m = self.obj.data.get("metadata")
        return m if isinstance(m, dict) else {}

    @property
    def name(self) -> str:
        """metadata.name; an object created with generateName is named by its prefix and a ``*`` (the API server
        appends a random suffix), e.g. ``train-*``."""
        name = self.meta.get("name")
        if name:
            return str(name)
        prefix = self.meta.get("generateName")
        return f"{prefix}*" if prefix else ""

    @property
    def namespace(self) -> str:
        ns = self.meta.get("namespace")
        return str(ns) if ns else "default"


def _strs(d: Any) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in as_dict(d).items()}


def address_of(kind: str, namespace: str, name: str) -> str:
    return f"{kind}/{name}" if kind in classify.CLUSTER_SCOPED else f"{kind}/{namespace}/{name}"


def parse_ignores(value: Any) -> dict[str, str]:
    """``finops-lint.io/ignore: "FIN-GPU-001 reason"`` (several ids comma-separated, or one per line)."""
    out: dict[str, str] = {}
    if not isinstance(value, str):
        return out
    for line in value.splitlines():
        m = _RULE_IDS.match(line)
        if m:
            for rule_id in re.split(r"[\s,]+", m.group(1).strip()):
                if rule_id:
                    out[rule_id] = m.group(2).strip()
    return out


def _nearest(candidates: list[tuple[str, Any]], path: str) -> Any:
    """The candidate defined in the same file, else the one whose directory shares most with ``path``."""
    if len(candidates) == 1:
        return candidates[0][1]
    best, best_score = None, -1
    for cpath, item in candidates:
        if cpath == path:
            return item
        score = closeness(path, cpath)
        if score > best_score:
            best, best_score = item, score
    return best


@record
class Prepared:
    """What a workload object says of itself alone (its pods' shape and requests, images, labels, LLM server,
    mounted ConfigMaps): computed as its file's result arrives from a worker, while the others still read.
    Used once: pinning changes the pod facts, linking changes the LLM facet."""

    shape: Shape
    facts: list[PodFacts]
    pod_labels: dict[str, str]  # any pod template's: a Service may select any of them
    every_pod_labels: dict[str, str]  # on every pod template: a label on the head alone leaves the workers unallocated
    pod_annotations: dict[str, str]
    workload: tuple[str, str | None]
    mounted: list[str]
    llm: Any


def prepare(s: Src) -> Prepared:
    kind = s.obj.kind
    shape: Shape = shape_of(kind, s.data)
    facts = [pod_facts(g.pod) for g in shape.groups]
    pod_labels: dict[str, str] = {}
    pod_annotations: dict[str, str] = {}
    every: dict[str, str] | None = None
    for g in shape.groups:
        labels = _strs(g.meta.get("labels"))
        pod_labels.update(labels)
        every = dict(labels) if every is None else {k: v for k, v in every.items() if k in labels}
        pod_annotations.update(_strs(g.meta.get("annotations")))
    pods = [g.pod for g in shape.groups]
    return Prepared(shape, facts, pod_labels, every or {}, pod_annotations,
                    workload_class(kind, s.name, [i for f in facts for i in f.images]),  # images: pinning keeps them
                    _configmaps_of(pods, s.namespace),
                    None if shape.completes else workload_llm(kind, s.data, pods))


class Builder:
    def __init__(self, config: Config, catalog: Catalog, display: Callable[[str], str],
                 default_regions: dict[str, str] | None = None, region_sources: dict[str, str] | None = None,
                 declared: list[Resource] | None = None, scope: str = "the scanned manifests") -> None:
        self.config, self.catalog, self.display = config, catalog, display
        self.scope = scope  # where a missing link target was looked for, in words
        self.errors: list[ScanError] = []
        self.skipped: list[Skipped] = []
        self.sources: list[Src] = []
        self.built: list[tuple[Src, Resource]] = []  # every resource with the object it was built from
        self._pins: dict[Any, NodePin] = {}
        self._on_pools: list[tuple[Resource, NodePin]] = []  # GPU workloads on declared node pools, in order
        self._matched: dict[Any, tuple[Any, str | None]] = {}  # (selector, directory) -> node group, note
        self._best: dict[Any, list[Any]] = {}  # selector -> the node groups that match it best
        # where pods are priced when their node labels name no region: the config, or what the caller knows
        self.default_regions = {**config.default_regions, **(default_regions or {})}
        self.region_sources = region_sources or {}
        self.node_groups = node_groups_of(declared or [])  # cloud node pools other sources declared
        # Karpenter NodePools Terraform deploys (kubectl_manifest), by name: pods select them as their own
        self.declared_pools: dict[str, list[tuple[str, NodePoolFacts]]] = {}
        for r in declared or ():
            if r.karpenter_pool is not None:
                facts = replace(r.karpenter_pool, declared_at=f"{r.address} ({r.file}:{r.line})")
                self.declared_pools.setdefault(facts.name, []).append((r.file, facts))
        self._group_index = index_groups(self.node_groups)
        # clusters other sources declared: a KAITO object in a manifest file is priced in its cluster's region
        self.clusters = [r for r in declared or () if r.type in classify.CLUSTER_TYPES and r.region]
        self.prepared: PreparedWorkloads | None = None  # workloads' own parts, computed while reading

    # -- files ---------------------------------------------------------------------------------
    def ingest(self, read: FileRead) -> None:
        """A file read by ``read_manifest_dir`` (here or in a worker process)."""
        self.skipped.extend(read.skipped)
        self.errors.extend(read.errors)
        if read.rendered_by:  # placed in the kustomization's directory: joins stay among its objects, origin is it
            path = os.path.join(os.path.dirname(read.rendered_by), os.path.basename(read.path))
            self.sources.extend(Src(path, read.shown, obj, rendered_by=read.rendered_by) for obj in read.objects)
            return
        self.sources.extend(Src(read.path, read.shown, obj) for obj in read.objects)

    def add_object(self, path: str, shown: str, data: dict[str, Any], line: int,
                   unknown_fields: tuple[str, ...] = ()) -> Src | None:
        """An already-parsed manifest (e.g. one embedded in Terraform); None if it is not a kind we model."""
        api, kind = data.get("apiVersion"), data.get("kind")
        if not isinstance(api, str) or not isinstance(kind, str) or not classify.recognised(api, kind) \
                or not isinstance(data.get("metadata"), dict):
            return None
        src = Src(path, shown, Obj(api, kind, data, line), unknown_fields)
        self.sources.append(src)
        return src

    # -- build ---------------------------------------------------------------------------------
    def finish(self) -> list[Resource]:
        by_kind: dict[str, list[Src]] = {}
        for s in self.sources:
            by_kind.setdefault(s.obj.kind, []).append(s)
        self.ns_labels: dict[str, list[tuple[str, tuple[dict[str, str], str]]]] = {}  # name -> (path, (labels, where))
        for s in by_kind.get("Namespace", []):
            self.ns_labels.setdefault(s.name, []).append(
                (s.path, (_strs(s.meta.get("labels")), f"Namespace {s.name} ({s.shown}:{s.obj.line})")))
        self.claims: dict[tuple[str, str], list[tuple[str, Devices]]] = {}  # (namespace, template:/claim: name)
        for kind in CLAIM_KINDS:
            for s in by_kind.get(kind, []):
                prefix = "template" if kind == "ResourceClaimTemplate" else "claim"
                self.claims.setdefault((s.namespace, f"{prefix}:{s.name}"), []).append(
                    (s.path, claim_devices(kind, s.data, f"{s.shown}:{s.obj.line}")))
        self.claim_pods: dict[tuple[str, str], float] = {}  # (namespace, ResourceClaim) -> pods that share it
        if any(name.startswith("claim:") for _, name in self.claims):
            for kind in classify.WORKLOAD_KINDS:
                for s in by_kind.get(kind, []):
                    for group in shape_of(kind, s.data).groups:
                        for name in claim_names(group.pod):
                            key = (s.namespace, name)
                            self.claim_pods[key] = self.claim_pods.get(key, 0.0) + (group.count or 1)
        self.nodepools: dict[str, list[tuple[str, NodePoolFacts]]] = {}
        resources: list[tuple[Src, Resource]] = []
        if by_kind.get("ClusterConfig"):
            resources.extend(self._cluster_configs(by_kind["ClusterConfig"]))
        for kind in classify.NODEPOOL_KINDS:
            for s in by_kind.get(kind, []):
                facts = nodepool_facts(kind, s.obj.api_version, s.data)
                self.nodepools.setdefault(facts.name, []).append((s.path, facts))
                resources.append((s, self._nodepool(s, facts)))
        for kind in classify.KAITO_KINDS:
            for s in by_kind.get(kind, []):
                resources.append((s, self._kaito(s)))
        self._pool_labels: dict[tuple[str, str], list[tuple[str, NodePoolFacts]]] = {}  # pods select by them
        for entries in self.nodepools.values():
            for path, pool in entries:
                for k, v in pool.labels.items():
                    self._pool_labels.setdefault((k, v), []).append((path, pool))
        self.by_address: dict[str, list[tuple[str, Resource]]] = {}
        self.pod_labels: dict[tuple[str, str, str], list[tuple[Src, Resource, dict[str, str]]]] = {}
        for kind in classify.WORKLOAD_KINDS:
            for s in by_kind.get(kind, []):
                r, labels = self._workload(s)
                resources.append((s, r))
                self.by_address.setdefault(r.address, []).append((s.path, r))
                for k, v in labels.items():  # by (namespace, label, value): Services select by labels
                    self.pod_labels.setdefault((s.namespace, k, v), []).append((s, r, labels))
        _note_pools_beyond_max(self._on_pools)
        self._set_origins(resources)
        for kind in classify.AUTOSCALER_KINDS:
            for s in by_kind.get(kind, []):
                resources.append((s, self._autoscaler(s)))
        services: dict[str, list[tuple[str, Resource]]] = {}
        for s in by_kind.get("Service", []):
            r = self._service(s)
            services.setdefault(r.address, []).append((s.path, r))
            resources.append((s, r))
        for kind in classify.ROUTE_KINDS:
            for s in by_kind.get(kind, []):
                resources.append((s, self._route(s, services)))
        if any(r.llm is not None or "configmaps" in r.links for _, r in resources):
            from linter.sources.kubernetes.llm import apply_exposure
            from linter.sources.kubernetes.route_policies import index_policies

            policies = index_policies([(s.obj.kind, s.namespace, s.name, s.data, f"{s.shown}:{s.obj.line}")
                                       for kind in classify.POLICY_KINDS for s in by_kind.get(kind, [])])
            apply_exposure(resources, lambda address, path: _nearest(self.by_address.get(address, []), path),
                           policies)
        self.built = resources
        out = []
        for s, r in resources:
            if not r.origin:
                r.origin = self.display(os.path.dirname(s.path))
            out.append(r)
        return out

    def _cluster_configs(self, sources: list[Src]) -> list[tuple[Src, Resource]]:
        """eksctl's node groups: priced, and joined to the cloud node pools other sources declared, so pods in the
        scan that select their labels run on them."""
        from linter.sources.kubernetes.eksctl import node_group_resources

        out = [(s, r) for s in sources for r in node_group_resources(
            s.data, s.shown, s.obj.line, s.obj.item_lines, self.catalog, self.default_regions.get("aws"),
            parse_ignores(_strs(s.meta.get("annotations")).get(IGNORE_ANNOTATION)))]
        self.node_groups = self.node_groups + node_groups_of([r for _, r in out])
        self._group_index = index_groups(self.node_groups)
        return out

    def _set_origins(self, resources: list[tuple[Src, Resource]]) -> None:
        """Origin = the manifest directory; the file when the same address repeats in one directory."""
        seen: dict[tuple[str, str], set[str]] = {}
        for s, r in resources:
            seen.setdefault((os.path.dirname(s.path), r.address), set()).add(s.path)
        for s, r in resources:
            directory = os.path.dirname(s.path)
            r.origin = s.shown if len(seen[(directory, r.address)]) > 1 else self.display(directory)

    def _base(self, s: Src, **fields: Any) -> Resource:
        annotations = _strs(s.meta.get("annotations"))
        namespace = None if s.obj.kind in classify.CLUSTER_SCOPED else s.namespace
        return Resource(address=address_of(s.obj.kind, s.namespace, s.name), type=s.obj.kind, source="kubernetes",
                        provider="kubernetes", file=s.shown, line=s.obj.line, name=s.name, namespace=namespace,
                        ignores=parse_ignores(annotations.get(IGNORE_ANNOTATION)), **fields)

    # -- node pinning --------------------------------------------------------------------------
    def _pin(self, s: Src, facts: PodFacts) -> NodePin:
        pool_name = None
        for key in NODEPOOL_KEYS:
            c = facts.selector.get(key)
            if c is not None and c.op == "In" and len(c.values) == 1:
                pool_name = c.values[0]
        pool = None
        if pool_name and pool_name in self.declared_pools:  # deployed by Terraform, whose root says the region
            pool = _nearest(self.declared_pools[pool_name], s.shown)
        elif pool_name and pool_name in self.nodepools:
            pool = _nearest(self.nodepools[pool_name], s.path)
        elif pool_name is None and self.nodepools:
            pool = self._pool_by_labels(s, facts.selector)
            pool_name = pool.name if pool else None
        selector = tuple(sorted((k, c.op, tuple(c.values)) for k, c in facts.selector.items()))
        group, ambiguous = None, None
        if pool is None and self.node_groups:  # the answer depends on the selector and the manifest's directory
            asked = (selector, os.path.dirname(s.shown))
            matched = self._matched.get(asked)
            if matched is None:
                top = self._best.get(selector)
                if top is None:
                    top = self._best[selector] = best_matches(self.node_groups, facts.selector, self._group_index)
                matched = self._matched[asked] = nearest_of(top, s.shown)
            group, ambiguous = matched
        unfit = None
        if group is not None and facts.gpus and \
                (per_node := _group_gpus(self.catalog, group, facts.gpu_vendor)) is not None \
                and per_node < facts.gpus:  # the scheduler would not place the pod there
            what = f"{facts.gpu_vendor} {'GPU' if facts.gpu_kind == 'gpu' else 'accelerator'}(s)" \
                if facts.gpu_vendor else "GPU(s)"
            unfit = (f"{group.kind} '{group.name}' ({group.where}) has {per_node:g} {what} per node, fewer than "
                     f"the pod's {facts.gpus:g}: the pod cannot run there and is not priced on it")
            group, ambiguous = None, None
        key = (selector,
               tuple(sorted((str(t.get("key")), str(t.get("operator")), str(t.get("value")))
                            for t in facts.tolerations)),
               facts.gpus, facts.neuron_cores, facts.vcpus, facts.memory_gib, id(pool), id(group), unfit)
        pin = self._pins.get(key)
        if pin is None:
            max_pods: tuple[int | None, str | None] = (None, None)
            if group is not None:  # a cloud node pool declared in Terraform
                inherited, provider, name, pool_kind = (group.requirements, group.resource.provider, group.name,
                                                        group.kind)
                nodes = group.resource.compute.nodes if group.resource.compute else None
                max_pods = (nodes.max_pods, nodes.max_pods_basis) if nodes else max_pods
            else:  # a Karpenter NodePool, or none
                inherited, provider, name, pool_kind = (pool.requirements if pool else None,
                                                        pool.provider if pool else None, pool_name,
                                                        "Karpenter NodePool")
            if provider is None and facts.gpu_vendor in _ONLY_ON_AWS:  # Neuron devices, Gaudi: AWS alone has them
                provider = "aws"
            pin = resolve(self.catalog, self.default_regions, facts.selector, facts.tolerations, facts.gpus,
                          facts.vcpus, facts.memory_gib, inherited, provider, name,
                          region_sources=self.region_sources, pool_kind=pool_kind, neuron_cores=facts.neuron_cores,
                          max_pods=max_pods)
            if group is not None:
                _inherit_group_capacity(pin, group)
            if pool is not None:
                pin.karpenter_pool = pool.name
            if pool is not None and pool.declared_at:
                pin.evidence.append(f"NodePool '{pool.name}' is deployed by {pool.declared_at}"
                                    + (f"; region: {pool.region_evidence}" if pool.region_evidence else ""))
            if pool is not None and pin.on_demand_share is None:
                share, why = _pool_capacity(pool)
                pin.on_demand_share = share
                if why:
                    pin.evidence.append(f"NodePool '{pool.name}': {why}")
            if ambiguous:
                pin.evidence.append(ambiguous)
            if unfit:
                pin.evidence.append(unfit)
            if group is not None and (taints := untolerated(group, facts.tolerations, facts.gpus)):
                pin.untolerated = True
                pin.evidence.append(f"{group.kind} '{group.name}' taints its nodes {', '.join(taints)}, which the "
                                    "pod does not tolerate: as written it stays Pending there (add the toleration)")
            self._pins[key] = pin
        return pin

    def _pool_by_labels(self, s: Src, selector: dict[str, Constraint]) -> NodePoolFacts | None:
        """A NodePool whose node labels the pod selects by a custom label: not a well-known one, or one the pool sets
        on its nodes itself (eks-workshop's ``neuron.amazonaws.com/neuron-device`` under an AWS domain)."""
        custom = {k: c for k, c in selector.items() if c.op == "In" and (
            not _WELL_KNOWN_LABEL.match(k) or any((k, v) in self._pool_labels for v in c.values))}
        if not custom:
            return None
        key, first = next(iter(custom.items()))
        hits = [(path, pool) for v in first.values for path, pool in self._pool_labels.get((key, v), [])
                if all(k in pool.labels and pool.labels[k] in c.values for k, c in custom.items())]
        return _nearest(hits, s.path) if hits else None

    def _labelled(self, s: Src, own: dict[str, str]) -> Resource:
        """A taggable resource with its own labels over its Namespace's (OpenCost and Kubecost allocate by both)."""
        tags: dict[str, str] = {}
        origins: dict[str, str] = {}
        if s.namespace in self.ns_labels:
            ns_labels, where = _nearest(self.ns_labels[s.namespace], s.path)
            tags.update(ns_labels)
            origins = dict.fromkeys(ns_labels, where)
        tags.update(own)
        return self._base(s, taggable=True, tags=tags, tag_origins={k: v for k, v in origins.items() if k not in own})

    # -- KAITO ---------------------------------------------------------------------------------
    def _kaito(self, s: Src) -> Resource:
        """The GPU nodes KAITO's provisioner creates for a Workspace / InferenceSet / RAGEngine, priced as a node
        pool of the cloud its instance type belongs to, in the cluster's region."""
        from linter.sources.kubernetes.kaito import kaito_nodes
        from linter.sources.kubernetes.nodes import provider_of_type

        nodes = kaito_nodes(s.obj.kind, s.obj.api_version, s.data)
        r = self._labelled(s, _strs(s.meta.get("labels")))
        r.links["kaito"] = s.obj.kind  # rules word their remediation for KAITO (its nodes are not a Karpenter pool)
        r.workload = Workload(kind=nodes.workload, evidence=[nodes.workload_why])  # type: ignore[arg-type]
        if nodes.workload == "inference" and nodes.preset:
            from linter.sources.kubernetes.kaito import kaito_model

            r.llm = kaito_model(nodes.preset)
        r.unknowns.extend(nodes.unknowns or [])
        if nodes.no_nodes:
            r.price_notes.append(nodes.no_nodes)
        if nodes.instance_type is None:
            return r
        provider = provider_of_type(self.catalog, nodes.instance_type)
        if provider is None:
            r.unknowns.append(f"instanceType {nodes.instance_type} is in no catalog: cloud and price unknown")
            return r
        region, where = self._cluster_region(provider, s)
        evidence = ["KAITO's node provisioner creates on-demand nodes (the KAITO API has no spot option)",
                    *(nodes.evidence or [])]
        r.compute = build_compute(self.catalog, provider, nodes.instance_type, service="node_pool", region=region,
                                  count=nodes.count, purchase="on_demand", on_demand_share=1.0,
                                  max_size=nodes.max_count, evidence=evidence)
        r.compute.node_provider = provider
        r.region = region
        r.price_notes.append(f"KAITO nodes priced in {region} ({where})" if region else
                             f"region unknown ({where}): set default_regions.{provider} in the config")
        return r

    def _cluster_region(self, provider: str, s: Src) -> tuple[str | None, str]:
        """(region, where from) of the cluster a KAITO object runs in: the cluster of the Terraform root that
        applies it, else a cluster of that cloud in the scan (the nearest when several), else the config's."""
        if provider in self.region_sources and provider in self.default_regions:
            return self.default_regions[provider], self.region_sources[provider]
        clusters = [(c.file, c) for c in self.clusters if c.provider == provider]
        if clusters:
            c: Resource = _nearest(clusters, s.shown)
            more = len({cc.region for _, cc in clusters}) > 1
            return c.region, (f"the region of {c.address} ({c.file}:{c.line})"
                              + (", the nearest of the clusters in the scan" if more else ", the cluster in the scan"))
        return self.default_regions.get(provider), f"config default_regions.{provider}"

    # -- workloads -----------------------------------------------------------------------------
    def _workload(self, s: Src) -> tuple[Resource, dict[str, str]]:
        kind = s.obj.kind
        own_parts = self.prepared.take(s) if self.prepared is not None else prepare(s)
        shape, facts = own_parts.shape, own_parts.facts
        pod_labels, pod_annotations = own_parts.pod_labels, own_parts.pod_annotations
        for f, group in zip(facts, shape.groups, strict=True):
            if group.pod.get("resourceClaims"):  # DRA: devices come from the claims, found by namespace and name
                apply_claims(f, group.pod, {name: _nearest(found, s.path) for (ns, name), found in self.claims.items()
                                            if ns == s.namespace},
                             {name: n for (ns, name), n in self.claim_pods.items() if ns == s.namespace})
        pins = [self._pin(s, f) for f in facts]
        for f, pin in zip(facts, pins, strict=True):
            rescale_neuron_cores(f, accelerators_of(pin.spec).model)
        r = self._labelled(s, {**_strs(s.meta.get("labels")), **own_parts.every_pod_labels})
        r.ignores = {**parse_ignores(pod_annotations.get(IGNORE_ANNOTATION)), **r.ignores}
        wk, why = own_parts.workload
        if wk != "unknown":
            r.workload = Workload(kind=wk, evidence=[why] if why else [])  # type: ignore[arg-type]
        if kind == "DaemonSet" and shape.groups and pins and pins[0].pool_nodes:
            _daemonset_on_pool(shape, pins[0])
        r.price_notes.extend(shape.notes)
        if own_parts.mounted:  # a gateway's config (LiteLLM) finds the proxy that serves it through this
            r.links["configmaps"] = ",".join(own_parts.mounted)
        if not shape.completes:  # a Job that runs a model server for itself exposes no endpoint
            r.llm = own_parts.llm
        if not shape.groups or not any(g.pod for g in shape.groups):
            r.unknowns.append("no pod template found")
            return r, pod_labels
        i = _dominant(shape, facts)
        r.compute = self._compute(shape, facts, pins, i)
        r.region = r.compute.region
        if pins[i].region_note and r.compute.node_provider:
            r.price_notes.append(pins[i].region_note)
        if pins[i].os_note:
            r.price_notes.append(pins[i].os_note)
        if shape.pods_per_replica and shape.pods_per_replica > 1:  # an autoscaler counts groups of pods
            r.links["pods_per_replica"] = str(shape.pods_per_replica)
        if pins[i].pool_address:  # its nodes are paid by that node pool: totals count them once
            r.links["node_pool"] = pins[i].pool_address
            r.links["node_pool_file"] = pins[i].pool_file or ""
            if kind != "DaemonSet" and r.compute.gpu.count:  # the pool's maximum is shared: checked once all are read
                self._on_pools.append((r, pins[i]))
        elif pins[i].karpenter_pool:  # a fix to its capacity type goes in the NodePool's requirements
            r.links["karpenter_nodepool"] = pins[i].karpenter_pool
        if shape.autoscaling:
            a = shape.autoscaling
            r.autoscaling = Autoscaling(address=r.address, metric_kind=a["metric_kind"], metric=a.get("metric"),
                                        min=a.get("min", r.compute.min), max=a.get("max", r.compute.max),
                                        target=a.get("target"), cpu_trigger=a.get("cpu_trigger"),
                                        cpu_trigger_by=r.address if a.get("cpu_trigger") else None,
                                        file=r.file, line=r.line)
        elif kind == "ScaledJob":
            mk, metric, target = keda_triggers(as_list(as_dict(s.data.get("spec")).get("triggers")))
            r.autoscaling = Autoscaling(address=r.address, metric_kind=mk, metric=metric,  # type: ignore[arg-type]
                                        min=r.compute.min, max=r.compute.max, target=target, file=r.file, line=r.line)
        return r, pod_labels

    def _compute(self, shape: Shape, facts: list[PodFacts], pins: list[NodePin], i: int) -> Compute:
        """The workload's capacity, described by its dominant pod group ``i`` (the GPU one)."""
        f, pin = facts[i], pins[i]
        primary = [j for j, pf in enumerate(facts) if pf.gpus > 0] or list(range(len(facts)))

        def total(values: list[Any]) -> Any:
            return None if any(v is None for v in values) else sum(values)

        count = total([shape.groups[j].count for j in primary])
        lo = total([shape.groups[j].min if shape.groups[j].min is not None else shape.groups[j].count
                    for j in primary])
        hi = total([shape.groups[j].max if shape.groups[j].max is not None else shape.groups[j].count
                    for j in primary])
        spec = pin.spec
        node_gpu = accelerators_of(spec)
        model = pin.gpu_model or (tpu_model(None) if f.gpu_vendor == "google" and f.gpus else None)
        gpu = Accelerators(model=model, count=f.gpus,
                           memory_gib=pin.gpu_memory_gib or node_gpu.memory_gib, vendor=f.gpu_vendor,
                           kind=f.gpu_kind if f.gpus or f.accelerators_unread else "none")  # type: ignore[arg-type]
        evidence = [*f.evidence, *pin.evidence]
        if f.one_per_node:
            evidence.append("pod anti-affinity / topology spread on kubernetes.io/hostname: one pod per node")
        groups = [PodGroup(name=gg.name, count=gg.count, min=gg.min, max=gg.max, vcpus=ff.vcpus,
                           memory_gib=ff.memory_gib, gpus=ff.gpus, instance_type=pp.instance_type,
                           one_per_node=ff.one_per_node, gpus_unknown=", ".join(ff.accelerators_unread) or None,
                           neuron_cores=0 if pp.instance_type else ff.neuron_cores)  # a pinned node rescaled them
                  for gg, ff, pp in zip(shape.groups, facts, pins, strict=True)]
        return Compute(
            service="pod", instance_type=pin.instance_type, instance_types=pin.allowed[:20], region=pin.region,
            count=count, min=lo, max=hi,
            autoscaled=hi is not None and lo != hi, purchase=purchase_of_share(pin.on_demand_share),
            on_demand_share=pin.on_demand_share, gpu=gpu, vcpus=f.vcpus, memory_gib=f.memory_gib,
            family=(spec or {}).get("family"), evidence=evidence, node_provider=pin.provider,
            node_gpu_count=node_gpu.count if spec else None, accelerator=pin.accelerator, completes=shape.completes,
            pod_groups=groups)

    # -- node pools ----------------------------------------------------------------------------
    def _nodepool(self, s: Src, facts: NodePoolFacts) -> Resource:
        gpus = 1.0 if facts.gpu_hint else 0.0
        pin = resolve(self.catalog, self.default_regions, facts.requirements, [], gpus, None, None,
                      inherited_provider=facts.provider, region_sources=self.region_sources)
        share, why = _pool_capacity(facts)
        provider = pin.provider or facts.provider
        r = self._base(s, tags=facts.labels, taggable=False)
        evidence = [why, facts.consolidation_evidence, *[e for e in pin.evidence if "capacity-type" not in e]]
        if provider is None:
            r.unknowns.append("cloud unknown: no nodeClassRef or provider labels")
            return r
        spec = pin.spec
        floor = None if facts.consolidates else 1
        extra = None
        if spec is None and facts.gpu_hint:
            extra = Accelerators(count=1, kind="gpu", model=pin.gpu_model)
            evidence.append("GPU nodes (taints/limits/requirements); node type not resolved from the catalog")
        r.compute = build_compute(
            self.catalog, provider, pin.instance_type, service="node_pool", region=pin.region, count=floor,
            purchase=purchase_of_share(share), on_demand_share=share, min_size=0 if facts.consolidates else 1,
            max_size=max_nodes(facts, spec), instance_types=pin.allowed[:20], extra_gpu=extra, evidence=evidence)
        r.compute.node_provider = provider
        r.region = pin.region
        r.karpenter_pool = facts
        if pin.region and provider in self.region_sources and REGION not in facts.requirements:
            region = {REGION: Constraint("In", [pin.region])}  # the root's: pods elsewhere in the scan run there too
            r.karpenter_pool = replace(facts, requirements={**facts.requirements, **region},
                                       region_evidence=f"{pin.region}, {self.region_sources[provider]}")
        if pin.region_note:
            r.price_notes.append(pin.region_note)
        if pin.os_note:
            r.price_notes.append(pin.os_note)
        if facts.consolidates:
            r.price_notes.append("Karpenter launches nodes for pending pods and removes empty ones: node count "
                                 "follows the pods, which carry the cost")
        else:
            r.price_notes.append("consolidation disabled: priced as one node that stays after its pods finish")
        return r

    # -- autoscalers ---------------------------------------------------------------------------
    def _autoscaler(self, s: Src) -> Resource:
        sc: Scaler = hpa(s.obj.api_version, s.data) if s.obj.kind == "HorizontalPodAutoscaler" \
            else scaled_object(s.data)
        r = self._base(s, facets=["autoscaler"])
        r.autoscaling = Autoscaling(address=r.address, metric_kind=sc.metric_kind, metric=sc.metric,  # type: ignore[arg-type]
                                    min=sc.min, max=sc.max, target=sc.target, file=r.file, line=r.line,
                                    cpu_trigger=sc.cpu_trigger, cpu_trigger_by=r.address if sc.cpu_trigger else None)
        if not sc.target_name:
            r.unknowns.append("scaleTargetRef has no name")
            return r
        target_address = address_of(sc.target_kind or "Deployment", s.namespace, sc.target_name)
        r.links["scales"] = target_address
        candidates = self.by_address.get(target_address)
        if not candidates:
            r.unknowns.append(f"scale target {target_address} is not in {self.scope}")
            return r
        target: Resource = _nearest(candidates, s.path)
        r.origin = target.origin
        c = target.compute
        if c is not None and len(c.pod_groups) == 1 and sc.min is not None:
            lo, hi = sc.min, sc.max
            c.min, c.max = lo, hi
            c.count = float(lo)
            c.autoscaled = hi is not None and hi != lo
            g = c.pod_groups[0]
            g.count, g.min, g.max = float(lo), lo, hi
            c.evidence.append(f"replicas set by {r.address}: {lo}..{hi if hi is not None else '?'}, priced at the "
                              "minimum")
        return r

    # -- exposure ------------------------------------------------------------------------------
    def _service(self, s: Src) -> Resource:
        ex = exposure_of("Service", s.data)
        r = self._base(s, facets=["exposure", "public"] if ex.public else ["exposure"])
        # labels a controller gives each pod (one StatefulSet pod, one LeaderWorkerSet leader) pick some of the
        # workload's pods: the Service still reaches it
        selector = {k: v for k, v in ex.selector.items() if k not in _PER_POD_LABELS}
        if not selector:
            return r
        first = next(iter(selector.items()))
        hits = [(src.path, res) for src, res, labels in self.pod_labels.get((s.namespace, *first), [])
                if all(labels.get(k) == v for k, v in selector.items())]
        if hits:
            target: Resource = _nearest(hits, s.path)
            r.links["routes_to"] = target.address
            target.links.setdefault("exposed_by", r.address)
            if ex.public:
                target.links.setdefault("public_endpoint", r.address)
        return r

    def _route(self, s: Src, services: dict[str, list[tuple[str, Resource]]]) -> Resource:
        ex = exposure_of(s.obj.kind, s.data)
        r = self._base(s, facets=["exposure", "public"] if ex.public else ["exposure"])
        for name in ex.services:
            svc_addr = address_of("Service", s.namespace, name)
            if svc_addr not in services:
                continue
            svc: Resource = _nearest(services[svc_addr], s.path)
            target_addr = svc.links.get("routes_to")
            r.links.setdefault("routes_to", target_addr or svc.address)
            if ex.public and target_addr:
                for _, w in self.by_address.get(target_addr, []):
                    w.links.setdefault("public_endpoint", r.address)
        return r


def _configmaps_of(pods: list[dict[str, Any]], namespace: str) -> list[str]:
    """``namespace/name`` of the ConfigMaps a pod template mounts (volumes, projected volumes) or reads (envFrom)."""
    names: list[str] = []
    for pod in pods:
        pod = as_dict(pod)
        for vol in as_list(pod.get("volumes")):
            vol = as_dict(vol)
            refs = [as_dict(vol.get("configMap"))]
            refs += [as_dict(as_dict(src).get("configMap")) for src in as_list(as_dict(vol.get("projected"))
                                                                                 .get("sources"))]
            names += [str(ref["name"]) for ref in refs if isinstance(ref.get("name"), str)]
        for c in as_list(pod.get("containers")) + as_list(pod.get("initContainers")):
            for env in as_list(as_dict(c).get("envFrom")):
                ref = as_dict(as_dict(env).get("configMapRef"))
                if isinstance(ref.get("name"), str):
                    names.append(ref["name"])
    return list(dict.fromkeys(f"{namespace}/{n}" for n in names))


def _dominant(shape: Shape, facts: list[PodFacts]) -> int:
    """The group that defines the workload's GPU facts: most GPUs per pod, then most pods."""
    best = 0
    for j in range(1, len(facts)):
        a = (facts[j].gpus, shape.groups[j].count or 0)
        b = (facts[best].gpus, shape.groups[best].count or 0)
        if a > b:
            best = j
    return best


def _pool_capacity(pool: NodePoolFacts) -> tuple[float | None, str]:
    c = pool.requirements.get("karpenter.sh/capacity-type")
    if c is None:
        return 1.0, "no karpenter.sh/capacity-type requirement: Karpenter launches on-demand nodes"
    share, why = capacity({"karpenter.sh/capacity-type": c}, [])
    return share, why or "capacity type not determined"


def _daemonset_on_pool(shape: Shape, pin: NodePin) -> None:
    """A DaemonSet on a node pool declared in the scan runs one pod per node of that pool."""
    count, low, high = pin.pool_nodes or (None, None, None)
    if count is None:
        return
    group = shape.groups[0]
    group.count, group.min, group.max = count, low, high
    span = f" (range {low}..{high})" if low is not None and high is not None and low != high else ""
    shape.notes = [n for n in shape.notes if not n.startswith("DaemonSet:")]
    shape.notes.append(f"DaemonSet: one pod per node of node pool '{pin.nodepool}', {count:g} node(s) priced{span}")


def _note_pools_beyond_max(on_pools: list[tuple[Resource, NodePin]]) -> None:
    """GPU workloads asking for more than their node pool's maximum size holds: the rest stay Pending. Workloads
    on one declared pool (same address and file) are summed, but for those its taints keep off, else each is
    checked alone."""
    by_pool: dict[tuple[str, str], list[tuple[Resource, NodePin]]] = {}
    for r, pin in on_pools:
        by_pool.setdefault((pin.pool_address or "", pin.pool_file or ""), []).append((r, pin))
    for members in by_pool.values():
        shared = _shared_pool_max([(r, pin) for r, pin in members if not pin.untolerated])
        for r, pin in members:
            if shared and not pin.untolerated:
                continue  # noted with the others
            if r.compute is not None and (note := _beyond_pool_max(r.compute, pin)):
                r.price_notes.append(note)


def _pool_size(c: Compute, pin: NodePin) -> tuple[int, float] | None:
    """(max nodes, GPUs per node) of the pool a GPU workload is pinned to; None when either is not known."""
    high = (pin.pool_nodes or (None, None, None))[2]
    per_node = accelerators_of(pin.spec).count if pin.spec else 0
    if not high or not c.gpu.count or not per_node:
        return None
    return high, per_node


def _pods_wanted(c: Compute) -> float | None:
    """The most pods a workload runs: its maximum when it autoscales above its count, else its count."""
    return c.max if c.max is not None and c.max > (c.count or 0) else c.count


def _beyond_pool_max(c: Compute, pin: NodePin) -> str | None:
    """A GPU workload asking for more pods than its node pool's maximum size can hold (GPUs per node over GPUs per
    pod, times the pool's max nodes): the rest stay Pending."""
    size, wanted = _pool_size(c, pin), _pods_wanted(c)
    if size is None or wanted is None:
        return None
    high, per_node = size
    holds = int(per_node // c.gpu.count) * high
    if wanted <= holds:
        return None
    return (f"node pool {pin.pool_address} has at most {high} node(s) of {per_node:g} GPU(s): {holds} of these "
            f"{wanted:g} pods of {c.gpu.count:g} GPU(s) fit, the rest stay Pending unless its maximum size is raised")


def _shared_pool_max(members: list[tuple[Resource, NodePin]]) -> bool:
    """Several GPU workloads on one pool, summed against its maximum: in pods when they ask for the same GPUs a pod,
    else in GPUs. Which pods stay Pending depends on the order the scheduler sees them, so each workload's note says
    how many the pool holds of how many all of them ask for, and who shares it. False when fewer than two are
    counted (pod count or GPUs unknown) or their sum fits: each is then checked alone."""
    counted = [(r, c, size, wanted) for r, pin in members if (c := r.compute) is not None
               and (size := _pool_size(c, pin)) is not None and (wanted := _pods_wanted(c))]
    if len(counted) < 2:
        return False
    high, per_node = counted[0][2]
    pods = sum(wanted for *_, wanted in counted)
    asked = sum(c.gpu.count * wanted for _, c, _, wanted in counted)
    sizes = {c.gpu.count for _, c, _, _ in counted}
    if len(sizes) == 1:
        held = int(per_node // next(iter(sizes))) * high
        if pods <= held:
            return False
        what = f"it holds {held:g} of the {pods:g} pods of {next(iter(sizes)):g} GPU(s) these workloads ask for"
    else:
        if asked <= high * per_node:
            return False
        what = f"it holds {high * per_node:g} of the {asked:g} GPUs of the {pods:g} pods these workloads ask for"
    pool = members[0][1].pool_address
    for r, _, _, wanted in counted:
        others = ", ".join(f"{o.address} ({w:g} pods)" for o, _, _, w in counted if o is not r)
        r.price_notes.append(f"node pool {pool} has at most {high} node(s) of {per_node:g} GPU(s), "
                             f"{high * per_node:g} GPU(s) in all, shared with {others}: {what} (this one "
                             f"{wanted:g}), the rest stay Pending unless its maximum size is raised")
    return True


def _group_gpus(catalog: Catalog, group: NodeGroup, vendor: str | None) -> float | None:
    """Accelerators of ``vendor`` (NVIDIA GPUs, Google TPUs...) on each node of a declared node pool, the most of
    its types; 0 when its nodes carry another vendor's; None when that is unknown (types not in the catalog)."""
    compute = group.resource.compute
    if compute is None:
        return None
    if compute.gpu.count:  # attached accelerators (a GKE pool's guest_accelerator) or the type's own
        found = [compute.gpu]
    else:
        specs = [catalog.machine(group.resource.provider, t) for t in node_types(compute)]
        if not specs or any(spec is None for spec in specs):
            return None
        found = [accelerators_of(spec) for spec in specs]
    return max(0.0 if vendor and a.vendor and a.vendor != vendor else float(a.count) for a in found)


def _inherit_group_capacity(pin: NodePin, group: NodeGroup) -> None:
    """A pod on a cloud node pool is bought as the pool is (unless its own labels already said)."""
    pin.evidence.append(f"{group.kind} '{group.name}' is declared at {group.where}")
    pin.pool_address, pin.pool_file = group.resource.address, group.resource.file
    compute = group.resource.compute
    if compute is not None:
        pin.pool_nodes = (compute.count, compute.min, compute.max)
    if pin.on_demand_share is None and compute is not None and compute.on_demand_share is not None:
        pin.on_demand_share = compute.on_demand_share
        why = "; ".join(e for e in compute.evidence if "capacity" in e or "spot" in e or "priority" in e.lower())
        pin.evidence.append(f"{group.kind} '{group.name}': {why or compute.purchase}")
