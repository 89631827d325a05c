"""The value that static analysis cannot know, and helpers that respect it."""

from __future__ import annotations

import math
from typing import Any


class Unknown:
    """A value only known at apply time (or from data we do not read).

    ``refs`` keeps the resource addresses the value came from, so links (ASG -> launch
    template, endpoint -> config) still work when the value itself is unknown.
    """

    __slots__ = ("reason", "refs")

    def __init__(self, reason: str, refs: tuple[str, ...] = ()) -> None:
        self.reason = reason
        self.refs = refs

    def __repr__(self) -> str:
        return f"Unknown({self.reason!r})"

    def __bool__(self) -> bool:  # guard: code must test is_unknown() first
        raise TypeError("truth value of an unknown Terraform value")


class UnknownEncoding(Unknown):
    """``jsonencode()`` of a partly unknown value: the text is known only at apply, but ``value`` (with its unknown
    parts) is what it encodes, for a reader that decodes that text anyway (an azapi 1.x ``body``)."""

    __slots__ = ("value",)

    def __init__(self, reason: str, refs: tuple[str, ...], value: Any) -> None:
        super().__init__(reason, refs)
        self.value = value


def is_unknown(value: Any) -> bool:
    return isinstance(value, Unknown)


def merge_unknown(*values: Any) -> Unknown:
    reasons: list[str] = []
    refs: list[str] = []
    for v in values:
        if isinstance(v, Unknown):
            if v.reason not in reasons:
                reasons.append(v.reason)
            refs.extend(r for r in v.refs if r not in refs)
    return Unknown("; ".join(reasons) or "unknown", tuple(refs))


def contains_unknown(value: Any) -> bool:
    if isinstance(value, Unknown):
        return True
    if isinstance(value, dict):
        return any(contains_unknown(v) for v in value.values())
    if isinstance(value, list):
        return any(contains_unknown(v) for v in value)
    return False


def unknowns_in(value: Any) -> list[Unknown]:
    """The unknowns inside a value, in order: what a function over a partly unknown value says it waits for."""
    if isinstance(value, Unknown):
        return [value]
    children = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    return [u for child in children for u in unknowns_in(child)]


def expands_past(value: Any, limit: int, characters: int | None = None) -> bool:
    """Whether ``value`` has more than ``limit`` elements once expanded, or (given ``characters``) more characters
    in its strings and keys; stops counting there (a value that shares a local many times over expands
    exponentially)."""
    budget = [limit, characters if characters is not None else -1]

    def count(v: Any) -> bool:
        budget[0] -= 1
        if budget[0] < 0:
            return True
        if characters is not None:
            if isinstance(v, str):
                budget[1] -= len(v)
            elif isinstance(v, dict):
                budget[1] -= sum(len(k) for k in v)
            if budget[1] < 0:
                return True
        items = v.values() if isinstance(v, dict) else v if isinstance(v, list) else ()
        return any(count(item) for item in items)
    return count(value)


MAX_TEXT = 1_000_000  # characters of a string a function or template makes: far past any real configuration


def too_long(characters: int) -> str | None:
    """Why a string of this many characters is not made (None: it may be)."""
    return f"a string of more than {MAX_TEXT:,} characters" if characters > MAX_TEXT else None


def as_number(value: Any) -> float | None:
    """A known number (or numeric string); None for unknowns, booleans, absent or non-numeric values."""
    if value is None or isinstance(value, bool) or is_unknown(value):
        return None
    try:
        number = float(value)
    except (TypeError, ValueError, OverflowError):  # OverflowError: an integer past any float (10^400)
        return None
    return number if math.isfinite(number) else None


def to_str(value: Any) -> str:
    """Terraform's string conversion for template interpolation."""
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, float) and value.is_integer():
        return str(int(value))
    if value is None:
        return ""
    return str(value)
