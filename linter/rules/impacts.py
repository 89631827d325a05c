"""Named cost models: what a finding is worth a month, with assumptions in words.

A rule names one of these by ``impact:``; each is implemented once here and serves every
source. A model returns ``None`` when it does not apply (the rule then does not fire),
or an :class:`ImpactResult` whose ``vars`` the message template can read as ``x``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from linter.config import Config
from linter.facts.compute import accelerators_of
from linter.model import Impact, Resource
from linter.pricing.catalog import Catalog
from linter.pricing.cost import blend, on_demand_share, price_provider, rounded, unit_price
from linter.pricing.suggest import smaller_gpu_node, smaller_gpu_type


@dataclass
class ImpactContext:
    catalog: Catalog
    config: Config


@dataclass
class ImpactResult:
    impact: Impact
    vars: dict[str, Any] = field(default_factory=dict)


def _hours(ctx: ImpactContext) -> str:
    return f"{ctx.config.usage.hours_per_month:g} h/month"


def _price_basis(resource: Resource, ctx: ImpactContext) -> list[str]:
    c = resource.compute
    out: list[str] = []
    if c is None:
        return out
    if c.service == "pod":  # Kubernetes: the unit is one pod, priced by linter/pricing/pod_cost.py
        from linter.pricing.pod_cost import pod_price_basis

        return pod_price_basis(resource, ctx.catalog)
    up = unit_price(resource, ctx.catalog)
    if up.on_demand is None:
        provider = price_provider(resource)
        out.append(f"{ctx.catalog.missing_price(provider, c.region, c.instance_type)}: dollar figure unknown")
    else:
        out.append(f"{c.instance_type} on demand ${up.on_demand.usd_per_hour:,.4g}/h in {c.region} "
                   f"({up.on_demand.source}, as of {up.on_demand.as_of})")
        if up.on_demand.note:
            out.append(up.on_demand.note)
    for name, per_node, price in up.accelerators:
        if price is not None:
            out.append(f"{per_node:g}x {name} at ${price.usd_per_hour:,.4g}/GPU-h "
                       f"({price.source}, as of {price.as_of})")
    return out


def _count_basis(resource: Resource) -> str:
    c = resource.compute
    unit = "pod(s)" if c is not None and c.service == "pod" else "instance(s)"
    if c is None or c.count is None:
        return f"{unit.removesuffix('(s)')} count unknown"
    if c.max is not None and c.max != c.min:
        return f"priced at {c.count:g} {unit} now (range {c.min if c.min is not None else '?'}..{c.max})"
    return f"{c.count:g} {unit}"


def spot_savings(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    c = resource.compute
    if c is None:
        return None
    up = unit_price(resource, ctx.catalog)
    share = on_demand_share(c)
    assumptions = [_hours(ctx), *_price_basis(resource, ctx), _count_basis(resource)]
    spot = up.spot
    if spot is None:
        assumptions.append(f"no spot discount known for family {c.family}: saving unknown")
        return ImpactResult(Impact(kind="savings", monthly_usd=None, assumptions=assumptions))
    assumptions.append(f"spot/preemptible at {spot.fraction:.0%} below on-demand for {spot.family} "
                       f"({spot.source}, as of {spot.as_of})")
    if share < 1:
        assumptions.append(f"{share:.0%} of capacity is on demand today")
    hourly = up.on_demand_hourly
    if hourly is None or c.count is None:
        return ImpactResult(Impact(kind="savings", monthly_usd=None, assumptions=assumptions),
                            {"discount": spot.fraction})
    monthly = hourly * c.count * share * ctx.config.usage.hours_per_month * spot.fraction
    return ImpactResult(Impact(kind="savings", monthly_usd=rounded(monthly), assumptions=assumptions),
                        {"discount": spot.fraction})


def rightsize(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    c = resource.compute
    if c is None:
        return None
    single = resource.workload.kind == "batch" and c.gpu.count > 1
    if single and c.attached_accelerators:
        return _fewer_attached(resource, ctx)
    suggestion = smaller_gpu_type(ctx.catalog, price_provider(resource), c.region, c.instance_type,
                                  single_gpu=single)
    if suggestion is None:
        return None
    up = unit_price(resource, ctx.catalog)
    assumptions = [_hours(ctx), *_price_basis(resource, ctx), _count_basis(resource),
                   f"{suggestion.machine_type} on demand ${suggestion.price.usd_per_hour:,.4g}/h "
                   f"({suggestion.price.source}, as of {suggestion.price.as_of})",
                   f"suggested because {suggestion.reason}"]
    if single:
        assumptions.append("assumes the job's model and batch fit one GPU of that memory; the saving compares one "
                           "instance for one instance, before any scale-out")
    monthly = None
    if up.on_demand is not None and c.count is not None:
        monthly = (up.on_demand.usd_per_hour - suggestion.price.usd_per_hour) * c.count * \
            blend(on_demand_share(c), up.spot) * ctx.config.usage.hours_per_month
    return ImpactResult(Impact(kind="savings", monthly_usd=rounded(monthly), assumptions=assumptions),
                        {"suggested_type": suggestion.machine_type, "suggested_gpus": suggestion.gpu_count,
                         "suggested_gpu_model": suggestion.gpu_model, "reason": suggestion.reason})


def _fewer_attached(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """GPUs attached to a VM (GCP guest_accelerator): keep the VM, attach one GPU."""
    c = resource.compute
    assert c is not None
    name, per_node = next(iter(c.attached_accelerators.items()))
    if per_node <= 1:
        return None
    price = ctx.catalog.accelerator_hourly(price_provider(resource), c.region, name)
    assumptions = [_hours(ctx), *_price_basis(resource, ctx), _count_basis(resource),
                   f"{per_node:g} -> 1 {name} per instance; batch work scales out across instances",
                   "assumes the job's model and batch fit one GPU"]
    monthly = None
    if price is not None and c.count is not None:
        factor = blend(on_demand_share(c), unit_price(resource, ctx.catalog).spot)
        monthly = (per_node - 1) * price.usd_per_hour * c.count * factor * ctx.config.usage.hours_per_month
    else:
        assumptions.append(f"no catalog price for {name} in {c.region}: saving unknown")
    return ImpactResult(Impact(kind="savings", monthly_usd=rounded(monthly), assumptions=assumptions),
                        {"suggested_type": f"{c.instance_type} + 1x {name}", "suggested_gpus": 1,
                         "suggested_gpu_model": c.gpu.model,
                         "reason": f"attach one {name} instead of {per_node:g} and run more instances"})


def scale_to_zero(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    c = resource.compute
    if c is None:
        return None
    floor = c.min if c.min is not None else c.count
    if floor is None:
        return None
    usage = ctx.config.usage
    assumptions = [_hours(ctx), *_price_basis(resource, ctx),
                   f"floor of {floor:g} {'pod' if c.service == 'pod' else 'instance'}(s) stays up when there is no "
                   "work",
                   f"idle {usage.idle_fraction:.0%} of the month (config usage.idle_fraction)"]
    up = unit_price(resource, ctx.catalog)
    hourly = up.on_demand_hourly
    if hourly is None:
        return ImpactResult(Impact(kind="savings", monthly_usd=None, assumptions=assumptions), {"floor": floor})
    share = on_demand_share(c)
    if share < 1 and up.spot is not None:
        hourly *= blend(share, up.spot)
        assumptions.append(f"{1 - share:.0%} of the floor on spot")
    monthly = hourly * floor * usage.hours_per_month * usage.idle_fraction
    return ImpactResult(Impact(kind="savings", monthly_usd=rounded(monthly), assumptions=assumptions), {"floor": floor})


def unattributed(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """The resource's monthly cost plus that of the tagless children billed through it (FIN-TAG-001)."""
    assumptions: list[str] = []
    if resource.compute is not None:
        assumptions = [_hours(ctx), *_price_basis(resource, ctx), _count_basis(resource)]
    elif resource.monthly_cost_usd is None:
        assumptions.append(f"{resource.type} is not priced by the catalog; its spend is unattributed but not "
                           "estimated")
    monthly = resource.monthly_cost_usd
    children = resource.billed_children
    if resource.billing and not children:
        assumptions.append(f"in scope because it bills: {resource.billing}")
    kinds: list[str] = []
    if children:
        from linter.facts.tags import child_type

        kinds = sorted({child_type(a) for a in children})
        unpriced = [a for a, cost in children.items() if cost is None]
        priced = sum(cost for cost in children.values() if cost is not None)
        shown = ", ".join(list(children)[:3]) + (f" and {len(children) - 3} more" if len(children) > 3 else "")
        assumptions.append(f"{len(children)} {'/'.join(kinds)} instance(s) have no tags argument and bill through "
                           f"{resource.address}: {shown}")
        if unpriced:
            assumptions.append(f"{len(unpriced)} of them not priced by the catalog (usage-based or not in it): their "
                               "spend is unattributed but not estimated")
            monthly = None
        elif monthly is not None:
            monthly += priced
            assumptions.append(f"their ${priced:,.2f}/month is added to {resource.address}'s own")
    if monthly is not None:
        spend = f"${monthly:,.2f}/month unattributed"
    elif children:
        spend = f"the spend of {len(children)} {'/'.join(kinds)} instance(s) billed through it, not priced"
    else:
        spend = "spend unattributed, not priced"
    return ImpactResult(Impact(kind="unattributed", monthly_usd=rounded(monthly), assumptions=assumptions),
                        {"spend": spend})


def scaling_exposure(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    c = resource.compute
    a = resource.autoscaling
    if c is None or a is None:
        return None
    lo = a.min if a.min is not None else c.min
    hi = a.max if a.max is not None else c.max
    assumptions = [_hours(ctx), *_price_basis(resource, ctx),
                   f"autoscaler {a.address} scales on {a.metric or a.metric_kind} between {lo} and {hi}",
                   "exposure = capacity between minimum and maximum, running all month at the maximum"]
    up = unit_price(resource, ctx.catalog)
    hourly = up.on_demand_hourly
    if hourly is None or lo is None or hi is None:
        return ImpactResult(Impact(kind="exposure", monthly_usd=None, assumptions=assumptions))
    per_replica = _replica_monthly(resource, hourly, ctx)
    if c.service == "pod":
        assumptions.append(f"one replica (pod) costs ${per_replica:,.2f}/month")
    monthly = per_replica * max(0, hi - lo)
    return ImpactResult(Impact(kind="exposure", monthly_usd=rounded(monthly), assumptions=assumptions))


def _replica_monthly(resource: Resource, hourly: float, ctx: ImpactContext) -> float:
    """What one more replica costs a month. A pod replica costs its pod price: the workload's
    monthly cost / its pods (so spot pods count at spot); other resources one unit on demand."""
    c = resource.compute
    if c is not None and c.service == "pod" and c.count and resource.monthly_cost_usd is not None:
        return resource.monthly_cost_usd / c.count
    return hourly * ctx.config.usage.hours_per_month


def stranded_gpus(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """Kubernetes pods that request fewer GPUs than the node type they pin: the GPUs no pod can use, priced at
    the node's per-GPU price.

    Pods of one workload pack onto a node when its GPUs, vCPUs and memory allow (and no hostname
    anti-affinity forbids it); the idle GPUs are those left on the nodes the pods need."""
    catalog, config = ctx.catalog, ctx.config
    c = resource.compute
    if c is None or c.service != "pod" or not c.node_provider:
        return None
    provider, region = c.node_provider, c.region
    hours = config.usage.hours_per_month
    assumptions = [f"{hours:g} h/month"]
    share = on_demand_share(c)
    total_idle, monthly = 0.0, 0.0
    unknown = False
    out_vars: dict[str, object] = {}
    for g in c.pod_groups:
        if g.gpus <= 0 or not g.instance_type:
            continue
        spec = catalog.machine(provider, g.instance_type) or {}
        ngpu = accelerators_of(spec).count
        if ngpu <= g.gpus:
            continue
        limits = [math.floor(ngpu / g.gpus)]
        if g.vcpus and spec.get("vcpus"):
            limits.append(math.floor(float(spec["vcpus"]) / g.vcpus))
        if g.memory_gib and spec.get("memory_gib"):
            limits.append(math.floor(float(spec["memory_gib"]) / g.memory_gib))
        per_node = max(1, min(limits))
        why = None
        if g.one_per_node:
            per_node, why = 1, "pod anti-affinity / topology spread on kubernetes.io/hostname keeps one pod per node"
        elif per_node == 1:
            why = "each pod's CPU or memory request fills a node"
        pods = g.count if g.count else 1.0
        nodes = math.ceil(pods / per_node)
        idle = nodes * ngpu - pods * g.gpus
        if idle <= 0:
            continue
        total_idle += idle
        where = f"{g.name}: " if len(c.pod_groups) > 1 else ""
        assumptions.append(f"{where}{g.instance_type} has {ngpu:g} GPUs; each pod requests {g.gpus:g}")
        if not g.count:
            assumptions.append(f"{where}the workload scales from zero; priced while one pod runs")
        if why:
            assumptions.append(f"{where}{why}: {pods:g} pod(s) on {nodes} node(s)")
        elif pods <= 1:
            assumptions.append(f"{where}a single pod: one node, the rest of its GPUs idle")
        else:
            assumptions.append(f"{where}up to {per_node} pods pack onto one node (by GPUs, vCPUs and memory): "
                               f"{pods:g} pods on {nodes} node(s)")
        node_price = catalog.hourly(provider, region, g.instance_type)
        if node_price is None:
            unknown = True
            assumptions.append(f"{catalog.missing_price(provider, region, g.instance_type)}: saving unknown")
            continue
        per_gpu = node_price.usd_per_hour / ngpu
        factor = 1.0
        if share < 1:
            spot = catalog.spot_discount(provider, spec.get("family"), "gpu")
            factor = blend(share, spot)
            if spot:
                assumptions.append(f"{1 - share:.0%} on spot at {spot.fraction:.0%} below on-demand ({spot.source})")
        monthly += idle * per_gpu * hours * factor
        assumptions.append(f"{idle:g} idle GPU(s) x ${per_gpu:,.4g}/GPU-h (1/{ngpu:g} of {g.instance_type} "
                           f"${node_price.usd_per_hour:,.4g}/h in {region}; {node_price.source}, as of "
                           f"{node_price.as_of})")
        assumptions.append("the idle GPUs are billed with the node but not in the pods' own price (their share)")
        suggestion = smaller_gpu_node(catalog, provider, region, g.instance_type, g.gpus, c.gpu.model,
                                       c.gpu.memory_gib)
        out_vars.update({"node_type": g.instance_type, "node_gpus": ngpu, "pod_gpus": g.gpus, "pods": pods,
                         "nodes": nodes, "per_node": per_node,
                         "suggested_type": suggestion[0] if suggestion else None,
                         "suggested_gpus": suggestion[1] if suggestion else None})
    if total_idle <= 0:
        return None
    out_vars["idle_gpus"] = total_idle
    return ImpactResult(Impact(kind="savings", monthly_usd=None if unknown else rounded(monthly),
                               assumptions=assumptions), out_vars)


IMPACTS: dict[str, Callable[[Resource, ImpactContext], ImpactResult | None]] = {
    "spot_savings": spot_savings,
    "rightsize": rightsize,
    "scale_to_zero": scale_to_zero,
    "unattributed": unattributed,
    "scaling_exposure": scaling_exposure,
    "stranded_gpus": stranded_gpus,
}
