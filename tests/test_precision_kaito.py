"""KAITO objects (kaito.sh Workspace, InferenceSet, RAGEngine) are priced as the GPU nodes KAITO's provisioner
creates for them: count x the on-demand price of resource.instanceType in the cluster's region. Before, a
Workspace was only listed as "not scanned". Modelled on kaito-project/kaito examples/inference and
examples/fine-tuning, and on the kaito-on-aks Terraform samples (azurerm_kubernetes_cluster with
ai_toolchain_operator_enabled and a kubernetes_manifest of a Workspace)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, scan_json
from linter.pricing.catalog import Catalog

FIXTURES = ROOT / "tests" / "fixtures" / "precision_kaito"
HOURS = 730


@pytest.fixture(scope="module")
def report() -> dict[str, Any]:
    run = scan_json(".", "--no-cache", cwd=FIXTURES)
    assert run.exit_code == 1, run.stderr
    return run.report


def _resource(report: dict[str, Any], address: str) -> dict[str, Any]:
    return next(r for r in report["resources"] if r["address"] == address)


def _findings(report: dict[str, Any], address: str) -> dict[str, dict[str, Any]]:
    return {f["rule_id"]: f for f in report["findings"] if f["resource"] == address}


def _monthly(vm: str, region: str, count: int) -> float:
    price = Catalog().hourly("azure", region, vm)
    assert price is not None
    return round(price.usd_per_hour * HOURS * count, 2)


def test_workspace_priced_in_the_aks_clusters_region(report: dict[str, Any]) -> None:
    r = _resource(report, "Workspace/llm-serving/workspace-phi-4-mini")
    assert (r["file"], r["line"]) == ("manifests/workspace-phi-4-mini.yaml", 2)
    assert r["monthly_cost_usd"] == _monthly("Standard_NC24ads_A100_v4", "westus2", 1) == 2681.29  # 3.673 x 730
    assert r["cost_components"][0]["name"] == "Node usage (Linux, on-demand, Standard_NC24ads_A100_v4)"
    assert any("westus2 (the region of azurerm_kubernetes_cluster.this (aks/main.tf:24)" in n
               for n in r["price_notes"])
    assert not any(s["file"] == "manifests/workspace-phi-4-mini.yaml" for s in report["skipped"])
    # labelled through its Namespace, production: only the model's fit. Phi-4 mini (3.84 B) with its full
    # 131,072-token KV cache needs ~23.2 GiB at 16 bits, more than an A10's usable 21.6; at 4 bits one A10 holds it
    found = _findings(report, r["address"])
    assert set(found) == {"FIN-GPU-005"}
    assert "fits Standard_NV36ads_A10_v5 (1x A10) quantized to 4 bits" in found["FIN-GPU-005"]["message"]
    assert found["FIN-GPU-005"]["impact"]["monthly_usd"] == round(
        2681.29 - _monthly("Standard_NV36ads_A10_v5", "westus2", 1), 2)


def test_tuning_workspace_on_demand_idle_and_unlabelled(report: dict[str, Any]) -> None:
    address = "Workspace/research/workspace-tuning-phi-3"
    found = _findings(report, address)
    assert set(found) == {"FIN-GPU-001", "FIN-GPU-003", "FIN-TAG-001"}
    cost = _monthly("Standard_NC24ads_A100_v4", "westus2", 1)
    for f in found.values():
        assert (f["file"], f["line"], f["monthly_cost_usd"]) == ("manifests/workspace-tuning-phi-3.yaml", 3, cost)
    assert "for fine-tuning on demand" in found["FIN-GPU-001"]["message"]
    assert "KAITO's node provisioner buys on-demand nodes only" in found["FIN-GPU-001"]["remediation"]
    assert found["FIN-GPU-003"]["message"] == (f"{address} keeps 1x Standard_NC24ads_A100_v4 (1x A100 each) running "
                                               "for fine-tuning when it could scale to zero")
    assert "Karpenter" not in found["FIN-GPU-003"]["message"] + found["FIN-GPU-003"]["remediation"]
    assert found["FIN-TAG-001"]["impact"]["monthly_usd"] == cost
    assert found["FIN-TAG-001"]["remediation"].startswith("Add the labels team, cost-center, environment to "
                                                          "Namespace 'research'")
    assert "pod template" not in found["FIN-TAG-001"]["remediation"]


def test_preferred_nodes_are_not_counted_again(report: dict[str, Any]) -> None:
    """count 3 with one preferred (existing) node: KAITO creates 2, and only those are priced here."""
    address = "Workspace/llm-dev/workspace-falcon-7b"
    r = _resource(report, address)
    assert r["monthly_cost_usd"] == _monthly("Standard_NC12s_v3", "westus2", 2) == 8935.2  # 6.12 x 730 x 2
    f = _findings(report, address)["FIN-GPU-003"]
    assert f["message"].startswith(f"{address} keeps 2x Standard_NC12s_v3 (2x V100 each) running in dev")


def test_unknown_type_byo_and_unpriced_region_say_why(report: dict[str, Any]) -> None:
    byo = _resource(report, "Workspace/llm-serving/workspace-accelerator-llama-3-1-8b-instruct")
    assert byo["monthly_cost_usd"] is None
    assert any("KAITO provisions no nodes" in n for n in byo["price_notes"])
    unknown = _resource(report, "Workspace/llm-serving/workspace-mistral-7b")
    assert unknown["monthly_cost_usd"] is None
    assert unknown["unknowns"] == ["instanceType Standard_ND96isr_H200_v5 is in no catalog: cloud and price unknown"]
    h100 = _resource(report, "Workspace/llm-serving/workspace-llama-3-3-70b-instruct")
    assert h100["monthly_cost_usd"] is None  # priced in eastus, not offered in the cluster's westus2
    assert any(n.startswith("no catalog price for Standard_NC80adis_H100_v5 in westus2") for n in h100["price_notes"])


def test_workspace_applied_by_terraform_priced_in_its_root_cluster_region(report: dict[str, Any]) -> None:
    address = "kubernetes_manifest.tuning_falcon"
    r = _resource(report, address)
    assert r["monthly_cost_usd"] == _monthly("Standard_NC24ads_A100_v4", "westus2", 2) == 5362.58
    found = _findings(report, address)
    assert set(found) == {"FIN-GPU-001", "FIN-GPU-003"}  # labelled through kubernetes_namespace_v1.kaito
    assert found["FIN-GPU-001"]["line"] == 49
    assert found["FIN-GPU-001"]["message"].startswith(f"{address} runs 2x Standard_NC24ads_A100_v4 (1x A100 each) "
                                                      "for fine-tuning on demand")


def test_inference_set_and_ragengine(tmp_path: Path) -> None:
    """examples/inference/kaito_inferenceset_phi_4_mini.yaml (3 Workspaces, at most nodeCountLimit nodes) and
    examples/RAG/kaito_ragengine_phi_3.yaml (spec.compute), priced in the config's default region."""
    (tmp_path / "kaito.yaml").write_text("""\
apiVersion: kaito.sh/v1alpha1
kind: InferenceSet
metadata:
  name: phi-4-mini
  namespace: default
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 3
  nodeCountLimit: 2
  labelSelector:
    matchLabels:
      apps: phi-4-mini
  template:
    inference:
      preset:
        accessMode: public
        name: phi-4-mini-instruct
    resource:
      instanceType: Standard_NC24ads_A100_v4
---
apiVersion: kaito.sh/v1alpha1
kind: RAGEngine
metadata:
  name: ragengine-start
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  compute:
    instanceType: "Standard_NC6s_v3"
    labelSelector:
      matchLabels:
        apps: ragengine-example
  embedding:
    local:
      modelID: "BAAI/bge-small-en-v1.5"
""")
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.exit_code in (0, 1), run.stderr
    got = {r["address"]: r for r in run.report["resources"]}
    assert got["InferenceSet/default/phi-4-mini"]["monthly_cost_usd"] == _monthly("Standard_NC24ads_A100_v4",
                                                                                  "eastus", 2)
    assert got["RAGEngine/default/ragengine-start"]["monthly_cost_usd"] == _monthly("Standard_NC6s_v3", "eastus", 1)
    assert any("config default_regions.azure" in n for n in got["RAGEngine/default/ragengine-start"]["price_notes"])


SERVING = """\
apiVersion: v1
kind: Namespace
metadata:
  name: llm-serving
  labels: {team: ml-platform, cost-center: cc-7, environment: prod}
---
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-llama-3-1-8b-instruct
  namespace: llm-serving
resource:
  instanceType: "Standard_NC24ads_A100_v4"
  labelSelector:
    matchLabels:
      apps: llama-3-1-8b-instruct
inference:
  preset:
    name: llama-3.1-8b-instruct
---
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-phi-3-mini-128k
  namespace: llm-serving
resource:
  instanceType: "Standard_NC24ads_A100_v4"
  labelSelector:
    matchLabels:
      apps: phi-3
inference:
  preset:
    name: phi-3-mini-128k-instruct
---
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-tuning-llama
  namespace: llm-serving
resource:
  instanceType: "Standard_NC24ads_A100_v4"
  labelSelector:
    matchLabels:
      apps: tuning-llama
tuning:
  preset:
    name: llama-3.1-8b-instruct
  method: qlora
"""


def test_inference_preset_sized_by_its_name_gets_the_model_fit_finding(tmp_path: Path) -> None:
    """An inference Workspace serves its preset: llama-3.1-8b-instruct needs ~31 GiB at 16 bits with its KV cache,
    on 1 x A100 80GB. FIN-GPU-005 says so with the saving against the cheapest Azure machine it fits; the token-cap
    and rate-limit rules stay quiet (KAITO keeps those in its inference ConfigMap, not read)."""
    (tmp_path / "serving.yaml").write_text(SERVING)
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    findings = _findings(run.report, "Workspace/llm-serving/workspace-llama-3-1-8b-instruct")
    f = findings["FIN-GPU-005"]
    assert (f["file"], f["line"]) == ("serving.yaml", 7)
    assert "serves meta-llama/Llama-3.1-8B-Instruct" in f["message"] and "on 1x A100 (80 GiB)" in f["message"]
    suggested = f["message"].split("it fits ", 1)[1].split(" ", 1)[0]
    assert suggested == "Standard_NV36ads_A10_v5"  # 4-bit weights on one A10: the cheapest fit in eastus
    now = _monthly("Standard_NC24ads_A100_v4", "eastus", 1)
    assert f["monthly_cost_usd"] == now == 2681.29
    assert f["impact"]["monthly_usd"] == round(now - _monthly(suggested, "eastus", 1), 2)
    assert not {rule for rule in findings if rule.startswith("FIN-LLM")}
    # a 128k-context preset at its full context needs the A100 (48 GiB of KV cache): no smaller machine suggested
    assert "FIN-GPU-005" not in _findings(run.report, "Workspace/llm-serving/workspace-phi-3-mini-128k")
    assert "FIN-GPU-005" not in _findings(run.report, "Workspace/llm-serving/workspace-tuning-llama")  # not serving
