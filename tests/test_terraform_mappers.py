"""Each Terraform resource type in the issue becomes the right compute facts and findings."""

from __future__ import annotations

import pytest

from conftest import ROOT, scan_json

FIXTURE = ROOT / "tests/fixtures/terraform/mappers"


@pytest.fixture(scope="module")
def run():
    return scan_json(".", cwd=FIXTURE)


def resource(run, address: str) -> dict:
    return next(r for r in run.report["resources"] if r["address"] == address)


def test_spot_instance_request_is_spot_and_not_flagged(run, catalog) -> None:
    r = resource(run, "aws_spot_instance_request.sweep")
    assert r["compute"]["purchase"] == "spot" and r["workload"]["kind"] == "training"
    assert not [f for f in run.findings() if f["resource"] == r["address"]]
    od = catalog.hourly("aws", "us-east-1", "g5.2xlarge").usd_per_hour
    spot = catalog.spot_discount("aws", "g5").fraction
    assert r["monthly_cost_usd"] == pytest.approx(od * (1 - spot) * 730, abs=0.02)
    assert "spot" in r["cost_components"][0]["name"]


def test_batch_compute_environment_floor_from_min_vcpus(run, catalog) -> None:
    r = resource(run, "aws_batch_compute_environment.embeddings_ondemand")
    c = r["compute"]
    assert (c["instance_type"], c["count"], c["min"], c["max"]) == ("g5.12xlarge", 1, 1, 16)  # 48 and 768 vCPUs / 48
    assert {f["rule_id"] for f in run.findings() if f["resource"] == r["address"]} == \
        {"FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003"}
    assert run.finding("FIN-GPU-001", r["address"])["line"] == 30
    hourly = catalog.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour
    assert run.finding("FIN-GPU-003", r["address"])["impact"]["monthly_usd"] == pytest.approx(hourly * 730 * 0.7,
                                                                                             abs=0.02)
    spot = resource(run, "aws_batch_compute_environment.embeddings_spot")
    assert spot["compute"]["purchase"] == "spot" and spot["compute"]["min"] == 0
    assert not [f for f in run.findings() if f["resource"] == spot["address"]]


def test_endpoint_configuration_without_endpoint_is_priced(run, catalog) -> None:
    r = resource(run, "aws_sagemaker_endpoint_configuration.reranker")
    hourly = catalog.hourly("aws", "us-east-1", "ml.g5.xlarge").usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx(2 * hourly * 730, abs=0.02)
    assert r["workload"]["kind"] == "inference"


def test_windows_vm_in_dev_priced_at_linux_rate_with_a_note(run, catalog) -> None:
    r = resource(run, "azurerm_windows_virtual_machine.labeling_ws")
    assert r["region"] == "eastus"  # "East US" normalised
    assert "Linux rate; the Windows licence is not included" in r["price_notes"]
    f = run.finding("FIN-GPU-003", r["address"])
    assert "in dev" in f["message"]
    hourly = catalog.hourly("azure", "eastus", "Standard_NV36ads_A10_v5").usd_per_hour
    assert f["monthly_cost_usd"] == pytest.approx(hourly * 730, abs=0.02)


def test_scale_set_spot_priority_and_aks_default_pool(run) -> None:
    vmss = resource(run, "azurerm_linux_virtual_machine_scale_set.train_workers")
    assert vmss["compute"]["purchase"] == "spot" and vmss["compute"]["count"] == 2
    assert run.findings("FIN-GPU-001") and not [f for f in run.findings("FIN-GPU-001")
                                                if f["resource"] == vmss["address"]]
    aks = resource(run, "azurerm_kubernetes_cluster.vision")
    assert (aks["compute"]["instance_type"], aks["compute"]["count"], aks["compute"]["max"]) == \
        ("Standard_D4s_v5", 2, 5)


def test_gcp_template_priced_through_its_managed_group(run, catalog) -> None:
    template = resource(run, "google_compute_instance_template.batch_embed")
    assert template["monthly_cost_usd"] is None and "compute" not in template
    mig = resource(run, "google_compute_instance_group_manager.batch_embed")
    hourly = catalog.hourly("gcp", "us-central1", "g2-standard-24").usd_per_hour
    assert mig["monthly_cost_usd"] == pytest.approx(3 * hourly * 730, abs=0.05)
    assert mig["compute"]["gpu"]["model"] == "L4" and mig["compute"]["gpu"]["count"] == 2
    assert mig["tags"]["team"] == "search"  # provider default_labels
    assert {f["rule_id"] for f in run.findings() if f["resource"] == mig["address"]} == \
        {"FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003"}


def test_workload_hint_from_config(tmp_path) -> None:
    import shutil

    shutil.copytree(FIXTURE, tmp_path / "stack")
    (tmp_path / "stack/.finops-lint.yaml").write_text("workload_hints:\n  - {match: '*labeling*', kind: batch}\n")
    run = scan_json(".", cwd=tmp_path / "stack")
    r = resource(run, "azurerm_windows_virtual_machine.labeling_ws")
    assert r["workload"] == {"kind": "batch", "evidence": ["config workload_hints: '*labeling*'"]}
    assert run.finding("FIN-GPU-001", r["address"])


def test_production_endpoint_without_autoscaling_is_idle_capacity(tmp_path, catalog) -> None:
    import shutil

    src = ROOT / "iac_examples/terraform/aws/inference_endpoint/compliant"
    shutil.copytree(src, tmp_path / "stack")
    (tmp_path / "stack/autoscaling.tf").unlink()  # the production endpoint loses its autoscaling target
    outputs = tmp_path / "stack/outputs.tf"
    if outputs.exists() and "aws_appautoscaling" in outputs.read_text():
        outputs.unlink()
    run = scan_json(".", cwd=tmp_path / "stack")
    f = run.finding("FIN-GPU-003", "aws_sagemaker_endpoint.assistant")
    assert "with no autoscaling" in f["message"]
    r = resource(run, "aws_sagemaker_endpoint.assistant")
    hourly = catalog.hourly("aws", r["region"], r["compute"]["instance_type"]).usd_per_hour
    assert f["impact"]["monthly_usd"] == pytest.approx(hourly * r["compute"]["count"] * 730 * 0.7, abs=0.05)
    assert r["cost_components"][0]["name"].startswith("Endpoint hosting usage (Linux, on-demand, ml.g5.12xlarge)")
