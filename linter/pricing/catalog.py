"""The embedded price catalog: machine specs, on-demand prices, spot discounts.

One JSON file per cloud under ``data/``, loaded only when a resource of that cloud is
priced, so a one-file scan reads one file. Every entry carries ``source`` and ``as_of``;
config overrides are entries too, with the config file as their source.
"""

from __future__ import annotations

import json
import os
from typing import Any

from linter import files as fs
from linter.records import record

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@record(frozen=True, slots=True)
class Price:
    usd_per_hour: float
    source: str
    as_of: str
    note: str | None = None


@record(frozen=True, slots=True)
class Discount:
    fraction: float
    source: str
    as_of: str
    family: str


def price_entry(data: dict[str, Any], region: str, machine_type: str) -> dict[str, Any] | None:
    """A machine type's on-demand entry (usd_per_hour, source, as_of) in a region. The build writes an entry whose
    source is the table's most common one as a bare number (``on_demand_default`` names that source once): the
    catalog then loads in a third of the time."""
    entry = data.get("on_demand", {}).get(region, {}).get(machine_type)
    if entry is None or isinstance(entry, dict):
        return entry
    return {"usd_per_hour": entry, **data["on_demand_default"]}


class Catalog:
    """Look-ups over the embedded data plus the user's overrides and discount."""

    def __init__(self, overrides: dict[str, dict[str, dict[str, float]]] | None = None,
                 discount_percent: float = 0.0, spot_overrides: dict[str, dict[str, float]] | None = None,
                 config_name: str = ".finops-lint.yaml") -> None:
        self._data: dict[str, dict[str, Any]] = {}
        self._overrides = overrides or {}
        self._spot_overrides = spot_overrides or {}
        self.discount_percent = discount_percent
        self._config_name = config_name
        self._hourly: dict[tuple[str, str | None, str | None], Price | None] = {}  # prices are asked for again
        # and again (every rule and suggestion of every resource): looked up once per type and region
        # the same, per family and region (Discount is frozen)
        self._spot: dict[tuple[str, str | None, str | None], Discount | None] = {}

    def data(self, provider: str) -> dict[str, Any]:
        cached = self._data.get(provider)
        if cached is None:
            path = os.path.join(DATA_DIR, f"{provider}.json")
            if fs.exists(path):
                with open(path, encoding="utf-8") as fh:
                    cached = json.load(fh)
            else:
                cached = {"machine_types": {}, "on_demand": {}, "spot_discounts": {}, "sources": {}}
            self._data[provider] = cached
        return cached

    # -- specs -------------------------------------------------------------------------
    def machine(self, provider: str, machine_type: str | None) -> dict[str, Any] | None:
        if not machine_type:
            return None
        types = self.data(provider).get("machine_types", {})
        spec = types.get(machine_type)
        if spec is None and provider == "azure":  # Azure sizes are case-insensitive
            lowered = machine_type.lower()
            spec = next((v for k, v in types.items() if k.lower() == lowered), None)
        return spec

    def canonical_type(self, provider: str, machine_type: str) -> str:
        if provider == "azure":
            lowered = machine_type.lower()
            for k in self.data(provider).get("machine_types", {}):
                if k.lower() == lowered:
                    return k
        return machine_type

    def accelerator_spec(self, provider: str, name: str) -> dict[str, Any] | None:
        return self.data(provider).get("accelerators", {}).get("specs", {}).get(name)

    def family_members(self, provider: str, family: str) -> list[tuple[str, dict[str, Any]]]:
        return [(k, v) for k, v in self.data(provider).get("machine_types", {}).items()
                if v.get("family") == family]

    # -- prices ------------------------------------------------------------------------
    def _apply_discount(self, price: Price) -> Price:
        if not self.discount_percent:
            return price
        factor = 1 - self.discount_percent / 100
        return Price(price.usd_per_hour * factor, price.source, price.as_of,
                     f"{self.discount_percent:g}% enterprise discount from config applied")

    def hourly(self, provider: str, region: str | None, machine_type: str | None) -> Price | None:
        key = (provider, region, machine_type)
        if key not in self._hourly:
            self._hourly[key] = self._lookup_hourly(provider, region, machine_type)
        return self._hourly[key]

    def _lookup_hourly(self, provider: str, region: str | None, machine_type: str | None) -> Price | None:
        if not region or not machine_type:
            return None
        machine_type = self.canonical_type(provider, machine_type)
        override = self._overrides.get(provider, {}).get(region, {}).get(machine_type)
        if override is not None:
            return Price(float(override), f"price override in {self._config_name}", "config")
        entry = price_entry(self.data(provider), region, machine_type)
        if entry is None:
            return None
        return self._apply_discount(Price(float(entry["usd_per_hour"]), entry["source"], entry["as_of"]))

    def unpriced_reason(self, provider: str, region: str | None, machine_type: str | None) -> str | None:
        """Why the catalog has no price for a known machine type or accelerator: not offered in the region, or no
        public on-demand price."""
        spec = self.machine(provider, machine_type) or self.accelerator_spec(provider, machine_type or "")
        reasons = (spec or {}).get("unpriced") or {}
        return reasons.get(region or "") or reasons.get("*")

    def missing_price(self, provider: str, region: str | None, machine_type: str | None) -> str:
        """'no catalog price for X in R', with the catalog's reason when it has one."""
        text = f"no catalog price for {machine_type or 'the instance type'} in {region or 'an unknown region'}"
        why = self.unpriced_reason(provider, region, machine_type)
        return f"{text} ({why})" if why else text

    def accelerator_hourly(self, provider: str, region: str | None, name: str) -> Price | None:
        if not region:
            return None
        override = self._overrides.get(provider, {}).get(region, {}).get(name)
        if override is not None:
            return Price(float(override), f"price override in {self._config_name}", "config")
        entry = self.data(provider).get("accelerators", {}).get("on_demand", {}).get(region, {}).get(name)
        if entry is None:
            return None
        return self._apply_discount(Price(float(entry["usd_per_hour"]), entry["source"], entry["as_of"]))

    def spot_discount(self, provider: str, family: str | None, category: str = "gpu",
                      region: str | None = None) -> Discount | None:
        """The family's own spot discount: the user's, else the catalog's in ``region`` when its source gives that
        region's spot prices (GCP: TPU v6e is 50% off in us-east5, 79% in us-east1), else the catalog's for the
        family, else the user's ``default`` for the cloud. Never a catalog-wide average: a family the sources
        publish no spot price for has no discount (``category`` is kept for callers; it picks no fallback)."""
        key = (provider, family, region)
        if key not in self._spot:
            self._spot[key] = self._lookup_spot_discount(provider, family, region)
        return self._spot[key]

    def _lookup_spot_discount(self, provider: str, family: str | None, region: str | None) -> Discount | None:
        user = self._spot_overrides.get(provider, {})
        if family and family in user:
            return Discount(float(user[family]), f"spot discount override in {self._config_name}", "config",
                            family)
        table = self.data(provider).get("spot_discounts", {})
        regional = self.data(provider).get("spot_discounts_by_region", {}).get(region or "", {})
        if family and family in regional and family in table:  # the family entry names the same source
            e = table[family]
            return Discount(float(regional[family]), e["source"], e["as_of"], family)
        if family and family in table and not family.startswith("default"):
            e = table[family]
            return Discount(float(e["discount"]), e["source"], e["as_of"], family)
        if "default" in user:
            return Discount(float(user["default"]), f"default spot discount in {self._config_name} "
                            f"(prices.spot_discounts.{provider}.default)", "config", family or "default")
        return None

    def no_spot_reason(self, provider: str, family: str | None) -> str:
        """Why no spot discount applies to ``family``, and how the user can supply one."""
        return (f"the catalog has no spot discount for {family or 'this machine family'} on {provider} (its sources "
                f"publish no spot price for it); set prices.spot_discounts.{provider}.{family or 'default'} in "
                f"{self._config_name} to price it")

    def regions(self, provider: str) -> list[str]:
        return sorted(self.data(provider).get("on_demand", {}))

    def regions_pricing(self, provider: str, machine_type: str) -> list[str]:
        """The catalog regions that price this machine type."""
        machine_type = self.canonical_type(provider, machine_type)
        return sorted(r for r, prices in self.data(provider).get("on_demand", {}).items() if machine_type in prices)

    def where_priced(self, provider: str, region: str | None, machine_type: str) -> str:
        """Words for a missing price that say where to look: the regions that price the type, or that the type is
        not in the catalog at all (and the config key that prices it)."""
        priced = self.regions_pricing(provider, machine_type)
        if priced:
            return f"the catalog prices it in {', '.join(priced)}"
        regions = ", ".join(self.regions(provider))
        return (f"it is in none of the catalog's {provider} regions ({regions}); set "
                f"prices.overrides.{provider}.{region or 'REGION'}.{machine_type} (USD per hour) in "
                f"{self._config_name} to price it")
