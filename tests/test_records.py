"""``@record`` behaves as ``@dataclass`` does (linter/records.py): only import time differs."""

from __future__ import annotations

import dataclasses
import pickle
from dataclasses import dataclass, field
from typing import Any

import pytest

from linter.model import Accelerators, Compute, Finding, Impact, Resource
from linter.records import record


def _pair(**options: Any) -> tuple[type, type]:
    """The same class made by @dataclass and by @record."""

    def body() -> dict[str, Any]:
        return {"__annotations__": {"name": "str", "tags": "dict[str, str]", "secret": "str", "note": "str"},
                "tags": field(default_factory=dict), "secret": field(default="", repr=False),
                "note": field(default="", compare=False)}

    return (dataclass(**options)(type("Pool", (), body())), record(**options)(type("Pool", (), body())))


@pytest.mark.parametrize("options", [{}, {"slots": True}, {"kw_only": True, "slots": True}, {"frozen": True},
                                     {"frozen": True, "slots": True}, {"eq": False}])
def test_repr_eq_and_hash_are_those_of_a_dataclass(options: dict[str, Any]) -> None:
    for cls in _pair(**options):
        a = cls(name="gpu", tags={"team": "ml"}, secret="s3cr3t", note="one")
        same = cls(name="gpu", tags={"team": "ml"}, secret="s3cr3t", note="another")  # note is not compared
        other = cls(name="cpu", tags={"team": "ml"})
        assert repr(a) == "Pool(name='gpu', tags={'team': 'ml'}, note='one')"  # repr=False field left out
        if options.get("eq", True):
            assert a == same and a != other and (a == "gpu") is False
        else:
            assert a != same and a == a  # identity, as @dataclass(eq=False)
        if options.get("frozen"):
            with pytest.raises(TypeError):  # a dict field: unhashable, as a dataclass's hash would be
                hash(a)
            b = cls(name="gpu", tags=None, note="x")
            assert hash(b) == hash(cls(name="gpu", tags=None, note="y"))
            with pytest.raises(dataclasses.FrozenInstanceError):
                a.name = "x"
        elif options.get("eq", True):
            assert cls.__hash__ is None  # mutable and compared by value: unhashable
        if options.get("slots"):
            assert not hasattr(a, "__dict__")
    made_by_dataclass, made_by_record = _pair(**options)
    assert [f.name for f in dataclasses.fields(made_by_dataclass)] == [f.name for f in dataclasses.fields(made_by_record)]


def test_model_records_round_trip_through_the_cache_and_replace() -> None:
    compute = Compute(instance_type="p4d.24xlarge", count=2,
                      gpu=Accelerators(model="A100", count=8, memory_gib=40, vendor="nvidia", kind="gpu"))
    resource = Resource(address="aws_instance.trainer", type="aws_instance", source="terraform", provider="aws",
                        file="infra/train.tf", line=12, compute=compute)
    copy = pickle.loads(pickle.dumps(resource))
    assert copy == resource and copy is not resource
    assert copy.compute is not None and copy.compute.gpu == compute.gpu
    assert dataclasses.replace(resource, line=13) != resource
    assert repr(compute.gpu) == ("Accelerators(model='A100', count=8, memory_gib=40, vendor='nvidia', kind='gpu')")
    finding = Finding(rule_id="FIN-GPU-001", rule="gpu-on-demand-for-batch", severity="high", message="m",
                      remediation="r", source="terraform", file="infra/train.tf", line=12,
                      resource="aws_instance.trainer", resource_type="aws_instance", monthly_cost_usd=23652.0,
                      impact=Impact(kind="savings", monthly_usd=15373.8), fingerprint="f")
    assert finding.to_dict()["impact"]["monthly_usd"] == 15373.8


def test_a_record_that_contains_itself_has_a_finite_repr() -> None:
    @record
    class Node:
        name: str
        children: list[Any] = field(default_factory=list)

    root = Node("root")
    root.children.append(root)
    assert repr(root).endswith("<locals>.Node(name='root', children=[...])")  # __qualname__, as @dataclass
