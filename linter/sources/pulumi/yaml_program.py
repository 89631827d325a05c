"""Pulumi YAML programs (``runtime: yaml``): resources, config with defaults, variables, ``${...}``.

Interpolation follows Pulumi YAML: ``${name}`` is a config value, a variable or a resource; ``${res.prop}``
reads a resource output (unknown until deployment, but it still names the resource, so joins work);
``${var.key}`` / ``${var[0]}`` index into values. ``fn::invoke`` and other functions the reader does not
evaluate give unknown values, never guesses.
"""

from __future__ import annotations

import json
import os
import re
from typing import Any

from linter import files as fs
from linter.model import ScanError
from linter.sources.pulumi.project import Project, PulumiResource
from linter.sources.pulumi.types import raw_address, unknown_output
from linter.sources.terraform.values import Unknown, contains_unknown, is_unknown, to_str

_INTERP = re.compile(r"\$\{([^}]*)\}")
_PATH = re.compile(r"([A-Za-z_][\w-]*)|\.([A-Za-z_][\w-]*)|\[(\d+|\"[^\"]*\"|'[^']*')\]")


def program_files(project: Project) -> list[str]:
    """Pulumi.yaml holds the program, or ``Main.yaml`` in the ``main`` directory does."""
    main = project.main if fs.isdir(project.main) else project.directory
    candidate = os.path.join(main, "Main.yaml")
    return [project.file, candidate] if fs.isfile(candidate) else [project.file]


def _lines(text: str) -> dict[str, int]:
    """Line of each key under ``resources:`` / ``variables:``."""
    import yaml

    out: dict[str, int] = {}
    try:
        root = yaml.compose(text, Loader=yaml.SafeLoader)
    except yaml.YAMLError:
        return out
    if not isinstance(root, yaml.MappingNode):
        return out
    for key, value in root.value:
        if key.value in ("resources", "variables") and isinstance(value, yaml.MappingNode):
            for k, _ in value.value:
                out[f"{key.value}.{k.value}"] = k.start_mark.line + 1
    return out


class YamlProgram:
    def __init__(self, project: Project, display: Any, errors: list[ScanError]) -> None:
        self.project = project
        self.display = display
        self.errors = errors
        self.variables: dict[str, Any] = {}
        self.variable_nodes: dict[str, Any] = {}
        self.resources: dict[str, dict[str, Any]] = {}
        self.in_progress: set[str] = set()

    def read(self) -> list[PulumiResource]:
        import yaml

        from linter.files import UnreadableFile, read_text
        from linter.suppress import remember

        out: list[PulumiResource] = []
        docs: list[tuple[str, dict[str, Any], dict[str, int]]] = []
        for path in program_files(self.project):
            try:
                text = read_text(path)
                data = yaml.safe_load(text) or {}
            except UnreadableFile as exc:
                self.errors.append(ScanError(file=self.display(path), line=exc.line, message=exc.message))
                continue
            except yaml.YAMLError as exc:
                mark = getattr(exc, "problem_mark", None)
                self.errors.append(ScanError(file=self.display(path), line=mark.line + 1 if mark else None,
                                             message=f"invalid YAML: {getattr(exc, 'problem', None) or exc}"))
                continue
            remember(path, text)
            if not isinstance(data, dict):
                continue
            docs.append((path, data, _lines(text)))
            if path != self.project.file:  # Main.yaml may declare config too
                extra = data.get("config") or data.get("configuration")
                if isinstance(extra, dict):
                    self.project.schema.update(extra)
            for name, node in (data.get("variables") or {}).items():
                self.variable_nodes[str(name)] = node
            for name, node in (data.get("resources") or {}).items():
                if isinstance(node, dict):
                    self.resources[str(name)] = node
        for path, data, lines in docs:
            for name, node in (data.get("resources") or {}).items():
                line = lines.get(f"resources.{name}", 1)
                if not isinstance(node, dict) or not isinstance(node.get("type"), str):
                    self.errors.append(ScanError(file=self.display(path), line=line,
                                                 message=f"resource '{name}' has no type; not read"))
                    continue
                if "get" in node:  # an existing resource read by id: nothing is created
                    continue
                props = node.get("properties") or {}
                values = self.value(props) if isinstance(props, dict) else {}
                options = node.get("options") or {}
                provider = None
                if isinstance(options, dict) and isinstance(options.get("provider"), str):
                    m = _INTERP.fullmatch(options["provider"].strip())
                    provider = m.group(1).strip() if m else None
                out.append(PulumiResource(token=node["type"], name=str(name),
                                          values=values if isinstance(values, dict) else {},
                                          file=self.display(path), line=line, provider=provider))
        return out

    # -- values ------------------------------------------------------------------------
    def value(self, node: Any) -> Any:
        if isinstance(node, str):
            return self.interpolate(node)
        if isinstance(node, list):
            return [self.value(v) for v in node]
        if isinstance(node, dict):
            if len(node) == 1:
                key = next(iter(node))
                if isinstance(key, str) and key.startswith("fn::"):
                    return self.function(key[4:], node[key])
            return {str(k): self.value(v) for k, v in node.items()}
        return node

    def function(self, name: str, arg: Any) -> Any:
        if name == "secret":
            return self.value(arg)
        if name == "join" and isinstance(arg, list) and len(arg) == 2:
            sep, items = self.value(arg[0]), self.value(arg[1])
            if is_unknown(sep) or is_unknown(items) or not isinstance(items, list) or \
                    any(is_unknown(i) for i in items):
                return Unknown("fn::join of unknown values")
            return str(sep).join(to_str(i) for i in items)
        if name == "select" and isinstance(arg, list) and len(arg) == 2:
            index, items = self.value(arg[0]), self.value(arg[1])
            if isinstance(index, int) and isinstance(items, list) and 0 <= index < len(items):
                return items[index]
            return Unknown("fn::select of unknown values")
        if name == "toJSON":
            value = self.value(arg)
            return Unknown("fn::toJSON of unknown values") if contains_unknown(value) else json.dumps(value)
        return Unknown(f"fn::{name} is evaluated at deployment")

    def interpolate(self, text: str) -> Any:
        if "${" not in text:
            return text
        whole = _INTERP.fullmatch(text.strip())
        if whole:
            return self.reference(whole.group(1).strip())
        parts: list[str] = []
        pos = 0
        for m in _INTERP.finditer(text):
            parts.append(text[pos:m.start()])
            value = self.reference(m.group(1).strip())
            if is_unknown(value):
                return value
            parts.append(to_str(value))
            pos = m.end()
        parts.append(text[pos:])
        return "".join(parts)

    def reference(self, expr: str) -> Any:
        steps = [m.group(1) or m.group(2) or m.group(3) for m in _PATH.finditer(expr)]
        if not steps:
            return Unknown(f"${{{expr}}} is not read")
        head, rest = steps[0], steps[1:]
        if head == "pulumi" and rest:
            return {"stack": self.project.stack or Unknown("no stack selected (--stack)"),
                    "project": self.project.name}.get(rest[0], Unknown(f"pulumi.{rest[0]} is not read"))
        if head in self.resources:
            token = str(self.resources[head].get("type", ""))
            address = raw_address(token, head)
            if not rest:
                return Unknown(f"resource {head} is known after deployment", (address,))
            props = self.resources[head].get("properties") or {}
            if rest[0] in props and rest[0] not in ("id", "arn", "urn") and len(rest) == 1:
                value = self.value(props[rest[0]])
                return value
            return unknown_output(address, rest[0])
        if head in self.variable_nodes:
            value = self._variable(head)
        else:
            value = self.config(head)
        return _index(value, rest, expr)

    def _variable(self, name: str) -> Any:
        if name in self.variables:
            return self.variables[name]
        if name in self.in_progress:
            return Unknown(f"variable {name} refers to itself")
        self.in_progress.add(name)
        try:
            value = self.value(self.variable_nodes[name])
        finally:
            self.in_progress.discard(name)
        self.variables[name] = value
        return value

    def config(self, key: str) -> Any:
        value = self.project.value(key)
        if value is None:
            return self.project.missing(key)
        return value


def _index(value: Any, steps: list[str], expr: str) -> Any:
    for step in steps:
        if is_unknown(value):
            return value
        key: Any = step.strip("\"'")
        if isinstance(value, list) and step.isdigit():
            value = value[int(step)] if int(step) < len(value) else Unknown(f"${{{expr}}}: index out of range")
        elif isinstance(value, dict) and key in value:
            value = value[key]
        else:
            return Unknown(f"${{{expr}}} is not read")
    return value

