"""The Terraform roots' rules, run in a forked child while this process builds the rest of the scan.

Why: after the workers have read everything, a large scan's end runs on one CPU: the Kubernetes objects are built
on the Terraform node pools, facts are applied, then every rule runs. The roots' resources already have their
own facts by then (``engine.RootFacts``); what else their rules read comes from three cross-resource steps
(autoscalers onto what they scale, LiteLLM routes onto the proxies that mount them, tagless children's bills onto
their parents). A child forked when the roots are in applies those steps to the roots alone and runs their
rules on the other CPU, while this process builds the manifests and applies every fact as before.

Its findings are taken only when they are what the rules would give here: the roots' resources are the first of
the scan's, in the same order, the same rules run, and no cross-resource step joins a root's resource with one of
the rest (``facts.links.joins_across``), so the roots' facts here equal the child's. Otherwise, or when the child
fails, the rules run here on everything, as without it. On the 1,000-file benchmark corpus this takes the
roots' rules (about 0.08 s of 0.155 s) off the serial end.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

from linter.model import Finding, Resource

MIN_RESOURCES = 2000  # below this the roots' rules take less than forking and bringing their findings back


class EarlyRules:
    """The child running the first resources' rules (``start``), and its findings joined with the rest's
    (``evaluate``)."""

    def __init__(self, config: Any, catalog: Any, rules: list[Any], anchor: str | None,
                 encode: bool = False) -> None:
        self.config, self.catalog, self.rules, self.anchor = config, catalog, rules, anchor
        self.encode = encode  # the report is JSON: the child encodes its findings' lines too
        self.encoded: dict[int, tuple[Finding, str]] | None = None  # what ``evaluate`` took from the child
        self._first: list[Resource] = []
        self._child: Any = None

    def prepare(self, first: list[Resource]) -> None:
        """Fork the child, gated, as soon as the roots are in (their own facts applied) while the workers still
        read: the manifests' results, unpickled after the fork, are then this process's own pages, which it builds
        on without copy-on-write faults (about 6,000 fewer on the benchmark corpus). ``start`` releases it."""
        if not self._worth_it(first) or self._child is not None:
            return
        from linter.forked import fork_call

        self._first = first
        self._child = fork_call(self._compute, gated=True)

    def start(self, first: list[Resource]) -> None:
        """Let the child run the rules of ``first`` (resources with their own facts), when there are enough of
        them: the child ``prepare`` forked if it holds these very resources, else a child forked now."""
        if self._child is not None:
            if len(first) == len(self._first) and all(a is b for a, b in zip(first, self._first, strict=True)):
                self._child.release()
                return
            self._child.abandon()  # results were read again (a worker died): the child's are not these
            self._child = None
        if not self._worth_it(first):
            return
        from linter.forked import fork_call

        self._first = list(first)
        self._child = fork_call(self._compute)

    def _worth_it(self, first: list[Resource]) -> bool:
        return len(first) >= MIN_RESOURCES and bool(self.rules)

    def drop(self) -> None:
        """Abandon the child (the scan failed before taking its findings): none is left behind."""
        if self._child is not None:
            self._child.abandon()
            self._child = None

    def _compute(self) -> tuple[list[Any], list[str] | None, list[Any], list[Any], set[str]]:
        """In the child: the first resources' cross-resource facts among themselves, then their rules, their
        findings grouped (``engine.grouper``: fewer, lighter findings to send back, and that work off the parent's
        serial end), and for a JSON report each finding's line (the child is done well before the parent needs
        its findings: encoding them here takes ~10 ms off the parent's serial end on the benchmark corpus)."""
        from linter.engine import apply_facts, evaluate_rules, grouper

        first = self._first
        apply_facts(first, self.config, self.catalog, len(first))
        broken: set[str] = set()
        findings, errors, hidden = evaluate_rules(first, self.rules, self.config, self.catalog, self.anchor, broken)
        grouped = grouper(first, self.rules, self.config, self.anchor)(findings)
        lines = None
        if self.encode:
            from linter.report.json_report import finding_line

            lines = [finding_line(f) for f in grouped]
        return grouped, lines, errors, hidden, broken

    def evaluate(self, subject: list[Resource], rules: list[Any],
                 group: Callable[[list[Any]], list[Any]]) -> tuple[list[Any], list[Any], list[Any]]:
        """``group(evaluate_rules(...))`` over ``subject`` (facts applied): the child's grouped findings for the
        first resources when they hold here, the rules run and their findings grouped here for the others (a rule
        that failed in the child is not run again, as it would not be after its failure in one pass). The lines the
        child encoded are ``encoded``, by finding id."""
        from linter.engine import evaluate_rules, finding_order
        from linter.facts.links import joins_across

        got = self._child.result() if self._child is not None else None
        self._child = None
        n = len(self._first)
        if got is None or [r.id for r in rules] != [r.id for r in self.rules] or len(subject) < n \
                or any(a is not b for a, b in zip(subject[:n], self._first, strict=True)) \
                or joins_across(subject[:n], subject[n:]):
            findings, errors, hidden = evaluate_rules(subject, rules, self.config, self.catalog, self.anchor)
            return group(findings), errors, hidden
        grouped, lines, errors, hidden, broken = got
        if lines is not None:
            self.encoded = {id(f): (f, line) for f, line in zip(grouped, lines, strict=True)}
        more, more_errors, more_hidden = evaluate_rules(subject[n:], [r for r in rules if r.id not in broken],
                                                        self.config, self.catalog, self.anchor)
        return sorted(grouped + group(more), key=finding_order), errors + more_errors, hidden + more_hidden
