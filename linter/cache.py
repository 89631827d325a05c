"""A content-addressed cache of what is costly to rebuild and a pure function of its inputs: the compiled rules,
each manifest directory's parsed files, each Terraform root's normalized resources (``terraform_roots``, keyed and
checked by what the root read) and whole scans (``replay``). Unchanged inputs are not read again on the next run.

- Where: ``$FINOPS_LINT_CACHE_DIR``, else ``$XDG_CACHE_HOME/finops-lint``, else ``~/.cache/finops-lint``;
  ``--no-cache`` (or ``FINOPS_LINT_NO_CACHE=1``) turns it off. It is never read from the scanned repository.
- Keys: a hash of the inputs (file content, display path) and of this tool's own code (version and the
  modification times of the modules that build the cached values), so an upgrade or an edit invalidates it.
- Safe under concurrent runs: each entry is written to a temporary file and renamed into place; a corrupt or
  unreadable entry is a miss and is rewritten. Entries are pickles of our own plain objects, in the user's own
  cache directory: loading them is as safe as importing the tool from the user's site-packages.
- Bounded: past ``MAX_BYTES`` (``FINOPS_LINT_CACHE_MAX_MB``, default 256 MiB) the least recently used entries go.
"""

from __future__ import annotations

import contextlib
import hashlib
import itertools
import os
from collections.abc import Callable
from typing import Any, BinaryIO

MAGIC = b"finops-lint-cache-1\n"
MAX_BYTES = int(os.environ.get("FINOPS_LINT_CACHE_MAX_MB", "256")) * 1024 * 1024
_ENABLED = True
_STAMP: str | None = None
_SERIAL = itertools.count()


def set_enabled(enabled: bool) -> None:
    global _ENABLED
    _ENABLED = enabled


def enabled() -> bool:
    return _ENABLED and os.environ.get("FINOPS_LINT_NO_CACHE", "") in ("", "0")


def cache_dir() -> str:
    explicit = os.environ.get("FINOPS_LINT_CACHE_DIR")
    if explicit:
        return explicit
    base = os.environ.get("XDG_CACHE_HOME") or os.path.join(os.path.expanduser("~"), ".cache")
    return os.path.join(base, "finops-lint")


def code_stamp() -> str:
    """This tool's version and the modification times of its modules: any change to the code that builds a
    cached value makes every key new."""
    global _STAMP
    if _STAMP is None:
        import linter

        package = os.path.dirname(os.path.abspath(linter.__file__))
        parts = [linter.__version__]
        for sub in ("", "rules", os.path.join("sources", "kubernetes")):
            folder = os.path.join(package, sub)
            try:
                names = sorted(n for n in os.listdir(folder) if n.endswith(".py"))
            except OSError:
                continue
            parts += [f"{sub}/{n}:{os.stat(os.path.join(folder, n)).st_mtime_ns}" for n in names]
        _STAMP = hashlib.sha256("\n".join(parts).encode()).hexdigest()[:16]
    return _STAMP


def key(namespace: str, *inputs: bytes | str) -> str:
    digest = hashlib.sha256(code_stamp().encode())
    for part in inputs:
        data = part.encode("utf-8", "surrogatepass") if isinstance(part, str) else part
        digest.update(len(data).to_bytes(8, "little"))
        digest.update(data)
    return f"{namespace}-{digest.hexdigest()}"


def _path(entry: str) -> str:
    """16 subdirectories by the key's last hex digit: writing a cold scan's thousand entries across 256
    directories cost ten times more (0.4 s vs 0.04 s on ext4) than across 16."""
    return os.path.join(cache_dir(), entry[-1:], entry)


def load(entry: str) -> Any | None:
    """The cached value, or None (missing, disabled, corrupt or unreadable: all misses)."""
    if not enabled():
        return None
    path = _path(entry)
    try:
        with open(path, "rb") as fh:
            data = fh.read()
    except OSError:
        return None
    if not data.startswith(MAGIC):
        return None
    import pickle

    try:
        value = pickle.loads(memoryview(data)[len(MAGIC):])  # not a slice: that copied the whole entry once more
    except Exception:  # a truncated or foreign file is a miss; the next store replaces it
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return value


def store(entry: str, value: Any) -> None:
    """Write atomically; any failure (read-only home, full disk) is ignored: the cache is only an optimisation."""
    import pickle

    def write(fh: BinaryIO) -> None:
        fh.write(MAGIC)
        pickle.dump(value, fh, protocol=pickle.HIGHEST_PROTOCOL)

    _write_entry(entry, write)


BLOB = b"finops-lint-blob-1\n"


def store_blob(entry: str, write: Callable[[BinaryIO], None]) -> bool:
    """Bytes that ``write`` streams into the cache under ``entry`` (a report too large to pickle whole);
    False when the cache is off or the write failed."""

    def blob(fh: BinaryIO) -> None:
        fh.write(BLOB)
        write(fh)

    return _write_entry(entry, blob)


_DEFERRED: list[tuple[str, bytes]] | None = None  # entries rendered but not written yet (``defer_writes``)


def defer_writes() -> None:
    """Keep this process's entries in memory until ``flush_deferred``: a worker process writes them after its last
    answer, while its parent runs the serial end of the scan on one CPU, instead of between its reading tasks
    (about 0.07 s of the workers' CPU on the 1,000-file benchmark corpus). Each entry is rendered to bytes at
    once, so it holds the value as it was stored."""
    global _DEFERRED
    if _DEFERRED is None:
        _DEFERRED = []


def flush_deferred() -> None:
    """Write the entries ``defer_writes`` kept, and write at once from now on."""
    global _DEFERRED
    pending, _DEFERRED = _DEFERRED or [], None
    for entry, data in pending:
        _write_entry(entry, lambda fh, data=data: fh.write(data))  # type: ignore[misc]


def _write_entry(entry: str, write: Callable[[BinaryIO], None]) -> bool:
    """An entry written by ``write`` to a file of its own, then renamed into place: readers never see half of one;
    False (and nothing left behind) when the cache is off or anything failed. Kept in memory while writes are
    deferred (``defer_writes``)."""
    if not enabled():
        return False
    if _DEFERRED is not None:
        import io

        buffer = io.BytesIO()
        try:
            write(buffer)
        except Exception:
            return False
        _DEFERRED.append((entry, buffer.getvalue()))
        return True
    path = _path(entry)
    # a name no other process or thread uses (O_EXCL makes sure), renamed into place; not tempfile.mkstemp,
    # whose import (random, shutil) costs a pre-commit run more than the write itself
    tmp = _temporary_name(os.path.dirname(path), entry[-8:])
    created = False
    try:
        os.makedirs(os.path.dirname(path), exist_ok=True)
        fd = os.open(tmp, os.O_WRONLY | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
        created = True
        with os.fdopen(fd, "wb") as fh:
            write(fh)
        os.replace(tmp, path)
        return True
    except Exception:
        if created:
            with contextlib.suppress(OSError):
                os.unlink(tmp)
        return False


def _temporary_name(folder: str, tag: str) -> str:
    """A name in ``folder`` no other process or thread uses (pid and a serial), hidden from readers (``.tmp-``)."""
    return f"{folder}{os.sep}.tmp-{os.getpid()}-{next(_SERIAL)}-{tag}"


def blob_file() -> BinaryIO:
    """A new file holding ``BLOB``, for bytes that may become a blob (a report's inventory): made in the cache
    directory under a temporary name while the cache is on, so ``link_blob`` can later rename it into place
    instead of copying it; else an ordinary temporary file. ``drop_blob_files`` removes the names not taken (the
    open file stays readable); a name left by a killed run is pruned like any entry."""
    fh: BinaryIO | None = None
    if enabled():
        folder = os.path.join(cache_dir(), "0")
        name = _temporary_name(folder, "blob")
        try:
            os.makedirs(folder, exist_ok=True)
            fd = os.open(name, os.O_RDWR | os.O_CREAT | os.O_EXCL | getattr(os, "O_NOFOLLOW", 0), 0o600)
            fh = os.fdopen(fd, "w+b")
            _UNNAMED[fd] = name
        except OSError:  # an unwritable cache: an ordinary temporary file
            fh = None
    if fh is None:
        import tempfile

        fh = tempfile.TemporaryFile()  # noqa: SIM115 (the caller's to close)
    fh.write(BLOB)
    fh.flush()
    return fh


_UNNAMED: dict[int, str] = {}  # descriptor -> temporary name of each ``blob_file`` in the cache not yet linked


def link_blob(entry: str, fh: BinaryIO, start: int) -> bool:
    """The file ``fh`` (a ``blob_file``, written to its end), whose bytes from ``start`` on are to be the blob
    ``entry``, made that blob by renaming it into place, not by copying it (a large scan's 10 MB inventory: ~4 ms
    of its serial end); False when it cannot be (an ordinary temporary file, bytes that do not start right after
    the header, the cache off or its writes deferred), and the caller copies it (``store_blob``)."""
    usable = start == len(BLOB) and enabled() and _DEFERRED is None
    name = _UNNAMED.get(fh.fileno()) if usable else None
    if name is None:
        return False
    try:
        fh.flush()
        path = _path(entry)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        os.replace(name, path)
    except OSError:
        return False
    del _UNNAMED[fh.fileno()]
    return True


def drop_blob_files() -> None:
    """Remove the names of ``blob_file`` files no blob took (their open descriptors still read them)."""
    for name in _UNNAMED.values():
        with contextlib.suppress(OSError):
            os.unlink(name)
    _UNNAMED.clear()


def open_blob(entry: str) -> tuple[BinaryIO, int] | None:
    """The file of a blob ``store_blob`` wrote and the offset its bytes start at; None if missing or foreign."""
    if not enabled():
        return None
    path = _path(entry)
    try:
        fh = open(path, "rb")  # noqa: SIM115 (the caller reads it to its end, then the process closes it)
    except OSError:
        return None
    if fh.read(len(BLOB)) != BLOB:
        fh.close()
        return None
    with contextlib.suppress(OSError):
        os.utime(path)  # recently used: evicted last
    return fh, len(BLOB)


def prune(limit: int | None = None) -> int:
    """Delete least recently used entries until the cache fits ``limit`` bytes; returns bytes removed."""
    limit = MAX_BYTES if limit is None else limit
    root = cache_dir()
    entries: list[tuple[float, int, str]] = []
    try:
        for sub in os.scandir(root):
            if not sub.is_dir():
                continue
            for e in os.scandir(sub.path):
                try:
                    st = e.stat()
                except OSError:
                    continue
                entries.append((st.st_mtime, st.st_size, e.path))
    except OSError:
        return 0
    total = sum(size for _, size, _ in entries)
    removed = 0
    for _, size, path in sorted(entries):
        if total - removed <= limit:
            break
        try:
            os.unlink(path)
            removed += size
        except OSError:
            continue
    return removed


_PRUNE_BELOW = 6  # a random byte below this prunes: about one run in 43


def maybe_prune() -> None:
    """Prune about once in 43 runs, so the common run does not walk the cache."""
    if enabled() and os.urandom(1)[0] < _PRUNE_BELOW:
        prune()
