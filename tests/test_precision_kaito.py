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


# -- presets sized from the Hugging Face model KAITO pins (kaito_presets.py), with each model's config.json --------

@pytest.fixture(scope="module")
def presets_report() -> dict[str, Any]:
    """workspaces.yaml: kaito-project/kaito's examples/inference Workspaces, one preset each; vllm.yaml: vLLM
    Deployments on the same A100 nodes, outside KAITO."""
    run = scan_json(".", "--no-cache", cwd=ROOT / "tests" / "fixtures" / "precision_kaito_presets")
    assert run.exit_code == 1, run.stderr
    return run.report


def _saving(now: str, then: str, count: int = 1) -> float:
    return round(_monthly(now, "eastus", count) - _monthly(then, "eastus", count), 2)


def test_falcon_preset_is_sized_as_the_model_kaito_pins(presets_report: dict[str, Any]) -> None:
    """falcon-7b is tiiuae/falcon-7b at the revision KAITO's supported_models.yaml pins: 7.22 B parameters and one
    KV head shared by its 71 query heads over 2,048 positions (8 KiB a token), not 7 B read from the name with a
    guessed 16 KiB/token/B over 4,096 tokens. On a whole A100 it fits a T4 as is."""
    address = "Workspace/llm-serving/workspace-falcon-7b"
    f = _findings(presets_report, address)["FIN-GPU-005"]
    assert (f["file"], f["line"]) == ("workspaces.yaml", 8)
    assert f["message"] == (f"{address} serves tiiuae/falcon-7b (~13.5 GiB with its KV cache) on 1x A100 (80 GiB); "
                            "it fits Standard_NC4as_T4_v3 (1x T4) as is")
    assert f["impact"]["monthly_usd"] == _saving("Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3") == 2297.31
    assumptions = f["impact"]["assumptions"]
    assert assumptions[0].startswith("weights: 7.22 B parameters x 2 bytes = 13.4 GiB")
    assert assumptions[1] == ("KV cache 8 KiB/token (2 x 32 layers x 1 KV heads x 64 x 2 bytes), sized for the "
                              "model's full 2,048-token context (no token cap): 2,048 tokens = 0.0 GiB")
    llm = _resource(presets_report, address)["llm"]
    assert llm["evidence"][0] == ("KAITO preset falcon-7b serves tiiuae/falcon-7b (revision 898df13: "
                                  "kaito-project/kaito supported_models.yaml at 056b828)")
    assert "full_kv_why" not in llm  # no sliding-window layers: nothing to say


def test_phi_3_medium_4k_gets_the_model_fit_finding_at_its_window(presets_report: dict[str, Any]) -> None:
    """phi-3-medium-4k-instruct names no size: it had no FIN-GPU-005. Its config.json: 40 layers, 10 KV heads of
    128 and a 2,047-token sliding window on every layer, so one sequence keeps 2,047 of its 4,096 tokens (0.4 GiB);
    13.96 B parameters need 26 GiB at 16 bits, 6.9 GiB at 4 bits: one T4."""
    address = "Workspace/llm-serving/workspace-phi-3-medium"
    f = _findings(presets_report, address)["FIN-GPU-005"]
    assert (f["file"], f["line"], f["monthly_cost_usd"]) == ("workspaces.yaml", 22, 2681.29)
    assert f["message"] == (f"{address} serves microsoft/Phi-3-medium-4k-instruct (~26.4 GiB with its KV cache) on "
                            "1x A100 (80 GiB); it fits Standard_NC4as_T4_v3 (1x T4) quantized to 4 bits (AWQ/GPTQ)")
    assert f["impact"]["monthly_usd"] == _saving("Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3") == 2297.31
    assert ("KV cache 200 KiB/token (2 x 40 layers x 10 KV heads x 128 x 2 bytes), every layer attending over a "
            "2,047-token sliding window, sized for the model's full 4,096-token context (no token cap): 2,047 of "
            "4,096 tokens = 0.4 GiB") in f["impact"]["assumptions"]


def test_gemma_3_under_kaito_keeps_a_whole_context_cache_on_every_layer(presets_report: dict[str, Any]) -> None:
    """KAITO gives vLLM its LMCache connector by default, and vLLM then turns its hybrid KV cache manager off: Gemma
    3's sliding-window layers keep the whole 131,072-token context like its full-attention ones (62 GiB for 27B, 17
    GiB for 4B). Sized from the name (27 B, 4 B over 4,096 tokens) both 'fit a T4', which cannot even run Gemma 3
    (vLLM refuses it float16). Neither is oversized for its GPU now."""
    for address in ("Workspace/llm-serving/workspace-gemma-3-27b-instruct",
                    "Workspace/llm-serving/workspace-gemma-3-4b-instruct"):
        assert "FIN-GPU-005" not in _findings(presets_report, address), address
    llm = _resource(presets_report, "Workspace/llm-serving/workspace-gemma-3-27b-instruct")["llm"]
    assert (llm["model"], llm["params_b"]) == ("google/gemma-3-27b-it", 27.43)
    assert llm["full_kv_why"].startswith("KAITO's default LMCache KV-cache CPU offload gives vLLM a KV connector")


def test_a_preset_whose_model_is_not_in_the_table_is_not_sized(presets_report: dict[str, Any]) -> None:
    """ministral-3-8b-instruct is Ministral-3-8B-Instruct-2512, published in FP8 with 262,144 positions: '8 B at 16
    bits over 4,096 tokens' from its name made it fit a T4 at 4 bits. Its config.json is not in the table: no
    FIN-GPU-005, and the evidence says why."""
    address = "Workspace/llm-serving/workspace-ministral-3-8b-instruct"
    assert "FIN-GPU-005" not in _findings(presets_report, address)
    llm = _resource(presets_report, address)["llm"]
    assert llm["params_b"] is None
    assert llm["evidence"][-1] == ("mistralai/Ministral-3-8B-Instruct-2512 is not in the built-in table of "
                                   "config.json figures: not sized")


def test_vllm_sizes_sliding_windows_and_never_offers_gemma_3_a_t4(presets_report: dict[str, Any]) -> None:
    """Outside KAITO vLLM's hybrid KV cache manager is on: Gemma 3 4B's 29 sliding-window layers keep 1,024 tokens
    and only its 5 full-attention layers grow to --max-model-len (0.7 GiB). 8.7 GiB would fit a T4, but vLLM refuses
    Gemma 3 in float16 and a T4 has no bfloat16: the cheapest fit is an A10 slice. Mistral 7B v0.1 slides a
    4,096-token window over every layer: 14 GiB fits a T4 as is (sized at its 32,768 positions it needed 4 bits)."""
    gemma = _findings(presets_report, "Deployment/llm-serving/gemma-3-4b-vllm")["FIN-GPU-005"]
    assert (gemma["file"], gemma["line"]) == ("vllm.yaml", 2)
    assert "serves google/gemma-3-4b-it (~8.7 GiB with its KV cache) on 1x A100 (80 GiB)" in gemma["message"]
    assert gemma["impact"]["suggested"]["instance_type"] == "Standard_NV18ads_A10_v5"
    assert gemma["impact"]["monthly_usd"] == _saving("Standard_NC24ads_A100_v4", "Standard_NV18ads_A10_v5") == 1513.29
    assert ("KV cache 20 KiB/token (2 x 5 full-attention layers of 34 x 4 KV heads x 256 x 2 bytes) and 116 KiB/token "
            "on its 29 sliding-window layers, which keep at most 1,024 tokens: 32,768 and 1,024 tokens = 0.7 GiB"
            ) in gemma["impact"]["assumptions"]
    mistral = _findings(presets_report, "Deployment/llm-serving/mistral-7b-v01-vllm")["FIN-GPU-005"]
    assert (mistral["file"], mistral["line"]) == ("vllm.yaml", 29)
    assert mistral["message"].endswith("serves mistralai/Mistral-7B-Instruct-v0.1 (~14 GiB with its KV cache) on 1x "
                                       "A100 (80 GiB); it fits Standard_NC4as_T4_v3 (1x T4) as is")
    assert mistral["impact"]["monthly_usd"] == _saving("Standard_NC24ads_A100_v4", "Standard_NC4as_T4_v3", 2)
    assert any("every layer attending over a 4,096-token sliding window, sized for the model's full 32,768-token "
               "context (no token cap): 4,096 of 32,768 tokens = 0.5 GiB" in a for a in mistral["impact"]["assumptions"])


def _git(repo: Path, *args: str) -> None:
    import subprocess

    subprocess.run(["git", "-C", str(repo), "-c", "user.name=t", "-c", "user.email=t@t", *args], check=True,
                   capture_output=True)


def test_tool_regenerates_the_preset_table_from_a_kaito_checkout(tmp_path: Path) -> None:
    """tools/kaito/presets.py reads supported_models.yaml (as KAITO wrote it in early 2024, then after moving it
    under presets/workspace/) and writes preset -> (model, revision) with the commit; --history keeps the presets
    KAITO dropped, with the model they last named; a preset without a Hugging Face version is left out."""
    import importlib.util

    spec = importlib.util.spec_from_file_location("kaito_presets_tool", ROOT / "tools" / "kaito" / "presets.py")
    assert spec is not None and spec.loader is not None
    tool = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(tool)
    kaito = tmp_path / "kaito"
    old = kaito / "presets" / "models" / "supported_models.yaml"
    old.parent.mkdir(parents=True)
    old.write_text("""models:
  # Mistral
  - name: mistral-7b
    type: text-generation
    version: https://huggingface.co/mistralai/Mistral-7B-v0.1/commit/26bca36bde8333b5d7f72e9ed20ccda6a618af24
    runtime: tfs
    tag: 0.0.2
  - name: mistral-7b-v0.1
    type: text-generation
    version: https://huggingface.co/mistralai/Mistral-7B-v0.1/commit/26bca36bde8333b5d7f72e9ed20ccda6a618af24
    runtime: tfs
  - name: llama-2-7b
    type: llama2-completion
    runtime: llama-2
    tag: 0.0.3
""")
    _git(kaito, "init", "-q")
    _git(kaito, "add", ".")
    _git(kaito, "commit", "-qm", "presets")
    _git(kaito, "mv", "presets/models", "presets/workspace")
    new = kaito / "presets" / "workspace" / "supported_models.yaml"
    (kaito / "presets" / "workspace" / "models").mkdir()
    new.rename(kaito / "presets" / "workspace" / "models" / "supported_models.yaml")
    (kaito / "presets" / "workspace" / "models" / "supported_models.yaml").write_text("""models:
  - name: base
    type: text-generation
    runtime: tfs
  - name: mistral-7b
    type: text-generation
    version: https://huggingface.co/mistralai/Mistral-7B-v0.3/commit/d8cadc02ac76bd617a919d50b092e59d2d110aff
  - name: Falcon-7B
    version: https://huggingface.co/tiiuae/falcon-7b/commit/898df1396f35e447d5fe44e0a3ccaaaa69f30d36
""")
    _git(kaito, "add", "-A")
    _git(kaito, "commit", "-qm", "v0.3")
    out = tmp_path / "kaito_presets.py"
    assert tool.main([str(kaito), "--history", "-o", str(out)]) == 0
    import ast

    table = {node.target.id if isinstance(node, ast.AnnAssign) else node.targets[0].id: ast.literal_eval(node.value)
             for node in ast.parse(out.read_text()).body if isinstance(node, (ast.Assign, ast.AnnAssign))}
    assert len(table["KAITO_COMMIT"]) == 40
    assert table["PRESETS"] == {
        "falcon-7b": ("tiiuae/falcon-7b", "898df1396f35e447d5fe44e0a3ccaaaa69f30d36"),
        "mistral-7b": ("mistralai/Mistral-7B-v0.3", "d8cadc02ac76bd617a919d50b092e59d2d110aff"),
    }
    retired = table["RETIRED"]
    assert list(retired) == ["mistral-7b-v0.1"]  # mistral-7b is current; llama-2-7b named no Hugging Face model
    assert retired["mistral-7b-v0.1"][:2] == ("mistralai/Mistral-7B-v0.1", "26bca36bde8333b5d7f72e9ed20ccda6a618af24")
    assert "left out: base." in out.read_text()
    assert tool.main([str(kaito), "--history", "-o", str(out), "--check"]) == 0
    assert tool.main([str(kaito), "-o", str(out), "--check"]) == 1  # without --history the table differs
    assert tool.main([str(tmp_path / "nowhere"), "-o", str(out)]) == 2  # a clear error, the table left as it was
    assert "mistral-7b-v0.1" in out.read_text()


def test_the_shipped_preset_table_names_a_model_for_every_kaito_example_preset() -> None:
    """kaito_presets.py, generated from kaito-project/kaito 056b828: the presets its examples/inference use resolve
    to the Hugging Face models KAITO pins."""
    from linter.sources.kubernetes.kaito_presets import KAITO_COMMIT, PRESETS

    assert KAITO_COMMIT == "056b8280b1a8debf644bc6f4399e913a1f9c7e70"
    assert PRESETS["falcon-7b"][0] == "tiiuae/falcon-7b"
    assert PRESETS["gemma-3-4b-instruct"][0] == "google/gemma-3-4b-it"
    assert PRESETS["mistral-7b"][0] == "mistralai/Mistral-7B-v0.3"
    assert PRESETS["qwen2.5-coder-7b-instruct"][0] == "Qwen/Qwen2.5-Coder-7B-Instruct"
    assert len(PRESETS) == 30 and "base" not in PRESETS
