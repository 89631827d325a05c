"""What scans of public repositories got wrong, each in the shape those repositories write it.

Found by scanning terraform-aws-modules/terraform-aws-eks (self-managed node groups), terraform-aws-autoscaling,
cloud-foundation-fabric, terraform-google-vm and GKE examples: a figure that priced the wrong instance type, a
rule that fired on a default the code never chose, a node pool nobody saw, a count of instances taken as one.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import scan_json, write
from linter.pricing.catalog import price_entry

# terraform-aws-eks's self-managed node group (modules/self-managed-node-group/main.tf): the launch template
# carries one instance type, the group's mixed_instances_policy overrides it
SELF_MANAGED = """
provider "aws" {
  region = "us-east-1"
}

module "trainium" {
  source = "./modules/self-managed-node-group"

  name            = "trn"
  instance_type   = "trn1.2xlarge"
  desired_size    = 2
  override_types  = ["trn1.32xlarge"]
  labels          = { workload = "training", team = "ml", "cost-center" = "cc-1", environment = "prod" }
}
"""

SELF_MANAGED_MODULE = """
variable "name" {
  type = string
}
variable "instance_type" {
  type = string
}
variable "desired_size" {
  type = number
}
variable "override_types" {
  type    = list(string)
  default = []
}
variable "labels" {
  type = map(string)
}

resource "aws_launch_template" "this" {
  name_prefix   = "${var.name}-"
  instance_type = var.instance_type
}

resource "aws_autoscaling_group" "this" {
  name_prefix      = "${var.name}-"
  min_size         = var.desired_size
  max_size         = var.desired_size
  desired_capacity = var.desired_size

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 100
    }
    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.this.id
        version            = "$Latest"
      }
      dynamic "override" {
        for_each = var.override_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  dynamic "tag" {
    for_each = var.labels
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }
}
"""


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_an_autoscaling_group_is_priced_as_its_override_types_not_its_launch_template(tmp_path: Path) -> None:
    """Overrides replace the launch template's instance type (EC2 Auto Scaling); the group was priced as
    trn1.2xlarge ($1,961.88/mo) while it launches trn1.32xlarge: 2 x $21.50/h x 730 h = $31,390.00."""
    write(tmp_path, {"main.tf": SELF_MANAGED, "modules/self-managed-node-group/main.tf": SELF_MANAGED_MODULE})
    run = scan_json(".", cwd=tmp_path)
    group = _resources(run)["module.trainium.aws_autoscaling_group.this"]
    assert group["compute"]["instance_type"] == "trn1.32xlarge"
    assert group["monthly_cost_usd"] == 31390.0
    assert any("mixed_instances_policy overrides" in e for e in group["compute"]["evidence"])
    gpu001 = run.finding("FIN-GPU-001", "module.trainium.aws_autoscaling_group.this")
    assert "trn1.32xlarge" in gpu001["message"]


EKS_GROUPS = """
provider "aws" {
  region = "us-east-1"
}

variable "capacity_type" {
  description = "ON_DEMAND or SPOT, chosen per environment"
  type        = string
}

locals {
  tags = { team = "ml", "cost-center" = "cc-1", environment = "prod" }
}

# terraform-aws-eks names managed node groups with node_group_name_prefix by default (use_name_prefix = true)
resource "aws_eks_node_group" "training" {
  cluster_name           = "ml"
  node_group_name_prefix = "training-"
  node_role_arn          = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids             = ["subnet-a", "subnet-b"]
  instance_types         = ["p4d.24xlarge"]
  capacity_type          = "ON_DEMAND"
  labels                 = { workload = "training" }
  tags                   = local.tags

  scaling_config {
    min_size     = 0
    max_size     = 2
    desired_size = 1
  }
}

resource "aws_eks_node_group" "per_environment" {
  cluster_name    = "ml"
  node_group_name = "training-env"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-node"
  subnet_ids      = ["subnet-a", "subnet-b"]
  instance_types  = ["p4d.24xlarge"]
  capacity_type   = var.capacity_type
  labels          = { workload = "training" }
  tags            = local.tags

  scaling_config {
    min_size     = 0
    max_size     = 2
    desired_size = 1
  }
}
"""


def test_a_node_group_named_by_prefix_keeps_its_labels(tmp_path: Path) -> None:
    """A node_group_name_prefix left the group without its nodes' labels, so its workload (labels.workload =
    training) was unknown and FIN-GPU-001 never fired on 8 on-demand A100s."""
    write(tmp_path, {"main.tf": EKS_GROUPS})
    run = scan_json(".", cwd=tmp_path)
    group = _resources(run)["aws_eks_node_group.training"]
    assert group["workload"]["kind"] == "training"
    assert group["compute"]["nodes"]["name"] == "training-*"
    assert "eks.amazonaws.com/nodegroup" not in group["compute"]["nodes"]["labels"]  # known only after apply
    finding = run.finding("FIN-GPU-001", "aws_eks_node_group.training")
    assert finding["impact"]["monthly_usd"] == 10098.32  # 16,029.08 x 63% (p4d's spot discount)


def test_no_rule_acts_on_a_purchase_type_given_only_at_apply(tmp_path: Path) -> None:
    """capacity_type = var.capacity_type (no default) was read as ON_DEMAND, and FIN-GPU-001 said to move to
    spot; it is now unknown, and says why."""
    write(tmp_path, {"main.tf": EKS_GROUPS})
    run = scan_json(".", cwd=tmp_path)
    group = _resources(run)["aws_eks_node_group.per_environment"]
    assert group["compute"]["purchase"] == "unknown"
    assert "capacity_type: var.capacity_type has no default and no value in tfvars" in group["unknowns"]
    assert not [f for f in run.findings("FIN-GPU-001") if f["resource"] == "aws_eks_node_group.per_environment"]
    assert "eks.amazonaws.com/capacityType" not in group["compute"]["nodes"]["labels"]


GKE = """
variable "pool_machine_type" {
  type = string
}
variable "pool_spot" {
  type = bool
}

resource "google_container_cluster" "training" {
  name           = "training"
  location       = "us-central1-a"
  resource_labels = { team = "ml", "cost-center" = "cc-1", environment = "prod" }

  node_pool {
    name       = "a100"
    node_count = 2
    node_config {
      machine_type = "a2-highgpu-8g"
      labels       = { workload = "training" }
    }
  }
}

# terraform-google-kubernetes-engine's pattern: an inline default-pool that remove_default_node_pool deletes
resource "google_container_cluster" "serving" {
  name                     = "serving"
  location                 = "us-central1-a"
  remove_default_node_pool = true
  resource_labels          = { team = "ml", "cost-center" = "cc-1", environment = "prod" }

  node_pool {
    name               = "default-pool"
    initial_node_count = 1
    node_config {
      machine_type = "g2-standard-8"
    }
  }
}

resource "google_container_node_pool" "t4" {
  name       = "t4"
  cluster    = google_container_cluster.training.id
  location   = "us-central1-a"
  node_count = 1

  node_config {
    machine_type = var.pool_machine_type
    spot         = var.pool_spot
    labels       = { workload = "training" }
    guest_accelerator {
      type  = "nvidia-tesla-t4"
      count = 1
    }
  }
}
"""


def test_node_pools_written_inside_a_gke_cluster_are_read_and_no_default_pool_is_invented(tmp_path: Path) -> None:
    """A cluster with node_pool blocks has no default pool; the tool priced one (e2-medium x 1) and never saw
    16 A100s: 2 x a2-highgpu-8g at $29.3871/h x 730 h = $42,905.14 a month."""
    write(tmp_path, {"main.tf": GKE})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    assert resources["google_container_cluster.training"].get("compute") is None
    pool = resources['google_container_cluster.training.node_pool["a100"]']
    assert pool["compute"]["instance_type"] == "a2-highgpu-8g" and pool["compute"]["count"] == 2
    assert pool["monthly_cost_usd"] == 42905.14
    assert pool["links"]["cluster"] == "google_container_cluster.training"
    assert pool["tags"]["team"] == "ml"  # the cluster's resource_labels
    assert run.finding("FIN-GPU-001", 'google_container_cluster.training.node_pool["a100"]')
    assert not [a for a in resources if a.startswith("google_container_cluster.serving.")]  # removed on creation
    assert resources["google_container_cluster.serving"].get("compute") is None


def test_a_gke_machine_type_and_spot_given_at_apply_are_not_replaced_by_defaults(tmp_path: Path) -> None:
    """machine_type = var.x (no default) was priced as e2-medium (GKE's default when it is not set) and
    spot = var.y as on demand, and FIN-GPU-001 fired on the guesses."""
    write(tmp_path, {"main.tf": GKE})
    run = scan_json(".", cwd=tmp_path)
    pool = _resources(run)["google_container_node_pool.t4"]
    assert pool["compute"]["instance_type"] is None and pool["compute"]["purchase"] == "unknown"
    assert "node_config.machine_type: var.pool_machine_type has no default and no value in tfvars" in pool["unknowns"]
    assert "node_config.spot: var.pool_spot has no default and no value in tfvars" in pool["unknowns"]
    assert not [f for f in run.findings("FIN-GPU-001") if f["resource"] == "google_container_node_pool.t4"]


COUNTED = """
provider "aws" {
  region = "us-east-1"
}

variable "trainers" {
  description = "one training host per team, set per environment"
  type        = map(string)
}

resource "aws_instance" "trainer" {
  for_each      = var.trainers
  ami           = "ami-0123456789abcdef0"
  instance_type = "p4d.24xlarge"
  tags          = { Name = "trainer-${each.key}", workload = "training" }
}

locals {
  sizes = split(" ", "g5.12xlarge p4d.24xlarge")
}

resource "aws_instance" "split" {
  ami           = "ami-0123456789abcdef0"
  instance_type = local.sizes[0]
  tags          = { Name = " padded ", workload = "training" }
}
"""


def test_an_unknown_number_of_instances_is_not_priced_as_one(tmp_path: Path) -> None:
    """for_each = var.trainers (no default) was priced as one p4d.24xlarge, $16,029.08 a month, and said nothing;
    the month is now unknown, with what each instance costs: $21.957642/h x 730 h."""
    write(tmp_path, {"main.tf": COUNTED})
    run = scan_json(".", cwd=tmp_path)
    trainer = _resources(run)["aws_instance.trainer"]
    assert trainer["monthly_cost_usd"] is None and trainer["compute"]["count"] is None
    assert "for_each is unknown (var.trainers has no default and no value in tfvars)" in trainer["unknowns"]
    assert ("instance count unknown; monthly cost unknown ($16,029.08 a month for each p4d.24xlarge: $21.96/h x "
            "730 h)") in trainer["price_notes"]
    assert run.finding("FIN-GPU-001", "aws_instance.trainer")["impact"]["monthly_usd"] is None


def test_spaces_inside_a_quoted_string_are_kept(tmp_path: Path) -> None:
    """tree-sitter-hcl leaves a string's leading and trailing spaces out of its literal part: split(" ", ...)
    failed (an empty separator) and the instance type was unknown; " padded " read as "padded"."""
    write(tmp_path, {"main.tf": COUNTED})
    run = scan_json(".", cwd=tmp_path)
    split = _resources(run)["aws_instance.split"]
    assert split["compute"]["instance_type"] == "g5.12xlarge"
    assert split["tags"]["Name"] == " padded "


def test_a_region_set_on_the_resource_overrides_the_providers(tmp_path: Path) -> None:
    """AWS provider v6 takes ``region`` on each resource; a p4d.24xlarge set to eu-west-1 under a us-east-1
    provider was priced in us-east-1 ($16,029.08); eu-west-1: $23.71569/h x 730 h = $17,312.45."""
    write(tmp_path, {"main.tf": """
terraform {
  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = ">= 6.0"
    }
  }
}

provider "aws" {
  region = "us-east-1"
}

resource "aws_instance" "dublin" {
  region        = "eu-west-1"
  ami           = "ami-0123456789abcdef0"
  instance_type = "p4d.24xlarge"
  tags          = { team = "ml", "cost-center" = "cc-1", environment = "prod" }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    dublin = _resources(run)["aws_instance.dublin"]
    assert dublin["region"] == "eu-west-1" and dublin["monthly_cost_usd"] == 17312.45


def test_the_tag_fix_for_an_autoscaling_group_is_one_that_clears_the_finding(tmp_path: Path) -> None:
    """The aws provider's default_tags do not reach the instances an Auto Scaling group launches (the scan rightly
    does not count them), yet the fix said to add the tags to default_tags: following it never cleared the
    finding. The fix now names tag blocks with propagate_at_launch and the launch template's tag_specifications."""
    write(tmp_path, {"main.tf": SELF_MANAGED.replace(
        'region = "us-east-1"', 'region = "us-east-1"\n  default_tags {\n    tags = { team = "ml" }\n  }').replace(
        'labels          = { workload = "training", team = "ml", "cost-center" = "cc-1", environment = "prod" }',
        'labels          = { workload = "training" }'),
        "modules/self-managed-node-group/main.tf": SELF_MANAGED_MODULE})
    run = scan_json(".", cwd=tmp_path)
    finding = run.finding("FIN-TAG-001", "module.trainium.aws_autoscaling_group.this")
    assert "team, cost-center, environment" in finding["message"]  # default_tags' team does not count here
    assert "propagate_at_launch = true" in finding["remediation"]
    assert "default_tags do not reach the instances" in finding["remediation"]


@pytest.mark.parametrize(("call", "expected"), [  # the examples of Terraform's function documentation
    (("slice", ["a", "b", "c", "d"], 1, 3), ["b", "c"]),
    (("reverse", [1, 2, 3]), [3, 2, 1]),
    (("setproduct", ["development", "staging"], ["app1", "app2"]),
     [["development", "app1"], ["development", "app2"], ["staging", "app1"], ["staging", "app2"]]),
    (("setunion", ["a", "b"], ["b", "c"], ["d"]), ["a", "b", "c", "d"]),
    (("setintersection", ["a", "b"], ["b", "c"], ["b", "d"]), ["b"]),
    (("setsubtract", ["a", "b", "c"], ["a", "c"]), ["b"]),
    (("chunklist", ["a", "b", "c", "d", "e"], 2), [["a", "b"], ["c", "d"], ["e"]]),
    (("chunklist", ["a", "b", "c", "d", "e"], 0), [["a", "b", "c", "d", "e"]]),
    (("index", ["a", "b", "c"], "b"), 1),
    (("alltrue", ["true", True]), True),
    (("anytrue", []), False),
    (("cidrsubnet", "172.16.0.0/12", 4, 2), "172.18.0.0/16"),
    (("cidrsubnet", "10.1.2.0/24", 4, 15), "10.1.2.240/28"),
    (("cidrsubnet", "fd00:fd12:3456:7890::/56", 16, 162), "fd00:fd12:3456:7800:a200::/72"),
    (("cidrhost", "10.12.112.0/20", 268), "10.12.113.12"),
    (("cidrnetmask", "172.16.0.0/12"), "255.240.0.0"),
    (("regexall", "[a-z]+", "1234abcd5678efgh9"), ["abcd", "efgh"]),
    (("regexall", "(\\d+)-(\\d+)", "1-2 3-4"), [["1", "2"], ["3", "4"]]),
])
def test_list_functions_follow_terraform(call: tuple[Any, ...], expected: Any) -> None:
    from linter.sources.terraform.functions import FUNCTIONS

    assert FUNCTIONS[call[0]](*call[1:]) == expected


def test_instances_keyed_by_a_product_of_zones_are_counted(tmp_path: Path) -> None:
    """cloud-foundation-fabric builds for_each keys with slice() and setproduct(), which were not evaluated: the
    instances were one unknown (priced as one). Terraform makes four: 4 x a2-highgpu-1g."""
    write(tmp_path, {"main.tf": """
locals {
  zones = ["us-central1-a", "us-central1-b", "us-central1-c"]
  hosts = { for p in setproduct(slice(local.zones, 0, 2), ["x", "y"]) : "${p[0]}-${p[1]}" => p[0] }
}

resource "google_compute_instance" "trainer" {
  for_each     = local.hosts
  name         = "trainer-${each.key}"
  zone         = each.value
  machine_type = "a2-highgpu-1g"
  labels       = { workload = "training", team = "ml", "cost-center" = "cc-1", environment = "prod" }

  boot_disk {
    initialize_params {
      image = "debian-cloud/debian-12"
    }
  }
  network_interface {
    network = "default"
  }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    trainers = [r for r in run.report["resources"] if r["address"].startswith("google_compute_instance.trainer")]
    assert sorted(r["address"] for r in trainers) == [
        'google_compute_instance.trainer["us-central1-a-x"]', 'google_compute_instance.trainer["us-central1-a-y"]',
        'google_compute_instance.trainer["us-central1-b-x"]', 'google_compute_instance.trainer["us-central1-b-y"]']
    assert all(r["monthly_cost_usd"] is not None and not r.get("unknowns") for r in trainers)


def test_an_instance_from_a_template_is_priced_from_its_template(tmp_path: Path) -> None:
    """terraform-google-vm's compute_instance module creates google_compute_instance_from_template, which was
    read as a resource that "bills nothing by itself": two a2-highgpu-8g hosts were not seen. Arguments the
    instance leaves unset come from its template: 2 x $29.3871/h x 730 h."""
    write(tmp_path, {"main.tf": """
provider "google" {
  project = "ml-prod"
  region  = "us-central1"
}

resource "google_compute_instance_template" "trainer" {
  name_prefix  = "trainer-"
  machine_type = "a2-highgpu-8g"
  labels       = { workload = "training", team = "ml", "cost-center" = "cc-1", environment = "prod" }

  disk {
    source_image = "debian-cloud/debian-12"
  }
  network_interface {
    network = "default"
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
}

resource "google_compute_instance_from_template" "trainer" {
  count                    = 2
  name                     = "trainer-${count.index}"
  zone                     = "us-central1-a"
  source_instance_template = google_compute_instance_template.trainer.self_link_unique
}
"""})
    run = scan_json(".", cwd=tmp_path)
    hosts = [r for r in run.report["resources"] if r["type"] == "google_compute_instance_from_template"]
    assert len(hosts) == 2
    assert all(h["compute"]["instance_type"] == "a2-highgpu-8g" and h["compute"]["purchase"] == "on_demand"
               for h in hosts)
    assert all(h["tags"]["team"] == "ml" for h in hosts)  # the template's labels
    assert sum(h["monthly_cost_usd"] for h in hosts) == 42905.14
    finding = run.finding("FIN-GPU-001", "google_compute_instance_from_template.trainer")  # both instances, summed
    assert finding["monthly_cost_usd"] == 42905.14 and len(finding["instances"]) == 2


AVM_AKS = """
# Azure Verified Modules (avm-res-containerservice-managedcluster) write AKS as azapi_resource
resource "azapi_resource" "cluster" {
  type      = "Microsoft.ContainerService/managedClusters@2024-09-01"
  name      = "ml-aks"
  parent_id = "/subscriptions/0000/resourceGroups/ml"
  location  = "eastus"
  tags      = { team = "ml", "cost-center" = "cc-1", environment = "prod" }
  body = {
    properties = {
      dnsPrefix = "ml"
      agentPoolProfiles = [{
        name   = "system"
        mode   = "System"
        vmSize = "Standard_D4s_v5"
        count  = 3
      }]
    }
  }
}

resource "azapi_resource" "gpu_pool" {
  type      = "Microsoft.ContainerService/managedClusters/agentPools@2026-01-02-preview"
  name      = "a100"
  parent_id = azapi_resource.cluster.id
  tags      = { team = "ml", "cost-center" = "cc-1", environment = "prod" }
  body = {
    properties = {
      vmSize            = "Standard_NC24ads_A100_v4"
      count             = 4
      scaleSetPriority  = "Regular"
      nodeLabels        = { workload = "training" }
    }
  }
}
"""


def test_aks_written_as_azapi_resources_is_read(tmp_path: Path) -> None:
    """Azure Verified Modules build AKS clusters and agent pools as azapi_resource; none of them reached the report
    (not even as skipped): 4 A100 nodes went unseen. The ARM properties are read as the azurerm resource they
    mirror: 4 x Standard_NC24ads_A100_v4 at $3.673/h x 730 h = $10,725.16, in the cluster's region."""
    write(tmp_path, {"main.tf": AVM_AKS})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    pool = resources["azapi_resource.gpu_pool"]
    assert pool["region"] == "eastus" and pool["links"]["cluster"] == "azapi_resource.cluster"
    assert pool["compute"]["instance_type"] == "Standard_NC24ads_A100_v4" and pool["compute"]["count"] == 4
    assert pool["monthly_cost_usd"] == 10725.16
    assert pool["workload"]["kind"] == "training"
    assert run.finding("FIN-GPU-001", "azapi_resource.gpu_pool")["impact"]["monthly_usd"] is not None
    system = resources["azapi_resource.cluster"]
    assert system["compute"]["instance_type"] == "Standard_D4s_v5" and system["compute"]["count"] == 3
    assert system["monthly_cost_usd"] == 420.48  # 3 x $0.192/h x 730 h


def test_a_chain_of_conditionals_groups_to_the_right(tmp_path: Path) -> None:
    """tree-sitter-hcl nests ``a ? x : b ? y : z`` as ``(a ? x : b) ? y : z``; HCL means ``a ? x : (b ? y :
    z)``. The Azure Verified Modules agent pool counts itself with ``var.output_data_only ? 0 :
    var.create_before_destroy ? 0 : 1``: read the wrong way, the count was "unknown (condition is int, not
    bool)" and a pool that is never created was priced. Tag values that are numbers or bools read as Terraform
    converts them ("true", "1")."""
    write(tmp_path, {"main.tf": """
variable "output_data_only" {
  type    = bool
  default = false
}
variable "create_before_destroy" {
  type    = bool
  default = false
}
variable "tier" {
  default = "gpu"
}

resource "aws_instance" "pool" {
  count         = var.output_data_only ? 0 : var.create_before_destroy ? 0 : 1
  ami           = "ami-0123456789abcdef0"
  instance_type = var.tier == "cpu" ? "m5.large" : var.tier == "small-gpu" ? "g5.xlarge" : "p4d.24xlarge"
  tags = {
    team        = "ml"
    cost-center = "cc-1"
    environment = "prod"
    grouped     = (true ? false : true) ? "left" : "right"
    spot        = false
    ratio       = 10 / 2 / 5
  }
}

resource "aws_instance" "data_only" {
  count         = true ? 0 : false ? 0 : 1
  ami           = "ami-0123456789abcdef0"
  instance_type = "p4d.24xlarge"
}
"""})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    pool = resources["aws_instance.pool[0]"]
    assert pool["compute"]["instance_type"] == "p4d.24xlarge" and not pool.get("unknowns")
    assert pool["tags"]["grouped"] == "right" and pool["tags"]["spot"] == "false" and pool["tags"]["ratio"] == "1"
    assert not [a for a in resources if a.startswith("aws_instance.data_only")]  # count = 0


def test_endpoint_variants_of_several_instance_types_are_not_priced_as_the_first(tmp_path: Path) -> None:
    """All instances of an endpoint were priced as its first variant's type: 1 x ml.g5.xlarge + 2 x
    ml.p4d.24xlarge read as 3 x ml.g5.xlarge ($3,087.90). The month is left unknown (one resource is priced as
    one type) and a note prices each type and their sum."""
    write(tmp_path, {"main.tf": """
provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_endpoint_configuration" "ab" {
  name = "llm-ab"
  production_variants {
    variant_name           = "small"
    model_name             = "llama-8b"
    instance_type          = "ml.g5.xlarge"
    initial_instance_count = 1
  }
  production_variants {
    variant_name           = "large"
    model_name             = "llama-70b"
    instance_type          = "ml.p4d.24xlarge"
    initial_instance_count = 2
  }
}

resource "aws_sagemaker_endpoint" "ab" {
  name                 = "llm-ab"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.ab.name
}
"""})
    from linter.pricing.catalog import Catalog

    catalog = Catalog()
    small, large = (catalog.hourly("aws", "us-east-1", t).usd_per_hour for t in ("ml.g5.xlarge", "ml.p4d.24xlarge"))
    run = scan_json(".", cwd=tmp_path)
    endpoint = _resources(run)["aws_sagemaker_endpoint.ab"]
    assert endpoint["monthly_cost_usd"] is None
    # the configuration an endpoint deploys serves inference too, by its kind (it took that from a name before)
    assert _resources(run)["aws_sagemaker_endpoint_configuration.ab"]["workload"]["kind"] == "inference"
    total = round(small * 730 + 2 * large * 730, 2)
    assert any(n.startswith("production variants of 2 instance types, priced one by one: 1 x ml.g5.xlarge")
               and f"${total:,.2f} a month in all" in n for n in endpoint["price_notes"])


VLLM_MANIFEST = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm-llama3-70b
  namespace: ${namespace}
  labels:
    team: ml
    cost-center: cc-1
    environment: prod
spec:
  replicas: ${replicas}
  selector:
    matchLabels: {app: vllm}
  template:
    metadata:
      labels: {app: vllm, team: ml, cost-center: cc-1, environment: prod}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
        node.kubernetes.io/instance-type: g2-standard-48
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.6.3
        args: ["--model", "meta-llama/Meta-Llama-3-70B-Instruct", "--tensor-parallel-size", "4"]
        resources:
          limits:
            nvidia.com/gpu: "4"
"""

FILE_ROOT = """
resource "kubernetes_manifest" "vllm" {
  manifest = yamldecode(templatefile("${path.module}/manifests/vllm.yaml.tpl", {
    namespace = "serving"
    replicas  = 2
  }))
}

# gavinbunney/kubectl: the manifest as YAML text
resource "kubectl_manifest" "batch" {
  yaml_body = file("${path.module}/manifests/batch.yaml")
}

resource "kubernetes_config_map_v1" "dashboards" {
  for_each = fileset("${path.module}/dashboards", "*.json")
  metadata {
    name = trimsuffix(each.value, ".json")
  }
  data = { (each.value) = file("${path.module}/dashboards/${each.value}") }
}

resource "aws_instance" "digest" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = { script = filemd5("${path.module}/manifests/batch.yaml") }
}

resource "aws_instance" "probe" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "m5.large"
  tags          = { owner = file("/etc/passwd") }
}
"""

BATCH_MANIFEST = """apiVersion: batch/v1
kind: Job
metadata:
  name: embed-batch
  namespace: batch
spec:
  parallelism: 2
  template:
    spec:
      restartPolicy: Never
      nodeSelector: {node.kubernetes.io/instance-type: g2-standard-4}
      containers:
      - name: embed
        image: us-docker.pkg.dev/ml/embed:1.4
        resources:
          limits: {nvidia.com/gpu: "1"}
"""


def test_manifests_and_files_a_module_reads_from_its_tree_are_read(tmp_path: Path) -> None:
    """ai-on-gke and aibrix deploy GPU workloads from Terraform with yamldecode(file(...)),
    templatefile() and kubectl_manifest's yaml_body; cloud-foundation-fabric lists files with fileset(). None of
    these were read: the workloads were "function yamldecode() is not evaluated statically" or absent. Files
    inside the scanned tree are read as Terraform reads them at plan time; /etc/passwd is not."""
    write(tmp_path, {"infra/main.tf": FILE_ROOT, "infra/manifests/vllm.yaml.tpl": VLLM_MANIFEST,
                     "infra/manifests/batch.yaml": BATCH_MANIFEST,
                     "infra/dashboards/gpu.json": '{"title": "GPU"}', "infra/dashboards/cost.json": "{}",
                     ".git/HEAD": "ref: refs/heads/main\n"})
    run = scan_json("infra", cwd=tmp_path)
    resources = _resources(run)
    vllm = resources["kubernetes_manifest.vllm"]
    assert vllm["compute"]["count"] == 2 and vllm["compute"]["gpu"]["count"] == 4
    assert vllm["compute"]["instance_type"] == "g2-standard-48"
    assert vllm["llm"]["model"] == "meta-llama/Meta-Llama-3-70B-Instruct"
    batch = resources["kubectl_manifest.batch"]
    assert batch["compute"]["count"] == 2 and batch["workload"]["kind"] == "batch"
    assert {a for a in resources if a.startswith("kubernetes_config_map_v1.dashboards")} == {
        'kubernetes_config_map_v1.dashboards["cost.json"]', 'kubernetes_config_map_v1.dashboards["gpu.json"]'}
    import hashlib

    assert resources["aws_instance.digest"]["tags"]["script"] == hashlib.md5(BATCH_MANIFEST.encode()).hexdigest()
    probe = resources["aws_instance.probe"]
    assert any("file(): /etc/passwd is outside the scanned tree" in u for u in probe["unknowns"])
    # the manifest file the kubectl_manifest deploys is one object: counted once, as the resource that deploys it
    assert "Job/batch/embed-batch" not in resources
    assert {"file": "infra/manifests/batch.yaml", "line": 1, "reason": "Job/batch/embed-batch is also declared by "
            "kubectl_manifest.batch (infra/main.tf:10), which deploys it: counted there"} in run.report["skipped"]


@pytest.mark.parametrize(("rel", "pattern", "hit"), [
    ("a.yaml", "*.yaml", True), ("sub/a.yaml", "*.yaml", False), ("sub/a.yaml", "**/*.yaml", True),
    ("a.yaml", "**/*.yaml", True), ("x/y/z.json", "x/**", True), ("x.json", "x/**", False),
])
def test_fileset_patterns_follow_terraform(rel: str, pattern: str, hit: bool) -> None:
    """fileset(): * stays within a directory, ** spans directories (doublestar, as Terraform)."""
    from linter.sources.terraform.file_functions import _matches

    assert _matches(rel, pattern) is hit


def test_yamldecode_reads_one_document_and_refuses_bombs() -> None:
    from linter.sources.terraform.file_functions import yamldecode
    from linter.sources.terraform.functions import FunctionError

    assert yamldecode("a: 1\nb: [x, true, null]\n") == {"a": 1, "b": ["x", True, None]}
    with pytest.raises(FunctionError, match="invalid YAML"):
        yamldecode("a: 1\n---\nb: 2\n")  # Terraform's yamldecode takes one document
    bomb = "a: &a [x, x]\n" + "".join(f"{c}: &{c} [*{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}, *{p}]\n"
                                       for p, c in zip("abcdefgh", "bcdefghi", strict=True))
    with pytest.raises(FunctionError, match="aliases expand"):
        yamldecode(bomb)


def test_a_managed_instance_group_is_priced_by_its_versions(tmp_path: Path) -> None:
    """terraform-google-vm's mig_with_percent runs two versions; a group whose second version (3 of 4 instances)
    uses a spot template was priced as all on demand from the first template ($8,351.19, saving $5,888.27):
    one instance is on demand, three on spot."""
    template = """
resource "google_compute_instance_template" "{name}" {{
  name_prefix  = "train-{name}-"
  machine_type = "n1-standard-8"
  labels       = {{ workload = "training", team = "ml", cost-center = "42", environment = "prod" }}
  guest_accelerator {{
    type  = "nvidia-tesla-v100"
    count = 1
  }}
  scheduling {{
    on_host_maintenance = "TERMINATE"{spot}
  }}
  disk {{
    source_image = "debian-cloud/debian-12"
  }}
  network_interface {{
    network = "default"
  }}
}}
"""
    write(tmp_path, {"main.tf": 'provider "google" {\n  region = "us-central1"\n}\n'
                     + template.format(name="regular", spot="")
                     + template.format(name="spot", spot='\n    provisioning_model = "SPOT"\n    preemptible = true')
                     + """
resource "google_compute_region_instance_group_manager" "train" {
  name               = "train"
  region             = "us-central1"
  base_instance_name = "train"
  target_size        = 4

  version {
    name              = "regular"
    instance_template = google_compute_instance_template.regular.self_link
  }
  version {
    name              = "spot"
    instance_template = google_compute_instance_template.spot.self_link
    target_size {
      fixed = 3
    }
  }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    group = _resources(run)["google_compute_region_instance_group_manager.train"]
    assert group["compute"]["on_demand_share"] == 0.25 and group["compute"]["purchase"] == "mixed"
    assert group["compute"]["evidence"][0].startswith("versions: 1 x n1-standard-8 (on demand")
    # 1 of 4 on demand: n1-standard-8 $0.38/h and a V100 $2.48/h, the 3 others at n1's us-central1 spot discount
    # (72.63%) and the V100's (70.16%): (0.379998 x 1.8211 + 2.48 x 1.8952) x 730
    assert group["monthly_cost_usd"] == 3936.24
    assert run.finding("FIN-GPU-001", "google_compute_region_instance_group_manager.train")["impact"][
        "monthly_usd"] == 1471.65  # the on-demand one on spot: (0.379998 x 0.7263 + 2.48 x 0.7016) x 730


@pytest.mark.parametrize(("name", "kind"), [
    ("mysql-server", "unknown"), ("spoke1-vpc-endpoint-sg", "unknown"), ("artifacts-server-side-encryption", "unknown"),
    ("model-server", "inference"), ("llama3-serving", "inference"), ("triton-server", "inference"),
    ("vllm_server", "inference"), ("nightly-train", "training"),
])
def test_names_say_inference_only_for_model_servers(name: str, kind: str) -> None:
    """pulumi/examples: mysql-server and VPC endpoint security groups were classed as inference by name
    ("server", "endpoint"); only a model or inference server's name says so."""
    from linter.config import Config
    from linter.facts.workload import classify
    from linter.model import Resource

    resource = Resource(address=f"aws_instance.{name}", type="aws_instance", source="terraform", provider="aws",
                        file="main.tf", line=1)
    assert classify(resource, Config()).kind == kind


def test_a_finding_merged_over_roots_says_the_summed_figure(tmp_path: Path) -> None:
    """aws-ia/terraform-aws-sagemaker-endpoint: two examples call one module. The merged FIN-TAG-001 said
    "$1,109.60/month unattributed" (one copy) beside a figure of $2,219.20 (both); the message now says the sum."""
    module = """
variable "name" {
  type = string
}

resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
  tags          = { Name = var.name }
}
"""
    root = 'provider "aws" {{\n  region = "us-east-1"\n}}\n\nmodule "gpu" {{\n  source = "../../modules/gpu"\n' \
           '  name   = "{name}"\n}}\n'
    write(tmp_path, {"modules/gpu/main.tf": module, "envs/a/main.tf": root.format(name="a"),
                     "envs/b/main.tf": root.format(name="b")})
    run = scan_json(".", cwd=tmp_path)
    tag = run.finding("FIN-TAG-001", "module.gpu.aws_instance.gpu")
    assert len(tag["instances"]) == 2 and tag["monthly_cost_usd"] == 1468.76  # 2 x $1.006/h x 730 h
    assert "($1,468.76/month unattributed)" in tag["message"]


AZURE_NATIVE_PY = '''import pulumi_azure_native.compute as compute
import pulumi_azure_native.containerservice as containerservice

tags = {"team": "ml", "cost-center": "1", "environment": "prod"}

vm = compute.VirtualMachine(
    "gpu-vm",
    resource_group_name="rg",
    hardware_profile=compute.HardwareProfileArgs(vm_size="Standard_NC24ads_A100_v4"),
    tags=tags,
)

aks = containerservice.ManagedCluster(
    "aks",
    resource_group_name="rg",
    dns_prefix="ml",
    agent_pool_profiles=[
        containerservice.ManagedClusterAgentPoolProfileArgs(
            name="gpu", mode="System", count=2, vm_size="Standard_NC24ads_A100_v4",
            node_labels={"workload_class": "training"},
        )
    ],
    tags=tags,
)
'''


def test_azure_native_python_programs_read_their_vm_sizes(tmp_path: Path) -> None:
    """pulumi/examples (azure-py-aks, azure-py-minecraft-server) and pulumi/templates (vm-azure-python): a Python
    program spells azure-native inputs in snake_case (hardware_profile.vm_size, agent_pool_profiles), the reader
    looked them up in camelCase only: VMs and AKS pools had no type, no GPUs, no price (the YAML twins did).
    3 x Standard_NC24ads_A100_v4 at $3.673/h x 730 h; a node label's own key keeps its underscore."""
    write(tmp_path, {"Pulumi.yaml": "name: azn\nruntime: python\nconfig:\n  azure-native:location: eastus\n",
                     "__main__.py": AZURE_NATIVE_PY})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    assert resources["gpu-vm"]["compute"]["instance_type"] == "Standard_NC24ads_A100_v4"
    assert resources["gpu-vm"]["monthly_cost_usd"] == 2681.29
    assert resources["aks"]["compute"]["count"] == 2 and resources["aks"]["monthly_cost_usd"] == 5362.58
    assert resources["aks"]["compute"]["nodes"]["labels"]["workload_class"] == "training"


def test_a_gke_cluster_without_a_location_is_zonal(tmp_path: Path) -> None:
    """pulumi/examples gcp-py-gke: a cluster that names no location is zonal, in the provider's zone (the
    provider falls back to the zone, never the region); it was priced as a regional cluster's three zones:
    9 nodes, $312.07, for 3 x n1-standard-1 = $104.02."""
    write(tmp_path, {"Pulumi.yaml": "name: gke\nruntime: python\n",
                     "Pulumi.dev.yaml": "config:\n  gcp:project: ml-dev\n  gcp:zone: us-west1-a\n",
                     "__main__.py": '''import pulumi_gcp as gcp

cluster = gcp.container.Cluster(
    "gke-cluster",
    initial_node_count=3,
    node_config=gcp.container.ClusterNodeConfigArgs(
        machine_type="n1-standard-1",
        labels={"team": "web", "cost-center": "42", "environment": "dev"},
    ),
    resource_labels={"team": "web", "cost-center": "42", "environment": "dev"},
)
'''})
    run = scan_json(".", "--stack", "dev", cwd=tmp_path)
    cluster = _resources(run)["gke-cluster"]
    assert cluster["region"] == "us-west1" and cluster["compute"]["count"] == 3
    assert cluster["monthly_cost_usd"] == 104.02


def test_an_override_file_merges_into_the_block_it_names(tmp_path: Path) -> None:
    """kubernetes-engine-samples' GKE module keeps an override.tf that sets two arguments of the cluster; it
    replaced the whole block, so the cluster lost enable_autopilot and its location and was priced as a default
    pool of 3 e2-medium in the config's region. Override files merge as Terraform merges them: each argument,
    and each nested block type, replaces the original's; the rest stays."""
    write(tmp_path, {"cluster.tf": """
resource "google_container_cluster" "primary" {
  name             = "db"
  location         = "us-west1"
  enable_autopilot = true

  release_channel {
    channel = "REGULAR"
  }
}

resource "google_compute_instance" "bastion" {
  name         = "bastion"
  zone         = "us-west1-a"
  machine_type = "e2-small"
  labels       = { team = "db", cost-center = "7", environment = "prod" }
}
""", "override.tf": """
resource "google_container_cluster" "primary" {
  min_master_version = "1.30"

  release_channel {
    channel = "RAPID"
  }
}
""", "bastion_override.tf": """
resource "google_compute_instance" "bastion" {
  machine_type = "n2-standard-4"
}
"""})
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    cluster = resources["google_container_cluster.primary"]
    assert cluster.get("compute") is None and cluster["region"] == "us-west1" and cluster["line"] == 2
    bastion = resources["google_compute_instance.bastion"]
    assert bastion["compute"]["instance_type"] == "n2-standard-4" and bastion["tags"]["team"] == "db"


def test_templatefile_gives_the_file_as_written(tmp_path: Path) -> None:
    """A template file that ends with a newline rendered with two (the heredoc the template is read as adds one);
    Terraform gives the file's text as written."""
    write(tmp_path, {"main.tf": """
resource "aws_instance" "gpu" {
  ami           = "ami-0123456789abcdef0"
  instance_type = "g5.xlarge"
  tags          = { a = templatefile("${path.module}/a.tpl", { n = "x" }), b = templatefile("${path.module}/b.tpl", {}) }
}
""", "a.tpl": "gpu-${n}\n", "b.tpl": "plain"})
    tags = _resources(scan_json(".", cwd=tmp_path))["aws_instance.gpu"]["tags"]
    assert tags["a"] == "gpu-x\n" and tags["b"] == "plain"


# terraform-aws-eks's eks_managed_node_groups shape (data-on-eks ai-ml/bionemo): one for_each over a CPU core
# group and a Trainium group that scales from zero
NODE_GROUPS_FOR_EACH = """
provider "aws" {
  region = "us-west-2"
}

variable "trn1_desired" {
  default = 0
}

locals {
  node_groups = {
    core = { type = "m5.2xlarge", min = CORE, max = 8, desired = CORE }
    trn1 = { type = "trn1.32xlarge", min = 0, max = 4, desired = var.trn1_desired }
  }
}

resource "aws_eks_node_group" "this" {
  for_each        = local.node_groups
  cluster_name    = "bionemo"
  node_group_name = each.key
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = [each.value.type]

  scaling_config {
    min_size     = each.value.min
    max_size     = each.value.max
    desired_size = each.value.desired
  }
}
"""


def test_instances_of_one_block_with_different_findings_have_their_own_baseline_entries(tmp_path: Path) -> None:
    """The core and trn1 groups' FIN-TAG-001 findings differ (one is priced, one scales from zero), so they are not
    merged, and both had the block's fingerprint: the baseline kept one entry, and the core group's growth from 3
    to 8 nodes (+167%) was compared with the other's figure and stayed suppressed."""
    from conftest import run_cli

    write(tmp_path, {"main.tf": NODE_GROUPS_FOR_EACH.replace("CORE", "3")})
    run_cli("scan", "--no-cache", "--write-baseline", "base.json", cwd=tmp_path)
    entries = json.loads((tmp_path / "base.json").read_text())
    entries = entries.get("findings", entries) if isinstance(entries, dict) else entries
    assert len({e["fingerprint"] for e in entries}) == 2
    write(tmp_path, {"main.tf": NODE_GROUPS_FOR_EACH.replace("CORE", "8")})
    run = scan_json("--no-cache", "--baseline", "base.json", cwd=tmp_path)
    grown = [f for f in run.report["findings"] if f["rule_id"] == "FIN-TAG-001"]
    assert [f["resource"] for f in grown] == ['aws_eks_node_group.this["core"]']
    assert "+167%" in " ".join(grown[0]["notes"])


# ai-on-gke benchmarks (nvidia-dcgm, inference servers) and data-on-eks: manifests rendered by templatefile(),
# whose metadata holds the template's placeholders
VLLM_TEMPLATE = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  namespace: ${namespace}
  labels: {app: vllm}
spec:
  replicas: 1
  selector: {matchLabels: {app: vllm}}
  template:
    metadata:
      labels: {app: vllm}
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      containers:
      - name: vllm
        image: vllm/vllm-openai:v0.8.5
        args: ["--model", "google/gemma-2b-it", "--max-model-len", "8192"]
        resources:
          limits: {nvidia.com/gpu: "1"}
"""


def test_a_templatefile_manifest_is_counted_once_at_the_terraform_resource(tmp_path: Path) -> None:
    """The raw template (Deployment/${namespace}/vllm) was priced beside what Terraform deploys
    (Deployment/serving/vllm): twice the spend, every finding twice."""
    main = """
provider "google" {
  project = "acme-ml"
  region  = "us-central1"
}

resource "kubernetes_manifest" "vllm" {
  for_each = fileset("${path.module}/manifests", "*.yaml")
  manifest = yamldecode(templatefile("${path.module}/manifests/${each.value}", { namespace = "serving" }))
}

resource "kubectl_manifest" "vllm_copy" {
  count     = 0
  yaml_body = templatefile("${path.module}/other/vllm.yaml", { namespace = "unused" })
}
"""
    write(tmp_path, {"main.tf": main, "manifests/vllm.yaml": VLLM_TEMPLATE, "other/vllm.yaml": VLLM_TEMPLATE})
    run = scan_json(".", cwd=tmp_path)
    priced = [r["address"] for r in run.report["resources"] if r.get("monthly_cost_usd")]
    assert priced == ['kubernetes_manifest.vllm["vllm.yaml"]']
    notes = {s["file"]: s["reason"] for s in run.report["skipped"]}
    assert "is also declared by kubernetes_manifest.vllm" in notes["manifests/vllm.yaml"]
    assert [f["resource"] for f in run.report["findings"] if f["rule_id"] == "FIN-LLM-001"] == []


def test_a_manifest_template_of_kubectl_path_documents_is_noted_not_an_error(tmp_path: Path) -> None:
    """data-on-eks streaming/flink: Karpenter provisioners read by data "kubectl_path_documents" with vars hold
    `values: [${azs}]`, invalid YAML until the provider renders them: three "invalid YAML" errors made a scan of a
    valid repository exit 2."""
    main = """
provider "aws" {
  region = "us-west-2"
}

data "kubectl_path_documents" "karpenter_provisioners" {
  pattern = "${path.module}/karpenter-provisioners/*.yaml"
  vars = {
    azs            = "us-west-2a, us-west-2b"
    eks_cluster_id = "flink-on-eks"
  }
}

resource "kubectl_manifest" "karpenter_provisioner" {
  for_each  = toset(data.kubectl_path_documents.karpenter_provisioners.documents)
  yaml_body = each.value
}
"""
    provisioner = """apiVersion: karpenter.sh/v1alpha5
kind: Provisioner
metadata:
  name: flink-compute-optimized
spec:
  requirements:
    - key: "topology.kubernetes.io/zone"
      operator: In
      values: [${azs}]
    - key: "karpenter.sh/capacity-type"
      operator: In
      values: ["spot", "on-demand"]
  providerRef:
    name: flink-compute-optimized
"""
    write(tmp_path, {"main.tf": main, "karpenter-provisioners/flink-compute-provisioner.yaml": provisioner})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code != 2 and run.report["errors"] == []
    assert any(s["file"] == "karpenter-provisioners/flink-compute-provisioner.yaml" and s["line"] == 9
               and "placeholders" in s["reason"] for s in run.report["skipped"])


# ai-on-gke benchmarks/inference-server/vllm/manifest-templates/vllm.tftpl: a for directive with strip markers
# adds the Hugging Face token's env entry only when a secret is given
VLLM_TFTPL = """apiVersion: apps/v1
kind: Deployment
metadata:
  name: vllm
  namespace: ${namespace}
  labels:
    app: vllm
spec:
  replicas: 1
  selector:
    matchLabels:
      app: vllm
  template:
    metadata:
      labels:
        app: vllm
    spec:
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      containers:
        - name: vllm
          image: "vllm/vllm-openai:v0.5.5"
          args: ["--model", "${model_id}", "--tensor-parallel-size", "${gpu_count}", "--max-model-len", "4096"]
          env:
            - name: VLLM_PORT
              value: "80"
%{ for hugging_face_token_secret in hugging_face_token_secret_list ~}
            - name: HUGGING_FACE_HUB_TOKEN
              valueFrom:
                secretKeyRef:
                  name: ${hugging_face_token_secret}
                  key: HF_TOKEN
%{ endfor ~}
          resources:
            limits:
              nvidia.com/gpu: ${gpu_count}
"""


@pytest.mark.parametrize("secrets", ["[]", '["hf-token"]'])
def test_a_template_with_a_for_directive_renders_as_terraform_renders_it(tmp_path: Path, secrets: str) -> None:
    """The directive left the whole manifest unknown ("template directive (%{ }) is not evaluated"): a 1-GPU vLLM
    server was unpriced and had no findings."""
    main = f"""
provider "google" {{
  project = "acme-ml"
  region  = "us-central1"
}}

variable "hf_secrets" {{
  type    = list(string)
  default = {secrets}
}}

resource "kubernetes_manifest" "vllm" {{
  manifest = yamldecode(templatefile("${{path.module}}/manifest-templates/vllm.tftpl", {{
    namespace                      = "benchmark"
    model_id                       = "tiiuae/falcon-7b"
    gpu_count                      = 1
    hugging_face_token_secret_list = var.hf_secrets
  }}))
}}
"""
    write(tmp_path, {"main.tf": main, "manifest-templates/vllm.tftpl": VLLM_TFTPL})
    run = scan_json(".", cwd=tmp_path)
    r = next(r for r in run.report["resources"] if r["address"] == "kubernetes_manifest.vllm")
    from linter.pricing.catalog import Catalog

    g2 = Catalog().hourly("gcp", "us-central1", "g2-standard-4")
    assert g2 is not None and r["monthly_cost_usd"] == pytest.approx(g2.usd_per_hour * 730, abs=0.01)
    assert r["compute"]["gpu"]["count"] == 1 and r["llm"]["model"] == "tiiuae/falcon-7b"


def test_template_directives_and_strip_markers(tmp_path: Path) -> None:
    main = """
provider "aws" {
  region = "us-east-1"
}

variable "on_demand" {
  type = bool
}

locals {
  teams   = ["ml", "search"]
  owners  = { ml = "ana", search = "bo" }
  enabled = true
  policy  = <<EOT
%{ for t in local.teams ~}
team ${t}
%{ endfor ~}
mode: %{ if local.enabled }on%{ else }off%{ endif }
EOT
}

resource "aws_instance" "gpu" {
  instance_type = "g5.xlarge"
  tags = {
    team        = "%{ for t, o in local.owners }${t}:${o};%{ endfor }"
    environment = "%{ if local.enabled ~} prod %{~ else }dev%{ endif }"
    cost-center = "cc-%{ if var.on_demand }od%{ endif }"
    policy      = local.policy
  }
}
"""
    write(tmp_path, {"main.tf": main})
    r = scan_json(".", cwd=tmp_path).report["resources"][0]
    assert r["tags"]["team"] == "ml:ana;search:bo;"
    assert r["tags"]["environment"] == "prod"
    assert r["tags"]["policy"] == "team ml\nteam search\nmode: on\n"  # Terraform's strip marker example
    assert "cost-center" not in r["tags"] or r["tags"]["cost-center"] in ("", None)  # known only at apply


def test_path_module_is_relative_as_terraform_has_it(tmp_path: Path) -> None:
    """ai-on-gke's inference servers key kubernetes_manifest instances by "${path.module}/manifest-templates/...":
    the addresses held the checkout's absolute path (so they changed from machine to machine)."""
    main = """
provider "google" {
  project = "acme-ml"
  region  = "us-central1"
}

locals {
  templates = [for f in fileset("${path.module}/manifest-templates", "*.tftpl") : "${path.module}/manifest-templates/${f}"]
}

resource "kubernetes_manifest" "default" {
  for_each = toset(local.templates)
  manifest = yamldecode(templatefile(each.value, {
    namespace                      = "benchmark"
    model_id                       = "tiiuae/falcon-7b"
    gpu_count                      = 1
    hugging_face_token_secret_list = []
  }))
}

module "tgi" {
  source = "./modules/tgi"
}
"""
    tgi = """
output "where" {
  value = path.module
}

resource "kubernetes_manifest" "tgi" {
  manifest = yamldecode(templatefile("${path.module}/../../manifest-templates/vllm.tftpl", {
    namespace                      = "tgi"
    model_id                       = "tiiuae/falcon-7b"
    gpu_count                      = 1
    hugging_face_token_secret_list = []
  }))
}
"""
    write(tmp_path, {"infra/main.tf": main, "infra/manifest-templates/vllm.tftpl": VLLM_TFTPL,
                     "infra/modules/tgi/main.tf": tgi})
    priced = {r["address"]: r["monthly_cost_usd"] for r in scan_json("infra", cwd=tmp_path).report["resources"]}
    assert priced['kubernetes_manifest.default["./manifest-templates/vllm.tftpl"]'] > 0
    assert priced["module.tgi.kubernetes_manifest.tgi"] > 0  # ../../ from modules/tgi: the same template


def test_a_gke_pool_whose_zones_are_given_at_apply_has_an_unknown_node_count(tmp_path: Path) -> None:
    """ai-on-gke benchmarks/infra/65k-cpu-cluster: the cluster's node_locations = var.node_locations (no default);
    the pool's node_count is per zone, and the pool was priced for GKE's default of 3 zones ($26,630.26) although
    the zones, so the nodes, are known only at apply (the sample tfvars lists 4)."""
    main = """
variable "node_locations" {
  type        = list(string)
  description = "Zones for the nodes, e.g. [\\"us-central1-a\\"]"
}

resource "google_container_cluster" "gpu" {
  name                     = "gpu-cluster"
  location                 = "us-central1"
  node_locations           = var.node_locations
  remove_default_node_pool = true
  initial_node_count       = 1
  resource_labels          = { team = "ml", cost-center = "cc-42", environment = "prod" }
}

resource "google_container_node_pool" "l4" {
  name       = "l4-pool"
  cluster    = google_container_cluster.gpu.id
  location   = "us-central1"
  node_count = 2
  node_config {
    machine_type    = "g2-standard-8"
    resource_labels = { team = "ml", cost-center = "cc-42", environment = "prod" }
    guest_accelerator {
      type  = "nvidia-l4"
      count = 1
    }
  }
}
"""
    write(tmp_path, {"main.tf": main, "four-zones.tfvars": 'node_locations = ["us-central1-a", "us-central1-b", '
                                                          '"us-central1-c", "us-central1-f"]\n'})
    pool = next(r for r in scan_json(".", cwd=tmp_path).report["resources"]
                if r["address"] == "google_container_node_pool.l4")
    assert pool["monthly_cost_usd"] is None
    assert any("a month for each g2-standard-8" in n for n in pool["price_notes"])
    assert pool["unknowns"] == ["node_locations: var.node_locations has no default and no value in tfvars: node "
                                "counts are per zone, and the number of zones is not known"]
    assert "node counts are per zone, in the zones node_locations gives at apply" in pool["compute"]["evidence"]
    given = next(r for r in scan_json(".", "--var-file", "four-zones.tfvars", cwd=tmp_path).report["resources"]
                 if r["address"] == "google_container_node_pool.l4")
    from linter.pricing.catalog import Catalog

    g2 = Catalog().hourly("gcp", "us-central1", "g2-standard-8")
    assert g2 is not None and given["monthly_cost_usd"] == pytest.approx(8 * g2.usd_per_hour * 730, abs=0.02)


def test_a_job_on_an_on_demand_node_group_is_told_to_change_the_group(tmp_path: Path) -> None:
    """data-on-eks: a LoRA fine-tuning Job pinned to an ON_DEMAND trn1 node group was told to add a
    capacityType: SPOT node selector, which would leave it with no node to run on."""
    main = """
provider "aws" {
  region = "us-west-2"
}

resource "aws_eks_node_group" "trn1" {
  cluster_name    = "trainium"
  node_group_name = "trn1-32xl-ng1"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["trn1.32xlarge"]
  capacity_type   = "ON_DEMAND"
  tags            = { team = "ml", cost-center = "cc-1", environment = "prod" }

  scaling_config {
    min_size     = 0
    max_size     = 4
    desired_size = 1
  }
}
"""
    job = """apiVersion: batch/v1
kind: Job
metadata:
  name: lora-finetune-app
  namespace: ml
spec:
  template:
    metadata:
      labels: {team: ml, cost-center: cc-1, environment: prod}
    spec:
      restartPolicy: OnFailure
      nodeSelector:
        eks.amazonaws.com/nodegroup: trn1-32xl-ng1
      containers:
        - name: finetune
          image: public.ecr.aws/neuron/pytorch-training-neuronx:2.1.2-neuronx-py310-sdk2.20.0-ubuntu20.04
          command: ["torchrun", "--nproc_per_node=32", "finetune_lora.py"]
          resources:
            limits: {aws.amazon.com/neuron: 16}
"""
    write(tmp_path, {"infra/main.tf": main, "k8s/job.yaml": job})
    found = [f for f in scan_json(".", cwd=tmp_path).report["findings"] if f["rule_id"] == "FIN-GPU-001"]
    assert [f["resource"] for f in found] == ["Job/ml/lora-finetune-app"]
    assert found[0]["remediation"].startswith("Its pods run on aws_eks_node_group.trn1, which buys on demand")
    assert "capacityType: SPOT" not in found[0]["remediation"]


def test_a_helm_release_whose_values_ask_for_gpus_is_noted(tmp_path: Path) -> None:
    """data-on-eks ai-ml (NIM, Triton): GPU servers installed by helm_release were invisible: the scan renders no
    chart and said nothing. Their values, as yamlencode() of a map or set blocks, now give a "not scanned" note;
    a device plugin's values that only tolerate GPU nodes (aws-do-eks) ask for nothing."""
    main = """
resource "helm_release" "nim_llm" {
  name             = "nim-llm"
  chart            = "./nim-llm"
  namespace        = "nim"
  create_namespace = true
  values = [yamlencode({
    image     = { repository = "nvcr.io/nim/meta/llama3-8b-instruct", tag = "latest" }
    resources = { limits = { "nvidia.com/gpu" = 1 } }
    model     = { ngcAPISecret = "ngc-api" }
  })]
}

resource "helm_release" "triton" {
  name       = "triton-vllm"
  repository = "https://helm.ngc.nvidia.com/nvidia"
  chart      = "triton-inference-server"
  set {
    name  = "resources.limits.nvidia\\\\.com/gpu"
    value = 4
  }
}

resource "helm_release" "nvidia_device_plugin" {
  name       = "nvidia-device-plugin"
  repository = "https://nvidia.github.io/k8s-device-plugin"
  chart      = "nvidia-device-plugin"
  values = [<<-EOT
    nodeSelector:
      vpc.amazonaws.com/efa.present: "true"
    tolerations:
      - key: nvidia.com/gpu
        operator: Exists
        effect: NoSchedule
  EOT
  ]
}

resource "helm_release" "cert_manager" {
  name       = "cert-manager"
  repository = "https://charts.jetstack.io"
  chart      = "cert-manager"
  values     = [yamlencode({ installCRDs = true })]
}
"""
    write(tmp_path, {"main.tf": main})
    notes = {(s["line"], s["reason"].split(" installs")[0]) for s in scan_json(".", cwd=tmp_path).report["skipped"]
             if "Helm charts" in s["reason"]}
    assert notes == {(2, "helm_release.nim_llm"), (14, "helm_release.triton")}


def test_yamlencode_is_evaluated() -> None:
    from linter.sources.terraform.functions import FUNCTIONS

    assert FUNCTIONS["yamlencode"]({"b": [1, "x"], "a": {"nvidia.com/gpu": 1}}) == \
        'a:\n  nvidia.com/gpu: 1\nb:\n- 1\n- x\n'


def test_a_merged_finding_gives_each_instances_own_price(tmp_path: Path) -> None:
    """data-on-eks trainium-inferentia: four Neuron node groups from one for_each (inf2.24xlarge ... trn1n.32xlarge)
    merged into one FIN-TAG-001, whose assumptions gave only the first group's price, $6.491/h."""
    main = """
provider "aws" {
  region = "us-west-2"
}

locals {
  neuron_groups = {
    inf2-24xl-ng  = "inf2.24xlarge"
    trn1-32xl-ng1 = "trn1.32xlarge"
  }
}

resource "aws_eks_node_group" "this" {
  for_each        = local.neuron_groups
  cluster_name    = "trainium-inferentia"
  node_group_name = each.key
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = [each.value]

  scaling_config {
    min_size     = 0
    max_size     = 2
    desired_size = 0
  }
}
"""
    write(tmp_path, {"main.tf": main})
    (merged,) = scan_json(".", cwd=tmp_path).report["findings"]
    said = merged["impact"]["assumptions"]
    assert any(a.startswith('aws_eks_node_group.this["inf2-24xl-ng"]: inf2.24xlarge on demand') for a in said)
    assert any(a.startswith('aws_eks_node_group.this["trn1-32xl-ng1"]: trn1.32xlarge on demand') for a in said)
    assert "730 h/month" in said and not any(a.startswith("inf2.24xlarge") for a in said)


def test_a_taint_value_written_as_a_bool_reads_as_terraform_converts_it(tmp_path: Path) -> None:
    """data-on-eks: taint { key = "aws.amazon.com/neuron", value = true, effect = "NO_SCHEDULE" } showed as
    "aws.amazon.com/neuron=:NoSchedule"."""
    main = """
provider "aws" {
  region = "us-west-2"
}

resource "aws_eks_node_group" "inf2" {
  cluster_name    = "inferentia"
  node_group_name = "inf2-24xl-ng"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["inf2.24xlarge"]
  tags            = { team = "ml", cost-center = "cc-1", environment = "prod" }

  taint {
    key    = "aws.amazon.com/neuron"
    value  = true
    effect = "NO_SCHEDULE"
  }

  scaling_config {
    min_size     = 1
    max_size     = 2
    desired_size = 1
  }
}
"""
    write(tmp_path, {"main.tf": main})
    (group,) = scan_json(".", cwd=tmp_path).report["resources"]
    assert group["compute"]["nodes"]["taints"] == ["aws.amazon.com/neuron=true:NoSchedule"]


def test_a_desired_size_below_the_minimum_runs_at_the_minimum(tmp_path: Path) -> None:
    """terraform-aws-eks-blueprints targeted-odcr: min_size 4 and a desired_size of 2 (its key written twice, the
    last wins) was priced at 2 nodes beside "range 4..5"; EKS keeps a group between its bounds."""
    main = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_eks_node_group" "odcr" {
  cluster_name    = "odcr"
  node_group_name = "p5-odcr"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["g5.xlarge"]
  tags            = { team = "ml", cost-center = "cc-1", environment = "prod" }

  scaling_config {
    min_size     = 4
    max_size     = 5
    desired_size = 2
  }
}
"""
    write(tmp_path, {"main.tf": main})
    (group,) = scan_json(".", cwd=tmp_path).report["resources"]
    from linter.pricing.catalog import Catalog

    g5 = Catalog().hourly("aws", "us-east-1", "g5.xlarge")
    assert g5 is not None and group["compute"]["count"] == 4
    assert group["monthly_cost_usd"] == pytest.approx(4 * g5.usd_per_hour * 730, abs=0.02)
    assert "desired_size 2 is below the minimum 4: the group runs at least 4" in group["compute"]["evidence"]


def test_a_resource_type_finops_lint_does_not_read_that_names_gpu_machines_is_noted(tmp_path: Path) -> None:
    """awsome-distributed-training hyperpod-slurm-tf: an awscc_sagemaker_cluster (SageMaker HyperPod) of
    4 x ml.trn1.32xlarge was in no list of the report: no resource, no note."""
    main = """
provider "awscc" {
  region = "us-west-2"
}

variable "compute_groups" {
  default = [{ name = "compute", instance_type = "ml.trn1.32xlarge", instance_count = 4 }]
}

resource "awscc_sagemaker_cluster" "hyperpod_cluster" {
  cluster_name = "ml-cluster"
  instance_groups = concat(
    [{
      instance_group_name = "controller-machine"
      instance_type       = "ml.c5.xlarge"
      instance_count      = 1
      execution_role      = "arn:aws:iam::123456789012:role/hyperpod"
    }],
    [for g in var.compute_groups : {
      instance_group_name = g.name
      instance_type       = g.instance_type
      instance_count      = g.instance_count
      execution_role      = "arn:aws:iam::123456789012:role/hyperpod"
    }]
  )
}

resource "aws_launch_template" "gpu" {
  name_prefix   = "gpu-"
  instance_type = "p4d.24xlarge"
}
"""
    write(tmp_path, {"main.tf": main})
    notes = [s for s in scan_json(".", cwd=tmp_path).report["skipped"] if "does not read" in s["reason"]]
    assert [(s["line"], s["reason"]) for s in notes] == [
        (10, "awscc_sagemaker_cluster.hyperpod_cluster names ml.trn1.32xlarge, but finops-lint does not read "
             "awscc_sagemaker_cluster: its cost is not in the report")]


# data-on-eks (ai-ml, 11f2e445) shape: the platform root deploys the Karpenter NodePool with kubectl_manifest from a
# template; the workloads are plain manifests elsewhere in the repository
KARPENTER_ROOT = """
provider "aws" {
  region = var.region
  default_tags {
    tags = { team = "ml-platform", cost-center = "cc-7", environment = "prod" }
  }
}

variable "region" {
  type    = string
  default = "eu-west-1"
}

variable "name" {
  type    = string
  default = "ml-prod"
}

resource "kubectl_manifest" "gpu_node_class" {
  yaml_body = <<-YAML
    apiVersion: karpenter.k8s.aws/v1
    kind: EC2NodeClass
    metadata:
      name: gpu
    spec:
      amiSelectorTerms:
        - alias: al2023@latest
      role: "karpenter-${var.name}"
      subnetSelectorTerms:
        - tags: {karpenter.sh/discovery: "${var.name}"}
  YAML
}

resource "kubectl_manifest" "gpu_node_pool" {
  yaml_body = templatefile("${path.module}/karpenter/gpu-nodepool.yaml", {
    cluster_name = var.name
  })
  depends_on = [kubectl_manifest.gpu_node_class]
}
"""

GPU_NODEPOOL_TEMPLATE = """apiVersion: karpenter.sh/v1
kind: NodePool
metadata:
  name: gpu
spec:
  template:
    metadata:
      labels: {team: ml-platform, cost-center: cc-7, environment: prod, cluster: CLUSTER}
    spec:
      nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
      requirements:
        - key: node.kubernetes.io/instance-type
          operator: In
          values: ["g5.2xlarge"]
        - key: karpenter.sh/capacity-type
          operator: In
          values: ["on-demand"]
      taints:
        - key: nvidia.com/gpu
          effect: NoSchedule
  limits:
    nvidia.com/gpu: 8
  disruption:
    consolidationPolicy: WhenEmpty
    consolidateAfter: 300s
"""

FINETUNE_JOB = """apiVersion: batch/v1
kind: Job
metadata:
  name: llama-finetune
  namespace: training
  labels: {team: ml, cost-center: cc-7, environment: prod}
spec:
  backoffLimit: 3
  template:
    metadata:
      labels: {team: ml, cost-center: cc-7, environment: prod}
    spec:
      restartPolicy: OnFailure
      nodeSelector: {karpenter.sh/nodepool: gpu}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
        - name: train
          image: nvcr.io/nvidia/pytorch:24.05-py3
          command: [torchrun, --nproc_per_node=1, finetune.py]
          resources:
            limits: {nvidia.com/gpu: 1, cpu: "6", memory: 24Gi}
"""


@pytest.mark.parametrize("cluster", ["${cluster_name}", "{${cluster_name}}"])
def test_pods_on_a_nodepool_terraform_deploys_run_in_the_roots_region(tmp_path: Path, cluster: str) -> None:
    """A Job in a manifest file selecting a Karpenter NodePool that a Terraform root deploys (kubectl_manifest of
    a templatefile()) was priced in the config's default region (us-east-1) while the root's provider says
    eu-west-1; when the template did not parse as YAML before rendering ({${...}}), the Job was not linked to
    the NodePool at all and its GPU was priced as an unknown model at $0.95/GPU-h with no FIN-GPU-001. The
    NodePool itself was priced in us-east-1: the root has no aws_* resource, only its provider block."""
    from linter.pricing.catalog import Catalog

    write(tmp_path, {"platform/main.tf": KARPENTER_ROOT,
                     "platform/karpenter/gpu-nodepool.yaml": GPU_NODEPOOL_TEMPLATE.replace("CLUSTER", cluster),
                     "workloads/finetune/job.yaml": FINETUNE_JOB})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    hourly = Catalog().hourly("aws", "eu-west-1", "g5.2xlarge").usd_per_hour
    job = res["Job/training/llama-finetune"]
    assert job["region"] == "eu-west-1"
    assert [(c["name"], c["monthly_usd"]) for c in job["cost_components"]] == [
        ("Pod share of g5.2xlarge (1 of 1 GPUs), on-demand", round(hourly * 730, 2))]
    assert any(e.startswith("NodePool 'gpu' is deployed by kubectl_manifest.gpu_node_pool (platform/main.tf:")
               and 'region: eu-west-1, the region of provider "aws" in this Terraform root module' in e
               for e in job["compute"]["evidence"])
    pool = res["kubectl_manifest.gpu_node_pool"]
    assert pool["region"] == "eu-west-1"
    spot = run.finding("FIN-GPU-001", "Job/training/llama-finetune")
    assert spot["remediation"].startswith("Its pods run on Karpenter NodePool 'gpu', which launches on-demand nodes")
    assert spot["file"] == "workloads/finetune/job.yaml"


# terraform-aws-modules/eks shape, in the regions teams outside us-east-1 deploy to: Tokyo GPU inference, a Cape Town
# cluster that asks for a GPU type AWS does not offer there, a SageMaker endpoint in Frankfurt
REGIONAL_EKS = """
provider "aws" {
  region = var.region
  default_tags {
    tags = { team = "ml", cost-center = "cc-9", environment = "prod" }
  }
}

variable "region" {
  type = string
}

variable "gpu_type" {
  type    = string
  default = "g6e.xlarge"
}

resource "aws_eks_node_group" "gpu" {
  cluster_name    = "inference"
  node_group_name = "gpu"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  instance_types  = [var.gpu_type]
  ami_type        = "AL2023_x86_64_NVIDIA"

  scaling_config {
    desired_size = 2
    min_size     = 2
    max_size     = 4
  }
}

resource "aws_eks_node_group" "system" {
  cluster_name    = "inference"
  node_group_name = "system"
  node_role_arn   = "arn:aws:iam::111122223333:role/eks-node"
  subnet_ids      = ["subnet-0a1b2c3d", "subnet-4e5f6a7b"]
  instance_types  = ["m6i.large"]

  scaling_config {
    desired_size = 3
    min_size     = 3
    max_size     = 6
  }
}
"""


def test_aws_regions_beyond_the_first_three_are_priced(tmp_path: Path) -> None:
    """The AWS catalog priced us-east-1, us-west-2 and eu-west-1 only: a node group in Tokyo or Ohio had no price
    ('no catalog price for g6e.xlarge in ap-northeast-1'). SkyPilot's v8 file prices every region; a type it lists
    no AZ for in a region is 'not offered' there, and SageMaker, with no source outside those three, says so."""
    from linter.pricing.catalog import Catalog

    write(tmp_path, {"tokyo/main.tf": REGIONAL_EKS, "tokyo/terraform.tfvars": 'region = "ap-northeast-1"\n',
                     "ohio/main.tf": REGIONAL_EKS, "ohio/terraform.tfvars": 'region = "us-east-2"\n',
                     "capetown/main.tf": REGIONAL_EKS, "capetown/terraform.tfvars": 'region = "af-south-1"\n'})
    run = scan_json(".", cwd=tmp_path)
    res = {(r["file"], r["address"]): r for r in run.report["resources"]}
    catalog = Catalog()
    tokyo = res[("tokyo/main.tf", "aws_eks_node_group.gpu")]
    assert catalog.hourly("aws", "ap-northeast-1", "g6e.xlarge").usd_per_hour == 2.699  # SkyPilot v8 Price column
    assert tokyo["monthly_cost_usd"] == round(2 * 2.699 * 730, 2)
    assert {c["source"] for c in tokyo["cost_components"]} == {"skypilot-catalog-v8-aws"}
    ohio = res[("ohio/main.tf", "aws_eks_node_group.system")]
    assert ohio["region"] == "us-east-2"
    assert ohio["monthly_cost_usd"] == round(3 * catalog.hourly("aws", "us-east-2", "m6i.large").usd_per_hour * 730, 2)
    capetown = res[("capetown/main.tf", "aws_eks_node_group.gpu")]
    assert capetown["monthly_cost_usd"] is None
    assert any("no catalog price for g6e.xlarge in af-south-1 (not offered in af-south-1: no af-south-1 AZ in "
               "SkyPilot v8 (2026-01-19))" in n for n in capetown["price_notes"])
    assert res[("capetown/main.tf", "aws_eks_node_group.system")]["monthly_cost_usd"] is not None
    assert "no dated public SageMaker price for it in this region was found" in \
        catalog.missing_price("aws", "eu-central-1", "ml.g5.xlarge")
    assert catalog.hourly("aws", "us-east-2", "p5.48xlarge").usd_per_hour == 55.04
    assert "lists ap-southeast-2 AZs for it with no on-demand Price" in \
        catalog.missing_price("aws", "ap-southeast-2", "trn1.32xlarge")


def test_yaml_templates_terraform_does_not_render_are_listed(tmp_path: Path) -> None:
    """ai-on-gke and eks-workshop keep manifests as `*.yaml.tpl` next to the Terraform that renders them. One that no
    Terraform manifest resource renders (applied by a script, or by `kubectl apply` in a local-exec) left the
    report without a word; one templatefile() renders into a kubectl_manifest is counted there and not listed;
    a template that holds no Kubernetes object (cloud-init) is not a manifest."""
    root = """
resource "kubectl_manifest" "locust_master" {
  yaml_body = templatefile("${path.module}/manifest-templates/locust-master.yaml.tpl", { namespace = "benchmark" })
}
"""
    deployment = """apiVersion: "apps/v1"
kind: "Deployment"
metadata:
  name: NAME
  namespace: ${namespace}
spec:
  replicas: 1
  selector:
    matchLabels: {app: NAME}
  template:
    metadata:
      labels: {app: NAME}
    spec:
      containers:
        - name: NAME
          image: us-docker.pkg.dev/example/locust:latest
          resources:
            requests: {cpu: "2", memory: 4Gi}
"""
    write(tmp_path, {"locust/main.tf": root,
                     "locust/manifest-templates/locust-master.yaml.tpl": deployment.replace("NAME", "locust-master"),
                     "locust/manifest-templates/locust-worker.yaml.tpl": deployment.replace("NAME", "locust-worker"),
                     "vm/cloud-init.yaml.tpl": "#cloud-config\npackages: [nvidia-driver-550]\nruncmd:\n  - reboot\n"})
    run = scan_json(".", cwd=tmp_path)
    listed = [s for s in run.report["skipped"] if s["file"].endswith(".tpl")]
    assert listed == [{"file": "locust/manifest-templates/locust-worker.yaml.tpl", "reason":
                       "template of Kubernetes manifests that no Terraform manifest resource in this scan renders: its "
                       "objects are not in the report; render it (templatefile(), envsubst, Jinja) and scan the output"}]
    assert any(r["address"] == "kubectl_manifest.locust_master" for r in run.report["resources"])


# philschmid/terraform-aws-sagemaker-huggingface main.tf: the endpoint takes whichever configuration the endpoint
# type selects, through a local
SAGEMAKER_HF = """
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "ml", cost-center = "cc-1", environment = "prod" }
  }
}

variable "async_config" {
  type    = any
  default = null
}

locals {
  sagemaker_endpoint_type = {
    real_time    = var.async_config == null ? true : false
    asynchronous = var.async_config != null ? true : false
  }
  sagemaker_endpoint_config = (local.sagemaker_endpoint_type.real_time ?
    aws_sagemaker_endpoint_configuration.huggingface[0] : aws_sagemaker_endpoint_configuration.huggingface_async[0])
}

resource "aws_sagemaker_endpoint_configuration" "huggingface" {
  count = local.sagemaker_endpoint_type.real_time ? 1 : 0
  name  = "bert-base-uncased-ep-config"
  production_variants {
    variant_name           = "AllTraffic"
    model_name             = "bert-base-uncased"
    initial_instance_count = 1
    instance_type          = "ml.g4dn.xlarge"
  }
}

resource "aws_sagemaker_endpoint_configuration" "huggingface_async" {
  count = local.sagemaker_endpoint_type.asynchronous ? 1 : 0
  name  = "bert-base-uncased-ep-config-async"
  production_variants {
    variant_name           = "AllTraffic"
    model_name             = "bert-base-uncased"
    initial_instance_count = 1
    instance_type          = "ml.g4dn.xlarge"
  }
  async_inference_config {
    output_config {
      s3_output_path = "s3://bucket/output"
    }
  }
}

resource "aws_sagemaker_endpoint" "huggingface" {
  name                 = "bert-base-uncased-ep"
  endpoint_config_name = local.sagemaker_endpoint_config.name
}
"""


def test_an_endpoint_configuration_chosen_through_a_local_is_priced_once(tmp_path: Path) -> None:
    """The endpoint configuration an endpoint took through a conditional local was priced by itself too, as if
    deployed elsewhere: the module's spend doubled (14 x $537.57 in its 7 example roots instead of 7)."""
    from linter.pricing.catalog import Catalog

    write(tmp_path, {"main.tf": SAGEMAKER_HF})
    run = scan_json(".", cwd=tmp_path)
    hourly = Catalog().hourly("aws", "us-east-1", "ml.g4dn.xlarge").usd_per_hour
    res = {r["address"]: r for r in run.report["resources"]}
    assert res["aws_sagemaker_endpoint.huggingface"]["monthly_cost_usd"] == round(hourly * 730, 2)
    assert res["aws_sagemaker_endpoint.huggingface"]["links"]["endpoint_config"] == \
        "aws_sagemaker_endpoint_configuration.huggingface[0]"
    assert res["aws_sagemaker_endpoint_configuration.huggingface[0]"]["monthly_cost_usd"] is None
    assert run.report["summary"]["monthly_cost_usd"] == round(hourly * 730, 2)


def test_summary_totals_count_a_shared_module_in_every_root(tmp_path: Path) -> None:
    """A module reached from two root modules bills twice, and the findings say so ('reached from 2 root modules;
    figures are their sum'), but the summary's savings and unattributed totals counted one root: the instances of
    the grouped finding shared one key (file, address)."""
    from linter.pricing.catalog import Catalog

    module = """
variable "environment" {
  type = string
}

resource "aws_instance" "notebook" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "g5.xlarge"
  tags = { Name = "research-notebook", environment = var.environment }
}
"""
    env = """
provider "aws" {
  region = "us-east-1"
}

module "gpu" {
  source      = "../../modules/gpu"
  environment = "dev"
}
"""
    write(tmp_path, {"modules/gpu/main.tf": module, "envs/a/main.tf": env, "envs/b/main.tf": env})
    run = scan_json(".", cwd=tmp_path)
    monthly = round(Catalog().hourly("aws", "us-east-1", "g5.xlarge").usd_per_hour * 730, 2)
    tag = run.finding("FIN-TAG-001", "module.gpu.aws_instance.notebook")
    idle = run.finding("FIN-GPU-003", "module.gpu.aws_instance.notebook")
    assert tag["impact"]["monthly_usd"] == round(2 * monthly, 2)
    summary = run.report["summary"]
    assert summary["monthly_cost_usd"] == round(2 * monthly, 2)
    assert summary["monthly_unattributed_usd"] == round(2 * monthly, 2)
    assert summary["monthly_savings_usd"] == idle["impact"]["monthly_usd"]


def test_resource_prefixed_references_are_read(tmp_path: Path) -> None:
    """GoogleCloudPlatform/ai-infra-cluster-provisioning's instance_template module outputs
    `resource.google_compute_instance_template.template.id` (Terraform's explicit spelling). The reference was not
    read, so its A2/A3 managed instance groups had no template, no machine and no price, without a word."""
    from linter.pricing.catalog import Catalog

    root = """
provider "google" {
  project        = "ml-research"
  region         = "us-central1"
  default_labels = { team = "ml", cost-center = "cc-1", environment = "prod" }
}

module "instance_template" {
  source       = "./modules/common/instance_template"
  machine_type = "a2-highgpu-1g"
}

module "mig" {
  source               = "./modules/common/instance_group_manager"
  instance_template_id = module.instance_template.id
  target_size          = 2
}
"""
    template = """
variable "machine_type" {
  type = string
}

resource "google_compute_instance_template" "template" {
  name_prefix  = "a2-"
  machine_type = var.machine_type
  region       = "us-central1"
  disk {
    boot         = true
    source_image = "projects/debian-cloud/global/images/family/debian-12"
  }
  network_interface {
    network = "default"
  }
  scheduling {
    on_host_maintenance = "TERMINATE"
  }
}

output "id" {
  value = resource.google_compute_instance_template.template.id
}
"""
    mig = """
variable "instance_template_id" {
  type = string
}

variable "target_size" {
  type = number
}

resource "google_compute_instance_group_manager" "mig" {
  name               = "a2"
  base_instance_name = "a2"
  zone               = "us-central1-a"
  target_size        = var.target_size
  version {
    instance_template = var.instance_template_id
    name              = "default"
  }
}
"""
    write(tmp_path, {"main.tf": root, "modules/common/instance_template/main.tf": template,
                     "modules/common/instance_group_manager/main.tf": mig})
    run = scan_json(".", cwd=tmp_path)
    group = next(r for r in run.report["resources"] if r["address"] == "module.mig.google_compute_instance_group_manager.mig")
    hourly = Catalog().hourly("gcp", "us-central1", "a2-highgpu-1g").usd_per_hour
    assert group["compute"]["instance_type"] == "a2-highgpu-1g"
    assert group["monthly_cost_usd"] == round(2 * hourly * 730, 2)


def test_an_unknown_ip_rules_list_does_not_stop_the_llm_reading(tmp_path: Path) -> None:
    """ivanbok/azure-openai-terraform-baseline-landing-zone: `network_acls { ip_rules = var.allowed_client_ips }`
    with no default made the reader stop ('LLM endpoints not read, internal error (TypeError: truth value of an
    unknown Terraform value)'): every Azure OpenAI deployment of the root lost its facts and rules."""
    tf = """
provider "azurerm" {
  features {}
}

variable "allowed_client_ips" {
  description = "Corporate egress IPs allowed to call the OpenAI account (set per environment)"
  type        = list(string)
}

resource "azurerm_cognitive_account" "openai" {
  name                  = "oai-landing-zone"
  location              = "eastus"
  resource_group_name   = "rg-openai"
  kind                  = "OpenAI"
  sku_name              = "S0"
  custom_subdomain_name = "oai-landing-zone"
  network_acls {
    default_action = "Deny"
    ip_rules       = var.allowed_client_ips
  }
  tags = { team = "ml", cost-center = "cc-1", environment = "prod" }
}

resource "azurerm_cognitive_deployment" "gpt4o" {
  name                 = "gpt-4o"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name     = "Standard"
    capacity = 25
  }
}
"""
    write(tmp_path, {"main.tf": tf})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["errors"] == []
    gpt = next(r for r in run.report["resources"] if r["address"] == "azurerm_cognitive_deployment.gpt4o")
    assert gpt["llm"]["public"] is False
    assert gpt["llm"]["public_evidence"] == ["network_acls default_action = Deny on azurerm_cognitive_account.openai "
                                             "(main.tf:11)"]


def test_optional_attribute_defaults_apply_to_tfvars_values(tmp_path: Path) -> None:
    """ai-infra-cluster-provisioning's GKE module declares `machine_type = optional(string, "a3-highgpu-8g")` and its
    test tfvars leave it out. The default was applied to a module argument or a variable default, not to a value from
    tfvars or --var: the A3 node pool had no machine type and no price ($129,195.40/mo for 2 nodes)."""
    from linter.pricing.catalog import Catalog

    tf = """
provider "google" {
  project        = "ml-research"
  region         = "us-central1"
  default_labels = { team = "ml", cost-center = "cc-1", environment = "prod" }
}

variable "node_pools" {
  description = "GPU node pools of the cluster"
  type = list(object({
    zone                     = string
    node_count               = number
    machine_type             = optional(string, "a3-highgpu-8g")
    compact_placement_policy = optional(object({ new_policy = optional(bool, false) }))
  }))
  validation {
    condition     = length(var.node_pools) != 0
    error_message = "must have at least one node pool"
  }
}

resource "google_container_node_pool" "node-pools" {
  count          = length(var.node_pools)
  name           = "np-${count.index}"
  cluster        = "projects/ml-research/locations/us-central1/clusters/a3"
  location       = "us-central1"
  node_locations = [var.node_pools[count.index].zone]
  node_count     = var.node_pools[count.index].node_count
  node_config {
    machine_type = var.node_pools[count.index].machine_type
    labels       = { workload = "training" }
  }
}
"""
    write(tmp_path, {"main.tf": tf, "gke-gpu.tfvars": 'node_pools = [{ zone = "us-central1-c", node_count = 2 }]\n'})
    run = scan_json(".", "--var-file", "gke-gpu.tfvars", cwd=tmp_path)
    pool = next(r for r in run.report["resources"] if r["address"] == "google_container_node_pool.node-pools[0]")
    hourly = Catalog().hourly("gcp", "us-central1", "a3-highgpu-8g").usd_per_hour
    assert pool["compute"]["instance_type"] == "a3-highgpu-8g"
    assert pool["monthly_cost_usd"] == round(2 * hourly * 730, 2)
    assert run.finding("FIN-GPU-001", "google_container_node_pool.node-pools[0]")


def test_a_default_that_fails_its_validation_is_unknown(tmp_path: Path) -> None:
    """ai-infra-cluster-provisioning's node_pools variable defaults to [] and its validation requires at least one:
    Terraform stops until a value is given, but the scan used the empty list, and the GPU node pools disappeared
    without a word (no resource, no note). The default is now unknown, with the reason."""
    tf = """
variable "node_pools" {
  description = "GPU node pools of the cluster"
  type = list(object({
    zone         = string
    node_count   = number
    machine_type = optional(string, "a3-highgpu-8g")
  }))
  default = []
  validation {
    condition     = length(var.node_pools) != 0
    error_message = "must have at least one node pool"
  }
}

resource "google_container_node_pool" "node-pools" {
  count    = length(var.node_pools)
  name     = "np-${count.index}"
  cluster  = "projects/ml-research/locations/us-central1/clusters/a3"
  location = "us-central1"
  node_config {
    machine_type = var.node_pools[count.index].machine_type
    labels       = { team = "ml", cost-center = "cc-1", environment = "prod" }
  }
}
"""
    write(tmp_path, {"main.tf": tf})
    run = scan_json(".", cwd=tmp_path)
    pool = next(r for r in run.report["resources"] if r["address"].startswith("google_container_node_pool.node-pools"))
    assert pool["unknowns"][0] == ("count is unknown (var.node_pools's default fails its validation (main.tf:10): "
                                   "it must be set in tfvars or --var)")


def test_an_openai_deployment_on_azure_ai_services_reads_its_account(tmp_path: Path) -> None:
    """hmcts/slack-help-bot deploys gpt-4o on an azurerm_ai_services account (AI Foundry) behind API Management with
    an azure-openai-token-limit policy. Only azurerm_cognitive_account was looked for: the account was 'not in the
    scanned code', the deployment was priced in eastus, not uksouth, and FIN-LLM-002 fired high despite the
    token limit."""
    tf = """
provider "azurerm" {
  features {}
}

locals {
  tags = { team = "platops", cost-center = "cc-1", environment = "prod" }
}

resource "azurerm_resource_group" "this" {
  name     = "slack-help-bot-rg"
  location = "uksouth"
  tags     = local.tags
}

resource "azurerm_ai_services" "AIServices" {
  name                  = "slack-help-bot-ai"
  location              = azurerm_resource_group.this.location
  resource_group_name   = azurerm_resource_group.this.name
  custom_subdomain_name = "slack-help-bot-ai"
  sku_name              = "S0"
  public_network_access = "Enabled"
  tags                  = local.tags
}

resource "azurerm_cognitive_deployment" "gpt4o" {
  name                 = "gpt-4o"
  cognitive_account_id = azurerm_ai_services.AIServices.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
  sku {
    name     = "Standard"
    capacity = 36
  }
}

resource "azurerm_api_management" "apim" {
  name                = "slack-help-bot-apim"
  location            = azurerm_resource_group.this.location
  resource_group_name = azurerm_resource_group.this.name
  publisher_name      = "PlatOps"
  publisher_email     = "platops@example.com"
  sku_name            = "Developer_1"
  tags                = local.tags
}

resource "azurerm_api_management_api" "openai" {
  name                = "openai"
  resource_group_name = azurerm_resource_group.this.name
  api_management_name = azurerm_api_management.apim.name
  revision            = "1"
  display_name        = "OpenAI"
  path                = "openai"
  protocols           = ["https"]
  service_url         = "${azurerm_ai_services.AIServices.endpoint}openai"
}

resource "azurerm_api_management_api_policy" "openai" {
  api_name            = azurerm_api_management_api.openai.name
  api_management_name = azurerm_api_management.apim.name
  resource_group_name = azurerm_resource_group.this.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <azure-openai-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="5000" />
  </inbound>
</policies>
XML
}
"""
    write(tmp_path, {"ai.tf": tf})
    run = scan_json(".", cwd=tmp_path)
    gpt = next(r for r in run.report["resources"] if r["address"] == "azurerm_cognitive_deployment.gpt4o")
    assert gpt["region"] == "uksouth"
    assert gpt["llm"]["rate_limits"] == ["<azure-openai-token-limit tokens-per-minute=5000> in "
                                         "azurerm_api_management_api_policy.openai (xml_content)"]
    assert run.findings("FIN-LLM-002") == []


def test_azure_ml_gpu_compute_is_noted_not_dropped(tmp_path: Path) -> None:
    """Azure/terraform's machine-learning quickstarts declare azurerm_machine_learning_compute_cluster and _instance;
    with a GPU vm_size they bill like an AKS GPU pool, but finops-lint prices neither and said nothing (compute null,
    not counted as unpriced). They are listed under "not scanned" with the machine they name."""
    tf = """
provider "azurerm" {
  features {}
}

resource "azurerm_machine_learning_compute_cluster" "gpu_training" {
  name                          = "gpu-training"
  location                      = "eastus"
  machine_learning_workspace_id = "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "Dedicated"
  vm_size                       = "Standard_NC24ads_A100_v4"
  identity {
    type = "SystemAssigned"
  }
  scale_settings {
    min_node_count                       = 2
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT15M"
  }
  tags = { team = "ml", cost-center = "cc-1", environment = "dev" }
}

resource "azurerm_machine_learning_compute_cluster" "cpu" {
  name                          = "cpu-cluster"
  location                      = "eastus"
  machine_learning_workspace_id = "/subscriptions/0000/resourceGroups/ml/providers/Microsoft.MachineLearningServices/workspaces/ws"
  vm_priority                   = "LowPriority"
  vm_size                       = "Standard_DS3_v2"
  scale_settings {
    min_node_count                       = 0
    max_node_count                       = 4
    scale_down_nodes_after_idle_duration = "PT30S"
  }
}
"""
    write(tmp_path, {"compute.tf": tf})
    run = scan_json(".", cwd=tmp_path)
    assert run.report["skipped"] == [{
        "file": "compute.tf", "line": 6, "reason": "azurerm_machine_learning_compute_cluster.gpu_training names "
        "Standard_NC24ads_A100_v4, but finops-lint does not read azurerm_machine_learning_compute_cluster: its cost "
        "is not in the report"}]


def test_a_serverless_sagemaker_endpoint_is_not_said_to_bill_per_instance_hour(tmp_path: Path) -> None:
    """philschmid/terraform-aws-sagemaker-huggingface's serverless example: FIN-TAG-001 said the endpoint was in scope
    because 'SageMaker real-time endpoints bill per instance-hour', but a serverless_config endpoint has no instances
    and bills per request and compute time."""
    tf = """
provider "aws" {
  region = "us-east-1"
}

resource "aws_sagemaker_endpoint_configuration" "huggingface_serverless" {
  name = "distilbert-sls"
  production_variants {
    variant_name = "AllTraffic"
    model_name   = "distilbert-base-uncased-finetuned-sst-2-english"
    serverless_config {
      max_concurrency   = 1
      memory_size_in_mb = 1024
    }
  }
}

resource "aws_sagemaker_endpoint" "huggingface" {
  name                 = "distilbert-sls-ep"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.huggingface_serverless.name
}
"""
    write(tmp_path, {"main.tf": tf})
    run = scan_json(".", cwd=tmp_path)
    ep = next(r for r in run.report["resources"] if r["address"] == "aws_sagemaker_endpoint.huggingface")
    assert "per request and compute time (serverless_config)" in ep["tagging"]["billing"]


GKE_TOKYO = {
    "variables.tf": """
variable "project_id" {
  type = string
}

variable "region" {
  type    = string
  default = "us-central1"
}

variable "gpu_nodes" {
  type    = number
  default = 1
}
""",
    "prod.auto.tfvars": """
project_id = "ml-serving-prod"
region     = "asia-northeast1"
gpu_nodes  = 2
""",
    "main.tf": """
provider "google" {
  project = var.project_id
  region  = var.region
}

locals {
  labels = { team = "ml-platform", cost-center = "cc-7001", environment = "prod" }
}

resource "google_container_cluster" "serving" {
  name                     = "serving-${var.region}"
  location                 = var.region
  remove_default_node_pool = true
  initial_node_count       = 1
  resource_labels          = local.labels
}

resource "google_container_node_pool" "system" {
  name       = "system"
  cluster    = google_container_cluster.serving.id
  location   = var.region
  node_count = 1
  node_config {
    machine_type    = "e2-medium"
    resource_labels = local.labels
  }
}

resource "google_container_node_pool" "l4" {
  name       = "l4-inference"
  cluster    = google_container_cluster.serving.id
  location   = var.region
  node_locations = ["asia-northeast1-a"]
  node_count = var.gpu_nodes
  node_config {
    machine_type    = "g2-standard-8"
    resource_labels = local.labels
    guest_accelerator {
      type  = "nvidia-l4"
      count = 1
    }
  }
}
""",
}


def test_gke_pools_in_every_region_of_the_gcp_source_are_priced(tmp_path: Path) -> None:
    """The GCP catalog priced 53 machine types in five regions: a Tokyo L4 pool and GKE's default e2-medium were
    left unpriced although the cited source (Cyclenerd's pricing.yml, 2025-03-06) lists both. It now carries every
    region of that file for the GPU and general-purpose families."""
    write(tmp_path, GKE_TOKYO)
    run = scan_json(".", cwd=tmp_path)
    resources = _resources(run)
    prices = json.loads((Path(__file__).parent.parent / "linter/pricing/data/gcp.json").read_text())
    tokyo = {t: price_entry(prices, "asia-northeast1", t) for t in ("e2-medium", "g2-standard-8")}
    system, l4 = resources["google_container_node_pool.system"], resources["google_container_node_pool.l4"]
    # a regional pool runs node_count nodes in each of the region's three zones; the L4 pool is pinned to one
    assert system["region"] == "asia-northeast1"
    assert system["monthly_cost_usd"] == round(tokyo["e2-medium"]["usd_per_hour"] * 3 * 730, 2)
    assert l4["monthly_cost_usd"] == round(tokyo["g2-standard-8"]["usd_per_hour"] * 2 * 730, 2)
    assert tokyo["g2-standard-8"]["as_of"] == "2025-03-06"
    assert run.report["summary"]["unpriced_resources"] == 0


def test_a_smaller_gpu_suggested_by_fin_gpu_005_holds_the_pods_own_requests(tmp_path: Path) -> None:
    """kweinmeister/vllm-gke-terraform: a vLLM pod asking 8 CPU / 64Gi was told it fits g2-standard-16 (64 GB,
    58.42 GiB allocatable) quantized, saving $2,083.75, and "or g2-standard-48 without quantizing", the machine it
    runs on. The cheapest L4 machine that holds its requests is g2-standard-32: (4.001665 - 1.734376) x 730."""
    shutil.copytree(Path(__file__).parent / "fixtures" / "precision_model_fit", tmp_path / "fit")
    finding = scan_json("fit", cwd=tmp_path).finding("FIN-GPU-005", "kubernetes_deployment.vllm")
    gcp = json.loads((Path(__file__).parent.parent / "linter/pricing/data/gcp.json").read_text())
    now, fit = (price_entry(gcp, "us-east1", t)["usd_per_hour"] for t in ("g2-standard-48", "g2-standard-32"))
    assert finding["message"].endswith("it fits g2-standard-32 (1x L4) quantized to 4 bits (AWQ/GPTQ)")
    assert finding["impact"]["monthly_usd"] == round((now - fit) * 730, 2) == 1655.12
    assert "without quantizing" not in finding["remediation"]
