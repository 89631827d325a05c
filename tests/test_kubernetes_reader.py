"""Kubernetes reader: documents and lines, kind: List, what is skipped and why, broken input."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import ROOT, scan_json, write
from linter.sources.kubernetes.quantity import count, gib, quantity
from linter.sources.kubernetes.read import load_stream

FIXTURES = ROOT / "tests" / "fixtures" / "kubernetes"


def _resources(run) -> dict[str, dict]:
    return {r["address"]: r for r in run.report["resources"]}


def test_multi_document_helm_output_lines_and_addresses() -> None:
    run = scan_json("serving/rendered.yaml", cwd=FIXTURES)
    res = _resources(run)
    assert res["Deployment/genai/qwen25-7b-tgi"]["line"] == 4
    assert res["Deployment/genai/qwen25-7b-tgi"]["file"] == "serving/rendered.yaml"
    assert res["HorizontalPodAutoscaler/genai/qwen25-7b-tgi"]["line"] == 37
    assert res["Deployment/genai/bge-embed"]["line"] == 49
    assert res["HorizontalPodAutoscaler/genai/bge-embed"]["line"] == 72
    assert all(r["source"] == "kubernetes" and r["provider"] == "kubernetes" for r in res.values())


def test_kind_list_items_each_with_their_line() -> None:
    run = scan_json("serving/exported-list.yaml", cwd=FIXTURES)
    res = _resources(run)
    assert res["Deployment/search/reranker"]["line"] == 7
    assert res["Service/search/reranker"]["line"] == 26
    assert res["ScaledObject/search/reranker"]["line"] == 34
    # the ScaledObject inside the List links to the Deployment inside the List
    f = run.finding("FIN-SCALE-001", "Deployment/search/reranker")
    assert f["line"] == 7 and "ScaledObject/search/reranker" in f["message"]


def test_non_kubernetes_yaml_is_skipped_with_a_reason_and_never_a_finding() -> None:
    run = scan_json("repo", cwd=FIXTURES)
    assert run.exit_code == 1  # the one real manifest (deploy/app.yaml) has a finding
    report = run.report
    assert report["errors"] == []
    skipped = {s["file"]: s["reason"] for s in report["skipped"]}
    assert "Docker Compose" in skipped["repo/docker-compose.yml"]
    assert "GitHub Actions workflow" in skipped["repo/.github/workflows/ci.yml"]
    assert "Helm chart metadata" in skipped["repo/charts/vllm/Chart.yaml"]
    assert "Helm values file" in skipped["repo/charts/vllm/values.yaml"]
    assert "Helm chart template" in skipped["repo/charts/vllm/templates/deployment.yaml"]
    assert "Helm chart template" in skipped["repo/charts/vllm/templates/hpa.yaml"]
    assert "repo/deploy/kustomization.yaml" not in skipped  # rendered: its app.yaml's objects are in the report
    # a rendered ConfigMap holding Prometheus/Alertmanager "{{ }}" templates is a manifest, not a chart
    assert "repo/deploy/prometheus-rules.yaml" not in skipped
    assert {f["file"] for f in report["findings"]} == {"repo/deploy/app.yaml"}
    assert [f["resource"] for f in report["findings"]] == ["Job/ci/smoke-test"]


def test_helm_template_outside_a_chart_and_explicit_non_manifest(tmp_path: Path) -> None:
    write(tmp_path, {
        "deployment.yaml": "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n",
        "weird.yaml": "{{ if .enabled }}\napiVersion: v1\nkind: Pod\n{{ end }}\n",
        "config.yaml": "server:\n  port: 8080\n",
    })
    run = scan_json("deployment.yaml", "weird.yaml", "config.yaml", cwd=tmp_path)
    assert run.exit_code == 0
    skipped = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert "Helm template" in skipped["deployment.yaml"]
    assert "do not parse as YAML until rendered" in skipped["weird.yaml"]
    assert "no Kubernetes objects" in skipped["config.yaml"] and "command line" in skipped["config.yaml"]
    assert run.report["resources"] == [] and run.report["findings"] == []


def test_malformed_yaml_reports_file_and_line_and_keeps_everything_else() -> None:
    run = scan_json("broken", "serving/rendered.yaml", cwd=FIXTURES)
    assert run.exit_code == 2
    assert run.report["errors"] == [{
        "file": "broken/bad.yaml", "line": 22,
        "message": "invalid YAML: did not find expected ',' or ']' (while parsing a flow sequence)"}]
    assert "broken/bad.yaml:22: invalid YAML" in run.stderr
    found = {(f["rule_id"], f["resource"]) for f in run.report["findings"]}
    # documents before and after the broken one, and the other file, are still reported
    assert ("FIN-GPU-004", "Deployment/x/ok-before") in found
    assert ("FIN-GPU-004", "Job/x/after-the-break") in found
    assert ("FIN-SCALE-001", "Deployment/genai/qwen25-7b-tgi") in found
    lines = {f["resource"]: f["line"] for f in run.report["findings"]}
    assert lines["Job/x/after-the-break"] == 24


def test_binary_and_non_utf8_yaml(tmp_path: Path) -> None:
    write(tmp_path, {"blob.yaml": b"apiVersion: v1\n\x00\x01kind: Pod\n",
                     "latin1.yaml": "apiVersion: v1\nkind: ConfigMap\n# caf\xe9\n".encode("latin-1"),
                     "ok.yaml": "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    errors = {e["file"]: e for e in run.report["errors"]}
    assert errors["blob.yaml"]["line"] == 2 and "binary" in errors["blob.yaml"]["message"]
    assert errors["latin1.yaml"]["line"] == 3 and "UTF-8" in errors["latin1.yaml"]["message"]
    assert "ok.yaml" not in errors


def test_anchors_merge_keys_and_odd_documents() -> None:
    text = """\
# leading comment only document
---
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: a
  labels: &labels {team: t, cost-center: c, environment: prod}
spec:
  replicas: 3
  template:
    metadata:
      labels:
        <<: *labels
        app: a
    spec:
      containers:
        - name: c
          resources: &res {limits: {nvidia.com/gpu: 2}}
        - name: d
          resources: *res
---
just a string document
---
apiVersion: v1
kind: ConfigMap
metadata: {name: skipped}
"""
    loaded = load_stream(text, frozenset({"Deployment"}))
    assert loaded.errors == []
    assert loaded.kinds == 2 and loaded.other_docs == 1
    (obj,) = loaded.objects
    assert obj.line == 4 and obj.kind == "Deployment"
    labels = obj.data["spec"]["template"]["metadata"]["labels"]
    assert labels == {"team": "t", "cost-center": "c", "environment": "prod", "app": "a"}
    assert obj.data["spec"]["replicas"] == 3


def test_alias_bomb_does_not_explode() -> None:
    text = "apiVersion: v1\nkind: Pod\nmetadata: {name: x}\nspec:\n  a: &a [x, x, x, x, x, x, x, x, x]\n"
    for i in range(1, 12):
        text += f"  b{i}: &b{i} [*{'a' if i == 1 else f'b{i - 1}'}, *{'a' if i == 1 else f'b{i - 1}'}]\n"
    loaded = load_stream(text, frozenset({"Pod"}))
    assert loaded.errors == [] and len(loaded.objects) == 1


@pytest.mark.parametrize(("raw", "expected"), [
    ("500m", 0.5), ("2", 2.0), (4, 4.0), ("1.5", 1.5), ("1e3", 1000.0), ("16Gi", 16 * 2**30), ("512Mi", 2**29),
    ("1G", 1e9), ("{{ .Values.cpu }}", None), (True, None), (None, None),
])
def test_quantities(raw: object, expected: float | None) -> None:
    assert quantity(raw) == expected


def test_memory_and_counts() -> None:
    assert gib("32Gi") == 32.0 and gib("1024Mi") == 1.0
    assert count("3") == 3 and count(2) == 2 and count("two") is None and count(None) is None


def test_odd_shapes_never_crash(tmp_path: Path) -> None:
    """Every subtree of real manifests replaced by odd values (lists, numbers, null, strings): no crash."""
    import copy
    import random

    import yaml

    sources = sorted((ROOT / "iac_examples" / "kubernetes").rglob("*.yaml")) + sorted(FIXTURES.rglob("*.yaml"))
    docs = [d for p in sources if "templates" not in p.parts and "broken" not in p.parts
            for d in yaml.safe_load_all(p.read_text()) if isinstance(d, dict) and d.get("kind")]
    rng = random.Random(7)
    oddities = [None, 0, -3, 1.5, "x", "{{ .Values.x }}", [], {}, [1, "a"], {"a": None}, True, "500m", "16Gi"]

    def paths(node, prefix=()):
        if isinstance(node, dict):
            for k, v in node.items():
                yield (*prefix, k)
                yield from paths(v, (*prefix, k))
        elif isinstance(node, list):
            for i, v in enumerate(node):
                yield (*prefix, i)
                yield from paths(v, (*prefix, i))

    mutated = []
    for _ in range(300):
        doc = yaml.safe_load(yaml.safe_dump(rng.choice(docs)))
        for _step in range(3):
            candidates = [p for p in paths(doc) if p[0] not in ("apiVersion", "kind")]
            if not candidates:
                break
            path = rng.choice(candidates)
            parent = doc
            for key in path[:-1]:
                parent = parent[key]
            parent[path[-1]] = copy.deepcopy(rng.choice(oddities))
        mutated.append(yaml.safe_dump(doc))
    write(tmp_path, {f"m{i:03}.yaml": text for i, text in enumerate(mutated)})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code in (0, 1), run.stderr
    assert run.report["errors"] == []


def test_a_valid_stream_is_parsed_once_per_document(monkeypatch: pytest.MonkeyPatch) -> None:
    """A Helm-rendered bundle is parsed document by document, each once: no separate syntax pass over the whole
    stream first (that doubled the parsing of every manifest)."""
    from linter.sources.kubernetes import read

    parsed: list[str] = []
    real = read._Loader

    class Counting(real):  # type: ignore[misc,valid-type]
        def __init__(self, text: str) -> None:
            parsed.append(text)
            super().__init__(text)

    monkeypatch.setattr(read, "_Loader", Counting)
    text = """---
# Source: inference/templates/configmap.yaml
apiVersion: v1
kind: ConfigMap
metadata: {name: vllm-config}
data: {MODEL: meta-llama/Llama-3.1-8B-Instruct}
---
# Source: inference/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata: {name: vllm}
spec:
  replicas: 2
  template:
    spec:
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          resources: {limits: {nvidia.com/gpu: 1}}
---
# Source: inference/templates/service.yaml
apiVersion: v1
kind: Service
metadata: {name: vllm}
spec: {ports: [{port: 8000}]}
"""
    loaded = load_stream(text, frozenset({"Deployment", "Service"}))
    assert [(o.kind, o.line) for o in loaded.objects] == [("Deployment", 9), ("Service", 22)]
    assert loaded.kinds == 3 and loaded.errors == []
    assert len(parsed) == 3  # one per document: the ConfigMap syntax-checked, the others composed
    assert sum(map(len, parsed)) == len(text)  # each character parsed once


def test_a_broken_document_is_reported_and_the_rest_still_read() -> None:
    text = ("apiVersion: v1\nkind: Service\nmetadata: {name: a}\n---\n"
            "apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: b\nspec: {}\n---\n"
            "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\ndata: {x: [1, 2}\n---\n"
            "apiVersion: v1\nkind: Service\nmetadata: {name: d}\n")
    loaded = load_stream(text, frozenset({"Service", "Deployment"}))
    assert [o.data["metadata"]["name"] for o in loaded.objects] == ["a", "d"]
    assert [line for line, _ in loaded.errors] == [8, 13]  # where libyaml sees each break


def test_keys_and_short_text_are_shared_between_documents() -> None:
    """libyaml gives every occurrence of a key its own string; interned, a directory's documents share them, and
    pickle (cache entries, worker results) writes each once per file instead of once per occurrence."""
    import pickle

    doc = ("apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: %s, namespace: serving}\nspec:\n  template:\n"
           "    spec:\n      containers:\n        - {name: server, image: vllm/vllm-openai:v0.6.3,\n"
           "           resources: {limits: {nvidia.com/gpu: 1}}}\n")
    loaded = load_stream("---\n".join(doc % f"model-{i}" for i in range(20)), frozenset({"Deployment"}))
    first, second = loaded.objects[0].data, loaded.objects[1].data
    assert next(k for k in first if k == "metadata") is next(k for k in second if k == "metadata")
    assert first["metadata"]["namespace"] is second["metadata"]["namespace"]
    image = first["spec"]["template"]["spec"]["containers"][0]["image"]
    assert image is second["spec"]["template"]["spec"]["containers"][0]["image"]
    repeated = pickle.dumps(loaded.objects, protocol=pickle.HIGHEST_PROTOCOL)
    assert repeated.count(b"vllm/vllm-openai:v0.6.3") == 1 and repeated.count(b"nvidia.com/gpu") == 1


def test_a_scalar_is_typed_by_how_it_is_written_each_time_it_appears() -> None:
    """Plain scalars' tags are remembered by their text (keys and values repeat across thousands of documents);
    a quoted "1" or "true" met after a plain one, or before it, stays text, and a plain one stays a number."""
    stream = """\
apiVersion: apps/v1
kind: Deployment
metadata: {name: a, labels: {version: "1", canary: "true"}}
spec:
  replicas: 1
  paused: true
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: b, labels: {version: "1", canary: "true"}}
spec:
  replicas: 1
  paused: true
"""
    for text in (stream, stream.replace('"1"', "1", 1)):
        loaded = load_stream(text, frozenset({"Deployment"}))
        last = loaded.objects[-1].data
        assert last["spec"] == {"replicas": 1, "paused": True}
        assert last["metadata"]["labels"] == {"version": "1", "canary": "true"}
    loaded = load_stream(stream.replace('"1"', "1", 1), frozenset({"Deployment"}))
    assert loaded.objects[0].data["metadata"]["labels"]["version"] == 1
