"""Finding the files in a forked child while this process compiles the rules and imports the readers.

Why: a scan's start runs on one CPU until the workers are forked. On the 1,000-file benchmark corpus, finding the
files (a walk of the tree, and every ``.tf`` file read for its local module calls: 0.03 s) came after compiling the
rules (0.02 s) and before importing the readers (0.01 s), while the other CPU idled. A directory scan now forks a
child for discovery as soon as the config says what to exclude, and this process does the rest meanwhile.

The child records what it reads (``linter.inputs``) as a worker does, and sends it back with what it found, so a
replay checks the same inputs. When the child fails, the scan finds the files itself; a ``--jobs 1`` scan, or one
of files named on the command line (pre-commit), forks nothing.
"""

from __future__ import annotations

import os
from typing import Any

from linter.filters import PathFilter


class EarlyDiscovery:
    """The child finding the files of ``paths``; ``result`` is what ``discovery.discover`` returns there."""

    def __init__(self, child: Any) -> None:
        self._child = child

    def result(self) -> Any | None:
        """``Discovered``, its inputs merged into this scan's recording; None when the child failed."""
        from linter import inputs

        got = self._child.result()
        if not isinstance(got, tuple):
            return None
        found, read = got
        if read is not None:
            inputs.merge(read)
        return found

    def abandon(self) -> None:
        self._child.abandon()


def start(paths: list[str], exclude: PathFilter, max_file_bytes: int | None,
          follow_external_links: bool) -> EarlyDiscovery | None:
    """The child, when a path is a directory to walk and processes can be forked here; else None."""
    if not any(os.path.isdir(p) for p in paths):
        return None
    from linter.forked import fork_call

    child = fork_call(lambda: _discover(paths, exclude, max_file_bytes, follow_external_links), piped=True)
    return EarlyDiscovery(child) if child is not None else None


def _discover(paths: list[str], exclude: PathFilter, max_file_bytes: int | None,
              follow_external_links: bool) -> tuple[Any, dict[str, Any] | None]:
    """In the child: what ``engine.collect_resources`` would find, under the same size limit and symlink boundary,
    with the inputs it recorded."""
    from linter import inputs
    from linter.discovery import discover
    from linter.files import Boundary, set_boundary, set_max_file_bytes
    from linter.shown_paths import display_path

    inputs.recorded(clear=True)  # what was recorded before the fork is the parent's already
    set_max_file_bytes(max_file_bytes)
    set_boundary(Boundary(paths, follow_external_links))
    found = discover(paths, display_path, exclude)
    return found, inputs.recorded() if inputs.recording() else None
