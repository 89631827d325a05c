#!/usr/bin/env python3
"""Extract SageMaker ml.* on-demand prices from AWS Price List offer files into a CSV the catalog build reads.

A maintainer tool: the linter never runs it, and it reaches the network only with --download. It closes the
catalog's SageMaker gaps (us-west-2, eu-west-1, ml.p5e/p5en/inf1/trn1n) from AWS's own price list, dated by the
offer file's publicationDate, instead of third-party tables.

  python tools/catalog/fetch_aws_price_list.py --download us-east-1 us-west-2 eu-west-1
  python tools/catalog/fetch_aws_price_list.py --offer-file us-west-2.json   # an index.json fetched another way
  python tools/catalog/build_aws.py                                         # rebuilds aws.json from the CSV

Offer file: https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json
(products[sku].attributes: instanceName, component, regionCode; terms.OnDemand[sku][term].priceDimensions[*]
.pricePerUnit.USD per "Hrs"). One price per (type, region): the Hosting component (real-time endpoints), else
Training, Notebook, Processing. A type whose chosen component has two different prices is reported and left out,
never guessed.
"""
from __future__ import annotations

import argparse
import json
import re
import sys
import urllib.request
from pathlib import Path
from typing import Any

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
OUT = HERE / "aws_sagemaker_price_list.csv"
OFFER_URL = "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/{region}/index.json"
COMPONENT_PREFERENCE = ("Hosting", "Training", "Notebook", "Processing")
REGION = re.compile(r"[a-z]{2}(-[a-z]+)+-\d")
FIELDS = ["type", "region", "price", "component", "publication_date", "offer_version"]


def _dict(value: Any) -> dict[str, Any]:
    return value if isinstance(value, dict) else {}


def _hourly_usd(term_group: dict[str, Any]) -> set[float]:
    """Every positive USD-per-hour figure in one SKU's on-demand terms (malformed entries are skipped)."""
    prices: set[float] = set()
    for term in term_group.values():
        for dim in _dict(_dict(term).get("priceDimensions")).values():
            usd = _dict(_dict(dim).get("pricePerUnit")).get("USD")
            try:
                price = float(usd)
            except (TypeError, ValueError):
                continue
            if _dict(dim).get("unit") == "Hrs" and price > 0:
                prices.add(price)
    return prices


def extract(offer: dict[str, Any]) -> tuple[list[dict[str, str]], list[str]]:
    """Rows for the CSV, and one line per (type, region) left out because its price is ambiguous."""
    offer = _dict(offer)
    published = str(offer.get("publicationDate") or "")[:10]
    version = str(offer.get("version") or "")
    on_demand = _dict(_dict(offer.get("terms")).get("OnDemand"))
    found: dict[tuple[str, str, str], set[float]] = {}
    for sku, product in _dict(offer.get("products")).items():
        attrs = _dict(_dict(product).get("attributes"))
        name, component, region = attrs.get("instanceName"), attrs.get("component"), attrs.get("regionCode")
        if not (isinstance(name, str) and name.startswith("ml.") and component in COMPONENT_PREFERENCE and region):
            continue
        prices = _hourly_usd(_dict(on_demand.get(sku)))
        if prices:
            found.setdefault((name, region, component), set()).update(prices)
    rows: list[dict[str, str]] = []
    problems: list[str] = []
    for name, region in sorted({(n, r) for n, r, _ in found}):
        component = next(c for c in COMPONENT_PREFERENCE if (name, region, c) in found)
        prices = found[(name, region, component)]
        if len(prices) > 1:
            problems.append(f"{name} {region} {component}: {len(prices)} different hourly prices "
                            f"({', '.join(f'{p:g}' for p in sorted(prices))}); left out")
            continue
        rows.append({"type": name, "region": region, "price": f"{prices.pop():g}", "component": component,
                     "publication_date": published, "offer_version": version})
    return rows, problems


def write_rows(path: Path, rows: list[dict[str, str]]) -> None:
    price_rows.write_rows(path, FIELDS, rows, "Written by tools/catalog/fetch_aws_price_list.py from AWS Price List "
                                              "offer files (AmazonSageMaker).")


def _load(source: str, download: bool) -> dict[str, Any]:
    if download:
        if not REGION.fullmatch(source):
            raise ValueError(f"not an AWS region code: {source!r}")
        with urllib.request.urlopen(OFFER_URL.format(region=source), timeout=300) as resp:
            return json.load(resp)
    with open(source, encoding="utf-8") as fh:
        return json.load(fh)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group(required=True)
    group.add_argument("--offer-file", nargs="+", metavar="PATH", help="offer files (index.json) already on disk")
    group.add_argument("--download", nargs="+", metavar="REGION", help="fetch these regions' offer files (network)")
    parser.add_argument("--out", type=Path, default=OUT)
    args = parser.parse_args(argv)
    rows = price_rows.read_rows(args.out, optional=True)
    status = 0
    for source in args.download or args.offer_file:
        try:
            offer = _load(source, bool(args.download))
        except (OSError, ValueError) as exc:
            print(f"{source}: cannot read the offer file: {exc}", file=sys.stderr)
            status = 1
            continue
        new, problems = extract(offer)
        for line in problems:
            print(f"{source}: {line}", file=sys.stderr)
        if not new:
            print(f"{source}: no SageMaker ml.* on-demand prices found", file=sys.stderr)
            status = 1
            continue
        rows = price_rows.merge(rows, new, key="type")
        print(f"{source}: {len(new)} types, published {new[0]['publication_date']}")
    write_rows(args.out, rows)
    return status


if __name__ == "__main__":
    sys.exit(main())
