#!/usr/bin/env python3
"""Write linter/facts/data/taggable.json: the Terraform resource types that accept cost tags or labels.

Source: checkov's generated lists in ``checkov/common/checks_infra/resources_types.py``
(``aws_taggable``, ``gcp_taggable``, ``azure_taggable``: the types whose provider schema has a
``tags`` or ``labels`` argument). The file is read as a syntax tree (``ast``), never executed.

Where the file comes from (any one):
  --from-installed            the installed checkov package (``pip install checkov``), version from checkov.version
  --path FILE                 a copy of resources_types.py, e.g. from a checkov checkout or
                              ``git --git-dir=... show HEAD:checkov/common/checks_infra/resources_types.py``;
                              give --version and --commit (read from a sibling checkov/version.py when present)

Our own additions and removals, each with a reason, live beside the output in
linter/facts/data/tag_overrides.json and are applied at load time (linter/facts/tag_data.py), not here.

Run:  python tools/taggable/extract_checkov_taggable.py --path /tmp/resources_types.py --version 3.3.13 \
          --commit 03d5fdad8d6154b1565799a7b1fb8070c158866f
"""
from __future__ import annotations

import argparse
import ast
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "linter" / "facts" / "data" / "taggable.json"
SOURCE_PATH = "checkov/common/checks_infra/resources_types.py"
LISTS = {"aws": "aws_taggable", "gcp": "gcp_taggable", "azure": "azure_taggable"}
PREFIX = {"aws": "aws_", "gcp": "google_", "azure": "azurerm_"}


class ExtractError(Exception):
    """The file does not hold the lists we expect: say which and stop (never write a partial list)."""


def extract(text: str) -> dict[str, list[str]]:
    """The taggable lists of one resources_types.py, by cloud, sorted and de-duplicated."""
    try:
        tree = ast.parse(text)
    except SyntaxError as exc:
        raise ExtractError(f"not Python: line {exc.lineno}: {exc.msg}") from exc
    table: ast.Dict | None = None
    for node in tree.body:
        if isinstance(node, ast.Assign) and any(isinstance(t, ast.Name) and t.id == "resources_types"
                                                for t in node.targets) and isinstance(node.value, ast.Dict):
            table = node.value
    if table is None:
        raise ExtractError("no `resources_types = {...}` dictionary at the top level")
    found: dict[str, list[str]] = {}
    for key, value in zip(table.keys, table.values, strict=True):
        if isinstance(key, ast.Constant) and key.value in LISTS.values():
            if not isinstance(value, ast.List):
                raise ExtractError(f"{key.value} is not a list literal")
            found[str(key.value)] = [e.value for e in value.elts if isinstance(e, ast.Constant)
                                     and isinstance(e.value, str)]
    out: dict[str, list[str]] = {}
    for cloud, name in LISTS.items():
        if name not in found:
            raise ExtractError(f"no {name} list")
        names = sorted(set(found[name]))
        stray = [n for n in names if not n.startswith(PREFIX[cloud])]
        if stray:
            raise ExtractError(f"{name} holds types of another provider: {', '.join(stray[:5])}")
        out[cloud] = names
    return out


def installed() -> tuple[str, str]:
    """(text of resources_types.py, version) of the installed checkov."""
    try:
        import checkov.common.checks_infra as infra  # type: ignore[import-not-found]
        from checkov.version import version  # type: ignore[import-not-found]
    except ImportError as exc:
        raise ExtractError("checkov is not installed (pip install checkov), or give --path") from exc
    path = Path(infra.__file__).parent / "resources_types.py"
    return path.read_text(encoding="utf-8"), str(version)


def sibling_version(path: Path) -> str | None:
    """checkov/version.py next to checkov/common/checks_infra/resources_types.py, when the file is in a checkout."""
    candidate = path.resolve().parents[2] / "version.py" if len(path.resolve().parents) > 2 else None
    if candidate is None or not candidate.is_file():
        return None
    m = re.search(r"""version\s*=\s*['"]([^'"]+)['"]""", candidate.read_text(encoding="utf-8"))
    return m.group(1) if m else None


def document(types: dict[str, list[str]], version: str, commit: str | None, today: str) -> dict[str, Any]:
    return {
        "generated_by": "tools/taggable/extract_checkov_taggable.py",
        "source": {"project": "bridgecrewio/checkov", "path": SOURCE_PATH, "version": version, "commit": commit,
                   "read": today,
                   "lists": dict(LISTS)},
        "note": "Types whose provider schema accepts `tags` (AWS, Azure) or `labels` (GCP). Our additions and "
                "removals, each with a reason: tag_overrides.json",
        "types": types,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    src = ap.add_mutually_exclusive_group(required=True)
    src.add_argument("--from-installed", action="store_true", help="read the installed checkov package")
    src.add_argument("--path", type=Path, help="a copy of checkov's resources_types.py")
    ap.add_argument("--version", help="checkov version the file belongs to (required with --path outside a checkout)")
    ap.add_argument("--commit", help="checkov git commit the file was read at")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    try:
        if args.from_installed:
            text, version = installed()
        else:
            text = args.path.read_text(encoding="utf-8")
            version = args.version or sibling_version(args.path)
            if not version:
                raise ExtractError(f"{args.path}: give --version (no checkov/version.py beside it)")
        types = extract(text)
    except (ExtractError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    doc = document(types, version, args.commit, datetime.date.today().isoformat())
    args.out.write_text(json.dumps(doc, indent=1) + "\n", encoding="utf-8")
    counts = ", ".join(f"{cloud} {len(names)}" for cloud, names in types.items())
    print(f"wrote {args.out}: checkov {version}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
