"""Which findings the user asked to see: path excludes, rule filters, a money floor, the baseline.

Each filter is a small function over findings so that ``scan`` and ``plan`` apply the same ones in the
same order; what a filter keeps against the user's wish (an unknown figure under ``--min-monthly-usd``,
a baselined finding that grew) carries a note that says why.
"""

from __future__ import annotations

import fnmatch
import os
from dataclasses import field

from linter.model import Finding
from linter.records import record


@record
class PathFilter:
    """Gitignore-like globs: a pattern without ``/`` matches any path component (``examples``,
    ``*_test.tf``); one with ``/`` matches the path relative to its base directory (``infra/legacy/*``)
    or any parent directory of it. Command-line patterns are relative to the working directory,
    config patterns to the config file's directory."""

    patterns: list[tuple[str, str, str]] = field(default_factory=list)  # (pattern, base dir, where it came from)

    def add(self, pattern: str, base: str, origin: str) -> None:
        pattern = pattern.strip()
        while pattern.startswith("./"):
            pattern = pattern[2:]
        if pattern:
            self.patterns.append((pattern.rstrip("/"), os.path.abspath(base), origin))

    def __bool__(self) -> bool:
        return bool(self.patterns)

    def match(self, path: str) -> str | None:
        """The origin of the first pattern that excludes ``path`` (any form), else None."""
        absolute = os.path.abspath(path)
        for pattern, base, origin in self.patterns:
            if "/" not in pattern:
                if any(fnmatch.fnmatchcase(part, pattern) for part in absolute.split(os.sep) if part):
                    return origin
                continue
            rel = os.path.relpath(absolute, base)
            if rel.startswith(".."):
                continue
            parts = rel.split(os.sep)
            for i in range(1, len(parts) + 1):
                if fnmatch.fnmatchcase("/".join(parts[:i]), pattern):
                    return origin
        return None


def by_rule(rule_ids: set[str], skip: set[str], only: set[str]) -> set[str]:
    """The rule ids to run: ``only`` (if given) minus ``skip``."""
    active = set(only) if only else set(rule_ids)
    return active - set(skip)


def min_monthly(findings: list[Finding], floor: float | None, origin: str) -> tuple[list[Finding], int]:
    """Drop findings whose known impact is below ``floor``; keep unknown ones with a note saying why."""
    if floor is None:
        return findings, 0
    kept: list[Finding] = []
    for f in findings:
        value = f.impact.monthly_usd
        if value is None:
            why = _unknown_reason(f)
            from linter.severity import KIND_WORD

            f.notes.append(f"kept under {origin} {floor:g}: its monthly {KIND_WORD[f.impact.kind]} is unknown"
                           + (f" ({why})" if why else ""))
            kept.append(f)
        elif value >= floor:
            kept.append(f)
    return kept, len(findings) - len(kept)


def _unknown_reason(f: Finding) -> str | None:
    for a in f.impact.assumptions:
        low = a.lower()
        if "unknown" in low or "no price" in low or "not in the catalog" in low or "not priced" in low:
            return a.rstrip(".")
    return None
