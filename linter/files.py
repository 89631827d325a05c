"""Read input files defensively: size limit, binary detection, UTF-8 with a precise error."""

from __future__ import annotations

import os

MAX_FILE_BYTES = 8 * 1024 * 1024


class UnreadableFile(Exception):
    """A file we cannot read as text; ``line`` points at the offending byte when known."""

    def __init__(self, message: str, line: int | None = None) -> None:
        super().__init__(message)
        self.message = message
        self.line = line


def read_bytes(path: str) -> bytes:
    try:
        size = os.path.getsize(path)
        if size > MAX_FILE_BYTES:
            raise UnreadableFile(f"file is too large ({size / 1048576:.1f} MiB > "
                                 f"{MAX_FILE_BYTES // 1048576} MiB limit); not scanned")
        with open(path, "rb") as fh:
            return fh.read()
    except OSError as exc:
        raise UnreadableFile(f"cannot read file: {exc.strerror or exc}") from exc


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


def read_text(path: str) -> str:
    return decode_text(read_bytes(path))
