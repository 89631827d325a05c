"""Run a scan's reading tasks (one Terraform root module, one directory of manifests) in forked worker processes
(``--jobs``), results in order.

Workers are forked, so they inherit the config, catalog and each task's arguments (nothing but each task's result
is pickled back). Tasks are handed out one at a time, in order, to whichever worker is free: both workers stay busy
until the last task, and each worker meets the tasks in their order, so what a worker reads first (a module shared
by several roots) is what a serial run reads first. The ignore comments and the inputs a worker read come back with
each result, since findings are matched to them later in the parent. Where processes cannot be made, the caller's
tasks run in this process.

A worker keeps its cache entries in memory (``cache.defer_writes``) and writes them once it has answered its last
task, while the parent runs the serial end of the scan; the scan waits for it before it returns
(``engine.settle_workers``).

The parent pauses Python's cyclic collector while the pool runs; the workers turn it back on. Reading a Terraform
root leaves no cycles (module contexts are released once it is normalized, ``TerraformLoader.release``), so the
collector costs a worker about 2 ms over the 1,000-file corpus; it stays on so that an input which still makes a
cycle cannot grow a worker of a large monorepo.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

R = TypeVar("R")

# Below this many files a scan stays serial: forking and sending results back costs ~0.1 s.
PARALLEL_MIN_FILES = 200

_TASKS: Sequence[Callable[[], Any]] = ()  # set in the parent just before forking


def cpus() -> int:
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def worker_count(requested: int | None, items: int, files: int) -> int:
    """Processes to use: 1 for small scans, where fork is unavailable, or when asked; else at most one per CPU
    and one per item."""
    if requested == 1 or items < 2 or not hasattr(os, "fork"):
        return 1
    if requested is None and files < PARALLEL_MIN_FILES:
        return 1
    return max(1, min(requested or cpus(), items))


def run_tasks(tasks: Sequence[Callable[[], R]], requested: int | None, files: int,
              on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """Every task's result, in order: in worker processes when the scan is large enough (``files``), else here.
    ``on_result(i, result)`` sees each result as it comes (in worker runs, in the order they finish; a result
    seen there may still be replaced, when a worker dies and the tasks run here again)."""
    jobs = worker_count(requested, len(tasks), files)
    if jobs > 1:
        done = fork_each(tasks, jobs, on_result)
        if done is not None:
            return done
    return run_here(tasks, on_result)


def run_here(tasks: Sequence[Callable[[], R]], on_result: Callable[[int, R], None] | None = None) -> list[R]:
    """Every task's result, in this process."""
    done = []
    for i, task in enumerate(tasks):
        result = task()
        if on_result is not None:
            on_result(i, result)
        done.append(result)
    return done


def _run(index: int) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any] | None]:
    import gc

    from linter import cache, inputs, suppress

    gc.enable()  # forked while the parent's collector was paused; some evaluations still leave cycles behind
    cache.defer_writes()  # written after the last answer (pool.run_forked's ``after``), not between tasks
    before = set(suppress._TABLES)
    result = _TASKS[index]()
    tables = {p: t for p, t in suppress._TABLES.items() if p not in before}
    read = inputs.recorded(clear=True) if inputs.recording() else None  # what it read is an input of the scan
    return result, tables, {p: suppress._PROBLEMS[p] for p in tables if p in suppress._PROBLEMS}, read


def fork_each(tasks: Sequence[Callable[[], R]], jobs: int,
              on_result: Callable[[int, R], None] | None = None) -> list[R] | None:
    """Each task in one of ``jobs`` forked processes, handed out in order, results in order; None when processes
    are not available here (a sandbox, a resource limit: the caller then runs the tasks itself)."""
    from linter import cache, inputs, suppress
    from linter.collector import paused
    from linter.pool import PoolError, run_forked

    global _TASKS
    _TASKS = tasks

    def arrived(index: int, answer: tuple[Any, dict[str, Any], dict[str, Any], dict[str, Any] | None]) -> None:
        suppress._TABLES.update(answer[1])  # its ignore comments now: a child forked meanwhile sees them
        suppress._PROBLEMS.update(answer[2])
        on_result(index, answer[0])  # type: ignore[misc]

    try:  # this process only takes the results in: plain, acyclic records the collector need not walk
        with paused():
            done = run_forked(_run, len(tasks), jobs, None if on_result is None else arrived,
                              after=cache.flush_deferred)
    except (OSError, PoolError):
        return None
    finally:
        _TASKS = ()
    results = []
    for result, tables, problems, read in done:  # in task order, as a serial run records them
        if read is not None:
            inputs.merge(read)
        suppress._TABLES.update(tables)
        suppress._PROBLEMS.update(problems)
        results.append(result)
    return results
