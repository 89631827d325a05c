"""The HCL reader and resolver: variables, tfvars, locals, functions, count/for_each,
providers with default_tags, local modules, .tf.json, and honest unknowns."""

from __future__ import annotations

from pathlib import Path

import pytest

from conftest import scan_json, write
from linter.sources.terraform.module import TerraformLoader
from linter.sources.terraform.values import is_unknown

MAIN = r'''
terraform {
  required_providers { aws = { source = "hashicorp/aws", version = "~> 5.0" } }
}

provider "aws" {
  region = var.region
  default_tags {
    tags = local.common_tags
  }
}

provider "aws" {
  alias  = "west"
  region = "us-west-2"
}

locals {
  common_tags = merge(var.base_tags, {
    environment = var.environment
    team        = lookup(var.owners, var.environment, "platform")
  })
  name_prefix = format("%s-%s", var.project, lower(var.environment))
  gpu_types   = concat(["g5.xlarge"], var.extra_types)
  big         = var.node_count * 2 + 1 > 4 ? "p4d.24xlarge" : "g5.12xlarge"
  jobs        = { for name, size in var.jobs : name => size if size != "" }
  label       = coalesce(var.optional_label, "fallback")
  safe        = try(var.nested.missing.value, "default-from-try")
  first       = element(local.gpu_types, 1)
  names       = keys(var.jobs)
  counts      = length(values(var.jobs))
  upper_env   = upper(var.environment)
  mapped      = tomap({ a = "1" })
  heredoc     = <<-EOT
    prefix=${local.name_prefix}
  EOT
}

variable "region" { default = "us-east-1" }
variable "environment" { default = "Dev" }
variable "project" { type = string }
variable "node_count" { default = 1 }
variable "extra_types" { default = ["g6.xlarge"] }
variable "optional_label" { default = null }
variable "nested" { default = {} }
variable "owners" { default = { prod = "ml-serving" } }
variable "base_tags" { default = { "cost-center" = "cc-100" } }
variable "jobs" {
  type    = map(string)
  default = { embed = "g5.2xlarge", eval = "g5.xlarge", skip = "" }
}

data "aws_ami" "dl" { most_recent = true }

resource "aws_instance" "batch" {
  count         = var.node_count
  ami           = data.aws_ami.dl.id
  instance_type = local.big
  tags = {
    Name     = "${local.name_prefix}-batch-${count.index}"
    workload = "batch"
  }
}

resource "aws_instance" "job" {
  for_each      = local.jobs
  provider      = aws.west
  instance_type = each.value
  tags          = { Name = "${each.key}-job", workload = "batch" }
}

resource "aws_instance" "unknown_type" {
  instance_type = data.aws_ami.dl.architecture == "x86_64" ? "p4d.24xlarge" : "g5g.xlarge"
}

module "pool" {
  source     = "./modules/pool"
  pool_name  = "${local.name_prefix}-pool"
  min_nodes  = var.node_count
}

module "remote_eks" {
  source  = "terraform-aws-modules/eks/aws"
  version = "20.8.4"
}
'''

POOL = r'''
variable "pool_name" { type = string }
variable "min_nodes" { type = number }

resource "aws_eks_node_group" "this" {
  cluster_name    = "ml"
  node_group_name = var.pool_name
  instance_types  = ["g5.12xlarge"]
  capacity_type   = "SPOT"
  scaling_config {
    min_size     = var.min_nodes
    max_size     = var.min_nodes + 4
    desired_size = var.min_nodes
  }
  tags = { workload = "training" }
}

output "name" { value = aws_eks_node_group.this.node_group_name }
'''


@pytest.fixture
def module_dir(tmp_path: Path) -> Path:
    return write(tmp_path / "stack", {
        "main.tf": MAIN,
        "terraform.tfvars": 'project = "llm"\nnode_count = 2\n',
        "prod.auto.tfvars": 'extra_types = ["g6e.xlarge"]\n',
        "modules/pool/main.tf": POOL,
    })


def load(directory: Path, var_files: list[str] | None = None, cli_vars: dict[str, str] | None = None):
    loader = TerraformLoader(str)
    raws = loader.load_root(str(directory), var_files or [], cli_vars or {})
    return {r.address: r for r in raws}, loader


def test_count_for_each_and_module_addresses(module_dir: Path) -> None:
    raws, loader = load(module_dir)
    assert {"aws_instance.batch[0]", "aws_instance.batch[1]", 'aws_instance.job["embed"]',
            'aws_instance.job["eval"]', "module.pool.aws_eks_node_group.this"} <= set(raws)
    assert 'aws_instance.job["skip"]' not in raws  # filtered by the for expression's if
    assert loader.errors == []
    assert any("terraform-aws-modules/eks/aws" in s.reason and "not read" in s.reason for s in loader.skipped)


def test_tfvars_override_defaults_and_feed_expressions(module_dir: Path) -> None:
    raws, _ = load(module_dir)
    batch = raws["aws_instance.batch[1]"].values
    assert batch["instance_type"] == "p4d.24xlarge"  # node_count=2 from tfvars: 2*2+1 > 4
    assert batch["tags"]["Name"] == "llm-dev-batch-1"
    pool = raws["module.pool.aws_eks_node_group.this"].values
    assert pool["node_group_name"] == "llm-dev-pool"
    assert pool["scaling_config"][0] == {"min_size": 2, "max_size": 6, "desired_size": 2}


def test_var_and_var_file_take_precedence(module_dir: Path, tmp_path: Path) -> None:
    extra = write(tmp_path, {"override.tfvars": "node_count = 1\n"}) / "override.tfvars"
    raws, _ = load(module_dir, [str(extra)])
    assert raws["aws_instance.batch[0]"].values["instance_type"] == "g5.12xlarge"
    assert "aws_instance.batch[1]" not in raws
    raws, _ = load(module_dir, [str(extra)], {"node_count": "3"})
    assert "aws_instance.batch[2]" in raws


def test_functions_and_locals(module_dir: Path) -> None:
    raws, _ = load(module_dir)
    ctx_provider = raws["aws_instance.batch[0]"].provider
    assert ctx_provider.region == "us-east-1"
    assert ctx_provider.default_tags == {"cost-center": "cc-100", "environment": "Dev", "team": "platform"}
    loader = TerraformLoader(str)
    from linter.sources.terraform.module import ModuleContext

    src = loader.source(str(module_dir))
    values = loader._root_variable_values(src, [], {})
    ctx = ModuleContext(loader, src, "", values, {}, src.directory, 0, (src.directory,))
    assert ctx.local("gpu_types") == ["g5.xlarge", "g6e.xlarge"]
    assert ctx.local("label") == "fallback"
    assert ctx.local("safe") == "default-from-try"
    assert ctx.local("first") == "g6e.xlarge"
    assert ctx.local("names") == ["embed", "eval", "skip"]
    assert ctx.local("counts") == 3
    assert ctx.local("upper_env") == "DEV"
    assert ctx.local("mapped") == {"a": "1"}
    assert ctx.local("heredoc") == "prefix=llm-dev\n"


def test_provider_alias_and_unknown_values(module_dir: Path) -> None:
    raws, _ = load(module_dir)
    assert raws['aws_instance.job["embed"]'].provider.region == "us-west-2"
    assert raws['aws_instance.job["embed"]'].provider.default_tags == {}
    unknown = raws["aws_instance.unknown_type"]
    assert unknown.unknown_attrs == {}  # arguments are evaluated when first read (module.Arguments)
    assert is_unknown(unknown.values["instance_type"])
    assert "data.aws_ami.dl" in unknown.values["instance_type"].reason
    assert "data.aws_ami.dl" in unknown.unknown_attrs["instance_type"]


def test_scan_reports_unknowns_and_default_tags(module_dir: Path) -> None:
    run = scan_json(".", cwd=module_dir)
    resources = {r["address"]: r for r in run.report["resources"]}
    unknown = resources["aws_instance.unknown_type"]
    assert unknown["monthly_cost_usd"] is None
    assert any("instance_type" in u and "read at apply time" in u for u in unknown["unknowns"])
    assert not [f for f in run.findings() if f["resource"] == "aws_instance.unknown_type"
                and f["rule_id"].startswith("FIN-GPU")]
    # default_tags from the aliased-less provider make batch instances fully tagged
    assert not [f for f in run.findings("FIN-TAG-001") if f["resource"].startswith("aws_instance.batch")]
    # the aliased provider has no default_tags: the jobs miss team/cost-center/environment
    tag = run.finding("FIN-TAG-001", 'aws_instance.job["embed"]')
    assert "team, cost-center, environment" in tag["message"]
    assert any("terraform-aws-modules/eks/aws" in s["reason"] for s in run.report["skipped"])


def test_tf_json_is_read_like_hcl(tmp_path: Path) -> None:
    stack = write(tmp_path, {"cdk.tf.json": """{
  "provider": {"aws": [{"region": "us-east-1",
                        "default_tags": {"tags": {"team": "ml", "cost-center": "cc-9", "environment": "prod"}}}]},
  "variable": {"gpus": {"default": "p4d.24xlarge"}},
  "resource": {
    "aws_instance": {
      "trainer": {
        "instance_type": "${var.gpus}",
        "tags": {"workload": "training", "Name": "trainer-${var.gpus}"}
      }
    }
  }
}
"""})
    run = scan_json(".", cwd=stack)
    f = run.finding("FIN-GPU-001", "aws_instance.trainer")
    assert f["file"] == "cdk.tf.json"
    assert f["line"] == 7
    assert "p4d.24xlarge" in f["message"]


def test_a_module_shared_by_two_roots_is_parsed_once(tmp_path: Path, monkeypatch) -> None:
    from linter.sources.terraform import module

    gpu_module = 'variable "instance_type" {}\nresource "aws_instance" "node" {\n  instance_type = var.instance_type\n}\n'
    root = 'module "gpu" {{\n  source        = "../../modules/gpu"\n  instance_type = "{t}"\n}}\n'
    write(tmp_path, {"modules/gpu/main.tf": gpu_module, "envs/prod/main.tf": root.format(t="g5.xlarge"),
                     "envs/staging/main.tf": root.format(t="g6.xlarge")})
    parsed: list[str] = []
    real = module.parse_hcl_file

    def counting(path: str, data: bytes):
        parsed.append(path)
        return real(path, data)

    monkeypatch.setattr(module, "parse_hcl_file", counting)
    run = scan_json("envs", cwd=tmp_path)
    types = {r["file"]: r["compute"]["instance_type"] for r in run.report["resources"] if r.get("compute")}
    assert sorted(parsed) == ["envs/prod/main.tf", "envs/staging/main.tf", "modules/gpu/main.tf"]
    assert len(run.report["resources"]) == 2 and set(types.values()) <= {"g5.xlarge", "g6.xlarge"}


@pytest.mark.parametrize(("name", "args"), [
    ("lower", ["U"]), ("replace", ["U", "a", "b"]), ("format", ["%s-gpu", "U"]), ("split", [",", "U"]),
    ("substr", ["U", 0, 10]), ("regex", ["^[a-z]+", "U"]), ("element", ["U", 0]), ("range", ["U"]),
    ("zipmap", ["U", ["a"]]), ("contains", ["U", "a"]), ("sum", ["U"]), ("trim", ["U", " "]), ("max", ["U", 1]),
])
def test_a_function_of_an_unknown_value_passes_the_unknown_on(name: str, args: list[object]) -> None:
    """``lower(var.name)`` with no value for the variable is unknown for that reason, and keeps the resources it
    refers to. It raised instead (the unknown was tested for truth), and the reason read "lower(): invalid
    arguments (truth value of an unknown Terraform value)", the references lost."""
    from linter.sources.terraform.functions import FUNCTIONS
    from linter.sources.terraform.values import Unknown

    unknown = Unknown("var.cluster_name has no default and no value in tfvars", ("aws_eks_cluster.main",))
    result = FUNCTIONS[name](*[unknown if a == "U" else a for a in args])
    assert is_unknown(result) and result.reason == unknown.reason and result.refs == unknown.refs


def test_unknowns_name_the_variable_behind_a_function(tmp_path: Path) -> None:
    """As in ai-on-gke's private-cluster modules: a location split out of a variable without a value."""
    write(tmp_path, {
        "variables.tf": 'variable "cluster_location" {\n  type = string\n}\n\nvariable "cluster_name" {\n'
                        '  type    = string\n  default = "Inference-Pool"\n}\n',
        "main.tf": 'locals {\n  region = length(split("-", var.cluster_location)) == 2 ? var.cluster_location : '
                   'join("-", slice(split("-", var.cluster_location), 0, 2))\n'
                   '  slug   = substr(replace(lower(var.cluster_name), "/[^a-z0-9]/", ""), 0, 10)\n}\n\n'
                   'resource "google_compute_instance" "server" {\n  name         = local.slug\n'
                   '  machine_type = "g2-standard-8"\n  zone         = "${local.region}-a"\n'
                   '  labels       = { team = "ml", cluster = lower(var.cluster_location) }\n}\n'})
    run = scan_json(".", cwd=tmp_path)
    (server,) = run.report["resources"]
    assert "zone: var.cluster_location has no default and no value in tfvars" in server["unknowns"]
    assert "labels.cluster: var.cluster_location has no default and no value in tfvars" in server["unknowns"]
    assert not any("invalid arguments" in u for u in server["unknowns"])


@pytest.mark.parametrize(("call", "expected"), [
    (("basename", "modules/gpu/"), "gpu"), (("basename", ""), "."), (("basename", "/"), "/"),
    (("dirname", "modules/gpu/main.tf"), "modules/gpu"), (("dirname", "main.tf"), "."), (("dirname", "/a/b/"), "/a/b"),
    (("sort", ["b", "a", 10, 3]), ["10", "3", "a", "b"]),
    (("md5", "hello"), "5d41402abc4b2a76b9719d911017c592"),
    (("sha256", "hello"), "2cf24dba5fb0a30e26e83b2ac5b9e29e1b161e5c1fa7425e73043362938b9824"),
    (("base64encode", "Hello World"), "SGVsbG8gV29ybGQ="),
])
def test_path_sorting_and_digest_functions_follow_terraform(call: tuple[str, object], expected: object) -> None:
    """As Terraform's (Go's filepath.Base and Dir; sort() of strings, numbers converted), so names built with
    them are known rather than 'not evaluated statically'."""
    from linter.sources.terraform.functions import FUNCTIONS

    name, arg = call
    assert FUNCTIONS[name](arg) == expected


def test_a_name_taken_from_the_working_directory_is_known(tmp_path: Path) -> None:
    """terraform-aws-eks and eks-blueprints name each example after its directory: ``basename(path.cwd)``, where
    Terraform runs in the root module's directory."""
    write(tmp_path, {"karpenter/main.tf": (
        'locals {\n  name = "ex-${basename(path.cwd)}"\n  tags = { Blueprint = local.name, team = "ml" }\n}\n\n'
        'resource "aws_instance" "gpu" {\n  instance_type = "g5.xlarge"\n  tags          = local.tags\n}\n')})
    run = scan_json(".", cwd=tmp_path)
    (gpu,) = run.report["resources"]
    assert gpu["tags"]["Blueprint"] == "ex-karpenter" and "unknowns" not in gpu


def test_join_and_jsonencode_of_partly_unknown_values_say_what_they_wait_for() -> None:
    """``join(",", [var.a, "x"])`` and ``jsonencode({ a = aws_x.id })`` are unknown for their elements' reasons,
    and keep the resources those refer to (links and exposure follow references)."""
    from linter.sources.terraform.functions import FUNCTIONS
    from linter.sources.terraform.values import Unknown

    subnet = Unknown("aws_subnet.private.id is known after apply", ("aws_subnet.private",))
    joined = FUNCTIONS["join"](",", ["10.0.0.0/16", subnet])
    assert is_unknown(joined) and joined.reason == subnet.reason and joined.refs == ("aws_subnet.private",)
    encoded = FUNCTIONS["jsonencode"]({"Statement": [{"Resource": subnet}], "Version": "2012-10-17"})
    assert encoded.reason == f"jsonencode() of a partly unknown value ({subnet.reason})"
    assert encoded.refs == ("aws_subnet.private",)
