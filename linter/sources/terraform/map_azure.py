"""Azure resource types -> normalized facts."""

from __future__ import annotations

import json
from typing import Any

from linter.facts.compute import SPOT_UNKNOWN, build_compute, purchase_of_share, share_of_spot
from linter.facts.metrics import classify_metric, cpu_trigger, pick_metric
from linter.model import Autoscaling
from linter.sources.terraform.kube_nodes import aks_nodes
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.normalize import MapContext, Mapped
from linter.sources.terraform.taggable import is_taggable
from linter.sources.terraform.values import UnknownEncoding, is_unknown
from linter.sources.terraform.view import View, as_blocks, dig


def _base(view: View, ctx: MapContext, location: str | None = None) -> dict[str, Any]:
    region, note = ctx.region_for("azure", view.raw, location or view.str("location"))
    tags, known = view.map("tags")
    rtype = arm_mirror_type(view.raw) or view.raw.type  # an azapi_resource is tagged and billed as what it mirrors
    fields: dict[str, Any] = {"region": region, "tags": tags, "tags_known": known,
                              "taggable": is_taggable(rtype, view.raw.values), "terraform_type": rtype}
    if note:
        fields["price_notes"] = [note]
    return fields


def map_generic(view: View, ctx: MapContext) -> Mapped:
    return Mapped(_base(view, ctx))


def map_cognitive_deployment(view: View, ctx: MapContext) -> Mapped:
    """An Azure OpenAI deployment runs in its account's region (it has no location of its own)."""
    from linter.sources.terraform.map_llm import cognitive_account

    account = cognitive_account(ctx, view.refs("cognitive_account_id"))
    return Mapped(_base(view, ctx, View(account).str("location") if account is not None else None))


def _priority_share(view: View, where: str, block: dict[str, Any] | None = None) -> tuple[float | None, str]:
    """The on-demand share that ``priority`` says (Regular when absent) and why; None when it is given at apply."""
    spot = view.says(block, where, {"priority": lambda v: str(v).lower() == "spot"})
    if spot is None:
        return None, SPOT_UNKNOWN
    priority = (block if block is not None else view.raw.values).get("priority")
    return share_of_spot(spot), f"priority = {priority if isinstance(priority, str) else 'Regular'}"


def map_virtual_machine(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    share, why = _priority_share(view, "")
    fields["compute"] = build_compute(ctx.catalog, "azure", view.str("size") or view.str("vm_size"), service="vm",
                                      region=fields["region"], count=1, purchase=purchase_of_share(share),
                                      on_demand_share=share, evidence=[why])
    if view.raw.type.startswith("azurerm_windows"):
        fields.setdefault("price_notes", []).append("Linux rate; the Windows licence is not included")
    return Mapped(fields)


def map_scale_set(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    share, why = _priority_share(view, "")
    instances = view.int("instances")
    fields["compute"] = build_compute(ctx.catalog, "azure", view.str("sku"), service="autoscaling_group",
                                      region=fields["region"], count=instances, purchase=purchase_of_share(share),
                                      on_demand_share=share, min_size=instances, evidence=[why])
    return Mapped(fields)


def _pool_compute(view: View, ctx: MapContext, region: str | None, *path: str, cluster: View | None = None) -> Any:
    def get(key: str) -> Any:
        return view.get(*path, key, note=key in ("vm_size",)) if path else view.get(key, note=key == "vm_size")

    def num(key: str) -> int | None:
        v = get(key)
        return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    auto = get("enable_auto_scaling") is True or get("auto_scaling_enabled") is True
    min_count, max_count, node_count = num("min_count"), num("max_count"), num("node_count")
    blocks = view.blocks(*path) if path else []
    share, why = _priority_share(view, f"{'.'.join(path)}." if path else "", (blocks or [{}])[0] if path else None)
    floor = min_count if auto and min_count is not None else node_count
    if floor is None:
        floor = min_count if min_count is not None else node_count
    vm_size = get("vm_size")
    compute = build_compute(ctx.catalog, "azure", vm_size if isinstance(vm_size, str) else None,
                            service="node_pool", region=region, count=node_count if node_count is not None else floor,
                            purchase=purchase_of_share(share), on_demand_share=share,
                            min_size=floor, max_size=max_count if auto else floor,
                            evidence=[why, f"auto scaling {'on' if auto else 'off'}"])
    compute.nodes = aks_nodes(view, *path, cluster=cluster)
    return compute


def map_aks_cluster(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    if view.blocks("default_node_pool"):
        fields["compute"] = _pool_compute(view, ctx, fields["region"], "default_node_pool", cluster=view)
    return Mapped(fields)


def _cluster_of(view: View, ctx: MapContext) -> RawResource | None:
    refs = view.refs("kubernetes_cluster_id")
    return ctx.resolve(refs, "azurerm_kubernetes_cluster") or ctx.resolve(refs, "azapi_resource")


def _cluster_view(cluster: RawResource | None, ctx: MapContext) -> View | None:
    """A node pool's cluster as azurerm arguments (an azapi managedClusters read through its mirror)."""
    if cluster is None or cluster.type != "azapi_resource":
        return View(cluster) if cluster is not None else None
    mirror = arm_mirror(View(cluster), ctx)
    return View(mirror) if mirror is not None else None


def map_aks_node_pool(view: View, ctx: MapContext) -> Mapped:
    cluster = _cluster_of(view, ctx)
    location = View(cluster).str("location") if cluster else None
    fields = _base(view, ctx, location)
    fields["compute"] = _pool_compute(view, ctx, fields["region"], cluster=_cluster_view(cluster, ctx))
    if cluster is not None:
        fields["links"] = {"cluster": cluster.address}
    return Mapped(fields)


def map_autoscale_setting(view: View, ctx: MapContext) -> Mapped:
    target = None
    refs = view.refs("target_resource_id")
    for t in ("azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
              "azurerm_orchestrated_virtual_machine_scale_set"):
        target = ctx.resolve(refs, t)
        if target:
            break
    profiles = view.blocks("profile")
    profile = profiles[0] if profiles else {}
    capacity = (as_blocks(profile.get("capacity")) or [{}])[0]
    metrics: list[tuple[str, str | None, float | None]] = []
    scale_out: list[tuple[str, str | None, float | None]] = []  # rules whose action is Increase
    for p in profiles:  # every profile (default, schedules) can scale on its own rules
        for rule in as_blocks(p.get("rule")):
            for trig in as_blocks(rule.get("metric_trigger")):
                if not isinstance(trig.get("metric_name"), str):
                    continue
                out = str(dig(rule, "scale_action", "direction") or "Increase") == "Increase"
                value = trig.get("threshold")
                metrics.append((classify_metric(trig["metric_name"]), trig["metric_name"],
                                float(value) if out and isinstance(value, (int, float))
                                and not isinstance(value, bool) else None))
                if out:
                    scale_out.append(metrics[-1])
    picked = pick_metric(scale_out) or pick_metric(metrics)
    metric_kind, metric, threshold = picked or ("unknown", None, None)
    trigger = cpu_trigger(scale_out, picked)
    if threshold is None:  # the scale-out threshold of the chosen metric
        threshold = next((t for _, m, t in metrics if m == metric and t is not None), None)

    def num(key: str) -> int | None:
        v = capacity.get(key) if isinstance(capacity, dict) else None
        try:
            return int(v) if v is not None and not isinstance(v, bool) else None
        except (TypeError, ValueError):
            return None

    fields: dict[str, Any] = {"taggable": is_taggable(view.raw.type, view.raw.values), "facets": ["autoscaler"],
                              "autoscaling": Autoscaling(
                                  address=view.raw.address, metric=metric,
                                  metric_kind=metric_kind,  # type: ignore[arg-type]
                                  min=num("minimum"), max=num("maximum"), target=threshold, file=view.raw.file,
                                  line=view.raw.line, cpu_trigger=trigger,
                                  cpu_trigger_by=view.raw.address if trigger else None,
                                  scales_out=bool(scale_out) or not metrics)}
    tags, known = view.map("tags")
    fields.update(tags=tags, tags_known=known)
    if target is not None:
        fields["links"] = {"scales": target.address}
    return Mapped(fields)


# -- azapi: Azure Resource Manager types written as azapi_resource (Azure Verified Modules build AKS this way) ----
# Each ARM type whose cost the azurerm mappers know is read through the azurerm resource it mirrors: its ARM
# properties are put under the azurerm argument names, and that mapper prices it. Azure OpenAI accounts and
# deployments and API Management backends are mirrored the same way for map_llm, which reads LLM endpoints off them.

def _arm_pool(props: Any, name: Any) -> dict[str, Any]:
    """An AKS agent pool's ARM properties as azurerm node pool arguments."""
    get = props.get if isinstance(props, dict) else (lambda _key: None)
    return {"name": name, "vm_size": get("vmSize"), "node_count": get("count"), "min_count": get("minCount"),
            "max_count": get("maxCount"), "auto_scaling_enabled": get("enableAutoScaling"),
            "priority": get("scaleSetPriority"), "node_labels": get("nodeLabels"), "node_taints": get("nodeTaints"),
            "max_pods": get("maxPods")}


def _arm_agent_pool(view: View, ctx: MapContext) -> dict[str, Any]:
    return {**_arm_pool(dig(view.raw.values, "body", "properties"), view.get("name", note=False)),
            "kubernetes_cluster_id": view.raw.values.get("parent_id"), "tags": view.raw.values.get("tags")}


def _arm_cluster(view: View, ctx: MapContext) -> dict[str, Any]:
    profiles = dig(view.raw.values, "body", "properties", "agentPoolProfiles")
    first = profiles[0] if isinstance(profiles, list) and profiles and isinstance(profiles[0], dict) else None
    network = dig(view.raw.values, "body", "properties", "networkProfile")
    return {"location": view.raw.values.get("location"), "tags": view.raw.values.get("tags"),
            **({"default_node_pool": [_arm_pool(first, first.get("name"))]} if first is not None else {}),
            **({"network_profile": [{"network_plugin": network.get("networkPlugin"),
                                     "network_plugin_mode": network.get("networkPluginMode")}]}
               if isinstance(network, dict) else {})}


def _arm_vm(view: View, ctx: MapContext) -> dict[str, Any]:
    props = dig(view.raw.values, "body", "properties")
    return {"location": view.raw.values.get("location"), "tags": view.raw.values.get("tags"),
            "size": dig(props, "hardwareProfile", "vmSize"), "priority": dig(props, "priority")}


def _arm_scale_set(view: View, ctx: MapContext) -> dict[str, Any]:
    body = view.raw.values.get("body")
    return {"location": view.raw.values.get("location"), "tags": view.raw.values.get("tags"),
            "sku": dig(body, "sku", "name"), "instances": dig(body, "sku", "capacity"),
            "priority": dig(body, "properties", "virtualMachineProfile", "priority")}


def _arm_body(view: View) -> Any:
    """``body`` as an object: azapi v2 takes an HCL object, azapi v1 a ``jsonencode()`` string (decoded here). The
    ``jsonencode()`` of a partly unknown object is that object: its unknown parts stay unknown, the rest is read."""
    body = view.raw.values.get("body")
    if isinstance(body, UnknownEncoding):
        return body.value
    if isinstance(body, str):
        try:
            body = json.loads(body)
        except (ValueError, RecursionError):
            return None
    return body


def _arm_cognitive_account(view: View, ctx: MapContext) -> dict[str, Any]:
    """An Azure OpenAI / AI Services account: the azurerm_ai_services arguments its network access reads from."""
    body = _arm_body(view)
    acls = dig(body, "properties", "networkAcls")
    ips = acls.get("ipRules") if isinstance(acls, dict) else None
    return {"name": view.raw.values.get("name"), "location": view.raw.values.get("location"),
            "tags": view.raw.values.get("tags"), "kind": dig(body, "kind"), "sku_name": dig(body, "sku", "name"),
            "custom_subdomain_name": dig(body, "properties", "customSubDomainName"),
            "public_network_access": body if is_unknown(body) else dig(body, "properties", "publicNetworkAccess"),
            **({"network_acls": [{"default_action": acls.get("defaultAction"),
                                  "ip_rules": [ip.get("value") if isinstance(ip, dict) else ip for ip in ips]
                                  if isinstance(ips, list) else ips}]} if isinstance(acls, dict) else {})}


def _arm_cognitive_deployment(view: View, ctx: MapContext) -> dict[str, Any]:
    """A model deployment on its account (``parent_id``): model and sku as azurerm_cognitive_deployment blocks."""
    body = _arm_body(view)
    if is_unknown(body):  # model and sku known only at apply
        return {"name": view.raw.values.get("name"), "cognitive_account_id": view.raw.values.get("parent_id"),
                "model": body, "sku": body}
    model = dig(body, "properties", "model")
    sku = dig(body, "sku")
    return {"name": view.raw.values.get("name"), "cognitive_account_id": view.raw.values.get("parent_id"),
            **({"model": [model]} if isinstance(model, dict) else {}),
            **({"sku": [sku]} if isinstance(sku, dict) else {})}


def _arm_apim_backend(view: View, ctx: MapContext) -> dict[str, Any]:
    """An API Management backend (azapi writes the preview API versions, load-balanced pools): its url and the
    service it belongs to (``parent_id``), as azurerm_api_management_backend arguments."""
    service = ctx.resolve(view.refs("parent_id"), "azurerm_api_management")
    return {"name": view.raw.values.get("name"), "url": dig(_arm_body(view), "properties", "url"),
            "api_management_name": service.values.get("name") if service is not None else None}


_ARM_TYPES = {  # ARM type, lower case, without its API version -> (the azurerm type it mirrors, its arguments)
    "microsoft.containerservice/managedclusters/agentpools": ("azurerm_kubernetes_cluster_node_pool",
                                                              _arm_agent_pool),
    "microsoft.containerservice/managedclusters": ("azurerm_kubernetes_cluster", _arm_cluster),
    "microsoft.compute/virtualmachines": ("azurerm_linux_virtual_machine", _arm_vm),
    "microsoft.compute/virtualmachinescalesets": ("azurerm_linux_virtual_machine_scale_set", _arm_scale_set),
    "microsoft.cognitiveservices/accounts": ("azurerm_ai_services", _arm_cognitive_account),
    "microsoft.cognitiveservices/accounts/deployments": ("azurerm_cognitive_deployment", _arm_cognitive_deployment),
    "microsoft.apimanagement/service/backends": ("azurerm_api_management_backend", _arm_apim_backend),
}


def _arm_entry(raw: RawResource) -> tuple[str, Any] | None:
    arm_type = raw.values.get("type")
    if raw.type != "azapi_resource" or not isinstance(arm_type, str):
        return None
    return _ARM_TYPES.get(arm_type.split("@", 1)[0].lower())


def arm_mirror_type(raw: RawResource) -> str | None:
    """The azurerm type an ``azapi_resource`` mirrors (by its ARM ``type``); None for other ARM types."""
    known = _arm_entry(raw)
    return known[0] if known else None


def arm_mirror(view: View, ctx: MapContext) -> RawResource | None:
    """The azurerm resource an ``azapi_resource`` mirrors: same address, file and line, its ARM properties under
    the azurerm argument names; None for an ARM type no azurerm reader knows."""
    raw = view.raw
    known = _arm_entry(raw)
    if known is None:
        return None
    mirrored, arguments = known
    return RawResource(mirrored, raw.name, raw.address, arguments(view, ctx), raw.file, raw.line,
                       raw.provider, raw.module_prefix, {}, raw.mode, raw.called_from)


def map_azapi_resource(view: View, ctx: MapContext) -> Mapped:
    mirror = arm_mirror(view, ctx)
    if mirror is None or mirror.type not in MAPPERS:  # accounts, APIM backends: read by map_llm only
        return Mapped(_base(view, ctx))
    shadow = View(mirror)
    mapped = MAPPERS[mirror.type](shadow, ctx)
    view.unknowns.extend(shadow.unknowns)
    if mapped.fields.get("compute") is not None:
        mapped.fields["compute"].evidence.append(f"read as {mirror.type} (azapi_resource of type "
                                                 f"{view.raw.values.get('type')})")
    return mapped


MAPPERS = {
    "azurerm_linux_virtual_machine": map_virtual_machine,
    "azurerm_windows_virtual_machine": map_virtual_machine,
    "azurerm_virtual_machine": map_virtual_machine,
    "azurerm_linux_virtual_machine_scale_set": map_scale_set,
    "azurerm_windows_virtual_machine_scale_set": map_scale_set,
    "azurerm_kubernetes_cluster": map_aks_cluster,
    "azurerm_kubernetes_cluster_node_pool": map_aks_node_pool,
    "azurerm_monitor_autoscale_setting": map_autoscale_setting,
    "azapi_resource": map_azapi_resource,
    "azurerm_cognitive_deployment": map_cognitive_deployment,
}

GENERIC = map_generic
