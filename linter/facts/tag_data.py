"""The data FIN-TAG-001 decides by: which resource types take tags or labels, which bill by themselves,
and which bill through a parent. Generated lists (checkov, infracost) plus our overrides, each with a reason.

- ``data/taggable.json``: checkov's ``aws_taggable``/``gcp_taggable``/``azure_taggable`` lists, written by
  ``tools/taggable/extract_checkov_taggable.py`` with checkov's version and commit.
- ``data/billing.json``: infracost's registry (types it prices, its ``FreeResources``), written by
  ``tools/taggable/extract_infracost_billing.py``.
- ``data/tag_overrides.json``: our additions and removals, each with a reason.

Loaded once, on the first look-up (a scan without Terraform resources never reads them).
"""

from __future__ import annotations

import functools
import json
import os
from typing import Any

from linter.records import record

DATA_DIR = os.path.join(os.path.dirname(__file__), "data")


@record(frozen=True, slots=True)
class Parent:
    """A child type without tags whose spend is billed on a parent resource (found through ``attribute``)."""

    types: tuple[str, ...]  # the parent types (either may be the one a child's attribute refers to)
    attribute: str
    reason: str


@record(frozen=True, slots=True)
class TagData:
    taggable: frozenset[str]
    taggable_source: str  # "checkov 3.3.13 (bridgecrewio/checkov checkov/common/...)"
    taggable_reasons: dict[str, str]  # our additions and removals, by type
    priced: frozenset[str]  # infracost prices the type
    free: dict[str, str]  # type -> why it bills nothing by itself
    bills: dict[str, str]  # type -> why it bills (our additions)
    billing_source: str
    billed_through: dict[str, Parent]


def _load(name: str) -> dict[str, Any]:
    with open(os.path.join(DATA_DIR, name), encoding="utf-8") as fh:
        data: dict[str, Any] = json.load(fh)
    return data


def _source(doc: dict[str, Any], project: str) -> str:
    s = doc.get("source", {})
    version = s.get("version") or "unknown version"
    commit = f", commit {str(s['commit'])[:12]}" if s.get("commit") else ""
    return f"{project} {version} ({s.get('project', project)} {s.get('path', '')}{commit})"


@functools.lru_cache(maxsize=1)
def tag_data() -> TagData:
    taggable_doc, billing_doc, ours = _load("taggable.json"), _load("billing.json"), _load("tag_overrides.json")
    add, remove = ours["taggable"]["add"], ours["taggable"]["remove"]
    taggable = {t for names in taggable_doc["types"].values() for t in names}
    taggable = (taggable | set(add)) - set(remove)
    infracost_free = {t for names in billing_doc["free"].values() for t in names}
    free = {t: "infracost lists it as a free resource" for t in infracost_free}
    free.update(ours["bills"]["free"])
    bills = dict(ours["bills"]["add"])
    for t in bills:
        free.pop(t, None)
    parents = {child: Parent(tuple(p["parents"]), p["attribute"], p["reason"])
               for child, p in ours["billed_through"].items()}
    return TagData(
        taggable=frozenset(taggable), taggable_source=_source(taggable_doc, "checkov"),
        taggable_reasons={**add, **remove},
        priced=frozenset(t for names in billing_doc["priced"].values() for t in names),
        free=free, bills=bills, billing_source=_source(billing_doc, "infracost"), billed_through=parents)
