"""linter/pickled_once.py: a worker pickles a Terraform root's resources (or a manifest file's objects) once, for its
cache entry and for the pipe to its parent, and what arrives equals what was read."""

from __future__ import annotations

import pickle

from conftest import EXAMPLES
from linter.config import Config
from linter.pickled_once import freeze
from linter.pricing.catalog import Catalog
from linter.sources.kubernetes.manifest_files import FileRead, read_manifest_dir
from linter.terraform_roots import RootsRead, root_tasks


def _root() -> RootsRead:
    root = next(p.parent for p in sorted((EXAMPLES / "terraform").rglob("main.tf")) if "modules" not in p.parts)
    options = type("Options", (), {"var_files": [], "cli_vars": {}})()
    (task,) = root_tasks([str(root)], Config(), Catalog(), options, str)
    return task()


def test_a_frozen_root_is_pickled_from_its_bytes_and_comes_back_equal() -> None:
    got = _root()
    assert got.resources
    data = freeze(got)
    entry = pickle.dumps({"inputs": [], "read": got}, protocol=pickle.HIGHEST_PROTOCOL)
    assert data in entry  # the cache entry embeds the bytes instead of pickling the resources again
    sent = pickle.dumps(got, protocol=pickle.HIGHEST_PROTOCOL)  # what a worker sends its parent
    assert data in sent
    back = pickle.loads(sent)
    assert isinstance(back, RootsRead) and back == got
    assert [r.address for r in back.resources] == [r.address for r in got.resources]
    assert "_pickled" not in back.__dict__  # a copy is not frozen: changing it and pickling it keeps the change
    back.resources.pop()
    assert len(pickle.loads(pickle.dumps(back)).resources) == len(got.resources) - 1


def test_an_unfrozen_record_pickles_as_before() -> None:
    read = FileRead("/repo/k8s/vllm.yaml", "k8s/vllm.yaml")
    assert "_pickled" not in read.__dict__
    assert pickle.loads(pickle.dumps(read)) == read


def test_a_cold_manifest_read_freezes_what_it_caches(tmp_path, monkeypatch) -> None:  # type: ignore[no-untyped-def]
    manifest = next(p for p in sorted(EXAMPLES.rglob("*.yaml")) if "kind: Deployment" in p.read_text())
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(tmp_path))
    monkeypatch.delenv("FINOPS_LINT_NO_CACHE", raising=False)
    (cold,) = read_manifest_dir([(str(manifest), False)], str)
    assert cold.objects and "_pickled" in cold.__dict__
    (warm,) = read_manifest_dir([(str(manifest), False)], str)  # from the cache entry
    assert warm == cold and warm is not cold
    assert pickle.loads(pickle.dumps(cold)) == cold
    monkeypatch.setenv("FINOPS_LINT_NO_CACHE", "1")
    (uncached,) = read_manifest_dir([(str(manifest), False)], str)
    assert uncached == cold and "_pickled" not in uncached.__dict__  # no cache entry: nothing to pickle for
