"""A value computed in a forked child while this process goes on: the serial end of a large scan (rules, the JSON
inventory) on the other CPU.

The child inherits everything (nothing is pickled going in), writes its pickled result to an unlinked temporary
file, and leaves with ``os._exit``: no exit handlers, no flushing of the parent's buffers. Whatever goes wrong there
(no fork on this platform, an exception, a crash) makes ``result`` None, and the caller computes in-process.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from typing import Any


class Forked:
    """A child computing ``compute()``; ``result`` waits for it."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result(), after the child wrote it)
        try:
            pid = os.fork()
        except OSError:
            self._file.close()
            raise
        if pid == 0:
            _child(compute, self._file)
        self._pid = pid

    def result(self) -> Any | None:
        """What the child computed, or None when it failed."""
        import pickle

        _, status = os.waitpid(self._pid, 0)
        with self._file:
            if status != 0:
                return None
            self._file.seek(0)
            try:
                return pickle.load(self._file)
            except Exception:  # a truncated file: the child was killed while writing
                return None


def fork_call(compute: Callable[[], Any]) -> Forked | None:
    """``compute()`` in a forked child, or None when processes cannot be forked here."""
    if not hasattr(os, "fork"):
        return None
    try:
        return Forked(compute)
    except OSError:
        return None


def _child(compute: Callable[[], Any], out: Any) -> None:
    """Run in the child: compute, write, leave without running anything of the parent's."""
    import gc

    code = 1
    try:
        gc.disable()  # a collection would touch (and so copy) every page of the parent's heap
        import pickle

        pickle.dump(compute(), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        code = 0
    finally:
        os._exit(code)
