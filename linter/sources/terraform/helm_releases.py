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
        notes.append(chart_note(raw.address, raw.values.get("chart"), raw.file, raw.line, word=word))
    return notes


def chart_note(address: str, chart: Any, file: str, line: int | None, word: str | None = None,
               unknown: str | None = None, hint: str = "") -> Skipped:
    """The note for a Helm release or chart the scan cannot price: its values ask for ``word``, or cannot be read
    (``unknown`` says why). One wording for Terraform's helm_release and Pulumi's Release and Chart."""
    named = f"chart {chart}" if isinstance(chart, str) and chart else "a chart"
    if word is not None:
        said = f"whose values ask for accelerators ({word}); finops-lint does not render Helm charts, so its pods' " \
               "cost is not in the report"
    else:
        said = f"with values not known without running the program ({unknown}); finops-lint does not render Helm " \
               "charts, so if they ask for accelerators its pods' cost is not in the report"
    return Skipped(file=file, line=line, reason=f"{address} installs {named} {said}: render it (helm template) and "
                   f"scan the output{hint}")


def pulumi_chart_note(address: str, values: dict[str, Any], file: str, line: int | None,
                      read_values_file: Any) -> Skipped | None:
    """A Pulumi ``kubernetes.helm`` Release or Chart (v3, v4): noted when its values ask for accelerators, or cannot
    be read statically; None when they are read and ask for none. ``values`` are its arguments as the program gives
    them; ``read_values_file(path)`` gives a values file's tree (``value_yaml_files``), or None if unreadable."""
    from linter.sources.terraform.values import contains_unknown, is_unknown

    chart = values.get("chart")
    if not isinstance(chart, str):
        chart = values.get("path") if isinstance(values.get("path"), str) else None  # a v3 Chart from a local path
    trees: list[Any] = []
    unknown = None
    given = values.get("values")
    if is_unknown(given):
        unknown = given.reason
    elif given is not None:
        trees.append(given)
    files = values.get("value_yaml_files", values.get("valueYamlFiles"))
    for item in files if isinstance(files, list) else [] if files is None else [files]:
        path = item.get("path") if isinstance(item, dict) else item  # FileAsset("values.yaml") as the reader gives it
        tree = read_values_file(path) if isinstance(path, str) else None
        if tree is None:
            unknown = unknown or "a values file that is not read"
        else:
            trees.append(tree)
    for tree in trees:
        if (word := _requested(tree)) is not None:
            return chart_note(address, chart, file, line, word=word)
        if contains_unknown(tree):
            unknown = unknown or "values known only at deployment"
    if unknown is None:
        return None
    return chart_note(address, chart, file, line, unknown=unknown, hint=", or use --pulumi-execute")
