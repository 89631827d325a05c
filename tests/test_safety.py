"""A scanned repository's rules and config are data: nothing in them runs. And a scan opens no network connection.

The expression sandbox itself is unit-tested in tests/test_rules_engine.py; here a repository ships the attack the
way a pull request would (its .finops-lint.yaml names its own rules directory) and the sentinel file an executed
payload would create must not exist.
"""

from __future__ import annotations

import json
import os
import socket
import subprocess
import sys
import textwrap
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli, scan_json, write

TF = '''provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "trainer" {
  instance_type = "p4d.24xlarge"
  tags = { workload = "training", team = "ml", "cost-center" = "cc1", environment = "prod" }
}
'''

DOCS = "\n".join(f"  {k}: text long enough to be a doc entry for {k}" for k in ("what", "why", "example", "fix"))


def _rule(when: str, message: str = '"{{ r.address }}"', extra: str = "") -> str:
    return (f"id: ACME-GPU-100\nname: no-p4d\nseverity: high\napplies_to: [gpu]\nwhen: {when}\n"
            f"message: {message}\nremediation: use spot\nimpact: unattributed\n{extra}docs:\n{DOCS}\n")


@pytest.mark.parametrize("rule, message", [
    ("!!python/object/apply:os.system ['touch SENTINEL']\n", "invalid YAML"),
    (_rule('"__import__(\'os\').system(\'touch SENTINEL\')"'), "key 'when': unknown function '__import__("),
    (_rule('"r.__class__.__init__.__globals__"'), "private attribute '__globals__'"),
    (_rule("\"r.address == 'x'\"", message="\"{{ r.__class__.__mro__[1].__subclasses__() }}\""),
     "message template: unknown function"),
    (_rule("\"r.address == 'x'\"", extra="sources: !!python/object/new:os.system [touch SENTINEL]\n"),
     "invalid YAML"),
])
def test_a_malicious_rule_file_in_the_repository_never_runs(tmp_path: Path, rule: str, message: str) -> None:
    sentinel = tmp_path / "SENTINEL"
    write(tmp_path, {"main.tf": TF, "policies/evil.yaml": rule.replace("SENTINEL", str(sentinel)),
                     ".finops-lint.yaml": "rules_dirs: [policies]\n"})
    run = run_cli("scan", ".", cwd=tmp_path)
    assert run.exit_code == 2
    assert run.stderr.startswith("finops-lint: error: ") and message in run.stderr
    assert run.stderr.count("\n") == 1  # one line, no traceback
    assert not sentinel.exists()


def test_template_syntax_of_other_engines_is_literal_text(tmp_path: Path) -> None:
    """Messages are our own small templates, not Jinja2: `{% %}` and `${}` come out as written."""
    rule = _rule("\"r.compute.instance_type == 'p4d.24xlarge'\"",
                 message="\"{{ r.address }} {% import os %} ${jndi:ldap://x} #{7*7}\"")
    write(tmp_path, {"main.tf": TF, "policies/odd.yaml": rule, ".finops-lint.yaml": "rules_dirs: [policies]\n"})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("ACME-GPU-100", "aws_instance.trainer")
    assert f["message"] == "aws_instance.trainer {% import os %} ${jndi:ldap://x} #{7*7}"


def test_a_config_with_python_tags_is_refused(tmp_path: Path) -> None:
    sentinel = tmp_path / "SENTINEL"
    write(tmp_path, {"main.tf": TF,
                     ".finops-lint.yaml": f"fail_on: !!python/object/apply:os.system ['touch {sentinel}']\n"})
    run = run_cli("scan", ".", cwd=tmp_path)
    assert run.exit_code == 2 and "invalid YAML" in run.stderr and not sentinel.exists()


# -- no network -----------------------------------------------------------------------------------------------

def _refuse(*args: object, **kwargs: object) -> None:
    raise AssertionError(f"a scan tried to open a network connection: {args!r}")


def test_a_scan_of_every_example_opens_no_connection(monkeypatch: pytest.MonkeyPatch) -> None:
    """Terraform, plans, Pulumi, Kubernetes and LLM examples, with sockets refused (in-process)."""
    for name in ("connect", "connect_ex", "sendto", "bind"):
        monkeypatch.setattr(socket.socket, name, _refuse)
    monkeypatch.setattr(socket, "create_connection", _refuse)
    monkeypatch.setattr(socket, "getaddrinfo", _refuse)
    run = scan_json(str(EXAMPLES))
    assert run.exit_code == 1 and run.report["errors"] == []
    assert {f["rule_id"] for f in run.findings()} >= {"FIN-GPU-001", "FIN-TAG-001", "FIN-LLM-002", "FIN-SCALE-001"}
    plan = run_cli("plan", str(EXAMPLES / "plans" / "aws_training_cluster" / "violating" / "plan.json"),
                   "--format", "json")
    assert plan.exit_code == 1 and json.loads(plan.stdout)["cost_diff"]["monthly_delta_usd"] > 0


def test_the_cli_opens_no_connection_in_a_fresh_process(tmp_path: Path) -> None:
    """The installed command, with the socket module disabled before anything imports it."""
    (tmp_path / "sitecustomize.py").write_text(textwrap.dedent("""\
        import socket

        def _refuse(*args, **kwargs):
            raise SystemExit("NETWORK: a scan tried to open a connection")

        for _name in ("connect", "connect_ex", "sendto", "bind"):
            setattr(socket.socket, _name, _refuse)
        socket.create_connection = socket.getaddrinfo = _refuse
        """))
    env = {**os.environ, "PYTHONPATH": os.pathsep.join([str(tmp_path), str(ROOT)])}
    done = subprocess.run([sys.executable, "-m", "linter", "scan", str(EXAMPLES), "--format", "json"],
                          capture_output=True, text=True, env=env, timeout=300)
    assert "NETWORK" not in done.stderr and done.returncode == 1, done.stderr[-2000:]
    assert json.loads(done.stdout)["summary"]["findings"] > 0
