"""benchmarks/run.py summaries: CPU seconds beside wall time (the shared VM's speed drifts, so CPU seconds for the
same work are what compare across runs), from successful runs only."""

from __future__ import annotations

import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from benchmarks import run


def test_cpu_median_comes_from_successful_runs_and_is_printed() -> None:
    runs = [{"wall_s": 2.0, "cpu_s": 3.2, "peak_rss_mib": 126.0, "status": "ok", "findings": 1952, "errors": 0},
            {"wall_s": 2.4, "cpu_s": 3.9, "peak_rss_mib": 126.0, "status": "ok", "findings": 1952, "errors": 0},
            {"wall_s": 1.9, "cpu_s": 3.0, "peak_rss_mib": 125.0, "status": "ok", "findings": 1952, "errors": 0},
            {"wall_s": 0.1, "cpu_s": 0.1, "status": "exit 2 (input unreadable)", "errors": 1}]
    s = run.summarize("combined", {}, runs, "files", 2000)
    assert s["cpu_median_s"] == 3.2 and s["wall_median_s"] == 2.0
    text = run.markdown({"combined": s}, [], {"tf_files": 1000, "tf_mean_lines": 120, "k8s_files": 1000,
                                              "k8s_docs": 2725})
    header, _, row = text.strip().splitlines()[2:5]
    assert "CPU median" in header.split("|")[5]
    assert row.split("|")[5].strip() == "3.200 s"


def test_phases_script_times_each_phase_of_a_scan(tmp_path: Path) -> None:
    """benchmarks/phases.py answers where a scan's time goes: each phase the scan reached, when it started, its
    wall time and CPU, and the whole run; the report itself goes to /dev/null."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root), "FINOPS_LINT_CACHE_DIR": str(tmp_path / "cache")}
    run = subprocess.run([sys.executable, str(root / "benchmarks" / "phases.py"), str(root / "iac_examples"),
                          "--format", "json"], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    rows = {line[:22].strip(): line[22:].split() for line in run.stdout.splitlines()[1:]}
    for phase in ("interpreter start-up", "options, config, rules", "discovery", "reading (workers)",
                  "kubernetes build", "facts", "rules", "report", "replay entry", "output", "all"):
        start, wall, cpu = (float(v) for v in rows[phase][:3])
        assert start >= 0 and wall >= 0 and cpu >= 0, phase
    assert float(rows["all"][1]) >= float(rows["reading (workers)"][1]) + float(rows["rules"][1])
    assert '"findings"' not in run.stdout  # the JSON report went to /dev/null, not into the table
    temp = tmp_path / "temp"  # without FINOPS_LINT_CACHE_DIR: a cache of its own in TMPDIR, removed at the end
    temp.mkdir()
    own = {k: v for k, v in env.items() if k != "FINOPS_LINT_CACHE_DIR"}
    again = subprocess.run([sys.executable, str(root / "benchmarks" / "phases.py"), str(root / "iac_examples"),
                            "--format", "json"], cwd=tmp_path, env={**own, "TMPDIR": str(temp)},
                           capture_output=True, text=True, timeout=300)
    assert again.returncode == 0 and "rules" in again.stdout, again.stderr[-2000:]
    assert not list(temp.glob("finops-phases-*"))
    usage = subprocess.run([sys.executable, str(root / "benchmarks" / "phases.py")], capture_output=True, text=True)
    assert usage.returncode == 2 and "Where a scan's time goes" in usage.stdout


def test_ab_script_alternates_two_trees_and_reports_each(tmp_path: Path) -> None:
    """benchmarks/ab.py: cold scans of two trees in turn (here the checkout and a copy of its linter), each tree's
    wall and CPU medians on a line; a tree whose scan fails stops it with a one-line reason."""
    import os
    import shutil
    import subprocess

    root = Path(__file__).resolve().parents[1]
    copy = tmp_path / "tree"
    shutil.copytree(root / "linter", copy / "linter", ignore=shutil.ignore_patterns("__pycache__"))
    shutil.copytree(root / "rules", copy / "rules")
    env = {k: v for k, v in os.environ.items() if k != "PYTHONPATH"}
    run = subprocess.run([sys.executable, str(root / "benchmarks" / "ab.py"), str(root), str(copy), "2",
                          str(root / "iac_examples" / "terraform")], cwd=tmp_path, env=env, capture_output=True,
                         text=True, timeout=300)
    assert run.returncode == 0, run.stderr[-2000:]
    lines = run.stdout.splitlines()
    assert [line.split(":")[0] for line in lines] == [str(root), str(copy)]
    assert all("wall median" in line and "CPU median" in line and "(2 runs)" in line for line in lines)
    broken = tmp_path / "broken"
    (broken / "linter").mkdir(parents=True)
    (broken / "linter" / "__init__.py").write_text("")
    (broken / "linter" / "__main__.py").write_text("raise SystemExit(3)\n")
    failed = subprocess.run([sys.executable, str(root / "benchmarks" / "ab.py"), str(root), str(broken), "1",
                             str(root / "iac_examples" / "terraform")], env=env, capture_output=True, text=True,
                            timeout=300)
    assert failed.returncode != 0 and f"the scan with {broken} exited 3" in failed.stderr


def test_run_script_without_compare_prints_its_verdicts(tmp_path: Path) -> None:
    """benchmarks/run.py with one scenario and no --compare (the quick check between changes) ends with its
    table and verdicts: it once stopped on an unset checkov result after measuring everything."""
    import os
    import subprocess

    root = Path(__file__).resolve().parents[1]
    env = {**os.environ, "PYTHONPATH": str(root)}
    out = tmp_path / "bench.json"
    run = subprocess.run([sys.executable, str(root / "benchmarks" / "run.py"), "--cmd", f"{sys.executable} -m linter",
                          "--tf-files", "20", "--k8s-files", "20", "--scenarios", "combined", "--repeat", "1",
                          "--json", str(out)], cwd=tmp_path, env=env, capture_output=True, text=True, timeout=600)
    assert run.returncode in (0, 1), run.stderr[-2000:]
    assert "Traceback" not in run.stderr
    assert "| cold scan, 1,000 .tf + 1,000 manifests (median) |" in run.stdout
    import json

    data = json.loads(out.read_text())
    assert data["checkov"] is None and data["scenarios"]["combined"]["n_ok"] == 1
