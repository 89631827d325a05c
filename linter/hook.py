"""What a pre-commit run scans and which findings count, given the files that changed.

pre-commit passes only the changed files, but a Terraform file means nothing without its module:
a changed ``.tf`` is read with its whole directory, and when that directory is a child module, through
the root modules of the repository that call it (by their local ``source`` paths, transitively), so its
variables carry the callers' values. Only findings that ``FileFilter`` keeps for the changed
files fail the hook.
"""

from __future__ import annotations

import os
from collections.abc import Iterable
from dataclasses import field

from linter import files as fs
from linter.discovery import SKIP_DIRS, _is_tf, local_module_calls
from linter.records import record

TF_SUFFIXES = (".tf", ".tf.json", ".tfvars", ".tfvars.json")
PULUMI_PROJECT = ("Pulumi.yaml", "Pulumi.yml")


@record
class HookPlan:
    scan_paths: list[str] = field(default_factory=list)  # what to give the scan (a .tf file stands for its module)
    changed: list[str] = field(default_factory=list)  # the changed files that we read: findings must be in them


def module_callers(top: str) -> dict[str, set[str]]:
    """Module directory -> directories that call it with a local ``source``, for every module under ``top``."""
    callers: dict[str, set[str]] = {}
    for directory, dirs, files in os.walk(top):
        dirs[:] = sorted(d for d in dirs if d not in SKIP_DIRS)
        if any(name.endswith(".tf") for name in files):
            for callee in local_module_calls(directory):
                callers.setdefault(callee, set()).add(os.path.normpath(directory))
    return callers


def roots_of(directory: str, callers: dict[str, set[str]]) -> list[str]:
    """The root modules (called by nobody) that reach ``directory``; itself when nobody calls it."""
    roots: set[str] = set()
    seen = {directory}
    stack = [directory]
    while stack:
        current = stack.pop()
        above = callers.get(current, set()) - seen
        if not callers.get(current):
            roots.add(current)
        seen.update(above)
        stack.extend(above)
    return sorted(roots or {directory})


def _module_file(directory: str) -> str | None:
    try:
        names = sorted(os.listdir(directory))
    except OSError:
        return None
    return next((os.path.join(directory, n) for n in names if _is_tf(n)), None)


def _pulumi_project(path: str, top: str) -> str | None:
    directory = os.path.dirname(path)
    while True:
        for name in PULUMI_PROJECT:
            if fs.isfile(os.path.join(directory, name)):
                return directory
        if directory == top or os.path.dirname(directory) == directory:
            return None
        directory = os.path.dirname(directory)


def plan(files: Iterable[str], top: str = ".") -> HookPlan:
    """Scan paths for the changed ``files`` of the repository at ``top`` (pre-commit runs at its root)."""
    top = os.path.abspath(top)
    out = HookPlan()
    paths: dict[str, None] = {}
    callers: dict[str, set[str]] | None = None
    for name in files:
        path = os.path.abspath(name)
        if not fs.isfile(path):
            continue  # deleted in this commit
        base = os.path.basename(path)
        if base.endswith(TF_SUFFIXES):
            out.changed.append(name)
            directory = os.path.dirname(path)
            if callers is None:
                callers = module_callers(top)
            for root in roots_of(directory, callers):
                paths[_module_file(root) or path] = None
        elif base.endswith(".py") or base.startswith("Pulumi."):
            project = _pulumi_project(path, top)
            if project:  # a Python file outside a Pulumi project is not infrastructure
                out.changed.append(name)
                paths[path] = None
        elif base.endswith((".yaml", ".yml")) or base == "Kustomization":
            out.changed.append(name)
            paths[path] = None
    out.scan_paths = list(paths)
    return out


class FileFilter:
    """``--filter FILE``, as tflint's: keep findings located in these files, reached through a module block
    in one of them (``called_from``), or anywhere below the directory of a values file among them (tfvars,
    a Pulumi project or stack configuration): values change what the code next to them costs."""

    def __init__(self, files: Iterable[str]) -> None:
        self.files = {os.path.abspath(f) for f in files}
        self.var_dirs = {os.path.dirname(f) for f in self.files if _is_values_file(os.path.basename(f))}

    def covers(self, file: str) -> bool:
        """Whether ``file`` is one of the filter's files or below a values file's directory."""
        path = os.path.abspath(file)
        return path in self.files or any(path.startswith(d + os.sep) for d in self.var_dirs)

    def __call__(self, finding: object) -> bool:
        called_from = getattr(finding, "called_from", None) or []
        if any(os.path.abspath(str(_get(c, "file"))) in self.files for c in called_from):
            return True
        return self.covers(getattr(finding, "file", ""))


def _is_values_file(name: str) -> bool:
    pulumi = name.startswith("Pulumi.") and name.endswith((".yaml", ".yml"))
    return pulumi or name.endswith((".tfvars", ".tfvars.json"))


def _get(item: object, key: str) -> object:
    return item.get(key, "") if isinstance(item, dict) else getattr(item, key, "")
