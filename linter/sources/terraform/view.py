"""Safe reads over an evaluated resource: unknown values become ``None`` plus a note."""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.model import UnknownText
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.values import Unknown, as_number, expands_past, is_unknown, to_str


def dig(value: Any, *path: str) -> Any:
    """The value at ``path`` inside nested blocks (a block list reads as its first block); an unknown on the way is
    returned as is, anything missing or malformed is None."""
    for key in path:
        if isinstance(value, list):
            value = value[0] if value and isinstance(value[0], dict) else None
        if not isinstance(value, dict):
            return None
        value = value.get(key)
        if is_unknown(value):
            return value
    return value


def as_blocks(value: Any) -> list[dict[str, Any]]:
    """A nested block value as a list of blocks: HCL gives a list, ``.tf.json`` may give one object."""
    if isinstance(value, dict):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, dict)]
    return []


MAX_SHOWN_ELEMENTS = 10_000  # a tag or label value is text; a collection there is shown only when small


class View:
    """Typed getters over ``RawResource.values``; nested blocks read as their first element."""

    def __init__(self, raw: RawResource) -> None:
        self.raw = raw
        self.unknowns: list[str] = []

    def _walk(self, path: tuple[str, ...]) -> Any:
        return dig(self.raw.values, *path)

    def get(self, *path: str, note: bool = True) -> Any:
        value = self._walk(path)
        if is_unknown(value):
            if note:
                self.unknowns.append(f"{'.'.join(path)}: {value.reason}")
            return None
        return value

    def unknown(self, *path: str) -> Unknown | None:
        value = self._walk(path)
        return value if is_unknown(value) else None

    def str(self, *path: str) -> str | None:
        value = self.get(*path)
        if value is None or isinstance(value, (dict, list)):
            return None
        return str(value) if not isinstance(value, bool) else ("true" if value else "false")

    def num(self, *path: str) -> float | None:
        return as_number(self.get(*path))

    def int(self, *path: str) -> int | None:
        value = self.num(*path)
        return int(value) if value is not None else None

    def bool(self, *path: str) -> bool | None:
        value = self.get(*path)
        if isinstance(value, bool):
            return value
        if value in ("true", "false"):
            return value == "true"
        return None

    def says(self, block: dict[str, Any] | None, where: str, tests: dict[str, Callable[[Any], bool]]) -> bool | None:
        """Whether one of ``block``'s settings (the resource's own when None) passes its test (``spot = true``,
        ``market_type = "spot"``): True when one does; None when none does but one is unknown (noted as
        ``where`` + key, so no rule acts on a guessed default); False when each is absent or says no."""
        values = self.raw.values if block is None else block
        unknown: tuple[str, Unknown] | None = None
        for key, test in tests.items():
            value = values.get(key) if isinstance(values, dict) else None
            if is_unknown(value):
                unknown = unknown or (key, value)
            elif value is not None and test(value):
                return True
        if unknown is not None:
            self.unknowns.append(f"{where}{unknown[0]}: {unknown[1].reason}")
            return None
        return False

    def blocks(self, *path: str) -> list[dict[str, Any]]:
        parent: Any = self.raw.values if len(path) == 1 else self._walk(path[:-1])
        if isinstance(parent, list):
            parent = parent[0] if parent and isinstance(parent[0], dict) else None
        if not isinstance(parent, dict):
            return []
        return as_blocks(parent.get(path[-1]))

    def strings(self, *path: str) -> list[str]:
        value = self.get(*path)
        if isinstance(value, str):
            return [value]
        if isinstance(value, list):
            return [str(v) for v in value if isinstance(v, (str, int, float)) and not isinstance(v, bool)]
        return []

    def map(self, *path: str) -> tuple[dict[str, str], bool]:
        """A string map (tags/labels) and whether it was fully known."""
        value = self._walk(path)
        if value is None:
            return {}, True
        if is_unknown(value) or not isinstance(value, dict):
            if is_unknown(value):
                self.unknowns.append(f"{'.'.join(path)}: {value.reason}")
            return {}, False
        out: dict[str, str] = {}
        for k, v in value.items():
            if v.__class__ is str:  # most tags and labels: no note to write
                out[str(k)] = v
            elif isinstance(v, (list, dict)) and expands_past(v, MAX_SHOWN_ELEMENTS):  # not text: shown, not expanded
                out[str(k)] = self.unknown_text(f"{'.'.join(path)}.{k}",
                                                f"a collection of more than {MAX_SHOWN_ELEMENTS:,} elements")
            elif is_unknown(v):  # set, to a value the scanned code does not give: present, and said why
                out[str(k)] = self.unknown_text(f"{'.'.join(path)}.{k}", v.reason)
            else:
                out[str(k)] = "" if v is None else to_str(v) if isinstance(v, (bool, int, float)) else str(v)
        return out, True

    def unknown_text(self, where: str, reason: str) -> UnknownText:
        """A tag or label value this code sets but does not give, noted among the resource's unknowns."""
        self.unknowns.append(f"{where}: {reason}")
        return UnknownText(reason)

    def refs(self, *path: str) -> tuple[str, ...]:
        """Resource addresses an attribute refers to (kept even when its value is unknown)."""
        value = self._walk(path)
        return value.refs if is_unknown(value) else ()
