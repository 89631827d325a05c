"""The bundled Pulumi examples: a Python program and a YAML program, violating and compliant, give exactly
the documented findings with figures that follow from the catalog."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, scan_json

PULUMI = EXAMPLES / "pulumi"

EXPECTED = {
    "python_aws_training": {
        # the EKS cluster bills by itself (infracost prices aws_eks_cluster's hourly fee; the catalog does not)
        ("FIN-TAG-001", "training", "__main__.py", 37),
        ("FIN-GPU-001", "gpu-training", "__main__.py", 44),
        ("FIN-GPU-003", "gpu-training", "__main__.py", 44),
        ("FIN-TAG-001", "gpu-training", "__main__.py", 44),
        # the launch template is named embed-batch too: Pulumi names are unique per type, so both get their type
        ("FIN-GPU-001", "embed-batch (Group)", "__main__.py", 78),
        ("FIN-GPU-002", "embed-batch (Group)", "__main__.py", 78),
        ("FIN-GPU-003", "embed-batch (Group)", "__main__.py", 78),
        ("FIN-TAG-001", "embed-batch (Group)", "__main__.py", 78),
        *{(rule, runner, "__main__.py", 93) for rule in ("FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003")
          for runner in ("eval-a", "eval-b")},
    },
    "yaml_gke_training": {
        ("FIN-TAG-001", "training-cluster", "Pulumi.yaml", 27),  # as the EKS cluster above
        ("FIN-GPU-001", "a100-pool", "Pulumi.yaml", 35),
        ("FIN-GPU-003", "a100-pool", "Pulumi.yaml", 35),
        ("FIN-TAG-001", "a100-pool", "Pulumi.yaml", 35),
    },
}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_violating_variant_gives_documented_findings(scenario: str) -> None:
    variant = PULUMI / scenario / "violating"
    run = scan_json(".", cwd=variant)
    assert run.exit_code == 1, run.stderr
    got = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}
    assert got == EXPECTED[scenario]
    assert run.report["errors"] == []
    assert {f["source"] for f in run.findings()} == {"pulumi"}


@pytest.mark.parametrize("scenario", sorted(EXPECTED))
def test_compliant_variant_is_clean(scenario: str) -> None:
    variant = PULUMI / scenario / "compliant"
    run = scan_json(".", cwd=variant)
    assert run.findings() == [], [f["message"] for f in run.findings()]
    assert run.exit_code == 0
    assert run.report["errors"] == []


def test_python_node_group_priced_from_config_and_default_tags(catalog) -> None:
    """p4d.24xlarge from the Pulumi.yaml config default, 2 nodes from the stack's minGpuNodes, us-east-1 from
    aws:region, and team/environment from aws:defaultTags: the same facts as the Terraform example."""
    run = scan_json(".", cwd=PULUMI / "python_aws_training" / "violating")
    pool = next(r for r in run.report["resources"] if r["address"] == "gpu-training")
    assert pool["type"] == "aws:eks/nodeGroup:NodeGroup"
    assert pool["region"] == "us-east-1"
    hourly = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    assert pool["monthly_cost_usd"] == pytest.approx(round(hourly * 2 * 730, 2), abs=0.01)
    f = run.finding("FIN-GPU-001", "gpu-training")
    discount = catalog.spot_discount("aws", "p4d").fraction
    assert f["impact"]["monthly_usd"] == pytest.approx(hourly * 2 * 730 * discount, abs=0.02)
    assert f["resource_type"] == "aws:eks/nodeGroup:NodeGroup"
    tag = run.finding("FIN-TAG-001", "gpu-training")
    assert "cost-center" in tag["message"]


def test_yaml_pool_reads_config_defaults_and_variables(catalog) -> None:
    run = scan_json(".", cwd=PULUMI / "yaml_gke_training" / "violating")
    pool = next(r for r in run.report["resources"] if r["address"] == "a100-pool")
    assert pool["type"] == "gcp:container/nodePool:NodePool"
    assert pool["region"] == "europe-west4"
    hourly = catalog.hourly("gcp", "europe-west4", "a2-highgpu-8g").usd_per_hour
    assert pool["monthly_cost_usd"] == pytest.approx(round(hourly * 730, 2), abs=0.01)  # minNodes default 1 x 1 zone
    f = run.finding("FIN-GPU-003", "a100-pool")
    assert "in dev" in f["message"]  # environment: ${pulumi.stack} from the only stack file, Pulumi.dev.yaml


def test_the_engine_reads_pulumi_projects_with_default_scan_options() -> None:
    """``ScanOptions()`` as an API caller (the checkov bridge) builds it: the Pulumi stack and execute options
    were declared on the wrong class, so reading a Pulumi project raised AttributeError outside the CLI."""
    from linter.config import Config
    from linter.engine import ScanOptions, collect_resources
    from linter.pricing.catalog import Catalog

    options = ScanOptions()
    assert options.stack is None and options.pulumi_execute is False
    resources, errors, _ = collect_resources([str(EXAMPLES / "pulumi" / "yaml_gke_training")], Config(), Catalog(),
                                             options)
    assert resources and all(r.source == "pulumi" for r in resources)
    assert not [e for e in errors if "internal error" in e.message]
