"""The checkov pack, run inside a real checkov scan. checkov pins old versions of shared packages and ships
its own top-level ``hcl2``, so it runs from a separate virtual environment (tests/checkov_env.py builds it
once and reuses it); finops-lint itself is this checkout."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
from checkov_env import CHECKOV, ensure

from conftest import EXAMPLES, ROOT

UNREACHABLE = re.compile(r"(Temporary failure in name resolution|Name or service not known|Network is unreachable|"
                         r"Connection refused|Max retries exceeded|ConnectTimeout|ReadTimeoutError|"
                         r"No matching distribution found for checkov)", re.I)


def readme_command() -> str:
    section = (ROOT / "README.md").read_text().split("### checkov", 1)[1]
    block = section.split("```sh\n", 1)[1].split("```", 1)[0]
    return next(line for line in block.splitlines() if line.startswith("checkov "))


def run_checkov(venv: Path, cwd: Path) -> dict:
    env = {**os.environ, "PYTHONPATH": str(ROOT),
           "PATH": os.pathsep.join([str(venv / "bin"), str(Path(sys.executable).parent), os.environ["PATH"]])}
    env.pop("VIRTUAL_ENV", None)
    # --skip-download: no Prisma Cloud look-ups (no network in tests); -o json: the report we read
    command = readme_command() + " --framework terraform --skip-download -o json"
    proc = subprocess.run(["bash", "-c", command], cwd=cwd, env=env, capture_output=True, text=True, timeout=600)
    assert proc.stdout.strip().startswith("{"), proc.stdout[-2000:] + proc.stderr[-3000:]
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def venv() -> Path:
    path, output = ensure()
    if path is None:
        unreachable = UNREACHABLE.search(output)
        if unreachable:
            pytest.skip(f"PyPI unreachable, cannot install {CHECKOV}: {unreachable.group(0)}")
        pytest.fail(f"installing {CHECKOV} with finops-lint's dependencies failed:\n{output[-3000:]}")
    return path


def test_checkov_scan_runs_our_rules_with_the_callers_values(venv: Path, tmp_path: Path, catalog) -> None:
    shutil.copytree(EXAMPLES / "terraform/aws/training_cluster/violating", tmp_path / "training")
    report = run_checkov(venv, tmp_path / "training")
    failed = {(c["check_id"], c["resource"]) for c in report["results"]["failed_checks"]}
    pool = "module.gpu_nodes.aws_eks_node_group.this"
    assert {("FIN-GPU-001", pool), ("FIN-GPU-003", pool)} <= failed
    gpu001 = next(c for c in report["results"]["failed_checks"] if c["check_id"] == "FIN-GPU-001")
    assert gpu001["file_path"] == "/modules/gpu_node_group/main.tf" and gpu001["file_line_range"][0] == 10
    assert gpu001["guideline"].endswith("/rules/FIN-GPU-001.yaml")
    # checkov rendered the root's tfvars into the child module: the figure is the catalog's for 2 nodes
    monthly = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour * 2 * 730
    assert f"costs ${monthly:,.2f}/mo" in gpu001["details"][0]
    passed = {(c["check_id"], c["resource"]) for c in report["results"]["passed_checks"]}
    assert ("FIN-GPU-002", pool) in passed  # p4d for distributed training is not oversized
    assert any(c["check_id"].startswith("CKV_") for c in report["results"]["passed_checks"])  # checkov's own too


def test_checkov_scan_passes_the_compliant_variant(venv: Path, tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "terraform/aws/training_cluster/compliant", tmp_path / "training")
    report = run_checkov(venv, tmp_path / "training")
    ours = [c for c in report["results"]["failed_checks"] if c["check_id"].startswith("FIN-")]
    assert ours == []
    assert {c["check_id"] for c in report["results"]["passed_checks"]} >= {"FIN-GPU-001", "FIN-GPU-003"}
