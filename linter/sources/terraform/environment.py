"""A root module's environment variable (``var.environment = "dev"`` in terraform.tfvars, ``--var`` or a
default) as evidence of the environment of every resource it deploys, with where its value came from."""

from __future__ import annotations

from typing import Any

ENVIRONMENT_VARIABLES = ("environment", "env", "stage", "environment_name", "env_name", "deployment_environment")


def root_environment(ctx: Any, variables: dict[str, Any], origins: dict[str, str]) -> tuple[str, str] | None:
    """(value, evidence) of the first environment variable the root module declares with a known string value.

    ``ctx`` is the root ModuleContext (it evaluates the value as the resources saw it), ``variables`` the
    module's ``variable`` blocks, ``origins`` where tfvars/--var set each value (``terraform.tfvars:3``)."""
    for name in ENVIRONMENT_VARIABLES:
        block = variables.get(name)
        if block is None:
            continue
        try:
            value = ctx.variable(name)
        except Exception:  # an unknown or broken value is no evidence; the scan already reported it
            continue
        if not isinstance(value, str) or not value.strip():
            continue
        where = origins.get(name) or f"default at {block.file}:{block.line}"
        return value.strip(), f'variable {name} = "{value.strip()}" ({where})'
    return None
