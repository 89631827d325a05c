"""linter/forked.py: a value computed in a forked child, and None (so the caller computes it in-process) whenever
the child cannot give it: no fork on this platform, no writable temporary directory, an exception or a crash."""

from __future__ import annotations

import os
import signal
import tempfile
import time
from pathlib import Path
from typing import Any

import pytest

from linter.forked import fork_call
from linter.pool import run_forked


def test_the_child_computes_from_the_parents_memory() -> None:
    inventory = {f"aws_instance.trainer[{i}]": {"instance_type": "p4d.24xlarge", "count": i} for i in range(3000)}
    child = fork_call(lambda: sum(v["count"] for v in inventory.values()))
    assert child is not None
    inventory.clear()  # the parent moves on; the child works on its own copy
    assert child.result() == sum(range(3000))


@pytest.mark.parametrize("failure", ["exception", "crash"])
def test_a_failing_child_gives_none(failure: str) -> None:
    def compute() -> int:
        if failure == "crash":
            os._exit(3)
        raise RuntimeError("the child dies")

    child = fork_call(compute)
    assert child is not None and child.result() is None


def test_no_fork_or_no_temporary_directory_gives_no_child(monkeypatch: pytest.MonkeyPatch) -> None:
    def unwritable() -> None:
        raise PermissionError(13, "Permission denied", tempfile.gettempdir())

    monkeypatch.setattr(tempfile, "TemporaryFile", unwritable)
    assert fork_call(lambda: 1) is None
    monkeypatch.undo()
    monkeypatch.delattr(os, "fork")
    assert fork_call(lambda: 1) is None


def test_a_gated_child_computes_only_once_released(tmp_path: Path) -> None:
    """``gated``: forked now, computing after ``release`` (``result`` releases it too); dropped unreleased
    (``abandon``), it leaves without computing."""
    marker = tmp_path / "computed"
    loads = list(range(5000))

    def compute() -> int:
        marker.write_text("yes")
        return sum(loads)

    child = fork_call(compute, gated=True)
    assert child is not None
    time.sleep(0.3)
    assert not marker.exists()  # waiting at its gate
    child.release()
    assert child.result() == sum(range(5000)) and marker.read_text() == "yes"
    marker.unlink()
    dropped = fork_call(compute, gated=True)
    assert dropped is not None
    dropped.abandon()  # returns once it has gone
    assert not marker.exists()
    unreleased = fork_call(lambda: 42, gated=True)
    assert unreleased is not None and unreleased.result() == 42  # result() releases it


def test_a_child_forked_while_a_pool_runs_does_not_keep_its_workers_waiting() -> None:
    """A gated child forked from a pool's result callback holds none of the pool's pipes: when the parent then
    fails, the workers see their task pipes close and leave, and the failure reaches the caller (a copy of a
    task pipe in the child kept them waiting for an index, and the parent waiting for them, for ever)."""
    gated: list[Any] = []

    def on_result(index: int, result: int) -> None:
        if not gated:
            gated.append(fork_call(lambda: 1, gated=True))
        else:
            raise RuntimeError("the parent fails while the workers hold tasks")

    def hung(signum: int, frame: Any) -> None:
        raise TimeoutError("the pool never returned")

    previous = signal.signal(signal.SIGALRM, hung)
    signal.alarm(30)  # a hang fails the test instead of the run
    try:
        with pytest.raises(RuntimeError, match="parent fails"):
            run_forked(lambda i: (time.sleep(0.05), i)[1], 12, 2, on_result)
    finally:
        signal.alarm(0)
        signal.signal(signal.SIGALRM, previous)
        for child in gated:
            child.abandon()
