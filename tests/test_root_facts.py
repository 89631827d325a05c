"""Terraform resources get their own facts (tags, workload class, price) in the parent as each root's result
arrives from a worker (``engine.RootFacts``): the scan's resources and report are what applying every fact after
reading gives, serially, in workers, and when a worker dies and the roots are read again."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES
from linter import engine
from linter.config import Config
from linter.engine import RootFacts, ScanOptions, apply_facts, collect_resources
from linter.pricing.catalog import Catalog


def _state(resources: list[Any]) -> list[dict[str, Any]]:
    return [dataclasses.asdict(r) for r in resources]


def _reference(paths: list[str], jobs: int) -> list[dict[str, Any]]:
    config, catalog = Config(), Catalog()
    resources, _, _ = collect_resources(paths, config, catalog, ScanOptions(jobs=jobs))
    apply_facts(resources, config, catalog)
    return _state(resources)


def _early(paths: list[str], jobs: int) -> tuple[list[dict[str, Any]], int]:
    config, catalog = Config(), Catalog()
    root_facts = RootFacts(config, catalog)
    resources, _, _ = collect_resources(paths, config, catalog, ScanOptions(jobs=jobs), root_facts)
    apply_facts(resources, config, catalog, root_facts.count)
    return _state(resources), root_facts.count


@pytest.mark.parametrize("jobs", [1, 2])
def test_facts_applied_as_roots_arrive_equal_facts_applied_after_reading(jobs: int,
                                                                        monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("FINOPS_LINT_NO_CACHE", "1")
    paths = [str(EXAMPLES)]
    expected = _reference(paths, jobs)
    got, count = _early(paths, jobs)
    assert got == expected
    terraform = sum(r["source"] == "terraform" for r in expected)
    assert count >= terraform > 20  # every root's resources, and no price note twice
    assert any(r["cost_components"] for r in got[:count])


def test_a_root_read_again_after_a_worker_died_gets_its_facts_once(tmp_path: Path,
                                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    """A worker that dies makes the scan read every root again here: the results given facts before are
    dropped, and the ones kept get them once."""
    monkeypatch.setenv("FINOPS_LINT_NO_CACHE", "1")
    paths = [str(EXAMPLES / "terraform")]
    expected = _reference(paths, 1)
    parent = os.getpid()
    real = engine._read_files

    def dying_worker(*args: Any, **kwargs: Any) -> Any:
        from linter import terraform_roots

        tasks = terraform_roots.root_tasks

        def root_tasks(*a: Any, **k: Any) -> list[Any]:
            made = tasks(*a, **k)

            def last() -> Any:
                if os.getpid() != parent:
                    os._exit(9)
                return made[-1]()
            return [*made[:-1], last]
        monkeypatch.setattr(terraform_roots, "root_tasks", root_tasks)
        return real(*args, **kwargs)

    monkeypatch.setattr(engine, "_read_files", dying_worker)
    given: list[int] = []
    real_give = RootFacts.give
    monkeypatch.setattr(RootFacts, "give", lambda self, read: (given.append(len(read.resources)),
                                                              real_give(self, read))[1])
    got, count = _early(paths, 2)
    assert got == expected
    assert count == sum(r["source"] == "terraform" for r in expected)
    assert sum(given) > count  # the first worker's results were given facts, then replaced
