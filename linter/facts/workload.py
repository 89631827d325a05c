"""Workload class with the evidence that set it: hints, tags, resource kind, then names."""

from __future__ import annotations

import fnmatch
import re

from linter.config import Config
from linter.model import Resource, Workload

WORKLOAD_TAG_KEYS = ("workload", "workload-type", "workload_type", "WorkloadType", "Workload", "workload-class")

_VALUE_KINDS: dict[str, str] = {
    "training": "training", "train": "training", "pretraining": "training", "pre-training": "training",
    "fine-tuning": "fine-tuning", "finetuning": "fine-tuning", "finetune": "fine-tuning", "fine-tune": "fine-tuning",
    "sft": "fine-tuning", "lora": "fine-tuning",
    "batch": "batch", "batch-inference": "batch", "batch_inference": "batch", "offline-inference": "batch",
    "etl": "batch", "eval": "batch", "evaluation": "batch", "embedding": "batch", "embeddings": "batch",
    "inference": "inference", "serving": "inference", "online-inference": "inference", "realtime": "inference",
    "real-time-inference": "inference", "interactive": "interactive", "notebook": "interactive",
    "development": "interactive",
}

# Name evidence, checked in this order (fine-tuning before training: "finetune-trainer").
_NAME_PATTERNS: list[tuple[str, re.Pattern[str]]] = [
    ("fine-tuning", re.compile(r"fine[-_]?tun|(?<![a-z])(sft|lora|qlora)(?![a-z])")),
    ("training", re.compile(r"(?<![a-z])(train|training|trainer|pretrain)")),
    ("batch", re.compile(r"(?<![a-z])(batch|etl|eval|evaluation|embed(?:dings?|der)?(?![a-z])|ingest|offline"
                         r"|nightly)")),  # not "embedded"
    # "server" and "endpoint" alone name databases, web servers and VPC endpoints (pulumi/examples: mysql-server,
    # spoke1-vpc-endpoint-sg): only a model or inference server says inference
    ("inference", re.compile(r"(?<![a-z])(inference|infer|serving|serve(?![r])|(?:model|llm|ml|triton|vllm|tgi)[-_]?"
                             r"server|predict|vllm|tgi|triton)")),
    ("interactive", re.compile(r"(?<![a-z])(notebook|jupyter|workbench|devbox)")),
]
# Words each kind's pattern cannot match without (tests/test_properties.py holds the patterns to them): a
# substring test rules a kind out in a tenth of the time its look-behind pattern takes to scan a name
_NEEDLES: dict[str, tuple[str, ...]] = {
    "fine-tuning": ("fine", "sft", "lora"),
    "training": ("train",),
    "batch": ("batch", "etl", "eval", "embed", "ingest", "offline", "nightly"),
    "inference": ("infer", "serv", "predict", "vllm", "tgi", "triton"),
    "interactive": ("notebook", "jupyter", "workbench", "devbox"),
}


def kind_of_value(value: str) -> str | None:
    return _VALUE_KINDS.get(value.strip().lower())


def classify(resource: Resource, config: Config) -> Workload:
    for hint in config.workload_hints:
        if fnmatch.fnmatch(resource.address, hint.match) or fnmatch.fnmatch(resource.name, hint.match):
            return Workload(kind=hint.kind, evidence=[f"config workload_hints: '{hint.match}'"])
    for key in WORKLOAD_TAG_KEYS:
        value = resource.tags.get(key)
        if value:
            kind = kind_of_value(value)
            if kind:
                return Workload(kind=kind, evidence=[f"tag {key}={value}"])  # type: ignore[arg-type]
    nodes = resource.compute.nodes if resource.compute is not None else None
    for key in WORKLOAD_TAG_KEYS if nodes is not None else ():
        value = nodes.labels.get(key)  # a node pool's Kubernetes labels say what its nodes are for
        kind = kind_of_value(value) if value else None
        if kind:
            return Workload(kind=kind, evidence=[f"node label {key}={value}"])  # type: ignore[arg-type]
    if resource.workload.kind != "unknown":
        return resource.workload
    text = " ".join([resource.address, resource.tags.get("Name", ""), resource.tags.get("name", "")]).lower()
    for kind, pattern in _NAME_PATTERNS:
        m = pattern.search(text) if any(needle in text for needle in _NEEDLES[kind]) else None
        if m:
            return Workload(kind=kind, evidence=[f"name contains '{m.group(0)}'"])  # type: ignore[arg-type]
    return resource.workload
