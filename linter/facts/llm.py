"""What a served model needs: parameters, bytes per parameter, KV cache per token, GPU memory.

Used by FIN-GPU-005 (model-oversized-for-gpu). Sizes come from a built-in table of well-known
models (their published Hugging Face ``config.json``: layers, KV heads, head size, context) or,
failing that, from a size in the model id ("Qwen2.5-14B-Instruct" -> 14 B). A model whose size
cannot be read is left alone: no estimate, no finding.

Formula (one line, as the rule documents it):
  needed GiB = params x bytes/param (dtype or quantization) + token cap x KV bytes/token;
  it fits when needed <= 0.9 x GPUs x GiB per GPU (vLLM's default --gpu-memory-utilization).
"""

from __future__ import annotations

import re

from linter.records import record

GIB = 1024**3
USABLE_FRACTION = 0.9  # vLLM --gpu-memory-utilization default; the rest holds activations and CUDA graphs


@record(frozen=True, slots=True)
class ModelSpec:
    """Published architecture of a model family (Hugging Face config.json)."""

    name: str
    params_b: float
    layers: int
    kv_heads: int
    head_dim: int
    context: int  # max_position_embeddings
    # Layers whose KV cache grows with the context; the others attend over a short sliding window (gpt-oss: 128
    # tokens), so their cache stays small whatever the context. None: every layer.
    full_attention_layers: int | None = None
    # Weights published already quantized (gpt-oss: MoE weights in MXFP4): the format, and the checkpoint's
    # GiB as its model card gives them. Servers load them as they are unless told another quantization.
    native_quantization: str | None = None
    checkpoint_gib: float | None = None

    @property
    def kv_layers(self) -> int:
        return self.full_attention_layers or self.layers

    @property
    def kv_bytes_per_token_fp16(self) -> float:
        return 2 * self.kv_layers * self.kv_heads * self.head_dim * 2  # K and V, 2 bytes each


# pattern on the lower-cased model id -> spec. Order matters: the first match wins.
KNOWN_MODELS: list[tuple[str, ModelSpec]] = [
    (r"llama-?3\.1-405b", ModelSpec("Llama 3.1 405B", 405.9, 126, 8, 128, 131072)),
    (r"llama-?3\.[13]-70b", ModelSpec("Llama 3.1/3.3 70B", 70.6, 80, 8, 128, 131072)),
    (r"llama-?3-70b", ModelSpec("Llama 3 70B", 70.6, 80, 8, 128, 8192)),
    (r"llama-?3\.1-8b", ModelSpec("Llama 3.1 8B", 8.03, 32, 8, 128, 131072)),
    (r"llama-?3-8b", ModelSpec("Llama 3 8B", 8.03, 32, 8, 128, 8192)),
    (r"llama-?3\.2-1b", ModelSpec("Llama 3.2 1B", 1.24, 16, 8, 64, 131072)),
    (r"llama-?3\.2-3b", ModelSpec("Llama 3.2 3B", 3.21, 28, 8, 128, 131072)),
    (r"llama-?2-7b", ModelSpec("Llama 2 7B", 6.74, 32, 32, 128, 4096)),
    (r"llama-?2-13b", ModelSpec("Llama 2 13B", 13.0, 40, 40, 128, 4096)),
    (r"llama-?2-70b", ModelSpec("Llama 2 70B", 69.0, 80, 8, 128, 4096)),
    (r"mixtral-8x7b", ModelSpec("Mixtral 8x7B", 46.7, 32, 8, 128, 32768)),
    (r"mixtral-8x22b", ModelSpec("Mixtral 8x22B", 140.6, 56, 8, 128, 65536)),
    (r"mistral-7b", ModelSpec("Mistral 7B", 7.24, 32, 8, 128, 32768)),
    (r"qwen2\.5-0\.5b", ModelSpec("Qwen2.5 0.5B", 0.49, 24, 2, 64, 32768)),
    (r"qwen2\.5-1\.5b", ModelSpec("Qwen2.5 1.5B", 1.54, 28, 2, 128, 32768)),
    (r"qwen2\.5-7b", ModelSpec("Qwen2.5 7B", 7.62, 28, 4, 128, 32768)),
    (r"qwen2\.5-14b", ModelSpec("Qwen2.5 14B", 14.7, 48, 8, 128, 32768)),
    (r"qwen2\.5-32b", ModelSpec("Qwen2.5 32B", 32.8, 64, 8, 128, 32768)),
    (r"qwen2\.5-72b", ModelSpec("Qwen2.5 72B", 72.7, 80, 8, 128, 32768)),
    (r"gemma-2-9b", ModelSpec("Gemma 2 9B", 9.24, 42, 8, 256, 8192)),
    (r"gemma-2-27b", ModelSpec("Gemma 2 27B", 27.2, 46, 16, 128, 8192)),
    # the 128k variant is the same network with 131,072 positions (its name says so): its full-context KV cache is
    # 48 GiB, not the 4k variant's 1.5 GiB
    # microsoft/Phi-4-mini-instruct config.json: 32 layers, 24 heads, 8 KV heads, hidden 3072 (head 128), 131,072
    # positions; the model card's 3.8 B parameters (3.84 B)
    (r"phi-4-mini", ModelSpec("Phi-4 mini", 3.84, 32, 8, 128, 131072)),
    (r"phi-3-mini-128k", ModelSpec("Phi-3 mini 128k", 3.82, 32, 32, 96, 131072)),
    (r"phi-3-mini", ModelSpec("Phi-3 mini", 3.82, 32, 32, 96, 4096)),
    # OpenAI's model card (arXiv 2508.10925, table 1): 116.83 B / 20.91 B parameters, checkpoints of 60.8 / 12.8 GiB
    # with the MoE weights in MXFP4; config.json: 36 / 24 layers alternating full and 128-token sliding-window
    # attention, 8 KV heads of 64, 131,072 positions
    (r"gpt-oss-120b", ModelSpec("gpt-oss-120b", 116.83, 36, 8, 64, 131072, 18, "mxfp4", 60.8)),
    (r"gpt-oss-20b", ModelSpec("gpt-oss-20b", 20.91, 24, 8, 64, 131072, 12, "mxfp4", 12.8)),
    (r"tinyllama-1\.1b", ModelSpec("TinyLlama 1.1B", 1.1, 22, 4, 64, 2048)),
    (r"opt-125m", ModelSpec("OPT 125M", 0.125, 12, 12, 64, 2048)),
    (r"(^|/)gpt2$", ModelSpec("GPT-2", 0.124, 12, 12, 64, 1024)),
]
_COMPILED = [(re.compile(p), spec) for p, spec in KNOWN_MODELS]
# "14B", "1.5b", "125m" as a separate part of the name (not "v0.1", not "8x7b")
_SIZE = re.compile(r"(?:^|[-_/.:])(\d+(?:\.\d+)?)([bm])(?=$|[-_/.:])")

# bytes per parameter by dtype or quantization (GGUF figures are the llama.cpp quant types' bits / 8)
BYTES_PER_PARAM: dict[str, float] = {
    "float32": 4.0, "fp32": 4.0,
    "float16": 2.0, "fp16": 2.0, "half": 2.0, "bfloat16": 2.0, "bf16": 2.0, "auto": 2.0,
    "fp8": 1.0, "int8": 1.0, "w8a8": 1.0, "eetq": 1.0, "bitsandbytes-8bit": 1.0, "q8_0": 1.06,
    "awq": 0.5, "gptq": 0.5, "marlin": 0.5, "int4": 0.5, "bitsandbytes": 0.5, "bitsandbytes-nf4": 0.5,
    "bitsandbytes-fp4": 0.5, "q6_k": 0.82, "q5_k_m": 0.71, "q5_0": 0.69, "q4_k_m": 0.6, "q4_0": 0.56,
    "q3_k_m": 0.49, "q2_k": 0.33, "gguf": 0.6,
    "mxfp4": 0.53125,  # OCP microscaling: 4-bit values plus one 8-bit scale per block of 32
}
# quantization named in a model id or file name (the first match wins)
_QUANT_IN_NAME = [
    (re.compile(r"q8_0"), "q8_0"), (re.compile(r"q6_k"), "q6_k"), (re.compile(r"q5_k_m"), "q5_k_m"),
    (re.compile(r"q5_0"), "q5_0"), (re.compile(r"q4_k_m"), "q4_k_m"), (re.compile(r"q4_0"), "q4_0"),
    (re.compile(r"q3_k_m"), "q3_k_m"), (re.compile(r"q2_k"), "q2_k"), (re.compile(r"\bawq\b|[-_]awq"), "awq"),
    (re.compile(r"gptq"), "gptq"), (re.compile(r"fp8"), "fp8"), (re.compile(r"int4|w4a16|4bit|bnb-4bit"), "int4"),
    (re.compile(r"int8|w8a8|8bit"), "int8"), (re.compile(r"\.gguf$|-gguf\b|gguf"), "gguf"),
]

# NVIDIA compute capability by GPU model as the catalog names it: which dtypes a GPU runs natively. T4G is left
# out on purpose: it comes only on Graviton (arm64) hosts, where an x86 serving image does not run.
COMPUTE_CAPABILITY: dict[str, float] = {
    "K80": 3.7, "M60": 5.2, "P4": 6.1, "P100": 6.0, "V100": 7.0, "T4": 7.5, "A10": 8.6, "A10G": 8.6,
    "A100": 8.0, "A100-80GB": 8.0, "A40": 8.6, "L4": 8.9, "L40S": 8.9, "L40": 8.9, "H100": 9.0, "H100-MEGA": 9.0,
    "H200": 9.0, "B200": 10.0, "RTXPRO6000": 12.0,
}


def model_spec(model: str | None) -> ModelSpec | None:
    if not model:
        return None
    low = model.lower()
    for pattern, spec in _COMPILED:
        if pattern.search(low):
            return spec
    return None


def params_from_id(model: str | None) -> tuple[float | None, str]:
    """Parameters in billions and how they were found; (None, reason) when the id does not say."""
    if not model:
        return None, "no model id"
    spec = model_spec(model)
    if spec is not None:
        return spec.params_b, f"{spec.name}: {spec.params_b:g} B parameters (built-in table, from config.json)"
    low = model.lower().rstrip("/").rsplit("/", 1)[-1]  # a local path may end in a slash: /models/Qwen3-8B/
    if re.search(r"\d+x\d+(\.\d+)?b", low):  # mixture of experts not in the table: total size unknown
        return None, f"mixture-of-experts id '{model}' not in the built-in table"
    sizes = [(float(n), unit) for n, unit in _SIZE.findall(low)]
    if not sizes:
        return None, f"model id '{model}' names no size"
    n, unit = sizes[0]
    params = n if unit == "b" else n / 1000
    return params, f"{params:g} B parameters read from the model id '{model}'"


def quantization_in_name(model: str | None) -> str | None:
    if not model:
        return None
    low = model.lower()
    for pattern, name in _QUANT_IN_NAME:
        if pattern.search(low):
            return name
    return None


def served_quantization(model: str | None, quantization: str | None) -> str | None:
    """The quantization the weights are served in: the one set, else the one the model is published in."""
    if quantization:
        return quantization
    spec = model_spec(model)
    return spec.native_quantization if spec is not None else None


def bytes_per_param(dtype: str | None, quantization: str | None, model: str | None = None) -> tuple[float, str]:
    """Bytes per weight and the reason: quantization first, then the format the model is published in (its
    checkpoint's size over its parameters: gpt-oss keeps attention and embeddings in 16 bits), then dtype, else
    16-bit (every server's default)."""
    if quantization:
        q = quantization.lower()
        if q in BYTES_PER_PARAM:
            return BYTES_PER_PARAM[q], f"{quantization} weights at {BYTES_PER_PARAM[q]:g} byte(s)/parameter"
    spec = model_spec(model)
    if not quantization and spec is not None and spec.checkpoint_gib:
        bpp = spec.checkpoint_gib * GIB / (spec.params_b * 1e9)
        return bpp, (f"published {spec.native_quantization} weights: a {spec.checkpoint_gib:g} GiB checkpoint for "
                     f"{spec.params_b:g} B parameters = {bpp:.3f} bytes/parameter")
    if dtype and dtype.lower() in BYTES_PER_PARAM:
        return BYTES_PER_PARAM[dtype.lower()], f"{dtype} weights at {BYTES_PER_PARAM[dtype.lower()]:g} bytes/parameter"
    return 2.0, "16-bit weights (2 bytes/parameter; no dtype or quantization set)"


@record(frozen=True, slots=True)
class MemoryNeed:
    weights_gib: float
    kv_gib: float
    tokens: float  # context the KV headroom is sized for
    assumptions: tuple[str, ...]

    @property
    def total_gib(self) -> float:
        return self.weights_gib + self.kv_gib


def memory_need(model: str | None, params_b: float, bpp: float, bpp_why: str, token_cap: float | None,
                kv_dtype_bytes: float = 2.0) -> MemoryNeed:
    """Weights plus KV cache for one sequence of the capped length (the model's own context when uncapped)."""
    spec = model_spec(model)
    notes = [f"weights: {params_b:g} B parameters x {bpp:g} bytes = {params_b * 1e9 * bpp / GIB:,.1f} GiB "
             f"({bpp_why})"]
    if spec is not None:
        per_token = spec.kv_bytes_per_token_fp16 * kv_dtype_bytes / 2
        layers = (f"{spec.kv_layers} full-attention layers of {spec.layers}" if spec.full_attention_layers
                  else f"{spec.layers} layers")
        kv_why = (f"KV cache {per_token / 1024:,.0f} KiB/token (2 x {layers} x {spec.kv_heads} KV heads "
                  f"x {spec.head_dim} x {kv_dtype_bytes:g} bytes)")
        tokens = token_cap if token_cap else spec.context
        if not token_cap:
            kv_why += f", sized for the model's full {spec.context:,}-token context (no token cap)"
    else:
        per_token = params_b * 16 * 1024 * kv_dtype_bytes / 2  # Llama-3-style grouped-query attention ratio
        kv_why = "KV cache estimated at 16 KiB/token per billion parameters (architecture not in the built-in table)"
        tokens = token_cap or 4096
        if not token_cap:
            kv_why += "; 4,096 tokens assumed (no token cap, context unknown)"
    kv_gib = per_token * tokens / GIB
    notes.append(f"{kv_why}: {tokens:,.0f} tokens = {kv_gib:,.1f} GiB")
    return MemoryNeed(params_b * 1e9 * bpp / GIB, kv_gib, tokens, tuple(notes))


def runs_dtype(gpu_model: str | None, bpp: float, quantization: str | None, dtype: str | None = None) -> bool:
    """Whether a GPU runs these weights natively: FP8 needs Ada/Hopper (8.9), bf16 Ampere (8.0: vLLM refuses
    ``--dtype bfloat16`` below it), 4-bit AWQ/GPTQ kernels Turing (7.5), fp16 Volta (7.0). Unknown GPUs are never
    suggested."""
    cc = COMPUTE_CAPABILITY.get((gpu_model or "").upper())
    if cc is None:
        return False
    q = (quantization or "").lower()
    if q == "fp8":
        return cc >= 8.9
    if q == "mxfp4":  # vLLM's MXFP4 kernels: Ampere and later
        return cc >= 8.0
    if bpp < 2:
        return cc >= 7.5
    if (dtype or "").lower() in ("bfloat16", "bf16"):
        return cc >= 8.0
    return cc >= 7.0
