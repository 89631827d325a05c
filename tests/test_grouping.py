"""One finding per block and verdict: count/for_each instances, and a module shared by several roots."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from conftest import ROOT, run_cli, scan_json
from linter.pricing.catalog import Catalog

GROUPING = ROOT / "tests" / "fixtures" / "terraform" / "grouping"
PROD = GROUPING / "envs" / "prod"
HOURS = 730
WORKER = "module.embed_workers.aws_instance.worker"


def _monthly(catalog: Catalog, machine: str) -> float:
    return catalog.hourly("aws", "us-east-1", machine).usd_per_hour * HOURS


def test_count_instances_with_one_verdict_are_one_finding(catalog: Catalog) -> None:
    run = scan_json(".", cwd=PROD)
    f = run.finding("FIN-GPU-001", WORKER)
    assert (f["file"], f["line"]) == (str(GROUPING / "modules/batch_workers/main.tf"), 13)  # outside the cwd
    assert f["message"].startswith(f"{WORKER} runs 4x A10G (g5.12xlarge)")
    one = _monthly(catalog, "g5.12xlarge")
    spot = catalog.spot_discount("aws", "g5").fraction
    assert [(i["resource"], i["monthly_cost_usd"], i["impact_usd"]) for i in f["instances"]] == [
        (f"{WORKER}[{n}]", pytest.approx(one, abs=0.01), pytest.approx(one * spot, abs=0.01)) for n in range(3)]
    assert f["monthly_cost_usd"] == pytest.approx(3 * one, abs=0.02)
    assert f["impact"]["monthly_usd"] == pytest.approx(3 * one * spot, abs=0.03)
    assert f"3 instances of {WORKER}; figures are their sum" in f["impact"]["assumptions"]
    assert f["called_from"] == [{"file": "main.tf", "line": 1}]
    assert [x["resource"] for x in run.findings() if x["resource"].startswith(WORKER)] == [WORKER, WORKER]


def test_for_each_instances_with_different_verdicts_stay_apart(catalog: Catalog) -> None:
    """eval["llama"] and eval["mistral"] run g5.12xlarge, eval["mixtral"] p4d.24xlarge: two verdicts, two findings."""
    run = scan_json(".", cwd=PROD)
    a10g = run.finding("FIN-GPU-001", "aws_instance.eval")
    assert [i["resource"] for i in a10g["instances"]] == ['aws_instance.eval["llama"]', 'aws_instance.eval["mistral"]']
    assert a10g["monthly_cost_usd"] == pytest.approx(2 * _monthly(catalog, "g5.12xlarge"), abs=0.02)
    a100 = run.finding("FIN-GPU-001", 'aws_instance.eval["mixtral"]')
    assert "instances" not in a100
    assert a100["monthly_cost_usd"] == pytest.approx(_monthly(catalog, "p4d.24xlarge"), abs=0.01)


def test_summary_totals_do_not_change_with_grouping(monkeypatch) -> None:
    grouped = scan_json(".", cwd=GROUPING).report
    import linter.grouping

    monkeypatch.setattr(linter.grouping, "group_findings", lambda findings, *rest: findings)
    flat = scan_json(".", cwd=GROUPING).report
    assert len(flat["findings"]) == sum(len(f.get("instances", [])) or 1 for f in grouped["findings"])
    assert len(grouped["findings"]) < len(flat["findings"])
    for key in ("monthly_cost_usd", "monthly_savings_usd", "monthly_exposure_usd", "monthly_unattributed_usd"):
        assert grouped["summary"][key] == flat["summary"][key], key
    assert grouped["summary"]["monthly_savings_usd"] > 0


def test_baseline_uses_the_block_address(tmp_path: Path) -> None:
    """A baseline written with 3 workers still matches the finding when the fleet grows to 5 (the finding
    comes back only because its cost grew past baseline_growth, with the baseline's figures beside it)."""
    baseline = tmp_path / "baseline.json"
    first = scan_json(".", "--write-baseline", str(baseline), cwd=PROD)
    before = first.finding("FIN-GPU-001", WORKER)
    assert len(before["instances"]) == 3
    five = scan_json(".", "--var", "embed_workers=5", cwd=PROD)
    assert len(five.finding("FIN-GPU-001", WORKER)["instances"]) == 5
    assert five.finding("FIN-GPU-001", WORKER)["fingerprint"] == before["fingerprint"]
    same = scan_json(".", "--baseline", str(baseline), cwd=PROD)
    assert same.findings() == [] and same.report["summary"]["baselined"] == len(first.findings())
    grown = scan_json(".", "--baseline", str(baseline), "--var", "embed_workers=5", cwd=PROD)
    back = {(f["rule_id"], f["resource"]): f for f in grown.findings()}
    assert set(back) <= {("FIN-GPU-001", WORKER), ("FIN-GPU-002", WORKER)}
    assert back[("FIN-GPU-001", WORKER)]["baseline"]["monthly_cost_usd"] == before["monthly_cost_usd"]


def test_module_shared_by_roots_is_one_finding_listing_the_roots(catalog: Catalog) -> None:
    run = scan_json(".", cwd=GROUPING)
    f = run.finding("FIN-GPU-001", WORKER)
    assert (f["file"], f["line"]) == ("modules/batch_workers/main.tf", 13)
    assert f["called_from"] == [{"file": "envs/prod/main.tf", "line": 1, "root": "envs/prod"},
                                {"file": "envs/staging/main.tf", "line": 1, "root": "envs/staging"}]
    assert [(i["root"], i["resource"]) for i in f["instances"]] == \
        [("envs/prod", f"{WORKER}[{n}]") for n in range(3)] + [("envs/staging", f"{WORKER}[{n}]") for n in range(2)]
    assert f["monthly_cost_usd"] == pytest.approx(5 * _monthly(catalog, "g5.12xlarge"), abs=0.03)
    # the staging copy alone is idle GPU capacity outside production: a verdict of its own
    idle = run.finding("FIN-GPU-003", WORKER)
    assert {i["resource"] for i in idle["instances"]} == {f"{WORKER}[0]", f"{WORKER}[1]"}
    assert idle["called_from"] == [{"file": "envs/staging/main.tf", "line": 1}]


def test_text_report_never_repeats_a_line_at_one_line_number() -> None:
    text = run_cli("scan", ".", cwd=GROUPING).stdout
    assert "5 instances: envs/prod: [0] [1] [2]; envs/staging: [0] [1]\n" in text
    assert "via: 2 roots: envs/prod/main.tf:1; envs/staging/main.tf:1\n" in text
    assert '2 instances: ["llama"] ["mistral"]\n' in text
    assert_no_repeated_lines(text)


def assert_no_repeated_lines(text: str) -> None:
    """No two findings print the same line at one line number of one file (the finding lines, headed by the
    line number and severity, not the detail lines each finding repeats under it such as "why: ...")."""
    header = re.compile(r"^\s+(\d+)\s+(info|low|medium|high|critical)\s+(\S+)\s+(.*)$")
    seen: set[tuple[str, str, str]] = set()
    file = ""
    for row in text.splitlines():
        if row and not row.startswith(" "):
            file = row
            continue
        m = header.match(row)
        if m:
            key = (file, m.group(1), row.strip())
            assert key not in seen, key
            seen.add(key)
