"""Cloud TPU capacity on GKE is priced: node pools of TPU machine types and pods that request google.com/tpu.

The catalog had no TPU machine type, so a GKE TPU node pool (ct6e-standard-8t in GoogleCloudPlatform/kubernetes-
engine-samples ai-ml/gke-ray/tpu/get-started/cluster/main.tf, google_container_node_pool.tpu_slices) and every pod
asking for TPU chips (ai-on-gke's JetStream MaxText Deployment) were "not priced", and FIN-TAG-001/FIN-GPU-001/
FIN-GPU-003 said "amount unknown" for thousands of dollars a month. TPUs bill per chip-hour: a GKE TPU node now costs
its chips x the region's price per chip-hour (SkyPilot's v8 GCP catalog, extracted by
tools/catalog/extract_gcp_skypilot_tpu.py), spot at the family's discount, and a multi-host slice pool that states
no node count has the nodes its placement_policy.tpu_topology makes. A region the source has no price for stays
unpriced, saying so. Every figure below is recomputed from the catalog.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

from conftest import scan_json
from linter.pricing.catalog import Catalog

FIXTURES = Path(__file__).parent / "fixtures" / "precision_tpu"
HOURS = 730


def _scan(tmp_path: Path, name: str) -> dict[str, Any]:
    root = tmp_path / name
    shutil.copytree(FIXTURES / name, root)
    run = scan_json(".", "--no-cache", cwd=root)
    assert run.report["errors"] == []
    return run.report


def _hourly(region: str, machine: str) -> float:
    price = Catalog().hourly("gcp", region, machine)
    assert price is not None, (region, machine)
    return price.usd_per_hour


def _resource(report: dict[str, Any], address: str) -> dict[str, Any]:
    return next(r for r in report["resources"] if r["address"] == address)


def _findings(report: dict[str, Any], address: str) -> dict[str, dict[str, Any]]:
    return {f["rule_id"]: f for f in report["findings"] if f["resource"] == address}


def test_catalog_prices_tpu_machine_types_per_chip() -> None:
    """Chips per node x the price per chip-hour Google lists (us-central1: v5e 1.20, v5p 4.20, v6e 2.70)."""
    assert _hourly("us-central1", "ct5lp-hightpu-4t") == 4 * 1.2
    assert _hourly("us-central1", "ct5p-hightpu-4t") == 4 * 4.2
    assert _hourly("us-central1", "ct6e-standard-8t") == 8 * 2.7
    spec = Catalog().machine("gcp", "ct5lp-hightpu-4t")
    assert spec is not None and spec["accelerator"] == {"model": "TPU v5e", "count": 4, "memory_gib": None,
                                                        "vendor": "google"}
    assert Catalog().hourly("gcp", "southamerica-east1", "ct6e-standard-4t") is None  # SkyPilot's placeholder 700.0


def test_gke_tpu_node_pools_priced_and_flagged(tmp_path: Path) -> None:
    report = _scan(tmp_path, "gke")
    serving = _resource(report, "google_container_node_pool.serving")
    discount = Catalog().spot_discount("gcp", "ct6e", region=serving["region"])
    assert discount is not None
    # v6e spot in us-east5 is $1.35 a chip-hour (SkyPilot's row), half the $2.70 on-demand: not the 79% of us-east1
    assert serving["region"] == "us-east5" and serving["monthly_cost_usd"] == round(8 * 1.35 * HOURS, 2) == 7884.0
    assert serving["monthly_cost_usd"] == round(8 * 2.7 * HOURS * (1 - discount.fraction), 2)
    training = _resource(report, "google_container_node_pool.training")
    assert training["monthly_cost_usd"] == round(4 * _hourly("us-east5", "ct5lp-hightpu-4t") * HOURS, 2) == 14016.0

    found = _findings(report, "google_container_node_pool.training")
    gpu1 = found["FIN-GPU-001"]
    assert (gpu1["file"], gpu1["line"]) == ("main.tf", 58)
    assert gpu1["monthly_cost_usd"] == 14016.0
    assert "4x ct5lp-hightpu-4t (4x TPU v5e each) for training on demand" in gpu1["message"]
    assert "GPU" not in gpu1["message"]
    idle = found["FIN-GPU-003"]
    assert idle["monthly_cost_usd"] == 14016.0
    assert not any("GPU" in a for a in idle["impact"]["assumptions"])
    assert any("fewer TPUs only while idle" in a for a in idle["impact"]["assumptions"])
    assert _findings(report, "google_container_node_pool.serving")["FIN-GPU-003"]["monthly_cost_usd"] == \
        serving["monthly_cost_usd"]


def test_multi_host_slice_nodes_follow_topology(tmp_path: Path) -> None:
    """placement_policy.tpu_topology 4x4 = 16 chips over 4 chips a ct5lp-hightpu-4t node: 4 nodes, not unknown."""
    report = _scan(tmp_path, "gke")
    training = _resource(report, "google_container_node_pool.training")
    assert training["cost_components"][0]["monthly_quantity"] == 4 * HOURS


def test_tpu_pods_priced_per_chip_without_calling_them_gpus(tmp_path: Path) -> None:
    report = _scan(tmp_path, "k8s")
    jetstream = _resource(report, "Deployment/serving/maxengine-server")
    assert jetstream["monthly_cost_usd"] == round(2 * 8 * 1.2 * HOURS, 2) == 14016.0
    notes = " ".join(jetstream["price_notes"])
    assert "TPU price: no node type pinned; ct5lp-hightpu-8t" in notes and "GPU" not in notes

    pretrain = _resource(report, "Job/research/maxtext-pretrain")
    assert pretrain["monthly_cost_usd"] == round(_hourly("us-central1", "ct5p-hightpu-4t") * HOURS, 2) == 12264.0
    tag = _findings(report, "Job/research/maxtext-pretrain")["FIN-TAG-001"]
    assert (tag["line"], tag["monthly_cost_usd"], tag["impact"]["monthly_usd"]) == (2, 12264.0, 12264.0)


def test_tpu_without_a_price_in_its_region_says_why(tmp_path: Path) -> None:
    report = _scan(tmp_path, "k8s")
    batch = _resource(report, "Job/research/batch-embed")
    assert batch["monthly_cost_usd"] is None
    assert any(n.startswith("TPU v6e in southamerica-east1: no price per chip-hour for TPU v6e in this region in "
                            "the SkyPilot v8 GCP catalog") for n in batch["price_notes"])


def test_tpu_vms_priced_per_chip(tmp_path: Path) -> None:
    """google_tpu_v2_vm: accelerator_type v5litepod-8 = 8 v5e chips; accelerator_config V5P 2x2x2 = 8 v5p chips
    (2 hosts of 4), on Spot; a v3-8 slice stays unpriced and says why."""
    report = _scan(tmp_path, "tpu_vm")
    finetune = _resource(report, "google_tpu_v2_vm.finetune")
    assert finetune["monthly_cost_usd"] == round(8 * 1.2 * HOURS, 2) == 7008.0
    found = _findings(report, "google_tpu_v2_vm.finetune")
    assert (found["FIN-GPU-001"]["line"], found["FIN-GPU-001"]["monthly_cost_usd"]) == (28, 7008.0)
    assert "scheduling_config { spot = true }" in found["FIN-GPU-001"]["remediation"]
    pretrain = _resource(report, "google_tpu_v2_vm.pretrain")
    discount = Catalog().spot_discount("gcp", "ct5p", region="us-east5")
    assert discount is not None
    assert pretrain["monthly_cost_usd"] == round(2 * _hourly("us-east5", "ct5p-hightpu-4t") * HOURS
                                                 * (1 - discount.fraction), 2)
    legacy = _resource(report, "google_tpu_v2_vm.legacy")
    assert legacy["monthly_cost_usd"] is None
    assert "TPU v3: the catalog has no price per chip-hour for this TPU generation; monthly cost unknown" in \
        legacy["price_notes"]


def test_spot_discount_is_the_regions_own_where_the_source_prices_spot_there() -> None:
    """GCP's spot discounts differ by region (v6e: 50% off in us-east5, 79% in us-east1; a3: 30% to 72%): where
    the source gives a region's spot prices the family's discount there is used, the cross-region median elsewhere,
    and a user's override before either."""
    cat = Catalog()
    east5 = cat.spot_discount("gcp", "ct6e", region="us-east5")
    assert east5 is not None and east5.fraction == 0.5 and east5.source == "skypilot-catalog-v8-gcp-tpu"
    assert cat.spot_discount("gcp", "ct6e", region="us-east1").fraction == round(1 - 0.57285 / 2.7, 4)
    assert cat.spot_discount("gcp", "ct6e").fraction == 0.7878  # no region: the family's median
    assert cat.spot_discount("gcp", "ct6e", region="southamerica-west1").fraction == 0.7878  # no spot price there
    user = Catalog(spot_overrides={"gcp": {"ct6e": 0.6}})  # prices.spot_discounts.gcp.ct6e in the config
    assert user.spot_discount("gcp", "ct6e", region="us-east5").fraction == 0.6


def test_legacy_tpu_nodes_are_unpriced_tpus_that_say_why(tmp_path: Path) -> None:
    """google_tpu_node (the TPU Node API, v2/v3 slices still in many research repos) was listed with no compute at
    all: its chips and its unknown cost were not said anywhere. It now reads as google_tpu_v2_vm does: v3-8 is 4
    TPU v3 chips (2 TensorCores a chip), one slice, unpriced with the reason; the training rule still sees it."""
    from conftest import write

    write(tmp_path, {"main.tf": """provider "google" {
  project = "nlp-research"
  region  = "us-central1"
}

resource "google_tpu_node" "pretrain" {
  name               = "bert-pretrain"
  zone               = "us-central1-b"
  accelerator_type   = "v3-32"
  tensorflow_version = "2.12.0"
  cidr_block         = "10.2.0.0/29"
  labels             = { team = "nlp", cost-center = "cc-4410", environment = "research" }
}
"""})
    report = scan_json(".", "--no-cache", cwd=tmp_path).report
    node = _resource(report, "google_tpu_node.pretrain")
    assert node["compute"]["gpu"] == {"model": "TPU v3", "count": 16.0, "memory_gib": None, "vendor": "google",
                                      "kind": "accelerator"}
    assert node["compute"]["count"] == 1 and node["monthly_cost_usd"] is None
    assert node["price_notes"] == ["TPU v3: the catalog has no price per chip-hour for this TPU generation; monthly "
                                   "cost unknown"]
    assert report["summary"]["unpriced_resources"] == 1
    assert _findings(report, "google_tpu_node.pretrain")["FIN-GPU-001"]["line"] == 6
