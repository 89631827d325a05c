"""CSV row files shared by the catalog fetch tools: read, merge by region, write with a provenance comment."""
from __future__ import annotations

import argparse
import csv
import datetime
import re
from pathlib import Path


def read_rows(path: Path, optional: bool = False) -> list[dict[str, str]]:
    """Rows of a transcribed or fetched table; ``#`` lines are provenance comments. ``optional``: a fetch tool's
    output, absent until someone runs the tool (a missing source table is an error)."""
    if optional and not path.exists():
        return []
    with path.open(newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def number(text: str) -> float:
    """A price as transcribed: ``3`` stays an int in the JSON, ``3.5`` a float."""
    value = float(text)
    return int(value) if value.is_integer() else value


def merge(existing: list[dict[str, str]], new: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    """New rows replace the old ones of the same regions; other regions are kept. Sorted by region, then ``key``."""
    regions = {r["region"] for r in new}
    kept = [r for r in existing if r["region"] not in regions]
    return sorted(kept + new, key=lambda r: (r["region"], r[key]))


def compact_on_demand(on_demand: dict[str, dict[str, dict]]) -> tuple[dict[str, dict[str, object]], dict[str, str]]:
    """The on-demand table with the most common (source, as_of) written once, as ``on_demand_default``, and each
    entry that has it reduced to its bare price: thousands of repeated source names made the catalog slow to
    load (linter/pricing/catalog.py reads a bare number as a price with the default source)."""
    counts: dict[tuple[str, str], int] = {}
    for prices in on_demand.values():
        for e in prices.values():
            if set(e) == {"usd_per_hour", "source", "as_of"}:
                counts[(e["source"], e["as_of"])] = counts.get((e["source"], e["as_of"]), 0) + 1
    if not counts:
        return on_demand, {}
    source, as_of = max(counts, key=lambda k: counts[k])
    table = {region: {name: e["usd_per_hour"] if set(e) == {"usd_per_hour", "source", "as_of"} and
                      (e["source"], e["as_of"]) == (source, as_of) else e for name, e in prices.items()}
             for region, prices in on_demand.items()}
    return table, {"source": source, "as_of": as_of}


def write_rows(path: Path, fields: list[str], rows: list[dict[str, str]], comment: str) -> None:
    with path.open("w", newline="") as fh:
        fh.write(f"# {comment}\n")
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)


def settle(found: dict[tuple[str, str], dict[str, set[float]]], primary: str,
           what: str) -> tuple[dict[tuple[str, str], tuple[float, float | None]], list[str]]:
    """One (price, spot price) per (name, region) from every figure seen per kind ('primary' or 'spot').

    A kind seen with two different figures, or no ``primary`` figure at all, leaves the key out with a line saying
    why: ambiguity is reported, never resolved by a guess.
    """
    settled: dict[tuple[str, str], tuple[float, float | None]] = {}
    problems: list[str] = []
    for (name, region), kinds in sorted(found.items()):
        ambiguous = [k for k, prices in kinds.items() if len(prices) > 1]
        if ambiguous or primary not in kinds:
            why = f"{', '.join(ambiguous)} {what} disagree" if ambiguous else f"no {primary} {what}"
            problems.append(f"{name} {region}: {why}; left out")
            continue
        spot = kinds.get("spot")
        settled[(name, region)] = (next(iter(kinds[primary])), next(iter(spot)) if spot else None)
    return settled, problems


def api_source(title: str, url: str, tool: str, csv_name: str, what: str, rows: list[dict[str, str]]) -> dict:
    """A catalog SOURCES entry for rows a fetch tool read from a price API: as_of is the day each region was read."""
    per_region = sorted({(r["region"], r["retrieved"]) for r in rows})
    return {
        "title": title,
        "url": url,
        "retrieved": max(d for _, d in per_region),
        "notes": f"Read by tools/catalog/{tool} into tools/catalog/{csv_name} ({what}); as_of = the day the API was "
                 "read: " + "; ".join(f"{reg} {d}" for reg, d in per_region) + ".",
    }


def apply(rows: list[dict[str, str]], name_field: str, prices: dict[str, dict], specs: dict[str, dict],
          source: str) -> None:
    """Put a fetch tool's rows into a region -> name -> entry table; the spec's reason for having no price there goes."""
    for r in rows:
        name, region = r[name_field], r["region"]
        if name not in specs:
            raise SystemExit(f"{source}: price for {name} without a spec")
        prices.setdefault(region, {})[name] = {"usd_per_hour": number(r["price"]), "source": source,
                                               "as_of": r["retrieved"]}
        unpriced = specs[name].get("unpriced", {})
        unpriced.pop(region, None)
        if not unpriced:
            specs[name].pop("unpriced", None)


def add_saved_response_args(group: argparse._MutuallyExclusiveGroup, parser: argparse.ArgumentParser,
                            out: Path) -> None:
    """--response-file (saved API pages), --retrieved (their date, the prices' as_of) and --out."""
    group.add_argument("--response-file", nargs="+", metavar="PATH", help="saved API response pages (JSON)")
    parser.add_argument("--retrieved", help="YYYY-MM-DD the saved pages were fetched (required with --response-file)")
    parser.add_argument("--out", type=Path, default=out)


def retrieved_date(parser: argparse.ArgumentParser, args: argparse.Namespace) -> str:
    """The as_of of the prices: --retrieved for saved pages, today for a download."""
    if args.response_file:
        if not (args.retrieved and re.fullmatch(r"\d{4}-\d{2}-\d{2}", args.retrieved)):
            parser.error("--response-file needs --retrieved YYYY-MM-DD: the date is the price's as_of")
        return str(args.retrieved)
    return datetime.date.today().isoformat()
