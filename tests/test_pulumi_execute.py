"""--pulumi-execute: the program runs under Pulumi's mock runtime in a subprocess (pulumi and pulumi-aws are in
the test extra, so this runs for real in CI)."""

from __future__ import annotations

import importlib
import os

import pytest

from conftest import EXAMPLES, scan_json, write

if os.environ.get("CI"):  # CI installs the test extra: the path must run there, never be skipped
    importlib.import_module("pulumi_aws")
else:
    pytest.importorskip("pulumi_aws")


def _keys(run):
    return {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()}


def test_executed_program_gives_the_findings_of_the_static_reading() -> None:
    variant = EXAMPLES / "pulumi" / "python_aws_training" / "violating"
    static = scan_json(".", cwd=variant)
    executed = scan_json(".", "--pulumi-execute", cwd=variant)
    assert executed.report["errors"] == []
    assert _keys(executed) == _keys(static) and _keys(static)
    money = {(f["rule_id"], f["resource"]): f["impact"]["monthly_usd"] for f in executed.findings()}
    assert money == {(f["rule_id"], f["resource"]): f["impact"]["monthly_usd"] for f in static.findings()}


DYNAMIC = '''import json
import pathlib

import pulumi
import pulumi_aws as aws

# pools come from a file the program reads: static reading cannot follow this
for pool in json.loads(pathlib.Path("pools.json").read_text()):
    aws.ec2.Instance(pool["name"], instance_type=pool["type"],
                     tags={"team": "a", "cost-center": "b", "environment": "prod"})

lt = aws.ec2.LaunchTemplate("workers", instance_type="g5.48xlarge")
aws.autoscaling.Group("workers", min_size=1, max_size=4, desired_capacity=1,
                      launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=lt.id),
                      tags=[aws.autoscaling.GroupTagArgs(key="workload", value="batch", propagate_at_launch=True)])
'''


def test_execute_reads_what_static_reading_cannot(tmp_path, catalog) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: dyn\nruntime: python\n", "__main__.py": DYNAMIC,
                     "Pulumi.prod.yaml": "config:\n  aws:region: us-west-2\n",
                     "pools.json": '[{"name": "trainer-a", "type": "p4d.24xlarge"}]'})
    static = scan_json(".", cwd=tmp_path)
    assert "trainer-a" not in {r["address"] for r in static.report["resources"]}
    run = scan_json(".", "--pulumi-execute", cwd=tmp_path)
    assert run.report["errors"] == []
    by_name = {(r["address"], r["type"]): r for r in run.report["resources"]}
    trainer = by_name[("trainer-a", "aws:ec2/instance:Instance")]
    assert (trainer["file"], trainer["line"], trainer["region"]) == ("__main__.py", 9, "us-west-2")
    hourly = catalog.hourly("aws", "us-west-2", "p4d.24xlarge").usd_per_hour
    assert trainer["monthly_cost_usd"] == pytest.approx(round(hourly * 730, 2), abs=0.01)
    group = by_name[("workers (Group)", "aws:autoscaling/group:Group")]  # the launch template is "workers" too
    assert group["compute"]["instance_type"] == "g5.48xlarge"  # lt.id kept the reference: the join holds
    assert group["links"] == {"launch_template": "workers (LaunchTemplate)"}


def test_missing_package_and_failing_program_are_one_line_errors(tmp_path) -> None:
    write(tmp_path, {"a/Pulumi.yaml": "name: a\nruntime: python\n",
                     "a/__main__.py": "import pulumi\nimport pulumi_not_a_provider as p\n",
                     "b/Pulumi.yaml": "name: b\nruntime: python\n",
                     "b/__main__.py": "import pulumi\nimport pulumi_aws as aws\n\nraise ValueError('no such stack setting')\n"})
    run = scan_json(".", "--pulumi-execute", cwd=tmp_path)
    assert run.exit_code == 2
    errors = {e["file"]: e for e in run.report["errors"]}
    assert "pip install pulumi-not-a-provider" in errors["a/__main__.py"]["message"]
    assert errors["b/__main__.py"]["line"] == 4
    assert errors["b/__main__.py"]["message"] == \
        "program failed under the mock runtime: ValueError: no such stack setting"
