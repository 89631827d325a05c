"""linter/forked.py: a value computed in a forked child, and None (so the caller computes it in-process) whenever
the child cannot give it: no fork on this platform, no writable temporary directory, an exception or a crash."""

from __future__ import annotations

import os
import tempfile

import pytest

from linter.forked import fork_call


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
