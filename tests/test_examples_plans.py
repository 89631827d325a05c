"""The bundled plan examples (iac_examples/plans): figures from the catalog, findings on the .tf source."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, ROOT, run_cli

PLANS = EXAMPLES / "plans" / "aws_training_cluster"
SOURCES = EXAMPLES / "terraform" / "aws" / "training_cluster"
POOL = "module.gpu_nodes.aws_eks_node_group.this"


def _plan(variant: str, *args: str):
    return run_cli("plan", "--format", "json", str((PLANS / variant / "plan.json").relative_to(ROOT)),
                   "--source-dir", str((SOURCES / variant).relative_to(ROOT)), *args, cwd=ROOT)


def test_violating_plan(catalog) -> None:
    run = _plan("violating", "--max-monthly-increase", "5000")
    assert run.exit_code == 1
    src = "iac_examples/terraform/aws/training_cluster/violating"
    got = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}
    assert got == {(rule, POOL, f"{src}/modules/gpu_node_group/main.tf", 10)
                   for rule in ("FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001")}
    assert all(f["called_from"] == [{"file": f"{src}/main.tf", "line": 27}] for f in run.findings())
    p4d = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    g5 = catalog.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour
    diff = run.report["cost_diff"]
    assert diff["resources"] == [{"address": POOL, "action": "replace", "before_usd": round(g5 * 730, 2),
                                  "after_usd": round(2 * p4d * 730, 2),
                                  "delta_usd": pytest.approx(2 * p4d * 730 - g5 * 730, abs=0.01)}]
    gate = next(g for g in run.report["gates"] if g["name"] == "max-monthly-increase")
    assert gate["passed"] is False and gate["value"] == diff["monthly_delta_usd"]


def test_compliant_plan(catalog) -> None:
    run = _plan("compliant", "--max-monthly-increase", "0")
    assert run.exit_code == 0, run.stderr
    assert run.findings() == []
    diff = run.report["cost_diff"]
    g5 = catalog.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour
    assert diff["monthly_before_usd"] == round(g5 * 730, 2)
    assert diff["unpriced"] == [POOL]  # a pool at zero nodes has no price until it scales from zero
    assert all(g["passed"] for g in run.report["gates"])
