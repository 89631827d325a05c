"""HorizontalPodAutoscaler (autoscaling/v1, v2, v2beta1/2), KEDA ScaledObject/ScaledJob triggers, and the HPA, KEDA
ScaledObject or Knative autoscaler that KServe creates for an InferenceService."""

from __future__ import annotations

from typing import Any

from linter.facts.metrics import classify_metric, classify_query, cpu_trigger, pick_metric
from linter.records import record
from linter.sources.kubernetes.quantity import count, count_of, quantity
from linter.sources.kubernetes.shapes import as_dict, as_list

_QUEUE_TRIGGERS = {"aws-sqs-queue", "rabbitmq", "kafka", "apache-kafka", "redis", "redis-cluster", "redis-sentinel",
                   "redis-streams", "redis-cluster-streams", "azure-queue", "azure-servicebus", "azure-eventhub",
                   "gcp-pubsub", "gcp-cloudtasks", "nats-jetstream", "stan", "activemq", "artemis-queue", "ibmmq",
                   "pulsar", "rabbitmq-queue", "aws-kinesis-stream", "solace-event-queue", "beanstalkd",
                   "nsq", "postgresql", "mysql", "mongodb"}
_QUERY_TRIGGERS = {"prometheus": "query", "datadog": "query", "new-relic": "nrql", "dynatrace": "query",
                   "elasticsearch": "query", "loki": "query", "influxdb": "query", "graphite": "query",
                   "splunk": "query", "gcp-stackdriver": "filter", "azure-monitor": "metricName",
                   "aws-cloudwatch": "metricName", "metrics-api": "valueLocation", "external": "scalerAddress",
                   "external-push": "scalerAddress"}


@record
class Scaler:
    target_kind: str | None
    target_name: str | None
    metric_kind: str
    metric: str | None
    min: int | None
    max: int | None
    target: float | None
    cpu_trigger: str | None = None  # a CPU/memory metric beside the one that names it (the HPA takes the max)


def _pick(metrics: list[tuple[str, str | None, float | None]]) -> tuple[str, str | None, float | None]:
    """The metric asking for most replicas that matters most names the autoscaler."""
    return pick_metric(metrics) or ("unknown", None, None)


def _target_value(t: dict[str, Any]) -> float | None:
    for key in ("averageUtilization", "averageValue", "value", "targetAverageUtilization", "targetAverageValue",
                "targetValue"):
        if key in t:
            return quantity(t.get(key))
    return None


def _hpa_metric(m: dict[str, Any]) -> tuple[str, str | None, float | None] | None:
    mtype = str(m.get("type") or "")
    if mtype in ("Resource", "ContainerResource"):
        body = as_dict(m.get("resource") or m.get("containerResource"))
        name = str(body.get("name") or "")
        target = as_dict(body.get("target")) or body
        kind = "cpu" if name == "cpu" else "memory" if name == "memory" else classify_metric(name)
        label = f"{name} utilization" if "averageUtilization" in target or "targetAverageUtilization" in target \
            else name
        return kind, label, _target_value(target)
    if mtype in ("Pods", "Object", "External"):
        body = as_dict(m.get(mtype.lower()))
        metric = as_dict(body.get("metric"))
        name = metric.get("name") or body.get("metricName")
        if not isinstance(name, str):
            return None
        target = as_dict(body.get("target")) or body
        return classify_metric(name), name, _target_value(target)
    return None


def hpa(api_version: str, data: dict[str, Any]) -> Scaler:
    spec = as_dict(data.get("spec"))
    ref = as_dict(spec.get("scaleTargetRef"))
    lo = count_of(spec, "minReplicas", 1)
    hi = count(spec.get("maxReplicas"))
    metrics: list[tuple[str, str | None, float | None]] = []
    if api_version.endswith("/v1"):
        pct = spec.get("targetCPUUtilizationPercentage")
        metrics.append(("cpu", "cpu utilization", quantity(pct) if pct is not None else 80.0))
    else:
        for m in as_list(spec.get("metrics")):
            got = _hpa_metric(as_dict(m))
            if got:
                metrics.append(got)
        if not as_list(spec.get("metrics")):
            metrics.append(("cpu", "cpu utilization (HPA default, 80%)", 80.0))
    picked = _pick(metrics)
    kind, metric, target = picked
    return Scaler(_str(ref.get("kind")), _str(ref.get("name")), kind, metric, lo, hi, target,
                  cpu_trigger(metrics, picked))


def _str(v: Any) -> str | None:
    return v if isinstance(v, str) and v else None


def keda_trigger(t: dict[str, Any]) -> tuple[str, str | None, float | None]:
    ttype = str(t.get("type") or "").lower()
    meta = as_dict(t.get("metadata"))
    if ttype in ("cpu", "memory"):
        value = meta.get("value")
        return ttype, f"{ttype} {str(t.get('metricType') or meta.get('type') or 'Utilization').lower()}", \
            quantity(value) if value is not None else None
    threshold = quantity(meta.get("threshold") or meta.get("targetValue") or meta.get("queueLength")
                         or meta.get("lagThreshold") or meta.get("listLength") or meta.get("value"))
    if ttype in _QUEUE_TRIGGERS:
        what = meta.get("queueName") or meta.get("topic") or meta.get("listName") or meta.get("queueURL") \
            or meta.get("subscriptionName") or meta.get("stream")
        return "queue", f"{ttype}" + (f" {what}" if isinstance(what, str) else ""), threshold
    if ttype == "cron":
        return "schedule", f"cron {meta.get('start', '')}..{meta.get('end', '')}".strip(), None
    if ttype in _QUERY_TRIGGERS:
        text = meta.get(_QUERY_TRIGGERS[ttype]) or meta.get("query") or meta.get("metricName")
        text = text if isinstance(text, str) else None
        kind = classify_query(text) if ttype not in ("aws-cloudwatch", "azure-monitor") else classify_metric(text)
        if kind == "unknown":
            kind = "custom"
        return kind, f"{ttype}: {' '.join(text.split())[:160]}" if text else ttype, threshold
    return classify_metric(ttype) if ttype else "unknown", ttype or None, threshold


def keda_triggers(triggers: Any) -> tuple[str, str | None, float | None]:
    """The trigger that names the scaling signal; a ``triggers`` that is not a list has none."""
    items = triggers if isinstance(triggers, list) else []
    return _pick([keda_trigger(as_dict(t)) for t in items if isinstance(t, dict)])


def scaled_object(data: dict[str, Any]) -> Scaler:
    spec = as_dict(data.get("spec"))
    ref = as_dict(spec.get("scaleTargetRef"))
    lo = count_of(spec, "minReplicaCount", 0)
    hi = count_of(spec, "maxReplicaCount", 100)
    idle = count_of(spec, "idleReplicaCount")
    if idle is not None and lo is not None and idle < lo:
        lo = idle  # KEDA scales to idleReplicaCount when no trigger is active
    triggers = [keda_trigger(as_dict(t)) for t in as_list(spec.get("triggers")) if isinstance(t, dict)]
    picked = _pick(triggers)
    kind, metric, target = picked
    return Scaler(_str(ref.get("kind")) or "Deployment", _str(ref.get("name")), kind, metric, lo, hi, target,
                  cpu_trigger(triggers, picked))


# KServe (pkg/constants/constants.go): the deployment modes that make a Deployment, not a Knative Service
_KSERVE_RAW = ("rawdeployment", "standard")


def kserve(annotations: dict[str, str], pred: dict[str, Any], lo: int | None, hi: int | None
           ) -> tuple[dict[str, Any] | None, str | None]:
    """The autoscaler KServe makes for a predictor, and a note when it makes none.

    Raw deployments follow ``serving.kserve.io/autoscalerClass`` (hpa by default): ``hpa`` reads the cpu/memory
    entries of ``autoScaling.metrics`` or ``scaleMetric``/``scaleTarget`` (CPU 80% by default), ``keda`` turns every
    ``autoScaling.metrics`` entry into a ScaledObject trigger, ``none`` and ``external`` make no autoscaler.
    Serverless ones get Knative's KPA on ``autoscaling.knative.dev/metric`` or ``scaleMetric`` (concurrency)."""
    bounds = {k: v for k, v in (("min", lo), ("max", hi)) if v is not None}  # else the predictor's own bounds
    metric = pred.get("scaleMetric") if isinstance(pred.get("scaleMetric"), str) else None
    target = pred.get("scaleTarget") if isinstance(pred.get("scaleTarget"), (int, float)) else None
    mode = annotations.get("serving.kserve.io/deploymentMode", "Serverless")
    if mode.lower() not in _KSERVE_RAW:
        name = metric or annotations.get("autoscaling.knative.dev/metric", "concurrency")
        kind = {"cpu": "cpu", "memory": "memory"}.get(name, "requests")
        label = f"KServe scaleMetric {metric}" if metric else f"Knative KPA {name} (KServe serverless)"
        return {"metric_kind": kind, "metric": label, "target": target, **bounds}, None
    cls = annotations.get("serving.kserve.io/autoscalerClass", "hpa").lower()
    entries = [as_dict(m) for m in as_list(as_dict(pred.get("autoScaling")).get("metrics"))]
    if cls == "none":
        return None, "KServe autoscalerClass none: no autoscaler, the predictor runs minReplicas pods"
    if cls == "external":
        return ({"metric_kind": "unknown", "metric": "an autoscaler outside KServe (autoscalerClass external)"},
                "KServe autoscalerClass external: replicas are set by an autoscaler not in this scan")
    if cls == "keda":
        triggers = [t for t in map(_kserve_trigger, entries) if t]
        picked = _pick(triggers)
        return {"metric_kind": picked[0], "metric": f"KEDA {picked[1]} (KServe autoscalerClass keda)" if picked[1]
                else None, "target": picked[2], "cpu_trigger": cpu_trigger(triggers, picked), **bounds}, None
    # hpa: only cpu and memory Resource entries become HPA metrics (hpa_reconciler.go getHPAMetrics)
    found = [got for got in (_hpa_metric(m) for m in entries if m.get("type") == "Resource")
             if got and got[0] in ("cpu", "memory")]
    if found:
        picked = _pick(found)
        return {"metric_kind": picked[0], "metric": f"{picked[1]} (KServe HPA)", "target": picked[2],
                "cpu_trigger": cpu_trigger(found, picked), **bounds}, None
    if metric == "memory":
        return {"metric_kind": "memory", "metric": "memory (KServe HPA scaleMetric)", "target": target, **bounds}, None
    label = f"KServe raw deployment HPA, scaleTarget {target:g}%" if target else \
        "KServe raw deployment default HPA, 80%"
    return {"metric_kind": "cpu", "metric": f"cpu utilization ({label})", "target": float(target or 80), **bounds}, None


def _kserve_trigger(m: dict[str, Any]) -> tuple[str, str | None, float | None] | None:
    """One ``autoScaling.metrics`` entry read as the KEDA trigger KServe writes for it (keda_reconciler.go)."""
    mtype = m.get("type")
    if mtype == "Resource":
        body = as_dict(m.get("resource"))
        t = as_dict(body.get("target"))
        value = t.get("averageUtilization") or t.get("averageValue") or t.get("value")
        return keda_trigger({"type": body.get("name"), "metricType": t.get("type"), "metadata": {"value": value}})
    if mtype == "External":
        body = as_dict(m.get("external"))
        metric = as_dict(body.get("metric"))
        return keda_trigger({"type": metric.get("backend") or "prometheus",
                             "metadata": {"query": metric.get("query"),
                                          "threshold": as_dict(body.get("target")).get("value")}})
    if mtype == "PodMetric":
        body = as_dict(m.get("podmetric"))
        metric = as_dict(body.get("metric"))
        query = metric.get("query") or " ".join(str(n) for n in as_list(metric.get("metricNames")))
        kind = classify_query(query) if isinstance(query, str) and query else "unknown"
        return (kind if kind != "unknown" else "custom", f"{metric.get('backend') or 'opentelemetry'}: {query}",
                quantity(as_dict(body.get("target")).get("value")))
    return None
