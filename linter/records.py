"""``@record``: a ``@dataclass`` that compiles one method at import instead of three.

Why: ``@dataclass`` writes and compiles source for ``__init__``, ``__repr__`` and ``__eq__`` (and ``__hash__``
when frozen) of every class as its module is imported. Over the classes a scan imports that cost about 40 ms
of a 150 ms pre-commit run. A record still gets a generated ``__init__`` (thousands of resources and findings
are built per scan), and shares one ``__repr__``, ``__eq__`` and ``__hash__`` that read the dataclass fields:
the same results as the generated ones (tests/test_records.py), slower per call, and rarely called.

Everything else is a plain dataclass: ``dataclasses.fields``/``replace``/``asdict``, pydantic's ``TypeAdapter``
and type checkers (``dataclass_transform``) see no difference.
"""

from __future__ import annotations

import dataclasses
import reprlib
import sys
from collections.abc import Callable
from typing import Any, TypeVar

T = TypeVar("T")

if sys.version_info >= (3, 11):
    from typing import dataclass_transform
else:  # pragma: no cover - Python 3.10
    def dataclass_transform(**_: Any) -> Callable[[T], T]:
        return lambda f: f


def _compared(self: Any) -> tuple[Any, ...]:
    return tuple(getattr(self, f.name) for f in dataclasses.fields(self) if f.compare)


@reprlib.recursive_repr()
def _repr(self: Any) -> str:
    shown = ", ".join(f"{f.name}={getattr(self, f.name)!r}" for f in dataclasses.fields(self) if f.repr)
    return f"{self.__class__.__qualname__}({shown})"


def _eq(self: Any, other: Any) -> Any:
    if other.__class__ is self.__class__:
        return _compared(self) == _compared(other)
    return NotImplemented


def _hash(self: Any) -> int:
    return hash(tuple(getattr(self, f.name) for f in dataclasses.fields(self)
                      if (f.compare if f.hash is None else f.hash)))


@dataclass_transform(field_specifiers=(dataclasses.field, dataclasses.Field))
def record(cls: type[T] | None = None, /, *, eq: bool = True, frozen: bool = False, kw_only: bool = False,
           slots: bool = False) -> Any:
    """``@record`` / ``@record(kw_only=True, slots=True, frozen=True, eq=False)``, as ``@dataclass``."""

    def wrap(klass: type[T]) -> type[T]:
        if "__repr__" not in klass.__dict__:
            klass.__repr__ = _repr  # type: ignore[assignment]
        if eq and "__eq__" not in klass.__dict__:
            klass.__eq__ = _eq  # type: ignore[assignment]
            # as @dataclass: equal by value, so unhashable unless frozen
            klass.__hash__ = _hash if frozen else None  # type: ignore[assignment]
        return dataclasses.dataclass(klass, repr=False, eq=False, frozen=frozen, kw_only=kw_only,
                                     slots=slots)  # type: ignore[no-any-return]

    return wrap if cls is None else wrap(cls)
