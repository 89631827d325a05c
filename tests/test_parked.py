"""A finished scan's object graphs are left for the process exit (linter/parked.py), in the CLI's own process
only: library and in-process callers keep nothing."""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, scan_json

# Runs the console entry point and, as it leaves, says how many values were parked.
ENTRY = """
import os, sys
import linter.parked as parked
real_exit = os._exit
def leave(code):
    sys.stderr.write(f"parked={len(parked._PARKED)}\\n")
    sys.stderr.flush()
    real_exit(code)
os._exit = leave
sys.argv = ["finops-lint", *sys.argv[1:]]
from linter.entry import run
run()
"""


def test_an_in_process_scan_keeps_nothing_for_the_exit(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.parked as parked

    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path))
    before = len(parked._PARKED)
    run = scan_json(str(EXAMPLES / "kubernetes"))
    assert run.report["summary"]["resources"] > 10
    assert len(parked._PARKED) == before == 0


def test_the_cli_process_leaves_the_scan_to_its_exit_and_reports_the_same(tmp_path: Path,
                                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path / "in-process"))
    target = str(EXAMPLES / "kubernetes")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINOPS_LINT_CACHE_DIR": str(tmp_path / "cache")}
    done = subprocess.run([sys.executable, "-c", ENTRY, "scan", target, "--format", "json", "--no-cache"],
                          capture_output=True, text=True, env=env, cwd=ROOT)
    assert done.returncode == 1, done.stderr[-2000:]
    parked = int(done.stderr.rsplit("parked=", 1)[1].split()[0])
    assert parked >= 4  # the parsed manifests, their prepared parts, the scan result, the report
    in_process = scan_json(target, cwd=ROOT)
    assert json.loads(done.stdout) == in_process.report
