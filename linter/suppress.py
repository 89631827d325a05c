"""Inline suppressions (``finops-lint:ignore ID reason``) and baseline files."""

from __future__ import annotations

import json
import os
import re

from linter.model import Finding

_IGNORE = re.compile(r"finops-lint:ignore\s+([A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+(?:\s*,\s*[A-Z][A-Z0-9]*(?:-[A-Z0-9]+)+)*)"
                     r"(?:\s+(.*))?")


def parse_ignores(text: str) -> dict[int, dict[str, str]]:
    """Line number -> {rule id: reason} for every ignore comment in a file's text."""
    out: dict[int, dict[str, str]] = {}
    if "finops-lint:ignore" not in text:
        return out
    for number, line in enumerate(text.splitlines(), start=1):
        m = _IGNORE.search(line)
        if m:
            reason = (m.group(2) or "").strip().rstrip("*/").strip()
            for rule_id in re.split(r"\s*,\s*", m.group(1)):
                out.setdefault(number, {})[rule_id] = reason
    return out


_TABLES: dict[str, dict[int, dict[str, str]]] = {}


def remember(path: str, text: str) -> None:
    """Readers that already hold a file's text record its ignores, so it is not read again."""
    _TABLES[os.path.abspath(path)] = parse_ignores(text)


def clear_ignores() -> None:
    _TABLES.clear()


def ignores_in_file(path: str) -> dict[int, dict[str, str]]:
    table = _TABLES.get(path)
    if table is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                table = parse_ignores(fh.read())
        except OSError:
            table = {}
        _TABLES[path] = table
    return table


def ignores_for(path: str, line: int) -> dict[str, str]:
    """Ignores written on the resource's first line or the line above it."""
    table = ignores_in_file(os.path.abspath(path))
    merged: dict[str, str] = {}
    for n in (line - 1, line):
        merged.update(table.get(n, {}))
    return merged


class BaselineError(Exception):
    pass


def read_baseline(path: str) -> set[str]:
    try:
        with open(path, encoding="utf-8") as fh:
            data = json.load(fh)
    except OSError as exc:
        raise BaselineError(f"{path}: cannot read baseline: {exc.strerror}") from exc
    except json.JSONDecodeError as exc:
        raise BaselineError(f"{path}:{exc.lineno}: invalid baseline JSON: {exc.msg}") from exc
    items = data.get("findings") if isinstance(data, dict) else None
    if not isinstance(items, list):
        raise BaselineError(f"{path}: a baseline holds {{\"findings\": [{{\"fingerprint\": ...}}]}}")
    return {str(i.get("fingerprint")) for i in items if isinstance(i, dict) and i.get("fingerprint")}


def write_baseline(path: str, findings: list[Finding]) -> None:
    data = {"schema_version": 1, "tool": "finops-lint",
            "findings": [{"fingerprint": f.fingerprint, "rule_id": f.rule_id, "resource": f.resource, "file": f.file}
                         for f in sorted(findings, key=lambda f: (f.file, f.line, f.rule_id))]}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
