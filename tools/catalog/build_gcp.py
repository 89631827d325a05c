#!/usr/bin/env python3
"""Build linter/pricing/data/gcp.json from transcribed public price tables.

Inputs (in this directory):
  gcp_cyclenerd_instances.csv  machine_type,region,hour,hour_spot transcribed from
      repo:Cyclenerd/google-cloud-pricing-cost-calculator/pricing.yml
      @0166a59ebba7c36f2cc8c931d9f258dcebc44776 (file header "generated: Thu Mar 6 03:53:56 2025").
      `hour` = on-demand USD/h of the whole VM (A2/A3/G2: bundled GPUs included;
      a2-ultragpu/a3 also include their bundled Local SSD); `hour_spot` = Spot USD/h.

Attachable N1 GPU prices (us-central1) are copied from
  repo:kubernetes/autoscaler/cluster-autoscaler/cloudprovider/gce/gce_price_info.go
  @0411d1c8af6b4b095f968868a0f013003fd8a2d8 (gpuPrices / preemptibleGpuPrices).

Attachable GPU prices for other regions (us-east1, us-west1) are in gcp_skypilot_accelerators.csv,
transcribed from the SkyPilot GCP catalog (v7, cross-checked against v6); the build asserts each equals
the us-central1 CAS price for the same accelerator (the catalogs are undated; see SOURCES).

GKE TPU machine types (ct4p/ct5lp/ct5p/ct6e) are priced per chip-hour from gcp_skypilot_tpu.csv, extracted by
extract_gcp_skypilot_tpu.py from the SkyPilot v8 GCP catalog: a node costs its chips x its region's price per chip.

Nothing here is estimated: every price is a published figure; discounts are computed as
1 - spot/on_demand from the same rows. Run: python tools/catalog/build_gcp.py
"""
from __future__ import annotations

import json
import os
import statistics
from pathlib import Path

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
OUT = os.path.join(HERE, "..", "..", "linter", "pricing", "data", "gcp.json")

CYC = "cyclenerd-pricing-yml-2025-03-06"
CYC_DATE = "2025-03-06"
CAS = "k8s-autoscaler-gce-price-info"
CAS_DATE = "2024-03-04"
GPUDOC = "gcp-docs-gpus"
GPUDOC_DATE = "2025-03-06"  # page undated in the corpus; aligned with the price snapshot used
SKYG = "skypilot-catalog-gcp-v7"
SPARE = "sparecores-data-0.3.4"
SPARE_DATE = "2026-01-15"
AZDOC_T4 = "azure-docs-ncast4-v3"
AZDOC_V100 = "azure-docs-ncv3"
AWS_L4 = "skypilot-catalog-v8-aws-gpuinfo"
SKY_TPU = "skypilot-catalog-v8-gcp-tpu"
SKY_TPU_DATE = "2026-12-05"  # the day the file was read: the index used does not expose the commit's date
CYC_TYPES = "cyclenerd-machinetypes-2026-08-20"
CYC_TYPES_DATE = "2026-08-20"

SOURCES = {
    CYC: {
        "title": "Cyclenerd google-cloud-pricing-cost-calculator pricing.yml (per-region Compute Engine "
                 "on-demand and Spot prices, generated from the Cloud Billing Catalog API)",
        "url": "repo:Cyclenerd/google-cloud-pricing-cost-calculator/pricing.yml@0166a59ebba7c36f2cc8c931d9f258dcebc44776",
        "retrieved": "2026-11-26",
        "notes": "File header 'generated: Thu Mar 6 03:53:56 2025'. Used keys compute.instance.<type>.cost."
                 "<region>.hour (on-demand) and .hour_spot (Spot). Machine-type prices for a2/a3/g2 are "
                 "the whole VM incl. its bundled GPUs (a2-ultragpu and a3 also incl. bundled Local SSD). "
                 "vCPU/RAM/GPU counts from the same file (cpu, ram, a100/a100-80gb/h100-80gb/"
                 "h100-80gb-mega/l4 keys). Transcribed to tools/catalog/gcp_cyclenerd_instances.csv.",
    },
    CAS: {
        "title": "kubernetes/autoscaler cluster-autoscaler GCE price model (gce_price_info.go)",
        "url": "repo:kubernetes/autoscaler/cluster-autoscaler/cloudprovider/gce/gce_price_info.go@0411d1c8af6b4b095f968868a0f013003fd8a2d8",
        "retrieved": "2026-11-26",
        "notes": "gpuPrices / preemptibleGpuPrices per GPU-hour: nvidia-tesla-t4 0.35/0.11, nvidia-tesla-p4 "
                 "0.60/0.216, nvidia-tesla-v100 2.48/0.74, nvidia-tesla-p100 1.46/0.43; A100/A100-80GB/L4 "
                 "are listed at 0 there because they are priced into a2/g2 machine types. The tables are "
                 "us-central1 list prices (maintainer statement in kubernetes/autoscaler PR #6535, "
                 "2024-03-04). Exact commit date not available in the index; as_of uses that PR date. "
                 "'Preemptible' prices there are the legacy preemptible list prices.",
    },
    GPUDOC: {
        "title": "Google Cloud: GPU machine types / GPU platforms (Compute Engine docs)",
        "url": "https://cloud.google.com/compute/docs/gpus/",
        "retrieved": "2026-11-26",
        "notes": "Accelerator type names (nvidia-tesla-a100 = A100 40GB, nvidia-a100-80gb, nvidia-h100-80gb, "
                 "nvidia-h100-mega-80gb, nvidia-l4) and GPU memory: L4 24 GB GDDR6; a3-highgpu-8g 8 GPUs "
                 "640 GB HBM3 (80 GB each). Page is not dated in the stored copy.",
    },
    SKYG: {
        "title": "SkyPilot catalog: GCP VM/accelerator catalog (prices from the Cloud Billing Catalog API)",
        "url": "repo:skypilot-org/skypilot-catalog/catalogs/v7/gcp/vms.csv@017e2502fb63c7a28757acd94002b2d6099d3e3d",
        "retrieved": "2026-11-26",
        "notes": "Rows with empty InstanceType, AcceleratorName T4/V100/P100, AcceleratorCount 1, column Price "
                 "(on-demand USD per GPU-hour): us-east1 and us-west1 T4 0.35, V100 2.48, P100 1.46; same values "
                 "in catalogs/v6/gcp/vms.csv@0489582999fed2940da5ff5d718d4163b6014968. The files carry no "
                 "date; as_of 2024-03-04 is the date of the kubernetes/autoscaler source whose us-central1 list "
                 "prices are identical for every accelerator used (asserted by the build). Not used: europe-west4 "
                 "(V100 2.604, P100 1.533, P4 0.63 in both versions, but T4 0.35 in v6 vs 0.3675 in v7 and no "
                 "dated source to tell which is current), SpotPrice (differs between the two versions), and "
                 "the A100/H100/H200 accelerator rows (europe-west4 A100 1.61365 + VM 0.81406 does not add up to "
                 "the a2-highgpu-1g price in the Cyclenerd snapshot, 3.747972). Transcribed to "
                 "tools/catalog/gcp_skypilot_accelerators.csv.",
    },
    SPARE: {
        "title": "Spare Cores sparecores-data 0.3.4 (PyPI wheel; embedded SQLite sc_data/data/sc-data-priceless.db, "
                 "table server)",
        "url": "https://pypi.org/project/sparecores-data/0.3.4/ (sparecores_data-0.3.4-py3-none-any.whl, sha256 "
               "3384e431d6377a67f028d2eb8566eb9a015e48baaa32bcb063a3f2f83744e495)",
        "retrieved": "2026-11-26",
        "notes": "Specs only (the price table of this 'priceless' database is empty). Row a3-ultragpu-8g: vcpus 224, "
                 "memory_amount 3022848 MiB (= 2952 GiB, Google publishes 2952 GB), gpu_count 8, gpu_model H200, "
                 "gpu_memory_min 143771 MiB (= 140.4 GiB) per GPU; observed_at 2026-01-15 (as_of). Its a3-highgpu-8g "
                 "row (208 vCPU, 1872 GiB) equals the Cyclenerd spec used here.",
    },
    AZDOC_T4: {
        "title": "Microsoft Learn: NCasT4_v3 series specs (NVIDIA T4 GPU memory 16 GiB)",
        "url": "repo:MicrosoftDocs/azure-docs/articles/virtual-machines/sizes/gpu-accelerated/includes/ncast4-v3-series-specs.md@2aed53fe",
        "retrieved": "2026-11-26",
        "notes": "Used only for the per-GPU memory of the NVIDIA T4 (same physical GPU as nvidia-tesla-t4).",
    },
    AWS_L4: {
        "title": "SkyPilot catalog v8, AWS vms.csv: EC2 DescribeInstanceTypes GpuInfo of g6 (NVIDIA L4)",
        "url": "repo:skypilot-org/skypilot-catalog/catalogs/v8/aws/vms.csv@00148f2af3672e2229b4f7bf8157d5a3f36e3c35",
        "retrieved": "2026-11-26",
        "notes": "Used only for the per-GPU memory of the NVIDIA L4 (nvidia-l4, the GPU of g2 machine types): "
                 "MemoryInfo.SizeInMiB 22888 = 22.35 GiB usable of the 24 GB marketed, as the AWS catalog "
                 "gives it for g6, so a model is fitted to the same L4 on either cloud. Dated 2026-01-19 as "
                 "in aws.json.",
    },
    SKY_TPU: {
        "title": "SkyPilot catalog v8, GCP vms.csv: Cloud TPU slice prices (tpu-v4/v5litepod/v5p/v6e rows)",
        "url": "repo:skypilot-org/skypilot-catalog/catalogs/v8/gcp/vms.csv@8427bbff988abdd050a9f51addd314ef31cb4e85",
        "retrieved": "2026-12-05",
        "notes": "Rows with empty InstanceType and AcceleratorName tpu-<generation>-<size>, columns Price and SpotPrice "
                 "(USD per slice-hour), divided by the slice's chips (size = chips for v5litepod/v6e, TensorCores "
                 "for v4/v5p, 2 a chip) by tools/catalog/extract_gcp_skypilot_tpu.py, which keeps a region only when "
                 "two slice sizes agree per chip (SkyPilot's placeholder 700.0 does not). Cross-checked: us-central1 "
                 "v5e 1.20, v5p 4.20, v6e 2.70 USD per chip-hour, the on-demand list prices on Google's Cloud TPU "
                 "pricing page (https://cloud.google.com/tpu/pricing); v4 3.22 in us-central2. Commit date not "
                 "exposed by the index used; as_of is the day the file was read. Spot prices in the file differ a "
                 "lot by region (v5e: 0.245 us-central1, 0.60 us-east5).",
    },
    CYC_TYPES: {
        "title": "Cyclenerd google-cloud-pricing-cost-calculator tools/machinetypes.csv (Compute Engine machine types: "
                 "vCPUs, memory GB)",
        "url": "repo:Cyclenerd/google-cloud-pricing-cost-calculator/tools/machinetypes.csv@"
               "dac31281f2a4575f0a8bff20ac04fc71a5ff2190",
        "retrieved": "2026-12-05",
        "notes": "Commit dated 2026-08-20. vCPUs and memory (GB) of the GKE TPU machine types ct5lp-hightpu-1t/4t/8t "
                 "(24/48, 112/192, 224/384), ct5p-hightpu-4t (208/448), ct6e-standard-1t/4t/8t (44/176, 180/720, "
                 "360/1440). ct4p-hightpu-4t (TPU v4) is not listed there, so it is not in the catalog.",
    },
    AZDOC_V100: {
        "title": "Microsoft Learn: NCv3 series specs (NVIDIA V100 GPU memory 16 GiB)",
        "url": "repo:MicrosoftDocs/azure-docs/articles/virtual-machines/sizes/gpu-accelerated/includes/ncv3-series-specs.md@06477775",
        "retrieved": "2026-11-26",
        "notes": "Used only for the per-GPU memory of the NVIDIA V100 16 GB (nvidia-tesla-v100 on GCP N1).",
    },
}

# (vcpus, memory_gib, gpu_model, gpu_count, gpu_mem_gib) from pricing.yml cpu/ram/gpu keys.
# GCP publishes memory in GB in these tables; the values are recorded as published.
GPU_KEYS = {  # pricing.yml's GPU key -> (model, GiB per GPU as GPUDOC gives it)
    "a100": ("A100", 40), "a100-80gb": ("A100", 80), "h100-80gb": ("H100", 80), "h100-80gb-mega": ("H100", 80),
    "l4": ("L4", 22.35),  # GiB as EC2 reports the same GPU (AWS_L4), not the 24 GB marketed
}


def read_specs() -> dict[str, tuple]:
    """name -> (vCPUs, memory GB, GPU model, GPU count, GiB per GPU), from gcp_cyclenerd_specs.csv
    (extract_gcp_cyclenerd.py), plus a3-ultragpu-8g, which that generation does not list."""
    specs: dict[str, tuple] = {}
    for r in price_rows.read_rows(HERE / "gcp_cyclenerd_specs.csv"):
        model, gib = GPU_KEYS[r["gpu_key"]] if r["gpu_key"] else (None, None)
        specs[r["machine_type"]] = (price_rows.number(r["vcpus"]), price_rows.number(r["memory_gb"]), model,
                                    int(r["gpu_count"]), gib)
    specs["a3-ultragpu-8g"] = (224, 2952, "H200", 8, 140.4)  # sparecores-data, not Cyclenerd (see SPEC_SOURCE)
    return specs


SPECS = read_specs()
# Spot discounts are medians over these regions, the ones first transcribed: per-region Spot discounts differ a
# lot (a3: 0.60 here, 0.30 over all 39 regions), and one median per family over every region would move the
# figures of the regions already priced without making any of them more right.
SPOT_REGIONS = ("europe-west4", "us-central1", "us-east1", "us-east4", "us-west1")

SPEC_SOURCE = {"a3-ultragpu-8g": (SPARE, SPARE_DATE)}
UNPRICED = {
    "a3-ultragpu-8g": {"*": "no on-demand price in any source read: neither Cyclenerd pricing.yml generation read "
                            "(2025-03-06, 2026-07-22) lists a3-ultragpu machine types"},
}
ACCEL_UNPRICED = {
    name: {"europe-west4": "no dated europe-west4 price found: the only rows (SkyPilot v6/v7 GCP catalogs) are "
                           "undated and disagree with each other"}
    for name in ("nvidia-tesla-t4", "nvidia-tesla-v100", "nvidia-tesla-p100", "nvidia-tesla-p4")
}

GPU_NOTES = {
    "a2-ultragpu": "A100 80GB; price includes the GPUs and the bundled Local SSD.",
    "a3-highgpu": "H100 80GB (nvidia-h100-80gb); price includes the GPUs and the bundled Local SSD.",
    "a3-megagpu": "H100 80GB Mega (nvidia-h100-mega-80gb); price includes GPUs and bundled Local SSD.",
    "a3-ultragpu": "H200 141GB (nvidia-h200-141gb).",
    "a2-highgpu": "A100 40GB (nvidia-tesla-a100); price includes the GPUs.",
    "a2-megagpu": "A100 40GB (nvidia-tesla-a100); price includes the GPUs.",
    "g2-standard": "NVIDIA L4 (nvidia-l4); price includes the GPUs. GPU memory 22.35 GiB per L4 as EC2 reports "
                   "the same GPU (source skypilot-catalog-v8-aws-gpuinfo).",
}

# Attachable GPUs: name -> (model, memory_gib or None, spec source, od, spot) ; None price => spec only
ACCEL = {
    "nvidia-tesla-t4": ("T4", 16, AZDOC_T4, 0.35, 0.11),
    "nvidia-tesla-v100": ("V100", 16, AZDOC_V100, 2.48, 0.74),
    "nvidia-tesla-p100": ("P100", None, CAS, 1.46, 0.43),
    "nvidia-tesla-p4": ("P4", None, CAS, 0.60, 0.216),
    "nvidia-tesla-a100": ("A100", 40, GPUDOC, None, None),
    "nvidia-a100-80gb": ("A100", 80, GPUDOC, None, None),
    "nvidia-l4": ("L4", 22.35, AWS_L4, None, None),
    "nvidia-h100-80gb": ("H100", 80, GPUDOC, None, None),
    "nvidia-h100-mega-80gb": ("H100", 80, GPUDOC, None, None),
    "nvidia-h200-141gb": ("H200", 140.4, SPARE, None, None),
}
ACCEL_NOTES = {
    "nvidia-tesla-a100": "Only available bundled in a2-highgpu/a2-megagpu machine types (price in machine type).",
    "nvidia-a100-80gb": "Only available bundled in a2-ultragpu machine types (price in machine type).",
    "nvidia-l4": "Only available bundled in g2-standard machine types (price in machine type).",
    "nvidia-h100-80gb": "Only available bundled in a3-highgpu machine types (price in machine type).",
    "nvidia-h100-mega-80gb": "Only available bundled in a3-megagpu-8g (price in machine type).",
    "nvidia-h200-141gb": "Only available bundled in a3-ultragpu-8g (no price in any source read).",
    "nvidia-tesla-p100": "GPU memory not taken from a cited source; left null.",
    "nvidia-tesla-p4": "GPU memory not taken from a cited source; left null.",
}


# GKE TPU machine types: name -> (generation in gcp_skypilot_tpu.csv, chips per node, model as GKE's node label names
# it (linter/sources/kubernetes/nodes.py), vCPUs, memory GB from CYC_TYPES). ct4p-hightpu-4t (TPU v4) is left out: no
# source read gives its vCPUs and memory, which every machine type needs (a pod is fitted by them).
TPU_TYPES = {
    "ct5lp-hightpu-1t": ("v5litepod", 1, "TPU v5e", 24, 48), "ct5lp-hightpu-4t": ("v5litepod", 4, "TPU v5e", 112, 192),
    "ct5lp-hightpu-8t": ("v5litepod", 8, "TPU v5e", 224, 384),
    "ct5p-hightpu-4t": ("v5p", 4, "TPU v5p", 208, 448),
    "ct6e-standard-1t": ("v6e", 1, "TPU v6e", 44, 176), "ct6e-standard-4t": ("v6e", 4, "TPU v6e", 180, 720),
    "ct6e-standard-8t": ("v6e", 8, "TPU v6e", 360, 1440),
}


def add_tpus(machine_types: dict, on_demand: dict, spot: dict, by_region: dict) -> None:
    """GKE TPU machine types at chips x the region's price per chip-hour (gcp_skypilot_tpu.csv, written by
    extract_gcp_skypilot_tpu.py), and each family's spot discount: the median, over SPOT_REGIONS where the
    generation is sold there (else every region it is), of 1 - spot/on-demand per chip."""
    rows = price_rows.read_rows(HERE / "gcp_skypilot_tpu.csv")
    for name, (gen, chips, model, vcpus, mem) in TPU_TYPES.items():
        mine = [r for r in rows if r["generation"] == gen]
        machine_types[name] = {
            "family": name.split("-")[0], "category": "accelerator", "vcpus": vcpus, "memory_gib": float(mem),
            "accelerator": {"model": model, "count": chips, "memory_gib": None, "vendor": "google"}, "gpu": None,
            "notes": f"{chips} {model} chip(s) a node; priced at {chips} x the region's price per chip-hour (source "
                     f"{SKY_TPU}). vCPUs and memory (GB as published): source {CYC_TYPES}.",
            "source": SKY_TPU, "as_of": SKY_TPU_DATE,
            "unpriced": {"*": f"no price per chip-hour for {model} in this region in the SkyPilot v8 GCP catalog "
                              f"({SKY_TPU}, read {SKY_TPU_DATE})"},
        }
        for r in mine:
            on_demand.setdefault(r["region"], {})[name] = {
                "usd_per_hour": round(chips * float(r["chip_hour"]), 8), "source": SKY_TPU, "as_of": SKY_TPU_DATE}
        pairs = [(r["region"], float(r["chip_hour"]), float(r["chip_hour_spot"])) for r in mine if r["chip_hour_spot"]]
        for reg, od, sp in pairs:  # TPU spot discounts differ most by region (v6e: 50% in us-east5, 79% in us-east1)
            by_region.setdefault(reg, {})[name.split("-")[0]] = round(1 - sp / od, 4)
        chosen = [p for p in pairs if p[0] in SPOT_REGIONS] or pairs
        ds = [1 - sp / od for _, od, sp in chosen]
        spot[name.split("-")[0]] = {
            "discount": round(statistics.median(ds), 4), "source": SKY_TPU, "as_of": SKY_TPU_DATE,
            "notes": f"{model} ({name.split('-')[0]} machine types): median of 1 - SpotPrice/Price per chip over "
                     f"{', '.join(sorted(r for r, _, _ in chosen))}; range {min(ds):.4f}-{max(ds):.4f}. "
                     "Spot TPU prices are dynamic.",
        }


BILLING = "gcp-cloud-billing-catalog"
BILLING_CSV = os.path.join(HERE, "gcp_billing_gpu_prices.csv")


def build(billing_csv: str = BILLING_CSV) -> dict:
    sources = dict(SOURCES)
    rows = price_rows.read_rows(HERE / "gcp_cyclenerd_instances.csv")

    machine_types = {}
    for name, (vcpu, mem, gmodel, gcount, gmem) in SPECS.items():
        fam = name.split("-")[0]
        e = {"family": fam, "category": "gpu" if gmodel else "general", "vcpus": vcpu,
             "memory_gib": float(mem)}
        if gmodel:
            e["gpu"] = {"model": gmodel, "count": gcount, "memory_gib": gmem, "vendor": "nvidia"}
            e["gpu_price_included"] = True
            prefix = "-".join(name.split("-")[:2])
            e["notes"] = ("Memory as published by GCP (GB). " + GPU_NOTES.get(prefix, "")).strip()
        else:
            e["gpu"] = None
        e["source"], e["as_of"] = SPEC_SOURCE.get(name, (CYC, CYC_DATE))
        if name in UNPRICED:
            e["unpriced"] = UNPRICED[name]
        machine_types[name] = e

    on_demand: dict[str, dict] = {}
    ratios: dict[str, list[tuple[float, str, str]]] = {}
    regional: dict[str, dict[str, list[float]]] = {}  # region -> family -> 1 - spot/on-demand of its types there
    for r in rows:
        t, reg = r["machine_type"], r["region"]
        if t not in machine_types:
            raise SystemExit(f"no spec for {t}")
        on_demand.setdefault(reg, {})[t] = {"usd_per_hour": price_rows.number(r["hour"]), "source": CYC, "as_of": CYC_DATE}
        if r["hour_spot"]:
            od, sp = float(r["hour"]), float(r["hour_spot"])
            if 0 < sp < od:
                regional.setdefault(reg, {}).setdefault(t.split("-")[0], []).append(1 - sp / od)
                if reg in SPOT_REGIONS:
                    ratios.setdefault(t.split("-")[0], []).append((1 - sp / od, t, reg))
    on_demand = {k: dict(sorted(v.items())) for k, v in sorted(on_demand.items())}

    accel_specs, accel_od = {}, {}
    for name, (model, mem, src, od, sp) in ACCEL.items():
        e = {"model": model, "memory_gib": mem, "vendor": "nvidia", "source": src,
             "as_of": {CAS: CAS_DATE, SPARE: SPARE_DATE, AWS_L4: "2026-01-19"}.get(src, GPUDOC_DATE)}
        if name in ACCEL_NOTES:
            e["notes"] = ACCEL_NOTES[name]
        if name in ACCEL_UNPRICED:
            e["unpriced"] = dict(ACCEL_UNPRICED[name])
        accel_specs[name] = e
        if od is not None:
            accel_od.setdefault("us-central1", {})[name] = {"usd_per_hour": od, "source": CAS, "as_of": CAS_DATE}
    for r in price_rows.read_rows(HERE / "gcp_skypilot_accelerators.csv"):
        name, reg, price = r["accelerator"], r["region"], float(r["price"])
        if name not in ACCEL:
            raise SystemExit(f"no spec for accelerator {name}")
        cas_od = ACCEL[name][3]
        if cas_od is None or abs(price - cas_od) > 1e-9:
            raise SystemExit(f"{name} {reg} {price}: not the dated us-central1 price {cas_od}; needs its own date")
        if name in accel_od.get(reg, {}):
            raise SystemExit(f"duplicate {name} {reg}")
        accel_od.setdefault(reg, {})[name] = {"usd_per_hour": price_rows.number(r["price"]), "source": SKYG, "as_of": CAS_DATE}
    billing = price_rows.read_rows(Path(billing_csv), optional=True)
    if billing:  # Google's own SKUs, read by a maintainer: supersede the third-party rows
        sources[BILLING] = price_rows.api_source(
            "Cloud Billing Catalog API, Compute Engine SKUs (service 6F81-5844-456A), attachable GPUs",
            "https://cloudbilling.googleapis.com/v1/services/6F81-5844-456A/skus", "fetch_gcp_billing_catalog.py",
            "gcp_billing_gpu_prices.csv", "'Nvidia Tesla <model> GPU running in ...' OnDemand SKUs", billing)
        price_rows.apply(billing, "accelerator", accel_od, accel_specs, BILLING)
    accel_od = {k: dict(sorted(v.items())) for k, v in sorted(accel_od.items())}

    spot = {}
    fam_notes = {"a2": "A2 (A100) machine types", "a3": "A3 (H100) machine types",
                 "g2": "G2 (L4) machine types", "n1": "N1 machine types (VM only, GPUs separate)",
                 "n2": "N2 machine types", "e2": "E2 machine types", "n2d": "N2D machine types",
                 "c3": "C3 machine types"}
    for fam, lst in sorted(ratios.items()):
        ds = [d for d, _, _ in lst]
        spot[fam] = {
            "discount": round(statistics.median(ds), 4), "source": CYC, "as_of": CYC_DATE,
            "notes": f"{fam_notes.get(fam, fam)}: median of 1 - hour_spot/hour over {len(ds)} "
                     f"type x region rows ({', '.join(sorted({g for _, _, g in lst}))}); "
                     f"range {min(ds):.4f}-{max(ds):.4f}. GCP Spot prices are dynamic (can change up to "
                     f"once a day).",
        }
    for name, (model, mem, src, od, sp) in ACCEL.items():
        if od and sp:
            spot[name] = {"discount": round(1 - sp / od, 4), "source": CAS, "as_of": CAS_DATE,
                          "notes": f"Attachable {model}: 1 - preemptible {sp}/on-demand {od} (us-central1)."}
    gpu_all = [d for f in ("a2", "a3", "g2") for d, _, _ in ratios.get(f, [])]
    gen_all = [d for f in ("n1", "n2", "e2") for d, _, _ in ratios.get(f, [])]
    spot["default_gpu"] = {"discount": round(statistics.median(gpu_all), 4), "source": CYC, "as_of": CYC_DATE,
                           "notes": f"Median over all a2/a3/g2 rows ({len(gpu_all)}); fallback for GPU families."}
    spot["default_general"] = {"discount": round(statistics.median(gen_all), 4), "source": CYC, "as_of": CYC_DATE,
                               "notes": f"Median over all n1/n2/e2 rows ({len(gen_all)})."}
    spot["default"] = {"discount": round(statistics.median(gpu_all + gen_all), 4), "source": CYC,
                       "as_of": CYC_DATE, "notes": "Median over every priced row with a Spot price."}

    by_region = {reg: {fam: round(statistics.median(ds), 4) for fam, ds in sorted(fams.items())}
                 for reg, fams in sorted(regional.items())}
    add_tpus(machine_types, on_demand, spot, by_region)
    on_demand = {k: dict(sorted(v.items())) for k, v in sorted(on_demand.items())}
    on_demand, default = price_rows.compact_on_demand(on_demand)
    return {
        "provider": "gcp",
        "hours_per_month": 730,
        "sources": sources,
        "machine_types": dict(sorted(machine_types.items())),
        "on_demand_default": default,
        "on_demand": on_demand,
        "accelerators": {"specs": accel_specs, "on_demand": accel_od},
        "spot_discounts": spot,
        # where the source gives a region's own spot prices: the family's discount there (median over its types),
        # which the family-wide median above stands in for only where a region has none (Catalog.spot_discount)
        "spot_discounts_by_region": {reg: dict(sorted(f.items())) for reg, f in sorted(by_region.items())},
    }


def main() -> None:
    doc = build()
    os.makedirs(os.path.dirname(OUT), exist_ok=True)
    with open(OUT, "w") as fh:
        json.dump(doc, fh, indent=1, sort_keys=False)
        fh.write("\n")
    print(f"wrote {os.path.normpath(OUT)}: {len(doc['machine_types'])} types, "
          + ", ".join(f"{k}={len(v)}" for k, v in doc["on_demand"].items()))


if __name__ == "__main__":
    main()
