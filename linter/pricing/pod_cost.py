"""Price Kubernetes pods: a share of the node type they pin, else their requests at per-resource rates.

- Pinned node type with a catalog price: one pod costs the node's hourly price times the share
  it occupies: GPUs requested / GPUs on the node when it requests GPUs, else the larger of its
  CPU and memory shares. Idle GPUs the pod strands are not in its price (FIN-GPU-004 prices them).
- A GPU pod on no pinned type, whose GPU model comes only in machines that include their vCPUs and
  memory (L4, A100, H100, A10G...): a share of the cheapest catalog machine with that GPU that holds
  the pod, the larger of its GPU, CPU and memory shares (not the GPU's price plus its requests: the
  machine's price already pays for those).
- Otherwise: GPUs at a per-GPU price for the GPU model (GKE attachable GPUs at their own price; the
  cheapest machine's price per GPU when the pod fits on no machine), or OpenCost's default GPU rate
  when the model is unknown; CPU and memory requests at OpenCost's default per-vCPU and per-GiB
  rates. All rates can be overridden in config (``prices.kubernetes``).
Pods x 730 h (config ``usage.hours_per_month``); spot pods at the node family's spot discount.
"""

from __future__ import annotations

import math

from linter.config import Config
from linter.facts.compute import accelerators_of
from linter.model import Accelerators, CostComponent, PodGroup, Resource, UnitRate
from linter.pricing.allocatable import allocatable
from linter.pricing.allocatable import holds as fits_allocatable
from linter.pricing.catalog import Catalog, Price
from linter.pricing.cost import component, on_demand_share, scale_from_zero_note, scales_from_zero, total, unit_price
from linter.pricing.suggest import priced_accelerated
from linter.records import record

OPENCOST_SOURCE = "OpenCost default pricing (opencost/opencost, configs/default.json)"
OPENCOST_AS_OF = "OpenCost defaults, as published"


@record(frozen=True, slots=True)
class Line:
    """One priced quantity of one pod: per-pod quantity x unit price, on demand and on spot."""

    label: str
    unit: str
    per_pod: float
    on_demand: float | None
    spot: float | None
    source: str | None
    as_of: str | None
    spot_source: str | None = None  # where the spot discount comes from, when not in ``spot`` already


def gpu_price(catalog: Catalog, provider: str | None, region: str | None, model: str | None,
              memory_gib: float | None, accelerator: str | None) -> tuple[Price, str, str] | None:
    """On-demand price of one GPU of ``model``, with a sentence saying where it comes from, and the family
    (machine family or attachable GPU) whose spot discount applies to it."""
    if provider is None or region is None:
        return None
    if provider == "gcp" and accelerator:
        p = catalog.accelerator_hourly("gcp", region, accelerator)
        if p is not None:
            return p, f"{accelerator} at ${p.usd_per_hour:,.4g}/GPU-h in {region} ({p.source}, as of {p.as_of})", \
                accelerator
    if not model:
        return None
    best: tuple[float, str, Price, float, str] | None = None
    for name, spec, price, g in _machines_with(catalog, provider, region, model, memory_gib):
        per = price.usd_per_hour / g.count
        if best is None or per < best[0]:
            best = (per, name, price, g.count, str(spec.get("family") or ""))
    if best is None:
        return None
    per, name, price, n, family = best
    why = (f"{model} at ${per:,.4g}/GPU-h: the cheapest on-demand {provider} machine with {model} in {region}, "
           f"{name} (${price.usd_per_hour:,.4g}/h / {n:g} GPUs; {price.source}, as of {price.as_of})")
    return Price(per, price.source, price.as_of), why, family


def _machines_with(catalog: Catalog, provider: str, region: str, model: str | None, memory_gib: float | None,
                   vendor: str | None = None) -> list[tuple[str, dict, Price, Accelerators]]:
    """Priced machine types of ``region`` with GPUs of ``model`` (of ``memory_gib``, within 2 GiB, when known), or
    when no model is named, with ``vendor``'s accelerators (a pod asking for aws.amazon.com/neuron devices)."""
    return [(name, spec, price, g) for name, spec, price, g in priced_accelerated(catalog, provider, region, "")
            if g.count and (str(g.model or "").upper() == model.upper() if model else g.vendor == vendor)
            and not (memory_gib and g.memory_gib and abs(float(g.memory_gib) - memory_gib) > 2)]


def fitting_machine(catalog: Catalog, provider: str, region: str, model: str | None, memory_gib: float | None,
                    g: PodGroup, vendor: str | None = None) -> tuple[str, dict, Price, float, str] | None:
    """(type, spec, price, share, basis): the machine with ``model`` GPUs where one pod of ``g`` costs least, the
    pod's share being the larger of its GPU, vCPU and memory shares; None when no machine holds the pod."""
    best: tuple[float, str, dict, Price, float, str] | None = None
    from linter.sources.kubernetes.pods import neuron_chips_correction

    for name, spec, price, acc in _machines_with(catalog, provider, region, model, memory_gib, vendor):
        # NeuronCores count at this machine's chip (4 an Inferentia, 8 a Trainium2), not the 2 the request assumed
        devices = g.gpus + (neuron_chips_correction(g.neuron_cores, acc.model) if g.neuron_cores else 0.0)
        shares = [(devices / acc.count, f"{devices:g} of {acc.count:g} {'GPUs' if acc.kind == 'gpu' else 'devices'}")]
        holds = devices <= acc.count
        for wanted, size, unit in ((g.vcpus, spec.get("vcpus"), "vCPUs"), (g.memory_gib, spec.get("memory_gib"),
                                                                          "GiB memory")):
            if wanted and not size:
                break  # a machine of unknown size: whether it holds the pod is unknown
            if wanted:
                shares.append((wanted / float(size), f"{wanted:g} of {float(size):g} {unit}"))
        else:
            holds = holds and fits_allocatable(provider, spec, g.vcpus, g.memory_gib)
            share, basis = max(shares)
            cost = share * price.usd_per_hour
            if holds and (best is None or cost < best[0]):
                best = (cost, name, spec, price, share, basis)
    return best[1:] if best is not None else None


_ONE_LINE_VENDORS = {"aws": "AWS Neuron devices", "habana": "Gaudi accelerators"}


def _fitted_line(resource: Resource, g: PodGroup, catalog: Catalog, notes: list[str]) -> Line | None:
    """A GPU pod on no pinned type, priced as its share of the cheapest machine with its GPU that holds it (when
    that GPU is not an attachable one with a price of its own)."""
    c = resource.compute
    assert c is not None
    provider, region, model = c.node_provider, c.region, c.gpu.model
    # a vendor with one line of accelerators (Neuron: Inferentia and Trainium; Gaudi): the count tells the machine
    by_vendor = not model and c.gpu.vendor in _ONE_LINE_VENDORS
    if g.gpus <= 0 or g.instance_type or not provider or not region or not (model or by_vendor) or (
            provider == "gcp" and c.accelerator and catalog.accelerator_hourly("gcp", region, c.accelerator)):
        return None
    fit = fitting_machine(catalog, provider, region, model, c.gpu.memory_gib, g, c.gpu.vendor if by_vendor else None)
    if fit is None:
        return None
    model = model or _ONE_LINE_VENDORS.get(c.gpu.vendor or "", "accelerators")
    name, spec, price, share, basis = fit
    spot = catalog.spot_discount(provider, spec.get("family"), "gpu", region)
    od = price.usd_per_hour * share
    device = "GPU" if c.gpu.kind == "gpu" else "TPU chip(s)" if c.gpu.noun == "TPU" else "device"
    needs = ", ".join(f"{v:g} {u}" for v, u in ((g.gpus, device), (g.vcpus, "vCPU"), (g.memory_gib, "GiB")) if v)
    word = "TPU" if c.gpu.noun == "TPU" else "GPU"  # other accelerators keep the word they had
    notes.append(f"{word} price: no node type pinned; {name} (${price.usd_per_hour:,.4g}/h; {price.source}, "
                 f"as of {price.as_of}) is the {provider} machine with {model} in {region} where a pod asking for "
                 f"{needs} costs least; its price includes the vCPUs and memory, so the requests are not charged again")
    alloc = allocatable(provider, spec) if (g.vcpus or g.memory_gib) else None
    if alloc is not None:
        notes.append(f"requests checked against {alloc.describe(name)}")
    return Line(f"Pod share of {name} ({basis})", "pod-hours", 1.0, od, od * (1 - spot.fraction) if spot else None,
                price.source, price.as_of, spot.source if spot else None)


def _no_tpu_price(catalog: Catalog, region: str | None, model: str | None) -> str:
    """Why a TPU pod has no price: the catalog's reason for the model's machine types in ``region``, or that the
    catalog has none of the model (an unnamed or newer generation)."""
    for name, spec in catalog.data("gcp").get("machine_types", {}).items():
        acc = spec.get("accelerator") or {}
        if model and acc.get("vendor") == "google" and acc.get("model") == model:
            return f"{model} in {region}: {catalog.unpriced_reason('gcp', region, name)}"
    return f"{model or 'TPU'}: no machine type with this TPU in the catalog"


def _group_lines(resource: Resource, g: PodGroup, catalog: Catalog, config: Config,
                 notes: list[str]) -> list[Line]:
    c = resource.compute
    assert c is not None
    if g.gpus_unknown:  # accelerators not read (a placeholder, a DRA claim) or not priced (another vendor's NPUs)
        notes.append(f"{g.name}: asks for {g.gpus_unknown}, so its monthly cost is unknown")
        return [Line(f"accelerators ({g.gpus_unknown} per pod)", "GPU-hours", 1.0, None, None, None, None)]
    provider, region = c.node_provider, c.region
    spot = catalog.spot_discount(provider, c.family, "gpu" if g.gpus else "general", region) if provider else None
    spec = catalog.machine(provider, g.instance_type) if provider and g.instance_type else None
    node = catalog.hourly(provider, region, g.instance_type) if provider and g.instance_type else None
    if spec is not None and node is not None:
        ngpu = accelerators_of(spec).count
        share, basis = None, ""
        if g.gpus > 0 and ngpu > 0:
            share = g.gpus / ngpu
            basis = f"{g.gpus:g} of {ngpu:g} GPUs"
            if share > 1:  # a node of this type cannot hold the pod: not one node's price, but its GPUs'
                basis = f"{g.gpus:g} GPUs, {ngpu:g} per node: {share:g} nodes' worth"
                notes.append(f"{g.name}: requests {g.gpus:g} GPUs, more than a {g.instance_type} node has "
                             f"({ngpu:g}); it cannot be scheduled there as written, and is priced as the nodes its "
                             "GPUs take")
        else:
            shares = []
            if g.vcpus and spec.get("vcpus"):
                shares.append((g.vcpus / float(spec["vcpus"]), f"{g.vcpus:g} of {spec['vcpus']:g} vCPUs"))
            if g.memory_gib and spec.get("memory_gib"):
                shares.append((g.memory_gib / float(spec["memory_gib"]),
                               f"{g.memory_gib:g} of {spec['memory_gib']:g} GiB memory"))
            if shares:
                share, basis = max(shares)
                share = min(1.0, share)
        if share is not None:
            od = node.usd_per_hour * share
            unit = "task" if resource.type == "aws_ecs_service" else "pod"
            return [Line(f"{unit.title()} share of {g.instance_type} ({basis})", f"{unit}-hours", 1.0, od,
                         od * (1 - spot.fraction) if spot else None, node.source, node.as_of,
                         spot.source if spot else None)]
        notes.append(f"{g.name}: no CPU, memory or GPU requests to take a share of {g.instance_type}; priced at "
                     "its requests (none)")
    fitted = _fitted_line(resource, g, catalog, notes)
    if fitted is not None:
        return [fitted]
    rates = config.prices.kubernetes
    lines: list[Line] = []
    if g.gpus > 0:
        got = gpu_price(catalog, provider, region, c.gpu.model, c.gpu.memory_gib, c.accelerator)
        if got is not None:
            price, why, family = got
            notes.append(f"GPU price: {why}")
            spot = spot or catalog.spot_discount(provider, family, "gpu", region)
            lines.append(Line(f"GPU {c.gpu.model or ''} ({g.gpus:g} per pod)".replace("  ", " "), "GPU-hours", g.gpus,
                              price.usd_per_hour, price.usd_per_hour * (1 - spot.fraction) if spot else None,
                              price.source, price.as_of, spot.source if spot else None))
        else:
            if c.gpu.kind == "accelerator" and c.gpu.vendor == "google":
                notes.append(f"{_no_tpu_price(catalog, region, c.gpu.model)}; monthly cost unknown")
                lines.append(Line(f"TPU ({g.gpus:g} per pod)", "TPU-hours", g.gpus, None, None, None, None))
            else:
                model = c.gpu.model or "unknown model"
                notes.append(f"GPU {model}: no catalog price; at the OpenCost default ${rates.gpu_hour:g}/GPU-h")
                lines.append(Line(f"GPU ({model}, {g.gpus:g} per pod)", "GPU-hours", g.gpus, rates.gpu_hour, None,
                                  OPENCOST_SOURCE, OPENCOST_AS_OF))
    if g.vcpus:
        lines.append(Line(f"CPU requests ({g.vcpus:g} vCPU per pod)", "vCPU-hours", g.vcpus, rates.vcpu_hour,
                          rates.spot_vcpu_hour, OPENCOST_SOURCE, OPENCOST_AS_OF))
    if g.memory_gib:
        lines.append(Line(f"Memory requests ({g.memory_gib:g} GiB per pod)", "GiB-hours", g.memory_gib,
                          rates.gib_hour, rates.spot_gib_hour, OPENCOST_SOURCE, OPENCOST_AS_OF))
    return lines


def pods_per_node(g: PodGroup, spec: dict) -> tuple[int, str | None]:
    """How many of the group's pods one node of ``spec`` holds (by GPUs, vCPUs and memory; one under hostname
    anti-affinity), and why it is one when CPU, memory or anti-affinity make it one."""
    if g.one_per_node:
        return 1, "pod anti-affinity / topology spread on kubernetes.io/hostname keeps one pod per node"
    ngpu = accelerators_of(spec).count
    by_gpu = [math.floor(ngpu / g.gpus)] if g.gpus > 0 and ngpu else []
    by_host = []
    if g.vcpus and spec.get("vcpus"):
        by_host.append(math.floor(float(spec["vcpus"]) / g.vcpus))
    if g.memory_gib and spec.get("memory_gib"):
        by_host.append(math.floor(float(spec["memory_gib"]) / g.memory_gib))
    limits = by_gpu + by_host
    per_node = max(1, min(limits)) if limits else 1
    if per_node == 1 and by_host and min(by_host) <= 1:
        return 1, "each pod's CPU or memory request fills a node"
    return per_node, None


def price_pod(resource: Resource, catalog: Catalog, config: Config) -> None:
    """Fill ``cost_components``, ``monthly_cost_usd``, ``price_notes`` and ``compute.unit_rate`` of a workload."""
    c = resource.compute
    assert c is not None and c.service == "pod"
    hours = config.usage.hours_per_month
    notes = resource.price_notes
    groups = c.pod_groups or [PodGroup(name="pods", count=c.count, vcpus=c.vcpus, memory_gib=c.memory_gib,
                                       gpus=c.gpu.count, instance_type=c.instance_type)]
    share = on_demand_share(c)
    from_zero = scales_from_zero(c)  # no GPU pod now, up to c.max when work arrives: priced only from usage config
    if c.on_demand_share is None and c.gpu.count:
        notes.append("capacity type (spot or on-demand) not pinned by node selectors or tolerations: priced on demand")
    multi = len(groups) > 1
    components: list[CostComponent] = []
    pod_hourly: list[float | None] = []
    pod_spot: list[float | None] = []  # one pod on spot, each line at its own discount
    sources: list[str] = []
    as_of = None
    bases: list[str | None] = []  # per group: the node share it is priced as, if it is
    for g in groups:
        lines = _group_lines(resource, g, catalog, config, notes)
        bases.append(lines[0].label if len(lines) == 1 and lines[0].unit in ("pod-hours", "task-hours") else None)
        od = [ln.on_demand for ln in lines]
        pod_hourly.append(None if None in od else sum(ln.per_pod * (ln.on_demand or 0) for ln in lines))
        sp = [ln.spot for ln in lines]
        pod_spot.append(None if None in sp else sum(ln.per_pod * (ln.spot or 0) for ln in lines))
        for ln in lines:
            if ln.source and ln.source not in sources:
                sources.append(ln.source)
                as_of = as_of or ln.as_of
            for purchase, frac in (("on-demand", share), ("spot", 1 - share)):
                if frac <= 0:
                    continue
                price = ln.on_demand if purchase == "on-demand" else ln.spot
                if purchase == "spot" and price is None and ln.on_demand is not None:
                    notes.append(f"no spot discount known for {ln.label}; spot share unpriced")
                pods, run_hours = g.count, hours
                if from_zero and not g.count:  # this group scales from zero; the others (a Ray head) keep running
                    pods = g.max if g.max is not None else (c.max if len(groups) == 1 else None)
                    run_hours = config.usage.scale_from_zero_hours
                qty = pods * frac * run_hours * ln.per_pod if pods is not None and run_hours is not None else None
                components.append(component(
                    f"{g.name}: " * multi + f"{ln.label}, {purchase}", ln.unit, qty, price,
                    f"{ln.source}; spot discount: {ln.spot_source}" if purchase == "spot" and ln.spot_source
                    else ln.source, ln.as_of))
        if g.count is None:
            notes.append(f"{g.name}: pod count unknown; monthly cost unknown")
    resource.cost_components = components
    resource.monthly_cost_usd = total(components)
    if not components:
        resource.monthly_cost_usd = 0.0
        notes.append("no CPU, memory or GPU requests: priced at $0")
    c.unit_rate = _unit_rate(c.count, groups, pod_hourly, pod_spot, bases, sources, as_of)
    if from_zero:
        notes.append(scale_from_zero_note(c, unit_price(resource, catalog), share, config))


def _main_group(groups: list[PodGroup]) -> int:
    return max(range(len(groups)), key=lambda j: (groups[j].gpus, groups[j].count or 0))


def _per_pod(count: float | None, groups: list[PodGroup], hourly: list[float | None]) -> float | None:
    """One pod's price: its group's, or (several groups) the workload's price per counted pod."""
    if any(h is None for h in hourly):
        return None
    values = [h or 0.0 for h in hourly]
    if count and len(groups) > 1:
        return sum((g.count or 0) * h for g, h in zip(groups, values, strict=True)) / count
    return values[_main_group(groups)]


def _unit_rate(count: float | None, groups: list[PodGroup], hourly: list[float | None], spot: list[float | None],
               bases: list[str | None], sources: list[str], as_of: str | None) -> UnitRate | None:
    """One pod's on-demand price, and its spot price with each line at its own discount (None when one is unknown)."""
    usd = _per_pod(count, groups, hourly)
    if usd is None:
        return None
    i, note = _main_group(groups), None
    if count and len(groups) > 1:
        others = [g.name for g in groups if g.gpus <= 0] if groups[i].gpus > 0 else []
        if others:
            note = f"one pod's price includes its share of the workload's other pods ({', '.join(others)})"
    return UnitRate(usd_per_hour=usd, source="; ".join(sources) or OPENCOST_SOURCE, as_of=as_of or OPENCOST_AS_OF,
                    note=note, basis=bases[i], spot_usd_per_hour=_per_pod(count, groups, spot))


def pod_price_basis(resource: Resource, catalog: Catalog) -> list[str]:
    """Assumption sentences: what one pod costs and how that was derived."""
    c = resource.compute
    if c is None:
        return []
    if c.unit_rate is None:
        return ["pod price unknown (see the resource's price notes): dollar figure unknown"]
    u = c.unit_rate
    out = [f"one pod on demand ${u.usd_per_hour:,.4g}/h" + (f" = {u.basis}" if u.basis else " at its requests")
           + (f" in {c.region}" if c.region else "") + f" ({u.source}, as of {u.as_of})"]
    share = c.on_demand_share if c.on_demand_share is not None else 1.0
    if share < 1 and u.spot_usd_per_hour is not None:  # what the month is priced at: its mix of on demand and spot
        hourly = share * u.usd_per_hour + (1 - share) * u.spot_usd_per_hour
        out.append(f"bought on spot: ${hourly:,.4g}/h a pod" if share <= 0 else
                   f"bought {share:.0%} on demand, the rest on spot (${u.spot_usd_per_hour:,.4g}/h): "
                   f"${hourly:,.4g}/h a pod")
    elif share < 1:  # the on-demand rate above is not what it pays: its spot share has no price
        out.append(("bought on spot" if share <= 0 else f"bought {share:.0%} on demand, the rest on spot")
                   + ": no spot price is known for it, so its month is not priced")
    if u.note:
        out.append(u.note)
    out.extend(n for n in resource.price_notes if n.startswith(("GPU price:", "TPU price:")))
    return out
