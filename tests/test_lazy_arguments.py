"""A resource's arguments are evaluated when first read (linter/sources/terraform/module.py ``Arguments``):
mappers read a few of them, and evaluating the rest was half of all evaluation. Laziness must change nothing a
user sees: every way of reading gives the eagerly evaluated values in declaration order, and reports are equal."""

from __future__ import annotations

import json
import pickle
from pathlib import Path
from typing import Any

import pytest

from conftest import EXAMPLES, ROOT, scan_json, write
from linter.sources.terraform import module
from linter.sources.terraform.module import TerraformLoader

TRAINER = r'''
locals {
  common_tags = { team = "ml-platform", "cost-center" = "cc-1234", environment = var.environment }
  volumes     = { scratch = 500, checkpoints = 2000 }
}

variable "environment" {
  type    = string
  default = "prod"
}

resource "aws_instance" "trainer" {
  count         = 2
  ami           = "ami-0c55b159cbfafe1f0"
  instance_type = "p4d.24xlarge"
  # never read by any mapper: a broken template would be an error only when evaluated
  user_data = templatefile("${path.module}/bootstrap.sh.tpl", { node = count.index })
  tags      = merge(local.common_tags, { Name = "trainer-${count.index}", workload = "training" })

  root_block_device {
    volume_size = 200
    volume_type = "gp3"
  }

  dynamic "ebs_block_device" {
    for_each = local.volumes
    content {
      device_name = "/dev/sd${substr(ebs_block_device.key, 0, 1)}"
      volume_size = ebs_block_device.value
    }
  }

  metadata_options {
    http_tokens = "required"
  }
}

resource "aws_iam_role_policy" "trainer_s3" {
  name = "trainer-s3"
  role = "trainer"
  policy = jsonencode({
    Version   = "2012-10-17"
    Statement = [{ Effect = "Allow", Action = ["s3:GetObject"], Resource = ["arn:aws:s3:::models/*"] }]
  })
}
'''


def _eager(monkeypatch: pytest.MonkeyPatch) -> None:
    """Evaluate every argument up front, as the reader did before ``Arguments``."""
    monkeypatch.setattr(module.ModuleContext, "_arguments",
                        lambda self, block, b, unknown: self._eval_body(block, b, unknown, ""))


def _load(directory: Path) -> dict[str, Any]:
    return {r.address: r for r in TerraformLoader(str).load_root(str(directory), [], {})}


def test_an_argument_is_evaluated_only_when_read(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": TRAINER})
    values = _load(tmp_path)["aws_instance.trainer[1]"].values
    assert list(values) == ["ami", "instance_type", "user_data", "tags", "root_block_device", "ebs_block_device",
                            "metadata_options"]
    assert all(dict.__getitem__(values, k) is module._PENDING for k in values)
    assert values["instance_type"] == "p4d.24xlarge"
    assert dict.__getitem__(values, "user_data") is module._PENDING  # the missing template is never opened
    assert values.get("tags")["Name"] == "trainer-1"
    assert "user_data" in values and values.get("no_such_argument") is None


@pytest.mark.parametrize("read", [
    lambda v: dict(v), lambda v: {**v}, lambda v: v.copy(), lambda v: pickle.loads(pickle.dumps(v)),
    lambda v: dict(v.items()), lambda v: dict(zip(v.keys(), v.values(), strict=True)),
    lambda v: {k: v[k] for k in v}, lambda v: json.loads(json.dumps(v, default=repr)), lambda v: v | {},
], ids=["dict", "unpack", "copy", "pickle", "items", "values", "getitem", "json", "or"])
def test_every_way_of_reading_gives_the_eager_values(tmp_path: Path, monkeypatch: pytest.MonkeyPatch,
                                                     read: Any) -> None:
    write(tmp_path, {"main.tf": TRAINER})
    lazy = {address: read(r.values) for address, r in _load(tmp_path).items()}
    _eager(monkeypatch)
    eager = {address: read(r.values) for address, r in _load(tmp_path).items()}
    assert json.dumps(lazy, default=repr) == json.dumps(eager, default=repr)  # values and key order
    volumes = sorted(lazy["aws_instance.trainer[0]"]["ebs_block_device"], key=lambda d: d["device_name"])
    assert volumes == [{"device_name": "/dev/sdc", "volume_size": 2000}, {"device_name": "/dev/sds", "volume_size": 500}]
    assert not any(v is module._PENDING for r in lazy.values() for v in r.values())


@pytest.mark.parametrize("tree", [EXAMPLES, ROOT / "tests" / "fixtures" / "terraform"],
                         ids=lambda p: str(p.relative_to(ROOT)))
def test_reports_equal_those_of_eager_evaluation(tree: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    lazy = scan_json(str(tree), "--no-cache", "-j", "1")
    _eager(monkeypatch)
    eager = scan_json(str(tree), "--no-cache", "-j", "1")
    assert lazy.exit_code == eager.exit_code and lazy.stdout == eager.stdout
    assert len(lazy.report["resources"]) >= 40
