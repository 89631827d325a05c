"""The CLI as CI runs it: a subprocess, exit codes, stdout for the report, stderr for errors and warnings."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, validate_report, write

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"
POOL = "module.gpu_nodes.aws_eks_node_group.this"


def cli(*args: str, cwd: Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    environ = {k: v for k, v in os.environ.items() if k not in ("NO_COLOR", "FORCE_COLOR", "COLUMNS")}
    environ.update(env or {})
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, capture_output=True, text=True,
                          timeout=120, env=environ)


@pytest.fixture
def repo(tmp_path: Path) -> Path:
    root = tmp_path / "repo"
    shutil.copytree(TRAINING, root / "bl/violating")
    (root / ".git").mkdir()
    return root


def test_missing_path_is_exit_2_with_the_error_on_stderr_and_in_the_report(repo: Path) -> None:
    proc = cli("scan", "bl/violating", "bl/violatnig", "--format", "json", cwd=repo)
    assert proc.returncode == 2
    assert proc.stderr == "finops-lint: error: bl/violatnig: no such file or directory\n"
    report = json.loads(proc.stdout)
    validate_report(report)
    assert report["errors"] == [{"file": "bl/violatnig", "line": None, "message": "no such file or directory"}]
    assert report["summary"]["findings"] == 3  # the other path is still scanned
    text = cli("scan", "nonexistent_dir", cwd=repo)
    assert text.returncode == 2
    assert "nonexistent_dir: no such file or directory" in text.stderr
    assert text.stdout.strip().splitlines()[-1].endswith("; 1 error(s)")


def test_bad_rule_id_in_config_is_exit_2_naming_key_and_closest_id(repo: Path) -> None:
    write(repo, {".finops-lint.yaml": "disabled_rules: [FIN-TAG-01]\n"})
    proc = cli("scan", "bl/violating", cwd=repo)
    assert proc.returncode == 2 and proc.stdout == ""
    assert proc.stderr == ("finops-lint: error: .finops-lint.yaml: key 'disabled_rules.0': unknown rule id "
                           "'FIN-TAG-01' (did you mean FIN-TAG-001?)\n")


def test_baseline_written_in_one_directory_matches_from_another(repo: Path) -> None:
    first = cli("scan", "violating", "--write-baseline", "base.json", cwd=repo / "bl")
    assert first.returncode == 1
    proc = cli("scan", "bl/violating", "--baseline", "bl/base.json", "--format", "json", cwd=repo)
    assert proc.returncode == 0, proc.stdout
    report = json.loads(proc.stdout)
    assert report["findings"] == [] and report["summary"]["baselined"] == 3
    deeper = cli("scan", ".", "--baseline", "../base.json", "--format", "json", cwd=repo / "bl/violating")
    assert deeper.returncode == 0 and json.loads(deeper.stdout)["summary"]["baselined"] == 3


def test_a_baselined_finding_whose_figure_grew_comes_back_with_old_and_new(repo: Path, catalog) -> None:
    assert cli("scan", "bl/violating", "--write-baseline", "base.json", cwd=repo).returncode == 1
    entry = next(e for e in json.loads((repo / "base.json").read_text())["findings"] if e["rule_id"] == "FIN-GPU-001")
    old_cost = entry["monthly_cost_usd"]
    tfvars = repo / "bl/violating/terraform.tfvars"
    text = tfvars.read_text()
    assert "min_size     = 2\ndesired_size = 2\n" in text
    tfvars.write_text(text.replace("min_size     = 2\ndesired_size = 2\n", "min_size     = 3\ndesired_size = 3\n"))
    proc = cli("scan", "bl/violating", "--baseline", "base.json", "--format", "json", cwd=repo)
    assert proc.returncode == 1
    report = json.loads(proc.stdout)
    validate_report(report)
    hourly = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    assert old_cost == pytest.approx(hourly * 730 * 2, abs=0.01)
    f = next(f for f in report["findings"] if f["rule_id"] == "FIN-GPU-001")
    assert f["monthly_cost_usd"] == pytest.approx(hourly * 730 * 3, abs=0.01)
    assert f["baseline"] == {"monthly_cost_usd": old_cost, "impact_usd": entry["impact_usd"]}
    assert f"in the baseline at cost ${old_cost:,.2f}/mo, now ${f['monthly_cost_usd']:,.2f}/mo (+50%)" in f["notes"][-1]
    assert {g["rule_id"] for g in report["findings"]} == {"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"}
    text = cli("scan", "bl/violating", "--baseline", "base.json", cwd=repo)
    assert f"in the baseline at cost ${old_cost:,.2f}/mo" in text.stdout
    # a growth under the configured threshold stays hidden
    write(repo, {".finops-lint.yaml": "baseline_growth: {percent: 60}\n"})
    quiet = cli("scan", "bl/violating", "--baseline", "base.json", "--format", "json", cwd=repo)
    assert quiet.returncode == 0 and json.loads(quiet.stdout)["findings"] == []
    # old baseline files (no figures) are still read, and match
    legacy = {"schema_version": 1, "tool": "finops-lint",
              "findings": [{k: e[k] for k in ("fingerprint", "rule_id", "resource", "file")}
                           for e in json.loads((repo / "base.json").read_text())["findings"]]}
    (repo / "old.json").write_text(json.dumps(legacy))
    old = cli("scan", "bl/violating", "--baseline", "old.json", "--format", "json", cwd=repo)
    assert old.returncode == 0 and json.loads(old.stdout)["summary"]["baselined"] == 3


def test_min_monthly_usd_and_exclude_in_ci(repo: Path) -> None:
    shutil.copytree(EXAMPLES / "terraform/aws/batch_inference/violating", repo / "examples/batch")
    full = json.loads(cli("scan", ".", "--format", "json", cwd=repo).stdout)
    figures = sorted(f["impact"]["monthly_usd"] for f in full["findings"] if f["impact"]["monthly_usd"] is not None)
    floor = figures[len(figures) // 2]
    proc = cli("scan", ".", "--min-monthly-usd", str(floor), "--format", "json", cwd=repo)
    kept = json.loads(proc.stdout)["findings"]
    assert kept and all(f["impact"]["monthly_usd"] is None or f["impact"]["monthly_usd"] >= floor for f in kept)
    assert len(kept) < len(full["findings"])
    proc = cli("scan", ".", "--exclude", "examples", "--format", "json", cwd=repo)
    assert proc.returncode == 1
    files = {f["file"] for f in json.loads(proc.stdout)["findings"]}
    assert files and not any(f.startswith("examples") for f in files)
    assert cli("scan", "examples", "--exclude", "batch", cwd=repo).returncode == 0


def test_no_color_and_force_color(repo: Path) -> None:
    plain = cli("scan", "bl/violating", cwd=repo, env={"NO_COLOR": "1", "FORCE_COLOR": "1"})
    assert "\x1b[" not in plain.stdout and "FIN-GPU-001" in plain.stdout
    forced = cli("scan", "bl/violating", cwd=repo, env={"FORCE_COLOR": "1"})
    assert "\x1b[31mhigh" in forced.stdout
    assert "\x1b[" not in cli("scan", "bl/violating", cwd=repo, env={"FORCE_COLOR": "0"}).stdout
    flag = cli("scan", "bl/violating", "--color", cwd=repo, env={"NO_COLOR": "1"})
    assert "\x1b[" in flag.stdout  # an explicit flag wins over the environment


def test_outside_a_repository_fingerprints_are_relative_to_the_config_file(tmp_path: Path) -> None:
    project = tmp_path / "project"
    shutil.copytree(TRAINING, project / "bl/violating")
    write(project, {".finops-lint.yaml": "fail_on: low\n"})  # no .git anywhere: the config's directory anchors
    assert cli("scan", "violating", "--write-baseline", "base.json", cwd=project / "bl").returncode == 1
    proc = cli("scan", "bl/violating", "--baseline", "bl/base.json", "--format", "json", cwd=project)
    assert proc.returncode == 0 and json.loads(proc.stdout)["summary"]["baselined"] == 3
    files = {e["file"] for e in json.loads((project / "bl/base.json").read_text())["findings"]}
    assert files == {"bl/violating/modules/gpu_node_group/main.tf"}  # relative to the anchor, not to bl/
