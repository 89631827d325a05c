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
    # Layers whose KV cache grows with the context; the others attend over a sliding window of ``sliding_window``
    # tokens (gpt-oss: 128; Gemma 3: 1,024), so their cache stops growing there. None: every layer. 0: every layer
    # slides (Mistral 7B v0.1: 4,096; Phi-3 4k: 2,047): vLLM applies the config's window to each layer.
    full_attention_layers: int | None = None
    # Weights published already quantized (gpt-oss: MoE weights in MXFP4): the format, and the checkpoint's
    # GiB as its model card gives them. Servers load them as they are unless told another quantization.
    native_quantization: str | None = None
    checkpoint_gib: float | None = None
    sliding_window: int | None = None  # tokens a sliding-window layer keeps
    # vLLM refuses float16 for it (config/model.py _FLOAT16_NOT_SUPPORTED_MODELS: numerical instability), and a GPU
    # without bfloat16 (compute capability below 8.0) would serve it in float16: such GPUs are never suggested
    bf16_only: bool = False

    @property
    def kv_layers(self) -> int:
        return self.layers if self.full_attention_layers is None else self.full_attention_layers

    @property
    def sliding_layers(self) -> int:
        return self.layers - self.kv_layers

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
    # mistralai/Mistral-7B-v0.1 and -Instruct-v0.1 config.json: 32 layers, 32 heads, 8 KV heads of 128 (4096 / 32),
    # 32,768 positions and "sliding_window": 4096, a window vLLM applies to every layer (Attention takes the
    # model-wide cache_config.sliding_window; vllm-project/vllm#4380 tested it on this model): one sequence keeps
    # 4,096 tokens. v0.2 and v0.3 (KAITO's mistral-7b presets since 2024) set it null: the row below
    (r"mistral-7b(-instruct)?-v0\.1", ModelSpec("Mistral 7B v0.1", 7.24, 32, 8, 128, 32768, 0, sliding_window=4096)),
    (r"mistral-7b", ModelSpec("Mistral 7B", 7.24, 32, 8, 128, 32768)),
    (r"qwen2\.5-0\.5b", ModelSpec("Qwen2.5 0.5B", 0.49, 24, 2, 64, 32768)),
    (r"qwen2\.5-1\.5b", ModelSpec("Qwen2.5 1.5B", 1.54, 28, 2, 128, 32768)),
    (r"qwen2\.5-7b", ModelSpec("Qwen2.5 7B", 7.62, 28, 4, 128, 32768)),
    (r"qwen2\.5-14b", ModelSpec("Qwen2.5 14B", 14.7, 48, 8, 128, 32768)),
    (r"qwen2\.5-32b", ModelSpec("Qwen2.5 32B", 32.8, 64, 8, 128, 32768)),
    (r"qwen2\.5-72b", ModelSpec("Qwen2.5 72B", 72.7, 80, 8, 128, 32768)),
    # Qwen/Qwen2.5-Coder-7B-Instruct / -32B-Instruct config.json (as kaito-project/kaito's model_catalog.yaml copies
    # it): 28 / 64 layers, 28 / 40 heads, 4 / 8 KV heads of 128 (3584 / 28, 5120 / 40), 32,768 positions, sliding
    # window off; 7.62 / 32.76 B: the bf16 checkpoints' 14.19 / 61.03 GiB (model_catalog modelFileSize) at 2 bytes
    (r"qwen2\.5-coder-7b", ModelSpec("Qwen2.5 Coder 7B", 7.62, 28, 4, 128, 32768)),
    (r"qwen2\.5-coder-32b", ModelSpec("Qwen2.5 Coder 32B", 32.76, 64, 8, 128, 32768)),
    # deepseek-ai/DeepSeek-R1-Distill-Qwen-14B config.json (model_catalog.yaml): Qwen2, 48 layers, 40 heads, 8 KV heads
    # of 128, 131,072 positions (Qwen2.5-14B's are 32,768), sliding window off; 27.51 GiB checkpoint = 14.77 B.
    # -Llama-8B: Llama 3.1 8B's 32 layers, 8 KV heads of 128, 131,072 positions; 14.96 GiB = 8.03 B. KAITO's former
    # presets/workspace/models/deepseek/model.go agrees: BytesPerToken 196608 / 131072 (2 x layers x KV heads x 128 x 2)
    (r"deepseek-r1-distill-qwen-14b", ModelSpec("DeepSeek-R1-Distill-Qwen-14B", 14.77, 48, 8, 128, 131072)),
    (r"deepseek-r1-distill-llama-8b", ModelSpec("DeepSeek-R1-Distill-Llama-8B", 8.03, 32, 8, 128, 131072)),
    (r"gemma-2-9b", ModelSpec("Gemma 2 9B", 9.24, 42, 8, 256, 8192)),
    (r"gemma-2-27b", ModelSpec("Gemma 2 27B", 27.2, 46, 16, 128, 8192)),
    # google/gemma-3-4b-it / gemma-3-27b-it config.json text_config: 34 / 62 layers, "sliding_window": 1024; 27b sets
    # 32 heads, 16 KV heads, head_dim 128; 4b sets neither, so transformers' Gemma3TextConfig defaults hold: 8 heads,
    # 4 KV heads, head_dim 256; neither sets max_position_embeddings or sliding_window_pattern (defaults 131,072 and
    # 6: every sixth layer attends over the whole context, 5 of 34, 10 of 62). model_catalog.yaml agrees on layers,
    # KV heads, head size and 131,072 tokens. 4.30 / 27.43 B with the SigLIP vision tower: the bf16 checkpoints'
    # 8.01 / 51.10 GiB (modelFileSize) at 2 bytes. vLLM refuses float16 for gemma3 (bf16_only)
    (r"gemma-3-4b", ModelSpec("Gemma 3 4B", 4.30, 34, 4, 256, 131072, 5, sliding_window=1024, bf16_only=True)),
    (r"gemma-3-27b", ModelSpec("Gemma 3 27B", 27.43, 62, 16, 128, 131072, 10, sliding_window=1024, bf16_only=True)),
    # the 128k variant is the same network with 131,072 positions (its name says so): its full-context KV cache is
    # 48 GiB, not the 4k variant's 1.5 GiB
    # microsoft/Phi-4-mini-instruct config.json: 32 layers, 24 heads, 8 KV heads, hidden 3072 (head 128), 131,072
    # positions; the model card's 3.8 B parameters (3.84 B)
    (r"phi-4-mini", ModelSpec("Phi-4 mini", 3.84, 32, 8, 128, 131072)),
    # microsoft/phi-4 config.json (model_catalog.yaml): 40 layers, 40 heads, 10 KV heads of 128 (5120 / 40), 16,384
    # positions; 27.31 GiB bf16 checkpoint = 14.66 B. "phi-4" alone: phi-4-reasoning has other positions
    (r"(^|/)phi-4$", ModelSpec("Phi-4", 14.66, 40, 10, 128, 16384)),
    (r"phi-3-mini-128k", ModelSpec("Phi-3 mini 128k", 3.82, 32, 32, 96, 131072)),
    # microsoft/Phi-3-mini-4k-instruct config.json: "sliding_window": 2047 over its 4,096 positions, on every layer
    # (vLLM applies it, vllm-project/vllm#4380): one sequence keeps 2,047 tokens, not 4,096
    (r"phi-3-mini", ModelSpec("Phi-3 mini", 3.82, 32, 32, 96, 4096, 0, sliding_window=2047)),
    # microsoft/Phi-3.5-mini-instruct config.json: Phi-3 mini's 32 layers and 32 KV heads of 96, 131,072 positions,
    # "sliding_window": 262144 (beyond its context: no cut); 7.12 GiB checkpoint = 3.82 B
    (r"phi-3\.5-mini", ModelSpec("Phi-3.5 mini", 3.82, 32, 32, 96, 131072)),
    # microsoft/Phi-3-medium-4k-instruct config.json: 40 layers, 40 heads, 10 KV heads of 128 (5120 / 40), 4,096
    # positions, "sliding_window": 2047 on every layer, as Phi-3 mini 4k. The 128k variant: 131,072 positions
    # (model_catalog.yaml); its sliding_window was not read, so it is sized at its whole context (an upper bound).
    # 13.96 B: the 26.00 GiB checkpoint (modelFileSize) at 2 bytes, the card's "14B"
    (r"phi-3-medium-128k", ModelSpec("Phi-3 medium 128k", 13.96, 40, 10, 128, 131072)),
    (r"phi-3-medium", ModelSpec("Phi-3 medium 4k", 13.96, 40, 10, 128, 4096, 0, sliding_window=2047)),
    # microsoft/phi-2 config.json: 32 layers, 32 heads and 32 KV heads of 80 (2560 / 32), 2,048 positions; 2.78 B:
    # KAITO's former phi2 preset, TotalSafeTensorFileSize 5.18 GiB at 2 bytes, BytesPerToken 327680 (2 x 32 x 32 x 80
    # x 2), the card's "2.7 billion"
    (r"(^|/)phi-2($|[-_.])", ModelSpec("Phi-2", 2.78, 32, 32, 80, 2048)),
    # tiiuae/falcon-7b(-instruct) config.json: 32 layers, 71 heads of 64 (4544 / 71), "multi_query": true without
    # the new decoder architecture: one KV head for all (vLLM get_total_num_kv_heads); no max_position_embeddings, so
    # FalconConfig's 2,048. KAITO's former falcon preset: ModelTokenLimit 2048, BytesPerToken 8192 (2 x 32 x 1 x 64 x
    # 2), TotalSafeTensorFileSize 13.44 GiB = 7.22 B
    (r"falcon-7b", ModelSpec("Falcon 7B", 7.22, 32, 1, 64, 2048)),
    # tiiuae/falcon-40b(-instruct) config.json: 60 layers, 128 heads of 64 (8192 / 128), "new_decoder_architecture":
    # true with 8 KV heads (n_head_kv / num_kv_heads), 2,048 positions; 77.9 GiB (KAITO's TotalSafeTensorFileSize) =
    # 41.8 B, the card's "40B"
    (r"falcon-40b", ModelSpec("Falcon 40B", 41.8, 60, 8, 64, 2048)),
    # OpenAI's model card (arXiv 2508.10925, table 1): 116.83 B / 20.91 B parameters, checkpoints of 60.8 / 12.8 GiB
    # with the MoE weights in MXFP4; config.json: 36 / 24 layers alternating full and 128-token sliding-window
    # attention, 8 KV heads of 64, 131,072 positions
    (r"gpt-oss-120b", ModelSpec("gpt-oss-120b", 116.83, 36, 8, 64, 131072, 18, "mxfp4", 60.8, 128)),
    (r"gpt-oss-20b", ModelSpec("gpt-oss-20b", 20.91, 24, 8, 64, 131072, 12, "mxfp4", 12.8, 128)),
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
    """The built-in table's row for a model id (the first pattern it matches); remembered per id, since each LLM
    resource asks several times (weights, KV cache, quantization, dtype) and ids repeat across a repository."""
    if not model:
        return None
    try:
        return _SPECS[model]
    except KeyError:
        pass
    low = model.lower()
    found = next((spec for pattern, spec in _COMPILED if pattern.search(low)), None)
    if len(_SPECS) < 4096:
        _SPECS[model] = found
    return found


_SPECS: dict[str, ModelSpec | None] = {}  # model id -> its row (None: not in the table)


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
                kv_dtype_bytes: float = 2.0, full_kv_why: str | None = None) -> MemoryNeed:
    """Weights plus KV cache for one sequence of the capped length (the model's own context when uncapped).
    A sliding-window layer keeps at most its window; ``full_kv_why`` says why a server keeps a whole-context cache
    on the sliding layers of a model that mixes them with full-attention ones (vLLM with a KV connector: its hybrid
    KV cache manager is off, and kv_cache_utils.unify_hybrid_kv_cache_specs turns them into full-attention layers)."""
    spec = model_spec(model)
    notes = [f"weights: {params_b:g} B parameters x {bpp:g} bytes = {params_b * 1e9 * bpp / GIB:,.1f} GiB "
             f"({bpp_why})"]
    if spec is not None:
        tokens = token_cap if token_cap else spec.context
        kv_why, counted, kv_bytes = _kv_cache(spec, tokens, kv_dtype_bytes, full_kv_why)
        if not token_cap:
            kv_why += f", sized for the model's full {spec.context:,}-token context (no token cap)"
    else:
        per_token = params_b * 16 * 1024 * kv_dtype_bytes / 2  # Llama-3-style grouped-query attention ratio
        kv_why = "KV cache estimated at 16 KiB/token per billion parameters (architecture not in the built-in table)"
        tokens = token_cap or 4096
        if not token_cap:
            kv_why += "; 4,096 tokens assumed (no token cap, context unknown)"
        counted, kv_bytes = f"{tokens:,.0f} tokens", per_token * tokens
    kv_gib = kv_bytes / GIB
    notes.append(f"{kv_why}: {counted} = {kv_gib:,.1f} GiB")
    return MemoryNeed(params_b * 1e9 * bpp / GIB, kv_gib, tokens, tuple(notes))


def _kv_cache(spec: ModelSpec, tokens: float, kv_dtype_bytes: float,
              full_kv_why: str | None) -> tuple[str, str, float]:
    """(how one sequence's KV cache is counted, the tokens it holds in words, its bytes)."""
    per_layer = 2 * spec.kv_heads * spec.head_dim * kv_dtype_bytes  # K and V, per token
    full, sliding = spec.kv_layers, spec.sliding_layers
    shape = f"{spec.kv_heads} KV heads x {spec.head_dim} x {kv_dtype_bytes:g} bytes"
    if not sliding or not spec.sliding_window:
        layers = (f"{full} full-attention layers of {spec.layers}" if spec.full_attention_layers
                  else f"{spec.layers} layers")
        return (f"KV cache {per_layer * full / 1024:,.0f} KiB/token (2 x {layers} x {shape})",
                f"{tokens:,.0f} tokens", per_layer * full * tokens)
    window = min(float(spec.sliding_window), tokens)
    if not full:
        return (f"KV cache {per_layer * sliding / 1024:,.0f} KiB/token (2 x {spec.layers} layers x {shape}), every "
                f"layer attending over a {spec.sliding_window:,}-token sliding window",
                f"{window:,.0f} of {tokens:,.0f} tokens", per_layer * sliding * window)
    if full_kv_why:
        return (f"KV cache {per_layer * spec.layers / 1024:,.0f} KiB/token (2 x {spec.layers} layers x {shape}): "
                f"{full_kv_why}, so its {sliding} sliding-window layers keep the whole context as its {full} "
                "full-attention layers do", f"{tokens:,.0f} tokens", per_layer * spec.layers * tokens)
    return (f"KV cache {per_layer * full / 1024:,.0f} KiB/token (2 x {full} full-attention layers of {spec.layers} x "
            f"{shape}) and {per_layer * sliding / 1024:,.0f} KiB/token on its {sliding} sliding-window layers, which "
            f"keep at most {spec.sliding_window:,} tokens", f"{tokens:,.0f} and {window:,.0f} tokens",
            per_layer * (full * tokens + sliding * window))


def runs_dtype(gpu_model: str | None, bpp: float, quantization: str | None, dtype: str | None = None,
               bf16_only: bool = False) -> bool:
    """Whether a GPU runs these weights natively: FP8 needs Ada/Hopper (8.9), bf16 Ampere (8.0: vLLM refuses
    ``--dtype bfloat16`` below it), 4-bit AWQ/GPTQ kernels Turing (7.5), fp16 Volta (7.0). A model vLLM will not run
    in float16 (Gemma 3) needs bfloat16 whatever its weights: Ampere. Unknown GPUs are never suggested."""
    cc = COMPUTE_CAPABILITY.get((gpu_model or "").upper())
    if cc is None:
        return False
    if bf16_only and cc < 8.0:
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
