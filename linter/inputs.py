"""What a scan read from disk, so a later run can tell in milliseconds whether anything it depends on changed.

While a scan runs, a Python audit hook (PEP 578) notes every file opened for reading and every directory
listed, whoever opens it (a reader, the config search, the rules loader, a forked worker); the few stat-only
questions a scan asks (does ``modules.json`` exist, is this path a symlink, is this file over the size limit) go
through ``probe``. ``snapshot`` turns that into content digests and signatures, ``unchanged`` checks them again.
A scan that runs a program or opens a socket cannot be described this way and is marked untrackable.

The tool's own files, the interpreter's and the cache's are not inputs: the replay key covers the first two
(``replay.code_stamp``), and the cache is what is being validated.
"""

from __future__ import annotations

import hashlib
import os
import stat
import sys
from typing import Any

_HOOKED = False
_IGNORED: tuple[str, ...] = ()
_WRITE_FLAGS = os.O_WRONLY | os.O_RDWR | os.O_CREAT | os.O_APPEND | os.O_TRUNC
# Events that make a scan depend on something outside the files it read.
_OUTSIDE = {"subprocess.Popen": "ran a program", "os.system": "ran a program", "os.exec": "ran a program",
            "os.posix_spawn": "ran a program", "os.spawn": "ran a program", "socket.connect": "opened a socket",
            "socket.getaddrinfo": "looked up a host name"}


class Recording:
    """What was read while this recording was open (a whole scan, or one Terraform root inside it)."""

    def __init__(self) -> None:
        self.files: dict[str, None] = {}
        self.dirs: dict[str, None] = {}
        self.probes: dict[str, None] = {}
        self.untrackable: list[str] = []

    def snapshot(self) -> list[tuple[str, str, str]]:
        """(kind, path, signature) for everything recorded: content digests of files (of the content as it was
        read, where it was read through ``linter.files``), listings of directories."""
        out = [("file", p, digest_as_read(p)) for p in self.files]
        out += [("dir", p, listing_as_seen(p)) for p in self.dirs]
        out += [("probe", p, _PROBED.get(p) or signature(p)) for p in self.probes]
        return out


_OPEN: list[Recording] = []  # innermost last; every open recording notes every read
# Digests of file contents as this scan read them: a snapshot records what the report was built from (a file
# edited while the scan ran is then a change the next run sees), and need not read every file again.
_READ: dict[str, str] = {}
_UNSENT: dict[str, str] = {}  # in a worker: digests its parent has not been sent yet
# Signatures of probed paths as the scan first asked about them (likewise: what the report was built from, and
# taken where the question was asked, often in a worker, not all over again at the end of the scan)
_PROBED: dict[str, str] = {}
_UNSENT_PROBED: dict[str, str] = {}
# Listings of the directories discovery walked, as it saw them (``listed``): likewise, and without listing each
# directory again at the end of the scan
_LISTED: dict[str, str] = {}
_UNSENT_LISTED: dict[str, str] = {}


# The import system lists each directory of ``sys.path`` to find a module (``python -m linter`` puts the working
# directory there): a listing made for an import is no input of the scan; the scan's own listings are.
_IMPORT_SYSTEM = "<frozen importlib"


def _hook(event: str, args: tuple[Any, ...]) -> None:
    if not _OPEN:
        return
    if event == "open":
        path, mode, flags = args
        if isinstance(path, int) or path is None:
            return
        if mode is not None:
            if any(c in mode for c in "wax+"):
                return
        elif flags & _WRITE_FLAGS:
            return
        _note("files", path)
    elif event in ("os.listdir", "os.scandir"):
        target = args[0]
        if not isinstance(target, int) and not _by_import_system():
            _note("dirs", "." if target is None else target)
    elif event in _OUTSIDE:
        for rec in _OPEN:
            rec.untrackable.append(_OUTSIDE[event])


def _by_import_system() -> bool:
    """Whether the listing being audited is the import system's (called from ``_hook``)."""
    try:
        return sys._getframe(2).f_code.co_filename.startswith(_IMPORT_SYSTEM)
    except ValueError:  # no Python caller
        return False


def _note(table: str, path: Any) -> str | None:
    """Note ``path`` in every open recording; its absolute path, or None when it is no input."""
    if path.__class__ is str and path[:1] == os.sep and path.startswith(_IGNORED) and os.sep + "." not in path:
        return None  # already absolute and normal, and not an input (the tool's own modules as they are imported)
    try:
        full = os.path.abspath(os.fsdecode(path))
    except (TypeError, ValueError):
        return None
    if full.startswith(_IGNORED):
        return None
    for rec in _OPEN:
        getattr(rec, table)[full] = None
    return full


def _install(ignored: tuple[str, ...] | None = None) -> None:
    global _HOOKED, _IGNORED
    if not _HOOKED:
        sys.addaudithook(_hook)
        _HOOKED = True
    if ignored is not None:
        _IGNORED = tuple(p.rstrip(os.sep) + os.sep for p in ignored if p)


def start(ignored: tuple[str, ...]) -> None:
    """Begin recording a scan (the hook is installed once per process and is a no-op while nothing records)."""
    _install(ignored)
    _OPEN.clear()
    _OPEN.append(Recording())
    _READ.clear()
    _UNSENT.clear()
    _PROBED.clear()
    _UNSENT_PROBED.clear()
    _LISTED.clear()
    _UNSENT_LISTED.clear()


def read_content(path: str, data: bytes) -> None:
    """Note the digest of a file's content as it was just read (``linter.files.read_bytes``)."""
    if _OPEN:
        full = os.path.abspath(path)
        _READ[full] = _UNSENT[full] = hashlib.blake2b(data, digest_size=16).hexdigest()


def stop() -> None:
    _OPEN.clear()


def recording() -> bool:
    return bool(_OPEN)


def open_recording(ignored: tuple[str, ...] = ()) -> Recording:
    """A nested recording (one Terraform root); reads go to it and to every recording already open."""
    _install(ignored if not _OPEN else None)
    rec = Recording()
    _OPEN.append(rec)
    return rec


def close_recording(rec: Recording) -> None:
    if rec in _OPEN:
        _OPEN.remove(rec)


def probe(path: str) -> None:
    """Note a stat-only question about ``path`` (existence, kind, size, link): its answer is an input too, and
    its signature is taken now, as the scan sees it."""
    if _OPEN:
        full = _note("probes", path)
        if full is not None and full not in _PROBED:
            _PROBED[full] = _UNSENT_PROBED[full] = signature(full)


def recorded(clear: bool = False) -> dict[str, Any]:
    """What this process recorded for the scan, for a forked worker to send to its parent; ``clear``: start
    afresh, so the worker's next task sends only what it read itself."""
    rec = _OPEN[0] if _OPEN else Recording()
    out: dict[str, Any] = {"files": list(rec.files), "dirs": list(rec.dirs), "probes": list(rec.probes),
                           "untrackable": list(rec.untrackable), "digests": dict(_UNSENT),
                           "signatures": dict(_UNSENT_PROBED), "listings": dict(_UNSENT_LISTED)}
    if clear:
        rec.files.clear()
        rec.dirs.clear()
        rec.probes.clear()
        rec.untrackable.clear()
        _UNSENT.clear()
        _UNSENT_PROBED.clear()
        _UNSENT_LISTED.clear()
    return out


def merge(other: dict[str, Any]) -> None:
    """Add what a worker recorded."""
    if not _OPEN:
        return
    rec = _OPEN[0]
    for key in ("files", "dirs", "probes"):
        getattr(rec, key).update(dict.fromkeys(other.get(key, ())))
    rec.untrackable.extend(other.get("untrackable", ()))
    _READ.update(other.get("digests", {}))
    for path, sig in other.get("signatures", {}).items():
        _PROBED.setdefault(path, sig)
    for path, sig in other.get("listings", {}).items():
        _LISTED.setdefault(path, sig)


def scan_recording() -> Recording | None:
    """The scan's recording (the outermost), if one is open."""
    return _OPEN[0] if _OPEN else None


def untrackable() -> str | None:
    """Why this scan cannot be replayed, or None."""
    return _OPEN[0].untrackable[0] if _OPEN and _OPEN[0].untrackable else None


# -- signatures ------------------------------------------------------------------------------------

def digest_as_read(path: str) -> str:
    """The digest of ``path`` as this scan read it (through ``linter.files``), else as it is now."""
    return _READ.get(path) or file_digest(path)


def file_digest(path: str) -> str:
    from linter.files import read_all  # never blocks on a named pipe

    try:
        return hashlib.blake2b(read_all(path), digest_size=16).hexdigest()
    except OSError as exc:
        return f"error {exc.errno}"


def listing(path: str) -> str:
    """Names and kinds (directory, symlink, other) of a directory's entries."""
    try:
        with os.scandir(path) as it:
            return _listing_of(list(it))
    except OSError as exc:
        return f"error {exc.errno}"


def _listing_of(entries: list[os.DirEntry[str]]) -> str:
    names = sorted(f"{e.name}/{'l' if e.is_symlink() else 'd' if e.is_dir() else 'f'}" for e in entries)
    return hashlib.blake2b("\0".join(names).encode("utf-8", "surrogateescape"), digest_size=16).hexdigest()


def listing_as_seen(path: str) -> str:
    """The listing of ``path`` as a walk of this scan saw it (``listed``), else as it is now."""
    return _LISTED.get(os.path.abspath(path)) or listing(path)


def listed(path: str, entries: list[os.DirEntry[str]]) -> None:
    """The listing of ``path`` from the entries a walk just read from it (discovery, a module's files): what the
    scan saw, taken now (a file added while the scan runs is then a change the next run sees), not again later."""
    if _OPEN:
        full = os.path.abspath(path)
        if full not in _LISTED:
            _LISTED[full] = _UNSENT_LISTED[full] = _listing_of(entries)


def signature(path: str) -> str:
    """Kind and size of a path, and a symlink's target: what existence, size and boundary checks depend on."""
    try:
        link = os.lstat(path)
    except OSError:
        return "missing"
    parts = []
    if stat.S_ISLNK(link.st_mode):
        try:
            parts.append("link " + os.readlink(path))
            st = os.stat(path)
        except OSError:
            return " ".join(parts) + " dangling"
    else:
        st = link
    kind = "dir" if stat.S_ISDIR(st.st_mode) else "file" if stat.S_ISREG(st.st_mode) else "other"
    parts.append(kind + (f" {st.st_size}" if kind == "file" else ""))
    return " ".join(parts)


def snapshot() -> list[tuple[str, str, str]]:
    """The scan's recording as (kind, path, signature) triples."""
    return _OPEN[0].snapshot() if _OPEN else []


_CHECK = {"file": file_digest, "dir": listing, "probe": signature}


def unchanged(snap: list[tuple[str, str, str]]) -> bool:
    """Whether every recorded input still has the same content, listing and signature."""
    return all(_CHECK[kind](path) == sig for kind, path, sig in snap)
