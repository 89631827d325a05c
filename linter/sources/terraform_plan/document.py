"""Read a plan file (``terraform show -json`` / ``tofu show -json``) and check it is one.

The JSON plan representation is documented by HashiCorp ("JSON Output Format") and by OpenTofu
under the same name; both emit ``format_version`` 1.x (0.x from Terraform before 1.1 reads the
same). A state file, an error document or any other JSON is refused with a one-line reason.
"""

from __future__ import annotations

import json
import os
import re
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.files import UnreadableFile, decode_text
from linter.records import record


class PlanError(Exception):
    """A plan file that cannot be used; ``line`` is set when the JSON parser says where."""

    def __init__(self, file: str, message: str, line: int | None = None) -> None:
        super().__init__(f"{file}:{line}: {message}" if line else f"{file}: {message}")
        self.file, self.line, self.message = file, line, message


@record
class PlanDocument:
    path: str  # as shown to the user
    data: dict[str, Any]
    text: str
    tool: str  # "terraform" or "opentofu"
    tool_version: str | None
    notes: list[str] = field(default_factory=list)  # what was done to read it (e.g. a wrapper stripped)

    _lines: dict[str, int] | None = None

    def line_of(self, address: str) -> int:
        """The line of a resource change in the file (1 for the one-line JSON ``show -json`` prints)."""
        if self._lines is None:
            self._lines = {}
            start = max(self.text.find('"resource_changes"'), 0)
            line, pos = 1 + self.text.count("\n", 0, start), start
            for m in _ADDRESS.finditer(self.text, start):
                line += self.text.count("\n", pos, m.start())
                pos = m.start()
                try:
                    self._lines.setdefault(json.loads(m.group(1)), line)
                except json.JSONDecodeError:
                    continue
        return self._lines.get(address, 1)


_ADDRESS = re.compile(r'"address"\s*:\s*("(?:[^"\\]|\\.)*")')
# hashicorp/setup-terraform's wrapper (on unless terraform_wrapper: false) echoes the command first and appends
# workflow commands, and escapes the output's last newline as %0A: `terraform show -json > plan.json` then holds
# more than JSON. Infracost strips the same lines (StripSetupTerraformWrapper).
_WRAPPER_HEADER = re.compile(r"(?m)^\[command\].*$")
_WRAPPER_OUTPUT = re.compile(r"(?m)^::[\w-]+( [^:]*)?::.*$")
_WRAPPER_ESCAPE = re.compile(r"%0A\s*$")


def strip_setup_terraform_wrapper(text: str) -> tuple[str, bool]:
    """The JSON inside setup-terraform wrapper output, lines kept blank so line numbers still match the file."""
    if not _WRAPPER_HEADER.search(text[:10_000]):
        return text, False
    text = _WRAPPER_HEADER.sub("", text, count=1)
    text = _WRAPPER_OUTPUT.sub("", text)
    body = text.rstrip()
    return _WRAPPER_ESCAPE.sub("", body) + text[len(body):], True
MAX_PLAN_BYTES = 512 * 1024 * 1024  # plans of large estates run to hundreds of MiB; they are read once
_HOW = "produce it with: terraform plan -out tfplan && terraform show -json tfplan > plan.json"


def load_plan_document(path: str, shown: str | None = None) -> PlanDocument:
    """The parsed plan, or :class:`PlanError` naming the file (and line) and why it is not a usable plan."""
    shown = shown or path
    if fs.isdir(path):
        raise PlanError(shown, f"is a directory; pass the plan JSON file ({_HOW})")
    try:
        if os.path.getsize(path) > MAX_PLAN_BYTES:
            raise PlanError(shown, f"larger than {MAX_PLAN_BYTES // 1048576} MiB; not read")
        with open(path, "rb") as fh:
            data_bytes = fh.read()
    except OSError as exc:
        raise PlanError(shown, f"cannot read file: {exc.strerror or exc}") from None
    if data_bytes.startswith(b"PK\x03\x04"):
        raise PlanError(shown, f"a binary plan file (zip), not its JSON; convert it first ({_HOW})")
    try:
        # PowerShell's `terraform show -json tfplan > plan.json` writes UTF-16 with a byte order mark
        text = data_bytes.decode("utf-16") if data_bytes[:2] in (b"\xff\xfe", b"\xfe\xff") else \
            decode_text(data_bytes)
    except UnicodeDecodeError as exc:
        raise PlanError(shown, f"not valid UTF-16 ({exc.reason}); save the plan as UTF-8") from None
    except UnreadableFile as exc:
        raise PlanError(shown, exc.message, exc.line) from None
    text, wrapped = strip_setup_terraform_wrapper(text)
    notes = ["stripped the output hashicorp/setup-terraform's wrapper adds ([command] line, ::set-output lines); "
             "set terraform_wrapper: false on that step to write plain JSON"] if wrapped else []
    if not text.strip():
        if wrapped:
            raise PlanError(shown, "only hashicorp/setup-terraform wrapper output, no plan JSON (did `terraform "
                                   "show -json` fail? its stderr is in the ::set-output name=stderr line)")
        raise PlanError(shown, f"empty file, not a plan ({_HOW})")
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise PlanError(shown, f"invalid JSON: {exc.msg} (column {exc.colno})", exc.lineno) from None
    except RecursionError:
        from linter.files import TOO_DEEP

        raise PlanError(shown, f"invalid JSON: {TOO_DEEP}", 1) from None
    if not isinstance(data, dict):
        raise PlanError(shown, f"not a Terraform plan: the JSON is a {type(data).__name__}, not an object ({_HOW})")
    version = data.get("format_version")
    if version is None:
        raise PlanError(shown, f"not a Terraform plan: no format_version ({_HOW})")
    major = str(version).split(".", 1)[0]
    if major not in ("0", "1"):
        raise PlanError(shown, f"plan format_version {version} is not supported (1.x expected); "
                               "please report it with the terraform/tofu version")
    if "resource_changes" not in data and "planned_values" not in data:
        what = "a state file (terraform show -json of state)" if "values" in data else "not a plan"
        raise PlanError(shown, f"{what}: it has no resource_changes or planned_values ({_HOW})")
    if not isinstance(data.get("resource_changes") or [], list):
        raise PlanError(shown, "not a Terraform plan: resource_changes is not a list")
    tool_version = data.get("terraform_version")
    # OpenTofu writes the same document; its version string is OpenTofu's (1.6+), and its provider
    # addresses name registry.opentofu.org.
    tool = "opentofu" if "registry.opentofu.org" in text[:200_000] else "terraform"
    return PlanDocument(shown, data, text, tool, str(tool_version) if tool_version else None, notes)
