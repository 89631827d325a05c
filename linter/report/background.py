"""The JSON report's resource lines, written by a forked child while this process runs the rules.

On a large scan the resource inventory is most of the JSON report (10 MB for 6,752 resources) and takes as
long to render as the rules take to run. Rules read resources and never change them (tests/test_background_
render.py holds every rule to that), so once facts are applied the inventory is final: a child forked at that
point renders it on the other CPU (linter/forked.py), and the report takes its text. Whatever goes wrong in the
child (no fork here, a crash, a different order) makes the parent render the lines itself.

The child writes the lines to a temporary file as it renders them, and hands back only their order: on a
scan of 20,000 files (68,000 resources, a 380 MB inventory) it held every line, then their join, then pickled
that, and its peak (1.47 GB) was the scan's. The report is written out with the file as one of its pieces
(linter/report/pieces.py): this process never reads the lines in.
"""

from __future__ import annotations

import os
from typing import Any, BinaryIO

MIN_RESOURCES = 2000  # below this, rendering costs less than forking


class ResourceLines:
    """A handle on the child rendering the resource lines of ``given`` in report order into ``lines``."""

    def __init__(self, child: Any, lines: Any, given: list[Any]) -> None:
        self._child, self._lines = child, lines
        self._start = lines.tell()  # where the child's lines begin (after the file's blob header)
        self._given = [id(r) for r in given]  # the objects the child was forked with, in the order it got them

    def file(self, resources: list[Any]) -> tuple[BinaryIO, int] | None:
        """The file holding the rendered lines and the offset they start at, or None when the child failed or
        rendered other resources or another order than the report's ``resources``: the child sends back the order
        it wrote them in, as positions in the list it was given, and the report's must be those very objects."""
        got = self._child.result()
        given = self._given
        if isinstance(got, tuple) and len(got[0]) == len(resources) \
                and all(id(r) == given[i] for r, i in zip(resources, got[0], strict=True)) \
                and os.fstat(self._lines.fileno()).st_size == self._start + got[1]:
            return self._lines, self._start
        self._lines.close()
        return None


def start(resources: list[Any]) -> ResourceLines | None:
    """The child rendering ``resources``, or None when the scan is small or processes cannot be forked here."""
    if len(resources) < MIN_RESOURCES:
        return None
    from linter.cache import blob_file
    from linter.forked import fork_call

    lines = blob_file()  # the report's output reads it, the replay entry may link it; the process exit closes it
    child = fork_call(lambda: _render(resources, lines))
    if child is None:
        lines.close()
        return None
    return ResourceLines(child, lines, resources)


def _render(resources: list[Any], out: Any) -> tuple[list[int], int]:
    """Write the lines of ``resources`` in report order to ``out``: (that order as positions in ``resources``,
    bytes written)."""
    from linter.engine import report_order
    from linter.report.json_report import write_resource_lines

    order = sorted(range(len(resources)), key=lambda i: report_order(resources[i]))
    size = write_resource_lines([resources[i] for i in order], out)
    out.flush()
    return order, size
