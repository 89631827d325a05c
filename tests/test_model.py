"""The normalized model is plain dataclasses on the hot path, and pydantic validates it at trust
boundaries with the same classes."""

from __future__ import annotations

import subprocess
import sys

import pytest

from linter.model import Accelerators, Compute, Resource


def test_pydantic_validates_the_model_classes() -> None:
    from pydantic import TypeAdapter, ValidationError

    adapter = TypeAdapter(Resource)
    r = adapter.validate_python({"address": "aws_instance.x", "type": "aws_instance", "source": "terraform",
                                 "provider": "aws", "file": "main.tf", "line": 3,
                                 "compute": {"instance_type": "p4d.24xlarge", "gpu": {"model": "A100", "count": 8}}})
    assert isinstance(r.compute, Compute) and isinstance(r.gpu, Accelerators) and r.gpu.count == 8
    with pytest.raises(ValidationError):
        adapter.validate_python({"address": "x", "type": "t", "source": "cloudformation", "provider": "aws",
                                 "file": "f", "line": 1})
    schema = adapter.json_schema()
    assert "compute" in schema["properties"]


def test_unknown_fields_are_rejected_by_the_constructor() -> None:
    with pytest.raises(TypeError):
        Resource(address="a", type="t", source="terraform", provider="aws", file="f", line=1, colour="red")  # type: ignore[call-arg]


def test_a_scan_without_config_does_not_import_pydantic(tmp_path) -> None:
    (tmp_path / "main.tf").write_text('resource "aws_instance" "a" {\n  instance_type = "g5.xlarge"\n}\n')
    code = ("import sys\nfrom linter.cli import main\n"
            "try:\n    main(['scan', '.', '--format', 'json'])\nexcept SystemExit:\n    pass\n"
            "sys.stderr.write(str('pydantic' in sys.modules))")
    proc = subprocess.run([sys.executable, "-c", code], cwd=tmp_path, capture_output=True, text=True, timeout=60)
    assert proc.stderr.strip().endswith("False"), proc.stderr


def _reference(value: object) -> object:
    """The conversion ``to_dict`` stands for, written plainly: fields in declaration order, records and
    containers converted, scalars as they are."""
    import dataclasses

    from linter.model import Record

    if isinstance(value, Record):
        return {f.name: _reference(getattr(value, f.name)) for f in dataclasses.fields(value)}
    if isinstance(value, (list, tuple)):
        return [_reference(v) for v in value]
    if isinstance(value, dict):
        return {k: _reference(v) for k, v in value.items()}
    return value


def test_to_dict_of_every_record_of_a_scan_is_its_fields_in_order(tmp_path) -> None:  # type: ignore[no-untyped-def]
    """The generated per-class converters (model._converter) give each record's fields in declaration order,
    nested records, lists and dicts converted: on every resource, finding, error and note of the examples' scan,
    and on records of no field and of one."""
    import json
    import os

    from conftest import ROOT
    from linter.cli_options import load
    from linter.engine import ScanOptions, scan
    from linter.model import Record
    from linter.records import record

    os.environ.setdefault("FINOPS_LINT_CACHE_DIR", str(tmp_path / "cache"))
    config, catalog, rules, _ = load(None, ())
    result = scan([str(ROOT / "iac_examples")], config, catalog, rules, ScanOptions(jobs=1))
    items = [*result.resources, *result.findings, *result.errors, *result.skipped]
    assert len(result.resources) > 100 and result.findings
    for item in items:
        got = Record.to_dict(item)
        assert json.dumps(got, default=repr) == json.dumps(_reference(item), default=repr), type(item).__name__

    @record
    class Nothing(Record):
        pass

    @record
    class One(Record):
        nested: Accelerators

    assert Nothing().to_dict() == {}
    assert One(Accelerators(model="L4", count=1)).to_dict() == {"nested": _reference(Accelerators(model="L4",
                                                                                                  count=1))}
