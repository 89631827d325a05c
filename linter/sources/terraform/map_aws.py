"""AWS resource types -> normalized facts (compute, tags, autoscaling links)."""

from __future__ import annotations

import math
import re
from typing import Any

from linter.facts.compute import (
    SPOT_UNKNOWN,
    build_compute,
    mixed_on_demand_share,
    purchase_of_share,
    share_of_spot,
    spot_evidence,
    within_bounds,
)
from linter.facts.metrics import classify_metric, cpu_trigger, pick_metric
from linter.model import Autoscaling
from linter.sources.terraform.kube_nodes import eks_nodes
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.normalize import MapContext, Mapped
from linter.sources.terraform.taggable import is_taggable, provider_origins
from linter.sources.terraform.values import is_unknown
from linter.sources.terraform.view import View, as_blocks, dig


def aws_tags(view: View, include_default: bool = True) -> tuple[dict[str, str], bool]:
    """Effective tags: provider default_tags overlaid by the resource's own ``tags``."""
    own, known = view.map("tags")
    tags: dict[str, str] = {}
    provider = view.raw.provider
    if include_default and provider is not None and provider.default_tags:
        if "__unknown__" in provider.default_tags:
            known = False
        else:
            for k, v in provider.default_tags.items():
                tags[str(k)] = view.unknown_text(f"default_tags.{k}", v.reason) if is_unknown(v) \
                    else "" if v is None else str(v)
    tags.update(own)
    return tags, known


def resource_region(view: View) -> str | None:
    """The region a resource names itself (AWS provider v6: ``region`` on each resource overrides the provider's)."""
    region = view.get("region", note=False)
    return region if isinstance(region, str) and region else None


def _base(view: View, ctx: MapContext, *, default_tags: bool = True) -> dict[str, Any]:
    region, note = ctx.region_for("aws", view.raw, resource_region(view))
    tags, known = aws_tags(view, default_tags)
    fields: dict[str, Any] = {"region": region, "tags": tags, "tags_known": known,
                              "taggable": is_taggable(view.raw.type, view.raw.values)}
    if default_tags and view.raw.provider is not None:
        inherited = {k: v for k, v in view.raw.provider.default_tags.items() if k in tags}
        fields["tag_origins"] = provider_origins(view, inherited, view.map("tags")[0], "default_tags")
    if note:
        fields["price_notes"] = [note]
    return fields


_SPOT_MARKET = {"market_type": lambda v: str(v).lower() == "spot"}


def _market_spot(view: View, blocks: list[dict[str, Any]], where: str) -> bool | None:
    """instance_market_options: spot (True), on demand (False), or a market_type given only at apply time (None)."""
    states = [view.says(b, where, _SPOT_MARKET) for b in blocks]
    return True if True in states else None if None in states else False


def _either(one: bool | None, other: bool | None) -> bool | None:
    return True if True in (one, other) else None if None in (one, other) else False


def map_generic(view: View, ctx: MapContext) -> Mapped:
    return Mapped(_base(view, ctx))


def map_instance(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    spot = True if view.raw.type == "aws_spot_instance_request" else \
        _market_spot(view, view.blocks("instance_market_options"), "instance_market_options.")
    itype = view.str("instance_type")
    lt = _launch_template_of(view, ctx, "launch_template")
    if itype is None and lt is not None:
        lt_view = View(lt)
        itype = lt_view.str("instance_type")
        spot = _either(spot, _market_spot(view, lt_view.blocks("instance_market_options"),
                                          "launch template instance_market_options."))
    share = share_of_spot(spot)
    fields["compute"] = build_compute(ctx.catalog, "aws", itype, service="vm", region=fields["region"], count=1,
                                      purchase=purchase_of_share(share), on_demand_share=share,
                                      evidence=[spot_evidence(spot, "spot market options", "no spot market options")])
    return Mapped(fields)


def _launch_template_of(view: View, ctx: MapContext, *path: str) -> RawResource | None:
    refs = view.refs(*path, "id") + view.refs(*path, "name") + view.refs(*path, "launch_template_id") + \
        view.refs(*path, "launch_template_name")
    found = ctx.resolve(refs, "aws_launch_template")
    if found is None:
        name = view.get(*path, "name", note=False) or view.get(*path, "launch_template_name", note=False)
        if isinstance(name, str):
            found = ctx.find_by_attr("aws_launch_template", "name", name)
    return found


def map_launch_template(view: View, ctx: MapContext) -> Mapped:
    # A launch template launches nothing by itself: tags only; the ASG/node group carries compute.
    return Mapped(_base(view, ctx))


def _asg_tags(view: View, lt: RawResource | None) -> tuple[dict[str, str], bool]:
    tags: dict[str, str] = {}
    known = True
    if lt is not None:
        for spec in View(lt).blocks("tag_specifications"):
            if spec.get("resource_type") == "instance" and isinstance(spec.get("tags"), dict):
                tags.update({k: str(v) for k, v in spec["tags"].items() if not is_unknown(v)})
    for tag in view.blocks("tag"):
        key, value, propagate = tag.get("key"), tag.get("value"), tag.get("propagate_at_launch")
        if is_unknown(key):
            known = False
            continue
        if propagate is True or propagate == "true":
            tags[str(key)] = view.unknown_text(f"tag.{key}", value.reason) if is_unknown(value) else str(value)
    legacy = view.get("tags", note=False)
    if isinstance(legacy, list):
        for tag in legacy:
            if isinstance(tag, dict) and tag.get("propagate_at_launch") in (True, "true"):
                tags[str(tag.get("key"))] = str(tag.get("value"))
    return tags, known


def map_autoscaling_group(view: View, ctx: MapContext) -> Mapped:
    region, note = ctx.region_for("aws", view.raw, resource_region(view))
    mixed = view.blocks("mixed_instances_policy")
    if mixed:
        lt = _launch_template_of(view, ctx, "mixed_instances_policy", "launch_template",
                                 "launch_template_specification")
    else:
        lt = _launch_template_of(view, ctx, "launch_template")
    tags, known = _asg_tags(view, lt)
    min_size, max_size = view.int("min_size"), view.int("max_size")
    evidence: list[str] = []
    count = within_bounds(view.int("desired_capacity"), min_size, max_size, "desired_capacity", evidence)
    types: list[str] = []
    overrides = view.blocks("mixed_instances_policy", "launch_template", "override") if mixed else []
    for o in overrides:  # they replace the launch template's type; on demand takes them in this order
        if isinstance(o.get("instance_type"), str):
            types.append(o["instance_type"])
        elif is_unknown(o.get("instance_type")):
            view.unknowns.append(f"mixed_instances_policy override instance_type: {o['instance_type'].reason}")
        elif o.get("instance_requirements"):
            view.unknowns.append("mixed_instances_policy override instance_requirements: EC2 picks the types "
                                 "at launch")
    lt_view = View(lt) if lt is not None else None
    if overrides and types:
        evidence.append("instance types from mixed_instances_policy overrides (they replace the launch "
                        "template's; the first is priced)")
    elif not overrides and lt_view is not None and lt_view.str("instance_type"):
        types.append(lt_view.str("instance_type"))  # type: ignore[arg-type]
    itype = types[0] if types else None
    if mixed:
        dist = (mixed[0].get("instances_distribution") or [{}])
        dist = dist[0] if isinstance(dist, list) and dist else {}
        base = dist.get("on_demand_base_capacity", 0)
        pct = dist.get("on_demand_percentage_above_base_capacity", 100)
        if is_unknown(base) or is_unknown(pct):
            share = None
            base_n = None
        else:
            base, pct = float(base or 0), float(100 if pct is None else pct)
            share = mixed_on_demand_share(base, pct, count)
            base_n = base
        evidence.append(f"mixed_instances_policy: on_demand_base_capacity={base}, "
                        f"on_demand_percentage_above_base_capacity={pct}")
    else:
        spot = _market_spot(view, lt_view.blocks("instance_market_options"),
                            "launch template instance_market_options.") if lt_view is not None else False
        share = share_of_spot(spot)
        evidence.append(spot_evidence(spot, "launch template requests spot",
                                       "no mixed_instances_policy: all on demand"))
    compute = build_compute(ctx.catalog, "aws", itype, service="autoscaling_group", region=region, count=count,
                            purchase=purchase_of_share(share), on_demand_share=share, min_size=min_size,
                            max_size=max_size, instance_types=types, evidence=evidence)
    if mixed:
        compute.on_demand_base = base_n
    links = {"launch_template": lt.address} if lt is not None else {}
    fields: dict[str, Any] = {"region": region, "tags": tags, "tags_known": known, "taggable": True,
                              "compute": compute, "links": links}
    if note:
        fields["price_notes"] = [note]
    if itype is None:
        fields["unknowns"] = ["instance type: no launch template with instance_type found"]
    return Mapped(fields)


def map_eks_node_group(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    types = view.strings("instance_types")
    lt = _launch_template_of(view, ctx, "launch_template")
    if not types and lt is not None and View(lt).str("instance_type"):
        types = [View(lt).str("instance_type")]  # type: ignore[list-item]
    if not types and view.unknown("instance_types") is None:
        types = ["t3.medium"]  # the EKS API default
    spot = view.says(None, "", {"capacity_type": lambda v: str(v).upper() == "SPOT"})
    capacity = None if spot is None else "SPOT" if spot else (view.str("capacity_type") or "ON_DEMAND").upper()
    share = share_of_spot(spot)
    min_size = view.int("scaling_config", "min_size")
    max_size = view.int("scaling_config", "max_size")
    evidence = [f"capacity_type = {capacity}" if capacity else SPOT_UNKNOWN]
    count = within_bounds(view.int("scaling_config", "desired_size"), min_size, max_size, "desired_size", evidence)
    fields["compute"] = build_compute(
        ctx.catalog, "aws", types[0] if types else None, service="node_pool", region=fields["region"],
        count=count, purchase=purchase_of_share(share), on_demand_share=share, min_size=min_size,
        max_size=max_size, instance_types=types, evidence=evidence)
    fields["compute"].nodes = eks_nodes(view, capacity)
    return Mapped(fields)


def _endpoint_config_compute(cfg: View, ctx: MapContext, region: str | None, service: str) -> Any:
    """The capacity an endpoint configuration declares; ``(compute, note)``. Variants of several instance types
    are one resource priced as one type: the month is left unknown and the note prices each type and their sum."""
    itype = None
    count = 0.0
    serverless = False
    sizes: dict[str, float] = {}  # instances of each type, over the variants
    for v in cfg.blocks("production_variants"):
        if v.get("serverless_config"):
            serverless = True
            continue
        t, n = v.get("instance_type"), v.get("initial_instance_count")
        if isinstance(t, str) and itype is None:
            itype = t
        if isinstance(n, (int, float)) and not isinstance(n, bool):
            count += n
            if isinstance(t, str):
                sizes[t] = sizes.get(t, 0) + n
    if serverless and itype is None:
        return None, None
    mixed = len(sizes) > 1
    compute = build_compute(ctx.catalog, "aws", itype, service=service, region=region,
                            count=None if mixed else count or None, purchase="on_demand", on_demand_share=1.0,
                            min_size=int(count) if count else None,
                            evidence=["SageMaker real-time endpoints run on demand"])
    if not mixed:
        return compute, None
    compute.evidence.append("production variants: " + ", ".join(f"{n:g} x {t}" for t, n in sizes.items()))
    hours = ctx.config.usage.hours_per_month
    parts, total = [], 0.0
    for t, n in sizes.items():
        price = ctx.catalog.hourly("aws", region, t)
        if price is None or hours is None:
            return compute, f"production variants of {len(sizes)} instance types; no catalog price for {t} in {region}"
        parts.append(f"{n:g} x {t} ${n * price.usd_per_hour * hours:,.2f}")
        total += n * price.usd_per_hour * hours
    return compute, (f"production variants of {len(sizes)} instance types, priced one by one: {'; '.join(parts)}; "
                     f"${total:,.2f} a month in all ({hours:g} h)")


def _price_endpoint(fields: dict[str, Any], cfg: View, ctx: MapContext, service: str) -> None:
    fields["compute"], note = _endpoint_config_compute(cfg, ctx, fields["region"], service)
    if note:
        fields.setdefault("price_notes", []).append(note)


def map_sagemaker_endpoint_configuration(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    fields["workload_default"] = "inference"  # what it configures serves a model, whoever deploys it
    if _endpoint_using(view.raw, ctx) is None:  # deployed elsewhere: price it as the capacity it declares
        _price_endpoint(fields, view, ctx, "endpoint_config")
    return Mapped(fields)


def map_sagemaker_model(view: View, ctx: MapContext) -> Mapped:
    """A SageMaker model: no capacity of its own (an endpoint configuration runs it), but it serves inference."""
    fields = _base(view, ctx)
    fields["workload_default"] = "inference"
    return Mapped(fields)


def _config_of(endpoint: View, ctx: MapContext) -> RawResource | None:
    """The endpoint configuration an endpoint runs: by reference (also through a local that picks one of several,
    ``local.cfg.name`` with ``cfg = var.x ? a[0] : b[0]``), else by its name."""
    return ctx.resolve(endpoint.refs("endpoint_config_name"), "aws_sagemaker_endpoint_configuration") or \
        ctx.find_by_attr("aws_sagemaker_endpoint_configuration", "name", endpoint.get("endpoint_config_name",
                                                                                      note=False))


def map_sagemaker_endpoint(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    cfg = _config_of(view, ctx)
    fields["workload_default"] = "inference"
    if cfg is None:
        fields["unknowns"] = ["endpoint_config_name: endpoint configuration not found in the scanned code"]
        return Mapped(fields)
    fields["links"] = {"endpoint_config": cfg.address}
    _price_endpoint(fields, View(cfg), ctx, "endpoint")
    return Mapped(fields)


def map_sagemaker_notebook(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    fields["workload_default"] = "interactive"
    fields["compute"] = build_compute(ctx.catalog, "aws", view.str("instance_type"), service="notebook",
                                      region=fields["region"], count=1, purchase="on_demand", on_demand_share=1.0,
                                      evidence=["notebook instances run on demand"])
    return Mapped(fields)


def map_batch_compute_environment(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    fields["workload_default"] = "batch"
    cr = view.blocks("compute_resources")
    if not cr:
        return Mapped(fields)
    ctype = str(cr[0].get("type") or "EC2").upper()
    if ctype.startswith("FARGATE"):
        return Mapped(fields)
    types = [t for t in (cr[0].get("instance_type") or []) if isinstance(t, str)]
    known = [t for t in types if ctx.catalog.machine("aws", t)]
    itype = known[0] if known else (types[0] if types else None)
    spec = ctx.catalog.machine("aws", itype)
    vcpus = float(spec["vcpus"]) if spec else None

    def nodes(key: str) -> int | None:
        v = cr[0].get(key)
        if v is None or is_unknown(v) or not vcpus:
            return None
        return math.ceil(float(v) / vcpus)

    min_n, max_n = nodes("min_vcpus"), nodes("max_vcpus")
    share = 0.0 if ctype == "SPOT" else 1.0
    fields["compute"] = build_compute(
        ctx.catalog, "aws", itype, service="batch", region=fields["region"], count=min_n or 0,
        purchase=purchase_of_share(share), on_demand_share=share, min_size=min_n, max_size=max_n,
        instance_types=types, evidence=[f"compute_resources.type = {ctype}",
                                        f"min_vcpus={cr[0].get('min_vcpus')}, max_vcpus={cr[0].get('max_vcpus')}"])
    if itype and not spec:
        fields["unknowns"] = [f"instance_type '{itype}' is a family or not in the catalog; node size unknown"]
    return Mapped(fields)


_SAGEMAKER_RESOURCE = re.compile(r"^endpoint/([^/]+)/variant/")


def map_appautoscaling_target(view: View, ctx: MapContext) -> Mapped:
    resource_id = view.str("resource_id") or ""
    fields: dict[str, Any] = {"taggable": False}
    target = _scaled_resource(view, ctx, resource_id)
    autoscaling = Autoscaling(address=view.raw.address, metric_kind="unknown",
                              min=view.int("min_capacity"), max=view.int("max_capacity"),
                              file=view.raw.file, line=view.raw.line)
    fields["autoscaling"] = autoscaling
    fields["facets"] = ["autoscaler"]
    if target:
        fields["links"] = {"scales": target}
    return Mapped(fields)


def _scaled_resource(view: View, ctx: MapContext, resource_id: str) -> str | None:
    m = _SAGEMAKER_RESOURCE.match(resource_id)
    if m:
        ep = ctx.find_by_attr("aws_sagemaker_endpoint", "name", m.group(1))
        return ep.address if ep else None
    # resource_id unknown (e.g. a variant name read from the endpoint configuration): follow its references
    refs = view.refs("resource_id")
    for rtype in ("aws_sagemaker_endpoint", "aws_ecs_service"):
        found = ctx.resolve(refs, rtype)
        if found is not None:
            return found.address
    cfg = ctx.resolve(refs, "aws_sagemaker_endpoint_configuration")
    if cfg is not None:
        ep = _endpoint_using(cfg, ctx)
        return ep.address if ep else None
    if resource_id.startswith("service/"):
        name = resource_id.rsplit("/", 1)[-1]
        svc = ctx.find_by_attr("aws_ecs_service", "name", name)
        return svc.address if svc else None
    for ref in refs:
        if ref in ctx.by_address and not ref.split(".")[-2].startswith("aws_appautoscaling_"):
            return ref
    return None


def _endpoint_using(cfg: RawResource, ctx: MapContext) -> RawResource | None:
    """The endpoint that runs this configuration (it is priced there, not twice)."""
    return next((e for e in ctx.by_type.get("aws_sagemaker_endpoint", []) if _config_of(View(e), ctx) is cfg), None)


def _policy_metric(view: View, *path: str) -> str | None:
    pre = view.get(*path, "predefined_metric_specification", "predefined_metric_type", note=False)
    if isinstance(pre, str):
        return pre
    custom = view.get(*path, "customized_metric_specification", "metric_name", note=False)
    if isinstance(custom, str):
        return custom
    for metric in view.blocks(*path, "customized_metric_specification", "metrics"):  # metric math
        name = dig(metric, "metric_stat", "metric", "metric_name")
        if isinstance(name, str):
            return name
    return None


def _refs_in(value: Any) -> list[str]:
    """Resource addresses anywhere in a value (a list of ARNs that are known only after apply)."""
    if is_unknown(value):
        return list(value.refs)
    if isinstance(value, list):
        return [r for v in value for r in _refs_in(v)]
    return []


def _alarm_metrics(policy: RawResource, ctx: MapContext) -> list[tuple[str, str | None, float | None]]:
    """Step and simple scaling: the metric lives in the CloudWatch alarms whose actions run the policy."""
    out: list[tuple[str, str | None, float | None]] = []
    for alarm in ctx.by_type.get("aws_cloudwatch_metric_alarm", []):
        av = View(alarm)
        if policy.address not in _refs_in(alarm.values.get("alarm_actions")):  # unknown values keep their refs
            continue
        names = [av.str("metric_name")] if av.str("metric_name") else []
        for q in av.blocks("metric_query"):
            for m in q.get("metric") or []:
                if isinstance(m, dict) and isinstance(m.get("metric_name"), str):
                    names.append(m["metric_name"])
        threshold = av.num("threshold")
        out.extend((classify_metric(n), n, threshold) for n in names if n)
    return out


def _number(value: Any) -> float | None:
    return float(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


def _scales_out(view: View) -> bool:
    """False only when every adjustment a step or simple policy makes is seen to remove capacity (a scale-in
    policy); target tracking, and an adjustment not known, count as scaling out."""
    config = (view.blocks("step_scaling_policy_configuration") or [view.raw.values])[0]
    steps = [s.get("scaling_adjustment") for s in as_blocks(config.get("step_adjustment"))]
    if "scaling_adjustment" in config:
        steps.append(config["scaling_adjustment"])
    values = [_number(s) for s in steps]
    return not values or any(v is None or v > 0 for v in values)


def _policy_autoscaling(view: View, ctx: MapContext, config_block: str) -> Autoscaling:
    metric = _policy_metric(view, config_block)
    target = view.num(config_block, "target_value")
    kind = classify_metric(metric) if metric else "unknown"
    trigger, scales_out = None, True
    if metric is None:
        metrics = _alarm_metrics(view.raw, ctx)
        picked = pick_metric(metrics)
        if picked is not None:
            kind, metric, target = picked
        scales_out = _scales_out(view)
        trigger = cpu_trigger(metrics, picked) if scales_out else None
    return Autoscaling(address=view.raw.address, metric=metric, metric_kind=kind,  # type: ignore[arg-type]
                       target=target, file=view.raw.file, line=view.raw.line, cpu_trigger=trigger,
                       cpu_trigger_by=view.raw.address if trigger else None, scales_out=scales_out)


def map_appautoscaling_policy(view: View, ctx: MapContext) -> Mapped:
    resource_id = view.str("resource_id") or ""
    target_raw = None
    for t in ctx.by_type.get("aws_appautoscaling_target", []):
        if (resource_id and t.values.get("resource_id") == resource_id) or t.address in view.refs("resource_id"):
            target_raw = t
            break
    scaled = _scaled_resource(View(target_raw), ctx, View(target_raw).str("resource_id") or "") if target_raw \
        else _scaled_resource(view, ctx, resource_id)
    fields: dict[str, Any] = {"taggable": False, "facets": ["autoscaler"],
                              "autoscaling": _policy_autoscaling(view, ctx,
                                                                 "target_tracking_scaling_policy_configuration")}
    if scaled:
        fields["links"] = {"scales": scaled}
    return Mapped(fields)


def map_autoscaling_policy(view: View, ctx: MapContext) -> Mapped:
    asg = ctx.resolve(view.refs("autoscaling_group_name"), "aws_autoscaling_group") or \
        ctx.find_by_attr("aws_autoscaling_group", "name", view.get("autoscaling_group_name", note=False))
    autoscaling = _policy_autoscaling(view, ctx, "target_tracking_configuration")
    fields: dict[str, Any] = {"taggable": False, "facets": ["autoscaler"], "autoscaling": autoscaling}
    if asg is not None:
        fields["links"] = {"scales": asg.address}
        asg_view = View(asg)  # the policy scales within the group's bounds
        autoscaling.min, autoscaling.max = asg_view.int("min_size"), asg_view.int("max_size")
    return Mapped(fields)


MAPPERS = {
    "aws_instance": map_instance,
    "aws_spot_instance_request": map_instance,
    "aws_sagemaker_model": map_sagemaker_model,
    "aws_launch_template": map_launch_template,
    "aws_autoscaling_group": map_autoscaling_group,
    "aws_eks_node_group": map_eks_node_group,
    "aws_sagemaker_endpoint_configuration": map_sagemaker_endpoint_configuration,
    "aws_sagemaker_endpoint": map_sagemaker_endpoint,
    "aws_sagemaker_notebook_instance": map_sagemaker_notebook,
    "aws_batch_compute_environment": map_batch_compute_environment,
    "aws_appautoscaling_target": map_appautoscaling_target,
    "aws_appautoscaling_policy": map_appautoscaling_policy,
    "aws_autoscaling_policy": map_autoscaling_policy,
}

GENERIC = map_generic
