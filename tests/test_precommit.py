"""The pre-commit hooks, run for real: `pre-commit try-repo` (and the README's config snippet) against a
snapshot of this repository, in a throwaway git repository. pre-commit pip-installs finops-lint into its
own environment (once per run, shared by the cases through one PRE_COMMIT_HOME)."""

from __future__ import annotations

import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT

pytest.importorskip("pre_commit", reason="pre-commit is in the test extra: pip install -e '.[test]'")

TRAINING = EXAMPLES / "terraform/aws/training_cluster"
K8S = EXAMPLES / "kubernetes/training_job"
CHILD = "infra/training/modules/gpu_node_group/main.tf"


def git(cwd: Path, *args: str) -> str:
    env = {**os.environ, "GIT_AUTHOR_NAME": "t", "GIT_AUTHOR_EMAIL": "t@example.com",
           "GIT_COMMITTER_NAME": "t", "GIT_COMMITTER_EMAIL": "t@example.com"}
    return subprocess.run(["git", *args], cwd=cwd, env=env, check=True, capture_output=True, text=True).stdout.strip()


@pytest.fixture(scope="module")
def hooks_repo(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, str]:
    """This repository's working tree (tracked and new files) committed in a snapshot, so every case
    uses one revision and pre-commit builds its environment once."""
    snap = tmp_path_factory.mktemp("finops-lint-snapshot")
    names = subprocess.run(["git", "ls-files", "-co", "--exclude-standard", "-z"], cwd=ROOT, check=True,
                           capture_output=True).stdout.decode().split("\0")
    for name in filter(None, names):
        if (ROOT / name).is_file():
            (snap / name).parent.mkdir(parents=True, exist_ok=True)
            shutil.copy2(ROOT / name, snap / name)
    git(snap, "init", "-q")
    git(snap, "add", "-A")
    git(snap, "commit", "-qm", "snapshot")
    return snap, git(snap, "rev-parse", "HEAD")


@pytest.fixture(scope="module")
def env(tmp_path_factory: pytest.TempPathFactory) -> dict[str, str]:
    home = tmp_path_factory.mktemp("pre-commit-home")
    return {**os.environ, "PRE_COMMIT_HOME": str(home), "PRE_COMMIT_COLOR": "never", "SKIP": ""}


def work_repo(root: Path, variant: str) -> Path:
    """A team's infrastructure repository: a root module calling a child module, plus job manifests."""
    shutil.copytree(TRAINING / variant, root / "infra/training")
    shutil.copytree(K8S / variant, root / "k8s")
    git(root, "init", "-q")
    git(root, "add", "-A")
    return root


def pre_commit(cwd: Path, env: dict[str, str], *args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run([sys.executable, "-m", "pre_commit", *args], cwd=cwd, env=env, capture_output=True,
                          text=True, timeout=600)


def test_try_repo_fails_on_a_violating_child_module_with_the_callers_values(tmp_path, hooks_repo, env,
                                                                             catalog) -> None:
    snap, rev = hooks_repo
    repo = work_repo(tmp_path, "violating")
    run = pre_commit(repo, env, "try-repo", str(snap), "finops-lint-terraform", "--ref", rev, "--files", CHILD)
    assert run.returncode == 1, run.stdout + run.stderr
    # the child module alone has no instance type or capacity type: the figure needs the root's values
    monthly = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour * 2 * 730
    assert re.search(rf"{CHILD}\n\s+10\s+high\s+FIN-GPU-001\s+module\.gpu_nodes\.aws_eks_node_group\.this", run.stdout)
    assert f"costs ${monthly:,.2f}/mo" in run.stdout
    assert "Failed" in run.stdout


def test_try_repo_passes_on_the_compliant_module(tmp_path, hooks_repo, env) -> None:
    snap, rev = hooks_repo
    repo = work_repo(tmp_path, "compliant")
    run = pre_commit(repo, env, "try-repo", str(snap), "finops-lint-terraform", "--ref", rev, "--files", CHILD,
                     "infra/training/main.tf")
    assert run.returncode == 0, run.stdout + run.stderr
    assert "Passed" in run.stdout


def readme_snippet(title: str) -> str:
    text = (ROOT / "README.md").read_text()
    section = text.split(f"### {title}", 1)[1]
    return section.split("```yaml\n", 1)[1].split("```", 1)[0]


def test_readme_config_fails_only_on_the_changed_files(tmp_path, hooks_repo, env) -> None:
    snap, rev = hooks_repo
    repo = work_repo(tmp_path, "violating")
    config = readme_snippet("Pre-commit")
    config = re.sub(r"repo: \S+", f"repo: {snap}", config, count=1)
    config = re.sub(r"rev: \S+", f"rev: {rev}", config, count=1)
    (repo / ".pre-commit-config.yaml").write_text(config)
    # an untouched output file of the violating root: its module's findings are elsewhere, so the hook passes
    run = pre_commit(repo, env, "run", "--files", "infra/training/outputs.tf")
    assert run.returncode == 0, run.stdout + run.stderr
    run = pre_commit(repo, env, "run", "--files", "k8s/eval-job.yaml")
    assert run.returncode == 1, run.stdout + run.stderr
    assert "FIN-GPU-001" in run.stdout and "k8s/eval-job.yaml" in run.stdout
