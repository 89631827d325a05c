"""Helm releases whose values ask for accelerators: noted, since finops-lint does not render charts.

A ``helm_release`` installs whatever its chart's templates make of its values; the scan reads no chart, so the
GPU pods of a NIM, Triton or vLLM chart would leave the report without a word. Their values (``values`` texts,
``yamlencode()`` of a map, ``set`` blocks) are searched for the accelerator resources a pod requests.
"""

from __future__ import annotations

from typing import Any

from linter.model import Skipped

_ACCELERATORS = ("nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron", "google.com/tpu", "gpu.intel.com/")


def _texts(values: dict[str, Any]) -> list[str]:
    """The release's values as text: each ``values`` entry, and each ``set`` block's name and value."""
    texts = [v for v in values.get("values") or [] if isinstance(v, str)] \
        if isinstance(values.get("values"), list) else []
    sets = values.get("set")
    for block in sets if isinstance(sets, list) else [sets] if isinstance(sets, dict) else []:
        if isinstance(block, dict):
            texts.extend(str(block.get(k)) for k in ("name", "value") if isinstance(block.get(k), (str, int)))
    return texts


def accelerator_charts(raws: list[Any]) -> list[Skipped]:
    """A note for each helm_release whose values request accelerators."""
    notes: list[Skipped] = []
    for raw in raws:
        if raw.type != "helm_release":
            continue
        text = "\n".join(_texts(raw.values)).replace("\\.", ".")  # set names escape dots: nvidia\\.com/gpu
        word = next((w for w in _ACCELERATORS if w in text), None)
        if word is None:
            continue
        chart = raw.values.get("chart")
        named = f"chart {chart}" if isinstance(chart, str) else "a chart"
        notes.append(Skipped(file=raw.file, line=raw.line, reason=f"{raw.address} installs {named} whose values ask "
                             f"for accelerators ({word}); finops-lint does not render Helm charts, so its pods' "
                             "cost is not in the report: render it (helm template) and scan the output"))
    return notes
