"""Lines a pull request adds or changes, read from unified diff hunks: only there can review comments sit."""

from __future__ import annotations

import re

_HUNK = re.compile(r"^@@ -\d+(?:,\d+)? \+(\d+)(?:,\d+)? @@")


def added_lines(patch: str | None) -> set[int]:
    """New-file line numbers of the ``+`` lines in a unified diff (a file's patch)."""
    lines: set[int] = set()
    new = 0
    for text in (patch or "").splitlines():
        hunk = _HUNK.match(text)
        if hunk:
            new = int(hunk.group(1))
            continue
        if new == 0 or text.startswith("\\"):
            continue
        if text.startswith("+"):
            lines.add(new)
            new += 1
        elif text.startswith("-"):
            continue
        else:
            new += 1
    return lines
