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
