"""The summary's spend counts pods on a node pool of the same scan inside that pool's bill, and never drops them.

A GKE pool that scales from zero has no cost of its own: the pods it runs are its spend. The total used to leave
out every pod linked to a pool in the scan (the pool pays for it), so kweinmeister/vllm-gke-terraform's shape (one
L4 pool from 0 to 2 nodes, one vLLM Deployment on it) totalled $0.00 while the Deployment's own line said
$2,921.22. Pods that need more nodes than the pool's minimum make it grow, so per pool the larger of the pool's cost
and its pods' sum counts.
"""

from __future__ import annotations

import json
from typing import Any

from conftest import ROOT, scan_json
from linter.pricing.catalog import price_entry

FIXTURES = ROOT / "tests" / "fixtures" / "precision_pool_totals"
GCP = json.loads((ROOT / "linter" / "pricing" / "data" / "gcp.json").read_text())
PROD = FIXTURES / "prod" / "prod.tfvars"  # the same module deployed to prod: 1 to 4 nodes, 3 replicas
G2_48_HOUR = price_entry(GCP, "us-east1", "g2-standard-48")["usd_per_hour"]


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_pods_on_a_pool_that_scales_from_zero_are_the_total() -> None:
    run = scan_json(str(FIXTURES / "llm"), "--no-cache")
    resources = _resources(run)
    pool, vllm = resources["google_container_node_pool.l4"], resources["kubernetes_deployment.vllm"]
    assert pool["monthly_cost_usd"] is None and "scales from zero" in pool["price_notes"][0]
    assert vllm["links"]["node_pool"] == "google_container_node_pool.l4"
    one_node = round(G2_48_HOUR * 730, 2)  # 1 pod x 4 of 4 L4s: the whole g2-standard-48
    assert vllm["monthly_cost_usd"] == one_node == 2921.22
    assert run.report["summary"]["monthly_cost_usd"] == one_node
    assert run.report["summary"]["unpriced_resources"] == 1  # the pool's own size is still unknown


def test_pods_that_outgrow_the_pool_minimum_count_over_the_pool() -> None:
    run = scan_json(str(FIXTURES / "llm"), "--no-cache", "--var-file", str(PROD))
    resources = _resources(run)
    pool, vllm = resources["google_container_node_pool.l4"], resources["kubernetes_deployment.vllm"]
    assert pool["compute"]["min"] == 1 and pool["monthly_cost_usd"] == round(G2_48_HOUR * 730, 2)
    three_nodes = round(3 * G2_48_HOUR * 730, 2)  # 3 replicas, each a whole node; the pool grows from 1 to 3
    assert vllm["monthly_cost_usd"] == three_nodes == 8763.65
    assert run.report["summary"]["monthly_cost_usd"] == three_nodes


def test_a_pool_bigger_than_its_pods_is_paid_whole() -> None:
    assert "min_gpu_nodes = 1" in PROD.read_text()
    run = scan_json(str(FIXTURES / "llm"), "--no-cache", "--var-file", str(PROD), "--var", "replicas=0",
                    "--var", "min_gpu_nodes=2")
    resources = _resources(run)
    assert resources["kubernetes_deployment.vllm"]["compute"]["count"] == 0
    two_nodes = round(2 * G2_48_HOUR * 730, 2)
    assert resources["google_container_node_pool.l4"]["monthly_cost_usd"] == two_nodes
    assert run.report["summary"]["monthly_cost_usd"] == two_nodes
