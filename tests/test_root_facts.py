"""Terraform resources get their own facts (tags, workload class, price) in the parent as each root's result
arrives from a worker (``engine.RootFacts``): the scan's resources and report are what applying every fact after
reading gives, serially, in workers, and when a worker dies and the roots are read again."""

from __future__ import annotations

import dataclasses
import os
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, scan_json, write
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


@pytest.mark.parametrize("jobs", [1, 2])
def test_workloads_prepared_while_reading_are_built_as_before(jobs: int, monkeypatch: pytest.MonkeyPatch) -> None:
    """Each workload's own parts (pods, images, labels, LLM server, mounted ConfigMaps) are computed as its
    manifest directory arrives, used once by the build, and give the resources a build from scratch gives."""
    from linter.sources.kubernetes import build

    monkeypatch.setenv("FINOPS_LINT_NO_CACHE", "1")
    paths = [str(EXAMPLES / "kubernetes"), str(EXAMPLES / "llm"), str(EXAMPLES / "terraform")]
    used: list[bool] = []
    take = build.PreparedWorkloads.take

    def counting_take(self: Any, s: Any) -> Any:
        used.append(any(obj is s.obj for obj, _ in self._parts.values()))
        return take(self, s)

    monkeypatch.setattr(build.PreparedWorkloads, "take", counting_take)
    got, _ = _early(paths, jobs)
    assert len(used) > 10 and all(used)  # every workload's parts were ready
    monkeypatch.setattr(build.PreparedWorkloads, "give", lambda self, reads: None)  # nothing prepared: built here
    assert _early(paths, jobs)[0] == got
    assert _reference(paths, jobs) == got


SERVING_AND_TRAINING = """\
---
# Source: llm-serving/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3-8b
  namespace: llm
  labels: {team: ml-platform, cost-center: cc-1200, environment: prod}
spec:
  replicas: 2
  selector:
    matchLabels: {app: llama3-8b}
  template:
    metadata:
      labels: {app: llama3-8b}
    spec:
      nodeSelector: {node.kubernetes.io/instance-type: g5.2xlarge}
      containers:
        - name: server
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Meta-Llama-3-8B-Instruct", "--max-model-len", "8192"]
          resources:
            limits: {nvidia.com/gpu: 1}
---
apiVersion: batch/v1
kind: Job
metadata:
  name: llama3-finetune-lora
  namespace: training
  labels: {team: ml-platform, cost-center: cc-1200, environment: dev}
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {node.kubernetes.io/instance-type: p4d.24xlarge}
      containers:
        - name: trainer
          image: registry.example.com/ml/trainer:2.3
          resources:
            limits: {nvidia.com/gpu: 8}
"""


@pytest.mark.parametrize("jobs", ["1", "2"])
def test_a_workload_is_classed_by_the_server_it_runs_or_its_job_name(jobs: str, tmp_path: Path) -> None:
    """With no workload label, the image says a Deployment serves (vLLM), and a Job's name says it fine-tunes;
    the parts a class is read from are prepared while the file is read."""
    write(tmp_path, {"k8s/serving.yaml": SERVING_AND_TRAINING, "k8s/more/other.yaml": SERVING_AND_TRAINING.replace(
        "llama3-8b", "qwen-7b").replace("llama3-finetune-lora", "qwen-finetune-lora")})
    run = scan_json("k8s", "--no-cache", "-j", jobs, cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    assert res["Deployment/llm/llama3-8b"]["workload"] == {"kind": "inference",
                                                          "evidence": ["runs vLLM (vllm/vllm-openai:v0.6.3)"]}
    assert res["Deployment/llm/llama3-8b"]["llm"]["server"] == "vllm"
    assert res["Job/training/qwen-finetune-lora"]["workload"] == {
        "kind": "fine-tuning", "evidence": ["Job named 'qwen-finetune-lora'"]}
