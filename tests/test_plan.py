"""``finops-lint plan``: a Terraform/OpenTofu plan's cost diff, findings, source mapping and gates.

The fixture ``gpu_platform`` is a root module (providers, tfvars, a for_each module with counted
instances, an ASG on a launch template) and the plan ``terraform show -json`` writes for a change
to it: two p4d instances created, a g5 instance resized in place, a notebook replaced, a p3
trainer deleted, a web server unchanged. The region is set from a local value (not in the plan's
configuration), so pricing in eu-west-1 proves the .tf source was read.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, run_cli

FIXTURES = ROOT / "tests" / "fixtures" / "terraform_plan"
HOURS = 730
TRAIN = [f'module.gpu["train"].aws_instance.this[{i}]' for i in range(2)]
TRAIN_BLOCK = 'module.gpu["train"].aws_instance.this'  # the count instances above, as one finding
SERVE = 'module.gpu["serve"].aws_instance.this[0]'


@pytest.fixture
def stack(tmp_path: Path) -> Path:
    dest = tmp_path / "gpu_platform"
    shutil.copytree(FIXTURES / "gpu_platform", dest)
    return dest


def plan_json(*args: str, cwd: Path) -> Any:
    return run_cli("plan", "--format", "json", *args, cwd=cwd)


def monthly(catalog, itype: str, region: str = "eu-west-1", count: int = 1) -> float:
    return round(catalog.hourly("aws", region, itype).usd_per_hour * count * HOURS, 2)


def test_cost_diff_figures_follow_the_catalog(stack: Path, catalog) -> None:
    run = plan_json("plan.json", "--fail-on", "none", cwd=stack)
    assert run.exit_code == 0
    diff = run.report["cost_diff"]
    before = sum(monthly(catalog, t) for t in ("m5.large", "g5.xlarge", "g4dn.xlarge", "p3.8xlarge"))
    after = sum(monthly(catalog, t) for t in ("m5.large", "p4d.24xlarge", "p4d.24xlarge", "g5.2xlarge",
                                               "g4dn.2xlarge", "g5.12xlarge"))
    assert diff["monthly_before_usd"] == pytest.approx(before, abs=0.01)
    assert diff["monthly_after_usd"] == pytest.approx(after, abs=0.01)
    assert diff["monthly_delta_usd"] == pytest.approx(after - before, abs=0.01)
    rows = {r["address"]: r for r in diff["resources"]}
    assert rows[TRAIN[0]] == {"address": TRAIN[0], "action": "create", "before_usd": 0.0,
                              "after_usd": monthly(catalog, "p4d.24xlarge"),
                              "delta_usd": monthly(catalog, "p4d.24xlarge")}
    assert rows[SERVE]["action"] == "update"
    assert rows[SERVE]["delta_usd"] == pytest.approx(monthly(catalog, "g5.2xlarge") - monthly(catalog, "g5.xlarge"),
                                                     abs=0.01)
    assert rows["aws_instance.notebook"]["action"] == "replace"
    assert rows["aws_instance.notebook"]["before_usd"] == monthly(catalog, "g4dn.xlarge")
    assert rows["aws_instance.legacy_trainer"] == {
        "address": "aws_instance.legacy_trainer", "action": "delete", "before_usd": monthly(catalog, "p3.8xlarge"),
        "after_usd": 0.0, "delta_usd": -monthly(catalog, "p3.8xlarge")}
    assert rows["aws_autoscaling_group.eval"]["after_usd"] == monthly(catalog, "g5.12xlarge")  # via its template
    assert "aws_instance.web" not in rows  # unchanged: in the totals, not in the list
    deltas = [abs(r["delta_usd"]) for r in diff["resources"]]
    assert deltas == sorted(deltas, reverse=True)
    # the planned state costs what a scan of its source costs
    scan = run_cli("scan", "--format", "json", ".", "--var", "jupyter_token=x", "--fail-on", "none", cwd=stack)
    assert scan.report["summary"]["monthly_cost_usd"] == pytest.approx(diff["monthly_after_usd"], abs=0.01)
    assert run.report["summary"]["monthly_cost_usd"] == pytest.approx(diff["monthly_after_usd"], abs=0.01)


def test_text_report_biggest_change_first(stack: Path) -> None:
    run = run_cli("plan", "plan.json", cwd=stack)
    out = run.stdout
    assert out.index(TRAIN[0]) < out.index("aws_instance.legacy_trainer") < out.index("aws_instance.notebook")
    assert "1 to delete" in out and "gate fail-on: FAILED" in out


def test_findings_only_on_created_or_updated_resources(stack: Path) -> None:
    run = plan_json("plan.json", cwd=stack)
    assert run.exit_code == 1
    found = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}
    # count = 2 instances with one verdict: one finding on the block, the instances listed
    assert ("FIN-GPU-001", TRAIN_BLOCK, "modules/gpu_pool/main.tf", 2) in found
    assert [i["resource"] for i in run.finding("FIN-GPU-001", TRAIN_BLOCK)["instances"]] == list(TRAIN)
    assert all(f["source"] == "terraform-plan" for f in run.findings())
    resources = {f["resource"] for f in run.findings()}
    assert "aws_instance.legacy_trainer" not in resources  # deleted: a p3 trainer on demand, but going away
    assert "aws_instance.web" not in resources  # unchanged: its missing tags are not this change's doing
    every = plan_json("plan.json", "--all", cwd=stack)
    assert every.finding("FIN-TAG-001", "aws_instance.web")["file"] == "main.tf"
    assert all(f["resource"] != "aws_instance.legacy_trainer" for f in every.findings())


def test_default_tags_only_in_tags_all(stack: Path) -> None:
    """The module's own tags lack `team`; the provider's default_tags add it, and the plan says so in tags_all."""
    run = plan_json("plan.json", cwd=stack)
    train = next(r for r in run.report["resources"] if r["address"] == TRAIN[0])
    assert train["tags"]["team"] == "ml-platform" and train["tags"]["cost-center"] == "cc-4410"
    assert not [f for f in run.findings("FIN-TAG-001") if f["resource"] in TRAIN]


def test_unknown_values_keep_their_references(stack: Path) -> None:
    """The ASG's launch_template.id is known only after apply; the configuration says it is aws_launch_template.eval."""
    run = plan_json("plan.json", cwd=stack)
    asg = next(r for r in run.report["resources"] if r["address"] == "aws_autoscaling_group.eval")
    assert asg["links"]["launch_template"] == "aws_launch_template.eval"
    assert asg["compute"]["instance_type"] == "g5.12xlarge"


def test_sensitive_values_are_never_read_or_reported(stack: Path) -> None:
    from linter.engine import display_path
    from linter.sources.terraform.values import is_unknown
    from linter.sources.terraform_plan.read import read_plan

    read = read_plan(str(stack / "plan.json"), None, display_path)
    notebook = next(e for e in read.entries if e.address == "aws_instance.notebook")
    assert notebook.action == "replace"
    assert is_unknown(notebook.after.values["user_data"]) and is_unknown(notebook.before.values["user_data"])
    assert "sensitive" in notebook.after.values["user_data"].reason
    run = plan_json("plan.json", "--all", cwd=stack)
    assert "s3cr3t" not in run.stdout and "5f2b51d7" not in run.stdout


def test_region_from_a_local_needs_the_source(stack: Path, tmp_path: Path, catalog) -> None:
    alone = tmp_path / "alone"
    alone.mkdir()
    shutil.copy(stack / "plan.json", alone / "plan.json")
    run = plan_json("plan.json", "--fail-on", "none", cwd=alone)
    train = next(r for r in run.report["resources"] if r["address"] == TRAIN[0])
    assert train["region"] == "us-east-1" and "config default_regions.aws" in " ".join(train["price_notes"])
    assert train["monthly_cost_usd"] == monthly(catalog, "p4d.24xlarge", "us-east-1")
    assert run.report["plan"]["source_dir"] is None
    f = run.finding("FIN-GPU-001", TRAIN_BLOCK)
    assert (f["file"], f["line"]) == ("plan.json", 1)  # show -json writes one line
    mapped = plan_json("plan.json", "--source-dir", str(stack), "--fail-on", "none", cwd=alone)
    assert next(r for r in mapped.report["resources"] if r["address"] == TRAIN[0])["region"] == "eu-west-1"
    assert mapped.finding("FIN-GPU-001", TRAIN_BLOCK)["line"] == 2


def test_region_from_a_variable_is_read_from_the_plan(stack: Path, tmp_path: Path, catalog) -> None:
    data = json.loads((stack / "plan.json").read_text())
    data["configuration"]["provider_config"]["aws"]["expressions"]["region"] = {"references": ["var.aws_region"]}
    alone = tmp_path / "var_region"
    alone.mkdir()
    (alone / "plan.json").write_text(json.dumps(data, indent=2))
    run = plan_json("plan.json", "--fail-on", "none", cwd=alone)
    train = next(r for r in run.report["resources"] if r["address"] == TRAIN[0])
    assert train["region"] == "eu-west-1" and train["monthly_cost_usd"] == monthly(catalog, "p4d.24xlarge")
    f = run.finding("FIN-GPU-001", TRAIN[0])
    assert f["file"] == "plan.json" and f["line"] > 1  # pretty-printed: the line of its resource change


def test_inline_suppression_in_the_tf_source_applies(stack: Path) -> None:
    run = plan_json("plan.json", cwd=stack)
    assert not [f for f in run.findings("FIN-GPU-001") if f["resource"] == "aws_autoscaling_group.eval"]
    assert run.report["summary"]["suppressed"] == 1
    main = stack / "main.tf"
    main.write_text("\n".join(ln for ln in main.read_text().splitlines() if "finops-lint:ignore" not in ln) + "\n")
    run = plan_json("plan.json", cwd=stack)
    f = run.finding("FIN-GPU-001", "aws_autoscaling_group.eval")
    assert f["file"] == "main.tf" and f["line"] == 34
    assert run.report["summary"]["suppressed"] == 0


@pytest.mark.parametrize("flag,limit_of,trips", [
    ("--max-monthly-increase", lambda d: d["monthly_delta_usd"] - 0.01, True),
    ("--max-monthly-increase", lambda d: d["monthly_delta_usd"], False),
    ("--max-monthly-increase-percent", lambda d: 100 * d["monthly_delta_usd"] / d["monthly_before_usd"] - 1, True),
    ("--max-monthly-increase-percent", lambda d: 100 * d["monthly_delta_usd"] / d["monthly_before_usd"] + 1, False),
    ("--max-monthly-total", lambda d: d["monthly_after_usd"] - 1, True),
    ("--max-monthly-total", lambda d: d["monthly_after_usd"], False),
])
def test_each_gate(stack: Path, flag: str, limit_of: Any, trips: bool) -> None:
    diff = plan_json("plan.json", "--fail-on", "none", cwd=stack).report["cost_diff"]
    limit = round(limit_of(diff), 2)
    run = plan_json("plan.json", "--fail-on", "none", flag, str(limit), cwd=stack)
    gate = next(g for g in run.report["gates"] if g["name"] == flag.removeprefix("--"))
    assert gate["limit"] == limit and gate["passed"] is (not trips)
    assert run.exit_code == (1 if trips else 0)
    assert (f"gate {flag.removeprefix('--')}: FAILED" in run.stderr) is trips


def test_fail_on_is_a_gate(stack: Path) -> None:
    high = plan_json("plan.json", "--fail-on", "high", cwd=stack)
    gate = next(g for g in high.report["gates"] if g["name"] == "fail-on")
    assert gate == {"name": "fail-on", "limit": "high", "value": len(high.findings("FIN-GPU-001")), "passed": False,
                    "note": "findings at or above high"}
    assert high.exit_code == 1
    assert plan_json("plan.json", "--fail-on", "critical", cwd=stack).exit_code == 0


def test_opentofu_plan(stack: Path) -> None:
    tf = plan_json("plan.json", "--fail-on", "none", cwd=stack).report
    tofu = plan_json("tofu-plan.json", "--fail-on", "none", cwd=stack).report
    assert tofu["plan"]["tool"] == "opentofu" and tf["plan"]["tool"] == "terraform"
    assert tofu["cost_diff"] == tf["cost_diff"]
    assert [(f["rule_id"], f["resource"], f["line"]) for f in tofu["findings"]] == \
        [(f["rule_id"], f["resource"], f["line"]) for f in tf["findings"]]


def test_registry_module_maps_to_the_installed_files(tmp_path: Path, catalog) -> None:
    stack = tmp_path / "eks"
    shutil.copytree(FIXTURES / "eks_registry", stack)
    pool = "module.gpu_nodes.aws_eks_node_group.this[0]"
    run = plan_json("plan.json", cwd=stack)
    f = run.finding("FIN-GPU-001", pool)
    assert f["file"] == ".terraform/modules/gpu_nodes/modules/eks-managed-node-group/main.tf" and f["line"] == 3
    assert f["monthly_cost_usd"] == monthly(catalog, "p5.48xlarge", "us-west-2")  # region = var.region
    role = next(r for r in run.report["resources"] if r["address"] == "module.gpu_nodes.aws_iam_role.this[0]")
    assert role["tags"] == {"team": "research", "cost-center": "cc-5100", "environment": "production"}
    shutil.rmtree(stack / ".terraform")  # no `terraform init` here: the module block stands in
    run = plan_json("plan.json", cwd=stack)
    f = run.finding("FIN-GPU-001", pool)
    assert (f["file"], f["line"]) == ("main.tf", 20)


@pytest.mark.parametrize("content,expected", [
    ('{"format_version": "1.2",\n  "resource_changes": [\n    {"address": }\n]}', "plan.json:3: invalid JSON"),
    ('[{"address": "aws_instance.a"}]', "plan.json: not a Terraform plan: the JSON is a list"),
    ('{"format_version": "1.0", "terraform_version": "1.9.8", "values": {"root_module": {}}}',
     "plan.json: a state file"),
    ('{"resource_changes": []}', "plan.json: not a Terraform plan: no format_version"),
    ('{"format_version": "2.0", "resource_changes": []}', "plan.json: plan format_version 2.0 is not supported"),
    ("", "plan.json: empty file"),
])
def test_bad_plan_file_exit_2(tmp_path: Path, content: str, expected: str) -> None:
    (tmp_path / "plan.json").write_text(content)
    run = run_cli("plan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"finops-lint: error: {expected}"), run.stderr
    assert "Traceback" not in run.stdout + run.stderr


def test_binary_or_missing_plan_exit_2(tmp_path: Path) -> None:
    (tmp_path / "tfplan").write_bytes(b"PK\x03\x04\x14\x00\x00\x00\x08\x00tfplan")
    run = run_cli("plan", "tfplan", cwd=tmp_path)
    assert run.exit_code == 2 and "terraform show -json" in run.stderr
    run = run_cli("plan", "missing.json", cwd=tmp_path)
    assert run.exit_code == 2 and "missing.json" in run.stderr


def test_malformed_resource_change_is_reported_and_the_rest_read(stack: Path) -> None:
    data = json.loads((stack / "plan.json").read_text())
    data["resource_changes"].append({"address": "aws_instance.broken", "type": "aws_instance", "name": "broken"})
    (stack / "plan.json").write_text(json.dumps(data))
    run = plan_json("plan.json", cwd=stack)
    assert run.exit_code == 2
    assert run.report["errors"] == [{"file": "plan.json", "line": 1,
                                     "message": "not read: aws_instance.broken: change.actions missing"}]
    assert run.findings("FIN-GPU-001")  # every other resource still reported


def test_utf16_plan_from_powershell(stack: Path) -> None:
    """`terraform show -json tfplan > plan.json` in Windows PowerShell writes UTF-16 with a byte order mark."""
    text = (stack / "plan.json").read_text(encoding="utf-8")
    (stack / "plan-ps.json").write_bytes(text.encode("utf-16"))
    utf16 = plan_json("plan-ps.json", "--fail-on", "none", cwd=stack)
    assert utf16.exit_code == 0
    assert utf16.report["cost_diff"] == plan_json("plan.json", "--fail-on", "none", cwd=stack).report["cost_diff"]


def test_setup_terraform_wrapper_output_is_stripped(stack: Path) -> None:
    """hashicorp/setup-terraform's wrapper (terraform_wrapper left on) writes `[command]...` before the JSON, escapes
    its last newline as %0A and appends ::set-output lines: read as Infracost does, with a note saying so."""
    text = (stack / "plan.json").read_text(encoding="utf-8").rstrip("\n")
    one_line = json.dumps(json.loads(text), separators=(",", ":"))  # as `terraform show -json` prints it
    (stack / "plan-wrapped.json").write_text(
        "[command]/home/runner/work/_temp/3d2127/terraform-bin show -json tfplan\n" + one_line + "%0A\n"
        "::set-output name=stderr::\n::set-output name=exitcode::0\n")
    (stack / "plan-one-line.json").write_text(one_line + "\n")
    plain = plan_json("plan-one-line.json", "--fail-on", "none", cwd=stack)
    wrapped = plan_json("plan-wrapped.json", "--fail-on", "none", cwd=stack)
    assert wrapped.exit_code == plain.exit_code == 0, wrapped.stderr
    assert wrapped.report["cost_diff"] == plain.report["cost_diff"]
    assert [(f["rule_id"], f["resource"]) for f in wrapped.report["findings"]] == \
        [(f["rule_id"], f["resource"]) for f in plain.report["findings"]] != []
    assert any("setup-terraform" in n and "terraform_wrapper: false" in n for n in wrapped.report["plan"]["notes"])
    assert plain.report["plan"]["notes"] == []
    text_run = run_cli("plan", "plan-wrapped.json", "--fail-on", "none", cwd=stack)
    assert "note: stripped the output hashicorp/setup-terraform's wrapper adds" in text_run.stdout


def test_wrapper_header_without_json_is_still_a_clear_error(stack: Path) -> None:
    (stack / "plan-failed.json").write_text("[command]/home/runner/terraform-bin show -json tfplan\n"
                                            "::set-output name=stderr::Error: Failed to load plan\n")
    run = run_cli("plan", "plan-failed.json", cwd=stack)
    assert run.exit_code == 2
    assert "plan-failed.json: only hashicorp/setup-terraform wrapper output, no plan JSON" in run.stderr


def test_forget_keeps_the_resource_in_the_bill(stack: Path) -> None:
    """A `removed { lifecycle { destroy = false } }` block makes Terraform forget a resource that keeps running."""
    base = plan_json("plan.json", "--fail-on", "none", cwd=stack).report["cost_diff"]
    data = json.loads((stack / "plan.json").read_text())
    web = next(rc for rc in data["resource_changes"] if rc["address"] == "aws_instance.web")
    web["change"].update(actions=["forget"], after=None, after_unknown={}, after_sensitive=False)
    (stack / "plan.json").write_text(json.dumps(data))
    diff = plan_json("plan.json", "--fail-on", "none", cwd=stack).report["cost_diff"]
    assert (diff["monthly_before_usd"], diff["monthly_after_usd"]) == (base["monthly_before_usd"],
                                                                      base["monthly_after_usd"])
    assert "aws_instance.web" not in {r["address"] for r in diff["resources"]}


def test_baseline_from_a_plan(stack: Path) -> None:
    """A team adopting the gate records today's findings once; the next plan fails only on new ones."""
    first = plan_json("plan.json", "--write-baseline", "finops-baseline.json", cwd=stack)
    assert first.exit_code == 1 and first.findings()
    again = plan_json("plan.json", "--baseline", "finops-baseline.json", cwd=stack)
    assert again.exit_code == 0 and again.findings() == []
    assert again.report["summary"]["baselined"] == len(first.findings())
    assert next(g for g in again.report["gates"] if g["name"] == "fail-on")["passed"]


def test_resources_outside_resource_changes_come_from_prior_state(stack: Path) -> None:
    """A `-target` plan lists only the targeted changes; the rest of the state is unchanged and still paid."""
    base = plan_json("plan.json", "--fail-on", "none", cwd=stack).report
    data = json.loads((stack / "plan.json").read_text())
    data["resource_changes"] = [rc for rc in data["resource_changes"] if rc["address"] != "aws_instance.web"]
    (stack / "plan.json").write_text(json.dumps(data))
    run = plan_json("plan.json", "--fail-on", "none", cwd=stack).report
    assert run["cost_diff"]["monthly_before_usd"] == base["cost_diff"]["monthly_before_usd"]
    assert run["cost_diff"]["monthly_after_usd"] == base["cost_diff"]["monthly_after_usd"]
    web = next(r for r in run["resources"] if r["address"] == "aws_instance.web")
    assert (web["file"], web["line"]) == ("main.tf", 69)


def test_source_dir_must_be_a_directory(stack: Path) -> None:
    run = run_cli("plan", "plan.json", "--source-dir", "nowhere", cwd=stack)
    assert run.exit_code == 2 and "nowhere: --source-dir is not a directory" in run.stderr


def test_plan_values_copy_unmarked_leaves_and_mark_the_rest() -> None:
    """Unmarked scalars and lists pass as they are (the fast path); a marker anywhere below wins."""
    from linter.sources.terraform.values import is_unknown
    from linter.sources.terraform_plan.values import plan_values

    after = {"instance_type": "p4d.24xlarge", "count": 2, "ebs_optimized": True, "key_name": None,
             "subnets": ["subnet-a", "subnet-b"], "tags": {"team": "ml", "token": "s3cr3t"},
             "user_data": ["#!/bin/sh", "export KEY=abc"], "root_block_device": [{"volume_size": 200}]}
    unknown = {"arn": True, "root_block_device": [{"volume_id": True}], "subnets": False}
    sensitive = {"tags": {"token": True}, "user_data": [False, True]}
    merged = plan_values(after, unknown, sensitive, lambda path: ("aws_instance.trainer",) if path == ("arn",) else ())
    assert merged["instance_type"] == "p4d.24xlarge" and merged["count"] == 2 and merged["ebs_optimized"] is True
    assert "key_name" not in merged and merged["subnets"] == ["subnet-a", "subnet-b"]
    assert merged["tags"]["team"] == "ml" and is_unknown(merged["tags"]["token"])
    assert merged["user_data"][0] == "#!/bin/sh" and is_unknown(merged["user_data"][1])
    assert merged["root_block_device"][0]["volume_size"] == 200 and is_unknown(merged["root_block_device"][0]["volume_id"])
    assert is_unknown(merged["arn"]) and merged["arn"].refs == ("aws_instance.trainer",)
