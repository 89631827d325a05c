"""Where a scan's time goes: one `finops-lint scan` run in this process, timed phase by phase.

`run.py` measures whole commands; this answers the next question, which phase to work on. It runs the CLI's own
`scan` (same options, same worker processes, output to /dev/null) with each phase wrapped, then prints when each
phase started (seconds since the process started, interpreter start-up included), its wall time, the CPU this
process used in it, and the CPU its worker processes used (counted when they are waited for, so it shows on the
phase that waits: reading, and the inventory).

    python benchmarks/phases.py /tmp/finops-corpus/terraform /tmp/finops-corpus/kubernetes --format json

A directory scan finds its files in a child forked during "options, config, rules" (linter/early_discovery.py):
its "discovery" row is then the time this process waited for that child, after importing the readers.

The cache is an empty temporary directory (a cold scan) unless FINOPS_LINT_CACHE_DIR is set. Run it from a
directory without a `linter/` package of its own, or with PYTHONPATH naming the tree to time. Linux gives the
process start time (/proc); elsewhere times count from this script's start.
"""

from __future__ import annotations

import contextlib
import importlib
import os
import resource
import sys
import tempfile
import time
from collections.abc import Callable
from typing import Any

# (label, module, attribute): functions whose calls are phases, in the order a scan reaches them
PHASES = [
    ("options, config, rules", "linter.cli", "prepare"),
    ("discovery", "linter.discovery", "discover"),  # when this process finds the files itself
    ("discovery", "linter.early_discovery", "EarlyDiscovery.result"),  # else the wait for the child finding them
    ("reading (workers)", "linter.engine", "_read_files"),
    ("kubernetes build", "linter.sources.kubernetes", "build_manifests"),
    ("facts", "linter.engine", "apply_facts"),
    ("rules", "linter.engine", "evaluate_rules"),
    ("report", "linter.report.formats", "render_report"),
    ("inventory wait", "linter.report.background", "ResourceLines.file"),
    ("replay entry", "linter.replay", "Recording.save"),
    ("output", "linter.cli", "emit"),
]


def process_start() -> float:
    """Seconds between this process's start and now (0 where /proc is missing)."""
    try:
        with open("/proc/self/stat") as stat:
            ticks = int(stat.read().rsplit(")", 1)[1].split()[19])
        with open("/proc/uptime") as uptime:
            up = float(uptime.read().split()[0])
        return up - ticks / os.sysconf("SC_CLK_TCK")
    except (OSError, ValueError, IndexError):
        return 0.0


SINCE_START = process_start()
T0 = time.perf_counter()


def now() -> tuple[float, float, float]:
    """(seconds since process start, this process's CPU, waited-for children's CPU)."""
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    return time.perf_counter() - T0 + SINCE_START, time.process_time(), children.ru_utime + children.ru_stime


def wrap(owner: Any, attribute: str, label: str, record: list[tuple[str, tuple[float, float, float],
                                                                  tuple[float, float, float]]]) -> None:
    original: Callable[..., Any] = getattr(owner, attribute)

    def timed(*args: Any, **kwargs: Any) -> Any:
        start = now()
        try:
            return original(*args, **kwargs)
        finally:
            record.append((label, start, now()))

    setattr(owner, attribute, timed)


def main(argv: list[str]) -> int:
    if not argv or argv[0] in ("-h", "--help"):
        print(__doc__)
        return 0 if argv else 2
    own_cache = None
    if "FINOPS_LINT_CACHE_DIR" not in os.environ:  # a cold scan: an empty cache, removed at the end
        own_cache = os.environ["FINOPS_LINT_CACHE_DIR"] = tempfile.mkdtemp(prefix="finops-phases-")
    record: list[tuple[str, tuple[float, float, float], tuple[float, float, float]]] = []
    imported = now()
    import linter.cli
    from linter.parked import leave_for_exit

    leave_for_exit()  # as the installed command does (linter/entry.py): nothing freed object by object
    for label, module, attribute in PHASES:
        owner: Any = importlib.import_module(module)
        *path, name = attribute.split(".")
        for part in path:
            owner = getattr(owner, part)
        wrap(owner, name, label, record)
    ready = now()
    with open(os.devnull, "w") as devnull, contextlib.redirect_stdout(devnull):
        saved = os.dup(1)
        os.dup2(devnull.fileno(), 1)
        try:
            linter.cli.main(["scan", *argv], standalone_mode=False)
        except SystemExit:
            pass
        finally:
            os.dup2(saved, 1)
            os.close(saved)
    end = now()
    rows = [("interpreter start-up", (0.0, 0.0, 0.0), imported),
            ("imports", imported, ready),  # linter.cli and the modules timed here (a scan imports some later)
            *sorted(record, key=lambda row: row[1][0]), ("all", (0.0, 0.0, 0.0), end)]
    print(f"{'phase':<22} {'start':>7} {'wall':>7} {'CPU':>7} {'workers':>8}")
    for label, (t0, c0, w0), (t1, c1, w1) in rows:
        workers = f"{w1 - w0:8.3f}" if w1 - w0 > 0.0005 else f"{'':>8}"
        print(f"{label:<22} {t0:7.3f} {t1 - t0:7.3f} {c1 - c0:7.3f} {workers}")
    sys.stdout.flush()
    if own_cache is not None:
        import shutil

        shutil.rmtree(own_cache, ignore_errors=True)
    os._exit(0)  # the scan's graphs are left for the exit, as the command leaves them


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
