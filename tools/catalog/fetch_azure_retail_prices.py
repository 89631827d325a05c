#!/usr/bin/env python3
"""Extract Linux pay-as-you-go and Spot VM prices from the Azure Retail Prices API into a CSV the build reads.

A maintainer tool: the linter never runs it, and it reaches the network only with --download. It refreshes the
catalog's Azure rows (westeurope GPU sizes are December-2023 figures; westus2 has no H100 v5 row) from Microsoft's
own retail price API, dated by the day the prices were read.

  python tools/catalog/fetch_azure_retail_prices.py --download westeurope westus2 eastus
  python tools/catalog/fetch_azure_retail_prices.py --response-file page1.json page2.json --retrieved 2026-11-26
  python tools/catalog/build_azure.py                                   # rebuilds azure.json from the CSV

Only sizes the catalog has specs for are kept (others have no vCPU/GPU facts to go with a price). Per (size,
region): the Consumption meter whose productName is not Windows and whose skuName is not Low Priority; the Spot
meter gives spot_price. A size with two different prices for the same meter kind is reported and left out.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
OUT = HERE / "azure_retail_prices.csv"
CATALOG = HERE.parent.parent / "linter" / "pricing" / "data" / "azure.json"
API = "https://prices.azure.com/api/retail/prices"
REGION = re.compile(r"[a-z]+[a-z0-9]*")
FIELDS = ["vm_size", "region", "price", "spot_price", "effective_start_date", "retrieved"]
MAX_PAGES = 500


def _kind(item: dict[str, Any]) -> str | None:
    """'linux', 'spot' or None (Windows, Low Priority, reservations, non-hourly, non-USD)."""
    if item.get("type") != "Consumption" or item.get("unitOfMeasure") != "1 Hour":
        return None
    if item.get("currencyCode", "USD") != "USD" or "Windows" in str(item.get("productName", "")):
        return None
    sku = str(item.get("skuName", ""))
    if "Low Priority" in sku:
        return None
    return "spot" if "Spot" in sku else "linux"


def extract(items: list[dict[str, Any]], sizes: set[str], retrieved: str) -> tuple[list[dict[str, str]], list[str]]:
    """Rows for the CSV and one line per (size, region) left out because a price is ambiguous."""
    lowered = {s.lower(): s for s in sizes}
    seen: dict[tuple[str, str], dict[str, set[float]]] = {}
    starts: dict[tuple[str, str], str] = {}
    for item in items:
        if not isinstance(item, dict):
            continue
        size = lowered.get(str(item.get("armSkuName", "")).lower())
        region, kind, price = item.get("armRegionName"), _kind(item), item.get("retailPrice")
        if size is None or not region or kind is None or not isinstance(price, (int, float)) or price <= 0:
            continue
        seen.setdefault((size, region), {}).setdefault(kind, set()).add(float(price))
        if kind == "linux":
            starts[(size, region)] = str(item.get("effectiveStartDate", ""))[:10]
    settled, problems = price_rows.settle(seen, "linux", "meters")
    rows = [{"vm_size": size, "region": region, "price": f"{price:g}", "spot_price": f"{spot:g}" if spot else "",
             "effective_start_date": starts.get((size, region), ""), "retrieved": retrieved}
            for (size, region), (price, spot) in settled.items()]
    return rows, problems


def catalog_sizes() -> set[str]:
    return set(json.loads(CATALOG.read_text())["machine_types"])


def _download(region: str) -> list[dict[str, Any]]:
    if not REGION.fullmatch(region):
        raise ValueError(f"not an Azure region name: {region!r}")
    query = f"serviceName eq 'Virtual Machines' and armRegionName eq '{region}' and priceType eq 'Consumption'"
    url: str | None = f"{API}?{urllib.parse.urlencode({'$filter': query})}"
    items: list[dict[str, Any]] = []
    for _ in range(MAX_PAGES):
        if not url:
            return items
        with urllib.request.urlopen(url, timeout=120) as resp:
            page = json.load(resp)
        items.extend(page.get("Items") or [])
        url = page.get("NextPageLink")
    raise ValueError(f"{region}: more than {MAX_PAGES} pages")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--download", nargs="+", metavar="REGION", help="query these regions (network)")
    price_rows.add_saved_response_args(group, parser, OUT)
    args = parser.parse_args(argv)
    retrieved = price_rows.retrieved_date(parser, args)
    sizes = catalog_sizes()
    rows = price_rows.read_rows(args.out, optional=True)
    status = 0
    items: list[dict[str, Any]] = []
    for source in args.download or args.response_file:  # pages of one region may come as several files
        try:
            if args.download:
                items.extend(_download(source))
            else:
                with open(source, encoding="utf-8") as fh:
                    items.extend(json.load(fh).get("Items") or [])
        except (OSError, ValueError, AttributeError) as exc:
            print(f"{source}: cannot read the price list: {exc}", file=sys.stderr)
            status = 1
    new, problems = extract(items, sizes, retrieved)
    for line in problems:
        print(line, file=sys.stderr)
    if not new:
        print("no prices for catalog sizes found", file=sys.stderr)
        return 1
    rows = price_rows.merge(rows, new, key="vm_size")
    for region in sorted({r["region"] for r in new}):
        print(f"{region}: {sum(r['region'] == region for r in new)} sizes, retrieved {retrieved}")
    price_rows.write_rows(args.out, FIELDS, rows,
                          "Written by tools/catalog/fetch_azure_retail_prices.py from the Azure Retail Prices API.")
    return status


if __name__ == "__main__":
    sys.exit(main())
