"""Classify an autoscaling metric by name: cpu, memory, requests, queue, gpu or custom.

Shared by every source: CloudWatch/Azure Monitor/Stackdriver metric names (Terraform) and
HPA/KEDA metric names and Prometheus queries (Kubernetes).
"""

from __future__ import annotations

from typing import TypeVar

_M = TypeVar("_M", bound=tuple)

# When an autoscaler has several metrics it follows the one asking for most replicas; a request,
# queue or GPU signal is what matters for GPU inference, so it names the autoscaler's metric.
METRIC_PRIORITY = {"gpu": 0, "queue": 1, "requests": 2, "custom": 3, "schedule": 4, "cpu": 5, "memory": 6,
                   "unknown": 7}

_CPU_METRICS = {"SageMakerVariantInvocationsPerInstance": "requests", "ECSServiceAverageCPUUtilization": "cpu",
                "ECSServiceAverageMemoryUtilization": "memory", "ALBRequestCountPerTarget": "requests",
                "ASGAverageCPUUtilization": "cpu", "ASGAverageNetworkIn": "custom",
                "ASGAverageNetworkOut": "custom", "SageMakerVariantProvisionedConcurrencyUtilization": "requests",
                "SageMakerInferenceComponentInvocationsPerCopy": "requests",
                "SageMakerVariantConcurrentRequestsPerModelHighResolution": "requests"}


def classify_metric(name: str | None) -> str:
    if not name:
        return "unknown"
    if name in _CPU_METRICS:
        return _CPU_METRICS[name]
    lowered = name.lower()
    if "gpu" in lowered:
        return "gpu"
    if "cpu" in lowered:
        return "cpu"
    if "memory" in lowered or lowered == "mem":
        return "memory"
    if "queue" in lowered or "backlog" in lowered or "pending" in lowered or "waiting" in lowered:
        return "queue"
    if "invocation" in lowered or "request" in lowered or "latency" in lowered:
        return "requests"
    return "custom"


def classify_query(query: str | None) -> str:
    """A Prometheus (or other query-language) trigger: GPU metrics, queue depth, else request load."""
    if not query:
        return "unknown"
    lowered = query.lower()
    if "gpu" in lowered or "dcgm" in lowered:
        return "gpu"
    if any(w in lowered for w in ("queue", "waiting", "pending", "backlog")):
        return "queue"
    if "cpu" in lowered and "request" not in lowered:
        return "cpu"
    if "memory" in lowered and "request" not in lowered:
        return "memory"
    return "requests"


def cpu_trigger(metrics: list[_M], picked: _M | None) -> str | None:
    """A CPU or memory metric beside the one that names the autoscaler. An HPA or GCE autoscaler follows the
    metric asking for most replicas, and any alarm of a step policy runs it, so a CPU spike still adds GPU
    capacity while the GPUs idle."""
    if picked is None or picked[0] in ("cpu", "memory"):
        return None
    return next(((m[1] or m[0]) for m in metrics if m[0] in ("cpu", "memory")), None)


def pick_metric(metrics: list[_M]) -> _M | None:
    """The metric that names an autoscaler with several: tuples whose first item is the metric kind."""
    if not metrics:
        return None
    return sorted(metrics, key=lambda m: METRIC_PRIORITY.get(m[0], 9))[0]
