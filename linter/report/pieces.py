"""A JSON report written out in pieces, its inventory left in the file it was rendered into.

On a scan of 20,000 files the inventory is 380 MB of text. Read into this process, joined into the report and
written out, it was held two or three times over: the scan's peak (1.25 GB against 0.55 GB of everything else).
``Pieces`` keeps the report as its small parts and that file, and writes them straight to the output, with
``os.sendfile`` where the output is a file or a pipe. The replay entry stores the report the same way
(linter/replay.py). A JSON report is ASCII throughout (its encoder escapes everything else).
"""

from __future__ import annotations

import io
import os
import shutil
from typing import BinaryIO

Part = str | bytes | tuple[BinaryIO, int]  # text (ASCII), or a file read from an offset to its end


class Pieces:
    def __init__(self, parts: list[Part]) -> None:
        self.parts = parts

    def write(self, out: BinaryIO) -> None:
        for part in self.encoded():
            if isinstance(part, bytes):
                out.write(part)
            else:
                copy_part(*part, out)

    def encoded(self) -> list[bytes | tuple[BinaryIO, int]]:
        """The parts, text encoded (once: the replay entry and the output both write the report)."""
        for i, part in enumerate(self.parts):
            if isinstance(part, str):
                self.parts[i] = part.encode("ascii")
        return self.parts  # type: ignore[return-value]

    def text(self) -> str:
        """The whole report as one string, for an output that takes no bytes."""
        buffer = io.BytesIO()
        self.write(buffer)
        return buffer.getvalue().decode("ascii")


def copy_part(source: BinaryIO, start: int, out: BinaryIO) -> None:
    """``source`` from ``start`` to its end, onto ``out``: by sendfile when both are descriptors, else in chunks."""
    out.flush()
    end = os.fstat(source.fileno()).st_size
    offset = start
    try:
        target = out.fileno()
        while offset < end:
            sent = os.sendfile(target, source.fileno(), offset, end - offset)
            if sent == 0:
                break
            offset += sent
    except (AttributeError, OSError, io.UnsupportedOperation, ValueError):
        pass  # no descriptor (a test's buffer) or no sendfile here: copy what is left
    if offset < end:
        source.seek(offset)
        shutil.copyfileobj(source, out, 1 << 20)
