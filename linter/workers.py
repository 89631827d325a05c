"""Run a reader over chunks of files in forked worker processes (``--jobs``), in order.

Workers are forked, so they inherit the config, catalog and the function's arguments (nothing but each
chunk's result is pickled); the ignore comments a worker read come back with its result, since findings are
matched to them later in the parent. Where processes cannot be made, the caller reads serially.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

T = TypeVar("T")
R = TypeVar("R")

# Below this many files a reader stays serial: forking and sending results back costs ~0.1 s.
PARALLEL_MIN_FILES = 200

_TASK: Callable[[Any], Any] | None = None  # set in the parent just before forking


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


def chunks(items: Sequence[T], weights: Sequence[int], jobs: int) -> list[list[T]]:
    """Contiguous runs of about equal weight, one per job, so results concatenate in the original order."""
    target = sum(weights) / jobs
    out: list[list[T]] = [[]]
    filled = 0.0
    for item, weight in zip(items, weights, strict=True):
        if filled >= target * len(out) and len(out) < jobs:
            out.append([])
        out[-1].append(item)
        filled += weight
    return [c for c in out if c]


def _run(chunk: Any) -> tuple[Any, dict[str, Any], dict[str, Any], dict[str, list[str]] | None]:
    from linter import inputs, suppress

    assert _TASK is not None
    before = set(suppress._TABLES)
    result = _TASK(chunk)
    tables = {p: t for p, t in suppress._TABLES.items() if p not in before}
    read = inputs.recorded() if inputs.recording() else None  # what the worker read is an input of the scan
    return result, tables, {p: suppress._PROBLEMS[p] for p in tables if p in suppress._PROBLEMS}, read


def fork_map(task: Callable[[list[T]], R], parts: list[list[T]]) -> list[R] | None:
    """``task`` over each part in its own forked process, results in order; None when processes are not
    available here (the caller then runs serially)."""
    import multiprocessing
    from concurrent.futures import ProcessPoolExecutor

    from linter import inputs, suppress

    global _TASK
    _TASK = task
    try:
        with ProcessPoolExecutor(max_workers=len(parts), mp_context=multiprocessing.get_context("fork")) as pool:
            done = list(pool.map(_run, parts))
    except (OSError, RuntimeError, ImportError):
        return None
    finally:
        _TASK = None
    results = []
    for result, tables, problems, read in done:
        if read is not None:
            inputs.merge(read)
        suppress._TABLES.update(tables)
        suppress._PROBLEMS.update(problems)
        results.append(result)
    return results
