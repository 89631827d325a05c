"""Google Cloud resource types -> normalized facts.

Labels follow what GCP applies: provider ``default_labels``, then the resource's own
labels; node pools also inherit the cluster's ``resource_labels`` (GKE propagates them to
node VMs) and their ``node_config`` labels.
"""

from __future__ import annotations

import math
from typing import Any

from linter.facts.compute import build_compute, purchase_of_share, share_of_spot, spot_evidence
from linter.facts.metrics import classify_metric, cpu_trigger, pick_metric
from linter.model import Accelerators, Autoscaling
from linter.sources.terraform.kube_nodes import gke_nodes
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.normalize import MapContext, Mapped, normalize_region
from linter.sources.terraform.taggable import is_taggable, provider_origins
from linter.sources.terraform.values import Unknown, is_unknown
from linter.sources.terraform.view import View, as_blocks

GKE_DEFAULT_ZONES_PER_REGION = 3


def _provider_labels(view: View) -> dict[str, str]:
    p = view.raw.provider
    if p is None or not p.default_labels:
        return {}
    return {str(k): str(v) for k, v in p.default_labels.items() if not is_unknown(v)}


def _region(view: View, ctx: MapContext, *candidates: str | None) -> tuple[str | None, str | None]:
    explicit = next((c for c in candidates if c), None)
    return ctx.region_for("gcp", view.raw, explicit)


def _base(view: View, ctx: MapContext, labels_path: tuple[str, ...] = ("labels",)) -> dict[str, Any]:
    region, note = _region(view, ctx, view.str("zone"), view.str("region"), view.str("location"))
    own, known = view.map(*labels_path)
    tags = {**_provider_labels(view), **own}
    fields: dict[str, Any] = {"region": region, "tags": tags, "tags_known": known,
                              "taggable": is_taggable(view.raw.type, view.raw.values),
                              "tag_origins": provider_origins(view, _provider_labels(view), own, "default_labels")}
    if note:
        fields["price_notes"] = [note]
    return fields


def map_generic(view: View, ctx: MapContext) -> Mapped:
    return Mapped(_base(view, ctx))


_SPOT_SCHEDULING = {"preemptible": lambda v: v is True, "provisioning_model": lambda v: str(v).upper() == "SPOT",
                    "spot": lambda v: v is True}
_SPOT_NODES = {"spot": lambda v: v is True, "preemptible": lambda v: v is True}


def _is_spot(view: View, sched: dict[str, Any] | None, where: str) -> bool | None:
    """A scheduling block's spot/preemptible choice: None when it is given only at apply."""
    return view.says(sched, where, _SPOT_SCHEDULING) if sched else False


def _guest_gpu(ctx: MapContext, accels: list[dict[str, Any]]) -> tuple[Accelerators | None, list[tuple[str, float]]]:
    attached: list[tuple[str, float]] = []
    for a in accels:
        name, count = a.get("type"), a.get("count", 1)
        if isinstance(name, str) and isinstance(count, (int, float)) and not isinstance(count, bool):
            attached.append((name.rsplit("/", 1)[-1], float(count)))
    if not attached:
        return None, []
    name, count = attached[0]
    spec = ctx.catalog.accelerator_spec("gcp", name) or {}
    return Accelerators(model=spec.get("model", name), count=count, memory_gib=spec.get("memory_gib"),
                        vendor=spec.get("vendor", "nvidia"), kind="gpu"), attached


def _machine_compute(view: View, ctx: MapContext, region: str | None, machine_type: str | None,
                     accels: list[dict[str, Any]], share: float | None, *, service: str, count: float | None,
                     min_size: int | None = None, max_size: int | None = None, evidence: list[str]) -> Any:
    """A GCE machine's compute; ``share``: the on-demand share of its capacity (None: not known until apply)."""
    gpu, attached = _guest_gpu(ctx, accels)
    compute = build_compute(ctx.catalog, "gcp", machine_type, service=service, region=region, count=count,
                            purchase=purchase_of_share(share), on_demand_share=share, min_size=min_size,
                            max_size=max_size, extra_gpu=gpu, evidence=evidence)
    spec = ctx.catalog.machine("gcp", machine_type)
    if attached and not (spec and spec.get("gpu_price_included")):
        compute.evidence.append("guest_accelerator: " + ", ".join(f"{int(c)}x {n}" for n, c in attached))
        compute.attached_accelerators = dict(attached)
    return compute


def map_compute_instance(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    sched = (view.blocks("scheduling") or [None])[0]
    spot = _is_spot(view, sched, "scheduling.")
    fields["compute"] = _machine_compute(
        view, ctx, fields["region"], view.str("machine_type"), view.blocks("guest_accelerator"), share_of_spot(spot),
        service="vm", count=1,
        evidence=[spot_evidence(spot, "scheduling: spot/preemptible", "scheduling: standard (on demand)")])
    return Mapped(fields)


def map_instance_template(view: View, ctx: MapContext) -> Mapped:
    # Templates launch nothing themselves; a managed instance group prices them.
    fields = _base(view, ctx)
    return Mapped(fields)


def _template_of(view: View, ctx: MapContext) -> RawResource | None:
    refs: tuple[str, ...] = ()
    for version in view.blocks("version"):
        refs += _refs(version.get("instance_template"))
    return _template(ctx, refs)


def _refs(value: Any) -> tuple[str, ...]:
    return value.refs if is_unknown(value) else ()


def _template(ctx: MapContext, refs: tuple[str, ...]) -> RawResource | None:
    """The instance template (global or regional) a reference names."""
    for t in ("google_compute_instance_template", "google_compute_region_instance_template"):
        found = ctx.resolve(refs, t)
        if found:
            return found
    return None


def map_instance_from_template(view: View, ctx: MapContext) -> Mapped:
    """google_compute_instance_from_template: one instance, each argument it leaves unset taken from its source
    template (machine type, accelerators, scheduling, labels)."""
    fields = _base(view, ctx)
    tmpl = _template(ctx, view.refs("source_instance_template"))
    if tmpl is None:
        fields["unknowns"] = ["source_instance_template: template not found in the scanned code"]
        return Mapped(fields)
    tv = View(tmpl)
    fields["links"] = {"instance_template": tmpl.address}
    if "labels" not in view.raw.values:
        labels, known = tv.map("labels")
        fields["tags"] = {**_provider_labels(view), **labels}
        fields["tags_known"] = known

    def own_or_template(key: str) -> tuple[View, list[dict[str, Any]]]:
        return (view, view.blocks(key)) if view.blocks(key) else (tv, tv.blocks(key))

    sched_view, sched = own_or_template("scheduling")
    spot = _is_spot(view, (sched or [None])[0], "scheduling." if sched_view is view else "template scheduling.")
    machine_type = view.str("machine_type") if "machine_type" in view.raw.values else tv.str("machine_type")
    fields["compute"] = _machine_compute(
        view, ctx, fields["region"], machine_type, own_or_template("guest_accelerator")[1], share_of_spot(spot),
        service="vm",
        count=1, evidence=[spot_evidence(spot, "scheduling: spot/preemptible", "scheduling: standard (on demand)"),
                           f"arguments it leaves unset come from {tmpl.address}"])
    return Mapped(fields)


def map_instance_group_manager(view: View, ctx: MapContext) -> Mapped:
    tmpl = _template_of(view, ctx)
    fields = _base(view, ctx)
    if tmpl is None:
        fields["unknowns"] = ["version.instance_template: template not found in the scanned code"]
        return Mapped(fields)
    tv = View(tmpl)
    labels, known = tv.map("labels")
    fields["tags"] = {**_provider_labels(tv), **labels}
    fields["tags_known"] = known
    fields["taggable"] = True
    fields["links"] = {"instance_template": tmpl.address}
    sched = (tv.blocks("scheduling") or [None])[0]
    spot = _is_spot(view, sched, "template scheduling.")
    evidence = [spot_evidence(spot, "template scheduling: spot/preemptible",
                               "template scheduling: standard (on demand)")]
    count, lo, hi = view.num("target_size"), None, None
    scaler = _autoscaler_of(view, ctx)
    if scaler is not None:  # the autoscaler owns the group's size: target_size is left unset or ignored
        policy = (View(scaler).blocks("autoscaling_policy") or [{}])[0]
        lo, hi = _int(policy.get("min_replicas")), _int(policy.get("max_replicas"))
        if lo is not None:
            count = float(lo)
            evidence.append(f"size set by {scaler.address}: {lo}..{hi if hi is not None else '?'}, priced at the "
                            "minimum")
    share = share_of_spot(spot)
    versions = _versions(view, ctx, count)
    if versions is not None:  # several versions (a canary, a spot share): each its template and its share
        share, note = _versions_mix(view, versions, evidence)
        if note:
            fields.setdefault("price_notes", []).append(note)
    fields["compute"] = _machine_compute(
        tv, ctx, fields["region"], tv.str("machine_type"), tv.blocks("guest_accelerator"), share,
        service="autoscaling_group", count=count, min_size=lo, max_size=hi, evidence=evidence)
    if count is None:
        fields.setdefault("unknowns", []).append("target_size: not set and no autoscaler found")
    return Mapped(fields)


def _versions(view: View, ctx: MapContext, total: float | None) -> list[tuple[RawResource, float]] | None:
    """Each ``version`` block's template and instances (``target_size`` fixed, or a percent of the group rounded
    as GCE rounds it; the version without one takes the rest); None for one version, or when a size or a
    template is not known."""
    blocks = view.blocks("version")
    if len(blocks) < 2 or total is None:
        return None
    out: list[tuple[RawResource, float | None]] = []
    for v in blocks:
        tmpl = _template(ctx, _refs(v.get("instance_template")))
        size = (as_blocks(v.get("target_size")) or [{}])[0]
        fixed, percent = size.get("fixed"), size.get("percent")
        n = float(fixed) if isinstance(fixed, (int, float)) and not isinstance(fixed, bool) else \
            float(round(total * percent / 100)) if isinstance(percent, (int, float)) and not isinstance(percent, bool) \
            else None
        if tmpl is None:
            return None
        out.append((tmpl, n))
    rest = [i for i, (_, n) in enumerate(out) if n is None]
    if len(rest) > 1:
        return None
    if rest:
        out[rest[0]] = (out[rest[0]][0], max(total - sum(n or 0 for _, n in out), 0.0))
    return [(t, float(n or 0)) for t, n in out]


def _versions_mix(view: View, versions: list[tuple[RawResource, float]],
                  evidence: list[str]) -> tuple[float | None, str | None]:
    """The on-demand share of a group whose versions run templates of one machine type, else (None, a note naming
    each version): one resource is priced as one type."""
    types = {View(t).str("machine_type") for t, _ in versions}
    total = sum(n for _, n in versions)
    parts = []
    spot_n = 0.0
    for t, n in versions:
        tv = View(t)
        spot = _is_spot(view, (tv.blocks("scheduling") or [None])[0], f"{t.address} scheduling.")
        if spot is None:
            return None, None
        spot_n += n if spot else 0
        parts.append(f"{n:g} x {tv.str('machine_type')} ({'spot' if spot else 'on demand'}, {t.address})")
    evidence[:] = ["versions: " + "; ".join(parts)]
    if len(types) == 1 and total > 0:
        return 1 - spot_n / total, None
    return None, ("versions of several machine types (" + "; ".join(parts) + "): priced as the first version's "
                  "template; the others' cost is not in this figure")


_AUTOSCALERS = ("google_compute_autoscaler", "google_compute_region_autoscaler")
_GROUP_MANAGERS = ("google_compute_instance_group_manager", "google_compute_region_instance_group_manager")


def _int(v: Any) -> int | None:
    return int(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None


def _autoscaler_of(view: View, ctx: MapContext) -> RawResource | None:
    """The autoscaler whose ``target`` is this managed instance group."""
    for t in _AUTOSCALERS:
        for a in ctx.by_type.get(t, []):
            if _group_of(View(a), ctx) is view.raw:
                return a
    return None


def _group_of(view: View, ctx: MapContext) -> RawResource | None:
    for t in _GROUP_MANAGERS:
        found = ctx.resolve(view.refs("target"), t)
        if found:
            return found
    target = view.get("target", note=False)
    if isinstance(target, str):  # a self link or name written out
        name = target.rstrip("/").rsplit("/", 1)[-1]
        for t in _GROUP_MANAGERS:
            found = ctx.find_by_attr(t, "name", name)
            if found:
                return found
    return None


def _cluster_of(view: View, ctx: MapContext) -> RawResource | None:
    found = ctx.resolve(view.refs("cluster"), "google_container_cluster")
    if found is None:
        name = view.get("cluster", note=False)
        if isinstance(name, str):
            found = ctx.find_by_attr("google_container_cluster", "name", name.rsplit("/", 1)[-1])
    return found


def _node_pool_fields(view: View, ctx: MapContext, cluster: RawResource | None, node_config_path: tuple[str, ...],
                      location: str | None, given_zones: list[str] | Unknown, counts: dict[str, int | None],
                      zonal: bool = False) -> dict[str, Any]:
    zones_unknown = given_zones if is_unknown(given_zones) else None
    node_locations: list[str] = [] if zones_unknown is not None else given_zones  # type: ignore[assignment]
    region, note = _region(view, ctx, location, next((z for z in node_locations if z), None))  # a zone names it too
    tags = _provider_labels(view)
    known = True
    if cluster is not None:
        cl, k1 = View(cluster).map("resource_labels")
        tags.update(cl)
        known = known and k1
    rl, k2 = view.map(*node_config_path, "resource_labels")
    kl, k3 = view.map(*node_config_path, "labels")
    tags.update(rl)
    tags.update(kl)
    known = known and k2 and k3
    is_zone = zonal or (bool(location) and normalize_region("gcp", location or "") != location)
    zones = len(node_locations) if node_locations else (1 if is_zone else GKE_DEFAULT_ZONES_PER_REGION)
    per_zone = counts.get("total_min") is None and counts.get("total_max") is None
    floor = counts.get("min") if counts.get("min") is not None else counts.get("total_min")
    ceiling = counts.get("max") if counts.get("max") is not None else counts.get("total_max")
    fixed = counts.get("node_count")
    if fixed is None and floor is None:
        fixed = counts.get("initial_node_count")
    multiplier = zones if per_zone else 1
    count = (fixed if fixed is not None else floor)
    priced = count * multiplier if count is not None else None
    if zones_unknown is not None and per_zone:  # counts per zone, in zones given at apply: how many is unknown
        view.unknowns.append(f"node_locations: {zones_unknown.reason}: node counts are per zone, and the number "
                             "of zones is not known")
        priced, floor, ceiling = None, None, None
    nc = view.blocks(*node_config_path)
    node_config = nc[0] if nc else {}
    spot = view.says(node_config, f"{'.'.join(node_config_path)}.", _SPOT_NODES)
    evidence = [spot_evidence(spot, "node_config.spot/preemptible", "node_config: no spot/preemptible (on demand)")]
    if zones_unknown is not None and per_zone:
        evidence.append("node counts are per zone, in the zones node_locations gives at apply")
        multiplier = 1
    elif multiplier > 1:
        evidence.append(f"node counts are per zone: x{multiplier} zones"
                        + ("" if node_locations else " (GKE default for a regional pool)"))
    compute = _machine_compute(
        view, ctx, region, _pool_machine_type(view, node_config, node_config_path),
        node_config.get("guest_accelerator") or [], share_of_spot(spot), service="node_pool", count=priced,
        min_size=floor * multiplier if floor is not None else None,
        max_size=ceiling * multiplier if ceiling is not None else None, evidence=evidence)
    compute.autoscaled = ceiling is not None
    compute.zones = multiplier if multiplier > 1 else None
    own = view.raw.type == "google_container_node_pool"
    pool_name = view.str("name") if own else "default-pool"
    compute.nodes = gke_nodes(pool_name, node_config, kl, view.str("name_prefix") if own and not pool_name else None)
    fields: dict[str, Any] = {"region": region, "tags": tags, "tags_known": known, "taggable": True,
                              "compute": compute}
    if cluster is not None:
        fields["links"] = {"cluster": cluster.address}
    if note:
        fields["price_notes"] = [note]
    return fields


def _zones(view: View) -> list[str] | Unknown:
    """node_locations, one entry per zone: a list whose zones are given at apply ([var.zone]) still says how many
    (each such zone reads as ""); a list given at apply (var.node_locations with no value) says nothing."""
    given_at_apply = view.unknown("node_locations")
    if given_at_apply is not None:
        return given_at_apply
    value = view.get("node_locations", note=False)
    if isinstance(value, list):
        return ["" if is_unknown(z) else str(z) for z in value]
    return view.strings("node_locations")


def _no_location(raw: RawResource) -> bool:
    """A cluster (or pool) that names no location is zonal, in the provider's zone: the provider falls back to
    the zone, never the region (a regional cluster needs its location set)."""
    return all(key not in raw.values for key in ("location", "region"))


def _pool_machine_type(view: View, node_config: dict[str, Any], path: tuple[str, ...]) -> str | None:
    """node_config.machine_type; GKE's default (e2-medium) only when it is not set, None when given at apply."""
    machine_type = node_config.get("machine_type")
    if isinstance(machine_type, str):
        return machine_type
    if is_unknown(machine_type):
        view.unknowns.append(f"{'.'.join(path)}.machine_type: {machine_type.reason}")
        return None
    return "e2-medium"


def _tpu_slice_nodes(view: View, ctx: MapContext, counts: dict[str, int | None]) -> tuple[int, str] | None:
    """Nodes of a multi-host TPU slice pool that states no count: GKE creates the slice's hosts, its topology's
    chips (placement_policy.tpu_topology "4x4" = 16) over the machine type's chips per node (ct5lp-hightpu-4t: 4).
    None when a count is given, or the topology or the machine's chips are not known."""
    if any(counts.get(k) is not None for k in ("node_count", "initial_node_count", "min", "total_min")):
        return None
    topology = view.str("placement_policy", "tpu_topology")
    nc = view.blocks("node_config")
    machine_type = (nc[0] if nc else {}).get("machine_type")
    spec = ctx.catalog.machine("gcp", machine_type) if isinstance(machine_type, str) else None
    per_node = ((spec or {}).get("accelerator") or {}).get("count")
    dims = topology.lower().split("x") if topology else []
    if not per_node or not dims or not all(d.isdigit() and int(d) > 0 for d in dims):
        return None
    chips = math.prod(int(d) for d in dims)
    if chips % per_node:
        return None
    return chips // per_node, (f"placement_policy.tpu_topology {topology} = {chips} chips, {per_node} per "
                               f"{machine_type} node: GKE creates {chips // per_node} node(s) for the slice")


def map_node_pool(view: View, ctx: MapContext) -> Mapped:
    cluster = _cluster_of(view, ctx)
    location = view.str("location") or (View(cluster).str("location") if cluster else None)
    own = _zones(view)
    node_locations = own if is_unknown(own) or own else (_zones(View(cluster)) if cluster else [])
    counts = {"node_count": view.int("node_count"), "initial_node_count": view.int("initial_node_count"),
              "min": view.int("autoscaling", "min_node_count"), "max": view.int("autoscaling", "max_node_count"),
              "total_min": view.int("autoscaling", "total_min_node_count"),
              "total_max": view.int("autoscaling", "total_max_node_count")}
    zonal = _no_location(view.raw) and (cluster is None or _no_location(cluster))
    fields = _node_pool_fields(view, ctx, cluster, ("node_config",), location, node_locations, counts, zonal)
    slice_nodes = _tpu_slice_nodes(view, ctx, counts)
    if slice_nodes is not None:  # one slice, in one zone: not multiplied by the pool's zones
        fields["compute"].count = slice_nodes[0]
        fields["compute"].evidence.append(slice_nodes[1])
    return Mapped(fields)


def inline_node_pools(raws: list[RawResource]) -> list[RawResource]:
    """Each ``node_pool`` block written inside a google_container_cluster, as a node pool of its own
    (``google_container_cluster.c.node_pool["gpu"]``, read as a google_container_node_pool of that cluster): a
    cluster with such blocks has no other default pool. One named default-pool is that default pool, which
    ``remove_default_node_pool = true`` deletes once the cluster is created; an Autopilot cluster has none."""
    out: list[RawResource] = []
    for raw in raws:
        out.append(raw)
        if raw.type != "google_container_cluster" or "node_pool" not in raw.values \
                or raw.values.get("enable_autopilot") is True:
            continue
        removed = raw.values.get("remove_default_node_pool") is True
        for i, block in enumerate(as_blocks(raw.values.get("node_pool"))):
            name = block.get("name")
            if removed and name == "default-pool":
                continue
            key = name if isinstance(name, str) else str(i)
            values = {**block, "cluster": Unknown("the cluster it is declared in", (raw.address,))}
            out.append(RawResource(type="google_container_node_pool", name=raw.name,
                                   address=f'{raw.address}.node_pool["{key}"]', values=values, file=raw.file,
                                   line=raw.line, provider=raw.provider, module_prefix=raw.module_prefix,
                                   unknown_attrs={}, mode=raw.mode, called_from=raw.called_from))
    return out


def map_container_cluster(view: View, ctx: MapContext) -> Mapped:
    if view.bool("remove_default_node_pool") or view.bool("enable_autopilot") or view.blocks("node_pool"):
        fields = _base(view, ctx, ("resource_labels",))
        return Mapped(fields)
    counts = {"node_count": None, "initial_node_count": view.int("initial_node_count") or 1,
              "min": None, "max": None, "total_min": None, "total_max": None}
    fields = _node_pool_fields(view, ctx, view.raw, ("node_config",), view.str("location"),
                               _zones(view), counts, _no_location(view.raw))
    fields.pop("links", None)
    return Mapped(fields)


def _policy_metrics(policy: dict[str, Any]) -> list[tuple[str, str | None, float | None]]:
    """(kind, metric, target) for each signal of an autoscaling_policy block."""
    out: list[tuple[str, str | None, float | None]] = []

    def num(v: Any) -> float | None:
        return float(v) if isinstance(v, (int, float)) and not isinstance(v, bool) else None

    for cpu in policy.get("cpu_utilization") or []:
        if isinstance(cpu, dict):
            out.append(("cpu", "cpu_utilization", num(cpu.get("target"))))
    for m in policy.get("metric") or []:
        if isinstance(m, dict) and isinstance(m.get("name"), str):
            out.append((classify_metric(m["name"]), m["name"], num(m.get("target"))))
        elif isinstance(m, dict):
            out.append(("unknown", None, None))
    for lb in policy.get("load_balancing_utilization") or []:
        if isinstance(lb, dict):
            out.append(("requests", "load_balancing_utilization", num(lb.get("target"))))
    for sched in policy.get("scaling_schedules") or []:
        if isinstance(sched, dict):
            out.append(("schedule", f"scaling_schedule {sched.get('name', '')}".strip(), None))
    if not any(k != "schedule" for k, _, _ in out) and policy.get("mode") != "OFF":  # GCE's default: CPU at 60%
        out.append(("cpu", "cpu_utilization (default, 60%)", 0.6))
    return out


def map_compute_autoscaler(view: View, ctx: MapContext) -> Mapped:
    target = _group_of(view, ctx)
    policy = (view.blocks("autoscaling_policy") or [{}])[0]
    metrics = _policy_metrics(policy)
    picked = pick_metric(metrics)
    metric_kind, metric, target_value = picked or ("unknown", None, None)
    trigger = cpu_trigger(metrics, picked)
    fields: dict[str, Any] = {"taggable": False, "facets": ["autoscaler"], "autoscaling": Autoscaling(
        address=view.raw.address, metric_kind=metric_kind, metric=metric,  # type: ignore[arg-type]
        min=_int(policy.get("min_replicas")), max=_int(policy.get("max_replicas")), target=target_value,
        file=view.raw.file, line=view.raw.line, cpu_trigger=trigger,
        cpu_trigger_by=view.raw.address if trigger else None)}
    if target is not None:
        fields["links"] = {"scales": target.address}
    return Mapped(fields)


# Vertex AI bills online prediction nodes by the node-hour at its own rates (Vertex AI pricing page), not at the
# machine type's Compute Engine price, and the catalog holds no dated public source for them.
VERTEX_UNPRICED = ("no dated public Vertex AI prediction price: Vertex AI bills prediction nodes by the node-hour at "
                   "its own rates, not at the Compute Engine price of {machine}")
_DUTY_CYCLE = "aiplatform.googleapis.com/prediction/online/accelerator/duty_cycle"


def _vertex_accelerators(spec: dict[str, Any]) -> list[dict[str, Any]]:
    """machine_spec's GPUs under Compute Engine's accelerator name (NVIDIA_L4 -> nvidia-l4, NVIDIA_A100_80GB ->
    nvidia-a100-80gb), so the catalog's GPU specs apply; TPUs are named by the machine type."""
    name, count = spec.get("accelerator_type"), _int(spec.get("accelerator_count"))
    if not isinstance(name, str) or not name.startswith("NVIDIA_") or not count:
        return []
    return [{"type": name.lower().replace("_", "-"), "count": count}]


def _vertex_autoscaling(view: View, dedicated: dict[str, Any], lo: int, hi: int, gpus: float) -> Autoscaling:
    """The replica autoscaling Vertex AI runs between min and max replicas. With GPUs it follows the accelerator
    duty cycle (and CPU use, which it always adds on GPU replicas and no argument removes: so no CPU trigger is
    recorded, as FIN-SCALE-001 would have no fix to offer); each metric targets 60% unless
    autoscaling_metric_specs says otherwise."""
    metric = _DUTY_CYCLE if gpus else "aiplatform.googleapis.com/prediction/online/cpu/utilization"
    target: Any = 60
    for spec in as_blocks(dedicated.get("autoscaling_metric_specs")):
        if spec.get("metric_name") == metric and spec.get("target") is not None:
            target = spec.get("target")
    return Autoscaling(address=view.raw.address, metric_kind="gpu" if gpus else "cpu", metric=metric, min=lo, max=hi,
                       target=float(target) / 100 if isinstance(target, (int, float)) else None,
                       file=view.raw.file, line=view.raw.line)


def map_model_garden_deployment(view: View, ctx: MapContext) -> Mapped:
    """google_vertex_ai_endpoint_with_model_garden_deployment: an endpoint with a Model Garden or Hugging Face model
    deployed on dedicated replicas (deploy_config.dedicated_resources), each billed every hour it is deployed,
    whether or not requests come; min_replica_count is at least 1 (provider schema), max defaults to min."""
    fields = _base(view, ctx)
    fields["workload_default"] = "inference"
    dedicated = (view.blocks("deploy_config", "dedicated_resources") or [None])[0]
    if dedicated is None:
        fields["unknowns"] = ["deploy_config.dedicated_resources: not set, so Vertex AI deploys the model on the "
                              "machine and GPUs Model Garden recommends for it, chosen at deploy: its GPUs and "
                              "replicas are not known here"]
        return Mapped(fields)
    where = "deploy_config.dedicated_resources."
    spec = (as_blocks(dedicated.get("machine_spec")) or [{}])[0]
    machine_type = spec.get("machine_type", "n1-standard-2")  # the API's default for a deployed model
    if not isinstance(machine_type, str):
        view.unknowns.append(f"{where}machine_spec.machine_type: {getattr(machine_type, 'reason', 'not a name')}")
        machine_type = None
    lo, hi = _int(dedicated.get("min_replica_count")), _int(dedicated.get("max_replica_count"))
    for key, value in (("min_replica_count", lo), ("max_replica_count", hi)):
        if value is None and is_unknown(dedicated.get(key)):
            view.unknowns.append(f"{where}{key}: {dedicated[key].reason}")
    hi = hi if hi is not None or is_unknown(dedicated.get("max_replica_count")) else lo  # max defaults to min
    nodes = _int(spec.get("multihost_gpu_node_count")) or 1  # machines per replica (multi-host GPU serving)
    spot = view.says(dedicated, where, {"spot": lambda v: v is True})
    evidence = [spot_evidence(spot, f"{where}spot = true", "Vertex AI dedicated replicas, on demand"),
                f"replicas {lo if lo is not None else '?'}..{hi if hi is not None else '?'}, counted at the minimum"
                + (f", {nodes} machines each (multihost_gpu_node_count)" if nodes > 1 else "")]
    gpu, _ = _guest_gpu(ctx, _vertex_accelerators(spec))
    share = share_of_spot(spot)
    compute = build_compute(ctx.catalog, "gcp", machine_type, service="endpoint", region=fields["region"],
                            count=lo * nodes if lo is not None else None, purchase=purchase_of_share(share),
                            on_demand_share=share, min_size=lo * nodes if lo is not None else None,
                            max_size=hi * nodes if hi is not None else None, extra_gpu=gpu, evidence=evidence)
    compute.unpriced = VERTEX_UNPRICED.format(machine=machine_type or "its machine type")
    fields["compute"] = compute
    if lo is not None and hi is not None and hi > lo:
        fields["autoscaling"] = _vertex_autoscaling(view, dedicated, lo * nodes, hi * nodes, compute.gpu.count)
    return Mapped(fields)


# Cloud TPU generation -> (model, name units per chip, GKE machine type by chips on one host). A slice's chips are
# priced as GKE TPU nodes of the same chips: TPUs bill per chip-hour either way (cloud.google.com/tpu/pricing).
_TPU_GENERATIONS = {
    "v5litepod": ("TPU v5e", 1, {1: "ct5lp-hightpu-1t", 4: "ct5lp-hightpu-4t", 8: "ct5lp-hightpu-8t"}),
    "v5p": ("TPU v5p", 2, {4: "ct5p-hightpu-4t"}),
    "v6e": ("TPU v6e", 1, {1: "ct6e-standard-1t", 4: "ct6e-standard-4t", 8: "ct6e-standard-8t"}),
    "v4": ("TPU v4", 2, {}), "v3": ("TPU v3", 2, {}), "v2": ("TPU v2", 2, {}),
}
_TPU_CONFIG_TYPES = {"V5LITE_POD": "v5litepod", "V5P": "v5p", "V6E": "v6e", "V4": "v4", "V3": "v3", "V2": "v2"}


def _tpu_slice(view: View) -> tuple[str, int, str] | None:
    """(generation, chips, how it was read) of a TPU VM's accelerator_type ("v5litepod-8") or accelerator_config
    {type = "V5P", topology = "2x2x2"}; None when neither is known."""
    name = view.str("accelerator_type")
    if name and "-" in name:
        gen, size = name.lower().rsplit("-", 1)
        if gen in _TPU_GENERATIONS and size.isdigit() and int(size) % _TPU_GENERATIONS[gen][1] == 0:
            return gen, int(size) // _TPU_GENERATIONS[gen][1], f"accelerator_type {name}"
    kind, topology = view.str("accelerator_config", "type"), view.str("accelerator_config", "topology")
    dims = topology.lower().split("x") if topology else []
    if kind in _TPU_CONFIG_TYPES and dims and all(d.isdigit() and int(d) > 0 for d in dims):
        return _TPU_CONFIG_TYPES[kind], math.prod(int(d) for d in dims), f"accelerator_config {kind} {topology}"
    return None


def map_tpu_vm(view: View, ctx: MapContext) -> Mapped:
    """google_tpu_v2_vm, and the legacy TPU Node API's google_tpu_node (v2/v3/v4 ``accelerator_type``): the slice's
    chips at the region's price per chip-hour, as the GKE TPU machine type that holds them (one host, or hosts of 4
    chips for a multi-host slice); a generation the catalog has no price for is an unpriced TPU, said so."""
    fields = _base(view, ctx)
    sched = (view.blocks("scheduling_config") or [None])[0]
    spot = _is_spot(view, sched, "scheduling_config.")
    evidence = [spot_evidence(spot, "scheduling_config: spot/preemptible", "scheduling_config: none (on demand)")]
    got = _tpu_slice(view)
    machine, hosts = None, None
    if got is not None:
        gen, chips, read = got
        model, _, by_chips = _TPU_GENERATIONS[gen]
        per_host = chips if chips in by_chips else 4 if 4 in by_chips and chips % 4 == 0 else None
        machine, hosts = (by_chips[per_host], chips // per_host) if per_host else (None, None)
        evidence.append(f"{read} = {chips} {model} chips" + (f": {hosts} x {machine}" if machine else ""))
    compute = _machine_compute(view, ctx, fields["region"], machine, [], share_of_spot(spot), service="vm",
                               count=hosts if machine or got is None else 1, evidence=evidence)  # else one slice
    if got is not None and machine is None:
        compute.gpu = Accelerators(model=model, count=float(chips), vendor="google", kind="accelerator")
        compute.unpriced = f"{model}: the catalog has no price per chip-hour for this TPU generation"
    elif got is None:
        compute.unpriced = "the TPU's accelerator type is not known until apply"
    fields["compute"] = compute
    return Mapped(fields)


MAPPERS = {
    "google_tpu_v2_vm": map_tpu_vm,
    "google_tpu_node": map_tpu_vm,
    "google_vertex_ai_endpoint_with_model_garden_deployment": map_model_garden_deployment,
    "google_compute_instance": map_compute_instance,
    "google_compute_instance_from_template": map_instance_from_template,
    "google_compute_instance_template": map_instance_template,
    "google_compute_region_instance_template": map_instance_template,
    "google_compute_instance_group_manager": map_instance_group_manager,
    "google_compute_region_instance_group_manager": map_instance_group_manager,
    "google_container_node_pool": map_node_pool,
    "google_container_cluster": map_container_cluster,
    "google_compute_autoscaler": map_compute_autoscaler,
    "google_compute_region_autoscaler": map_compute_autoscaler,
}

GENERIC = map_generic
