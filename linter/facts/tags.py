"""Cost-allocation tags and the environment a resource belongs to."""

from __future__ import annotations

import re

from linter.config import Config
from linter.model import Resource

PRODUCTION = frozenset({"prod", "production", "prd", "live"})
_ENV_IN_NAME = re.compile(r"(?<![a-z0-9])(dev|development|test|staging|stage|sandbox|qa|uat|prod|production)"
                          r"(?![a-z0-9])")


def tag_value(resource: Resource, key: str, aliases: list[str]) -> str | None:
    for k in (key, *aliases):
        if k in resource.tags:
            return resource.tags[k]
    lowered = {k.lower(): v for k, v in resource.tags.items()}
    for k in (key, *aliases):
        if k.lower() in lowered:
            return lowered[k.lower()]
    return None


def apply_tag_facts(resource: Resource, config: Config) -> None:
    missing: list[str] = []
    invalid: list[str] = []
    for key, rule in config.required_tags.items():
        value = tag_value(resource, key, rule.aliases)
        if value is None or value.strip() == "":
            missing.append(key)
        elif rule.allowed is not None and value not in rule.allowed:
            invalid.append(f"{key}={value}")
    resource.missing_tags = missing
    resource.invalid_tags = invalid
    env_rule = config.required_tags.get("environment")
    env = tag_value(resource, "environment", env_rule.aliases if env_rule else ["env", "Environment"])
    if env:
        resource.environment = env.lower()
        resource.environment_evidence = "tag"
    else:
        m = _ENV_IN_NAME.search(resource.address.lower())
        if m:
            resource.environment = m.group(1)
            resource.environment_evidence = f"name contains '{m.group(1)}'"
    if resource.environment:
        nonprod = {e.lower() for e in config.nonprod_environments}
        if resource.environment in PRODUCTION:
            resource.production = True
        elif resource.environment in nonprod:
            resource.production = False
