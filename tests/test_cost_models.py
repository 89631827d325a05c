"""Every dollar figure can be redone from the catalog in one line (issue 8; issue 7 item 5).

Each test scans a realistic root module under tests/fixtures/*/cost_models and recomputes the
figure from catalog prices; none pastes a dollar amount."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, run_cli, scan_json, write
from linter.pricing.catalog import Catalog

TF = ROOT / "tests" / "fixtures" / "terraform" / "cost_models"
K8S = ROOT / "tests" / "fixtures" / "kubernetes" / "cost_models"
HOURS = 730


def hourly(cat: Catalog, provider: str, region: str, machine_type: str) -> float:
    price = cat.hourly(provider, region, machine_type)
    assert price is not None, machine_type
    return price.usd_per_hour


def spot(cat: Catalog, provider: str, family: str, region: str | None = None) -> float:
    """The family's spot discount (in ``region``, where the catalog has that region's own spot prices)."""
    discount = cat.spot_discount(provider, family, region=region)
    assert discount is not None, family
    return discount.fraction


@pytest.fixture(scope="module")
def eks():
    return scan_json(".", cwd=TF / "aws_eks_pools")


@pytest.fixture(scope="module")
def aks():
    return scan_json(".", cwd=TF / "azure_aks_pools")


@pytest.fixture(scope="module")
def asgs():
    return scan_json(".", cwd=TF / "aws_asgs")


@pytest.fixture(scope="module")
def gcp():
    return scan_json(".", cwd=TF / "gcp")


# 1. FIN-GPU-002 compares equal GPU capacity -------------------------------------------------------------

def test_training_on_the_largest_size_is_not_oversized(eks) -> None:
    """p5.4xlarge is exactly 1/8 of p5.48xlarge, and multi-node training wants the largest size."""
    assert [f["resource"] for f in eks.findings("FIN-GPU-002")] == ['aws_eks_node_group.gpu["embed"]']
    eks.finding("FIN-GPU-001", 'aws_eks_node_group.gpu["h100-train"]')  # still bought on demand


def test_equal_capacity_on_spot_each_side_at_its_family_discount(eks, catalog: Catalog) -> None:
    f = eks.finding("FIN-GPU-002", 'aws_eks_node_group.gpu["embed"]')
    big, small = hourly(catalog, "aws", "us-east-1", "g5.48xlarge"), hourly(catalog, "aws", "us-east-1", "g5.xlarge")
    saving = (big - 8 * small) * (1 - spot(catalog, "aws", "g5")) * HOURS  # one node, on spot
    assert f["impact"]["monthly_usd"] == pytest.approx(saving, abs=0.01)
    assert f"8x g5.xlarge cost ${saving:,.2f} a month less than 1x g5.48xlarge for the same 8 A10G" in f["message"]
    assert f["impact"]["current"]["gpus"] == f["impact"]["suggested"]["gpus"] == 8
    assert f["impact"]["suggested"]["gpu_memory_gib"] >= f["impact"]["current"]["gpu_memory_gib"]


def test_silent_when_equal_capacity_costs_more(aks, catalog: Catalog) -> None:
    """Standard_ND96asr_v4 (8x A100 40 GB) against 8x Standard_NC24ads_A100_v4: more, so no finding."""
    nd = hourly(catalog, "azure", "eastus", "Standard_ND96asr_v4")
    assert 8 * hourly(catalog, "azure", "eastus", "Standard_NC24ads_A100_v4") > nd
    assert not [f for f in aks.findings("FIN-GPU-002") if f["resource"].endswith('["scoring"]')]


# 2. suggestions keep the GPU model; the suggested type takes its own family's spot discount -----------

def test_no_cross_model_suggestion_for_the_only_a100_size(eks) -> None:
    """p4d.24xlarge is the only 8x A100 40 GB AWS size: no g6e (L40S) suggestion on memory alone."""
    assert not [f for f in eks.findings("FIN-GPU-002") if "eval-a100" in f["resource"]]


def test_suggested_family_priced_with_its_own_spot_discount(aks, catalog: Catalog) -> None:
    nd = hourly(catalog, "azure", "eastus", "Standard_ND96amsr_A100_v4")
    nc = hourly(catalog, "azure", "eastus", "Standard_NC96ads_A100_v4")  # 4x A100 80 GB
    f = aks.finding("FIN-GPU-002", 'azurerm_kubernetes_cluster_node_pool.gpu["scoring80"]')  # on demand
    assert f["impact"]["monthly_usd"] == pytest.approx((nd - 2 * nc) * HOURS, abs=0.01)
    assert "2x Standard_NC96ads_A100_v4" in f["message"] and "for the same 8 A100" in f["message"]
    # on spot, each at its own family's discount, two NC96ads cost more than one ND96amsr: no finding
    nd_spot = nd * (1 - spot(catalog, "azure", "NDamsrA100_v4"))
    nc_spot = 2 * nc * (1 - spot(catalog, "azure", "NCadsA100_v4"))
    assert nc_spot > nd_spot
    assert not [x for x in aks.findings("FIN-GPU-002") if x["resource"].endswith('["scoringsp"]')]


def test_explain_says_what_a_suggestion_gives_up() -> None:
    run = run_cli("explain", "FIN-GPU-002")
    assert "gives up" in run.stdout and "NVLink" in run.stdout and "GPU model" in run.stdout


# 3. no invented spot discount ---------------------------------------------------------------------------

def test_unknown_spot_discount_leaves_the_saving_unknown(aks, catalog: Catalog) -> None:
    assert catalog.spot_discount("azure", "NDisrH100_v5") is None
    f = aks.finding("FIN-GPU-001", 'azurerm_kubernetes_cluster_node_pool.gpu["pretrain"]')
    assert f["impact"]["monthly_usd"] is None
    assert "no spot discount is known for NDisrH100_v5" in f["message"]
    assert any("no spot discount for NDisrH100_v5" in a and "prices.spot_discounts.azure.NDisrH100_v5" in a
               for a in f["impact"]["assumptions"])


def test_a_default_discount_is_the_users(tmp_path: Path, catalog: Catalog) -> None:
    import shutil

    repo = tmp_path / "aks"
    shutil.copytree(TF / "azure_aks_pools", repo)
    write(repo, {".finops-lint.yaml": "prices:\n  spot_discounts: {azure: {default: 0.7}}\n"})
    f = scan_json(".", cwd=repo).finding("FIN-GPU-001", 'azurerm_kubernetes_cluster_node_pool.gpu["pretrain"]')
    h100 = hourly(catalog, "azure", "eastus", "Standard_ND96isr_H100_v5")
    assert f["impact"]["monthly_usd"] == pytest.approx(2 * h100 * 0.7 * HOURS, abs=0.01)
    assert any("prices.spot_discounts.azure.default" in a for a in f["impact"]["assumptions"])


# 4. FIN-SCALE-001 at the purchase mix, from one base ---------------------------------------------------

def test_spot_asg_exposure_at_spot_prices_from_the_priced_count(asgs, catalog: Catalog) -> None:
    f = asgs.finding("FIN-SCALE-001", "aws_autoscaling_group.tgi")
    node_spot = hourly(catalog, "aws", "us-east-1", "g5.2xlarge") * (1 - spot(catalog, "aws", "g5"))
    assert f["monthly_cost_usd"] == pytest.approx(4 * node_spot * HOURS, abs=0.01)  # desired 4, on spot
    assert f["impact"]["monthly_usd"] == pytest.approx((8 - 4) * node_spot * HOURS, abs=0.01)  # up to max 8
    assert f["monthly_cost_usd"] + f["impact"]["monthly_usd"] == pytest.approx(8 * node_spot * HOURS, abs=0.02)
    assert any("between the 4 priced now and the maximum 8" in a for a in f["impact"]["assumptions"])


def test_spot_regional_mig_exposure(gcp, catalog: Catalog) -> None:
    f = gcp.finding("FIN-SCALE-001", "google_compute_region_instance_group_manager.l4")
    node_spot = hourly(catalog, "gcp", "us-central1", "g2-standard-24") * (1 - spot(catalog, "gcp", "g2"))
    assert f["impact"]["monthly_usd"] == pytest.approx((10 - 2) * node_spot * HOURS, abs=0.01)


# 6. the on-demand base stays on demand -----------------------------------------------------------------

def test_on_demand_base_capacity_is_kept(asgs, catalog: Catalog) -> None:
    f = asgs.finding("FIN-GPU-001", "aws_autoscaling_group.sweep")
    p4d = hourly(catalog, "aws", "us-east-1", "p4d.24xlarge")
    moved = 1 + 0.5 * (4 - 1) - 1  # on demand: base 1 + 50% of the 3 above it; the base stays
    assert f["impact"]["monthly_usd"] == pytest.approx(moved * p4d * spot(catalog, "aws", "p4d") * HOURS, abs=0.01)
    assert any("on_demand_base_capacity = 1 stays on demand" in a for a in f["impact"]["assumptions"])


# 7. each cost component takes its own spot discount ----------------------------------------------------

def test_vm_and_attached_gpus_each_take_their_discount(gcp, catalog: Catalog) -> None:
    f = gcp.finding("FIN-GPU-001", "google_compute_instance.rescore")
    vm = hourly(catalog, "gcp", "us-central1", "n1-standard-8")
    v100 = catalog.accelerator_hourly("gcp", "us-central1", "nvidia-tesla-v100").usd_per_hour
    expected = (vm * spot(catalog, "gcp", "n1", "us-central1") + 4 * v100 * spot(catalog, "gcp", "nvidia-tesla-v100")) * HOURS
    assert f["impact"]["monthly_usd"] == pytest.approx(expected, abs=0.01)
    assert f"spot/preemptible is {expected / ((vm + 4 * v100) * HOURS):.0%} cheaper" in f["message"]  # whole node
    assert not gcp.findings("FIN-GPU-002")  # 4 VMs with one V100 each never cost less than one with four


# 8. scale-from-zero capacity is not free ---------------------------------------------------------------

def test_scale_from_zero_is_unknown_up_to_max(catalog: Catalog) -> None:
    run = scan_json(".", cwd=TF / "aws_batch")
    address = "aws_batch_compute_environment.gpu_on_demand"
    f = run.finding("FIN-GPU-001", address)
    g4dn = hourly(catalog, "aws", "us-west-2", "g4dn.xlarge")
    nodes = 64 // catalog.machine("aws", "g4dn.xlarge")["vcpus"]  # max_vcpus 64 / 4 vCPUs
    assert f["monthly_cost_usd"] is None and f["impact"]["monthly_usd"] is None
    saving = nodes * g4dn * spot(catalog, "aws", "g4dn") * HOURS
    assert f"saving unknown: up to ${saving:,.2f} a month at max capacity" in f["impact"]["assumptions"]
    resource = next(r for r in run.report["resources"] if r["address"] == address)
    assert any(f"up to ${nodes * g4dn * HOURS:,.2f} a month at max capacity" in n for n in resource["price_notes"])


def test_scale_from_zero_priced_from_the_usage_assumption(tmp_path: Path, catalog: Catalog) -> None:
    import shutil

    repo = tmp_path / "batch"
    shutil.copytree(TF / "aws_batch", repo)
    write(repo, {".finops-lint.yaml": "usage:\n  scale_from_zero_hours: 120\n"})
    run = scan_json(".", cwd=repo)
    f = run.finding("FIN-GPU-001", "aws_batch_compute_environment.gpu_on_demand")
    g4dn = hourly(catalog, "aws", "us-west-2", "g4dn.xlarge")
    assert f["monthly_cost_usd"] == pytest.approx(16 * g4dn * 120, abs=0.01)
    assert f["impact"]["monthly_usd"] == pytest.approx(16 * g4dn * 120 * spot(catalog, "aws", "g4dn"), abs=0.01)


def test_scaled_job_from_zero_is_not_free(catalog: Catalog) -> None:
    f = scan_json(".", cwd=K8S).finding("FIN-GPU-001", "ScaledJob/ml-dev/ocr-pages")
    g5 = hourly(catalog, "aws", "us-east-1", "g5.xlarge")  # one 1-GPU pod fills a g5.xlarge
    assert f["monthly_cost_usd"] is None and f["impact"]["monthly_usd"] is None
    assert f"saving unknown: up to ${10 * g5 * spot(catalog, 'aws', 'g5') * HOURS:,.2f} a month at max capacity" \
        in f["impact"]["assumptions"]


# issue 7 item 5: FIN-GPU-003 is about the floor --------------------------------------------------------

def test_no_idle_floor_when_the_minimum_is_zero(asgs, catalog: Catalog) -> None:
    assert not [f for f in asgs.findings("FIN-GPU-003") if f["resource"] == "aws_autoscaling_group.ingest"]
    f = asgs.finding("FIN-GPU-001", "aws_autoscaling_group.ingest")  # the 2 running now are still on demand
    g5 = hourly(catalog, "aws", "us-east-1", "g5.xlarge")
    assert f["impact"]["monthly_usd"] == pytest.approx(2 * g5 * spot(catalog, "aws", "g5") * HOURS, abs=0.01)


def test_regional_pool_floor_is_per_zone(gcp, catalog: Catalog) -> None:
    f = gcp.finding("FIN-GPU-003", "google_container_node_pool.a100")
    a2 = hourly(catalog, "gcp", "us-central1", "a2-highgpu-1g")
    assert f["impact"]["monthly_usd"] == pytest.approx(3 * a2 * HOURS * 0.7, abs=0.01)
    assert "floor of 3 instance(s) (1 per zone x 3 zones) stays up when there is no work" in f["impact"]["assumptions"]
    assert "keeps 3x a2-highgpu-1g (1x A100 each; 1 per zone x 3 zones) running for training" in f["message"]


def test_jobs_and_run_once_pods_are_not_idle_floors() -> None:
    run = scan_json(".", cwd=K8S)
    assert [f["resource"] for f in run.findings("FIN-GPU-003")] == ["Deployment/ml-dev/notebook"]


def test_idle_gpu_message_has_no_branching() -> None:
    import yaml

    rule = yaml.safe_load((ROOT / "rules" / "FIN-GPU-003.yaml").read_text())
    assert " if " not in rule["message"] and "else" not in rule["message"]


# explain states the formula ----------------------------------------------------------------------------

def test_every_rule_states_its_formula() -> None:
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import load_rules

    for rule in load_rules([], set(IMPACTS)):
        assert rule.docs.get("formula", "").strip(), rule.id
        out = run_cli("explain", rule.id).stdout
        formula = next(line for line in out.splitlines() if line.startswith("Formula: "))
        assert formula.removeprefix("Formula: ") == " ".join(rule.docs["formula"].split())


# every savings finding keeps the GPUs the work needs ---------------------------------------------------

@pytest.mark.parametrize("tree", ["iac_examples", "tests/fixtures/terraform", "tests/fixtures/kubernetes"])
def test_every_saving_keeps_gpu_count_and_memory(tree: str) -> None:
    """For every savings finding in every example and fixture, the suggested configuration has at least the GPUs
    and GPU memory of the current one, unless its assumptions say it has fewer (and why); and no savings finding
    claims a known $0."""
    run = scan_json(str(ROOT / tree))
    savings = run.findings()
    savings = [f for f in savings if f["impact"]["kind"] == "savings"]
    assert savings
    for f in savings:
        where = f"{f['rule_id']} {f['file']}:{f['line']} {f['resource']}"
        impact = f["impact"]
        assert impact["monthly_usd"] != 0, where
        now, then = impact.get("current"), impact.get("suggested")
        if now is None:  # a model sized to what the work needs (FIN-GPU-005) states the need instead
            assert f["rule_id"] not in ("FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003", "FIN-GPU-004"), where
            assert any("needed" in a for a in impact["assumptions"]), where
            continue
        if any(a.startswith("fewer GPUs") for a in impact["assumptions"]):
            continue
        assert now["gpus"] is None or then["gpus"] >= now["gpus"], where
        assert now["gpu_memory_gib"] is None or then["gpu_memory_gib"] >= now["gpu_memory_gib"], where
