"""Cost models of the LLM rules: token-cap exposure, rate-limit exposure, model-fit savings.

Exposure figures are computed at the usage assumptions (``linter/usage.py``: a usage file, else
documented defaults) and every figure lists them, with the token prices (``data/llm_tokens.json``)
and GPU prices (the machine catalog) it used, so a reviewer can redo it in one line.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from linter.facts.llm import (
    USABLE_FRACTION,
    bytes_per_param,
    memory_need,
    model_spec,
    runs_dtype,
    served_quantization,
)
from linter.facts.serving import CAP_HINT
from linter.model import Impact, LLMEndpoint, Resource
from linter.pricing.catalog import Price
from linter.pricing.cost import blend, on_demand_share, price_provider, rounded, unit_price
from linter.pricing.tokens import TokenPrice, token_price
from linter.records import record
from linter.usage import Assumed, assumed

if TYPE_CHECKING:
    from linter.rules.impacts import ImpactContext, ImpactResult


def _result(kind: str, monthly: float | None, assumptions: list[str], out: dict[str, object]) -> ImpactResult:
    from linter.rules.impacts import ImpactResult

    return ImpactResult(Impact(kind=kind, monthly_usd=rounded(monthly), assumptions=assumptions),  # type: ignore[arg-type]
                        out)


def _usage(r: Resource, ctx: ImpactContext) -> Assumed:
    return assumed(r.type, r.address, ctx.config.usage_file)


def _price(llm: LLMEndpoint) -> TokenPrice | None:
    return token_price(llm.hosted_model) if llm.billing == "tokens" else None


def _unpriced(llm: LLMEndpoint) -> str:
    """Why a per-token endpoint has no figure: a model the catalog lacks, or a model not known statically."""
    name = llm.hosted_model or llm.model
    return (f"no catalog token price for '{name}': exposure unknown" if name else
            f"model not known statically ({'; '.join(llm.evidence) or 'none named'}): no token price, exposure unknown")


def token_cap_exposure(r: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """FIN-LLM-001: what uncapped responses can add a month, at the assumed request volume: requests x (the
    model's maximum output tokens - the assumed output tokens) x the output price. Self-hosted servers pay
    tokens as GPU time: no dollar figure, the context a request can hold instead."""
    llm = r.llm
    if llm is None:
        return None
    out: dict[str, object] = {"cap_hint": CAP_HINT.get(llm.server, "a max_tokens / max context setting"),
                              "batch_limits": ", ".join(f"{k}={v:g}" for k, v in llm.batch_caps.items()) or None}
    assumptions = [*llm.cap_evidence]
    if llm.billing == "tokens":
        price = _price(llm)
        a = _usage(r, ctx)
        if price is None or not price.max_output_tokens:
            assumptions.append(_unpriced(llm))
            return _result("exposure", None, assumptions, out)
        extra = max(0.0, price.max_output_tokens - a.output_tokens)
        monthly = a.monthly_requests * extra * price.output_per_mtok / 1e6
        assumptions += [price.describe(),
                        f"uncapped, a response may run to the model's {price.max_output_tokens:,} output tokens "
                        f"instead of the assumed {a.output_tokens:,.0f}",
                        *a.sentences("monthly_requests", "output_tokens_per_request"),
                        f"exposure = {a.monthly_requests:,.0f} requests x ({price.max_output_tokens:,} - "
                        f"{a.output_tokens:,.0f}) tokens x ${price.output_per_mtok:g}/M tokens"]
        out["max_output_tokens"] = price.max_output_tokens
        return _result("exposure", monthly, assumptions, out)
    spec = model_spec(llm.model)
    assumptions.append(f"self-hosted {llm.server}: tokens are paid as GPU time, not per token; the dollar exposure "
                       "is not estimated")
    if spec is not None:
        assumptions.append(f"uncapped, one request may fill the model's {spec.context:,}-token context "
                           f"({spec.name}), holding KV cache and a batch slot other requests queue for")
    return _result("exposure", None, assumptions, out)


def _blended_per_token(price: TokenPrice, a: Assumed) -> float:
    tokens = a.input_tokens + a.output_tokens
    if tokens <= 0:
        return price.input_per_mtok / 1e6
    return (a.input_tokens * price.input_per_mtok + a.output_tokens * price.output_per_mtok) / tokens / 1e6


def rate_limit_exposure(r: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """FIN-LLM-002. Azure OpenAI: capacity x 1,000 tokens/min x 60 x hours a month (x the duty cycle) x the
    blended token price. Other per-token backends: spend at the assumed usage, which nothing limits. Self-hosted
    capacity: the autoscaler's headroom, which traffic can fill."""
    llm = r.llm
    if llm is None:
        return None
    assumptions = [*llm.public_evidence]
    out: dict[str, object] = {"exposed": "public" if llm.public else "billed per token"}
    hours = ctx.config.usage.hours_per_month
    price = _price(llm)
    if llm.billing == "tokens":
        a = _usage(r, ctx)
        if price is None:
            assumptions.append(_unpriced(llm))
            return _result("exposure", None, assumptions, out)
        blended = _blended_per_token(price, a)
        mix = (f"blended ${blended * 1e6:,.4g}/M tokens at {a.input_tokens:,.0f} input : {a.output_tokens:,.0f} "
               "output tokens per request")
        if llm.capacity_tpm:
            tokens = llm.capacity_tpm * 60 * hours * a.duty
            monthly = tokens * blended
            assumptions += [*llm.evidence, price.describe(), mix,
                            *a.sentences("input_tokens_per_request", "output_tokens_per_request", "hours_per_day"),
                            f"ceiling = {llm.capacity_tpm:,.0f} tokens/min x 60 x {hours:g} h x {a.duty:.3g} duty "
                            f"= {tokens:,.0f} tokens/month x ${blended * 1e6:,.4g}/M"]
            out["ceiling_tokens"] = tokens
            return _result("exposure", monthly, assumptions, out)
        monthly = a.monthly_requests * (a.input_tokens * price.input_per_mtok + a.output_tokens *
                                        price.output_per_mtok) / 1e6
        assumptions += [price.describe(), *a.sentences("monthly_requests", "input_tokens_per_request",
                                                       "output_tokens_per_request"),
                        "no request, token or budget limit: this is the spend at the assumed usage, and nothing "
                        "stops it growing with traffic",
                        f"exposure = {a.monthly_requests:,.0f} requests x ({a.input_tokens:,.0f} x "
                        f"${price.input_per_mtok:g} + {a.output_tokens:,.0f} x ${price.output_per_mtok:g})/M tokens"]
        return _result("exposure", monthly, assumptions, out)
    c = r.compute
    if c is not None and c.max is not None and c.count is not None and c.max > c.count and r.monthly_cost_usd:
        per_replica = r.monthly_cost_usd / c.count if c.count else None
        if per_replica:
            assumptions += [f"autoscaled {c.count:g}..{c.max}: traffic nobody limits scales it to the maximum",
                            f"one replica costs ${per_replica:,.2f}/month (its monthly cost / {c.count:g})",
                            f"exposure = ({c.max} - {c.count:g}) replicas x ${per_replica:,.2f}"]
            return _result("exposure", per_replica * (c.max - c.count), assumptions, out)
    assumptions.append("self-hosted with fixed capacity: unlimited traffic costs availability (queueing, "
                       "timeouts) rather than spend; no dollar figure")
    return _result("exposure", None, assumptions, out)


@record(slots=True, eq=False)
class _Option:
    machine_type: str
    price: Price  # on demand, with its source
    hourly: float  # bought as the resource buys its own capacity (on demand, spot or a mix)
    gpus: float
    gpu_model: str
    gpu_gib: float
    quantized: bool
    need_gib: float


def _usable_why(server: str) -> str:
    """Where the usable share of GPU memory comes from, for this server."""
    if server == "vllm":
        return "vLLM --gpu-memory-utilization default"
    return f"vLLM's --gpu-memory-utilization default, taken for {server} too"


def model_fit(r: Resource, ctx: ImpactContext) -> ImpactResult | None:
    """FIN-GPU-005: when the model, as served, fits in less GPU memory than it is given (fewer or smaller GPUs),
    the cheapest catalog GPU configuration it fits (as is, or quantized to 4 bits) if that costs less than what
    the model runs on now. Saving = (current - suggested) hourly x replicas x hours."""
    llm, c = r.llm, r.compute
    if llm is None or c is None or not llm.params_b or c.gpu.count <= 0 or not c.gpu.memory_gib:
        return None
    catalog = ctx.catalog
    provider = price_provider(r)
    bpp, bpp_why = bytes_per_param(llm.dtype, llm.quantization, llm.model)
    quantization = served_quantization(llm.model, llm.quantization)
    published_4bit = not llm.quantization and quantization is not None  # gpt-oss: no AWQ of MXFP4 weights
    need = memory_need(llm.model, llm.params_b, bpp, bpp_why, llm.context_cap, full_kv_why=llm.full_kv_why)
    spec = model_spec(llm.model)
    bf16_only = spec is not None and spec.bf16_only
    given = c.gpu.count * float(c.gpu.memory_gib)
    if need.total_gib > USABLE_FRACTION * given:
        return None  # it does not fit what it has: not oversized
    up = unit_price(r, catalog)
    share = on_demand_share(c)
    current, now = up.on_demand, up.hourly(share)  # now: what it pays, at its mix of on demand and spot
    if current is None or now is None:
        return None

    def at_mix(machine_type: str, price: Price) -> float | None:
        """An option's hourly price bought as this resource buys (the same share on spot, at its own discount)."""
        if share >= 1:
            return price.usd_per_hour
        family = (catalog.machine(provider, machine_type) or {}).get("family")
        spot = catalog.spot_discount(provider, family.removeprefix("ml.") if family else None, "gpu", c.region)
        return price.usd_per_hour * blend(share, spot) if spot is not None else None

    quant_need = memory_need(llm.model, llm.params_b, 0.5, "4-bit AWQ/GPTQ weights at 0.5 bytes/parameter",
                             llm.context_cap, full_kv_why=llm.full_kv_why) if bpp > 0.5 and not published_4bit else None
    from linter.pricing.allocatable import holds
    from linter.pricing.suggest import priced_accelerated

    need_gib = need.total_gib
    quant_gib = quant_need.total_gib if quant_need is not None else None
    options: list[_Option] = []
    for name, spec, price, g in priced_accelerated(catalog, provider, c.region, c.instance_type or ""):
        if g.kind != "gpu" or g.count <= 0 or not g.memory_gib or not g.model:
            continue
        if c.gpu.vendor and g.vendor and g.vendor != c.gpu.vendor:
            continue  # a model built for Neuron or ROCm does not run "as is" on another vendor's GPUs
        usable = USABLE_FRACTION * g.count * float(g.memory_gib)
        if need_gib <= usable and runs_dtype(g.model, bpp, quantization, llm.dtype, bf16_only):
            quantized = False
        elif quant_gib is not None and quant_gib <= usable and runs_dtype(g.model, 0.5, "awq", bf16_only=bf16_only):
            quantized = True
        else:
            continue  # the model does not fit its GPUs, as served or quantized
        if c.service == "pod" and not holds(provider, spec, c.vcpus, c.memory_gib):
            continue  # the pod's own CPU or memory requests do not fit that node's allocatable
        hourly = at_mix(name, price)
        if hourly is None:
            continue
        options.append(_Option(name, price, hourly, g.count, g.model, float(g.memory_gib), quantized,
                               quant_gib if quantized else need_gib))  # type: ignore[arg-type]
    # oversized: the model, as served, fits in less GPU memory than it is given (fewer or smaller GPUs)
    if not any(not o.quantized and o.gpus * o.gpu_gib < given for o in options):
        return None
    best = min(options, key=lambda o: (o.hourly, o.quantized, o.gpus))
    if best.hourly >= now - 0.005:
        return None
    # the cheapest as-is alternative that costs less than now (what it runs on now is no alternative)
    as_is = min((o for o in options if not o.quantized and o.hourly < now - 0.005),
                key=lambda o: o.hourly, default=None)
    hours = ctx.config.usage.hours_per_month
    replicas = c.count if c.count else 1.0
    unit = "pod" if c.service == "pod" else "instance"
    monthly = (now - best.hourly) * replicas * hours
    mix = f", bought {share:.0%} on demand and the rest on spot at each type's discount" if share < 1 else ""
    assumptions = [*need.assumptions,
                   f"given: {c.gpu.count:g} x {c.gpu.model or 'GPU'} x {c.gpu.memory_gib:g} GiB = {given:g} GiB; "
                   f"usable {USABLE_FRACTION:.0%} ({_usable_why(llm.server)}) = "
                   f"{USABLE_FRACTION * given:,.1f} GiB for {need.total_gib:,.1f} GiB needed",
                   f"now: ${now:,.4g}/h per {unit} ({current.source}, as of {current.as_of}{mix})"
                   + (f"; {current.note}" if current.note else ""),
                   f"cheapest fit: {best.machine_type} ({best.gpus:g} x {best.gpu_model} {best.gpu_gib:g} GiB) at "
                   f"${best.hourly:,.4g}/h in {c.region} ({best.price.source}, as of {best.price.as_of}{mix})"
                   + (f", with the model quantized to 4 bits ({best.need_gib:,.1f} GiB needed)" if best.quantized
                      else ""),
                   f"saving = (${now:,.4g} - ${best.hourly:,.4g}) x {replicas:g} {unit}(s) x {hours:g} h"]
    if quant_need is not None and not best.quantized:
        assumptions.insert(len(need.assumptions), f"4-bit quantized it would need {quant_need.total_gib:,.1f} GiB")
    if best.quantized and as_is is not None and as_is.hourly < now:
        assumptions.append(f"without quantizing: {as_is.machine_type} ({as_is.gpus:g} x {as_is.gpu_model}) at "
                           f"${as_is.hourly:,.4g}/h saves ${(now - as_is.hourly) * replicas * hours:,.2f}/month")
    assumptions.append(f"fewer GPUs or less GPU memory by design: the model needs {need.total_gib:,.1f} GiB"
                       f"{f' ({best.need_gib:,.1f} GiB quantized)' if best.quantized else ''} and "
                       f"{best.machine_type} gives {best.gpus * best.gpu_gib:g} GiB per {unit}")
    out = {"suggested_type": best.machine_type, "suggested_gpus": best.gpus, "suggested_gpu_model": best.gpu_model,
           "quantize": "quantized to 4 bits (AWQ/GPTQ)" if best.quantized else "as is",
           "needed_gib": round(need.total_gib, 1), "given_gib": round(given, 1),
           "as_is_type": as_is.machine_type if as_is else None}
    from linter.model import Accelerators, Capacity
    from linter.rules.impacts import capacity_of

    result = _result("savings", monthly, assumptions, out)
    result.impact.current = capacity_of(r, replicas)
    result.impact.suggested = capacity_of(r, replicas, best.machine_type, Accelerators(
        model=best.gpu_model, count=best.gpus, memory_gib=best.gpu_gib, kind="gpu"))
    assert isinstance(result.impact.suggested, Capacity)
    return result


LLM_IMPACTS = {
    "token_cap_exposure": token_cap_exposure,
    "rate_limit_exposure": rate_limit_exposure,
    "model_fit": model_fit,
}
