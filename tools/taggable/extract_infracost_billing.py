#!/usr/bin/env python3
"""Write linter/facts/data/billing.json: which Terraform resource types bill by themselves.

Source: infracost's Terraform resource registry, ``internal/providers/terraform/{aws,azure,google}/``:
  * every ``schema.RegistryItem`` with ``Name: "<type>"`` is a type infracost prices ("priced"),
    unless its file marks it ``NoPrice: true`` (e.g. aws_vpc: "Free resource.");
  * ``FreeResources`` in each ``registry.go`` lists the types that bill nothing ("free").
The Go files are read with regular expressions, never compiled or run.

Our own additions (types that bill but infracost does not price yet, e.g. SageMaker endpoints,
Cloud TPU VMs) live in linter/facts/data/tag_overrides.json, each with a reason.

Run:  python tools/taggable/extract_infracost_billing.py --repo /path/to/infracost --version v0.10.45 \
          --commit 95ba4f49a7abf5567b04f751a115543281a4ab18
"""
from __future__ import annotations

import argparse
import datetime
import json
import re
import sys
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
OUT = ROOT / "linter" / "facts" / "data" / "billing.json"
PROVIDERS = {"aws": "aws", "azure": "azure", "gcp": "google"}  # our cloud name -> infracost directory
REGISTRY_DIR = "internal/providers/terraform"

_ITEM = re.compile(r"&schema\.RegistryItem\{")
_NAME = re.compile(r'\bName:\s*"([a-z0-9_]+)"')
_NO_PRICE = re.compile(r"\bNoPrice:\s*true\b")
_FREE_BLOCK = re.compile(r"var\s+FreeResources\s*=\s*\[\]string\s*\{(.*?)\n\}", re.S)
_QUOTED = re.compile(r'"([a-z0-9_]+)"')


class ExtractError(Exception):
    """The directory does not look like infracost's registry: say where and stop."""


def _literal(text: str, start: int) -> str:
    """The brace-balanced literal that opens just before ``start``."""
    depth, i = 1, start
    while i < len(text) and depth:
        depth += {"{": 1, "}": -1}.get(text[i], 0)
        i += 1
    return text[start:i]


def items_of(go: str) -> list[tuple[str, bool]]:
    """(type, free) for each registry item of one Go file; a single-item file is free if ``NoPrice: true``
    appears anywhere in it (the resource function may set it, as aws_vpc does)."""
    starts = [m.end() for m in _ITEM.finditer(go)]
    out: list[tuple[str, bool]] = []
    for start in starts:
        body = _literal(go, start)
        m = _NAME.search(body)
        if m:
            free = bool(_NO_PRICE.search(body)) or (len(starts) == 1 and bool(_NO_PRICE.search(go)))
            out.append((m.group(1), free))
    return out


def free_list(registry_go: str) -> list[str]:
    m = _FREE_BLOCK.search(registry_go)
    if not m:
        raise ExtractError("no `var FreeResources = []string{...}` in registry.go")
    body = "\n".join(line.split("//", 1)[0] for line in m.group(1).splitlines())
    return _QUOTED.findall(body)


def extract(repo: Path) -> dict[str, dict[str, list[str]]]:
    """{"priced": {cloud: [...]}, "free": {cloud: [...]}} from an infracost checkout."""
    priced: dict[str, list[str]] = {}
    free: dict[str, list[str]] = {}
    for cloud, directory in PROVIDERS.items():
        base = repo / REGISTRY_DIR / directory
        registry = base / "registry.go"
        if not registry.is_file():
            raise ExtractError(f"{registry}: not found (is --repo an infracost checkout?)")
        names: set[str] = set()
        no_price: set[str] = set(free_list(registry.read_text(encoding="utf-8")))
        for path in sorted(base.glob("*.go")):
            if path.name.endswith("_test.go"):
                continue
            for name, is_free in items_of(path.read_text(encoding="utf-8")):
                (no_price if is_free else names).add(name)
        if not names:
            raise ExtractError(f"{base}: no registry items found")
        priced[cloud] = sorted(names - no_price)
        free[cloud] = sorted(no_price - names)
    return {"priced": priced, "free": free}


def document(lists: dict[str, dict[str, list[str]]], version: str | None, commit: str | None,
             today: str) -> dict[str, Any]:
    return {
        "generated_by": "tools/taggable/extract_infracost_billing.py",
        "source": {"project": "infracost/infracost", "path": REGISTRY_DIR + "/{aws,azure,google}/*.go",
                   "version": version, "commit": commit, "read": today},
        "note": "priced: types infracost prices (they bill by themselves); free: infracost's FreeResources and "
                "NoPrice items. Our additions, each with a reason: tag_overrides.json",
        **lists,
    }


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--repo", type=Path, required=True, help="an infracost checkout (or an extracted snapshot)")
    ap.add_argument("--version", help="infracost version (git describe) of the checkout")
    ap.add_argument("--commit", help="infracost git commit of the checkout")
    ap.add_argument("--out", type=Path, default=OUT)
    args = ap.parse_args(argv)
    try:
        lists = extract(args.repo)
    except (ExtractError, OSError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    args.out.write_text(json.dumps(document(lists, args.version, args.commit, datetime.date.today().isoformat()),
                                   indent=1) + "\n", encoding="utf-8")
    counts = ", ".join(f"{cloud} {len(lists['priced'][cloud])} priced / {len(lists['free'][cloud])} free"
                       for cloud in PROVIDERS)
    print(f"wrote {args.out}: infracost {args.version or '(version not given)'}: {counts}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
