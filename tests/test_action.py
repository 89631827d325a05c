"""The composite GitHub Action (action.yml), run step by step as a runner would: the README's workflow
snippet gives the inputs, `run:` steps execute in bash with the runner's files (GITHUB_OUTPUT,
GITHUB_STEP_SUMMARY, RUNNER_TEMP), `uses:` steps are checked for what they would receive, and the
comment goes to a local stand-in for the GitHub API."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path
from typing import Any

import yaml
from fake_forge import Forge
from test_report_formats import sarif_schema

from conftest import EXAMPLES, ROOT

TRAINING = EXAMPLES / "terraform/aws/training_cluster/violating"


def readme_workflow() -> dict[str, Any]:
    section = (ROOT / "README.md").read_text().split("### GitHub Action", 1)[1]
    return yaml.safe_load(section.split("```yaml\n", 1)[1].split("```", 1)[0])


class Runner:
    """Just enough of the Actions runner for a composite action: ${{ }} expressions, outputs, env."""

    def __init__(self, inputs: dict[str, str], context: dict[str, str], env: dict[str, str], cwd: Path) -> None:
        self.inputs, self.context, self.env, self.cwd = inputs, context, env, cwd
        self.outputs: dict[str, dict[str, str]] = {}
        self.used: list[dict[str, Any]] = []

    def value(self, expr: str) -> Any:
        def lookup(m: re.Match[str]) -> str:
            scope, name = m.group(1), m.group(2)
            if scope == "inputs":
                return repr(self.inputs.get(name, ""))
            if scope.startswith("steps."):
                return repr(self.outputs.get(scope.split(".")[1], {}).get(name, ""))
            return repr(self.context.get(name, ""))

        py = re.sub(r"\b(inputs|github|steps\.\w+\.outputs)\.([\w-]+)", lookup, expr.strip())
        py = py.replace("&&", " and ").replace("||", " or ").replace("always()", "True").replace("!=", " != ")
        return eval(py, {"__builtins__": {}}, {})  # our own action.yml, with values quoted by repr()

    def text(self, template: str) -> str:
        return re.sub(r"\$\{\{(.*?)\}\}", lambda m: str(self.value(m.group(1))), template)

    def run(self, steps: list[dict[str, Any]], skip: tuple[str, ...]) -> int:
        temp = self.cwd / "_runner"
        temp.mkdir(exist_ok=True)
        for step in steps:
            condition = step.get("if")
            if condition and not self.value(condition.strip().removeprefix("${{").removesuffix("}}")):
                continue
            if "uses" in step:
                self.used.append({"uses": step["uses"], "with": {k: self.text(str(v)) for k, v in
                                                                 (step.get("with") or {}).items()}})
                continue
            if step.get("name") in skip:
                continue
            output = temp / f"output-{len(self.outputs)}"
            output.write_text("")
            env = {**self.env, **{k: self.text(str(v)) for k, v in (step.get("env") or {}).items()},
                   "GITHUB_OUTPUT": str(output), "GITHUB_STEP_SUMMARY": str(temp / "summary.md"),
                   "RUNNER_TEMP": str(temp), "GITHUB_ACTION_PATH": str(ROOT)}
            proc = subprocess.run(["bash", "-e", "-c", step["run"]], cwd=self.cwd, env=env, capture_output=True,
                                  text=True, timeout=300)
            self.log = getattr(self, "log", "") + proc.stdout + proc.stderr
            if "id" in step:
                self.outputs[step["id"]] = dict(line.split("=", 1) for line in output.read_text().splitlines())
            if proc.returncode:
                return proc.returncode
        return 0


def test_readme_workflow_runs_the_action_scan_sarif_summary_and_comment(tmp_path: Path, monkeypatch) -> None:
    action = yaml.safe_load((ROOT / "action.yml").read_text())
    assert action["runs"]["using"] == "composite"
    workflow = readme_workflow()
    job = next(iter(workflow["jobs"].values()))
    step = next(s for s in job["steps"] if s.get("uses", "").startswith("finops-lint/finops-lint"))
    assert set(step["with"]) <= set(action["inputs"]), "README uses an input action.yml does not declare"
    assert {"pull-requests": "write", "security-events": "write"}.items() <= workflow["permissions"].items()

    workspace = tmp_path / "repo"
    shutil.copytree(TRAINING, workspace / "infra/training")
    inputs = {name: str(spec.get("default", "")) for name, spec in action["inputs"].items()}
    inputs.update({k: str(v) for k, v in step["with"].items()})
    inputs["github-token"] = "ghs_action-token"
    event = tmp_path / "event.json"
    event.write_text(json.dumps({"pull_request": {"number": 7}}))
    forge = Forge()
    try:
        forge.files = [{"filename": "infra/training/main.tf", "patch": "@@ -26,0 +27,1 @@\n+module \"gpu_nodes\" {"}]
        env = {**os.environ, "PATH": f"{Path(sys.executable).parent}{os.pathsep}{os.environ['PATH']}",
               "GITHUB_API_URL": f"{forge.url}/api/v3", "GITHUB_REPOSITORY": "acme/infra",
               "GITHUB_EVENT_PATH": str(event)}
        env.pop("GITHUB_TOKEN", None)
        runner = Runner(inputs, {"event_name": "pull_request", "token": "unused"}, env, workspace)
        code = runner.run(action["runs"]["steps"], skip=("Install finops-lint",))
    finally:
        forge.close()
    log = getattr(runner, "log", "")
    assert code == 1, log  # the last step fails the job: findings at or above --fail-on high
    assert runner.outputs["run"]["exit-code"] == "1"
    assert "::error file=infra/training/modules/gpu_node_group/main.tf,line=10,title=FIN-GPU-001" in log
    upload = next(u for u in runner.used if u["uses"].startswith("github/codeql-action/upload-sarif@"))
    sarif = json.loads(Path(upload["with"]["sarif_file"]).read_text())
    import jsonschema

    jsonschema.Draft4Validator(sarif_schema()).validate(sarif)
    assert {r["ruleId"] for r in sarif["runs"][0]["results"]} >= {"FIN-GPU-001"}
    assert upload["with"]["token"] == "ghs_action-token"
    summary = (workspace / "_runner/summary.md").read_text()
    assert "### finops-lint: 3 findings" in summary
    posted = forge.calls("POST", r"/issues/7/comments$")
    assert len(posted) == 1 and posted[0]["body"]["body"].startswith("<!-- finops-lint-comment:default -->")
    assert posted[0]["headers"]["authorization"] == "Bearer ghs_action-token"
    review = forge.calls("POST", r"/pulls/7/reviews$")  # inline: "true" in the README snippet
    assert {c["line"] for c in review[0]["body"]["comments"]} == {27}
    assert "ghs_action-token" not in log
