"""Kubernetes objects of a Pulumi program are priced in the region of the cluster their provider connects to.

A ``k8s.Provider`` whose ``kubeconfig`` is built from a cluster (``create_kubeconfig(cluster=...)`` returning
``Output.all(cluster.name, cluster.endpoint, ...).apply(...)``, or a pulumi_eks cluster's ``.kubeconfig``) applies
its objects to that cluster. With clusters in two regions the objects were priced in the stack's default region
(gcp:region / aws:region), as Terraform's were before b0f563e. Modelled on tqtensor/infra (resources/k8s/providers.py
at a25e365: Autopilot clusters in asia-east1 and europe-west4, one provider each, TEI served on both).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import ROOT, scan_json
from linter.pricing.catalog import price_entry

FIXTURES = ROOT / "tests" / "fixtures" / "precision_pulumi_provider_cluster"
HOURS = 730
GCP = json.loads((ROOT / "linter" / "pricing" / "data" / "gcp.json").read_text())
AWS = json.loads((ROOT / "linter" / "pricing" / "data" / "aws.json").read_text())


def _monthly(catalog: dict[str, Any], region: str, machine: str, replicas: int) -> float:
    """price/h in the region x 730 x replicas, from the catalog."""
    return round(price_entry(catalog, region, machine)["usd_per_hour"] * HOURS * replicas, 2)


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_tei_on_each_autopilot_cluster_is_priced_in_that_clusters_region() -> None:
    """The stack's gcp:region is us-central1; each TEI Deployment runs on the cluster its provider's kubeconfig
    (create_kubeconfig(cluster=...) in utils.py) is made of."""
    got = _resources(scan_json("infra", "--no-cache", cwd=FIXTURES))
    asia, eu = got["tei-asia-east-1 (Deployment)"], got["tei-eu-west-4 (Deployment)"]
    assert (asia["file"], asia["line"], asia["region"]) == ("infra/__main__.py", 38, "asia-east1")
    assert (eu["file"], eu["line"], eu["region"]) == ("infra/__main__.py", 38, "europe-west4")
    # the cheapest L4 machine for 1 GPU / 4 vCPU / 16 GiB is g2-standard-8 in both regions
    assert asia["monthly_cost_usd"] == _monthly(GCP, "asia-east1", "g2-standard-8", 2) == 1443.08  # $0.9884/h x 2
    assert eu["monthly_cost_usd"] == _monthly(GCP, "europe-west4", "g2-standard-8", 1) == 654.96  # $0.8972/h
    assert "region not pinned by node labels; priced in asia-east1 (the region of auto_pilot_asia_east_1_cluster " \
           "(infra/clusters.py:5), the cluster the Pulumi provider k8s_provider_auto_pilot_asia_east_1 applying it " \
           "connects to)" in asia["price_notes"]


def test_a_provider_built_from_no_cluster_keeps_the_stacks_region(tmp_path: Path) -> None:
    """A kubeconfig read from config names no cluster: with clusters in two regions, the stack's region."""
    shutil.copytree(FIXTURES / "infra", tmp_path / "infra")
    main = tmp_path / "infra" / "__main__.py"
    main.write_text(main.read_text().replace('kubeconfig=create_kubeconfig(cluster=auto_pilot_eu_west_4_cluster)',
                                             'kubeconfig=config.require_secret("euKubeconfig")'))
    got = _resources(scan_json("infra", "--no-cache", cwd=tmp_path))
    assert got["tei-asia-east-1 (Deployment)"]["region"] == "asia-east1"
    eu = got["tei-eu-west-4 (Deployment)"]
    assert eu["region"] == "us-central1"
    assert eu["monthly_cost_usd"] == _monthly(GCP, "us-central1", "g2-standard-8", 1)
    assert "region not pinned by node labels; priced in us-central1 (the program's stack config)" in eu["price_notes"]


def test_eks_clusters_inline_output_and_pulumi_eks_component() -> None:
    """aws.eks.Cluster in us-west-2 with a kubeconfig built inline by pulumi.Output.all(...).apply(...), and a
    pulumi_eks Cluster (a component, not read) given the eu-central-1 provider: each Whisper Deployment is priced on
    g5.xlarge in its cluster's region, not in aws:region us-east-1 nor in the one cluster read (us-west-2)."""
    run = scan_json("eks", "--no-cache", cwd=FIXTURES)
    got = _resources(run)
    west, eu = got["whisper-west"], got["whisper-eu"]
    assert (west["region"], west["monthly_cost_usd"]) == ("us-west-2", _monthly(AWS, "us-west-2", "g5.xlarge", 3))
    assert (eu["region"], eu["monthly_cost_usd"]) == ("eu-central-1", _monthly(AWS, "eu-central-1", "g5.xlarge", 2))
    assert eu["monthly_cost_usd"] == 1836.68  # 2 x $1.258/h x 730 (was 2 x $1.006/h in us-west-2, $1,468.76)
    assert "region not pinned by node labels; priced in eu-central-1 (the region of llm-eu (eks/__main__.py:36), " \
           "the cluster the Pulumi provider eu-k8s applying it connects to)" in eu["price_notes"]
    assert not run.findings()
