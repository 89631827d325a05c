"""The rules on Kubernetes workloads, node pools and autoscalers, with dollar figures from the catalog."""

from __future__ import annotations

import math
import textwrap
from pathlib import Path

import pytest

from conftest import ROOT, scan_json, write
from linter.pricing.catalog import Catalog

FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"
HOURS = 730
IDLE = 0.7  # config usage.idle_fraction default


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def hourly(cat: Catalog, machine: str, region: str = "us-east-1", provider: str = "aws") -> float:
    price = cat.hourly(provider, region, machine)
    assert price is not None, machine
    return price.usd_per_hour


def gpus(cat: Catalog, machine: str, provider: str = "aws") -> float:
    return float(cat.machine(provider, machine)["gpu"]["count"])


def spot(cat: Catalog, family: str, provider: str = "aws") -> float:
    d = cat.spot_discount(provider, family, "gpu")
    assert d is not None
    return d.fraction


LABELS = "team: ml, cost-center: cc-1, environment: production"


def deployment(name: str, *, ns: str = "llm", replicas: int | None = 1, gpus_per_pod: int = 1,
               selector: str = "node.kubernetes.io/instance-type: p4d.24xlarge", labels: str = LABELS,
               image: str = "vllm/vllm-openai:v0.6.3", extra_spec: str = "", args: str = "") -> str:
    """A Helm-rendered Deployment document; ``extra_spec`` is YAML for the pod spec (unindented)."""
    lines = ["---", f"# Source: chart/templates/{name}.yaml", "apiVersion: apps/v1", "kind: Deployment",
             "metadata:", f"  name: {name}", f"  namespace: {ns}", f"  labels: {{{labels}}}", "spec:"]
    if replicas is not None:
        lines.append(f"  replicas: {replicas}")
    lines += ["  template:", "    metadata:", f"      labels: {{app: {name}}}", "    spec:",
              f"      nodeSelector: {{{selector}}}"]
    lines += ["      " + ln for ln in textwrap.dedent(extra_spec).splitlines() if ln.strip()]
    lines += ["      containers:", "        - name: server", f"          image: {image}"]
    if args:
        lines.append(f"          args: {args}")
    lines += ["          resources:", '            requests: {cpu: "4", memory: 16Gi}',
              f"            limits: {{nvidia.com/gpu: {gpus_per_pod}, memory: 16Gi}}"]
    return "\n".join(lines) + "\n"


# ---------------------------------------------------------------------------------------------
# FIN-GPU-004 stranded-gpus

def test_stranded_gpus_priced_from_the_catalog(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"app.yaml": deployment("llama", replicas=1)})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-004", "Deployment/llm/llama")
    node = hourly(cat, "p4d.24xlarge")
    n = gpus(cat, "p4d.24xlarge")
    assert (f["file"], f["line"], f["severity"]) == ("app.yaml", 3, "high")
    assert f["impact"]["kind"] == "savings"
    assert f["impact"]["monthly_usd"] == pytest.approx(round((n - 1) * node / n * HOURS, 2), abs=0.01)
    assert f["monthly_cost_usd"] == pytest.approx(round(node / n * HOURS, 2), abs=0.01)
    assert "7 GPU(s) on 1 node(s)" in f["message"]
    assert any("a single pod" in a for a in f["impact"]["assumptions"])


def test_stranded_gpus_pack_replicas_before_counting_idle(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"full.yaml": deployment("full", replicas=8),       # 8 x 1 GPU fill one p4d exactly
                     "three.yaml": deployment("three", replicas=3),     # 3 x 1 GPU share one p4d: 5 idle
                     "spread.yaml": deployment("spread", replicas=3, extra_spec="""\
                         affinity:
                           podAntiAffinity:
                             requiredDuringSchedulingIgnoredDuringExecution:
                               - topologyKey: kubernetes.io/hostname
                                 labelSelector: {matchLabels: {app: spread}}
                         """)})                                          # one per node: 3 x 7 idle
    run = scan_json(".", cwd=tmp_path)
    per_gpu = hourly(cat, "p4d.24xlarge") / gpus(cat, "p4d.24xlarge")
    assert run.findings("FIN-GPU-004") and not [f for f in run.findings("FIN-GPU-004")
                                                if f["resource"] == "Deployment/llm/full"]
    three = run.finding("FIN-GPU-004", "Deployment/llm/three")
    assert three["impact"]["monthly_usd"] == pytest.approx(round(5 * per_gpu * HOURS, 2), abs=0.01)
    spread = run.finding("FIN-GPU-004", "Deployment/llm/spread")
    assert spread["impact"]["monthly_usd"] == pytest.approx(round(21 * per_gpu * HOURS, 2), abs=0.01)
    assert any("anti-affinity" in a for a in spread["impact"]["assumptions"])


def test_stranded_gpus_not_when_the_node_matches_or_nothing_is_pinned(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": deployment("whole-node", gpus_per_pod=8),
                     "b.yaml": deployment("one-gpu-node", selector="node.kubernetes.io/instance-type: g5.xlarge"),
                     "c.yaml": deployment("unpinned", selector="app: x")})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-GPU-004") == []


def test_stranded_gpus_through_a_karpenter_gpu_name(tmp_path: Path, cat: Catalog) -> None:
    # "a100" on AWS: Karpenter can only launch p4d (8 GPUs) for this pod
    write(tmp_path, {"a.yaml": deployment("a100", selector="karpenter.k8s.aws/instance-gpu-name: a100")})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-004", "Deployment/llm/a100")
    cheapest = min(("p4d.24xlarge", "p4de.24xlarge"),
                   key=lambda t: cat.hourly("aws", "us-east-1", t).usd_per_hour if cat.hourly("aws", "us-east-1", t)
                   else math.inf)
    assert cheapest in f["message"]


# ---------------------------------------------------------------------------------------------
# FIN-SCALE-001 on HPAs and KEDA

HPA_CPU = """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: NAME, namespace: llm}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: NAME}
  minReplicas: 2
  maxReplicas: 6
  metrics:
    - type: Resource
      resource: {name: cpu, target: {type: Utilization, averageUtilization: 70}}
"""

KEDA_QUEUE = """\
---
apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata: {name: NAME, namespace: llm}
spec:
  scaleTargetRef: {name: NAME}
  minReplicaCount: 1
  maxReplicaCount: 6
  triggers:
    - type: prometheus
      metadata:
        serverAddress: http://prometheus:9090
        query: sum(vllm:num_requests_waiting{model_name="llama"})
        threshold: "4"
"""

HPA_GPU = """\
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata: {name: NAME, namespace: llm}
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: NAME}
  minReplicas: 1
  maxReplicas: 4
  metrics:
    - type: External
      external:
        metric: {name: DCGM_FI_DEV_GPU_UTIL, selector: {matchLabels: {app: NAME}}}
        target: {type: AverageValue, averageValue: "80"}
"""


def test_cpu_hpa_on_gpu_inference_exposure(tmp_path: Path, cat: Catalog) -> None:
    g5 = "node.kubernetes.io/instance-type: g5.xlarge"
    write(tmp_path, {"vllm.yaml": deployment("vllm", selector=g5) + HPA_CPU.replace("NAME", "vllm")})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-SCALE-001", "Deployment/llm/vllm")
    per_pod_month = hourly(cat, "g5.xlarge") * HOURS  # 1 of 1 GPU: the whole node
    assert f["monthly_cost_usd"] == pytest.approx(round(2 * per_pod_month, 2), abs=0.01)  # HPA floor 2
    assert f["impact"]["kind"] == "exposure"
    assert f["impact"]["monthly_usd"] == pytest.approx(round((6 - 2) * per_pod_month, 2), abs=0.02)
    assert "HorizontalPodAutoscaler/llm/vllm" in f["message"]


def test_queue_keda_and_gpu_metric_hpa_are_compliant(tmp_path: Path) -> None:
    g5 = "node.kubernetes.io/instance-type: g5.xlarge"
    capped = '["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]'
    write(tmp_path, {"a.yaml": deployment("queued", selector=g5, replicas=None, args=capped)
                     + KEDA_QUEUE.replace("NAME", "queued"),
                     "b.yaml": deployment("gpu-util", selector=g5, args=capped) + HPA_GPU.replace("NAME", "gpu-util")})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 0, run.findings()
    res = {r["address"]: r for r in run.report["resources"]}
    assert res["Deployment/llm/queued"]["autoscaling"]["metric_kind"] == "queue"
    assert res["Deployment/llm/queued"]["compute"]["min"] == 1
    assert res["Deployment/llm/gpu-util"]["autoscaling"]["metric_kind"] == "gpu"


def test_cpu_hpa_on_a_cpu_web_app_is_fine(tmp_path: Path) -> None:
    web = textwrap.dedent(f"""\
        apiVersion: apps/v1
        kind: Deployment
        metadata: {{name: api-server, namespace: llm-serving, labels: {{{LABELS}}}}}
        spec:
          template:
            metadata: {{labels: {{app: api}}}}
            spec:
              containers:
                - name: api
                  image: ghcr.io/acme/api:1.0
                  resources: {{requests: {{cpu: 500m, memory: 512Mi}}}}
        """) + HPA_CPU.replace("NAME", "api-server").replace("namespace: llm", "namespace: llm-serving")
    write(tmp_path, {"web.yaml": web})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 0 and run.findings() == []


def test_keda_cpu_trigger_in_fixture_list_and_v1_hpa(cat: Catalog) -> None:
    run = scan_json("serving", cwd=FIXTURES)
    f = run.finding("FIN-SCALE-001", "Deployment/genai/qwen25-7b-tgi")  # autoscaling/v1 targetCPUUtilizationPercentage
    assert "cpu utilization" in f["message"]
    # qwen: 2 of 4 A10G on g5.12xlarge in us-west-2 (topology.kubernetes.io/region)
    node = hourly(cat, "g5.12xlarge", "us-west-2")
    assert f["monthly_cost_usd"] == pytest.approx(round(node / 2 * HOURS, 2), abs=0.01)
    # 1..6 replicas of a 2-GPU pod, two per 4-GPU node: 1 node now, 3 at the maximum, 2 whole nodes more
    assert f["impact"]["monthly_usd"] == pytest.approx(round(2 * node * HOURS, 2), abs=0.02)
    # bge-embed scales on CPU *and* DCGM GPU utilisation: the HPA follows whichever asks for more replicas, so a
    # CPU spike still adds GPU pods. 2 pods priced now, 10 at the maximum: exposure is 8 more pods at the same price.
    bge = run.finding("FIN-SCALE-001", "Deployment/genai/bge-embed")
    assert "scales out on cpu utilization via HorizontalPodAutoscaler/genai/bge-embed" in bge["message"]
    assert bge["impact"]["monthly_usd"] == pytest.approx(bge["monthly_cost_usd"] / 2 * 8, abs=0.05)  # cents x 4
    assert any("scales on DCGM_FI_DEV_GPU_UTIL between 2 and 10; cpu utilization also adds capacity" in a
               for a in bge["impact"]["assumptions"])
    assert bge["remediation"].startswith("Remove the cpu utilization metric")
    # the ignore annotation suppresses FIN-GPU-004 on qwen
    assert not [x for x in run.findings("FIN-GPU-004") if x["resource"] == "Deployment/genai/qwen25-7b-tgi"]
    assert run.report["summary"]["suppressed"] == 1


# ---------------------------------------------------------------------------------------------
# FIN-GPU-001 gpu-on-demand-for-batch

PYTORCHJOB = """\
apiVersion: kubeflow.org/v1
kind: PyTorchJob
metadata:
  name: bert-pretrain
  namespace: training
  labels: {LABELS}
spec:
  pytorchReplicaSpecs:
    Master:
      replicas: 1
      template:
        spec:
          nodeSelector: {node.kubernetes.io/instance-type: p4d.24xlarge, CAPACITY}
          containers:
            - name: pytorch
              image: acme/train:1
              resources: {limits: {nvidia.com/gpu: 8}}
    Worker:
      replicas: 3
      template:
        spec:
          nodeSelector: {node.kubernetes.io/instance-type: p4d.24xlarge, CAPACITY}
          containers:
            - name: pytorch
              image: acme/train:1
              resources: {limits: {nvidia.com/gpu: 8}}
"""


@pytest.mark.parametrize(("capacity", "fires"), [
    ("karpenter.sh/capacity-type: on-demand", True),
    ("eks.amazonaws.com/capacityType: ON_DEMAND", True),
    ("karpenter.sh/capacity-type: spot", False),
    ("app: x", False),  # capacity type not pinned: purchase unknown, no finding
])
def test_training_job_on_demand(tmp_path: Path, cat: Catalog, capacity: str, fires: bool) -> None:
    write(tmp_path, {"job.yaml": PYTORCHJOB.replace("CAPACITY", capacity).replace("LABELS", "{" + LABELS + "}")})
    run = scan_json(".", cwd=tmp_path)
    found = run.findings("FIN-GPU-001")
    if not fires:
        assert found == []
        return
    f = run.finding("FIN-GPU-001", "PyTorchJob/training/bert-pretrain")
    node = hourly(cat, "p4d.24xlarge")
    assert f["line"] == 1 and "for training on demand" in f["message"]
    assert f["monthly_cost_usd"] == pytest.approx(4 * node * HOURS, abs=0.02)  # Master + Worker components
    assert f["impact"]["monthly_usd"] == pytest.approx(round(4 * node * HOURS * spot(cat, "p4d"), 2), abs=0.05)


# ---------------------------------------------------------------------------------------------
# FIN-GPU-003 idle-gpu-capacity

def test_staging_gpu_deployment_always_on(tmp_path: Path, cat: Catalog) -> None:
    sel = "node.kubernetes.io/instance-type: g6.xlarge, karpenter.sh/capacity-type: spot"
    write(tmp_path, {"s.yaml": deployment("chat", ns="llm-staging", selector=sel,
                                          labels="team: a, cost-center: b, environment: staging")})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-003", "Deployment/llm-staging/chat")
    pod = hourly(cat, "g6.xlarge") * (1 - spot(cat, "g6"))
    assert "in staging" in f["message"] and "1x GPU pod" in f["message"]
    assert f["impact"]["monthly_usd"] == pytest.approx(round(pod * HOURS * IDLE, 2), abs=0.01)


def test_idle_rule_spares_scale_to_zero_jobs_and_production(tmp_path: Path) -> None:
    sel = "node.kubernetes.io/instance-type: g6.xlarge"
    keda_zero = KEDA_QUEUE.replace("NAME", "dev-zero").replace("namespace: llm", "namespace: dev") \
        .replace("minReplicaCount: 1", "minReplicaCount: 0")
    job = textwrap.dedent("""\
        apiVersion: batch/v1
        kind: Job
        metadata: {name: nightly-embed, namespace: dev, labels: {team: a, cost-center: b, environment: dev}}
        spec:
          template:
            spec:
              restartPolicy: Never
              nodeSelector: {node.kubernetes.io/instance-type: g6.xlarge}
              containers:
                - {name: e, image: acme/embed:1, resources: {limits: {nvidia.com/gpu: 1}}}
        """)
    write(tmp_path, {"a.yaml": deployment("dev-zero", ns="dev", selector=sel, replicas=None,
                                          labels="team: a, cost-center: b, environment: dev") + keda_zero,
                     "b.yaml": job,
                     "c.yaml": deployment("prod", selector=sel)})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-GPU-003") == []


def test_ray_cluster_floor_counts_gpu_pods_only() -> None:
    run = scan_json("training/jobs.yaml", cwd=FIXTURES)
    resources = {r["address"]: r for r in run.report["resources"]}
    tune = resources["RayCluster/research-dev/ray-tune-dev"]
    assert tune["compute"]["count"] == 0 and tune["autoscaling"]["metric_kind"] == "queue"
    # the CPU head is priced at OpenCost default rates; the GPU workers scale from zero, so the total is unknown
    head = [c for c in tune["cost_components"] if c["name"].startswith("head")]
    assert head and all(c["monthly_usd"] > 0 for c in head)
    assert tune["monthly_cost_usd"] is None
    assert any("scales from zero" in n and "a month at max capacity" in n for n in tune["price_notes"])
    assert [f["resource"] for f in run.findings("FIN-GPU-003")] == ["RayCluster/research-dev/ray-notebook-dev"]
    assert "keeps 3x GPU pod" in run.findings("FIN-GPU-003")[0]["message"]


NODEPOOL = """\
apiVersion: karpenter.sh/v1
kind: NodePool
metadata: {name: NAME}
spec:
  template:
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
      requirements:
        - {key: karpenter.k8s.aws/instance-family, operator: In, values: [g5]}
        - {key: karpenter.k8s.aws/instance-gpu-count, operator: In, values: ["1"]}
        - {key: karpenter.sh/capacity-type, operator: In, values: [spot]}
  disruption:
DISRUPTION
"""


@pytest.mark.parametrize(("disruption", "fires"), [
    ("    consolidationPolicy: WhenEmpty\n    consolidateAfter: Never", True),
    ("    consolidationPolicy: WhenEmptyOrUnderutilized\n    budgets:\n      - nodes: \"0\"", True),
    ("    consolidationPolicy: WhenEmpty\n    consolidateAfter: 5m", False),
    ("    consolidationPolicy: WhenEmptyOrUnderutilized\n    budgets:\n      - nodes: \"0\"\n"
     "        schedule: \"0 9 * * mon-fri\"\n        duration: 8h", False),
])
def test_nodepool_that_cannot_consolidate(tmp_path: Path, cat: Catalog, disruption: str, fires: bool) -> None:
    write(tmp_path, {"np.yaml": NODEPOOL.replace("NAME", "gpu-serve").replace("DISRUPTION", disruption)})
    run = scan_json(".", cwd=tmp_path)
    found = run.findings("FIN-GPU-003")
    if not fires:
        assert found == []
        return
    f = run.finding("FIN-GPU-003", "NodePool/gpu-serve")
    cheapest = min((t for t, s in cat.data("aws")["machine_types"].items()
                    if s.get("family") == "g5" and (s.get("gpu") or {}).get("count") == 1
                    and cat.hourly("aws", "us-east-1", t)), key=lambda t: hourly(cat, t))
    assert cheapest in f["message"] and "Karpenter consolidation" in f["message"]
    node = hourly(cat, cheapest) * (1 - spot(cat, "g5"))
    assert f["impact"]["monthly_usd"] == pytest.approx(round(node * HOURS * IDLE, 2), abs=0.01)


def test_v1alpha5_provisioner_without_ttl() -> None:
    run = scan_json("nodepools", cwd=FIXTURES)
    assert [f["resource"] for f in run.findings("FIN-GPU-003")] == ["Provisioner/gpu-legacy"]
    res = {r["address"]: r for r in run.report["resources"]}
    batch = res["NodePool/gpu-batch"]  # v1beta1, WhenUnderutilized, spot or on-demand
    assert batch["compute"]["instance_type"] == "g5.xlarge" and batch["compute"]["on_demand_share"] is None
    assert batch["monthly_cost_usd"] is None  # node count follows the pods


# ---------------------------------------------------------------------------------------------
# FIN-TAG-001 on workloads

def test_labels_from_pod_template_workload_and_namespace(tmp_path: Path, cat: Catalog) -> None:
    ns = textwrap.dedent("""\
        apiVersion: v1
        kind: Namespace
        metadata:
          name: search
          labels: {team: search, cost-center: cc-5}
        """)
    write(tmp_path, {
        "ns.yaml": ns,
        "a.yaml": deployment("in-labelled-ns", ns="search", labels="environment: production",
                             selector="node.kubernetes.io/instance-type: g5.xlarge"),
        "b.yaml": deployment("untagged", ns="other", labels="app.kubernetes.io/name: x",
                             selector="node.kubernetes.io/instance-type: g5.xlarge"),
    })
    run = scan_json(".", cwd=tmp_path)
    (f,) = run.findings("FIN-TAG-001")
    assert f["resource"] == "Deployment/other/untagged"
    assert "team, cost-center, environment" in f["message"] and "label" in f["message"]
    assert f["impact"] == {"kind": "unattributed", "monthly_usd": round(hourly(cat, "g5.xlarge") * HOURS, 2),
                           "assumptions": f["impact"]["assumptions"]}


def test_yaml_comment_ignore_on_the_line_above(tmp_path: Path) -> None:
    doc = deployment("shared").replace("apiVersion: apps/v1",
                                       "# finops-lint:ignore FIN-GPU-004 shares the node with the draft model\n"
                                       "apiVersion: apps/v1")
    write(tmp_path, {"a.yaml": doc})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-GPU-004") == [] and run.report["summary"]["suppressed"] == 1
