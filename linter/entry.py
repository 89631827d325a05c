"""The console entry point (``finops-lint``, ``python -m linter``): the CLI, with two process-level settings that
only a whole process may make. Tests and library users call ``linter.cli.main`` in-process instead."""

from __future__ import annotations

import contextlib
import gc
import os
import sys


def run() -> None:
    """``main``, then out of the process without tearing the interpreter down.

    - The cyclic collector's threshold is raised before anything is imported: at the default (700 allocations)
      it ran about 25 times while a one-file scan loaded its modules (4-5 ms); ``prepare`` keeps the same
      threshold for the scan itself.
    - Freeing a finished scan's objects one by one took 15-40 ms, a tenth of a pre-commit run, and nothing
      needs it: every file the tool writes is closed where it is written (``with``), ``click.echo`` flushes the
      report it prints, the streams are flushed again here for anything else, and the tool registers no exit
      handlers.
    """
    gc.set_threshold(50_000, 20, 100)
    for stream in (sys.stdout, sys.stderr):  # a path that is not UTF-8 is printed as the bytes it was read as
        with contextlib.suppress(AttributeError, ValueError):
            stream.reconfigure(errors="surrogateescape")  # type: ignore[union-attr]
    from linter.cli import main
    from linter.parked import leave_for_exit

    leave_for_exit()

    code = 0
    try:
        main()
    except SystemExit as exc:
        if isinstance(exc.code, int):
            code = exc.code
        elif exc.code is not None:  # sys.exit("message"): print it and exit 1, as Python does
            print(exc.code, file=sys.stderr)
            code = 1
    for stream in (sys.stdout, sys.stderr):
        with contextlib.suppress(OSError, ValueError):  # a closed pipe (`| head`): nothing more can be written
            stream.flush()
    pool = sys.modules.get("linter.pool")
    if pool is not None:  # worker processes still writing cache entries: their work (and CPU) is this run's
        pool.reap()
    os._exit(code)
