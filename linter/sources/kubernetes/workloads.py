"""Workload kinds -> groups of identical pods (template, replicas, bounds) and a workload class."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.kubernetes.autoscalers import kserve
from linter.sources.kubernetes.quantity import count, count_of
from linter.sources.kubernetes.shapes import as_dict, as_list


@record
class Group:
    name: str
    pod: dict[str, Any]
    meta: dict[str, Any]
    count: float | None
    min: int | None = None
    max: int | None = None


@record
class Shape:
    groups: list[Group] = field(default_factory=list)
    completes: bool = False
    notes: list[str] = field(default_factory=list)
    autoscaling: dict[str, Any] | None = None  # built-in autoscaling: metric_kind, metric, min, max, target
    pods_per_replica: int | None = None  # a LeaderWorkerSet's group size: what one replica of its scale subresource is


def _pod_template(t: Any) -> tuple[dict[str, Any], dict[str, Any]]:
    """A PodTemplateSpec's (spec, metadata)."""
    t = as_dict(t)
    return as_dict(t.get("spec")), as_dict(t.get("metadata"))


def _template(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    return _pod_template(spec.get("template"))


def _job(spec: dict[str, Any]) -> Group:
    pod, meta = _template(spec)
    parallelism = count_of(spec, "parallelism", 1)
    completions = count_of(spec, "completions")
    n = parallelism if completions is None or parallelism is None else min(parallelism, completions)
    return Group("job", pod, meta, n)


_KUBEFLOW_SPECS = {"PyTorchJob": "pytorchReplicaSpecs", "TFJob": "tfReplicaSpecs", "MPIJob": "mpiReplicaSpecs",
                   "JAXJob": "jaxReplicaSpecs", "PaddleJob": "paddleReplicaSpecs", "XGBoostJob": "xgbReplicaSpecs"}


def _leader_worker_set(spec: dict[str, Any], shape: Shape) -> None:
    """LeaderWorkerSet: ``replicas`` groups of ``size`` pods each, a leader (its own template, else the
    workers') and size - 1 workers; a HorizontalPodAutoscaler scales the groups."""
    groups = count_of(spec, "replicas", 1)
    lwt = as_dict(spec.get("leaderWorkerTemplate"))
    size = count_of(lwt, "size", 1)
    worker, worker_meta = _pod_template(lwt.get("workerTemplate"))
    leader, leader_meta = _pod_template(lwt.get("leaderTemplate"))
    if groups is None or size is None:
        shape.groups.append(Group("pods", worker, worker_meta, None))
        return
    if leader:
        shape.groups.append(Group("leaders", leader, leader_meta, groups))
        shape.groups.append(Group("workers", worker, worker_meta, groups * max(size - 1, 0)))
    else:
        shape.groups.append(Group("pods", worker, worker_meta, groups * size))
    shape.notes.append(f"LeaderWorkerSet: {groups} group(s) of {size} pod(s)")
    shape.pods_per_replica = size


def _job_set(spec: dict[str, Any], shape: Shape) -> None:
    """JobSet: each replicated job runs ``replicas`` copies of its Job template."""
    for rj in as_list(spec.get("replicatedJobs")):
        rj = as_dict(rj)
        g = _job(as_dict(as_dict(rj.get("template")).get("spec")))
        copies = count_of(rj, "replicas", 1)
        g.name = str(rj.get("name") or "job")
        g.count = g.count * copies if g.count is not None and copies is not None else None
        shape.groups.append(g)


def _ray_cluster(spec: dict[str, Any], shape: Shape) -> None:
    head = as_dict(spec.get("headGroupSpec"))
    pod, meta = _template(head)
    if pod:
        shape.groups.append(Group("head", pod, meta, 1, 1, 1))
    autoscale = spec.get("enableInTreeAutoscaling") is True
    for wg in as_list(spec.get("workerGroupSpecs")):
        wg = as_dict(wg)
        pod, meta = _template(wg)
        lo = count_of(wg, "minReplicas", 0)
        hi = count_of(wg, "maxReplicas")
        n = count_of(wg, "replicas", lo)
        if wg.get("suspend") is True:
            n = 0
        if autoscale and n is not None and lo is not None:
            n = max(n, lo)
        hi = hi if hi is not None and hi < 2**31 - 1 else None
        if not autoscale:  # min/maxReplicas bound the Ray autoscaler; without it KubeRay keeps `replicas` workers
            lo = hi = n
        hosts = count_of(wg, "numOfHosts", 1)  # a multi-host replica (TPU slices) is numOfHosts pods
        if hosts is None or hosts > 1:
            n, lo, hi = (None if v is None or hosts is None else v * hosts for v in (n, lo, hi))
        shape.groups.append(Group(str(wg.get("groupName") or "workers"), pod, meta, n, lo, hi))
    if autoscale:
        shape.autoscaling = {"metric_kind": "queue", "metric": "Ray autoscaler (pending task and actor demand)"}


def _elastic_hpa(elastic: dict[str, Any]) -> dict[str, Any]:
    """A PyTorchJob's elasticPolicy with metrics: the HPA the training operator creates for its workers (metrics
    as an autoscaling/v2 HPA's, between minReplicas and maxReplicas)."""
    from linter.sources.kubernetes.autoscalers import hpa

    scaler = hpa("autoscaling/v2", {"spec": {"minReplicas": elastic.get("minReplicas"),
                                             "maxReplicas": elastic.get("maxReplicas"),
                                             "metrics": elastic.get("metrics")}})
    return {"metric_kind": scaler.metric_kind, "metric": f"elasticPolicy HPA on {scaler.metric}",
            "min": scaler.min, "max": scaler.max, "target": scaler.target}


_GKE_ACCELERATOR_ANNOTATION = "serving.kserve.io/gke-accelerator"
_PREDICTOR_FIELDS = frozenset({"containers", "nodeSelector", "affinity", "tolerations", "annotations", "labels",
                               "logger", "batcher", "resources"})


def _predictor(data: dict[str, Any], shape: Shape) -> None:
    """KServe InferenceService: the predictor is a pod spec plus a model/runtime block. KServe's webhook adds
    ``serving.kserve.io/gke-accelerator`` as the GKE accelerator node selector of a pod with GPU limits, and its
    controller makes the autoscaler that ``autoscalers.kserve`` reads."""
    spec = as_dict(data.get("spec"))
    pred = as_dict(spec.get("predictor"))
    pod = dict(pred)
    containers = [c for c in as_list(pred.get("containers")) if isinstance(c, dict)]
    for key, value in pred.items():  # model:, huggingface:, pytorch:, triton:, sklearn: ... carry resources
        if isinstance(value, dict) and key not in _PREDICTOR_FIELDS and \
                any(k in value for k in ("resources", "storageUri", "runtime", "image")):
            containers.append({"name": key, **value})
    pod["containers"] = containers
    annotations = {k: str(v) for k, v in {**as_dict(as_dict(data.get("metadata")).get("annotations")),
                                          **as_dict(pred.get("annotations"))}.items()}
    accelerator = annotations.get(_GKE_ACCELERATOR_ANNOTATION)
    if accelerator and any("nvidia.com/gpu" in as_dict(as_dict(c.get("resources")).get("limits")) for c in containers):
        pod["nodeSelector"] = {**as_dict(pred.get("nodeSelector")), "cloud.google.com/gke-accelerator": accelerator}
    lo = count_of(pred, "minReplicas", 1)
    hi = count_of(pred, "maxReplicas")
    if hi is not None and lo is not None and hi < lo:
        hi = lo
    shape.groups.append(Group("predictor", pod, {}, lo, lo, hi))
    shape.autoscaling, note = kserve(annotations, pred, lo, hi)
    if note:
        shape.notes.append(note)


def shape_of(kind: str, data: dict[str, Any]) -> Shape:
    spec = as_dict(data.get("spec"))
    shape = Shape()
    if kind in ("Deployment", "StatefulSet", "ReplicaSet", "Rollout"):
        pod, meta = _template(spec)
        if not pod and kind == "Rollout" and spec.get("workloadRef"):
            shape.notes.append("Rollout uses workloadRef: pod template is in the referenced Deployment")
        n = count_of(spec, "replicas", 1)
        shape.groups.append(Group("pods", pod, meta, n))
    elif kind == "DaemonSet":
        pod, meta = _template(spec)
        shape.groups.append(Group("pods", pod, meta, None))
        shape.notes.append("DaemonSet: one pod per matching node; node count unknown")
    elif kind == "Pod":
        shape.groups.append(Group("pod", spec, as_dict(data.get("metadata")), 1))
        shape.completes = spec.get("restartPolicy") in ("Never", "OnFailure")
    elif kind == "Job":
        shape.groups.append(_job(spec))
        shape.completes = True
    elif kind == "CronJob":
        job = as_dict(as_dict(spec.get("jobTemplate")).get("spec"))
        shape.groups.append(_job(job))
        shape.completes = True
        shape.notes.append("CronJob: priced as if one run were active all month; scale by the run time")
    elif kind == "ScaledJob":
        job = as_dict(spec.get("jobTargetRef"))
        g = _job(job)
        lo = count_of(spec, "minReplicaCount", 0)
        hi = count_of(spec, "maxReplicaCount", 100)
        g.count, g.min, g.max = lo, lo, hi
        shape.groups.append(g)
        shape.completes = True
    elif kind in _KUBEFLOW_SPECS:
        specs = as_dict(spec.get(_KUBEFLOW_SPECS[kind]))
        elastic = as_dict(spec.get("elasticPolicy"))
        for role, rs in specs.items():
            rs = as_dict(rs)
            pod, meta = _template(rs)
            n = count_of(rs, "replicas", 1)
            g = Group(str(role), pod, meta, n)
            if role == "Worker" and elastic:
                g.min, g.max = count(elastic.get("minReplicas")), count(elastic.get("maxReplicas"))
            shape.groups.append(g)
        shape.completes = True
        if as_list(elastic.get("metrics")):  # the training operator then creates an HPA on the workers
            shape.autoscaling = _elastic_hpa(elastic)
    elif kind == "RayCluster":
        _ray_cluster(spec, shape)
    elif kind == "RayJob":
        _ray_cluster(as_dict(spec.get("rayClusterSpec")), shape)
        shape.completes = True
        if spec.get("shutdownAfterJobFinishes") is not True and spec.get("clusterSelector") is None:
            shape.notes.append("RayJob without shutdownAfterJobFinishes: true keeps its cluster after the job")
            shape.completes = False
    elif kind == "RayService":
        _ray_cluster(as_dict(spec.get("rayClusterConfig")), shape)
    elif kind == "InferenceService":
        _predictor(data, shape)
    elif kind == "LeaderWorkerSet":
        _leader_worker_set(spec, shape)
    elif kind == "JobSet":
        _job_set(spec, shape)
        shape.completes = True
    if shape.completes and kind != "CronJob":
        shape.notes.append(f"{kind}: priced as if its pods ran all month; a run that ends sooner costs "
                           "proportionally less")
    return shape


# ---------------------------------------------------------------------------------------------
# workload class

_KIND_CLASS = {"Job": "batch", "CronJob": "batch", "ScaledJob": "batch", "RayJob": "batch", "JobSet": "batch",
               "PyTorchJob": "training", "TFJob": "training", "MPIJob": "training", "JAXJob": "training",
               "PaddleJob": "training", "XGBoostJob": "training",
               "InferenceService": "inference", "RayService": "inference"}
_KIND_WHY = {"PyTorchJob": "Kubeflow training operator", "TFJob": "Kubeflow training operator",
             "JAXJob": "Kubeflow training operator", "PaddleJob": "Kubeflow training operator",
             "XGBoostJob": "Kubeflow training operator", "JobSet": "JobSet (batch jobs run together)",
             "MPIJob": "Kubeflow MPI operator", "InferenceService": "KServe model serving",
             "RayService": "Ray Serve", "RayJob": "Ray job", "ScaledJob": "KEDA-scaled job"}
_SERVERS: list[tuple[re.Pattern[str], str]] = [
    (re.compile(r"vllm"), "vLLM"),
    (re.compile(r"text-generation-inference|/tgi[:@/-]|(?<![a-z])tgi(?![a-z])"), "Hugging Face TGI"),
    (re.compile(r"text-embeddings-inference|(?<![a-z])tei[:@-]"), "Hugging Face TEI"),
    (re.compile(r"tritonserver|triton-inference-server"), "NVIDIA Triton"),
    (re.compile(r"tensorrt-?llm|trtllm"), "TensorRT-LLM"),
    (re.compile(r"(?<![a-z])ollama"), "Ollama"),
    (re.compile(r"nvcr\.io/nim/"), "NVIDIA NIM"),
    (re.compile(r"kserve/|kfserving"), "KServe runtime"),
    (re.compile(r"sglang"), "SGLang"),
    (re.compile(r"lmdeploy"), "LMDeploy"),
    (re.compile(r"llama\.cpp.*server|llama-cpp-python.*server"), "llama.cpp server"),
    (re.compile(r"torchserve"), "TorchServe"),
    (re.compile(r"tensorflow/serving"), "TensorFlow Serving"),
    (re.compile(r"seldon"), "Seldon"),
    (re.compile(r"localai"), "LocalAI"),
]


def inference_server(images: list[str]) -> str | None:
    for image in images:
        lowered = image.lower()
        for pattern, name in _SERVERS:
            if pattern.search(lowered):
                return name
    return None


def workload_class(kind: str, name: str, images: list[str]) -> tuple[str, str | None]:
    """(kind, evidence) from the resource kind, the images it runs and, for jobs, its name."""
    from linter.facts.workload import _NAME_PATTERNS

    base = _KIND_CLASS.get(kind)
    if base in ("batch", "training"):
        lowered = name.lower()
        for cls, pattern in _NAME_PATTERNS:
            if cls in ("fine-tuning", "training") and pattern.search(lowered):
                return cls, f"{kind} named '{name}'"
        return base, f"kind {kind}" + (f" ({_KIND_WHY[kind]})" if kind in _KIND_WHY else "")
    server = inference_server(images)
    if server:
        return "inference", f"runs {server} ({next(i for i in images if inference_server([i]))})"
    if base:
        return base, f"kind {kind} ({_KIND_WHY.get(kind, kind)})"
    return "unknown", None
