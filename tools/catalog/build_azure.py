#!/usr/bin/env python3
"""Build linter/pricing/data/azure.json from transcribed public price tables.

Inputs (in this directory):
  azure_skypilot_vms.csv       vm_size,region,price,spot_price  (all 9 regions of the file: centralus, eastus,
      eastus2, northcentralus, southcentralus, westcentralus, westus, westus2, westus3) extracted by
      extract_azure_skypilot.py from
      repo:skypilot-org/skypilot-catalog/catalogs/v6/azure/vms.csv@098741e70562f65d7af1cceb81e33b284f742604
      (Price = Linux pay-as-you-go, SpotPrice = Spot; both from the Azure Retail Prices API).
  azure_karpenter_pricing.csv  vm_size,region,price (westeurope; eastus/westus2 sizes missing from SkyPilot) from
      repo:Azure/karpenter-provider-azure/pkg/providers/pricing/zz_generated.pricing.go
      @0499866a0874e27363395146ad4ecf5dac208e6d ("generated at 2023-12-18T14:34:50Z").
      Rows for a (size, region) also present in the SkyPilot table are cross-checks: the build fails
      unless both sources agree, and keeps the SkyPilot row.
  azure_burn_2026-05-25.csv    vm_size,region,price (westeurope, westus2 D/E v5) from a table generated
      2026-05-25 from the Azure Retail Prices API: must equal the older rows; westeurope rows then carry the
      newer date (the December-2023 figures were still the list prices in May 2026).
  azure_bigfleet_westeurope.csv is kept for the record but no longer read: its westeurope figures
      disagree with the Microsoft-generated table (e.g. D2s_v5 0.107 vs 0.115) and its NC A100 rows are
      exactly 1.1x its own eastus rows, i.e. approximations, as its comments say ("keep it roughly accurate").

Specs: vCPU / memory from the SkyPilot rows, GPU model / memory from Microsoft Learn size
pages (MicrosoftDocs/azure-docs). Discounts are 1 - spot/on_demand from the same rows in SPOT_REGIONS only
(eastus, westus2, the regions they were first computed over), so pricing more regions changes no discount.
Run: python tools/catalog/build_azure.py
"""
from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
OUT = os.path.join(HERE, "..", "..", "linter", "pricing", "data", "azure.json")

SKY = "skypilot-catalog-azure-v6"
SKY_DATE = "2026-11-09"
KARP = "karpenter-provider-azure-pricing"
KARP_DATE = "2023-12-18"
DOCS = "ms-learn-gpu-sizes"
BURN = "burn-azure-pricing-2026-05-25"
BURN_DATE = "2026-05-25"
DOCS_DATE = "2024-04-18"

SOURCES = {
    SKY: {
        "title": "SkyPilot catalog: Azure VM catalog (prices from the Azure Retail Prices API)",
        "url": "repo:skypilot-org/skypilot-catalog/catalogs/v6/azure/vms.csv@098741e70562f65d7af1cceb81e33b284f742604",
        "retrieved": "2026-11-26",
        "notes": "Columns InstanceType, vCPUs, MemoryGiB, AcceleratorName/Count, Price (Linux pay-as-you-go "
                 "USD/h), SpotPrice, Region. The file covers 9 US regions, all used (centralus, eastus, eastus2, "
                 "northcentralus, southcentralus, westcentralus, westus, westus2, westus3); spot discounts are "
                 "computed from its eastus and westus2 rows only. The file "
                 "carries no date: as_of 2026-11-09 is the date of an independent Azure Retail Prices API "
                 "capture in which the checked rows (e.g. Standard_NC24ads_A100_v4 eastus 3.673, "
                 "Standard_NC40ads_H100_v5 eastus 6.98) had the same Linux prices. SpotPrice equal to Price "
                 "(H100 v5 sizes) was treated as 'no spot price published'. SkyPilot's AcceleratorCount 12 "
                 "for Standard_ND96isr_H100_v5 is wrong and not used (8 GPUs per Microsoft Learn). "
                 "Extracted to tools/catalog/azure_skypilot_vms.csv by tools/catalog/extract_azure_skypilot.py.",
    },
    KARP: {
        "title": "Azure/karpenter-provider-azure: generated static on-demand price table "
                 "(initialOnDemandPrices, from the Azure Retail Prices API)",
        "url": "repo:Azure/karpenter-provider-azure/pkg/providers/pricing/zz_generated.pricing.go"
               "@0499866a0874e27363395146ad4ecf5dac208e6d",
        "retrieved": "2026-11-26",
        "notes": "Microsoft-maintained generated file, header 'generated at 2023-12-18T14:34:50Z' (as_of). "
                 "Used for westeurope (B-series, Dsv3/Dsv4/Dsv5, Esv5, NCv3, NCasT4_v3, NC A100 v4, NDv2, "
                 "ND A100 v4, NDm A100 v4, ND H100 v5, NVv3, NVadsA10_v5), for NV6/12/18ads_A10_v5 in eastus and "
                 "westus2 and ND96amsr_A100_v4 in westus2 (same values in SkyPilot v5 azure vms.csv"
                 "@3f5f6971). Its eastus/westus2 values for every other size used here equal the SkyPilot "
                 "Linux prices (asserted by the build), and westeurope/eastus ratios are uniform per family "
                 "(1.25 or 1.30), so these are Linux pay-as-you-go meters; the generator is known to pick "
                 "wrong meters for some other families (e.g. Dasv5), which are not used. Figures are the "
                 "December 2023 list prices: the eastus GPU rows are unchanged in the 2026 SkyPilot capture, "
                 "but westeurope was not re-checked against a newer source. Supersedes the bigfleet-providers "
                 "westeurope Dsv5/Esv5 rows used before (0.107 vs 0.115 for D2s_v5; that table is "
                 "self-described as approximate). The file has no ND96isr_H100_v5 or NC H100 v5 row for "
                 "westus2. Transcribed to tools/catalog/azure_karpenter_pricing.csv.",
    },
    BURN: {
        "title": "tanrikuluozlem/burn embedded Azure VM price table (Linux, On-Demand), generated from the Azure "
                 "Retail Prices API",
        "url": "repo:tanrikuluozlem/burn/internal/pricing/data/azure.yaml@003505430b9a3956cef439519ddaeeab917ce965",
        "retrieved": "2026-11-26",
        "notes": "Header '# Auto-generated: 2026-05-25' (as_of); an earlier generation @ec177d7e5b9371995134ae5af3fa"
                 "22b085765333 ('Auto-generated: 2026-05-11') has the same values. Generator "
                 "scripts/update-pricing.go@5872431bea234ec3f935597a3d1927476f14a75d queries serviceName 'Virtual "
                 "Machines', armRegionName, armSkuName, priceType 'Consumption', skipping Spot / Low Priority and "
                 "Windows. 11 regions x 27 general-purpose sizes, no GPU sizes. Its westeurope and westus2 "
                 "D2s/D4s/D8s_v5 and E2s/E4s_v5 figures equal the December-2023 Karpenter table and the SkyPilot "
                 "capture (asserted by the build); westeurope rows take this later date. Its Dasv5 rows are not "
                 "used (same wrong-meter pattern as the Karpenter table). Transcribed to "
                 "tools/catalog/azure_burn_2026-05-25.csv.",
    },
    DOCS: {
        "title": "Microsoft Learn GPU-accelerated VM size specs (MicrosoftDocs/azure-docs)",
        "url": "repo:MicrosoftDocs/azure-docs/articles/virtual-machines/sizes/gpu-accelerated/includes/ "
               "(ncv3-series-specs.md@06477775, ncast4-v3-series-specs.md@2aed53fe, "
               "nc-a100-v4-series-specs.md@1e4c7409, ncads-h100-v5-series-specs.md@70e871cf, "
               "ndv2-series-specs.md@06477775, nd-a100-v4-series-specs.md@f323a18b, "
               "ndm-a100-v4-series-specs.md@9114cfaf, nd-h100-v5-series-specs.md@44d91739, "
               "nvv3-series-specs.md@880e7c90) and articles/virtual-machines/nva10v5-series.md@17107007",
        "retrieved": "2026-11-26",
        "notes": "Per-GPU memory: V100 16 GiB (NCv3), V100 32 GiB (NDv2), T4 16 GiB, A100 PCIe 80 GiB "
                 "(NC A100 v4), H100 NVL 94 GiB (NCads H100 v5), A100 40 GiB (ND A100 v4), A100 80 GiB "
                 "(NDm A100 v4), H100 80 GiB (ND H100 v5), M60 8 GiB (NVv3), A10 24 GiB with 1/6, 1/3, 1/2 "
                 "partitions (NVadsA10_v5). ND96amsr_A100_v4 memory 1900 GiB from the NDm A100 v4 series "
                 "page table; ND96isr_H100_v5 96 vCPU/1900 GiB/8 GPUs. as_of = ms.date 04/18/2024 of the "
                 "include files. vCPU/memory of GPU sizes are the SkyPilot catalog values (which agree "
                 "with these pages), except ND96amsr_A100_v4 memory (1900 GiB, series page).",
    },
}

# size -> (family, vcpus, memory_gib, gpu_model or None, gpu_count, gpu_mem_gib, spec source, notes)
SPECS = {
    "Standard_B2s": ("Bs", 2, 4, None, 0, None, SKY, None),
    "Standard_B2ms": ("Bs", 2, 8, None, 0, None, SKY, None),
    "Standard_B4ms": ("Bs", 4, 16, None, 0, None, SKY, None),
    "Standard_NC6s_v3": ("NCv3", 6, 112, "V100", 1, 16, DOCS, None),
    "Standard_NC12s_v3": ("NCv3", 12, 224, "V100", 2, 16, DOCS, None),
    "Standard_NC24s_v3": ("NCv3", 24, 448, "V100", 4, 16, DOCS, None),
    "Standard_NC4as_T4_v3": ("NCasT4_v3", 4, 28, "T4", 1, 16, DOCS, None),
    "Standard_NC8as_T4_v3": ("NCasT4_v3", 8, 56, "T4", 1, 16, DOCS, None),
    "Standard_NC16as_T4_v3": ("NCasT4_v3", 16, 110, "T4", 1, 16, DOCS, None),
    "Standard_NC64as_T4_v3": ("NCasT4_v3", 64, 440, "T4", 4, 16, DOCS, None),
    "Standard_NC24ads_A100_v4": ("NCadsA100_v4", 24, 220, "A100", 1, 80, DOCS, "A100 PCIe 80 GB."),
    "Standard_NC48ads_A100_v4": ("NCadsA100_v4", 48, 440, "A100", 2, 80, DOCS, "A100 PCIe 80 GB."),
    "Standard_NC96ads_A100_v4": ("NCadsA100_v4", 96, 880, "A100", 4, 80, DOCS, "A100 PCIe 80 GB."),
    "Standard_NC40ads_H100_v5": ("NCadsH100_v5", 40, 320, "H100", 1, 94, DOCS, "H100 NVL 94 GB."),
    "Standard_NC80adis_H100_v5": ("NCadsH100_v5", 80, 640, "H100", 2, 94, DOCS, "H100 NVL 94 GB."),
    "Standard_ND40rs_v2": ("NDv2", 40, 672, "V100", 8, 32, DOCS, "V100 SXM2 32 GB (NVLink)."),
    "Standard_ND96asr_v4": ("NDasrA100_v4", 96, 900, "A100", 8, 40, DOCS, "A100 SXM 40 GB (NVLink)."),
    "Standard_ND96amsr_A100_v4": ("NDamsrA100_v4", 96, 1900, "A100", 8, 80, DOCS, "A100 SXM 80 GB (NVLink)."),
    "Standard_ND96isr_H100_v5": ("NDisrH100_v5", 96, 1900, "H100", 8, 80, DOCS, "H100 SXM 80 GB (NVLink)."),
    "Standard_NV12s_v3": ("NVv3", 12, 112, "M60", 1, 8, DOCS, None),
    "Standard_NV24s_v3": ("NVv3", 24, 224, "M60", 2, 8, DOCS, None),
    "Standard_NV48s_v3": ("NVv3", 48, 448, "M60", 4, 8, DOCS, None),
    "Standard_NV6ads_A10_v5": ("NVadsA10_v5", 6, 55, "A10", 0.1667, 4, DOCS,
                               "Fractional GPU: 1/6 of an A10 (4 GiB GPU memory); count is the fraction."),
    "Standard_NV12ads_A10_v5": ("NVadsA10_v5", 12, 110, "A10", 0.3333, 8, DOCS,
                                "Fractional GPU: 1/3 of an A10 (8 GiB GPU memory); count is the fraction."),
    "Standard_NV18ads_A10_v5": ("NVadsA10_v5", 18, 220, "A10", 0.5, 12, DOCS,
                                "Fractional GPU: 1/2 of an A10 (12 GiB GPU memory); count is the fraction."),
    "Standard_NV36ads_A10_v5": ("NVadsA10_v5", 36, 440, "A10", 1, 24, DOCS, None),
    "Standard_NV36adms_A10_v5": ("NVadsA10_v5", 36, 880, "A10", 1, 24, DOCS, None),
    "Standard_NV72ads_A10_v5": ("NVadsA10_v5", 72, 880, "A10", 2, 24, DOCS, None),
}
for v, fam in (("v3", "Dsv3"), ("v4", "Dsv4"), ("v5", "Dsv5")):
    for n in (2, 4, 8, 16, 32, 48, 64) + ((96,) if v == "v5" else ()):
        SPECS[f"Standard_D{n}s_{v}"] = (fam, n, 4 * n, None, 0, None, SKY, None)
for n in (2, 4, 8, 16, 20, 32, 64):
    SPECS[f"Standard_E{n}s_v5"] = ("Esv5", n, 8 * n, None, 0, None, SKY, None)


# Spot discounts are medians over these regions' SkyPilot rows only: the regions they were first computed over, so
# that adding regions to the price table changes no discount (build_gcp.py keeps its SPOT_REGIONS the same way).
SPOT_REGIONS = ("eastus", "westus2")

RETAIL = "azure-retail-prices-api"
RETAIL_CSV = os.path.join(HERE, "azure_retail_prices.csv")


def build(retail_csv: str = RETAIL_CSV) -> dict:
    sources = dict(SOURCES)
    machine_types = {}
    for size, (fam, vcpu, mem, gm, gc, gmem, src, notes) in SPECS.items():
        e = {"family": fam, "category": "gpu" if gm else "general", "vcpus": vcpu, "memory_gib": float(mem)}
        if gm:
            e["gpu"] = {"model": gm, "count": gc, "memory_gib": gmem, "vendor": "nvidia"}
            e["gpu_price_included"] = True
        else:
            e["gpu"] = None
        if notes:
            e["notes"] = notes
        e["source"] = src
        e["as_of"] = DOCS_DATE if src == DOCS else SKY_DATE
        machine_types[size] = e

    on_demand: dict[str, dict] = {}
    ratios: dict[str, list[tuple[float, str, str]]] = {}
    for r in price_rows.read_rows(HERE / "azure_skypilot_vms.csv"):
        size, reg = r["vm_size"], r["region"]
        if size not in machine_types:
            raise SystemExit(f"no spec for {size}")
        on_demand.setdefault(reg, {})[size] = {"usd_per_hour": price_rows.number(r["price"]), "source": SKY, "as_of": SKY_DATE}
        if r["spot_price"] and reg in SPOT_REGIONS:
            od, sp = float(r["price"]), float(r["spot_price"])
            if 0 < sp < od:
                ratios.setdefault(machine_types[size]["family"], []).append((1 - sp / od, size, reg))
    checked = 0
    for r in price_rows.read_rows(HERE / "azure_karpenter_pricing.csv"):
        size, reg = r["vm_size"], r["region"]
        if size not in machine_types:
            raise SystemExit(f"no spec for {size}")
        existing = on_demand.get(reg, {}).get(size)
        if existing is not None:
            if existing["source"] != SKY or abs(existing["usd_per_hour"] - float(r["price"])) > 1e-9:
                raise SystemExit(f"karpenter {size} {reg} {r['price']} disagrees with {existing}")
            checked += 1
            continue
        on_demand.setdefault(reg, {})[size] = {"usd_per_hour": price_rows.number(r["price"]), "source": KARP, "as_of": KARP_DATE}
    if checked < 40:
        raise SystemExit(f"only {checked} karpenter rows cross-checked against SkyPilot")
    for r in price_rows.read_rows(HERE / "azure_burn_2026-05-25.csv"):
        size, reg = r["vm_size"], r["region"]
        existing = on_demand.get(reg, {}).get(size)
        if existing is None or abs(existing["usd_per_hour"] - float(r["price"])) > 1e-9:
            raise SystemExit(f"burn {size} {reg} {r['price']} disagrees with {existing}")
        if existing["as_of"] < BURN_DATE:
            on_demand[reg][size] = {"usd_per_hour": price_rows.number(r["price"]), "source": BURN, "as_of": BURN_DATE}
    for size in ("Standard_ND96isr_H100_v5", "Standard_NC40ads_H100_v5", "Standard_NC80adis_H100_v5"):
        if size not in on_demand.get("westus2", {}):
            machine_types[size]["unpriced"] = {
                "westus2": "no westus2 price in any source read (SkyPilot Azure capture, Karpenter table of "
                           "2023-12-18, which lists ND96isr_H100_v5 for westus and westeurope but not westus2); "
                           "likely not offered there"}
    retail = price_rows.read_rows(Path(retail_csv), optional=True)
    if retail:  # Microsoft's own API, read by a maintainer: supersedes the transcribed tables
        sources[RETAIL] = price_rows.api_source(
            "Azure Retail Prices API (prices.azure.com/api/retail/prices), Virtual Machines, Consumption",
            "https://prices.azure.com/api/retail/prices", "fetch_azure_retail_prices.py", "azure_retail_prices.csv",
            "Linux pay-as-you-go meter, Windows and Low Priority skipped; Spot meter for spot_price", retail)
        price_rows.apply(retail, "vm_size", on_demand, machine_types, RETAIL)
        for r in retail:
            size, reg = r["vm_size"], r["region"]
            if r["spot_price"] and 0 < float(r["spot_price"]) < float(r["price"]):
                ratios.setdefault(machine_types[size]["family"], []).append(
                    (1 - float(r["spot_price"]) / float(r["price"]), size, reg))
    on_demand = {k: dict(sorted(v.items())) for k, v in sorted(on_demand.items())}

    spot = {}
    for fam, lst in sorted(ratios.items()):
        ds = [d for d, _, _ in lst]
        spot[fam] = {
            "discount": round(statistics.median(ds), 4), "source": SKY, "as_of": SKY_DATE,
            "notes": f"Median of 1 - SpotPrice/Price over {len(ds)} size x region rows "
                     f"({', '.join(sorted({g for _, _, g in lst}))}); range {min(ds):.4f}-{max(ds):.4f}. "
                     f"Azure Spot prices vary by region and over time.",
        }
    gpu = [d for f, lst in ratios.items() for d, s, _ in lst if machine_types[s]["category"] == "gpu"]
    gen = [d for f, lst in ratios.items() for d, s, _ in lst if machine_types[s]["category"] == "general"]
    spot["default_gpu"] = {"discount": round(statistics.median(gpu), 4), "source": SKY, "as_of": SKY_DATE,
                           "notes": f"Median over all GPU rows with a spot price ({len(gpu)}); used for GPU "
                                    "families without their own entry (e.g. NCadsH100_v5, NDisrH100_v5, for "
                                    "which no spot price was published in the source)."}
    spot["default_general"] = {"discount": round(statistics.median(gen), 4), "source": SKY, "as_of": SKY_DATE,
                               "notes": f"Median over all Dsv3/Dsv4/Dsv5/Esv5 rows ({len(gen)}); B-series has "
                                        "no spot price in the source."}
    spot["default"] = {"discount": round(statistics.median(gpu + gen), 4), "source": SKY, "as_of": SKY_DATE,
                       "notes": "Median over every row with a spot price."}

    return {
        "provider": "azure",
        "hours_per_month": 730,
        "sources": sources,
        "machine_types": dict(sorted(machine_types.items())),
        "on_demand": on_demand,
        "spot_discounts": spot,
    }


def main() -> None:
    doc = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1)
        fh.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: {len(doc['machine_types'])} types, "
          + ", ".join(f"{k}={len(v)}" for k, v in doc["on_demand"].items()))


if __name__ == "__main__":
    main()
