"""Kustomize overlays are rendered in-process (linter/sources/kubernetes/kustomize.py), not priced as their base.

GoogleCloudPlatform/accelerated-platforms serves vLLM from ``base/`` plus one overlay per GPU and model that patches
the GPU count (``patch-resources.yaml``) and the node selector; teams add ``overlays/{dev,prod}`` that raise
replicas, pin the vLLM image and add cost labels. finops-lint priced the base as written (1 replica, 1 GPU, no cost
labels: FIN-TAG-001) and listed the patches as "not a manifest". Each overlay now gives its own objects, at the
base's file and line, saying which overlay rendered them. A kustomization using a feature outside the subset
(accelerated-platforms' ``replacements``) is noted with its line and read as before.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, scan_json, write
from linter.pricing.catalog import price_entry
from linter.sources.kubernetes.kustomize_patch import json6902, strategic_merge

FIXTURES = ROOT / "tests" / "fixtures" / "precision_kustomize"
GCP = json.loads((ROOT / "linter" / "pricing" / "data" / "gcp.json").read_text())
G2_8_HOUR = price_entry(GCP, "us-central1", "g2-standard-8")["usd_per_hour"]  # 1x L4
G2_24_HOUR = price_entry(GCP, "us-central1", "g2-standard-24")["usd_per_hour"]  # 2x L4
G2_4_HOUR = price_entry(GCP, "us-central1", "g2-standard-4")["usd_per_hour"]  # 1x L4, for a pod asking no CPU/memory


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_each_overlay_is_priced_as_it_deploys_the_base() -> None:
    run = scan_json(str(FIXTURES / "vllm"), "--no-cache", cwd=FIXTURES)
    resources = _resources(run)
    assert sorted(resources) == ["Deployment/llm-dev/vllm-dev", "Deployment/llm-prod/vllm", "Service/llm-dev/vllm-dev",
                                 "Service/llm-prod/vllm"]
    prod, dev = resources["Deployment/llm-prod/vllm"], resources["Deployment/llm-dev/vllm-dev"]
    # prod: replicas: 4 and a patch raising the GPUs to 2 per pod -> 4 x g2-standard-24 (2x L4)
    assert prod["monthly_cost_usd"] == round(4 * G2_24_HOUR * 730, 2) == 5842.43
    assert prod["compute"]["gpu"]["count"] == 2 and prod["llm"]["tensor_parallel"] == 2  # the JSON 6902 patch
    assert dev["monthly_cost_usd"] == round(1 * G2_8_HOUR * 730, 2) == 623.15
    for r in (prod, dev):  # the object is written in the base: findings point there
        assert (r["file"], r["line"]) == ("vllm/base/deployment.yaml", 1)
    assert "rendered by vllm/overlays/prod/kustomization.yaml" in prod["price_notes"]
    assert "rendered by vllm/overlays/prod/kustomization.yaml" in prod["compute"]["evidence"]
    assert prod["workload"]["evidence"] == ["runs vLLM (vllm/vllm-openai:v0.9.1)"]  # images: newTag
    assert prod["links"]["exposed_by"] == "Service/llm-prod/vllm"
    gpu5 = {f["resource"]: f for f in run.findings("FIN-GPU-005")}
    assert gpu5["Deployment/llm-prod/vllm"]["monthly_cost_usd"] == 5842.43
    assert gpu5["Deployment/llm-prod/vllm"]["line"] == 1


def test_labels_an_overlay_adds_count_for_cost_allocation() -> None:
    """Before: the base had no team/cost-center labels: FIN-TAG-001 on Deployment/default/vllm ($623.15)."""
    run = scan_json(str(FIXTURES / "vllm"), "--no-cache", cwd=FIXTURES)
    assert not run.findings("FIN-TAG-001")
    tags = _resources(run)["Deployment/llm-dev/vllm-dev"]["tags"]
    assert tags["environment"] == "dev" and tags["cost-center"] == "cc-1234"  # labels[].includeTemplates
    dev3 = {f["resource"]: f for f in run.findings("FIN-GPU-003")}
    assert "environment=dev" in dev3["Deployment/llm-dev/vllm-dev"]["message"]


def test_a_feature_outside_the_subset_is_noted_with_its_line() -> None:
    run = scan_json(str(FIXTURES / "vllm"), "--no-cache", cwd=FIXTURES)
    notes = [s for s in run.report["skipped"] if s["file"] == "vllm/overlays/staging/kustomization.yaml"
             and s.get("line") == 18]
    assert notes and notes[0]["reason"].startswith("Kustomize `replacements` is not rendered by finops-lint")
    staging = [s for s in run.report["skipped"] if s["file"] == "vllm/overlays/staging/kustomization.yaml"]
    assert staging == notes  # one note, the one that says why (not also "kustomization, not a manifest")
    skipped = {s["file"] for s in run.report["skipped"]}
    assert "vllm/overlays/staging/patch-replicas.yaml" in skipped  # its patch: not applied, still noted
    assert "vllm/overlays/prod/patch-resources.yaml" not in skipped  # applied
    assert "vllm/overlays/prod/kustomization.yaml" not in skipped


BASE = {
    "base/kustomization.yaml": "resources:\n- deployment.yaml\n- hpa.yaml\n",
    "base/deployment.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  labels: {app: vllm, team: ml, cost-center: cc-1}
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm}}
  template:
    metadata:
      labels: {app: vllm, team: ml, cost-center: cc-1}
    spec:
      nodeSelector: {cloud.google.com/gke-accelerator: nvidia-l4, topology.kubernetes.io/region: us-central1}
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.8.5
        args: ["--model=Qwen/Qwen2.5-7B-Instruct", "--max-model-len=8192"]
        resources:
          limits: {nvidia.com/gpu: "1"}
""",
    "base/hpa.yaml": """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: vllm
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
  minReplicas: 1
  maxReplicas: 2
  metrics:
  - type: Pods
    pods:
      metric: {name: vllm_num_requests_waiting}
      target: {type: AverageValue, averageValue: "5"}
""",
}


def test_two_overlays_of_one_base_are_two_resources(tmp_path: Path) -> None:
    write(tmp_path, {**BASE,
                     "overlays/a/kustomization.yaml": "resources:\n- ../../base\n",
                     "overlays/b/kustomization.yaml": "resources:\n- ../../base\npatches:\n- target: {kind: "
                     "HorizontalPodAutoscaler}\n  patch: |-\n    - op: replace\n      path: /spec/minReplicas\n"
                     "      value: 3\n    - op: replace\n      path: /spec/maxReplicas\n      value: 6\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    resources = _resources(run)
    a, b = resources["Deployment/default/vllm@overlays/a"], resources["Deployment/default/vllm@overlays/b"]
    assert a["monthly_cost_usd"] == round(G2_4_HOUR * 730, 2) == 515.99
    assert b["monthly_cost_usd"] == round(3 * G2_4_HOUR * 730, 2)  # its autoscaler's minimum, joined in overlay b
    assert b["autoscaling"]["address"] == "HorizontalPodAutoscaler/default/vllm@overlays/b"
    assert b["file"] == a["file"] == "base/deployment.yaml"
    assert "Deployment/default/vllm" not in resources  # the base is not also priced on its own


def test_a_base_beside_the_scanned_overlay_is_read_and_a_cycle_is_refused(tmp_path: Path) -> None:
    write(tmp_path, {**BASE, "base/kustomization.yaml": "resources:\n- deployment.yaml\n",  # no autoscaler
                     "overlays/prod/kustomization.yaml": "resources:\n- ../../base\nreplicas:\n"
                     "- name: vllm\n  count: 2\n",
                     "loop/a/kustomization.yaml": "resources:\n- ../b\n", "loop/b/kustomization.yaml":
                     "resources:\n- ../a\n"})
    run = scan_json("overlays/prod", "--no-cache", cwd=tmp_path)
    vllm = _resources(run)["Deployment/default/vllm"]
    assert vllm["monthly_cost_usd"] == round(2 * G2_4_HOUR * 730, 2) and vllm["file"] == "base/deployment.yaml"
    run = scan_json("loop", "--no-cache", cwd=tmp_path)
    assert any("includes itself" in s["reason"] for s in run.report["skipped"])


def test_strategic_merge_follows_the_api_merge_keys() -> None:
    base = {"spec": {"template": {"spec": {
        "containers": [{"name": "vllm", "image": "a", "env": [{"name": "A", "value": "1"}],
                        "ports": [{"containerPort": 8000}], "volumeMounts": [{"mountPath": "/m", "name": "m"}]},
                       {"name": "sidecar", "image": "s"}],
        "tolerations": [{"key": "a", "operator": "Exists"}], "volumes": [{"name": "m", "emptyDir": {}}]}}}}
    patch = {"spec": {"template": {"spec": {
        "containers": [{"name": "vllm", "env": [{"name": "B", "value": "2"}], "ports": [{"containerPort": 9000}],
                        "resources": {"limits": {"nvidia.com/gpu": "4"}}},
                       {"name": "sidecar", "$patch": "delete"}],
        "tolerations": [{"key": "nvidia.com/gpu", "operator": "Exists"}],
        "volumes": [{"name": "cache", "emptyDir": {"medium": "Memory"}}]}}}}
    pod = strategic_merge(base, patch)["spec"]["template"]["spec"]  # type: ignore[index]
    assert [c["name"] for c in pod["containers"]] == ["vllm"]
    vllm = pod["containers"][0]
    assert vllm["image"] == "a" and vllm["env"] == [{"name": "A", "value": "1"}, {"name": "B", "value": "2"}]
    assert [p["containerPort"] for p in vllm["ports"]] == [8000, 9000]
    assert vllm["resources"] == {"limits": {"nvidia.com/gpu": "4"}}
    assert pod["tolerations"] == [{"key": "nvidia.com/gpu", "operator": "Exists"}]  # no patch strategy: replaced
    assert [v["name"] for v in pod["volumes"]] == ["m", "cache"]
    replaced = strategic_merge(base, {"spec": {"template": {"spec": {"containers": [
        {"$patch": "replace"}, {"name": "only", "image": "o"}]}}}})
    assert replaced["spec"]["template"]["spec"]["containers"] == [{"name": "only", "image": "o"}]  # type: ignore[index]
    assert strategic_merge(base, {"$patch": "delete"}) is None


def test_json6902_operations() -> None:
    doc = {"spec": {"replicas": 1, "template": {"spec": {"containers": [{"name": "a~b/c", "args": ["x"]}]}}}}
    out = json6902(doc, [{"op": "replace", "path": "/spec/replicas", "value": 8},
                         {"op": "add", "path": "/spec/template/spec/containers/0/args/-", "value": "y"},
                         {"op": "remove", "path": "/spec/template/spec/containers/0/name"}])
    assert out["spec"]["replicas"] == 8 and doc["spec"]["replicas"] == 1
    assert out["spec"]["template"]["spec"]["containers"][0] == {"args": ["x", "y"]}


def test_a_target_pattern_that_could_backtrack_for_ever_is_refused(tmp_path: Path) -> None:
    """Target names are regular expressions from the scanned repository; Python's matcher backtracks where
    kustomize's RE2 does not, so a repeated repeated group is refused with a note instead of hanging the scan."""
    write(tmp_path, {**BASE, "overlays/evil/kustomization.yaml": """resources:
- ../../base
patches:
- target:
    kind: Deployment
    name: (a+)+$
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 8
"""})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "overlays/evil/kustomization.yaml")
    assert note["line"] == 3 and "repeats a repeated group" in note["reason"]
    assert _resources(run)["Deployment/default/vllm"]["compute"]["count"] == 1  # the base, as written


# kubeflow/manifests common/knative/knative-eventing/base: Knative's release file, with a kustomization that patches
# a ClusterRole (aggregated into Kubeflow's admin role) and a PodDisruptionBudget, two kinds finops-lint does not
# read, beside a patch of the webhook's Deployment.
OPENCOST_CPU, OPENCOST_RAM = 0.031611, 0.004237  # OpenCost's published defaults, per vCPU-hour and GiB-hour
KNATIVE = {
    "knative-eventing/base/kustomization.yaml": """apiVersion: kustomize.config.k8s.io/v1beta1
kind: Kustomization
namespace: knative-eventing
resources:
- upstream/eventing-core.yaml
labels:
- includeSelectors: true
  pairs:
    app.kubernetes.io/component: knative-eventing
    app.kubernetes.io/name: knative-eventing
    kustomize.component: knative
patches:
- path: patches/clusterrole-patch.yaml
- path: patches/pdb.yaml
- path: patches/webhook-resources.yaml
- target:
    group: apiextensions.k8s.io
    kind: CustomResourceDefinition
  patch: |-
    - op: add
      path: /metadata/labels/kubeflow.org~1managed
      value: "true"
""",
    "knative-eventing/base/patches/clusterrole-patch.yaml": """apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: knative-eventing-namespaced-admin
  labels:
    rbac.authorization.kubeflow.org/aggregate-to-kubeflow-admin: "true"
""",
    "knative-eventing/base/patches/pdb.yaml": """apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: eventing-webhook
  namespace: knative-eventing
spec:
  minAvailable: 0
""",
    "knative-eventing/base/patches/webhook-resources.yaml": """apiVersion: apps/v1
kind: Deployment
metadata:
  name: eventing-webhook
  namespace: knative-eventing
spec:
  template:
    spec:
      containers:
      - name: eventing-webhook
        resources:
          requests:
            cpu: "1"
            memory: 2Gi
""",
    "knative-eventing/base/upstream/eventing-core.yaml": """apiVersion: v1
kind: Namespace
metadata:
  name: knative-eventing
  labels:
    app.kubernetes.io/version: "1.16.4"
    app.kubernetes.io/name: knative-eventing
---
apiVersion: apiextensions.k8s.io/v1
kind: CustomResourceDefinition
metadata:
  name: triggers.eventing.knative.dev
  labels:
    knative.dev/crd-install: "true"
spec:
  group: eventing.knative.dev
  names: {kind: Trigger, plural: triggers, singular: trigger}
  scope: Namespaced
  versions:
  - name: v1
    served: true
    storage: true
    schema:
      openAPIV3Schema: {type: object, x-kubernetes-preserve-unknown-fields: true}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: knative-eventing-namespaced-admin
  labels:
    rbac.authorization.k8s.io/aggregate-to-admin: "true"
    app.kubernetes.io/version: "1.16.4"
    app.kubernetes.io/name: knative-eventing
rules:
  - apiGroups: ["eventing.knative.dev"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata:
  name: eventing-webhook
  namespace: knative-eventing
spec:
  minAvailable: 80%
  selector:
    matchLabels:
      app: eventing-webhook
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: eventing-webhook
  namespace: knative-eventing
  labels:
    app.kubernetes.io/component: eventing-webhook
    app.kubernetes.io/version: "1.16.4"
    app.kubernetes.io/name: knative-eventing
spec:
  selector:
    matchLabels:
      app: eventing-webhook
      role: eventing-webhook
  template:
    metadata:
      labels:
        app: eventing-webhook
        role: eventing-webhook
        app.kubernetes.io/component: eventing-webhook
        app.kubernetes.io/version: "1.16.4"
        app.kubernetes.io/name: knative-eventing
    spec:
      serviceAccountName: eventing-webhook
      containers:
      - name: eventing-webhook
        image: gcr.io/knative-releases/knative.dev/eventing/cmd/webhook:v1.16.4
        resources:
          requests:
            cpu: 100m
            memory: 50Mi
          limits:
            cpu: 200m
            memory: 200Mi
---
apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: eventing-webhook
  namespace: knative-eventing
spec:
  scaleTargetRef:
    apiVersion: apps/v1
    kind: Deployment
    name: eventing-webhook
  minReplicas: 2
  maxReplicas: 5
  metrics:
  - type: Resource
    resource:
      name: cpu
      target:
        type: Utilization
        averageUtilization: 100
""",
}


def test_a_patch_of_a_kind_not_read_does_not_stop_the_render(tmp_path: Path) -> None:
    """Before: 'kustomization not rendered: a patch of `patches` does not apply: no ClusterRole named
    knative-eventing-namespaced-admin among the resources', and the webhook priced at its release requests."""
    write(tmp_path, KNATIVE)
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert not [s for s in run.report["skipped"] if s["file"] == "knative-eventing/base/kustomization.yaml"]
    webhook = _resources(run)["Deployment/knative-eventing/eventing-webhook"]
    # the Deployment patch applied: 1 vCPU and 2 GiB per pod, 2 pods (the autoscaler's minimum)
    assert webhook["monthly_cost_usd"] == pytest.approx(2 * (1 * OPENCOST_CPU + 2 * OPENCOST_RAM) * 730, abs=0.02)
    assert webhook["monthly_cost_usd"] == 58.52  # at the release's requests (0.1 vCPU, 50 MiB): $4.92
    assert webhook["price_notes"] == ["rendered by knative-eventing/base/kustomization.yaml"]
    assert webhook["tags"]["kustomize.component"] == "knative"  # labels: applied too
    assert (webhook["file"], webhook["line"]) == ("knative-eventing/base/upstream/eventing-core.yaml", 50)
    skipped = {s["file"] for s in run.report["skipped"]}
    assert "knative-eventing/base/patches/clusterrole-patch.yaml" not in skipped  # part of the render


SERVICE = """apiVersion: v1
kind: Service
metadata:
  name: vllm
  labels: {app: vllm}
spec:
  selector: {app: vllm}
  ports:
  - {name: http, port: 8000, targetPort: 8000}
"""
PREFIXED = {
    "base/kustomization.yaml": "namePrefix: qwen-\nresources:\n- deployment.yaml\n- service.yaml\n",
    "base/deployment.yaml": BASE["base/deployment.yaml"],
    "base/service.yaml": SERVICE,
    "overlays/prod/kustomization.yaml": "resources:\n- ../../base\n- hpa.yaml\n- ingress.yaml\n",
    # written against the base's names, before its prefix: kustomize rewrites both references
    "overlays/prod/hpa.yaml": """apiVersion: autoscaling/v2
kind: HorizontalPodAutoscaler
metadata:
  name: vllm
spec:
  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: vllm}
  minReplicas: 2
  maxReplicas: 8
  metrics:
  - type: Resource
    resource:
      name: cpu
      target: {type: Utilization, averageUtilization: 70}
""",
    "overlays/prod/ingress.yaml": """apiVersion: networking.k8s.io/v1
kind: Ingress
metadata:
  name: vllm
spec:
  ingressClassName: nginx
  rules:
  - host: llm.example.com
    http:
      paths:
      - path: /v1
        pathType: Prefix
        backend:
          service:
            name: vllm
            port: {number: 8000}
""",
}


def test_a_reference_to_a_base_object_follows_its_name_prefix(tmp_path: Path) -> None:
    """kustomize's nameReference: the overlay's HPA and Ingress name `vllm`, the base renamed it `qwen-vllm`.
    Before: the autoscaler scaled nothing (the Deployment priced at 1 replica, no FIN-SCALE-001)."""
    write(tmp_path, PREFIXED)
    run = scan_json("overlays/prod", "--no-cache", cwd=tmp_path)
    vllm = _resources(run)["Deployment/default/qwen-vllm"]
    assert vllm["autoscaling"]["address"] == "HorizontalPodAutoscaler/default/vllm"
    assert vllm["monthly_cost_usd"] == round(2 * G2_4_HOUR * 730, 2)  # the autoscaler's minimum: 2 pods
    scale = run.findings("FIN-SCALE-001")
    assert [(f["resource"], f["file"], f["line"]) for f in scale] == [
        ("Deployment/default/qwen-vllm", "base/deployment.yaml", 1)]
    assert "via HorizontalPodAutoscaler/default/vllm" in scale[0]["message"]
    assert vllm["links"]["public_endpoint"] == "Ingress/default/vllm"  # its backend followed the prefix too


def test_a_keda_target_is_not_renamed_as_kustomize_leaves_it(tmp_path: Path) -> None:
    """A KEDA ScaledObject's scaleTargetRef is not in kustomize's name references: `kubectl kustomize` leaves
    `vllm`, which names no Deployment once the prefix is added, and the report says so. Before: it was renamed
    with the Deployment (2 pods priced, as the ScaledObject's minimum)."""
    keda = """apiVersion: keda.sh/v1alpha1
kind: ScaledObject
metadata:
  name: vllm
spec:
  scaleTargetRef: {name: vllm}
  minReplicaCount: 2
  maxReplicaCount: 8
  triggers:
  - type: prometheus
    metadata:
      serverAddress: http://prometheus.monitoring:9090
      query: sum(vllm:num_requests_waiting)
      threshold: "5"
"""
    write(tmp_path, {**PREFIXED, "base/keda.yaml": keda, "base/kustomization.yaml": "namePrefix: qwen-\nresources:\n"
                     "- deployment.yaml\n- service.yaml\n- keda.yaml\n", "overlays/prod/kustomization.yaml":
                     "resources:\n- ../../base\n"})
    run = scan_json("overlays/prod", "--no-cache", cwd=tmp_path)
    resources = _resources(run)
    assert resources["ScaledObject/default/qwen-vllm"]["unknowns"] == [
        "scale target Deployment/default/vllm is not in the scanned manifests"]
    assert resources["Deployment/default/qwen-vllm"]["monthly_cost_usd"] == round(G2_4_HOUR * 730, 2)  # 1 pod


def _serving(name: str, component: str, extra_labels: str = "") -> str:
    return f"""apiVersion: apps/v1
kind: Deployment
metadata:
  name: {name}
  labels: {{app.kubernetes.io/component: {component}, team: ml, cost-center: cc-1, environment: prod{extra_labels}}}
spec:
  replicas: 1
  selector: {{matchLabels: {{app: {name}}}}}
  template:
    metadata:
      labels: {{app: {name}, team: ml, cost-center: cc-1, environment: prod}}
    spec:
      nodeSelector: {{cloud.google.com/gke-accelerator: nvidia-l4, topology.kubernetes.io/region: us-central1}}
      containers:
      - name: server
        image: vllm/vllm-openai:v0.9.1
        args: ["--model=Qwen/Qwen2.5-7B-Instruct"]
        resources:
          limits: {{nvidia.com/gpu: "1"}}
"""


SELECTED = {
    "base/kustomization.yaml": "resources:\n- chat.yaml\n- embed.yaml\n- chat-canary.yaml\n",
    "base/chat.yaml": _serving("chat", "inference"),
    "base/embed.yaml": _serving("embed", "embedding"),
    "base/chat-canary.yaml": _serving("chat-canary", "inference", ", track: canary"),
    "overlays/prod/kustomization.yaml": """resources:
- ../../base
patches:
- target:
    kind: Deployment
    labelSelector: app.kubernetes.io/component in (inference,embedding),!track
  patch: |-
    - op: replace
      path: /spec/replicas
      value: 3
""",
}


def test_a_set_based_label_selector_picks_the_patch_targets(tmp_path: Path) -> None:
    """`in (...)` and `!key` select as Kubernetes selects. Before: the selector matched nothing, silently (every
    Deployment priced at 1 replica)."""
    write(tmp_path, SELECTED)
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    cost = {a: r["monthly_cost_usd"] for a, r in _resources(run).items()}
    one = round(G2_4_HOUR * 730, 2)
    assert cost == {"Deployment/default/chat": round(3 * G2_4_HOUR * 730, 2),
                    "Deployment/default/embed": round(3 * G2_4_HOUR * 730, 2),
                    "Deployment/default/chat-canary": one}  # track=canary: `!track` leaves it out


def test_a_label_selector_that_does_not_parse_is_noted(tmp_path: Path) -> None:
    """kustomize stops on it ('unable to parse requirement'); so does the render, with a note on the line."""
    broken = SELECTED["overlays/prod/kustomization.yaml"].replace("in (inference,embedding)", "in inference")
    write(tmp_path, {**SELECTED, "overlays/prod/kustomization.yaml": broken})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "overlays/prod/kustomization.yaml")
    assert note["line"] == 3
    assert note["reason"] == (
        "kustomization not rendered: a patch of `patches` does not apply: its target's labelSelector "
        "'app.kubernetes.io/component in inference,!track' does not parse as a Kubernetes label selector (unable "
        "to parse requirement: found 'inference' expected: '('); kustomize stops there too")
    assert _resources(run)["Deployment/default/chat"]["monthly_cost_usd"] == round(G2_4_HOUR * 730, 2)  # as written


# Which of these label sets each selector picks, as `kubectl kustomize` (v5.5.0) picked them as patch targets; None:
# kustomize refused the selector. 48 such selectors and 300 random ones agreed with it when this was written.
SELECTOR_LABELS = [{"app": "vllm", "tier": "gpu"}, {"app": "web", "tier": "cpu", "canary": "true"},
                   {"app": "vllm", "version": "3"}, {"app": "", "example.com/team": "ml"}, {}, {"app": "in", "n": "10"}]


@pytest.mark.parametrize(("selector", "picked"), [
    ("app!=vllm", [1, 3, 4, 5]), ("app in (vllm,web)", [0, 1, 2]), ("app notin (vllm)", [1, 3, 4, 5]),
    ("!canary", [0, 2, 3, 4, 5]), ("app in (vllm),tier", [0]), ("tier in ()", []), ("app in (,vllm)", [0, 2, 3]),
    ("app=", [3]), ("version>2", [2]), ("n>9", [5]), (" app  in ( vllm , web ) ", [0, 1, 2]),
    ("example.com/team=ml", [3]), ("app in (in)", [5]), ("app notin ()", [0, 1, 2, 4, 5]),
    ("tier notin (gpu),!canary", [2, 3, 4, 5]), ("", [0, 1, 2, 3, 4, 5]),
    ("version>x", None), ("app in vllm", None), ("Example.com/team=ml", None), ("app=vllm,", None),
    ("!app=vllm", None), ("app=has space", None), ("app=vllm tier=gpu", None), ("n<1_0", None), ("a" * 64, None)])
def test_label_selector_syntax(selector: str, picked: list[int] | None) -> None:
    from linter.sources.kubernetes.label_selector import SelectorError, matches, parse

    try:
        requirements = parse(selector)
    except SelectorError:
        assert picked is None
        return
    assert [i for i, labels in enumerate(SELECTOR_LABELS) if matches(requirements, labels)] == picked


@pytest.mark.replay
def test_a_kustomization_named_Kustomization_is_rendered_and_its_edits_seen(
        tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """kustomize reads `Kustomization` (no extension) as it reads kustomization.yaml. Before: discovery kept only
    .yaml/.yml, so the overlay was never rendered and the base was priced alone (1 replica)."""
    import linter.engine

    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path / "cache"))
    real, scans = linter.engine.scan, []
    monkeypatch.setattr(linter.engine, "scan", lambda *a, **k: scans.append(a) or real(*a, **k))
    repo = write(tmp_path / "repo", {"base/deployment.yaml": BASE["base/deployment.yaml"],
                                     "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                                     "overlays/prod/Kustomization": "apiVersion: kustomize.config.k8s.io/v1beta1\n"
                                     "kind: Kustomization\nresources:\n- ../../base\nreplicas:\n- name: vllm\n"
                                     "  count: 4\n"})
    vllm = _resources(scan_json(".", cwd=repo))["Deployment/default/vllm"]
    assert vllm["monthly_cost_usd"] == round(4 * G2_4_HOUR * 730, 2)
    assert vllm["price_notes"][0] == "rendered by overlays/prod/Kustomization"
    kustomization = repo / "overlays" / "prod" / "Kustomization"
    kustomization.write_text(kustomization.read_text().replace("count: 4", "count: 2"))
    vllm = _resources(scan_json(".", cwd=repo))["Deployment/default/vllm"]
    assert len(scans) == 2  # an edit of it is a change of the scan's input: not replayed
    assert vllm["monthly_cost_usd"] == round(2 * G2_4_HOUR * 730, 2)
    vllm = _resources(scan_json("overlays/prod/Kustomization", cwd=repo))["Deployment/default/vllm"]
    assert vllm["monthly_cost_usd"] == round(2 * G2_4_HOUR * 730, 2)  # named on the command line


def test_two_kustomization_files_in_one_directory_are_refused(tmp_path: Path) -> None:
    """kustomize: 'Found multiple kustomization files under: ...'; each is noted and the files read once."""
    write(tmp_path, {**BASE, "base/Kustomization": "resources:\n- deployment.yaml\nnamePrefix: x-\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    notes = sorted((s["file"], s["reason"]) for s in run.report["skipped"] if "more than one" in s["reason"])
    assert [f for f, _ in notes] == ["base/Kustomization", "base/kustomization.yaml"]
    assert notes[0][1] == ("kustomization not rendered: its directory holds more than one kustomization file "
                           "(kustomization.yaml, kustomization.yml, Kustomization), which kustomize refuses")
    assert sorted(_resources(run)) == ["Deployment/default/vllm", "HorizontalPodAutoscaler/default/vllm"]


def test_a_changed_Kustomization_is_scanned_by_the_pre_commit_hook(tmp_path: Path) -> None:
    from linter.hook import plan

    write(tmp_path, {"overlays/prod/Kustomization": "resources:\n- ../../base\n"})
    old = os.getcwd()
    try:
        os.chdir(tmp_path)
        got = plan(["overlays/prod/Kustomization"], ".")
    finally:
        os.chdir(old)
    assert got.changed == ["overlays/prod/Kustomization"]
    assert got.scan_paths == [str(tmp_path / "overlays" / "prod" / "Kustomization")]


def test_images_with_a_tag_and_a_digest_keep_both(tmp_path: Path) -> None:
    """kustomize writes `name:tag@digest` when an images entry gives newTag and digest (api/filters/imagetag/
    updater.go); before, the tag was dropped (`vllm/vllm-openai@sha256:...`)."""
    digest = "sha256:" + "4b1e" * 16
    write(tmp_path, {"base/deployment.yaml": BASE["base/deployment.yaml"],
                     "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "overlays/prod/kustomization.yaml": f"""resources:
- ../../base
images:
- name: vllm/vllm-openai
  newTag: v0.9.1
  digest: {digest}
"""})
    run = scan_json("overlays/prod", "--no-cache", cwd=tmp_path)
    vllm = _resources(run)["Deployment/default/vllm"]
    assert vllm["workload"]["evidence"] == [f"runs vLLM (vllm/vllm-openai:v0.9.1@{digest})"]


def test_images_as_kustomize_rewrites_them() -> None:
    """Each against `kubectl kustomize` v5.5.0 (14 entry sets on Deployments, CronJobs, Pods and RayClusters agreed
    when this was written)."""
    from linter.sources.kubernetes.kustomize import _NESTED_QUANTIFIER
    from linter.sources.kubernetes.kustomize_images import apply_images

    def images(entries: list[dict[str, str]], *names: str, kind: str = "Deployment") -> list[str]:
        containers = [{"name": f"c{i}", "image": n} for i, n in enumerate(names)]
        spec = {"containers": containers}
        data = {"kind": kind, "spec": {"jobTemplate": {"spec": {"template": {"spec": spec}}}} if kind == "CronJob"
                else {"template": {"spec": spec}}}
        apply_images(entries, [data], _NESTED_QUANTIFIER)
        return [c["image"] for c in containers]

    assert images([{"name": "nginx", "digest": "sha256:f"}], "nginx:1.0", "nginx-custom:2") == [
        "nginx@sha256:f", "nginx-custom:2"]  # the name must match up to the tag: nginx-custom is another image
    assert images([{"name": "localhost:5000/tool", "newTag": "2"}], "localhost:5000/tool:1.1") == [
        "localhost:5000/tool:2"]  # a registry's port is part of the name
    assert images([{"name": "nginx", "newName": "nginx-custom"}, {"name": "nginx-custom", "newTag": "9"}],
                  "nginx:1.0@sha256:abc") == ["nginx-custom:9"]  # entries in turn; a new tag drops the digest
    assert images([{"name": ".*nginx", "newTag": "rx"}], "registry.k8s.io/nginx:latest") == [
        "registry.k8s.io/nginx:rx"]  # the name is a regular expression
    assert images([{"name": "nginx", "tagSuffix": "-debug"}], "nginx:1.0") == ["nginx:1.0-debug-debug"]
    assert images([{"name": "nginx", "tagSuffix": "-debug"}], "nginx:1.0", kind="CronJob") == ["nginx:1.0-debug"]


def test_an_images_tag_written_as_a_number_is_refused(tmp_path: Path) -> None:
    """`newTag: 1.10` is a YAML number: kustomize stops ('cannot unmarshal number into ... newTag of type
    string'); read as Python reads it, it would be the tag 1.1."""
    write(tmp_path, {"base/deployment.yaml": BASE["base/deployment.yaml"],
                     "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "overlays/prod/kustomization.yaml": "resources:\n- ../../base\nimages:\n- name: vllm/vllm-openai\n"
                     "  newTag: 1.10\n"})
    run = scan_json("overlays/prod", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "overlays/prod/kustomization.yaml")
    assert (note["line"], note["reason"]) == (3, "kustomization not rendered: images entry 'vllm/vllm-openai': newTag "
                                              "1.1 is not a string (kustomize: cannot unmarshal float into a string); "
                                              "quote it")


def test_a_file_outside_the_kustomization_directory_is_not_loaded(tmp_path: Path) -> None:
    """kustomize's default load restrictor: a resource or patch file must be in or below the kustomization's
    directory (a directory elsewhere is a base, and may be anywhere). Before: rendered as if kustomize loaded it
    (4 replicas priced)."""
    write(tmp_path, {"base/deployment.yaml": BASE["base/deployment.yaml"],
                     "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "shared/gpu-2.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: vllm\nspec:\n"
                     "  template:\n    spec:\n      containers:\n      - name: vllm\n        resources:\n"
                     "          limits: {nvidia.com/gpu: \"2\"}\n",
                     "overlays/prod/kustomization.yaml": "resources:\n- ../../base/deployment.yaml\nreplicas:\n"
                     "- name: vllm\n  count: 4\n",
                     "overlays/gpu/kustomization.yaml": "resources:\n- ../../base\npatches:\n- path: ../../shared/gpu-2.yaml\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    notes = {s["file"]: (s["line"], s["reason"]) for s in run.report["skipped"] if "outside" in s["reason"]}
    assert notes["overlays/prod/kustomization.yaml"] == (1, (
        "kustomization not rendered: ../../base/deployment.yaml is outside the kustomization's directory, and "
        "kustomize refuses to load it (\"security; file is not in or below\") unless built with --load-restrictor "
        "LoadRestrictionsNone; build it so and scan the output"))
    assert notes["overlays/gpu/kustomization.yaml"][0] == 3
    assert sorted(_resources(run)) == ["Deployment/default/vllm"]  # the base as written, once
    vllm = _resources(run)["Deployment/default/vllm"]
    assert vllm["monthly_cost_usd"] == round(G2_4_HOUR * 730, 2)
    assert not any(n.startswith("rendered by") for n in vllm.get("price_notes", []))


def test_a_base_reached_twice_is_refused_not_priced_twice(tmp_path: Path) -> None:
    """An overlay whose two bases both include `common`: kustomize stops ('may not add resource with an already
    registered id'). Before: the render held the Deployment twice, and priced it twice."""
    write(tmp_path, {"common/deployment.yaml": BASE["base/deployment.yaml"],
                     "common/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "serving/kustomization.yaml": "resources:\n- ../common\n",
                     "overlays/prod/kustomization.yaml": "resources:\n- ../../serving\n- ../../common\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "overlays/prod/kustomization.yaml")
    assert (note["line"], note["reason"]) == (1, "kustomization not rendered: Deployment vllm (namespace default) is "
                                              "included twice (kustomize: may not add resource with an already "
                                              "registered id)")
    assert [(r["address"], r["monthly_cost_usd"]) for r in run.report["resources"]] == [
        ("Deployment/default/vllm", round(G2_4_HOUR * 730, 2))]  # once, as written


def test_a_namespace_that_makes_two_objects_one_is_refused(tmp_path: Path) -> None:
    """kustomize: 'namespace transformation produces ID conflict'. Before: two Deployment/serving/vllm, priced twice."""
    deployment = BASE["base/deployment.yaml"]
    write(tmp_path, {"base/a.yaml": deployment.replace("name: vllm\n", "name: vllm\n  namespace: team-a\n", 1),
                     "base/b.yaml": deployment.replace("name: vllm\n", "name: vllm\n  namespace: team-b\n", 1),
                     "base/kustomization.yaml": "namespace: serving\nresources:\n- a.yaml\n- b.yaml\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "base/kustomization.yaml")
    assert (note["line"], note["reason"]) == (1, "kustomization not rendered: Deployment vllm (namespace serving) is "
                                              "made twice by the namespace (kustomize: namespace transformation "
                                              "produces ID conflict)")
    assert sorted(_resources(run)) == ["Deployment/team-a/vllm", "Deployment/team-b/vllm"]  # as written


def test_two_strategic_merge_patches_under_one_target_are_refused(tmp_path: Path) -> None:
    """kustomize: 'Multiple Strategic-Merge Patches in one `patches` entry is not allowed to set `patches.target`
    field'. Before: both applied (the last one's 3 replicas priced)."""
    two = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any}\nspec: {replicas: 2}\n---\n"
           "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: any}\nspec: {replicas: 3}\n")
    write(tmp_path, {"base/deployment.yaml": BASE["base/deployment.yaml"],
                     "overlays/prod/scale.yaml": two,
                     "base/kustomization.yaml": "resources:\n- deployment.yaml\n",
                     "overlays/prod/kustomization.yaml": "resources:\n- ../../base\npatches:\n- path: scale.yaml\n"
                     "  target: {kind: Deployment}\n"})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    note = next(s for s in run.report["skipped"] if s["file"] == "overlays/prod/kustomization.yaml")
    assert (note["line"], note["reason"]) == (3, "kustomization not rendered: a `patches` entry with a target holds 2 "
                                              "strategic-merge patches, which kustomize refuses (one per entry)")
    assert _resources(run)["Deployment/default/vllm"]["monthly_cost_usd"] == round(G2_4_HOUR * 730, 2)
