"""LiteLLM proxy config files (``config.yaml`` with a top-level ``model_list``) -> one resource per route.

Each ``model_list`` entry is a gateway route to one deployment: a hosted API billed per token
(``azure/``, ``openai/``, ``bedrock/``, ``vertex_ai/``, ``anthropic/`` ...) or a self-hosted
server (``hosted_vllm/``, ``ollama/``, ``openai/`` with an in-cluster ``api_base``). Facts:

- token cap: ``litellm_params.max_tokens`` / ``max_completion_tokens``, or the router-wide
  ``router_settings.default_litellm_params.max_tokens``;
- limits: ``litellm_params.rpm`` / ``tpm``, ``general_settings.max_parallel_requests`` /
  ``global_max_parallel_requests``, ``litellm_settings.max_budget`` (with ``budget_duration``),
  per-key ceilings in ``litellm_settings.upperbound_key_generate_params`` /
  ``default_key_generate_params`` (``rpm_limit``, ``tpm_limit``, ``max_budget``).

The same config embedded in a Kubernetes ConfigMap (as the LiteLLM Helm chart renders it) is
read too, with lines counted from the manifest. Values like ``os.environ/KEY`` are never resolved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from typing import Any

from linter.model import LLMEndpoint, Resource, ScanError

_MARKER = re.compile(r"(?m)^\s*model_list\s*:", re.ASCII)
_HOSTED = {"azure": "azure", "azure_ai": "azure", "openai": "openai", "anthropic": "anthropic", "bedrock": "aws",
           "bedrock_converse": "aws", "vertex_ai": "gcp", "vertex_ai_beta": "gcp", "gemini": "gcp"}
_SELF_HOSTED = {"hosted_vllm", "vllm", "ollama", "ollama_chat", "huggingface", "text-completion-openai", "openai_like",
                "sagemaker", "triton", "llamafile", "lm_studio"}
# An address inside the cluster or the host: a Service (name.ns.svc, or a bare name such as vllm-server, which only
# resolves inside a cluster or a Compose network), localhost, a private or link-local IP, an .internal name
_CLUSTER_HOST = re.compile(r"://([^/.:@]+|[^/]*(\.svc(\.cluster\.local)?|localhost|\.internal)|127\.\d+\.\d+\.\d+|10\.[\d.]+"
                           r"|192\.168\.[\d.]+|172\.(1[6-9]|2\d|3[01])\.[\d.]+)(:\d+)?(/|$)")


def has_model_list(text: str) -> bool:
    """A line that starts with ``model_list:``: a LiteLLM config, plain or inside a ConfigMap. The manifest reader
    asks this of every YAML file it reads, so LiteLLM configs are found without reading each file twice."""
    return "model_list" in text and _MARKER.search(text) is not None  # the substring test is a fast scan


def is_litellm_file(path: str) -> bool:
    """``has_model_list`` for a file the manifest reader does not read (skipped by its path): its first 256 KiB."""
    from linter.files import read_all  # never blocks on a named pipe

    try:
        head = read_all(path, 262_144)
    except OSError:
        return False
    return has_model_list(head.decode("utf-8", "replace"))


def read_litellm(paths: list[str], display: Callable[[str], str]) -> tuple[list[Resource], list[ScanError], set[str]]:
    """Resources of the LiteLLM configs among ``paths`` (files with a ``model_list:`` line); the set holds the files
    that are nothing else (plain configs, whose manifest reading is then dropped)."""
    import yaml

    from linter.files import UnreadableFile, read_text
    from linter.suppress import remember

    resources: list[Resource] = []
    errors: list[ScanError] = []
    consumed: set[str] = set()
    for path in paths:
        shown = display(path)
        try:
            text = read_text(path)
        except UnreadableFile as exc:
            errors.append(ScanError(file=shown, line=exc.line, message=exc.message))
            consumed.add(path)
            continue
        remember(path, text)
        try:
            docs = list(yaml.compose_all(text, Loader=yaml.SafeLoader))
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            if "apiVersion" not in text:
                consumed.add(path)
                errors.append(ScanError(file=shown, line=mark.line + 1 if mark else None,
                                        message=f"invalid YAML in LiteLLM config: {getattr(exc, 'problem', exc)}"))
            continue
        for doc in docs:
            if doc is None:
                continue
            if _key(doc, "model_list") is not None:
                consumed.add(path)
                resources.extend(_routes(doc, 0, shown, path))
            elif _scalar(_key(doc, "kind")) == "ConfigMap":
                meta = _key(doc, "metadata")
                configmap = f"{_scalar(_key(meta, 'namespace')) or 'default'}/{_scalar(_key(meta, 'name')) or ''}"
                for value in _mapping_values(_key(doc, "data")):
                    if isinstance(value, yaml.ScalarNode) and "model_list" in value.value:
                        for r in _embedded(value, shown, path, errors):
                            r.links["configmap"] = configmap  # the proxy that mounts it says if it is public
                            resources.append(r)
    return resources, errors, consumed


def _key(node: Any, name: str) -> Any:
    import yaml

    if isinstance(node, yaml.MappingNode):
        for k, v in node.value:
            if isinstance(k, yaml.ScalarNode) and k.value == name:
                return v
    return None


def _scalar(node: Any) -> str | None:
    import yaml

    return node.value if isinstance(node, yaml.ScalarNode) else None


def _mapping_values(node: Any) -> list[Any]:
    import yaml

    return [v for _, v in node.value] if isinstance(node, yaml.MappingNode) else []


def _embedded(value: Any, shown: str, path: str, errors: list[ScanError]) -> list[Resource]:
    """A config held in a ConfigMap's block scalar: its lines start one below the key."""
    import yaml

    offset = value.start_mark.line + (1 if value.style in ("|", ">") else 0)
    try:
        doc = yaml.compose(value.value, Loader=yaml.SafeLoader)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(ScanError(file=shown, line=offset + mark.line + 1 if mark else value.start_mark.line + 1,
                                message=f"invalid YAML in the LiteLLM config embedded in a ConfigMap: "
                                        f"{getattr(exc, 'problem', exc)}"))
        return []
    return _routes(doc, offset, shown, path) if doc is not None and _key(doc, "model_list") is not None else []


def _plain(node: Any) -> Any:
    import yaml

    return yaml.safe_load(yaml.serialize(node)) if node is not None else None


def _dict(v: Any) -> dict[str, Any]:
    return v if isinstance(v, dict) else {}


def _num(v: Any) -> float | None:
    if isinstance(v, bool):
        return None
    if isinstance(v, (int, float)):
        return float(v)
    if isinstance(v, str) and re.fullmatch(r"\d+(\.\d+)?", v.strip()):
        return float(v)
    return None


def _global_limits(cfg: dict[str, Any]) -> tuple[list[str], dict[str, float]]:
    """Proxy-wide limits and caps: (limits in words, router-wide token caps)."""
    general = _dict(cfg.get("general_settings"))
    settings = _dict(cfg.get("litellm_settings"))
    router = _dict(cfg.get("router_settings"))
    limits: list[str] = []
    for key in ("max_parallel_requests", "global_max_parallel_requests"):
        for section, values in (("general_settings", general), ("litellm_settings", settings)):
            if _num(values.get(key)):
                limits.append(f"{section}.{key}: {values[key]} (concurrent requests)")
    if _num(settings.get("max_budget")):
        period = settings.get("budget_duration")
        limits.append(f"litellm_settings.max_budget: ${settings['max_budget']}"
                      + (f" per {period}" if period else " (total, no budget_duration)"))
    for key in ("upperbound_key_generate_params", "default_key_generate_params"):
        params = _dict(settings.get(key))
        found = [f"{k}={params[k]}" for k in ("rpm_limit", "tpm_limit", "max_budget") if _num(params.get(k))]
        if found:
            limits.append(f"litellm_settings.{key}: {', '.join(found)} (per virtual key)")
    caps: dict[str, float] = {}
    defaults = _dict(router.get("default_litellm_params"))
    for key in ("max_tokens", "max_completion_tokens"):
        if _num(defaults.get(key)):
            caps[f"router_settings.default_litellm_params.{key}"] = float(defaults[key])
    return limits, caps


def _routes(doc: Any, offset: int, shown: str, path: str) -> list[Resource]:
    import yaml

    cfg = _dict(_plain(doc))
    limits, router_caps = _global_limits(cfg)
    items = _key(doc, "model_list")
    nodes = items.value if isinstance(items, yaml.SequenceNode) else []
    seen: dict[str, int] = {}
    out: list[Resource] = []
    open_proxy = not _dict(cfg.get("general_settings")).get("master_key")
    for node in nodes:
        entry = _dict(_plain(node))
        name = str(entry.get("model_name") or "?")
        seen[name] = seen.get(name, 0) + 1
        address = f"litellm/{name}" + (f"#{seen[name]}" if seen[name] > 1 else "")
        params = _dict(entry.get("litellm_params"))
        info = _dict(entry.get("model_info"))
        model = str(params.get("model") or "") or None
        llm = LLMEndpoint(kind="gateway", server="litellm", model=model,
                          evidence=[f"LiteLLM proxy route '{name}' (model_list entry)"])
        provider = (model or "").split("/", 1)[0] if model and "/" in model else None
        api_base = str(params.get("api_base") or "")
        if provider in _HOSTED and not _CLUSTER_HOST.search(api_base):
            llm.billing = "tokens"
            base = info.get("base_model") or params.get("base_model")
            llm.hosted_model = f"{provider}/{base}" if base and "/" not in str(base) else str(base or model)
        elif provider in _SELF_HOSTED or _CLUSTER_HOST.search(api_base):
            llm.routes_to = api_base or None
            llm.evidence.append(f"self-hosted backend ({provider or 'openai-compatible'}"
                                f"{', ' + api_base if api_base else ''})")
        else:  # no provider prefix: LiteLLM infers it (gpt-4o -> OpenAI)
            llm.billing = "tokens"
            llm.hosted_model = model
        if str(info.get("mode") or "") in ("embedding", "rerank", "image_generation", "audio_transcription") or \
                "embed" in (model or "").lower():
            llm.caps_checkable = False
            llm.cap_evidence.append(f"{info.get('mode') or 'embedding'} model: no generated tokens to cap")
        for key in ("max_tokens", "max_completion_tokens"):
            if _num(params.get(key)):
                llm.token_caps[f"litellm_params.{key}"] = float(params[key])
                llm.cap_evidence.append(f"litellm_params.{key}: {params[key]}")
        for key, value in router_caps.items():
            llm.token_caps.setdefault(key, value)
            llm.cap_evidence.append(f"{key}: {value:g} (router-wide default)")
        for key, what in (("rpm", "requests/min"), ("tpm", "tokens/min")):  # LiteLLM's router reads all three places
            for where, values in (("", entry), ("litellm_params.", params), ("model_info.", info)):
                if _num(values.get(key)):
                    llm.rate_limits.append(f"{where}{key}: {values[key]} {what} for this deployment")
                    break
        llm.rate_limits.extend(limits)
        if open_proxy:
            llm.public_evidence.append("general_settings.master_key is not set: the proxy accepts calls without a "
                                       "key from anyone who can reach it")
        r = Resource(address=address, type="litellm_model", source="litellm", provider=_provider_of(provider),
                     file=shown, line=offset + node.start_mark.line + 1, name=name,
                     origin=os.path.dirname(shown) or ".", llm=llm, facets=["llm_endpoint"])
        out.append(r)
    return out


def _provider_of(prefix: str | None) -> str:
    return _HOSTED.get(prefix or "", "litellm")
