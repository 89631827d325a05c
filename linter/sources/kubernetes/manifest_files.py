"""Manifest files as worker processes read them (``read_manifest_dir``: each file's objects, cached per
directory), and the workloads' own parts the parent computes as those results arrive (``PreparedWorkloads``).

Kept apart from ``build``, which joins the objects into resources: a worker imports this module and the YAML
reader only, and the parent imports ``build`` (about 17 ms of imports: pods, nodes, node pools, LLM servers)
after the workers are forked, while they read, instead of before.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter.model import ScanError, Skipped
from linter.pickled_once import PickledOnce, freeze
from linter.records import record
from linter.sources.kubernetes import classify
from linter.sources.kubernetes.read import Obj, load_stream


@record
class FileRead(PickledOnce):
    """What one manifest file holds: the objects of kinds we model, or why it was skipped or not read. A pure
    function of the file, so large scans read files in worker processes (``--jobs``)."""

    path: str
    shown: str
    objects: list[Obj] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    litellm: bool = False  # it has a ``model_list:`` line: the LiteLLM reader reads it too (linter/sources/litellm.py)
    rendered_by: str = ""  # objects of the file as this kustomization renders them (kustomize.apply_overlays)


def read_manifest_dir(files: list[tuple[str, bool]], display: Callable[[str], str], part: str = "") -> list[FileRead]:
    """Each file's objects, for files of one directory (``(path, explicit)``; ``part``: which share of a large
    directory). Parsed once per content: one cache entry per directory or share (linter/cache.py) holds each
    file's result under a key of its path, display path and content, so an unchanged file is not parsed again.
    Not one entry per file: creating a thousand small files cost a cold scan up to half a second on a busy disk."""
    from linter import cache
    from linter.files import UnreadableFile, read_text
    from linter.sources.litellm import has_model_list, is_litellm_file
    from linter.suppress import remember

    entry = cache.key("manifests", os.path.abspath(os.path.dirname(files[0][0])), part) if files else ""
    stored = cache.load(entry) if files else None
    known: dict[tuple[str, bool], tuple[str, FileRead]] = stored if isinstance(stored, dict) else {}
    fresh: dict[tuple[str, bool], tuple[str, FileRead]] = {}
    out: list[FileRead] = []
    for path, explicit in files:
        shown = display(path)
        if classify.skip_reason_for_path(path):
            skipped = _read_manifest_text(path, shown, explicit, "")
            skipped.litellm = is_litellm_file(path)
            out.append(skipped)
            continue
        try:
            text = read_text(path)
        except UnreadableFile as exc:
            out.append(FileRead(path, shown, errors=[ScanError(file=shown, line=exc.line, message=exc.message)]))
            continue
        remember(path, text)
        key = cache.key("manifest", path, shown, "explicit" if explicit else "", text)
        hit = known.get((path, explicit))
        if hit is not None and hit[0] == key and isinstance(hit[1], FileRead):
            out.append(hit[1])
            continue
        read = _read_manifest_text(path, shown, explicit, text)
        read.litellm = has_model_list(text)
        if cache.enabled():
            freeze(read)  # pickled once: for the cache entry, and for the parent when a worker read it
        fresh[(path, explicit)] = (key, read)
        out.append(read)
    if fresh:  # entries of files not read this time stay while the file exists (a scan of one file keeps the rest)
        kept = {k: v for k, v in known.items() if k not in fresh and os.path.exists(k[0])}
        cache.store(entry, {**kept, **fresh})
    return out


def _read_manifest_text(path: str, shown: str, explicit: bool, text: str) -> FileRead:
    out = FileRead(path, shown)
    reason = classify.skip_reason_for_path(path)
    if reason:
        out.skipped.append(Skipped(file=shown, reason=reason))
        return out
    reason = classify.skip_reason_for_text(text)
    if reason:
        if explicit and reason == classify.NO_OBJECTS:
            reason += " though named on the command line"
        out.skipped.append(Skipped(file=shown, reason=reason))
        return out
    loaded = load_stream(text, classify.WANTED)
    if loaded.errors and "{{" in text:  # no Helm marker (those are caught above): Jinja, Ansible, gomplate, Helm
        out.skipped.append(Skipped(file=shown, line=loaded.errors[0][0], reason=(
            "a template: its '{{ }}' placeholders do not parse as YAML until rendered (Jinja/Ansible, gomplate or "
            "a Helm chart); not read: render it (`helm template` for a chart) and scan the output")))
        return out
    if loaded.errors and "${" in text:  # Terraform's templatefile() or kubectl_path_documents, envsubst
        line = loaded.errors[0][0]
        out.skipped.append(Skipped(file=shown, line=line, reason="a template: its ${...} placeholders do not parse "
                                   "as YAML until rendered (Terraform templatefile() or kubectl_path_documents, "
                                   "envsubst); not read: scan the rendered manifests"))
        return out
    for line, message in loaded.errors:
        out.errors.append(ScanError(file=shown, line=line, message=message))
    for line, kind in loaded.unmodelled:
        out.skipped.append(Skipped(file=shown, line=line, reason=f"{kind} asks for GPUs or other accelerators, but "
                                   f"finops-lint does not read the {kind} kind: its cost is not in the report"))
    if loaded.kinds == 0 and not loaded.errors:
        out.skipped.append(Skipped(file=shown, reason=classify.NO_OBJECTS
                                   + (" though named on the command line" if explicit else "")))
        return out
    out.objects = [obj for obj in loaded.objects
                   if classify.recognised(obj.api_version, obj.kind) and isinstance(obj.data.get("metadata"), dict)]
    for obj in loaded.objects:  # a kind of another API group named like one we read (Volcano's Job, llmaz's Service)
        if classify.recognised(obj.api_version, obj.kind):
            continue
        if _asks_accelerators(obj.data):
            out.skipped.append(Skipped(file=shown, line=obj.line, reason=f"{obj.kind} ({obj.api_version}) asks for "
                                       f"GPUs or other accelerators, but finops-lint does not read that kind: its "
                                       "cost is not in the report"))
        elif obj.kind in classify.WORKLOAD_KINDS:  # OME's InferenceService: its GPUs are in a runtime it names
            groups = ", ".join(sorted(classify.WORKLOAD_KINDS[obj.kind]))
            out.skipped.append(Skipped(file=shown, line=obj.line, reason=f"{obj.kind} ({obj.api_version}) is not "
                                       f"the {obj.kind} finops-lint reads ({groups}): a workload of another API "
                                       "group, whose pods and cost are not in the report"))
    return out


def _asks_accelerators(data: Any) -> bool:
    import json

    from linter.sources.kubernetes.read import ACCELERATOR_WORDS

    text = json.dumps(data, default=str)
    return any(word in text for word in ACCELERATOR_WORDS) or re.search(r'"gpu": "?[1-9]', text) is not None


class PreparedWorkloads:
    """``Prepared`` parts of the workloads of manifest files, by object, as their results arrive."""

    def __init__(self) -> None:
        self._parts: dict[int, tuple[Obj, Any]] = {}  # id(obj) -> (obj, build.Prepared): the object is kept alive

    def give(self, reads: list[FileRead]) -> None:
        from linter.sources.kubernetes.build import Src, prepare

        for read in reads:
            for obj in read.objects:
                if obj.kind in classify.WORKLOAD_KINDS:
                    self._parts[id(obj)] = (obj, prepare(Src(read.path, read.shown, obj)))

    def take(self, s: Any) -> Any:
        """The parts of ``s`` (a ``build.Src``; once), or computed now."""
        from linter.sources.kubernetes.build import prepare

        got = self._parts.pop(id(s.obj), None)
        return got[1] if got is not None and got[0] is s.obj else prepare(s)
