"""iac_examples/kubernetes: each violating variant gives exactly the findings the README lists."""

from __future__ import annotations

import pytest

from conftest import EXAMPLES, scan_json
from linter.pricing.catalog import Catalog

K8S = EXAMPLES / "kubernetes"
HOURS = 730

EXPECTED = {
    "vllm_inference/violating": {
        ("FIN-GPU-004", "Deployment/llm-serving/llama3-8b-vllm", "llama3-8b-prod.yaml", 57),
        ("FIN-SCALE-001", "Deployment/llm-serving/llama3-8b-vllm", "llama3-8b-prod.yaml", 57),
        ("FIN-TAG-001", "Deployment/llm-serving/llama3-8b-vllm", "llama3-8b-prod.yaml", 57),
        ("FIN-LLM-002", "Deployment/llm-serving/llama3-8b-vllm", "llama3-8b-prod.yaml", 57),
        ("FIN-GPU-003", "Deployment/llm-staging/llama3-8b-vllm", "llama3-8b-staging.yaml", 25),
    },
    "training_job/violating": {
        ("FIN-GPU-001", "PyTorchJob/ml-training/llama3-sft", "llama3-finetune.yaml", 27),
        ("FIN-TAG-001", "PyTorchJob/ml-training/llama3-sft", "llama3-finetune.yaml", 27),
        ("FIN-GPU-001", "CronJob/ml-training/llama3-eval-nightly", "eval-job.yaml", 10),
        ("FIN-GPU-004", "CronJob/ml-training/llama3-eval-nightly", "eval-job.yaml", 10),
        ("FIN-TAG-001", "CronJob/ml-training/llama3-eval-nightly", "eval-job.yaml", 10),
    },
    "karpenter_gpu_nodepool/violating": {
        ("FIN-GPU-001", "NodePool/gpu-training", "nodepools.yaml", 32),
        ("FIN-GPU-003", "NodePool/gpu-training", "nodepools.yaml", 32),
        ("FIN-GPU-003", "NodePool/gpu-inference", "nodepools.yaml", 69),
        ("FIN-GPU-001", "Job/ml-batch/embed-batch-docs-v7", "embed-batch.yaml", 11),
        ("FIN-GPU-004", "Job/ml-batch/embed-batch-docs-v7", "embed-batch.yaml", 11),
    },
}


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_violating_variant(variant: str) -> None:
    run = scan_json(".", cwd=K8S / variant)
    assert run.exit_code == 1
    got = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.report["findings"]}
    assert got == EXPECTED[variant]
    assert run.report["errors"] == [] and run.report["skipped"] == []


@pytest.mark.parametrize("scenario", ["vllm_inference", "training_job", "karpenter_gpu_nodepool"])
def test_compliant_variant_has_no_findings(scenario: str) -> None:
    run = scan_json(".", cwd=K8S / scenario / "compliant")
    assert run.exit_code == 0, run.findings()
    assert run.report["findings"] == [] and run.report["errors"] == []


def test_all_examples_at_once_keep_variants_apart() -> None:
    """Violating and compliant copies share addresses; each autoscaler links to its own copy."""
    run = scan_json("kubernetes", cwd=EXAMPLES)
    assert len(run.report["findings"]) == sum(len(v) for v in EXPECTED.values())
    res = {(r["file"], r["address"]): r for r in run.report["resources"]}
    compliant = res[("kubernetes/vllm_inference/compliant/llama3-8b-prod.yaml", "Deployment/llm-serving/llama3-8b-vllm")]
    violating = res[("kubernetes/vllm_inference/violating/llama3-8b-prod.yaml", "Deployment/llm-serving/llama3-8b-vllm")]
    assert compliant["autoscaling"]["metric_kind"] == "queue"
    assert violating["autoscaling"]["metric_kind"] == "cpu"


def test_example_dollar_figures_follow_the_catalog() -> None:
    cat = Catalog()
    run = scan_json(".", cwd=K8S / "vllm_inference" / "violating")
    g5 = cat.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour
    n = cat.machine("aws", "g5.12xlarge")["gpu"]["count"]
    stranded = run.finding("FIN-GPU-004", "Deployment/llm-serving/llama3-8b-vllm")
    assert stranded["impact"]["monthly_usd"] == pytest.approx(round(2 * (n - 1) * g5 / n * HOURS, 2), abs=0.01)
    assert stranded["monthly_cost_usd"] == pytest.approx(round(2 * g5 / n * HOURS, 2), abs=0.01)
    scale = run.finding("FIN-SCALE-001", "Deployment/llm-serving/llama3-8b-vllm")
    # required hostname anti-affinity: one pod per node, so each replica above the 2 priced now adds a whole node
    assert scale["impact"]["monthly_usd"] == pytest.approx((8 - 2) * g5 * HOURS, abs=0.02)

    run = scan_json(".", cwd=K8S / "training_job" / "violating")
    p4d = cat.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    spot = cat.spot_discount("aws", "p4d", "gpu").fraction
    sft = run.finding("FIN-GPU-001", "PyTorchJob/ml-training/llama3-sft")
    assert sft["impact"]["monthly_usd"] == pytest.approx(4 * p4d * HOURS * spot, abs=0.05)
    assert any("63% below on-demand" in a for a in sft["impact"]["assumptions"]) == (round(spot * 100) == 63)
