"""LLM serving and exposure facts: servers, models, caps, limits and public-or-not, from realistic configs."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_json, write
from linter.facts.llm import bytes_per_param, params_from_id, quantization_in_name
from linter.facts.serving import container_of, serving_facts

NS = """\
---
apiVersion: v1
kind: Namespace
metadata:
  name: llm
  labels: {team: ml-platform, cost-center: cc-1200, environment: prod}
"""


def llm_of(run, address: str) -> dict:
    res = {r["address"]: r for r in run.report["resources"]}
    return res[address]["llm"]


def container(**kw) -> dict:
    return {"name": "server", **kw}


# -- containers: flags, env, shells ---------------------------------------------------------------

@pytest.mark.parametrize("spec, server, model, caps, extra", [
    (container(image="vllm/vllm-openai:v0.6.3",
               args=["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192", "-tp", "2"]),
     "vllm", "meta-llama/Llama-3.1-8B-Instruct", {"max-model-len": 8192}, {"tensor_parallel": 2}),
    (container(image="vllm/vllm-openai:v0.6.3",
               args=["--model=Qwen/Qwen2.5-14B-Instruct-AWQ", "--max_model_len=16k", "--quantization=awq"]),
     "vllm", "Qwen/Qwen2.5-14B-Instruct-AWQ", {"max-model-len": 16000}, {"quantization": "awq"}),
    (container(image="registry.internal/llm/vllm:0.6.3-cu124", command=["/bin/sh", "-c"],
               args=["exec vllm serve mistralai/Mistral-7B-Instruct-v0.3 --dtype bfloat16 --max-num-seqs 64"]),
     "vllm", "mistralai/Mistral-7B-Instruct-v0.3", {}, {"dtype": "bfloat16", "batch_caps": {"max-num-seqs": 64}}),
    (container(image="ghcr.io/huggingface/text-generation-inference:2.4.1",
               env=[{"name": "MODEL_ID", "value": "meta-llama/Llama-3.1-70B-Instruct"},
                    {"name": "NUM_SHARD", "value": "4"}, {"name": "MAX_TOTAL_TOKENS", "value": "8192"},
                    {"name": "MAX_INPUT_TOKENS", "value": "7168"}]),
     "tgi", "meta-llama/Llama-3.1-70B-Instruct", {"max-total-tokens": 8192, "max-input-tokens": 7168},
     {"tensor_parallel": 4}),
    (container(image="ghcr.io/huggingface/text-generation-inference:2.4.1",
               args=["--model-id", "TheBloke/Llama-2-13B-chat-GPTQ", "--quantize", "gptq", "--max-input-length", "2048"]),
     "tgi", "TheBloke/Llama-2-13B-chat-GPTQ", {"max-input-length": 2048}, {"quantization": "gptq"}),
    (container(image="ghcr.io/huggingface/text-embeddings-inference:1.5",
               args=["--model-id", "BAAI/bge-large-en-v1.5", "--max-batch-tokens=16384"]),
     "tei", "BAAI/bge-large-en-v1.5", {"max-batch-tokens": 16384}, {}),
    (container(image="ghcr.io/ggerganov/llama.cpp:server",
               args=["-m", "/models/llama-3.2-3b-instruct-q4_k_m.gguf", "-c", "4096", "-np", "4"]),
     "llama.cpp", "/models/llama-3.2-3b-instruct-q4_k_m.gguf", {"c": 4096}, {"quantization": "q4_k_m"}),
    (container(image="ghcr.io/ggml-org/llama.cpp:server-cuda",
               env=[{"name": "LLAMA_ARG_HF_REPO", "value": "bartowski/Qwen2.5-7B-Instruct-GGUF"},
                    {"name": "LLAMA_ARG_CTX_SIZE", "value": "8192"}]),
     "llama.cpp", "bartowski/Qwen2.5-7B-Instruct-GGUF", {"LLAMA_ARG_CTX_SIZE": 8192}, {}),
    (container(image="ollama/ollama:0.5.7", env=[{"name": "OLLAMA_NUM_CTX", "value": "8192"}]),
     "ollama", None, {"OLLAMA_NUM_CTX": 8192}, {}),
    (container(image="nvcr.io/nim/meta/llama-3.1-8b-instruct:1.3.3",
               env=[{"name": "NIM_MAX_MODEL_LEN", "value": "16384"}]),
     "nim", "meta/llama-3.1-8b-instruct", {"NIM_MAX_MODEL_LEN": 16384}, {}),
    (container(image="lmsysorg/sglang:v0.4.1-cu124",
               command=["python3", "-m", "sglang.launch_server", "--model-path", "Qwen/Qwen2.5-7B-Instruct",
                        "--tp", "2", "--context-length", "32768"]),
     "sglang", "Qwen/Qwen2.5-7B-Instruct", {"context-length": 32768}, {"tensor_parallel": 2}),
    (container(image="nvcr.io/nvidia/tensorrt-llm/release:0.17.0",
               command=["trtllm-serve", "meta-llama/Llama-3.1-8B-Instruct", "--max_seq_len", "8192",
                        "--tp_size", "1"]),
     "tensorrt-llm", "meta-llama/Llama-3.1-8B-Instruct", {"max-seq-len": 8192}, {"tensor_parallel": 1}),
])
def test_container_serving_facts(spec: dict, server: str, model: str | None, caps: dict, extra: dict) -> None:
    llm = serving_facts(container_of(spec, "container 'server'"))
    assert llm is not None
    assert (llm.server, llm.model) == (server, model)
    assert llm.token_caps == {k: float(v) for k, v in caps.items()}
    for key, value in extra.items():
        assert getattr(llm, key) == value, key


def test_argparse_abbreviations_count_for_vllm() -> None:
    """vLLM's parser takes a unique prefix (production-stack's examples pass --max-num-seq)."""
    llm = serving_facts(container_of(container(
        image="lmcache/vllm-openai:2025-05-05-v1", command=["python3", "-m", "vllm.entrypoints.openai.api_server"],
        args=["--model", "meta-llama/Llama-3.2-1B-Instruct", "--max-num-seq", "1024", "--max-model", "4096"]), "c"))
    assert llm is not None and llm.batch_caps == {"max-num-seqs": 1024.0}
    assert llm.token_caps == {"max-model-len": 4096.0}
    assert llm.cap_evidence == ["--max-model=4096 (c args)", "--max-num-seq=1024 (c args)"]
    tgi = serving_facts(container_of(container(image="ghcr.io/huggingface/text-generation-inference:2.4.1",
                                               args=["--model-id", "x/y-7B", "--max-total"]), "c"))
    assert tgi is not None and tgi.token_caps == {}  # TGI's clap parser takes no abbreviations


def test_kubernetes_var_references_expand_from_the_container_env() -> None:
    llm = serving_facts(container_of(container(
        image="vllm/vllm-openai:v0.6.3", args=["--model=$(MODEL)", "--max-model-len=$(MAX_LEN)"],
        env=[{"name": "MODEL", "value": "meta-llama/Llama-3.1-8B-Instruct"}, {"name": "MAX_LEN", "value": "8192"}]),
        "c"))
    assert llm is not None and llm.model == "meta-llama/Llama-3.1-8B-Instruct"
    assert llm.token_caps == {"max-model-len": 8192.0}
    assert llm.cap_evidence == ["--max-model-len=8192 (c args)"]


def test_unexpanded_or_secret_values_are_not_caps() -> None:
    llm = serving_facts(container_of(container(
        image="vllm/vllm-openai:v0.6.3", args=["--model", "x/y-8B", "--max-model-len", "$(MAX_LEN)"],
        env=[{"name": "MAX_LEN", "valueFrom": {"configMapKeyRef": {"name": "c", "key": "k"}}}]), "c"))
    assert llm is not None and llm.token_caps == {}


def test_triton_caps_are_not_judged_and_non_llm_images_are_ignored() -> None:
    triton = serving_facts(container_of(container(image="nvcr.io/nvidia/tritonserver:24.08-trtllm-python-py3",
                                                  args=["tritonserver", "--model-repository=/models"]), "c"))
    assert triton is not None and triton.server == "triton" and triton.caps_checkable is False
    for image in ("nginx:1.27", "lmcache/lmstack-router:latest", "ghcr.io/berriai/litellm:main-stable"):
        assert serving_facts(container_of(container(image=image, args=["--port", "8000"]), "c")) is None


@pytest.mark.parametrize("model, params", [
    ("meta-llama/Llama-3.1-8B-Instruct", 8.03), ("Qwen/Qwen2.5-14B-Instruct", 14.7),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", 46.7), ("microsoft/Phi-3.5-mini-instruct", 3.82),
    ("ibm-granite/granite-3.1-2b-instruct", 2.0), ("facebook/opt-125m", 0.125), ("acme/secret-model", None),
    ("deepseek-ai/DeepSeek-V2-Lite-16x2B", None),
])
def test_model_size_from_table_or_id(model: str, params: float | None) -> None:
    assert params_from_id(model)[0] == params


def test_bytes_per_parameter_follow_quantization_then_dtype() -> None:
    assert bytes_per_param("bfloat16", None)[0] == 2
    assert bytes_per_param("bfloat16", "fp8")[0] == 1
    assert bytes_per_param(None, quantization_in_name("TheBloke/Mistral-7B-Instruct-v0.2-AWQ"))[0] == 0.5
    assert bytes_per_param(None, quantization_in_name("llama-3.2-3b-instruct-q8_0.gguf"))[0] == 1.06
    assert bytes_per_param(None, None) == (2.0, "16-bit weights (2 bytes/parameter; no dtype or quantization set)")


# -- Kubernetes exposure ------------------------------------------------------------------------------

def _vllm(name: str, extra_args: str = "") -> str:
    return f"""\
---
apiVersion: apps/v1
kind: Deployment
metadata: {{name: {name}, namespace: llm}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}}}}}
    spec:
      nodeSelector: {{node.kubernetes.io/instance-type: g6.xlarge}}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct"{extra_args}]
          resources: {{limits: {{nvidia.com/gpu: 1}}}}
"""


def _service(name: str, stype: str, annotations: str = "") -> str:
    ann = f"\n  annotations: {{{annotations}}}" if annotations else ""
    return f"""\
---
apiVersion: v1
kind: Service
metadata:
  name: {name}
  namespace: llm{ann}
spec:
  type: {stype}
  selector: {{app: {name}}}
  ports: [{{port: 80, targetPort: 8000}}]
"""


def _ingress(name: str, annotations: str) -> str:
    return f"""\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: {name}
  namespace: llm
  annotations: {{{annotations}}}
spec:
  ingressClassName: nginx
  rules:
    - host: {name}.example.com
      http:
        paths:
          - {{path: /, pathType: Prefix, backend: {{service: {{name: {name}, port: {{number: 80}}}}}}}}
"""


def test_exposure_by_service_type_and_ingress_limits(tmp_path: Path) -> None:
    write(tmp_path, {"all.yaml": NS
                     + _vllm("lb") + _service("lb", "LoadBalancer")
                     + _vllm("internal-lb") + _service(
                         "internal-lb", "LoadBalancer", '"service.beta.kubernetes.io/aws-load-balancer-scheme": internal')
                     + _vllm("nodeport") + _service("nodeport", "NodePort")
                     + _vllm("clusterip") + _service("clusterip", "ClusterIP")
                     + _vllm("limited") + _service("limited", "ClusterIP")
                     + _ingress("limited", '"nginx.ingress.kubernetes.io/limit-rps": "5"')
                     + _vllm("bypassed") + _service("bypassed", "LoadBalancer")
                     + _ingress("bypassed", '"nginx.ingress.kubernetes.io/limit-rpm": "300"')})
    run = scan_json(".", cwd=tmp_path)
    lb = llm_of(run, "Deployment/llm/lb")
    assert lb["public"] is True and "Service type LoadBalancer" in lb["public_evidence"][0]
    assert llm_of(run, "Deployment/llm/internal-lb")["public"] is False
    assert llm_of(run, "Deployment/llm/nodeport")["public"] is True
    clusterip = llm_of(run, "Deployment/llm/clusterip")
    svc_line = {r["address"]: r["line"] for r in run.report["resources"]}["Service/llm/clusterip"]
    assert clusterip["public"] is False and clusterip["public_evidence"] == [
        f"only a ClusterIP Service in front: Service/llm/clusterip (all.yaml:{svc_line})"]
    limited = llm_of(run, "Deployment/llm/limited")
    assert limited["public"] is True and limited["rate_limited"] is True
    assert limited["rate_limits"] == ["nginx.ingress.kubernetes.io/limit-rps: 5 (requests/s per client IP "
                                      "(ingress-nginx)) on Ingress/llm/limited"]
    bypassed = llm_of(run, "Deployment/llm/bypassed")
    assert bypassed["rate_limited"] is False
    assert any("bypassed by Service/llm/bypassed" in e for e in bypassed["public_evidence"])
    public_unlimited = {f["resource"] for f in run.findings("FIN-LLM-002")}
    assert public_unlimited == {"Deployment/llm/lb", "Deployment/llm/nodeport", "Deployment/llm/bypassed"}


def _httproute(name: str, gateway: str = "public-gw", filters: str = "") -> str:
    flt = f"\n      filters: [{filters}]" if filters else ""
    return f"""\
---
apiVersion: gateway.networking.k8s.io/v1
kind: HTTPRoute
metadata: {{name: {name}, namespace: llm}}
spec:
  parentRefs: [{{name: {gateway}, namespace: gateways}}]
  hostnames: [{name}.example.com]
  rules:
    - matches: [{{path: {{type: PathPrefix, value: /v1}}}}]{flt}
      backendRefs: [{{name: {name}, port: 80}}]
"""


ENVOY_POLICIES = """\
---
# Source: llm-gateway/templates/ratelimit.yaml
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: per-user-tokens, namespace: llm}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: envoy-route}
  rateLimit:
    type: Global
    global:
      rules:
        - clientSelectors: [{headers: [{name: x-user-id, type: Distinct}]}]
          limit: {requests: 100000, unit: Hour}
          cost:
            request: {from: Number, number: 0}
            response: {from: Metadata, metadata: {namespace: io.envoy.ai_gateway, key: llm_total_token}}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: gateway-wide, namespace: gateways}
spec:
  targetRef: {group: gateway.networking.k8s.io, kind: Gateway, name: limited-gw}
  rateLimit:
    type: Local
    local:
      rules:
        - limit: {requests: 20, unit: Second}
---
apiVersion: gateway.envoyproxy.io/v1alpha1
kind: BackendTrafficPolicy
metadata: {name: timeouts-only, namespace: llm}
spec:
  targetRefs:
    - {group: gateway.networking.k8s.io, kind: HTTPRoute, name: timeouts-route}
  timeout: {http: {requestTimeout: 300s}}
"""

KONG_TRAEFIK = """\
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: llm-limits, namespace: llm}
plugin: rate-limiting
config: {minute: 60, policy: local}
---
apiVersion: configuration.konghq.com/v1
kind: KongPlugin
metadata: {name: rate-limit-cors, namespace: llm}
plugin: cors
config: {origins: ["*"]}
---
apiVersion: traefik.io/v1alpha1
kind: Middleware
metadata: {name: llm-ratelimit, namespace: llm}
spec:
  rateLimit: {average: 10, burst: 20}
"""


def _object_line(text: str, name: str) -> int:
    """The line of the object named ``name`` in a multi-document file: its document's first key."""
    lines = text.splitlines()
    at = next(i for i, ln in enumerate(lines) if f"{{name: {name}," in ln)
    return next(i for i in range(at, -1, -1) if lines[i].startswith("apiVersion:")) + 1


def test_gateway_policy_objects_are_rate_limits(tmp_path: Path) -> None:
    """Rate limits that live in Envoy Gateway, Kong and Traefik objects, attached by target, annotation or filter;
    the object decides, not its name, when it is in the scan."""
    write(tmp_path, {"all.yaml": NS
                     + _vllm("envoy-route") + _service("envoy-route", "ClusterIP") + _httproute("envoy-route")
                     + _vllm("gw-route") + _service("gw-route", "ClusterIP") + _httproute("gw-route", "limited-gw")
                     + _vllm("timeouts-route") + _service("timeouts-route", "ClusterIP")
                     + _httproute("timeouts-route")
                     + _vllm("kong") + _service("kong", "ClusterIP")
                     + _ingress("kong", '"konghq.com/plugins": "key-auth, llm-limits"')
                     + _vllm("kong-cors") + _service("kong-cors", "ClusterIP")
                     + _ingress("kong-cors", '"konghq.com/plugins": rate-limit-cors')
                     + _vllm("traefik") + _service("traefik", "ClusterIP")
                     + _ingress("traefik", '"traefik.ingress.kubernetes.io/router.middlewares": '
                                           'llm-llm-ratelimit@kubernetescrd')
                     + _vllm("traefik-filter") + _service("traefik-filter", "ClusterIP")
                     + _httproute("traefik-filter", filters="{type: ExtensionRef, extensionRef: "
                                                            "{group: traefik.io, kind: Middleware, name: llm-ratelimit}}"),
                     "policies.yaml": ENVOY_POLICIES + KONG_TRAEFIK})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    line = {r["address"]: r["line"] for r in run.report["resources"]}
    policies = ENVOY_POLICIES + KONG_TRAEFIK
    at = {name: _object_line(policies, name) for name in ("per-user-tokens", "gateway-wide", "llm-limits",
                                                           "llm-ratelimit")}
    envoy = llm_of(run, "Deployment/llm/envoy-route")
    assert envoy["public"] is True and envoy["rate_limits"] == [
        f"BackendTrafficPolicy llm/per-user-tokens (policies.yaml:{at['per-user-tokens']}): 100000 tokens/hour (global) "
        "on HTTPRoute/llm/envoy-route"]
    assert llm_of(run, "Deployment/llm/gw-route")["rate_limits"] == [
        f"BackendTrafficPolicy gateways/gateway-wide (policies.yaml:{at['gateway-wide']}): 20 requests/second (local) "
        "(on its Gateway gateways/limited-gw) on HTTPRoute/llm/gw-route"]
    assert llm_of(run, "Deployment/llm/kong")["rate_limits"] == [
        f"konghq.com/plugins: KongPlugin llm-limits (policies.yaml:{at['llm-limits']}): rate-limiting 60/minute on Ingress/llm/kong"]
    assert llm_of(run, "Deployment/llm/traefik")["rate_limits"] == [
        f"traefik.ingress.kubernetes.io/router.middlewares: Middleware llm/llm-ratelimit (policies.yaml:{at['llm-ratelimit']}): "
        "rateLimit average 10/1s, burst 20 on Ingress/llm/traefik"]
    assert llm_of(run, "Deployment/llm/traefik-filter")["rate_limited"] is True
    unlimited = {(f["resource"], f["line"]) for f in run.findings("FIN-LLM-002")}
    # a policy with only timeouts, and a cors plugin whose name says rate limit, limit nothing
    assert unlimited == {("Deployment/llm/timeouts-route", line["Deployment/llm/timeouts-route"]),
                         ("Deployment/llm/kong-cors", line["Deployment/llm/kong-cors"])}


def test_named_policy_outside_the_scan_counts_by_its_name(tmp_path: Path) -> None:
    write(tmp_path, {"all.yaml": NS + _vllm("kong") + _service("kong", "ClusterIP")
                     + _ingress("kong", '"konghq.com/plugins": llm-rate-limit')})
    run = scan_json(".", cwd=tmp_path)
    assert llm_of(run, "Deployment/llm/kong")["rate_limits"] == [
        "konghq.com/plugins: llm-rate-limit (a rate-limiting policy by its name; the object is not in the scan) "
        "on Ingress/llm/kong"]
    assert run.findings("FIN-LLM-002") == []


KSERVE = """\
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: NAME
  namespace: llm
  annotations: {serving.kserve.io/deploymentMode: Serverless}LABELS
spec:
  predictor:
    minReplicas: 1
    model:
      modelFormat: {name: huggingface}
      storageUri: hf://meta-llama/Llama-3.1-8B-Instruct
      args: ["--model_name=llama3", "--max_model_len=8192", "--dtype=bfloat16"]
      resources:
        limits: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
"""


def test_kserve_model_from_an_s3_path_and_the_transformers_backend(tmp_path: Path) -> None:
    s3 = KSERVE.replace("NAME", "s3-llama").replace("LABELS", "").replace(
        "hf://meta-llama/Llama-3.1-8B-Instruct", "s3://models/meta-llama--Meta-Llama-3.1-8B-Instruct")
    hf = KSERVE.replace("NAME", "hf-backend").replace("LABELS", "").replace(
        '"--max_model_len=8192", "--dtype=bfloat16"', '"--backend=huggingface"')
    write(tmp_path, {"isvc.yaml": NS + s3 + hf})
    run = scan_json(".", cwd=tmp_path)
    assert llm_of(run, "InferenceService/llm/s3-llama")["params_b"] == 8.03
    hf_llm = llm_of(run, "InferenceService/llm/hf-backend")
    assert (hf_llm["server"], hf_llm["token_caps"]) == ("kserve-huggingface", {})
    assert "--max_model_len" in run.finding("FIN-LLM-001", "InferenceService/llm/hf-backend")["remediation"]


def test_kserve_huggingface_runtime_and_visibility(tmp_path: Path) -> None:
    public = KSERVE.replace("NAME", "llama3").replace("LABELS", "")
    local = KSERVE.replace("NAME", "llama3-local").replace(
        "LABELS", "\n  labels: {networking.kserve.io/visibility: cluster-local}")
    write(tmp_path, {"isvc.yaml": NS + public + local})
    run = scan_json(".", cwd=tmp_path)
    llm = llm_of(run, "InferenceService/llm/llama3")
    assert (llm["server"], llm["model"], llm["dtype"]) == ("vllm", "meta-llama/Llama-3.1-8B-Instruct", "bfloat16")
    assert llm["token_caps"] == {"max-model-len": 8192} and llm["public"] is True
    assert "Knative ingress gateway" in llm["public_evidence"][0]
    assert llm_of(run, "InferenceService/llm/llama3-local")["public"] is False
    assert {f["resource"] for f in run.findings("FIN-LLM-002")} == {"InferenceService/llm/llama3"}
    assert run.findings("FIN-LLM-001") == []


RAY_SERVICE = """\
---
apiVersion: ray.io/v1
kind: RayService
metadata: {name: qwen, namespace: llm}
spec:
  serveConfigV2: |
    applications:
      - name: llm
        route_prefix: /
        import_path: ray.serve.llm:build_openai_app
        args:
          llm_configs:
            - model_loading_config:
                model_id: qwen
                model_source: Qwen/Qwen2.5-32B-Instruct
              engine_kwargs:
                tensor_parallel_size: 2
                max_num_seqs: 64
              deployment_config:
                autoscaling_config: {min_replicas: 1, max_replicas: 2}
  rayClusterConfig:
    headGroupSpec:
      rayStartParams: {}
      template:
        spec:
          containers:
            - name: ray-head
              image: rayproject/ray-llm:2.44.0-py311-cu124
              resources: {limits: {cpu: "4", memory: 16Gi}}
    workerGroupSpecs:
      - groupName: gpu
        replicas: 1
        minReplicas: 1
        maxReplicas: 2
        rayStartParams: {}
        template:
          spec:
            containers:
              - name: ray-worker
                image: rayproject/ray-llm:2.44.0-py311-cu124
                resources: {limits: {cpu: "16", memory: 96Gi, nvidia.com/gpu: "2"}}
"""


def test_ray_serve_llm_configs(tmp_path: Path) -> None:
    write(tmp_path, {"ray.yaml": NS + RAY_SERVICE})
    run = scan_json(".", cwd=tmp_path)
    llm = llm_of(run, "RayService/llm/qwen")
    assert (llm["server"], llm["model"], llm["tensor_parallel"], llm["params_b"]) == (
        "ray-serve-llm", "Qwen/Qwen2.5-32B-Instruct", 2, 32.8)
    assert llm["batch_caps"] == {"max_num_seqs": 64} and llm["token_caps"] == {}
    f = run.finding("FIN-LLM-001", "RayService/llm/qwen")
    assert "engine_kwargs.max_model_len" in f["remediation"]


# -- LiteLLM ----------------------------------------------------------------------------------------

LITELLM_CONFIGMAP = """\
# Source: litellm-helm/templates/configmap-litellm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
  namespace: llm
data:
  config.yaml: |
    model_list:
      - model_name: gpt-4o-mini
        litellm_params:
          model: openai/gpt-4o-mini
          api_key: os.environ/OPENAI_API_KEY
          max_tokens: 800
          tpm: 100000
    general_settings:
      master_key: os.environ/PROXY_MASTER_KEY
"""


def test_litellm_config_inside_a_configmap_keeps_manifest_lines(tmp_path: Path) -> None:
    write(tmp_path, {"litellm.yaml": LITELLM_CONFIGMAP})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    route = res["litellm/gpt-4o-mini"]
    assert (route["file"], route["line"], route["source"]) == ("litellm.yaml", 10, "litellm")
    assert route["llm"]["token_caps"] == {"litellm_params.max_tokens": 800}
    assert route["llm"]["rate_limits"] == ["litellm_params.tpm: 100000 tokens/min for this deployment"]
    assert run.findings() == [] and run.report["skipped"] == []


TF_VLLM_SERVICE = """\
data "kubernetes_config_map_v1" "platform" {
  metadata {
    name      = "platform-settings"
    namespace = "kube-system"
  }
}

resource "kubernetes_deployment_v1" "vllm" {
  metadata {
    name      = "llama3-vllm"
    namespace = "llm"
    labels    = { team = "ml", "cost-center" = "cc-7", environment = "prod" }
  }
  spec {
    replicas = 1
    selector {
      match_labels = { app = "llama3-vllm" }
    }
    template {
      metadata {
        labels = { app = "llama3-vllm", team = "ml", "cost-center" = "cc-7", environment = "prod" }
      }
      spec {
        node_selector = { "node.kubernetes.io/instance-type" = "g6.xlarge" }
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.6.3"
          args  = ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources {
            limits = { "nvidia.com/gpu" = "1" }
          }
        }
      }
    }
  }
}

resource "kubernetes_service_v1" "vllm" {
  metadata {
    name      = "llama3-vllm"
    namespace = "llm"
  }
  spec {
    selector = { app = "llama3-vllm" }
    type     = data.kubernetes_config_map_v1.platform.data["llm_service_type"]
    port {
      port        = 80
      target_port = 8000
    }
  }
}
"""


def test_service_type_known_only_at_apply_is_not_called_private(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TF_VLLM_SERVICE})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    llm = llm_of(run, "kubernetes_deployment_v1.vllm")
    assert llm["public"] is None
    assert any(e.startswith("Service type known only at deploy time: kubernetes_service_v1.vllm (main.tf:") for e in
               llm["public_evidence"])


LITELLM_STACK = """\
# Source: litellm-helm/templates/configmap-litellm.yaml
apiVersion: v1
kind: ConfigMap
metadata:
  name: litellm-config
  namespace: llm
data:
  config.yaml: |
    model_list:
      - model_name: llama-3-8b
        litellm_params:
          model: hosted_vllm/meta-llama/Llama-3.1-8B-Instruct
          api_base: http://llama3-vllm.llm.svc.cluster.local:8000/v1
          max_tokens: 1024
    general_settings:
      master_key: os.environ/PROXY_MASTER_KEY
---
# Source: litellm-helm/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: litellm
  namespace: llm
  labels: {app.kubernetes.io/name: litellm, team: platform, cost-center: cc-100, environment: production}
spec:
  replicas: 2
  selector: {matchLabels: {app.kubernetes.io/name: litellm}}
  template:
    metadata:
      labels: {app.kubernetes.io/name: litellm, team: platform, cost-center: cc-100, environment: production}
    spec:
      containers:
        - name: litellm
          image: ghcr.io/berriai/litellm-database:main-v1.55.8
          args: ["--config", "/etc/litellm/config.yaml", "--port", "4000"]
          envFrom: [{secretRef: {name: litellm-secrets}}]
          resources: {requests: {cpu: 500m, memory: 1Gi}}
          volumeMounts: [{name: litellm-config, mountPath: /etc/litellm/config.yaml, subPath: config.yaml}]
      volumes:
        - name: litellm-config
          configMap: {name: litellm-config, items: [{key: config.yaml, path: config.yaml}]}
---
# Source: litellm-helm/templates/service.yaml
apiVersion: v1
kind: Service
metadata:
  name: litellm
  namespace: llm
spec:
  type: SERVICE_TYPE
  selector: {app.kubernetes.io/name: litellm}
  ports: [{port: 4000, targetPort: 4000}]
"""


@pytest.mark.parametrize("service_type, public", [("LoadBalancer", True), ("ClusterIP", False)])
def test_litellm_configmap_routes_are_as_public_as_the_proxy_that_mounts_them(
        tmp_path: Path, service_type: str, public: bool) -> None:
    """A self-hosted route behind a LiteLLM proxy: public when the proxy's Service is, with no rate limit then."""
    text = LITELLM_STACK.replace("SERVICE_TYPE", service_type)
    write(tmp_path, {"litellm.yaml": text})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    route = {r["address"]: r for r in run.report["resources"]}["litellm/llama-3-8b"]
    svc_line = text.splitlines().index("kind: Service")  # the object's line is its apiVersion line
    dep_line = text.splitlines().index("kind: Deployment")
    assert route["llm"]["public"] is public
    assert (f"served by Deployment/llm/litellm (litellm.yaml:{dep_line}), which mounts ConfigMap llm/litellm-config"
            in route["llm"]["public_evidence"][-1])
    assert f"Service/llm/litellm (litellm.yaml:{svc_line})" in route["llm"]["public_evidence"][-1]
    findings = [(f["rule_id"], f["resource"], f["line"]) for f in run.findings("FIN-LLM-002")]
    assert findings == ([("FIN-LLM-002", "litellm/llama-3-8b", route["line"])] if public else [])


def test_litellm_proxy_behind_a_rate_limited_ingress_is_limited(tmp_path: Path) -> None:
    text = LITELLM_STACK.replace("SERVICE_TYPE", "ClusterIP") + """\
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: litellm
  namespace: llm
  annotations: {nginx.ingress.kubernetes.io/limit-rpm: "600"}
spec:
  ingressClassName: nginx
  rules:
    - host: llm.example.com
      http:
        paths: [{path: /, pathType: Prefix, backend: {service: {name: litellm, port: {number: 4000}}}}]
"""
    write(tmp_path, {"litellm.yaml": text})
    run = scan_json(".", cwd=tmp_path)
    route = {r["address"]: r for r in run.report["resources"]}["litellm/llama-3-8b"]
    assert route["llm"]["public"] is True
    assert route["llm"]["rate_limits"] == [
        "nginx.ingress.kubernetes.io/limit-rpm: 600 (requests/min per client IP (ingress-nginx)) on Ingress/llm/litellm"]
    assert run.findings("FIN-LLM-002") == []


def test_litellm_router_default_and_budget_are_caps_and_limits(tmp_path: Path) -> None:
    write(tmp_path, {"proxy/config.yaml": """\
model_list:
  - model_name: sonnet
    litellm_params:
      model: anthropic/claude-sonnet-4-5
      api_key: os.environ/ANTHROPIC_API_KEY
router_settings:
  default_litellm_params: {max_tokens: 1024}
litellm_settings:
  max_budget: 300
  budget_duration: 1d
"""})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    llm = res["litellm/sonnet"]["llm"]
    assert llm["token_caps"] == {"router_settings.default_litellm_params.max_tokens": 1024}
    assert llm["rate_limits"] == ["litellm_settings.max_budget: $300 per 1d"]
    assert any("master_key is not set" in e for e in llm["public_evidence"])
    assert run.findings() == []


def test_broken_litellm_config_is_one_error_and_the_rest_is_scanned(tmp_path: Path) -> None:
    write(tmp_path, {"gw/config.yaml": "model_list:\n  - model_name: a\n    litellm_params: {model: openai/gpt-4o\n",
                     "k8s/app.yaml": NS + _vllm("lb") + _service("lb", "LoadBalancer")})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    assert [(e["file"], e["line"]) for e in run.report["errors"]] == [("gw/config.yaml", 4)]
    assert "invalid YAML in LiteLLM config" in run.report["errors"][0]["message"]
    assert {f["resource"] for f in run.findings("FIN-LLM-002")} == {"Deployment/llm/lb"}
