"""Named cost models: what a finding is worth a month, with assumptions in words.

A rule names one of these by ``impact:``; each is implemented once here and serves every
source. A model returns ``None`` when it does not apply (the rule then does not fire),
or an :class:`ImpactResult` whose ``vars`` the message template can read as ``x``.
"""

from __future__ import annotations

import math
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter.config import Config
from linter.facts.compute import accelerators_of
from linter.model import Accelerators, Capacity, Impact, Resource
from linter.pricing.catalog import Catalog
from linter.pricing.cost import (
    UnitPrice,
    blend,
    on_demand_share,
    price_provider,
    rounded,
    scale_from_zero_note,
    scales_from_zero,
    unit_price,
)
from linter.pricing.suggest import equal_gpu_capacity, smaller_gpu_node
from linter.records import record
from linter.rules.expr import FUNCTIONS

money, num = FUNCTIONS["money"], FUNCTIONS["num"]


@record
class ImpactContext:
    catalog: Catalog
    config: Config


@record
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
    if c.unpriced:
        out.append(f"{c.unpriced}: dollar figure unknown")
    elif up.on_demand is None:
        provider = price_provider(resource)
        out.append(f"{ctx.catalog.missing_price(provider, c.region, c.instance_type)}: dollar figure unknown")
    else:
        out.append(f"{c.instance_type} on demand ${up.on_demand.usd_per_hour:,.4g}/h in {c.region} "
                   f"({up.on_demand.source}, as of {up.on_demand.as_of})")
        if up.on_demand.note:
            out.append(up.on_demand.note)
    for part in up.accelerators:
        if part.price is not None:
            out.append(f"{part.per_node:g}x {part.name} at ${part.price.usd_per_hour:,.4g}/GPU-h "
                       f"({part.price.source}, as of {part.price.as_of})")
    return out


def _count_basis(resource: Resource) -> str:
    c = resource.compute
    unit = "pod(s)" if c is not None and c.service == "pod" else "instance(s)"
    if c is None or c.count is None:
        return f"{unit.removesuffix('(s)')} count unknown"
    zones = f" ({c.count / c.zones:g} per zone x {c.zones} zones)" if c.zones else ""
    if c.max is not None and c.max != c.min:
        return f"priced at {c.count:g} {unit}{zones} now (range {c.min if c.min is not None else '?'}..{c.max})"
    return f"{c.count:g} {unit}{zones}"


def _spot_basis(resource: Resource, up: UnitPrice, ctx: ImpactContext) -> list[str]:
    """One sentence per discount used, or why one is missing."""
    out = []
    for part in up.parts:
        name = resource.compute.family if part.name == "machine" and resource.compute else part.name
        if part.spot is None:
            out.append(ctx.catalog.no_spot_reason(price_provider(resource), name))
        else:
            out.append(f"spot/preemptible at {part.spot.fraction:.0%} below on-demand for {part.spot.family} "
                       f"({part.spot.source}, as of {part.spot.as_of})")
    return out


def capacity_of(resource: Resource, count: float | None = None, instance_type: str | None = None,
                per_instance: Accelerators | None = None) -> Capacity:
    """The GPU capacity of ``count`` instances (default: the resource's own count and GPUs)."""
    c = resource.compute
    assert c is not None
    n = c.count if count is None else count
    g = per_instance or c.gpu
    return Capacity(instance_type=instance_type or c.instance_type, count=n,
                    gpus=None if n is None else n * g.count, gpu_model=g.model,
                    gpu_memory_gib=None if n is None or g.memory_gib is None else n * g.count * g.memory_gib)


def _running(resource: Resource, ctx: ImpactContext, up: UnitPrice) -> tuple[float | None, float | None, list[str]]:
    """Instances and hours a month to price a saving on: the count all month, or for capacity that scales from
    zero, the maximum for ``usage.scale_from_zero_hours`` (unknown hours when that is unset)."""
    c = resource.compute
    assert c is not None
    if not scales_from_zero(c):
        return c.count, ctx.config.usage.hours_per_month, []
    note = scale_from_zero_note(c, up, on_demand_share(c), ctx.config)
    return c.max, ctx.config.usage.scale_from_zero_hours, [note]


def spot_savings(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """Savings = on-demand instances the fix moves (all but on_demand_base_capacity) x each part's on-demand price
    x its own spot discount x hours."""
    c = resource.compute
    if c is None:
        return None
    up = unit_price(resource, ctx.catalog)
    share = on_demand_share(c)
    count, hours, running = _running(resource, ctx, up)
    assumptions = [_hours(ctx), *_price_basis(resource, ctx), _count_basis(resource), *running,
                   *_spot_basis(resource, up, ctx)]
    discount = up.spot.fraction if up.spot else None
    saving, od = up.spot_saving_hourly(), up.on_demand_hourly
    missing = [c.family or "its machine family" if n == "machine" else n for n in up.missing_spot()]
    if saving is not None and od:  # several parts (an n1 VM and its GPUs): the discount on the whole node
        discount = saving / od
    elif missing:
        discount = None
    current = capacity_of(resource, count)
    per_pod = " per pod" if c.service == "pod" else ""
    gpus = f"{num(c.gpu.count)}x {c.gpu.model or c.gpu.noun}"
    several = c.service != "pod" and c.instance_type and count is not None and count > 1  # a group: what it runs
    out_vars = {"discount": discount,
                "capacity_text": f"{num(count)}x {c.instance_type} ({gpus} each)" if several else
                f"{gpus}{per_pod}" + (f" ({c.instance_type})" if c.instance_type else ""),
                "bought": "on demand" if share >= 1 else f"{share:.0%} on demand",
                "spot_text": f"spot/preemptible is {discount:.0%} cheaper" if discount is not None
                             else f"no spot discount is known for {', '.join(missing) or 'its machine family'}"}
    result = ImpactResult(Impact(kind="savings", monthly_usd=None, assumptions=assumptions, current=current,
                                 suggested=current), out_vars)
    moved = None if count is None else count * share
    if share < 1:
        assumptions.append(f"{share:.0%} of capacity is on demand today")
    if c.on_demand_base and moved is not None:
        kept = min(c.on_demand_base, count or 0)
        moved = max(0.0, moved - kept)
        assumptions.append(f"on_demand_base_capacity = {c.on_demand_base:g} stays on demand (the fix keeps it): "
                           f"{moved:g} of {count:g} instance(s) move to spot")
    if saving is None:
        assumptions.append(f"saving unknown: no spot discount known for {', '.join(missing)}" if missing
                           else "saving unknown: the on-demand price is unknown")
    elif moved is not None and hours is None:
        assumptions.append(f"saving unknown: up to {money(saving * moved * ctx.config.usage.hours_per_month)} a "
                           "month at max capacity")
    elif moved is not None and hours is not None:
        result.impact.monthly_usd = rounded(saving * moved * hours)
    return result


def rightsize(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """Savings = count x (one current instance - N smaller instances of the same GPU model holding its GPUs), each at
    the resource's purchase mix and its own family's spot discount, x hours. None when equal capacity is not
    cheaper. GPUs attached to a VM (GCP) are left alone: N VMs with one GPU each never cost less than one VM
    with N GPUs, the VM being priced per vCPU."""
    c = resource.compute
    if c is None or c.attached_accelerators:
        return None
    up = unit_price(resource, ctx.catalog)
    share = on_demand_share(c)
    here = up.hourly(share)
    alt = equal_gpu_capacity(ctx.catalog, price_provider(resource), c.region, c.instance_type, share)
    if here is None or alt is None or alt.hourly >= here * (1 - 1e-9):  # equal within float noise is not cheaper
        return None
    count, hours, running = _running(resource, ctx, up)
    per = count if count else 1
    hours_known = hours if hours is not None else ctx.config.usage.hours_per_month
    spec = ctx.catalog.machine(price_provider(resource), c.instance_type) or {}
    n = alt.per_current
    assumptions = [
        _hours(ctx), *_price_basis(resource, ctx), _count_basis(resource), *running,
        f"{alt.machine_type} on demand ${alt.price.usd_per_hour:,.4g}/h ({alt.price.source}, as of {alt.price.as_of})",
        *(_spot_basis(resource, up, ctx) if share < 1 else []),
        *([f"{alt.machine_type} on spot at {alt.spot.fraction:.0%} below on-demand for {alt.spot.family} "
           f"({alt.spot.source})"] if share < 1 and alt.spot else []),
        f"equal GPU capacity: {n}x {alt.machine_type} ({alt.gpu_count:g}x {alt.gpu_model} "
        f"{alt.gpu_memory_gib:g} GiB each) hold the {c.gpu.count:g} {c.gpu.model} of one {c.instance_type}",
        f"host per {c.instance_type}: {n}x {alt.machine_type} give {n * float(alt.spec.get('vcpus') or 0):g} vCPU / "
        f"{n * float(alt.spec.get('memory_gib') or 0):g} GiB against {spec.get('vcpus', '?')} vCPU / "
        f"{spec.get('memory_gib', '?'):g} GiB; assumes the batch job is GPU-bound",
        "gives up GPU-to-GPU links inside one machine (NVLink/NVSwitch) and one shared host: safe for batch work, "
        "which runs an independent shard per GPU and does not exchange gradients"]
    saving = (here - alt.hourly) * per * hours_known
    if hours is None:
        assumptions.append(f"saving unknown: up to {money(saving)} a month at max capacity")
    elif not count:
        assumptions.append("instance count unknown: the message's figure is per instance")
    monthly = rounded(saving) if count and hours is not None else None
    current = capacity_of(resource, per)
    suggested = capacity_of(resource, per * n, alt.machine_type,
                            Accelerators(model=alt.gpu_model, count=alt.gpu_count, memory_gib=alt.gpu_memory_gib,
                                         kind="gpu"))
    return ImpactResult(Impact(kind="savings", monthly_usd=monthly, assumptions=assumptions, current=current,
                               suggested=suggested),
                        {"suggested_type": alt.machine_type, "suggested_count": per * n, "current_count": per,
                         "suggested_gpus": alt.gpu_count, "suggested_gpu_model": alt.gpu_model,
                         "gpus": per * c.gpu.count, "gpu_model": c.gpu.model,
                         "saving": rounded(saving) if hours is not None else None,
                         "reason": f"{n}x {alt.machine_type} hold the same {c.gpu.count:g} {c.gpu.model} for less"})


def _idle_reason(resource: Resource) -> str:
    """Why the floor is idle, in the words the FIN-GPU-003 message reads (same order as the rule's clauses)."""
    c = resource.compute
    assert c is not None
    if resource.production is False and not c.completes:
        where = f" ({resource.environment_evidence})" if resource.environment_evidence else ""
        return f"in {resource.environment or 'a non-production environment'}{where}"
    if c.service == "endpoint" and resource.autoscaling is None:
        return "with no autoscaling"
    if resource.provider == "kubernetes" and c.service == "node_pool" and "kaito" not in resource.links:
        return "after its pods finish (Karpenter consolidation cannot remove empty nodes)"
    return f"for {resource.workload.kind}"


def scale_to_zero(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """Savings = floor x one unit's price at the purchase mix (each part its own spot discount) x hours x
    usage.idle_fraction."""
    c = resource.compute
    if c is None:
        return None
    floor = c.floor
    if floor is None or floor <= 0:
        return None
    usage = ctx.config.usage
    unit = "pod" if c.service == "pod" else "instance"
    zones = f" ({floor / c.zones:g} per zone x {c.zones} zones)" if c.zones else ""
    units = "TPUs" if c.gpu.noun == "TPU" else "GPUs"  # other accelerators keep the word they had
    assumptions = [_hours(ctx), *_price_basis(resource, ctx),
                   f"floor of {floor:g} {unit}(s){zones} stays up when there is no work",
                   f"idle {usage.idle_fraction:.0%} of the month (config usage.idle_fraction)",
                   f"fewer {units} only while idle: the floor goes to 0 when there is no work, and work still "
                   "gets capacity up to the maximum"]
    on_node = f", on {c.instance_type}" if c.service == "pod" and c.instance_type else ""
    what = f"{c.gpu.noun} pod" if c.service == "pod" else (c.instance_type or f"{c.gpu.noun} node")
    out_vars = {"floor": floor, "reason": _idle_reason(resource),
                "floor_text": f"{num(floor)}x {what} ({num(c.gpu.count)}x {c.gpu.model or c.gpu.noun} each{on_node}"
                              f"{zones.replace(' (', '; ').rstrip(')')})"}
    share = on_demand_share(c)
    hourly = unit_price(resource, ctx.catalog).hourly(share)
    current = capacity_of(resource, floor)
    impact = Impact(kind="savings", monthly_usd=None, assumptions=assumptions, current=current,
                    suggested=capacity_of(resource, 0))
    if hourly is None:
        return ImpactResult(impact, out_vars)
    if share < 1:
        assumptions.append(f"{1 - share:.0%} of the floor on spot")
    impact.monthly_usd = rounded(hourly * floor * usage.hours_per_month * usage.idle_fraction)
    return ImpactResult(impact, out_vars)


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
    """Exposure = (maximum - the count priced now) x one unit's price at the purchase mix x hours; for pods pinned to
    a node type, the whole nodes the extra replicas add. Counted from the count the spend is priced at, so spend plus
    exposure is the maximum."""
    c = resource.compute
    a = resource.autoscaling
    if c is None or a is None:
        return None
    lo = a.min if a.min is not None else c.min
    hi = a.max if a.max is not None else c.max
    base = c.count if c.count is not None else lo
    unit = "pod" if c.service == "pod" else "instance"
    assumptions = [_hours(ctx), *_price_basis(resource, ctx),
                   f"autoscaler {a.address} scales on {a.metric or a.metric_kind} between {lo} and {hi}"
                   + (f"; {a.cpu_trigger} also adds capacity (via {a.cpu_trigger_by})" if a.cpu_trigger else ""),
                   f"exposure = the {unit}s between the {num(base)} priced now and the maximum {num(hi)}, running "
                   "all month (so spend plus exposure never exceeds the maximum)"]
    impact = Impact(kind="exposure", monthly_usd=None, assumptions=assumptions)
    if base is None or hi is None:
        return ImpactResult(impact)
    up = unit_price(resource, ctx.catalog)
    share = on_demand_share(c)
    if share < 1:
        assumptions.extend(_spot_basis(resource, up, ctx))
        assumptions.append(f"{share:.0%} on demand, the rest on spot, as the resource buys it")
    hours = ctx.config.usage.hours_per_month
    nodes = _extra_nodes(resource, ctx, base, hi, share)
    if nodes is not None:
        extra, node_hourly, sentence = nodes
        assumptions.append(sentence)
        impact.monthly_usd = rounded(extra * node_hourly * hours) if node_hourly is not None else None
        return ImpactResult(impact)
    hourly = up.hourly(share)
    if hourly is None:
        return ImpactResult(impact)
    if c.service == "pod":
        assumptions.append(f"one replica (pod) costs ${hourly * hours:,.2f}/month")
    impact.monthly_usd = rounded(hourly * hours * max(0.0, hi - base))
    return ImpactResult(impact)


def _extra_nodes(resource: Resource, ctx: ImpactContext, base: float, hi: float,
                 share: float) -> tuple[float, float | None, str] | None:
    """Pods pinned to a priced node type: the whole nodes that going from ``base`` to ``hi`` replicas adds (pods per
    node by GPUs, vCPUs, memory and hostname anti-affinity, as FIN-GPU-004 packs them), and one node's price."""
    from linter.pricing.pod_cost import pods_per_node

    c = resource.compute
    assert c is not None
    groups = [g for g in c.pod_groups if g.gpus > 0 and g.instance_type]
    if c.service != "pod" or not c.node_provider or len(groups) != 1:
        return None
    g = groups[0]
    spec = ctx.catalog.machine(c.node_provider, g.instance_type)
    if spec is None:
        return None
    per_node, why = pods_per_node(g, spec)
    extra = math.ceil(hi / per_node) - math.ceil(base / per_node)
    price = ctx.catalog.hourly(c.node_provider, c.region, g.instance_type)
    spot = ctx.catalog.spot_discount(c.node_provider, spec.get("family"), "gpu", c.region)
    hourly = None if price is None or (share < 1 and spot is None) else price.usd_per_hour * blend(share, spot)
    node = (f"{g.instance_type} ${price.usd_per_hour:,.4g}/h in {c.region} ({price.source}, as of {price.as_of})"
            if price is not None else ctx.catalog.missing_price(c.node_provider, c.region, g.instance_type))
    sentence = (f"{per_node} pod(s) per node ({why or 'by GPUs, vCPUs and memory'}): {num(base)} -> {num(hi)} "
                f"replicas adds {extra} whole node(s) of {node}")
    return float(max(0, extra)), hourly, sentence


def stranded_gpus(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """Kubernetes pods that request fewer GPUs than the node type they pin: the GPUs no pod can use, priced at
    the node's per-GPU price.

    Pods of one workload pack onto a node when its GPUs, vCPUs and memory allow (and no hostname
    anti-affinity forbids it); the idle GPUs are those left on the nodes the pods need."""
    from linter.pricing.pod_cost import pods_per_node

    catalog, config = ctx.catalog, ctx.config
    c = resource.compute
    if c is None or c.service != "pod" or not c.node_provider:
        return None
    provider, region = c.node_provider, c.region
    hours = config.usage.hours_per_month
    assumptions = [f"{hours:g} h/month"]
    share = on_demand_share(c)
    total_idle, monthly, node_gpus, used_gpus = 0.0, 0.0, 0.0, 0.0
    unknown = False
    out_vars: dict[str, object] = {}
    for g in c.pod_groups:
        if g.gpus <= 0 or not g.instance_type:
            continue
        spec = catalog.machine(provider, g.instance_type) or {}
        ngpu = accelerators_of(spec).count
        if ngpu <= g.gpus:
            continue
        per_node, why = pods_per_node(g, spec)
        pods = g.count if g.count else 1.0
        nodes = math.ceil(pods / per_node)
        idle = nodes * ngpu - pods * g.gpus
        if idle <= 0:
            continue
        total_idle += idle
        node_gpus += nodes * ngpu
        used_gpus += pods * g.gpus
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
            spot = catalog.spot_discount(provider, spec.get("family"), "gpu", region)
            factor = blend(share, spot)
            if spot:
                assumptions.append(f"{1 - share:.0%} on spot at {spot.fraction:.0%} below on-demand ({spot.source})")
            else:
                unknown = True
                assumptions.append(f"{catalog.no_spot_reason(provider, spec.get('family'))}: saving unknown")
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
    assumptions.append("fewer GPUs: only the idle ones; every pod keeps the GPUs it requests")
    mem = c.gpu.memory_gib
    current = Capacity(instance_type=c.instance_type, count=c.count, gpus=node_gpus, gpu_model=c.gpu.model,
                       gpu_memory_gib=node_gpus * mem if mem else None)
    suggested = Capacity(instance_type=out_vars.get("suggested_type") or c.instance_type,  # type: ignore[arg-type]
                         count=c.count, gpus=used_gpus, gpu_model=c.gpu.model,
                         gpu_memory_gib=used_gpus * mem if mem else None)
    return ImpactResult(Impact(kind="savings", monthly_usd=None if unknown else rounded(monthly),
                               assumptions=assumptions, current=current, suggested=suggested), out_vars)


IMPACTS: dict[str, Callable[[Resource, ImpactContext], ImpactResult | None]] = {
    "spot_savings": spot_savings,
    "rightsize": rightsize,
    "scale_to_zero": scale_to_zero,
    "unattributed": unattributed,
    "scaling_exposure": scaling_exposure,
    "stranded_gpus": stranded_gpus,
}



def _llm_model(name: str) -> Callable[[Resource, ImpactContext], ImpactResult | None]:
    """The LLM rules' cost models live in ``llm_impacts``, imported on first use: a scan without LLM endpoints
    (a pre-commit run on one .tf file) does not pay for its tables and patterns."""

    model: list[Callable[[Resource, ImpactContext], ImpactResult | None]] = []

    def run(resource: Resource, ctx: ImpactContext) -> ImpactResult | None:
        if not model:  # the first call imports the module; later ones skip the import machinery
            from linter.rules import llm_impacts

            model.append(llm_impacts.LLM_IMPACTS[name])  # type: ignore[arg-type]
        return model[0](resource, ctx)

    return run


IMPACTS.update({name: _llm_model(name) for name in ("token_cap_exposure", "rate_limit_exposure", "model_fit")})
