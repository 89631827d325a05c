"""Load Terraform root modules, serially or across processes (``--jobs``).

Root modules are independent once parsed, so a large scan splits them into contiguous chunks, one per worker
process (forked: workers inherit the config and catalog and send back plain resources). Results are merged in
root order, duplicates of an error seen by two workers (a module shared by roots in two chunks) are dropped,
and the ignore comments each worker read come back with them, so a parallel scan reports exactly what a
serial one does (tests/test_jobs.py). Small scans stay serial: starting processes costs more than it saves.
"""

from __future__ import annotations

import os
from dataclasses import dataclass, field
from typing import Any

from linter.model import Resource, ScanError, Skipped


@dataclass
class RootsRead:
    resources: list[Resource] = field(default_factory=list)
    errors: list[ScanError] = field(default_factory=list)
    skipped: list[Skipped] = field(default_factory=list)


def load_roots(directories: list[str], config: Any, catalog: Any, options: Any,
               display: Any) -> RootsRead:
    """Every root module's resources, in order; ``options.jobs``: worker processes (None: one per CPU)."""
    if options.jobs == 1 or len(directories) < 2:  # the common pre-commit case: no process machinery at all
        return _load_serial(directories, config, catalog, options, display)
    from linter.workers import worker_count

    jobs = worker_count(options.jobs, len(directories), sum(_tf_files(d) for d in directories))
    if jobs <= 1:
        return _load_serial(directories, config, catalog, options, display)
    return _load_parallel(directories, jobs, config, catalog, options, display)


def _load_serial(directories: list[str], config: Any, catalog: Any, options: Any, display: Any) -> RootsRead:
    from linter.sources.terraform.module import TerraformLoader
    from linter.sources.terraform.normalize import normalize

    out = RootsRead()
    loader = TerraformLoader(display)
    for directory in directories:
        try:
            raws = loader.load_root(directory, options.var_files, options.cli_vars)
            mapped = normalize(raws, catalog, config, display(directory), out.errors)
            environment = loader.root_environments.get(directory)
            for r in mapped if environment else ():  # evidence for resources that carry no environment tag
                r.environment, r.environment_evidence = environment
            out.resources.extend(mapped)
        except Exception as exc:  # an internal error costs this module, never the rest of the scan
            out.errors.append(ScanError(file=display(directory), message=f"module not read, internal error "
                                        f"({type(exc).__name__}: {exc}); please report this with the files"))
        loader.forget_parsed(directory)  # its syntax trees are not needed once it is normalized
    out.errors.extend(loader.errors)
    out.skipped.extend(loader.skipped)
    return out


def _tf_files(directory: str) -> int:
    try:
        return max(1, sum(1 for n in os.listdir(directory) if n.endswith((".tf", ".tf.json"))))
    except OSError:
        return 1


def _load_parallel(directories: list[str], jobs: int, config: Any, catalog: Any, options: Any,
                   display: Any) -> RootsRead:
    from linter.workers import chunks, fork_map

    parts = fork_map(lambda dirs: _load_serial(dirs, config, catalog, options, display),
                     chunks(directories, [_tf_files(d) for d in directories], jobs))
    if parts is None:  # no processes here (a sandbox, a resource limit): read serially
        return _load_serial(directories, config, catalog, options, display)
    out = RootsRead()
    seen_errors: set[tuple[Any, ...]] = set()
    seen_skipped: set[tuple[Any, ...]] = set()
    for part in parts:  # a module shared by roots in two chunks was read by both: its notes count once
        out.resources.extend(part.resources)
        for e in part.errors:
            if (e.file, e.line, e.message) not in seen_errors:
                seen_errors.add((e.file, e.line, e.message))
                out.errors.append(e)
        for s in part.skipped:
            if (s.file, s.line, s.reason) not in seen_skipped:
                seen_skipped.add((s.file, s.line, s.reason))
                out.skipped.append(s)
    return out
