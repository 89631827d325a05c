"""Run one Pulumi Python program under Pulumi's mock runtime and print what it declares, as JSON.

Internal: ``execute.py`` starts it in a subprocess (``python -m linter.sources.pulumi._mock_runner``) with a
JSON request on stdin, only when the user passed ``--pulumi-execute``. No Pulumi CLI, engine or cloud is
involved: ``pulumi.runtime.set_mocks`` answers every resource registration with its own inputs, and the id of
a resource is a marker naming it, so references between resources survive as references.
"""

from __future__ import annotations

import inspect
import json
import os
import runpy
import sys
import traceback
from typing import Any

REF = "__finops_ref__:"


def _where(directory: str, frames: list[Any]) -> tuple[str | None, int | None]:
    for frame in frames:
        filename = os.path.abspath(frame.filename)
        if filename.startswith(directory + os.sep):
            return filename, frame.lineno
    return None, None


def main() -> int:
    request = json.load(sys.stdin)
    program = os.path.abspath(request["program"])
    directory = os.path.dirname(program)
    try:
        import pulumi
        from pulumi.runtime.stack import run_pulumi_func
        from pulumi.runtime.sync_await import _sync_await
    except ImportError as exc:
        _write(request, {"error": "missing", "module": getattr(exc, "name", None) or "pulumi"})
        return 0
    lines: dict[tuple[str, str], tuple[str | None, int | None]] = {}
    original = pulumi.Resource.__init__

    def record_line(self: Any, t: str, name: str, *args: Any, **kwargs: Any) -> None:
        lines[(t, name)] = _where(directory, inspect.stack(context=0)[1:])
        original(self, t, name, *args, **kwargs)

    pulumi.Resource.__init__ = record_line  # type: ignore[method-assign]
    declared: list[dict[str, Any]] = []

    class Mocks(pulumi.runtime.Mocks):
        def new_resource(self, args: Any) -> tuple[str, dict[str, Any]]:
            file, line = lines.get((args.typ, args.name), (None, None))
            declared.append({"type": args.typ, "name": args.name, "inputs": args.inputs, "provider": args.provider,
                             "custom": args.custom, "file": file, "line": line})
            return f"{REF}{args.typ}::{args.name}", dict(args.inputs)

        def call(self, args: Any) -> tuple[dict[str, Any], None]:
            return {}, None

    pulumi.runtime.set_mocks(Mocks(), project=request["project"], stack=request["stack"], preview=False)
    pulumi.runtime.set_all_config(request["config"])
    sys.path.insert(0, directory)
    os.chdir(directory)
    sys.argv = [program]
    try:
        _sync_await(run_pulumi_func(lambda: runpy.run_path(program, run_name="__main__")))
    except ModuleNotFoundError as exc:
        frames = [_Frame(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)][::-1]
        file, line = _where(directory, frames)
        _write(request, {"error": "missing", "module": exc.name, "file": file, "line": line})
        return 0
    except BaseException as exc:  # the program's own failure: reported with its file and line
        frames = [_Frame(f.filename, f.lineno) for f in traceback.extract_tb(exc.__traceback__)][::-1]
        file, line = _where(directory, frames)
        _write(request, {"error": "program", "message": f"{type(exc).__name__}: {exc}".splitlines()[0][:300],
                   "file": file, "line": line, "resources": declared})
        return 0
    _write(request, {"resources": declared})
    return 0


def _write(request: dict[str, Any], data: dict[str, Any]) -> None:
    """To the file the caller named: the program's own prints go to stdout."""
    with open(request["out"], "w", encoding="utf-8") as fh:
        json.dump(data, fh, default=str)


class _Frame:
    def __init__(self, filename: str, lineno: int | None) -> None:
        self.filename = filename
        self.lineno = lineno


if __name__ == "__main__":
    sys.exit(main())
