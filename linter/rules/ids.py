"""Rule ids named by users (config keys, command-line filters, ignore comments) checked against the loaded rules.

A typo in ``disabled_rules: [FIN-TAG-01]`` silently disables nothing; every place that takes a rule id
goes through here, so every one says which id it did not know and which one was probably meant.
"""

from __future__ import annotations

from collections.abc import Iterable


def closest(rule_id: str, known: Iterable[str]) -> str | None:
    """The known id nearest to ``rule_id`` (case-insensitive), if any is reasonably close."""
    import difflib  # only when an id is unknown: every scan imports this module

    by_upper = {k.upper(): k for k in known}
    match = difflib.get_close_matches(rule_id.upper(), list(by_upper), n=1, cutoff=0.6)
    return by_upper[match[0]] if match else None


def unknown_id_message(rule_id: str, known: Iterable[str]) -> str:
    """"unknown rule id 'FIN-TAG-01' (did you mean FIN-TAG-001?)"."""
    known = list(known)
    guess = closest(rule_id, known)
    hint = f"did you mean {guess}?" if guess else "run 'finops-lint rules' to list them"
    return f"unknown rule id '{rule_id}' ({hint})"


def config_id_errors(config: object, known: set[str]) -> list[tuple[str, str]]:
    """(key, message) for every unknown rule id in the config's ``disabled_rules`` and ``severity``."""
    problems: list[tuple[str, str]] = []
    for i, rule_id in enumerate(getattr(config, "disabled_rules", [])):
        if rule_id not in known:
            problems.append((f"disabled_rules.{i}", unknown_id_message(rule_id, known)))
    for rule_id in getattr(config, "severity", {}):
        if rule_id not in known:
            problems.append((f"severity.{rule_id}", unknown_id_message(rule_id, known)))
    return problems
