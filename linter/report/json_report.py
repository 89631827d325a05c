"""The JSON report, schema_version 1 (see linter/schemas/report.schema.json)."""

from __future__ import annotations

import json
from collections.abc import Callable, Iterable
from typing import TYPE_CHECKING, Any, BinaryIO

from linter import __version__
from linter.engine import ScanResult
from linter.report.totals import money_totals

if TYPE_CHECKING:
    from linter.report.pieces import Pieces

SCHEMA_VERSION = 1


class Rendered:
    """The inventory rendered elsewhere (``write_resource_lines`` in linter/report/background.py's child), taken
    as it is by ``dumps``: the file it was written to. ``lines`` is asked for only when ``dumps`` reaches the
    inventory, after the findings: the child rendering it gets that long to finish. When it gives None (the child
    failed), the lines of ``resources`` are rendered here."""

    def __init__(self, lines: Callable[[], tuple[BinaryIO, int] | None], resources: list[Any]) -> None:
        self._lines, self._resources = lines, resources

    @property
    def lines(self) -> tuple[BinaryIO, int] | str:
        got = self._lines()
        return got if got is not None else resource_lines(self._resources)


def build(result: ScanResult, extra: dict[str, Any] | None = None, show_suppressed: bool = False,
          resources: Callable[[], tuple[BinaryIO, int] | None] | None = None,
          encoded: bool = False) -> dict[str, Any]:
    """The report; ``resources``: where the inventory's lines, rendered elsewhere, are to be had (``Rendered``);
    ``encoded``: findings whose lines a child encoded (``result.encoded``) are kept as those lines (``Encoded``),
    for ``dumps`` alone (other formats read the findings' dicts)."""
    by_severity: dict[str, int] = {}
    for f in result.findings:
        by_severity[f.severity] = by_severity.get(f.severity, 0) + 1
    money = money_totals(result.findings, result.resources)
    report: dict[str, Any] = {
        "schema_version": SCHEMA_VERSION,
        "tool": {"name": "finops-lint", "version": __version__},
        "summary": {
            "findings": len(result.findings),
            "by_severity": by_severity,
            "monthly_cost_usd": money["monthly_cost_usd"],
            "monthly_savings_usd": money["monthly_savings_usd"],
            "monthly_exposure_usd": money["monthly_exposure_usd"],
            "monthly_unattributed_usd": money["monthly_unattributed_usd"],
            "resources": len(result.resources),
            "unpriced_resources": money["unpriced_resources"],
            "suppressed": result.suppressed,
            "baselined": result.baselined,
            "below_min_monthly_usd": result.below_min,
            "errors": len(result.errors),
            "warnings": len(result.warnings),
        },
        "findings": _findings(result.findings, result.encoded if encoded else None),
        "resources": Rendered(resources, result.resources) if resources is not None and result.resources
        else [_resource(r) for r in result.resources],
        "errors": [e.to_dict() for e in result.errors],
        "skipped": [s.to_dict(exclude_none=True) for s in result.skipped],
        "warnings": [w.to_dict() for w in result.warnings],
    }
    if show_suppressed:
        report["suppressed"] = [h.to_dict() for h in result.hidden]
    if extra:
        report.update(extra)
    return report


class Encoded(str):
    """A report item already encoded as JSON (by the child that ran its rules, linter/early_rules.py)."""

    __slots__ = ()


def _findings(findings: list[Any], encoded: dict[int, tuple[Any, str]] | None) -> list[Any]:
    if not encoded:
        return [_finding(f) for f in findings]
    return [Encoded(got[1]) if (got := encoded.get(id(f))) is not None and got[0] is f else _finding(f)
            for f in findings]


def finding_line(f: Any) -> str:
    """A finding's line as ``dumps`` writes it (without its indent)."""
    return _encoder()(_finding(f))


def _finding(f: Any) -> dict[str, Any]:
    """A finding as JSON; the impact's capacity pair only where the cost model compared capacities."""
    out: dict[str, Any] = f.to_dict()
    for key in ("current", "suggested"):
        if out["impact"].get(key) is None:
            out["impact"].pop(key, None)
    return out


def _resource(r: Any) -> dict[str, Any]:
    out: dict[str, Any] = {
        "address": r.address, "type": r.type, "source": r.source, "provider": r.provider, "file": r.file,
        "line": r.line, "region": r.region, "monthly_cost_usd": r.monthly_cost_usd,
        "cost_components": [c.to_dict() for c in r.cost_components],
        "workload": r.workload.to_dict(), "tags": r.tags,
    }
    if r.compute is not None:
        c = r.compute
        out["compute"] = {"instance_type": c.instance_type, "count": c.count, "min": c.min, "max": c.max,
                          "purchase": c.purchase, "on_demand_share": c.on_demand_share,
                          "gpu": c.gpu.to_dict(), "evidence": c.evidence}
        if c.nodes is not None:
            out["compute"]["nodes"] = c.nodes.to_dict(exclude_none=True)  # max pods: only where a pool says
    if r.links:
        out["links"] = r.links
    if r.environment:
        out["environment"] = r.environment
        out["environment_evidence"] = r.environment_evidence
    if r.taggable:
        out["tagging"] = {"billing": r.billing, "exemption": r.tag_exemption}
    if r.autoscaling is not None:
        out["autoscaling"] = r.autoscaling.to_dict()
    if r.llm is not None:
        llm = r.llm.to_dict()
        if llm["full_kv_why"] is None:  # said only by a server that keeps whole-context caches on sliding layers
            del llm["full_kv_why"]
        out["llm"] = {**llm, "token_cap": r.llm.token_cap, "rate_limited": r.llm.rate_limited}
    if r.unknowns:
        out["unknowns"] = r.unknowns
    if r.price_notes:
        out["price_notes"] = r.price_notes
    return out


def render(result: ScanResult, extra: dict[str, Any] | None = None, show_suppressed: bool = False) -> str:
    return dumps(build(result, extra, show_suppressed))


def dumps(report: dict[str, Any]) -> str | Pieces:
    """The report as JSON, one top-level key per line and one finding, resource or error per line: readable,
    diffable and greppable, and written by json's C encoder (``indent=`` falls back to the pure-Python one,
    which took a third of a 2,000-file scan)."""
    pieces: list[Any] = ["{\n"]  # joined once at the end; an inventory in a file stays there (``Pieces``)
    for key, value in report.items():
        if len(pieces) > 1:
            pieces.append(",\n")
        pieces.append(f"  {json.dumps(key)}: ")
        if isinstance(value, Rendered):
            lines = value.lines
            pieces += ["[\n", lines, "\n  ]"]
        elif isinstance(value, list) and value:
            pieces += ["[\n", _lines(value), "\n  ]"]
        else:
            pieces.append(json.dumps(value))
    pieces.append("\n}")
    if all(isinstance(piece, str) for piece in pieces):
        return "".join(pieces)
    from linter.report.pieces import Pieces

    parts: list[Any] = []  # the text between files joined once (``parts[-1] += piece`` copied the findings' 3 MB
    run: list[str] = []  # of text again for each short piece after them): one write each
    for piece in pieces:
        if isinstance(piece, str):
            run.append(piece)
            continue
        if run:
            parts.append("".join(run))
            run = []
        parts.append(piece)
    if run:
        parts.append("".join(run))
    return Pieces(parts)


def resource_lines(resources: list[Any]) -> str:
    """The inventory as ``dumps`` writes it (without the brackets). Each resource's dict is encoded as it is made:
    a large scan's inventory (68,000 resources, 380 MB of text) held all its dicts at once before."""
    return _lines(_resource(r) for r in resources)


def _line_encoder() -> Callable[[Any], str]:
    """``json.dumps`` of one report item. CPython's C encoder, made once and without the check for circular
    references (report items are plain, acyclic dicts and lists built for the report), writes the same text about
    15% faster than a ``json.dumps`` per item, which sets the encoder up again each time."""
    from json.encoder import c_make_encoder, encode_basestring_ascii  # type: ignore[attr-defined]

    if c_make_encoder is None:  # an interpreter without the C accelerator
        return json.dumps
    default = json.JSONEncoder().default
    encode = c_make_encoder(None, default, encode_basestring_ascii, None, ": ", ", ", False, False, True)
    return lambda item: "".join(encode(item, 0))


_ENCODE: list[Callable[[Any], str]] = []


def write_resource_lines(resources: list[Any], out: Any, batch: int = 256) -> int:
    """``resource_lines(resources)`` written to the binary file ``out`` as it is rendered, a batch of lines at a
    time (the encoder escapes everything past ASCII): bytes written."""
    written = 0
    for start in range(0, len(resources), batch):
        text = _lines(_resource(r) for r in resources[start:start + batch])
        chunk = (",\n" + text if start else text).encode("ascii")
        out.write(chunk)
        written += len(chunk)
    return written


def _encoder() -> Callable[[Any], str]:
    if not _ENCODE:
        _ENCODE.append(_line_encoder())
    return _ENCODE[0]


def _lines(items: Iterable[Any]) -> str:
    encode = _encoder()
    return ",\n".join("    " + (item if item.__class__ is Encoded else encode(item)) for item in items)
