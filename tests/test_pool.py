"""linter/pool.py and workers.fork_each: tasks run in forked children, handed out in order, results by index; a
child that dies or cannot be forked makes the scan read in-process; a task's exception reaches the caller; no
child is left behind."""

from __future__ import annotations

import os

import pytest

from conftest import no_children_left
from linter.pool import PoolError, run_forked
from linter.workers import fork_each, run_tasks


def test_results_come_back_by_index_from_both_children() -> None:
    parent = os.getpid()
    done = run_forked(lambda i: (i, os.getpid(), "x" * (i * 1000)), 40, 2)
    assert [i for i, _, _ in done] == list(range(40))
    assert all(len(text) == i * 1000 for i, _, text in done)
    pids = {pid for _, pid, _ in done}
    assert parent not in pids and len(pids) == 2
    assert no_children_left()


def test_an_answer_larger_than_a_pipe_arrives_whole() -> None:
    """A Terraform root of a large monorepo pickles to megabytes; a pipe holds 64 KiB."""
    inventory = [{"address": f"aws_instance.trainer[{i}]", "type": "aws_instance", "tags": {"team": "ml"}}
                 for i in range(60_000)]
    (got,) = run_forked(lambda i: inventory, 1, 2)
    assert got == inventory


def test_each_child_meets_the_tasks_in_their_order() -> None:
    """What a worker reads first (a module shared by several roots) is what a serial run reads first."""
    import time

    done = run_forked(lambda i: (os.getpid(), time.monotonic_ns()), 30, 2)
    by_child: dict[int, list[int]] = {}
    for pid, started in done:  # by index
        by_child.setdefault(pid, []).append(started)
    assert len(by_child) == 2
    assert all(times == sorted(times) for times in by_child.values())  # a later index ran later


def test_a_task_that_raises_raises_in_the_caller() -> None:
    def task(i: int) -> int:
        if i == 3:
            raise ValueError("module not read: bad.tf")
        return i

    with pytest.raises(ValueError, match=r"bad\.tf"):
        run_forked(task, 8, 2)
    assert no_children_left()


def test_a_child_that_dies_makes_the_tasks_run_here() -> None:
    parent = os.getpid()

    def task(i: int) -> int:
        if i == 5 and os.getpid() != parent:
            os._exit(9)  # killed by the OOM killer, say
        return i * i

    with pytest.raises(PoolError):
        run_forked(task, 12, 2)
    assert no_children_left()
    tasks = [lambda i=i: task(i) for i in range(12)]
    assert fork_each(tasks, 2) is None  # the caller then runs them itself
    assert run_tasks(tasks, 2, 1000) == [i * i for i in range(12)]
    assert no_children_left()


def test_without_fork_the_tasks_run_here(monkeypatch: pytest.MonkeyPatch) -> None:
    def no_fork() -> int:
        raise OSError(11, "Resource temporarily unavailable")

    monkeypatch.setattr(os, "fork", no_fork)
    tasks = [lambda i=i: (i, os.getpid()) for i in range(6)]
    assert fork_each(tasks, 2) is None
    assert run_tasks(tasks, 2, 1000) == [(i, os.getpid()) for i in range(6)]


class _UnpickledAfterMarker:
    """Unpickles only once ``marker`` exists (or fails after 10 s): stands for an answer the parent is slow to
    take in."""

    def __init__(self, marker: str) -> None:
        self.marker = marker

    def __reduce__(self) -> tuple[object, tuple[str]]:
        return _wait_for, (self.marker,)


def _wait_for(marker: str) -> str:
    import time

    deadline = time.monotonic() + 10
    while not os.path.exists(marker):
        if time.monotonic() > deadline:
            raise TimeoutError(f"{marker} never appeared: the worker was not given its next task")
        time.sleep(0.01)
    return marker


def test_a_worker_gets_its_next_task_before_its_answer_is_taken_in(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """One worker: the parent unpickles answer 0 only once task 1 has run, which it can only do if the worker was
    handed task 1 as soon as answer 0 was whole (before, the parent unpickled first: the worker sat idle)."""
    marker = str(tmp_path / "task-1-ran")

    def task(i: int) -> object:
        if i == 0:
            return _UnpickledAfterMarker(marker)
        open(marker, "w").close()
        return i

    assert run_forked(task, 2, 1) == [marker, 1]
    assert no_children_left()


def test_a_worker_goes_on_while_the_parent_is_busy_with_an_earlier_answer(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The parent is held in ``on_result`` for answer 0 until task 2 has run. The worker gets there only if it
    already holds index 2 (given ahead) and its 500 KB answer to task 1 fits in its pipe: before, it waited for
    the parent to drain that answer and send the next index, and each worker lost about 9% of a scan so."""
    marker = str(tmp_path / "task-2-ran")

    def task(i: int) -> object:
        if i == 1:
            return "x" * 500_000  # a large root's answer: several times a default 64 KiB pipe
        if i == 2:
            open(marker, "w").close()
        return i

    seen: list[int] = []

    def on_result(index: int, answer: object) -> None:
        if index == 0:
            _wait_for(marker)
        seen.append(index)

    done = run_forked(task, 6, 1, on_result)
    assert done[0] == 0 and len(done[1]) == 500_000 and done[2:] == [2, 3, 4, 5]
    assert sorted(seen) == list(range(6)) and seen[0] == 0
    assert no_children_left()


def test_the_last_tasks_go_to_whichever_worker_is_free() -> None:
    """No index is given ahead in the last round: a worker stuck on a long task does not hold the final short
    one while the other worker idles."""
    import time

    def task(i: int) -> int:
        if i == 7:
            time.sleep(0.5)  # the long last-but-one task
        return os.getpid()

    done = run_forked(task, 9, 2)
    assert done[8] != done[7]  # the other worker, free since task 6, ran the last task
    assert no_children_left()


def test_after_runs_in_each_child_once_it_has_answered_and_is_not_waited_for(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """A worker's deferred cache writes (``after``) happen once it has answered its last task, at a lower priority
    than the parent's serial end (niceness +10): the results are back before they finish, and ``reap`` waits for
    them (nothing is left behind)."""
    import time

    from linter.pool import _LINGERING, reap

    parent_nice = os.nice(0)

    def after() -> None:
        time.sleep(0.5)
        (tmp_path / f"after-{os.getpid()}").write_text(str(os.nice(0)))

    started = time.monotonic()
    done = run_forked(lambda i: (i, os.getpid()), 10, 2, after=after)
    took = time.monotonic() - started
    assert [i for i, _ in done] == list(range(10))
    assert took < 0.45 and len(_LINGERING) == 2  # not waited for: each child is still in its half-second after()
    assert not list(tmp_path.iterdir())
    reap()
    assert sorted(p.name for p in tmp_path.iterdir()) == sorted(f"after-{pid}" for pid in {p for _, p in done})
    assert {p.read_text() for p in tmp_path.iterdir()} == {str(min(parent_nice + 10, 19))}
    assert not _LINGERING and no_children_left()


def test_after_a_failure_no_child_is_left_finishing() -> None:
    def task(i: int) -> int:
        if i == 2:
            raise ValueError("module not read")
        return i

    with pytest.raises(ValueError):
        run_forked(task, 8, 2, after=lambda: None)
    assert no_children_left()
