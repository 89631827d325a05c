"""Hostile and broken input, each case beside a realistic violating file: the bad file gets one line naming file,
line and cause (or a notice when it is skipped on purpose), and the good file's finding and figure still appear.

Cases of issue 14 part 4 not here live in tests/test_bad_input.py (broken HCL, binary .tf, Latin-1 .tf, symlink
loop, comment-only .tf, bad tfvars), tests/test_plan.py (malformed and non-plan JSON) and
tests/test_pulumi_reader.py (Pulumi YAML and Python syntax errors).
"""

from __future__ import annotations

import builtins
import os
import sys
from pathlib import Path

import pytest

from conftest import scan_json, write
from linter.pricing.catalog import Catalog

GOOD_TF = '''provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "trainer" {
  instance_type = "p4d.24xlarge"
  tags = { workload = "training", team = "ml", "cost-center" = "cc1", environment = "prod" }
}
'''

GOOD_YAML = """\
# Source: llm/templates/deployment.yaml
apiVersion: apps/v1
kind: Deployment
metadata:
  name: llama3-vllm
  namespace: llm
  labels: {team: ml, cost-center: cc-7, environment: production}
spec:
  replicas: 1
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


def _good_tf_reported(run, file: str = "good.tf", line: int = 5) -> None:
    """The p4d trainer beside the bad file is still found and priced: 730 h x the catalog's us-east-1 price."""
    f = run.finding("FIN-GPU-001", "aws_instance.trainer")
    assert (f["file"], f["line"]) == (file, line)
    price = Catalog().hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    assert f["monthly_cost_usd"] == pytest.approx(round(price * 730, 2), abs=0.01)


def _good_yaml_reported(run, file: str = "good.yaml") -> None:
    f = run.finding("FIN-GPU-004", "Deployment/llm/llama3-vllm")  # 1 of the g5.12xlarge node's 4 GPUs
    assert f["file"] == file and f["line"] == 2


# -- malformed YAML and JSON --------------------------------------------------------------------------------

def test_malformed_manifest_is_one_error_and_the_other_files_are_scanned(tmp_path: Path) -> None:
    bad = GOOD_YAML.replace("  replicas: 1\n", "  replicas: 1\n   selector: [\n", 1).replace("llama3-vllm", "broken")
    write(tmp_path, {"good.tf": GOOD_TF, "good.yaml": GOOD_YAML, "bad.yaml": bad})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == "bad.yaml" and err["line"] == 10 and err["message"].startswith("invalid YAML:")
    assert f"finops-lint: error: bad.yaml:10: {err['message']}" in run.stderr
    _good_tf_reported(run)
    _good_yaml_reported(run)


def test_malformed_tf_json_names_its_line(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD_TF,
                     "gpu.tf.json": '{\n  "resource": {\n    "aws_instance": {\n      "extra": {\n'
                                    '        "instance_type": "g5.xlarge",\n      }\n    }\n  }\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert (err["file"], err["line"]) == ("gpu.tf.json", 6) and err["message"].startswith("invalid JSON:")
    _good_tf_reported(run)


def test_malformed_config_is_a_usage_error_naming_file_and_line(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, ".finops-lint.yaml": "fail_on: high\nrequired_tags: [team\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith("finops-lint: error: .finops-lint.yaml:3: invalid YAML:")


# -- alias bombs and deep nesting: bounded, a clear error -----------------------------------------------------

BOMB = """\
apiVersion: apps/v1
kind: Deployment
metadata:
  name: lol
  namespace: llm
  annotations:
    a: &a ["lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol", "lol"]
    b: &b [*a, *a, *a, *a, *a, *a, *a, *a, *a]
    c: &c [*b, *b, *b, *b, *b, *b, *b, *b, *b]
    d: &d [*c, *c, *c, *c, *c, *c, *c, *c, *c]
    e: &e [*d, *d, *d, *d, *d, *d, *d, *d, *d]
    f: &f [*e, *e, *e, *e, *e, *e, *e, *e, *e]
    g: &g [*f, *f, *f, *f, *f, *f, *f, *f, *f]
    h: &h [*g, *g, *g, *g, *g, *g, *g, *g, *g]
    i: &i [*h, *h, *h, *h, *h, *h, *h, *h, *h]
spec:
  template:
    spec:
      containers:
        - name: x
          image: vllm/vllm-openai:v0.6.3
          args: *i
          env: *i
"""


def test_yaml_alias_bomb_is_refused_without_expanding_it(tmp_path: Path) -> None:
    """9^9 = 387 million strings once expanded; counted through the shared nodes instead, and refused."""
    write(tmp_path, {"good.yaml": GOOD_YAML, "bomb.yaml": BOMB})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert (err["file"], err["line"]) == ("bomb.yaml", 1)
    assert err["message"] == ("invalid YAML: aliases expand to more than 1,000,000 nodes (a 'billion laughs' "
                              "document); Deployment not read")
    _good_yaml_reported(run)


def test_anchors_and_merge_keys_of_ordinary_manifests_still_read(tmp_path: Path) -> None:
    text = GOOD_YAML.replace("      containers:\n", "      tolerations: &tol [{key: nvidia.com/gpu, operator: Exists}]\n"
                             "      containers:\n")
    write(tmp_path, {"good.yaml": text})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    _good_yaml_reported(run)


@pytest.mark.parametrize("name, text, message", [
    ("deep.yaml", "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: deep}\ndata:\n  x: " + "[" * 100_000
     + "]" * 100_000 + "\n", "invalid YAML: exceeded maximum nesting depth"),
    ("deep.tf.json", '{"locals": {"x": ' + "[" * 100_000 + "]" * 100_000 + "}}",
     "invalid JSON: nested too deeply to read (more levels than Python's recursion limit); not scanned"),
])
def test_deeply_nested_documents_are_a_clear_error(tmp_path: Path, name: str, text: str, message: str) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, name: text})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == name and err["message"].startswith(message)
    assert "internal error" not in err["message"]
    _good_tf_reported(run)


def test_deeply_nested_plan_json_is_a_clear_error(tmp_path: Path) -> None:
    from conftest import run_cli

    write(tmp_path, {"plan.json": '{"format_version": "1.2", "x": ' + "[" * 100_000 + "]" * 100_000 + "}"})
    run = run_cli("plan", "plan.json", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.strip() == ("finops-lint: error: plan.json:1: invalid JSON: nested too deeply to read (more "
                                  "levels than Python's recursion limit); not scanned")


# -- size limit ----------------------------------------------------------------------------------------------

def test_size_limit_skips_with_a_notice_from_the_flag_or_the_config(tmp_path: Path) -> None:
    padding = "# generated: keep the module's inputs in one place\n" * 60  # 3 KiB
    write(tmp_path, {"good.tf": GOOD_TF, "big.tf": padding + 'resource "aws_instance" "big" {}\n',
                     "big.yaml": padding + GOOD_YAML})
    run = scan_json(".", "--max-file-size", "2KiB", cwd=tmp_path)
    assert run.exit_code == 1 and run.report["errors"] == []
    notices = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert notices["big.tf"] == ("file is too large (3 KiB > 2 KiB limit, --max-file-size or max_file_size); "
                                 "not scanned")
    assert notices["big.yaml"].startswith("file is too large (") and notices["big.yaml"].endswith("not scanned")
    assert not [r for r in run.report["resources"] if r["address"] == "aws_instance.big"]
    _good_tf_reported(run)
    write(tmp_path, {".finops-lint.yaml": "max_file_size: 2KiB\n"})
    assert {s["file"] for s in scan_json(".", cwd=tmp_path).report["skipped"]} == {"big.tf", "big.yaml"}
    write(tmp_path, {".finops-lint.yaml": "max_file_size: 1MiB\n"})
    assert scan_json(".", cwd=tmp_path).report["skipped"] == []


@pytest.mark.parametrize("args, config, message", [
    (["--max-file-size", "lots"], None, "--max-file-size: 'lots' is not a size such as 8MiB, 512KiB or 1048576"),
    ([], "max_file_size: -3\n", "key 'max_file_size': must be a positive size"),
])
def test_a_bad_size_is_a_usage_error(tmp_path: Path, args: list[str], config: str | None, message: str) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, **({".finops-lint.yaml": config} if config else {})})
    run = scan_json(".", *args, cwd=tmp_path)
    assert run.exit_code == 2 and message in run.stderr


# -- binary files, encodings, line endings -------------------------------------------------------------------

@pytest.mark.parametrize("name", ["blob.yaml", "terraform.tfvars", "blob.tf.json"])
def test_binary_files_with_iac_extensions(tmp_path: Path, name: str) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, name: b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR\x00\x00\x01\x00"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]  # the first NUL byte is on the third line of a PNG header
    assert (err["file"], err["line"], err["message"]) == (name, 3, "binary file (NUL byte); not scanned")
    _good_tf_reported(run)


@pytest.mark.parametrize("name, data, message", [
    ("latin1.yaml", GOOD_YAML.replace("production", "producci\xf3n").encode("latin-1"),
     "not valid UTF-8 (byte 0xf3 at offset"),
    ("utf16.tf", GOOD_TF.replace("trainer", "other").encode("utf-16"), "binary file (NUL byte); not scanned"),
])
def test_non_utf8_text_is_one_error(tmp_path: Path, name: str, data: bytes, message: str) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, name: data})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    (err,) = run.report["errors"]
    assert err["file"] == name and message in err["message"]
    _good_tf_reported(run)


def test_windows_line_endings_keep_findings_and_lines(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD_TF.replace("\n", "\r\n").encode(),
                     "good.yaml": GOOD_YAML.replace("\n", "\r\n").encode()})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    _good_tf_reported(run)
    _good_yaml_reported(run)


def test_empty_files_and_directories(tmp_path: Path) -> None:
    write(tmp_path, {"good.tf": GOOD_TF, "empty.yaml": "", "only-comments.yaml": "# nothing rendered\n---\n",
                     "modules/empty.tf": ""})
    (tmp_path / "charts" / "empty").mkdir(parents=True)
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 1 and run.report["errors"] == []
    _good_tf_reported(run)
    assert scan_json("charts", cwd=tmp_path).exit_code == 0


# -- symlinks and permissions ---------------------------------------------------------------------------------

def test_links_outside_the_scanned_tree_are_not_followed(tmp_path: Path) -> None:
    repo, elsewhere = tmp_path / "repo", tmp_path / "elsewhere"
    write(repo, {"infra/good.tf": GOOD_TF, "shared/versions.tf": 'terraform {\n  required_version = ">= 1.5"\n}\n'})
    write(elsewhere, {"secrets/main.tf": GOOD_TF.replace("trainer", "outside"), "extra.tf": GOOD_TF})
    (repo / ".git").mkdir()
    os.symlink(elsewhere / "secrets", repo / "infra" / "secrets")
    os.symlink(elsewhere / "extra.tf", repo / "infra" / "extra.tf")
    os.symlink(repo / "shared" / "versions.tf", repo / "infra" / "versions.tf")  # inside the repository: read
    run = scan_json("infra", cwd=repo)
    assert run.exit_code == 1 and run.report["errors"] == []
    notices = {s["file"]: s["reason"] for s in run.report["skipped"]}
    real = os.path.realpath(elsewhere)
    assert notices == {
        "infra/secrets": f"symlink to {real}/secrets, outside the scanned tree; not followed "
                         "(--follow-external-links reads it)",
        "infra/extra.tf": f"symlink to {real}/extra.tf, outside the scanned tree; not followed "
                          "(--follow-external-links reads it)"}
    assert {f["resource"] for f in run.findings("FIN-GPU-001")} == {"aws_instance.trainer"}
    followed = scan_json("infra", "--follow-external-links", cwd=repo)
    assert {f["resource"] for f in followed.findings("FIN-GPU-001")} == {"aws_instance.trainer",
                                                                         "aws_instance.outside"}


def test_unreadable_file_and_directory(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Tests may run as root, where chmod 000 does not stop a read: the OS refusal is simulated."""
    write(tmp_path, {"good.tf": GOOD_TF, "locked.yaml": GOOD_YAML, "vault/x.yaml": GOOD_YAML})
    locked, vault = str(tmp_path / "locked.yaml"), str(tmp_path / "vault")
    real_open, real_os_open, real_scandir = builtins.open, os.open, os.scandir

    def guarded_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == locked:
            raise PermissionError(13, "Permission denied", file)
        return real_open(file, *args, **kwargs)

    def guarded_os_open(file, *args, **kwargs):  # type: ignore[no-untyped-def]
        if str(file) == locked:
            raise PermissionError(13, "Permission denied", file)
        return real_os_open(file, *args, **kwargs)

    def guarded_scandir(path="."):  # type: ignore[no-untyped-def]
        if str(path) == vault:
            raise PermissionError(13, "Permission denied", path)
        return real_scandir(path)

    monkeypatch.setattr(builtins, "open", guarded_open)
    monkeypatch.setattr(os, "open", guarded_os_open)
    monkeypatch.setattr(os, "scandir", guarded_scandir)
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.report["errors"] == [{"file": "locked.yaml", "line": None,
                                     "message": "cannot read file: Permission denied"}]
    assert {"file": "vault", "reason": "cannot list directory: Permission denied"} in run.report["skipped"]
    _good_tf_reported(run)


def test_bad_files_inside_a_large_rendered_directory_read_by_two_workers(tmp_path: Path) -> None:
    """A render of 70 manifests (read in cached shares, split over workers) with a broken document, a binary file,
    Latin-1 text and an unrendered Helm template among them: one error or notice each, with file and line, the
    67 good Deployments all read, the same report serial and parallel, cold and from the cache."""
    files: dict[str, str | bytes] = {
        f"rendered/{i:02d}-deploy.yaml": GOOD_YAML.replace("name: trainer", f"name: trainer-{i:02d}")
        for i in range(67)}
    files["rendered/broken.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: x\n   bad: [\n"
    files["rendered/blob.yaml"] = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR"
    files["rendered/latin1.yaml"] = GOOD_YAML.replace("production", "producci\xf3n").encode("latin-1")
    files["rendered/server-deployment.yaml"] = "apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: {{ .Release.Name }}\n"
    write(tmp_path, files)
    runs = [scan_json("rendered", "-j", "2", cwd=tmp_path), scan_json("rendered", "-j", "2", cwd=tmp_path),
            scan_json("rendered", "-j", "1", "--no-cache", cwd=tmp_path)]
    cold = runs[0].report
    assert all(r.report == cold for r in runs) and runs[0].exit_code == 2
    errors = {e["file"]: (e["line"], e["message"]) for e in cold["errors"]}
    assert set(errors) == {"rendered/broken.yaml", "rendered/blob.yaml", "rendered/latin1.yaml"}
    assert errors["rendered/broken.yaml"][0] == 5 and errors["rendered/broken.yaml"][1].startswith("invalid YAML")
    assert errors["rendered/blob.yaml"] == (3, "binary file (NUL byte); not scanned")
    assert "not valid UTF-8" in errors["rendered/latin1.yaml"][1]
    assert any(s["file"] == "rendered/server-deployment.yaml" and "template syntax" in s["reason"] for s in cold["skipped"])
    assert sum(r["type"] == "Deployment" for r in cold["resources"]) == 67


NAMED_PIPE_SCAN = """
import faulthandler, sys
faulthandler.dump_traceback_later(60, exit=True)  # a scan that waits on a pipe fails here instead of hanging CI
sys.argv = ["finops-lint", *sys.argv[1:]]
from linter.entry import run
run()
"""


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="named pipes are POSIX")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_named_pipes_with_iac_names_are_skipped_with_a_notice(tmp_path: Path, jobs: str) -> None:
    """A named pipe called main.tf or deploy.yaml (left by a tool, or planted) is never opened for reading: a
    reader would wait for a writer forever. Each gets a notice, and the rest of the tree, modules included, is
    scanned; a second run replays the same report."""
    import json
    import subprocess
    import sys

    write(tmp_path, {"good.tf": GOOD_TF + '\nmodule "net" {\n  source = "./modules/net"\n}\n',
                     "modules/net/main.tf": 'variable "cidr" {\n  default = "10.0.0.0/16"\n}\n',
                     "k8s/good.yaml": GOOD_YAML})
    for pipe in ("pipe.tf", "modules/net/outputs.tf", "k8s/values.yaml", "k8s/deploy.yml"):
        os.mkfifo(tmp_path / pipe)
    env = {**os.environ, "FINOPS_LINT_CACHE_DIR": str(tmp_path.parent / f"cache-{jobs}"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    runs = [subprocess.run([sys.executable, "-c", NAMED_PIPE_SCAN, "scan", ".", "--format", "json", "-j", jobs],
                           cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120) for _ in range(2)]
    assert runs[0].returncode == 1, runs[0].stderr[-2000:]
    assert runs[1].stdout == runs[0].stdout
    report = json.loads(runs[0].stdout)
    reason = "not a regular file (a named pipe); not scanned"
    assert sorted(s["file"] for s in report["skipped"] if s["reason"] == reason) == \
        ["k8s/deploy.yml", "k8s/values.yaml", "modules/net/outputs.tf", "pipe.tf"]
    assert report["errors"] == []
    assert {f["rule_id"] for f in report["findings"] if f["file"] == "good.tf"} == {"FIN-GPU-001"}
    assert any(f["file"] == "k8s/good.yaml" for f in report["findings"])


@pytest.mark.skipif(sys.platform == "darwin", reason="macOS refuses file names that are not UTF-8")
@pytest.mark.parametrize("jobs", ["1", "2"])
def test_file_names_that_are_not_utf8(tmp_path: Path, jobs: str) -> None:
    """Linux file names are bytes: a Latin-1 name (``caf\\xe9``) comes back from the OS as surrogates, which
    crashed the scan where a fingerprint hashed the path. Each format reports such a file under its bytes (JSON
    escapes them), written to stdout or with -o, serially and by workers; fingerprints stay stable (baseline)."""
    import json
    import subprocess

    root = os.fsencode(tmp_path)
    for name, text in ((b"caf\xe9.tf", GOOD_TF), (b"k8s-\xff/good.yaml", GOOD_YAML), (b"net.tf", GOOD_TF.replace(
            '"trainer"', '"trainer2"')), (b"other/main.tf", GOOD_TF)):
        path = os.path.join(root, name)
        os.makedirs(os.path.dirname(path), exist_ok=True)
        with open(path, "w", encoding="utf-8") as fh:
            fh.write(text)
    env = {**os.environ, "FINOPS_LINT_CACHE_DIR": str(tmp_path.parent / f"cache-{jobs}"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1]), "PYTHONIOENCODING": "utf-8"}

    def scan(*args: str) -> subprocess.CompletedProcess[bytes]:
        return subprocess.run([sys.executable, "-m", "linter", "scan", ".", "-j", jobs, *args], cwd=tmp_path,
                              env=env, capture_output=True, timeout=120)

    for fmt in ("text", "json", "sarif", "junit", "github", "markdown"):
        run = scan("--format", fmt)
        assert run.returncode == 1 and b"Traceback" not in run.stderr, (fmt, run.stderr[-2000:])
        if fmt == "text":
            assert b"caf\xe9.tf" in run.stdout and b"k8s-\xff/good.yaml" in run.stdout
        if fmt == "json":
            report = json.loads(run.stdout)
            files = {os.fsencode(f["file"]) for f in report["findings"]}
            assert {b"caf\xe9.tf", b"k8s-\xff/good.yaml", b"net.tf", b"other/main.tf"} <= files
    for fmt in ("text", "markdown"):
        out = tmp_path.parent / f"report-{jobs}.{fmt}"
        run = scan("--format", fmt, "-o", str(out))
        assert run.returncode == 1 and b"caf\xe9.tf" in out.read_bytes(), run.stderr[-2000:]
    baseline = tmp_path.parent / f"baseline-{jobs}.json"
    assert scan("--write-baseline", str(baseline)).returncode in (0, 1)
    again = json.loads(scan("--format", "json", "--baseline", str(baseline)).stdout)
    assert again["summary"]["findings"] == 0 and again["summary"]["baselined"] >= 4


def _doubling_locals(levels: int = 40) -> str:
    """An HCL "billion laughs": each local lists the one before twice, so local.l40 shares 41 lists but expands
    to 2^40 strings; s40, a string of 8 characters doubled 40 times (8 TB); n40, 10^12 squared 40 times."""
    lines = ["locals {", '  l0 = "x"', *(f"  l{i} = [local.l{i - 1}, local.l{i - 1}]" for i in range(1, levels + 1)),
             '  s0 = "xxxxxxxx"', *(f'  s{i} = "${{local.s{i - 1}}}${{local.s{i - 1}}}"' for i in range(1, levels + 1)),
             "  n0 = 1000000000000", *(f"  n{i} = local.n{i - 1} * local.n{i - 1}" for i in range(1, levels + 1))]
    return "\n".join([*lines, "}", ""])


@pytest.mark.parametrize(("value", "reason"), [
    ("length(flatten(local.l40))", "tags: flatten(): the value expands to more than 1,000,000 elements"),
    ("jsonencode(local.l40)", "tags: jsonencode(): the value expands to more than 1,000,000 elements"),
    ('join(",", local.l40)', "tags: join(): the value expands to more than 1,000,000 elements"),
    ("local.l40", "tags.n: a collection of more than 10,000 elements"),
    ("length(range(100000000))", "tags: range(): more than 1024 values were generated; decrease the difference "
                                 "between start and end or use a larger step"),
    ("length([for a in range(1024) : [for b in range(1024) : [for c in range(1024) : c]]])",
     "tags: for expressions run more than 1,000,000 iterations in one expression"),
    (f'replace("{"a" * 60}b", "/(a+)+$/", "x")', "tags: replace(): a regular expression that repeats a part which "
                                                   "can match the same text in more than one way is not evaluated "
                                                   "(it can take exponential time)"),
    (f'regex("(x+x+)+y", "{"x" * 60}")', "tags: regex(): a regular expression that repeats a part which can match "
                                          "the same text in more than one way is not evaluated (it can take "
                                          "exponential time)"),
    (f'replace("{"a" * 60}b", "/(a|aa)+$/", "x")', "tags: replace(): a regular expression that repeats a part which "
                                                    "can match the same text in more than one way is not evaluated "
                                                    "(it can take exponential time)"),
    ("local.s40", "tags.n: local.s17: a string of more than 1,000,000 characters"),
    ("local.n40", "tags.n: local.n5: a number past 2^1024 (about 1.8e308) is not evaluated"),
    ('format("%0999999999d", 1)', "tags: format(): a width or precision past 1,000,000 characters"),
    ('replace(local.s15, "x", "xxxxxxxxxx")', "tags: replace(): a string of more than 1,000,000 characters"),
    ('replace(local.s15, "/(x)/", "$1$1$1$1")', "tags: replace(): a string of more than 1,000,000 characters"),
    ('join(",", [for i in range(200) : local.s12])', "tags: join(): a string of more than 1,000,000 characters"),
    ("jsonencode([for i in range(200) : local.s12])", "tags: jsonencode(): the value encodes to more than "
                                                      "1,000,000 characters"),
    (f'replace("{"a" * 800}b", "/a+a+a+$/", "x")', "tags: replace(): a regular expression with 3 repeated parts of "
                                                    "variable length is not evaluated on a 801-character string (up "
                                                    "to 4e+11 backtracking steps)"),
])
def test_values_that_expand_without_bound_are_refused_in_bounded_time(tmp_path: Path, value: str,
                                                                       reason: str) -> None:
    """Flattening, encoding, joining or showing a value that repeats a local 2^40 times, a range of 10^8 numbers
    (Terraform caps range() at 1024), for expressions nested three deep over such ranges (10^9 steps), a string
    doubled 40 times, a number squared 40 times, a format() width of 10^9 or a replace() that multiplies a long
    string hung the scan or exhausted memory; now the attribute is unknown and says why, and the rest of the module
    is scanned."""
    import json
    import subprocess

    write(tmp_path, {"good.tf": GOOD_TF, "bomb.tf": _doubling_locals() + (
        f'resource "aws_instance" "bomb" {{\n  instance_type = "m5.large"\n  tags = {{ n = {value} }}\n}}\n')})
    env = {**os.environ, "FINOPS_LINT_CACHE_DIR": str(tmp_path.parent / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", NAMED_PIPE_SCAN, "scan", ".", "--format", "json", "--no-cache"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    report = json.loads(run.stdout)
    bomb = next(r for r in report["resources"] if r["address"] == "aws_instance.bomb")
    assert reason in bomb["unknowns"]
    assert any(f["resource"] == "aws_instance.trainer" and f["rule_id"] == "FIN-GPU-001" for f in report["findings"])


def test_format_pads_numbers_as_terraform_does() -> None:
    """format("%03d", 7) is "007" in Terraform (Go's fmt); the width and flags were dropped ("7")."""
    from linter.sources.terraform.functions import FUNCTIONS

    assert FUNCTIONS["format"]("gpu-%03d", 7) == "gpu-007"
    assert FUNCTIONS["format"]("%-4d|%+d|%5.1f|%-3s|", 12, 5, 2.25, "a") == "12  |+5|  2.2|a  |"


def test_range_follows_terraform() -> None:
    from linter.sources.terraform.functions import FUNCTIONS, FunctionError

    assert FUNCTIONS["range"](3) == [0, 1, 2] and FUNCTIONS["range"](4, 1) == [4, 3, 2]
    assert FUNCTIONS["range"](-3) == [0, -1, -2] and FUNCTIONS["range"](1, 10, 4) == [1, 5, 9]
    assert len(FUNCTIONS["range"](1024)) == 1024
    with pytest.raises(FunctionError, match="more than 1024 values"):
        FUNCTIONS["range"](1025)
    with pytest.raises(FunctionError, match="step cannot be zero"):
        FUNCTIONS["range"](0, 5, 0)


@pytest.mark.parametrize("pattern", [
    "^(.*role/)", "^t(2|3|3a){1}\\..*$", "[^a-z0-9]", "^([0-9]+)s$", "^[a-z]([-a-z0-9]{0,52}[a-z0-9])?$",
    "^((projects/([a-z0-9-]+)/reservations/)?([a-z0-9-]+))?$", "(\\d{1,3}\\.){3}\\d{1,3}",
    "^arn:aws:iam::(\\d+):role/(.+)$", "(?P<name>[^/]+)/(?P<rest>.*)", "^(https?://)?([^/]+)",
    "^(/[\\w-]+)+$", "^[a-z0-9]+(?:-[a-z0-9]+)*$",  # cluster-toolkit: a repetition of a repetition, but linear
    # repeated parts of variable length that cannot split two ways: each round starts with what no part ends with
    "(\\.\\d{1,3})+$", "(-?\\d)+", "(a{1,2}b)+", "(,\\s?\\w)+", "([a-z]\\d?)+", "(ab|a)+$", "(ab?|c)+",
    "(x|[a-z])+$", "(?:a|a)+$",  # alternatives of one character each: re makes them one set
])
def test_regular_expressions_of_real_modules_are_still_evaluated(pattern: str) -> None:
    """Patterns from terraform-aws-eks, cluster-toolkit and ai-on-gke, and repeats that cannot backtrack without
    bound, are evaluated."""
    from linter.sources.terraform.regex_safety import danger

    assert danger(pattern) is None


@pytest.mark.parametrize(("pattern", "why"), [
    ("(a+)+$", "more than one way"), ("(x+x+)+y", "more than one way"), ("(.*a){1,}", "more than one way"),
    ("([^/]+/?)+$", "more than one way"), ("(\\w+\\s?)+$", "more than one way"), ("(a+){3}$", "more than one way"),
    ("(a|aa){2,8}$", "more than one way"),
    ("(a|aa)+$", "more than one way"), ("((a|aa))+$", "more than one way"), ("(a|a?)+$", "more than one way"),
    ("(a{1,2})+$", "more than one way"), ("(\\d{1,3})+$", "more than one way"), ("(a?a)+$", "more than one way"),
    ("(\\w\\d?)+$", "more than one way"), ("(a|b|ab)*c", "more than one way"), ("(?i)(A|aa)+$", "more than one way"),
])
def test_regular_expressions_that_backtrack_without_bound_are_refused(pattern: str, why: str) -> None:
    """Python's engine takes exponential time on these where a match fails (60 characters: years); RE2,
    Terraform's engine, takes linear time. Each is refused before it runs, and says why."""
    from linter.sources.terraform.regex_safety import danger

    reason = danger(pattern)
    assert reason is not None and why in reason


@pytest.mark.parametrize(("pattern", "text", "refused"), [
    ("a+a+a+$", "a" * 800 + "b", True),  # 142 s in re
    ("a+a+$", "a" * 800 + "b", True),  # 0.6 s, and four times that at twice the length
    (".*.*=.*", "x" * 800, True),
    ("(\\w+)\\1", "ab" * 1000, True),  # a backreference may match any length
    ("a+a+a+$", "a" * 60 + "b", False),  # a short text: 6 ms
    ("^(.*)-(.*)$", "x" * 4000, False),  # anchored: the first part's lengths, once
    ("^[a-z0-9]+(?:-[a-z0-9]+)*$", "ab-" * 300, False),
    ("(?m)^\\s*#.*$", "# comment\n" * 3000, False),  # a start per line, spaces runs of one
    ("\\s+", '{\n  "key": "value",\n' * 3000 + "}", False),  # whitespace runs are short in JSON
    ("^(/[\\w-]+)+$", "/abc" * 500, False),
])
def test_regular_expressions_whose_time_grows_as_a_power_of_the_text_are_bounded(pattern: str, text: str,
                                                                                 refused: bool) -> None:
    """A pattern with no ambiguous repeat can still take a power of the text's length (``a+a+a+$``: 142 s on 800
    characters). It is refused when the starts tried times each variable part's possible lengths (the longest
    run of characters it can take) pass 2 x 10^7 steps; real patterns on long texts are evaluated, and quickly."""
    import re
    import time

    from linter.sources.terraform.regex_safety import too_slow

    why = too_slow(pattern, text)
    if refused:
        assert why is not None and f"not evaluated on a {len(text):,}-character string" in why
    else:
        assert why is None
        started = time.perf_counter()
        re.search(pattern, text)
        assert time.perf_counter() - started < 2  # well under: 2 x 10^7 steps took 0.3 s at most


HUGE = "1" + "0" * 300  # 10^300: past any float


def test_counts_and_sizes_past_any_real_estate_are_bounded(tmp_path: Path) -> None:
    """count = 10^300 expanded 10^300 instances (the scan never ended); an autoscaling group of 10^300 nodes
    stopped its module with an internal error (no float holds it); a Deployment of 1e300 replicas must not write
    Infinity into the JSON report. Each is now read, with the count taken as unknown where it is past 10,000
    instances, and the report stays strict JSON."""
    import json
    import subprocess

    write(tmp_path, {"good.tf": GOOD_TF, "huge.tf": (
        f'resource "aws_instance" "many" {{\n  instance_type = "m5.large"\n  count = {HUGE}\n}}\n\n'
        'resource "aws_instance" "each" {\n  instance_type = "m5.large"\n'
        '  for_each = toset(flatten([for i in range(1024) : [for j in range(20) : "${i}-${j}"]]))\n}\n\n'
        f'resource "aws_autoscaling_group" "g" {{\n  min_size = {HUGE}\n  max_size = {HUGE}\n'
        f'  desired_capacity = {HUGE}\n  launch_template {{\n    id = "lt"\n  }}\n}}\n'),
        "k8s/big.yaml": GOOD_YAML.replace("replicas: 1", "replicas: 1e300")})
    env = {**os.environ, "FINOPS_LINT_CACHE_DIR": str(tmp_path.parent / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-c", NAMED_PIPE_SCAN, "scan", ".", "--format", "json", "--no-cache"],
                         cwd=tmp_path, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode == 1, run.stderr[-2000:]

    def refuse(constant: str) -> None:
        raise AssertionError(f"{constant} in the JSON report")

    report = json.loads(run.stdout, parse_constant=refuse)
    assert report["errors"] == []
    addresses = [r["address"] for r in report["resources"]]
    assert addresses.count("aws_instance.many") == 1 and addresses.count("aws_instance.each") == 1
    assert "aws_autoscaling_group.g" in addresses
    assert any(f["resource"] == "aws_instance.trainer" and f["rule_id"] == "FIN-GPU-001" for f in report["findings"])


def test_terraform_file_functions_keep_to_the_scanned_tree_and_its_limits(tmp_path: Path) -> None:
    """file() and templatefile() read files as the scan reads any file: a symlink out of the repository, a binary
    file, a file over --max-file-size and a template that includes itself each leave the value unknown and say
    why; the rest of the module is read."""
    import json
    import subprocess

    outside = tmp_path.parent / f"{tmp_path.name}-outside.txt"
    outside.write_text("secret\n")
    repo = tmp_path / "repo"
    probes = {"linked": 'file("${path.module}/link.txt")', "binary": 'file("${path.module}/blob.bin")',
              "large": 'file("${path.module}/large.txt")', "itself": 'templatefile("${path.module}/loop.tpl", {})',
              "fine": 'trimspace(file("${path.module}/ok.txt"))'}
    write(repo, {"main.tf": "".join(f'resource "aws_instance" "{name}" {{\n  ami = "ami-0123456789abcdef0"\n'
                                    f'  instance_type = "m5.large"\n  tags = {{ v = {call} }}\n}}\n'
                                    for name, call in probes.items()),
                 "blob.bin": b"\x00\x01\x02binary", "large.txt": "x" * 200_000, "ok.txt": "ok\n",
                 "loop.tpl": '${templatefile("${path.module}/loop.tpl", {})}', ".git/HEAD": "ref: refs/heads/main\n"})
    (repo / "link.txt").symlink_to(outside)
    env = {**os.environ, "FINOPS_LINT_CACHE_DIR": str(tmp_path / "cache"),
           "PYTHONPATH": str(Path(__file__).resolve().parents[1])}
    run = subprocess.run([sys.executable, "-m", "linter", "scan", ".", "--format", "json", "--no-cache",
                          "--max-file-size", "100KB"], cwd=repo, env=env, capture_output=True, text=True, timeout=120)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    got = {r["address"].split(".", 1)[1]: r for r in json.loads(run.stdout)["resources"]}
    why = {name: " | ".join(got[name].get("unknowns", [])) for name in probes}
    assert "link.txt is outside the scanned tree; not read" in why["linked"] and "secret" not in run.stdout
    assert "binary file" in why["binary"]
    assert "file is too large" in why["large"]
    assert "nested too deeply" in why["itself"]
    assert got["fine"]["tags"]["v"] == "ok" and not why["fine"]
