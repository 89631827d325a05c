#!/usr/bin/env python3
"""Extract the EKS max-pods inputs of the catalog's EC2 types from amazon-eks-ami's instance-info.jsonl.

Why: an EKS node's allocatable memory depends on its max pods (nodeadm reserves 11 MiB a pod + 255 MiB for the
kubelet), and max pods depends on the instance type's network interfaces. nodeadm (the AL2023 bootstrap; AL2's
eni-max-pods.txt was generated from the same EC2 data and is no longer in the repository) reads them from
nodeadm/internal/kubelet/instance-info.jsonl and computes

    max_pods = defaultMaxENIs * (ipv4AddressesPerInterface - 1) + 2        (eni_max_pods.go, calculateStandardMaxPods)

This copies the rows of the EC2 types build_aws.py has specs for (not typed by hand), and writes

  aws_eks_instance_info.csv  type,default_enis,ipv4_per_eni,max_pods

Get the file from a clone of the repository, e.g.

    git -C amazon-eks-ami show 81fec2e895854f599974fe4d3d72f61c0a9aaffa:nodeadm/internal/kubelet/instance-info.jsonl \
        > instance-info.jsonl
    python tools/catalog/extract_eks_max_pods.py instance-info.jsonl && python tools/catalog/build_aws.py
"""
from __future__ import annotations

import argparse
import json
from pathlib import Path

import price_rows  # tools/catalog/price_rows.py (this directory is on sys.path when run as a script)

HERE = Path(__file__).resolve().parent
COMMIT = "81fec2e895854f599974fe4d3d72f61c0a9aaffa"  # HEAD read 2026-12-04; the file last changed in 4d63a3bc (2026-07-01)
OUT = HERE / "aws_eks_instance_info.csv"
SPEC_TABLES = ("aws_skypilot_v8_specs.csv", "aws_rosa_specs.csv")


def extract(lines: list[str], types: set[str]) -> list[dict[str, str]]:
    """The rows of ``types``, with nodeadm's standard max pods, sorted by type."""
    rows = []
    for line in lines:
        if not line.strip():
            continue
        info = json.loads(line)
        if info["instanceType"] not in types:
            continue
        enis, ips = int(info["defaultMaxENIs"]), int(info["ipv4AddressesPerInterface"])
        rows.append({"type": info["instanceType"], "default_enis": str(enis), "ipv4_per_eni": str(ips),
                     "max_pods": str(enis * (ips - 1) + 2)})
    return sorted(rows, key=lambda r: r["type"])


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("instance_info", type=Path, help=f"nodeadm/internal/kubelet/instance-info.jsonl at {COMMIT}")
    args = parser.parse_args()
    types = {r["type"] for table in SPEC_TABLES for r in price_rows.read_rows(HERE / table)}
    rows = extract(args.instance_info.read_text(encoding="utf-8").splitlines(), types)
    price_rows.write_rows(OUT, ["type", "default_enis", "ipv4_per_eni", "max_pods"], rows,
                          f"Extracted by extract_eks_max_pods.py from repo:awslabs/amazon-eks-ami/nodeadm/internal/"
                          f"kubelet/instance-info.jsonl@{COMMIT}; default_enis = defaultMaxENIs, ipv4_per_eni = "
                          "ipv4AddressesPerInterface, max_pods = default_enis * (ipv4_per_eni - 1) + 2 "
                          "(nodeadm eni_max_pods.go calculateStandardMaxPods)")
    print(f"wrote {OUT}: {len(rows)} of {len(types)} types; missing: {sorted(types - {r['type'] for r in rows})}")


if __name__ == "__main__":
    main()
