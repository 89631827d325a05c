"""LiteLLM configs are recognised by the manifest reader as it reads each YAML file (a ``model_list:`` line), so a
scan reads a YAML file once unless it is one; plain configs are then dropped from the manifests."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Any

from test_llm_facts import LITELLM_CONFIGMAP  # a Helm-rendered LiteLLM ConfigMap (route at its line 10)

from conftest import scan_json, write

PROXY_CONFIG = """\
# LiteLLM proxy config for the platform gateway (mounted by deploy/gateway.yaml)
model_list:
  - model_name: gpt-4o
    litellm_params:
      model: azure/gpt-4o
      api_base: https://platform-eastus.openai.azure.com
      api_key: os.environ/AZURE_API_KEY
      max_tokens: 1024
      rpm: 600
  - model_name: llama-3-8b
    litellm_params:
      model: hosted_vllm/meta-llama/Meta-Llama-3-8B-Instruct
      api_base: http://vllm.llm.svc.cluster.local:8000/v1
general_settings:
  master_key: os.environ/PROXY_MASTER_KEY
"""

DEPLOYMENT = """\
---
# Source: platform/templates/worker-{i}.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: worker-{i}
  namespace: batch
  labels: {{team: data-platform, cost-center: cc-{i:04d}, environment: prod}}
spec:
  replicas: 2
  selector:
    matchLabels: {{app: worker-{i}}}
  template:
    metadata:
      labels: {{app: worker-{i}, team: data-platform}}
    spec:
      containers:
        - name: worker
          image: registry.example.com/platform/worker:1.{i}.0
          resources:
            requests: {{cpu: 500m, memory: 1Gi}}
            limits: {{memory: 2Gi}}
"""



def _routes(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"] if r["source"] == "litellm"}


def test_a_config_saved_with_a_byte_order_mark_is_read(tmp_path: Path) -> None:
    """Editors on Windows save UTF-8 with a BOM; the YAML readers drop it, and so does the LiteLLM check (the old
    byte-level check did not, so the config was reported as a file with no Kubernetes objects)."""
    config = PROXY_CONFIG.split("\n", 1)[1]  # no header comment: the BOM comes right before ``model_list:``
    write(tmp_path, {"gateway/config.yaml": b"\xef\xbb\xbf" + config.encode()})
    run = scan_json(".", cwd=tmp_path)
    routes = _routes(run)
    assert sorted(routes) == ["litellm/gpt-4o", "litellm/llama-3-8b"]
    assert (routes["litellm/gpt-4o"]["file"], routes["litellm/gpt-4o"]["line"]) == ("gateway/config.yaml", 2)
    assert run.report["skipped"] == []


def test_a_configmap_deep_in_a_rendered_bundle_is_read(tmp_path: Path) -> None:
    """``helm template`` output of a whole platform: the LiteLLM ConfigMap comes after 256 KiB of other objects,
    past what the old check looked at."""
    deployments = "".join(DEPLOYMENT.format(i=i) for i in range(480)) + "---\n"
    bundle = deployments + LITELLM_CONFIGMAP
    assert len(deployments.encode()) > 262_144
    write(tmp_path, {"rendered/platform.yaml": bundle})
    run = scan_json(".", cwd=tmp_path)
    route = _routes(run)["litellm/gpt-4o-mini"]
    assert (route["file"], route["line"]) == ("rendered/platform.yaml", deployments.count("\n") + 10)
    assert sum(r["source"] == "kubernetes" for r in run.report["resources"]) == 480


def test_a_yaml_file_without_a_model_list_is_read_once(tmp_path: Path) -> None:
    """Every YAML file was opened once to look for ``model_list`` and once more to read it: now only the few
    LiteLLM configs are opened twice (a serial scan)."""
    write(tmp_path, {"gateway/config.yaml": PROXY_CONFIG, "gateway/configmap.yaml": LITELLM_CONFIGMAP,
                     "apps/worker.yaml": DEPLOYMENT.format(i=1)})
    opened: list[str] = []
    watched = str(tmp_path)

    def hook(event: str, args: tuple[Any, ...]) -> None:
        if event == "open" and isinstance(args[0], str) and args[0].startswith(watched) \
                and args[0].endswith(".yaml"):
            opened.append(args[0][len(watched) + 1:])

    sys.addaudithook(hook)  # hooks cannot be removed: this one only collects while ``watched`` is scanned
    try:
        run = scan_json(".", "--no-cache", "-j", "1", cwd=tmp_path)
    finally:
        watched = "\0"
    assert sorted(_routes(run)) == ["litellm/gpt-4o", "litellm/gpt-4o-mini", "litellm/llama-3-8b"]
    # the manifest reader reads each file once; the LiteLLM reader then reads the two configs again to parse them
    assert sorted(opened) == ["apps/worker.yaml", "gateway/config.yaml", "gateway/config.yaml",
                              "gateway/configmap.yaml", "gateway/configmap.yaml"]
    assert run.report["skipped"] == []  # the plain config is no manifest, and says nothing as one
