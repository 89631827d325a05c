"""Karpenter NodePools (karpenter.sh/v1, v1beta1) and Provisioners (v1alpha5).

A NodePool launches nodes for pending pods, so it prices nothing by itself: its facts are
the machine types and capacity type its requirements allow, its limits, and whether empty
nodes are ever removed (consolidation). A GPU NodePool that never removes empty nodes keeps
paying for GPUs after the last pod leaves.
"""

from __future__ import annotations

import math
from dataclasses import field
from typing import Any

from linter.facts.compute import accelerators_of
from linter.records import record
from linter.sources.kubernetes.nodes import provider_of_labels
from linter.sources.kubernetes.pods import Constraint, requirements_of
from linter.sources.kubernetes.quantity import gib, quantity
from linter.sources.kubernetes.shapes import as_dict, as_list

_GPU_LIMITS = ("nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron")


@record
class NodePoolFacts:
    name: str
    provider: str | None = None
    requirements: dict[str, Constraint] = field(default_factory=dict)
    labels: dict[str, str] = field(default_factory=dict)
    taints: list[dict[str, Any]] = field(default_factory=list)
    limit_cpu: float | None = None
    limit_memory_gib: float | None = None
    limit_gpus: float | None = None
    consolidates: bool = True
    consolidation_evidence: str = ""
    gpu_hint: bool = False  # taints, limits or requirements say GPU nodes
    declared_at: str = ""  # the Terraform resource that deploys it (address, file:line), when one does
    region_evidence: str = ""  # where a region requirement the NodePool does not state itself comes from


def _provider(ref: dict[str, Any], requirements: dict[str, Constraint]) -> str | None:
    kind = str(ref.get("kind") or "")
    group = str(ref.get("group") or ref.get("apiVersion") or "")
    if kind in ("EC2NodeClass", "AWSNodeTemplate") or "karpenter.k8s.aws" in group:
        return "aws"
    if kind == "AKSNodeClass" or "karpenter.azure.com" in group:
        return "azure"
    if kind == "GCENodeClass" or "karpenter.k8s.gcp" in group:
        return "gcp"
    return provider_of_labels(requirements)


def nodepool_facts(kind: str, api_version: str, data: dict[str, Any]) -> NodePoolFacts:
    meta = as_dict(data.get("metadata"))
    spec = as_dict(data.get("spec"))
    facts = NodePoolFacts(name=str(meta.get("name") or ""))
    if kind == "Provisioner":  # karpenter.sh/v1alpha5
        facts.requirements = requirements_of(as_list(spec.get("requirements")))
        facts.labels = {str(k): str(v) for k, v in as_dict(spec.get("labels")).items()}
        facts.taints = [t for t in as_list(spec.get("taints")) if isinstance(t, dict)]
        limits = as_dict(as_dict(spec.get("limits")).get("resources"))
        ref = as_dict(spec.get("providerRef")) or ({"kind": "AWSNodeTemplate"} if spec.get("provider") else {})
        ttl = spec.get("ttlSecondsAfterEmpty")
        consolidation = as_dict(spec.get("consolidation")).get("enabled") is True
        if ttl is None and not consolidation:
            facts.consolidates = False
            facts.consolidation_evidence = ("no ttlSecondsAfterEmpty and consolidation.enabled is not true: "
                                            "Karpenter never removes empty nodes")
        else:
            facts.consolidation_evidence = (f"ttlSecondsAfterEmpty: {ttl}" if ttl is not None
                                            else "consolidation.enabled: true")
    else:
        template = as_dict(spec.get("template"))
        tspec = as_dict(template.get("spec"))
        facts.requirements = requirements_of(as_list(tspec.get("requirements")))
        facts.labels = {str(k): str(v) for k, v in as_dict(as_dict(template.get("metadata")).get("labels")).items()}
        facts.taints = [t for t in as_list(tspec.get("taints")) if isinstance(t, dict)]
        limits = as_dict(spec.get("limits"))
        ref = as_dict(tspec.get("nodeClassRef"))
        facts.consolidates, facts.consolidation_evidence = _disruption(as_dict(spec.get("disruption")), api_version)
    facts.provider = _provider(ref, facts.requirements)
    facts.limit_cpu = quantity(limits.get("cpu"))
    facts.limit_memory_gib = gib(limits.get("memory"))
    for key in _GPU_LIMITS:
        if key in limits:
            facts.limit_gpus = quantity(limits.get(key))
    gpu_req = facts.requirements.get("karpenter.k8s.aws/instance-gpu-count")
    facts.gpu_hint = bool(
        any(str(t.get("key", "")) in _GPU_LIMITS for t in facts.taints)
        or (facts.limit_gpus or 0) > 0
        or "karpenter.k8s.aws/instance-gpu-name" in facts.requirements
        or (gpu_req is not None and (gpu_req.op in ("Gt", "Exists") or any(v != "0" for v in gpu_req.values))))
    return facts


def _disruption(d: dict[str, Any], api_version: str) -> tuple[bool, str]:
    policy = d.get("consolidationPolicy") or ("WhenEmptyOrUnderutilized" if api_version.endswith("/v1")
                                              else "WhenUnderutilized")
    after = d.get("consolidateAfter")
    if isinstance(after, str) and after.strip().lower() == "never":
        return False, f"disruption.consolidateAfter: Never (policy {policy}): Karpenter never removes empty nodes"
    for budget in as_list(d.get("budgets")):
        b = as_dict(budget)
        reasons = [str(r) for r in as_list(b.get("reasons"))]
        if str(b.get("nodes", "")).strip() in ("0", "0%") and not b.get("schedule") and \
                (not reasons or "Empty" in reasons):
            return False, ("disruption.budgets has nodes: \"0\" with no schedule: no node is ever disrupted, "
                           "empty or not")
    return True, f"disruption.consolidationPolicy: {policy}" + (f", consolidateAfter: {after}" if after else "")


def max_nodes(facts: NodePoolFacts, spec: dict[str, Any] | None) -> int | None:
    """The node count the NodePool's limits allow for its representative node type."""
    if not spec:
        return None
    bounds = []
    gpus = accelerators_of(spec).count
    if facts.limit_gpus is not None and gpus:
        bounds.append(math.floor(facts.limit_gpus / gpus))
    if facts.limit_cpu is not None and spec.get("vcpus"):
        bounds.append(math.floor(facts.limit_cpu / float(spec["vcpus"])))
    if facts.limit_memory_gib is not None and spec.get("memory_gib"):
        bounds.append(math.floor(facts.limit_memory_gib / float(spec["memory_gib"])))
    return min(bounds) if bounds else None
