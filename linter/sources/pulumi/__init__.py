"""Pulumi: YAML and Python programs, stack exports and previews -> normalized resources.

Modules, one job each: ``types`` (type tokens -> Terraform types, inputs -> Terraform's shape, from the
generated ``data/types.json``), ``project`` (Pulumi.yaml and stack config), ``yaml_program`` (Pulumi YAML),
``python_program`` (Python read as a syntax tree, never run), ``state`` (``pulumi stack export`` and
``pulumi preview --json``), ``execute`` (opt-in: the program under Pulumi's mock runtime, in a subprocess),
``build`` (through the Terraform mappers and the Kubernetes reader), ``policy`` (a CrossGuard policy pack).
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.model import Resource, ScanError, Skipped


def read_projects(files: list[str], stack: str | None, execute: bool, config: Any, catalog: Any,
                  display: Callable[[str], str], others: list[Resource] | None = None,
                  ) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    """Resources of Pulumi projects (``Pulumi.yaml`` paths); ``execute``: run Python programs under the mock
    runtime instead of reading them statically."""
    from linter.sources.pulumi.build import to_resources
    from linter.sources.pulumi.project import load_project

    resources: list[Resource] = []
    errors: list[ScanError] = []
    skipped: list[Skipped] = []
    for path in files:
        project = load_project(path, stack, display, errors, skipped)
        if project is None:
            continue
        origin = display(project.directory)
        try:
            declared = _declared(project, execute, display, errors, skipped)
            if declared is not None:
                resources.extend(to_resources(declared, project, origin, catalog, config, errors, others, skipped))
        except Exception as exc:  # an internal error costs this project, never the rest of the scan
            errors.append(ScanError(file=display(path), message=f"Pulumi project not read, internal error "
                                    f"({type(exc).__name__}: {exc}); please report this with the files"))
    return resources, errors, skipped


def _declared(project: Any, execute: bool, display: Callable[[str], str], errors: list[ScanError],
              skipped: list[Skipped]) -> list[Any] | None:
    runtime = project.runtime
    if runtime == "yaml":
        from linter.sources.pulumi.yaml_program import YamlProgram

        return YamlProgram(project, display, errors).read()
    if runtime == "python":
        if execute:
            from linter.sources.pulumi.execute import run_program

            return run_program(project, display, errors)
        from linter.sources.pulumi.python_program import read_program

        return read_program(project, display, errors, skipped)
    skipped.append(Skipped(file=display(project.file), reason=f"Pulumi runtime '{runtime}' is not read (YAML and "
                           "Python programs are; for others scan 'pulumi preview --json' or a stack export)"))
    return None


def read_json_files(files: list[str], config: Any, catalog: Any, display: Callable[[str], str],
                    others: list[Resource] | None = None,
                    ) -> tuple[list[Resource], list[ScanError], list[Skipped]]:
    """Resources of ``pulumi stack export`` / ``pulumi preview --json`` files (the state after the change)."""
    from linter.sources.pulumi.build import to_resources
    from linter.sources.pulumi.state import NotPulumi, read_state

    resources: list[Resource] = []
    errors: list[ScanError] = []
    skipped: list[Skipped] = []
    for path in files:
        try:
            document = read_state(path, display(path))
        except NotPulumi as exc:
            skipped.append(Skipped(file=display(path), reason=str(exc)))
            continue
        except ValueError as exc:
            errors.append(ScanError(file=display(path), line=getattr(exc, "line", None), message=str(exc)))
            continue
        after = [s.after for s in document.steps if s.after is not None]
        resources.extend(to_resources(after, document.project, display(path), catalog, config, errors, others))
    return resources, errors, skipped

