"""Run our rules on one resource as checkov parsed it (no checkov import here: the check files do that).

checkov hands a check the resource's configuration with every attribute wrapped in a list and variables
already rendered where it could (``${var.x}`` where it could not). We unwrap it into the Terraform JSON
syntax our reader takes, normalize it like any other module, and evaluate the rules; the findings are
cached per resource, as each rule is a separate checkov check on the same configuration.
"""

from __future__ import annotations

import json
import os
import re
import tempfile
from functools import cached_property
from typing import Any

META_ARGUMENTS = ("count", "for_each", "depends_on", "provider", "lifecycle", "provisioner", "connection")


def _value(value: Any) -> Any:
    """checkov wraps each attribute in a one-item list; a repeated block is a list of several dicts."""
    if isinstance(value, list) and len(value) == 1:
        value = value[0]
    return _plain(value)


def _plain(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _value(v) for k, v in value.items() if not str(k).startswith("__") and k not in META_ARGUMENTS}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def to_tf_json(resource_type: str, conf: dict[str, Any]) -> tuple[str, dict[str, Any]]:
    """The resource's name and its body in Terraform JSON syntax."""
    address = str(_value(conf.get("__address__")) or f"{resource_type}.resource")
    name = re.sub(r"\W", "_", address.split(f"{resource_type}.", 1)[-1].split("[")[0]) or "resource"
    return name, _plain(conf)


class Bridge:
    """Config, catalog and rules loaded once per checkov run (from the working directory's config)."""

    @cached_property
    def setup(self) -> tuple[Any, Any, list[Any]]:
        from linter.config import load_config
        from linter.engine import make_catalog
        from linter.rules.impacts import IMPACTS
        from linter.rules.loader import load_rules

        config, path = load_config(None)
        return config, make_catalog(config, path), load_rules(list(config.rules_dirs), set(IMPACTS))

    @property
    def rules(self) -> list[Any]:
        config = self.setup[0]
        return [r for r in self.setup[2] if r.id not in config.disabled_rules]

    @cached_property
    def _cache(self) -> dict[str, tuple[set[str], list[Any]]]:
        return {}

    def evaluate(self, resource_type: str, conf: dict[str, Any]) -> tuple[set[str], list[Any]]:
        """(ids of the rules that apply to the resource, its findings)."""
        name, body = to_tf_json(resource_type, conf)
        key = json.dumps([resource_type, name, body], sort_keys=True, default=str)
        if key not in self._cache:
            self._cache[key] = self._run(resource_type, name, body)
        return self._cache[key]

    def _run(self, resource_type: str, name: str, body: dict[str, Any]) -> tuple[set[str], list[Any]]:
        from linter.engine import ScanOptions, apply_facts, collect_resources, evaluate_rules, facets_of

        config, catalog, _ = self.setup
        with tempfile.TemporaryDirectory(prefix="finops-lint-checkov-") as tmp:
            with open(os.path.join(tmp, "main.tf.json"), "w", encoding="utf-8") as fh:
                json.dump({"resource": {resource_type: {name: body}}}, fh)
            resources, _, _ = collect_resources([tmp], config, catalog, ScanOptions())
            apply_facts(resources, config, catalog)
            findings, _, _ = evaluate_rules(resources, self.rules, config, catalog)
        applies = {rule.id for r in resources for rule in self.rules
                   if facets_of(r) & set(rule.applies_to) and (not rule.sources or r.source in rule.sources)}
        return applies, findings


BRIDGE = Bridge()


def checks_dir() -> str:
    return os.path.join(os.path.dirname(os.path.abspath(__file__)), "checkov_checks")
