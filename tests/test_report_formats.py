"""SARIF, JUnit, GitHub annotations and markdown on real findings from the bundled examples."""

from __future__ import annotations

import json
import os
import re
from pathlib import Path
from xml.etree import ElementTree as ET

import pytest

from conftest import EXAMPLES, ROOT, run_cli, scan_json

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"
POOL = "module.gpu_nodes.aws_eks_node_group.this"
POOL_FILE = "modules/gpu_node_group/main.tf"


def sarif_schema() -> dict:
    """The official SARIF 2.1.0 schema: ../shared/schemas/ next to the repository (CI), or $SARIF_SCHEMA."""
    path = Path(os.environ.get("SARIF_SCHEMA", ROOT.parent / "shared" / "schemas" / "sarif-schema-2.1.0.json"))
    if not path.is_file():
        pytest.fail(f"SARIF 2.1.0 schema not found at {path}: CI provides it in ../shared/schemas/ relative to the "
                    "repository root; set SARIF_SCHEMA=/path/to/sarif-schema-2.1.0.json to run this test elsewhere")
    return json.loads(path.read_text())


@pytest.fixture(scope="module")
def training(catalog_module) -> dict:
    run = scan_json(".", cwd=TRAINING)
    pool = next(r for r in run.report["resources"] if r["address"] == POOL)
    hourly = catalog_module.hourly("aws", pool["region"], "p4d.24xlarge").usd_per_hour
    monthly = round(hourly * pool["compute"]["count"] * 730, 2)
    spot = round(monthly * catalog_module.spot_discount("aws", "p4d").fraction, 2)
    return {"report": run.report, "monthly": monthly, "spot": spot}


@pytest.fixture(scope="module")
def catalog_module():
    from linter.pricing.catalog import Catalog

    return Catalog()


def test_sarif_validates_and_carries_rules_levels_fingerprints_and_money(training) -> None:
    import jsonschema

    run = run_cli("scan", ".", "--format", "sarif", cwd=TRAINING)
    assert run.exit_code == 1
    sarif = json.loads(run.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    assert sarif["version"] == "2.1.0"
    driver = sarif["runs"][0]["tool"]["driver"]
    rules = {r["id"]: r for r in driver["rules"]}
    assert {"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001", "FIN-SCALE-001"} <= set(rules)
    gpu001 = rules["FIN-GPU-001"]
    assert gpu001["helpUri"].endswith("/rules/FIN-GPU-001.yaml")
    assert "Why is this bad?" in gpu001["help"]["text"] and "spot" in gpu001["help"]["text"]
    assert gpu001["defaultConfiguration"]["level"] == "error"
    results = {r["ruleId"]: r for r in sarif["runs"][0]["results"]}
    assert set(results) == {"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"}
    hit = results["FIN-GPU-001"]
    assert driver["rules"][hit["ruleIndex"]]["id"] == "FIN-GPU-001"
    assert hit["level"] == "error" and results["FIN-GPU-003"]["level"] == "warning"  # high -> error, medium
    loc = hit["locations"][0]["physicalLocation"]
    assert (loc["artifactLocation"]["uri"], loc["region"]["startLine"]) == (POOL_FILE, 10)
    finding = next(f for f in training["report"]["findings"] if f["rule_id"] == "FIN-GPU-001")
    assert hit["partialFingerprints"]["finopsLint/v1"] == finding["fingerprint"]
    assert hit["properties"]["monthly_cost_usd"] == pytest.approx(training["monthly"], abs=0.01)
    assert hit["properties"]["impact_monthly_usd"] == pytest.approx(training["spot"], abs=0.02)
    assert f"${training['spot']:,.2f}/mo" in hit["message"]["text"]
    assert "730 h/month" in hit["properties"]["impact"]["assumptions"]


def test_sarif_of_an_unreadable_input_reports_the_error_and_still_validates(tmp_path: Path) -> None:
    import jsonschema

    (tmp_path / "broken.tf").write_bytes(b'resource "aws_instance" "x" {\n  ami = "\xff"\n}\n')
    run = run_cli("scan", ".", "--format", "sarif", cwd=tmp_path)
    assert run.exit_code == 2
    sarif = json.loads(run.stdout)
    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    invocation = sarif["runs"][0]["invocations"][0]
    assert invocation["executionSuccessful"] is False
    note = invocation["toolExecutionNotifications"][0]
    assert note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == "broken.tf"
    assert "UTF-8" in note["message"]["text"]


def test_junit_has_one_case_per_rule_and_resource_with_failures_for_findings(training) -> None:
    run = run_cli("scan", ".", "--format", "junit", cwd=TRAINING)
    assert run.exit_code == 1
    root = ET.fromstring(run.stdout)
    suites = {s.get("name"): s for s in root.iter("testsuite")}
    n_resources = len(training["report"]["resources"])
    for rule_id in ("FIN-GPU-001", "FIN-GPU-002", "FIN-TAG-001"):
        cases = suites[rule_id].findall("testcase")
        assert len(cases) == n_resources  # every resource is a case of every rule
    failing = suites["FIN-GPU-001"].find(f"testcase[@name='FIN-GPU-001 {POOL}']")
    failure = failing.find("failure")
    assert failure.get("type") == "high" and failing.get("file") == POOL_FILE and failing.get("line") == "10"
    assert f"save ${training['spot']:,.2f}/mo" in failure.get("message")
    assert "assumption: 730 h/month" in failure.text
    assert suites["FIN-GPU-002"].find("testcase/failure") is None  # p4d for training is not flagged oversized
    assert int(root.get("failures")) == len(training["report"]["findings"]) == 3


def test_github_annotations_point_at_file_and_line_with_escaped_text(training) -> None:
    run = run_cli("scan", ".", "--format", "github", cwd=TRAINING)
    assert run.exit_code == 1
    lines = run.stdout.splitlines()
    gpu001 = next(ln for ln in lines if "FIN-GPU-001" in ln)
    assert gpu001.startswith(f"::error file={POOL_FILE},line=10,title=FIN-GPU-001 gpu-on-demand-for-batch::")
    assert "63%25 cheaper" in gpu001 or re.search(r"\d+%25 cheaper", gpu001)  # '%' escaped per the spec
    assert f"save ${training['spot']:,.2f}/mo" in gpu001
    assert "\n" not in gpu001 and "%0A" in gpu001  # message and remediation on one command line
    assert next(ln for ln in lines if "FIN-GPU-003" in ln).startswith("::warning ")
    assert lines[-1].startswith("finops-lint: 3 finding(s)")


def test_markdown_report_summarises_money_by_severity_and_charts_rules(training) -> None:
    run = run_cli("scan", ".", "--format", "markdown", cwd=TRAINING)
    assert run.exit_code == 1
    md = run.stdout
    assert f"| Total monthly cost | **${training['monthly']:,.2f}** |" in md
    assert f"| high | 1 | ${training['spot']:,.2f} | $0.00 |" in md
    assert "```mermaid\nxychart-beta" in md and '"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"' in md
    assert f"bar [{training['spot']}," in md
    assert f"<details><summary><code>{POOL_FILE}</code>: 3 findings</summary>" in md
    assert f"| 10 | high | FIN-GPU-001 | `{POOL}` |" in md


def test_markdown_chart_shows_exposure_next_to_savings_per_rule() -> None:
    run = scan_json(".", cwd=EXAMPLES / "kubernetes/vllm_inference/violating")
    findings = run.report["findings"]
    md = run_cli("scan", ".", "--format", "markdown", cwd=EXAMPLES / "kubernetes/vllm_inference/violating").stdout
    rules = sorted({f["rule_id"] for f in findings})

    def per_rule(kind: str) -> list[float]:
        out = []
        for rule_id in rules:
            best: dict[str, float] = {}
            for f in findings:
                if f["rule_id"] == rule_id and f["impact"]["kind"] == kind and f["impact"]["monthly_usd"]:
                    best[f["resource"]] = max(best.get(f["resource"], 0.0), f["impact"]["monthly_usd"])
            out.append(round(sum(best.values()), 2))
        return out

    exposure = per_rule("exposure")
    assert any(exposure), "the vLLM example autoscales on CPU: FIN-SCALE-001 leaves spend uncapped"
    assert 'title "Monthly savings and exposure by rule (USD)"' in md
    assert f"bar [{', '.join(str(v) for v in per_rule('savings'))}]\n    bar [{', '.join(str(v) for v in exposure)}]" in md
