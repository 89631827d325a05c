#!/usr/bin/env python3
"""Extract the Compute Engine rows build_gcp.py uses from Cyclenerd's pricing.yml, every region of it.

Why a tool and not a transcription: the file lists 337 machine types in 39 regions; copying rows by hand is how
errors get in. This reads the same generation the catalog has always cited (commit 0166a59e, header "generated:
Thu Mar 6 03:53:56 2025"), so every price keeps that source and date, and writes two tables:

  gcp_cyclenerd_instances.csv  machine_type,region,hour,hour_spot  (compute.instance.<type>.cost.<region>)
  gcp_cyclenerd_specs.csv      machine_type,vcpus,memory_gb,gpu_key,gpu_count  (the same entries' cpu, ram and
                               a100 / a100-80gb / h100-80gb / h100-80gb-mega / l4 keys)

for the families in FAMILIES. Get the file from a clone of the repository, e.g.

    git -C google-cloud-pricing-cost-calculator show 0166a59ebba7c36f2cc8c931d9f258dcebc44776:pricing.yml > p.yml
    python tools/catalog/extract_gcp_cyclenerd.py p.yml && python tools/catalog/build_gcp.py
"""
from __future__ import annotations

import argparse
from pathlib import Path

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)
import yaml

HERE = Path(__file__).resolve().parent
COMMIT = "0166a59ebba7c36f2cc8c931d9f258dcebc44776"
GENERATED = "Thu Mar  6 03:53:56 2025"
# GPU families, and the x86 general-purpose families GKE node pools and GPU hosts use. Arm (t2a, c4a), memory-
# and storage-optimized families and custom types are left out: a pod priced on them "as the cheapest fit" would
# be a type no one picks for it.
FAMILIES = ("a2", "a3", "g2", "n1", "n2", "n2d", "e2", "c3")
GPU_KEYS = ("a100", "a100-80gb", "h100-80gb", "h100-80gb-mega", "l4")


def extract(pricing: dict) -> tuple[list[dict[str, str]], list[dict[str, str]]]:
    """(price rows, spec rows) of the FAMILIES' machine types, sorted."""
    header = pricing["about"]["generated"]
    if header != GENERATED:
        raise SystemExit(f"pricing.yml generated {header!r}, not the cited {GENERATED!r}: update COMMIT and the "
                         "source's date in build_gcp.py together")
    prices, specs = [], []
    for name, entry in sorted(pricing["compute"]["instance"].items()):
        if name.split("-")[0] not in FAMILIES:
            continue
        gpus = [(key, entry[key]) for key in GPU_KEYS if entry.get(key)]
        if len(gpus) > 1:
            raise SystemExit(f"{name}: more than one GPU key {gpus}")
        gpu_key, gpu_count = gpus[0] if gpus else ("", 0)
        specs.append({"machine_type": name, "vcpus": str(entry["cpu"]), "memory_gb": str(entry["ram"]),
                      "gpu_key": gpu_key, "gpu_count": str(gpu_count)})
        for region, cost in sorted(entry.get("cost", {}).items()):
            hour = cost.get("hour")
            if not hour:
                continue  # listed without an on-demand price there: not offered
            spot = cost.get("hour_spot")
            prices.append({"machine_type": name, "region": region, "hour": repr(hour),
                           "hour_spot": repr(spot) if spot else ""})
    return prices, specs


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("pricing_yml", type=Path, help=f"Cyclenerd pricing.yml at commit {COMMIT}")
    args = parser.parse_args()
    with args.pricing_yml.open(encoding="utf-8") as fh:
        pricing = yaml.load(fh, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    prices, specs = extract(pricing)
    origin = (f"Extracted by extract_gcp_cyclenerd.py from repo:Cyclenerd/google-cloud-pricing-cost-calculator/"
              f"pricing.yml@{COMMIT} (generated: {GENERATED})")
    price_rows.write_rows(HERE / "gcp_cyclenerd_instances.csv", ["machine_type", "region", "hour", "hour_spot"],
                          prices, origin + "; hour = compute.instance.<type>.cost.<region>.hour (on-demand USD/h, "
                                           "whole VM incl. bundled GPUs); hour_spot = .hour_spot")
    price_rows.write_rows(HERE / "gcp_cyclenerd_specs.csv",
                          ["machine_type", "vcpus", "memory_gb", "gpu_key", "gpu_count"], specs,
                          origin + "; vcpus = cpu, memory_gb = ram, gpu_key/gpu_count = its GPU key and count")
    print(f"{len(prices)} price rows, {len(specs)} machine types")


if __name__ == "__main__":
    main()
