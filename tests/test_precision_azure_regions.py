"""Azure VM sizes are priced in every region of the cited SkyPilot v6 catalog, not only eastus and westus2.

The catalog transcribed eastus and westus2 from skypilot-catalog/catalogs/v6/azure/vms.csv, a file that also lists
centralus, eastus2, northcentralus, southcentralus, westcentralus, westus and westus3: an AKS cluster in one of
those got "no catalog price" for every pool. tools/catalog/extract_azure_skypilot.py now extracts the catalog's
sizes in all nine regions from that same file; the spot discounts stay the eastus/westus2 medians.
"""
from __future__ import annotations

import json
import shutil
from pathlib import Path

from test_catalog_tools import load_tool

from conftest import scan_json

ROOT = Path(__file__).resolve().parents[1]
FIXTURE = ROOT / "tests/fixtures/precision_azure_regions"
CATALOG = json.loads((ROOT / "linter/pricing/data/azure.json").read_text())


def _price(size: str, region: str) -> float:
    entry = CATALOG["on_demand"][region][size]
    assert entry["source"] == "skypilot-catalog-azure-v6"
    return entry["usd_per_hour"]


def test_aks_gpu_pools_in_south_central_us_are_priced(tmp_path: Path) -> None:
    """An AKS training cluster in southcentralus: 2 on-demand and 4 spot Standard_NC24ads_A100_v4 nodes. Before,
    all three pools read "no catalog price for Standard_NC24ads_A100_v4 in southcentralus" and every finding's
    dollar figure was unknown. Now: $4.408/h (SkyPilot's southcentralus row, not eastus's $3.673) x 730 h."""
    shutil.copytree(FIXTURE, tmp_path / "infra")
    run = scan_json(".", cwd=tmp_path / "infra")
    resources = {r["address"]: r for r in run.report["resources"]}

    a100 = _price("Standard_NC24ads_A100_v4", "southcentralus")
    assert a100 == 4.408
    ondemand = resources["azurerm_kubernetes_cluster_node_pool.a100"]
    assert ondemand["region"] == "southcentralus" and ondemand["compute"]["count"] == 2
    assert ondemand["monthly_cost_usd"] == round(2 * a100 * 730, 2) == 6435.68

    discount = CATALOG["spot_discounts"]["NCadsA100_v4"]["discount"]
    assert discount == 0.8557  # the eastus/westus2 median, unchanged by the new regions
    spot = resources["azurerm_kubernetes_cluster_node_pool.a100_spot"]
    assert spot["compute"]["purchase"] == "spot" and spot["compute"]["count"] == 4
    assert spot["monthly_cost_usd"] == round(4 * a100 * (1 - discount) * 730, 2) == 1857.34

    system = resources["azurerm_kubernetes_cluster.ml"]
    assert system["monthly_cost_usd"] == round(3 * _price("Standard_D4s_v5", "southcentralus") * 730, 2) == 503.7

    finding = run.finding("FIN-GPU-001", "azurerm_kubernetes_cluster_node_pool.a100")
    assert (finding["file"], finding["line"]) == ("main.tf", 38)
    assert finding["impact"]["monthly_usd"] == round(2 * a100 * 730 * discount, 2) == 5507.01
    assert "Standard_NC24ads_A100_v4 on demand $4.408/h in southcentralus (skypilot-catalog-azure-v6, " \
           "as of 2026-11-09)" in finding["impact"]["assumptions"]


def test_every_region_of_the_skypilot_file_is_in_the_catalog() -> None:
    """The nine US regions of vms.csv@098741e7, each with the A100 row the file gives it (westus3 $3.673,
    westus $4.775); sizes the file does not list in a region stay unpriced there (no H100 v5 in westus2)."""
    regions = {"centralus", "eastus", "eastus2", "northcentralus", "southcentralus", "westcentralus", "westus",
               "westus2", "westus3"}
    sky = {reg for reg, prices in CATALOG["on_demand"].items()
           if any(e["source"] == "skypilot-catalog-azure-v6" for e in prices.values())}
    assert sky == regions
    assert _price("Standard_NC24ads_A100_v4", "westus3") == 3.673
    assert _price("Standard_NC24ads_A100_v4", "westus") == 4.775
    assert "Standard_NC40ads_H100_v5" not in CATALOG["on_demand"]["westus2"]
    assert "Standard_NC24ads_A100_v4" not in CATALOG["on_demand"]["northcentralus"]


def test_extraction_keeps_every_region_and_drops_unpublished_spot_prices(tmp_path: Path) -> None:
    """Rows of vms.csv as the file has them: a size outside the catalog is skipped, a SpotPrice equal to Price
    (H100 v5: no spot price published) is left empty, a row without a price is skipped, every region is kept."""
    text = (
        "InstanceType,AcceleratorName,AcceleratorCount,vCPUs,MemoryGiB,GpuInfo,Price,SpotPrice,Region,Generation\n"
        "Standard_B1s,,,1.0,1,,0.0104,,westus3,\"V1,V2\"\n"
        "Standard_D4s_v5,,,4.0,16,,0.23,0.027416,southcentralus,\"V1,V2\"\n"
        "Standard_NC24ads_A100_v4,A100-80GB,1,24.0,220,A100-80GB,3.673,0.40403,westus3,V2\n"
        "Standard_NC40ads_H100_v5,H100,1,40.0,320,H100,8.38,8.38,southcentralus,V2\n"
        "Standard_NV12s_v3,M60,1,12.0,112,M60,,,westcentralus,\"V1,V2\"\n")
    rows = load_tool("extract_azure_skypilot").extract(text)
    assert rows == [
        {"vm_size": "Standard_D4s_v5", "region": "southcentralus", "price": "0.23", "spot_price": "0.027416"},
        {"vm_size": "Standard_NC24ads_A100_v4", "region": "westus3", "price": "3.673", "spot_price": "0.40403"},
        {"vm_size": "Standard_NC40ads_H100_v5", "region": "southcentralus", "price": "8.38", "spot_price": ""},
    ]
