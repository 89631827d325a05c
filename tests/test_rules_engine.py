"""Rules are data: the sandboxed expression language, rule validation, docs, user rule dirs."""

from __future__ import annotations

from pathlib import Path

import pytest
import yaml

from conftest import run_cli, scan_json, write
from linter.model import Accelerators, Compute, Resource
from linter.rules.expr import ExpressionError, Template, compile_expression, evaluate
from linter.rules.impacts import IMPACTS
from linter.rules.loader import DOC_KEYS, RuleError, builtin_rules_dir, load_rule_dir, parse_rule


def _resource(**compute) -> Resource:
    return Resource(address="aws_instance.x", type="aws_instance", source="terraform", provider="aws", file="m.tf",
                    line=1, tags={"team": "ml"},
                    compute=Compute(gpu=Accelerators(model="A100", count=8, kind="gpu"), **compute))


@pytest.mark.parametrize("source", [
    "r.__class__", "r._private", "__import__('os')", "open('/etc/passwd')", "(lambda: 1)()",
    "[x for x in r.tags]", "r.address.upper()", "r.tags.get('team')", "2 ** 100000", "exec('1')",
])
def test_unsafe_constructs_are_rejected_at_load(source: str) -> None:
    with pytest.raises(ExpressionError):
        compile_expression(source)


def test_expressions_read_facts_and_treat_unknown_as_none() -> None:
    r = _resource(count=None, on_demand_share=1.0)
    ctx = {"r": r}
    assert evaluate(compile_expression("r.gpu.count > 4 and r.gpu.model == 'A100'"), ctx) is True
    assert evaluate(compile_expression("r.compute.count > 0"), ctx) is False  # unknown -> comparison false
    assert evaluate(compile_expression("r.compute.count is none"), ctx) is True
    assert evaluate(compile_expression("r.tags['team'] in ['ml', 'data']"), ctx) is True
    assert evaluate(compile_expression("r.tags['missing'] == none"), ctx) is True
    assert evaluate(compile_expression("r.autoscaling.metric_kind == 'cpu'"), ctx) is False
    assert evaluate(compile_expression("len(r.missing_tags) == 0 and not false"), ctx) is True
    assert Template("{{ r.address }} costs {{ money(1234.5) }} for {{ num(r.gpu.count) }} GPUs").render(ctx) == \
        "aws_instance.x costs $1,234.50 for 8 GPUs"


VALUES = [None, 0, 1, 2.5, True, False, "", "cpu", "batch", [], ["batch"], {"a": 1}]


@pytest.mark.parametrize("op", ["==", "!=", "is", "is not", "<", "<=", ">", ">=", "in", "not in"])
def test_each_comparison_as_built_says_what_the_generic_comparison_says(op: str) -> None:
    """Comparisons are specialised per operator when a rule is compiled; the answers must not change."""
    import ast

    from linter.rules.expr import _compare

    tree = compile_expression(f"a {op} b")
    node = tree.body.ops[0]  # type: ignore[attr-defined]
    for a in VALUES:
        for b in VALUES:
            try:
                expected: object = _compare(node, a, b)
            except TypeError as exc:  # e.g. [] in 1: both must refuse alike
                expected = type(exc)
            try:
                got: object = evaluate(tree, {"a": a, "b": b})
            except TypeError as exc:
                got = type(exc)
            assert got == expected, (a, op, b)
    assert isinstance(node, ast.cmpop)


def test_attribute_reads_as_built_say_what_attr_says() -> None:
    """An attribute is read by a reader chosen once per class of object: dict keys, dataclass fields and
    properties of fact objects, none for anything else a fact object has, an error for other objects."""
    from linter.rules.expr import _attr

    r = _resource(count=None, on_demand_share=1.0)
    tree = compile_expression("x.gpu")
    for obj in (r, {"gpu": 3}, {}, None):
        assert evaluate(tree, {"x": obj}) == _attr(obj, "gpu")
    assert evaluate(compile_expression("x.to_dict"), {"x": r}) is None  # a method, not a fact
    assert evaluate(compile_expression("x.gpu.count"), {"x": r}) == 8
    for bad in ("text", 3, [1]):
        with pytest.raises(ExpressionError, match=r"cannot read '\.gpu'"):
            evaluate(tree, {"x": bad})
    lists = compile_expression("['batch', 'training']")
    assert evaluate(lists, {}) == ["batch", "training"] and evaluate(lists, {}) is evaluate(lists, {})


def _rule(**overrides):
    data = {"id": "ACME-GPU-100", "name": "no-p5", "severity": "high", "applies_to": ["gpu"],
            "when": "r.compute.family == 'p5'", "message": "{{ r.address }}", "remediation": "use p4d",
            "impact": "unattributed", "docs": {k: "text" for k in DOC_KEYS}}
    data.update(overrides)
    return data


@pytest.mark.parametrize(("override", "message"), [
    ({"severity": "urgent"}, "key 'severity'"),
    ({"applies_to": ["vm"]}, "unknown facet 'vm'"),
    ({"impact": "magic"}, "unknown cost model 'magic'"),
    ({"when": "r.x +"}, "key 'when': syntax error"),
    ({"when": "__import__('os').system('id')"}, "key 'when'"),
    ({"docs": {"what": "x"}}, "docs.why"),
    ({"id": "gpu1"}, "key 'id'"),
    ({"python": "import os"}, "unknown key 'python'"),
])
def test_invalid_rules_name_file_and_key(override: dict, message: str) -> None:
    with pytest.raises(RuleError) as err:
        parse_rule(_rule(**override), "policies/acme.yaml", set(IMPACTS))
    assert str(err.value).startswith("policies/acme.yaml: ")
    assert message in str(err.value)


def test_builtin_rules_all_load_and_carry_docs() -> None:
    rules = load_rule_dir(builtin_rules_dir(), set(IMPACTS))
    ids = {r.id for r in rules}
    assert {"FIN-TAG-001", "FIN-GPU-001", "FIN-GPU-002", "FIN-GPU-003", "FIN-SCALE-001"} <= ids
    for rule in rules:
        assert Path(rule.file).name == f"{rule.id}.yaml"
        for key in DOC_KEYS:
            assert len(rule.docs[key].strip()) > 20, (rule.id, key)


def test_user_rule_directory_is_loaded_the_same_way(tmp_path: Path) -> None:
    rule = _rule(when="r.compute.instance_type == 'p5.48xlarge' and r.tags['team'] != 'research'",
                 message="{{ r.address }} runs p5 for team {{ default(r.tags['team'], 'unknown') }}")
    write(tmp_path, {"policies/no-p5.yaml": yaml.safe_dump(rule),
                     "main.tf": 'provider "aws" { region = "us-east-1" }\n'
                                'resource "aws_instance" "big" {\n  instance_type = "p5.48xlarge"\n'
                                '  tags = { team = "ml", "cost-center" = "c", environment = "prod", workload = "inference" }\n}\n',
                     ".finops-lint.yaml": "rules_dirs: [policies]\n"})
    run = scan_json("main.tf", cwd=tmp_path)
    f = run.finding("ACME-GPU-100", "aws_instance.big")
    assert f["message"] == "aws_instance.big runs p5 for team ml"
    assert f["impact"]["kind"] == "unattributed" and f["impact"]["monthly_usd"] > 0
    assert "ACME-GPU-100" in run_cli("rules", cwd=tmp_path).stdout


def test_user_rule_cannot_redefine_a_builtin_id(tmp_path: Path) -> None:
    write(tmp_path, {"policies/dup.yaml": yaml.safe_dump(_rule(id="FIN-GPU-001")), "main.tf": ""})
    run = run_cli("scan", ".", "--rules-dir", "policies", cwd=tmp_path)
    assert run.exit_code == 2
    assert "FIN-GPU-001 is already defined" in run.stderr


def test_rebased_paths_are_what_relpath_gives() -> None:
    """Fingerprints and baseline entries hold paths relative to the repository root; a path below it is cut
    without os.path.relpath (0.02 s of a 2,000-finding scan), and any other (.., ., outside) still takes relpath."""
    import os

    from linter import engine

    cases = [("/repo", "envs/prod/main.tf", "/repo"), ("/repo/envs", "../modules/gpu/main.tf", "/repo"),
             ("/repo", "/repo/k8s/vllm.yaml", "/repo"), ("/repo", "/srv/shared/x.tf", "/repo"),
             ("/repo", "a/./b.tf", "/repo"), ("/repo/sub", "x.tf", "/repo"), ("/", "repo/x.tf", "/repo"),
             ("/repo", "x.tf", "/repo/sub"), ("/repo", "k8s/../x.yaml", "/repo"), ("/re", "x.tf", "/repo"),
             ("/repo", "..x/y.tf", "/repo"), ("/repo", "x.tf", "/")]
    for cwd, path, anchor in cases:
        engine._REBASED.clear()
        assert engine.rebase(path, anchor, cwd) == os.path.relpath(os.path.join(cwd, path), anchor), (cwd, path)
