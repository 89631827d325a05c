"""The JSON report's resource lines, written by a forked child while this process runs the rules.

On a large scan the resource inventory is most of the JSON report (10 MB for 6,752 resources) and takes as
long to render as the rules take to run. Rules read resources and never change them (tests/test_background_
render.py holds every rule to that), so once facts are applied the inventory is final: a child forked at that
point renders it on the other CPU (linter/forked.py), and the report takes its text. Whatever goes wrong in the
child (no fork here, a crash, a different order) makes the parent render the lines itself.
"""

from __future__ import annotations

from typing import Any

MIN_RESOURCES = 2000  # below this, rendering costs less than forking


class ResourceLines:
    """A handle on the child rendering the resource lines of ``resources`` in report order."""

    def __init__(self, child: Any) -> None:
        self._child = child

    def text(self, resources: list[Any]) -> str | None:
        """The rendered lines, or None when the child failed or rendered another list or order than the
        report's ``resources``."""
        got = self._child.result()
        if not isinstance(got, tuple):
            return None
        key, lines = got
        return lines if key == _order_key(resources) else None


def start(resources: list[Any]) -> ResourceLines | None:
    """The child rendering ``resources``, or None when the scan is small or processes cannot be forked here."""
    if len(resources) < MIN_RESOURCES:
        return None
    from linter.forked import fork_call

    child = fork_call(lambda: _render(resources))
    return ResourceLines(child) if child is not None else None


def _order_key(ordered: list[Any]) -> str:
    """The identity of a list of resources in its order: the child's and the final report's must agree."""
    import hashlib

    digest = hashlib.sha256("\n".join(f"{r.file}\0{r.line}\0{r.address}\0{r.type}" for r in ordered)
                            .encode("utf-8", "surrogateescape"))
    return f"{len(ordered)}:{digest.hexdigest()}"


def _render(resources: list[Any]) -> tuple[str, str]:
    from linter.engine import report_order
    from linter.report.json_report import resource_lines

    ordered = sorted(resources, key=report_order)
    return _order_key(ordered), resource_lines(ordered)
