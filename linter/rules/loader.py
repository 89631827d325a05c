"""Load rule files (built-in pack and user directories) with one mechanism.

A rule file is YAML data: it names facets it applies to, a sandboxed ``when`` expression,
a message template, a named cost model, and its own documentation. Loading never runs
code from the file.
"""

from __future__ import annotations

import ast
import os
import re
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.records import record
from linter.rules.expr import ExpressionError, Template, compile_expression

FACETS = ("compute", "gpu", "taggable", "autoscaler", "workload", "llm_endpoint", "any")
SEVERITIES = ("info", "low", "medium", "high", "critical")
DOC_KEYS = ("what", "why", "example", "fix")
OPTIONAL_DOC_KEYS = ("formula",)  # the cost model's figure in one line; every built-in rule has one
_ID = re.compile(r"^[A-Z][A-Z0-9]*(-[A-Z0-9]+)+$")
_NAME = re.compile(r"^[a-z0-9]+(-[a-z0-9]+)*$")


class RuleError(Exception):
    """A rule file that cannot be used; the message names the file and key."""


@record
class Rule:
    id: str
    name: str
    severity: str
    applies_to: list[str]
    when: ast.Expression
    when_source: str
    message: Template
    remediation: Template | Variants
    impact: str
    docs: dict[str, str]
    file: str
    sources: list[str] = field(default_factory=list)
    summary: str = ""


class Variants:
    """Remediation that fits the resource: the first variant whose ``when`` holds is rendered; the last one
    has no ``when`` and is the default. A GKE node pool is told about GKE, a pod about its manifest."""

    def __init__(self, variants: list[tuple[ast.Expression | None, Template]]) -> None:
        self.variants = variants

    def render(self, context: dict[str, Any]) -> str:
        from linter.rules.expr import evaluate

        for when, text in self.variants:
            if when is None or evaluate(when, context):
                return text.render(context)
        return ""


def _remediation(data: dict[str, Any], path: str) -> Template | Variants:
    """``remediation:`` is a template, or a list of ``{when: expression, text: template}`` variants ending in a
    ``{text: ...}`` default."""
    value = _require(data, "remediation", (str, list), path)
    try:
        if isinstance(value, str):
            return Template(value)
        if not isinstance(value, list) or not value:
            raise RuleError(f"{path}: key 'remediation' must be a string or a list of {{when, text}} variants")
        variants: list[tuple[ast.Expression | None, Template]] = []
        for i, item in enumerate(value):
            key = f"remediation.{i}"
            if not isinstance(item, dict) or not isinstance(item.get("text"), str) or set(item) - {"when", "text"}:
                raise RuleError(f"{path}: key '{key}': a variant is {{when: <expression>, text: <template>}}")
            when = item.get("when")
            if when is None and i != len(value) - 1:
                raise RuleError(f"{path}: key '{key}': only the last variant may omit 'when' (it is the default)")
            if when is not None and not isinstance(when, str):
                raise RuleError(f"{path}: key '{key}.when' must be an expression string")
            if when is not None and i == len(value) - 1:
                raise RuleError(f"{path}: key '{key}': the last variant is the default and has no 'when'")
            try:
                variants.append((compile_expression(when) if when else None, Template(item["text"])))
            except ExpressionError as exc:
                raise RuleError(f"{path}: key '{key}': {exc}") from exc
        return Variants(variants)
    except ExpressionError as exc:
        raise RuleError(f"{path}: key 'remediation': {exc}") from exc


def builtin_rules_dir() -> str:
    here = os.path.dirname(os.path.dirname(__file__))
    packaged = os.path.join(here, "builtin_rules")
    if fs.isdir(packaged):
        return packaged
    return os.path.join(os.path.dirname(here), "rules")


def _require(data: dict[str, Any], key: str, kind: type, path: str) -> Any:
    if key not in data:
        raise RuleError(f"{path}: missing required key '{key}'")
    value = data[key]
    if not isinstance(value, kind):
        raise RuleError(f"{path}: key '{key}' must be a {kind.__name__}")
    return value


def parse_rule(data: Any, path: str, impacts: set[str]) -> Rule:
    if not isinstance(data, dict):
        raise RuleError(f"{path}: a rule file must be a YAML mapping")
    rule_id = _require(data, "id", str, path)
    if not _ID.match(rule_id):
        raise RuleError(f"{path}: key 'id': '{rule_id}' is not of the form ABC-DEF-001")
    name = _require(data, "name", str, path)
    if not _NAME.match(name):
        raise RuleError(f"{path}: key 'name': use kebab-case")
    severity = _require(data, "severity", str, path)
    if severity not in SEVERITIES:
        raise RuleError(f"{path}: key 'severity': '{severity}' is not one of {', '.join(SEVERITIES)}")
    applies = _require(data, "applies_to", list, path)
    for facet in applies:
        if facet not in FACETS:
            raise RuleError(f"{path}: key 'applies_to': unknown facet '{facet}' (known: {', '.join(FACETS)})")
    impact = _require(data, "impact", str, path)
    if impact not in impacts:
        raise RuleError(f"{path}: key 'impact': unknown cost model '{impact}' (known: {', '.join(sorted(impacts))})")
    docs = _require(data, "docs", dict, path)
    for key in DOC_KEYS:
        if not isinstance(docs.get(key), str) or not docs[key].strip():
            raise RuleError(f"{path}: key 'docs.{key}' is required (what it does, why it costs money, example, fix)")
    for key in OPTIONAL_DOC_KEYS:
        if key in docs and (not isinstance(docs[key], str) or not docs[key].strip()):
            raise RuleError(f"{path}: key 'docs.{key}' must be a non-empty string")
    unknown_keys = set(data) - {"id", "name", "severity", "applies_to", "when", "message", "remediation", "impact",
                                "docs", "sources", "summary"}
    if unknown_keys:
        raise RuleError(f"{path}: unknown key '{sorted(unknown_keys)[0]}'")
    try:
        when_src = _require(data, "when", str, path)
        when = compile_expression(when_src)
    except ExpressionError as exc:
        raise RuleError(f"{path}: key 'when': {exc}") from exc
    try:
        message = Template(_require(data, "message", str, path))
    except ExpressionError as exc:
        raise RuleError(f"{path}: message template: {exc}") from exc
    remediation = _remediation(data, path)
    sources = data.get("sources") or []
    return Rule(rule_id, name, severity, list(applies), when, when_src, message, remediation, impact,
                {k: str(v) for k, v in docs.items()}, path, list(sources), str(data.get("summary", "")))


def load_rule_dir(directory: str, impacts: set[str]) -> list[Rule]:
    import yaml

    from linter.files import UnreadableFile, read_text

    if not fs.isdir(directory):
        raise RuleError(f"{directory}: rule directory not found")
    rules: list[Rule] = []
    for name in sorted(os.listdir(directory)):
        if not name.endswith((".yaml", ".yml")):
            continue
        path = os.path.join(directory, name)
        try:
            data = yaml.load(read_text(path), Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
        except UnreadableFile as exc:
            raise RuleError(f"{path}: {exc.message}") from exc
        except yaml.YAMLError as exc:
            mark = getattr(exc, "problem_mark", None)
            raise RuleError(f"{path}{f':{mark.line + 1}' if mark else ''}: invalid YAML: "
                            f"{getattr(exc, 'problem', exc)}") from exc
        rules.append(parse_rule(data, path, impacts))
    return rules


def load_rules(extra_dirs: list[str], impacts: set[str]) -> list[Rule]:
    """Built-in rules first, then user directories; a user rule may not reuse a built-in id. Compiled rules are
    cached by the content of the rule files (linter/cache.py): a warm run neither imports the YAML parser nor
    compiles an expression."""
    from linter import cache

    inputs = _rule_inputs([builtin_rules_dir(), *extra_dirs], impacts)
    entry = cache.key("rules", *inputs) if inputs is not None else None
    if entry is not None:
        cached = cache.load(entry)
        if isinstance(cached, list) and all(isinstance(r, Rule) for r in cached):
            return cached
    rules = _load_rules(extra_dirs, impacts)
    if entry is not None:
        cache.store(entry, rules)
    return rules


def _rule_inputs(directories: list[str], impacts: set[str]) -> list[bytes | str] | None:
    """What compiled rules depend on: each directory's rule files, by name and content; None if unreadable."""
    inputs: list[bytes | str] = [",".join(sorted(impacts))]
    for directory in directories:
        inputs.append(os.path.abspath(directory))
        try:
            names = sorted(n for n in os.listdir(directory) if n.endswith((".yaml", ".yml")))
            for name in names:
                inputs += [name, fs.read_all(os.path.join(directory, name))]
        except OSError:
            return None  # let the normal load report it
    return inputs


def _load_rules(extra_dirs: list[str], impacts: set[str]) -> list[Rule]:
    rules = load_rule_dir(builtin_rules_dir(), impacts)
    seen = {r.id: r.file for r in rules}
    for directory in extra_dirs:
        for rule in load_rule_dir(directory, impacts):
            if rule.id in seen:
                raise RuleError(f"{rule.file}: rule id {rule.id} is already defined in {seen[rule.id]}")
            seen[rule.id] = rule.file
            rules.append(rule)
    return rules
