"""LLM serving facts from one container: image, command line and environment, whatever declares it
(a Kubernetes pod, a KServe predictor, a SageMaker model's container).

Each server reads its limits from its own flags and environment variables; a table per server
names them, so supporting another server is a table entry. Both ``--flag value`` and
``--flag=value`` are read, ``_`` and ``-`` are the same in flag names, Kubernetes ``$(VAR)``
references are expanded from the container's own ``env``, and ``sh -c "..."`` command strings
are split like a shell would. A server's default counts as a cap only where it is a fixed number for the
image's version (``DEFAULT_CAPS``: TGI before 2.0, MaxText); otherwise only what the config sets does.
"""

from __future__ import annotations

import re
import shlex
from collections.abc import Mapping
from dataclasses import field

from linter.facts.llm import params_from_id, quantization_in_name
from linter.model import LLMEndpoint
from linter.records import record


@record(frozen=True)
class ServerSpec:
    name: str
    model: tuple[str, ...] = ()  # flags and env vars that name the model
    dtype: tuple[str, ...] = ()
    quantization: tuple[str, ...] = ()
    tensor_parallel: tuple[str, ...] = ()
    caps: tuple[str, ...] = ()  # per-request or context token caps
    batch: tuple[str, ...] = ()  # per-batch or concurrency limits (recorded, not caps)
    env_from_flags: bool = False  # every flag can also be given as an upper-case env var (clap `env`)
    caps_checkable: bool = True
    positional_model_after: str | None = None  # e.g. `vllm serve MODEL`
    key_value_args: bool = False  # MaxText-style `name=value` words are its settings (JetStream's MaxEngine)


SERVERS: dict[str, ServerSpec] = {
    "vllm": ServerSpec("vllm", model=("--model", "--model-id"), dtype=("--dtype",),
                       quantization=("--quantization", "-q"), tensor_parallel=("--tensor-parallel-size", "-tp"),
                       caps=("--max-model-len",), batch=("--max-num-batched-tokens", "--max-num-seqs"),
                       positional_model_after="serve"),
    "kserve-huggingface": ServerSpec("kserve-huggingface", model=("--model-id",), dtype=("--dtype",),
                                     caps=("--max-model-len", "--max-length")),
    "tgi": ServerSpec("tgi", model=("--model-id", "MODEL_ID", "HF_MODEL_ID"), dtype=("--dtype",),
                      quantization=("--quantize", "HF_MODEL_QUANTIZE"), tensor_parallel=("--num-shard", "SM_NUM_GPUS"),
                      caps=("--max-input-tokens", "--max-input-length", "--max-total-tokens"),
                      batch=("--max-batch-total-tokens", "--max-batch-prefill-tokens", "--max-concurrent-requests"),
                      env_from_flags=True),
    "tei": ServerSpec("tei", model=("--model-id", "HF_MODEL_ID"), dtype=("--dtype",), caps=("--max-batch-tokens",),
                      batch=("--max-client-batch-size", "--max-concurrent-requests"), env_from_flags=True),
    "sglang": ServerSpec("sglang", model=("--model-path", "--model"), dtype=("--dtype",),
                         quantization=("--quantization",), tensor_parallel=("--tp-size", "--tp"),
                         caps=("--context-length",), batch=("--max-running-requests", "--max-total-tokens")),
    "tensorrt-llm": ServerSpec("tensorrt-llm", tensor_parallel=("--tp-size",), caps=("--max-seq-len",),
                               batch=("--max-num-tokens", "--max-batch-size"), positional_model_after="trtllm-serve"),
    "triton": ServerSpec("triton", caps_checkable=False),
    "ollama": ServerSpec("ollama", model=("OLLAMA_MODEL",), caps=("OLLAMA_CONTEXT_LENGTH", "OLLAMA_NUM_CTX"),
                         batch=("OLLAMA_NUM_PARALLEL", "OLLAMA_MAX_QUEUE")),
    "llama.cpp": ServerSpec("llama.cpp", model=("--model", "-m", "--hf-repo", "-hfr", "LLAMA_ARG_MODEL",
                                                "LLAMA_ARG_HF_REPO"),
                            caps=("--ctx-size", "-c", "--n-predict", "-n", "LLAMA_ARG_CTX_SIZE", "LLAMA_ARG_N_PREDICT"),
                            batch=("--parallel", "-np", "LLAMA_ARG_N_PARALLEL")),
    "jetstream": ServerSpec("jetstream", model=("model_name",),
                            caps=("max_target_length", "max_prefill_predict_length"),
                            batch=("per_device_batch_size",), key_value_args=True),
    "nim": ServerSpec("nim", model=("NIM_MODEL_NAME",), tensor_parallel=("NIM_TENSOR_PARALLEL_SIZE",),
                      caps=("NIM_MAX_MODEL_LEN",), batch=("NIM_MAX_NUM_SEQS",)),
    "djl-lmi": ServerSpec("djl-lmi", model=("OPTION_MODEL_ID", "HF_MODEL_ID"), dtype=("OPTION_DTYPE",),
                          quantization=("OPTION_QUANTIZE",), tensor_parallel=("OPTION_TENSOR_PARALLEL_DEGREE",
                                                                                "SM_NUM_GPUS"),
                          caps=("OPTION_MAX_MODEL_LEN", "OPTION_MAX_INPUT_LEN"),
                          batch=("OPTION_MAX_ROLLING_BATCH_SIZE",)),
}
# Caps a server applies when none is set, where they are fixed numbers rather than the model's whole context:
# (setting, tokens, image major versions below which it holds (None: every version), where it is defined)
DEFAULT_CAPS: dict[str, tuple[str, float, int | None, str]] = {
    "tgi": ("max-total-tokens", 2048, 2, "text-generation-launcher's default before 2.0 (from 2.0 it is the "
                                         "model's context)"),
    "jetstream": ("max_target_length", 1024, None, "MaxText's default (MaxText/configs/base.yml)"),
}
# image or command-line markers, checked in order: the first match names the server
# where each server takes its per-request cap: remediation text names the setting to add
CAP_HINT: dict[str, str] = {
    "vllm": "--max-model-len", "tgi": "--max-total-tokens (or MAX_TOTAL_TOKENS)", "tei": "--max-batch-tokens",
    "sglang": "--context-length", "tensorrt-llm": "--max_seq_len", "ollama": "OLLAMA_CONTEXT_LENGTH",
    "llama.cpp": "--ctx-size and --n-predict (or LLAMA_ARG_CTX_SIZE)", "kserve-huggingface": "--max_model_len",
    "nim": "NIM_MAX_MODEL_LEN", "jetstream": "max_target_length (a MaxEngine argument)",
    "djl-lmi": "OPTION_MAX_MODEL_LEN", "ray-serve-llm": "engine_kwargs.max_model_len",
    "litellm": "litellm_params.max_tokens (or router_settings.default_litellm_params.max_tokens)",
}
_MARKERS: list[tuple[str, re.Pattern[str]]] = [
    ("tei", re.compile(r"text-embeddings-(inference|router)|huggingface-tei|(^|/)tei(-gpu)?[:@]")),
    ("tgi", re.compile(r"text-generation-(inference|launcher)|huggingface-pytorch-tgi|(^|/)tgi[:@-]")),
    ("tensorrt-llm", re.compile(r"(^|\s|/)trtllm-serve(\s|$)")),
    ("triton", re.compile(r"tritonserver|triton-?inference-?server")),
    ("djl-lmi", re.compile(r"djl-inference|djl-lmi|(^|/)lmi[:@]")),
    ("sglang", re.compile(r"sglang")),
    ("nim", re.compile(r"nvcr\.io/nim/")),
    ("jetstream", re.compile(r"maxengine[-_]server|jetstream[-_]maxtext")),
    ("ollama", re.compile(r"(^|/)ollama(:|@|$|\s)|ollama/ollama")),
    ("llama.cpp", re.compile(r"llama\.cpp|llama-server|llama-cpp-python|(^|/)llamacpp")),
    # an image name that starts with vllm-openai (vllm/vllm-openai, vllm-openai-ubi9), not one that only ends with
    # it (a Gradio client image called gradio-rag-milvus-vllm-openai serves nothing)
    ("vllm", re.compile(r"(^|/)vllm[:@]|(^|[/\s])vllm-openai|vllm/vllm|(^|/)vllm-(tpu|cpu|rocm)"
                        r"|vllm\s+serve|vllm\.entrypoints")),
]
# Any of them: most containers run no model server, and one search tells so (the list's order still decides)
_ANY_MARKER = re.compile("|".join(f"(?:{pattern.pattern})" for _, pattern in _MARKERS))
_VAR_REF = re.compile(r"\$\(([A-Za-z_][A-Za-z0-9_]*)\)")
_SHELLS = ("sh", "bash", "/bin/sh", "/bin/bash", "/usr/bin/env", "/bin/ash")


@record
class Container:
    """What a reader knows of one container."""

    image: str = ""
    argv: list[str] = field(default_factory=list)  # command + args, before expansion
    env: dict[str, str] = field(default_factory=dict)  # literal values only (valueFrom is unknown here)
    where: str = ""  # e.g. "container 'vllm'", for evidence


def expand(argv: list[str], env: Mapping[str, str]) -> list[str]:
    """Kubernetes ``$(VAR)`` expansion, then shell strings (``sh -c "vllm serve ..."``) split into words."""
    out: list[str] = []
    for word in argv:
        word = str(word)
        if "$(" in word:
            word = _VAR_REF.sub(lambda m: env.get(m.group(1), m.group(0)), word)
        word = re.sub(r"\$\{?([A-Za-z_][A-Za-z0-9_]*)\}?", lambda m: env.get(m.group(1), m.group(0)), word) \
            if "$" in word else word
        if any(c in word for c in " \n\t") and ("--" in word or word.strip().split()[0] in ("vllm", "python",
                                                                                             "python3", "exec")):
            try:
                out.extend(shlex.split(word, comments=True))
            except ValueError:
                out.extend(word.split())
        else:
            out.append(word)
    return [w for w in out if w not in ("&&", ";", "|")]


def parse_flags(argv: list[str]) -> tuple[dict[str, str], list[str]]:
    """``--flag=value`` / ``--flag value`` / bare ``--flag`` -> {'--flag': value}, plus positional words."""
    flags: dict[str, str] = {}
    positional: list[str] = []
    i = 0
    while i < len(argv):
        word = argv[i]
        if word.startswith("-") and len(word) > 1 and not _is_number(word):
            name, eq, value = word.partition("=")
            name = name.replace("_", "-") if name.startswith("--") else name
            if not eq:
                nxt = argv[i + 1] if i + 1 < len(argv) else None
                if nxt is not None and (not nxt.startswith("-") or _is_number(nxt)):
                    value = nxt
                    i += 1
                else:
                    value = "true"
            flags.setdefault(name, value)
        else:
            positional.append(word)
        i += 1
    return flags, positional


def _is_number(word: str) -> bool:
    return bool(re.fullmatch(r"-?\d+(\.\d+)?", word))


# a command that waits, prints, installs or calls a server (a benchmark client in a vLLM image) starts no server
_IDLE = ("sleep", "tail", "true", "cat", "echo", "pip", "pip3", "genai-perf", "locust", "curl", "wget", "apt-get",
         "git", "gsutil", "aws", "kubectl")


def _overridden(argv: list[str]) -> bool:
    """Whether a command replaces the image's entrypoint with one that starts no model server: it waits, prints,
    installs or calls one (``sleep 6000``, ``sh -c "sleep infinity"``, ``pip install genai-perf && genai-perf
    profile --url ...``, ``bash -c -- "while true; do sleep 30; done"``) and names no server."""
    words = " ".join(str(w) for w in argv).split()
    while words and (words[0] in _SHELLS or words[0] in ("-c", "-lc", "-ec", "--")):
        words = words[1:]
    if words and words[0] in ("while", "until"):  # a loop that only waits: its body's first command decides
        words = words[words.index("do") + 1:] if "do" in words else []
    return bool(words) and words[0].rsplit("/", 1)[-1] in _IDLE and not _ANY_MARKER.search(" ".join(words).lower())


def detect_server(c: Container) -> tuple[str | None, str]:
    """(server, evidence) from the image, then the command line; none when the command only waits."""
    image = c.image.lower()
    if _overridden(c.argv):
        return None, ""
    if _ANY_MARKER.search(image):
        for name, pattern in _MARKERS:
            if pattern.search(image):
                return name, f"image {c.image}"
    line = " ".join(c.argv).lower()
    if _ANY_MARKER.search(line):
        for name, pattern in _MARKERS:
            if pattern.search(line):
                return name, f"command line '{_short(' '.join(c.argv))}'"
    return None, ""


def _short(text: str, limit: int = 90) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 3] + "..."


def _number(value: str | None) -> float | None:
    """A token count: "8192", "8_192", or vLLM's human form "8k" (x1000) / "8K" (x1024)."""
    if value is None:
        return None
    m = re.fullmatch(r"(\d+(?:\.\d+)?)([kKmM])?", str(value).strip().replace("_", ""))
    if not m:
        return None
    scale = {"k": 1000, "K": 1024, "m": 1e6, "M": 1024 * 1024}.get(m.group(2) or "", 1)
    return float(m.group(1)) * scale


class _Reader:
    """Looks a setting up by flag, then by env var, and remembers where each value came from."""

    def __init__(self, spec: ServerSpec, flags: dict[str, str], env: dict[str, str], where: str) -> None:
        self.spec, self.flags, self.env, self.where = spec, flags, env, where

    def get(self, names: tuple[str, ...]) -> tuple[str, str, str] | None:
        """(name, value, evidence) of the first name set; argparse servers (vLLM, SGLang) also take a long flag
        by a prefix of it (``--max-num-seq`` for ``--max-num-seqs``)."""
        for name in names:
            if name.startswith("-"):
                given = name if name in self.flags else self._abbreviation(name)
                if given is not None:
                    return name.lstrip("-"), self.flags[given], f"{given}={self.flags[given]} ({self.where} args)"
                if self.spec.env_from_flags:
                    env_name = name.lstrip("-").replace("-", "_").upper()
                    if env_name in self.env:
                        value = self.env[env_name]
                        return name.lstrip("-"), value, f"env {env_name}={value} ({self.where})"
            elif self.spec.key_value_args and name in self.flags:
                return name, self.flags[name], f"{name}={self.flags[name]} ({self.where} args)"
            elif name in self.env:
                return name, self.env[name], f"env {name}={self.env[name]} ({self.where})"
        return None

    def _abbreviation(self, name: str) -> str | None:
        if self.spec.name not in ("vllm", "sglang") or not name.startswith("--"):
            return None
        hits = [f for f in self.flags if f.startswith("--") and len(f) >= 10 and name.startswith(f) and f != name]
        return hits[0] if len(hits) == 1 else None

    def all(self, names: tuple[str, ...]) -> list[tuple[str, str, str]]:
        seen: set[str] = set()
        out = []
        for name in names:
            hit = self.get((name,))
            if hit and hit[0].lower() not in seen:
                seen.add(hit[0].lower())
                out.append(hit)
        return out


def serving_facts(c: Container, server: str | None = None, server_why: str = "",
                  model_hint: str | None = None) -> LLMEndpoint | None:
    """The LLM facet of a container, or None when it runs no known model server."""
    argv = expand(c.argv, c.env)
    if server is None:
        server, server_why = detect_server(Container(c.image, argv, c.env, c.where))
    if server is None:
        return None
    spec = SERVERS[server]
    flags, positional = parse_flags(argv)
    if spec.key_value_args:
        flags.update(word.split("=", 1) for word in positional if "=" in word and not word.startswith("="))
    r = _Reader(spec, flags, c.env, c.where)
    llm = LLMEndpoint(kind="server", server=server, caps_checkable=spec.caps_checkable,
                      evidence=[f"{server} recognised from {server_why}"])
    hit = r.get(spec.model)
    model = hit[1] if hit else None
    if model is None and spec.positional_model_after and spec.positional_model_after in positional:
        i = positional.index(spec.positional_model_after)
        if i + 1 < len(positional) and positional[i + 1] == "serve":  # `trtllm-serve serve MODEL`: a subcommand
            i += 1
        if i + 1 < len(positional):
            model = positional[i + 1]
    if model is None and server == "ollama":
        model = _ollama_model(argv)
    if model is None and server == "nim":
        m = re.search(r"nvcr\.io/nim/([^:@]+)", c.image)
        model = m.group(1) if m else None
    model = model or model_hint
    llm.model = model
    for names, attr in ((spec.dtype, "dtype"), (spec.quantization, "quantization")):
        hit = r.get(names)
        if hit:
            setattr(llm, attr, hit[1].lower())
    if llm.quantization is None:
        llm.quantization = quantization_in_name(model)
    hit = r.get(spec.tensor_parallel)
    if hit and _number(hit[1]):
        llm.tensor_parallel = int(_number(hit[1]) or 1)
    for name, value, why in r.all(spec.caps):
        n = _number(value)
        if n:
            llm.token_caps[name] = n
            llm.cap_evidence.append(why)
        elif "$(" in value or "${" in value:  # set, from an env var whose value the manifest does not give
            llm.caps_checkable = False
            llm.cap_evidence.append(f"{why}: set, from a value given at deploy time (a ConfigMap or Secret), "
                                    "so its size is not known here")
    for name, value, why in r.all(spec.batch):
        n = _number(value)
        if n:
            llm.batch_caps[name] = n
            llm.cap_evidence.append(why)
    if not llm.token_caps and llm.caps_checkable:
        _default_cap(llm, server, c.image)
    if not spec.caps_checkable:
        llm.cap_evidence.append(f"{server}: token limits live in the model repository (config.pbtxt or the "
                                "TensorRT-LLM engine build), not in this manifest")
    llm.params_b, why = params_from_id(model)
    llm.evidence.append(why)
    return llm


def _default_cap(llm: LLMEndpoint, server: str, image: str) -> None:
    """The cap a server applies by itself when that is a fixed number for the image's version (TGI 1.x: 2,048
    tokens): a request cannot fill the model's context there."""
    default = DEFAULT_CAPS.get(server)
    if default is None:
        return
    name, tokens, below, where = default
    tag = image.rsplit("/", 1)[-1].partition(":")[2]
    major = re.match(r"v?(\d+)\.", tag)
    if below is not None and (major is None or int(major.group(1)) >= below):
        return  # a later version, or one the tag does not say (latest)
    llm.token_caps[name] = tokens
    llm.cap_evidence.append(f"{name}={tokens:g}: not set, and {server}{' ' + tag if tag else ''} applies "
                            f"{tokens:g} by itself ({where})")


def _ollama_model(argv: list[str]) -> str | None:
    for verb in ("run", "pull"):
        if verb in argv:
            i = argv.index(verb)
            if i + 1 < len(argv) and not argv[i + 1].startswith("-"):
                return argv[i + 1]
    return None


def container_of(data: Mapping[str, object], where: str) -> Container:
    """A Kubernetes container (or KServe model block) as a :class:`Container`."""
    env: dict[str, str] = {}
    raw_env = data.get("env")
    if isinstance(raw_env, list):
        for item in raw_env:
            if isinstance(item, dict) and isinstance(item.get("name"), str) and "value" in item:
                env[item["name"]] = "" if item["value"] is None else str(item["value"])
    argv: list[str] = []
    for key in ("command", "args"):
        value = data.get(key)
        if isinstance(value, list):
            argv.extend(str(v) for v in value if isinstance(v, (str, int, float)))
        elif isinstance(value, str):
            argv.append(value)
    if argv and argv[0] in _SHELLS:
        argv = [w for w in argv[1:] if w not in ("-c", "-lc", "-ec")]
    return Container(image=str(data.get("image") or ""), argv=argv, env=env, where=where)
