"""Kubernetes resource quantities: ``500m`` CPU, ``16Gi`` memory, ``"1"`` GPU."""

from __future__ import annotations

import re

_QUANTITY = re.compile(r"^\s*([+-]?(?:\d+\.?\d*|\.\d+)(?:[eE][+-]?\d+)?)\s*([numkKMGTPE]i?|)\s*$")
_FACTORS = {"": 1.0, "n": 1e-9, "u": 1e-6, "m": 1e-3, "k": 1e3, "K": 1e3, "M": 1e6, "G": 1e9, "T": 1e12,
            "P": 1e15, "E": 1e18, "Ki": 2.0**10, "Mi": 2.0**20, "Gi": 2.0**30, "Ti": 2.0**40, "Pi": 2.0**50,
            "Ei": 2.0**60}


def quantity(value: object) -> float | None:
    """The number a quantity stands for (``"500m"`` -> 0.5, ``"2Gi"`` -> 2147483648); None if not one."""
    if isinstance(value, bool):
        return None
    if isinstance(value, (int, float)):
        return float(value)
    if not isinstance(value, str):
        return None
    m = _QUANTITY.match(value)
    if not m or m.group(2) not in _FACTORS:
        return None
    return float(m.group(1)) * _FACTORS[m.group(2)]


def gib(value: object) -> float | None:
    q = quantity(value)
    return None if q is None else q / 2.0**30


def count(value: object) -> int | None:
    """A replica count or similar integer field; None when absent or not a number (e.g. template text)."""
    if isinstance(value, bool):
        return None
    if isinstance(value, int):
        return value
    if isinstance(value, float) and value.is_integer():
        return int(value)
    if isinstance(value, str) and value.strip().isdigit():
        return int(value.strip())
    return None


def count_of(d: dict, key: str, default: int | None = None) -> int | None:
    """``count(d[key])``, or ``default`` when the field is absent or null (the API default applies)."""
    value = d.get(key)
    return default if value is None else count(value)
