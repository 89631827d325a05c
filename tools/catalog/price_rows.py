"""CSV row files shared by the catalog fetch tools: read, merge by region, write with a provenance comment."""
from __future__ import annotations

import csv
from pathlib import Path


def read_rows(path: Path) -> list[dict[str, str]]:
    if not path.exists():
        return []
    with path.open(newline="") as fh:
        return list(csv.DictReader(line for line in fh if not line.startswith("#")))


def merge(existing: list[dict[str, str]], new: list[dict[str, str]], key: str) -> list[dict[str, str]]:
    """New rows replace the old ones of the same regions; other regions are kept. Sorted by region, then ``key``."""
    regions = {r["region"] for r in new}
    kept = [r for r in existing if r["region"] not in regions]
    return sorted(kept + new, key=lambda r: (r["region"], r[key]))


def write_rows(path: Path, fields: list[str], rows: list[dict[str, str]], comment: str) -> None:
    with path.open("w", newline="") as fh:
        fh.write(f"# {comment}\n")
        writer = csv.DictWriter(fh, fields, lineterminator="\n")
        writer.writeheader()
        writer.writerows(rows)
