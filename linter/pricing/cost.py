"""Price a resource as named cost components (Infracost style), each readable line by line."""

from __future__ import annotations

from linter.config import Config
from linter.model import Compute, CostComponent, Resource
from linter.pricing.catalog import Catalog, Discount, Price
from linter.records import record

_SERVICE_LABEL = {"endpoint": "Endpoint hosting", "endpoint_config": "Endpoint hosting", "notebook": "Notebook",
                  "node_pool": "Node", "autoscaling_group": "Instance", "batch": "Batch instance", "vm": "Instance"}


@record(frozen=True, slots=True)
class Part:
    """One priced part of a node: the machine itself, or GPUs attached to it (GCP guest accelerators), each with
    its own on-demand price and its own spot discount (an n1 VM and its V100s are discounted differently)."""

    name: str
    per_node: float
    price: Price | None
    spot: Discount | None


@record(frozen=True, slots=True)
class UnitPrice:
    """Hourly price of one node, on demand, with its spot discount when one applies."""

    on_demand: Price | None
    spot: Discount | None
    accelerators: tuple[Part, ...] = ()

    @property
    def parts(self) -> tuple[Part, ...]:
        return (Part("machine", 1.0, self.on_demand, self.spot), *self.accelerators)

    @property
    def on_demand_hourly(self) -> float | None:
        if any(p.price is None for p in self.parts):
            return None
        return sum(p.per_node * p.price.usd_per_hour for p in self.parts if p.price)

    def hourly(self, share: float) -> float | None:
        """One node's hourly price when ``share`` of the capacity is on demand and the rest on spot, each part
        at its own discount; None when a price, or a discount the spot part needs, is unknown."""
        if any(p.price is None or (share < 1 and p.spot is None) for p in self.parts):
            return None
        return sum(p.per_node * p.price.usd_per_hour * blend(share, p.spot) for p in self.parts if p.price)

    def spot_saving_hourly(self) -> float | None:
        """What moving one node from on demand to spot saves an hour, each part at its own discount."""
        if any(p.price is None or p.spot is None for p in self.parts):
            return None
        return sum(p.per_node * p.price.usd_per_hour * p.spot.fraction for p in self.parts if p.price and p.spot)

    def missing_spot(self) -> list[str]:
        """Parts with a price but no known spot discount (their names; "machine" for the machine type)."""
        return [p.name for p in self.parts if p.spot is None]


def price_provider(resource: Resource) -> str:
    """The cloud whose catalog prices the resource: a Kubernetes workload's or node pool's is its nodes'."""
    c = resource.compute
    return (c.node_provider if c is not None and c.node_provider else None) or resource.provider


def on_demand_share(c: Compute) -> float:
    """The on-demand share of the capacity; unknown counts as all on demand (the list price)."""
    return c.on_demand_share if c.on_demand_share is not None else 1.0


def blend(share: float, spot: Discount | None) -> float:
    """Price factor of capacity that is ``share`` on demand and the rest on spot (1.0 without a discount)."""
    return share + (1 - share) * (1 - spot.fraction) if share < 1 and spot is not None else 1.0


def component(name: str, unit: str, quantity: float | None, unit_usd: float | None, source: str | None,
              as_of: str | None) -> CostComponent:
    """One cost line, rounded as every report shows it; its dollar figure is unknown when either factor is."""
    return CostComponent(name=name, unit=unit, monthly_quantity=rounded(quantity), price_usd=rounded(unit_usd, 6),
                         monthly_usd=rounded(quantity * unit_usd) if quantity is not None and unit_usd is not None
                         else None, source=source, as_of=as_of)


def total(components: list[CostComponent]) -> float | None:
    """The sum of the lines, or None when any line is unpriced (or there are none)."""
    values = [comp.monthly_usd for comp in components]
    return rounded(sum(v for v in values if v is not None)) if values and None not in values else None


def unit_price(resource: Resource, catalog: Catalog) -> UnitPrice:
    c = resource.compute
    if c is None:
        return UnitPrice(None, None)
    provider = price_provider(resource)
    category = "gpu" if c.gpu.count else "general"
    family = c.family.removeprefix("ml.") if c.family else None
    if c.service == "pod":  # Kubernetes: the unit is one pod, priced by linter/pricing/pod_cost.py
        u = c.unit_rate
        if u is None:
            return UnitPrice(None, None)
        spot = None
        if u.spot_usd_per_hour is not None and u.usd_per_hour > 0:  # the pod's lines, each at its own discount
            node = (catalog.spot_discount(provider, family, category, c.region)
                    if c.node_provider and family else None)
            spot = Discount(1 - u.spot_usd_per_hour / u.usd_per_hour, node.source if node else u.source,
                            node.as_of if node else u.as_of, family or "this pod's GPU, CPU and memory")
        return UnitPrice(Price(u.usd_per_hour, u.source, u.as_of, u.note), spot)
    if c.unpriced:  # billed by a service at its own rates: the machine type's list price would be a wrong figure
        return UnitPrice(None, None)
    spot = catalog.spot_discount(provider, family, category, c.region)
    price = catalog.hourly(provider, c.region, c.instance_type)
    accels = tuple(Part(name, count, catalog.accelerator_hourly(provider, c.region, name),
                        catalog.spot_discount(provider, name, "gpu"))
                   for name, count in c.attached_accelerators.items())
    return UnitPrice(price, spot, accels)


def scales_from_zero(c: Compute) -> bool:
    """Capacity at zero now that bills when work arrives (min 0, a maximum above zero)."""
    return c.count == 0 and c.max is not None and c.max > 0


def price_resource(resource: Resource, catalog: Catalog, config: Config) -> None:
    """Fill ``cost_components``, ``monthly_cost_usd`` and ``price_notes`` for compute resources."""
    c = resource.compute
    if c is None:
        return
    if c.service == "pod":  # Kubernetes workloads: priced per pod
        from linter.pricing.pod_cost import price_pod

        price_pod(resource, catalog, config)
        return
    hours = config.usage.hours_per_month
    up = unit_price(resource, catalog)
    count = c.count
    label = _SERVICE_LABEL.get(c.service, "Instance")
    components: list[CostComponent] = []
    notes = resource.price_notes
    if c.unpriced:
        notes.append(f"{c.unpriced}; monthly cost unknown")
    elif c.instance_type is None:
        notes.append("instance type unknown; monthly cost unknown")
    elif up.on_demand is None:
        provider = price_provider(resource)
        text = catalog.missing_price(provider, c.region, c.instance_type)
        if catalog.regions(provider) and not catalog.unpriced_reason(provider, c.region, c.instance_type):
            text += f": {catalog.where_priced(provider, c.region, c.instance_type)}"
        notes.append(f"{text}; monthly cost unknown")
    share = on_demand_share(c)
    if count is None:
        each = up.hourly(share)
        notes.append("instance count unknown; monthly cost unknown" + (
            f" (${each * hours:,.2f} a month for each {c.instance_type}: ${each:,.4g}/h x {hours:g} h)"
            if each is not None and hours is not None else ""))
    if scales_from_zero(c):
        count, hours = c.max, config.usage.scale_from_zero_hours
        notes.append(scale_from_zero_note(c, up, share, config))
    purchases = [(p, f) for p, f in (("on-demand", share), ("spot", 1 - share)) if f > 0]
    if share < 1 and up.on_demand is not None and up.spot is None:
        notes.append(f"{catalog.no_spot_reason(price_provider(resource), c.family)}; spot share unpriced")
    for purchase, frac in purchases:
        for part in up.parts:
            mult = 1.0 if purchase == "on-demand" else (1 - part.spot.fraction) if part.spot else None
            qty = count * frac * hours * part.per_node if count is not None and hours is not None else None
            unit = part.price.usd_per_hour * mult if part.price and mult is not None else None
            source = _source(part.price, part.spot if purchase == "spot" else None)
            as_of = part.price.as_of if part.price else None
            if part.name == "machine":
                components.append(component(f"{label} usage (Linux, {purchase}, {c.instance_type or 'unknown type'})",
                                            "hours", qty, unit, source, as_of))
                continue
            if part.price is None and purchase == purchases[0][0]:
                why = catalog.unpriced_reason(price_provider(resource), c.region, part.name)
                notes.append(f"no catalog price for accelerator {part.name} in {c.region}"
                             + (f" ({why})" if why else "") + "; monthly cost unknown")
            elif part.spot is None and purchase == "spot":
                notes.append(f"{catalog.no_spot_reason(price_provider(resource), part.name)}; spot share unpriced")
            components.append(component(f"GPU {part.name} x{part.per_node:g} ({purchase})", "GPU-hours", qty, unit,
                                        source, as_of))
    resource.cost_components = components
    resource.monthly_cost_usd = total(components)
    if up.on_demand is not None and up.on_demand.note:
        notes.append(up.on_demand.note)


def scale_from_zero_note(c: Compute, up: UnitPrice, share: float, config: Config) -> str:
    """Capacity at zero that bills when jobs run: priced for ``usage.scale_from_zero_hours`` at the maximum when
    the user sets it, else unknown, with what a month at the maximum would cost."""
    hours = config.usage.hours_per_month
    hourly = up.hourly(share)
    unit = "pods" if c.service == "pod" else c.instance_type
    ceiling = (f"up to ${hourly * (c.max or 0) * hours:,.2f} a month at max capacity ({c.max:g} {unit} x "
               f"${hourly:,.4g}/h x {hours:g} h)") if hourly is not None else "max capacity unpriced"
    used = config.usage.scale_from_zero_hours
    if used is None:
        return (f"scales from zero (0 now, max {c.max:g}): spend depends on the work it runs, {ceiling}; "
                "set usage.scale_from_zero_hours to price it")
    return (f"scales from zero (0 now, max {c.max:g}): priced at the maximum for {used:g} h a month "
            f"(config usage.scale_from_zero_hours); {ceiling}")


def _source(price: Price | None, spot: Discount | None) -> str | None:
    if price is None:
        return None
    return price.source + (f"; spot discount: {spot.source}" if spot else "")


def rounded(value: float | None, digits: int = 2) -> float | None:
    """Dollars to the cent (unit prices to 6 digits); None stays None."""
    return None if value is None else round(value, digits)
