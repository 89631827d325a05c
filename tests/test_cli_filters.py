"""Rule-id validation, rule and path filters, the money floor and config discovery (issue 9, items 2, 3, 5)."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli, scan_json, write

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"
POOL = "module.gpu_nodes.aws_eks_node_group.this"


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    dest = tmp_path / "repo" / "stacks" / "training"
    shutil.copytree(TRAINING, dest)
    (tmp_path / "repo" / ".git").mkdir()  # a repository root, as a checkout has
    return dest


@pytest.mark.parametrize(("config", "key", "guess"), [
    ("disabled_rules: [FIN-TAG-01]\n", "disabled_rules.0", "FIN-TAG-001"),
    ("severity:\n  FIN-GPU-01: high\n", "severity.FIN-GPU-01", "FIN-GPU-001"),
    ("disabled_rules: [fin-scale-001]\n", "disabled_rules.0", "FIN-SCALE-001"),
])
def test_unknown_rule_id_in_config_is_an_error_naming_key_and_closest_id(stack: Path, config: str, key: str,
                                                                         guess: str) -> None:
    write(stack, {".finops-lint.yaml": config})
    run = run_cli("scan", ".", cwd=stack)
    assert run.exit_code == 2
    assert run.stderr.count("\n") == 1
    assert f".finops-lint.yaml: key '{key}': unknown rule id" in run.stderr
    assert f"did you mean {guess}?" in run.stderr


def test_user_rule_ids_are_known_to_config(stack: Path, tmp_path: Path) -> None:
    rule = (EXAMPLES.parent / "rules/FIN-GPU-002.yaml").read_text().replace("id: FIN-GPU-002", "id: ACME-GPU-100")
    rule = rule.replace("name: oversized-gpu-for-batch", "name: acme-oversized")
    write(tmp_path, {"policies/ACME-GPU-100.yaml": rule})
    write(stack, {".finops-lint.yaml": f"rules_dirs: [{tmp_path / 'policies'}]\ndisabled_rules: [ACME-GPU-100]\n"})
    assert run_cli("scan", ".", "--format", "json", cwd=stack).exit_code == 1  # findings, not a config error


def test_ignore_comments_with_unknown_id_no_id_or_no_reason_are_warnings(stack: Path) -> None:
    main = stack / "modules/gpu_node_group/main.tf"
    lines = main.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith('resource "aws_eks_node_group"'))
    lines.insert(start, "# finops-lint:ignore FIN-GPU-02 reserved capacity")  # typo: suppresses nothing
    lines.insert(0, "# finops-lint:ignore")
    lines.insert(1, "// finops-lint:ignore FIN-GPU-003")
    main.write_text("\n".join(lines) + "\n")
    typo_line = start + 3
    run = scan_json(".", cwd=stack)
    assert run.exit_code == 1  # warnings do not change the exit code
    warnings = {(w["file"], w["line"]): w["message"] for w in run.report["warnings"]}
    where = "modules/gpu_node_group/main.tf"
    assert "unknown rule id 'FIN-GPU-02' (did you mean FIN-GPU-002?)" in warnings[(where, typo_line)]
    assert "names no rule id" in warnings[(where, 1)]
    assert "gives no reason" in warnings[(where, 2)]
    assert run.report["summary"]["warnings"] == 3
    assert f"finops-lint: warning: {where}:{typo_line}: ignore comment: unknown rule id 'FIN-GPU-02'" in run.stderr
    assert run.findings("FIN-GPU-001")  # the typo suppressed nothing
    text = run_cli("scan", ".", cwd=stack)
    assert text.stdout.strip().splitlines()[-1].endswith("; 3 warning(s)")
    assert "warning:" not in text.stdout  # on stderr only, not twice on a terminal


def test_skip_rule_and_only_rule_are_repeatable_and_validated(stack: Path) -> None:
    every = {f["rule_id"] for f in scan_json(".", cwd=stack).findings()}
    assert every == {"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"}
    run = scan_json(".", "--skip-rule", "FIN-GPU-001", "--skip-rule", "FIN-TAG-001", cwd=stack)
    assert {f["rule_id"] for f in run.findings()} == {"FIN-GPU-003"}
    run = scan_json(".", "--only-rule", "FIN-TAG-001,FIN-GPU-001", cwd=stack)
    assert {f["rule_id"] for f in run.findings()} == {"FIN-GPU-001", "FIN-TAG-001"}
    bad = run_cli("scan", ".", "--skip-rule", "FIN-GPU-0001", cwd=stack)
    assert bad.exit_code == 2 and "--skip-rule: unknown rule id 'FIN-GPU-0001' (did you mean FIN-GPU-001?)" in bad.stderr


def test_exclude_glob_on_the_command_line_and_in_config(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(TRAINING, repo / "infra/training")
    shutil.copytree(EXAMPLES / "terraform/aws/batch_inference/violating", repo / "examples/batch")
    (repo / ".git").mkdir()
    everything = scan_json(".", cwd=repo)
    assert any(f["file"].startswith("examples/") for f in everything.findings())
    run = scan_json(".", "--exclude", "examples", cwd=repo)
    assert run.findings() and not any(f["file"].startswith("examples/") for f in run.findings())
    assert not any(r["file"].startswith("examples/") for r in run.report["resources"])
    # a module file excluded by a path glob: findings inside it are dropped although its caller is scanned
    run = scan_json(".", "--exclude", "infra/training/modules/*", cwd=repo)
    assert not any("modules/" in f["file"] for f in run.findings())
    # config globs are relative to the config file, which is found from a subdirectory up to the repo root
    write(repo, {".finops-lint.yaml": "exclude: [examples/*]\n"})
    run = scan_json(".", cwd=repo / "examples")
    assert run.findings() == [] and run.exit_code == 0
    # an excluded path named on the command line (pre-commit passes files) is listed as not scanned
    run = scan_json("examples/batch/main.tf", cwd=repo)
    assert run.report["skipped"] == [{"file": "examples/batch/main.tf",
                                      "reason": "excluded by exclude 'examples/*' in .finops-lint.yaml"}]


def test_min_monthly_usd_drops_known_small_figures_and_keeps_unknown_ones(tmp_path: Path, catalog) -> None:
    write(tmp_path, {"main.tf": '''
provider "aws" {
  region = "us-east-1"
}

# nightly embedding batch on a small GPU box
resource "aws_instance" "embed_nightly" {
  instance_type = "g4dn.xlarge"
  tags = { workload = "batch", team = "search", environment = "prod" }
}

# training on a large box
resource "aws_instance" "trainer" {
  instance_type = "p4d.24xlarge"
  tags = { workload = "training", team = "research", "cost-center" = "cc-1", environment = "prod" }
}

provider "aws" {
  alias  = "stockholm"
  region = "af-south-1"
}

# a region the catalog has no p5 price for (not offered there): its figures are unknown
resource "aws_instance" "train_stockholm" {
  provider      = aws.stockholm
  instance_type = "p5.48xlarge"
  tags = { workload = "training", team = "research", "cost-center" = "cc-1", environment = "prod" }
}
'''})
    base = scan_json(".", cwd=tmp_path)
    small = base.finding("FIN-TAG-001", "aws_instance.embed_nightly")
    expected = catalog.hourly("aws", "us-east-1", "g4dn.xlarge").usd_per_hour * 730
    assert small["impact"]["monthly_usd"] == pytest.approx(expected, abs=0.01)
    floor = expected + 1
    run = scan_json(".", "--min-monthly-usd", f"{floor:.2f}", cwd=tmp_path)
    kept = {(f["rule_id"], f["resource"]) for f in run.findings()}
    assert ("FIN-TAG-001", "aws_instance.embed_nightly") not in kept
    assert ("FIN-GPU-001", "aws_instance.trainer") in kept
    assert all(f["impact"]["monthly_usd"] is None or f["impact"]["monthly_usd"] >= floor for f in run.findings())
    assert run.report["summary"]["below_min_monthly_usd"] == len(base.findings()) - len(run.findings())
    unknown = [f for f in run.findings() if f["impact"]["monthly_usd"] is None]
    assert {f["resource"] for f in unknown} == {"aws_instance.train_stockholm"}  # it stays, and says why
    assert unknown[0]["notes"] == [f"kept under --min-monthly-usd {floor:g}: its monthly saving is unknown "
                                   "(no catalog price for p5.48xlarge in af-south-1 (not offered in af-south-1: no "
                                   "af-south-1 AZ in SkyPilot v8 (2026-01-19)): dollar figure unknown)"]
    write(tmp_path, {".finops-lint.yaml": f"min_monthly_usd: {floor:.2f}\n"})
    run = scan_json(".", cwd=tmp_path)
    assert ("FIN-TAG-001", "aws_instance.embed_nightly") not in {(f["rule_id"], f["resource"]) for f in run.findings()}
    assert any("min_monthly_usd in .finops-lint.yaml" in n for f in run.findings() for n in f["notes"])


def test_config_is_found_from_the_scanned_path_up_to_the_repository_root(stack: Path, tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    write(repo, {".finops-lint.yaml": "disabled_rules: [FIN-TAG-001]\n"})
    outside = tmp_path / "elsewhere"
    outside.mkdir()
    run = scan_json(str(stack), cwd=outside)  # the config at the repository root applies, not the cwd's
    assert run.findings() and run.findings("FIN-TAG-001") == []
    # a nearer config wins over the root's
    write(stack, {".finops-lint.yaml": "disabled_rules: [FIN-GPU-001]\n"})
    run = scan_json(str(stack), cwd=outside)
    assert run.findings("FIN-TAG-001") and run.findings("FIN-GPU-001") == []
    # --config wins over discovery
    write(outside, {"strict.yaml": "fail_on: critical\n"})
    run = scan_json(str(stack), "--config", "strict.yaml", cwd=outside)
    assert run.findings("FIN-GPU-001") and run.findings("FIN-TAG-001")
    # the search stops at the repository root: a config above it is not read
    write(tmp_path, {".finops-lint.yaml": "disabled_rules: [FIN-GPU-003]\n"})
    (stack / ".finops-lint.yaml").unlink()
    (repo / ".finops-lint.yaml").unlink()
    assert scan_json(str(stack), cwd=outside).findings("FIN-GPU-003")


def test_readme_usage_block_shows_every_scan_flag() -> None:
    from linter.cli import scan

    readme = (EXAMPLES.parent / "README.md").read_text()
    start = readme.index("## Usage")
    block = readme[readme.index("```sh", start):readme.index("```\n", readme.index("```sh", start) + 5)]
    missing = [opt for p in scan.params for opt in p.opts + p.secondary_opts
               if opt.startswith("--") and opt not in block]
    assert missing == []
    assert "-v" in block and "-o" in block
    for text in ("severity_by_impact", "lacks its caller's inputs", "info < low < medium < high < critical"):
        assert text in readme, text


def test_ignore_annotation_with_an_unknown_id_or_no_reason_is_a_warning(tmp_path: Path) -> None:
    write(tmp_path, {"serve.yaml": '''apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-llama3
  namespace: llm
  labels: {team: ml, cost-center: cc-1, environment: prod}
  annotations:
    finops-lint.io/ignore: "FIN-GPU-04 sized for the 70B model next quarter"
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm-llama3}}
  template:
    metadata:
      labels: {app: vllm-llama3}
      annotations:
        finops-lint.io/ignore: "FIN-SCALE-001"
    spec:
      nodeSelector: {node.kubernetes.io/instance-type: p4d.24xlarge}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          resources: {limits: {nvidia.com/gpu: 1}}
'''})
    run = scan_json(".", cwd=tmp_path)
    messages = [(w["file"], w["line"], w["message"]) for w in run.report["warnings"]]
    assert ("serve.yaml", 1, "ignore annotation finops-lint.io/ignore: unknown rule id 'FIN-GPU-04' (did you mean "
            "FIN-GPU-004?); it suppresses nothing") in messages
    assert any("gives no reason for FIN-SCALE-001" in m for _, _, m in messages)
    assert run.findings("FIN-GPU-004")  # the typo suppressed nothing
