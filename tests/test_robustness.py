"""Mangled Terraform never crashes the scan, and an internal error costs one resource only."""

from __future__ import annotations

import random
from pathlib import Path

from conftest import EXAMPLES, run_cli, scan_json, write

_TOKENS = ["{", "}", '"', "${", "[", "]", "(", ")", "?", ":", "=", "\n", "<<EOT\n", "%{", ",", ".", "*", "var.",
           "local.", "count.index", "each.value", "-", "/", "0", "null", "true"]


def _mangle(rng: random.Random, text: str) -> str:
    for _ in range(rng.randint(1, 6)):
        k = rng.randrange(len(text) + 1)
        r = rng.random()
        if r < 0.3:
            text = text[:k] + text[k + rng.randint(1, 20):]
        elif r < 0.6:
            text = text[:k] + rng.choice(_TOKENS) + text[k:]
        else:
            a = rng.randrange(len(text) + 1)
            text = text[:k] + text[a:a + rng.randint(1, 40)] + text[k:]
    return text


def test_mangled_terraform_never_crashes(tmp_path: Path) -> None:
    rng = random.Random(20261126)
    sources = [p.read_text() for p in sorted((EXAMPLES / "terraform").rglob("*.tf"))]
    for i in range(60):
        root = tmp_path / f"case{i}"
        write(root, {f"f{j}.tf": _mangle(rng, rng.choice(sources)) for j in range(3)})
        run = run_cli("scan", ".", "--format", "json", cwd=root)  # catch_exceptions=False: a crash fails here
        assert run.exit_code in (0, 1, 2), run.stderr
        report = run.report
        for e in report["errors"]:
            assert e["file"].startswith("f") and e["message"], e


def test_internal_mapper_error_costs_one_resource(tmp_path: Path, monkeypatch) -> None:
    from linter.sources.terraform import normalize

    write(tmp_path, {"main.tf": 'resource "aws_instance" "trainer" {\n  instance_type = "p4d.24xlarge"\n'
                                '  tags = { workload = "training" }\n}\n'
                                'resource "google_compute_instance" "broken" {\n  machine_type = "a2-highgpu-1g"\n}\n'})
    normalize._MAPPERS = None
    registry = normalize._registry()

    def explode(view, ctx):
        raise KeyError("boom")

    monkeypatch.setattr(normalize, "_MAPPERS", ({**registry[0], "google_compute_instance": explode},
                                                *registry[1:]))
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert (err["file"], err["line"]) == ("main.tf", 5)
    assert "google_compute_instance.broken: not read, internal error (KeyError" in err["message"]
    assert run.finding("FIN-GPU-001", "aws_instance.trainer")["line"] == 1
    monkeypatch.setattr(normalize, "_MAPPERS", None)


def test_internal_error_joining_kubernetes_objects_keeps_the_root_module(tmp_path: Path, monkeypatch) -> None:
    from linter.sources.terraform import normalize

    write(tmp_path, {"main.tf": 'resource "aws_instance" "trainer" {\n  instance_type = "p4d.24xlarge"\n'
                                '  tags = { workload = "training" }\n}\n'
                                'resource "kubernetes_namespace_v1" "ml" {\n  metadata { name = "ml" }\n}\n'})
    normalize._MAPPERS = None
    registry = normalize._registry()

    def explode(raws, ctx, origin):
        raise RuntimeError("boom")

    monkeypatch.setattr(normalize, "_MAPPERS", (*registry[:2], [explode]))
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == "." and "Kubernetes objects not joined, internal error (RuntimeError: boom)" in err["message"]
    assert run.finding("FIN-GPU-001", "aws_instance.trainer")["line"] == 1
    assert any(r["address"] == "kubernetes_namespace_v1.ml" for r in run.report["resources"])
    monkeypatch.setattr(normalize, "_MAPPERS", None)
