"""`finops-lint hook` in-process: what a changed file pulls in, and which findings count."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import EXAMPLES, run_cli, write
from linter.hook import plan

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"


def test_child_module_reached_through_a_caller_of_its_caller(tmp_path: Path) -> None:
    """live/prod -> stacks/training -> modules/gpu_node_group: the hook scans the outermost root."""
    shutil.copytree(TRAINING, tmp_path / "stacks/training")
    shutil.move(str(tmp_path / "stacks/training/modules"), str(tmp_path / "modules"))
    main = (tmp_path / "stacks/training/main.tf").read_text()
    (tmp_path / "stacks/training/main.tf").write_text(main.replace("./modules/gpu_node_group",
                                                                   "../../modules/gpu_node_group"))
    write(tmp_path, {"live/prod/main.tf": 'module "training" {\n  source = "../../stacks/training"\n}\n'})
    target = plan([str(tmp_path / "modules/gpu_node_group/main.tf")], str(tmp_path))
    assert target.scan_paths == [str(tmp_path / "live/prod/main.tf")]


def test_hook_counts_only_changed_files_and_accepts_options_before_files(tmp_path: Path) -> None:
    shutil.copytree(TRAINING, tmp_path / "training")
    write(tmp_path, {"k8s/notes.yaml": "# not a manifest\nfoo: bar\n"})
    child = "training/modules/gpu_node_group/main.tf"
    run = run_cli("hook", "--format", "json", child, cwd=tmp_path)
    assert run.exit_code == 1
    assert {(f["rule_id"], f["file"]) for f in run.report["findings"]} == {
        ("FIN-GPU-001", child), ("FIN-GPU-003", child), ("FIN-TAG-001", child)}
    run = run_cli("hook", "--fail-on", "critical", child, cwd=tmp_path)
    assert run.exit_code == 0 and "FIN-GPU-001" in run.stdout  # reported, not failing at this threshold
    run = run_cli("hook", "training/outputs.tf", "k8s/notes.yaml", cwd=tmp_path)
    assert run.exit_code == 0 and "FIN-" not in run.stdout
    run = run_cli("hook", "training/main.tf", "--format", "json", cwd=tmp_path)  # the module block's file
    assert run.exit_code == 1 and {f["file"] for f in run.report["findings"]} == {child}
    assert all(f["called_from"][0]["file"] == "training/main.tf" for f in run.report["findings"])
    run = run_cli("hook", "training/terraform.tfvars", "--format", "json", cwd=tmp_path)
    assert run.exit_code == 1 and len(run.report["findings"]) == 3  # a changed tfvars: its module's findings
    run = run_cli("hook", "deleted.tf", "script.py", cwd=tmp_path)
    assert run.exit_code == 0 and run.stdout == ""


def test_a_changed_pulumi_stack_config_counts_its_programs_findings(tmp_path: Path) -> None:
    shutil.copytree(EXAMPLES / "pulumi/python_aws_training/violating", tmp_path / "training")
    direct = run_cli("hook", "--format", "json", "training/__main__.py", cwd=tmp_path)
    assert direct.exit_code == 1 and direct.report["findings"]
    config = run_cli("hook", "--format", "json", "training/Pulumi.staging.yaml", cwd=tmp_path)
    assert config.exit_code == 1
    assert {f["fingerprint"] for f in config.report["findings"]} == {f["fingerprint"] for f in direct.report["findings"]}
    write(tmp_path, {"tools/lint.py": "import sys\nprint(sys.argv)\n"})
    run = run_cli("hook", "training/requirements.txt", "tools/lint.py", cwd=tmp_path)
    assert run.exit_code == 0 and run.stdout == ""  # not infrastructure; a .py outside a Pulumi project


def test_notes_about_the_modules_other_files_stay_out_of_the_hook_output(tmp_path: Path) -> None:
    shutil.copytree(TRAINING, tmp_path / "training")
    write(tmp_path, {"training/vpc.tf": 'module "vpc" {\n  source  = "terraform-aws-modules/vpc/aws"\n'
                                        '  version = "5.8.1"\n}\n'})
    scan = run_cli("scan", "training", cwd=tmp_path)
    assert "training/vpc.tf:1: module.vpc: remote module source" in scan.stdout  # a full scan says so
    hook = run_cli("hook", "training/modules/gpu_node_group/main.tf", cwd=tmp_path)
    assert hook.exit_code == 1 and "FIN-GPU-001" in hook.stdout
    assert "vpc.tf" not in hook.stdout + hook.stderr
    changed = run_cli("hook", "training/vpc.tf", cwd=tmp_path)
    assert "training/vpc.tf:1: module.vpc: remote module source" in changed.stdout + changed.stderr


def test_the_hooks_take_a_kustomization_file_without_an_extension() -> None:
    """pre-commit passes a hook only the files its ``files`` pattern matches: an overlay's ``Kustomization``
    (kustomize's third file name) has no extension, so the patterns name it, or an edit of it is never scanned."""
    import re

    import yaml

    from conftest import ROOT

    hooks = {h["id"]: h for h in yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())}
    for hook_id in ("finops-lint", "finops-lint-kubernetes"):
        files = re.compile(hooks[hook_id]["files"])
        assert files.search("deploy/overlays/prod/Kustomization"), hook_id
        assert files.search("Kustomization"), hook_id
        assert files.search("deploy/overlays/prod/kustomization.yaml"), hook_id
        assert not files.search("docs/Kustomization.md"), hook_id
