"""Interleaved A/B of cold scans: two source trees, alternating runs, each with an empty cache.

The benchmark VM's speed drifts by a quarter within minutes, so two benchmark runs taken at different times do not
compare two versions of the code; runs that alternate do. Each run is `python -m linter scan PATHS --format json`
with PYTHONPATH naming the tree (a checkout, or `git archive <commit> linter rules | tar -x -C DIR`), stdout to
/dev/null; wall time and the scan's own CPU (user + system, its workers included) are printed per tree as median,
minimum and mean.

    python benchmarks/ab.py OLD_TREE NEW_TREE 12 /tmp/finops-corpus/terraform /tmp/finops-corpus/kubernetes

Precompile each tree first (`python -m compileall -q TREE/linter`) when bytecode is not written
(PYTHONDONTWRITEBYTECODE), or every run pays for compiling it. Standard library only.
"""

from __future__ import annotations

import os
import shutil
import statistics
import subprocess
import sys
import tempfile
import time


def run_once(tree: str, paths: list[str], python: str) -> tuple[float, float]:
    """(wall seconds, CPU seconds) of one cold scan of ``paths`` with the linter from ``tree``."""
    cache = tempfile.mkdtemp(prefix="ab-cache-")
    env = {**os.environ, "PYTHONPATH": tree, "FINOPS_LINT_CACHE_DIR": cache}
    try:
        start = time.perf_counter()
        child = subprocess.Popen([python, "-m", "linter", "scan", *paths, "--format", "json"],
                                 stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, stdin=subprocess.DEVNULL,
                                 env=env, cwd=cache)  # not a checkout: `-m` puts the working directory first
        _, status, usage = os.wait4(child.pid, 0)
        wall = time.perf_counter() - start
    finally:
        shutil.rmtree(cache, ignore_errors=True)
    if os.waitstatus_to_exitcode(status) not in (0, 1):
        raise SystemExit(f"ab.py: the scan with {tree} exited {os.waitstatus_to_exitcode(status)}")
    return wall, usage.ru_utime + usage.ru_stime


def main(argv: list[str]) -> int:
    if len(argv) < 4 or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv and argv[0] in ("-h", "--help") else 2
    a, b, runs = os.path.abspath(argv[0]), os.path.abspath(argv[1]), int(argv[2])
    paths = [os.path.abspath(p) for p in argv[3:]]
    python = os.environ.get("AB_PYTHON", sys.executable)
    results: dict[str, list[tuple[float, float]]] = {a: [], b: []}
    for i in range(runs):
        for tree in (a, b) if i % 2 == 0 else (b, a):  # alternate who goes first
            results[tree].append(run_once(tree, paths, python))
    for tree in (a, b):
        walls = [w for w, _ in results[tree]]
        cpus = [c for _, c in results[tree]]
        print(f"{tree}: wall median {statistics.median(walls):.3f} s, min {min(walls):.3f} s, mean "
              f"{statistics.mean(walls):.3f} s; CPU median {statistics.median(cpus):.3f} s ({runs} runs)")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
