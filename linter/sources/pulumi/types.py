"""Pulumi type tokens -> the Terraform resource types the mappers know, and inputs -> Terraform's shape.

The AWS, GCP and Azure Classic providers are bridged from Terraform's: ``aws:ec2/instance:Instance`` is
``aws_instance``, its inputs are Terraform's attributes in camelCase, repeated blocks are named in the plural
(``taints`` for ``taint``) and blocks Terraform allows once are single objects. ``data/types.json`` (generated
by tools/pulumi/build_types.py from the providers' metadata) holds the token map and the nested blocks, so the
Terraform mappers read a Pulumi resource unchanged.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any

from linter.sources.terraform.values import Unknown, is_unknown

PROVIDER_OF_PACKAGE = {"aws": "aws", "gcp": "gcp", "azure": "azure", "azure-native": "azure",
                       "kubernetes": "kubernetes"}
TF_PREFIX = {"aws": "aws", "gcp": "google", "azure": "azurerm"}
_SNAKE = re.compile(r"(?<=[a-z0-9])([A-Z])")


def snake(name: str) -> str:
    return _SNAKE.sub(r"_\1", name).lower()


@lru_cache(maxsize=1)
def _data() -> dict[str, Any]:
    path = os.path.join(os.path.dirname(__file__), "data", "types.json")
    with open(path, encoding="utf-8") as fh:
        data = json.load(fh)
    short: dict[str, str] = {}
    for token in data["tokens"]:
        pkg, middle, name = token.split(":")
        short.setdefault(f"{pkg}:{middle.split('/')[0]}:{name}", token)
    data["short"] = short
    return data


def full_token(token: str) -> str:
    """``aws:ec2:Instance`` (Pulumi YAML's short form) -> ``aws:ec2/instance:Instance``; others unchanged."""
    parts = token.split(":")
    if len(parts) == 3 and "/" not in parts[1] and not token.startswith(("kubernetes:", "azure-native:", "pulumi:")):
        data = _data()
        if token in data["tokens"]:
            return token
        return data["short"].get(token) or f"{parts[0]}:{parts[1]}/{parts[2][:1].lower()}{parts[2][1:]}:{parts[2]}"
    return token


def package_of(token: str) -> str:
    return token.split(":", 1)[0]


# azure-native resources that carry capacity, as the azurerm resource whose mapper prices them (our addition:
# azure-native is generated from Azure's REST specs, not bridged, so its inputs are translated in build.py).
NATIVE = {"compute:VirtualMachine": "azurerm_linux_virtual_machine",
          "compute:VirtualMachineScaleSet": "azurerm_linux_virtual_machine_scale_set",
          "containerservice:ManagedCluster": "azurerm_kubernetes_cluster",
          "containerservice:AgentPool": "azurerm_kubernetes_cluster_node_pool"}


def native_key(token: str) -> str:
    """``azure-native:compute/v20230301:VirtualMachine`` -> ``compute:VirtualMachine``."""
    parts = token.split(":")
    return f"{parts[1].split('/')[0]}:{parts[2]}" if len(parts) == 3 else token


def terraform_type(token: str) -> str | None:
    """The Terraform type a bridged token creates; None when the map does not know it."""
    if token.startswith("azure-native:"):
        return NATIVE.get(native_key(token))
    return _data()["tokens"].get(full_token(token))


def pseudo_type(token: str) -> str:
    """A Terraform-like type for a bridged token the map does not know (generic mapping only)."""
    pkg = package_of(token)
    parts = full_token(token).split(":")
    name = parts[1].replace("/", "_") if len(parts) == 3 else token
    return f"{TF_PREFIX.get(pkg, pkg)}_{snake(name)}"


def _field(fields: dict[str, Any], key: str, renames: dict[str, str] | None = None,
           ) -> tuple[str, dict[str, Any] | None]:
    """The Terraform name of an input key and its block entry (None: an attribute, kept as is)."""
    name = snake(key)
    name = (renames or {}).get(name, name)
    if name in fields:
        return name, fields[name]
    for tf_name, entry in fields.items():
        if entry["one"]:
            continue
        if name in (tf_name + "s", tf_name + "es") or (tf_name.endswith("y") and name == tf_name[:-1] + "ies"):
            return tf_name, entry
    return name, None


def to_terraform(values: dict[str, Any], tf_type: str) -> dict[str, Any]:
    """Pulumi inputs (camelCase or snake_case keys) -> the values a Terraform evaluation gives the mappers;
    top-level inputs pulumi-aws renames (``rest_api``) get their Terraform name (``rest_api_id``)."""
    return _convert(values, _data()["fields"].get(tf_type, {}), _data().get("renames", {}).get(tf_type))


def _convert(values: dict[str, Any], fields: dict[str, Any], renames: dict[str, str] | None = None,
             ) -> dict[str, Any]:
    out: dict[str, Any] = {}
    for key, value in values.items():
        name, entry = _field(fields, str(key), renames)
        if entry is not None:
            value = _block(value, entry)
        out[name] = value
    return out


def _block(value: Any, entry: dict[str, Any]) -> Any:
    nested = entry.get("fields", {})

    def one(v: Any) -> Any:
        return _convert(v, nested) if isinstance(v, dict) and not is_unknown(v) else v

    if is_unknown(value) or value is None:
        return value
    if isinstance(value, list):
        return [one(v) for v in value]
    return [one(value)]  # a block allowed once: Terraform evaluation gives a one-element list


def snake_keys(value: Any) -> Any:
    """Object keys to snake_case all the way down (azure-native and policy inputs read by name)."""
    if isinstance(value, dict) and not is_unknown(value):
        return {snake(str(k)): snake_keys(v) for k, v in value.items()}
    if isinstance(value, list):
        return [snake_keys(v) for v in value]
    return value


def raw_address(token: str, name: str) -> str:
    """The Terraform-style address a resource has inside the mappers (joins resolve ``type.name``)."""
    tf_type = terraform_type(token) or pseudo_type(token)
    return f"{tf_type}.{re.sub(r'[^A-Za-z0-9_-]', '_', name)}"


def kubernetes_kind(token: str) -> tuple[str, str] | None:
    """``kubernetes:apps/v1:Deployment`` -> ("apps/v1", "Deployment"); core group -> "v1"."""
    parts = token.split(":")
    if len(parts) != 3 or parts[0] != "kubernetes" or "/" not in parts[1]:
        return None
    group, version = parts[1].rsplit("/", 1)
    return (version if group == "core" else f"{group}/{version}"), parts[2]


def unknown_output(address: str, attribute: str) -> Unknown:
    """The value of another resource's output: known after deployment, but it still names the resource."""
    return Unknown(f"{address}.{attribute} is known after deployment", (address,))
