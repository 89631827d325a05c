"""The maintainer tools that turn AWS Price List offer files into catalog entries (no network in these tests)."""

from __future__ import annotations

import importlib.util
import json
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parents[1]
OFFER = ROOT / "tests/fixtures/aws_price_list/AmazonSageMaker-us-west-2-excerpt.json"


def load_tool(name: str) -> ModuleType:
    if str(ROOT / "tools/catalog") not in sys.path:  # the tools import their sibling price_rows.py
        sys.path.insert(0, str(ROOT / "tools/catalog"))
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools/catalog" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def fetch() -> ModuleType:
    return load_tool("fetch_aws_price_list")


def test_offer_file_gives_one_hosting_price_per_type(fetch: ModuleType) -> None:
    rows, problems = fetch.extract(json.loads(OFFER.read_text()))
    by_type = {r["type"]: r for r in rows}
    assert set(by_type) == {"ml.g5.xlarge", "ml.p5.48xlarge", "ml.t3.medium"}  # storage skipped, g6 ambiguous
    assert by_type["ml.p5.48xlarge"] == {"type": "ml.p5.48xlarge", "region": "us-west-2", "price": "63.296",
                                         "component": "Hosting", "publication_date": "2026-11-20",
                                         "offer_version": "20261120171532"}
    assert (by_type["ml.g5.xlarge"]["component"], by_type["ml.g5.xlarge"]["price"]) == ("Hosting", "1.408")
    assert by_type["ml.t3.medium"]["component"] == "Notebook"  # no Hosting SKU: the next component
    assert problems == ["ml.g6.xlarge us-west-2 Hosting: 2 different hourly prices (1.127, 1.35); left out"]


def test_cli_writes_the_csv_and_replaces_only_the_regions_it_read(fetch: ModuleType, tmp_path: Path,
                                                                  capsys: pytest.CaptureFixture[str]) -> None:
    out = tmp_path / "prices.csv"
    fetch.write_rows(out, [{"type": "ml.g5.xlarge", "region": "eu-west-1", "price": "1.57", "component": "Hosting",
                            "publication_date": "2026-10-01", "offer_version": "1"},
                           {"type": "ml.m5.xlarge", "region": "us-west-2", "price": "9.99", "component": "Hosting",
                            "publication_date": "2026-01-01", "offer_version": "0"}])
    assert fetch.main(["--offer-file", str(OFFER), "--out", str(out)]) == 0
    rows = load_tool("price_rows").read_rows(out)
    assert [(r["region"], r["type"]) for r in rows] == [
        ("eu-west-1", "ml.g5.xlarge"), ("us-west-2", "ml.g5.xlarge"), ("us-west-2", "ml.p5.48xlarge"),
        ("us-west-2", "ml.t3.medium")]  # the stale us-west-2 row is gone
    captured = capsys.readouterr()
    assert "3 types, published 2026-11-20" in captured.out
    assert "ml.g6.xlarge us-west-2 Hosting" in captured.err


def test_unreadable_offer_file_is_one_line_and_exit_1(fetch: ModuleType, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    bad = tmp_path / "index.json"
    bad.write_text("{ not json")
    assert fetch.main(["--offer-file", str(bad), "--out", str(tmp_path / "o.csv")]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and err[0].startswith(f"{bad}: cannot read the offer file")


def test_build_prefers_offer_file_prices_and_dates_them(fetch: ModuleType, tmp_path: Path) -> None:
    build_aws = load_tool("build_aws")
    csv_path = tmp_path / "aws_sagemaker_price_list.csv"
    rows, _ = fetch.extract(json.loads(OFFER.read_text()))
    fetch.write_rows(csv_path, rows)
    data, _, mismatches = build_aws.build(price_list=csv_path)
    assert build_aws.validate(data) == [] and mismatches == []
    p5 = data["on_demand"]["us-west-2"]["ml.p5.48xlarge"]
    assert p5 == {"usd_per_hour": 63.296, "source": "aws-price-list-sagemaker", "as_of": "2026-11-20",
                  "component": "Hosting"}
    assert "us-west-2 published 2026-11-20 version 20261120171532" in data["sources"]["aws-price-list-sagemaker"]["notes"]
    assert "us-west-2" not in data["machine_types"]["ml.p5.48xlarge"].get("unpriced", {})
    assert "us-west-2" in data["machine_types"]["ml.g6.xlarge"]["unpriced"]  # ambiguous: still unpriced, said so
    # without the file, nothing changes: the shipped catalog is what build() makes from the committed tables
    shipped = json.loads((ROOT / "linter/pricing/data/aws.json").read_text())
    assert build_aws.build(price_list=tmp_path / "absent.csv")[0] == shipped


def test_download_refuses_anything_but_a_region_code(fetch: ModuleType, tmp_path: Path,
                                                     capsys: pytest.CaptureFixture[str]) -> None:
    assert fetch.main(["--download", "../../etc/passwd", "--out", str(tmp_path / "o.csv")]) == 1
    assert "not an AWS region code: '../../etc/passwd'" in capsys.readouterr().err


AZURE_PAGES = [ROOT / "tests/fixtures/azure_retail" / f"format-fixture-westus2-page{n}.json" for n in (1, 2)]


def test_azure_retail_pages_give_linux_and_spot_prices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    azure = load_tool("fetch_azure_retail_prices")
    out = tmp_path / "azure.csv"
    args = ["--response-file", *map(str, AZURE_PAGES), "--retrieved", "2026-11-26", "--out", str(out)]
    assert azure.main(args) == 0
    rows = load_tool("price_rows").read_rows(out)
    # Windows, Low Priority and Dev/Test meters are skipped; HB176rs_v4 has no catalog spec; NC80adis is ambiguous
    assert rows == [{"vm_size": "Standard_NC40ads_H100_v5", "region": "westus2", "price": "6.98",
                     "spot_price": "2.792", "effective_start_date": "2025-04-01", "retrieved": "2026-11-26"}]
    captured = capsys.readouterr()
    assert "Standard_NC80adis_H100_v5 westus2: linux meters disagree; left out" in captured.err
    assert "westus2: 1 sizes, retrieved 2026-11-26" in captured.out


def test_azure_response_files_need_the_date_they_were_read(tmp_path: Path) -> None:
    azure = load_tool("fetch_azure_retail_prices")
    with pytest.raises(SystemExit) as exc:
        azure.main(["--response-file", str(AZURE_PAGES[0]), "--out", str(tmp_path / "o.csv")])
    assert exc.value.code == 2


def test_azure_build_takes_retail_rows_and_drops_the_unpriced_reason(tmp_path: Path) -> None:
    azure = load_tool("fetch_azure_retail_prices")
    build_azure = load_tool("build_azure")
    out = tmp_path / "azure.csv"
    azure.main(["--response-file", *map(str, AZURE_PAGES), "--retrieved", "2026-11-26", "--out", str(out)])
    data = build_azure.build(retail_csv=str(out))
    assert data["on_demand"]["westus2"]["Standard_NC40ads_H100_v5"] == {
        "usd_per_hour": 6.98, "source": "azure-retail-prices-api", "as_of": "2026-11-26"}
    assert "unpriced" not in data["machine_types"]["Standard_NC40ads_H100_v5"]
    assert "westus2" in data["machine_types"]["Standard_ND96isr_H100_v5"]["unpriced"]
    assert "westus2 2026-11-26" in data["sources"]["azure-retail-prices-api"]["notes"]
    shipped = json.loads((ROOT / "linter/pricing/data/azure.json").read_text())
    assert build_azure.build(retail_csv=str(tmp_path / "absent.csv")) == shipped


GCP_PAGE = ROOT / "tests/fixtures/gcp_billing/format-fixture-skus-page1.json"


def test_gcp_billing_skus_give_attachable_gpu_prices(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    gcp = load_tool("fetch_gcp_billing_catalog")
    out = tmp_path / "gcp.csv"
    assert gcp.main(["--response-file", str(GCP_PAGE), "--retrieved", "2026-11-26", "--out", str(out)]) == 0
    rows = load_tool("price_rows").read_rows(out)
    # Virtual Workstation, commitment and non-GPU SKUs are skipped; the two P100 SKUs disagree
    assert rows == [
        {"accelerator": "nvidia-tesla-t4", "region": "europe-west4", "price": "0.3675", "spot_price": "0.1155",
         "effective_time": "2026-11-20", "retrieved": "2026-11-26"},
        {"accelerator": "nvidia-tesla-v100", "region": "europe-west4", "price": "2.604", "spot_price": "",
         "effective_time": "2026-11-20", "retrieved": "2026-11-26"}]
    assert "nvidia-tesla-p100 europe-west4: on_demand SKUs disagree; left out" in capsys.readouterr().err


def test_gcp_download_needs_an_api_key(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    gcp = load_tool("fetch_gcp_billing_catalog")
    monkeypatch.delenv("GOOGLE_API_KEY", raising=False)
    with pytest.raises(SystemExit) as exc:
        gcp.main(["--download", "--out", str(tmp_path / "o.csv")])
    assert exc.value.code == 2


def test_gcp_build_takes_billing_rows_and_drops_the_unpriced_reason(tmp_path: Path) -> None:
    gcp = load_tool("fetch_gcp_billing_catalog")
    build_gcp = load_tool("build_gcp")
    out = tmp_path / "gcp.csv"
    gcp.main(["--response-file", str(GCP_PAGE), "--retrieved", "2026-11-26", "--out", str(out)])
    data = build_gcp.build(billing_csv=str(out))
    accelerators = data["accelerators"]
    assert accelerators["on_demand"]["europe-west4"]["nvidia-tesla-t4"] == {
        "usd_per_hour": 0.3675, "source": "gcp-cloud-billing-catalog", "as_of": "2026-11-26"}
    assert "unpriced" not in accelerators["specs"]["nvidia-tesla-t4"]
    assert "europe-west4" in accelerators["specs"]["nvidia-tesla-p100"]["unpriced"]
    shipped = json.loads((ROOT / "linter/pricing/data/gcp.json").read_text())
    assert build_gcp.build(billing_csv=str(tmp_path / "absent.csv")) == shipped


@pytest.mark.parametrize("tool, args, content", [
    ("fetch_aws_price_list", ["--offer-file"],
     {"products": [1, 2], "terms": {"OnDemand": {"X": "junk"}}}),
    ("fetch_aws_price_list", ["--offer-file"],
     {"products": {"S": {"attributes": {"instanceName": "ml.g5.xlarge", "component": "Hosting",
                                        "regionCode": "us-west-2"}}},
      "terms": {"OnDemand": {"S": {"T": {"priceDimensions": {"R": {"unit": "Hrs",
                                                                   "pricePerUnit": {"USD": "n/a"}}}}}}}}),
    ("fetch_azure_retail_prices", ["--retrieved", "2026-11-26", "--response-file"], {"Items": ["junk", 3]}),
    ("fetch_gcp_billing_catalog", ["--retrieved", "2026-11-26", "--response-file"],
     {"skus": [{"description": "Nvidia Tesla T4 GPU running in Netherlands", "pricingInfo": "junk",
                "category": {"resourceGroup": "GPU", "usageType": "OnDemand"}, "serviceRegions": "europe-west4"}]}),
])
def test_malformed_price_files_end_in_one_line_not_a_traceback(tool: str, args: list[str], content: object,
                                                              tmp_path: Path,
                                                              capsys: pytest.CaptureFixture[str]) -> None:
    page = tmp_path / "page.json"
    page.write_text(json.dumps(content))
    out = tmp_path / "o.csv"
    assert load_tool(tool).main([*args, str(page), "--out", str(out)]) == 1
    err = capsys.readouterr().err.strip().splitlines()
    assert len(err) == 1 and "found" in err[0] and "Traceback" not in err[0]
    assert not out.exists() or load_tool("price_rows").read_rows(out) == []


def test_per_az_region_rows_must_agree_on_price(tmp_path: Path) -> None:
    """The per-AZ rows of SkyPilot's file price every region but the first three: a mis-copied Price on one AZ row
    (the others of that region differ) fails the build instead of pricing the region from either; Local-Zone AZs
    (priced apart) are skipped."""
    build_aws = load_tool("build_aws")
    rows = tmp_path / "rows.csv"
    rows.write_text("# test\ntype,price,spot,region,az\n"
                    "g5.xlarge,1.006,0.4,us-east-2,use2-az1\n"
                    "g5.xlarge,1.006,0.5,us-east-2,use2-az2\n"
                    "g5.xlarge,1.2,0.5,us-west-2,usw2-lax1-az1\n")
    assert build_aws.per_az_regions(rows) == {"us-east-2": {"g5.xlarge": "1.006"}}
    rows.write_text(rows.read_text() + "g5.xlarge,1.066,0.5,us-east-2,use2-az3\n")
    with pytest.raises(ValueError, match=r"g5.xlarge us-east-2: AZ rows disagree on Price \(1.006 vs 1.066\)"):
        build_aws.per_az_regions(rows)


def test_cyclenerd_extract_keeps_the_cited_generation_families_and_gpus() -> None:
    """extract_gcp_cyclenerd.py turns Cyclenerd's pricing.yml into the build's two tables: every region of each
    machine type of the chosen families, its GPU key, and nothing from another generation of the file."""
    import yaml

    extract = load_tool("extract_gcp_cyclenerd").extract
    pricing = yaml.safe_load((ROOT / "tests/fixtures/gcp_pricing_yml/pricing-excerpt.yml").read_text())
    prices, specs = extract(pricing)
    assert {s["machine_type"] for s in specs} == {"a3-highgpu-1g", "e2-medium", "g2-standard-8"}  # no Arm t2a
    assert {"machine_type": "g2-standard-8", "vcpus": "8", "memory_gb": "32", "gpu_key": "l4",
            "gpu_count": "1"} in specs
    assert {"machine_type": "e2-medium", "region": "asia-northeast1", "hour": "0.04298286",
            "hour_spot": "0.017194"} in prices
    assert len(prices) == 6  # three types x two regions
    pricing["about"]["generated"] = "Thu Jul 22 04:00:00 2026"
    with pytest.raises(SystemExit, match="not the cited"):
        extract(pricing)


def test_shipped_gcp_rows_are_the_extracted_ones() -> None:
    """The build reads only what the extractor wrote: each machine type has a spec row, and the GPU types' specs
    are the ones the catalog publishes."""
    build_gcp = load_tool("build_gcp")
    data = json.loads((ROOT / "linter/pricing/data/gcp.json").read_text())
    assert data["machine_types"]["g2-standard-8"]["gpu"] == {"model": "L4", "count": 1, "memory_gib": 22.35,
                                                             "vendor": "nvidia"}
    assert data["machine_types"]["e2-medium"]["vcpus"] == 1 and data["machine_types"]["e2-medium"]["memory_gib"] == 4
    from linter.pricing.catalog import price_entry

    assert price_entry(data, "asia-northeast1", "e2-medium") == {
        "usd_per_hour": 0.04298286, "source": "cyclenerd-pricing-yml-2025-03-06", "as_of": "2025-03-06"}
    assert set(build_gcp.SPOT_REGIONS) < set(data["on_demand"])
