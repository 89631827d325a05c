#!/usr/bin/env python3
"""Extract Cloud TPU prices per chip-hour, every region, from SkyPilot's v8 GCP catalog (vms.csv).

Why a tool and not a transcription: TPUs bill per chip-hour, but the catalog lists whole slices (tpu-v5litepod-8,
tpu-v5p-16...) zone by zone, with SkyPilot's placeholder price 700.0 where it found none. This reads the slice
rows, turns each into a price per chip, and keeps a (generation, region) only when every slice size read gives the
same figure: a placeholder, or a row mistyped, disagrees with the other sizes and is left out with the reason.

  gcp_skypilot_tpu.csv  generation,region,chip_hour,chip_hour_spot

Chips per slice: the number in the name is chips for v5e (v5litepod) and v6e, TensorCores for v4 and v5p (2 a
chip), as Google's TPU docs name them. Save the file from a clone of skypilot-catalog, e.g.

    git -C skypilot-catalog show 8427bbff988abdd050a9f51addd314ef31cb4e85:catalogs/v8/gcp/vms.csv > vms.csv
    python tools/catalog/extract_gcp_skypilot_tpu.py vms.csv && python tools/catalog/build_gcp.py

Only the slice sizes in SIZES are read (a single host and the next size up, enough to check one against the
other); the larger slices are the same price per chip in the same file.
"""
from __future__ import annotations

import argparse
import csv
from pathlib import Path

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
COMMIT = "8427bbff988abdd050a9f51addd314ef31cb4e85"
# generation -> (AcceleratorName prefix, name units per chip, slice sizes read)
SIZES = {"v4": ("tpu-v4-", 2, (8, 16)), "v5litepod": ("tpu-v5litepod-", 1, (1, 8)),
         "v5p": ("tpu-v5p-", 2, (8, 16)), "v6e": ("tpu-v6e-", 1, (1, 8))}
TOLERANCE = 1e-4  # the file rounds spot prices to 5 decimals: 8 x 0.24493 = 1.95944 is listed as 1.95941


def _per_chip(rows: list[dict[str, str]], column: str, units: int) -> tuple[float | None, str | None]:
    """The one price per chip that every row gives in ``column``, or (None, why not)."""
    figures = sorted({float(r[column]) / (int(r["size"]) / units) for r in rows if r[column]})
    if not figures:
        return None, f"no {column}"
    if figures[-1] - figures[0] > TOLERANCE * figures[0]:
        return None, f"{column} per chip differs by slice size ({', '.join(f'{f:g}' for f in figures)})"
    smallest = min((r for r in rows if r[column]), key=lambda r: int(r["size"]))
    return round(float(smallest[column]) / (int(smallest["size"]) / units), 8), None


def extract(text: str) -> tuple[list[dict[str, str]], list[str]]:
    """(rows of generation, region, on-demand and spot USD per chip-hour; the lines saying what was left out)."""
    found: dict[tuple[str, str], list[dict[str, str]]] = {}
    for r in csv.DictReader(text.splitlines()):
        for gen, (prefix, _, sizes) in SIZES.items():
            name = r["AcceleratorName"]
            if name.startswith(prefix) and name[len(prefix):].isdigit() and int(name[len(prefix):]) in sizes:
                found.setdefault((gen, r["Region"]), []).append({**r, "size": name[len(prefix):]})
    out, dropped = [], []
    for (gen, region), rows in sorted(found.items()):
        units = SIZES[gen][1]
        od, why = _per_chip(rows, "Price", units)
        if od is None:
            dropped.append(f"{gen} {region}: {why}; left out")
            continue
        spot, why = _per_chip(rows, "SpotPrice", units)
        if spot is not None and spot >= od:
            spot, why = None, "SpotPrice not below Price"
        if spot is None:
            dropped.append(f"{gen} {region}: spot left empty ({why})")
        out.append({"generation": gen, "region": region, "chip_hour": repr(od),
                    "chip_hour_spot": repr(spot) if spot is not None else ""})
    return out, dropped


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vms_csv", type=Path, help=f"skypilot-catalog catalogs/v8/gcp/vms.csv at commit {COMMIT}")
    args = parser.parse_args()
    rows, dropped = extract(args.vms_csv.read_text(encoding="utf-8"))
    for line in dropped:
        print(line)
    price_rows.write_rows(
        HERE / "gcp_skypilot_tpu.csv", ["generation", "region", "chip_hour", "chip_hour_spot"], rows,
        f"Extracted by extract_gcp_skypilot_tpu.py from repo:skypilot-org/skypilot-catalog/catalogs/v8/gcp/vms.csv@"
        f"{COMMIT}; chip_hour = Price / chips of the smallest slice read (tpu-v4-8, tpu-v5litepod-1, tpu-v5p-8, "
        "tpu-v6e-1), equal per chip for the next size; chip_hour_spot = SpotPrice the same way (empty: none, or "
        "the sizes disagree)")
    print(f"{len(rows)} generation x region rows")


if __name__ == "__main__":
    main()
