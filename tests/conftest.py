"""Shared helpers: run the CLI in-process and read its JSON report."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from pathlib import Path
from typing import Any

import pytest
from click.testing import CliRunner

from linter.cli import main

ROOT = Path(__file__).resolve().parent.parent
# The parse cache of every scan in the suite (and of the subprocesses it starts) lives in a throwaway directory,
# never in the user's ~/.cache, and is removed when the suite ends (a suite's run left ~20 MB in /tmp before).
if "FINOPS_LINT_CACHE_DIR" not in os.environ:
    os.environ["FINOPS_LINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="finops-lint-test-cache-")
    atexit.register(shutil.rmtree, os.environ["FINOPS_LINT_CACHE_DIR"], True)
EXAMPLES = ROOT / "iac_examples"
SCHEMA_PATH = ROOT / "linter" / "schemas" / "report.schema.json"


class Run:
    def __init__(self, exit_code: int, stdout: str, stderr: str) -> None:
        self.exit_code = exit_code
        self.stdout = stdout
        self.stderr = stderr

    @property
    def report(self) -> dict[str, Any]:
        data = json.loads(self.stdout)
        validate_report(data)
        return data

    def findings(self, rule_id: str | None = None) -> list[dict[str, Any]]:
        return [f for f in self.report["findings"] if rule_id is None or f["rule_id"] == rule_id]

    def finding(self, rule_id: str, resource: str) -> dict[str, Any]:
        matches = [f for f in self.findings(rule_id) if f["resource"] == resource]
        assert len(matches) == 1, f"expected one {rule_id} on {resource}, got {self.findings()}"
        return matches[0]


def validate_report(data: dict[str, Any]) -> None:
    import jsonschema

    schema = json.loads(SCHEMA_PATH.read_text())
    jsonschema.Draft202012Validator(schema).validate(data)


def run_cli(*args: str, cwd: Path | None = None) -> Run:
    runner = CliRunner()
    old = os.getcwd()
    try:
        if cwd is not None:
            os.chdir(cwd)
        result = runner.invoke(main, list(args), catch_exceptions=False)
    finally:
        os.chdir(old)
    return Run(result.exit_code, result.stdout, result.stderr)


def scan_json(*args: str, cwd: Path | None = None) -> Run:
    return run_cli("scan", "--format", "json", *args, cwd=cwd)


@pytest.fixture(autouse=True)
def _no_replay(request: pytest.FixtureRequest, monkeypatch: pytest.MonkeyPatch) -> None:
    """In-process scans are not replayed (tests monkeypatch the engine between runs of one command), except in
    tests marked ``replay``, which test replaying itself. Subprocess scans replay as a user's would."""
    if request.node.get_closest_marker("replay") is None:
        monkeypatch.setattr("linter.replay.begin", lambda *args, **kwargs: None)


@pytest.fixture
def catalog():
    from linter.pricing.catalog import Catalog

    return Catalog()


def no_children_left() -> bool:
    """Whether this process has no child process left (running or unreaped)."""
    try:
        os.waitpid(-1, os.WNOHANG)
    except ChildProcessError:
        return True
    return False


def write(root: Path, files: dict[str, str | bytes]) -> Path:
    for name, content in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if isinstance(content, bytes):
            path.write_bytes(content)
        else:
            path.write_text(content)
    return root
