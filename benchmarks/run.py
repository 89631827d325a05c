#!/usr/bin/env python3
"""Cold-start benchmark for finops-lint.

    python benchmarks/run.py [--corpus DIR] [--repeat 5] [--json OUT]
                             [--cmd "python -m linter"] [--scenarios terraform,one-file]

Every measured run is a fresh process (interpreter start + imports + scan), so
these are cold-process figures; the OS page cache is warm. Each run goes
through a small Python wrapper process that starts the scan, waits for it and
reports the wall time and the scan's own peak RSS (ru_maxrss from os.wait4()
on its only child, i.e. getrusage(RUSAGE_CHILDREN) of a wrapper that only ever
had that one child). That way the peak is per run and is not a maximum carried over from
earlier runs.

A run counts as successful only if the CLI exits 0 or 1 and prints a JSON
report with a "summary" object. Exit 2 (unreadable input), any other exit code,
a signal, a timeout or output that is not JSON is reported as a failed run, not
as a fast one. "errors" in the report are reported too; on this corpus (all of
it parses) any error makes the scenario fail.

Standard library only. Exit status: 0 if every target passes, 1 if any target
fails or a scan failed, 2 on setup problems (no CLI, corpus generation failed).
"""

from __future__ import annotations

import argparse
import json
import os
import platform
import shlex
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

HERE = Path(__file__).resolve().parent

# figure -> (scenario, metric key, limit, unit, label); issue 14's targets for the 1,000 .tf + 1,000 manifest corpus
TARGETS = [
    ("combined", "wall_median_s", 1.5, "s", "cold scan, 1,000 .tf + 1,000 manifests (median)"),
    ("warm", "wall_median_s", 0.5, "s", "warm scan, nothing changed (median)"),
    ("one-file", "wall_median_s", 0.15, "s", "one-file scan incl. interpreter start (median)"),
    ("one-file-edited", "wall_median_s", 0.15, "s", "one-file scan of a just-edited file (median)"),
    ("combined", "peak_rss_mib", 300.0, "MiB", "cold scan peak RSS"),
    ("terraform", "wall_median_s", 10.0, "s", "terraform corpus: cold scan wall time (median)"),
    ("terraform", "peak_rss_mib", 250.0, "MiB", "terraform corpus: peak RSS"),
]

SCENARIOS = ["terraform", "kubernetes", "combined", "warm", "one-changed", "one-file", "one-file-edited", "plan",
             "pulumi"]
# cold: every run gets an empty parse cache; warm: the cache holds the unchanged corpus; one-changed: the same,
# with one .tf and one manifest edited before each run (what a CI run after a one-file commit sees). A warm run
# of an unchanged command is a replay (linter/replay.py); one-file-edited edits its file before each run, as
# pre-commit runs on a file just saved: the rules cache is warm, the scan of that module is not.
CACHE_MODE = {"terraform": "cold", "kubernetes": "cold", "combined": "cold", "warm": "warm",
              "one-changed": "warm", "one-file": "warm", "one-file-edited": "warm", "plan": "cold",
              "pulumi": "cold"}

# Runs in a fresh interpreter per measurement and has exactly one child, the
# scan. os.wait4() returns that child's own rusage (the same figure as
# getrusage(RUSAGE_CHILDREN) in this single-child wrapper), so ru_maxrss is the
# scan's own peak: the largest single process among the scan and any
# descendants it waited for. It is never a maximum carried over from other runs.
WRAPPER = r"""
import json, os, signal, subprocess, sys, threading, time
out_path, err_path, timeout = sys.argv[1], sys.argv[2], float(sys.argv[3])
cmd = sys.argv[4:]
res = {"timed_out": False}
with open(out_path, "wb") as out, open(err_path, "wb") as err:
    t0 = time.perf_counter()
    try:
        p = subprocess.Popen(cmd, stdout=out, stderr=err, stdin=subprocess.DEVNULL,
                             start_new_session=True)
    except OSError as e:
        print(json.dumps({"spawn_error": str(e)}))
        sys.exit(0)
    def kill():
        res["timed_out"] = True
        try:
            os.killpg(p.pid, signal.SIGKILL)
        except OSError:
            pass
    timer = threading.Timer(timeout, kill)
    timer.daemon = True
    timer.start()
    # Blocking wait4: no polling delay in the wall time, and the rusage is
    # this child's own (ru_maxrss = its peak, or its largest waited-for descendant's).
    _, status, ru = os.wait4(p.pid, 0)
    res["wall_s"] = time.perf_counter() - t0
    timer.cancel()
    p.returncode = res["rc"] = os.waitstatus_to_exitcode(status)
res.update(maxrss=ru.ru_maxrss, utime_s=ru.ru_utime, stime_s=ru.ru_stime)
print(json.dumps(res))
"""


def maxrss_to_mib(v: int) -> float:
    # Linux reports KiB, macOS bytes.
    return v / (1024 * 1024) if sys.platform == "darwin" else v / 1024


# --------------------------------------------------------------------------
# corpus
# --------------------------------------------------------------------------

def count_yaml_docs(text: str) -> int:
    docs, has_content = 0, False
    for line in text.splitlines():
        s = line.strip()
        if line.startswith("---") and (len(line) == 3 or line[3] in " \t"):
            if has_content:
                docs += 1
            has_content = False
            continue
        if line.startswith("..."):
            continue
        if s and not s.startswith("#"):
            has_content = True
    return docs + (1 if has_content else 0)


def corpus_stats(corpus: Path) -> dict:
    tf_dir, k8s_dir = corpus / "terraform", corpus / "kubernetes"
    tf_files = sorted(p for p in tf_dir.rglob("*.tf") if ".terraform" not in p.parts) if tf_dir.is_dir() else []
    tfvars = sorted(tf_dir.rglob("*.tfvars")) if tf_dir.is_dir() else []
    yaml_files = sorted(p for p in k8s_dir.rglob("*") if p.suffix in (".yaml", ".yml")) if k8s_dir.is_dir() else []
    tf_lines = sum(p.read_bytes().count(b"\n") for p in tf_files)
    docs = sum(count_yaml_docs(p.read_text(errors="replace")) for p in yaml_files)
    stats = {
        "path": str(corpus),
        "tf_files": len(tf_files),
        "tfvars_files": len(tfvars),
        "tf_lines": tf_lines,
        "tf_mean_lines": round(tf_lines / len(tf_files), 1) if tf_files else 0,
        "tf_bytes": sum(p.stat().st_size for p in tf_files + tfvars),
        "k8s_files": len(yaml_files),
        "k8s_docs": docs,
        "k8s_bytes": sum(p.stat().st_size for p in yaml_files),
    }
    manifest = corpus / "corpus.json"
    if manifest.exists():
        try:
            m = json.loads(manifest.read_text())
            stats["generator"] = {k: m.get(k) for k in ("generator_version", "seed")}
        except ValueError:
            pass
    return stats


def pick_one_file(corpus: Path) -> Path:
    """A typical resource file: not providers/variables/..., ~120 lines, has a GPU resource."""
    fixed = {"providers.tf", "variables.tf", "locals.tf", "outputs.tf", "main.tf", "versions.tf"}
    best = None
    for p in sorted((corpus / "terraform").rglob("*.tf")):
        if p.name in fixed or "modules" in p.parts:
            continue
        text = p.read_text(errors="replace")
        gpu = any(k in text for k in ("aws_instance", "guest_accelerator", "aws_eks_node_group"))
        score = abs(text.count("\n") - 120) + (0 if gpu else 1000)
        if best is None or score < best[0]:
            best = (score, p)
    if best is None:
        raise SystemExit("run.py: no .tf file found in corpus for the one-file scan")
    return best[1]


# --------------------------------------------------------------------------
# measuring
# --------------------------------------------------------------------------

def run_once(cmd: list, timeout: float, workdir: Path, env: dict | None = None) -> dict:
    out_p, err_p = workdir / "stdout", workdir / "stderr"
    w = subprocess.run([sys.executable, "-c", WRAPPER, str(out_p), str(err_p), str(timeout), *cmd],
                       capture_output=True, text=True, env=env)
    try:
        res = json.loads(w.stdout.strip().splitlines()[-1])
    except (ValueError, IndexError):
        return {"status": "harness error", "detail": (w.stderr or w.stdout)[-500:]}
    if "spawn_error" in res:
        return {"status": "spawn error", "detail": res["spawn_error"]}
    run = {"wall_s": round(res["wall_s"], 4), "peak_rss_mib": round(maxrss_to_mib(res["maxrss"]), 1),
           "cpu_s": round(res["utime_s"] + res["stime_s"], 3), "rc": res["rc"]}
    stdout = out_p.read_bytes()
    stderr = err_p.read_bytes().decode(errors="replace")
    run["stdout_bytes"] = len(stdout)
    rc = res["rc"]
    if res["timed_out"]:
        run["status"] = f"timeout after {timeout:g}s"
    elif rc < 0:
        run["status"] = f"killed by signal {-rc}"
    elif rc not in (0, 1):
        run["status"] = f"exit {rc}" + (" (input unreadable)" if rc == 2 else "")
    else:
        run["status"] = "ok"
    # Parse the report even for failed runs: it says what went wrong.
    try:
        report = json.loads(stdout)
        if not isinstance(report, dict) or not isinstance(report.get("summary"), dict):
            raise ValueError("no summary object")
    except ValueError as e:
        if run["status"] == "ok":
            run["status"] = "bad report" if stdout.strip() else "no output"
            run["detail"] = str(e)[:200]
    else:
        findings = report.get("findings")
        errors = report.get("errors")
        resources = report.get("resources")
        run["findings"] = report["summary"].get("findings", len(findings) if isinstance(findings, list) else None)
        run["errors"] = len(errors) if isinstance(errors, list) else report["summary"].get("errors")
        run["resources"] = len(resources) if isinstance(resources, list) else report["summary"].get("resources")
        if isinstance(findings, list) and isinstance(run["findings"], int) and run["findings"] != len(findings):
            run["note"] = f"summary.findings={run['findings']} but {len(findings)} findings listed"
        gated = "none" not in cmd[cmd.index("--fail-on") + 1:][:1] if "--fail-on" in cmd else True
        if gated and run["status"] == "ok" and rc == 0 and isinstance(run["findings"], int) and run["findings"] > 0:
            run["note"] = "exit 0 although findings > 0"
        if isinstance(errors, list) and errors:
            run["first_error"] = str(errors[0])[:300]
    if run["status"] != "ok" and stderr.strip():
        run["stderr_tail"] = stderr.strip()[-800:]
    return run


def summarize(name: str, inputs: dict, runs: list, throughput_unit: str | None,
              throughput_n: int | None) -> dict:
    ok = [r for r in runs if r.get("status") == "ok"]
    # Timing stats come from successful runs only: a crash or exit 2 is not a
    # fast scan. Per-run times of failed runs stay in "runs".
    walls = [r["wall_s"] for r in ok if "wall_s" in r]
    s = {"scenario": name, **inputs, "runs": runs, "n_runs": len(runs), "n_ok": len(ok)}
    bad = sorted({r["status"] for r in runs if r.get("status") != "ok"})
    errs = [r.get("errors") for r in ok if isinstance(r.get("errors"), int)]
    if bad:
        s["status"] = "FAILED: " + ", ".join(bad)
    elif not ok:
        s["status"] = "FAILED: no runs"
    elif errs and max(errs) > 0:
        s["status"] = f"scan reported {max(errs)} error(s)"
    else:
        s["status"] = "ok"
    if walls:
        s["wall_min_s"] = round(min(walls), 4)
        s["wall_median_s"] = round(statistics.median(walls), 4)
        s["wall_max_s"] = round(max(walls), 4)
    cpus = [r["cpu_s"] for r in ok if "cpu_s" in r]
    if cpus:  # the shared VM's speed drifts: CPU seconds for the same work compare across runs better than wall
        s["cpu_median_s"] = round(statistics.median(cpus), 3)
    rss = [r["peak_rss_mib"] for r in ok if "peak_rss_mib" in r]
    if rss:
        s["peak_rss_mib"] = max(rss)
    if throughput_unit and throughput_n and walls:
        s[f"{throughput_unit}_per_s"] = round(throughput_n / statistics.median(walls), 1)
    for key in ("findings", "errors", "resources"):
        vals = {r.get(key) for r in ok}
        if len(vals) == 1:
            s[key] = vals.pop()
        elif vals:
            s[key] = sorted(vals, key=lambda v: (v is None, v))
            s.setdefault("notes", []).append(f"{key} differs between runs: {s[key]}")
    notes = sorted({r["note"] for r in runs if r.get("note")})
    if notes:
        s.setdefault("notes", []).extend(notes)
    return s


def measure(name, cmd, paths, repeat, timeout, workdir, log, throughput_unit=None, throughput_n=None,
            inputs=None, verb="scan", before_run=None):
    full = [*cmd, verb, *map(str, paths), "--format", "json"]
    runs = []
    mode = CACHE_MODE.get(name, "cold")
    warm_dir = workdir / "cache-warm"
    if mode == "warm":  # an untimed run fills the cache, as the previous CI or pre-commit run would have
        run_once(full, timeout, workdir, {**os.environ, "FINOPS_LINT_CACHE_DIR": str(warm_dir)})
    for i in range(repeat):
        if before_run is not None:
            before_run(i)
        cache = warm_dir if mode == "warm" else Path(tempfile.mkdtemp(prefix="cold-cache-", dir=workdir))
        r = run_once(full, timeout, workdir, {**os.environ, "FINOPS_LINT_CACHE_DIR": str(cache)})
        if mode != "warm":  # gone before the next run: the kernel's writeback of a run's cache (20 MB for the
            shutil.rmtree(cache, ignore_errors=True)  # corpus) would otherwise fall in the runs that follow
        runs.append(r)
        extra = "" if r.get("status") == "ok" else f"  <-- {r.get('status')}"
        log(f"  {name:10s} run {i + 1}/{repeat}: {r.get('wall_s', float('nan')):8.3f} s  "
            f"{r.get('peak_rss_mib', float('nan')):7.1f} MiB  findings={r.get('findings')} "
            f"errors={r.get('errors')}{extra}")
        if r.get("status") in ("spawn error", "harness error"):
            break
    s = summarize(name, {"command": full, **(inputs or {})}, runs, throughput_unit, throughput_n)
    return s


# --------------------------------------------------------------------------
# reporting
# --------------------------------------------------------------------------

def fmt(v, unit=""):
    if v is None:
        return "-"
    if isinstance(v, float):
        return f"{v:.3f} {unit}".strip() if unit == "s" else f"{v:.1f} {unit}".strip()
    return f"{v} {unit}".strip()


def evaluate(results: dict) -> list:
    verdicts = []
    for scen, key, limit, unit, label in TARGETS:
        s = results.get(scen)
        if s is None:
            continue
        val = s.get(key)
        if s["status"] != "ok":
            verdict = f"FAIL ({s['status'].replace('FAILED: ', '')})"
        elif val is None:
            verdict = "FAIL (no measurement)"
        else:
            verdict = "PASS" if val < limit else "FAIL"
        verdicts.append({"figure": label, "scenario": scen, "metric": key, "value": val,
                         "target": f"< {limit:g} {unit}", "limit": limit, "unit": unit,
                         "verdict": verdict, "pass": verdict == "PASS"})
    return verdicts


def markdown(results: dict, verdicts: list, stats: dict) -> str:
    lines = ["", f"Corpus: {stats['tf_files']} .tf files ({stats['tf_mean_lines']} lines mean), "
                 f"{stats['k8s_files']} YAML files / {stats['k8s_docs']} documents", "",
             "| Scenario | Runs ok | Wall min | Wall median | CPU median | Throughput | Peak RSS | Findings | Errors | "
             "Status |",
             "|---|---|---|---|---|---|---|---|---|---|"]
    for name in SCENARIOS:
        s = results.get(name)
        if not s:
            continue
        tp = "-"
        if "files_per_s" in s:
            tp = f"{s['files_per_s']:.0f} files/s"
        elif "docs_per_s" in s:
            tp = f"{s['docs_per_s']:.0f} docs/s"
        lines.append(f"| {name} | {s['n_ok']}/{s['n_runs']} | {fmt(s.get('wall_min_s'), 's')} | "
                     f"{fmt(s.get('wall_median_s'), 's')} | {fmt(s.get('cpu_median_s'), 's')} | {tp} | "
                     f"{fmt(s.get('peak_rss_mib'), 'MiB')} | "
                     f"{fmt(s.get('findings'))} | {fmt(s.get('errors'))} | {s['status']} |")
    lines += ["", "| Figure | Value | Target | Result |", "|---|---|---|---|"]
    for v in verdicts:
        lines.append(f"| {v['figure']} | {fmt(v['value'], v['unit'])} | {v['target']} | {v['verdict']} |")
    notes = []
    for name in SCENARIOS:
        s = results.get(name) or {}
        for n in s.get("notes", []):
            notes.append(f"- {name}: {n}")
        for r in s.get("runs", []):
            if r.get("status") != "ok" or r.get("first_error"):
                what = r["status"] if r.get("status") != "ok" else "scan reported errors"
                detail = r.get("stderr_tail") or r.get("first_error") or r.get("detail") or ""
                detail = detail.splitlines()[-1] if detail else ""
                notes.append(f"- {name}: {what}" + (f"; {'first error' if r.get('first_error') and not r.get('stderr_tail') else 'last line'}: {detail}" if detail else ""))
                break
    if notes:
        lines += ["", "Notes:", *notes]
    return "\n".join(lines) + "\n"


# --------------------------------------------------------------------------

class _OneChanged:
    """Edit one .tf file and one manifest before each run (a comment line, so findings stay the same)."""

    def __init__(self, corpus: Path, tf: Path, manifest: bool = True) -> None:
        self.files = [tf, *sorted((corpus / "kubernetes").rglob("*.yaml"))[:1 if manifest else 0]]
        self.saved = {p: p.read_bytes() for p in self.files}

    def edit(self, i: int) -> None:
        for p in self.files:
            p.write_bytes(self.saved[p] + f"\n# edited before run {i}\n".encode())

    def restore(self) -> None:
        for p, data in self.saved.items():
            p.write_bytes(data)


BARE_PARSE = r"""
import json, sys, time, pathlib
import tree_sitter, tree_sitter_hcl, yaml
root = pathlib.Path(sys.argv[1])
tf = sorted(root.joinpath("terraform").rglob("*.tf"))
ym = sorted(root.joinpath("kubernetes").rglob("*.yaml"))
parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
t0 = time.perf_counter()
for p in tf:
    parser.parse(p.read_bytes())
t1 = time.perf_counter()
for p in ym:
    list(yaml.load_all(p.read_text(), Loader=yaml.CSafeLoader))
t2 = time.perf_counter()
print(json.dumps({"tf_s": t1 - t0, "yaml_s": t2 - t1, "wall_s": t2 - t0}))
"""


def parse_python(cmd: list) -> str:
    """The interpreter that has the parsers: the one beside an installed ``finops-lint`` (its venv), else ours."""
    exe = shutil.which(cmd[0]) if cmd else None
    if exe and Path(exe).name.startswith("python"):  # --cmd "python -m linter"
        return exe
    if exe and (Path(exe).parent / "python").exists():
        return str(Path(exe).parent / "python")
    return sys.executable


def bare_parse(corpus: Path, python: str = sys.executable) -> dict:
    """What parsing alone costs on this machine: the floor a scan is compared to (median of 3)."""
    runs = []
    for _ in range(3):
        done = subprocess.run([python, "-c", BARE_PARSE, str(corpus)], capture_output=True, text=True)
        if done.returncode != 0:
            return {"wall_s": float("nan"), "tf_s": float("nan"), "yaml_s": float("nan"),
                    "error": done.stderr[-300:]}
        runs.append(json.loads(done.stdout))
    runs.sort(key=lambda r: r["wall_s"])
    return {k: round(v, 4) for k, v in runs[1].items()}


def _checkov_exe(args) -> str | None:
    candidates = [args.checkov] if args.checkov else []
    for venv in (os.environ.get("FINOPS_CHECKOV_VENV"),
                 os.path.join(os.environ.get("XDG_CACHE_HOME") or os.path.expanduser("~/.cache"),
                              "finops-lint", "ci-venv-checkov")):
        if venv:
            candidates.append(os.path.join(venv, "bin", "checkov"))
    candidates.append(shutil.which("checkov") or "")
    return next((c for c in candidates if c and os.path.isfile(c)), None)


def run_checkov(args, corpus: Path, log) -> dict | None:
    """checkov on the same Terraform and Kubernetes files, in its own environment, one cold run."""
    exe = _checkov_exe(args)
    if exe is None:
        log("run.py: --compare: no checkov found (--checkov, $FINOPS_CHECKOV_VENV, "
            "~/.cache/finops-lint/ci-venv-checkov); build one with: python tests/checkov_env.py")
        return None
    version = subprocess.run([exe, "--version"], capture_output=True, text=True).stdout.strip()
    cmd = [exe, "-d", str(corpus / "terraform"), "-d", str(corpus / "kubernetes"), "--framework", "terraform",
           "kubernetes", "--skip-download", "--quiet", "--compact", "-o", "json"]
    log(f"  checkov {version}: {shlex.join(cmd)}")
    t0 = time.perf_counter()
    done = subprocess.run(cmd, capture_output=True, timeout=args.timeout * 3)
    wall = time.perf_counter() - t0
    log(f"  checkov: {wall:.1f} s, exit {done.returncode}")
    return {"version": version, "wall_s": round(wall, 2), "rc": done.returncode, "command": cmd}


def resolve_cmd(arg: str | None) -> list:
    if arg:
        return shlex.split(arg)
    exe = shutil.which("finops-lint")
    if not exe:
        raise SystemExit("run.py: `finops-lint` is not on PATH; install it or pass --cmd "
                         "'python -m <module>'")
    return [exe]


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description="Cold-process benchmark for finops-lint.")
    ap.add_argument("--corpus", type=Path, help="existing corpus dir (with terraform/ and kubernetes/); "
                                                "default: generate one into a temp dir")
    ap.add_argument("--repeat", type=int, default=5, help="runs per scenario (default 5)")
    ap.add_argument("--corpus-repeat", type=int, help="runs for the corpus scenarios (default: --repeat)")
    ap.add_argument("--cmd", help='command to run instead of `finops-lint` from PATH, e.g. "python -m linter"')
    ap.add_argument("--scenarios", default=",".join(SCENARIOS),
                    help=f"comma-separated subset of {','.join(SCENARIOS)}")
    ap.add_argument("--one-file", type=Path, help="file for the one-file scan (default: a typical "
                                                  "~120-line resource file from the corpus)")
    ap.add_argument("--timeout", type=float, default=600, help="per-run timeout in seconds (default 600)")
    ap.add_argument("--no-warmup", action="store_true",
                    help="skip the untimed warm-up run (which compiles .pyc files and warms the page cache)")
    ap.add_argument("--json", type=Path, dest="json_out", help="write raw numbers as JSON here")
    ap.add_argument("--keep-corpus", action="store_true", help="keep the generated temp corpus")
    ap.add_argument("--tf-files", type=int, default=1000, help="when generating: number of .tf files")
    ap.add_argument("--k8s-files", type=int, default=1000, help="when generating: number of YAML files")
    ap.add_argument("--compare", action="store_true",
                    help="also run checkov on the same Terraform and Kubernetes files (its own venv: --checkov, "
                         "$FINOPS_CHECKOV_VENV or ~/.cache/finops-lint/ci-venv-checkov) and print the ratio")
    ap.add_argument("--checkov", help="the checkov executable for --compare")
    args = ap.parse_args(argv)

    scenarios = [s.strip() for s in args.scenarios.split(",") if s.strip()]
    unknown = set(scenarios) - set(SCENARIOS)
    if unknown:
        ap.error(f"unknown scenario(s): {', '.join(sorted(unknown))}")
    try:
        cmd = resolve_cmd(args.cmd)
    except SystemExit as e:
        print(e, file=sys.stderr)
        return 2
    log = lambda msg: print(msg, file=sys.stderr, flush=True)  # noqa: E731

    tmp = None
    compare = None  # checkov's figures, only with --compare
    corpus = args.corpus
    if corpus is None:
        tmp = Path(tempfile.mkdtemp(prefix="finops-bench-"))
        corpus = tmp / "corpus"
        log(f"generating corpus into {corpus} ...")
        g = subprocess.run([sys.executable, str(HERE / "generate_corpus.py"), str(corpus),
                            "--tf-files", str(args.tf_files), "--k8s-files", str(args.k8s_files)],
                           stdout=sys.stderr)
        if g.returncode != 0:
            log("run.py: corpus generation failed")
            return 2
    corpus = corpus.resolve()
    if not (corpus / "plans" / "plan.json").is_file() or not (corpus / "pulumi").is_dir():
        g = subprocess.run([sys.executable, str(HERE / "generate_extra.py"), str(corpus)], stdout=sys.stderr)
        if g.returncode != 0:
            log("run.py: generating the plan JSON and Pulumi programs failed")
            return 2
    if not (corpus / "terraform").is_dir() or not (corpus / "kubernetes").is_dir():
        log(f"run.py: {corpus} must contain terraform/ and kubernetes/")
        return 2

    try:
        stats = corpus_stats(corpus)
        one = (args.one_file or pick_one_file(corpus)).resolve()
        log(f"corpus: {stats['tf_files']} .tf files, {stats['k8s_files']} YAML files "
            f"({stats['k8s_docs']} docs); one-file scan: {one}")
        log(f"command: {shlex.join(cmd)}")
        crep = args.corpus_repeat or args.repeat
        results = {}
        with tempfile.TemporaryDirectory(prefix="finops-bench-io-") as wd:
            wd = Path(wd)
            warmup = None
            if not args.no_warmup:
                warmup = run_once([*cmd, "scan", str(one), "--format", "json"], args.timeout, wd)
                log(f"  warm-up (untimed): {warmup.get('wall_s', float('nan')):.3f} s, status {warmup.get('status')}")
                if warmup.get("status") in ("spawn error", "harness error"):
                    log(f"run.py: cannot run {shlex.join(cmd)}: {warmup.get('detail')}")
                    return 2
            if "terraform" in scenarios:
                results["terraform"] = measure("terraform", cmd, [corpus / "terraform"], crep, args.timeout, wd,
                                               log, "files", stats["tf_files"],
                                               {"files": stats["tf_files"], "lines": stats["tf_lines"]})
            if "kubernetes" in scenarios:
                results["kubernetes"] = measure("kubernetes", cmd, [corpus / "kubernetes"], crep, args.timeout,
                                                wd, log, "docs", stats["k8s_docs"],
                                                {"files": stats["k8s_files"], "docs": stats["k8s_docs"]})
            if "combined" in scenarios:
                n = stats["tf_files"] + stats["k8s_files"]
                results["combined"] = measure("combined", cmd, [corpus / "terraform", corpus / "kubernetes"],
                                              crep, args.timeout, wd, log, "files", n,
                                              {"files": n, "docs": stats["k8s_docs"]})
            both = [corpus / "terraform", corpus / "kubernetes"]
            n = stats["tf_files"] + stats["k8s_files"]
            if "warm" in scenarios:
                results["warm"] = measure("warm", cmd, both, crep, args.timeout, wd, log, "files", n, {"files": n})
            if "one-changed" in scenarios:
                edits = _OneChanged(corpus, one)
                try:
                    results["one-changed"] = measure("one-changed", cmd, both, crep, args.timeout, wd, log, "files",
                                                     n, {"files": n}, before_run=edits.edit)
                finally:
                    edits.restore()
            if "one-file" in scenarios:
                results["one-file"] = measure("one-file", cmd, [one], args.repeat, args.timeout, wd, log,
                                              inputs={"file": str(one)})
            if "one-file-edited" in scenarios:
                edits = _OneChanged(corpus, one, manifest=False)
                try:
                    results["one-file-edited"] = measure("one-file-edited", cmd, [one], args.repeat, args.timeout,
                                                         wd, log, inputs={"file": str(one)}, before_run=edits.edit)
                finally:
                    edits.restore()
            if "plan" in scenarios:
                plan = corpus / "plans" / "plan.json"
                results["plan"] = measure("plan", cmd, [plan, "--fail-on", "none"], crep, args.timeout, wd, log,
                                          inputs={"file": str(plan), "mib": round(plan.stat().st_size / 1048576, 1)},
                                          verb="plan")
            if "pulumi" in scenarios:
                projects = sorted((corpus / "pulumi").iterdir())
                results["pulumi"] = measure("pulumi", cmd, [corpus / "pulumi"], crep, args.timeout, wd, log,
                                            "files", len(projects), {"projects": len(projects)})
            parse = bare_parse(corpus, parse_python(cmd))
            log(f"  bare parse (tree-sitter-hcl + PyYAML CSafeLoader, one process): {parse['wall_s']:.3f} s")
            if args.compare:
                # The machine is shared and its speed drifts over minutes: the ratio is also taken against cold
                # scans run just before and just after checkov, in the same stretch of time.
                before = measure("cold-before-checkov", cmd, both, 2, args.timeout, wd, log)
                compare = run_checkov(args, corpus, log)
                after = measure("cold-after-checkov", cmd, both, 2, args.timeout, wd, log)
                if compare is not None:
                    walls = [r["wall_s"] for s in (before, after) for r in s.get("runs", [])
                             if r.get("status") == "ok"]
                    compare["bracket_cold_s"] = [round(w, 3) for w in walls]
                    compare["bracket_median_s"] = round(statistics.median(walls), 3) if walls else None
    finally:
        if tmp is not None:
            if args.keep_corpus:
                log(f"corpus kept at {corpus}")
            else:
                shutil.rmtree(tmp, ignore_errors=True)

    verdicts = evaluate(results)
    print(markdown(results, verdicts, stats))
    cold = (results.get("combined") or {}).get("wall_median_s")
    extra = ["| Figure | Value |", "|---|---|",
             f"| bare parse of the same 1,000 .tf + 1,000 YAML files (tree-sitter-hcl, PyYAML CSafeLoader) | "
             f"{parse['wall_s']:.3f} s ({parse['tf_s']:.3f} s HCL, {parse['yaml_s']:.3f} s YAML) |"]
    if cold:
        extra.append(f"| cold scan / bare parse | {cold / parse['wall_s']:.1f}x |")
    if compare:
        extra.append(f"| checkov {compare['version']} on the same files (terraform + kubernetes frameworks, "
                     f"--skip-download), 1 run | {compare['wall_s']:.1f} s (exit {compare['rc']}) |")
        if cold:
            extra.append(f"| checkov / finops-lint cold (the combined scenario's median) | "
                         f"{compare['wall_s'] / cold:.0f}x |")
        if compare.get("bracket_median_s"):
            extra.append(f"| checkov / finops-lint cold run just before and after checkov (median of "
                         f"{len(compare['bracket_cold_s'])}: {compare['bracket_median_s']:.3f} s) | "
                         f"{compare['wall_s'] / compare['bracket_median_s']:.0f}x |")
    print("\n".join(extra) + "\n")
    all_ok = all(v["pass"] for v in verdicts) and all(s["status"] == "ok" for s in results.values())
    if args.json_out:
        doc = {
            "schema": 1,
            "timestamp": time.strftime("%Y-%m-%dT%H:%M:%S%z"),
            "command": cmd,
            "environment": {"python": sys.version.split()[0], "platform": platform.platform(),
                            "machine": platform.machine(), "cpus": os.cpu_count()},
            "corpus": stats,
            "warmup": warmup,
            "scenarios": results,
            "targets": verdicts,
            "bare_parse": parse,
            "checkov": compare,
            "pass": all_ok,
        }
        args.json_out.parent.mkdir(parents=True, exist_ok=True)
        args.json_out.write_text(json.dumps(doc, indent=2) + "\n")
        log(f"raw numbers written to {args.json_out}")
    return 0 if all_ok else 1


if __name__ == "__main__":
    sys.exit(main())
