"""Read input files defensively: size limit, binary detection, UTF-8 with a precise error."""

from __future__ import annotations

import errno
import os
import stat

from linter.inputs import probe, read_content

MAX_FILE_BYTES = 8 * 1024 * 1024


class Boundary:
    """Where a scan may read: the repositories (nearest ``.git`` above) of the paths given, else those paths.
    A symlink that leads outside is not followed (a repository cannot make the scan read ``/etc`` or a home
    directory, or walk a mounted volume) unless the user asks with ``--follow-external-links``."""

    def __init__(self, paths: list[str], follow_external: bool = False) -> None:
        from linter.config import repo_root

        self.follow_external = follow_external
        roots = []
        for p in paths:
            start = os.path.abspath(p)
            start = start if isdir(start) else os.path.dirname(start)
            roots.append(os.path.realpath(repo_root(start) or start))
        self.roots = tuple(dict.fromkeys(roots))

    def escape(self, path: str) -> str | None:
        """The real path a symlinked ``path`` leads to when that is outside every root; None when inside."""
        if self.follow_external or not self.roots:
            return None
        real = os.path.realpath(path)
        if any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in self.roots):
            return None
        return real


_BOUNDARY: Boundary | None = None


def set_boundary(boundary: Boundary | None) -> None:
    global _BOUNDARY
    _BOUNDARY = boundary


def outside_boundary(path: str) -> str | None:
    """Notice text for a symlink that leads outside the scanned tree, else None (see ``Boundary``)."""
    probe(path)
    if _BOUNDARY is None or not os.path.islink(path):
        return None
    real = _BOUNDARY.escape(path)
    if real is None:
        return None
    return f"symlink to {real}, outside the scanned tree; not followed (--follow-external-links reads it)"


def isfile(path: str) -> bool:
    """``os.path.isfile``, noted as an input of the scan (``linter.inputs``); so are the three below."""
    probe(path)
    return os.path.isfile(path)


def isdir(path: str) -> bool:
    probe(path)
    return os.path.isdir(path)


def exists(path: str) -> bool:
    probe(path)
    return os.path.exists(path)


def lexists(path: str) -> bool:
    probe(path)
    return os.path.lexists(path)


class UnreadableFile(Exception):
    """A file we cannot read as text; ``line`` points at the offending byte when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


_LIMIT: int | None = None  # --max-file-size / max_file_size for this scan; None: MAX_FILE_BYTES


def set_max_file_bytes(limit: int | None) -> None:
    global _LIMIT
    _LIMIT = limit


def max_file_bytes() -> int:
    return _LIMIT if _LIMIT is not None else MAX_FILE_BYTES


def _size_text(n: float) -> str:
    for unit, scale in (("GiB", 1 << 30), ("MiB", 1 << 20), ("KiB", 1 << 10)):
        if n >= scale:
            return f"{n / scale:.1f}".rstrip("0").rstrip(".") + f" {unit}"
    return f"{int(n)} bytes"


def too_large(path: str) -> str | None:
    """The notice for a file over the size limit (never read), else None."""
    probe(path)
    try:
        size = os.path.getsize(path)
    except OSError:
        return None
    limit = max_file_bytes()
    if size <= limit:
        return None
    return (f"file is too large ({_size_text(size)} > {_size_text(limit)} limit, --max-file-size or "
            "max_file_size); not scanned")


def parse_size(text: str | int) -> int:
    """``8MiB``, ``512 KiB``, ``2GB``, ``1048576`` -> bytes; ValueError names what is wrong."""
    import re

    if isinstance(text, int) and not isinstance(text, bool):
        if text <= 0:
            raise ValueError("must be a positive size")
        return text
    m = re.fullmatch(r"\s*(\d+(?:\.\d+)?)\s*([kKmMgG]?)(i?[bB])?\s*", str(text))
    if not m:
        raise ValueError(f"'{text}' is not a size such as 8MiB, 512KiB or 1048576")
    scale = {"": 1, "k": 1 << 10, "m": 1 << 20, "g": 1 << 30}[m.group(2).lower()]
    value = int(float(m.group(1)) * scale)
    if value <= 0:
        raise ValueError("must be a positive size")
    return value


class NotRegularFile(OSError):
    """A named pipe, socket or device where a file was expected: reading one could wait for a writer forever or
    never reach its end (``/dev/zero``)."""


_KINDS = ((stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"), (stat.S_ISCHR, "a character device"),
          (stat.S_ISBLK, "a block device"), (stat.S_ISDIR, "a directory"))


def _kind(mode: int) -> str:
    return next((name for test, name in _KINDS if test(mode)), "not a file")


def special_file(path: str) -> str | None:
    """Why ``path`` is never read when it is a named pipe, socket or device, else None (a file, a directory, or
    nothing there)."""
    try:
        mode = os.stat(path).st_mode
    except OSError:
        return None
    if stat.S_ISREG(mode) or stat.S_ISDIR(mode):
        return None
    return f"not a regular file ({_kind(mode)}); not scanned"


def read_all(path: str, limit: int | None = None) -> bytes:
    """The bytes of a regular file (at most ``limit``) by plain system calls: open, fstat, read, close.
    ``open(path, "rb")`` adds a buffered reader, an isatty and a seek per file, several microseconds on each of
    thousands. Opened without blocking, so a named pipe in the scanned tree raises ``NotRegularFile`` at once
    instead of hanging the scan."""
    fd = os.open(path, os.O_RDONLY | getattr(os, "O_CLOEXEC", 0) | getattr(os, "O_NONBLOCK", 0))
    try:
        info = os.fstat(fd)
        if not stat.S_ISREG(info.st_mode):
            raise NotRegularFile(errno.EINVAL, f"not a regular file ({_kind(info.st_mode)})", path)
        chunks: list[bytes] = []
        total = 0
        cap = limit if limit is not None else -1  # -1: to the end
        while cap < 0 or total < cap:
            want = info.st_size + 1 - total if total <= info.st_size else 1 << 20  # one more byte: did it grow?
            got = os.read(fd, want if cap < 0 else min(want, cap - total))
            if not got:
                break
            chunks.append(got)
            total += len(got)
            if total == info.st_size and len(got) < want:  # asked past the size and got just the size: the end
                break
    finally:
        os.close(fd)
    return chunks[0] if len(chunks) == 1 else b"".join(chunks)


def read_bytes(path: str) -> bytes:
    try:
        notice = too_large(path)
        if notice:
            raise UnreadableFile(notice)
        data = read_all(path)
    except NotRegularFile as exc:
        raise UnreadableFile(f"{exc.strerror}; not scanned") from exc
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc
    read_content(path, data)
    return data


def decode_text(data: bytes) -> str:
    """Decode UTF-8 (with or without BOM); binary or other encodings raise UnreadableFile."""
    nul = data.find(b"\x00", 0, 8192)
    if nul >= 0:
        raise UnreadableFile("binary file (NUL byte); not scanned", data.count(b"\n", 0, nul) + 1)
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        line = data.count(b"\n", 0, exc.start) + 1
        raise UnreadableFile(f"not valid UTF-8 (byte 0x{data[exc.start]:02x} at offset {exc.start}); "
                             "save the file as UTF-8", line) from exc
    return text[1:] if text.startswith("\ufeff") else text


TOO_DEEP = "nested too deeply to read (more levels than Python's recursion limit); not scanned"


def read_text(path: str) -> str:
    return decode_text(read_bytes(path))
