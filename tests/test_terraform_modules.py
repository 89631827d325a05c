"""Modules as Terraform evaluates them: per value (modules may read each other's outputs), never
losing a module to an internal error, and registry modules read from what `terraform init` installed."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli, scan_json, write
from linter.pricing.catalog import Catalog

FIXTURES = ROOT / "tests" / "fixtures"
MODULES = FIXTURES / "terraform" / "modules"
HOURS = 730


def _no_internal_errors(report: dict) -> None:
    bad = [e for e in report["errors"] if "internal error" in e["message"]]
    assert bad == [], bad


def test_modules_reading_each_others_outputs(catalog: Catalog) -> None:
    """module.llm_endpoint reads module.alerts.topic_arn and module.alerts reads the endpoint's outputs (as
    uktrade/data-workspace's SageMaker modules do): this used to end in RecursionError and drop the root."""
    run = scan_json(".", cwd=MODULES / "llm_endpoint_alarms")
    report = run.report
    assert report["errors"] == []
    address = "module.llm_endpoint.aws_sagemaker_endpoint.this"
    f = run.finding("FIN-SCALE-001", address)
    assert (f["file"], f["line"]) == ("modules/sagemaker_endpoint/main.tf", 36)
    assert "CPUUtilization" in f["message"]
    hourly = catalog.hourly("aws", "us-east-1", "ml.g5.12xlarge").usd_per_hour
    assert f["monthly_cost_usd"] == pytest.approx(round(hourly * HOURS, 2), abs=0.01)
    assert f["impact"]["monthly_usd"] == pytest.approx(round((4 - 1) * hourly * HOURS, 2), abs=0.02)
    assert f["called_from"] == [{"file": "main.tf", "line": 5}]
    assert run.exit_code == 1
    text = run_cli("scan", ".", cwd=MODULES / "llm_endpoint_alarms").stdout
    assert "via: main.tf:5" in text  # the module block that leads to it
    # the values that cross between the modules were evaluated, each once
    alarm = next(r for r in report["resources"] if r["address"] == "module.alerts.aws_cloudwatch_metric_alarm.cpu_high")
    assert "unknowns" not in alarm or not any("cycle" in u for u in alarm["unknowns"])


def test_a_true_cycle_between_modules_is_an_unknown_with_its_chain(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": '''
provider "aws" { region = "us-east-1" }

module "trainer" {
  source        = "./modules/trainer"
  instance_type = module.sizing.instance_type
}

module "sizing" {
  source    = "./modules/sizing"
  requested = module.trainer.instance_type
}
''',
        "modules/trainer/main.tf": '''
variable "instance_type" { type = string }
resource "aws_instance" "this" {
  ami           = "ami-0abcdef1234567890"
  instance_type = var.instance_type
  tags          = { team = "ml", cost-center = "cc-1", environment = "dev" }
}
output "instance_type" { value = var.instance_type }
''',
        "modules/sizing/main.tf": '''
variable "requested" { type = string }
output "instance_type" { value = var.requested }
''',
    })
    run = scan_json(".", cwd=tmp_path)
    report = run.report
    _no_internal_errors(report)
    r = next(r for r in report["resources"] if r["address"] == "module.trainer.aws_instance.this")
    reason = next(u for u in r["unknowns"] if u.startswith("instance_type:"))
    assert "cycle: module.trainer.var.instance_type -> module.sizing.instance_type -> " \
           "module.sizing.var.requested -> module.trainer.instance_type -> module.trainer.var.instance_type" in reason


def test_attribute_defined_twice_is_a_clear_error_and_the_module_is_still_scanned(tmp_path: Path,
                                                                                   catalog: Catalog) -> None:
    """infracost's testdata does_not_panic_on_double_attribute_definition: an argument and a block of one name
    (and the same argument twice) ended in AttributeError and lost the module."""
    write(tmp_path, {
        "network.tf": '''
resource "aws_eip" "ingest" {
  network_interface = "eni-0a1b2c3d4e5f60718"

  network_interface {
    device_index = 0
  }
}

resource "aws_eip" "egress" {
  domain = "vpc"
  domain = "standard"
}
''',
        "train.tf": '''
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "research", cost-center = "cc-9", environment = "prod" }
  }
}

resource "aws_instance" "finetune" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "g5.12xlarge"
  tags          = { workload = "fine-tuning" }
}
''',
    })
    run = scan_json(".", cwd=tmp_path)
    report = run.report
    _no_internal_errors(report)
    assert {(e["file"], e["line"], e["message"]) for e in report["errors"]} == {
        ("network.tf", 5, 'attribute "network_interface" defined twice (first at line 3, then as a block)'),
        ("network.tf", 12, 'attribute "domain" defined twice (first at line 11)'),
    }
    assert run.exit_code == 2
    f = run.finding("FIN-GPU-001", "aws_instance.finetune")
    assert (f["file"], f["line"]) == ("train.tf", 9)
    assert f["monthly_cost_usd"] == pytest.approx(
        round(catalog.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour * HOURS, 2), abs=0.01)
    assert {r["address"] for r in report["resources"]} >= {"aws_eip.ingest", "aws_eip.egress"}


def _scan_dirs() -> list[Path]:
    """Every directory a user could point the scanner at among our fixtures and examples."""
    tops = [EXAMPLES, FIXTURES / "terraform", FIXTURES / "kubernetes"]
    dirs = {p.parent for top in tops for p in top.rglob("*") if p.suffix in (".tf", ".yaml", ".yml", ".json")
            and ".terraform" not in p.parts}
    return sorted(dirs)


def test_no_fixture_or_example_ends_in_an_internal_error() -> None:
    dirs = _scan_dirs()
    assert len(dirs) > 30
    for d in dirs:
        run = scan_json(str(d))
        assert run.exit_code in (0, 1, 2), (d, run.stderr)
        bad = [e for e in run.report["errors"] if "internal error" in e["message"]]
        assert bad == [], (d, bad)


# ---------------------------------------------------------------------------------------------
# Registry and git modules installed by `terraform init`

REGISTRY = MODULES / "registry_gpu_node_group"
NODE_GROUP = ".terraform/modules/platform.gpu_nodes/modules/eks-managed-node-group/main.tf"


def test_installed_registry_module_is_read_with_its_inputs(catalog: Catalog) -> None:
    """modules.json maps module.platform (git) and module.platform.module.gpu_nodes (registry, nested key
    ``platform.gpu_nodes``) to the directories `terraform init` installed; the GPU node group inside is found,
    priced, and points back at the module blocks a reviewer would change."""
    run = scan_json(".", cwd=REGISTRY)
    report = run.report
    assert report["errors"] == []
    address = "module.platform.module.gpu_nodes.aws_eks_node_group.this[0]"
    f = run.finding("FIN-GPU-001", address)
    assert (f["file"], f["line"]) == (NODE_GROUP, 37)
    assert f["called_from"] == [{"file": "main.tf", "line": 5},
                                {"file": ".terraform/modules/platform/eks/main.tf", "line": 7}]
    hourly = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    monthly = round(2 * hourly * HOURS, 2)  # desired_size = 2, capacity_type ON_DEMAND from the root's input
    assert f["monthly_cost_usd"] == pytest.approx(monthly, abs=0.01)
    spot = catalog.spot_discount("aws", "p4d").fraction
    assert f["impact"]["monthly_usd"] == pytest.approx(round(monthly * spot, 2), abs=0.02)
    node_group = next(r for r in report["resources"] if r["address"] == address)
    assert node_group["workload"] == {"kind": "training", "evidence": ["node label workload=training"]}
    # the root's inputs reached the node group through two modules
    assert node_group["compute"]["min"] == 2 and node_group["compute"]["max"] == 8
    # an entry whose directory is missing keeps the notice, with how to get it read
    notice = next(s for s in report["skipped"] if s["line"] == 25)
    assert notice["file"] == "main.tf" and "terraform init" in notice["reason"]
    text = run_cli("scan", ".", cwd=REGISTRY).stdout
    assert "via: main.tf:5 > .terraform/modules/platform/eks/main.tf:7" in text


def test_without_an_installed_copy_the_module_is_a_notice(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(REGISTRY, tmp_path / "infra", ignore=shutil.ignore_patterns(".terraform"))
    run = scan_json("infra", cwd=tmp_path)
    assert run.findings("FIN-GPU-001") == []
    reasons = {(s["file"], s["line"]): s["reason"] for s in run.report["skipped"]}
    reason = reasons[("infra/main.tf", 5)]
    assert "git::https://github.com/acme-ml/platform-modules.git//eks?ref=v3.4.1" in reason
    assert "not installed" in reason and "terraform init" in reason and "plan" in reason


def test_terraform_directory_is_never_a_root_of_its_own() -> None:
    """Scanning the tree finds the installed modules only through the root's module blocks."""
    run = scan_json(".", cwd=REGISTRY)
    origins = {r["file"].split("/")[0] for r in run.report["resources"]}
    assert origins == {".terraform"}
    assert all(r["address"].startswith("module.platform.") for r in run.report["resources"])


def test_broken_modules_json_is_a_one_line_error(tmp_path: Path) -> None:
    import shutil

    shutil.copytree(REGISTRY, tmp_path / "infra")
    (tmp_path / "infra/.terraform/modules/modules.json").write_text('{"Modules": [\n  {"Key": "platform",\n')
    run = scan_json("infra", cwd=tmp_path)
    assert {(e["file"], e["line"]) for e in run.report["errors"]} == {("infra/.terraform/modules/modules.json", 3)}
    assert run.exit_code == 2
    assert any("terraform init" in s["reason"] for s in run.report["skipped"])
