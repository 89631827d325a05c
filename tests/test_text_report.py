"""What the text report and the findings say (issue 9, items 4, 7, 8): money-aware severity, workload evidence,
price notes under -v, remediation that fits the resource, accelerators and objects named for what they are,
terminal width, and suppressed findings listed with their reasons."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, run_cli, scan_json, write

GKE = EXAMPLES / "terraform/gcp/training/violating"
TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"
STRANDED = EXAMPLES / "kubernetes/karpenter_gpu_nodepool/violating"


def _instance(name: str, itype: str, workload: str = "training", region: str = "us-east-1") -> str:
    return (f'resource "aws_instance" "{name}" {{\n  instance_type = "{itype}"\n'
            f'  tags = {{ workload = "{workload}", team = "ml", "cost-center" = "cc-1", environment = "prod" }}\n}}\n')


def test_severity_follows_the_money(tmp_path: Path, catalog) -> None:
    """FIN-GPU-001 is high; a small saving is at most medium (< $1,000) or low (< $100), a saving of $50,000
    or more is one level up; an unknown figure keeps the rule's severity; all thresholds configurable."""
    write(tmp_path, {"main.tf": 'provider "aws" {\n  region = "us-east-1"\n}\n'
                                + _instance("small", "g4dn.xlarge") + _instance("big", "p4d.24xlarge")
                                + 'resource "aws_instance" "fleet" {\n  count = 8\n  instance_type = "p4d.24xlarge"\n'
                                  '  tags = { workload = "training", team = "ml", "cost-center" = "cc-1", '
                                  'environment = "prod" }\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    spot = {f["resource"]: f for f in run.findings("FIN-GPU-001")}
    small = spot["aws_instance.small"]
    saving = small["impact"]["monthly_usd"]
    on_demand = catalog.hourly("aws", "us-east-1", "g4dn.xlarge").usd_per_hour * 730
    assert 0 < saving < on_demand < 1000
    expected = "low" if saving < 100 else "medium"
    assert small["severity"] == expected
    assert small["notes"] == [f"severity high -> {expected}: saving ${saving:,.2f}/mo is under "
                              f"severity_by_impact.{expected}_below (${100 if expected == 'low' else 1000:,})"]
    assert spot["aws_instance.big"]["severity"] == "high" and spot["aws_instance.big"]["notes"] == []
    fleet = [f for f in run.findings("FIN-GPU-001") if f["resource"].startswith("aws_instance.fleet")]
    assert sum(f["impact"]["monthly_usd"] for f in fleet) >= 50000
    if len(fleet) == 1:  # grouped on the block address: the summed figure escalates
        assert fleet[0]["severity"] == "critical"
    run = scan_json(".", "--fail-on", "high", "--only-rule", "FIN-GPU-001", cwd=tmp_path)
    assert run.exit_code == 1
    write(tmp_path, {".finops-lint.yaml": "severity_by_impact: {enabled: false}\n"})
    assert {f["severity"] for f in scan_json(".", cwd=tmp_path).findings("FIN-GPU-001")} == {"high"}
    write(tmp_path, {".finops-lint.yaml": "severity_by_impact: {medium_below: 100000, escalate_at: null}\n"})
    assert {f["severity"] for f in scan_json(".", cwd=tmp_path).findings("FIN-GPU-001")} <= {"low", "medium"}
    write(tmp_path, {".finops-lint.yaml": "severity_by_impact: {low_below: 5000, medium_below: 10}\n"})
    bad = run_cli("scan", ".", cwd=tmp_path)
    assert bad.exit_code == 2 and "severity_by_impact" in bad.stderr


def test_text_says_why_the_workload_class_and_prints_price_notes_under_v(tmp_path: Path) -> None:
    shutil.copytree(GKE, tmp_path / "gke")
    run = scan_json(".", cwd=tmp_path / "gke")
    f = run.finding("FIN-GPU-001", "google_container_node_pool.a100_training")
    assert f["evidence"] == [f"training: label workload=training at node_pools.tf:{f['line']}"]
    text = run_cli("scan", ".", cwd=tmp_path / "gke").stdout
    assert f"why: training: label workload=training at node_pools.tf:{f['line']}" in text
    write(tmp_path, {"eu.tf": 'provider "aws" {\n  region = "af-south-1"\n}\n' + _instance("trainer", "p5.48xlarge")})
    plain = run_cli("scan", "eu.tf", cwd=tmp_path).stdout
    assert "amount unknown (see assumptions with -v)" in plain
    verbose = run_cli("scan", "eu.tf", "-v", cwd=tmp_path).stdout
    assert "see assumptions with -v" not in verbose
    assert "price: no catalog price for p5.48xlarge in af-south-1 (not offered in af-south-1" in verbose


def test_remediation_fits_the_resource(tmp_path: Path) -> None:
    run = scan_json(".", cwd=GKE)
    idle = run.finding("FIN-GPU-003", "google_container_node_pool.a100_training")
    assert "min_node_count = 0" in idle["remediation"]
    for other in ("SageMaker", "KEDA", "Karpenter", "min_size", "default_tags"):
        assert other not in idle["remediation"], other
    spot = run.finding("FIN-GPU-001", "google_container_node_pool.a100_training")
    assert "spot = true" in spot["remediation"] and "capacity_type" not in spot["remediation"]
    eks = scan_json(".", cwd=TRAINING).finding("FIN-GPU-001", "module.gpu_nodes.aws_eks_node_group.this")
    assert 'capacity_type = "SPOT"' in eks["remediation"] and "priority" not in eks["remediation"]


def test_remediation_variants_are_validated(tmp_path: Path) -> None:
    rule = (EXAMPLES.parent / "rules/FIN-GPU-002.yaml").read_text()
    rule = rule.replace("id: FIN-GPU-002", "id: ACME-GPU-101").replace("name: oversized-gpu-for-batch", "name: acme")
    start = rule.index("remediation:")
    end = rule.index("impact:")
    bad = rule[:start] + "remediation:\n  - when: \"r.provider == 'aws'\"\n    text: AWS\n" + rule[end:]
    write(tmp_path, {"rules/ACME-GPU-101.yaml": bad})
    run = run_cli("rules", "--rules-dir", "rules", cwd=tmp_path)
    assert run.exit_code == 2 and "key 'remediation.0': the last variant is the default and has no 'when'" in run.stderr


KUBE = '''apiVersion: batch/v1
kind: Job
metadata:
  generateName: train-
  namespace: team-a
  labels: {team: a, cost-center: c1, environment: dev}
spec:
  template:
    spec:
      nodeSelector:
        cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice
        cloud.google.com/gke-tpu-topology: 2x2
      containers:
        - name: trainer
          image: us-docker.pkg.dev/team-a/jax-train:1.4
          resources:
            limits: {google.com/tpu: "4"}
      restartPolicy: Never
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: tpu-serve
  namespace: team-a
  labels: {team: a, cost-center: c1, environment: dev}
spec:
  replicas: 1
  selector: {matchLabels: {app: tpu-serve}}
  template:
    metadata: {labels: {app: tpu-serve}}
    spec:
      nodeSelector:
        cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice
        cloud.google.com/gke-tpu-topology: 2x2
      containers:
        - name: server
          image: us-docker.pkg.dev/team-a/jetstream:0.2
          resources:
            limits: {google.com/tpu: "4"}
'''


def test_tpus_and_generate_name(tmp_path: Path) -> None:
    write(tmp_path, {"tpu.yaml": KUBE})
    run = scan_json(".", cwd=tmp_path)
    resources = {r["address"]: r for r in run.report["resources"]}
    assert set(resources) == {"Job/team-a/train-*", "Deployment/team-a/tpu-serve"}
    assert resources["Job/team-a/train-*"]["compute"]["gpu"]["model"] == "TPU v5e"
    idle = run.finding("FIN-GPU-003", "Deployment/team-a/tpu-serve")
    assert "1x TPU pod (4x TPU v5e each)" in idle["message"] and "GPU" not in idle["message"]


def test_a_saving_larger_than_the_resource_says_what_it_is_of() -> None:
    run = scan_json(".", cwd=STRANDED)
    f = next(f for f in run.findings("FIN-GPU-004"))
    assert f["impact"]["monthly_usd"] > f["monthly_cost_usd"]
    assert f["impact_of"].startswith("the ") and "node(s) its pods pin" in f["impact_of"]
    text = run_cli("scan", ".", cwd=STRANDED).stdout
    assert f"save ${f['impact']['monthly_usd']:,.2f}/mo of {f['impact_of']}" in text


def test_lines_fit_the_terminal_and_do_not_repeat_the_resource(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COLUMNS", "80")
    text = run_cli("scan", ".", cwd=TRAINING).stdout
    lines = text.splitlines()
    assert max(len(ln) for ln in lines) <= 80
    assert "[module.gpu_nodes.aws_eks_node_group.this]" not in text
    monkeypatch.setenv("COLUMNS", "60")  # narrower than the address: it overflows whole, never split
    narrow = run_cli("scan", ".", cwd=TRAINING).stdout
    assert narrow.count("module.gpu_nodes.aws_eks_node_group.this") == 3
    monkeypatch.delenv("COLUMNS")
    piped = run_cli("scan", ".", cwd=TRAINING).stdout  # not a terminal: one line per message, for grep
    assert any(len(ln) > 80 and "FIN-GPU-001" in ln for ln in piped.splitlines())


def test_show_suppressed_lists_suppressed_findings_with_reasons(tmp_path: Path) -> None:
    stack = tmp_path / "stack"
    shutil.copytree(TRAINING, stack)
    main = stack / "modules/gpu_node_group/main.tf"
    lines = main.read_text().splitlines()
    start = next(i for i, ln in enumerate(lines) if ln.startswith('resource "aws_eks_node_group"'))
    lines.insert(start, "# finops-lint:ignore FIN-GPU-001 capacity reservation paid up front until 2027-03")
    main.write_text("\n".join(lines) + "\n")
    assert "suppressed:" not in run_cli("scan", ".", cwd=stack).stdout
    scan_json(".", "--skip-rule", "FIN-GPU-001", "--write-baseline", "base.json", cwd=stack)
    run = scan_json(".", "--baseline", "base.json", "--show-suppressed", cwd=stack)
    assert run.findings() == []
    hidden = {(s["rule_id"], s["by"]): s for s in run.report["suppressed"]}
    ignored = hidden[("FIN-GPU-001", "ignore")]
    assert ignored["reason"] == "capacity reservation paid up front until 2027-03"
    assert (ignored["file"], ignored["line"]) == ("modules/gpu_node_group/main.tf", start + 2)
    assert hidden[("FIN-TAG-001", "baseline")]["reason"] == "in base.json"
    text = run_cli("scan", ".", "--baseline", "base.json", "--show-suppressed", cwd=stack).stdout
    assert (f"modules/gpu_node_group/main.tf:{start + 2} FIN-GPU-001 module.gpu_nodes.aws_eks_node_group.this: "
            "ignored: capacity reservation paid up front until 2027-03") in text


def test_llm_rate_limit_remediation_names_the_gateway_in_front() -> None:
    run = scan_json(".", cwd=EXAMPLES / "llm")
    by_resource = {f["resource"]: f["remediation"] for f in run.findings("FIN-LLM-002")}
    assert "azure-openai-token-limit" in by_resource["azurerm_cognitive_deployment.chat"]
    assert "API Gateway" not in by_resource["azurerm_cognitive_deployment.chat"]
    litellm = [r for a, r in by_resource.items() if a.startswith("litellm/")]
    assert litellm and all("LiteLLM config" in r and "APIM" not in r for r in litellm)
    assert "limit-rps" in by_resource["Deployment/llm-serving/llama-chat"]
