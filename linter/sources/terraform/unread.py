"""Terraform resources finops-lint does not read that name GPU machines: noted, so their cost never leaves the
report without a word (an ``awscc_sagemaker_cluster`` of ml.p5.48xlarge instance groups, a provider's new type).
"""

from __future__ import annotations

import re
from typing import Any

from linter.model import Resource, Skipped
from linter.sources.gpu_machine_names import GPU_MACHINE

# Types that describe machines others launch (a template, a launch configuration): they bill nothing themselves
_DESCRIBE_ONLY = ("aws_launch_template", "aws_launch_configuration", "google_compute_instance_template",
                  "google_compute_region_instance_template", "aws_sagemaker_model", "aws_ec2_instance_type",
                  "aws_pricing_product", "aws_servicequotas_service_quota")


def _machine_named(value: Any, depth: int = 0) -> str | None:
    if depth > 30:
        return None
    if isinstance(value, str):
        m = GPU_MACHINE.search(value) if len(value) < 200 else None
        if m is None:
            return None
        return value if len(value) < 64 and not any(c.isspace() for c in value) else m.group(0)  # the whole name
    items = value.values() if isinstance(value, dict) else value if isinstance(value, list) else ()
    for item in items:
        if (found := _machine_named(item, depth + 1)) is not None:
            return found
    return None


# Types that launch machines but whose cost finops-lint does not model (its generic mapper keeps only their tags)
NOT_PRICED = ("azurerm_machine_learning_compute_cluster", "azurerm_machine_learning_compute_instance")


def unread_gpu_resources(raws: list[Any], mapped: list[Resource]) -> list[Skipped]:
    """A note for each resource instance of a type no mapper reads (or prices) whose arguments name a GPU machine."""
    read = {r.address for r in mapped if r.type not in NOT_PRICED}
    notes: list[Skipped] = []
    noted: set[str] = set()
    for raw in raws:
        block = re.sub(r"\[[^\]]*\]$", "", raw.address)  # the block: instances of a count/for_each share it
        if raw.address in read or raw.type in _DESCRIBE_ONLY or block in noted or getattr(raw, "mode", "") == "data":
            continue
        machine = _machine_named(raw.values)
        if machine is None:
            continue
        noted.add(block)
        notes.append(Skipped(file=raw.file, line=raw.line, reason=f"{raw.address} names {machine}, but finops-lint "
                             f"does not read {raw.type}: its cost is not in the report"))
    return notes
