#!/usr/bin/env python3
"""Extract attachable-GPU prices (N1 GPUs) from the Cloud Billing Catalog API into a CSV the build reads.

A maintainer tool: the linter never runs it, and it reaches the network only with --download (which needs an API
key in GOOGLE_API_KEY: the Catalog API is public but keyed). It closes the catalog's europe-west4 gap for T4, V100,
P100 and P4, for which only undated third-party rows exist, with Google's own SKUs, dated by the day they were read.

  GOOGLE_API_KEY=... python tools/catalog/fetch_gcp_billing_catalog.py --download
  python tools/catalog/fetch_gcp_billing_catalog.py --response-file skus-1.json skus-2.json --retrieved 2026-11-26
  python tools/catalog/build_gcp.py                       # rebuilds gcp.json from the CSV

SKUs used: category.resourceGroup "GPU", description "Nvidia Tesla <T4|V100|P100|P4> GPU running in <place>"
(usageType OnDemand) or the same with a "Spot Preemptible " prefix (usageType Preemptible); one row per
(accelerator, region in serviceRegions). Virtual Workstation and commitment SKUs are skipped; two different prices
for the same row are reported and the row left out.
"""
from __future__ import annotations

import argparse
import json
import os
import re
import sys
import urllib.parse
import urllib.request
from pathlib import Path
from typing import Any

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
OUT = HERE / "gcp_billing_gpu_prices.csv"
COMPUTE_ENGINE = "6F81-5844-456A"  # Cloud Billing service id of Compute Engine
API = f"https://cloudbilling.googleapis.com/v1/services/{COMPUTE_ENGINE}/skus"
GPU_SKU = re.compile(r"^(?P<spot>Spot Preemptible )?Nvidia Tesla (?P<model>T4|V100|P100|P4) GPU running in ")
ACCELERATOR = {"T4": "nvidia-tesla-t4", "V100": "nvidia-tesla-v100", "P100": "nvidia-tesla-p100",
               "P4": "nvidia-tesla-p4"}
FIELDS = ["accelerator", "region", "price", "spot_price", "effective_time", "retrieved"]
MAX_PAGES = 100


def _hourly_usd(sku: dict[str, Any]) -> float | None:
    """The last tier's price of the SKU's current pricing, when it is USD per hour."""
    try:
        expr = sku["pricingInfo"][0]["pricingExpression"]
        price = expr["tieredRates"][-1]["unitPrice"]
        if expr.get("usageUnit") != "h" or price.get("currencyCode", "USD") != "USD":
            return None
        value = int(price.get("units") or 0) + int(price.get("nanos") or 0) / 1e9
    except (KeyError, IndexError, TypeError, ValueError, AttributeError):
        return None  # a SKU without a usable per-hour price
    return value if value > 0 else None


def extract(skus: list[dict[str, Any]], retrieved: str) -> tuple[list[dict[str, str]], list[str]]:
    """Rows for the CSV and one line per (accelerator, region) left out because a price is ambiguous."""
    found: dict[tuple[str, str], dict[str, set[float]]] = {}
    effective: dict[tuple[str, str], str] = {}
    for sku in skus:
        if not isinstance(sku, dict):
            continue
        category = sku.get("category") if isinstance(sku.get("category"), dict) else {}
        m = GPU_SKU.match(str(sku.get("description", "")))
        if not m or category.get("resourceGroup") != "GPU":
            continue
        kind = "spot" if m.group("spot") else "on_demand"
        if category.get("usageType") != ("Preemptible" if kind == "spot" else "OnDemand"):
            continue
        price = _hourly_usd(sku)
        if price is None:
            continue
        name = ACCELERATOR[m.group("model")]
        regions = sku.get("serviceRegions")
        for region in regions if isinstance(regions, list) else []:
            found.setdefault((name, region), {}).setdefault(kind, set()).add(price)
            if kind == "on_demand":
                effective[(name, region)] = str((sku.get("pricingInfo") or [{}])[0].get("effectiveTime", ""))[:10]
    settled, problems = price_rows.settle(found, "on_demand", "SKUs")
    rows = [{"accelerator": name, "region": region, "price": f"{price:g}", "spot_price": f"{spot:g}" if spot else "",
             "effective_time": effective.get((name, region), ""), "retrieved": retrieved}
            for (name, region), (price, spot) in settled.items()]
    return rows, problems


def _download(api_key: str) -> list[dict[str, Any]]:
    skus: list[dict[str, Any]] = []
    token = ""
    for _ in range(MAX_PAGES):
        query = {"key": api_key, "pageSize": 5000, **({"pageToken": token} if token else {})}
        with urllib.request.urlopen(f"{API}?{urllib.parse.urlencode(query)}", timeout=120) as resp:
            page = json.load(resp)
        skus.extend(page.get("skus") or [])
        token = page.get("nextPageToken") or ""
        if not token:
            return skus
    raise ValueError(f"more than {MAX_PAGES} pages")


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--download", action="store_true", help="read the Compute Engine SKUs (network, API key)")
    price_rows.add_saved_response_args(group, parser, OUT)
    args = parser.parse_args(argv)
    retrieved = price_rows.retrieved_date(parser, args)
    skus: list[dict[str, Any]] = []
    try:
        if args.download:
            key = os.environ.get("GOOGLE_API_KEY")
            if not key:
                parser.error("--download needs an API key in GOOGLE_API_KEY")
            skus = _download(key)
        else:
            for path in args.response_file:
                with open(path, encoding="utf-8") as fh:
                    skus.extend(json.load(fh).get("skus") or [])
    except (OSError, ValueError, AttributeError) as exc:
        print(f"cannot read the SKU list: {exc}", file=sys.stderr)
        return 1
    new, problems = extract(skus, retrieved)
    for line in problems:
        print(line, file=sys.stderr)
    if not new:
        print("no attachable-GPU prices found", file=sys.stderr)
        return 1
    rows = price_rows.merge(price_rows.read_rows(args.out, optional=True), new, key="accelerator")
    price_rows.write_rows(args.out, FIELDS, rows,
                          "Written by tools/catalog/fetch_gcp_billing_catalog.py from the Cloud Billing Catalog API.")
    for region in sorted({r["region"] for r in new}):
        print(f"{region}: {sum(r['region'] == region for r in new)} accelerators")
    return 0


if __name__ == "__main__":
    sys.exit(main())
