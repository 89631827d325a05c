"""The environment a resource belongs to, from evidence only, each inference kept as a sentence with file:line.

Evidence, first hit wins: an environment tag or label (the resource's own or inherited: provider
default_tags, Namespace labels), the root module's environment variable (set by the Terraform reader:
``var.environment`` from tfvars, ``--var`` or its default), the Kubernetes namespace's name, the Terraform
workspace the root module is selected to (``.terraform/environment``, ``TF_WORKSPACE``), then the config's
``tags.environments`` globs. Never a word inside the resource's own name: a benchmark Pod called
``nccl-test-host-1`` is not in a test environment.
"""

from __future__ import annotations

import fnmatch
import functools
import os
import re

from linter.config import Config
from linter.model import Resource

PRODUCTION = frozenset({"prod", "production", "prd", "live"})
_TOKENS = re.compile(r"[-_.]")


def _known(config: Config) -> set[str]:
    return set(PRODUCTION) | {e.lower() for e in config.nonprod_environments}


def from_tag(resource: Resource, key: str, value: str) -> str:
    word = "label" if resource.provider in ("gcp", "kubernetes") else "tag"
    origin = resource.tag_origins.get(key)
    if origin:
        return f"{word} {key}={value} from {origin}"
    return f"{word} {key}={value} on {resource.address} ({resource.file}:{resource.line})"


def from_namespace(namespace: str | None, config: Config) -> tuple[str, str] | None:
    """A namespace named after an environment: ``staging``, or a first or last part of ``ml-staging``."""
    if not namespace:
        return None
    name = namespace.lower()
    known = _known(config)
    if name in known:
        return name, f"namespace '{namespace}'"
    parts = [p for p in _TOKENS.split(name) if p]
    for part in (parts[-1], parts[0]) if len(parts) > 1 else ():
        if part in known:
            return part, f"namespace '{namespace}' (its name ends or begins with '{part}')"
    return None


@functools.lru_cache(maxsize=256)
def _workspace_file(directory: str) -> tuple[str, str] | None:
    path = os.path.join(directory, ".terraform", "environment")
    from linter.files import read_all  # never blocks on a named pipe

    try:
        name = read_all(path).decode("utf-8", "replace").strip()
    except OSError:
        return None
    return (name, path) if name else None


def from_workspace(resource: Resource, config: Config) -> tuple[str, str] | None:
    """The Terraform workspace selected for the resource's root module, when it names an environment."""
    if not resource.source.startswith("terraform") or not resource.origin:
        return None
    env_var = os.environ.get("TF_WORKSPACE")
    found = (env_var, "environment variable TF_WORKSPACE") if env_var else None
    if found is None:
        selected = _workspace_file(resource.origin)
        if selected:
            found = (selected[0], f"Terraform workspace selected in {selected[1]}")
    if found is None or found[0].lower() not in _known(config):
        return None
    return found[0].lower(), f"{found[1]}: workspace '{found[0]}'"


def from_config(resource: Resource, config: Config) -> tuple[str, str] | None:
    for i, hint in enumerate(config.tags.environments):
        for candidate in (resource.file, resource.origin, resource.address):
            if candidate and fnmatch.fnmatch(candidate, hint.match):
                return hint.environment.lower(), f"config tags.environments[{i}]: '{hint.match}' matches {candidate}"
    return None


def infer(resource: Resource, config: Config, tag: tuple[str, str] | None) -> tuple[str, str] | None:
    """(environment, evidence) or None; ``tag`` is the (key, value) of the resource's environment tag. A
    source may have set evidence already (a Terraform root module's environment variable): it comes next."""
    if tag is not None:
        return tag[1].lower(), from_tag(resource, *tag)
    if resource.environment and resource.environment_evidence:
        return resource.environment.lower(), resource.environment_evidence
    return from_namespace(resource.namespace, config) or from_workspace(resource, config) \
        or from_config(resource, config)


def apply_environment(resource: Resource, config: Config, tag: tuple[str, str] | None) -> None:
    found = infer(resource, config, tag)
    if found is None:
        return
    resource.environment, resource.environment_evidence = found
    if resource.environment in PRODUCTION:
        resource.production = True
    elif resource.environment in {e.lower() for e in config.nonprod_environments}:
        resource.production = False
