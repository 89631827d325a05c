"""The node labels and taints of Terraform-declared Kubernetes node pools, as pods select them.

Each cloud labels a pool's nodes with the pool's name under a well-known key and adds the labels the
Terraform sets; a Deployment in the same scan that selects those labels runs on that pool (see
linter/sources/kubernetes/node_groups.py). Only what the configuration states is recorded: a pool whose
name or labels are unknown statically gets no facet, or only the labels that are known.
"""

from __future__ import annotations

from typing import Any

from linter.model import KubeNodes
from linter.sources.terraform.view import View

GKE_ACCELERATOR = "cloud.google.com/gke-accelerator"  # as in sources/kubernetes/nodes.py (not imported: the
# Kubernetes reader stays off the start-up path of a Terraform-only scan)
_EFFECT = {"NO_SCHEDULE": "NoSchedule", "NO_EXECUTE": "NoExecute", "PREFER_NO_SCHEDULE": "PreferNoSchedule"}


def _taint(block: dict[str, Any]) -> str | None:
    key, value, effect = block.get("key"), block.get("value"), block.get("effect")
    if not isinstance(key, str) or not isinstance(effect, str):
        return None
    if isinstance(value, bool):  # value = true: Terraform converts it to the string the API gets
        value = "true" if value else "false"
    elif isinstance(value, (int, float)):
        value = str(value)
    return f"{key}={value if isinstance(value, str) else ''}:{_EFFECT.get(effect.upper(), effect)}"


def eks_nodes(view: View, capacity: str | None) -> KubeNodes | None:
    """aws_eks_node_group: ``labels``, ``taint`` blocks, eks.amazonaws.com/nodegroup and capacityType (each when
    known: a node_group_name_prefix gets a random suffix at apply time, so no pod can select that name)."""
    name = view.str("node_group_name")
    prefix = view.str("node_group_name_prefix") if not name else None
    if not name and not prefix:
        return None
    labels, _ = view.map("labels")
    if name:
        labels["eks.amazonaws.com/nodegroup"] = name
    if capacity:
        labels["eks.amazonaws.com/capacityType"] = capacity.upper()
    name = name or f"{prefix}*"
    taints = [t for t in (_taint(b) for b in view.blocks("taint")) if t]
    return KubeNodes(kind="EKS node group", name=name, labels=labels, taints=taints)


def gke_nodes(name: str | None, node_config: dict[str, Any], labels: dict[str, str],
              prefix: str | None = None) -> KubeNodes | None:
    """google_container_node_pool / a cluster's default pool: ``labels`` (node_config.labels, known values) and
    taints, gke-nodepool, gke-spot / gke-preemptible and gke-accelerator. A pool named by ``name_prefix`` (or
    auto-named by Pulumi) gets a random suffix at apply time: no pod selects it by gke-nodepool, but its other
    labels (the accelerator, the spot label, node_config.labels) still say which pods run there."""
    if not name and not prefix:
        return None
    labels = {**labels, "cloud.google.com/gke-nodepool": name} if name else dict(labels)
    name = name or f"{prefix}*"
    if node_config.get("spot") is True:
        labels["cloud.google.com/gke-spot"] = "true"
    if node_config.get("preemptible") is True:
        labels["cloud.google.com/gke-preemptible"] = "true"
    for accel in node_config.get("guest_accelerator") or []:
        if isinstance(accel, dict) and isinstance(accel.get("type"), str):
            labels[GKE_ACCELERATOR] = accel["type"]
    blocks = node_config.get("taint") or []
    taints = [t for b in ([blocks] if isinstance(blocks, dict) else blocks) if isinstance(b, dict) and (t := _taint(b))]
    return KubeNodes(kind="GKE node pool", name=name, labels=labels, taints=taints)


# Max pods per node when a pool does not set it, by the cluster's network plugin (and mode): kubenet 110 and Azure CNI
# (node subnet) 30 - learn.microsoft.com/azure/aks/concepts-network-legacy-cni ("Maximum pods per node"); Azure CNI
# Overlay 250 - learn.microsoft.com/azure/aks/azure-cni-overlay. Another plugin (none, a pod subnet) says nothing here.
_AKS_DEFAULT_MAX_PODS = {("kubenet", ""): (110, "the kubenet default"), ("azure", ""): (30, "the Azure CNI default"),
                         ("azure", "overlay"): (250, "the Azure CNI Overlay default")}


def aks_max_pods(view: View, cluster: View | None, *path: str) -> tuple[int | None, str | None]:
    """A pool's max pods per node and why: its own ``max_pods``, else its cluster's network plugin's default
    (network_profile.network_plugin / network_plugin_mode); (None, None) when neither is known statically."""
    own = view.get(*path, "max_pods", note=False)
    if isinstance(own, (int, float)) and not isinstance(own, bool) and own > 0:
        return int(own), f"max_pods of {view.raw.address}"
    if cluster is None or view.unknown(*path, "max_pods") is not None:  # known at apply: no default stands in
        return None, None
    plugin = cluster.get("network_profile", "network_plugin", note=False)
    mode = cluster.get("network_profile", "network_plugin_mode", note=False)
    if not isinstance(plugin, str) or not isinstance(mode, (str, type(None))):
        return None, None
    found = _AKS_DEFAULT_MAX_PODS.get((plugin.lower(), (mode or "").lower()))
    if found is None:
        return None, None
    said = f'network_plugin = "{plugin}"' + (f', network_plugin_mode = "{mode}"' if mode else "")
    return found[0], f"{found[1]}, {said} on {cluster.raw.address}"


def aks_nodes(view: View, *path: str, cluster: View | None = None) -> KubeNodes | None:
    """azurerm_kubernetes_cluster_node_pool / default_node_pool: node_labels, node_taints, agentpool, spot, and
    max pods per node (the pool's, else its ``cluster``'s network plugin default)."""
    name = view.str(*path, "name")
    if not name:
        return None
    labels, _ = view.map(*path, "node_labels")
    labels.update({"kubernetes.azure.com/agentpool": name, "agentpool": name})
    if (view.str(*path, "priority") or "").lower() == "spot":
        labels["kubernetes.azure.com/scalesetpriority"] = "spot"
    max_pods, why = aks_max_pods(view, cluster, *path)
    return KubeNodes(kind="AKS node pool", name=name, labels=labels, taints=view.strings(*path, "node_taints"),
                     max_pods=max_pods, max_pods_basis=why)
