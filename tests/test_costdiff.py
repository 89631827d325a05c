"""The planner-neutral cost diff and gates (linter/costdiff.py), on resources priced like a scan prices them."""

from __future__ import annotations

import pytest

from linter.config import Config
from linter.costdiff import Change, GateLimits, action_of, cost_diff, evaluate_gates, render_text
from linter.facts.compute import build_compute
from linter.model import Resource
from linter.pricing.cost import price_resource

HOURS = 730


def _vm(catalog, address: str, itype: str, count: int = 1, spot: bool = False) -> Resource:
    r = Resource(address=address, type="aws_instance", source="terraform-plan", provider="aws", file="main.tf",
                 line=1, region="us-east-1")
    share = 0.0 if spot else 1.0
    r.compute = build_compute(catalog, "aws", itype, service="vm", region="us-east-1", count=count,
                              purchase="spot" if spot else "on_demand", on_demand_share=share)
    price_resource(r, catalog, Config())
    return r


@pytest.mark.parametrize("actions,expected", [
    (["create"], "create"), (["delete", "create"], "replace"), (["create", "delete"], "replace"),
    (["no-op"], "no-op"), (["read"], "read"), (["update"], "update"), (["delete"], "delete"),
])
def test_action_names(actions: list[str], expected: str) -> None:
    assert action_of(actions) == expected


def test_diff_totals_order_and_gates(catalog) -> None:
    g5 = catalog.hourly("aws", "us-east-1", "g5.xlarge").usd_per_hour
    p4d = catalog.hourly("aws", "us-east-1", "p4d.24xlarge").usd_per_hour
    m5 = catalog.hourly("aws", "us-east-1", "m5.large").usd_per_hour
    changes = [
        Change(address="aws_instance.web", action="no-op", before=_vm(catalog, "aws_instance.web", "m5.large"),
               after=_vm(catalog, "aws_instance.web", "m5.large")),
        Change(address="aws_instance.old", action="delete", before=_vm(catalog, "aws_instance.old", "g5.xlarge")),
        Change(address="aws_instance.train", action="replace",
               before=_vm(catalog, "aws_instance.train", "g5.xlarge"),
               after=_vm(catalog, "aws_instance.train", "p4d.24xlarge", count=2)),
        Change(address="aws_instance.odd", action="create", after=_vm(catalog, "aws_instance.odd", "zz9.huge")),
    ]
    diff = cost_diff(changes)
    before = round(m5 * HOURS, 2) + 2 * round(g5 * HOURS, 2)
    after = round(m5 * HOURS, 2) + round(2 * p4d * HOURS, 2)
    assert diff.monthly_before_usd == pytest.approx(before, abs=0.01)
    assert diff.monthly_after_usd == pytest.approx(after, abs=0.01)
    assert diff.monthly_delta_usd == pytest.approx(after - before, abs=0.01)
    assert [d.address for d in diff.resources] == ["aws_instance.train", "aws_instance.old", "aws_instance.odd"]
    train = diff.resources[0]
    assert (train.action, train.before_usd) == ("replace", pytest.approx(g5 * HOURS, abs=0.01))
    assert train.delta_usd == pytest.approx(2 * p4d * HOURS - g5 * HOURS, abs=0.01)
    assert diff.resources[1].delta_usd == pytest.approx(-g5 * HOURS, abs=0.01)
    assert diff.resources[2].after_usd is None and diff.unpriced == ["aws_instance.odd"]

    limits = GateLimits(max_monthly_increase_usd=diff.monthly_delta_usd - 1, max_monthly_increase_percent=10_000,
                        max_monthly_total_usd=after + 1, fail_on="high")
    gates = {g.name: g for g in evaluate_gates(diff, [], limits)}
    assert not gates["max-monthly-increase"].passed and "aws_instance.odd" in gates["max-monthly-increase"].note
    assert gates["max-monthly-increase-percent"].value == pytest.approx(100 * (after - before) / before, abs=0.01)
    assert gates["max-monthly-increase-percent"].passed and gates["max-monthly-total"].passed
    assert gates["fail-on"].passed and gates["fail-on"].value == 0
    text = render_text(diff, list(gates.values()))
    assert text.index("aws_instance.train") < text.index("aws_instance.old")
    assert "gate max-monthly-increase: FAILED" in text


def test_percent_gate_without_spend_before(catalog) -> None:
    diff = cost_diff([Change(address="aws_instance.a", action="create",
                             after=_vm(catalog, "aws_instance.a", "g5.xlarge"))])
    assert diff.monthly_before_usd == 0 and diff.delta_percent is None
    gate = evaluate_gates(diff, [], GateLimits(max_monthly_increase_percent=5))[0]
    assert gate.passed and gate.value is None and "--max-monthly-increase" in (gate.note or "")
