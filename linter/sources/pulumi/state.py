"""``pulumi stack export`` and ``pulumi preview --json`` -> Pulumi resources before and after.

A stack export holds ``deployment.resources`` (urn, type, inputs, outputs, provider); a preview holds
``steps`` (op, urn, oldState, newState) and the stack's ``config``. Inputs are what the program set, so they
read like a program's; Pulumi's placeholder for values known only after the update and secrets stay unknown.
"""

from __future__ import annotations

import json
import re
from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.pulumi.project import Project, PulumiResource
from linter.sources.terraform.values import Unknown

UNKNOWN_SENTINEL = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # Pulumi's "computed" placeholder in previews
SECRET_SIG = "4dabf18193072939515e22adb298388d"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"


class NotPulumi(Exception):
    """A JSON file that is neither a stack export nor a preview."""


@record
class Step:
    op: str  # create | update | replace | delete | same | read ...
    urn: str
    before: PulumiResource | None
    after: PulumiResource | None


@record
class PulumiDocument:
    kind: str  # "stack export" | "preview"
    project: Project
    steps: list[Step] = field(default_factory=list)


def parse_urn(urn: str) -> tuple[str, str, str, str]:
    """``urn:pulumi:stack::project::parent$type::name`` -> (stack, project, type, name)."""
    parts = urn.split("::")
    if len(parts) < 4 or not parts[0].startswith("urn:pulumi:"):
        return "", "", "", urn
    return parts[0][len("urn:pulumi:"):], parts[1], parts[2].rsplit("$", 1)[-1], "::".join(parts[3:])


def provider_name(reference: Any) -> str | None:
    """The provider resource's name from a provider reference, ``<provider urn>::<provider id>``."""
    if not isinstance(reference, str) or "::" not in reference:
        return None
    return parse_urn(reference.rsplit("::", 1)[0])[3]


def plain(value: Any) -> Any:
    """State values with Pulumi's placeholders and signatures turned into values or unknowns."""
    if value == UNKNOWN_SENTINEL:
        return Unknown("known after the update")
    if isinstance(value, dict):
        if SECRET_SIG in value:
            if value.get(SECRET_SIG) == "1b47061264138c4ac30d75fd1eb44270" and "plaintext" in value:
                try:
                    return plain(json.loads(value["plaintext"]))
                except (TypeError, ValueError):
                    return Unknown("a secret")
            return Unknown("a secret")
        if ASSET_SIG in value:
            return None
        return {str(k): plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [plain(v) for v in value]
    return value


def _resource(state: Any, file: str, lines: dict[str, int]) -> PulumiResource | None:
    if not isinstance(state, dict) or not isinstance(state.get("urn"), str):
        return None
    _, _, token, name = parse_urn(state["urn"])
    token = str(state.get("type") or token)
    inputs = state.get("inputs")
    if not isinstance(inputs, dict):
        inputs = state.get("outputs") if isinstance(state.get("outputs"), dict) else {}
    return PulumiResource(token=token, name=name, values=plain(inputs), file=file, line=lines.get(state["urn"], 1),
                          provider=provider_name(state.get("provider")))


def _lines(text: str) -> dict[str, int]:
    out: dict[str, int] = {}
    for m in re.finditer(r'"urn"\s*:\s*"([^"]+)"', text):
        out.setdefault(m.group(1), text.count("\n", 0, m.start()) + 1)
    return out


def read_state(path: str, shown: str) -> PulumiDocument:
    """Read a stack export or preview; NotPulumi for other JSON, ValueError (with ``line``) for broken files."""
    from linter.files import UnreadableFile, read_text
    from linter.suppress import remember

    try:
        text = read_text(path)
    except UnreadableFile as exc:
        error = ValueError(exc.message)
        error.line = exc.line  # type: ignore[attr-defined]
        raise error from exc
    try:
        data = json.loads(text)
    except RecursionError as exc:
        from linter.files import TOO_DEEP

        error = ValueError(f"invalid JSON: {TOO_DEEP}")
        error.line = 1  # type: ignore[attr-defined]
        raise error from exc
    except json.JSONDecodeError as exc:
        if '"urn:pulumi:' not in text:
            raise NotPulumi("not a supported file type") from exc
        error = ValueError(f"invalid JSON: {exc.msg}")
        error.line = exc.lineno  # type: ignore[attr-defined]
        raise error from exc
    remember(path, text)
    lines = _lines(text)
    if isinstance(data, dict) and isinstance(data.get("deployment"), dict):
        return _export(data["deployment"], shown, lines)
    if isinstance(data, dict) and isinstance(data.get("steps"), list):
        return _preview(data, shown, lines)
    if isinstance(data, dict) and "planned_values" in data and "format_version" in data:
        raise NotPulumi("a Terraform plan: gate it with 'finops-lint plan'; not scanned")
    raise NotPulumi("JSON that is neither a Pulumi stack export nor a 'pulumi preview --json'; not scanned")


def _project(urns: list[str], config: dict[str, Any] | None) -> Project:
    stack, name = "", ""
    for urn in urns:
        stack, name, _, _ = parse_urn(urn)
        if name:
            break
    project = Project(directory=".", file="", name=name, runtime="", main="", stack=stack or None)
    for key, value in (config or {}).items():
        project.config[str(key)] = plain(value)
    return project


def _export(deployment: dict[str, Any], shown: str, lines: dict[str, int]) -> PulumiDocument:
    states = [s for s in deployment.get("resources") or [] if isinstance(s, dict)]
    doc = PulumiDocument("stack export", _project([str(s.get("urn", "")) for s in states], None))
    for state in states:
        if state.get("custom") is False or state.get("delete") is True:
            continue  # component resources own nothing billable; pending deletes are gone
        r = _resource(state, shown, lines)
        if r is not None:
            doc.steps.append(Step("same", state["urn"], r, r))
    return doc


def _preview(data: dict[str, Any], shown: str, lines: dict[str, int]) -> PulumiDocument:
    steps = [s for s in data["steps"] if isinstance(s, dict)]
    config = data.get("config") if isinstance(data.get("config"), dict) else None
    doc = PulumiDocument("preview", _project([str(s.get("urn", "")) for s in steps], config))
    for step in steps:
        op = str(step.get("op") or "same")
        old, new = step.get("oldState"), step.get("newState")
        if op in ("read", "refresh", "discard", "import"):
            continue
        before = _resource(old, shown, lines) if op not in ("create",) else None
        after = _resource(new, shown, lines) if op not in ("delete", "delete-replaced") else None
        if isinstance(new, dict) and new.get("custom") is False:
            continue
        urn = str(step.get("urn") or (new or old or {}).get("urn") or "")
        if before is None and after is None:
            continue
        doc.steps.append(Step(op, urn, before, after))
    return doc
