"""Helm releases whose values ask for accelerators: noted, since finops-lint does not render charts.

A ``helm_release`` installs whatever its chart's templates make of its values; the scan reads no chart, so the
GPU pods of a NIM, Triton or vLLM chart would leave the report without a word. A release asks for accelerators
when its values give an amount of one (``nvidia.com/gpu: 1`` in a ``values`` text or ``yamlencode()`` map, a
``set`` block named ``...limits.nvidia\\.com/gpu``); a toleration or a node selector naming one asks for nothing
(a device plugin's chart tolerates GPU nodes).
"""

from __future__ import annotations

from typing import Any

from linter.model import Skipped

_ACCELERATORS = ("nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron", "google.com/tpu", "gpu.intel.com/",
                 "habana.ai/gaudi")


def _requested(value: Any, depth: int = 0) -> str | None:
    """The accelerator a values tree gives an amount of (a key naming one, with a number or quantity)."""
    if depth > 50:
        return None
    if isinstance(value, dict):
        for key, inner in value.items():
            word = next((w for w in _ACCELERATORS if isinstance(key, str) and key.startswith(w)), None)
            if word is not None and isinstance(inner, (int, float, str)) and not isinstance(inner, bool) \
                    and str(inner).strip() not in ("", "0"):
                return word
            found = _requested(inner, depth + 1)
            if found:
                return found
    elif isinstance(value, list):
        for inner in value:
            found = _requested(inner, depth + 1)
            if found:
                return found
    return None


def _asks(values: dict[str, Any]) -> str | None:
    import yaml

    texts = values.get("values")
    for text in texts if isinstance(texts, list) else []:
        if isinstance(text, str) and any(w in text for w in _ACCELERATORS):
            try:
                tree = yaml.safe_load(text)
            except yaml.YAMLError:
                continue
            if (word := _requested(tree)) is not None:
                return word
    sets = values.get("set")
    for block in sets if isinstance(sets, list) else [sets] if isinstance(sets, dict) else []:
        name = str(block.get("name") or "").replace("\\.", ".") if isinstance(block, dict) else ""
        word = next((w for w in _ACCELERATORS if name.endswith(w) or f"{w}." in name or name.endswith(w + "s")), None)
        if word is not None and "toleration" not in name.lower() and "selector" not in name.lower():
            return word
    return None


def accelerator_charts(raws: list[Any]) -> list[Skipped]:
    """A note for each helm_release whose values request accelerators."""
    notes: list[Skipped] = []
    for raw in raws:
        if raw.type != "helm_release" or (word := _asks(raw.values)) is None:
            continue
        chart = raw.values.get("chart")
        named = f"chart {chart}" if isinstance(chart, str) else "a chart"
        notes.append(Skipped(file=raw.file, line=raw.line, reason=f"{raw.address} installs {named} whose values ask "
                             f"for accelerators ({word}); finops-lint does not render Helm charts, so its pods' "
                             "cost is not in the report: render it (helm template) and scan the output"))
    return notes
