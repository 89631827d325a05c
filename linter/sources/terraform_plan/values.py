"""A resource's values in a plan, made to look like the HCL evaluator's, so the same mappers read them.

- ``after_unknown`` marks values known only after apply: they become :class:`Unknown`, carrying the
  resources the configuration expression refers to (an ASG's launch template created in the same plan).
- Sensitive values (``after_sensitive``/``before_sensitive``) become Unknown too: finops-lint never
  copies a secret into a report, and a fact it cannot show it does not use.
- ``null`` attributes are left out, as an unset attribute is absent from an evaluated ``.tf`` block.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.sources.terraform.values import Unknown

SENSITIVE = "sensitive in the plan (not read)"
AFTER_APPLY = "known after apply"

RefsAt = Callable[[tuple[Any, ...]], tuple[str, ...]]


def _no_refs(_: tuple[Any, ...]) -> tuple[str, ...]:
    return ()


_LEAVES = frozenset({str, int, float, bool, type(None)})
_UNMARKED = (None, False)  # no marker at this key: the value is taken as it is


def plan_values(value: Any, unknown: Any = None, sensitive: Any = None, refs_at: RefsAt = _no_refs,
                path: tuple[Any, ...] = ()) -> Any:
    """Merge a value with its unknown and sensitive markers (same shape, ``true`` at marked leaves). An unmarked
    scalar is copied without a call: most of a plan's millions of values are (0.4 s of a 5 MB plan otherwise)."""
    if unknown is True:
        return Unknown(AFTER_APPLY, refs_at(path))
    if sensitive is True:
        return Unknown(SENSITIVE)
    if isinstance(value, dict) or isinstance(unknown, dict):
        base = value if isinstance(value, dict) else {}
        unk = unknown if isinstance(unknown, dict) else {}
        sens = sensitive if isinstance(sensitive, dict) else {}
        out: dict[str, Any] = {}
        for key in [*base, *(k for k in unk if k not in base)]:
            item, item_unknown, item_sensitive = base.get(key), unk.get(key), sens.get(key)
            if item.__class__ in _LEAVES and item_unknown in _UNMARKED and item_sensitive in _UNMARKED:
                merged = item
            else:
                merged = plan_values(item, item_unknown, item_sensitive, refs_at, (*path, key))
            if merged is not None:
                out[key] = merged
        return out
    if isinstance(value, list) or isinstance(unknown, list):
        items = value if isinstance(value, list) else []
        unk_list = unknown if isinstance(unknown, list) else []
        sens_list = sensitive if isinstance(sensitive, list) else []
        n = max(len(items), len(unk_list))
        if not unk_list and not sens_list and all(v.__class__ in _LEAVES for v in items):
            return list(items)  # e.g. a list of subnet ids or CIDRs: nothing marked
        return [plan_values(items[i] if i < len(items) else None, unk_list[i] if i < len(unk_list) else None,
                            sens_list[i] if i < len(sens_list) else None, refs_at, (*path, i)) for i in range(n)]
    return value


def expression_at(expressions: Any, path: tuple[Any, ...]) -> Any:
    """The configuration expression for a value path: nested blocks are lists of expression objects
    (one per written block; a ``dynamic`` block's content is not expanded, so its first one stands in)."""
    current = expressions
    for step in path:
        if isinstance(step, int):
            if isinstance(current, list) and current:
                current = current[min(step, len(current) - 1)]
            continue  # a list attribute's elements share the attribute's expression
        if isinstance(current, list):
            current = current[0] if current and isinstance(current[0], dict) else None
        if not isinstance(current, dict):
            return None
        current = current.get(step)
    return current
