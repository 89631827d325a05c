"""One finding per block, not per instance.

The instances of a ``count``/``for_each`` block, and the copies of a module that several root
modules call, draw the same rule with the same verdict at the same file and line: a reviewer
changes one line, so they are one finding on the block address with the figures summed and
the instances (and the roots they were reached from) listed. Fingerprints use the block address
without instance keys, so a baseline survives a change of ``count``.
"""

from __future__ import annotations

import dataclasses
import re
from collections.abc import Callable

from linter.model import CallSite, Finding, FindingInstance, Resource

# An instance key: [0], ["a"], ["a.b[1]"] (quoted keys may hold brackets, dots and escaped quotes).
_KEY = re.compile(r'(\[(?:"(?:[^"\\]|\\.)*"|[^\]"]*)\])')
_SHOWN_KEYS = 12
_SHOWN_ROOTS = 4


def block_address(address: str) -> str:
    """The address without any instance key: ``module.x["a"].aws_instance.etl[0]`` -> ``module.x.aws_instance.etl``."""
    return _KEY.sub("", address)


def _common_address(addresses: list[str]) -> tuple[str, list[str]]:
    """The address keeping the instance keys all members share, and each member's own (differing) keys."""
    parts = [_KEY.split(a) for a in addresses]
    if len({len(p) for p in parts}) != 1:
        return block_address(addresses[0]), [a for a in addresses]
    keep = [i % 2 == 0 or len({p[i] for p in parts}) == 1 for i in range(len(parts[0]))]
    common = "".join(t for t, k in zip(parts[0], keep, strict=True) if k)
    own = ["".join(t for t, k in zip(p, keep, strict=True) if not k) for p in parts]
    return common, own


def _natural(address: str) -> list[tuple[int, str]]:
    """Sort key that puts ``x[2]`` before ``x[10]``."""
    return [(int(t), "") if t.isdigit() else (-1, t) for t in re.split(r"(\d+)", address)]


def _sum(values: list[float | None]) -> float | None:
    return None if any(v is None for v in values) else round(sum(v for v in values if v is not None), 2)


def group_findings(findings: list[Finding], resources: list[Resource], anchor: str | None = None,
                   severity: Callable[[Finding], tuple[str, str | None]] | None = None) -> list[Finding]:
    """Findings merged per (rule, file, line, message apart from the instance key), sorted by file and line;
    ``severity`` gives a merged finding's severity (and its note) from its summed figure."""
    import os

    from linter.engine import fingerprint_of

    cwd = os.getcwd() if anchor else None
    by_key: dict[tuple[str, str, str, int, str, str], list[Finding]] = {}
    for f in findings:
        block = block_address(f.resource)
        verdict = f.message.replace(f.resource, block)
        same = "" if severity is not None else f.severity  # per-instance severities follow per-instance money
        by_key.setdefault((f.rule_id, f.source, f.file, f.line, same, verdict), []).append(f)
    res_index = {(r.source, r.origin, r.file, r.address): r for r in resources}
    out: list[Finding] = []
    for members in by_key.values():
        first = members[0]
        roots = list(dict.fromkeys(m.origin for m in members))
        block = block_address(first.resource)
        resource = res_index.get((first.source, first.origin, first.file, first.resource))
        if len(members) == 1:
            if resource is not None and block != first.resource:
                first.fingerprint = fingerprint_of(first.rule_id, resource.source, first.origin, resource.file,
                                                   block, anchor, cwd)
            out.append(first)
            continue
        members.sort(key=lambda m: (m.origin, _natural(m.resource)))
        address, _own = _common_address([m.resource for m in members])
        several = len(roots) > 1
        impact = dataclasses.replace(first.impact, monthly_usd=_sum([m.impact.monthly_usd for m in members]),
                                     assumptions=[*_merged_assumptions(members), _summed(members, address, roots)])
        cost = _sum([m.monthly_cost_usd for m in members])
        merged = dataclasses.replace(
            first, resource=address,
            message=_summed_figures(first.message.replace(first.resource, address),
                                    ((first.impact.monthly_usd, impact.monthly_usd), (first.monthly_cost_usd, cost))),
            remediation=first.remediation.replace(first.resource, address),
            monthly_cost_usd=cost, impact=impact,
            called_from=_calls(members) if several else list(first.called_from),
            instances=[FindingInstance(resource=m.resource, monthly_cost_usd=m.monthly_cost_usd,
                                       impact_usd=m.impact.monthly_usd, root=(m.origin or ".") if several else None)
                       for m in members],
            origin=first.origin)
        if resource is not None:  # the block's fingerprint: its address, and its one root (none across roots)
            merged.fingerprint = fingerprint_of(first.rule_id, resource.source, roots[0] if len(roots) == 1 else "",
                                                resource.file, block, anchor, cwd)
        if severity is not None:
            merged.severity, note = severity(merged)  # type: ignore[assignment]
            merged.notes = [n for n in merged.notes if not n.startswith("severity ")] + ([note] if note else [])
        out.append(merged)
    _distinct_fingerprints(out, anchor, cwd)
    out.sort(key=lambda f: (f.file, f.line, f.resource, f.rule_id))
    return out


def _distinct_fingerprints(findings: list[Finding], anchor: str | None, cwd: str | None) -> None:
    """Findings of one rule on one block with different verdicts (a for_each's CPU and GPU node groups) would share
    the block's fingerprint, and a baseline keeps one entry per fingerprint: each of those is fingerprinted by its
    own address (its instance, or the instances it merges) instead."""
    from collections import Counter

    from linter.engine import fingerprint_of

    shared = Counter(f.fingerprint for f in findings)
    for f in findings:
        if shared[f.fingerprint] > 1:
            roots = {i.root for i in f.instances if i.root is not None}
            f.fingerprint = fingerprint_of(f.rule_id, f.source, "" if len(roots) > 1 else f.origin, f.file,
                                           f.resource, anchor, cwd)


def _summed_figures(message: str, figures: tuple[tuple[float | None, float | None], ...]) -> str:
    """A merged finding's message with each member's dollar figure (its saving, its month) replaced by their sum:
    the figures beside it are the sum, and so must be the message ("$2,219.20/month unattributed", not one
    instance's $1,109.60)."""
    for one, total in figures:
        if one is not None and total is not None and one != total:
            message = message.replace(f"${one:,.2f}", f"${total:,.2f}")
    return message


def _calls(members: list[Finding]) -> list[CallSite]:
    """Each root's chain of module blocks, outermost first, each entry naming its root."""
    out: list[CallSite] = []
    seen: set[tuple[str, str, int]] = set()
    for m in members:
        for c in m.called_from:
            key = (m.origin, c.file, c.line)
            if key not in seen:
                seen.add(key)
                out.append(CallSite(file=c.file, line=c.line, root=m.origin or "."))
    return out


def _merged_assumptions(members: list[Finding], shown: int = 6) -> list[str]:
    """What every instance's figure assumes, then what each assumes of its own (a for_each over four instance
    types prices each at its own rate: the first one's price alone would explain the sum wrongly)."""
    first = members[0].impact.assumptions
    common = [a for a in first if all(a in m.impact.assumptions for m in members[1:])]
    if len(common) == len(first) and all(len(m.impact.assumptions) == len(first) for m in members[1:]):
        return list(first)
    own = [f"{m.resource}: " + "; ".join(a for a in m.impact.assumptions if a not in common) for m in members]
    more = [f"and {len(own) - shown} more instances, each with its own figures"] if len(own) > shown else []
    return [*common, *own[:shown], *more]


def _summed(members: list[Finding], address: str, roots: list[str]) -> str:
    where = f" reached from {len(roots)} root modules" if len(roots) > 1 else ""
    return f"{len(members)} instances of {address}{where}; figures are their sum"


def instance_keys(f: Finding) -> str | None:
    """The instance keys of a grouped finding, per root when it was reached from several ("[0] [1] [2]")."""
    if not f.instances:
        return None
    _common, own = _common_address([i.resource for i in f.instances])
    per_root: dict[str | None, list[str]] = {}
    for inst, key in zip(f.instances, own, strict=True):
        if key:
            per_root.setdefault(inst.root, []).append(key)
    if not per_root:  # copies of one address reached from several roots: call_paths() says which
        return None
    return "; ".join((f"{root}: " if root else "") + _keys(keys) for root, keys in per_root.items())


def _keys(keys: list[str]) -> str:
    more = f" +{len(keys) - _SHOWN_KEYS} more" if len(keys) > _SHOWN_KEYS else ""
    return " ".join(keys[:_SHOWN_KEYS]) + more


def call_paths(f: Finding) -> str | None:
    """The module blocks that lead to a finding, outermost first; one chain per root when there are several."""
    if not f.called_from:
        return None
    paths: dict[str | None, list[str]] = {}
    for c in f.called_from:
        paths.setdefault(c.root, []).append(f"{c.file}:{c.line}")
    chains = [" > ".join(p) for p in paths.values()]
    if len(chains) == 1:
        return chains[0]
    more = f"; +{len(chains) - _SHOWN_ROOTS} more" if len(chains) > _SHOWN_ROOTS else ""
    return f"{len(chains)} roots: " + "; ".join(chains[:_SHOWN_ROOTS]) + more
