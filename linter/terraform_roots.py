"""Load Terraform root modules, serially or across processes (``--jobs``).

Root modules are independent once parsed, so each is a task (``root_tasks``) that a large scan hands to worker
processes (linter/workers.py: forked, so workers inherit the config and catalog and send back plain resources).
Results are merged in root order, duplicates of an error seen by two workers (a module shared by roots that two
workers loaded) are dropped, and the ignore comments each worker read come back with them, so a parallel scan
reports exactly what a serial one does (tests/test_cache_and_jobs.py). Small scans stay serial: starting
processes costs more than it saves.
"""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter.model import Resource, ScanError, Skipped
from linter.pickled_once import PickledOnce, freeze
from linter.records import record


@record
class RootsRead(PickledOnce):
    resources: list[Resource] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)
    files_read: list[str] = field(default_factory=list)  # by file()/templatefile(): real paths


def root_tasks(directories: list[str], config: Any, catalog: Any, options: Any,
               display: Any) -> list[Callable[[], RootsRead]]:
    """One task per root module, from the cache when nothing it read has changed. The tasks share one loader: a
    module outside the roots (``../modules/x``) is parsed once, and once per worker process when they run in
    several (each forked worker gets its own copy of the loader and keeps it across its tasks)."""
    from linter.sources.terraform.module import TerraformLoader

    loader = TerraformLoader(display)
    question = _question(config, catalog, options)

    def task(directory: str) -> Callable[[], RootsRead]:
        def run() -> RootsRead:
            got = _cached_root(directory, question) if question is not None else None
            return got if got is not None else _read_root(loader, directory, config, catalog, options, display,
                                                          question)
        return run

    return [task(d) for d in directories]


def merge_roots(parts: list[RootsRead]) -> RootsRead:
    """The roots' results in order; a module shared by several roots says each error and skip note once (in a
    parallel scan more than one worker read it)."""
    out = RootsRead()
    seen_errors: set[tuple[Any, ...]] = set()
    seen_skipped: set[tuple[Any, ...]] = set()
    for part in parts:
        out.resources.extend(part.resources)
        out.files_read.extend(p for p in part.files_read if p not in out.files_read)
        for e in part.errors:
            if (e.file, e.line, e.message) not in seen_errors:
                seen_errors.add((e.file, e.line, e.message))
                out.errors.append(e)
        for s in part.skipped:
            if (s.file, s.line, s.reason) not in seen_skipped:
                seen_skipped.add((s.file, s.line, s.reason))
                out.skipped.append(s)
    return out


def _read_root(loader: Any, directory: str, config: Any, catalog: Any, options: Any, display: Any,
               question: str | None) -> RootsRead:
    """One root module, normalized; stored in the cache with what it read when ``question`` is given."""
    from linter import inputs
    from linter.sources.terraform.normalize import normalize

    got = RootsRead()
    errors_before, skipped_before = len(loader.errors), len(loader.skipped)
    loader.touched.clear()
    loader.function_reads.clear()
    recording = inputs.open_recording(_ignored()) if question is not None else None
    try:
        raws = loader.load_root(directory, options.var_files, options.cli_vars)
        mapped = normalize(raws, catalog, config, display(directory), got.errors,
                           providers=loader.root_providers.get(directory))
        if any(r.type == "helm_release" for r in raws):
            from linter.sources.terraform.helm_releases import accelerator_charts

            got.skipped.extend(accelerator_charts(raws))
        if len(mapped) < len(raws) or any(r.type.startswith("azurerm_machine_learning_compute") for r in raws):
            from linter.sources.terraform.unread import unread_gpu_resources

            got.skipped.extend(unread_gpu_resources(raws, mapped))
        environment = loader.root_environments.get(directory)
        for r in mapped if environment else ():  # evidence for resources that carry no environment tag
            r.environment, r.environment_evidence = environment
        got.resources.extend(mapped)
        loader.release()
    except Exception as exc:  # an internal error costs this module, never the rest of the scan
        got.errors.append(ScanError(file=display(directory), message=f"module not read, internal error "
                                    f"({type(exc).__name__}: {exc}); please report this with the files"))
    finally:
        if recording is not None:
            inputs.close_recording(recording)
    got.files_read = sorted(loader.function_reads)
    got.errors.extend(loader.errors[errors_before:])
    got.skipped.extend(loader.skipped[skipped_before:])
    if recording is not None and not recording.untrackable:
        _store_root(directory, question, got, recording, loader.touched)
    loader.forget_parsed(directory)  # its syntax trees are not needed once it is normalized
    return got


# -- the per-root cache --------------------------------------------------------------------------------
# A root's normalized resources are kept in the cache with what they were built from: the files, listings and
# probes recorded while it loaded, plus every module directory it used (a module shared with an earlier root
# was parsed once, then, so its files are covered through the directory: listing and each file's digest).
# The ignore comments of those files come back with them. Another config, catalog, variable, size limit or
# symlink boundary is another question.

def _question(config: Any, catalog: Any, options: Any) -> str | None:
    from linter import cache, files

    if not cache.enabled():
        return None
    boundary = files._BOUNDARY
    return repr((os.getcwd(), repr(config), catalog.discount_percent, sorted(catalog._overrides.items()),
                 sorted(catalog._spot_overrides.items()), list(options.var_files), sorted(options.cli_vars.items()),
                 files.max_file_bytes(), boundary.roots if boundary else None,
                 boundary.follow_external if boundary else None))


def _ignored() -> tuple[str, ...]:
    from linter.replay import _ignored as ignored

    return ignored()


def _entry(directory: str, question: str) -> str:
    from linter import cache
    from linter.replay import code_stamp

    return cache.key("tfroot", code_stamp(), os.path.abspath(directory), question)


def _cached_root(directory: str, question: str) -> RootsRead | None:
    from linter import cache, inputs, suppress

    stored = cache.load(_entry(directory, question))
    if not isinstance(stored, dict) or not stored.get("inputs") or not inputs.unchanged(stored["inputs"]):
        return None
    suppress._TABLES.update(stored["tables"])
    suppress._PROBLEMS.update(stored["problems"])
    return stored["read"]


def _store_root(directory: str, question: str | None, got: RootsRead, recording: Any, touched: set[str]) -> None:
    from linter import cache, inputs, suppress
    from linter.sources.terraform.module import is_terraform_file

    if question is None:
        return
    snap = recording.snapshot()
    used: list[str] = []
    for folder in sorted(touched):
        snap.append(("dir", os.path.abspath(folder), inputs.listing_as_seen(folder)))
        try:
            names = sorted(os.listdir(folder))
        except OSError:
            continue
        for name in names:
            path = os.path.abspath(os.path.join(folder, name))
            if is_terraform_file(name) and os.path.isfile(path):  # the digest of the content as it was read
                snap.append(("file", path, inputs.digest_as_read(path)))
                used.append(path)
    tables = {p: suppress._TABLES[p] for p in used if p in suppress._TABLES}
    problems = {p: suppress._PROBLEMS[p] for p in used if p in suppress._PROBLEMS}
    freeze(got)  # pickled once: for this entry, and for the parent when a worker read it
    cache.store(_entry(directory, question), {"inputs": snap, "read": got, "tables": tables,
                                              "problems": problems})


def terraform_files(directories: list[str]) -> int:
    """How many ``.tf`` files the root directories hold (at least one each): the size of the scan."""
    return sum(_tf_files(d) for d in directories)


def _tf_files(directory: str) -> int:
    try:
        return max(1, sum(1 for n in os.listdir(directory) if n.endswith((".tf", ".tf.json"))))
    except OSError:
        return 1
