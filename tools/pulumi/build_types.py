"""Build linter/sources/pulumi/data/types.json: Pulumi type tokens -> Terraform resource types, and the nested
block shape of the types the Terraform mappers read.

Pulumi's AWS, GCP and Azure Classic providers are bridged from Terraform's, so a token such as
``gcp:container/nodePool:NodePool`` is ``google_container_node_pool`` with camelCase inputs, and repeated blocks
named in the plural. This script reads the providers' own metadata and records where each entry came from:

- pulumi-gcp / pulumi-azure: ``provider/cmd/pulumi-resource-<p>/bridge-metadata.json`` of the provider repository
  (``auto-aliasing``: for every Terraform type its current token, its past tokens, and which list fields are
  blocks allowed once, ``maxItemsOne``);
- pulumi-aws: the tokens of the ``pulumi_aws`` SDK's resource modules (``_utilities.register(resource_modules=...)``
  in ``pulumi_aws/__init__.py``), the Terraform type by pulumi-aws's naming, and ``additions.yaml`` beside this
  script for the exceptions (modules named otherwise, single tokens), the nested blocks and the renamed inputs
  (each with its reason), checked against the SDK's getters.

Usage (maintainers; the inputs are downloaded by hand, nothing is fetched here):

    pip download --no-deps pulumi-aws==7.51.1 && unzip pulumi_aws-7.51.1-*.whl -d /tmp/aws
    git -C pulumi-gcp show HEAD:provider/cmd/pulumi-resource-gcp/bridge-metadata.json > gcp.json
    python tools/pulumi/build_types.py --aws-sdk /tmp/aws/pulumi_aws \\
        --bridge gcp=gcp.json@v9.35.0+ed6078aacc64,2026-08-21 --bridge azure=azure.json@v6.39.0+a1c2bdf5b7a0,2026-07-24
"""

from __future__ import annotations

import argparse
import json
import os
import re
import sys
from typing import Any

import yaml

ROOT = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
sys.path.insert(0, ROOT)
OUT = os.path.join(ROOT, "linter", "sources", "pulumi", "data", "types.json")
ADDITIONS = os.path.join(os.path.dirname(os.path.abspath(__file__)), "additions.yaml")
# Types the mappers look up by type (joins) without mapping them themselves: the rate-limit rule reads API
# Gateway integrations, methods, usage plans and stages (linter/sources/terraform/map_llm.py).
JOINED = ("aws_cloudwatch_metric_alarm", "aws_ecs_task_definition", "aws_ecs_capacity_provider",
          "aws_api_gateway_integration", "aws_api_gateway_method", "aws_api_gateway_method_settings",
          "aws_api_gateway_usage_plan", "aws_apigatewayv2_integration", "aws_apigatewayv2_stage")


def snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def camel(name: str) -> str:
    head, *rest = name.split("_")
    return head + "".join(p[:1].upper() + p[1:] for p in rest)


# Terraform types a mapper reads that today's bridged providers have no token for, and why (the build and its test
# take them as known gaps, not as a failure)
WITHOUT_TOKEN = {
    "google_tpu_node": "removed from pulumi-gcp at v9 (commit 089e7423ca, 2025-09-18, bridging terraform-provider-google "
                       "7.0); still read for Terraform code pinned to the 6.x provider",
}


def wanted_types() -> set[str]:
    """Every Terraform type the mappers know: registered mappers and the types they join to (each must have a
    token, or the build fails), less those no current provider has a token for (``WITHOUT_TOKEN``)."""
    from linter.sources.terraform.normalize import _registry

    return {*_registry()[0], *JOINED} - set(WITHOUT_TOKEN)


def known_types() -> set[str]:
    """Terraform types we know exist: the mappers' and the taggable list (checkov's, linter/facts/tag_data.py).
    An AWS token is mapped only to one of these, so a name the naming rule gets wrong never enters the map."""
    from linter.facts.tag_data import tag_data

    return {*wanted_types(), *tag_data().taggable}


def compact(fields: dict[str, Any]) -> dict[str, Any]:
    """auto-aliasing fields -> {tf_name: {"one": bool, "fields": {...}}}."""
    out: dict[str, Any] = {}
    for name, info in sorted(fields.items()):
        entry: dict[str, Any] = {"one": bool(info.get("maxItemsOne"))}
        nested = (info.get("elem") or {}).get("fields")
        if nested:
            entry["fields"] = compact(nested)
        out[name] = entry
    return out


def from_additions(spec: Any) -> dict[str, Any]:
    """additions.yaml fields -> the same compact shape."""
    out: dict[str, Any] = {}
    for name, value in spec.items():
        if value in ("one", "list"):
            out[name] = {"one": value == "one"}
        else:
            (kind, nested), = value.items()
            out[name] = {"one": kind == "one", "fields": from_additions(nested)}
    return out


def read_bridge(path: str) -> dict[str, Any]:
    with open(path, encoding="utf-8") as fh:
        return json.load(fh)["auto-aliasing"]["resources"]


def aws_tokens(sdk: str) -> list[str]:
    with open(os.path.join(sdk, "__init__.py"), encoding="utf-8") as fh:
        text = fh.read()
    m = re.search(r'resource_modules="""(.*?)"""', text, re.S)
    if not m:
        raise SystemExit(f"{sdk}/__init__.py: no resource_modules block")
    return sorted(t for mod in json.loads(m.group(1)) for t in mod["classes"])


def aws_version(sdk: str) -> str:
    with open(os.path.join(sdk, "pulumi-plugin.json"), encoding="utf-8") as fh:
        return json.load(fh)["version"]


def aws_getters(sdk: str, token: str) -> set[str]:
    """Pulumi property names of a token's module (resource and input types)."""
    mod = token.split(":")[1].split("/")[0]
    names: set[str] = set()
    directory = os.path.join(sdk, mod)
    for name in os.listdir(directory):
        if name.endswith(".py"):
            with open(os.path.join(directory, name), encoding="utf-8") as fh:
                text = fh.read()
            names.update(re.findall(r'getter\(name="(\w+)"\)', text))
            names.update(camel(n) for n in re.findall(r"def (\w+)\(self\)", text))
    return names


def plural_forms(name: str) -> set[str]:
    forms = {name, name + "s", name + "es"}
    if name.endswith("y"):
        forms.add(name[:-1] + "ies")
    return forms


def check_fields(fields: dict[str, Any], getters: set[str], where: str) -> list[str]:
    problems = []
    for name, entry in fields.items():
        forms = {camel(f) for f in (plural_forms(name) if not entry["one"] else {name})}
        if not forms & getters:
            problems.append(f"{where}.{name}: none of {sorted(forms)} is a getter of the SDK")
        problems += check_fields(entry.get("fields", {}), getters, f"{where}.{name}")
    return problems


def build(aws_sdk: str, bridges: list[tuple[str, str, str, str]]) -> dict[str, Any]:
    wanted = wanted_types()
    known_tf = known_types()
    with open(ADDITIONS, encoding="utf-8") as fh:
        additions = yaml.safe_load(fh)
    tokens: dict[str, str] = {}
    fields: dict[str, Any] = {}
    sources: list[dict[str, str]] = []
    for provider, path, version, date in bridges:
        resources = read_bridge(path)
        for tf_type, info in sorted(resources.items()):
            tokens[info["current"]] = tf_type
            for past in info.get("past") or []:
                tokens.setdefault(past["name"], tf_type)
            if tf_type in wanted and info.get("fields"):
                fields[tf_type] = compact(info["fields"])
        sources.append({"provider": provider, "source": f"github.com/pulumi/pulumi-{provider} "
                        f"provider/cmd/pulumi-resource-{provider}/bridge-metadata.json (auto-aliasing)",
                        "version": version, "as_of": date})
    sdk_tokens = aws_tokens(aws_sdk)
    known = set(sdk_tokens)
    modules = {mod: entry["terraform"] for mod, entry in additions.get("modules", {}).items()}
    for token in sdk_tokens:
        mod, file = token.split(":")[1].split("/")
        for candidate in (f"aws_{modules.get(mod, mod)}_{snake(file)}", f"aws_{snake(file)}" if mod == "ec2" else None):
            if candidate in known_tf:
                tokens[token] = candidate
    problems: list[str] = []
    for tf_type, entry in additions["tokens"].items():
        for token in (entry["token"], *entry.get("past", [])):
            if token not in known and token == entry["token"]:
                problems.append(f"additions.yaml: {tf_type}: {token} is not in pulumi_aws {aws_version(aws_sdk)}")
            tokens[token] = tf_type
    for tf_type, spec in additions["fields"].items():
        fields[tf_type] = from_additions(spec)
        token = next((t for t, tf in tokens.items() if tf == tf_type and t in known), None)
        if token is None:
            problems.append(f"additions.yaml: fields of {tf_type}: no token")
            continue
        problems += check_fields(fields[tf_type], aws_getters(aws_sdk, token), tf_type)
    renames: dict[str, dict[str, str]] = additions.get("renames", {})
    for tf_type, names in renames.items():
        token = next((t for t, tf in tokens.items() if tf == tf_type and t in known), None)
        getters = aws_getters(aws_sdk, token) if token else set()
        problems += [f"additions.yaml: renames of {tf_type}: {name} is not an input of {token}"
                     for name in names if camel(name) not in getters]
    sources.insert(0, {"provider": "aws", "source": "pulumi_aws SDK resource modules (pulumi_aws/__init__.py) with "
                       "tools/pulumi/additions.yaml", "version": aws_version(aws_sdk), "as_of": "2026-10"})
    mapped = set(tokens.values())
    missing = sorted(t for t in wanted if t.split("_", 1)[0] in ("aws", "google", "azurerm") and t not in mapped)
    if missing:
        problems.append("Terraform types the mappers know without a Pulumi token: " + ", ".join(missing))
    if problems:
        raise SystemExit("\n".join(problems))
    aws_mapped = sum(1 for tf in tokens.values() if tf.startswith("aws_"))
    print(f"pulumi-aws: {aws_mapped} tokens mapped to known Terraform types of {len(sdk_tokens)} in the SDK; "
          f"{sum(1 for t in known_tf if t.startswith('aws_') and t not in set(tokens.values()))} known AWS types "
          "without a token (generic mapping only)", file=sys.stderr)
    return {"about": "Generated by tools/pulumi/build_types.py; do not edit (edit tools/pulumi/additions.yaml)",
            "sources": sources, "additions": {**{f"aws:{m}/*": v["reason"] for m, v in additions.get("modules", {}).items()},
                                              **{k: v["reason"] for k, v in additions["tokens"].items()}},
            "tokens": dict(sorted(tokens.items())), "fields": dict(sorted(fields.items())),
            "renames": dict(sorted(renames.items()))}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--aws-sdk", required=True, help="directory of the unpacked pulumi_aws package")
    parser.add_argument("--bridge", action="append", default=[],
                        help="PROVIDER=bridge-metadata.json@VERSION,DATE (gcp, azure)")
    parser.add_argument("--out", default=OUT)
    args = parser.parse_args()
    bridges = []
    for item in args.bridge:
        provider, rest = item.split("=", 1)
        path, meta = rest.rsplit("@", 1)
        version, date = meta.split(",")
        bridges.append((provider, path, version, date))
    data = build(args.aws_sdk, bridges)
    with open(args.out, "w", encoding="utf-8") as fh:
        json.dump(data, fh, indent=0, sort_keys=False, separators=(",", ":"))
        fh.write("\n")
    print(f"{args.out}: {len(data['tokens'])} tokens, {len(data['fields'])} types with nested blocks")


if __name__ == "__main__":
    main()
