"""LLM serving facts from Kubernetes objects, and whether (and how limited) their endpoints are public.

Workloads: the containers of any pod template (Deployment, StatefulSet, LeaderWorkerSet-style
templates, Helm-rendered charts), KServe InferenceService predictors (the Hugging Face runtime
runs vLLM; ``storageUri: hf://org/model`` names the model), Ray Serve LLM applications in a
RayService's ``serveConfigV2``. Exposure: a LoadBalancer or NodePort Service, a public Ingress
or Gateway API route in front of the pods, or KServe's serverless default (an external Knative
route unless labelled cluster-local). Rate limits: ingress-controller annotations on the route, and the
gateway policy objects that attach to it (route_policies.py: Envoy Gateway, Kong, Traefik).
"""

from __future__ import annotations

import re
from collections.abc import Callable
from typing import Any

from linter.facts.llm import params_from_id, quantization_in_name
from linter.facts.serving import container_of, serving_facts
from linter.model import LLMEndpoint, Resource
from linter.sources.kubernetes.classify import ROUTE_KINDS
from linter.sources.kubernetes.route_policies import RoutePolicies
from linter.sources.kubernetes.shapes import as_dict, as_list

# annotation -> what it limits; a value that is set and not "0" is a limit
RATE_LIMIT_ANNOTATIONS: dict[str, str] = {
    "nginx.ingress.kubernetes.io/limit-rps": "requests/s per client IP (ingress-nginx)",
    "nginx.ingress.kubernetes.io/limit-rpm": "requests/min per client IP (ingress-nginx)",
    "nginx.ingress.kubernetes.io/limit-connections": "concurrent connections per client IP (ingress-nginx)",
    "nginx.ingress.kubernetes.io/global-rate-limit": "requests per window, global (ingress-nginx)",
    "haproxy.org/rate-limit-requests": "requests per period (HAProxy ingress)",
    "haproxy.router.openshift.io/rate-limit-connections": "connections (OpenShift router)",
}
# annotations that attach a named policy: a limit when the name says so (the policy object is not read)
NAMED_POLICY_ANNOTATIONS = ("konghq.com/plugins", "traefik.ingress.kubernetes.io/router.middlewares",
                            "zalando.org/skipper-filter")
_RATE_NAME = re.compile(r"rate-?limit|ratelimit|throttl|quota", re.I)
_CLUSTER_LOCAL = ("networking.kserve.io/visibility", "serving.knative.dev/visibility",
                  "networking.knative.dev/visibility")


def workload_llm(kind: str, data: dict[str, Any], pods: list[dict[str, Any]]) -> LLMEndpoint | None:
    """The LLM facet of a workload: its first container that runs a known model server."""
    if kind == "RayService":
        llm = _ray_serve(data)
        if llm is not None:
            return llm
    for pod in pods:
        for c in as_list(pod.get("containers")):
            if not isinstance(c, dict):
                continue
            where = f"container '{c.get('name') or '?'}'"
            llm = _kserve_model(c, where) if kind == "InferenceService" and "modelFormat" in c else None
            llm = llm or serving_facts(container_of(c, where))
            if llm is not None:
                if kind == "InferenceService":
                    _kserve_visibility(llm, data)
                return llm
    return None


def _kserve_model(c: dict[str, Any], where: str) -> LLMEndpoint | None:
    """KServe ``predictor.model`` with ``modelFormat: huggingface``: the Hugging Face runtime, vLLM backend
    unless ``--backend=huggingface``."""
    fmt = str(as_dict(c.get("modelFormat")).get("name") or "").lower()
    if fmt != "huggingface":
        return None
    uri = str(c.get("storageUri") or "")
    # hf://org/model names the model; s3://bucket/models/org--Model-8B names it by its last path part
    hint = uri[len("hf://"):] if uri.startswith("hf://") else (uri.rstrip("/").rsplit("/", 1)[-1] or None)
    container = container_of(c, where)
    if any("backend=huggingface" in a or a == "huggingface" for a in container.argv):
        return serving_facts(container, "kserve-huggingface", "KServe Hugging Face runtime (--backend=huggingface, "
                             "transformers)", hint)
    return serving_facts(container, "vllm", "KServe Hugging Face runtime (modelFormat huggingface, vLLM backend)",
                         hint)


def _kserve_visibility(llm: LLMEndpoint, data: dict[str, Any]) -> None:
    meta = as_dict(data.get("metadata"))
    labels = {**as_dict(meta.get("labels")), **as_dict(meta.get("annotations"))}
    for key in _CLUSTER_LOCAL:
        if str(labels.get(key, "")).lower() == "cluster-local":
            llm.public = False
            llm.public_evidence.append(f"{key}: cluster-local")
            return
    mode = str(as_dict(meta.get("annotations")).get("serving.kserve.io/deploymentMode", "Serverless"))
    if mode.lower() == "serverless":
        llm.public = True
        llm.public_evidence.append("KServe serverless InferenceService: an external route through the Knative "
                                   "ingress gateway (no networking.kserve.io/visibility: cluster-local label)")


def _ray_serve(data: dict[str, Any]) -> LLMEndpoint | None:
    """Ray Serve LLM (``ray.serve.llm``) applications in ``serveConfigV2``: vLLM engine arguments per model."""
    import yaml

    raw = as_dict(data.get("spec")).get("serveConfigV2")
    if not isinstance(raw, str) or "llm_configs" not in raw:
        return None
    try:
        cfg = yaml.safe_load(raw)
    except yaml.YAMLError:
        return None
    for app in as_list(as_dict(cfg).get("applications")):
        for llm_cfg in as_list(as_dict(as_dict(app).get("args")).get("llm_configs")):
            llm_cfg = as_dict(llm_cfg)
            loading = as_dict(llm_cfg.get("model_loading_config"))
            engine = as_dict(llm_cfg.get("engine_kwargs"))
            model = str(loading.get("model_source") or loading.get("model_id") or "") or None
            llm = LLMEndpoint(kind="server", server="ray-serve-llm", model=model,
                              evidence=[f"Ray Serve LLM application '{as_dict(app).get('name') or '?'}' "
                                        "(serveConfigV2 llm_configs, vLLM engine)"])
            llm.dtype = str(engine["dtype"]).lower() if engine.get("dtype") else None
            llm.quantization = str(engine.get("quantization") or "").lower() or quantization_in_name(model)
            tp = engine.get("tensor_parallel_size")
            llm.tensor_parallel = int(tp) if isinstance(tp, int) else None
            for key in ("max_model_len",):
                if isinstance(engine.get(key), int):
                    llm.token_caps[key] = float(engine[key])
                    llm.cap_evidence.append(f"engine_kwargs.{key}={engine[key]} (serveConfigV2)")
            for key in ("max_num_batched_tokens", "max_num_seqs"):
                if isinstance(engine.get(key), int):
                    llm.batch_caps[key] = float(engine[key])
                    llm.cap_evidence.append(f"engine_kwargs.{key}={engine[key]} (serveConfigV2)")
            llm.params_b, why = params_from_id(model)
            llm.evidence.append(why)
            return llm
    return None


def route_rate_limits(data: dict[str, Any], kind: str = "Ingress", namespace: str = "default",
                      policies: RoutePolicies | None = None) -> list[str]:
    """Rate limits an Ingress or route sets, in words: its annotations, and the policy objects in the scan that
    attach to it or that its annotations and filters name (a named policy not in the scan counts by its name)."""
    policies = policies or RoutePolicies()
    annotations = as_dict(as_dict(data.get("metadata")).get("annotations"))
    out = []
    for key, what in RATE_LIMIT_ANNOTATIONS.items():
        value = annotations.get(key)
        if value is not None and str(value).strip() not in ("", "0"):
            out.append(f"{key}: {value} ({what})")
    for key in NAMED_POLICY_ANNOTATIONS:
        for name in (n.strip() for n in str(annotations.get(key) or "").split(",") if n.strip()):
            known, limit = _named_policy(key, name, namespace, policies)
            if limit:
                out.append(f"{key}: {limit}")
            elif not known and _RATE_NAME.search(name):
                out.append(f"{key}: {name} (a rate-limiting policy by its name; the object is not in the scan)")
    out.extend(policies.for_route(kind, namespace, data))
    return out


def _named_policy(key: str, name: str, namespace: str, policies: RoutePolicies) -> tuple[bool, str | None]:
    """(whether the named object is in the scan, its limit in words or None)."""
    if key == "konghq.com/plugins":
        return policies.kong_known(namespace, name), policies.kong(namespace, name)
    if key == "traefik.ingress.kubernetes.io/router.middlewares":
        ref = name.split("@", 1)[0]  # <namespace>-<name>@<provider>
        for (kind, ns, mw), limit in policies.named.items():
            if kind == "Middleware" and ref in (f"{ns}-{mw}", mw):
                return True, limit
    return False, None


def apply_exposure(built: list[tuple[Any, Resource]],
                   target_of: Callable[[str, str], Resource | None], policies: RoutePolicies | None = None) -> None:
    """Public-or-not and rate limits onto the LLM workloads behind each Service, Ingress and route.
    ``target_of(address, path)``: the workload at that address nearest to the file at ``path``. A limit on
    an Ingress counts only when no LoadBalancer/NodePort Service exposes the pods around it."""
    direct: dict[int, list[str]] = {}
    limits: dict[int, list[str]] = {}
    # workloads that mount a ConfigMap may be a gateway (a LiteLLM proxy) whose config is read by another reader:
    # their exposure is worked out the same way and left in links for the cross-source join (facts/links.py)
    proxies: dict[int, tuple[Resource, LLMEndpoint]] = {}
    for s, r in built:
        target_addr = r.links.get("routes_to")
        if r.type not in ("Service", *ROUTE_KINDS) or not target_addr:
            continue
        w = target_of(target_addr, s.path)
        if w is not None and w.llm is None and "configmaps" in w.links:
            proxies.setdefault(id(w), (w, LLMEndpoint(kind="gateway", server="proxy")))
            llm = proxies[id(w)][1]
        elif w is None or w.llm is None:
            continue
        else:
            llm = w.llm
        where = f"{r.address} ({r.file}:{r.line})"
        if r.type == "Service":
            stype = str(as_dict(s.data.get("spec")).get("type") or "ClusterIP")
            if "spec.type" in getattr(s, "unknown_fields", ()):
                llm.public_evidence.append(f"Service type known only at deploy time: {where}")
                continue
            if "public" in r.facets:
                direct.setdefault(id(llm), []).append(where)
                llm.public = True
                llm.public_evidence.append(f"Service type LoadBalancer without an internal-scheme annotation: {where}")
            elif stype == "NodePort":
                direct.setdefault(id(llm), []).append(where)
                llm.public = True
                llm.public_evidence.append(f"Service type NodePort, reachable on every node's address: {where}")
            elif llm.public is None:
                llm.public = False
                llm.public_evidence.append(f"only a {stype} Service in front: {where}")
            continue
        if "public" in r.facets:
            llm.public = True
            llm.public_evidence.append(f"public {r.type}: {where}")
        limits.setdefault(id(llm), []).extend(
            f"{lim} on {r.address}" for lim in route_rate_limits(s.data, r.type, s.namespace, policies))
    for _, r in built:
        llm = r.llm
        if llm is None or r.type in ("Service", *ROUTE_KINDS):
            continue
        _settle(llm, limits, direct)
    for w, llm in proxies.values():
        _settle(llm, limits, direct)
        if llm.public is not None:
            w.links["proxy_public"] = "true" if llm.public else "false"
        w.links["proxy_public_evidence"] = "\n".join(llm.public_evidence)
        w.links["proxy_rate_limits"] = "\n".join(llm.rate_limits)


def _settle(llm: LLMEndpoint, limits: dict[int, list[str]], direct: dict[int, list[str]]) -> None:
    """A route's limits count unless a Service exposes the same pods around the route."""
    found = limits.get(id(llm), [])
    if found and id(llm) in direct:
        llm.public_evidence.append(f"the route's rate limit is bypassed by {', '.join(direct[id(llm)])}")
    elif found:
        llm.rate_limits.extend(found)
