"""CLI behaviour a user checks: exit codes, --fail-on, suppressions, baseline, config, text output."""

from __future__ import annotations

import json
import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli, scan_json, write

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    dest = tmp_path / "stack"
    shutil.copytree(TRAINING, dest)
    return dest


def test_exit_codes_follow_fail_on(stack: Path) -> None:
    assert scan_json(".", cwd=stack).exit_code == 1
    assert scan_json(".", "--fail-on", "high", cwd=stack).exit_code == 1  # FIN-GPU-001 is high
    assert scan_json(".", "--fail-on", "critical", cwd=stack).exit_code == 0
    assert scan_json(".", "--fail-on", "none", cwd=stack).exit_code == 0
    clean = EXAMPLES / "terraform/aws/training_cluster/compliant"
    assert scan_json(".", cwd=clean).exit_code == 0


def test_fail_on_and_severity_from_config(stack: Path) -> None:
    write(stack, {".finops-lint.yaml": "fail_on: critical\nseverity:\n  FIN-GPU-001: critical\n"})
    run = scan_json(".", cwd=stack)
    assert run.exit_code == 1
    assert run.finding("FIN-GPU-001", "module.gpu_nodes.aws_eks_node_group.this")["severity"] == "critical"
    write(stack, {".finops-lint.yaml": "fail_on: critical\ndisabled_rules: [FIN-GPU-001]\n"})
    run = scan_json(".", cwd=stack)
    assert run.exit_code == 0
    assert run.findings("FIN-GPU-001") == []


def test_bad_config_names_the_key(stack: Path) -> None:
    write(stack, {".finops-lint.yaml": "prices:\n  discount_percent: 150\n"})
    run = run_cli("scan", ".", cwd=stack)
    assert run.exit_code == 2
    assert "prices.discount_percent" in run.stderr
    write(stack, {".finops-lint.yaml": "required_tag: {}\n"})
    run = run_cli("scan", ".", cwd=stack)
    assert run.exit_code == 2
    assert "key 'required_tag': unknown key" in run.stderr


def test_price_override_and_discount_change_the_figure(stack: Path, catalog) -> None:
    pool = "module.gpu_nodes.aws_eks_node_group.this"
    base = scan_json(".", cwd=stack)
    region = next(r["region"] for r in base.report["resources"] if r["address"] == pool)
    write(stack, {".finops-lint.yaml": f"prices:\n  overrides:\n    aws:\n      {region}:\n"
                                       "        p4d.24xlarge: 10.0\n"})
    run = scan_json(".", cwd=stack)
    f = run.finding("FIN-GPU-001", pool)
    nodes = next(r["compute"]["count"] for r in run.report["resources"] if r["address"] == pool)
    assert f["monthly_cost_usd"] == pytest.approx(10.0 * nodes * 730)
    assert any("price override in" in a for a in f["impact"]["assumptions"])
    write(stack, {".finops-lint.yaml": "prices:\n  discount_percent: 20\n"})
    run = scan_json(".", cwd=stack)
    hourly = catalog.hourly("aws", region, "p4d.24xlarge").usd_per_hour
    assert run.finding("FIN-GPU-001", pool)["monthly_cost_usd"] == pytest.approx(hourly * 0.8 * nodes * 730, abs=0.01)


def test_inline_suppression_on_the_line_above(stack: Path) -> None:
    main = stack / "modules/gpu_node_group/main.tf"
    lines = main.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith('resource "aws_eks_node_group"'))
    lines.insert(start, "# finops-lint:ignore FIN-GPU-001 reserved capacity block, paid up front")
    main.write_text("\n".join(lines) + "\n")
    run = scan_json(".", cwd=stack)
    assert run.findings("FIN-GPU-001") == []
    assert run.findings("FIN-GPU-003")  # other rules still report
    assert run.report["summary"]["suppressed"] == 1


def test_inline_suppression_with_slashes_on_the_first_line(stack: Path) -> None:
    main = stack / "modules/gpu_node_group/main.tf"
    text = main.read_text().replace('resource "aws_eks_node_group" "this" {',
                                    'resource "aws_eks_node_group" "this" { // finops-lint:ignore FIN-TAG-001,'
                                    'FIN-GPU-003 tagged by the account vending machine', 1)
    main.write_text(text)
    run = scan_json(".", cwd=stack)
    assert run.findings("FIN-TAG-001") == [] and run.findings("FIN-GPU-003") == []
    assert run.findings("FIN-GPU-001")


def test_baseline_hides_known_findings_only(stack: Path) -> None:
    baseline = stack / "baseline.json"
    first = scan_json(".", "--write-baseline", str(baseline), cwd=stack)
    assert len(json.loads(baseline.read_text())["findings"]) == len(first.findings()) == 3
    second = scan_json(".", "--baseline", str(baseline), cwd=stack)
    assert second.exit_code == 0 and second.findings() == []
    assert second.report["summary"]["baselined"] == 3
    write(stack, {"extra.tf": 'resource "aws_instance" "nightly_eval" {\n  instance_type = "g5.12xlarge"\n'
                              '  tags = { workload = "batch", team = "ml", "cost-center" = "c1", environment = "prod" }\n'
                              '}\n'})
    third = scan_json(".", "--baseline", str(baseline), cwd=stack)
    assert {f["resource"] for f in third.findings()} == {"aws_instance.nightly_eval"}
    assert third.exit_code == 1


def test_bad_baseline_is_a_usage_error(stack: Path) -> None:
    write(stack, {"b.json": "{not json"})
    run = run_cli("scan", ".", "--baseline", "b.json", cwd=stack)
    assert run.exit_code == 2
    assert "b.json:1" in run.stderr


def test_text_report_groups_by_file_with_line_rule_and_money(stack: Path) -> None:
    run = run_cli("scan", ".", cwd=stack)
    out = run.stdout
    assert "modules/gpu_node_group/main.tf\n" in out
    assert "FIN-GPU-001" in out and "/mo" in out
    assert "\x1b[" not in out  # no colour when not a TTY
    assert out.strip().splitlines()[-1].startswith("3 finding(s) in ")
    colored = run_cli("scan", ".", "--color", cwd=stack)
    assert "\x1b[" in colored.stdout


def test_rules_and_explain() -> None:
    run = run_cli("rules")
    assert run.exit_code == 0
    for rule_id in ("FIN-TAG-001", "FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003", "FIN-SCALE-001"):
        assert rule_id in run.stdout
    run = run_cli("explain", "FIN-GPU-001")
    assert run.exit_code == 0
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead"):
        assert heading in run.stdout
    assert "capacity_type" in run.stdout
    missing = run_cli("explain", "FIN-NOPE-999")
    assert missing.exit_code == 2 and "unknown rule id 'FIN-NOPE-999'" in missing.stderr
    typo = run_cli("explain", "FIN-GPU-01")
    assert typo.exit_code == 2 and "did you mean FIN-GPU-001?" in typo.stderr


def test_var_option_changes_the_scan(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": 'variable "type" { default = "m6i.large" }\n'
                                'resource "aws_instance" "train" {\n  instance_type = var.type\n'
                                '  tags = { team = "a", "cost-center" = "b", environment = "prod" }\n}\n'})
    assert scan_json(".", cwd=tmp_path).findings() == []
    run = scan_json(".", "--var", "type=p4d.24xlarge", cwd=tmp_path)
    assert run.finding("FIN-GPU-001", "aws_instance.train")["line"] == 2
    assert run_cli("scan", ".", "--var", "oops", cwd=tmp_path).exit_code == 2


def test_console_script_runs_as_a_subprocess(stack: Path) -> None:
    import subprocess
    import sys

    proc = subprocess.run([sys.executable, "-m", "linter", "scan", ".", "--format", "json"], cwd=stack,
                          capture_output=True, text=True, timeout=60)
    assert proc.returncode == 1
    assert json.loads(proc.stdout)["summary"]["findings"] == 3


def test_nested_config_errors_name_the_full_key(stack: Path) -> None:
    cases = {
        "usage:\n  idle_fraction: 2\n": "key 'usage.idle_fraction': must be between 0 and 1",
        "prices:\n  spot_discounts:\n    aws:\n      p4d: 1.5\n": "key 'prices.spot_discounts.aws.p4d'",
        "workload_hints:\n  - {match: '*etl*', kind: gaming}\n": "key 'workload_hints.0.kind'",
        "fail_on: sometimes\n": "key 'fail_on'",
        "severity: [FIN-GPU-001]\n": "key 'severity'",
    }
    for text, expected in cases.items():
        write(stack, {".finops-lint.yaml": text})
        run = run_cli("scan", ".", cwd=stack)
        assert run.exit_code == 2, text
        assert expected in run.stderr, (text, run.stderr)
        assert run.stderr.count("\n") == 1  # one line, no traceback


def test_summary_counts_each_resource_once(stack: Path) -> None:
    run = scan_json(".", cwd=stack)
    pool = "module.gpu_nodes.aws_eks_node_group.this"
    savings = [f["impact"]["monthly_usd"] for f in run.findings() if f["impact"]["kind"] == "savings"]
    assert len(savings) == 2  # spot (FIN-GPU-001) and scale to zero (FIN-GPU-003) on the same pool
    summary = run.report["summary"]
    assert summary["monthly_savings_usd"] == pytest.approx(max(savings))  # overlapping, not added
    assert summary["monthly_unattributed_usd"] == run.finding("FIN-TAG-001", pool)["impact"]["monthly_usd"]
    assert summary["monthly_cost_usd"] == pytest.approx(run.finding("FIN-TAG-001", pool)["monthly_cost_usd"])


def test_pre_commit_style_file_arguments(tmp_path: Path) -> None:
    """pre-commit passes changed files: each .tf means its module, other files are noted, not errors."""
    shutil.copytree(EXAMPLES / "terraform/aws/batch_inference/violating", tmp_path / "batch")
    shutil.copytree(EXAMPLES / "terraform/gcp/batch/compliant", tmp_path / "gcp")
    write(tmp_path, {".pre-commit-config.yaml": "repos: []\n", "README.md": "# infra\n"})
    run = scan_json("batch/eval.tf", "batch/main.tf", "gcp/main.tf", ".pre-commit-config.yaml", "README.md",
                    cwd=tmp_path)
    assert run.exit_code == 1
    files = {f["file"] for f in run.findings()}
    assert files == {"batch/eval.tf", "batch/main.tf"}  # the module is scanned once, gcp/ is clean
    assert len(run.findings("FIN-GPU-001")) == 2  # aws_instance.eval (count = 2) is one finding
    assert [i["resource"] for i in run.finding("FIN-GPU-001", "aws_instance.eval")["instances"]] == \
        ["aws_instance.eval[0]", "aws_instance.eval[1]"]
    reasons = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert reasons == {".pre-commit-config.yaml": "not a supported file type", "README.md": "not a supported file type"}
