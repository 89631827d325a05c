"""Pause Python's cyclic garbage collector while a phase builds a large, long-lived, acyclic structure.

Parsing manifests, applying facts and running rules allocate millions of objects that stay alive until the report
is written and form no reference cycles. The collector would only rescan that growing heap: each young-generation
pass walked everything allocated since the last one, and the first pass after re-enabling walked the whole phase's
allocations at once (24 ms after the Kubernetes resources were built). Here, what a paused phase allocated is
handed to the oldest generation unscanned (``gc.freeze`` then ``gc.unfreeze``), where it is collected as usual
when a full collection comes.
"""

from __future__ import annotations

import gc
from collections.abc import Iterator
from contextlib import contextmanager


@contextmanager
def paused() -> Iterator[None]:
    enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        gc.freeze()
        gc.unfreeze()
        if enabled:
            gc.enable()
