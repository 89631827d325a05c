"""linter/early_discovery.py: a directory scan finds its files in a forked child while the rules compile. The report
is the one a scan that finds them itself gives; what the child read is an input of the replay; a child that fails
leaves discovery to the scan, and a scan that stops before taking the child's result leaves no process behind."""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, no_children_left, run_cli, scan_json, write
from linter import early_discovery, forked

VLLM = EXAMPLES / "kubernetes" / "vllm_inference" / "violating"


@pytest.fixture
def children(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """Every discovery child started, and whether its result was taken (a ``Discovered``) or not."""
    started: list[Any] = []
    real_start, real_result = early_discovery.start, early_discovery.EarlyDiscovery.result

    def start(*args: Any, **kwargs: Any) -> Any:
        child = real_start(*args, **kwargs)
        started.append({"child": child, "found": None})
        return child

    def result(self: early_discovery.EarlyDiscovery) -> Any:
        found = real_result(self)
        started[-1]["found"] = found
        return found

    monkeypatch.setattr(early_discovery, "start", start)
    monkeypatch.setattr(early_discovery.EarlyDiscovery, "result", result)
    return started



def test_a_directory_scan_takes_the_childs_files_and_reports_what_one_process_does(children: list[Any]) -> None:
    args = ("scan", ".", "--format", "json", "--fail-on", "none", "--no-cache")
    serial = run_cli(*args, "--jobs", "1", cwd=ROOT / "iac_examples")  # finds the files itself
    assert children == []
    early = run_cli(*args, cwd=ROOT / "iac_examples")
    assert len(children) == 1 and children[0]["found"] is not None
    assert len(children[0]["found"].terraform_dirs) >= 10 and len(children[0]["found"].yaml_files) >= 10
    assert early.stdout == serial.stdout and json.loads(early.stdout)["summary"]["findings"] >= 50
    assert no_children_left()


@pytest.mark.replay
def test_files_the_child_listed_are_inputs_of_the_replay(tmp_path: Path, children: list[Any],
                                                         monkeypatch: pytest.MonkeyPatch) -> None:
    """Only discovery lists a directory of manifests and finds a new root: a file added after a scan makes the
    next one scan again (and see it), as when this process listed them itself."""
    import linter.engine

    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path / "cache"))
    repo = tmp_path / "repo"
    shutil.copytree(VLLM, repo / "k8s")
    scans: list[Any] = []
    real_scan = linter.engine.scan
    monkeypatch.setattr(linter.engine, "scan", lambda *a, **k: scans.append(a[0]) or real_scan(*a, **k))
    first = scan_json(".", cwd=repo)
    again = scan_json(".", cwd=repo)
    assert len(scans) == 1 and again.stdout == first.stdout  # replayed
    assert children[0]["found"] is not None
    write(repo / "k8s", {"batch-embed.yaml": (VLLM / "llama3-8b-prod.yaml").read_text()
                         .replace("name: llama3-8b", "name: batch-embed")})
    write(repo / "infra", {"main.tf": 'resource "aws_instance" "debug" {\n  ami           = "ami-0abcdef1234567890"\n'
                                      '  instance_type = "p4d.24xlarge"\n}\n'})
    run = scan_json(".", cwd=repo)
    assert len(scans) == 2
    addresses = [r["address"] for r in run.report["resources"]]
    assert "aws_instance.debug" in addresses and any("batch-embed" in a for a in addresses)


def test_a_child_that_fails_leaves_discovery_to_the_scan(children: list[Any],
                                                          monkeypatch: pytest.MonkeyPatch) -> None:
    args = ("scan", ".", "--format", "json", "--fail-on", "none", "--no-cache")
    expected = run_cli(*args, "--jobs", "1", cwd=EXAMPLES / "platform").stdout

    def broken(*args: Any) -> Any:
        raise OSError("the child cannot walk")

    monkeypatch.setattr(early_discovery, "_discover", broken)
    run = run_cli(*args, cwd=EXAMPLES / "platform")
    assert len(children) == 1 and children[0]["child"] is not None and children[0]["found"] is None
    assert run.stdout == expected
    assert no_children_left()


def test_a_scan_that_stops_after_the_fork_leaves_no_child(children: list[Any]) -> None:
    """An unknown --skip-rule id is found once the rules are compiled, after the child was forked."""
    run = run_cli("scan", ".", "--skip-rule", "FIN-NOPE-001", cwd=EXAMPLES / "platform")
    assert run.exit_code == 2 and "FIN-NOPE-001" in run.stderr
    assert len(children) == 1 and children[0]["child"] is not None
    assert no_children_left()


def test_files_named_on_the_command_line_and_jobs_1_fork_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    """A pre-commit run names files: nothing to walk, so no process is forked for it; nor with --jobs 1."""
    forks: list[Any] = []
    real_fork = forked.fork_call

    def fork_call(compute: Any, gated: bool = False, piped: bool = False) -> Any:
        if piped:  # the discovery child's
            forks.append(compute)
            return None
        return real_fork(compute, gated)

    monkeypatch.setattr(forked, "fork_call", fork_call)
    manifest = VLLM / "llama3-8b-prod.yaml"
    assert scan_json(str(manifest), "--no-cache").exit_code == 1
    assert scan_json(str(VLLM), "--no-cache", "--jobs", "1").exit_code == 1
    assert forks == []
    assert scan_json(str(VLLM), "--no-cache").exit_code == 1 and len(forks) == 1  # a directory: forked
