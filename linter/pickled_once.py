"""Results pickled once: a worker writes a Terraform root's result to the cache and sends it to its parent as the
same bytes.

A worker pickled each root's normalized resources twice, once for the cache entry and once more for the pipe to
its parent (about 30 ms of each worker's CPU on the 1,000-file corpus). ``freeze`` pickles a value and keeps the
bytes on it; pickling it again (the cache entry that holds it, the result sent to the parent) reuses them, and
unpickling gives the value back as usual. A frozen value must not change: it is frozen when it is final.
"""

from __future__ import annotations

import pickle
from typing import Any


class PickledOnce:
    """A mixin for plain (``__dict__``) classes whose instances may be frozen."""

    def __reduce_ex__(self, protocol: Any) -> Any:  # type: ignore[override]
        data = self.__dict__.get("_pickled")
        if data is not None:
            return pickle.loads, (data,)
        return super().__reduce_ex__(protocol)


def freeze(value: PickledOnce) -> bytes:
    """Pickle ``value`` now; later pickles of it reuse these bytes."""
    data = pickle.dumps(value, protocol=pickle.HIGHEST_PROTOCOL)
    value.__dict__["_pickled"] = data
    return data


def thaw(value: PickledOnce) -> None:
    """Forget the bytes of a value about to change: pickling it again then pickles it as it is."""
    value.__dict__.pop("_pickled", None)
