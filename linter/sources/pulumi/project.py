"""A Pulumi project: ``Pulumi.yaml`` (name, runtime, main, config schema) and its stack config files.

Stack config (``Pulumi.<stack>.yaml``) is chosen with ``--stack``; without it, the only stack file of the
project, else none (config defaults only) and a note that says which stacks exist.
"""

from __future__ import annotations

import os
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.model import ScanError, Skipped
from linter.records import record
from linter.sources.terraform.values import Unknown


@record
class PulumiResource:
    """One resource a program declares, before it is mapped: type token, logical name, inputs."""

    token: str
    name: str
    values: dict[str, Any]
    file: str
    line: int
    provider: str | None = None  # logical name of an explicit provider resource
    unknowns: list[str] = field(default_factory=list)


@record
class Project:
    directory: str
    file: str  # Pulumi.yaml (absolute)
    name: str
    runtime: str
    main: str  # directory or file of the program
    schema: dict[str, Any] = field(default_factory=dict)  # config: key -> {type, default} from Pulumi.yaml
    stack: str | None = None
    stack_file: str | None = None
    config: dict[str, Any] = field(default_factory=dict)  # "namespace:key" -> value
    notes: list[str] = field(default_factory=list)

    def value(self, key: str, namespace: str | None = None) -> Any:
        """A config value as the program reads it (``Config().get(key)``); None when not set."""
        ns = namespace or self.name
        full = key if ":" in key else f"{ns}:{key}"
        if full in self.config:
            return self.config[full]
        if ":" not in key and key in self.config:
            return self.config[key]
        entry = self.schema.get(key) if ns == self.name else self.schema.get(full)
        if isinstance(entry, dict) and "default" in entry:
            return entry["default"]
        if entry is not None and not isinstance(entry, dict):
            return entry
        return None

    def missing(self, key: str) -> Unknown:
        where = os.path.basename(self.stack_file) if self.stack_file else f"a Pulumi.<stack>.yaml of {self.name}"
        return Unknown(f"config '{key}' is not set in {where} and has no default")


def runtime_name(value: Any) -> str:
    if isinstance(value, dict):
        value = value.get("name")
    return str(value or "")


def load_project(path: str, stack: str | None, display: Any, errors: list[ScanError],
                 skipped: list[Skipped]) -> Project | None:
    """Read ``Pulumi.yaml`` and the selected stack's config; None (error recorded) when it cannot be read."""
    import yaml

    from linter.files import UnreadableFile, read_text

    path = os.path.abspath(path)
    try:
        data = yaml.safe_load(read_text(path))
    except UnreadableFile as exc:
        errors.append(ScanError(file=display(path), line=exc.line, message=exc.message))
        return None
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        errors.append(ScanError(file=display(path), line=mark.line + 1 if mark else None,
                                message=f"invalid YAML: {getattr(exc, 'problem', None) or exc}"))
        return None
    if not isinstance(data, dict):
        errors.append(ScanError(file=display(path), line=1, message="Pulumi.yaml is not a mapping"))
        return None
    directory = os.path.dirname(path)
    schema = data.get("config") or data.get("configuration") or {}
    main = os.path.join(directory, str(data.get("main") or ""))
    project = Project(directory=directory, file=path, name=str(data.get("name") or os.path.basename(directory)),
                      runtime=runtime_name(data.get("runtime")), main=main,
                      schema=schema if isinstance(schema, dict) else {})
    _load_stack(project, stack, display, errors, skipped)
    return project


def _load_stack(project: Project, stack: str | None, display: Any, errors: list[ScanError],
                skipped: list[Skipped]) -> None:
    import yaml

    from linter.files import UnreadableFile, read_text

    names = sorted(n[len("Pulumi."):-len(".yaml")] for n in os.listdir(project.directory)
                   if n.startswith("Pulumi.") and n.endswith(".yaml") and n != "Pulumi.yaml")
    if stack is None:
        if len(names) == 1:
            stack = names[0]
        elif names:
            skipped.append(Skipped(file=display(project.file), reason=f"stacks {', '.join(names)}: none chosen "
                                   "(--stack NAME); config defaults from Pulumi.yaml only"))
            return
        else:
            return
    path = os.path.join(project.directory, f"Pulumi.{stack}.yaml")
    project.stack = stack
    if not fs.isfile(path):
        if stack in names or not names:
            return
        skipped.append(Skipped(file=display(project.file), reason=f"no Pulumi.{stack}.yaml (stacks: "
                               f"{', '.join(names)}); config defaults from Pulumi.yaml only"))
        return
    try:
        data = yaml.safe_load(read_text(path)) or {}
    except (UnreadableFile, yaml.YAMLError) as exc:
        errors.append(ScanError(file=display(path), message=f"stack config not read: {exc}"))
        return
    project.stack_file = path
    config = data.get("config") if isinstance(data, dict) else None
    if isinstance(config, dict):
        for key, value in config.items():
            if isinstance(value, dict) and set(value) == {"secure"}:
                value = Unknown(f"config '{key}' is a secret")
            project.config[str(key)] = value


def provider_settings(project: Project | None, package: str) -> dict[str, Any]:
    """The default provider's settings from stack config (``aws:region``, ``aws:defaultTags`` ...)."""
    if project is None:
        return {}
    prefix = f"{package}:"
    return {k[len(prefix):]: v for k, v in project.config.items() if k.startswith(prefix)}
