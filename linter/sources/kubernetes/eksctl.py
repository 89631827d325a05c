"""eksctl ClusterConfig files (eksctl.io/v1alpha5): each node group they create, as a priced EKS node group.

``eksctl create cluster -f`` turns ``managedNodeGroups[]`` into EKS managed node groups and ``nodeGroups[]`` into
self-managed Auto Scaling groups. Each becomes the resource an ``aws_eks_node_group`` becomes (a ``node_pool``
compute facet with type, count, bounds, capacity type and the node labels pods select), so the same rules apply
and pods of the scan that select its labels are priced on it. eksctl's behaviour, from its source
(eksctl-io/eksctl pkg/apis/eksctl.io/v1alpha5 types.go and defaults.go, pkg/cfn/builder nodegroup.go and
managed_nodegroup.go): the default instance type is m5.large and the default node count 2 (DefaultNodeType,
DefaultNodeCount); metadata.tags tag every node group, its own tags winning; every node is labelled
alpha.eksctl.io/cluster-name and alpha.eksctl.io/nodegroup-name.
"""

from __future__ import annotations

from typing import Any

from linter.facts.compute import (
    build_compute,
    mixed_on_demand_share,
    purchase_of_share,
    share_of_spot,
    within_bounds,
)
from linter.model import KubeNodes, Resource
from linter.pricing.catalog import Catalog
from linter.sources.kubernetes.shapes import as_dict, as_list

DEFAULT_NODE_TYPE = "m5.large"  # eksctl DefaultNodeType
DEFAULT_NODE_COUNT = 2  # eksctl DefaultNodeCount
_KINDS = {"managedNodeGroups": "EKS node group", "nodeGroups": "EKS self-managed node group"}
_PLACEHOLDER = ("${", "{{")  # envsubst / Go-template values: the real value is known only once rendered


def _text(value: Any) -> str | None:
    return str(value) if isinstance(value, (str, int, float)) and not isinstance(value, bool) and value != "" \
        else None


def _placeholder(value: Any) -> bool:
    return isinstance(value, str) and any(p in value for p in _PLACEHOLDER)


def _count(group: dict[str, Any], key: str, unknowns: list[str]) -> int | None:
    value = group.get(key)
    if isinstance(value, bool) or value is None:
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    unknowns.append(f"{key} '{value}' is not a number (a template placeholder?): not read")
    return None


def _strings(value: Any) -> dict[str, str]:
    return {str(k): "" if v is None else str(v) for k, v in as_dict(value).items()}


def _taints(value: Any) -> list[str]:
    """``taints`` as a list of {key, value, effect} (managed and newer self-managed groups) or the older map
    ``{key: "value:Effect"}``; each as ``key=value:Effect``."""
    if isinstance(value, dict):
        return [f"{k}={v}" if ":" in str(v) else f"{k}={v}:NoSchedule" for k, v in value.items()]
    out = []
    for t in as_list(value):
        t = as_dict(t)
        if isinstance(t.get("key"), str) and isinstance(t.get("effect"), str):
            out.append(f"{t['key']}={'' if t.get('value') is None else t['value']}:{t['effect']}")
    return out


def _types(section: str, group: dict[str, Any], unknowns: list[str]) -> list[str]:
    """Instance types a group launches: instanceType, managed instanceTypes, self-managed
    instancesDistribution.instanceTypes, else eksctl's default (none when types are picked elsewhere)."""
    dist = as_dict(group.get("instancesDistribution"))
    types = [str(t) for t in as_list(group.get("instanceTypes")) + as_list(dist.get("instanceTypes"))
             if _text(t)]
    single = _text(group.get("instanceType"))
    if single and single != "mixed":
        types = [single, *[t for t in types if t != single]]
    if any(_placeholder(t) for t in types):
        unknowns.append(f"instance type {types[0]!r} is a template placeholder: render the file to price it")
        return []
    if types:
        return types
    if as_dict(group.get("instanceSelector")):
        unknowns.append("instanceSelector: eksctl picks the instance types when it creates the group")
        return []
    if section == "managedNodeGroups" and group.get("launchTemplate"):
        unknowns.append("launchTemplate: the instance type is in a launch template outside this file")
        return []
    return [DEFAULT_NODE_TYPE]


def _capacity(section: str, group: dict[str, Any], count: int | None) -> tuple[float | None, str | None, str]:
    """(on-demand share, EKS capacity type, evidence): a managed group's ``spot``, a self-managed group's
    instancesDistribution (on demand up to onDemandBaseCapacity, then onDemandPercentageAboveBaseCapacity)."""
    market = str(as_dict(group.get("instanceMarketOptions")).get("marketType") or "").lower()
    if section == "managedNodeGroups":
        if group.get("spot") is True:
            return share_of_spot(True), "SPOT", "spot: true"
        capacity = "CAPACITY_BLOCK" if market == "capacity-block" else "ON_DEMAND"
        why = "instanceMarketOptions.marketType: capacity-block" if market == "capacity-block" else "no spot: true"
        return share_of_spot(False), capacity, f"{why}: capacity type {capacity}"
    dist = as_dict(group.get("instancesDistribution"))
    if not dist:
        return 1.0, None, "no instancesDistribution: all on demand"
    base, pct = dist.get("onDemandBaseCapacity", 0), dist.get("onDemandPercentageAboveBaseCapacity", 100)
    if not isinstance(base, (int, float)) or not isinstance(pct, (int, float)):
        return None, None, f"instancesDistribution: onDemandBaseCapacity={base}, " \
                           f"onDemandPercentageAboveBaseCapacity={pct} not known"
    return mixed_on_demand_share(float(base), float(pct), count), None, \
        f"instancesDistribution: onDemandBaseCapacity={base}, onDemandPercentageAboveBaseCapacity={pct}"


def node_group_resources(data: dict[str, Any], shown: str, line: int, item_lines: dict[str, list[int]] | None,
                         catalog: Catalog, default_region: str | None, ignores: dict[str, str]) -> list[Resource]:
    """One resource per node group of a ClusterConfig (``shown``: its display path, ``line``: the document's)."""
    meta = as_dict(data.get("metadata"))
    cluster = _text(meta.get("name")) or ""
    region = _text(meta.get("region"))
    region_note = None
    if region is None or _placeholder(region):
        region_note = (f"metadata.region {'is a template placeholder' if region else 'not set'}; priced in "
                       f"{default_region}" if default_region else None)
        region = default_region
    cluster_tags = _strings(meta.get("tags"))
    where = f"metadata.tags of ClusterConfig {cluster} ({shown}:{line})"
    out: list[Resource] = []
    for section, kind in _KINDS.items():
        lines = (item_lines or {}).get(section, [])
        for i, group in enumerate(as_list(data.get(section))):
            group = as_dict(group)
            name = _text(group.get("name")) or ""
            unknowns: list[str] = []
            low, high = _count(group, "minSize", unknowns), _count(group, "maxSize", unknowns)
            desired = _count(group, "desiredCapacity", unknowns)
            evidence: list[str] = []
            if desired is None and low is None:
                desired = DEFAULT_NODE_COUNT
                evidence.append(f"no desiredCapacity or minSize: eksctl's default of {DEFAULT_NODE_COUNT} nodes")
            count = within_bounds(desired, low, high, "desiredCapacity", evidence)
            types = _types(section, group, unknowns)
            share, capacity, why = _capacity(section, group, count)
            evidence.insert(0, why)
            if group.get("capacityReservation"):
                evidence.append("capacityReservation: runs in reserved capacity, priced at the on-demand rate")
            compute = build_compute(catalog, "aws", types[0] if types else None, service="node_pool",
                                    region=region, count=count, purchase=purchase_of_share(share),
                                    on_demand_share=share, min_size=low, max_size=high, instance_types=types,
                                    evidence=evidence)
            labels = {**_strings(group.get("labels")), "alpha.eksctl.io/cluster-name": cluster,
                      "alpha.eksctl.io/nodegroup-name": name}
            if section == "managedNodeGroups":  # EKS labels a managed group's nodes (as for aws_eks_node_group)
                labels["eks.amazonaws.com/nodegroup"] = name
                if capacity:
                    labels["eks.amazonaws.com/capacityType"] = capacity
            compute.nodes = KubeNodes(kind=kind, name=name, labels=labels, taints=_taints(group.get("taints")))
            own = _strings(group.get("tags"))
            out.append(Resource(
                address=f"ClusterConfig/{cluster}/{section}/{name}", type="ClusterConfig", source="kubernetes",
                provider="aws", file=shown, line=lines[i] if i < len(lines) else line, name=name, region=region,
                taggable=True, tags={**cluster_tags, **own},
                tag_origins={k: where for k in cluster_tags if k not in own}, compute=compute, unknowns=unknowns,
                price_notes=[region_note] if region_note else [], ignores=dict(ignores)))
    return out
