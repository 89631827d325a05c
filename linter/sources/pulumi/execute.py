"""Opt-in (``--pulumi-execute``): run a Python program under Pulumi's mock runtime to see every resource.

For programs too dynamic to read statically (resources built from API calls, classes, comprehensions over
files). The program runs in a subprocess (``_mock_runner.py``) with Pulumi's mocks: no Pulumi CLI, engine,
credentials or cloud calls by Pulumi itself, but the program's own code does run, which is why this is never
the default. It needs ``pulumi`` and the program's provider packages in the interpreter finops-lint runs
with (or in the project's virtualenv named in Pulumi.yaml); a missing one is an error that says what to install.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
import tempfile
from typing import Any

from linter.model import ScanError
from linter.sources.pulumi.project import Project, PulumiResource
from linter.sources.pulumi.python_program import program_file
from linter.sources.pulumi.state import provider_name
from linter.sources.pulumi.types import raw_address
from linter.sources.terraform.values import Unknown

TIMEOUT_S = 300
REF = "__finops_ref__:"
PIP_NAMES = {"pulumi": "'finops-lint[pulumi]' (or pulumi)"}


def _config(project: Project) -> dict[str, str]:
    """Stack config over Pulumi.yaml defaults, as the strings Pulumi's runtime holds."""
    out: dict[str, str] = {}
    for key, entry in project.schema.items():
        default = entry.get("default") if isinstance(entry, dict) else entry
        if default is not None:
            out[key if ":" in key else f"{project.name}:{key}"] = default
    out.update({k: v for k, v in project.config.items() if not isinstance(v, Unknown)})
    return {k: v if isinstance(v, str) else json.dumps(v) for k, v in out.items()}


def _interpreter(project: Project) -> str:
    """The project's virtualenv (Pulumi.yaml ``runtime.options.virtualenv``) when it has Python, else ours."""
    for name in ("venv", ".venv"):
        candidate = os.path.join(project.directory, name, "bin", "python")
        if os.path.isfile(candidate):
            return candidate
    return sys.executable


def _values(value: Any) -> Any:
    if isinstance(value, str) and value.startswith(REF):
        token, _, name = value[len(REF):].partition("::")
        return Unknown(f"the id of {name} (known after deployment)", (raw_address(token, name),))
    if isinstance(value, dict):
        return {k: _values(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_values(v) for v in value]
    return value


def run_program(project: Project, display: Any, errors: list[ScanError]) -> list[PulumiResource]:
    """The resources the program registers under the mock runtime; errors name what to install or where the
    program failed."""
    program = program_file(project)
    if program is None:
        errors.append(ScanError(file=display(project.file), message="Python program not found (no __main__.py)"))
        return []
    with tempfile.TemporaryDirectory(prefix="finops-lint-pulumi-") as tmp:
        # run from a copy: beside this package's types.py, the script's directory would shadow the stdlib's types
        runner = os.path.join(tmp, "finops_lint_mock_runner.py")
        shutil.copyfile(os.path.join(os.path.dirname(os.path.abspath(__file__)), "_mock_runner.py"), runner)
        out = os.path.join(tmp, "declared.json")
        request = {"program": program, "project": project.name, "stack": project.stack or "dev",
                   "config": _config(project), "out": out}
        try:
            proc = subprocess.run([_interpreter(project), runner], input=json.dumps(request), capture_output=True,
                                  text=True, timeout=TIMEOUT_S, cwd=project.directory)
        except subprocess.TimeoutExpired:
            errors.append(ScanError(file=display(program), message=f"program did not finish under the mock "
                                    f"runtime within {TIMEOUT_S} s; not read"))
            return []
        if not os.path.isfile(out):
            last = (proc.stderr.strip().splitlines() or ["no output"])[-1]
            errors.append(ScanError(file=display(program), message=f"mock runtime failed: {last}"))
            return []
        with open(out, encoding="utf-8") as fh:
            result = json.load(fh)
    if result.get("error") == "missing":
        module = str(result.get("module") or "pulumi")
        package = PIP_NAMES.get(module, module.replace("_", "-"))
        file = result.get("file")
        errors.append(ScanError(file=display(file) if file else display(program), line=result.get("line"),
                                message=f"--pulumi-execute needs the Python package "
                                f"'{module}': pip install {package} (in the environment finops-lint runs in)"))
        return []
    if result.get("error") == "program":
        file = result.get("file")
        errors.append(ScanError(file=display(file) if file else display(program), line=result.get("line"),
                                message=f"program failed under the mock runtime: {result.get('message')}"))
    declared: list[PulumiResource] = []
    for item in result.get("resources") or []:
        token = str(item.get("type") or "")
        if item.get("custom") is False and not token.startswith("pulumi:providers:"):
            continue  # components own nothing billable; their children are registered themselves
        file = item.get("file") or program
        inputs = _values(item.get("inputs") or {})
        declared.append(PulumiResource(token=token, name=str(item.get("name")), values=inputs, file=display(file),
                                       line=int(item.get("line") or 1), provider=provider_name(item.get("provider"))))
    return declared
