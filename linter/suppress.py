"""Inline suppressions (``finops-lint:ignore ID reason``) and baseline files."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Callable, Iterable
from dataclasses import field

from linter.model import Finding, Resource, ScanError
from linter.records import record

_MARK = "finops-lint:ignore"
_IGNORE = re.compile(r"finops-lint:ignore\b(.*)")
_IDS = re.compile(r"\s*([A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+(?:\s*,\s*[A-Za-z][A-Za-z0-9]*(?:-[A-Za-z0-9]+)+)*)"
                  r"(?:\s+(.*))?$")
_CLOSERS = re.compile(r"\s*(\*/|-->)\s*$")

# problems an ignore comment can have, by line: "no rule id" | "no reason"
Problems = dict[int, str]


def parse_ignore_comments(text: str) -> tuple[dict[int, dict[str, str]], Problems]:
    """Line number -> {rule id: reason} for every ignore comment in a file's text, and the comments that
    name no rule id or give no reason (the reason is what a reviewer reads)."""
    out: dict[int, dict[str, str]] = {}
    problems: Problems = {}
    if _MARK not in text:
        return out, problems
    for number, line in enumerate(text.splitlines(), start=1):
        m = _IGNORE.search(line)
        if not m:
            continue
        rest = _CLOSERS.sub("", m.group(1))
        ids = _IDS.match(rest)
        if not ids:
            problems[number] = "no rule id"
            continue
        reason = (ids.group(2) or "").strip()
        if not reason:
            problems[number] = "no reason"
        for rule_id in re.split(r"\s*,\s*", ids.group(1)):
            out.setdefault(number, {})[rule_id] = reason
    return out, problems


def parse_ignores(text: str) -> dict[int, dict[str, str]]:
    """Line number -> {rule id: reason} for every ignore comment in a file's text."""
    return parse_ignore_comments(text)[0]


_TABLES: dict[str, dict[int, dict[str, str]]] = {}
_PROBLEMS: dict[str, Problems] = {}


def _record(path: str, text: str) -> dict[int, dict[str, str]]:
    table, problems = parse_ignore_comments(text)
    _TABLES[path] = table
    if problems:
        _PROBLEMS[path] = problems
    return table


def remember(path: str, text: str) -> None:
    """Readers that already hold a file's text record its ignores, so it is not read again."""
    _record(os.path.abspath(path), text)


def clear_ignores() -> None:
    _TABLES.clear()
    _PROBLEMS.clear()
    _ABSOLUTE.clear()


_ABSOLUTE: dict[tuple[str, str], str] = {}  # (working directory, report path) -> absolute path, for ignores_for


def ignores_in_file(path: str) -> dict[int, dict[str, str]]:
    table = _TABLES.get(path)
    if table is None:
        try:
            with open(path, encoding="utf-8", errors="replace") as fh:
                table = _record(path, fh.read())
        except OSError:
            table = _TABLES[path] = {}
    return table


def ignores_for(path: str, line: int, cwd: str | None = None) -> dict[str, str]:
    """Ignores written on the resource's first line or the line above it (``cwd``: the working directory, when
    the caller asks about many resources: a system call each otherwise)."""
    key = (cwd or os.getcwd(), path)  # resources share files: each path is made absolute once per directory
    full = _ABSOLUTE.get(key)
    if full is None:
        full = _ABSOLUTE[key] = os.path.abspath(path)
    table = ignores_in_file(full)
    if not table:
        return {}
    merged: dict[str, str] = {}
    for n in (line - 1, line):
        merged.update(table.get(n, {}))
    return merged


_PROBLEM_TEXT = {
    "no rule id": "ignore comment names no rule id, so it suppresses nothing; write "
                  "'finops-lint:ignore FIN-XXX-000 <reason>'",
    "no reason": "ignore comment gives no reason; add one after the rule id (it is what a reviewer reads)",
}


def ignore_warnings(known: Iterable[str], display: Callable[[str], str]) -> list[ScanError]:
    """Warnings for every ignore comment read in this scan: unknown rule ids, no rule id, no reason."""
    from linter.rules.ids import unknown_id_message

    known = set(known)
    warnings: list[ScanError] = []
    for path in sorted(set(_TABLES) | set(_PROBLEMS)):
        problems, table = _PROBLEMS.get(path), _TABLES.get(path)
        if not problems and not table:
            continue  # most files have no ignore comment: no path to show
        shown = display(path)
        for line, problem in (problems or {}).items():
            warnings.append(ScanError(file=shown, line=line, message=_PROBLEM_TEXT[problem]))
        for line, ids in (table or {}).items():
            for rule_id in ids:
                if rule_id not in known and rule_id != "all":
                    warnings.append(ScanError(file=shown, line=line, message=f"ignore comment: "
                                              f"{unknown_id_message(rule_id, known)}; it suppresses nothing"))
    warnings.sort(key=lambda w: (w.file, w.line or 0))
    return warnings


def annotation_warnings(resources: Iterable[Resource], known: Iterable[str]) -> list[ScanError]:
    """Warnings for ignore ids that came from elsewhere than a comment (the Kubernetes annotation
    ``finops-lint.io/ignore``): an unknown rule id, or no reason."""
    from linter.rules.ids import unknown_id_message

    known = set(known)
    seen: set[tuple[str, int, str]] = set()
    warnings: list[ScanError] = []
    for r in resources:
        ignores = r.ignores
        if not ignores:
            continue
        file, line = r.file, r.line
        from_comments = ignores_for(file, line)
        for rule_id, reason in ignores.items():
            if rule_id in from_comments or rule_id == "all" or (file, line, rule_id) in seen:
                continue
            seen.add((file, line, rule_id))
            where = "ignore annotation finops-lint.io/ignore"
            if rule_id not in known:
                warnings.append(ScanError(file=file, line=line, message=f"{where}: "
                                          f"{unknown_id_message(rule_id, known)}; it suppresses nothing"))
            elif not reason:
                warnings.append(ScanError(file=file, line=line, message=f"{where} gives no reason for {rule_id}; "
                                          "add one after the rule id (it is what a reviewer reads)"))
    return warnings


class BaselineError(Exception):
    pass


@record
class Baseline:
    """Fingerprints of accepted findings, with the figures they had when accepted (files written before
    the figures were stored still match, by fingerprint or by rule, resource and file)."""

    path: str
    entries: list[dict[str, object]] = field(default_factory=list)

    def __post_init__(self) -> None:
        self._by_fp = {str(e["fingerprint"]): e for e in self.entries if e.get("fingerprint")}
        self._by_key = {(e.get("rule_id"), e.get("resource"), e.get("file")): e for e in self.entries}

    def __contains__(self, fingerprint: object) -> bool:  # set-like use: ``fp in baseline``
        return fingerprint in self._by_fp

    def match(self, f: Finding, files: Iterable[str]) -> dict[str, object] | None:
        """The entry for ``f``: by fingerprint, else by rule, resource and one of the file's spellings."""
        entry = self._by_fp.get(f.fingerprint)
        if entry is None:
            for file in files:
                entry = self._by_key.get((f.rule_id, f.resource, file))
                if entry is not None:
                    break
        return entry


def read_baseline(path: str) -> Baseline:
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
    return Baseline(path, [i for i in items if isinstance(i, dict) and i.get("fingerprint")])


def write_baseline(path: str, findings: list[Finding], rebase: Callable[[str], str] = lambda p: p) -> None:
    """Fingerprints plus what a reviewer needs to recognise each entry, and the figures that a later scan
    compares against (a finding whose cost or impact grows past ``baseline_growth`` comes back)."""
    data = {"schema_version": 1, "tool": "finops-lint",
            "findings": [{"fingerprint": f.fingerprint, "rule_id": f.rule_id, "resource": f.resource,
                          "file": rebase(f.file), "monthly_cost_usd": f.monthly_cost_usd,
                          "impact_usd": f.impact.monthly_usd}
                         for f in sorted(findings, key=lambda f: (f.file, f.line, f.rule_id))]}
    with open(path, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=2)
        fh.write("\n")
