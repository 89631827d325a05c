"""The parse cache (linter/cache.py), parallel reading (--jobs) and lazy imports: faster, never different.

Speed itself is measured by benchmarks/run.py, not here (timed tests flake on shared machines); these tests
assert what a user relies on: the same report with or without cache and jobs, and that a cached file is
really not parsed again.
"""

from __future__ import annotations

import io
import json
import multiprocessing
import os
import subprocess
import sys
from collections.abc import Callable, Iterable
from pathlib import Path
from typing import BinaryIO

import pytest

from conftest import ROOT, run_cli, scan_json, write
from linter import cache

MANIFEST = """\
# Source: llm/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3-vllm
  namespace: llm
  labels: {team: ml, cost-center: cc-7, environment: production}
spec:
  replicas: 2
  selector: {matchLabels: {app: llama3-vllm}}
  template:
    metadata:
      labels: {app: llama3-vllm, team: ml, cost-center: cc-7, environment: production}
    spec:
      nodeSelector: {node.kubernetes.io/instance-type: g5.12xlarge}
      containers:
        - name: vllm
          image: vllm/vllm-openai:v0.6.3
          args: ["--model", "meta-llama/Llama-3.1-8B-Instruct", "--max-model-len", "8192"]
          resources: {limits: {nvidia.com/gpu: 1}}
"""


@pytest.fixture
def cache_dir(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    where = tmp_path / "cache"
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(where))
    return where


def _entries(where: Path) -> list[Path]:
    return sorted(p for p in where.rglob("*") if p.is_file() and not p.name.startswith(".tmp-"))


def _refuse_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.sources.kubernetes.manifest_files as manifest_files

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed again")

    monkeypatch.setattr(manifest_files, "load_stream", refuse)


def test_an_unchanged_manifest_is_not_parsed_again(tmp_path: Path, cache_dir: Path,
                                                   monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"deploy.yaml": MANIFEST})
    first = scan_json(".", cwd=tmp_path)
    assert sorted(e.name.split("-")[0] for e in _entries(cache_dir)) == ["manifests", "rules"]
    with monkeypatch.context() as m:
        _refuse_parsing(m)
        warm = scan_json(".", cwd=tmp_path)
        assert warm.report == first.report  # the same report, from the cache
        write(tmp_path, {"deploy.yaml": MANIFEST.replace("replicas: 2", "replicas: 3")})
        changed = scan_json(".", cwd=tmp_path)  # new content: parsed again (and refused here)
        assert [e["message"] for e in changed.report["errors"]] == [
            "not read, internal error (AssertionError: parsed again); please report this with the file"]
    assert scan_json(".", cwd=tmp_path).report["resources"][0]["compute"]["count"] == 3


def test_one_entry_per_directory_and_only_the_edited_file_is_parsed(tmp_path: Path, cache_dir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    import linter.sources.kubernetes.manifest_files as manifest_files

    second = MANIFEST.replace("llama3-vllm", "mistral-vllm")
    write(tmp_path, {"llm/llama.yaml": MANIFEST, "llm/mistral.yaml": second, "batch/embed.yaml":
                     MANIFEST.replace("llama3-vllm", "embed").replace("namespace: llm", "namespace: batch")})
    first = scan_json(".", cwd=tmp_path).report
    assert sorted(e.name.split("-")[0] for e in _entries(cache_dir)) == ["manifests", "manifests", "rules"]

    parsed: list[int] = []
    real = manifest_files.load_stream

    def counting(text: str, wanted: frozenset[str]) -> object:
        parsed.append(text.count("\n"))
        return real(text, wanted)

    monkeypatch.setattr(manifest_files, "load_stream", counting)
    write(tmp_path, {"llm/mistral.yaml": second.replace("replicas: 2", "replicas: 5")})
    edited = scan_json(".", cwd=tmp_path).report
    assert len(parsed) == 1  # the edited file only; its neighbour and the other directory come from the cache
    counts = {r["address"]: r["compute"]["count"] for r in edited["resources"]}
    assert counts == {"Deployment/llm/llama3-vllm": 2, "Deployment/llm/mistral-vllm": 5, "Deployment/batch/embed": 2}
    assert scan_json("llm/llama.yaml", cwd=tmp_path).exit_code == 1  # named on the command line: another key
    assert len(parsed) == 2
    scan_json(".", cwd=tmp_path)  # that scan kept its neighbours' entries and the file's entry as a directory member
    assert len(parsed) == 2
    assert [f["file"] for f in first["findings"]] == [f["file"] for f in edited["findings"]]


def test_a_large_directory_is_read_in_shares_by_both_workers(tmp_path: Path, cache_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """A render of 80 manifests in one directory: split into stable shares, so two workers read it and an edit
    re-reads one file; the report is the serial one."""
    import linter.sources.kubernetes as k8s
    import linter.sources.kubernetes.manifest_files as manifest_files

    files = {f"rendered/{i:03d}-deployment.yaml": MANIFEST.replace("llama3-vllm", f"model-{i:03d}")
             for i in range(80)}
    write(tmp_path, files)
    assert len(k8s._batches(sorted(str(tmp_path / f) for f in files), set())) == k8s.SHARES
    parallel = scan_json(".", "-j", "2", cwd=tmp_path).report
    serial = scan_json(".", "-j", "1", "--no-cache", cwd=tmp_path).report
    assert parallel == serial and len(parallel["resources"]) == 80
    assert sorted(e.name.split("-")[0] for e in _entries(cache_dir)).count("manifests") == k8s.SHARES

    parsed: list[str] = []
    real = manifest_files.load_stream
    monkeypatch.setattr(manifest_files, "load_stream", lambda text, wanted: parsed.append(text) or real(text, wanted))
    write(tmp_path, {"rendered/042-deployment.yaml": files["rendered/042-deployment.yaml"].replace("replicas: 2",
                                                                                                    "replicas: 4")})
    edited = scan_json(".", cwd=tmp_path).report
    assert len(parsed) == 1 and "model-042" in parsed[0]
    assert {r["address"]: r["compute"]["count"] for r in edited["resources"]}["Deployment/llm/model-042"] == 4


def test_a_new_tool_version_or_code_change_is_a_miss(tmp_path: Path, cache_dir: Path,
                                                     monkeypatch: pytest.MonkeyPatch) -> None:
    write(tmp_path, {"deploy.yaml": MANIFEST})
    scan_json(".", cwd=tmp_path)
    monkeypatch.setattr(cache, "_STAMP", "another-version")
    _refuse_parsing(monkeypatch)
    run = scan_json(".", cwd=tmp_path)
    assert "parsed again" in run.report["errors"][0]["message"]


def test_corrupt_entries_are_misses_and_are_rewritten(tmp_path: Path, cache_dir: Path) -> None:
    write(tmp_path, {"deploy.yaml": MANIFEST})
    first = scan_json(".", cwd=tmp_path).report
    for entry in _entries(cache_dir):
        entry.write_bytes(b"finops-lint-cache-1\n\x80\x04truncated")
    assert scan_json(".", cwd=tmp_path).report == first
    assert all(e.read_bytes().startswith(cache.MAGIC) and len(e.read_bytes()) > 100 for e in _entries(cache_dir))


def test_no_cache_reads_and_writes_nothing(tmp_path: Path, cache_dir: Path) -> None:
    write(tmp_path, {"deploy.yaml": MANIFEST})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.exit_code == 1 and not cache_dir.exists()
    assert scan_json(".", cwd=tmp_path).report == run.report  # and the flag does not stick to the next run
    assert _entries(cache_dir)


def test_a_blob_file_is_renamed_into_the_cache_or_else_is_an_ordinary_temporary_file(
        cache_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """``blob_file`` makes a report's inventory file in the cache under a temporary name, so ``link_blob`` can
    rename it into place as a blob; a name no blob took goes with ``drop_blob_files`` (the open file still reads).
    Where the cache cannot hold it (here a file stands where its directory should be), it is an ordinary temporary
    file: nothing is renamed and the caller copies it."""
    fh = cache.blob_file()
    fh.write(b"    {\"address\": \"aws_instance.gpu\"}")
    assert cache.link_blob("replay-report-1", fh, len(cache.BLOB)) and not list(cache_dir.rglob(".tmp-*"))
    opened = cache.open_blob("replay-report-1")
    assert opened is not None and opened[1] == len(cache.BLOB)
    with opened[0] as blob:
        assert blob.read() == b"    {\"address\": \"aws_instance.gpu\"}"
    unused = cache.blob_file()
    assert list(cache_dir.rglob(".tmp-*"))
    cache.drop_blob_files()
    assert not list(cache_dir.rglob(".tmp-*"))
    unused.seek(0)
    assert unused.read() == cache.BLOB  # still readable through its descriptor
    in_the_way = tmp_path / "not-a-directory"
    in_the_way.write_text("")
    monkeypatch.setenv("FINOPS_LINT_CACHE_DIR", str(in_the_way))
    plain = cache.blob_file()
    plain.write(b"lines")
    assert not cache.link_blob("replay-report-2", plain, len(cache.BLOB))
    plain.seek(0)
    assert plain.read() == cache.BLOB + b"lines"
    for f in (fh, unused, plain):
        f.close()


def test_size_bound_drops_least_recently_used_first(cache_dir: Path) -> None:
    for i in range(6):
        entry = cache.key("test", str(i))
        cache.store(entry, "x" * 10_000)
        os.utime(cache._path(entry), (1_000_000 + i, 1_000_000 + i))
    assert len(_entries(cache_dir)) == 6
    removed = cache.prune(limit=35_000)
    left = {cache.load(cache.key("test", str(i))) is not None for i in range(3)}
    assert removed > 0 and len(_entries(cache_dir)) == 3 and left == {False}
    assert cache.load(cache.key("test", "5")) == "x" * 10_000


def test_deferred_entries_are_written_as_stored_when_flushed(cache_dir: Path) -> None:
    """A worker keeps its entries until it has answered its last task (cache.defer_writes): an entry holds the
    value as it was stored, and nothing is on disk until the flush; then writes are immediate again."""
    entry = cache.key("test", "deferred")
    value = {"resources": ["aws_instance.trainer"]}
    cache.defer_writes()
    try:
        cache.store(entry, value)
        value["resources"].append("changed after the store")
        assert not _entries(cache_dir) and cache.load(entry) is None
    finally:
        cache.flush_deferred()
    assert cache.load(entry) == {"resources": ["aws_instance.trainer"]}
    cache.store(cache.key("test", "now"), 1)
    assert cache.load(cache.key("test", "now")) == 1


def test_a_parallel_scan_leaves_every_entry_for_the_next_run(tmp_path: Path, cache_dir: Path,
                                                             monkeypatch: pytest.MonkeyPatch) -> None:
    """Workers write their entries after their last answer; the scan waits for them before it returns, so the
    next run (in-process scans are not replayed) reads no Terraform root and no manifest again."""
    import time

    import linter.sources.kubernetes.manifest_files as manifest_files
    import linter.terraform_roots as roots

    src = ROOT / "iac_examples"
    flush = cache.flush_deferred
    monkeypatch.setattr(cache, "flush_deferred", lambda: time.sleep(0.3) or flush())  # a slow disk, say
    first = run_cli("scan", str(src), "--format", "json", "--jobs", "2", "--fail-on", "none", cwd=tmp_path)
    reads: list[str] = []
    monkeypatch.setattr(roots, "_read_root", lambda loader, d, *a: reads.append(d) or pytest.fail(d))
    real = manifest_files._read_manifest_text
    monkeypatch.setattr(manifest_files, "_read_manifest_text", lambda path, *a: reads.append(path) or real(path, *a))
    again = run_cli("scan", str(src), "--format", "json", "--jobs", "1", "--fail-on", "none", cwd=tmp_path)
    assert json.loads(again.stdout)["findings"] == json.loads(first.stdout)["findings"]
    assert reads == []


def test_a_scan_keeps_the_cache_within_its_bound(tmp_path: Path, cache_dir: Path,
                                                monkeypatch: pytest.MonkeyPatch) -> None:
    """Past the size bound (FINOPS_LINT_CACHE_MAX_MB) a scan now and then drops the least recently used entries
    (here every time): the cache was never pruned by a scan before."""
    monkeypatch.setattr(cache, "_PRUNE_BELOW", 256)
    monkeypatch.setattr(cache, "MAX_BYTES", 1)
    old = cache.key("test", "old")
    cache.store(old, "x" * 50_000)
    os.utime(cache._path(old), (1_000_000, 1_000_000))
    write(tmp_path, {"deploy.yaml": MANIFEST})
    scan_json(".", cwd=tmp_path)
    assert cache.load(old) is None
    monkeypatch.setattr(cache, "_PRUNE_BELOW", 0)
    scan_json(".", "--fail-on", "none", cwd=tmp_path)
    assert _entries(cache_dir)  # not pruned this time: the run's own entries stay


def _store_many(where: str, n: int) -> None:
    os.environ["FINOPS_LINT_CACHE_DIR"] = where
    for _ in range(n):
        cache.store(cache.key("race", "same"), {"value": list(range(2000))})


def test_concurrent_writers_leave_a_valid_entry(cache_dir: Path) -> None:
    context = multiprocessing.get_context("fork")
    workers = [context.Process(target=_store_many, args=(str(cache_dir), 40)) for _ in range(4)]
    for w in workers:
        w.start()
    for w in workers:
        w.join(60)
    assert all(w.exitcode == 0 for w in workers)
    assert cache.load(cache.key("race", "same")) == {"value": list(range(2000))}
    assert [p.name for p in cache_dir.rglob(".tmp-*")] == []


# -- --jobs: parallel reading gives the same report ---------------------------------------------------------------

@pytest.fixture(scope="module")
def corpus(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The benchmark's generator: ~12 root modules with local modules, tfvars and count/for_each, and Helm-style
    manifests (240 .tf files: above the size where --jobs goes parallel by default)."""
    out = tmp_path_factory.mktemp("corpus")
    subprocess.run([sys.executable, str(ROOT / "benchmarks" / "generate_corpus.py"), str(out), "--tf-files", "240",
                    "--k8s-files", "240", "--quiet"], check=True, capture_output=True, timeout=300)
    return out


def test_jobs_and_cache_change_nothing_in_the_report(corpus: Path, cache_dir: Path) -> None:
    def report(*flags: str) -> str:
        run = run_cli("scan", "terraform", "kubernetes", "--format", "json", *flags, cwd=corpus)
        assert run.exit_code == 1, run.stderr[-2000:]
        return run.stdout

    serial = report("--jobs", "1", "--no-cache")
    parallel = report("--jobs", "2")  # cold cache
    warm = report("--jobs", "2")  # warm cache
    assert json.loads(serial)["summary"]["findings"] > 100
    assert parallel == serial and warm == serial
    assert report() == serial  # the default (one process per CPU at this size)


def test_a_large_inventory_rendered_by_a_child_gives_the_same_report(corpus: Path, cache_dir: Path,
                                                                    monkeypatch: pytest.MonkeyPatch) -> None:
    """The JSON inventory of a large scan is rendered by a forked child while the rules run; the report is the
    one rendered in-process, and a child that fails or renders another list leaves it to the scan itself."""
    import linter.report.background as background
    import linter.report.json_report as json_report

    used: list[bool] = []
    real_file = background.ResourceLines.file
    rendered: list[int] = []  # lists json_report rendered as lines (the findings first)
    real_lines = json_report._lines

    def spy(self: background.ResourceLines, resources: list[object]) -> object:
        assert rendered, "the findings are rendered before the scan waits for the child's inventory"
        got = real_file(self, resources)
        used.append(got is not None)
        return got

    def lines(items: Iterable[object]) -> str:
        items = list(items)
        rendered.append(len(items))
        return real_lines(items)

    monkeypatch.setattr(json_report, "_lines", lines)

    def report(*flags: str) -> str:
        rendered.clear()
        run = run_cli("scan", "terraform", "kubernetes", "--format", "json", "--no-cache", *flags, cwd=corpus)
        assert run.exit_code == 1, run.stderr[-2000:]
        return run.stdout

    monkeypatch.setattr(background.ResourceLines, "file", spy)
    monkeypatch.setattr(background, "MIN_RESOURCES", 200)
    serial = report("--jobs", "1")  # no processes at all: rendered here
    assert used == []
    assert report() == serial and used == [True]
    assert len(json.loads(serial)["resources"]) > background.MIN_RESOURCES

    real_render = background._render
    monkeypatch.setattr(background, "_render", lambda resources, out: 1 / 0)  # the child fails
    assert report() == serial and used[-1] is False

    def other_order(resources: list[object], out: object) -> tuple[list[int], int]:
        order, size = real_render(resources, out)
        return order[::-1], size  # the child wrote another order than the report's

    monkeypatch.setattr(background, "_render", other_order)
    assert report() == serial and used[-1] is False and len(used) == 3


def test_ignore_comments_read_in_workers_still_apply(tmp_path: Path) -> None:
    roots = {}
    for i in range(3):
        ignore = "  # finops-lint:ignore FIN-GPU-001 reserved capacity block\n" if i == 1 else ""
        roots[f"env{i}/main.tf"] = ('provider "aws" {\n  region = "us-east-1"\n}\n\n' + ignore +
                                    f'resource "aws_instance" "trainer{i}" {{\n  instance_type = "p4d.24xlarge"\n'
                                    '  tags = { workload = "training", team = "ml", "cost-center" = "c", '
                                    'environment = "prod" }\n}\n')
    write(tmp_path, roots)
    serial = scan_json(".", "--jobs", "1", cwd=tmp_path).report
    parallel = scan_json(".", "--jobs", "3", cwd=tmp_path).report
    assert parallel == serial
    assert {f["resource"] for f in parallel["findings"] if f["rule_id"] == "FIN-GPU-001"} == \
        {"aws_instance.trainer0", "aws_instance.trainer2"}
    assert parallel["summary"]["suppressed"] == 1


SHARED_POOL_MODULE = """\
variable "name" { type = string }
variable "instance_type" { type = string }
variable "desired" {
  type    = number
  default = 1
}

module "eks_managed_node_group" {
  source  = "terraform-aws-modules/eks/aws//modules/eks-managed-node-group"
  version = "~> 20.0"
  name    = var.name
}

resource "aws_autoscaling_group" "pool" {
  name             = var.name
  min_size         = 0
  max_size         = var.desired * 2
  desired_capacity = var.desired
  launch_template {
    id = "lt-0a1b2c"
  }
  mixed_instances_policy {
    instances_distribution { on_demand_percentage_above_base_capacity = 100 }
  }
  tag {
    key                 = "team"
    value               = "ml-platform"
    propagate_at_launch = true
  }
}
"""


def _live_root(env: str, own_remote: bool) -> str:
    """A root module of a live/<env> monorepo layout: two calls to the shared pool module, and (some envs) a
    registry module of its own that is not installed."""
    own = (f'module "vpc" {{\n  source  = "terraform-aws-modules/vpc/aws"\n  version = "5.8.1"\n'
           f'  name    = "{env}-vpc"\n}}\n\n') if own_remote else ""
    return (f'provider "aws" {{\n  region = "us-east-1"\n  default_tags {{\n    tags = {{ environment = "{env}" }}\n'
            f'  }}\n}}\n\n{own}module "training_pool" {{\n  source        = "../../modules/gpu-pool"\n'
            f'  name          = "{env}-training"\n  instance_type = "p4d.24xlarge"\n}}\n\n'
            f'module "serving_pool" {{\n  source        = "../../modules/gpu-pool"\n  name          = "{env}-serving"\n'
            f'  instance_type = "g5.2xlarge"\n  desired       = 2\n}}\n')


def test_roots_sharing_a_module_report_its_notes_once_and_in_serial_order(tmp_path: Path, cache_dir: Path) -> None:
    """Eight roots call one module outside them, which has a syntax error and calls a registry module that is not
    installed: the error is said once, and the report (skip notes in order included) is the serial one, whichever
    worker loaded which root and which of them parsed the shared module first."""
    files: dict[str, str] = {"modules/gpu-pool/main.tf": SHARED_POOL_MODULE,
                             "modules/gpu-pool/broken.tf": 'locals {\n  oops = [1, 2\n}\n',
                             # a generated file over the size limit: a notice of the module, not of any one root
                             "modules/gpu-pool/zones_generated.tf": "locals {\n  zones = {\n" + "".join(
                                 f'    z{i:04d} = "us-east-1{"abcdef"[i % 6]}"\n' for i in range(400)) + "  }\n}\n"}
    for i, env in enumerate(["dev", "qa", "staging", "perf", "prod-use1", "prod-euw1", "prod-apse1", "dr"]):
        files[f"live/{env}/main.tf"] = _live_root(env, own_remote=i % 3 == 1)
    write(tmp_path, files)
    serial = scan_json("live", "-j", "1", "--no-cache", "--max-file-size", "8KiB", cwd=tmp_path).report
    parallel = scan_json("live", "-j", "2", "--max-file-size", "8KiB", cwd=tmp_path).report
    assert parallel == serial
    large = [i for i, s in enumerate(serial["skipped"]) if s["file"] == "modules/gpu-pool/zones_generated.tf"]
    assert len(large) == 1 and "too large" in serial["skipped"][large[0]]["reason"]
    shared = [s for s in serial["skipped"] if "eks-managed-node-group" in s["reason"]]
    assert {(s["file"], s["line"]) for s in shared} == {("modules/gpu-pool/main.tf", 8)}
    assert len(shared) == 16  # per calling instance: each names the root to run `terraform init` in
    assert sorted(s["file"] for s in serial["skipped"] if "terraform-aws-modules/vpc/aws" in s["reason"]) == \
        ["live/dr/main.tf", "live/prod-use1/main.tf", "live/qa/main.tf"]
    assert [(e["file"], e["line"]) for e in serial["errors"]] == [("modules/gpu-pool/broken.tf", 2)]
    assert len([r for r in serial["resources"] if r["type"] == "aws_autoscaling_group"]) == 16

# -- start-up: a one-file scan imports only what it needs ------------------------------------------------------

HEAVY = ("pydantic", "jinja2", "yaml", "jsonschema", "linter.cli_plan", "linter.cli_comment", "linter.cli_hook",
         "linter.cli_report", "linter.integrations", "linter.sources.pulumi", "linter.sources.terraform_plan",
         "linter.report.sarif", "linter.report.junit", "linter.report.markdown", "linter.rules.llm_impacts",
         "linter.pricing.tokens", "linter.workers", "linter.pool", "concurrent.futures.process")


def test_a_one_file_scan_imports_only_what_it_needs(tmp_path: Path) -> None:
    module = ROOT / "iac_examples" / "terraform" / "aws" / "training_cluster" / "violating"
    probe = ("import sys\nsys.argv = ['finops-lint', 'scan', sys.argv[1], '-o', sys.argv[2]]\n"
             "from linter.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('\\n'.join(sorted(sys.modules)))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT), "FINOPS_LINT_CACHE_DIR": str(tmp_path / "cache")}
    command = [sys.executable, "-c", probe, str(module / "main.tf"), str(tmp_path / "report.txt")]
    subprocess.run(command, env=env, capture_output=True, text=True, check=True)  # warms the rules cache
    command[-1] = str(tmp_path / "other.txt")  # another command: not a replay, a scan with warm caches
    loaded = set(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.split())
    assert "linter.sources.terraform.module" in loaded and (tmp_path / "other.txt").read_text()
    assert sorted(m for m in loaded for heavy in HEAVY if m == heavy or m.startswith(heavy + ".")) == []
    replayed = set(subprocess.run(command, env=env, capture_output=True, text=True, check=True).stdout.split())
    assert "linter.replay" in replayed and "linter.engine" not in replayed  # nothing changed: no scan at all


def test_worker_side_manifest_reading_does_not_import_the_builder() -> None:
    """Workers read manifest files with manifest_files and the YAML reader only; the builder's imports (pods,
    nodes, node pools, LLM servers: about 17 ms) are the parent's, made after the workers are forked."""
    probe = ("import json, sys\nimport linter.sources.kubernetes.manifest_files, linter.engine\n"
             "print(json.dumps(sorted(m for m in sys.modules if m.startswith('linter.sources.kubernetes.'))))")
    run = subprocess.run([sys.executable, "-c", probe], env={**os.environ, "PYTHONPATH": str(ROOT)},
                         capture_output=True, text=True, check=True)
    loaded = json.loads(run.stdout)
    assert "linter.sources.kubernetes.manifest_files" in loaded
    assert not [m for m in loaded if m.rsplit(".", 1)[1] in ("build", "pods", "nodes", "nodepools", "llm")]


def test_the_kustomize_renderer_is_imported_only_for_a_kustomization(tmp_path: Path) -> None:
    """Manifests without a kustomization file do not load the renderer (its patch, name, image and selector
    modules cost a large scan's serial end about 6 ms); an overlay still renders."""
    probe = ("import sys\nsys.argv = ['finops-lint', 'scan', sys.argv[1], '--format', 'json', '-o', sys.argv[2], "
             "'--no-cache']\nfrom linter.cli import main\ntry:\n    main()\nexcept SystemExit:\n    pass\n"
             "print('\\n'.join(sorted(sys.modules)))\n")
    env = {**os.environ, "PYTHONPATH": str(ROOT)}

    def modules(path: Path) -> tuple[set[str], dict[str, object]]:
        out = tmp_path / "report.json"
        run = subprocess.run([sys.executable, "-c", probe, str(path), str(out)], env=env, capture_output=True,
                             text=True, check=True)
        return set(run.stdout.split()), json.loads(out.read_text())

    plain, report = modules(ROOT / "iac_examples" / "kubernetes" / "vllm_inference")
    assert report["resources"] and not [m for m in plain if m.startswith("linter.sources.kubernetes.kustom")]
    overlay, report = modules(ROOT / "tests" / "fixtures" / "precision_kustomize" / "vllm" / "overlays" / "prod")
    assert "linter.sources.kubernetes.kustomize" in overlay
    assert any("rendered by" in " ".join(r.get("price_notes", [])) for r in report["resources"])


@pytest.mark.replay
def test_a_large_json_report_is_written_and_replayed_from_files(corpus: Path, cache_dir: Path,
                                                                 monkeypatch: pytest.MonkeyPatch) -> None:
    """A large JSON report's inventory stays in the file the child rendered it into: the scan writes it out from
    there and the replay entry keeps it as a blob of its own (a scan of 20,000 files: peak 1.28 GB -> 0.64 GB,
    its replay 785 MB -> 36 MB), that very file renamed into the cache, not copied (10 MB: ~4 ms of a cold
    scan's serial end), or copied where it cannot be. The bytes are those of the report rendered in one piece, on
    stdout and with -o; a blob evicted on its own makes the next run scan again."""
    import linter.cache as cache
    import linter.engine
    import linter.report.background as background
    from linter.cache import BLOB

    monkeypatch.setattr(background, "MIN_RESOURCES", 200)
    whole = run_cli("scan", "terraform", "kubernetes", "--format", "json", "--no-cache", "--jobs", "1",
                    cwd=corpus).stdout  # rendered here, in one piece
    scans: list[object] = []
    real_scan = linter.engine.scan
    monkeypatch.setattr(linter.engine, "scan", lambda *a, **k: scans.append(a) or real_scan(*a, **k))

    def report(*flags: str) -> str:
        run = run_cli("scan", "terraform", "kubernetes", "--format", "json", *flags, cwd=corpus)
        assert run.exit_code == 1, run.stderr[-2000:]
        return run.stdout

    def no_copy(entry: str, write: Callable[[BinaryIO], None]) -> bool:  # the findings' text is written, but
        copied = io.BytesIO()  # the inventory is renamed into place, not copied
        write(copied)
        assert b'"findings": [' in copied.getvalue(), "the inventory was copied"
        return real_store_blob(entry, write)

    real_store_blob = cache.store_blob
    monkeypatch.setattr(cache, "store_blob", no_copy)
    assert report() == whole and len(scans) == 1
    blobs = sorted((p.read_bytes()[len(BLOB):].decode("ascii") for p in _entries(cache_dir)
                    if p.read_bytes().startswith(BLOB)), key=len)  # the findings' text, then the inventory
    assert len(blobs) == 2 and whole.startswith(blobs[0]) and '"findings": [' in blobs[0]
    assert blobs[1].count("\n") > 200 and f'"resources": [\n{blobs[1]}\n  ]' in whole
    assert report() == whole and len(scans) == 1  # replayed from the blob
    out = corpus / "report.json"
    assert report("-o", str(out)) == "" and out.read_text() == whole and len(scans) == 2
    assert report("-o", str(out)) == "" and out.read_text() == whole and len(scans) == 2  # replayed to the file
    for blob in _entries(cache_dir):
        if blob.read_bytes().startswith(BLOB):
            blob.unlink()
    assert report() == whole and len(scans) == 3  # its blob gone: scanned again, not replayed
    monkeypatch.setattr(cache, "store_blob", real_store_blob)  # where the file cannot be renamed, it is copied
    monkeypatch.setattr(cache, "link_blob", lambda entry, fh, start: False)
    assert report("--jobs", "2") == whole and len(scans) == 4  # another command: scanned
    assert report("--jobs", "2") == whole and len(scans) == 4  # replayed from the copy
    run_cli("scan", "terraform", "kubernetes", "--format", "json", "--write-baseline", "baseline.json", cwd=corpus)
    assert not list(cache_dir.rglob(".tmp-*"))  # no inventory file left under a temporary name (not replayed)


def test_report_pieces_are_the_same_bytes_on_any_output(tmp_path: Path) -> None:
    """``Pieces`` copies its file by sendfile onto a file or a pipe, and in chunks onto a buffer without a
    descriptor; each gets the same bytes, from the file's offset on."""
    import threading

    from linter.report.pieces import Pieces

    inventory = tmp_path / "lines"
    inventory.write_bytes(b"HEADER" + b"".join(b'    {"address": "r%d"},\n' % i for i in range(50_000)))
    expected = b"{\n" + inventory.read_bytes()[6:] + b"\n}"
    with inventory.open("rb") as source:
        pieces = Pieces(["{\n", (source, 6), "\n}"])
        buffer = io.BytesIO()
        pieces.write(buffer)
        assert buffer.getvalue() == expected and pieces.text() == expected.decode("ascii")
        with (tmp_path / "out").open("wb") as out:
            pieces.write(out)
        assert (tmp_path / "out").read_bytes() == expected
        read, write = os.pipe()
        got: list[bytes] = []
        reader = threading.Thread(target=lambda: got.append(b"".join(iter(lambda: os.read(read, 1 << 16), b""))))
        reader.start()
        with os.fdopen(write, "wb") as pipe:
            pieces.write(pipe)
        reader.join(timeout=60)
        os.close(read)
        assert got == [expected]
