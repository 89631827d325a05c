"""What scans of public Kubernetes AI-serving repositories got wrong, each in the shape those repositories write it.

Found by scanning kubernetes-sigs/lws, kubernetes-sigs/kueue, vllm-project/aibrix, kaito-project/kaito and
substratusai/kubeai: GPU workloads that left the report without a word, savings larger than the spend, a node
type priced with half its GPU memory, a model read from a subcommand or lost to a trailing slash.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from conftest import scan_json, write
from linter.pricing.catalog import price_entry

# kubernetes-sigs/lws docs/examples/vllm/GPU: Llama 3.1 405B over two nodes of 8 GPUs, two groups
LWS = """
apiVersion: leaderworkerset.x-k8s.io/v1
kind: LeaderWorkerSet
metadata:
  name: vllm
  namespace: serving
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 2
  leaderWorkerTemplate:
    size: 2
    restartPolicy: RecreateGroupOnPodRestart
    leaderTemplate:
      metadata:
        labels: {role: leader, team: ml, cost-center: cc-1, environment: prod}
      spec:
        containers:
        - name: vllm-leader
          image: vllm/vllm-openai:v0.8.5
          command: [sh, -c, "bash /vllm-workspace/examples/online_serving/multi-node-serving.sh leader
            --ray_cluster_size=$(LWS_GROUP_SIZE); python3 -m vllm.entrypoints.openai.api_server --port 8080
            --model meta-llama/Meta-Llama-3.1-405B-Instruct --tensor-parallel-size 8 --pipeline_parallel_size 2"]
          resources:
            limits: {nvidia.com/gpu: "8", memory: 1124Gi, ephemeral-storage: 800Gi}
    workerTemplate:
      metadata:
        labels: {team: ml, cost-center: cc-1, environment: prod}
      spec:
        containers:
        - name: vllm-worker
          image: vllm/vllm-openai:v0.8.5
          command: [sh, -c, "bash /vllm-workspace/examples/online_serving/multi-node-serving.sh worker
            --ray_address=$(LWS_LEADER_ADDRESS)"]
          resources:
            limits: {nvidia.com/gpu: "8", memory: 1124Gi, ephemeral-storage: 800Gi}
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: vllm
  namespace: serving
spec:
  scaleTargetRef: {apiVersion: leaderworkerset.x-k8s.io/v1, kind: LeaderWorkerSet, name: vllm}
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource: {name: cpu, target: {type: Utilization, averageUtilization: 50}}
---
# kaito-project/kaito: a Workspace provisions its own GPU nodes (priced since KAITO objects are read)
apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-falcon-7b
resource:
  instanceType: Standard_NC12s_v3
  labelSelector:
    matchLabels: {apps: falcon-7b}
inference:
  template:
    spec:
      containers:
      - name: custom
        image: mcr.microsoft.com/aks/kaito/kaito-falcon-7b:0.0.4
        resources:
          limits: {nvidia.com/gpu: 1}
"""


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_a_leader_worker_set_is_priced_as_its_groups_of_pods(tmp_path: Path) -> None:
    """A LeaderWorkerSet of 2 groups of 2 pods with 8 GPUs each (32 GPUs) was not in the report at all, and the
    HPA scaling it said its target was not in the scan. Its leaders and workers are priced (no node type pinned:
    OpenCost's default rates, 8 GPUs at $0.95/h and 1124 GiB at $0.004237/GiB-h per pod, 730 h: $18,049.09 a
    month for each 2 pods), and the HPA's replicas are groups: 5 groups are 10 pods, 6 more than the 4 priced
    now, at the same $9,024.545 a pod."""
    write(tmp_path, {"lws.yaml": LWS})
    run = scan_json(".", cwd=tmp_path)
    lws = _resources(run)["LeaderWorkerSet/serving/vllm"]
    assert lws["compute"]["count"] == 4 and lws["compute"]["gpu"]["count"] == 8
    lines = {c["name"]: c["monthly_usd"] for c in lws["cost_components"]}
    assert lines["leaders: GPU (unknown model, 8 per pod), on-demand"] == 11096.0  # 2 x 8 x $0.95 x 730
    assert lines["workers: GPU (unknown model, 8 per pod), on-demand"] == 11096.0
    assert lws["monthly_cost_usd"] == 36098.18  # 2 x (11,096.00 + 6,953.09 of memory)
    assert lws["workload"]["kind"] == "inference"
    scale = run.finding("FIN-SCALE-001", "LeaderWorkerSet/serving/vllm")
    assert abs(scale["impact"]["monthly_usd"] - 36098.18 / 4 * 6) < 0.05
    assert any("between the 4 priced now and the maximum 10" in a for a in scale["impact"]["assumptions"])


def test_accelerators_in_a_kind_finops_lint_does_not_read_are_noted(tmp_path: Path) -> None:
    """A KAITO Workspace asking for a GPU left no trace (no resource, no skip note). It was then listed under "not
    scanned" with its line; now it is read: its one Standard_NC12s_v3 node is priced (6.12/h x 730 h in the
    config's default region) and no note remains."""
    write(tmp_path, {"lws.yaml": LWS})
    run = scan_json(".", cwd=tmp_path)
    assert [s for s in run.report["skipped"] if s["file"] == "lws.yaml"] == []
    ws = _resources(run)["Workspace/default/workspace-falcon-7b"]
    assert (ws["line"], ws["monthly_cost_usd"]) == (LWS.splitlines().index("kind: Workspace"), 4467.6)


SPOT = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-spot
  namespace: llm
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm-spot}}
  template:
    metadata: {labels: {app: vllm-spot, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector:
        node.kubernetes.io/instance-type: g5.12xlarge
        karpenter.sh/capacity-type: spot
      containers:
      - name: server
        image: vllm/vllm-openai:v0.6.3
        args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192", "--tensor-parallel-size", "4"]
        resources:
          limits: {nvidia.com/gpu: 4}
"""


def test_a_model_fit_saving_compares_spot_with_spot(tmp_path: Path) -> None:
    """FIN-GPU-005 priced a spot pod at on-demand rates: it spends $1,697.63 a month (g5.12xlarge on spot) and
    was said to save $3,756.58. The saving now compares both types bought on spot, and stays below the spend."""
    write(tmp_path, {"d.yaml": SPOT})
    run = scan_json(".", cwd=tmp_path)
    finding = run.finding("FIN-GPU-005", "Deployment/llm/vllm-spot")
    assert finding["monthly_cost_usd"] == 1697.63
    assert 0 < finding["impact"]["monthly_usd"] < finding["monthly_cost_usd"]
    assert any("bought 0% on demand and the rest on spot" in a for a in finding["impact"]["assumptions"])


GPU_MEMORY = """
apiVersion: apps/v1
kind: Deployment
metadata:
  name: model-llama-3-1-8b
  namespace: kubeai
spec:
  replicas: 2
  selector: {matchLabels: {app: m}}
  template:
    metadata: {labels: {app: m}}
    spec:
      nodeSelector:  # kubeai charts/kubeai/values-eks.yaml, profile nvidia-gpu-a100-80gb
        karpenter.k8s.aws/instance-gpu-name: "a100"
        karpenter.k8s.aws/instance-gpu-memory: "81920"
      containers:
      - name: server
        image: vllm/vllm-openai:v0.6.3
        args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
        resources:
          limits: {nvidia.com/gpu: 1}
"""


def test_karpenter_gpu_memory_selects_the_80_gb_a100(tmp_path: Path) -> None:
    """instance-gpu-memory was not read, so an A100 80 GB pod was priced on p4d.24xlarge (A100 40 GB); only
    p4de.24xlarge has 81920 MiB per GPU: 2 pods x $27.44705/h / 8 GPUs x 730 h = $5,009.09."""
    write(tmp_path, {"d.yaml": GPU_MEMORY})
    run = scan_json(".", cwd=tmp_path)
    pod = _resources(run)["Deployment/kubeai/model-llama-3-1-8b"]
    assert pod["compute"]["instance_type"] == "p4de.24xlarge" and pod["compute"]["gpu"]["memory_gib"] == 80
    assert pod["monthly_cost_usd"] == 5009.09


SERVERS = """
apiVersion: apps/v1
kind: Deployment
metadata: {name: qwen-tensorrt-llm, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: qwen-llm}}
  template:
    metadata: {labels: {app: qwen-llm}}
    spec:
      containers:
      - name: tensorrt-llm
        image: nvcr.io/nvidia/tensorrt-llm/release:1.1.0
        command: ["/bin/bash", "-c"]
        args:
          - |
            trtllm-serve serve /models/Qwen3-8B --host 0.0.0.0 --port 8000
        resources:
          limits: {nvidia.com/gpu: 1}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: qwen3-8b, namespace: default}
spec:
  replicas: 1
  selector: {matchLabels: {app: qwen3-8b}}
  template:
    metadata: {labels: {app: qwen3-8b}}
    spec:
      nodeSelector: {node.kubernetes.io/instance-type: g6e.12xlarge}
      containers:
      - name: vllm-openai
        image: vllm/vllm-openai:v0.11.0
        command: [vllm, serve, /models/Qwen3-8B/, --max-model-len, "8192", --tensor-parallel-size, "4"]
        resources:
          limits: {nvidia.com/gpu: 4}
---
apiVersion: v1
kind: Pod
metadata: {name: disagg-proxy-router, namespace: default}
spec:
  containers:
  - name: disagg-proxy
    image: vllm/vllm-openai:v0.10.0
    command: ["sh", "-c"]
    args:
      - |
        sleep 6000
"""


def test_models_are_read_from_what_the_server_is_told(tmp_path: Path) -> None:
    """aibrix samples: `trtllm-serve serve MODEL` was read as serving a model named "serve"; a path ending in
    a slash (/models/Qwen3-8B/) lost its size, so FIN-GPU-005 never ran; a vLLM image whose command only
    sleeps was said to serve a model (FIN-LLM-001)."""
    write(tmp_path, {"d.yaml": SERVERS})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    assert resources["Deployment/default/qwen-tensorrt-llm"]["llm"]["model"] == "/models/Qwen3-8B"
    assert resources["Deployment/default/qwen3-8b"]["llm"]["params_b"] == 8
    assert run.finding("FIN-GPU-005", "Deployment/default/qwen3-8b")
    assert resources["Pod/default/disagg-proxy-router"].get("llm") is None
    assert not [f for f in run.findings() if f["resource"] == "Pod/default/disagg-proxy-router"]


def test_a_node_pool_in_one_zone_given_at_apply_is_one_zone(tmp_path: Path) -> None:
    """aibrix's GKE pool sets node_locations = [var.node_pool_zone]: one zone, though its name is known only at
    apply. It was priced as a regional pool's three zones ($1,547.96); one g2-standard-4 is $515.99."""
    write(tmp_path, {"main.tf": """
variable "node_pool_zone" {
  type = string
}

resource "google_container_cluster" "main" {
  name                     = "aibrix"
  location                 = "us-central1"
  remove_default_node_pool = true
  initial_node_count       = 1
}

resource "google_container_node_pool" "gpu" {
  name           = "aibrix-gpu-nodes"
  location       = google_container_cluster.main.location
  cluster        = google_container_cluster.main.id
  node_locations = [var.node_pool_zone]
  node_count     = 1
  node_config {
    machine_type = "g2-standard-4"
  }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    pool = _resources(run)["google_container_node_pool.gpu"]
    assert pool["compute"]["count"] == 1 and pool["monthly_cost_usd"] == 515.99


# GoogleCloudPlatform/accelerated-platforms: a vLLM base and an overlay that patches its GPUs in
VLLM_BASE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm}}
  template:
    metadata:
      labels: {app: vllm, team: ml, cost-center: cc-1, environment: prod}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      containers:
      - name: inference-server
        image: vllm/vllm-openai:v0.8.5
        command: ["python3", "-m", "vllm.entrypoints.openai.api_server"]
        args:
        - "--model=google/gemma-3-1b-it"
        - "--max-model-len=$(MAX_MODEL_LEN)"
        env:
        - name: MAX_MODEL_LEN
          valueFrom:
            configMapKeyRef: {name: runtime, key: MAX_MODEL_LEN}
        resources:
          limits: {nvidia.com/gpu: "1"}
"""
PATCH = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
spec:
  template:
    spec:
      containers:
      - name: inference-server
        resources:
          limits: {nvidia.com/gpu: "8"}
"""


def test_a_kustomize_patch_is_no_workload_and_a_cap_from_a_configmap_is_a_cap(tmp_path: Path) -> None:
    """accelerated-platforms: 326 Kustomize patches (fragments with GPU limits and no labels) were priced as
    workloads ($244,307 a month, 126 findings); each is now listed as a patch. Its vLLM bases set
    --max-model-len=$(MAX_MODEL_LEN) from a ConfigMap and were told they set no cap (FIN-LLM-001)."""
    write(tmp_path, {"base/deployment.yaml": VLLM_BASE, "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "overlay/patch-resources.yaml": PATCH,
                     "overlay/kustomization.yaml": "resources:\n- ../base\npatches:\n- path: patch-resources.yaml\n"})
    run = scan_json(".", cwd=tmp_path)
    assert [r["address"] for r in run.report["resources"]] == ["Deployment/default/vllm"]
    # the overlay is rendered (tests/test_precision_kustomize.py): its patch is applied, not listed as a manifest
    assert not any(s["file"] == "overlay/patch-resources.yaml" for s in run.report["skipped"])
    assert _resources(run)["Deployment/default/vllm"]["compute"]["gpu"]["count"] == 8
    assert not run.findings("FIN-LLM-001")
    llm = _resources(run)["Deployment/default/vllm"]["llm"]
    assert any("set, from a value given at deploy time" in e for e in llm["cap_evidence"])


def test_a_workspace_that_names_a_gpu_machine_type_is_noted(tmp_path: Path) -> None:
    """kaito's examples ask for GPU VMs through resource.instanceType (no nvidia.com/gpu anywhere): the
    Workspace left no trace. A Kueue ClusterQueue's GPU quota is no workload: it is not noted."""
    write(tmp_path, {"queue.yaml": """apiVersion: kueue.x-k8s.io/v1beta1
kind: ClusterQueue
metadata:
  name: gpu-queue
spec:
  resourceGroups:
  - coveredResources: ["nvidia.com/gpu"]
    flavors:
    - name: a100
      resources:
      - name: "nvidia.com/gpu"
        nominalQuota: 8
""", "ws.yaml": """apiVersion: kaito.sh/v1beta1
kind: Workspace
metadata:
  name: workspace-falcon-40b-instruct
resource:
  instanceType: "Standard_NC96ads_A100_v4"
  labelSelector:
    matchLabels: {apps: falcon-40b-instruct}
inference:
  preset:
    name: "falcon-40b-instruct"
"""})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["skipped"] == []  # the Workspace is read now (tests/test_precision_kaito.py)
    ws = _resources(run)["Workspace/default/workspace-falcon-40b-instruct"]
    assert ws["monthly_cost_usd"] is not None and ws["cost_components"][0]["name"].endswith("Standard_NC96ads_A100_v4)")


def test_a_gke_pool_whose_location_is_given_at_apply_takes_its_region_from_its_zone(tmp_path: Path) -> None:
    """accelerated-platforms sets location = var.region (no value) and node_locations = ["us-east4-c"]: the zone
    fixes the region, us-east4; it was priced at us-central1's a3-highgpu-8g price. (The catalog had no us-east4
    price for it then; now it has, and the figure is us-east4's.)"""
    write(tmp_path, {"main.tf": """
variable "region" {
  type = string
}

resource "google_container_node_pool" "gpu" {
  name           = "gpu-a3"
  cluster        = "projects/p/locations/us-east4/clusters/ml"
  location       = var.region
  node_locations = ["us-east4-c"]
  node_count     = 1
  node_config {
    machine_type = "a3-highgpu-8g"
  }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    pool = _resources(run)["google_container_node_pool.gpu"]
    catalog = json.loads((Path(__file__).parent.parent / "linter/pricing/data/gcp.json").read_text())
    hourly = {region: price_entry(catalog, region, "a3-highgpu-8g")["usd_per_hour"]
              for region in ("us-east4", "us-central1")}
    assert hourly["us-east4"] != hourly["us-central1"]
    assert pool["region"] == "us-east4" and pool["monthly_cost_usd"] == round(hourly["us-east4"] * 730, 2)


LITELLM = """model_list:
  - model_name: llama  # LiteLLM's docs pattern: a vLLM Service in the same cluster, by its short name
    litellm_params:
      model: openai/meta-llama/Llama-3.1-8B-Instruct
      api_base: http://vllm-server:8000/v1
      api_key: none
      max_tokens: 1024
  - model_name: gpt-4o
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      max_tokens: 1024
    rpm: 100
    tpm: 100000
  - model_name: gpt-4o-info
    litellm_params:
      model: openai/gpt-4o
      api_key: os.environ/OPENAI_API_KEY
      max_tokens: 1024
    model_info:
      rpm: 100
general_settings:
  master_key: os.environ/LITELLM_MASTER_KEY
"""


def test_litellm_routes_to_a_cluster_service_and_limits_on_the_entry_are_read(tmp_path: Path) -> None:
    """BerriAI/litellm: an openai/ route to http://vllm-server:8000 (a Service's short name) was taken as OpenAI
    billed per token (FIN-LLM-002, high); rpm/tpm on the model entry or in model_info (where LiteLLM's router
    reads them) were not seen, and FIN-LLM-002 said there was no limit ($5,000 a month exposure)."""
    write(tmp_path, {"litellm/config.yaml": LITELLM})
    run = scan_json(".", cwd=tmp_path)
    routes = _resources(run)
    assert routes["litellm/llama"]["llm"]["billing"] == "self-hosted"
    assert routes["litellm/gpt-4o"]["llm"]["rate_limits"][0] == "rpm: 100 requests/min for this deployment"
    assert routes["litellm/gpt-4o-info"]["llm"]["rate_limits"][0] == "model_info.rpm: 100 requests/min for this " \
        "deployment"
    assert not run.findings("FIN-LLM-002")


TGI_LONG_CONTEXT = """apiVersion: apps/v1
kind: Deployment
metadata: {name: tgi, labels: {team: ml, cost-center: cc-1, environment: prod}}
spec:
  replicas: 1
  selector: {matchLabels: {app: tgi}}
  template:
    metadata: {labels: {app: tgi, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {node.kubernetes.io/instance-type: g5.2xlarge}
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.4.0
        args: ["--model-id", "mistralai/Mistral-7B-Instruct-v0.3",
               "--max-input-tokens", "1024", "--max-total-tokens", "32768"]
        resources: {limits: {nvidia.com/gpu: 1}}
---
apiVersion: v1
kind: Pod
metadata: {name: genai-perf-client, labels: {team: ml, cost-center: cc-1, environment: prod}}
spec:
  containers:
  - name: client
    image: nvcr.io/nvidia/vllm:25.09-py3
    command: ["/bin/sh", "-c"]
    args:
    - |
      pip install genai-perf && \\
      genai-perf profile -m "google/gemma-3-1b-pt" --url nim-gemma-service:8000
"""


def test_kv_cache_is_sized_for_the_longest_sequence_and_a_client_pod_serves_nothing(tmp_path: Path) -> None:
    """TGI with --max-input-tokens 1024 and --max-total-tokens 32768 was sized for 1,024 tokens of KV cache and
    told it fits one T4; a sequence can hold 32,768 (4 GiB of cache, about 17.5 GiB in all): no smaller GPU fits.
    A genai-perf client in a vLLM image was said to serve a model without a token cap (FIN-LLM-001)."""
    write(tmp_path, {"d.yaml": TGI_LONG_CONTEXT})
    run = scan_json(".", cwd=tmp_path)
    assert not run.findings("FIN-GPU-005")
    assert _resources(run)["Pod/default/genai-perf-client"].get("llm") is None
    assert not run.findings("FIN-LLM-001")


def test_an_azure_openai_deployment_runs_in_its_accounts_region(tmp_path: Path) -> None:
    """terraform-azurerm-openai: a deployment was listed in the config's default region (eastus, with a note)
    while its account is in swedencentral."""
    write(tmp_path, {"main.tf": """
provider "azurerm" {
  features {}
}

resource "azurerm_cognitive_account" "openai" {
  name                          = "oai"
  location                      = "swedencentral"
  resource_group_name           = "rg"
  kind                          = "OpenAI"
  sku_name                      = "S0"
  public_network_access_enabled = false
  tags                          = { team = "ai", cost-center = "1", environment = "prod" }
}

resource "azurerm_cognitive_deployment" "chat" {
  name                 = "gpt-4o"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-08-06"
  }
  sku {
    name     = "Standard"
    capacity = 10
  }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    deployment = _resources(run)["azurerm_cognitive_deployment.chat"]
    assert deployment["region"] == "swedencentral" and not deployment.get("price_notes")


def test_a_spot_pods_figure_is_explained_at_its_spot_price(tmp_path: Path) -> None:
    """kubernetes-engine-samples' falcon-40b TGI runs on GKE spot: FIN-TAG-001 said $493.63 a month and explained
    it as "one pod on demand $1.984/h" ($1,448 a month). The basis now gives what the figure is priced at."""
    write(tmp_path, {"d.yaml": """apiVersion: apps/v1
kind: Deployment
metadata: {name: llm}
spec:
  replicas: 1
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm}}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
        cloud.google.com/gke-spot: "true"
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:2.4.0
        args: ["--model-id", "tiiuae/falcon-40b-instruct", "--num-shard", "2"]
        resources:
          requests: {cpu: "10", memory: 60Gi}
          limits: {nvidia.com/gpu: "2"}
"""})
    run = scan_json(".", cwd=tmp_path)
    finding = run.finding("FIN-TAG-001", "Deployment/default/llm")
    bought = [a for a in finding["impact"]["assumptions"] if a.startswith("bought on spot: $")]
    hourly = float(bought[0].split("$")[1].split("/h")[0])
    assert abs(hourly * 730 - finding["monthly_cost_usd"]) < 0.1  # the hourly figure is shown to 4 digits


def test_bicep_templates_are_said_not_to_be_read(tmp_path: Path) -> None:
    """Azure-Samples/openai-apim-lb is Bicep only: the scan said nothing and exited 0, a clean result for code it
    never read. Each .bicep file is now listed under not scanned."""
    write(tmp_path, {"infra/main.bicep": "param location string = resourceGroup().location\n",
                     "infra/modules/openai.bicep": "resource openai 'Microsoft.CognitiveServices/accounts@2023-05-01' "
                                                    "= {\n  name: 'oai'\n}\n"})
    run = scan_json(".", cwd=tmp_path)
    assert sorted(s["file"] for s in run.report["skipped"]) == ["infra/main.bicep", "infra/modules/openai.bicep"]
    assert all(s["reason"].startswith("Bicep template: finops-lint reads Terraform") for s in run.report["skipped"])


# ray-project/kuberay ray-operator/config/samples (ray-job.tpu-v6e-256-multihost.yaml's shape, on p4d): one
# replica of a multi-host worker group is numOfHosts pods
RAY_MULTIHOST = """
apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: multihost-gpu
  namespace: ml
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      metadata: {labels: {team: ml, cost-center: cc-1, environment: prod}}
      spec:
        containers:
        - name: ray-head
          image: rayproject/ray:2.46.0
          resources:
            requests: {cpu: "2", memory: "8Gi"}
  workerGroupSpecs:
  - groupName: gpu-group
    replicas: 1
    minReplicas: 1
    maxReplicas: 1
    numOfHosts: 2
    rayStartParams: {}
    template:
      metadata: {labels: {team: ml, cost-center: cc-1, environment: prod}}
      spec:
        containers:
        - name: ray-worker
          image: rayproject/ray:2.46.0-gpu
          resources:
            requests: {cpu: "8", memory: "32Gi", nvidia.com/gpu: "8"}
            limits: {nvidia.com/gpu: "8"}
        nodeSelector:
          node.kubernetes.io/instance-type: p4d.24xlarge
          topology.kubernetes.io/region: us-east-1
"""


def test_a_multi_host_ray_worker_group_is_replicas_times_hosts_pods(tmp_path: Path) -> None:
    from linter.pricing.catalog import Catalog

    write(tmp_path, {"ray.yaml": RAY_MULTIHOST})
    r = _resources(scan_json(".", cwd=tmp_path))["RayCluster/ml/multihost-gpu"]
    assert r["compute"]["count"] == 2 and r["compute"]["gpu"]["count"] == 8  # the GPU pods: 1 replica x 2 hosts
    p4d = Catalog().hourly("aws", "us-east-1", "p4d.24xlarge")
    assert p4d is not None
    workers = [c for c in r["cost_components"] if c["name"].startswith("gpu-group")]
    assert sum(c["monthly_usd"] for c in workers) == pytest.approx(2 * p4d.usd_per_hour * 730, abs=0.02)


def test_a_custom_runtime_kind_that_asks_for_gpus_is_noted_and_embedded_is_no_embedding_job(tmp_path: Path) -> None:
    """production-stack's VLLMRuntime ends in "Runtime" like KServe's ServingRuntime (a template, skipped), and was
    dropped without a word; kuberay's raycluster-embedded-gcs-ft was labelled an embedding batch job."""
    runtime = """
apiVersion: production-stack.vllm.ai/v1alpha1
kind: VLLMRuntime
metadata:
  name: vllmruntime-sample
spec:
  model:
    modelURL: "meta-llama/Llama-3.1-8B-Instruct"
  deploymentConfig:
    replicas: 2
    resources: {cpu: "10", memory: "32Gi", gpu: "1", gpuType: "nvidia.com/gpu"}
"""
    embedded = RAY_MULTIHOST.replace("multihost-gpu", "raycluster-embedded-gcs-ft")
    write(tmp_path, {"vllmruntime.yaml": runtime, "ray.yaml": embedded})
    run = scan_json(".", cwd=tmp_path)
    assert any(s["file"] == "vllmruntime.yaml" and "VLLMRuntime" in s["reason"] for s in run.report["skipped"])
    ray = _resources(run)["RayCluster/ml/raycluster-embedded-gcs-ft"]
    assert ray["workload"]["kind"] != "batch"


def test_a_pod_selecting_a_label_its_nodepool_sets_under_an_aws_domain_is_on_that_pool(tmp_path: Path) -> None:
    """eks-workshop-v2 aiml/chatbot: the NodePool labels its nodes neuron.amazonaws.com/neuron-device and the vLLM
    pod selects it; labels under amazonaws.com were taken as well-known, so the pod was priced at OpenCost's
    default rates ($799.85) instead of on the pool's inf2.xlarge ($553.49)."""
    from linter.pricing.catalog import Catalog

    nodepool = """apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: inferentia-inf2
spec:
  template:
    metadata:
      labels:
        neuron.amazonaws.com/neuron-device: "true"
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: inferentia}
      requirements:
        - key: node.kubernetes.io/instance-type
          operator: In
          values: ["inf2.xlarge", "inf2.8xlarge"]
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["on-demand"]
      taints:
        - key: aws.amazon.com/neuron
          effect: NoSchedule
"""
    deployment = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: mistral
  namespace: vllm
spec:
  replicas: 1
  selector: {matchLabels: {app: mistral}}
  template:
    metadata:
      labels: {app: mistral, team: ml, cost-center: c1, environment: prod}
    spec:
      nodeSelector:
        neuron.amazonaws.com/neuron-device: "true"
      tolerations:
        - {key: aws.amazon.com/neuron, operator: Exists, effect: NoSchedule}
      containers:
        - name: vllm
          image: public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py311-sdk2.26.0-ubuntu22.04
          resources:
            requests: {cpu: 3, memory: 12Gi, aws.amazon.com/neuron: 1}
            limits: {memory: 12Gi, aws.amazon.com/neuron: 1}
"""
    write(tmp_path, {"karpenter/nodepool.yaml": nodepool, "vllm/deployment.yaml": deployment})
    r = _resources(scan_json(".", cwd=tmp_path))["Deployment/vllm/mistral"]
    inf2 = Catalog().hourly("aws", "us-east-1", "inf2.xlarge")
    assert inf2 is not None and r["monthly_cost_usd"] == pytest.approx(inf2.usd_per_hour * 730, abs=0.01)
    assert r["compute"]["instance_type"] == "inf2.xlarge"


def test_jetstream_is_a_model_server_and_tgi_1_caps_tokens_by_itself(tmp_path: Path) -> None:
    """ai-on-gke: JetStream's MaxEngine (model_name=gemma-7b) behind a LoadBalancer was not recognised, so its
    public endpoint had no FIN-LLM-002; TGI 1.4.3 with no flags was said to set no token cap, though its launcher
    caps a request at 2,048 tokens by default before 2.0 (from 2.0 the default is the model's context)."""
    jetstream = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: maxengine-server
  labels: {team: ml, cost-center: cc-42, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: maxengine-server}
  template:
    metadata:
      labels: {app: maxengine-server, team: ml, cost-center: cc-42, environment: prod}
    spec:
      nodeSelector:
        cloud.google.com/gke-tpu-topology: 2x2
        cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice
      containers:
      - name: maxengine-server
        image: us-docker.pkg.dev/cloud-tpu-images/inference/maxengine-server:v0.2.2
        args: [model_name=gemma-7b, tokenizer_path=assets/tokenizer.gemma, per_device_batch_size=4]
        resources:
          limits: {google.com/tpu: 4}
      - name: jetstream-http
        image: us-docker.pkg.dev/cloud-tpu-images/inference/jetstream-http:v0.2.2
---
apiVersion: v1
kind: Service
metadata:
  name: jetstream-svc
spec:
  selector: {app: maxengine-server}
  ports:
  - {protocol: TCP, name: http, port: 8000, targetPort: 8000}
  type: LoadBalancer
"""
    tgi = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: tgi-VERSION
  labels: {team: ml, cost-center: cc-42, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: tgi}
  template:
    metadata:
      labels: {app: tgi, team: ml, cost-center: cc-42, environment: prod}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      containers:
      - name: tgi
        image: ghcr.io/huggingface/text-generation-inference:TAG
        args: ["--model-id", "tiiuae/falcon-7b-instruct", "--num-shard", "1"]
        resources:
          limits: {nvidia.com/gpu: 1}
"""
    write(tmp_path, {"jetstream.yaml": jetstream, "tgi1.yaml": tgi.replace("VERSION", "1").replace("TAG", "1.4.3"),
                     "tgi2.yaml": tgi.replace("VERSION", "2").replace("TAG", "2.4.1")})
    run = scan_json(".", cwd=tmp_path)
    found = {(f["rule_id"], f["resource"]) for f in run.report["findings"]}
    assert ("FIN-LLM-002", "Deployment/default/maxengine-server") in found
    assert ("FIN-LLM-001", "Deployment/default/maxengine-server") not in found  # MaxText's 1,024-token default
    assert ("FIN-LLM-001", "Deployment/default/tgi-1") not in found
    assert ("FIN-LLM-001", "Deployment/default/tgi-2") in found
    tgi1 = _resources(run)["Deployment/default/tgi-1"]
    assert tgi1["llm"]["token_caps"] == {"max-total-tokens": 2048}


def test_a_service_that_selects_one_statefulset_pod_reaches_the_workload(tmp_path: Path) -> None:
    """sglang docker/k8s-sglang-distributed-sts.yaml: a NodePort Service selects pod 0 of a 2 x 8-GPU StatefulSet by
    apps.kubernetes.io/pod-index, a label the controller adds; it was not linked, so the public endpoint had no
    FIN-LLM-002."""
    sts = """apiVersion: apps/v1
kind: StatefulSet
metadata:
  name: distributed-sglang
spec:
  replicas: 2
  serviceName: ""
  selector:
    matchLabels: {app: distributed-sglang}
  template:
    metadata:
      labels: {app: distributed-sglang, team: ml, cost-center: cc-1, environment: prod}
    spec:
      containers:
      - name: sglang-container
        image: docker.io/lmsysorg/sglang:latest
        command: ["/bin/bash", "-c"]
        args:
        - |
          python3 -m sglang.launch_server --model /llm-folder --dist-init-addr sglang-master-pod:5000 --tensor-parallel-size 16 --nnodes 2 --node-rank $POD_INDEX --trust-remote-code --host 0.0.0.0 --port 8000 --enable-metrics --context-length 8192
        resources:
          limits: {nvidia.com/gpu: "8"}
---
apiVersion: v1
kind: Service
metadata:
  name: sglang-serving-on-master
spec:
  type: NodePort
  selector:
    app: distributed-sglang
    apps.kubernetes.io/pod-index: "0"
  ports:
  - {name: serving, port: 8000, targetPort: 8000}
"""
    write(tmp_path, {"k8s-sglang-distributed-sts.yaml": sts})
    run = scan_json(".", cwd=tmp_path)
    sglang = _resources(run)["StatefulSet/default/distributed-sglang"]
    assert sglang["links"]["exposed_by"] == "Service/default/sglang-serving-on-master" and sglang["llm"]["public"]
    assert any(f["rule_id"] == "FIN-LLM-002" and f["resource"] == "StatefulSet/default/distributed-sglang"
               for f in run.report["findings"])


def test_a_model_fit_never_suggests_a_gpu_that_cannot_run_it_as_is(tmp_path: Path) -> None:
    """vLLM refuses --dtype bfloat16 below compute capability 8.0 (T4), and a model compiled for Neuron (an
    inf2 node) does not run on NVIDIA GPUs: FIN-GPU-005 told both to move to g4dn.xlarge "as is"."""
    bf16 = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3b
spec:
  replicas: 1
  selector: {matchLabels: {app: l}}
  template:
    metadata:
      labels: {app: l, team: ml, cost-center: c1, environment: prod}
    spec:
      nodeSelector:
        node.kubernetes.io/instance-type: g5.xlarge
        karpenter.sh/capacity-type: on-demand
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.2-3B-Instruct", "--dtype", "DTYPE", "--max-model-len", "4096"]
          resources:
            limits: {nvidia.com/gpu: 1}
"""
    neuron = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: mistral
  namespace: vllm
spec:
  replicas: 1
  selector: {matchLabels: {model: mistral7b}}
  template:
    metadata:
      labels: {model: mistral7b, team: ml, cost-center: c1, environment: prod}
    spec:
      nodeSelector:
        node.kubernetes.io/instance-type: inf2.xlarge
        karpenter.sh/capacity-type: on-demand
      containers:
        - name: vllm
          image: public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py311-sdk2.26.0-ubuntu22.04
          command: ["/bin/sh", "-c"]
          args: ["vllm serve /models/mistral-7b-v0.3 --port 8080 --device neuron --tensor-parallel-size 2
            --max-num-seqs 4 --max-model-len 2048 --dtype float16"]
          resources:
            requests: {cpu: 3, memory: 12Gi, aws.amazon.com/neuron: 1}
            limits: {memory: 12Gi, aws.amazon.com/neuron: 1}
"""
    write(tmp_path, {"bf16.yaml": bf16.replace("DTYPE", "bfloat16"), "neuron.yaml": neuron,
                     "fp16.yaml": bf16.replace("DTYPE", "float16").replace("llama3b", "llama3b-fp16")})
    run = scan_json(".", cwd=tmp_path)
    fits = {f["resource"]: f for f in run.report["findings"] if f["rule_id"] == "FIN-GPU-005"}
    assert "Deployment/vllm/mistral" not in fits
    assert "g4dn" not in json.dumps(fits.get("Deployment/default/llama3b", {}))
    assert "g4dn" in json.dumps(fits["Deployment/default/llama3b-fp16"])  # float16 runs on a T4


def test_cost_labels_on_one_pod_template_do_not_cover_the_others(tmp_path: Path) -> None:
    """A RayCluster whose head carries the cost labels and whose 4 x 8-GPU workers carry none: OpenCost and
    Kubecost allocate each pod by its own labels (and its namespace's), so the workers' spend is unattributed. The
    labels were pooled over all pod templates and FIN-TAG-001 passed."""
    ray = """apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: rc
spec:
  headGroupSpec:
    rayStartParams: {}
    template:
      metadata:
        labels: {team: ml, cost-center: cc1, environment: prod}
      spec:
        containers:
          - name: head
            image: rayproject/ray:2.9.0
            resources:
              requests: {cpu: "2", memory: 8Gi}
  workerGroupSpecs:
    - groupName: gpu
      replicas: 4
      rayStartParams: {}
      template:
        metadata:
          labels: {team: ml}
        spec:
          containers:
            - name: worker
              image: rayproject/ray:2.9.0
              resources:
                limits: {nvidia.com/gpu: 8}
"""
    write(tmp_path, {"ray.yaml": ray, "labelled.yaml": ray.replace("name: rc", "name: rc-labelled").replace(
        "labels: {team: ml}", "labels: {team: ml, cost-center: cc1, environment: prod}")})
    run = scan_json(".", cwd=tmp_path)
    tagged = {f["resource"]: f["message"] for f in run.report["findings"] if f["rule_id"] == "FIN-TAG-001"}
    assert list(tagged) == ["RayCluster/default/rc"]
    assert "no cost-center, environment" in tagged["RayCluster/default/rc"]


def test_a_pod_asking_for_neuron_devices_is_priced_on_the_machine_that_holds_them(tmp_path: Path) -> None:
    """data-on-eks: Neuron devices (aws.amazon.com/neuron) were priced at OpenCost's default GPU rate ($0.95/h
    each) plus CPU and memory: 12 devices, $11,557.50 a month. Only inf2.48xlarge has 12: $9,476.33."""
    from linter.pricing.catalog import Catalog

    deployment = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama-70b
  namespace: ml
  labels: {team: ml, cost-center: c1, environment: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: llama}}
  template:
    metadata:
      labels: {app: llama, team: ml, cost-center: c1, environment: prod}
    spec:
      containers:
        - name: vllm
          image: public.ecr.aws/neuron/pytorch-inference-vllm-neuronx:0.9.1-neuronx-py311-sdk2.26.0-ubuntu22.04
          resources:
            requests: {cpu: "100", memory: 300Gi, aws.amazon.com/neuron: 12}
            limits: {aws.amazon.com/neuron: 12}
"""
    write(tmp_path, {"llama.yaml": deployment})
    r = _resources(scan_json(".", cwd=tmp_path))["Deployment/ml/llama-70b"]
    inf2 = Catalog().hourly("aws", "us-east-1", "inf2.48xlarge")
    assert inf2 is not None and r["monthly_cost_usd"] == pytest.approx(inf2.usd_per_hour * 730, abs=0.01)
    assert [c["name"] for c in r["cost_components"]] == ["Pod share of inf2.48xlarge (12 of 12 devices), on-demand"]


def test_a_container_that_loops_on_sleep_runs_no_server(tmp_path: Path) -> None:
    """data-on-eks's Triton SDK client pod (a tritonserver -sdk image) runs `bash -c -- "while true; do sleep 30;
    done"`: it was taken for a Triton server."""
    pod = """apiVersion: v1
kind: Pod
metadata:
  name: triton-client
  namespace: triton
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  containers:
  - name: triton-client
    image: nvcr.io/nvidia/tritonserver:24.05-py3-sdk
    command: ["bash", "-c", "--"]
    args: ["while true; do sleep 30; done;"]
    resources:
      limits: {nvidia.com/gpu: 1}
"""
    write(tmp_path, {"client.yaml": pod, "server.yaml": pod.replace("triton-client", "triton-server").replace(
        '["while true; do sleep 30; done;"]', '["tritonserver --model-repository=s3://models/triton"]')})
    resources = _resources(scan_json(".", cwd=tmp_path))
    assert resources["Pod/triton/triton-client"].get("llm") is None
    assert resources["Pod/triton/triton-server"]["llm"]["server"] == "triton"


def test_an_accelerator_amount_given_as_a_placeholder_is_unknown_not_none(tmp_path: Path) -> None:
    """awsome-distributed-training FSDP jobs: `nvidia.com/gpu: $GPU_PER_NODE` (envsubst fills it in) read as no
    GPUs: the 4 x p5.48xlarge job was priced at $0.00 and exempt from FIN-TAG-001 as "$0.00/month with no GPUs"."""
    job = """apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: llama3-1-8b-fsdp
spec:
  elasticPolicy:
    rdzvBackend: c10d
    minReplicas: 1
    maxReplicas: 64
  pytorchReplicaSpecs:
    Worker:
      replicas: 4
      restartPolicy: OnFailure
      template:
        metadata:
          labels: {app: llama3-1-8b-fsdp}
        spec:
          nodeSelector:
            node.kubernetes.io/instance-type: p5.48xlarge
          containers:
            - name: pytorch
              image: 123456789012.dkr.ecr.us-east-1.amazonaws.com/fsdp:pytorch2.5.1
              command: ["torchrun", "--nproc_per_node=$GPU_PER_NODE", "/fsdp/train.py"]
              resources:
                requests: {nvidia.com/gpu: $GPU_PER_NODE, vpc.amazonaws.com/efa: $EFA_PER_NODE}
                limits: {nvidia.com/gpu: $GPU_PER_NODE, vpc.amazonaws.com/efa: $EFA_PER_NODE}
"""
    write(tmp_path, {"llama3_1_8b-fsdp.yaml": job})
    run = scan_json(".", cwd=tmp_path)
    r = _resources(run)["PyTorchJob/default/llama3-1-8b-fsdp"]
    assert r["monthly_cost_usd"] is None and r["compute"]["gpu"]["kind"] == "gpu"
    assert any("nvidia.com/gpu: $GPU_PER_NODE, not a number" in n for n in r["price_notes"])
    assert [f["rule_id"] for f in run.report["findings"]] == ["FIN-TAG-001"]
    assert run.report["summary"]["unpriced_resources"] == 1


def test_gaudi_accelerators_are_accelerators(tmp_path: Path) -> None:
    """aws-do-eks habana-device-plugin/hl-smi.yaml asks for habana.ai/gaudi: 8 and was priced for its memory
    request alone ($2,165.11); the 8 Gaudis are a whole dl1.24xlarge ($9,569.60)."""
    from linter.pricing.catalog import Catalog

    job = """apiVersion: batch/v1
kind: Job
metadata:
  name: job-hl
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      hostIPC: true
      restartPolicy: OnFailure
      containers:
        - name: job-hl
          image: vault.habana.ai/gaudi-docker/1.18.0/ubuntu22.04/habanalabs/pytorch-installer-2.4.0:latest
          command: ["hl-smi"]
          resources:
            limits: {habana.ai/gaudi: 8, memory: 700Gi, hugepages-2Mi: 21000Mi}
            requests: {habana.ai/gaudi: 8, memory: 700Gi, hugepages-2Mi: 21000Mi}
"""
    write(tmp_path, {"hl-smi.yaml": job})
    r = _resources(scan_json(".", cwd=tmp_path))["Job/default/job-hl"]
    dl1 = Catalog().hourly("aws", "us-east-1", "dl1.24xlarge")
    assert dl1 is not None and r["monthly_cost_usd"] == pytest.approx(dl1.usd_per_hour * 730, abs=0.01)
    assert r["compute"]["gpu"]["count"] == 8 and r["compute"]["gpu"]["vendor"] == "habana"


def test_an_eksctl_cluster_config_with_gpu_node_groups_is_priced(tmp_path: Path) -> None:
    """aws-do-eks conf/eksctl/yaml: 13 ClusterConfigs with p4d/p5 managed node groups left the report without a
    word ("Config" kinds were taken for configuration that runs nothing), then were only noted as not read; each
    node group is now priced (tests/test_precision_eksctl_nodegroups.py): p5 is 2 x $55.04/h x 730 h."""
    config = """apiVersion: eksctl.io/v1alpha5
kind: ClusterConfig

metadata:
  name: do-eks-yaml-p5
  version: "1.30"
  region: us-west-2

availabilityZones:
  - us-west-2a
  - us-west-2b

managedNodeGroups:
  - name: sys
    instanceType: c5.2xlarge
    desiredCapacity: 1
  - name: p5
    instanceType: p5.48xlarge
    instancePrefix: p5
    privateNetworking: true
    efaEnabled: true
    minSize: 0
    desiredCapacity: 2
    maxSize: 10
    volumeSize: 500
    availabilityZones: ["us-west-2a"]
"""
    write(tmp_path, {"eks-gpu-p5.yaml": config})
    run = scan_json(".", cwd=tmp_path)
    assert not any("ClusterConfig" in s["reason"] for s in run.report["skipped"])
    p5 = {r["address"]: r for r in run.report["resources"]}["ClusterConfig/do-eks-yaml-p5/managedNodeGroups/p5"]
    assert (p5["file"], p5["line"], p5["monthly_cost_usd"]) == ("eks-gpu-p5.yaml", 17, 80358.4)


def test_an_elastic_pytorchjob_with_metrics_scales_on_them(tmp_path: Path) -> None:
    """awsome-distributed-training task-governance and aws-do-eks imagenet: elasticPolicy metrics (CPU at 80%)
    make the training operator create an HPA between minReplicas 1 and maxReplicas 36 on GPU workers; it was
    read as no autoscaling, so FIN-SCALE-001 never fired (the same pods as a Deployment with that HPA do)."""
    job = """apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: imagenet-gpu
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  elasticPolicy:
    rdzvBackend: c10d
    minReplicas: 1
    maxReplicas: 36
    maxRestarts: 100
    metrics:
      - type: Resource
        resource:
          name: cpu
          target:
            type: Utilization
            averageUtilization: 80
  pytorchReplicaSpecs:
    Worker:
      replicas: 3
      restartPolicy: OnFailure
      template:
        metadata:
          labels: {team: ml, cost-center: cc-1, environment: prod}
        spec:
          nodeSelector:
            node.kubernetes.io/instance-type: ml.g5.8xlarge
          containers:
            - name: pytorch
              image: 123456789012.dkr.ecr.us-west-2.amazonaws.com/imagenet:latest
              command: ["torchrun", "--nnodes=1:36", "--nproc_per_node=1", "/workspace/train.py"]
              resources:
                limits: {nvidia.com/gpu: 1}
"""
    write(tmp_path, {"imagenet-gpu.yaml": job})
    run = scan_json(".", cwd=tmp_path)
    r = _resources(run)["PyTorchJob/default/imagenet-gpu"]
    assert r["autoscaling"]["metric_kind"] == "cpu" and (r["autoscaling"]["min"], r["autoscaling"]["max"]) == (1, 36)
    scale = run.finding("FIN-SCALE-001", "PyTorchJob/default/imagenet-gpu")
    assert scale and "inference" not in scale["message"]  # a training job: "GPU work", not "GPU inference"


def test_a_custom_kind_named_like_a_core_kind_that_asks_for_gpus_is_noted(tmp_path: Path) -> None:
    """Volcano's vcjob is `kind: Job` of batch.volcano.sh and llmaz's `kind: Service` of inference.llmaz.io: both
    were dropped without a word (not Kubernetes' Job and Service, and not listed as unread kinds). Volcano's
    volcano.sh/gpu-number asks for whole GPUs and read as none."""
    vcjob = """apiVersion: batch.volcano.sh/v1alpha1
kind: Job
metadata:
  name: mindspore-gpu
spec:
  minAvailable: 2
  schedulerName: volcano
  tasks:
    - replicas: 2
      name: mpiworker
      template:
        spec:
          containers:
            - name: mpiworker
              image: lyd911/mindspore-gpu-example:0.2.0
              resources:
                limits: {nvidia.com/gpu: "1"}
"""
    pod = """apiVersion: v1
kind: Pod
metadata:
  name: gpu-pod1
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  schedulerName: volcano
  containers:
    - name: cuda-container
      image: nvidia/cuda:12.4.1-base-ubuntu22.04
      command: ["python", "train.py"]
      resources:
        limits: {volcano.sh/gpu-number: 2}
"""
    write(tmp_path, {"mindspore-gpu.yaml": vcjob, "gpu-pod.yaml": pod})
    run = scan_json(".", cwd=tmp_path)
    assert any(s["file"] == "mindspore-gpu.yaml" and s["line"] == 1 and "batch.volcano.sh" in s["reason"]
               for s in run.report["skipped"])
    assert _resources(run)["Pod/default/gpu-pod1"]["compute"]["gpu"]["count"] == 2


# kserve/kserve docs "Autoscale InferenceService with LLM metrics" (KEDA) and the GKE accelerator annotation, in the
# shape the KServe samples write them
KSERVE_AUTOSCALERS = """
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-keda
  namespace: llm
  labels: {team: ml, cost-center: cc-42, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: "RawDeployment"
    serving.kserve.io/autoscalerClass: "keda"
    sidecar.opentelemetry.io/inject: "llama3-keda-predictor"
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 5
    autoScaling:
      metrics:
        - type: External
          external:
            metric:
              backend: "prometheus"
              serverAddress: "http://prometheus.monitoring.svc.cluster.local:9090"
              query: vllm:num_requests_running
            target:
              type: Value
              value: "2"
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=llama3, --model_id=meta-llama/meta-llama-3-8b-instruct, --max_model_len=8192]
      resources:
        limits: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
        requests: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-keda-cpu
  namespace: llm
  labels: {team: ml, cost-center: cc-42, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: "RawDeployment"
    serving.kserve.io/autoscalerClass: "keda"
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 3
    autoScaling:
      metrics:
        - type: Resource
          resource:
            name: cpu
            target: {type: Utilization, averageUtilization: 60}
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=llama3, --model_id=meta-llama/meta-llama-3-8b-instruct, --max_model_len=8192]
      resources:
        limits: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-external
  namespace: llm
  labels: {team: ml, cost-center: cc-42, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: "Standard"
    serving.kserve.io/autoscalerClass: "external"
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 4
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=llama3, --model_id=meta-llama/meta-llama-3-8b-instruct, --max_model_len=8192]
      resources:
        limits: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-t4
  namespace: llm
  labels: {team: ml, cost-center: cc-42, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: "RawDeployment"
    serving.kserve.io/autoscalerClass: "none"
    serving.kserve.io/gke-accelerator: nvidia-tesla-t4
spec:
  predictor:
    minReplicas: 2
    maxReplicas: 6
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=llama3, --model_id=meta-llama/meta-llama-3-8b-instruct, --max_model_len=8192]
      resources:
        limits: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
---
apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: llama3-memory-hpa
  namespace: llm
  labels: {team: ml, cost-center: cc-42, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: "RawDeployment"
spec:
  predictor:
    minReplicas: 1
    maxReplicas: 3
    autoScaling:
      metrics:
        - type: Resource
          resource:
            name: memory
            target: {type: Utilization, averageUtilization: 70}
    model:
      modelFormat: {name: huggingface}
      args: [--model_name=llama3, --model_id=meta-llama/meta-llama-3-8b-instruct, --max_model_len=8192]
      resources:
        limits: {cpu: "6", memory: 24Gi, nvidia.com/gpu: "1"}
"""


def test_kserve_autoscaler_class_and_metrics_name_the_autoscaler_kserve_makes(tmp_path: Path) -> None:
    """Every raw-deployment InferenceService was given KServe's default CPU HPA: one scaled by KEDA on
    vllm:num_requests_running got FIN-SCALE-001 (high, $3,624.75 exposure), and so did one with autoscalerClass
    none, which has no autoscaler at all. KServe's autoscaler_reconciler.go reads serving.kserve.io/autoscalerClass
    (hpa by default, keda, none, external) and autoScaling.metrics."""
    write(tmp_path, {"isvc.yaml": KSERVE_AUTOSCALERS})
    run = scan_json(".", cwd=tmp_path)
    res = _resources(run)
    keda = res["InferenceService/llm/llama3-keda"]["autoscaling"]
    assert (keda["metric_kind"], keda["min"], keda["max"], keda["target"]) == ("requests", 1, 5, 2.0)
    assert keda["metric"] == "KEDA prometheus: vllm:num_requests_running (KServe autoscalerClass keda)"
    assert res["InferenceService/llm/llama3-external"]["autoscaling"]["metric_kind"] == "unknown"
    assert "autoscaling" not in res["InferenceService/llm/llama3-t4"]
    assert "KServe autoscalerClass none: no autoscaler, the predictor runs minReplicas pods" in \
        res["InferenceService/llm/llama3-t4"]["price_notes"]
    flagged = {f["resource"]: f for f in run.findings("FIN-SCALE-001")}
    assert set(flagged) == {"InferenceService/llm/llama3-keda-cpu", "InferenceService/llm/llama3-memory-hpa"}
    assert "scales out on KEDA cpu utilization (KServe autoscalerClass keda)" in \
        flagged["InferenceService/llm/llama3-keda-cpu"]["message"]
    assert "scales out on memory utilization (KServe HPA)" in flagged["InferenceService/llm/llama3-memory-hpa"]["message"]
    cpu = res["InferenceService/llm/llama3-keda-cpu"]
    assert abs(flagged["InferenceService/llm/llama3-keda-cpu"]["impact"]["monthly_usd"]
               - cpu["monthly_cost_usd"] * 2) < 0.05  # 3 replicas at most, 1 priced now


def test_kserve_gke_accelerator_annotation_is_the_node_selector_kserve_injects(tmp_path: Path) -> None:
    """serving.kserve.io/gke-accelerator: nvidia-tesla-t4 is the cloud.google.com/gke-accelerator node selector
    KServe's pod webhook adds to a predictor with GPU limits (accelerator_injector.go). It was ignored: the GPU was
    priced as an unknown model at $0.95/GPU-h ($1,387.00 for two pods) instead of the T4's $0.35."""
    write(tmp_path, {"isvc.yaml": KSERVE_AUTOSCALERS})
    run = scan_json(".", cwd=tmp_path)
    t4 = _resources(run)["InferenceService/llm/llama3-t4"]
    assert t4["compute"]["gpu"]["model"] == "T4" and t4["compute"]["count"] == 2
    assert t4["region"] == "us-central1"
    gpu_line = next(c for c in t4["cost_components"] if c["name"].startswith("GPU"))
    assert (gpu_line["price_usd"], gpu_line["monthly_usd"]) == (0.35, 511.0)  # 2 pods x 1 T4 x $0.35 x 730 h


def test_dynamo_graph_deployment_bare_gpu_limits_are_noted(tmp_path: Path) -> None:
    """NVIDIA Dynamo's DynamoGraphDeployment v1alpha1 asks for GPUs as ``resources.limits.gpu: "1"``
    (ai-dynamo/dynamo examples/backends/sglang/deploy/agg.yaml): the kind is not read, and it left the report
    without the "not scanned" note that other accelerator-asking kinds get."""
    agg = """apiVersion: nvidia.com/v1alpha1
kind: DynamoGraphDeployment
metadata:
  name: sglang-agg
spec:
  services:
    Frontend:
      dynamoNamespace: sglang-agg
      componentType: frontend
      replicas: 1
      extraPodSpec:
        mainContainer:
          image: nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.8.0
    decode:
      envFromSecret: hf-token-secret
      dynamoNamespace: sglang-agg
      componentType: worker
      replicas: 1
      resources:
        limits:
          gpu: "1"
      extraPodSpec:
        mainContainer:
          image: nvcr.io/nvidia/ai-dynamo/sglang-runtime:0.8.0
          command: [python3, -m, dynamo.sglang]
          args: [--model-path, Qwen/Qwen3-0.6B, --tp, "1"]
"""
    write(tmp_path, {"deploy/agg.yaml": agg, "deploy/cpu-only.yaml": agg.replace('gpu: "1"', 'cpu: "4"')})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["skipped"] == [{
        "file": "deploy/agg.yaml", "line": 2, "reason": "DynamoGraphDeployment asks for GPUs or other accelerators, "
        "but finops-lint does not read the DynamoGraphDeployment kind: its cost is not in the report"}]


# rh-aiservices-bu/llm-on-openshift llm-servers/hf_tgi: a TGI Deployment, its ClusterIP Service and the Route that
# the README says to create "to expose the server outside of your OpenShift cluster"
OPENSHIFT_TGI = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: hf-text-generation-inference-server
  namespace: llm-hosting
  labels: {app: hf-text-generation-inference-server, team: ml, cost-center: cc-3, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: hf-text-generation-inference-server}
  template:
    metadata:
      labels: {app: hf-text-generation-inference-server, team: ml, cost-center: cc-3, environment: prod}
    spec:
      containers:
        - name: server
          image: ghcr.io/huggingface/text-generation-inference:2.0.4
          env:
            - {name: MODEL_ID, value: mistralai/Mistral-7B-Instruct-v0.2}
            - {name: MAX_INPUT_LENGTH, value: "1024"}
            - {name: MAX_TOTAL_TOKENS, value: "2048"}
          ports:
            - {name: http, containerPort: 3000, protocol: TCP}
          resources:
            limits: {cpu: "8", memory: 24Gi, nvidia.com/gpu: "1"}
            requests: {cpu: "4", memory: 16Gi, nvidia.com/gpu: "1"}
---
kind: Service
apiVersion: v1
metadata:
  name: hf-text-generation-inference-server
  namespace: llm-hosting
spec:
  ports:
    - {name: http, protocol: TCP, port: 3000, targetPort: http}
  selector: {app: hf-text-generation-inference-server}
---
kind: Route
apiVersion: route.openshift.io/v1
metadata:
  name: hf-text-generation-inference-server
  namespace: llm-hosting
  labels: {app: hf-text-generation-inference-server}
ANNOTATIONS
spec:
  to:
    kind: Service
    name: hf-text-generation-inference-server
    weight: 100
  port: {targetPort: http}
  tls: {termination: edge}
  wildcardPolicy: None
"""


def test_openshift_route_exposes_the_server_it_routes_to(tmp_path: Path) -> None:
    """An OpenShift Route publishes a Service on the cluster's router, as an Ingress does; it was not read, so a
    GPU TGI server behind one had no FIN-LLM-002. The OpenShift router's rate-limit annotations count."""
    limited = "  annotations:\n    haproxy.router.openshift.io/rate-limit-connections: \"true\"\n" \
              "    haproxy.router.openshift.io/rate-limit-connections.rate-http: \"20\""
    write(tmp_path, {"open/hf_tgi.yaml": OPENSHIFT_TGI.replace("ANNOTATIONS\n", ""),
                     "limited/hf_tgi.yaml": OPENSHIFT_TGI.replace("ANNOTATIONS", limited)})
    run = scan_json(".", cwd=tmp_path)
    found = run.findings("FIN-LLM-002")
    assert [(f["file"], f["resource"]) for f in found] == [
        ("open/hf_tgi.yaml", "Deployment/llm-hosting/hf-text-generation-inference-server")]
    server = next(r for r in run.report["resources"] if r["address"] == found[0]["resource"]
                  and r["file"] == "open/hf_tgi.yaml")
    line = OPENSHIFT_TGI.replace("ANNOTATIONS\n", "").splitlines().index("kind: Route") + 1
    assert f"public Route: Route/llm-hosting/hf-text-generation-inference-server (open/hf_tgi.yaml:{line})" in \
        server["llm"]["public_evidence"]
    limited_server = next(r for r in run.report["resources"] if r["file"] == "limited/hf_tgi.yaml"
                          and r["type"] == "Deployment")
    assert limited_server["llm"]["rate_limits"] == [
        'haproxy.router.openshift.io/rate-limit-connections: true (connections (OpenShift router)) on '
        'Route/llm-hosting/hf-text-generation-inference-server']


def test_a_client_image_named_after_vllm_openai_runs_no_server(tmp_path: Path) -> None:
    """llm-on-openshift's Gradio RAG UI image gradio-rag-milvus-vllm-openai calls a vLLM server; it was taken for
    one (FIN-LLM-001 'sets no cap on tokens', fix '--max-model-len'). An image whose name starts with vllm-openai
    (vllm/vllm-openai, Red Hat's vllm-openai-ubi9) still is one."""
    ui = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: gradio-rag-milvus
  namespace: rag
  labels: {app: gradio-rag-milvus, team: ml, cost-center: cc-3, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: gradio-rag-milvus}
  template:
    metadata:
      labels: {app: gradio-rag-milvus, team: ml, cost-center: cc-3, environment: prod}
    spec:
      containers:
        - name: server
          image: quay.io/rh-aiservices-bu/gradio-rag-milvus-vllm-openai:latest
          ports: [{containerPort: 7860, protocol: TCP}]
          env:
            - {name: INFERENCE_SERVER_URL, value: "http://vllm.llm-hosting.svc.cluster.local:8000/v1"}
            - {name: MAX_TOKENS, value: "1024"}
          resources:
            requests: {cpu: 200m, memory: 256Mi}
"""
    server = ui.replace("gradio-rag-milvus", "vllm").replace(
        "quay.io/rh-aiservices-bu/vllm-vllm-openai:latest", "quay.io/rh-aiservices-bu/vllm-openai-ubi9:0.4.2")
    write(tmp_path, {"ui/deployment.yaml": ui, "server/deployment.yaml": server})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    assert "llm" not in res["Deployment/rag/gradio-rag-milvus"]
    assert res["Deployment/rag/vllm"]["llm"]["server"] == "vllm"
    assert [f["resource"] for f in run.findings("FIN-LLM-001")] == ["Deployment/rag/vllm"]


def test_an_autoscaler_whose_maximum_is_its_minimum_is_not_flagged(tmp_path: Path) -> None:
    """llm-on-openshift's docling InferenceService has minReplicas 1 and maxReplicas 1: KServe's CPU HPA cannot
    add a replica, yet FIN-SCALE-001 said CPU-based scaling misfires ('between 1 and 1')."""
    isvc = """apiVersion: serving.kserve.io/v1beta1
kind: InferenceService
metadata:
  name: docling
  namespace: docling
  labels: {team: ml, cost-center: cc-3, environment: prod}
  annotations:
    serving.kserve.io/deploymentMode: RawDeployment
spec:
  predictor:
    maxReplicas: MAX
    minReplicas: 1
    nodeSelector: {node.kubernetes.io/instance-type: g4dn.xlarge}
    model:
      modelFormat: {name: Docling}
      runtime: docling
      resources:
        limits: {cpu: '4', memory: 12Gi, nvidia.com/gpu: '1'}
        requests: {cpu: '2', memory: 8Gi, nvidia.com/gpu: '1'}
"""
    write(tmp_path, {"fixed/isvc.yaml": isvc.replace("MAX", "1"), "scaled/isvc.yaml": isvc.replace("MAX", "3")})
    run = scan_json(".", cwd=tmp_path)
    assert [f["file"] for f in run.findings("FIN-SCALE-001")] == ["scaled/isvc.yaml"]


def test_neuroncores_choose_the_node_by_the_chips_cores(tmp_path: Path) -> None:
    """aws-neuron-eks-samples pins only an instance family and asks for NeuronCores. The node type was chosen with
    NeuronCores counted at 2 a chip, so 4 Inferentia cores (one inf1 chip holds 4) needed 'two chips': inf1.6xlarge,
    with 3 of its 4 chips reported idle (FIN-GPU-002). inf1.xlarge holds the pod: $0.228/h x 730 h."""
    pod = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: bert-inf1
  namespace: inference
  labels: {team: ml, cost-center: cc-3, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: bert}
  template:
    metadata:
      labels: {app: bert, team: ml, cost-center: cc-3, environment: prod}
    spec:
      nodeSelector:
        karpenter.k8s.aws/instance-family: inf1
      containers:
        - name: app
          image: public.ecr.aws/neuron/pytorch-inference-neuron:1.13.1-neuron-py310-sdk2.20.2-ubuntu20.04
          resources:
            requests: {aws.amazon.com/neuroncore: 4, cpu: 1, memory: 4Gi}
            limits: {aws.amazon.com/neuroncore: 4}
"""
    write(tmp_path, {"bert.yaml": pod})
    run = scan_json(".", cwd=tmp_path)
    bert = _resources(run)["Deployment/inference/bert-inf1"]
    assert bert["compute"]["instance_type"] == "inf1.xlarge"
    assert bert["monthly_cost_usd"] == 166.44
    assert not run.findings("FIN-GPU-002")


# NVIDIA/k8s-dra-driver-gpu demo/specs/quickstart and aws-neuron-eks-samples speculative_decoding_trn2_vllm: GPUs and
# Neuron devices claimed through Dynamic Resource Allocation, in the v1 (exactly:) and v1beta1 (count:) shapes
DRA_VLLM = """apiVersion: resource.k8s.io/v1
kind: ResourceClaimTemplate
metadata:
  name: four-gpus
  namespace: llm
spec:
  spec:
    devices:
      requests:
      - name: gpus
        exactly:
          deviceClassName: gpu.nvidia.com
          allocationMode: ExactCount
          count: 4
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-llama
  namespace: llm
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 2
  selector:
    matchLabels: {app: vllm-llama}
  template:
    metadata:
      labels: {app: vllm-llama, team: ml, cost-center: cc-1, environment: prod}
    spec:
      nodeSelector:
        node.kubernetes.io/instance-type: g6.12xlarge
      resourceClaims:
      - name: gpus
        resourceClaimTemplateName: four-gpus
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.11.0
        args: ["--model", "meta-llama/Llama-3.1-70B-Instruct", "--tensor-parallel-size", "4",
               "--quantization", "awq", "--max-model-len", "8192"]
        resources:
          requests: {cpu: "8", memory: 64Gi}
          claims:
          - name: gpus
"""

DRA_NEURON = """apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: xl-trn1
spec:
  spec:
    devices:
      constraints:
      - matchAttribute: resource.aws.com/devicegroup8_id
        requests:
        - neurons
      requests:
      - allocationMode: ExactCount
        count: 16
        deviceClassName: neuron.aws.com
        name: neurons
        selectors:
        - cel:
            expression: device.attributes['neuron.aws.com'].instanceType == 'trn1.32xlarge'
---
apiVersion: resource.k8s.io/v1beta1
kind: ResourceClaimTemplate
metadata:
  name: mig-slices
spec:
  spec:
    devices:
      requests:
      - name: mig
        deviceClassName: mig.nvidia.com
---
apiVersion: batch/v1
kind: Job
metadata:
  name: llama-pretrain
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      restartPolicy: OnFailure
      resourceClaims:
      - name: neurons
        resourceClaimTemplateName: xl-trn1
      containers:
      - name: train
        image: public.ecr.aws/neuron/pytorch-training-neuronx:2.1.2-neuronx-py310-sdk2.20.2-ubuntu20.04
        command: [torchrun, --nproc_per_node=32, pretrain.py]
        resources:
          claims:
          - name: neurons
---
apiVersion: v1
kind: Pod
metadata:
  name: notebook-mig
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  resourceClaims:
  - name: mig
    resourceClaimTemplateName: mig-slices
  containers:
  - name: jupyter
    image: quay.io/jupyter/pytorch-notebook:cuda12-latest
    resources:
      claims:
      - name: mig
"""


def test_gpus_claimed_through_dynamic_resource_allocation_are_priced(tmp_path: Path) -> None:
    """A pod that claims its GPUs through a ResourceClaimTemplate (resource.k8s.io) was priced as if it had none:
    vLLM on 2 x g6.12xlarge claiming 4 gpu.nvidia.com devices came out at $2,239.45 for its CPU and memory, with
    no GPU rule. It is now priced as the pods with nvidia.com/gpu: 4 are (2 x $4.6016 x 730 h); 16 Neuron devices
    on trn1.32xlarge (named by the claim's CEL selector) are the whole node; a MIG slice's price is unknown."""
    write(tmp_path, {"serving/vllm.yaml": DRA_VLLM, "training/dra.yaml": DRA_NEURON})
    run = scan_json(".", cwd=tmp_path)
    res = _resources(run)
    vllm = res["Deployment/llm/vllm-llama"]
    assert vllm["compute"]["gpu"]["count"] == 4 and vllm["compute"]["gpu"]["model"] == "L4"
    assert vllm["monthly_cost_usd"] == 6718.34
    assert "claims 4 gpu.nvidia.com device(s) through ResourceClaimTemplate four-gpus (serving/vllm.yaml:1)" in \
        vllm["compute"]["evidence"]
    train = res["Job/default/llama-pretrain"]
    assert train["compute"]["instance_type"] == "trn1.32xlarge"
    assert train["monthly_cost_usd"] == round(21.5 * 730, 2)
    assert train["compute"]["gpu"] == {"model": "Trainium", "count": 16.0, "memory_gib": 32.0, "vendor": "aws",
                                       "kind": "accelerator"}
    mig = res["Pod/default/notebook-mig"]
    assert mig["monthly_cost_usd"] is None
    assert any("DRA device class mig.nvidia.com" in n for n in mig["price_notes"])


def test_a_resource_claim_shared_by_pods_is_paid_once(tmp_path: Path) -> None:
    """NVIDIA k8s-dra-driver-gpu gpu-test3: one ResourceClaim (not a template) gives one GPU that two pods share.
    Each pod counted the whole GPU: two GPUs' worth for one. Each now carries half."""
    shared = """apiVersion: resource.k8s.io/v1
kind: ResourceClaim
metadata:
  namespace: gpu-test3
  name: single-gpu
spec:
  devices:
    requests:
    - name: gpu
      exactly:
        deviceClassName: gpu.nvidia.com
""" + "".join(f"""---
apiVersion: v1
kind: Pod
metadata:
  namespace: gpu-test3
  name: pod{i}
  labels: {{app: pod, team: ml, cost-center: cc-1, environment: prod}}
spec:
  containers:
  - name: ctr
    image: ubuntu:22.04
    command: ["bash", "-c"]
    args: ["nvidia-smi -L; trap 'exit 0' TERM; sleep 9999 & wait"]
    resources:
      claims:
      - name: shared-gpu
  resourceClaims:
  - name: shared-gpu
    resourceClaimName: single-gpu
""" for i in (1, 2))
    write(tmp_path, {"gpu-test3.yaml": shared})
    run = scan_json(".", cwd=tmp_path)
    pods = [r for r in run.report["resources"] if r["type"] == "Pod"]
    assert [r["compute"]["gpu"]["count"] for r in pods] == [0.5, 0.5]
    assert sum(r["monthly_cost_usd"] for r in pods) == 693.5  # one GPU of unknown model at $0.95 x 730 h
    assert "claims 1 gpu.nvidia.com device(s) through ResourceClaim single-gpu (gpu-test3.yaml:1), shared by the 2 " \
        "pods that name it" in pods[0]["compute"]["evidence"]


# aws-neuron-eks-samples flux_serve: a compile Job on the on-demand Trainium NodePool, after the spot node selector
# that FIN-GPU-001 used to suggest was added
NEURON_POOL = """apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: amd-neuron-trn1
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      requirements:
        - key: karpenter.k8s.aws/instance-family
          operator: In
          values: ["trn1"]
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["on-demand"]
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: amd-neuron}
  limits:
    cpu: 1000
  disruption:
    consolidationPolicy: WhenEmptyOrUnderutilized
    consolidateAfter: 10m
---
apiVersion: batch/v1
kind: Job
metadata:
  name: compile-1024x576
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      restartPolicy: OnFailure
      nodeSelector:
        karpenter.sh/nodepool: amd-neuron-trn1
        karpenter.sh/capacity-type: spot
      containers:
      - name: compile
        image: public.ecr.aws/neuron/pytorch-training-neuronx:2.1.2-neuronx-py310-sdk2.20.0-ubuntu20.04
        command: [python, compile.py, --height, "576", --width, "1024"]
        resources:
          limits:
            aws.amazon.com/neuron: 16
"""


def test_a_pod_selector_that_contradicts_its_nodepool_does_not_replace_it(tmp_path: Path) -> None:
    """The pod's node selector replaced its NodePool's requirement of the same key: a Job selecting spot on a
    NodePool that allows only on-demand was priced on spot ($2,668.15) with no finding, though Karpenter can launch
    no node for it. Both apply: the pool's on-demand price stays, FIN-GPU-001 says to change the NodePool, and the
    evidence names the conflict."""
    write(tmp_path, {"flux/compile.yaml": NEURON_POOL})
    run = scan_json(".", cwd=tmp_path)
    job = _resources(run)["Job/default/compile-1024x576"]
    assert job["compute"]["purchase"] == "on_demand" and job["monthly_cost_usd"] == 15695.0  # trn1.32xlarge $21.50
    assert "the pod's karpenter.sh/capacity-type In ['spot'] conflicts with Karpenter NodePool 'amd-neuron-trn1' " \
        "(karpenter.sh/capacity-type In ['on-demand']): no node of the pool matches both, so the pod stays pending; " \
        "priced as the pool's" in job["compute"]["evidence"]
    spot = run.finding("FIN-GPU-001", "Job/default/compile-1024x576")
    assert spot["remediation"].startswith("Its pods run on Karpenter NodePool 'amd-neuron-trn1'")


def test_a_pod_that_asks_for_all_of_a_machine_does_not_fit_it(tmp_path: Path) -> None:
    """The kubelet, system daemons and the eviction threshold always reserve part of a node's CPU and memory, so a
    pod asking for all 16 vCPUs and 64 GiB of a g6.4xlarge cannot run there; it was placed on one (and priced as
    it). The same for a GKE pod asking for g2-standard-8's whole 32 GB: g2-standard-12 is the cheapest that holds
    it."""
    pod = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
  namespace: serving
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 1
  selector:
    matchLabels: {app: NAME}
  template:
    metadata:
      labels: {app: NAME, team: ml, cost-center: cc-1, environment: prod}
    spec:
      nodeSelector: SELECTOR
      containers:
        - name: server
          image: nvcr.io/nvidia/tritonserver:24.05-py3
          resources:
            requests: {cpu: "CPU", memory: MEM, nvidia.com/gpu: 1}
            limits: {nvidia.com/gpu: 1}
"""
    eks = pod.replace("NAME", "triton-eks").replace("SELECTOR", "{karpenter.k8s.aws/instance-family: g6}") \
        .replace("CPU", "16").replace("MEM", "64Gi")
    gke = pod.replace("NAME", "triton-gke").replace("SELECTOR", "{cloud.google.com/gke-accelerator: nvidia-l4}") \
        .replace("CPU", "6").replace("MEM", "32Gi")
    write(tmp_path, {"eks.yaml": eks, "gke.yaml": gke})
    run = scan_json(".", cwd=tmp_path)
    res = _resources(run)
    assert res["Deployment/serving/triton-eks"]["compute"]["instance_type"] == "g6.8xlarge"
    gke_lines = [c["name"] for c in res["Deployment/serving/triton-gke"]["cost_components"]]
    assert gke_lines == ["Pod share of g2-standard-12 (1 of 1 GPUs), on-demand"]


def test_eks_auto_mode_instance_labels_pin_the_node(tmp_path: Path) -> None:
    """CyrusTC/aws-eks-llm-perf-test: an EKS Auto Mode NodePool narrows its nodes with eks.amazonaws.com/instance-family
    and instance-size, the labels Auto Mode puts on its nodes (Karpenter's karpenter.k8s.aws/ ones under another
    name). They were not read: the 8-GPU vLLM Deployment was priced at OpenCost's $0.95/GPU-h, not g5.48xlarge."""
    pool = """apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      nodeClassRef: {group: eks.amazonaws.com, kind: NodeClass, name: default}
      taints: [{key: nvidia.com/gpu, value: "true", effect: NoSchedule}]
      requirements:
        - {key: eks.amazonaws.com/instance-family, operator: In, values: [g5]}
        - {key: eks.amazonaws.com/instance-size, operator: In, values: [48xlarge]}
        - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
  disruption: {consolidationPolicy: WhenEmpty, consolidateAfter: 30s}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: llm, namespace: llm, labels: {team: ml, cost-center: cc-1, environment: prod}}
spec:
  replicas: 1
  selector: {matchLabels: {app: llm}}
  template:
    metadata: {labels: {app: llm, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {karpenter.sh/nodepool: gpu}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
        - name: llm
          image: vllm/vllm-openai:v0.10.1
          args: ["--model", "openai/gpt-oss-20b", "--tensor-parallel-size", "8", "--max-model-len", "8192"]
          resources: {limits: {nvidia.com/gpu: "8"}}
"""
    write(tmp_path, {"nodepool.yaml": pool})
    run = scan_json(".", cwd=tmp_path)
    llm = _resources(run)["Deployment/llm/llm"]
    assert llm["compute"]["instance_type"] == "g5.48xlarge"
    assert llm["monthly_cost_usd"] == round(16.288 * 730, 2)  # Karpenter's us-east-1 price of g5.48xlarge


def _gpt_oss(name: str, size: str, selector: str, gpus: int, args: str, requests: str = "") -> str:
    """vLLM's gpt-oss recipe as a Deployment (the EKS Auto Mode sample above serves gpt-oss-20b the same way)."""
    return f"""
apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  namespace: inference
  labels: {{app: {name}, team: ml-platform, cost-center: cc-4410, environment: prod}}
spec:
  replicas: 2
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata: {{labels: {{app: {name}, team: ml-platform, cost-center: cc-4410, environment: prod}}}}
    spec:
      nodeSelector: {selector}
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.10.1
        args: ["--model", "openai/gpt-oss-{size}", {args}]
        ports: [{{containerPort: 8000}}]
        resources:
          requests: {{{requests}nvidia.com/gpu: "{gpus}"}}
          limits: {{nvidia.com/gpu: "{gpus}"}}
"""


def test_gpt_oss_is_sized_by_its_published_mxfp4_checkpoint(tmp_path: Path) -> None:
    """gpt-oss ships its MoE weights in MXFP4: the model card gives 12.8 GiB for gpt-oss-20b's 20.91 B parameters,
    and half its layers attend over a 128-token window. Sized at 16 bits (20 B x 2 = 37.3 GiB plus an estimated KV
    cache), it did not fit the L40S it runs on, so FIN-GPU-005 stayed silent; it fits one L4."""
    write(tmp_path, {"gpt-oss-20b.yaml": _gpt_oss(
        "gpt-oss-20b", "20b", "{node.kubernetes.io/instance-type: g6e.xlarge, topology.kubernetes.io/region: us-east-1}",
        1, '"--max-model-len", "16384"')})
    run = scan_json(".", cwd=tmp_path)
    finding = run.finding("FIN-GPU-005", "Deployment/inference/gpt-oss-20b")
    assert (finding["file"], finding["line"]) == ("gpt-oss-20b.yaml", 2)
    assert "(~13.2 GiB with its KV cache) on 1x L40S (44.7 GiB); it fits g6.xlarge (1x L4) as is" in finding["message"]
    catalog = json.loads((Path(__file__).parent.parent / "linter/pricing/data/aws.json").read_text())
    price = {t: price_entry(catalog, "us-east-1", t)["usd_per_hour"] for t in ("g6e.xlarge", "g6.xlarge")}
    assert finding["impact"]["monthly_usd"] == round((price["g6e.xlarge"] - price["g6.xlarge"]) * 2 * 730, 2)
    assumptions = finding["impact"]["assumptions"]
    assert any("a 12.8 GiB checkpoint for 20.91 B parameters" in a for a in assumptions)
    assert any("2 x 12 full-attention layers of 24 x 8 KV heads x 64" in a for a in assumptions)


def test_gpt_oss_120b_fits_one_80_gb_gpu_and_is_not_told_to_quantize(tmp_path: Path) -> None:
    """gpt-oss-120b on two H100s: 60.8 GiB of MXFP4 weights need neither the second GPU nor a 4-bit AWQ copy (it is
    4-bit already). Sized at 16 bits (233.7 GiB) it did not fit the 160 GiB it has, and no finding was made."""
    write(tmp_path, {"gpt-oss-120b.yaml": _gpt_oss(
        "gpt-oss-120b", "120b", "{cloud.google.com/gke-accelerator: nvidia-h100-80gb, "
        "topology.kubernetes.io/region: us-central1}", 2, '"--tensor-parallel-size", "2", "--max-model-len", "32768"',
        'cpu: "20", memory: 160Gi, ')})
    run = scan_json(".", cwd=tmp_path)
    finding = run.finding("FIN-GPU-005", "Deployment/inference/gpt-oss-120b")
    assert "(~61.9 GiB with its KV cache) on 2x H100 (160 GiB)" in finding["message"]
    assert "quantized" not in finding["message"]
    assert finding["impact"]["suggested"]["instance_type"] == "g2-standard-48"  # 4x L4: 96 GiB per pod
    catalog = json.loads((Path(__file__).parent.parent / "linter/pricing/data/gcp.json").read_text())
    price = {t: price_entry(catalog, "us-central1", t)["usd_per_hour"] for t in ("a3-highgpu-2g", "g2-standard-48")}
    assert finding["impact"]["monthly_usd"] == round((price["a3-highgpu-2g"] - price["g2-standard-48"]) * 2 * 730, 2)


def test_a_pod_bigger_than_every_allowed_machine_is_not_said_to_fit_one(tmp_path: Path) -> None:
    """A vLLM pod asking for 16 GPUs and 300 vCPUs on the g5 family fits no g5 machine (the largest has 8 GPUs and
    192 vCPUs). Its evidence said "g5.xlarge: the cheapest of 8 catalog types the node labels allow that fits the
    pod" and, two lines down, that it does not fit; it now says none fits, and why it cannot be scheduled."""
    write(tmp_path, {"giant.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: giant
  namespace: ml
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: giant}}
  template:
    metadata: {labels: {app: giant, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {karpenter.k8s.aws/instance-family: g5, topology.kubernetes.io/region: us-east-1}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-405B-Instruct", "--tensor-parallel-size", "16"]
          resources:
            requests: {cpu: "300", memory: 1800Gi}
            limits: {nvidia.com/gpu: "16"}
"""})
    run = scan_json(".", cwd=tmp_path)
    pod = _resources(run)["Deployment/ml/giant"]
    evidence = pod["compute"]["evidence"]
    assert not any("that fits the pod" in e for e in evidence)
    assert "node type g5.xlarge: none of the 8 catalog types the node labels allow fits the pod's requests; the " \
           "cheapest of them" in evidence
    assert any("requests 16 GPUs, more than a g5.xlarge node has (1); it cannot be scheduled there" in a
               for a in pod["price_notes"])


def test_a_jinja_template_of_a_manifest_is_not_called_a_helm_chart(tmp_path: Path) -> None:
    """An Ansible role's Jinja template of a vLLM Deployment (`{{ replicas }}`, `{% if %}`) was skipped as "render the
    chart with `helm template`": it is no chart. The note now says it is a template, where it stops parsing, and to
    render it."""
    write(tmp_path, {"roles/vllm/templates/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: {{ model_name }}-vllm
  namespace: {{ namespace }}
spec:
  replicas: {{ replicas }}
  selector:
    matchLabels: {app: vllm}
  template:
    metadata:
      labels: {app: vllm}
    spec:
{% if gpu_node_selector is defined %}
      nodeSelector: {{ gpu_node_selector | to_json }}
{% endif %}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          resources:
            limits: {nvidia.com/gpu: {{ gpus }}}
"""})
    run = scan_json(".", cwd=tmp_path)
    [skipped] = [s for s in run.report["skipped"] if s["file"] == "roles/vllm/templates/deployment.yaml"]
    assert "helm template" not in skipped["reason"].split("(`helm template` for a chart)")[0]
    assert skipped["reason"].startswith("a template: its '{{ }}' placeholders do not parse as YAML until rendered")
    assert skipped["line"] == 4


_AWS = json.loads((Path(__file__).parent.parent / "linter/pricing/data/aws.json").read_text())
# aws/karpenter-provider-aws examples/v1/multiple-arch.yaml and windows-2022.yaml, as teams copy them
GRAVITON_AND_WINDOWS = """apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: arm64
  labels: {team: platform, cost-center: cc-7, environment: prod}
spec:
  template:
    spec:
      requirements:
        - key: kubernetes.io/arch
          operator: In
          values: ["arm64"]
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["on-demand"]
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: ["c", "a"]
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  limits:
    cpu: 64
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: Never
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: windows2022
  labels: {team: platform, cost-center: cc-7, environment: prod}
spec:
  template:
    spec:
      requirements:
        - key: kubernetes.io/os
          operator: In
          values: ["windows"]
        - key: kubernetes.io/arch
          operator: In
          values: ["amd64"]
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["on-demand"]
        - key: karpenter.k8s.aws/instance-category
          operator: In
          values: ["c", "m", "r"]
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: windows2022}
  limits:
    cpu: 20
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: Never
---
apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: x86-gpu
  labels: {team: platform, cost-center: cc-7, environment: prod}
spec:
  template:
    spec:
      requirements:
        - {key: kubernetes.io/arch, operator: In, values: ["amd64"]}
        - {key: karpenter.k8s.aws/instance-family, operator: In, values: ["g5g", "g5"]}
        - {key: karpenter.sh/capacity-type, operator: In, values: ["on-demand"]}
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: default}
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: Never
"""


def test_node_architecture_and_windows_are_not_priced_as_linux_x86(tmp_path: Path) -> None:
    """karpenter-provider-aws's examples: an arm64 NodePool was priced as c5.large (x86, "the cheapest of 29
    catalog types the node labels allow") and a Windows one at the Linux rate without a word. kubernetes.io/arch now
    narrows the catalog (Graviton families by their name: g5g is arm64, g5 amd64), and Windows nodes say the
    licence is not in the figure."""
    write(tmp_path, {"nodepools.yaml": GRAVITON_AND_WINDOWS})
    res = _resources(scan_json(".", cwd=tmp_path))
    arm = res["NodePool/arm64"]
    assert arm["monthly_cost_usd"] is None and arm["compute"]["instance_type"] is None
    assert "no aws catalog machine type meets the node labels (kubernetes.io/arch In ['arm64']; " \
           "karpenter.k8s.aws/instance-category In ['c', 'a'])" in arm["compute"]["evidence"]
    windows = res["NodePool/windows2022"]
    assert windows["compute"]["instance_type"] == "c5.large"
    assert windows["monthly_cost_usd"] == round(price_entry(_AWS, "us-east-1", "c5.large")["usd_per_hour"] * 730, 2)
    assert "Windows nodes (kubernetes.io/os In [windows]): priced at the catalog's Linux rate; the Windows licence " \
           "is not included" in windows["price_notes"]
    gpu = res["NodePool/x86-gpu"]  # g5g (Graviton + T4G, $0.42/h) is cheaper, but arm64
    x86 = [t for t, spec in _AWS["machine_types"].items() if spec["family"] == "g5"]
    assert gpu["compute"]["instance_type"] == "g5.xlarge"
    assert f"node type g5.xlarge: the cheapest of {len(x86)} catalog types the node labels allow that fits " \
           "the pod" in gpu["compute"]["evidence"]


def test_an_inference_service_of_another_api_group_is_listed_as_not_read(tmp_path: Path) -> None:
    """sgl-project/ome: an ome.io InferenceService serving Llama 3.1 70B on a 4-GPU runtime left the report without
    a word (its GPUs are in a ClusterServingRuntime, a kind that describes, not runs). It is now listed under "not
    scanned" with its line."""
    write(tmp_path, {"isvc.yaml": """apiVersion: ome.io/v1beta1
kind: InferenceService
metadata:
  name: llama-3-1-70b-instruct
  namespace: llama-3-1-70b-instruct
spec:
  model:
    name: llama-3-1-70b-instruct
  engine:
    minReplicas: 1
    maxReplicas: 1
  runtime:
    name: srt-llama-3-1-70b-instruct
"""})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["skipped"] == [{"file": "isvc.yaml", "line": 1, "reason": (
        "InferenceService (ome.io/v1beta1) is not the InferenceService finops-lint reads (serving.kserve.io): a "
        "workload of another API group, whose pods and cost are not in the report")}]


MAIN_TF = """provider "aws" {
  region = "us-west-2"
  default_tags {
    tags = { team = "ml", cost-center = "cc-1", environment = "prod" }
  }
}

resource "aws_eks_node_group" "llm" {
  cluster_name    = "ml"
  node_group_name = "llm-g5"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["g5.2xlarge"]
  capacity_type   = "ON_DEMAND"
  labels = {
    workload = "llm"
  }
  taint {
    key    = "dedicated"
    value  = "llm"
    effect = "NO_SCHEDULE"
  }
  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 4
  }
}
"""
SERVE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  namespace: llm
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 2
  selector: {matchLabels: {app: vllm}}
  template:
    metadata: {labels: {app: vllm, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {workload: llm}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources: {limits: {nvidia.com/gpu: 1}}
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-tolerating
  namespace: llm
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm-t}}
  template:
    metadata: {labels: {app: vllm-t, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {workload: llm}
      tolerations: [{key: dedicated, operator: Equal, value: llm, effect: NoSchedule}]
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources: {limits: {nvidia.com/gpu: 1}}
"""


def test_a_pod_that_does_not_tolerate_its_node_groups_taint_is_said_to_stay_pending(tmp_path: Path) -> None:
    """llm-on-gke's pool taints its nodes llmworkload=true:NoSchedule and the vLLM pod selecting it has no
    toleration: linked and priced on the pool without a word, though the scheduler never places it there. The
    evidence now says so (a pod that tolerates the taint, or asks for the GPU the taint is named after, does not
    get the note)."""
    write(tmp_path, {"main.tf": MAIN_TF, "serve.yaml": SERVE})
    res = _resources(scan_json(".", cwd=tmp_path))
    note = ("EKS node group 'llm-g5' taints its nodes dedicated=llm:NoSchedule, which the pod does not tolerate: as "
            "written it stays Pending there (add the toleration)")
    assert note in res["Deployment/llm/vllm"]["compute"]["evidence"]
    assert note not in res["Deployment/llm/vllm-tolerating"]["compute"]["evidence"]
    assert "selects EKS node group 'llm-g5' (its requirements apply)" in res["Deployment/llm/vllm"]["compute"]["evidence"]


def test_an_unpriced_spot_pod_does_not_quote_only_its_on_demand_rate(tmp_path: Path) -> None:
    """gke-infra-pulumi's vLLM pod runs on a spot L4 pool where the catalog has no price: its FIN-TAG-001 quoted
    "one pod on demand $0.95/h" (OpenCost's GPU rate) for spend it calls unpriced. The assumptions now say the pod
    is bought on spot, with no spot price known."""
    write(tmp_path, {"d.yaml": (Path(__file__).parent / "fixtures" / "spot_unpriced_gke.yaml").read_text()})
    finding = scan_json(".", cwd=tmp_path).finding("FIN-TAG-001", "Deployment/serving/llm-inference")
    assert "not priced" in finding["message"]
    assert "bought on spot: no spot price is known for it, so its month is not priced" in \
        finding["impact"]["assumptions"]


def test_gpu_pods_beyond_their_node_groups_max_size_are_said_to_stay_pending(tmp_path: Path) -> None:
    """Six 1-GPU vLLM replicas on an EKS node group of g5.2xlarge (1 GPU each) whose max_size is 4: two of them can
    never be scheduled, and nothing said so. The pods' price notes now do."""
    serve = SERVE.replace("replicas: 2", "replicas: 6").replace("  replicas: 1\n", "  replicas: 3\n")
    write(tmp_path, {"main.tf": MAIN_TF, "serve.yaml": serve})
    res = _resources(scan_json(".", cwd=tmp_path))
    assert "node pool aws_eks_node_group.llm has at most 4 node(s) of 1 GPU(s): 4 of these 6 pods of 1 GPU(s) fit, " \
           "the rest stay Pending unless its maximum size is raised" in res["Deployment/llm/vllm"]["price_notes"]
    assert not [n for n in res["Deployment/llm/vllm-tolerating"].get("price_notes", []) if "Pending" in n]  # 3 <= 4


def test_a_ray_cluster_without_its_autoscaler_keeps_its_replicas(tmp_path: Path) -> None:
    """kai-scheduler's examples/ray: workers with replicas 2, minReplicas 1, maxReplicas 5 and no
    enableInTreeAutoscaling. min/maxReplicas bound the Ray autoscaler; without it KubeRay keeps the 2 replicas, so
    a dev cluster's GPU workers never scale to zero. It was read as a floor of minReplicas (0 here) and
    FIN-GPU-003 stayed silent."""
    write(tmp_path, {"raycluster.yaml": """apiVersion: ray.io/v1
kind: RayCluster
metadata:
  name: ray-dev
  namespace: research
  labels: {team: ml, cost-center: cc-1, environment: dev}
spec:
  rayVersion: '2.46.0'
  headGroupSpec:
    rayStartParams: {}
    template:
      spec:
        containers:
          - name: ray-head
            image: rayproject/ray:2.46.0
            resources: {requests: {cpu: "1", memory: 4Gi}}
  workerGroupSpecs:
    - groupName: gpu-workers
      replicas: 2
      minReplicas: 0
      maxReplicas: 5
      rayStartParams: {}
      template:
        spec:
          containers:
            - name: ray-worker
              image: rayproject/ray:2.46.0-gpu
              resources: {limits: {nvidia.com/gpu: "1"}}
"""})
    run = scan_json(".", cwd=tmp_path)
    ray = _resources(run)["RayCluster/research/ray-dev"]
    assert (ray["compute"]["count"], ray["compute"]["min"], ray["compute"]["max"]) == (2, 2, 2)
    finding = run.finding("FIN-GPU-003", "RayCluster/research/ray-dev")
    assert finding["message"].startswith("RayCluster/research/ray-dev keeps 2x GPU pod (1x GPU each) running in dev")


def test_neuroncores_on_no_pinned_node_count_at_the_machines_own_chip(tmp_path: Path) -> None:
    """Project-HAMi's awsneuron examples ask for aws.amazon.com/neuroncore with no node pinned: 1 core was priced
    as half an Inferentia chip ($83.22) and 32 cores as 16 chips of inf1.24xlarge ($3,446.33). An Inferentia chip
    has 4 NeuronCores: 1 core is a quarter of inf1.xlarge, 32 cores half of inf1.24xlarge."""
    pod = """apiVersion: v1
kind: Pod
metadata:
  name: NAME
  namespace: default
  labels: {team: ml, cost-center: cc-1, environment: prod}
spec:
  containers:
    - name: neuron
      image: public.ecr.aws/neuron/pytorch-inference-neuron:1.13.1-neuron-py310-sdk2.20.2-ubuntu20.04
      resources:
        limits: {aws.amazon.com/neuroncore: CORES}
        requests: {cpu: "1", memory: 1Gi}
"""
    write(tmp_path, {f"n{n}.yaml": pod.replace("NAME", f"neuron-{n}").replace("CORES", str(n)) for n in (1, 32)})
    res = _resources(scan_json(".", cwd=tmp_path))
    hourly = {t: price_entry(_AWS, "us-east-1", t)["usd_per_hour"] for t in ("inf1.xlarge", "inf1.24xlarge")}
    assert res["Pod/default/neuron-1"]["monthly_cost_usd"] == round(0.25 * hourly["inf1.xlarge"] * 730, 2)
    assert res["Pod/default/neuron-32"]["monthly_cost_usd"] == round(8 / 16 * hourly["inf1.24xlarge"] * 730, 2)
    assert [c["name"] for c in res["Pod/default/neuron-32"]["cost_components"]] == \
        ["Pod share of inf1.24xlarge (8 of 16 devices), on-demand"]


def test_accelerators_of_vendors_the_catalog_does_not_price_are_not_no_accelerators(tmp_path: Path) -> None:
    """Project-HAMi's examples ask for huawei.com/Ascend910B3 NPUs and cambricon.com/mlu: the pods were read as
    asking for nothing ("no CPU, memory or GPU requests: priced at $0") and so below the tagging floor. They now
    ask for an accelerator no catalog machine carries: priced unknown, and FIN-TAG-001 keeps them in scope."""
    write(tmp_path, {"npu.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: mindspore-infer
  namespace: ascend
spec:
  replicas: 4
  selector: {matchLabels: {app: mindspore-infer}}
  template:
    metadata: {labels: {app: mindspore-infer}}
    spec:
      containers:
        - name: infer
          image: ascendhub.huawei.com/public-ascendhub/ascend-mindspore:23.0.RC3-centos7
          resources:
            limits:
              huawei.com/Ascend910B3: 8
"""})
    run = scan_json(".", cwd=tmp_path)
    npu = _resources(run)["Deployment/ascend/mindspore-infer"]
    assert npu["monthly_cost_usd"] is None
    assert (npu["compute"]["gpu"]["kind"], npu["compute"]["gpu"]["vendor"]) == ("accelerator", "huawei.com")
    assert "pods: asks for huawei.com/Ascend910B3: 8, an accelerator no catalog machine carries, so its monthly " \
           "cost is unknown" in npu["price_notes"]
    assert run.finding("FIN-TAG-001", "Deployment/ascend/mindspore-infer")


def test_a_local_kind_cluster_config_is_not_a_gpu_workload_left_unread(tmp_path: Path) -> None:
    """kai-scheduler's hack/e2e-kind-config.yaml labels kind's local nodes with nvidia.com/gpu settings: it was
    listed as "Cluster asks for GPUs ... its cost is not in the report", though a kind cluster runs in local
    Docker and costs nothing. A Karpenter-like unread kind with GPUs still gets the note."""
    write(tmp_path, {"e2e-kind-config.yaml": """kind: Cluster
apiVersion: kind.x-k8s.io/v1alpha4
nodes:
- role: control-plane
- role: worker
  labels:
    nvidia.com/gpu.deploy.device-plugin: "true"
    nvidia.com/gpu.memory: 11441
""", "lws.yaml": """apiVersion: example.com/v1
kind: GangWorkload
metadata: {name: trainer}
spec:
  template:
    spec:
      containers:
        - name: t
          image: pytorch/pytorch:2.3.0-cuda12.1-cudnn8-runtime
          resources: {limits: {nvidia.com/gpu: 8}}
"""})
    skipped = scan_json(".", cwd=tmp_path).report["skipped"]
    assert [s["file"] for s in skipped] == ["lws.yaml"]


def test_the_gpu_feature_discovery_product_label_names_the_gpu(tmp_path: Path) -> None:
    """NVIDIA gpu-operator's tests/plugin-test.yaml selects nvidia.com/gpu.product: Tesla-T4-SHARED, the label GPU
    Feature Discovery puts on nodes on every cloud. The GPU was "unknown model"; it is now a T4 (and an
    NVIDIA-A100-SXM4-80GB an 80 GB A100), with the label as evidence."""
    pod = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: NAME
  namespace: default
spec:
  replicas: 1
  selector: {matchLabels: {app: NAME}}
  template:
    metadata: {labels: {app: NAME}}
    spec:
      nodeSelector: {nvidia.com/gpu.product: PRODUCT}
      containers:
        - name: cuda
          image: nvcr.io/nvidia/k8s/cuda-sample:vectoradd-cuda12.5.0
          resources: {limits: {nvidia.com/gpu: 1}}
"""
    write(tmp_path, {"t4.yaml": pod.replace("NAME", "plugin-test").replace("PRODUCT", "Tesla-T4-SHARED"),
                     "a100.yaml": pod.replace("NAME", "a100").replace("PRODUCT", "NVIDIA-A100-SXM4-80GB")})
    res = _resources(scan_json(".", cwd=tmp_path))
    t4, a100 = res["Deployment/default/plugin-test"]["compute"], res["Deployment/default/a100"]["compute"]
    assert t4["gpu"]["model"] == "T4" and "nvidia.com/gpu.product=Tesla-T4-SHARED: T4" in t4["evidence"]
    assert (a100["gpu"]["model"], a100["gpu"]["memory_gib"]) == ("A100", 80)
