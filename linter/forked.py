"""A value computed in a forked child while this process goes on: the serial end of a large scan (rules, the JSON
inventory) on the other CPU.

The child inherits everything (nothing is pickled going in), writes its pickled result to an unlinked temporary
file, and leaves with ``os._exit``: no exit handlers, no flushing of the parent's buffers. Whatever goes wrong there
(no fork on this platform, an exception, a crash) makes ``result`` None, and the caller computes in-process.

A child may be forked *gated*: it waits, using no CPU, until ``release()``. Forking early shares less: after a fork,
each page the two processes shared is copied on this process's first write to it (a fault of ~3 us on a VM), so a
child forked before this process allocates the rest of its work leaves those new pages its own. If this process
drops the child unreleased (``abandon``, or it exits), the child leaves without computing.
"""

from __future__ import annotations

import contextlib
import os
import sys
from collections.abc import Callable
from typing import Any


class Forked:
    """A child computing ``compute()``; ``result`` waits for it."""

    def __init__(self, compute: Callable[[], Any], gated: bool = False) -> None:
        import tempfile

        self._file = tempfile.TemporaryFile()  # noqa: SIM115 (closed by result(), after the child wrote it)
        gate = os.pipe() if gated else None
        try:
            pid = os.fork()
        except OSError:
            self._file.close()
            for fd in gate or ():
                os.close(fd)
            raise
        if pid == 0:
            if gate is not None:
                os.close(gate[1])
            _child(compute, self._file, gate[0] if gate is not None else None)
        self._pid = pid
        self._gate: int | None = None
        if gate is not None:
            os.close(gate[0])
            self._gate = gate[1]

    def release(self) -> None:
        """Let a gated child compute (nothing for a child forked ungated)."""
        if self._gate is not None:
            with contextlib.suppress(OSError):  # it is gone: result() says None
                os.write(self._gate, b"1")
            os.close(self._gate)
            self._gate = None

    def abandon(self) -> None:
        """Drop the child: an unreleased one leaves without computing; wait for it either way."""
        if self._gate is not None:
            os.close(self._gate)
            self._gate = None
        os.waitpid(self._pid, 0)
        self._file.close()

    def result(self) -> Any | None:
        """What the child computed, or None when it failed."""
        import pickle

        self.release()
        _, status = os.waitpid(self._pid, 0)
        with self._file:
            if status != 0:
                return None
            self._file.seek(0)
            try:
                return pickle.load(self._file)
            except Exception:  # a truncated file: the child was killed while writing
                return None


class Piped:
    """A child computing ``compute()`` whose (small) result comes back through a pipe, not a temporary file: at a
    scan's start, before anything has imported ``tempfile`` (~3 ms). ``result`` reads it to the end."""

    def __init__(self, compute: Callable[[], Any]) -> None:
        read, write = os.pipe()
        try:
            pid = os.fork()
        except OSError:
            os.close(read)
            os.close(write)
            raise
        if pid == 0:
            os.close(read)
            _child(compute, os.fdopen(write, "wb"))
        os.close(write)
        self._pid, self._read = pid, read

    def result(self) -> Any | None:
        """What the child computed, or None when it failed."""
        import pickle

        chunks = []
        with os.fdopen(self._read, "rb", buffering=0) as pipe:
            while chunk := pipe.read(1 << 20):
                chunks.append(chunk)
        _, status = os.waitpid(self._pid, 0)
        if status != 0:
            return None
        try:
            return pickle.loads(b"".join(chunks))
        except Exception:  # cut short
            return None

    def abandon(self) -> None:
        """Stop the child and wait for it (the caller gave up on its result)."""
        import signal

        with contextlib.suppress(OSError):
            os.kill(self._pid, signal.SIGKILL)
        os.waitpid(self._pid, 0)
        os.close(self._read)


def fork_call(compute: Callable[[], Any], gated: bool = False, piped: bool = False) -> Forked | Piped | None:
    """``compute()`` in a forked child (``gated``: once released; ``piped``: answering through a pipe, ``Piped``),
    or None when processes cannot be forked here."""
    if not hasattr(os, "fork"):
        return None
    try:
        return Piped(compute) if piped else Forked(compute, gated)
    except OSError:
        return None


def _child(compute: Callable[[], Any], out: Any, gate: int | None = None) -> None:
    """Run in the child: (once released) compute, write, leave without running anything of the parent's."""
    import gc

    code = 1
    try:
        gc.disable()  # a collection would touch (and so copy) every page of the parent's heap
        pool = sys.modules.get("linter.pool")
        if pool is not None:  # forked while workers run: their pipes are the parent's alone
            pool.close_parent_ends()
        if gate is not None and not os.read(gate, 1):
            return  # abandoned: the parent closed the gate without releasing it
        import pickle

        pickle.dump(compute(), out, protocol=pickle.HIGHEST_PROTOCOL)
        out.flush()
        code = 0
    finally:
        os._exit(code)
