"""Terraform's file functions (``file``, ``fileexists``, ``fileset``, ``filemd5`` and the other digests, the file
half of ``templatefile``) over the scanned tree, and ``yamldecode``.

Terraform reads these files at plan time from the working tree, so the scan reads them too: modules keep their
Kubernetes manifests (``yamldecode(file("${path.module}/manifests/vllm.yaml"))``), policies and node pool lists
in files beside the code. A file is read as the scan reads any file: inside the scanned repository (a path or
symlink that leads out of it is refused unless ``--follow-external-links``), under the size limit, as UTF-8;
anything else makes the value unknown, saying why. Reading is data only: nothing in a file is run.
"""

from __future__ import annotations

import fnmatch
import os
from typing import Any

from linter import files
from linter.sources.terraform.functions import FunctionError
from linter.sources.terraform.values import MAX_TEXT

MAX_FILESET = 10_000  # paths fileset() lists: past this the value is unknown (a pattern over a whole tree)


def resolve(path: str, module_dir: str, root_dir: str) -> str:
    """A path as Terraform resolves it (relative to the root module, where terraform runs, as ``path.module`` and
    ``path.root`` read) in the scan's own terms."""
    if os.path.isabs(path):
        return path
    return os.path.normpath(os.path.join(root_dir, path))


def _inside(path: str) -> None:
    """Refuse a path outside the scanned repository (``/etc/passwd``, ``../../../home``)."""
    boundary = files._BOUNDARY
    if boundary is None or boundary.follow_external or not boundary.roots:
        return
    real = os.path.realpath(path)
    if not any(real == r or real.startswith(r.rstrip(os.sep) + os.sep) for r in boundary.roots):
        raise FunctionError(f"{path} is outside the scanned tree; not read (--follow-external-links reads it)")


def _bytes(path: str, module_dir: str, root_dir: str) -> bytes:
    """A file's bytes, read as the scan reads any file (inside the tree, under the size limit)."""
    full = resolve(path, module_dir, root_dir)
    _inside(full)
    if not files.isfile(full):
        raise FunctionError(f"no file {path}")
    try:
        return files.read_bytes(full)
    except files.UnreadableFile as exc:
        raise FunctionError(f"{path}: {exc}") from exc


def read_file(path: str, module_dir: str, root_dir: str) -> str:
    """The text of a file, as ``file()`` gives it (UTF-8)."""
    try:
        text = files.decode_text(_bytes(path, module_dir, root_dir))
    except files.UnreadableFile as exc:
        raise FunctionError(f"{path}: {exc}") from exc
    if len(text) > MAX_TEXT:
        raise FunctionError(f"{path}: a string of more than {MAX_TEXT:,} characters")
    return text


DIGESTS = ("base64", "md5", "sha1", "sha256", "sha512")  # filebase64(), filemd5()...: of the file's bytes


def digest(kind: str, path: str, module_dir: str, root_dir: str) -> str:
    """filebase64() / filemd5() / filesha*(): of the file's bytes, as Terraform computes them."""
    import base64
    import hashlib

    data = _bytes(path, module_dir, root_dir)
    if kind == "base64":
        return base64.b64encode(data).decode("ascii")
    return hashlib.new(kind, data).hexdigest()


def file_exists(path: str, module_dir: str, root_dir: str) -> bool:
    full = resolve(path, module_dir, root_dir)
    _inside(full)
    return files.isfile(full)


def fileset(path: str, pattern: str, module_dir: str, root_dir: str) -> list[str]:
    """Files under ``path`` whose path relative to it matches ``pattern`` (``*`` within a directory, ``**``
    across them), sorted, as Terraform's fileset() gives them."""
    base = resolve(path, module_dir, root_dir)
    _inside(base)
    if not files.isdir(base):
        return []
    found: list[str] = []
    for here, dirs, names in os.walk(base):
        dirs.sort()
        for name in names:
            rel = os.path.relpath(os.path.join(here, name), base).replace(os.sep, "/")
            if _matches(rel, pattern):
                found.append(rel)
                if len(found) > MAX_FILESET:
                    raise FunctionError(f"more than {MAX_FILESET:,} files match {pattern}")
    return sorted(found)


def _matches(rel: str, pattern: str) -> bool:
    """doublestar matching: ``**`` spans directories, ``*`` and ``?`` stay within one."""
    if "**" not in pattern:
        return rel.count("/") == pattern.count("/") and fnmatch.fnmatchcase(rel, pattern)
    parts, pats = rel.split("/"), pattern.split("/")

    def match(i: int, j: int) -> bool:
        if j == len(pats):
            return i == len(parts)
        if pats[j] == "**":
            return any(match(k, j + 1) for k in range(i, len(parts) + 1))
        return i < len(parts) and fnmatch.fnmatchcase(parts[i], pats[j]) and match(i + 1, j + 1)
    return match(0, 0)


def yamldecode(text: Any) -> Any:
    """One YAML document as Terraform's yamldecode() gives it: mappings, lists, strings, numbers, bools, null;
    aliases bounded as the manifest reader bounds them."""
    if not isinstance(text, str):
        raise FunctionError("yamldecode() takes a string")
    import yaml

    from linter.sources.kubernetes.read import MAX_EXPANDED_NODES, expanded_size, to_python

    loader = yaml.CSafeLoader(text) if hasattr(yaml, "CSafeLoader") else yaml.SafeLoader(text)
    try:
        node = loader.get_single_node()
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        where = f" at line {mark.line + 1}" if mark is not None else ""
        raise FunctionError(f"invalid YAML{where}: {getattr(exc, 'problem', None) or exc}") from exc
    finally:
        loader.dispose()
    if node is None:
        return None
    if expanded_size(node) > MAX_EXPANDED_NODES:
        raise FunctionError(f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes")
    return to_python(node)
