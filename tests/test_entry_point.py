"""The console entry point (``linter.entry:run``) leaves without interpreter teardown: what a user sees must not
change — every byte of the report on a pipe or in ``-o``, the exit codes, the usage errors."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

from conftest import ROOT

EXAMPLE = ROOT / "iac_examples" / "terraform" / "aws" / "training_cluster"


def _cli(*args: str, cwd: Path, cache: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINOPS_LINT_CACHE_DIR": str(cache)}
    return subprocess.run([sys.executable, "-m", "linter", *args], cwd=cwd, env=env, capture_output=True, text=True)


def test_a_piped_report_arrives_whole_with_the_exit_code(tmp_path: Path) -> None:
    violating = _cli("scan", str(EXAMPLE / "violating"), "--format", "json", cwd=tmp_path, cache=tmp_path / "c")
    report = json.loads(violating.stdout)  # block-buffered on a pipe: flushed before the process ends
    assert violating.returncode == 1 and report["summary"]["findings"] > 0
    assert {f["rule_id"] for f in report["findings"]} >= {"FIN-GPU-001"}
    again = _cli("scan", str(EXAMPLE / "violating"), "--format", "json", cwd=tmp_path, cache=tmp_path / "c")
    assert (again.returncode, again.stdout) == (1, violating.stdout)  # the replay, through the same exit
    compliant = _cli("scan", str(EXAMPLE / "compliant"), cwd=tmp_path, cache=tmp_path / "c")
    assert compliant.returncode == 0 and "0 finding(s)" in compliant.stdout


def test_an_output_file_is_complete_and_errors_keep_their_code(tmp_path: Path) -> None:
    out = tmp_path / "report.sarif"
    run = _cli("scan", str(EXAMPLE / "violating"), "--format", "sarif", "-o", str(out), cwd=tmp_path,
               cache=tmp_path / "c")
    assert run.returncode == 1 and json.loads(out.read_text())["runs"][0]["results"]
    usage = _cli("scan", "--format", "yaml", cwd=tmp_path, cache=tmp_path / "c")
    assert usage.returncode == 2 and "Invalid value for '--format'" in usage.stderr
    missing = _cli("scan", "no/such/dir", cwd=tmp_path, cache=tmp_path / "c")
    assert missing.returncode == 2 and "no/such/dir" in missing.stderr + missing.stdout


def test_a_reader_that_closes_the_pipe_early_gets_no_traceback(tmp_path: Path) -> None:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINOPS_LINT_CACHE_DIR": str(tmp_path / "c")}
    scan = subprocess.Popen([sys.executable, "-m", "linter", "scan", str(ROOT / "iac_examples"), "--format", "json"],
                            cwd=tmp_path, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE)  # 250 KB
    assert scan.stdout is not None and scan.stderr is not None
    assert scan.stdout.read(20).startswith(b"{")
    scan.stdout.close()  # as `| head -c 20` does
    assert "Traceback" not in scan.stderr.read().decode()
    assert scan.wait(timeout=60) == 1  # as before the hard exit: click reports the broken pipe as exit 1
