"""The bundled Terraform examples: violating variants give exactly the documented findings,
compliant variants none, with dollar figures that follow from the catalog."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, scan_json

TF = EXAMPLES / "terraform"

EXPECTED = {
    "aws/training_cluster": {
        ("FIN-GPU-001", "module.gpu_nodes.aws_eks_node_group.this", "modules/gpu_node_group/main.tf", 10),
        ("FIN-GPU-003", "module.gpu_nodes.aws_eks_node_group.this", "modules/gpu_node_group/main.tf", 10),
        ("FIN-TAG-001", "module.gpu_nodes.aws_eks_node_group.this", "modules/gpu_node_group/main.tf", 10),
    },
    "aws/batch_inference": {
        ("FIN-GPU-001", "aws_autoscaling_group.embed_batch", "main.tf", 81),
        ("FIN-GPU-002", "aws_autoscaling_group.embed_batch", "main.tf", 81),
        ("FIN-GPU-003", "aws_autoscaling_group.embed_batch", "main.tf", 81),
        ("FIN-GPU-001", "aws_instance.eval", "eval.tf", 10),  # count = 2: one finding per block, instances listed
        ("FIN-GPU-002", "aws_instance.eval", "eval.tf", 10),
    },
    "aws/inference_endpoint": {
        ("FIN-GPU-003", "aws_sagemaker_endpoint.assistant", "main.tf", 62),
        ("FIN-GPU-003", "aws_sagemaker_notebook_instance.research", "notebook.tf", 8),
    },
    "gcp/training": {
        ("FIN-TAG-001", "google_container_cluster.training", "main.tf", 17),
        ("FIN-TAG-001", "google_container_node_pool.system", "node_pools.tf", 5),
        ("FIN-GPU-001", "google_container_node_pool.a100_training", "node_pools.tf", 41),
        ("FIN-GPU-003", "google_container_node_pool.a100_training", "node_pools.tf", 41),
        ("FIN-TAG-001", "google_container_node_pool.a100_training", "node_pools.tf", 41),
    },
    "gcp/batch": {
        ("FIN-GPU-001", "google_compute_instance.etl", "main.tf", 22),  # for_each over dedup and embeddings
    },
    "azure/training": {
        ("FIN-GPU-001", "module.finetune_pool.azurerm_kubernetes_cluster_node_pool.this",
         "modules/aks_gpu_pool/main.tf", 10),
        ("FIN-GPU-003", "module.finetune_pool.azurerm_kubernetes_cluster_node_pool.this",
         "modules/aks_gpu_pool/main.tf", 10),
        ("FIN-TAG-001", "module.finetune_pool.azurerm_kubernetes_cluster_node_pool.this",
         "modules/aks_gpu_pool/main.tf", 10),
    },
    "azure/inference_dev": {
        ("FIN-GPU-003", "azurerm_linux_virtual_machine.serving", "main.tf", 46),
    },
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_violating_variant_gives_documented_findings(scenario: str) -> None:
    variant = TF / scenario / "violating"
    run = scan_json(str(variant), cwd=variant)
    assert run.exit_code == 1, run.stderr
    got = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}
    assert got == EXPECTED[scenario]
    assert run.report["errors"] == []


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_compliant_variant_is_clean(scenario: str) -> None:
    variant = TF / scenario / "compliant"
    run = scan_json(str(variant), cwd=variant)
    assert run.findings() == [], [f["message"] for f in run.findings()]
    assert run.exit_code == 0
    assert run.report["errors"] == []


def test_p4d_training_pool_prices_follow_the_catalog(catalog) -> None:
    variant = TF / "aws/training_cluster/violating"
    run = scan_json(".", cwd=variant)
    pool = "module.gpu_nodes.aws_eks_node_group.this"
    resource = next(r for r in run.report["resources"] if r["address"] == pool)
    region = resource["region"]
    hourly = catalog.hourly("aws", region, "p4d.24xlarge").usd_per_hour
    nodes = resource["compute"]["count"]
    monthly = round(hourly * nodes * 730, 2)
    assert resource["monthly_cost_usd"] == pytest.approx(monthly, abs=0.01)
    gpu001 = run.finding("FIN-GPU-001", pool)
    discount = catalog.spot_discount("aws", "p4d").fraction
    assert gpu001["monthly_cost_usd"] == pytest.approx(monthly, abs=0.01)
    assert gpu001["impact"]["kind"] == "savings"
    assert gpu001["impact"]["monthly_usd"] == pytest.approx(monthly * discount, abs=0.02)
    assert "730 h/month" in gpu001["impact"]["assumptions"]
    assert any(f"{discount:.0%} below on-demand for p4d" in a for a in gpu001["impact"]["assumptions"])
    assert f"runs {nodes}x p4d.24xlarge (8x A100 each) for training on demand" in gpu001["message"]
    tag = run.finding("FIN-TAG-001", pool)
    assert tag["impact"] == {**tag["impact"], "kind": "unattributed", "monthly_usd": pytest.approx(monthly, abs=0.01)}
    assert "cost-center" in tag["message"]
    idle = run.finding("FIN-GPU-003", pool)
    assert idle["impact"]["monthly_usd"] == pytest.approx(hourly * resource["compute"]["min"] * 730 * 0.7, abs=0.02)


def test_batch_embedding_asg_compares_equal_gpu_capacity(catalog) -> None:
    variant = TF / "aws/batch_inference/violating"
    run = scan_json(".", cwd=variant)
    f = run.finding("FIN-GPU-002", "aws_autoscaling_group.embed_batch")
    region = next(r["region"] for r in run.report["resources"] if r["address"] == "aws_autoscaling_group.embed_batch")
    big = catalog.hourly("aws", region, "g5.48xlarge").usd_per_hour
    small = catalog.hourly("aws", region, "g5.xlarge").usd_per_hour
    count = next(r["compute"]["count"] for r in run.report["resources"]
                 if r["address"] == "aws_autoscaling_group.embed_batch")
    saving = (big - 8 * small) * count * 730  # 8x g5.xlarge hold the 8 A10G of one g5.48xlarge, all on demand
    assert f"{8 * count:g}x g5.xlarge cost ${saving:,.2f} a month less than {count:g}x g5.48xlarge for the " \
           f"same {8 * count:g} A10G" in f["message"]
    assert f["impact"]["monthly_usd"] == pytest.approx(saving, abs=0.05)
    assert f["impact"]["suggested"]["gpus"] == f["impact"]["current"]["gpus"] == 8 * count


def test_westeurope_t4_dev_vm_is_priced_from_the_catalog(catalog) -> None:
    variant = TF / "azure/inference_dev/violating"
    run = scan_json(".", cwd=variant)
    address = "azurerm_linux_virtual_machine.serving"
    resource = next(r for r in run.report["resources"] if r["address"] == address)
    assert resource["region"] == "westeurope"
    price = catalog.hourly("azure", "westeurope", "Standard_NC4as_T4_v3")
    assert price is not None
    monthly = round(price.usd_per_hour * 730, 2)
    assert resource["monthly_cost_usd"] == pytest.approx(monthly, abs=0.01)
    (component,) = resource["cost_components"]
    assert component["price_usd"] == pytest.approx(price.usd_per_hour, abs=1e-6)
    assert component["source"] == price.source and component["as_of"] == price.as_of
    f = run.finding("FIN-GPU-003", address)
    assert f["monthly_cost_usd"] == pytest.approx(monthly, abs=0.01)
    assert f["impact"]["kind"] == "savings"
    # one instance stays up 24/7; the default config assumes it idles 70% of the month
    assert f["impact"]["monthly_usd"] == pytest.approx(price.usd_per_hour * 730 * 0.7, abs=0.02)
    assert any(f"Standard_NC4as_T4_v3 on demand ${price.usd_per_hour:.3f}/h in westeurope" in a
               for a in f["impact"]["assumptions"])


def test_unknown_region_price_is_reported_not_guessed(tmp_path) -> None:
    from conftest import write

    write(tmp_path, {"main.tf": '''provider "azurerm" {
  features {}
}

resource "azurerm_linux_virtual_machine" "serving" {
  name                = "vm-serving"
  location            = "southafricawest"
  resource_group_name = "rg-serving"
  size                = "Standard_NC4as_T4_v3"
  admin_username      = "azureuser"
  network_interface_ids = ["/subscriptions/0/resourceGroups/rg/providers/Microsoft.Network/networkInterfaces/nic"]
  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
  }
  tags = { team = "a", "cost-center" = "b", environment = "dev" }
}
'''})
    run = scan_json(".", cwd=tmp_path)
    address = "azurerm_linux_virtual_machine.serving"
    resource = next(r for r in run.report["resources"] if r["address"] == address)
    assert resource["region"] == "southafricawest"
    assert resource["monthly_cost_usd"] is None
    f = run.finding("FIN-GPU-003", address)
    assert f["monthly_cost_usd"] is None
    assert f["impact"]["monthly_usd"] is None
    assert any("no catalog price for Standard_NC4as_T4_v3 in southafricawest" in a for a in f["impact"]["assumptions"])


def test_gcp_attached_t4s_priced_per_gpu_hour(catalog) -> None:
    variant = TF / "gcp/batch/violating"
    run = scan_json(".", cwd=variant)
    r = next(r for r in run.report["resources"] if r["address"] == 'google_compute_instance.etl["dedup"]')
    vm = catalog.hourly("gcp", r["region"], "n1-standard-16").usd_per_hour
    t4 = catalog.accelerator_hourly("gcp", r["region"], "nvidia-tesla-t4").usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx((vm + 4 * t4) * 730, abs=0.02)
    assert [c["unit"] for c in r["cost_components"]] == ["hours", "GPU-hours"]
    # one VM with 4 T4 against 4 VMs with one each is never cheaper (n1 is priced per vCPU): no FIN-GPU-002
    assert not run.findings("FIN-GPU-002")
    f = run.finding("FIN-GPU-001", "google_compute_instance.etl")  # both for_each instances, summed
    vm_spot = catalog.spot_discount("gcp", "n1", region=r["region"]).fraction  # n1's own discount in that region
    t4_spot = catalog.spot_discount("gcp", "nvidia-tesla-t4").fraction
    one = (vm * vm_spot + 4 * t4 * t4_spot) * 730
    assert [(i["resource"], i["impact_usd"]) for i in f["instances"]] == [
        ('google_compute_instance.etl["dedup"]', pytest.approx(one, abs=0.02)),
        ('google_compute_instance.etl["embeddings"]', pytest.approx(one, abs=0.02))]
    assert f["impact"]["monthly_usd"] == pytest.approx(2 * one, abs=0.04)
    assert f["monthly_cost_usd"] == pytest.approx(2 * r["monthly_cost_usd"], abs=0.02)
