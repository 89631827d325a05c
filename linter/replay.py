"""Replay a scan whose inputs have not changed: the same command, in the same directory, with the same tool,
over files, directories and config that are byte for byte the same, prints the report it printed last time.

The cold run records what it read (``linter.inputs``) and stores, in the parse cache's directory, the report
text, the messages for stderr and the exit code under a key made of the command's options, the working
directory, the environment variables a scan reads and this tool's own code. A later run with that key checks
every recorded input again (content digests of files, listings of directories, kinds and sizes of probed paths)
and replays only if all match: a pre-commit or CI run over unchanged files costs the check, not the scan.

Not replayed: ``--no-cache``, ``--write-baseline`` (a side effect), ``--pulumi-execute`` (runs a program),
and any scan that ran a program or opened a socket.
"""

from __future__ import annotations

import functools
import hashlib
import os
import sys
from dataclasses import field
from typing import Any

from linter.records import record

# What a scan reads from the environment, besides files.
ENVIRONMENT = ("TF_WORKSPACE", "NO_COLOR", "FORCE_COLOR", "COLUMNS", "FINOPS_LINT_CONFIG")
FORMAT = 2  # bump when the stored entry changes shape


@functools.lru_cache(maxsize=1)
def code_stamp() -> str:
    """Every file of this package (modules, rules, price catalog), the interpreter, and the directories
    packages are installed in (installing or upgrading a dependency changes them)."""
    import linter

    package = os.path.dirname(os.path.abspath(linter.__file__))
    digest = hashlib.blake2b(f"{linter.__version__}\0{sys.version}\0{FORMAT}".encode(), digest_size=16)
    for folder, dirs, names in os.walk(package):
        dirs[:] = sorted(d for d in dirs if d != "__pycache__")
        for name in sorted(names):
            st = os.stat(os.path.join(folder, name))
            digest.update(f"{folder}/{name}\0{st.st_size}\0{st.st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
    here = os.getcwd()
    for entry in sys.path:
        if not entry or os.path.abspath(entry) == here:  # the working directory (`python -m`): not where packages
            continue  # are installed, and a file created there (the run's own output) would change every stamp
        try:
            digest.update(f"{entry}\0{os.stat(entry).st_mtime_ns}\0".encode("utf-8", "surrogateescape"))
        except OSError:
            continue
    return digest.hexdigest()


def _ignored() -> tuple[str, ...]:
    """Files that are not inputs of a scan: this package, the interpreter's and installed packages', the cache."""
    import linter
    from linter.cache import cache_dir

    roots = {os.path.dirname(os.path.abspath(linter.__file__)), sys.prefix, sys.base_prefix, sys.exec_prefix,
             os.path.abspath(cache_dir()), "/dev", "/proc", "/sys"}
    roots.update(p for p in sys.path if p and "-packages" in p)
    return tuple(sorted(roots))


@record
class Recording:
    """One scan command's replay entry: looked up before the scan, written after it."""

    entry: str
    stored: dict[str, Any] | None = None
    stderr: list[str] = field(default_factory=list)
    pieces: list[Any] | None = None  # the stored report, when it was kept in pieces (``_store_pieces``), opened

    def replay(self) -> None:
        """Print what the recorded run printed and exit with its code."""
        import click

        assert self.stored is not None
        if self.pieces is not None:
            from linter.report.pieces import Pieces

            _emit(Pieces(self.pieces), self.stored["output"], self.stored["color"])
        else:
            _emit(self.stored["report"], self.stored["output"], self.stored["color"])
        for line in self.stored["stderr"]:
            click.echo(line, err=True)
        sys.exit(self.stored["code"])

    def save(self, report: Any, output: str | None, color: bool, stderr: list[str], code: int) -> None:
        """Store the entry; a report in pieces (its inventory in a file) is streamed into a blob of its own."""
        from linter import cache, inputs

        recorded = inputs.scan_recording()
        inputs.stop()
        if recorded is None or recorded.untrackable:
            return
        snap = recorded.snapshot()
        parts = None
        if not isinstance(report, str):
            parts = _store_pieces(self.entry, report)
            if parts is None:
                return
            report = None
        cache.store(self.entry, {"inputs": snap, "report": report, "report_parts": parts, "output": output,
                                 "color": color, "stderr": stderr, "code": code})


def _store_pieces(entry: str, report: Any) -> list[bytes | str] | None:
    """A report in pieces (``Pieces``) as the entry keeps it: short text as bytes, long text and each file (the
    inventory a child rendered) as blobs of their own, named by their keys: the file itself renamed into the cache
    when it was made there as a blob (``cache.blob_file``), else copied. None when a blob could not be stored."""
    from linter import cache
    from linter.report.pieces import copy_part

    kept: list[bytes | str] = []
    for i, part in enumerate(report.encoded()):
        if isinstance(part, bytes) and len(part) < INLINE_BYTES:
            kept.append(part)
            continue
        blob = cache.key("replay-report", entry, str(i))
        if isinstance(part, bytes):
            stored = cache.store_blob(blob, lambda out, part=part: out.write(part))
        else:
            source, start = part
            stored = cache.link_blob(blob, source, start) \
                or cache.store_blob(blob, lambda out, source=source, start=start: copy_part(source, start, out))
        if not stored:
            return None
        kept.append(blob)
    return kept


INLINE_BYTES = 1 << 16  # longer text (a large report's findings) is a blob of its own: a replay sends it on unread


def _open_pieces(parts: list[bytes | str]) -> list[Any] | None:
    """The stored pieces with each blob opened; None when one is gone (evicted on its own: scan again)."""
    from linter import cache

    opened: list[Any] = []
    for part in parts:
        if isinstance(part, bytes):
            opened.append(part)
            continue
        blob = cache.open_blob(part)
        if blob is None:
            return None
        opened.append(blob)
    return opened


def _emit(text: Any, output: str | None, color: bool) -> None:
    from linter.cli_options import emit

    emit(text, output, color)


def begin(command: str, params: dict[str, Any]) -> Recording | None:
    """The recording for this command, with its stored result when every input is unchanged; None when the
    command must not be replayed or the cache is off. Recording of inputs starts here."""
    from linter import cache

    if not cache.enabled() or params.get("write_baseline") or params.get("pulumi_execute"):
        return None
    fmt = params.get("fmt")
    screen: tuple[Any, ...] = ()
    if fmt == "text" and not params.get("output"):  # colour and width of text depend on the terminal
        import shutil

        screen = (sys.stdout.isatty(), tuple(shutil.get_terminal_size()))
    question = repr((command, sorted(params.items()), os.getcwd(), screen,
                     [(k, os.environ.get(k)) for k in ENVIRONMENT]))
    entry = cache.key("replay", code_stamp(), question)
    recording = Recording(entry)
    stored = cache.load(entry)
    if isinstance(stored, dict) and stored.get("inputs") is not None:
        from linter.inputs import unchanged

        if unchanged(stored["inputs"]):
            parts = stored.get("report_parts")
            pieces = _open_pieces(parts) if parts is not None else None
            if pieces is not None or parts is None:  # a report blob evicted alone: scan again
                recording.stored, recording.pieces = stored, pieces
                return recording
    from linter import inputs

    _forget_memos()
    inputs.start(_ignored())
    return recording


def _forget_memos() -> None:
    """In-process memos of files (a long-running process scans twice) would hide reads from the recording;
    a module not imported yet has nothing memoised."""
    for module, name in (("linter.facts.environment", "_workspace_file"),
                         ("linter.sources.kubernetes.classify", "_has_chart"), ("linter.usage", "_load")):
        loaded = sys.modules.get(module)
        if loaded is not None:
            getattr(loaded, name).cache_clear()
