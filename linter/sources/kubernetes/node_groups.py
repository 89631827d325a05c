"""Cloud node pools declared elsewhere in the scan (Terraform), matched to the pods that select them.

An EKS node group, GKE node pool or AKS pool labels its nodes with its name under a well-known key and with
the labels its configuration sets. A pod whose nodeSelector / required node affinity matches those labels runs
on that pool: its node type, region and capacity type come from the pool, as a Karpenter NodePool's
requirements do. A pod that matches two pools equally well is not linked (the scheduler could use either).
"""

from __future__ import annotations

import os
from functools import lru_cache

from linter.model import Compute, Resource
from linter.records import record
from linter.sources.kubernetes.pods import Constraint

INSTANCE_TYPE = "node.kubernetes.io/instance-type"
REGION = "topology.kubernetes.io/region"


GKE_ACCELERATOR = "cloud.google.com/gke-accelerator"
# GKE machine families whose machines come with GPUs; other pools have GPUs only through guest_accelerator
_GKE_GPU_FAMILIES = frozenset({"a2", "a3", "a4", "g2", "g4"})


@record(slots=True)
class NodeGroup:
    resource: Resource  # the declaring resource (its compute facet says type, region, capacity)
    kind: str
    name: str
    labels: dict[str, str]
    absent: frozenset[str] = frozenset()  # label keys its nodes are known not to carry

    @property
    def requirements(self) -> dict[str, Constraint]:
        """What every node of the pool has, as node-label constraints a pod inherits."""
        c = self.resource.compute
        out: dict[str, Constraint] = {}
        types = node_types(c) if c else []
        if types:
            out[INSTANCE_TYPE] = Constraint("In", list(types))
        if self.resource.region:
            out[REGION] = Constraint("In", [self.resource.region])
        return out

    @property
    def where(self) -> str:
        r = self.resource
        return f"{r.address}, {r.file}:{r.line}"


def node_types(c: Compute) -> list[str]:
    """The machine types a pool's nodes may be: its list of types, else its one type."""
    return c.instance_types or ([c.instance_type] if c.instance_type else [])


def node_groups_of(resources: list[Resource]) -> list[NodeGroup]:
    return [NodeGroup(r, r.compute.nodes.kind, r.compute.nodes.name, r.compute.nodes.labels, _absent(r))
            for r in resources if r.compute is not None and r.compute.nodes is not None]


def _absent(r: Resource) -> frozenset[str]:
    """GKE labels GPU nodes ``cloud.google.com/gke-accelerator`` (the accelerator's name) and no others: a pool
    without attached GPUs whose machine type is of no GPU family (n2, e2, a TPU type...) does not have it, so a
    pod that requires it cannot run there (a label a pool does not declare is otherwise taken as unknown)."""
    c = r.compute
    if c is None or c.nodes is None or c.nodes.kind != "GKE node pool" or c.gpu.count:
        return frozenset()
    types = node_types(c)
    if not types or any(t.split("-", 1)[0] in _GKE_GPU_FAMILIES for t in types):
        return frozenset()
    return frozenset({GKE_ACCELERATOR})


def _agrees(value: str, c: Constraint) -> bool:
    if c.op == "In":
        return value in c.values
    if c.op == "NotIn":
        return value not in c.values
    return c.op != "DoesNotExist"  # Exists, Gt/Lt: labels we do not compare numerically agree


@lru_cache(maxsize=16384)
def closeness(path: str, other: str) -> int:
    """How much of one file's directory another file's shares (a repo with one copy per environment).
    Memoised: a large estate asks it about the same two files once for each pod of a pool."""
    return _shared(_directory(path), _directory(other))


@lru_cache(maxsize=8192)
def _directory(path: str) -> str:
    return os.path.dirname(path)


@lru_cache(maxsize=8192)
def _shared(directory: str, other: str) -> int:
    """Memoised by directory too: the files of one directory share the answer."""
    try:
        return len(os.path.commonpath([directory, other]))
    except ValueError:
        return 0


def index_groups(groups: list[NodeGroup]) -> dict[tuple[str, str], list[int]]:
    """(label, value) -> positions of the groups carrying it: a pod's ``In`` constraints pick its candidates
    without testing every pool of a large estate against every pod."""
    index: dict[tuple[str, str], list[int]] = {}
    for i, g in enumerate(groups):
        for item in g.labels.items():
            index.setdefault(item, []).append(i)
    return index


def best_matches(groups: list[NodeGroup], selector: dict[str, Constraint],
                 index: dict[tuple[str, str], list[int]] | None = None) -> list[NodeGroup]:
    """The node groups that agree with every selected label they carry and match the most ``In`` terms (ties
    kept, in declaration order); the same for every pod with this selector. A match needs an ``In`` hit, so with
    ``index`` only the groups that carry one of the selected label values are tested."""
    if index is not None:
        positions = {i for key, c in selector.items() if c.op == "In" for v in c.values
                     for i in index.get((key, v), ())}
        groups = [groups[i] for i in sorted(positions)]
    scored: list[tuple[int, NodeGroup]] = []
    for g in groups:
        hits = 0
        for key, c in selector.items():
            value = g.labels.get(key)
            if value is None:
                if key in g.absent and c.op in ("In", "Exists"):
                    break  # the pod requires a label these nodes do not carry
                continue
            if not _agrees(value, c):
                break
            hits += c.op == "In"
        else:
            if hits:
                scored.append((hits, g))
    if not scored:
        return []
    best = max(h for h, _ in scored)
    return [g for h, g in scored if h == best]


def nearest_of(top: list[NodeGroup], path: str) -> tuple[NodeGroup | None, str | None]:
    """One of the best matches: the only one, else the one whose directory shares most with the manifest's
    (``path``, shown as the pools' files are), else none, with a note that the choice was ambiguous."""
    if not top:
        return None, None
    if len(top) > 1:
        here = _directory(path)
        near = [_shared(here, _directory(g.resource.file)) for g in top]  # by position: id() is an audited call
        closest = max(near)
        nearest = [g for g, n in zip(top, near, strict=True) if n == closest]
        if len(nearest) == 1:
            return nearest[0], None
        names = ", ".join(sorted(f"{g.kind} '{g.name}' ({g.resource.address}, {g.resource.file})" for g in top))
        return None, f"node labels match several node pools ({names}); not linked to one"
    return top[0], None


# Taints the pods that request the resource tolerate without saying so (the ExtendedResourceToleration admission
# plugin, which GKE enables: a pod asking for nvidia.com/gpu gets the nvidia.com/gpu toleration)
_EXTENDED_RESOURCES = frozenset({"nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron", "google.com/tpu"})


def untolerated(group: NodeGroup, tolerations: list[dict[str, object]], gpus: float) -> list[str]:
    """The pool's NoSchedule/NoExecute taints (``key=value:Effect``) that none of the pod's tolerations matches."""
    nodes = group.resource.compute.nodes if group.resource.compute else None
    out = []
    for taint in nodes.taints if nodes else []:
        key_value, _, effect = taint.rpartition(":")
        key, _, value = key_value.partition("=")
        if effect not in ("NoSchedule", "NoExecute") or (gpus and key in _EXTENDED_RESOURCES):
            continue
        if not any(_tolerates(t, key, value, effect) for t in tolerations):
            out.append(taint)
    return out


def _tolerates(toleration: dict[str, object], key: str, value: str, effect: str) -> bool:
    """Kubernetes' rule: an empty effect matches every effect; Exists matches any value (an empty key, any key)."""
    if toleration.get("effect") not in (None, "", effect):
        return False
    if toleration.get("operator") == "Exists":
        return toleration.get("key") in (None, "", key)
    return toleration.get("key") == key and str(toleration.get("value") or "") == value

