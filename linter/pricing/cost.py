"""Price a resource as named cost components (Infracost style), each readable line by line."""

from __future__ import annotations

from dataclasses import dataclass

from linter.config import Config
from linter.model import Compute, CostComponent, Resource
from linter.pricing.catalog import Catalog, Discount, Price

_SERVICE_LABEL = {"endpoint": "Endpoint hosting", "endpoint_config": "Endpoint hosting", "notebook": "Notebook",
                  "node_pool": "Node", "autoscaling_group": "Instance", "batch": "Batch instance", "vm": "Instance"}


@dataclass(frozen=True, slots=True)
class UnitPrice:
    """Hourly price of one node, on demand, with its spot discount when one applies."""

    on_demand: Price | None
    spot: Discount | None
    accelerators: tuple[tuple[str, float, Price | None], ...] = ()

    @property
    def on_demand_hourly(self) -> float | None:
        if self.on_demand is None or any(p is None for _, _, p in self.accelerators):
            return None
        return self.on_demand.usd_per_hour + sum(c * p.usd_per_hour for _, c, p in self.accelerators if p)


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
    spot = catalog.spot_discount(provider, family, category) if c.service != "pod" or c.node_provider else None
    if c.service == "pod":  # Kubernetes: the unit is one pod, priced by linter/pricing/pod_cost.py
        u = c.unit_rate
        return UnitPrice(Price(u.usd_per_hour, u.source, u.as_of, u.note) if u else None, spot)
    price = catalog.hourly(provider, c.region, c.instance_type)
    accels = tuple((name, count, catalog.accelerator_hourly(provider, c.region, name))
                   for name, count in c.attached_accelerators.items())
    return UnitPrice(price, spot, accels)


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
    if c.instance_type is None:
        notes.append("instance type unknown; monthly cost unknown")
    elif up.on_demand is None:
        provider = price_provider(resource)
        text = catalog.missing_price(provider, c.region, c.instance_type)
        known = catalog.regions(provider)
        if known and not catalog.unpriced_reason(provider, c.region, c.instance_type):
            text += f" (catalog regions: {', '.join(known)})"
        notes.append(f"{text}; monthly cost unknown")
    if count is None:
        notes.append("instance count unknown; monthly cost unknown")
    share = on_demand_share(c)
    parts: list[tuple[str, float, float | None]] = []  # (purchase, share, multiplier)
    if share > 0:
        parts.append(("on-demand", share, 1.0))
    if share < 1:
        mult = (1 - up.spot.fraction) if up.spot else None
        parts.append(("spot", 1 - share, mult))
        if up.spot is None and up.on_demand is not None:
            notes.append(f"no spot discount in the catalog for {c.family}; spot share unpriced")
    for purchase, frac, mult in parts:
        qty = count * frac * hours if count is not None else None
        unit = up.on_demand.usd_per_hour * mult if up.on_demand and mult is not None else None
        components.append(component(
            f"{label} usage (Linux, {purchase}, {c.instance_type or 'unknown type'})", "hours", qty, unit,
            _source(up.on_demand, up.spot if purchase == "spot" else None),
            up.on_demand.as_of if up.on_demand else None))
        for name, per_node, price in up.accelerators:
            aqty = count * frac * hours * per_node if count is not None else None
            aunit = price.usd_per_hour * mult if price and mult is not None else None
            if price is None:
                why = catalog.unpriced_reason(price_provider(resource), c.region, name)
                notes.append(f"no catalog price for accelerator {name} in {c.region}"
                             + (f" ({why})" if why else "") + "; monthly cost unknown")
            components.append(component(f"GPU {name} x{per_node:g} ({purchase})", "GPU-hours", aqty, aunit,
                                        _source(price, up.spot if purchase == "spot" else None),
                                        price.as_of if price else None))
    resource.cost_components = components
    resource.monthly_cost_usd = total(components)
    if up.on_demand is not None and up.on_demand.note:
        notes.append(up.on_demand.note)


def _source(price: Price | None, spot: Discount | None) -> str | None:
    if price is None:
        return None
    return price.source + (f"; spot discount: {spot.source}" if spot else "")


def rounded(value: float | None, digits: int = 2) -> float | None:
    """Dollars to the cent (unit prices to 6 digits); None stays None."""
    return None if value is None else round(value, digits)
