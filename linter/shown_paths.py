"""Paths as the report shows them: relative to the working directory when below it (the report contract).

A module of its own, apart from the engine: the discovery child (linter/early_discovery.py) needs this alone, and
imports nothing of the engine's while the parent does.
"""

from __future__ import annotations

import os

_SHOWN: dict[tuple[str, str], str] = {}  # (working directory, path) -> display path


def display_path(path: str) -> str:
    """Paths relative to the working directory when below it, as the report contract says. Memoised: a large
    scan asks it about the same few thousand files again and again (reading, linking, each finding)."""
    cwd = os.getcwd()
    shown = _SHOWN.get((cwd, path))
    if shown is not None:
        return shown
    absolute = os.path.abspath(path)
    if absolute == cwd:
        shown = "."
    elif absolute.startswith(cwd + os.sep):  # both normalised: the part below cwd is what relpath would give
        shown = absolute[len(cwd) + 1:]
    else:
        shown = absolute
    if len(_SHOWN) >= 65536:
        _SHOWN.clear()
    _SHOWN[(cwd, path)] = shown
    return shown
