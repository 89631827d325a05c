"""The CrossGuard policy pack: validate functions called directly with the resources Pulumi hands a stack
policy (a PolicyPack object would start the policy server and block)."""

from __future__ import annotations

import importlib
import os
from dataclasses import dataclass, field
from typing import Any

import pytest

if os.environ.get("CI"):  # CI installs the test extra: the path must run there, never be skipped
    importlib.import_module("pulumi_policy")
else:
    pytest.importorskip("pulumi_policy")

URN = "urn:pulumi:staging::ml::{}::{}"


@dataclass
class FakeResource:  # the attributes of pulumi_policy.PolicyResource the pack reads
    resource_type: str
    name: str
    props: Any
    provider: Any = None
    urn: str = field(default="")

    def __post_init__(self) -> None:
        self.urn = URN.format(self.resource_type, self.name)


@dataclass
class FakeArgs:
    resources: list[Any]


def _stack() -> list[FakeResource]:
    from pulumi_policy.proxy import UNKNOWN_STRING_VALUE, unknown_checking_proxy

    provider = FakeResource("pulumi:providers:aws", "default_7_51_1",
                            {"region": "us-west-2", "defaultTags": {"tags": {"team": "ml", "environment": "staging"}}})
    trainer = FakeResource("aws:ec2/instance:Instance", "trainer", unknown_checking_proxy(
        {"instanceType": "p4d.24xlarge", "ami": UNKNOWN_STRING_VALUE, "tags": {"workload": "training",
                                                                              "cost-center": "cc-1"}}), provider)
    untagged = FakeResource("aws:ec2/instance:Instance", "notebook-box",
                            {"instanceType": "g5.xlarge", "tags": {"workload": "interactive"}}, provider)
    return [provider, trainer, untagged]


def _violations(rule_id: str) -> list[tuple[str, str | None]]:
    from linter.sources.pulumi.policy import validator

    out: list[tuple[str, str | None]] = []
    validator(rule_id)(FakeArgs(_stack()), lambda message, urn=None: out.append((message, urn)))
    return out


def test_violation_carries_the_monthly_figure_and_the_urn(catalog) -> None:
    (violation,) = _violations("FIN-GPU-001")
    message, urn = violation
    assert urn == URN.format("aws:ec2/instance:Instance", "trainer")
    hourly = catalog.hourly("aws", "us-west-2", "p4d.24xlarge").usd_per_hour
    monthly = hourly * 730
    saving = monthly * catalog.spot_discount("aws", "p4d").fraction
    assert message.startswith("FIN-GPU-001: trainer runs 8x A100 (p4d.24xlarge) for training on demand")
    assert f"costs ${monthly:,.2f}/month" in message
    assert f"fixing it saves ${saving:,.2f}/month" in message


def test_tags_from_the_provider_and_rules_that_do_not_apply() -> None:
    tags = _violations("FIN-TAG-001")
    assert [urn for _, urn in tags] == [URN.format("aws:ec2/instance:Instance", "notebook-box")]
    assert "cost-center" in tags[0][0]
    assert _violations("FIN-SCALE-001") == []


def test_policies_map_severity_to_enforcement_level() -> None:
    from linter.config import Config
    from linter.sources.pulumi.policy import policies

    by_name = {p.name: p for p in policies(Config(severity={"FIN-TAG-001": "high"},
                                                  disabled_rules=["FIN-GPU-002"]))}
    assert by_name["fin-gpu-001"].enforcement_level.value == "mandatory"  # severity high
    assert by_name["fin-gpu-003"].enforcement_level.value == "advisory"  # severity medium
    assert by_name["fin-tag-001"].enforcement_level.value == "mandatory"  # raised to high in config
    from linter.rules.impacts import IMPACTS
    from linter.rules.loader import load_rules

    assert set(by_name) == {r.id.lower() for r in load_rules([], set(IMPACTS))} - {"fin-gpu-002"}


def test_policy_pack_template_serves_the_rules() -> None:
    """The shipped pack directory: PulumiPolicy.yaml says python, __main__.py calls serve()."""
    import ast

    import yaml

    from conftest import EXAMPLES

    pack = EXAMPLES / "pulumi" / "policy_pack"
    assert yaml.safe_load((pack / "PulumiPolicy.yaml").read_text())["runtime"] == "python"
    tree = ast.parse((pack / "__main__.py").read_text())
    calls = [n.func.id for n in ast.walk(tree) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)]
    assert calls == ["serve"]
    assert "finops-lint[pulumi]" in (pack / "requirements.txt").read_text()
