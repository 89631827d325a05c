"""Terraform LLM endpoints: the llm_endpoint facet for resources other mappers already built.

- Azure OpenAI: ``azurerm_cognitive_deployment`` (model, sku capacity in thousands of tokens per
  minute) on its ``azurerm_cognitive_account`` (public network access, network ACLs), the same written as
  ``azapi_resource`` (ARM types ``Microsoft.CognitiveServices/accounts[/deployments]``, read as the azurerm
  resources they mirror, :func:`linter.sources.terraform.map_azure.arm_mirror`), and the API
  Management APIs in front of the account with their policies (``azure-openai-token-limit``,
  ``llm-token-limit``, ``rate-limit(-by-key)``, ``quota(-by-key)`` in the policy XML, inline or in
  a ``file()``/``templatefile()`` next to the module).
- AWS API Gateway: REST APIs (v1: usage plans with throttle/quota, method-settings throttling) and
  HTTP APIs (v2: stage default_route_settings/route_settings throttling) whose integrations call
  SageMaker runtime, Bedrock runtime or an LLM Lambda (model id in its environment).
- ``aws_bedrock_provisioned_model_throughput``: model units bought by the hour.
- SageMaker endpoints: the serving facts of the model's container (TGI/LMI/vLLM environment).
- Vertex AI Model Garden deployments: the model they deploy, and the serving facts of ``model_config.container_spec``
  when the code gives the container (else Model Garden chooses it, and its token limits, at deploy).

Runs after the per-resource mappers (:func:`enrich`), reading only evaluated values; nothing is executed.
"""

from __future__ import annotations

import os
import re
from typing import Any

from linter.facts.serving import Container, serving_facts
from linter.model import LLMEndpoint, Resource
from linter.pricing.tokens import token_price
from linter.sources.terraform.map_azure import arm_mirror
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.normalize import MapContext
from linter.sources.terraform.values import as_number, is_unknown
from linter.sources.terraform.view import View, as_blocks, dig

_PTU_SKUS = ("provisionedmanaged", "globalprovisionedmanaged", "datazoneprovisionedmanaged")
_POLICY_TYPES = ("azurerm_api_management_api_policy", "azurerm_api_management_api_operation_policy",
                 "azurerm_api_management_product_policy", "azurerm_api_management_policy")
_XML_LIMITS = [
    (re.compile(r"<(azure-openai-token-limit|llm-token-limit)\b([^>]*)>", re.S), "tokens"),
    (re.compile(r"<(rate-limit-by-key|rate-limit)\b([^>]*)>", re.S), "calls"),
    (re.compile(r"<(quota-by-key|quota)\b([^>]*)>", re.S), "quota"),
]
_ATTR = re.compile(r"([\w-]+)\s*=\s*\"([^\"]*)\"")
_FILE_CALL = re.compile(r"xml_content\s*=\s*(?:file|templatefile)\(\s*\"(?:\$\{path\.module\}/)?([^\"$]+)\"")
_LLM_NAME = re.compile(r"llm|chat|gpt|bedrock|genai|claude|completion|inference|prompt", re.I)


def enrich(resources: list[Resource], ctx: MapContext) -> None:
    """Set ``llm`` on the resources of one root module that serve or front an LLM."""
    by_address = {r.address: r for r in resources}
    for raw in ctx.by_type.get("azurerm_cognitive_deployment", []) + _azapi(ctx, "azurerm_cognitive_deployment"):
        r = by_address.get(raw.address)
        if r is not None:
            r.llm = _azure_deployment(raw, ctx)
    for rtype in ("aws_api_gateway_rest_api", "aws_apigatewayv2_api"):
        for raw in ctx.by_type.get(rtype, []):
            r = by_address.get(raw.address)
            if r is not None:
                r.llm = _api_gateway(raw, ctx, by_address)
    for raw in ctx.by_type.get("aws_bedrock_provisioned_model_throughput", []):
        r = by_address.get(raw.address)
        if r is not None:
            r.llm = _bedrock_provisioned(raw)
    for rtype in ("aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration"):
        for raw in ctx.by_type.get(rtype, []):
            r = by_address.get(raw.address)
            if r is not None and r.compute is not None:
                r.llm = _sagemaker(raw, ctx)
    for raw in ctx.by_type.get("google_vertex_ai_endpoint_with_model_garden_deployment", []):
        r = by_address.get(raw.address)
        if r is not None:
            r.llm = _model_garden(raw)


# -- helpers -----------------------------------------------------------------------------------
def _refs(value: Any) -> list[str]:
    if is_unknown(value):
        return list(value.refs)
    if isinstance(value, list):
        return [r for v in value for r in _refs(v)]
    if isinstance(value, dict):
        return [r for v in value.values() for r in _refs(v)]
    return []


def _points_to(value: Any, target: RawResource) -> bool:
    """A value that refers to ``target``: by reference (even if unknown; a reference to all instances of a counted
    resource, as a ``for`` over them gives, refers to each), or by its literal name/id."""
    if any(ref == target.address or ref.startswith(target.address + ".") or ref.startswith(target.address + "[")
           or target.address.startswith(ref + "[") for ref in _refs(value)):
        return True
    names = {str(target.values.get(k)) for k in ("name", "id", "custom_subdomain_name")
             if isinstance(target.values.get(k), str)}
    return isinstance(value, str) and any(n and n in value for n in names)


def _where(raw: RawResource) -> str:
    return f"{raw.address} ({raw.file}:{raw.line})"


# -- Azure OpenAI ------------------------------------------------------------------------------
def _azure_deployment(raw: RawResource, ctx: MapContext) -> LLMEndpoint:
    v = raw.values
    model = dig(v, "model", "name")
    model = model if isinstance(model, str) else None
    sku = next((s for s in (dig(v, "sku", "name"), dig(v, "scale", "type")) if s is not None), "Standard")
    size = next((c for c in (dig(v, "sku", "capacity"), dig(v, "scale", "capacity")) if c is not None), None)
    capacity = as_number(size)
    llm = LLMEndpoint(kind="managed", server="azure-openai", model=model, caps_checkable=False,
                      evidence=[f"Azure OpenAI deployment of {model or 'an unknown model'}, sku "
                                f"{f'known only at apply ({sku.reason})' if is_unknown(sku) else sku}"])
    if not is_unknown(sku) and str(sku).lower() in _PTU_SKUS:
        llm.billing = "capacity"
        llm.evidence.append(f"{sku}: {capacity or '?'} PTUs billed by the hour, not per token")
    else:
        llm.billing = "tokens"
        llm.hosted_model = f"azure/{model}" if model else None
        if is_unknown(size):  # never the default of 1: the deployment's quota is simply not known yet
            llm.evidence.append(f"sku.capacity known only at apply ({size.reason}): tokens/min unknown")
        elif capacity is None:
            capacity = 1.0  # the provider's default for sku.capacity
            llm.evidence.append("sku.capacity not set: the azurerm default of 1 (1,000 tokens/min)")
        if capacity is not None:
            llm.capacity_tpm = capacity * 1000
            llm.evidence.append(f"capacity {capacity:g} x 1,000 tokens/min = {capacity * 1000:,.0f} tokens/min "
                                f"({sku} quota unit)")
    account = cognitive_account(ctx, tuple(_refs(v.get("cognitive_account_id"))))
    if account is None:
        llm.public_evidence.append("cognitive account not in the scanned code: its network access is unknown")
        return llm
    _account_exposure(llm, account)
    _apim_in_front(llm, account, ctx)
    return llm


# the resource types an Azure OpenAI deployment's cognitive_account_id may name (azurerm_ai_services: AI Foundry)
ACCOUNT_TYPES = ("azurerm_cognitive_account", "azurerm_ai_services")


def cognitive_account(ctx: MapContext, refs: tuple[str, ...]) -> RawResource | None:
    """The account a deployment runs on; an azapi_resource account (its parent_id) as the azurerm one it mirrors."""
    found = next((a for t in ACCOUNT_TYPES if (a := ctx.resolve(refs, t)) is not None), None)
    azapi = ctx.resolve(refs, "azapi_resource") if found is None else None
    mirror = _mirror(azapi, ctx) if azapi is not None else None
    return mirror if mirror is not None and mirror.type in ACCOUNT_TYPES else found


def _azapi(ctx: MapContext, rtype: str) -> list[RawResource]:
    """The ``azapi_resource``s of an ARM type that mirrors ``rtype``, read as that azurerm resource."""
    return [m for raw in ctx.by_type.get("azapi_resource", []) if (m := _mirror(raw, ctx)) is not None
            and m.type == rtype]


def _mirror(raw: RawResource, ctx: MapContext) -> RawResource | None:
    return arm_mirror(View(raw), ctx)


def _account_exposure(llm: LLMEndpoint, account: RawResource) -> None:
    v = account.values
    where = _where(account)
    if v.get("public_network_access_enabled") is False or v.get("public_network_access") == "Disabled":
        llm.public = False
        llm.public_evidence.append(f"public_network_access_enabled = false on {where}"
                                   if v.get("public_network_access_enabled") is False else
                                   f"public_network_access = \"Disabled\" on {where}")
        return
    acl = as_blocks(v.get("network_acls"))
    action = str(acl[0].get("default_action")) if acl else None
    if action == "Deny":
        ips = acl[0].get("ip_rules")  # a list, or a value known only at apply time (var.allowed_client_ips)
        llm.public = False
        llm.public_evidence.append(f"network_acls default_action = Deny on {where}"
                                   + (f" (allows {len(ips)} IP range(s))" if isinstance(ips, list) and ips else ""))
        return
    access = next((a for a in (v.get("public_network_access_enabled"), v.get("public_network_access"))
                   if is_unknown(a)), None)
    if access is not None:  # public or not is decided at apply: say so rather than guess
        llm.public_evidence.append(f"{where}: public network access known only at apply ({access.reason})")
        return
    llm.public = True
    llm.public_evidence.append(f"{where}: public network access (public_network_access_enabled not false, no "
                               "network_acls default_action = Deny): callable from the internet with a key or token")


def _apim_in_front(llm: LLMEndpoint, account: RawResource, ctx: MapContext) -> None:
    """APIs of API Management that send traffic to the account, and the limits their policies set."""
    apis = [a for a in ctx.by_type.get("azurerm_api_management_api", [])
            if _points_to(a.values.get("service_url"), account)]
    backends = [b for b in ctx.by_type.get("azurerm_api_management_backend", []) + _azapi(
                ctx, "azurerm_api_management_backend") if _points_to(b.values.get("url"), account)]
    if backends:  # a policy routes to the backend by id: every API of that APIM may use it
        services = {str(b.values.get("api_management_name")) for b in backends}
        apis += [a for a in ctx.by_type.get("azurerm_api_management_api", [])
                 if str(a.values.get("api_management_name")) in services and a not in apis]
    if not apis:
        return
    services = {str(a.values.get("api_management_name")) for a in apis}
    names = ", ".join(a.address for a in apis)
    for apim in ctx.by_type.get("azurerm_api_management", []):
        if str(apim.values.get("name")) in services or any(_points_to(a.values.get("api_management_name"), apim)
                                                          for a in apis):
            internal = str(apim.values.get("virtual_network_type") or "None") == "Internal"
            if not internal:
                llm.public = True
            llm.public_evidence.append(f"fronted by API Management {apim.address} ({names}), "
                                       f"{'internal VNet' if internal else 'public gateway'}")
    for rtype in _POLICY_TYPES:
        for policy in ctx.by_type.get(rtype, []):
            pv = policy.values
            if rtype in ("azurerm_api_management_api_policy", "azurerm_api_management_api_operation_policy"):
                applies = any(_points_to(pv.get("api_name"), a) for a in apis)
            else:
                applies = bool(services & {str(pv.get("api_management_name"))}) or any(
                    _points_to(pv.get("api_management_id"), apim) for apim in ctx.by_type.get(
                        "azurerm_api_management", []) if str(apim.values.get("name")) in services)
                applies = applies or rtype == "azurerm_api_management_product_policy"
            if not applies:
                continue
            xml, origin = _policy_xml(policy)
            if xml is None:
                llm.public_evidence.append(f"policy {_where(policy)}: {origin}")
                continue
            for limit in xml_limits(xml):
                llm.rate_limits.append(f"{limit} in {policy.address} ({origin})")


def xml_limits(xml: str) -> list[str]:
    """Token, call-rate and quota limits an API Management policy document sets, in words."""
    out = []
    for pattern, what in _XML_LIMITS:
        for m in pattern.finditer(xml):
            attrs = dict(_ATTR.findall(m.group(2)))
            if what == "tokens":
                parts = [f"{k}={attrs[k]}" for k in ("tokens-per-minute", "token-quota", "token-quota-period")
                         if k in attrs]
            elif what == "calls":
                parts = [f"{k}={attrs[k]}" for k in ("calls", "renewal-period") if k in attrs]
            else:
                parts = [f"{k}={attrs[k]}" for k in ("calls", "bandwidth", "renewal-period") if k in attrs]
            if parts:
                out.append(f"<{m.group(1)} {' '.join(parts)}>")
    return out


def _policy_xml(policy: RawResource) -> tuple[str | None, str]:
    """The policy document: the evaluated ``xml_content`` (named by the file its file()/templatefile() reads), else
    that file's text (a templatefile() whose variables are given at apply still holds its literal limits)."""
    value = policy.values.get("xml_content")
    named = _policy_file(policy)
    if isinstance(value, str):
        return value, f"policy file {named[0]}" if named else "xml_content"
    if named is None:
        return None, "xml_content not known statically (xml_link or a computed value)"
    from linter.files import read_all  # never blocks on a named pipe
    from linter.sources.terraform.file_functions import FunctionError, _inside

    try:
        _inside(named[1])
        return read_all(named[1]).decode("utf-8", "replace"), f"policy file {named[0]}"
    except FunctionError as exc:
        return None, str(exc)
    except OSError:
        return None, f"policy file {named[0]} not found"


def _policy_file(policy: RawResource) -> tuple[str, str] | None:
    """(the name a policy's file()/templatefile() call gives, its path), read off the resource block."""
    from linter.files import read_all

    try:
        lines = read_all(policy.file).decode("utf-8", "replace").splitlines()
    except OSError:
        return None
    m = _FILE_CALL.search("\n".join(lines[policy.line - 1: policy.line + 40]))
    if not m:
        return None
    return m.group(1), os.path.normpath(os.path.join(os.path.dirname(policy.file), m.group(1)))


# -- AWS API Gateway -----------------------------------------------------------------------------
def _api_gateway(raw: RawResource, ctx: MapContext, by_address: dict[str, Resource]) -> LLMEndpoint | None:
    v1 = raw.type == "aws_api_gateway_rest_api"
    itype = "aws_api_gateway_integration" if v1 else "aws_apigatewayv2_integration"
    key = "rest_api_id" if v1 else "api_id"
    backend: LLMEndpoint | None = None
    backend_why = ""
    for integ in ctx.by_type.get(itype, []):
        if not _points_to(integ.values.get(key), raw):
            continue
        uri = integ.values.get("uri" if v1 else "integration_uri")
        backend, backend_why = _backend(uri, ctx, by_address)
        if backend is not None:
            break
    if backend is None:
        return None
    llm = LLMEndpoint(kind="gateway", server="api-gateway", model=backend.model, hosted_model=backend.hosted_model,
                      billing=backend.billing, caps_checkable=False, routes_to=backend.routes_to,
                      evidence=[f"API Gateway {'REST' if v1 else 'HTTP'} API in front of {backend_why}"])
    types = dig(raw.values, "endpoint_configuration", "types") if v1 else None
    if isinstance(types, list) and "PRIVATE" in types:
        llm.public = False
        llm.public_evidence.append(f"endpoint_configuration types = PRIVATE on {_where(raw)}")
    else:
        llm.public = True
        llm.public_evidence.append(f"{_where(raw)}: a public {'REST' if v1 else 'HTTP'} API endpoint"
                                   + (f" ({', '.join(types)})" if isinstance(types, list) and types else ""))
    if v1:
        _v1_limits(llm, raw, ctx)
    else:
        _v2_limits(llm, raw, ctx)
    return llm


def _backend(uri: Any, ctx: MapContext, by_address: dict[str, Resource]) -> tuple[LLMEndpoint | None, str]:
    text = uri if isinstance(uri, str) else ""
    m = re.search(r":bedrock(?:-runtime)?:path/model/([^/]+)/", text)
    if m or "bedrock" in text:
        model = m.group(1) if m and "{" not in m.group(1) else None
        llm = LLMEndpoint(kind="gateway", server="bedrock", model=model)
        if model and token_price(f"bedrock/{model}"):
            llm.billing, llm.hosted_model = "tokens", f"bedrock/{model}"
        return llm, f"Bedrock runtime{f' ({model})' if model else ''}"
    m = re.search(r"runtime\.sagemaker:path/+endpoints/([^/]+)/", text)
    if m:
        ep = ctx.find_by_attr("aws_sagemaker_endpoint", "name", m.group(1))
        target = by_address.get(ep.address) if ep else None
        llm = (target.llm if target is not None and target.llm is not None else None) or \
            (_sagemaker(ep, ctx) if ep else None)
        if llm is None:
            return None, ""
        out = LLMEndpoint(kind="gateway", server="sagemaker", model=llm.model, routes_to=ep.address if ep else None)
        return out, f"SageMaker endpoint {m.group(1)}"
    for ref in _refs(uri):
        fn = ctx.resolve((ref,), "aws_lambda_function")
        if fn is None:
            continue
        env = dig(fn.values, "environment", "variables")
        env = env if isinstance(env, dict) else {}
        model = next((str(val) for k, val in env.items() if isinstance(val, str) and "MODEL" in k.upper()), None)
        named = _LLM_NAME.search(f"{fn.values.get('function_name') or fn.name}")
        if model is None and not named and not any(isinstance(x, str) and "bedrock" in x.lower()
                                                   for x in env.values()):
            return None, ""
        llm = LLMEndpoint(kind="gateway", server="lambda", model=model)
        price = token_price(model, "bedrock") if model else None
        if price is not None:
            llm.billing, llm.hosted_model = "tokens", price.model
        return llm, f"Lambda {fn.address}" + (f" (model {model})" if model else " (named for an LLM)")
    return None, ""


def _v1_limits(llm: LLMEndpoint, api: RawResource, ctx: MapContext) -> None:
    keyed = [m for m in ctx.by_type.get("aws_api_gateway_method", [])
             if _points_to(m.values.get("rest_api_id"), api) and m.values.get("api_key_required") is True]
    for plan in ctx.by_type.get("aws_api_gateway_usage_plan", []):
        stages = as_blocks(plan.values.get("api_stages"))
        if not any(_points_to(s.get("api_id"), api) for s in stages):
            continue
        parts = []
        rate = as_number(dig(plan.values, "throttle_settings", "rate_limit"))
        if rate:
            parts.append(f"throttle {rate:g} req/s (burst {dig(plan.values, 'throttle_settings', 'burst_limit')})")
        quota = as_number(dig(plan.values, "quota_settings", "limit"))
        if quota:
            parts.append(f"quota {quota:,.0f} requests per {dig(plan.values, 'quota_settings', 'period')}")
        if not parts:
            continue
        if not keyed:
            llm.public_evidence.append(f"usage plan {plan.address} has {', '.join(parts)} but no method of the API "
                                       "sets api_key_required = true, so the plan is never applied")
            continue
        llm.rate_limits.append(f"usage plan {plan.address}: {', '.join(parts)} (api_key_required methods)")
    for ms in ctx.by_type.get("aws_api_gateway_method_settings", []):
        if not _points_to(ms.values.get("rest_api_id"), api):
            continue
        rate = as_number(dig(ms.values, "settings", "throttling_rate_limit"))
        if rate is not None and rate >= 0:
            llm.rate_limits.append(f"method settings {ms.address} ({ms.values.get('method_path')}): "
                                   f"throttling_rate_limit {rate:g} req/s")


def _v2_limits(llm: LLMEndpoint, api: RawResource, ctx: MapContext) -> None:
    for stage in ctx.by_type.get("aws_apigatewayv2_stage", []):
        if not _points_to(stage.values.get("api_id"), api):
            continue
        blocks = [("default_route_settings", b) for b in as_blocks(stage.values.get("default_route_settings"))]
        blocks += [("route_settings", b) for b in as_blocks(stage.values.get("route_settings"))]
        for name, block in blocks:
            rate = as_number(block.get("throttling_rate_limit"))
            if rate is not None and rate > 0:
                llm.rate_limits.append(f"{stage.address} {name}: throttling_rate_limit {rate:g} req/s, burst "
                                       f"{block.get('throttling_burst_limit')}")


# -- Bedrock, SageMaker ------------------------------------------------------------------------------
def _bedrock_provisioned(raw: RawResource) -> LLMEndpoint:
    arn = raw.values.get("model_arn")
    model = str(arn).rsplit("/", 1)[-1] if isinstance(arn, str) else None
    units = as_number(raw.values.get("model_units"))
    return LLMEndpoint(kind="managed", server="bedrock", model=model, billing="capacity", caps_checkable=False,
                       public=False,
                       public_evidence=["Bedrock's runtime API takes only IAM-signed requests: not public by itself"],
                       evidence=[f"Bedrock provisioned throughput: {units:g} model unit(s), "
                                 f"commitment {raw.values.get('commitment_duration') or 'none (hourly)'}"
                                 if units else "Bedrock provisioned throughput"])


def _sagemaker(raw: RawResource, ctx: MapContext) -> LLMEndpoint | None:
    cfg = raw
    if raw.type == "aws_sagemaker_endpoint":
        cfg = ctx.resolve(tuple(_refs(raw.values.get("endpoint_config_name"))),
                          "aws_sagemaker_endpoint_configuration") or ctx.find_by_attr(
            "aws_sagemaker_endpoint_configuration", "name", raw.values.get("endpoint_config_name"))
        if cfg is None:
            return None
    for variant in as_blocks(cfg.values.get("production_variants")):
        name = variant.get("model_name")
        model = ctx.resolve(tuple(_refs(name)), "aws_sagemaker_model") or \
            ctx.find_by_attr("aws_sagemaker_model", "name", name)
        if model is None:
            continue
        for block in as_blocks(model.values.get("primary_container")) + as_blocks(model.values.get("container")):
            env = block.get("environment")
            env = {str(k): str(v) for k, v in env.items() if not is_unknown(v)} if isinstance(env, dict) else {}
            image = block.get("image") if isinstance(block.get("image"), str) else ""
            container = Container(image=image, env=env, where=f"{model.address} container")
            server, why = _sagemaker_server(image, env)
            llm = serving_facts(container, server, why) if server else serving_facts(container)
            if llm is not None:
                llm.public = False
                llm.public_evidence.append("SageMaker endpoints take only IAM-signed requests: not public by itself")
                return llm
    return None


def _sagemaker_server(image: str, env: dict[str, str]) -> tuple[str | None, str]:
    """The serving container when the image is not a literal (a prebuilt-image data source): its environment."""
    if image:
        return None, ""
    if any(k.startswith("OPTION_") for k in env):
        return "djl-lmi", "OPTION_* environment (SageMaker LMI container)"
    if "HF_MODEL_ID" in env and any(k in env for k in ("SM_NUM_GPUS", "MAX_TOTAL_TOKENS", "MAX_INPUT_LENGTH",
                                                      "MAX_INPUT_TOKENS", "HF_MODEL_QUANTIZE")):
        return "tgi", "HF_MODEL_ID with TGI settings (SageMaker Hugging Face LLM container)"
    return None, ""


# -- Vertex AI Model Garden ----------------------------------------------------------------------------------------
_VERTEX_PRIVATE = ("Vertex AI endpoints take only IAM-authorized requests (aiplatform.endpoints.predict): not public "
                   "by itself")


def _model_garden(raw: RawResource) -> LLMEndpoint:
    """The model a Model Garden deployment serves; its container's caps when ``model_config.container_spec`` gives
    the container, else not checkable (Model Garden picks the serving container and its limits at deploy)."""
    v = raw.values
    model = next((m for m in (v.get("hugging_face_model_id"), v.get("publisher_model_name")) if isinstance(m, str)),
                 None)
    spec = (as_blocks(dig(v, "model_config", "container_spec")) or [None])[0]
    llm = None
    if spec is not None:
        argv = [str(a) for key in ("command", "args") if isinstance(spec.get(key), list)
                for a in spec[key] if isinstance(a, (str, int, float))]
        env = {str(e["name"]): str(e["value"]) for e in as_blocks(spec.get("env"))
               if isinstance(e.get("name"), str) and e.get("value") is not None and not is_unknown(e.get("value"))}
        image = spec.get("image_uri") if isinstance(spec.get("image_uri"), str) else ""
        llm = serving_facts(Container(image=image, argv=argv, env=env, where=f"{raw.address} container_spec"),
                            model_hint=model)
    if llm is None:
        from linter.facts.llm import params_from_id

        params, why = params_from_id(model)
        llm = LLMEndpoint(kind="server", server="vertex-model-garden", model=model, caps_checkable=False,
                          params_b=params, evidence=[f"Model Garden deployment of {model or 'a model'}", why],
                          cap_evidence=["no model_config.container_spec: Model Garden chooses the serving container, "
                                        "and its token limits, at deploy; they are not in the scanned code"])
    llm.public = False
    llm.public_evidence.append(_VERTEX_PRIVATE)
    return llm
