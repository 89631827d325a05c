#!/usr/bin/env python3
"""Extract the Azure VM rows build_azure.py uses from SkyPilot's v6 Azure catalog, every region of it.

Why a tool and not a transcription: the file has 5,969 rows (9 US regions); the catalog used to copy the eastus and
westus2 rows of its sizes by hand, so users in the other seven regions got no price. This reads the same file the
catalog has always cited (catalogs/v6/azure/vms.csv at commit 098741e7, checked by its SHA-256, so every price keeps
that source and date) and writes

  azure_skypilot_vms.csv  vm_size,region,price,spot_price  (columns InstanceType, Region, Price, SpotPrice)

for the sizes build_azure.SPECS describes. A SpotPrice equal to Price (the H100 v5 sizes) is left empty, as the
hand transcription did: no spot price was published. Save the file (e.g. from a clone of skypilot-catalog,
``git show 098741e70562f65d7af1cceb81e33b284f742604:catalogs/v6/azure/vms.csv > vms.csv``), then

    python tools/catalog/extract_azure_skypilot.py vms.csv && python tools/catalog/build_azure.py
"""
from __future__ import annotations

import argparse
import csv
import hashlib
from pathlib import Path

import build_azure  # tools/catalog/build_azure.py: the sizes the catalog describes (SPECS)
import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
COMMIT = "098741e70562f65d7af1cceb81e33b284f742604"
SHA256 = "3d6f8920406d3aa805e7d9e2b8eba25e7f3484ec9759b18034a33408c5e51441"


def extract(text: str) -> list[dict[str, str]]:
    """Rows of the SPECS sizes with a price, in every region, sorted by size then region."""
    rows = []
    for r in csv.DictReader(text.splitlines()):
        if r["InstanceType"] not in build_azure.SPECS or not r["Price"]:
            continue  # a size the catalog does not describe, or listed without a price there
        spot = r["SpotPrice"] if r["SpotPrice"] and float(r["SpotPrice"]) < float(r["Price"]) else ""
        rows.append({"vm_size": r["InstanceType"], "region": r["Region"], "price": r["Price"], "spot_price": spot})
    return sorted(rows, key=lambda r: (r["vm_size"], r["region"]))


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vms_csv", type=Path, help=f"SkyPilot catalogs/v6/azure/vms.csv at commit {COMMIT}")
    args = parser.parse_args()
    data = args.vms_csv.read_bytes()
    if hashlib.sha256(data).hexdigest() != SHA256:
        raise SystemExit(f"{args.vms_csv} is not vms.csv@{COMMIT[:8]} (SHA-256 differs): another generation's "
                         "prices need their own source and date in build_azure.py")
    rows = extract(data.decode("utf-8"))
    price_rows.write_rows(
        HERE / "azure_skypilot_vms.csv", ["vm_size", "region", "price", "spot_price"], rows,
        f"Extracted by extract_azure_skypilot.py from repo:skypilot-org/skypilot-catalog/catalogs/v6/azure/vms.csv@{COMMIT}"
        " (every region of the file; the eastus/westus2 rows equal the earlier hand transcription)\n"
        "# price = column Price (Linux pay-as-you-go USD/h), spot_price = column SpotPrice; empty = not published or "
        "equal to on-demand (ignored).")
    print(f"{len(rows)} rows, regions: {', '.join(sorted({r['region'] for r in rows}))}")


if __name__ == "__main__":
    main()
