#!/usr/bin/env python3
"""Write linter/sources/kubernetes/kaito_presets.py: each KAITO preset name and the Hugging Face model it serves.

A KAITO Workspace names a preset (``inference.preset.name: falcon-7b``), not a model: FIN-GPU-005 sizes the model
behind it. KAITO pins that model in ``presets/workspace/models/supported_models.yaml`` (older checkouts:
``presets/models/supported_models.yaml``): ``version: https://huggingface.co/<org>/<repo>/commit/<revision>``.
This reads that file from a KAITO checkout, as YAML data (nothing in it is run), and writes the table with the
KAITO commit it came from. Presets without a Hugging Face version (``base``, the retired llama-2 presets whose
weights were not on the Hub) are left out, and said so.

``--history`` also walks the file's git history and keeps the presets KAITO no longer lists (mistral-7b-v0.1,
phi-3-small-*), with the model they last named and the last commit that listed them: a Workspace written for an
older KAITO still names them.

Run:  python tools/kaito/presets.py ~/src/kaito                    # a clone (work tree or bare git dir)
      python tools/kaito/presets.py ~/src/kaito --rev v0.12.0 --history
      python tools/kaito/presets.py ~/src/kaito --check           # exit 1 when the table is not what it would write
"""
from __future__ import annotations

import argparse
import re
import subprocess
import sys
from pathlib import Path

import yaml

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "linter" / "sources" / "kubernetes" / "kaito_presets.py"
FILES = ("presets/workspace/models/supported_models.yaml", "presets/models/supported_models.yaml")
_VERSION = re.compile(r"^https://huggingface\.co/(?P<repo>[\w.-]+/[\w.-]+)(?:/commit/(?P<rev>[0-9a-f]{7,40}))?/?$")


class ExtractError(Exception):
    """The checkout does not hold what we expect: say which and stop (never write a partial table)."""


def _git(repo: Path, *args: str) -> str:
    out = subprocess.run(["git", "-C", str(repo), *args], capture_output=True, text=True, check=False)
    if out.returncode != 0:
        raise ExtractError(f"git {' '.join(args)} in {repo}: {out.stderr.strip() or 'failed'}")
    return out.stdout


def _read_at(repo: Path, rev: str) -> tuple[str, str]:
    """(the file's text at rev, its path)."""
    for path in FILES:
        try:
            return _git(repo, "show", f"{rev}:{path}"), path
        except ExtractError:
            continue
    raise ExtractError(f"no {' or '.join(FILES)} at {rev} in {repo}")


def parse(text: str, where: str) -> tuple[dict[str, tuple[str, str]], list[str]]:
    """({preset: (Hugging Face repo, revision)}, presets without a Hugging Face version)."""
    try:
        data = yaml.safe_load(text)
    except yaml.YAMLError as exc:
        raise ExtractError(f"{where}: not YAML ({exc})") from exc
    models = data.get("models") if isinstance(data, dict) else None
    if not isinstance(models, list) or not models:
        raise ExtractError(f"{where}: no 'models' list")
    table: dict[str, tuple[str, str]] = {}
    skipped: list[str] = []
    for m in models:
        name = str(m.get("name") or "").strip() if isinstance(m, dict) else ""
        if not name:
            raise ExtractError(f"{where}: a model entry without a name: {m!r}")
        match = _VERSION.match(str(m.get("version") or "").strip())
        if match is None:
            skipped.append(name)
            continue
        table[name.lower()] = (match["repo"], match["rev"] or "")
    return table, skipped


def extract(repo: Path, rev: str, history: bool) -> tuple[str, str, dict, dict, list[str]]:
    """(commit, file path, current presets, retired presets {name: (repo, revision, last commit)}, skipped)."""
    commit = _git(repo, "rev-parse", f"{rev}^{{commit}}").strip()
    text, path = _read_at(repo, commit)
    current, skipped = parse(text, f"{path}@{commit[:12]}")
    retired: dict[str, tuple[str, str, str]] = {}
    if history:
        for old in _git(repo, "log", "--format=%H", commit, "--", *FILES).split():
            try:
                old_text, old_path = _read_at(repo, old)
                table, _ = parse(old_text, f"{old_path}@{old[:12]}")
            except ExtractError:
                continue  # a commit that deleted or broke the file: the others still say what it held
            for name, (hf, hf_rev) in table.items():
                if name not in current and name not in retired:  # newest listing first
                    retired[name] = (hf, hf_rev, old)
    return commit, path, current, retired, skipped


def _entry(name: str, values: tuple[str, ...]) -> str:
    """One dict entry, wrapped under the 120-column limit when it is longer."""
    quoted = [f'"{v}"' for v in values]
    one = f'    "{name}": ({", ".join(quoted)}),'
    if len(one) <= 120:
        return one
    return f'    "{name}": (\n' + "".join(f"        {q},\n" for q in quoted) + "    ),"


def render(commit: str, path: str, current: dict, retired: dict, skipped: list[str]) -> str:
    lines = [
        '"""KAITO preset name -> the Hugging Face model it serves, from kaito-project/kaito',
        f"{path} at {commit}.",
        "",
        "Generated by tools/kaito/presets.py: do not edit, regenerate from a newer KAITO checkout. Presets without a",
        f"Hugging Face version are left out: {', '.join(sorted(skipped)) or 'none'}.",
        '"""',
        "",
        f'KAITO_COMMIT = "{commit}"',
        "",
        "# preset -> (Hugging Face model id, the revision KAITO pins)",
        "PRESETS: dict[str, tuple[str, str]] = {",
        *(_entry(n, v) for n, v in sorted(current.items())),
        "}",
        "",
        "# presets KAITO listed before and no longer does -> (model, revision, the last KAITO commit listing them)",
        "RETIRED: dict[str, tuple[str, str, str]] = {",
        *(_entry(n, v) for n, v in sorted(retired.items())),
        "}",
        "",
    ]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("kaito", type=Path, help="a kaito-project/kaito clone (work tree or bare git directory)")
    ap.add_argument("--rev", default="HEAD", help="the commit, tag or branch to read (default HEAD)")
    ap.add_argument("--history", action="store_true", help="also keep presets older commits listed")
    ap.add_argument("-o", "--out", type=Path, default=OUT)
    ap.add_argument("--check", action="store_true", help="exit 1 when --out differs from what would be written")
    args = ap.parse_args(argv)
    try:
        commit, path, current, retired, skipped = extract(args.kaito, args.rev, args.history)
    except ExtractError as exc:
        print(f"kaito presets: {exc}", file=sys.stderr)
        return 2
    text = render(commit, path, current, retired, skipped)
    if args.check:
        same = args.out.exists() and args.out.read_text() == text
        print(f"{args.out}: {'up to date' if same else 'differs'} (KAITO {commit[:12]})")
        return 0 if same else 1
    args.out.write_text(text)
    print(f"{args.out}: {len(current)} presets, {len(retired)} retired, from KAITO {commit[:12]} ({path})")
    return 0


if __name__ == "__main__":
    sys.exit(main())
