"""The per-root Terraform cache (linter/terraform_roots.py): after one root or module changes, only the roots
that read it are evaluated again, and the report is the one a scan without any cache gives."""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, scan_json

TRAINING = EXAMPLES / "terraform" / "aws" / "training_cluster" / "violating"


@pytest.fixture
def repo(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """Two environments calling one shared module, as a monorepo lays them out."""
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path / "cache"))
    root = tmp_path / "repo"
    (root / ".git").mkdir(parents=True)
    for env in ("prod", "staging"):
        shutil.copytree(TRAINING, root / "envs" / env, ignore=shutil.ignore_patterns("modules"))
        main = root / "envs" / env / "main.tf"
        main.write_text(main.read_text().replace('"./modules/gpu_node_group"', '"../../modules/gpu_node_group"'))
    shutil.copytree(TRAINING / "modules", root / "modules")
    return root


@pytest.fixture
def loaded(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The root directories the Terraform loader really evaluates (a cached root is not evaluated)."""
    from linter.sources.terraform.module import TerraformLoader

    real, calls = TerraformLoader.load_root, []

    def counted(self: Any, directory: str, *args: Any) -> Any:
        calls.append(Path(directory).name)
        return real(self, directory, *args)

    monkeypatch.setattr(TerraformLoader, "load_root", counted)
    return calls


def _uncached(repo: Path, *args: str) -> dict[str, Any]:
    return scan_json(*args, "--no-cache", cwd=repo).report


def test_only_the_edited_root_is_evaluated_again(repo: Path, loaded: list[str]) -> None:
    scan_json("envs", cwd=repo)
    assert sorted(loaded) == ["prod", "staging"]
    tfvars = repo / "envs" / "staging" / "terraform.tfvars"
    tfvars.write_text(tfvars.read_text().replace("min_size     = 2", "min_size     = 1"))
    loaded.clear()
    run = scan_json("envs", cwd=repo)
    assert loaded == ["staging"]
    assert run.report["findings"] == _uncached(repo, "envs")["findings"]
    figures = sorted(f["impact"]["monthly_usd"] for f in run.findings("FIN-GPU-003"))
    assert figures == [pytest.approx(22440.71 / 2, abs=0.01), 22440.71]  # staging's floor halved, prod's kept


def test_an_edit_in_the_shared_module_reloads_every_root_that_uses_it(repo: Path, loaded: list[str]) -> None:
    scan_json("envs", cwd=repo)
    module = repo / "modules" / "gpu_node_group" / "main.tf"
    module.write_text(module.read_text().replace("  capacity_type  = var.capacity_type",
                                                 '  capacity_type  = "SPOT"'))
    loaded.clear()
    run = scan_json("envs", cwd=repo)
    assert sorted(loaded) == ["prod", "staging"]
    assert run.findings("FIN-GPU-001") == []  # spot now: the on-demand finding is gone from both roots


def test_ignore_comments_of_a_cached_root_still_apply(repo: Path, loaded: list[str]) -> None:
    debug = ('resource "aws_eks_node_group" "debug" {\n  cluster_name    = "ml-prod-use1"\n'
             '  node_group_name = "debug-p4d"\n  node_role_arn   = "arn:aws:iam::123456789012:role/debug"\n'
             '  subnet_ids      = ["subnet-0a1b2c3d4e5f60718"]\n  capacity_type   = "ON_DEMAND"\n'
             '  instance_types  = ["p4d.24xlarge"]\n  labels          = { workload = "training" }\n\n'
             '  scaling_config {\n    min_size     = 1\n    desired_size = 1\n    max_size     = 2\n  }\n}\n')
    (repo / "envs" / "staging" / "debug.tf").write_text(
        "# finops-lint:ignore FIN-GPU-003 the debug pool stays up while the on-call investigates\n" + debug)
    first = scan_json("envs", cwd=repo)
    debug_findings = [f for f in first.findings() if f["resource"] == "aws_eks_node_group.debug"]
    assert [f["rule_id"] for f in debug_findings] == ["FIN-GPU-001", "FIN-TAG-001"]  # FIN-GPU-003 is ignored
    (repo / "envs" / "prod" / "notes.tf").write_text("# a new file in one root: that root is read again\n")
    loaded.clear()
    again = scan_json("envs", cwd=repo)
    assert loaded == ["prod"]  # staging came from the cache, with the ignore comments of its files
    assert [f for f in again.findings() if f["resource"] == "aws_eks_node_group.debug"] == debug_findings
    assert again.report["summary"]["suppressed"] == first.report["summary"]["suppressed"]


def test_a_syntax_error_in_a_shared_module_is_reported_once(repo: Path, loaded: list[str]) -> None:
    (repo / "modules" / "gpu_node_group" / "broken.tf").write_text('locals {\n  x = [1, 2\n}\n')
    first = scan_json("envs", cwd=repo)
    assert first.exit_code == 2
    tfvars = repo / "envs" / "staging" / "terraform.tfvars"
    tfvars.write_text(tfvars.read_text() + "\n# touched\n")
    loaded.clear()
    again = scan_json("envs", cwd=repo)
    assert loaded == ["staging"]
    broken = [e for e in again.report["errors"] if e["file"].endswith("broken.tf")]
    assert len(broken) == 1 and broken == [e for e in first.report["errors"] if e["file"].endswith("broken.tf")]


def test_other_variables_are_another_question(repo: Path, loaded: list[str]) -> None:
    scan_json("envs", cwd=repo)
    loaded.clear()
    run = scan_json("envs", "--var", "min_size=0", cwd=repo)
    assert sorted(loaded) == ["prod", "staging"]
    assert run.findings("FIN-GPU-003") == []
    loaded.clear()
    scan_json("envs", "--var", "min_size=0", "--no-cache", cwd=repo)
    scan_json("envs", cwd=repo)
    assert sorted(loaded) == ["prod", "staging"]  # --no-cache reads both; the plain scan is the first's, cached
