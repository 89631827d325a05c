"""Usage assumptions: what the code cannot say (requests a month, tokens per request, hours a day).

The file has the shape Infracost's usage file has, so it reads familiar::

    version: 0.1
    resource_type_default_usage:          # per resource type (Terraform type, Kubernetes kind, litellm_model)
      azurerm_cognitive_deployment:
        monthly_requests: 2000000
        input_tokens_per_request: 1500
        output_tokens_per_request: 400
    resource_usage:                       # per address; [*] matches any count/for_each key
      azurerm_cognitive_deployment.chat: {hours_per_day: 10}
      module.llm.aws_api_gateway_rest_api.chat[*]: {monthly_requests: 50000}

An address entry overrides its type's defaults, which override the built-in defaults below.
Every exposure figure names the values it used and where each came from.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from functools import lru_cache
from typing import Any

from linter.records import record

# Built-in defaults, used when no usage file says otherwise. They are placeholders to make a figure
# reproducible, not a forecast: a chat assistant at ~23 requests a minute around the clock.
DEFAULTS: dict[str, float] = {
    "monthly_requests": 1_000_000,
    "input_tokens_per_request": 1_000,
    "output_tokens_per_request": 250,
    "hours_per_day": 24,
}
KEYS = tuple(DEFAULTS)
_WILDCARD = re.compile(r"\\\[\\\*\\\]")


class UsageError(Exception):
    """A usage file that cannot be used; the message names the file and the key."""


@record(frozen=True)
class UsageFile:
    path: str
    by_type: dict[str, dict[str, float]] = field(default_factory=dict)
    by_address: list[tuple[str, re.Pattern[str], dict[str, float]]] = field(default_factory=list)


@record(frozen=True)
class Assumed:
    """The usage a figure is computed at, and where each value came from."""

    monthly_requests: float
    input_tokens: float
    output_tokens: float
    hours_per_day: float
    origin: dict[str, str]

    @property
    def duty(self) -> float:
        return self.hours_per_day / 24

    def sentences(self, *keys: str) -> list[str]:
        words = {"monthly_requests": f"{self.monthly_requests:,.0f} requests/month",
                 "input_tokens_per_request": f"{self.input_tokens:,.0f} input tokens/request",
                 "output_tokens_per_request": f"{self.output_tokens:,.0f} output tokens/request",
                 "hours_per_day": f"in use {self.hours_per_day:g} h/day"}
        return [f"usage: {words[k]} ({self.origin[k]})" for k in (keys or KEYS)]


def _values(raw: Any, where: str, path: str) -> dict[str, float]:
    if not isinstance(raw, dict):
        raise UsageError(f"{path}: key '{where}': expected a mapping of usage keys ({', '.join(KEYS)})")
    out: dict[str, float] = {}
    for key, value in raw.items():
        if key not in DEFAULTS:
            raise UsageError(f"{path}: key '{where}.{key}': unknown usage key (known: {', '.join(KEYS)})")
        if isinstance(value, bool) or not isinstance(value, (int, float)) or value < 0:
            raise UsageError(f"{path}: key '{where}.{key}': expected a number >= 0, got {value!r}")
        if key == "hours_per_day" and value > 24:
            raise UsageError(f"{path}: key '{where}.{key}': at most 24")
        out[key] = float(value)
    return out


def parse_usage(raw: Any, path: str) -> UsageFile:
    if raw is None:
        return UsageFile(path)
    if not isinstance(raw, dict):
        raise UsageError(f"{path}: a usage file is a mapping with resource_type_default_usage and resource_usage")
    unknown = set(raw) - {"version", "resource_type_default_usage", "resource_usage"}
    if unknown:
        raise UsageError(f"{path}: key '{sorted(unknown)[0]}': unknown key (expected version, "
                         "resource_type_default_usage, resource_usage)")
    by_type = {str(t): _values(v, f"resource_type_default_usage.{t}", path)
               for t, v in (raw.get("resource_type_default_usage") or {}).items()}
    by_address = []
    for address, values in (raw.get("resource_usage") or {}).items():
        pattern = re.compile("^" + _WILDCARD.sub(r"\\[[^\\]]+\\]", re.escape(str(address))) + "$")
        by_address.append((str(address), pattern, _values(values, f"resource_usage.{address}", path)))
    return UsageFile(path, by_type, by_address)


def load_usage(path: str) -> UsageFile:
    """Read and validate a usage file (cached per path and modification time)."""
    try:
        mtime = os.stat(path).st_mtime
    except OSError as exc:
        raise UsageError(f"{path}: cannot read the usage file: {exc.strerror}") from exc
    return _load(path, mtime)


@lru_cache(maxsize=8)
def _load(path: str, _mtime: float) -> UsageFile:
    import yaml

    from linter.files import UnreadableFile, read_text

    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise UsageError(f"{path}: {exc.message}") from exc
    try:
        raw = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        raise UsageError(f"{path}{f':{mark.line + 1}' if mark else ''}: invalid YAML: "
                         f"{getattr(exc, 'problem', exc)}") from exc
    return parse_usage(raw, path)


def assumed(resource_type: str, address: str, usage_file: str | None) -> Assumed:
    """The usage for one resource: its address entry, else its type's defaults, else the built-in ones."""
    values: dict[str, float] = dict(DEFAULTS)
    origin = {k: f"built-in default; set {k} in a usage file" for k in KEYS}
    if usage_file:
        uf = load_usage(usage_file)
        for k, v in uf.by_type.get(resource_type, {}).items():
            values[k], origin[k] = v, f"{uf.path}: resource_type_default_usage.{resource_type}"
        for pattern_text, pattern, entry in uf.by_address:
            if pattern.match(address):
                for k, v in entry.items():
                    values[k], origin[k] = v, f"{uf.path}: resource_usage.{pattern_text}"
    return Assumed(values["monthly_requests"], values["input_tokens_per_request"],
                   values["output_tokens_per_request"], values["hours_per_day"], origin)
