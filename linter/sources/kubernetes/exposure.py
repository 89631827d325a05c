"""Services, Ingresses, Gateway API routes and OpenShift Routes: which workloads they expose, and whether publicly."""

from __future__ import annotations

from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.kubernetes.shapes import as_dict, as_list

_INTERNAL_ANNOTATIONS = {
    "service.beta.kubernetes.io/aws-load-balancer-internal": ("true", "0.0.0.0/0"),
    "service.beta.kubernetes.io/aws-load-balancer-scheme": ("internal",),
    "networking.gke.io/load-balancer-type": ("internal",),
    "cloud.google.com/load-balancer-type": ("internal",),
    "service.beta.kubernetes.io/azure-load-balancer-internal": ("true",),
    "alb.ingress.kubernetes.io/scheme": ("internal",),
    "service.beta.kubernetes.io/oci-load-balancer-internal": ("true",),
}


@record
class Exposure:
    public: bool
    selector: dict[str, str] = field(default_factory=dict)  # Service: pod labels it selects
    services: list[str] = field(default_factory=list)  # Ingress/route: Service names it sends traffic to


def _internal(annotations: dict[str, Any]) -> str | None:
    for key, values in _INTERNAL_ANNOTATIONS.items():
        v = annotations.get(key)
        if v is not None and str(v).lower() in values:
            return f"{key}: {v}"
    return None


def exposure_of(kind: str, data: dict[str, Any]) -> Exposure:
    meta = as_dict(data.get("metadata"))
    spec = as_dict(data.get("spec"))
    annotations = as_dict(meta.get("annotations"))
    internal = _internal(annotations)
    if kind == "Service":
        stype = str(spec.get("type") or "ClusterIP")
        public = stype == "LoadBalancer" and internal is None
        selector = {str(k): str(v) for k, v in as_dict(spec.get("selector")).items()}
        return Exposure(public, selector=selector)
    if kind == "Ingress":
        cls = str(spec.get("ingressClassName") or annotations.get("kubernetes.io/ingress.class") or "")
        if "internal" in cls.lower() and internal is None:
            internal = f"ingress class {cls}"
        services: list[str] = []
        default = as_dict(spec.get("defaultBackend") or spec.get("backend"))
        paths = [p for r in as_list(spec.get("rules")) for p in as_list(as_dict(as_dict(r).get("http")).get("paths"))
                 if isinstance(p, dict)]
        for backend in [default, *(as_dict(p.get("backend")) for p in paths)]:
            name = as_dict(backend.get("service")).get("name") or backend.get("serviceName")
            if isinstance(name, str) and name not in services:
                services.append(name)
        return Exposure(internal is None, services=services)
    if kind == "Route":  # OpenShift: spec.to and alternateBackends name Services; the router publishes spec.host
        backends = [as_dict(spec.get("to")), *(as_dict(b) for b in as_list(spec.get("alternateBackends")))]
        names = [b["name"] for b in backends
                 if b.get("kind", "Service") == "Service" and isinstance(b.get("name"), str)]
        return Exposure(internal is None, services=list(dict.fromkeys(names)))
    # HTTPRoute / GRPCRoute
    services = []
    for rule in as_list(spec.get("rules")):
        for ref in as_list(as_dict(rule).get("backendRefs")):
            ref = as_dict(ref)
            if ref.get("kind", "Service") == "Service" and isinstance(ref.get("name"), str) \
                    and ref["name"] not in services:
                services.append(ref["name"])
    gateways = [str(as_dict(p).get("name")) for p in as_list(spec.get("parentRefs")) if isinstance(p, dict)]
    internal = internal or next((f"parent gateway {g}" for g in gateways if "internal" in g.lower()), None)
    return Exposure(internal is None, services=services)
