"""Replaying an unchanged scan (linter/replay.py, linter/inputs.py): the same report and exit code without
scanning, and a real scan as soon as anything the last one read has changed, wherever it lives."""

from __future__ import annotations

import os
import shutil
import subprocess
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, run_cli, scan_json, write

pytestmark = pytest.mark.replay
TRAINING = EXAMPLES / "terraform" / "aws" / "training_cluster" / "violating"
VLLM = EXAMPLES / "kubernetes" / "vllm_inference" / "violating"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """A repository laid out as teams do: a root per environment, shared modules beside them, manifests."""
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    shutil.copytree(TRAINING, root / "envs" / "prod", ignore=shutil.ignore_patterns("modules"))
    shutil.copytree(TRAINING / "modules", root / "modules")
    main = root / "envs" / "prod" / "main.tf"
    main.write_text(main.read_text().replace('"./modules/gpu_node_group"', '"../../modules/gpu_node_group"'))
    shutil.copytree(VLLM, root / "k8s")
    return root


@pytest.fixture
def scans(monkeypatch: pytest.MonkeyPatch) -> list[Any]:
    """The paths of every real scan the engine runs (a replay runs none)."""
    import linter.engine

    real, calls = linter.engine.scan, []

    def counted(paths: list[str], *rest: Any, **kwargs: Any) -> Any:
        calls.append(paths)
        return real(paths, *rest, **kwargs)

    monkeypatch.setattr(linter.engine, "scan", counted)
    return calls


def _figures(run: Any) -> dict[tuple[str, str], float]:
    return {(f["rule_id"], f["file"].split("repo/")[-1]): f["impact"]["monthly_usd"] for f in run.findings()}


def test_an_unchanged_repository_is_replayed_byte_for_byte(repo: Path, scans: list[Any]) -> None:
    first = scan_json("envs/prod", "k8s", cwd=repo)
    assert first.exit_code == 1 and len(scans) == 1
    assert _figures(first)[("FIN-GPU-003", "modules/gpu_node_group/main.tf")] == 22440.71
    again = scan_json("envs/prod", "k8s", cwd=repo)
    assert len(scans) == 1  # no second scan
    assert (again.stdout, again.stderr, again.exit_code) == (first.stdout, first.stderr, first.exit_code)


def test_a_tfvars_edit_is_scanned_again(repo: Path, scans: list[Any]) -> None:
    scan_json("envs/prod", cwd=repo)
    tfvars = repo / "envs" / "prod" / "terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("min_size     = 2", "min_size     = 1"))
    run = scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2
    assert _figures(run)[("FIN-GPU-003", "modules/gpu_node_group/main.tf")] == pytest.approx(22440.71 / 2, abs=0.01)  # one warm node


def test_an_edit_in_a_module_outside_the_scanned_path_is_seen(repo: Path, scans: list[Any]) -> None:
    scan_json("envs/prod", cwd=repo)
    module = repo / "modules" / "gpu_node_group" / "main.tf"
    module.write_text(module.read_text() + "\n# a comment changes the bytes, so the scan runs again\n")
    scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2
    scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2  # and the new bytes are what the next replay compares against


def test_a_new_file_in_a_module_directory_is_seen(repo: Path, scans: list[Any]) -> None:
    scan_json("envs/prod", cwd=repo)
    write(repo / "modules" / "gpu_node_group", {"debug.tf": (
        'resource "aws_instance" "debug" {\n  ami           = "ami-0abcdef1234567890"\n'
        '  instance_type = "p4d.24xlarge"\n}\n')})
    run = scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2
    assert any(f["resource"].endswith("aws_instance.debug") for f in run.findings())


def test_a_config_file_created_above_the_scanned_path_is_seen(repo: Path, scans: list[Any]) -> None:
    first = scan_json("envs/prod", cwd=repo)
    assert first.findings("FIN-TAG-001")
    write(repo, {".finops-lint.yaml": "disabled_rules: [FIN-TAG-001]\n"})
    run = scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2 and run.findings("FIN-TAG-001") == []


def test_a_retargeted_symlink_is_seen(repo: Path, scans: list[Any]) -> None:
    (repo / "k8s" / "llama3-8b-prod.yaml").rename(repo / "k8s" / "llama3-8b-prod.yaml.a")
    write(repo / "k8s", {"llama3-8b-prod.yaml.b": "# an empty stream: nothing deployed\n"})
    os.symlink("llama3-8b-prod.yaml.a", repo / "k8s" / "llama3-8b-prod.yaml")
    first = scan_json("k8s", cwd=repo)
    os.unlink(repo / "k8s" / "llama3-8b-prod.yaml")
    os.symlink("llama3-8b-prod.yaml.b", repo / "k8s" / "llama3-8b-prod.yaml")
    second = scan_json("k8s", cwd=repo)
    assert len(scans) == 2 and len(second.report["resources"]) < len(first.report["resources"])


def test_reads_in_worker_processes_are_inputs_too(repo: Path, scans: list[Any]) -> None:
    shutil.copytree(repo / "envs" / "prod", repo / "envs" / "staging")
    scan_json("-j", "2", "envs", cwd=repo)
    tfvars = repo / "envs" / "staging" / "terraform.tfvars"  # read by the second worker
    tfvars.write_text(tfvars.read_text().replace('"p4d.24xlarge"', '"g5.xlarge"'))
    run = scan_json("-j", "2", "envs", cwd=repo)
    assert len(scans) == 2
    assert any("g5.xlarge" in f["message"] for f in run.findings())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_edited_while_the_scan_runs_is_scanned_again(repo: Path, scans: list[Any], jobs: str,
                                                            monkeypatch: pytest.MonkeyPatch) -> None:
    """The recorded inputs are the contents the report was built from (read by this process or a worker), not
    what the files hold when the scan ends: an edit saved mid-scan must not be covered by a stale replay."""
    import linter.engine

    tfvars = repo / "envs" / "prod" / "terraform.tfvars"
    real_facts = linter.engine.apply_facts

    def edit_then_apply(*args: Any) -> None:  # every file has been read by now
        if len(scans) == 1:
            tfvars.write_text(tfvars.read_text().replace("min_size     = 2", "min_size     = 1"))
        real_facts(*args)

    monkeypatch.setattr(linter.engine, "apply_facts", edit_then_apply)
    first = scan_json("-j", jobs, "envs/prod", "k8s", cwd=repo)
    assert _figures(first)[("FIN-GPU-003", "modules/gpu_node_group/main.tf")] == 22440.71  # read before the edit
    run = scan_json("-j", jobs, "envs/prod", "k8s", cwd=repo)
    assert len(scans) == 2
    assert _figures(run)[("FIN-GPU-003", "modules/gpu_node_group/main.tf")] == pytest.approx(22440.71 / 2, abs=0.01)


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_manifest_added_after_its_directory_was_listed_is_scanned_next_time(
        repo: Path, scans: list[Any], jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A directory's recorded listing is the one discovery walked (in this process, or in its child with -j 2),
    not the directory as it is when the scan ends: a file added in between is news to the next run."""
    import linter.engine

    real_facts = linter.engine.apply_facts
    added = repo / "k8s" / "batch-embed.yaml"

    def add_then_apply(*args: Any) -> None:  # the files were found (and read) by now
        if len(scans) == 1 and not added.exists():
            added.write_text((VLLM / "llama3-8b-prod.yaml").read_text().replace("name: llama3-8b", "name: embed"))
        real_facts(*args)

    monkeypatch.setattr(linter.engine, "apply_facts", add_then_apply)
    first = scan_json("-j", jobs, "k8s", cwd=repo)
    assert not any("embed" in r["address"] for r in first.report["resources"])
    run = scan_json("-j", jobs, "k8s", cwd=repo)
    assert len(scans) == 2 and any("embed" in r["address"] for r in run.report["resources"])


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_added_to_a_module_directory_while_the_scan_runs_is_scanned_next_time(
        repo: Path, scans: list[Any], jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """The module directory outside the scanned path is listed by the Terraform reader (here or in a worker):
    its recorded listing is the one the module's files were read from."""
    import linter.engine

    real_facts = linter.engine.apply_facts
    added = repo / "modules" / "gpu_node_group" / "debug.tf"

    def add_then_apply(*args: Any) -> None:
        if len(scans) == 1 and not added.exists():
            added.write_text('resource "aws_instance" "debug" {\n  ami           = "ami-0abcdef1234567890"\n'
                             '  instance_type = "p4d.24xlarge"\n}\n')
        real_facts(*args)

    monkeypatch.setattr(linter.engine, "apply_facts", add_then_apply)
    first = scan_json("-j", jobs, "envs/prod", cwd=repo)
    assert not any(f["resource"].endswith("aws_instance.debug") for f in first.findings())
    run = scan_json("-j", jobs, "envs/prod", cwd=repo)
    assert len(scans) == 2 and any(f["resource"].endswith("aws_instance.debug") for f in run.findings())


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_file_shrunk_below_the_size_limit_while_the_scan_runs_is_scanned_again(
        repo: Path, scans: list[Any], jobs: str, monkeypatch: pytest.MonkeyPatch) -> None:
    """A size check's answer is recorded as the scan got it (in this process or a worker), not as the file is when
    the scan ends: a manifest trimmed under --max-file-size mid-scan is read by the next run, not replayed as
    'too large'."""
    import linter.engine

    manifest = repo / "k8s" / "llama3-8b-prod.yaml"
    text = manifest.read_text()
    manifest.write_text(text + "# " + "x" * 40_000 + "\n")  # a vendored chart's notes, pasted in
    real_facts = linter.engine.apply_facts

    def trim_then_apply(*args: Any) -> None:  # every size check has been answered by now
        if len(scans) == 1:
            manifest.write_text(text)
        real_facts(*args)

    monkeypatch.setattr(linter.engine, "apply_facts", trim_then_apply)
    first = scan_json("-j", jobs, "--max-file-size", "32KiB", "envs/prod", "k8s", cwd=repo)
    assert any(s["file"] == "k8s/llama3-8b-prod.yaml" and "too large" in s["reason"] for s in first.report["skipped"])
    assert not any(f["file"] == "k8s/llama3-8b-prod.yaml" for f in first.findings())
    run = scan_json("-j", jobs, "--max-file-size", "32KiB", "envs/prod", "k8s", cwd=repo)
    assert len(scans) == 2
    assert not any(s["file"] == "k8s/llama3-8b-prod.yaml" for s in run.report["skipped"])
    assert any(f["file"] == "k8s/llama3-8b-prod.yaml" for f in run.findings())


def test_other_options_and_environment_are_other_questions(repo: Path, scans: list[Any],
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    scan_json("envs/prod", cwd=repo)
    scan_json("envs/prod", "--fail-on", "critical", cwd=repo)
    run_cli("scan", "envs/prod", "--format", "sarif", cwd=repo)
    monkeypatch.setenv("TF_WORKSPACE", "staging")
    scan_json("envs/prod", cwd=repo)
    assert len(scans) == 4


def test_no_cache_write_baseline_and_programs_are_never_replayed(repo: Path, scans: list[Any],
                                                                  monkeypatch: pytest.MonkeyPatch) -> None:
    scan_json("envs/prod", "--no-cache", cwd=repo)
    scan_json("envs/prod", "--no-cache", cwd=repo)
    baseline = repo / "baseline.json"
    scan_json("envs/prod", "--write-baseline", str(baseline), cwd=repo)
    baseline.unlink()
    scan_json("envs/prod", "--write-baseline", str(baseline), cwd=repo)
    assert baseline.is_file() and len(scans) == 4
    import linter.engine

    counted = linter.engine.scan

    def runs_a_program(*args: Any, **kwargs: Any) -> Any:
        subprocess.run(["true"], check=False)  # as --pulumi-execute or a plugin would
        return counted(*args, **kwargs)

    monkeypatch.setattr(linter.engine, "scan", runs_a_program)
    scan_json("k8s", cwd=repo)
    scan_json("k8s", cwd=repo)
    assert len(scans) == 6


def test_a_corrupt_entry_is_a_miss(repo: Path, scans: list[Any], tmp_path: Path) -> None:
    first = scan_json("k8s", cwd=repo)
    entries = [p for p in (tmp_path / "cache").rglob("replay-*")]
    assert len(entries) == 1
    entries[0].write_bytes(b"finops-lint-cache-1\n\x80\x04truncated")
    again = scan_json("k8s", cwd=repo)
    assert len(scans) == 2 and again.stdout == first.stdout


def test_the_output_file_is_written_on_a_replay(repo: Path, scans: list[Any]) -> None:
    out = repo.parent / "report.txt"
    run_cli("scan", "envs/prod", "-o", str(out), cwd=repo)
    text = out.read_text()
    out.unlink()
    replayed = run_cli("scan", "envs/prod", "-o", str(out), cwd=repo)
    assert len(scans) == 1 and out.read_text() == text and replayed.exit_code == 1
    assert "FIN-GPU-003" in text and "modules/gpu_node_group/main.tf:10" in text


def test_an_unwritable_cache_only_costs_the_replay(repo: Path, scans: list[Any], tmp_path: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    blocked = tmp_path / "not-a-directory"
    blocked.write_text("a file where the cache directory would be\n")
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(blocked))
    first = scan_json("envs/prod", cwd=repo)
    second = scan_json("envs/prod", cwd=repo)
    assert len(scans) == 2 and first.exit_code == second.exit_code == 1
    assert first.stdout == second.stdout and first.stderr == second.stderr == ""


def test_the_import_systems_listing_of_a_path_entry_is_no_input(tmp_path: Path,
                                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """`python -m linter` puts the working directory on sys.path; the import system lists it to find modules.
    That listing is no input of the scan (a file created there made every later run scan again); a listing the
    scan itself makes of the same directory is."""
    import importlib

    from linter import inputs

    entry = tmp_path / "on-path"
    entry.mkdir()
    monkeypatch.syspath_prepend(str(entry))
    inputs.start(())
    try:
        importlib.invalidate_caches()
        with pytest.raises(ImportError):
            importlib.import_module("finops_lint_no_such_module")
        by_import = str(entry) in inputs._OPEN[0].dirs
        os.listdir(entry)
        by_the_scan = str(entry) in inputs._OPEN[0].dirs
    finally:
        inputs.stop()
    assert not by_import and by_the_scan


def test_the_code_stamp_leaves_out_the_working_directory_on_sys_path(tmp_path: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The stamp follows the directories packages are installed in; the working directory, first on sys.path
    under `python -m`, changes whenever a run writes its report there and would make every run a new question."""
    from linter import replay

    installed = tmp_path / "site-packages"
    installed.mkdir()
    monkeypatch.chdir(tmp_path)
    monkeypatch.syspath_prepend(str(installed))
    monkeypatch.syspath_prepend(str(tmp_path))

    def stamp() -> str:
        replay.code_stamp.cache_clear()
        try:
            return replay.code_stamp()
        finally:
            replay.code_stamp.cache_clear()

    first = stamp()
    (tmp_path / "report.json").write_text("{}")
    os.utime(tmp_path, ns=(1, 1))
    assert stamp() == first
    os.utime(installed, ns=(2, 2))  # a package installed or upgraded
    assert stamp() != first
