#!/usr/bin/env python3
"""Generate a deterministic, realistic corpus for benchmarking finops-lint.

    python benchmarks/generate_corpus.py OUT_DIR [--tf-files 1000] [--k8s-files 1000]
                                                 [--seed 42] [--check]

Writes
  OUT_DIR/terraform/   ~50 root modules of ~20 .tf files each (incl. local
                       ./modules/* dirs), plus one terraform.tfvars per root.
                       Mean .tf file length is steered to ~120 lines.
  OUT_DIR/kubernetes/  Helm-rendered style multi-document YAML manifests
                       (1-6 documents per file) for AI-platform workloads.
  OUT_DIR/corpus.json  manifest with the counts (also marks the dir as ours,
                       so a re-run may replace terraform/ and kubernetes/).

Standard library only.  --check additionally parses every .tf/.tfvars file
with tree-sitter-hcl (must be installed) and, if PyYAML is importable, every
YAML file; it exits non-zero if anything fails to parse.
"""

from __future__ import annotations

import argparse
import json
import random
import re
import shutil
import sys
import textwrap
from collections import Counter
from pathlib import Path

GENERATOR_VERSION = 1
TARGET_MEAN_LINES = 120
MANIFEST = "corpus.json"

# --------------------------------------------------------------------------
# tiny template helper
# --------------------------------------------------------------------------

_PH = re.compile(r"@([a-z_0-9]+)@")


def T(text: str, **kw) -> str:
    """Dedent *text* and substitute @name@ placeholders.

    A placeholder alone on its line is replaced by a (multi-line) fragment,
    re-indented to the placeholder's indentation; an empty fragment drops the
    line.  Inline placeholders are replaced verbatim.
    """
    out = []
    for line in textwrap.dedent(text).strip("\n").split("\n"):
        m = _PH.fullmatch(line.strip())
        if m:
            val = kw[m.group(1)]
            if not val:
                continue
            ind = line[: len(line) - len(line.lstrip())]
            for vl in textwrap.dedent(str(val)).strip("\n").split("\n"):
                out.append(ind + vl if vl.strip() else "")
            continue
        out.append(_PH.sub(lambda mm: str(kw[mm.group(1)]), line))
    # tidy up around dropped fragments: no double blank lines, no blank line
    # right after an opening brace or right before a closing one
    tidy = []
    for i, line in enumerate(out):
        if not line.strip():
            prev = tidy[-1].rstrip() if tidy else ""
            nxt = next((x for x in out[i + 1:] if x.strip()), "")
            if not prev or prev.endswith(("{", "(", "[", "\n")) or nxt.strip() in ("}", ")", "]", "})"):
                continue
        tidy.append(line)
    return "\n".join(tidy) + "\n"


def q(s: str) -> str:
    return '"' + s + '"'


def hcl_list(items) -> str:
    return "[" + ", ".join(q(i) if isinstance(i, str) else str(i) for i in items) + "]"


def nlines(text: str) -> int:
    return text.count("\n")


# --------------------------------------------------------------------------
# vocabulary
# --------------------------------------------------------------------------

TEAMS = ["ml-platform", "llm-serving", "research", "search-ranking", "recsys", "vision",
         "speech", "data-eng", "applied-ai", "genai"]
PURPOSES = ["inference", "training", "finetune", "batch", "notebooks", "embeddings", "eval",
            "serving", "pipelines", "rag"]
ENVS = ["dev", "staging", "prod"]
ENV_W = [3, 2, 4]
MODELS = ["llama3_8b", "llama3_70b", "mistral_7b", "mixtral_8x7b", "qwen2_72b", "bge_large",
          "whisper_large", "sdxl", "codellama_34b", "gemma2_27b", "phi3_mini", "clip_vit"]

AWS_REGIONS = [("us-east-1", "use1"), ("us-west-2", "usw2"), ("eu-west-1", "euw1"),
               ("eu-central-1", "euc1")]
GCP_REGIONS = [("us-central1", "usc1"), ("europe-west4", "euw4"), ("us-east4", "use4")]
AZ_REGIONS = [("eastus", "eus"), ("westeurope", "weu"), ("southcentralus", "scus")]

AWS_GPU = {"g4dn.xlarge": 1, "g4dn.12xlarge": 4, "g5.xlarge": 1, "g5.2xlarge": 1,
           "g5.4xlarge": 1, "g5.12xlarge": 4, "g5.48xlarge": 8, "g6.xlarge": 1,
           "g6.12xlarge": 4, "g6e.2xlarge": 1, "p3.2xlarge": 1, "p3.8xlarge": 4,
           "p4d.24xlarge": 8, "p4de.24xlarge": 8, "p5.48xlarge": 8}
AWS_GPU_W = {"g5.xlarge": 6, "g5.2xlarge": 4, "g5.12xlarge": 4, "p4d.24xlarge": 3,
             "g6.xlarge": 2, "g5.48xlarge": 2, "p5.48xlarge": 1, "g4dn.xlarge": 2}
AWS_GENERAL = ["m6i.large", "m6i.xlarge", "m6i.2xlarge", "c6i.2xlarge", "r6i.xlarge",
               "t3.medium", "m7g.large", "c7g.xlarge", "m5.4xlarge", "r5.2xlarge"]
SM_TYPES = ["ml.g5.xlarge", "ml.g5.2xlarge", "ml.g5.12xlarge", "ml.g5.48xlarge",
            "ml.p4d.24xlarge", "ml.inf2.xlarge", "ml.m5.xlarge", "ml.g4dn.xlarge",
            "ml.g6.xlarge"]
GCP_GPU = [("n1-standard-8", "nvidia-tesla-t4", 1), ("n1-standard-16", "nvidia-tesla-v100", 2),
           ("a2-highgpu-1g", "nvidia-tesla-a100", 1), ("a2-highgpu-8g", "nvidia-tesla-a100", 8),
           ("a2-ultragpu-1g", "nvidia-a100-80gb", 1), ("g2-standard-8", "nvidia-l4", 1),
           ("g2-standard-24", "nvidia-l4", 2), ("a3-highgpu-8g", "nvidia-h100-80gb", 8)]
GCP_GENERAL = ["e2-standard-4", "n2-standard-8", "n2d-standard-4", "c3-standard-8",
               "e2-highmem-8"]
AZ_GPU = ["Standard_NC4as_T4_v3", "Standard_NC6s_v3", "Standard_NC24ads_A100_v4",
          "Standard_NC48ads_A100_v4", "Standard_ND96asr_v4", "Standard_ND96isr_H100_v5",
          "Standard_NV36ads_A10_v5"]
AZ_GENERAL = ["Standard_D4s_v5", "Standard_D8s_v5", "Standard_E8s_v5", "Standard_F8s_v2",
              "Standard_B4ms"]


def wchoice(rng: random.Random, weights: dict):
    keys = list(weights)
    return rng.choices(keys, [weights[k] for k in keys])[0]


# --------------------------------------------------------------------------
# Terraform: variable catalog (name -> (type, default, description))
# --------------------------------------------------------------------------

COMMON_VARS = {
    "project": ("string", None, "Project slug used in resource names"),
    "environment": ("string", None, "Deployment environment (dev, staging, prod)"),
    "team": ("string", None, "Owning team, used for cost allocation"),
    "cost_center": ("string", None, "Finance cost center code"),
    "owner": ("string", None, "Owner e-mail for alerts and cost reports"),
    "extra_tags": ("map(string)", "{}", "Additional tags merged into every resource"),
    "enable_spot": ("bool", "true", "Use spot / preemptible capacity where possible"),
    "enable_gpu_training": ("bool", "false", "Create the GPU training fleet"),
    "gpu_node_count": ("number", "2", "Number of standalone GPU instances"),
    "gpu_max_nodes": ("number", "8", "Upper bound for GPU autoscaling groups"),
    "log_retention_days": ("number", "30", "Retention for log groups / buckets"),
    "allowed_cidrs": ("list(string)", '["10.0.0.0/8"]', "CIDRs allowed to reach the model servers"),
}

AWS_VARS = {
    "aws_region": ("string", None, "AWS region"),
    "vpc_id": ("string", '"vpc-0a1b2c3d4e5f60718"', "VPC to deploy into"),
    "private_subnet_ids": ("list(string)", '["subnet-0aa11bb22cc33dd44", "subnet-0ee55ff66aa77bb88", "subnet-0cc99dd00ee11ff22"]', "Private subnets for compute"),
    "ami_id": ("string", '"ami-0c7217cdde317cfec"', "Base AMI for general purpose instances"),
    "gpu_ami_id": ("string", '"ami-0a5c3558529277641"', "Deep Learning AMI (GPU)"),
    "key_name": ("string", "null", "Optional EC2 key pair"),
    "cluster_name": ("string", None, "EKS cluster name"),
    "node_role_arn": ("string", '"arn:aws:iam::123456789012:role/eks-node-role"', "IAM role for EKS worker nodes"),
    "instance_profile_name": ("string", '"ml-instance-profile"', "Instance profile for EC2 instances"),
    "gpu_instance_type": ("string", None, "Default GPU instance type"),
    "cpu_instance_type": ("string", '"m6i.xlarge"', "Default CPU instance type"),
    "instance_type_override": ("string", "null", "Force a specific instance type"),
    "spot_max_price": ("string", '"6.50"', "Max hourly spot price"),
    "kms_key_arn": ("string", "null", "KMS key for EBS/S3 encryption"),
    "sagemaker_execution_role_arn": ("string", '"arn:aws:iam::123456789012:role/sagemaker-exec"', "Execution role for SageMaker"),
    "model_bucket": ("string", None, "S3 bucket holding model artifacts"),
    "security_group_ids": ("list(string)", "[]", "Extra security groups"),
}

GCP_VARS = {
    "gcp_project_id": ("string", None, "GCP project id"),
    "gcp_region": ("string", None, "GCP region"),
    "gcp_zone": ("string", None, "GCP zone for zonal resources"),
    "network": ("string", '"default"', "VPC network self link or name"),
    "subnetwork": ("string", '"ml-subnet"', "Subnetwork name"),
    "gke_cluster_name": ("string", None, "GKE cluster"),
    "gpu_machine_type": ("string", '"g2-standard-8"', "Machine type for GPU VMs"),
    "accelerator_type": ("string", '"nvidia-l4"', "GPU accelerator type"),
    "accelerator_count": ("number", "1", "GPUs per VM"),
    "gcp_service_account": ("string", None, "Service account e-mail for nodes"),
}

AZ_VARS = {
    "location": ("string", None, "Azure region"),
    "resource_group_name": ("string", None, "Resource group for all resources"),
    "aks_cluster_id": ("string", None, "AKS cluster resource id"),
    "subnet_id": ("string", None, "Subnet for NICs"),
    "ssh_public_key": ("string", '"ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGv3 ml@example.com"', "Admin SSH key"),
    "vm_size": ("string", '"Standard_NC4as_T4_v3"', "Default GPU VM size"),
}

COMPLEX_VARS = {
    "instance_types": ("map(string)", T('''
        {
          gpu       = "g5.xlarge"
          training  = "p4d.24xlarge"
          inference = "g5.2xlarge"
          cpu       = "m6i.xlarge"
        }'''), "Instance type per workload class"),
    "gpu_node_groups": (T('''
        map(object({
          instance_types = list(string)
          min            = number
          max            = number
          desired        = number
          spot           = bool
          enabled        = bool
          disk_size      = number
        }))'''), T('''
        {
          a10g = {
            instance_types = ["g5.2xlarge", "g5.4xlarge"]
            min            = 0
            max            = 6
            desired        = 1
            spot           = true
            enabled        = true
            disk_size      = 200
          }
          a100 = {
            instance_types = ["p4d.24xlarge"]
            min            = 0
            max            = 2
            desired        = 0
            spot           = false
            enabled        = false
            disk_size      = 500
          }
        }'''), "EKS GPU node groups keyed by name"),
    "inference_nodes": (T('''
        map(object({
          instance_type = string
          volume_size   = number
          enabled       = bool
        }))'''), T('''
        {
          llm-a = { instance_type = "g5.12xlarge", volume_size = 400, enabled = true }
          llm-b = { instance_type = "g5.2xlarge", volume_size = 200, enabled = true }
          embed = { instance_type = "g4dn.xlarge", volume_size = 100, enabled = false }
        }'''), "Standalone inference hosts"),
    "gke_gpu_pools": (T('''
        map(object({
          machine_type      = string
          accelerator_type  = string
          accelerator_count = number
          min_nodes         = number
          max_nodes         = number
          spot              = bool
        }))'''), T('''
        {
          l4 = {
            machine_type      = "g2-standard-8"
            accelerator_type  = "nvidia-l4"
            accelerator_count = 1
            min_nodes         = 0
            max_nodes         = 8
            spot              = true
          }
          a100 = {
            machine_type      = "a2-highgpu-1g"
            accelerator_type  = "nvidia-tesla-a100"
            accelerator_count = 1
            min_nodes         = 0
            max_nodes         = 2
            spot              = false
          }
        }'''), "GKE GPU node pools"),
    "aks_gpu_pools": (T('''
        map(object({
          vm_size   = string
          min_count = number
          max_count = number
          spot      = bool
        }))'''), T('''
        {
          gput4 = { vm_size = "Standard_NC4as_T4_v3", min_count = 0, max_count = 4, spot = true }
          gpua100 = { vm_size = "Standard_NC24ads_A100_v4", min_count = 0, max_count = 2, spot = false }
        }'''), "AKS GPU node pools"),
}

FILLER_VARS = [
    ("enable_monitoring", "bool", "true", "Install CloudWatch / Stackdriver agents"),
    ("enable_dcgm_exporter", "bool", "true", "Export GPU metrics via DCGM"),
    ("alert_email", "string", '"ml-oncall@example.com"', "Where budget alerts go"),
    ("monthly_budget_usd", "number", "25000", "Monthly budget for this stack"),
    ("idle_shutdown_minutes", "number", "60", "Stop notebooks after idle minutes"),
    ("model_cache_size_gb", "number", "500", "Local NVMe cache for weights"),
    ("max_batch_size", "number", "32", "Inference max batch size"),
    ("scale_to_zero", "bool", "false", "Allow inference to scale to zero"),
    ("checkpoint_retention_days", "number", "14", "Days to keep training checkpoints"),
    ("tensor_parallel_size", "number", "1", "Tensor parallel degree"),
    ("enable_nvme_raid", "bool", "false", "Build RAID0 over instance store"),
    ("artifact_prefix", "string", '"models/"', "Object prefix for artifacts"),
    ("health_check_grace_period", "number", "600", "Seconds before health checks count"),
    ("on_demand_base_capacity", "number", "0", "On-demand base capacity"),
    ("on_demand_percentage", "number", "20", "On-demand percentage above base"),
    ("data_classification", "string", '"internal"', "Data classification label"),
    ("enable_deletion_protection", "bool", "true", "Protect stateful resources"),
    ("backup_retention_days", "number", "7", "Snapshot retention"),
    ("notebook_instance_type", "string", '"g5.xlarge"', "Notebook instance type"),
    ("hf_cache_bucket", "string", '"hf-model-cache"', "Bucket used as HuggingFace cache"),
    ("triton_version", "string", '"24.08"', "Triton server version"),
    ("vllm_version", "string", '"v0.6.3"', "vLLM image version"),
    ("max_unavailable", "number", "1", "Max unavailable nodes during upgrades"),
    ("ebs_throughput", "number", "250", "gp3 throughput MiB/s"),
    ("root_volume_size", "number", "200", "Root volume size (GiB)"),
    ("warm_pool_size", "number", "0", "Warm pool instances"),
    ("schedule_scale_down", "string", '"0 20 * * 1-5"', "Cron for nightly scale down"),
    ("schedule_scale_up", "string", '"0 7 * * 1-5"', "Cron for morning scale up"),
    ("inference_min_replicas", "number", "1", "Minimum inference replicas"),
    ("inference_max_replicas", "number", "6", "Maximum inference replicas"),
]


# --------------------------------------------------------------------------
# Terraform generation
# --------------------------------------------------------------------------

class Root:
    """State for one root module directory."""

    def __init__(self, rng: random.Random, name: str, clouds: list, team: str, purpose: str,
                 env: str, region: tuple):
        self.rng = rng
        self.name = name
        self.clouds = clouds
        self.team = team
        self.purpose = purpose
        self.env = env
        self.region = region
        self.labels = set()
        self.resources = []  # (type, label, mode)
        self.module_calls = []  # (label, mode)
        self.modules = []  # local module names, e.g. ["gpu_pool"]
        self.module_cloud = None

    def label(self, base: str) -> str:
        base = re.sub(r"[^a-z0-9_]", "_", base.lower())
        lab, i = base, 2
        while lab in self.labels:
            lab = f"{base}_{i}"
            i += 1
        self.labels.add(lab)
        return lab

    def add(self, rtype, label, mode="single"):
        self.resources.append((rtype, label, mode))

    @property
    def primary(self):
        return self.clouds[0]


def aws_gpu_type(rng):
    return wchoice(rng, AWS_GPU_W) if rng.random() < 0.8 else rng.choice(list(AWS_GPU))


def aws_itype_expr(rng, gpu=True):
    t = aws_gpu_type(rng) if gpu else rng.choice(AWS_GENERAL)
    r = rng.random()
    if r < 0.40:
        return q(t), t
    if r < 0.55:
        return ("var.gpu_instance_type" if gpu else "var.cpu_instance_type"), t
    if r < 0.68:
        key = rng.choice(["gpu", "training", "inference"] if gpu else ["cpu"])
        return f'lookup(var.instance_types, "{key}", "{t}")', t
    if r < 0.82:
        small = "g5.xlarge" if gpu else "t3.medium"
        return f'local.is_prod ? "{t}" : "{small}"', t
    if r < 0.90:
        return f'var.environment == "prod" ? "{t}" : "{aws_gpu_type(rng) if gpu else "t3.large"}"', t
    if r < 0.95 and gpu:
        return "local.gpu_instance_type", t
    return f'coalesce(var.instance_type_override, "{t}")', t


def aws_tags(rng, name_expr, purpose, model, extra=None):
    rows = [("Name", name_expr), ("Workload", q(purpose)), ("Model", q(model))]
    if rng.random() < 0.5:
        rows.append(("Schedule", q(rng.choice(["office-hours", "always-on", "weekdays"]))))
    if extra:
        rows += extra
    w = max(len(k) for k, _ in rows)
    body = "\n".join(f"  {k.ljust(w)} = {v}" for k, v in rows)
    if rng.random() < 0.15:
        return "tags = local.common_tags"
    return "tags = merge(local.common_tags, {\n" + body + "\n})"


def u_aws_instance(root: Root, rng) -> str:
    gpu = rng.random() < 0.65
    purpose = rng.choice(PURPOSES)
    model = rng.choice(MODELS)
    lab = root.label(f"{purpose}_{model}" if gpu else f"{purpose}_host")
    mode = rng.choices(["single", "count", "for_each"], [4, 4, 2])[0]
    itype, _t = aws_itype_expr(rng, gpu)
    if mode == "count":
        meta = rng.choice([
            "count = var.enable_gpu_training ? var.gpu_node_count : 0",
            f"count = {rng.randint(1, 4)}",
            "count = local.is_prod ? 3 : 1",
            "count = var.gpu_node_count",
        ])
        subnet = "element(var.private_subnet_ids, count.index)"
        name = rng.choice([f'"${{local.name_prefix}}-{purpose}-${{count.index}}"',
                           f'format("%s-{purpose}-%02d", local.name_prefix, count.index + 1)'])
    elif mode == "for_each":
        if rng.random() < 0.6:
            meta = rng.choice(["for_each = var.inference_nodes",
                               "for_each = { for k, v in var.inference_nodes : k => v if v.enabled }"])
            itype = "each.value.instance_type"
        else:
            keys = rng.sample(["a", "b", "c", "blue", "green", "primary", "shadow"], 2)
            meta = f"for_each = toset({hcl_list(keys)})"
        subnet = "var.private_subnet_ids[0]"
        name = '"${local.name_prefix}-${each.key}"'
    else:
        meta = ""
        subnet = "var.private_subnet_ids[" + str(rng.randint(0, 2)) + "]"
        name = f'"${{local.name_prefix}}-{lab.replace("_", "-")}"'
    root.add("aws_instance", lab, mode)

    sg_block = ""
    if rng.random() < 0.35:
        sg = root.label(f"{lab}_sg")
        root.add("aws_security_group", sg)
        sg_block = T('''
            resource "aws_security_group" "@sg@" {
              name_prefix = "${local.name_prefix}-@short@-"
              description = "Access to @purpose@ hosts"
              vpc_id      = var.vpc_id

              ingress {
                description = "model server"
                from_port   = 8000
                to_port     = 8000
                protocol    = "tcp"
                cidr_blocks = var.allowed_cidrs
              }

              egress {
                from_port   = 0
                to_port     = 0
                protocol    = "-1"
                cidr_blocks = ["0.0.0.0/0"]
              }

              tags = local.common_tags
            }
            ''', sg=sg, short=purpose, purpose=purpose) + "\n"
        sgs = f"concat([aws_security_group.{sg}.id], var.security_group_ids)"
    else:
        sgs = rng.choice(["var.security_group_ids", "concat(var.security_group_ids, [])"])

    market = ""
    r = rng.random()
    if r < 0.30:
        market = T('''
            instance_market_options {
              market_type = "spot"
              spot_options {
                max_price                      = @price@
                spot_instance_type             = "one-time"
                instance_interruption_behavior = "terminate"
              }
            }
            ''', price=rng.choice(['"12.50"', "var.spot_max_price", '"3.20"', '"1.10"']))
    elif r < 0.45:
        market = T('''
            dynamic "instance_market_options" {
              for_each = var.enable_spot ? [1] : []
              content {
                market_type = "spot"
                spot_options {
                  max_price = var.spot_max_price
                }
              }
            }
            ''')
    ebs = ""
    if gpu and rng.random() < 0.5:
        ebs = T('''
            ebs_block_device {
              device_name = "/dev/sdf"
              volume_size = @size@
              volume_type = "gp3"
              throughput  = @tp@
              encrypted   = true
            }
            ''', size=rng.choice([500, 1000, 2000]), tp=rng.choice([250, 500, 1000]))
    userdata = ""
    if rng.random() < 0.5:
        userdata = T('''
            user_data = base64encode(<<-EOT
              #!/bin/bash
              set -euo pipefail
              echo "CLUSTER=${var.project}-${var.environment}" >> /etc/environment
              %{ if var.enable_spot }echo "SPOT=1" >> /etc/environment%{ endif }
              nvidia-smi -pm 1 || true
              aws s3 sync s3://${var.model_bucket}/@model@ /opt/models/@model@ --only-show-errors
              systemctl enable --now @purpose@-server
            EOT
            )
            user_data_replace_on_change = true
            ''', model=model, purpose=purpose)
    lifecycle = ""
    if rng.random() < 0.4:
        lifecycle = rng.choice([
            "lifecycle {\n  ignore_changes = [ami, user_data]\n}",
            "lifecycle {\n  create_before_destroy = true\n}",
        ])
    body = T('''
        resource "aws_instance" "@lab@" {
          @meta@
          ami                    = @ami@
          instance_type          = @itype@
          subnet_id              = @subnet@
          vpc_security_group_ids = @sgs@
          iam_instance_profile   = var.instance_profile_name
          key_name               = var.key_name
          monitoring             = @mon@
          ebs_optimized          = true

          @market@

          root_block_device {
            volume_size           = @root@
            volume_type           = "gp3"
            iops                  = 3000
            throughput            = 125
            encrypted             = true
            kms_key_id            = var.kms_key_arn
            delete_on_termination = true
          }

          @ebs@

          metadata_options {
            http_endpoint               = "enabled"
            http_tokens                 = "required"
            http_put_response_hop_limit = 2
          }

          @userdata@

          @tags@

          @lifecycle@
        }
        ''', lab=lab, meta=meta + ("\n" if meta else ""),
        ami="var.gpu_ami_id" if gpu else rng.choice(["var.ami_id", "data.aws_ami.al2023.id"]),
        itype=itype, subnet=subnet, sgs=sgs, mon=rng.choice(["true", "false", "local.is_prod"]),
        market=market, root=rng.choice([100, 200, 300, "var.root_volume_size"]), ebs=ebs,
        userdata=userdata, tags=aws_tags(rng, name, purpose, model, [("GPU", q(str(gpu).lower()))]),
        lifecycle=lifecycle)
    return sg_block + body


def u_aws_lt_asg(root: Root, rng) -> str:
    gpu = rng.random() < 0.75
    purpose = rng.choice(PURPOSES)
    model = rng.choice(MODELS)
    lab = root.label(f"{purpose}_{'gpu' if gpu else 'cpu'}")
    itype, _t = aws_itype_expr(rng, gpu)
    root.add("aws_launch_template", lab)
    root.add("aws_autoscaling_group", lab)
    spot = ""
    if rng.random() < 0.3:
        spot = T('''
            instance_market_options {
              market_type = "spot"
              spot_options {
                spot_instance_type = "one-time"
              }
            }
            ''')
    lt = T('''
        resource "aws_launch_template" "@lab@" {
          name_prefix            = "${local.name_prefix}-@dash@-"
          image_id               = @ami@
          instance_type          = @itype@
          key_name               = var.key_name
          update_default_version = true
          vpc_security_group_ids = var.security_group_ids

          iam_instance_profile {
            name = var.instance_profile_name
          }

          block_device_mappings {
            device_name = "/dev/xvda"
            ebs {
              volume_size           = @size@
              volume_type           = "gp3"
              delete_on_termination = true
              encrypted             = true
            }
          }

          @spot@

          metadata_options {
            http_tokens = "required"
          }

          tag_specifications {
            resource_type = "instance"
            tags = merge(local.common_tags, {
              Name     = "${local.name_prefix}-@dash@"
              Workload = "@purpose@"
              Model    = "@model@"
            })
          }

          tag_specifications {
            resource_type = "volume"
            tags          = local.common_tags
          }

          tags = local.common_tags
        }
        ''', lab=lab, dash=lab.replace("_", "-"), ami="var.gpu_ami_id" if gpu else "var.ami_id",
        itype=itype, size=rng.choice([100, 200, 500]), spot=spot, purpose=purpose, model=model)

    if rng.random() < 0.4:
        types = rng.sample([k for k in AWS_GPU if AWS_GPU[k] <= 4], 3) if gpu else rng.sample(AWS_GENERAL, 3)
        overrides = "\n".join(
            T('''
                override {
                  instance_type     = "@t@"
                  weighted_capacity = "@w@"
                }
                ''', t=x, w=i + 1) for i, x in enumerate(types))
        lt_ref = T('''
            mixed_instances_policy {
              instances_distribution {
                on_demand_base_capacity                  = @base@
                on_demand_percentage_above_base_capacity = @pct@
                spot_allocation_strategy                 = "@strategy@"
              }

              launch_template {
                launch_template_specification {
                  launch_template_id = aws_launch_template.@lab@.id
                  version            = "$Latest"
                }

                @overrides@
              }
            }
            ''', base=rng.choice(["0", "1", "var.on_demand_base_capacity"]),
                   pct=rng.choice(["0", "20", "50", "100", "var.on_demand_percentage"]),
                   strategy=rng.choice(["capacity-optimized", "price-capacity-optimized", "lowest-price"]),
                   lab=lab, overrides=overrides)
    else:
        lt_ref = T('''
            launch_template {
              id      = aws_launch_template.@lab@.id
              version = "$Latest"
            }
            ''', lab=lab)
    desired = rng.choice(['local.is_prod ? 2 : 0', "1", "0", "var.gpu_node_count"])
    asg = T('''
        resource "aws_autoscaling_group" "@lab@" {
          name                      = "${local.name_prefix}-@dash@"
          min_size                  = @min@
          max_size                  = @max@
          desired_capacity          = @desired@
          vpc_zone_identifier       = var.private_subnet_ids
          health_check_type         = "EC2"
          health_check_grace_period = var.health_check_grace_period
          capacity_rebalance        = @rebalance@

          @lt_ref@

          dynamic "tag" {
            for_each = merge(local.common_tags, { Name = "${local.name_prefix}-@dash@" })
            content {
              key                 = tag.key
              value               = tag.value
              propagate_at_launch = true
            }
          }

          lifecycle {
            ignore_changes = [desired_capacity]
          }
        }
        ''', lab=lab, dash=lab.replace("_", "-"), min=rng.choice([0, 0, 1]),
        max=rng.choice([4, 8, 16, "var.gpu_max_nodes"]), desired=desired,
        rebalance=rng.choice(["true", "false"]), lt_ref=lt_ref)
    sched = ""
    if rng.random() < 0.3:
        root.add("aws_autoscaling_schedule", lab + "_night")
        sched = "\n" + T('''
            resource "aws_autoscaling_schedule" "@lab@_night" {
              scheduled_action_name  = "scale-down-night"
              autoscaling_group_name = aws_autoscaling_group.@lab@.name
              min_size               = 0
              max_size               = 0
              desired_capacity       = 0
              recurrence             = var.schedule_scale_down
            }
            ''', lab=lab)
    return lt + "\n" + asg + sched


def u_aws_eks_node_group(root: Root, rng) -> str:
    purpose = rng.choice(["inference", "training", "batch", "serving", "finetune"])
    lab = root.label(f"gpu_{purpose}")
    if rng.random() < 0.4:
        root.add("aws_eks_node_group", lab, "for_each")
        return T('''
            resource "aws_eks_node_group" "@lab@" {
              for_each = @fe@

              cluster_name    = var.cluster_name
              node_group_name = "${local.name_prefix}-${each.key}"
              node_role_arn   = var.node_role_arn
              subnet_ids      = var.private_subnet_ids
              instance_types  = each.value.instance_types
              capacity_type   = each.value.spot ? "SPOT" : "ON_DEMAND"
              ami_type        = "AL2_x86_64_GPU"
              disk_size       = each.value.disk_size

              scaling_config {
                desired_size = each.value.desired
                min_size     = each.value.min
                max_size     = each.value.max
              }

              update_config {
                max_unavailable = var.max_unavailable
              }

              labels = {
                "workload"               = "@purpose@"
                "nvidia.com/gpu.present" = "true"
                "node-pool"              = each.key
              }

              taint {
                key    = "nvidia.com/gpu"
                value  = "true"
                effect = "NO_SCHEDULE"
              }

              tags = merge(local.common_tags, {
                "k8s.io/cluster-autoscaler/enabled"             = "true"
                "k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
              })

              lifecycle {
                ignore_changes = [scaling_config[0].desired_size]
              }
            }
            ''', lab=lab, purpose=purpose,
            fe=rng.choice(["var.gpu_node_groups", "local.enabled_node_groups"]))
    root.add("aws_eks_node_group", lab)
    types = rng.sample([k for k in AWS_GPU if AWS_GPU[k] <= 4], rng.randint(1, 3))
    cap = rng.choice(['"SPOT"', '"ON_DEMAND"', 'var.enable_spot ? "SPOT" : "ON_DEMAND"'])
    return T('''
        resource "aws_eks_node_group" "@lab@" {
          cluster_name    = var.cluster_name
          node_group_name = "${local.name_prefix}-@dash@"
          node_role_arn   = var.node_role_arn
          subnet_ids      = var.private_subnet_ids
          instance_types  = @types@
          capacity_type   = @cap@
          ami_type        = "@ami@"
          disk_size       = @disk@

          scaling_config {
            desired_size = @desired@
            min_size     = @min@
            max_size     = @max@
          }

          labels = {
            workload = "@purpose@"
            gpu      = "true"
          }

          taint {
            key    = "nvidia.com/gpu"
            value  = "true"
            effect = "NO_SCHEDULE"
          }

          tags = merge(local.common_tags, {
            Name = "${local.name_prefix}-@dash@"
          })
        }
        ''', lab=lab, dash=lab.replace("_", "-"), types=hcl_list(types), cap=cap,
        ami=rng.choice(["AL2_x86_64_GPU", "AL2023_x86_64_NVIDIA", "BOTTLEROCKET_x86_64_NVIDIA"]),
        disk=rng.choice([100, 200, 500]), desired=rng.choice([0, 1, 2]), min=rng.choice([0, 0, 1]),
        max=rng.choice([4, 8, 10, "var.gpu_max_nodes"]), purpose=purpose)


def u_aws_sagemaker(root: Root, rng) -> str:
    model = rng.choice(MODELS)
    lab = root.label(f"{model}_endpoint")
    dash = lab.replace("_", "-")
    itype = rng.choice(SM_TYPES)
    root.add("aws_sagemaker_model", lab)
    root.add("aws_sagemaker_endpoint_configuration", lab)
    root.add("aws_sagemaker_endpoint", lab)
    image = rng.choice([
        "763104351884.dkr.ecr.${var.aws_region}.amazonaws.com/huggingface-pytorch-tgi-inference:2.1.1-tgi1.4.0-gpu-py310-cu121-ubuntu22.04",
        "763104351884.dkr.ecr.${var.aws_region}.amazonaws.com/djl-inference:0.29.0-lmi11.0.0-cu124",
        "${data.aws_caller_identity.current.account_id}.dkr.ecr.${var.aws_region}.amazonaws.com/triton-serving:24.08",
    ])
    async_cfg = ""
    if rng.random() < 0.25:
        async_cfg = T('''
            async_inference_config {
              output_config {
                s3_output_path = "s3://${var.model_bucket}/async-output/@model@/"
              }
              client_config {
                max_concurrent_invocations_per_instance = 4
              }
            }
            ''', model=model)
    capture = ""
    if rng.random() < 0.3:
        capture = T('''
            data_capture_config {
              enable_capture              = true
              initial_sampling_percentage = @pct@
              destination_s3_uri          = "s3://${var.model_bucket}/capture/@model@"

              capture_options {
                capture_mode = "Input"
              }
              capture_options {
                capture_mode = "Output"
              }
            }
            ''', pct=rng.choice([5, 10, 100]), model=model)
    count = rng.choice(["1", "2", "local.is_prod ? 2 : 1", "var.inference_min_replicas"])
    out = T('''
        resource "aws_sagemaker_model" "@lab@" {
          name               = "${local.name_prefix}-@dash@"
          execution_role_arn = var.sagemaker_execution_role_arn

          primary_container {
            image          = "@image@"
            model_data_url = "s3://${var.model_bucket}/@model@/model.tar.gz"
            environment = {
              HF_MODEL_ID          = "@model@"
              SM_NUM_GPUS          = "@gpus@"
              MAX_INPUT_LENGTH     = "4096"
              MAX_TOTAL_TOKENS     = "8192"
              MAX_BATCH_PREFILL    = tostring(var.max_batch_size * 512)
            }
          }

          tags = local.common_tags
        }

        resource "aws_sagemaker_endpoint_configuration" "@lab@" {
          name_prefix = "${local.name_prefix}-@short@-"

          production_variants {
            variant_name                                      = "AllTraffic"
            model_name                                        = aws_sagemaker_model.@lab@.name
            initial_instance_count                            = @count@
            instance_type                                     = "@itype@"
            container_startup_health_check_timeout_in_seconds = 900
            model_data_download_timeout_in_seconds            = 1200
          }

          @async_cfg@

          @capture@

          tags = merge(local.common_tags, { Model = "@model@" })

          lifecycle {
            create_before_destroy = true
          }
        }

        resource "aws_sagemaker_endpoint" "@lab@" {
          name                 = "${local.name_prefix}-@dash@"
          endpoint_config_name = aws_sagemaker_endpoint_configuration.@lab@.name
          tags                 = local.common_tags
        }
        ''', lab=lab, dash=dash, short=model.replace("_", "-")[:12], image=image, model=model,
        gpus=max(1, AWS_GPU.get(itype[3:], 1)), count=count, itype=itype, async_cfg=async_cfg,
        capture=capture)
    if rng.random() < 0.5:
        root.add("aws_appautoscaling_target", lab)
        root.add("aws_appautoscaling_policy", lab)
        out += "\n" + T('''
            resource "aws_appautoscaling_target" "@lab@" {
              service_namespace  = "sagemaker"
              resource_id        = "endpoint/${aws_sagemaker_endpoint.@lab@.name}/variant/AllTraffic"
              scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
              min_capacity       = @min@
              max_capacity       = @max@
            }

            resource "aws_appautoscaling_policy" "@lab@" {
              name               = "${local.name_prefix}-@dash@-invocations"
              policy_type        = "TargetTrackingScaling"
              service_namespace  = aws_appautoscaling_target.@lab@.service_namespace
              resource_id        = aws_appautoscaling_target.@lab@.resource_id
              scalable_dimension = aws_appautoscaling_target.@lab@.scalable_dimension

              target_tracking_scaling_policy_configuration {
                target_value       = @target@
                scale_in_cooldown  = 300
                scale_out_cooldown = 60

                predefined_metric_specification {
                  predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
                }
              }
            }
            ''', lab=lab, dash=dash, min=rng.choice([0, 1, "var.inference_min_replicas"]),
            max=rng.choice([2, 4, 8, "var.inference_max_replicas"]), target=rng.choice([50, 70, 100, 200]))
    return out


def u_aws_s3(root: Root, rng) -> str:
    kind = rng.choice(["models", "checkpoints", "datasets", "logs", "artifacts", "eval-results"])
    lab = root.label(kind.replace("-", "_"))
    root.add("aws_s3_bucket", lab)
    out = T('''
        resource "aws_s3_bucket" "@lab@" {
          bucket        = "${local.name_prefix}-@kind@-${data.aws_caller_identity.current.account_id}"
          force_destroy = @fd@

          tags = merge(local.common_tags, {
            DataClass = "@kind@"
          })
        }

        resource "aws_s3_bucket_versioning" "@lab@" {
          bucket = aws_s3_bucket.@lab@.id
          versioning_configuration {
            status = "@vers@"
          }
        }

        resource "aws_s3_bucket_server_side_encryption_configuration" "@lab@" {
          bucket = aws_s3_bucket.@lab@.id
          rule {
            apply_server_side_encryption_by_default {
              sse_algorithm     = var.kms_key_arn == null ? "AES256" : "aws:kms"
              kms_master_key_id = var.kms_key_arn
            }
            bucket_key_enabled = true
          }
        }

        resource "aws_s3_bucket_public_access_block" "@lab@" {
          bucket                  = aws_s3_bucket.@lab@.id
          block_public_acls       = true
          block_public_policy     = true
          ignore_public_acls      = true
          restrict_public_buckets = true
        }
        ''', lab=lab, kind=kind, fd=rng.choice(["false", "!local.is_prod"]),
        vers=rng.choice(["Enabled", "Enabled", "Suspended"]))
    if rng.random() < 0.65:
        root.add("aws_s3_bucket_lifecycle_configuration", lab)
        out += "\n" + T('''
            resource "aws_s3_bucket_lifecycle_configuration" "@lab@" {
              bucket = aws_s3_bucket.@lab@.id

              rule {
                id     = "tiering"
                status = "Enabled"
                filter {
                  prefix = "@prefix@"
                }
                transition {
                  days          = @d1@
                  storage_class = "STANDARD_IA"
                }
                transition {
                  days          = @d2@
                  storage_class = "GLACIER_IR"
                }
                expiration {
                  days = @exp@
                }
                noncurrent_version_expiration {
                  noncurrent_days = 30
                }
              }

              rule {
                id     = "abort-multipart"
                status = "Enabled"
                filter {}
                abort_incomplete_multipart_upload {
                  days_after_initiation = 7
                }
              }
            }
            ''', lab=lab, prefix=rng.choice(["", "checkpoints/", "tmp/", "runs/"]),
            d1=rng.choice([30, 45]), d2=rng.choice([90, 120]),
            exp=rng.choice([365, 730, "var.checkpoint_retention_days + 365"]))
    return out


def u_aws_sg(root: Root, rng) -> str:
    purpose = rng.choice(PURPOSES)
    lab = root.label(f"{purpose}_sg")
    root.add("aws_security_group", lab)
    ports = rng.sample([22, 443, 8000, 8001, 8002, 8080, 9090, 6379, 8265, 29500], 3)
    ingress = "\n".join(T('''
        ingress {
          description = "@desc@"
          from_port   = @p@
          to_port     = @p@
          protocol    = "tcp"
          cidr_blocks = @cidr@
        }
        ''', desc=f"port {p}", p=p, cidr=rng.choice(["var.allowed_cidrs", '["10.0.0.0/8"]', '["172.16.0.0/12"]'])) for p in ports)
    return T('''
        resource "aws_security_group" "@lab@" {
          name        = "${local.name_prefix}-@dash@"
          description = "Security group for @purpose@ workloads"
          vpc_id      = var.vpc_id

          @ingress@

          dynamic "ingress" {
            for_each = toset(var.allowed_cidrs)
            content {
              description = "nccl from ${ingress.value}"
              from_port   = 0
              to_port     = 65535
              protocol    = "tcp"
              cidr_blocks = [ingress.value]
            }
          }

          egress {
            from_port        = 0
            to_port          = 0
            protocol         = "-1"
            cidr_blocks      = ["0.0.0.0/0"]
            ipv6_cidr_blocks = ["::/0"]
          }

          tags = merge(local.common_tags, { Name = "${local.name_prefix}-@dash@" })

          lifecycle {
            create_before_destroy = true
          }
        }
        ''', lab=lab, dash=lab.replace("_", "-"), purpose=purpose, ingress=ingress)


def u_aws_iam(root: Root, rng) -> str:
    svc = rng.choice(["ec2", "sagemaker", "eks", "batch"])
    lab = root.label(f"{svc}_{rng.choice(PURPOSES)}_role")
    dash = lab.replace("_", "-")
    root.add("aws_iam_role", lab)
    root.add("aws_iam_role_policy_attachment", lab, "for_each")
    root.add("aws_iam_role_policy", lab)
    managed = {
        "ec2": ["arn:aws:iam::aws:policy/AmazonSSMManagedInstanceCore",
                "arn:aws:iam::aws:policy/CloudWatchAgentServerPolicy"],
        "sagemaker": ["arn:aws:iam::aws:policy/AmazonSageMakerFullAccess"],
        "eks": ["arn:aws:iam::aws:policy/AmazonEKSWorkerNodePolicy",
                "arn:aws:iam::aws:policy/AmazonEKS_CNI_Policy",
                "arn:aws:iam::aws:policy/AmazonEC2ContainerRegistryReadOnly"],
        "batch": ["arn:aws:iam::aws:policy/service-role/AWSBatchServiceRole"],
    }[svc]
    principal = {"ec2": "ec2.amazonaws.com", "sagemaker": "sagemaker.amazonaws.com",
                 "eks": "ec2.amazonaws.com", "batch": "batch.amazonaws.com"}[svc]
    attach = "\n".join(f'"{a}",' for a in managed)
    return T('''
        resource "aws_iam_role" "@lab@" {
          name = "${local.name_prefix}-@dash@"

          assume_role_policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect = "Allow"
                Action = "sts:AssumeRole"
                Principal = {
                  Service = "@principal@"
                }
              },
            ]
          })

          max_session_duration = 3600
          tags                 = local.common_tags
        }

        resource "aws_iam_role_policy_attachment" "@lab@" {
          for_each = toset([
            @attach@
          ])

          role       = aws_iam_role.@lab@.name
          policy_arn = each.value
        }

        resource "aws_iam_role_policy" "@lab@" {
          name = "model-bucket-access"
          role = aws_iam_role.@lab@.id

          policy = jsonencode({
            Version = "2012-10-17"
            Statement = [
              {
                Effect   = "Allow"
                Action   = ["s3:GetObject", "s3:ListBucket", "s3:PutObject"]
                Resource = ["arn:aws:s3:::${var.model_bucket}", "arn:aws:s3:::${var.model_bucket}/*"]
              },
              {
                Effect   = "Allow"
                Action   = ["kms:Decrypt", "kms:GenerateDataKey"]
                Resource = "*"
              },
            ]
          })
        }
        ''', lab=lab, dash=dash, principal=principal, attach=attach)


def u_aws_log_group(root: Root, rng) -> str:
    purpose = rng.choice(PURPOSES)
    lab = root.label(f"{purpose}_logs")
    root.add("aws_cloudwatch_log_group", lab)
    out = T('''
        resource "aws_cloudwatch_log_group" "@lab@" {
          name              = "/ml/${var.project}/${var.environment}/@purpose@"
          retention_in_days = @ret@
          kms_key_id        = var.kms_key_arn
          tags              = local.common_tags
        }
        ''', lab=lab, purpose=purpose, ret=rng.choice(["var.log_retention_days", "14", "90", "0"]))
    if rng.random() < 0.5:
        alab = root.label(f"{purpose}_gpu_idle")
        root.add("aws_cloudwatch_metric_alarm", alab)
        out += "\n" + T('''
            resource "aws_cloudwatch_metric_alarm" "@lab@" {
              alarm_name          = "${local.name_prefix}-@purpose@-gpu-idle"
              comparison_operator = "LessThanThreshold"
              evaluation_periods  = 6
              metric_name         = "DCGM_FI_DEV_GPU_UTIL"
              namespace           = "CWAgent"
              period              = 300
              statistic           = "Average"
              threshold           = 5
              alarm_description   = "GPU utilisation below 5% for 30 minutes"
              treat_missing_data  = "notBreaching"
              alarm_actions       = []
              tags                = local.common_tags
            }
            ''', lab=alab, purpose=purpose)
    return out


def u_aws_module_call(root: Root, rng) -> str:
    if root.module_cloud != "aws":
        return u_aws_eks_node_group(root, rng)
    purpose = rng.choice(["inference", "training", "batch", "finetune"])
    r = rng.random()
    if r < 0.35:
        lab = root.label("gpu_pools")
        root.module_calls.append((lab, "for_each"))
        return T('''
            module "@lab@" {
              source   = "./modules/gpu_pool"
              for_each = local.enabled_node_groups

              name           = "${local.name_prefix}-${each.key}"
              cluster_name   = var.cluster_name
              node_role_arn  = var.node_role_arn
              subnet_ids     = var.private_subnet_ids
              instance_types = each.value.instance_types
              capacity_type  = each.value.spot ? "SPOT" : "ON_DEMAND"
              min_size       = each.value.min
              max_size       = each.value.max
              desired_size   = each.value.desired
              disk_size      = each.value.disk_size

              labels = {
                workload = "@purpose@"
                pool     = each.key
              }

              tags = merge(local.common_tags, { NodePool = each.key })
            }
            ''', lab=lab, purpose=purpose)
    itype = rng.choice([k for k in AWS_GPU if AWS_GPU[k] <= 8])
    lab = root.label(f"gpu_pool_{purpose}")
    mode = "count" if r < 0.55 else "single"
    root.module_calls.append((lab, mode))
    return T('''
        module "@lab@" {
          source = "./modules/gpu_pool"
          @count@

          name           = "${local.name_prefix}-@purpose@"
          cluster_name   = var.cluster_name
          node_role_arn  = var.node_role_arn
          subnet_ids     = var.private_subnet_ids
          instance_types = ["@itype@"]
          capacity_type  = @cap@
          min_size       = 0
          max_size       = @max@
          desired_size   = @desired@
          disk_size      = @disk@

          taints = [
            {
              key    = "nvidia.com/gpu"
              value  = "true"
              effect = "NO_SCHEDULE"
            },
          ]

          tags = merge(local.common_tags, {
            Component = "@purpose@"
          })
        }
        ''', lab=lab, purpose=purpose, itype=itype,
        count="count  = var.enable_gpu_training ? 1 : 0" if mode == "count" else "",
        cap=rng.choice(['"SPOT"', '"ON_DEMAND"', 'var.enable_spot ? "SPOT" : "ON_DEMAND"']),
        max=rng.choice([2, 4, 8, "var.gpu_max_nodes"]), desired=rng.choice([0, 1, 2]),
        disk=rng.choice([200, 300, 500]))


def gcp_labels(rng, purpose, model):
    if rng.random() < 0.2:
        return "labels = local.common_labels"
    return T('''
        labels = merge(local.common_labels, {
          workload = "@purpose@"
          model    = "@model@"
        })
        ''', purpose=purpose, model=model.replace("_", "-"))


def u_gcp_instance(root: Root, rng) -> str:
    gpu = rng.random() < 0.7
    purpose = rng.choice(PURPOSES)
    model = rng.choice(MODELS)
    lab = root.label(f"{purpose}_{model}" if gpu else f"{purpose}_vm")
    mode = rng.choices(["single", "count", "for_each"], [4, 4, 2])[0]
    if gpu:
        mt, acc, n = rng.choice(GCP_GPU)
    else:
        mt, acc, n = rng.choice(GCP_GENERAL), None, 0
    mt_expr = rng.choice([q(mt), q(mt), "var.gpu_machine_type" if gpu else q(mt),
                          f'local.is_prod ? "{mt}" : "{GCP_GENERAL[0] if not gpu else "g2-standard-8"}"'])
    if mode == "count":
        meta = rng.choice(["count = var.gpu_node_count", f"count = {rng.randint(1, 3)}",
                           "count = var.enable_gpu_training ? var.gpu_node_count : 0"])
        name = f'"${{local.name_prefix}}-{purpose}-${{count.index}}"'
    elif mode == "for_each":
        meta = f'for_each = toset({hcl_list(rng.sample(["a", "b", "c", "west", "east"], 2))})'
        name = f'"${{local.name_prefix}}-{purpose}-${{each.key}}"'
    else:
        meta = ""
        name = f'format("%s-%s", local.name_prefix, "{lab.replace("_", "-")}")'
    root.add("google_compute_instance", lab, mode)
    accel = ""
    if gpu and (not mt.startswith(("a2-", "a3-", "g2-")) or rng.random() < 0.5):
        accel = T('''
            guest_accelerator {
              type  = @acc@
              count = @n@
            }
            ''', acc=rng.choice([q(acc), "var.accelerator_type"]) if mt.startswith("n1") else q(acc),
                   n=n if rng.random() < 0.7 else "var.accelerator_count")
    spot = rng.random() < 0.4
    if spot:
        sched = T('''
            scheduling {
              provisioning_model          = "SPOT"
              preemptible                 = true
              automatic_restart           = false
              on_host_maintenance         = "TERMINATE"
              instance_termination_action = "@act@"
            }
            ''', act=rng.choice(["STOP", "DELETE"]))
    else:
        sched = T('''
            scheduling {
              on_host_maintenance = "@ohm@"
              automatic_restart   = true
            }
            ''', ohm="TERMINATE" if gpu else "MIGRATE")
    return T('''
        resource "google_compute_instance" "@lab@" {
          @meta@
          name         = @name@
          machine_type = @mt@
          zone         = var.gcp_zone
          project      = var.gcp_project_id

          boot_disk {
            auto_delete = true
            initialize_params {
              image = "@image@"
              size  = @size@
              type  = "@dtype@"
            }
          }

          @accel@

          @sched@

          network_interface {
            network    = var.network
            subnetwork = var.subnetwork
            @access@
          }

          service_account {
            email  = var.gcp_service_account
            scopes = ["cloud-platform"]
          }

          metadata = {
            install-nvidia-driver = "@drv@"
            enable-oslogin        = "TRUE"
          }

          shielded_instance_config {
            enable_secure_boot = false
          }

          @labels@

          allow_stopping_for_update = true
        }
        ''', lab=lab, meta=meta + ("\n" if meta else ""), name=name, mt=mt_expr,
        image=rng.choice(["projects/deeplearning-platform-release/global/images/family/common-cu121-debian-11-py310",
                          "projects/ml-images/global/images/family/pytorch-2-3-cu121",
                          "debian-cloud/debian-12"]),
        size=rng.choice([100, 200, 500]), dtype=rng.choice(["pd-ssd", "pd-balanced", "hyperdisk-balanced"]),
        accel=accel, sched=sched, access="access_config {}" if rng.random() < 0.3 else "",
        drv="True" if gpu else "False", labels=gcp_labels(rng, purpose, model))


def u_gcp_node_pool(root: Root, rng) -> str:
    purpose = rng.choice(["inference", "training", "batch", "serving"])
    lab = root.label(f"gpu_{purpose}")
    if rng.random() < 0.35:
        root.add("google_container_node_pool", lab, "for_each")
        return T('''
            resource "google_container_node_pool" "@lab@" {
              for_each = var.gke_gpu_pools

              name     = "${var.environment}-${each.key}"
              project  = var.gcp_project_id
              cluster  = var.gke_cluster_name
              location = var.gcp_region

              autoscaling {
                total_min_node_count = each.value.min_nodes
                total_max_node_count = each.value.max_nodes
                location_policy      = "ANY"
              }

              management {
                auto_repair  = true
                auto_upgrade = true
              }

              node_config {
                machine_type    = each.value.machine_type
                spot            = each.value.spot
                disk_size_gb    = 200
                disk_type       = "pd-balanced"
                service_account = var.gcp_service_account
                oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

                guest_accelerator {
                  type  = each.value.accelerator_type
                  count = each.value.accelerator_count
                  gpu_driver_installation_config {
                    gpu_driver_version = "LATEST"
                  }
                }

                labels = merge(local.common_labels, { pool = each.key })

                taint {
                  key    = "nvidia.com/gpu"
                  value  = "present"
                  effect = "NO_SCHEDULE"
                }

                workload_metadata_config {
                  mode = "GKE_METADATA"
                }
              }
            }
            ''', lab=lab)
    root.add("google_container_node_pool", lab)
    mt, acc, n = rng.choice([g for g in GCP_GPU if g[2] <= 4])
    spot = rng.choice(["spot = true", "preemptible = true", "spot = var.enable_spot", ""])
    scaling = rng.choice([
        "autoscaling {\n  min_node_count = 0\n  max_node_count = @max@\n}".replace("@max@", str(rng.choice([4, 8, 16]))),
        "node_count = @n@".replace("@n@", str(rng.choice([1, 2, 3]))),
        "autoscaling {\n  total_min_node_count = 0\n  total_max_node_count = var.gpu_max_nodes\n}",
    ])
    return T('''
        resource "google_container_node_pool" "@lab@" {
          name     = "@dash@"
          project  = var.gcp_project_id
          cluster  = var.gke_cluster_name
          location = var.gcp_region
          node_locations = ["${var.gcp_region}-a", "${var.gcp_region}-b"]

          @scaling@

          management {
            auto_repair  = true
            auto_upgrade = true
          }

          upgrade_settings {
            max_surge       = 1
            max_unavailable = 0
          }

          node_config {
            machine_type    = "@mt@"
            @spot@
            disk_size_gb    = @disk@
            disk_type       = "pd-ssd"
            image_type      = "COS_CONTAINERD"
            service_account = var.gcp_service_account
            oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

            guest_accelerator {
              type  = "@acc@"
              count = @n@
              gpu_driver_installation_config {
                gpu_driver_version = "DEFAULT"
              }
            }

            labels = {
              workload = "@purpose@"
              team     = var.team
            }

            resource_labels = local.common_labels

            taint {
              key    = "nvidia.com/gpu"
              value  = "present"
              effect = "NO_SCHEDULE"
            }
          }

          lifecycle {
            ignore_changes = [node_config[0].resource_labels]
          }
        }
        ''', lab=lab, dash=f"{purpose}-{acc.replace('nvidia-', '')}", scaling=scaling, mt=mt,
        spot=spot, disk=rng.choice([100, 200, 400]), acc=acc, n=n, purpose=purpose)


def u_gcp_bucket(root: Root, rng) -> str:
    kind = rng.choice(["models", "checkpoints", "datasets", "eval", "features"])
    lab = root.label(kind)
    root.add("google_storage_bucket", lab)
    lifecycle = ""
    if rng.random() < 0.7:
        lifecycle = T('''
            lifecycle_rule {
              condition {
                age = @age@
              }
              action {
                type          = "SetStorageClass"
                storage_class = "NEARLINE"
              }
            }

            lifecycle_rule {
              condition {
                age        = @dele@
                with_state = "ARCHIVED"
              }
              action {
                type = "Delete"
              }
            }
            ''', age=rng.choice([30, 60]), dele=rng.choice([90, 180]))
    return T('''
        resource "google_storage_bucket" "@lab@" {
          name                        = "${var.gcp_project_id}-${local.name_prefix}-@kind@"
          project                     = var.gcp_project_id
          location                    = upper(var.gcp_region)
          storage_class               = "STANDARD"
          uniform_bucket_level_access = true
          force_destroy               = !local.is_prod
          public_access_prevention    = "enforced"

          versioning {
            enabled = @vers@
          }

          @lifecycle@

          labels = merge(local.common_labels, { data = "@kind@" })
        }
        ''', lab=lab, kind=kind, vers=rng.choice(["true", "false"]), lifecycle=lifecycle)


def u_gcp_sa(root: Root, rng) -> str:
    purpose = rng.choice(PURPOSES)
    lab = root.label(f"{purpose}_sa")
    root.add("google_service_account", lab)
    root.add("google_project_iam_member", lab, "for_each")
    roles = rng.sample(["roles/storage.objectViewer", "roles/logging.logWriter",
                        "roles/monitoring.metricWriter", "roles/artifactregistry.reader",
                        "roles/aiplatform.user"], 3)
    return T('''
        resource "google_service_account" "@lab@" {
          project      = var.gcp_project_id
          account_id   = substr("${var.environment}-@dash@", 0, 28)
          display_name = "@purpose@ workloads (${var.environment})"
        }

        resource "google_project_iam_member" "@lab@" {
          for_each = toset(@roles@)

          project = var.gcp_project_id
          role    = each.value
          member  = "serviceAccount:${google_service_account.@lab@.email}"
        }
        ''', lab=lab, dash=lab.replace("_", "-"), purpose=purpose, roles=hcl_list(roles))


def u_gcp_module_call(root: Root, rng) -> str:
    if root.module_cloud != "gcp":
        return u_gcp_node_pool(root, rng)
    mt, acc, n = rng.choice([g for g in GCP_GPU if g[2] <= 4])
    purpose = rng.choice(["inference", "training", "batch"])
    lab = root.label(f"gke_{purpose}_pool")
    root.module_calls.append((lab, "single"))
    return T('''
        module "@lab@" {
          source = "./modules/gpu_pool"

          name              = "${var.environment}-@purpose@"
          project_id        = var.gcp_project_id
          cluster           = var.gke_cluster_name
          location          = var.gcp_region
          machine_type      = "@mt@"
          accelerator_type  = "@acc@"
          accelerator_count = @n@
          min_nodes         = 0
          max_nodes         = @max@
          spot              = @spot@
          service_account   = var.gcp_service_account
          labels            = merge(local.common_labels, { workload = "@purpose@" })
        }
        ''', lab=lab, purpose=purpose, mt=mt, acc=acc, n=n, max=rng.choice([2, 4, 8]),
        spot=rng.choice(["true", "false", "var.enable_spot"]))


def u_az_vm(root: Root, rng) -> str:
    gpu = rng.random() < 0.7
    purpose = rng.choice(PURPOSES)
    model = rng.choice(MODELS)
    lab = root.label(f"{purpose}_{model}" if gpu else f"{purpose}_vm")
    dash = lab.replace("_", "-")[:40]
    size = rng.choice(AZ_GPU) if gpu else rng.choice(AZ_GENERAL)
    size_expr = rng.choice([q(size), q(size), "var.vm_size" if gpu else q(size),
                            f'local.is_prod ? "{size}" : "Standard_NC4as_T4_v3"' if gpu else q(size)])
    counted = rng.random() < 0.35
    root.add("azurerm_network_interface", lab, "count" if counted else "single")
    root.add("azurerm_linux_virtual_machine", lab, "count" if counted else "single")
    cnt = "count = var.gpu_node_count\n" if counted else ""
    idx = "[count.index]" if counted else ""
    sfx = "-${count.index}" if counted else ""
    spot = ""
    if rng.random() < 0.35:
        spot = T('''
            priority        = "Spot"
            eviction_policy = "@ev@"
            max_bid_price   = @bid@
            ''', ev=rng.choice(["Deallocate", "Delete"]), bid=rng.choice(["-1", "2.5"]))
    return T('''
        resource "azurerm_network_interface" "@lab@" {
          @cnt@
          name                = "${local.name_prefix}-@dash@@sfx@-nic"
          location            = var.location
          resource_group_name = var.resource_group_name
          accelerated_networking_enabled = true

          ip_configuration {
            name                          = "internal"
            subnet_id                     = var.subnet_id
            private_ip_address_allocation = "Dynamic"
          }

          tags = local.common_tags
        }

        resource "azurerm_linux_virtual_machine" "@lab@" {
          @cnt@
          name                  = "${local.name_prefix}-@dash@@sfx@"
          resource_group_name   = var.resource_group_name
          location              = var.location
          size                  = @size@
          admin_username        = "azureuser"
          network_interface_ids = [azurerm_network_interface.@lab@@idx@.id]
          @spot@

          admin_ssh_key {
            username   = "azureuser"
            public_key = var.ssh_public_key
          }

          os_disk {
            caching              = "ReadWrite"
            storage_account_type = "@disk@"
            disk_size_gb         = @gb@
          }

          source_image_reference {
            publisher = "@pub@"
            offer     = "@offer@"
            sku       = "@sku@"
            version   = "latest"
          }

          identity {
            type = "SystemAssigned"
          }

          tags = merge(local.common_tags, {
            workload = "@purpose@"
            model    = "@model@"
          })
        }
        ''', lab=lab, dash=dash, cnt=cnt, sfx=sfx, idx=idx, size=size_expr, spot=spot,
        disk=rng.choice(["Premium_LRS", "StandardSSD_LRS", "Premium_ZRS"]),
        gb=rng.choice([128, 256, 512]),
        pub="microsoft-dsvm" if gpu else "Canonical",
        offer="ubuntu-hpc" if gpu else "0001-com-ubuntu-server-jammy",
        sku="2204" if gpu else "22_04-lts-gen2", purpose=purpose, model=model)


def u_az_aks_pool(root: Root, rng) -> str:
    purpose = rng.choice(["inference", "training", "batch"])
    lab = root.label(f"aks_gpu_{purpose}")
    if rng.random() < 0.35:
        root.add("azurerm_kubernetes_cluster_node_pool", lab, "for_each")
        return T('''
            resource "azurerm_kubernetes_cluster_node_pool" "@lab@" {
              for_each = var.aks_gpu_pools

              name                  = each.key
              kubernetes_cluster_id = var.aks_cluster_id
              vm_size               = each.value.vm_size
              auto_scaling_enabled  = true
              min_count             = each.value.min_count
              max_count             = each.value.max_count
              priority              = each.value.spot ? "Spot" : "Regular"
              eviction_policy       = each.value.spot ? "Delete" : null
              spot_max_price        = each.value.spot ? -1 : null
              os_disk_size_gb       = 256
              vnet_subnet_id        = var.subnet_id

              node_labels = {
                "workload"                             = "@purpose@"
                "kubernetes.azure.com/scalesetpriority" = each.value.spot ? "spot" : "regular"
              }

              node_taints = concat(
                ["nvidia.com/gpu=true:NoSchedule"],
                each.value.spot ? ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"] : [],
              )

              tags = local.common_tags
            }
            ''', lab=lab, purpose=purpose)
    root.add("azurerm_kubernetes_cluster_node_pool", lab)
    spot = rng.random() < 0.4
    return T('''
        resource "azurerm_kubernetes_cluster_node_pool" "@lab@" {
          name                  = "@name@"
          kubernetes_cluster_id = var.aks_cluster_id
          vm_size               = "@size@"
          auto_scaling_enabled  = @auto@
          node_count            = @count@
          min_count             = @min@
          max_count             = @max@
          @prio@
          os_disk_size_gb       = @disk@
          os_disk_type          = "Ephemeral"
          vnet_subnet_id        = var.subnet_id
          zones                 = ["1", "2", "3"]

          node_labels = {
            workload = "@purpose@"
            gpu      = "true"
          }

          node_taints = @taints@

          upgrade_settings {
            max_surge = "10%"
          }

          tags = merge(local.common_tags, { pool = "@name@" })
        }
        ''', lab=lab, name=(purpose[:5] + str(rng.randint(1, 99))), size=rng.choice(AZ_GPU),
        auto=rng.choice(["true", "true", "false"]), count=rng.choice([0, 1, 2]),
        min=rng.choice([0, 1]), max=rng.choice([2, 4, 8]),
        prio=('priority              = "Spot"\neviction_policy       = "Delete"\nspot_max_price        = -1'
              if spot else ""), disk=rng.choice([128, 256]), purpose=purpose,
        taints=hcl_list(["nvidia.com/gpu=true:NoSchedule"] +
                        (["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"] if spot else [])))


def u_az_storage(root: Root, rng) -> str:
    kind = rng.choice(["models", "datasets", "checkpoints"])
    lab = root.label(f"{kind}_sa")
    root.add("azurerm_storage_account", lab)
    root.add("azurerm_storage_container", lab)
    out = T('''
        resource "azurerm_storage_account" "@lab@" {
          name                     = substr(replace("${var.project}${var.environment}@kind@", "-", ""), 0, 24)
          resource_group_name      = var.resource_group_name
          location                 = var.location
          account_tier             = "Standard"
          account_replication_type = "@repl@"
          access_tier              = "Hot"
          min_tls_version          = "TLS1_2"

          blob_properties {
            versioning_enabled = true
            delete_retention_policy {
              days = 7
            }
          }

          tags = local.common_tags
        }

        resource "azurerm_storage_container" "@lab@" {
          name                  = "@kind@"
          storage_account_id    = azurerm_storage_account.@lab@.id
          container_access_type = "private"
        }
        ''', lab=lab, kind=kind, repl=rng.choice(["LRS", "ZRS", "GRS"]))
    if rng.random() < 0.6:
        root.add("azurerm_storage_management_policy", lab)
        out += "\n" + T('''
            resource "azurerm_storage_management_policy" "@lab@" {
              storage_account_id = azurerm_storage_account.@lab@.id

              rule {
                name    = "tiering"
                enabled = true
                filters {
                  blob_types   = ["blockBlob"]
                  prefix_match = ["@kind@/"]
                }
                actions {
                  base_blob {
                    tier_to_cool_after_days_since_modification_greater_than    = 30
                    tier_to_archive_after_days_since_modification_greater_than = 90
                    delete_after_days_since_modification_greater_than          = 365
                  }
                }
              }
            }
            ''', lab=lab, kind=kind)
    return out


def u_az_module_call(root: Root, rng) -> str:
    if root.module_cloud != "azure":
        return u_az_aks_pool(root, rng)
    purpose = rng.choice(["inference", "training"])
    lab = root.label(f"aks_{purpose}_pool")
    root.module_calls.append((lab, "single"))
    return T('''
        module "@lab@" {
          source = "./modules/gpu_pool"

          name                  = "@short@"
          kubernetes_cluster_id = var.aks_cluster_id
          vm_size               = "@size@"
          min_count             = 0
          max_count             = @max@
          spot                  = @spot@
          subnet_id             = var.subnet_id
          tags                  = merge(local.common_tags, { workload = "@purpose@" })
        }
        ''', lab=lab, short=purpose[:4] + "gpu", size=rng.choice(AZ_GPU), max=rng.choice([2, 4, 6]),
        spot=rng.choice(["true", "false", "var.enable_spot"]), purpose=purpose)


THEMES = {
    "aws": {
        "gpu_training": [(u_aws_instance, 5), (u_aws_lt_asg, 2), (u_aws_sg, 1), (u_aws_iam, 1)],
        "inference": [(u_aws_sagemaker, 4), (u_aws_instance, 3), (u_aws_lt_asg, 2), (u_aws_log_group, 1)],
        "eks_nodes": [(u_aws_eks_node_group, 5), (u_aws_module_call, 3), (u_aws_lt_asg, 2), (u_aws_iam, 1)],
        "sagemaker": [(u_aws_sagemaker, 6), (u_aws_iam, 1), (u_aws_s3, 1)],
        "storage": [(u_aws_s3, 5), (u_aws_log_group, 2)],
        "compute": [(u_aws_instance, 5), (u_aws_lt_asg, 3), (u_aws_sg, 1)],
        "network": [(u_aws_sg, 5), (u_aws_log_group, 1)],
        "iam": [(u_aws_iam, 5)],
        "asg": [(u_aws_lt_asg, 5), (u_aws_log_group, 1)],
        "gpu_pools": [(u_aws_module_call, 6), (u_aws_eks_node_group, 2)],
    },
    "gcp": {
        "gpu_vms": [(u_gcp_instance, 6), (u_gcp_sa, 1)],
        "gke_pools": [(u_gcp_node_pool, 5), (u_gcp_module_call, 3)],
        "storage": [(u_gcp_bucket, 5), (u_gcp_sa, 1)],
        "iam": [(u_gcp_sa, 5)],
        "training": [(u_gcp_instance, 4), (u_gcp_node_pool, 2), (u_gcp_bucket, 1)],
        "gpu_pools": [(u_gcp_module_call, 6), (u_gcp_node_pool, 2)],
    },
    "azure": {
        "gpu_vms": [(u_az_vm, 6)],
        "aks_pools": [(u_az_aks_pool, 5), (u_az_module_call, 3)],
        "storage": [(u_az_storage, 5)],
        "training": [(u_az_vm, 4), (u_az_aks_pool, 2), (u_az_storage, 1)],
        "gpu_pools": [(u_az_module_call, 6), (u_az_aks_pool, 2)],
    },
}


THEME_W = {
    "aws": {"gpu_training": 3, "inference": 3, "eks_nodes": 3, "sagemaker": 2, "storage": 2,
            "compute": 3, "network": 1, "iam": 1, "asg": 2, "gpu_pools": 2},
    "gcp": {"gpu_vms": 4, "gke_pools": 3, "storage": 2, "iam": 1, "training": 3, "gpu_pools": 2},
    "azure": {"gpu_vms": 4, "aks_pools": 3, "storage": 2, "training": 3, "gpu_pools": 2},
}
COMPUTE_THEMES = {"gpu_training", "inference", "eks_nodes", "sagemaker", "compute", "asg",
                  "gpu_pools", "gpu_vms", "gke_pools", "aks_pools", "training"}


def gen_providers(root: Root, rng) -> str:
    parts = []
    rp = []
    for c in root.clouds:
        src, ver = {"aws": ("hashicorp/aws", rng.choice(["~> 5.40", "~> 5.60", ">= 5.0, < 6.0"])),
                    "gcp": ("hashicorp/google", rng.choice(["~> 5.30", "~> 6.0"])),
                    "azure": ("hashicorp/azurerm", rng.choice(["~> 3.110", "~> 4.0"]))}[c]
        pname = {"aws": "aws", "gcp": "google", "azure": "azurerm"}[c]
        rp.append(T('''
            @p@ = {
              source  = "@src@"
              version = "@ver@"
            }
            ''', p=pname, src=src, ver=ver))
    backend = {
        "aws": T('''
            backend "s3" {
              bucket         = "acme-terraform-state-@env@"
              key            = "@name@/terraform.tfstate"
              region         = "us-east-1"
              dynamodb_table = "terraform-locks"
              encrypt        = true
            }
            ''', env=root.env, name=root.name),
        "gcp": T('''
            backend "gcs" {
              bucket = "acme-tfstate-@env@"
              prefix = "@name@"
            }
            ''', env=root.env, name=root.name),
        "azure": T('''
            backend "azurerm" {
              resource_group_name  = "rg-tfstate"
              storage_account_name = "acmetfstate@env@"
              container_name       = "tfstate"
              key                  = "@name@.tfstate"
            }
            ''', env=root.env, name=root.name),
    }[root.primary]
    parts.append(T('''
        terraform {
          required_version = ">= 1.5.0"

          required_providers {
            @rp@
          }

          @backend@
        }
        ''', rp="\n".join(rp), backend=backend))
    default_tags = T('''
        default_tags {
          tags = {
            Project     = var.project
            Environment = var.environment
            Team        = var.team
            CostCenter  = var.cost_center
            Owner       = var.owner
            ManagedBy   = "terraform"
            Repository  = "github.com/acme/ml-infra"
          }
        }
        ''')
    for c in root.clouds:
        if c == "aws":
            parts.append(T('''
                provider "aws" {
                  region = var.aws_region

                  @dt@
                }
                ''', dt=default_tags))
            for alias_region in rng.sample(["us-west-2", "eu-west-1", "us-east-2"], rng.randint(0, 2)):
                parts.append(T('''
                    provider "aws" {
                      alias  = "@alias@"
                      region = "@r@"

                      @dt@
                    }
                    ''', alias=alias_region.replace("-", "_"), r=alias_region, dt=default_tags))
            parts.append(T('''
                data "aws_caller_identity" "current" {}

                data "aws_region" "current" {}

                data "aws_availability_zones" "available" {
                  state = "available"
                }

                data "aws_ami" "al2023" {
                  most_recent = true
                  owners      = ["amazon"]

                  filter {
                    name   = "name"
                    values = ["al2023-ami-*-x86_64"]
                  }
                }
                '''))
        elif c == "gcp":
            parts.append(T('''
                provider "google" {
                  project = var.gcp_project_id
                  region  = var.gcp_region

                  default_labels = {
                    project     = var.project
                    environment = var.environment
                    team        = var.team
                    cost_center = var.cost_center
                    managed_by  = "terraform"
                  }
                }

                provider "google-beta" {
                  project = var.gcp_project_id
                  region  = var.gcp_region
                }
                '''))
        else:
            parts.append(T('''
                provider "azurerm" {
                  features {
                    resource_group {
                      prevent_deletion_if_contains_resources = true
                    }
                    virtual_machine {
                      delete_os_disk_on_deletion = true
                    }
                  }
                }

                data "azurerm_client_config" "current" {}
                '''))
    return "\n".join(parts)


def gen_locals(root: Root, rng) -> str:
    rows = [
        'name_prefix = format("%s-%s", var.project, var.environment)',
        'is_prod     = var.environment == "prod"',
        "",
        T('''
            common_tags = merge(var.extra_tags, {
              Project     = var.project
              Environment = var.environment
              Team        = var.team
              CostCenter  = var.cost_center
              Owner       = var.owner
              ManagedBy   = "terraform"
              Stack       = "@name@"
            })
            ''', name=root.name),
    ]
    if "gcp" in root.clouds:
        rows.append("")
        rows.append('common_labels = { for k, v in local.common_tags : lower(k) => lower(replace(v, "/[^a-zA-Z0-9_-]/", "-")) }')
    if "aws" in root.clouds:
        rows += [
            "",
            'gpu_instance_type = lookup(var.instance_types, "gpu", var.gpu_instance_type)',
            "enabled_node_groups = { for name, ng in var.gpu_node_groups : name => ng if ng.enabled }",
            "azs = slice(data.aws_availability_zones.available.names, 0, 3)",
            "spot_node_groups = [for name, ng in var.gpu_node_groups : name if ng.spot]",
        ]
    if rng.random() < 0.5:
        rows += ["", T('''
            schedule_tags = local.is_prod ? {} : {
              AutoStop  = "true"
              StopAfter = "${var.idle_shutdown_minutes}m"
            }
            ''')]
    rows += ["", 'budget_alert_thresholds = [50, 80, 100, 120]',
             'monthly_budget = var.monthly_budget_usd * (local.is_prod ? 1.0 : 0.5)']
    body = "\n".join(rows)
    return T('''
        locals {
          @body@
        }
        ''', body=body)


def var_block(name, typ, default, desc, rng=None, validation=None) -> str:
    lines = [f'variable "{name}" {{', f'  description = "{desc}"']
    tl = typ.strip("\n").split("\n")
    lines.append(f"  type        = {tl[0]}")
    lines += ["  " + x for x in tl[1:]]
    if default is not None:
        dl = default.strip("\n").split("\n")
        lines.append(f"  default     = {dl[0]}" if len(dl) == 1 else f"  default = {dl[0]}")
        lines += ["  " + x for x in dl[1:]]
    if validation:
        lines += ["", "  validation {"] + ["    " + x for x in validation.split("\n")] + ["  }"]
    lines.append("}")
    return "\n".join(lines) + "\n"


def gen_variables(root: Root, rng, target: int) -> tuple[str, dict]:
    """Return (variables.tf text, {name: tfvars value or None})."""
    cat = dict(COMMON_VARS)
    if "aws" in root.clouds:
        cat.update(AWS_VARS)
        cat["instance_types"] = COMPLEX_VARS["instance_types"]
        cat["gpu_node_groups"] = COMPLEX_VARS["gpu_node_groups"]
        cat["inference_nodes"] = COMPLEX_VARS["inference_nodes"]
    if "gcp" in root.clouds:
        cat.update(GCP_VARS)
        cat["gke_gpu_pools"] = COMPLEX_VARS["gke_gpu_pools"]
    if "azure" in root.clouds:
        cat.update(AZ_VARS)
        cat["aks_gpu_pools"] = COMPLEX_VARS["aks_gpu_pools"]
    # variables referenced by filler-ish expressions everywhere
    filler = list(FILLER_VARS)
    rng.shuffle(filler)
    must = {"health_check_grace_period", "schedule_scale_down", "checkpoint_retention_days",
            "max_batch_size", "inference_min_replicas", "inference_max_replicas",
            "on_demand_base_capacity", "on_demand_percentage", "max_unavailable",
            "root_volume_size", "idle_shutdown_minutes", "monthly_budget_usd"}
    blocks = []
    for name, (typ, default, desc) in cat.items():
        val = None
        if name == "environment":
            val = T('''
                condition     = contains(["dev", "staging", "prod"], var.environment)
                error_message = "environment must be dev, staging or prod."
                ''').rstrip("\n")
        if default is None and rng.random() < 0.3:
            # give some required vars a default as real stacks do
            default = {"project": q(root.name.split("-")[0]), "team": q(root.team),
                       "environment": q(root.env)}.get(name)
        blocks.append(var_block(name, typ, default, desc, validation=val))
    for name, typ, default, desc in filler:
        if name in must:
            blocks.append(var_block(name, typ, default, desc))
    text = "\n".join(blocks)
    for name, typ, default, desc in filler:
        if name in must:
            continue
        if nlines(text) >= target:
            break
        text += "\n" + var_block(name, typ, default, desc)
    return text, cat


def gen_tfvars(root: Root, rng, cat: dict) -> str:
    proj = root.name.split("-")[0] + "-" + root.purpose
    rows = [
        f'project     = "{proj}"',
        f'environment = "{root.env}"',
        f'team        = "{root.team}"',
        f'cost_center = "CC-{rng.randint(1000, 9999)}"',
        f'owner       = "{root.team}@example.com"',
        "",
    ]
    if "aws" in root.clouds:
        rows += [f'aws_region         = "{root.region[0] if root.primary == "aws" else "us-east-1"}"',
                 f'cluster_name       = "eks-{root.team}-{root.env}"',
                 f'gpu_instance_type  = "{aws_gpu_type(rng)}"',
                 f'model_bucket       = "acme-{root.team}-models-{root.env}"',
                 f"gpu_node_count     = {rng.randint(0, 4)}",
                 f"enable_spot        = {rng.choice(['true', 'false'])}",
                 ""]
        if rng.random() < 0.5:
            rows.append(T('''
                instance_types = {
                  gpu       = "@g@"
                  training  = "p4d.24xlarge"
                  inference = "@i@"
                  cpu       = "m6i.large"
                }
                ''', g=aws_gpu_type(rng), i=aws_gpu_type(rng)))
        if rng.random() < 0.5:
            rows.append(T('''
                gpu_node_groups = {
                  l4 = {
                    instance_types = ["g6.xlarge", "g6.2xlarge"]
                    min            = 0
                    max            = @max@
                    desired        = 0
                    spot           = true
                    enabled        = true
                    disk_size      = 200
                  }
                }
                ''', max=rng.choice([4, 8, 12])))
    if "gcp" in root.clouds:
        r = root.region[0] if root.primary == "gcp" else "us-central1"
        rows += [f'gcp_project_id      = "acme-{root.team}-{root.env}"',
                 f'gcp_region          = "{r}"',
                 f'gcp_zone            = "{r}-a"',
                 f'gke_cluster_name    = "gke-{root.team}-{root.env}"',
                 f'gcp_service_account = "gke-nodes@acme-{root.team}-{root.env}.iam.gserviceaccount.com"',
                 ""]
    if "azure" in root.clouds:
        rows += [f'location            = "{root.region[0]}"',
                 f'resource_group_name = "rg-{root.team}-{root.env}"',
                 f'aks_cluster_id      = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-{root.team}-{root.env}/providers/Microsoft.ContainerService/managedClusters/aks-{root.env}"',
                 'subnet_id           = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-net/providers/Microsoft.Network/virtualNetworks/vnet/subnets/ml"',
                 ""]
    rows += ['extra_tags = {', f'  Department = "{rng.choice(["AI", "Research", "Platform"])}"',
             f'  Budget     = "{rng.choice(["ml-inference", "ml-training", "shared"])}"', "}"]
    return "\n".join(rows).rstrip("\n") + "\n"


def gen_outputs(root: Root, rng) -> str:
    outs = []
    interesting = [r for r in root.resources if r[0] in (
        "aws_instance", "aws_autoscaling_group", "aws_eks_node_group", "aws_sagemaker_endpoint",
        "aws_s3_bucket", "aws_iam_role", "aws_security_group", "google_compute_instance",
        "google_container_node_pool", "google_storage_bucket", "google_service_account",
        "azurerm_linux_virtual_machine", "azurerm_kubernetes_cluster_node_pool",
        "azurerm_storage_account")]
    rng.shuffle(interesting)
    for rtype, lab, mode in interesting[:16]:
        attr = {"aws_s3_bucket": "bucket", "aws_iam_role": "arn", "aws_sagemaker_endpoint": "name",
                "aws_autoscaling_group": "name", "google_service_account": "email",
                "google_storage_bucket": "url"}.get(rtype, "id")
        if mode == "count":
            val = f"{rtype}.{lab}[*].{attr}"
        elif mode == "for_each":
            val = f"{{ for k, v in {rtype}.{lab} : k => v.{attr} }}"
        else:
            val = f"{rtype}.{lab}.{attr}"
        outs.append(T('''
            output "@name@" {
              description = "@desc@"
              value       = @val@
            }
            ''', name=f"{lab}_{attr}", desc=f"{attr} of {rtype}.{lab}", val=val))
    for lab, mode in root.module_calls:
        if mode == "for_each":
            val = f"{{ for k, m in module.{lab} : k => m.node_pool_id }}"
        elif mode == "count":
            val = f"one(module.{lab}[*].node_pool_id)"
        else:
            val = f"module.{lab}.node_pool_id"
        outs.append(T('''
            output "@lab@_id" {
              description = "Node pool created by module.@lab@"
              value       = @val@
            }
            ''', lab=lab, val=val))
    outs.append(T('''
        output "common_tags" {
          description = "Tags applied to every resource"
          value       = local.common_tags
        }
        '''))
    return "\n".join(outs)


# ---- local modules --------------------------------------------------------

def gen_module(cloud: str, rng) -> dict:
    """Return {filename: text} for modules/gpu_pool of *cloud*."""
    if cloud == "aws":
        variables = "\n".join([
            var_block("name", "string", None, "Node group name"),
            var_block("cluster_name", "string", None, "EKS cluster name"),
            var_block("node_role_arn", "string", None, "Node IAM role ARN"),
            var_block("subnet_ids", "list(string)", None, "Subnets for the node group"),
            var_block("instance_types", "list(string)", '["g5.xlarge"]', "Instance types, first is preferred"),
            var_block("capacity_type", "string", '"ON_DEMAND"', "ON_DEMAND or SPOT",
                      validation='condition     = contains(["ON_DEMAND", "SPOT"], var.capacity_type)\nerror_message = "capacity_type must be ON_DEMAND or SPOT."'),
            var_block("ami_type", "string", '"AL2_x86_64_GPU"', "EKS AMI type"),
            var_block("min_size", "number", "0", "Minimum nodes"),
            var_block("max_size", "number", "4", "Maximum nodes"),
            var_block("desired_size", "number", "1", "Initial desired nodes"),
            var_block("disk_size", "number", "200", "Root volume size (GiB)"),
            var_block("labels", "map(string)", "{}", "Kubernetes node labels"),
            var_block("taints", "list(object({\n  key    = string\n  value  = string\n  effect = string\n}))",
                      '[{\n  key    = "nvidia.com/gpu"\n  value  = "true"\n  effect = "NO_SCHEDULE"\n}]', "Kubernetes taints"),
            var_block("tags", "map(string)", "{}", "Tags"),
            var_block("enable_idle_alarm", "bool", "true", "Alarm when GPUs sit idle"),
        ])
        main = T('''
            locals {
              gpu_labels = merge(var.labels, {
                "nvidia.com/gpu.present" = "true"
                "node-pool"              = var.name
              })
              is_spot = var.capacity_type == "SPOT"
            }

            resource "aws_launch_template" "this" {
              name_prefix            = "${var.name}-"
              update_default_version = true

              block_device_mappings {
                device_name = "/dev/xvda"
                ebs {
                  volume_size           = var.disk_size
                  volume_type           = "gp3"
                  throughput            = 250
                  delete_on_termination = true
                  encrypted             = true
                }
              }

              metadata_options {
                http_endpoint               = "enabled"
                http_tokens                 = "required"
                http_put_response_hop_limit = 2
              }

              tag_specifications {
                resource_type = "instance"
                tags          = merge(var.tags, { Name = var.name })
              }

              tags = var.tags
            }

            resource "aws_eks_node_group" "this" {
              cluster_name    = var.cluster_name
              node_group_name = var.name
              node_role_arn   = var.node_role_arn
              subnet_ids      = var.subnet_ids
              instance_types  = var.instance_types
              capacity_type   = var.capacity_type
              ami_type        = var.ami_type
              labels          = local.gpu_labels

              launch_template {
                id      = aws_launch_template.this.id
                version = aws_launch_template.this.latest_version
              }

              scaling_config {
                desired_size = var.desired_size
                min_size     = var.min_size
                max_size     = var.max_size
              }

              update_config {
                max_unavailable_percentage = 33
              }

              dynamic "taint" {
                for_each = var.taints
                content {
                  key    = taint.value.key
                  value  = taint.value.value
                  effect = taint.value.effect
                }
              }

              tags = merge(var.tags, {
                "k8s.io/cluster-autoscaler/enabled"             = "true"
                "k8s.io/cluster-autoscaler/${var.cluster_name}" = "owned"
              })

              lifecycle {
                ignore_changes = [scaling_config[0].desired_size]
              }
            }

            resource "aws_cloudwatch_metric_alarm" "gpu_idle" {
              count = var.enable_idle_alarm ? 1 : 0

              alarm_name          = "${var.name}-gpu-idle"
              comparison_operator = "LessThanThreshold"
              evaluation_periods  = 12
              metric_name         = "DCGM_FI_DEV_GPU_UTIL"
              namespace           = "ContainerInsights"
              period              = 300
              statistic           = "Average"
              threshold           = 10
              treat_missing_data  = "notBreaching"

              dimensions = {
                NodeGroup = var.name
              }

              tags = var.tags
            }
            ''')
        outputs = T('''
            output "node_pool_id" {
              description = "EKS node group id"
              value       = aws_eks_node_group.this.id
            }

            output "node_group_arn" {
              description = "EKS node group ARN"
              value       = aws_eks_node_group.this.arn
            }

            output "launch_template_id" {
              value = aws_launch_template.this.id
            }

            output "capacity_type" {
              value = var.capacity_type
            }

            output "instance_types" {
              value = var.instance_types
            }

            output "idle_alarm_arn" {
              value = try(aws_cloudwatch_metric_alarm.gpu_idle[0].arn, null)
            }
            ''')
    elif cloud == "gcp":
        variables = "\n".join([
            var_block("name", "string", None, "Node pool name"),
            var_block("project_id", "string", None, "GCP project"),
            var_block("cluster", "string", None, "GKE cluster name"),
            var_block("location", "string", None, "Region or zone"),
            var_block("machine_type", "string", '"g2-standard-8"', "Machine type"),
            var_block("accelerator_type", "string", '"nvidia-l4"', "Accelerator type"),
            var_block("accelerator_count", "number", "1", "Accelerators per node"),
            var_block("min_nodes", "number", "0", "Minimum nodes (total)"),
            var_block("max_nodes", "number", "4", "Maximum nodes (total)"),
            var_block("spot", "bool", "false", "Use Spot VMs"),
            var_block("disk_size_gb", "number", "200", "Boot disk size"),
            var_block("service_account", "string", None, "Node service account"),
            var_block("labels", "map(string)", "{}", "Resource labels"),
            var_block("node_locations", "list(string)", "null", "Zones for the pool"),
        ])
        main = T('''
            resource "google_container_node_pool" "this" {
              provider       = google-beta
              name           = var.name
              project        = var.project_id
              cluster        = var.cluster
              location       = var.location
              node_locations = var.node_locations

              autoscaling {
                total_min_node_count = var.min_nodes
                total_max_node_count = var.max_nodes
                location_policy      = var.spot ? "ANY" : "BALANCED"
              }

              management {
                auto_repair  = true
                auto_upgrade = true
              }

              upgrade_settings {
                strategy        = "SURGE"
                max_surge       = 1
                max_unavailable = 0
              }

              node_config {
                machine_type    = var.machine_type
                spot            = var.spot
                disk_size_gb    = var.disk_size_gb
                disk_type       = "pd-ssd"
                image_type      = "COS_CONTAINERD"
                service_account = var.service_account
                oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]
                resource_labels = var.labels

                guest_accelerator {
                  type  = var.accelerator_type
                  count = var.accelerator_count
                  gpu_driver_installation_config {
                    gpu_driver_version = "LATEST"
                  }
                }

                labels = {
                  "pool"         = var.name
                  "gpu-type"     = var.accelerator_type
                  "spot"         = tostring(var.spot)
                }

                taint {
                  key    = "nvidia.com/gpu"
                  value  = "present"
                  effect = "NO_SCHEDULE"
                }

                shielded_instance_config {
                  enable_secure_boot          = true
                  enable_integrity_monitoring = true
                }

                workload_metadata_config {
                  mode = "GKE_METADATA"
                }
              }

              lifecycle {
                ignore_changes = [initial_node_count]
              }
            }
            ''')
        outputs = T('''
            output "node_pool_id" {
              value = google_container_node_pool.this.id
            }

            output "instance_group_urls" {
              value = google_container_node_pool.this.managed_instance_group_urls
            }

            output "machine_type" {
              value = var.machine_type
            }
            ''')
    else:
        variables = "\n".join([
            var_block("name", "string", None, "Node pool name (max 12 chars)"),
            var_block("kubernetes_cluster_id", "string", None, "AKS cluster id"),
            var_block("vm_size", "string", '"Standard_NC4as_T4_v3"', "VM size"),
            var_block("min_count", "number", "0", "Minimum nodes"),
            var_block("max_count", "number", "4", "Maximum nodes"),
            var_block("spot", "bool", "false", "Spot priority"),
            var_block("subnet_id", "string", None, "Subnet"),
            var_block("os_disk_size_gb", "number", "256", "OS disk size"),
            var_block("node_labels", "map(string)", "{}", "Node labels"),
            var_block("tags", "map(string)", "{}", "Tags"),
            var_block("zones", "list(string)", '["1", "2", "3"]', "Availability zones"),
        ])
        main = T('''
            locals {
              spot_taints = var.spot ? ["kubernetes.azure.com/scalesetpriority=spot:NoSchedule"] : []
            }

            resource "azurerm_kubernetes_cluster_node_pool" "this" {
              name                  = var.name
              kubernetes_cluster_id = var.kubernetes_cluster_id
              vm_size               = var.vm_size
              auto_scaling_enabled  = true
              min_count             = var.min_count
              max_count             = var.max_count
              priority              = var.spot ? "Spot" : "Regular"
              eviction_policy       = var.spot ? "Delete" : null
              spot_max_price        = var.spot ? -1 : null
              os_disk_size_gb       = var.os_disk_size_gb
              os_disk_type          = "Ephemeral"
              vnet_subnet_id        = var.subnet_id
              zones                 = var.zones

              node_labels = merge(var.node_labels, {
                "gpu"  = "true"
                "pool" = var.name
              })

              node_taints = concat(["nvidia.com/gpu=true:NoSchedule"], local.spot_taints)

              upgrade_settings {
                max_surge = "33%"
              }

              tags = var.tags

              lifecycle {
                ignore_changes = [node_count]
              }
            }
            ''')
        outputs = T('''
            output "node_pool_id" {
              value = azurerm_kubernetes_cluster_node_pool.this.id
            }

            output "vm_size" {
              value = var.vm_size
            }
            ''')
    return {"variables.tf": variables, "main.tf": main, "outputs.tf": outputs}


def allocate(total: int, parts: int, rng, lo: int, hi: int) -> list:
    sizes = [total // parts] * parts
    for i in range(total % parts):
        sizes[i] += 1
    for _ in range(parts * 3):
        a, b = rng.randrange(parts), rng.randrange(parts)
        d = rng.randint(1, 3)
        if a != b and sizes[a] - d >= lo and sizes[b] + d <= hi:
            sizes[a] -= d
            sizes[b] += d
    return sizes


class LineSteer:
    """Steers per-file line targets so the global mean lands near TARGET_MEAN_LINES."""

    def __init__(self, rng):
        self.rng = rng
        self.files = 0
        self.lines = 0

    def target(self) -> int:
        base = self.rng.gauss(TARGET_MEAN_LINES + 8, 35)
        deficit = TARGET_MEAN_LINES * self.files - self.lines
        return int(min(300, max(35, base + max(-80, min(80, 0.3 * deficit)))))

    def record(self, text: str):
        self.files += 1
        self.lines += nlines(text)


def gen_terraform(out: Path, n_files: int, rng: random.Random) -> dict:
    if n_files < 10:
        raise SystemExit("--tf-files must be >= 10")
    n_roots = max(1, min(round(n_files / 20), n_files // 10))
    sizes = allocate(n_files, n_roots, rng, lo=10, hi=30)
    steer = LineSteer(rng)
    used_names = set()
    tf_lines = []
    tfvars = 0
    n_module_dirs = 0
    resource_types = Counter()
    n_gcp = round(n_roots * 0.22)
    n_az = round(n_roots * 0.18)
    cloud_plan = ["gcp"] * n_gcp + ["azure"] * n_az + ["aws"] * (n_roots - n_gcp - n_az)
    rng.shuffle(cloud_plan)
    for i, size in enumerate(sizes):
        primary = cloud_plan[i]
        clouds = [primary]
        if primary == "aws" and rng.random() < 0.12:
            clouds.append("gcp")
        team, purpose, env = rng.choice(TEAMS), rng.choice(PURPOSES), rng.choices(ENVS, ENV_W)[0]
        region = rng.choice({"aws": AWS_REGIONS, "gcp": GCP_REGIONS, "azure": AZ_REGIONS}[primary])
        base = f"{team}-{purpose}-{env}-{region[1]}"
        name, k = base, 2
        while name in used_names:
            name = f"{base}-{k}"
            k += 1
        used_names.add(name)
        root = Root(rng, name, clouds, team, purpose, env, region)
        rdir = out / name
        rdir.mkdir(parents=True)

        files = {}
        # fixed files: providers, locals, variables, outputs (+3 per local module)
        n_fixed = 4
        if size >= 14 and rng.random() < 0.45:
            root.modules.append("gpu_pool")
            root.module_cloud = primary
            n_fixed += 3
        n_res = size - n_fixed
        assert n_res >= 3, (size, n_fixed)

        files["providers.tf"] = gen_providers(root, rng)
        steer.record(files["providers.tf"])
        files["locals.tf"] = gen_locals(root, rng)
        steer.record(files["locals.tf"])
        vtext, cat = gen_variables(root, rng, steer.target())
        files["variables.tf"] = vtext
        steer.record(vtext)

        if root.modules:
            for fname, text in gen_module(primary, rng).items():
                files[f"modules/gpu_pool/{fname}"] = text
                steer.record(text)
            n_module_dirs += 1

        used_files = set(files)
        for j in range(n_res):
            cloud = primary if j == 0 or len(clouds) == 1 or rng.random() < 0.8 else clouds[1]
            themes = THEMES[cloud]
            if root.modules and j == 0:
                theme = "gpu_pools"
            else:
                cands = [t for t in themes if t != "gpu_pools" or cloud == root.module_cloud]
                theme = rng.choices(cands, [THEME_W[cloud][t] for t in cands])[0]
            fname = f"{theme}.tf"
            while fname in used_files:
                sfx = MODELS + PURPOSES if theme in COMPUTE_THEMES else PURPOSES + TEAMS
                fname = f"{theme}_{rng.choice(sfx).replace('-', '_')}.tf"
                if fname in used_files:
                    fname = f"{theme}_{rng.randint(2, 99)}.tf"
            used_files.add(fname)
            target = steer.target()
            units = themes[theme]
            text = ""
            while True:
                fn = rng.choices([u for u, _ in units], [w for _, w in units])[0]
                block = fn(root, rng)
                if text and nlines(text) + nlines(block) // 2 > target:
                    break
                text += ("\n" if text else "") + block
                if nlines(text) >= target:
                    break
            files[fname] = text
            steer.record(text)
        files["outputs.tf"] = gen_outputs(root, rng)
        steer.record(files["outputs.tf"])

        for fname, text in files.items():
            p = rdir / fname
            p.parent.mkdir(parents=True, exist_ok=True)
            p.write_text(text)
            tf_lines.append(nlines(text))
        (rdir / "terraform.tfvars").write_text(gen_tfvars(root, rng, cat))
        tfvars += 1
        for rtype, _, _ in root.resources:
            resource_types[rtype] += 1
    assert len(tf_lines) == n_files, (len(tf_lines), n_files)
    return {
        "tf_files": len(tf_lines),
        "tfvars_files": tfvars,
        "root_modules": n_roots,
        "local_module_dirs": n_module_dirs,
        "tf_total_lines": sum(tf_lines),
        "tf_mean_lines": round(sum(tf_lines) / len(tf_lines), 1),
        "tf_min_lines": min(tf_lines),
        "tf_max_lines": max(tf_lines),
        "tf_resource_blocks": sum(resource_types.values()),
        "tf_resource_types": dict(sorted(resource_types.items())),
    }


# --------------------------------------------------------------------------
# Kubernetes YAML
# --------------------------------------------------------------------------

_YAML_RESERVED = {"", "~", "null", "true", "false", "yes", "no", "on", "off", "y", "n"}
_NUMLIKE = re.compile(r"^[-+]?(\.?[0-9][0-9_.:eE+-]*|\.inf|\.nan|0x[0-9a-fA-F]+|0o[0-7]+)$", re.I)
_SAFE = re.compile(r"^[A-Za-z0-9_/.$(][A-Za-z0-9 _./:@$()=+,%*<>~-]*$")


def yscalar(v) -> str:
    if v is None:
        return "null"
    if v is True:
        return "true"
    if v is False:
        return "false"
    if isinstance(v, (int, float)):
        return repr(v)
    s = str(v)
    if (s.lower() in _YAML_RESERVED or _NUMLIKE.match(s) or not _SAFE.match(s) or ": " in s
            or " #" in s or s.endswith(":") or s != s.strip()):
        return json.dumps(s)
    return s


def yinline(v) -> str:
    if isinstance(v, dict):
        return "{}"
    if isinstance(v, list):
        return "[]"
    return yscalar(v)


def ydump(obj, indent_lists: bool = False) -> str:
    lines: list = []

    def emit_map(d, ind):
        pad = " " * ind
        for k, v in d.items():
            key = yscalar(k)
            if isinstance(v, dict) and v:
                lines.append(f"{pad}{key}:")
                emit_map(v, ind + 2)
            elif isinstance(v, list) and v:
                lines.append(f"{pad}{key}:")
                emit_list(v, ind + 2 if indent_lists else ind)
            elif isinstance(v, str) and "\n" in v:
                lines.append(f"{pad}{key}: |" + ("" if v.endswith("\n") else "-"))
                for ln in v.rstrip("\n").split("\n"):
                    lines.append(f"{pad}  {ln}" if ln else "")
            else:
                lines.append(f"{pad}{key}: {yinline(v)}")

    def emit_list(items, ind):
        pad = " " * ind
        for it in items:
            if isinstance(it, dict) and it:
                start = len(lines)
                emit_map(it, ind + 2)
                lines[start] = pad + "- " + lines[start][ind + 2:]
            elif isinstance(it, list) and it:
                start = len(lines)
                emit_list(it, ind + 2)
                lines[start] = pad + "- " + lines[start][ind + 2:]
            else:
                lines.append(f"{pad}- {yinline(it)}")

    emit_map(obj, 0)
    return "\n".join(lines) + "\n"


LLM_MODELS = [
    ("meta-llama/Llama-3.1-8B-Instruct", "llama31-8b", 1),
    ("meta-llama/Llama-3.1-70B-Instruct", "llama31-70b", 4),
    ("meta-llama/Llama-3.3-70B-Instruct", "llama33-70b", 8),
    ("mistralai/Mistral-7B-Instruct-v0.3", "mistral-7b", 1),
    ("mistralai/Mixtral-8x7B-Instruct-v0.1", "mixtral-8x7b", 2),
    ("Qwen/Qwen2.5-72B-Instruct", "qwen25-72b", 4),
    ("Qwen/Qwen2.5-7B-Instruct", "qwen25-7b", 1),
    ("BAAI/bge-large-en-v1.5", "bge-large", 1),
    ("google/gemma-2-27b-it", "gemma2-27b", 2),
    ("codellama/CodeLlama-34b-Instruct-hf", "codellama-34b", 2),
    ("microsoft/Phi-3-mini-4k-instruct", "phi3-mini", 1),
    ("openai/whisper-large-v3", "whisper-large", 1),
]

ENGINES = {
    "vllm": ("vllm/vllm-openai", ["v0.5.4", "v0.6.3.post1", "v0.6.6", "v0.7.2"], 8000),
    "tgi": ("ghcr.io/huggingface/text-generation-inference", ["2.0.4", "2.3.1", "2.4.0", "3.0.1"], 80),
    "triton": ("nvcr.io/nvidia/tritonserver", ["24.05-py3", "24.08-py3", "24.10-trtllm-python-py3"], 8000),
}

CLUSTERS = [
    ("eks-ml-prod-use1", "aws"), ("eks-ml-staging-use1", "aws"), ("eks-research-usw2", "aws"),
    ("eks-inference-prod-euw1", "aws"), ("eks-batch-prod-use1", "aws"), ("gke-genai-prod", "gcp"),
    ("gke-ml-dev", "gcp"), ("aks-ml-prod-weu", "azure"),
]
NAMESPACES = ["inference", "llm-serving", "training", "batch", "ray", "platform", "search", "rag",
              "eval", "embeddings"]


def gpu_node(rng, cloud, gpus):
    """Return (nodeSelector dict, gpus actually requested)."""
    if cloud == "aws":
        opts = {1: ["g5.xlarge", "g5.2xlarge", "g6.xlarge", "g5.4xlarge", "g6e.2xlarge"],
                2: ["g5.12xlarge", "g6.12xlarge"], 4: ["g5.12xlarge", "g6.12xlarge", "g4dn.12xlarge"],
                8: ["p4d.24xlarge", "g5.48xlarge", "p5.48xlarge"]}[gpus]
        t = rng.choice(opts)
        if rng.random() < 0.05:
            t = "p4d.24xlarge"  # classic over-provisioning
        sel = {"node.kubernetes.io/instance-type": t}
        if rng.random() < 0.3:
            sel["karpenter.sh/capacity-type"] = rng.choice(["spot", "on-demand"])
        return sel
    if cloud == "gcp":
        acc, mt = {1: ("nvidia-l4", "g2-standard-8"), 2: ("nvidia-l4", "g2-standard-24"),
                   4: ("nvidia-l4", "g2-standard-48"), 8: ("nvidia-tesla-a100", "a2-highgpu-8g")}[gpus]
        sel = {"cloud.google.com/gke-accelerator": acc}
        if rng.random() < 0.5:
            sel["node.kubernetes.io/instance-type"] = mt
        if rng.random() < 0.3:
            sel["cloud.google.com/gke-spot"] = "true"
        return sel
    t = {1: "Standard_NC24ads_A100_v4", 2: "Standard_NC48ads_A100_v4", 4: "Standard_NC96ads_A100_v4",
         8: "Standard_ND96asr_v4"}[gpus]
    return {"node.kubernetes.io/instance-type": t, "agentpool": "gpu"}


def gpu_qty(rng, n):
    return str(n) if rng.random() < 0.6 else n


def helm_labels(chart, version, release, component=None, app_version=None):
    d = {"helm.sh/chart": f"{chart}-{version}", "app.kubernetes.io/name": chart,
         "app.kubernetes.io/instance": release}
    if component:
        d["app.kubernetes.io/component"] = component
    if app_version:
        d["app.kubernetes.io/version"] = app_version
    d["app.kubernetes.io/managed-by"] = "Helm"
    return d


def gpu_tolerations(rng, cloud):
    t = [{"key": "nvidia.com/gpu", "operator": "Exists", "effect": "NoSchedule"}]
    if cloud == "azure" and rng.random() < 0.5:
        t.append({"key": "kubernetes.azure.com/scalesetpriority", "operator": "Equal",
                  "value": "spot", "effect": "NoSchedule"})
    return t


class K8sCtx:
    def __init__(self, rng, cluster, cloud, ns):
        self.rng, self.cluster, self.cloud, self.ns = rng, cluster, cloud, ns


def inference_container(rng, engine, model, gpus):
    hf, slug, _ = model
    image, versions, port = ENGINES[engine]
    tag = rng.choice(versions)
    mem = {1: "32Gi", 2: "64Gi", 4: "160Gi", 8: "480Gi"}[gpus]
    cpu = {1: "6", 2: "12", 4: "24", 8: "48"}[gpus]
    if engine == "vllm":
        args = ["--model", hf, "--tensor-parallel-size", str(gpus), "--max-model-len",
                rng.choice(["4096", "8192", "32768"]), "--gpu-memory-utilization",
                rng.choice(["0.85", "0.90", "0.95"]), "--port", str(port)]
        if rng.random() < 0.3:
            args += ["--enable-prefix-caching"]
        c = {"name": "vllm", "image": f"{image}:{tag}", "imagePullPolicy": "IfNotPresent",
             "args": args}
        probe_path = "/health"
    elif engine == "tgi":
        c = {"name": "tgi", "image": f"{image}:{tag}",
             "args": ["--model-id", hf, "--num-shard", str(gpus), "--port", str(port),
                      "--max-input-tokens", "4096", "--max-total-tokens", "8192"]}
        probe_path = "/health"
    else:
        c = {"name": "triton", "image": f"{image}:{tag}",
             "command": ["tritonserver"],
             "args": [f"--model-repository=s3://acme-models/triton/{slug}", "--strict-model-config=false",
                      "--log-verbose=0", "--metrics-port=8002"]}
        probe_path = "/v2/health/ready"
    ports = [{"name": "http", "containerPort": port, "protocol": "TCP"}]
    if engine == "triton":
        ports += [{"name": "grpc", "containerPort": 8001, "protocol": "TCP"},
                  {"name": "metrics", "containerPort": 8002, "protocol": "TCP"}]
    c["ports"] = ports
    c["env"] = [{"name": "HF_HOME", "value": "/models/.cache"},
                {"name": "HUGGING_FACE_HUB_TOKEN",
                 "valueFrom": {"secretKeyRef": {"name": "hf-token", "key": "token"}}}]
    if rng.random() < 0.5:
        c["env"].append({"name": "NCCL_DEBUG", "value": "WARN"})
    limits = {"nvidia.com/gpu": gpu_qty(rng, gpus), "memory": mem}
    requests = {"cpu": cpu, "memory": mem, "nvidia.com/gpu": gpu_qty(rng, gpus)}
    if rng.random() < 0.1:
        requests = {"cpu": cpu, "memory": mem}  # limits only: requests default to limits
    c["resources"] = {"requests": requests, "limits": limits}
    c["readinessProbe"] = {"httpGet": {"path": probe_path, "port": "http"},
                           "initialDelaySeconds": rng.choice([30, 60, 120]), "periodSeconds": 10,
                           "failureThreshold": 30}
    c["livenessProbe"] = {"httpGet": {"path": probe_path, "port": "http"},
                          "initialDelaySeconds": 600, "periodSeconds": 30}
    c["volumeMounts"] = [{"name": "dshm", "mountPath": "/dev/shm"},
                         {"name": "model-cache", "mountPath": "/models"}]
    return c


def inference_volumes(rng, release):
    vols = [{"name": "dshm", "emptyDir": {"medium": "Memory", "sizeLimit": rng.choice(["8Gi", "16Gi", "32Gi"])}}]
    if rng.random() < 0.5:
        vols.append({"name": "model-cache", "persistentVolumeClaim": {"claimName": f"{release}-model-cache"}})
    else:
        vols.append({"name": "model-cache", "emptyDir": {}})
    return vols


def meta(name, ns, labels=None, annotations=None, namespaced=True):
    m = {"name": name}
    if namespaced:
        m["namespace"] = ns
    if labels:
        m["labels"] = labels
    if annotations:
        m["annotations"] = annotations
    return m


def d_deployment_gpu(ctx, release, chart, version, engine, model, labels):
    rng = ctx.rng
    gpus = model[2]
    sel = {"app.kubernetes.io/name": chart, "app.kubernetes.io/instance": release}
    spec = {
        "replicas": rng.choice([1, 1, 2, 3, 4]),
        "revisionHistoryLimit": 3,
        "selector": {"matchLabels": sel},
        "strategy": {"type": "RollingUpdate", "rollingUpdate": {"maxSurge": rng.choice([0, 1]), "maxUnavailable": 1}},
        "template": {
            "metadata": {"labels": {**sel, "model": model[1]},
                         "annotations": {"prometheus.io/scrape": "true", "prometheus.io/port": str(ENGINES[engine][2])}},
            "spec": {
                "serviceAccountName": release,
                "terminationGracePeriodSeconds": 120,
                "nodeSelector": gpu_node(rng, ctx.cloud, gpus),
                "tolerations": gpu_tolerations(rng, ctx.cloud),
                "containers": [inference_container(rng, engine, model, gpus)],
                "volumes": inference_volumes(rng, release),
            },
        },
    }
    if rng.random() < 0.2:
        spec["template"]["spec"]["priorityClassName"] = "inference-critical"
    return {"apiVersion": "apps/v1", "kind": "Deployment",
            "metadata": meta(release, ctx.ns, labels), "spec": spec}


def d_deployment_cpu(ctx, name, labels, image):
    rng = ctx.rng
    sel = {"app.kubernetes.io/name": name}
    c = {"name": name, "image": image, "ports": [{"name": "http", "containerPort": 8080}],
         "resources": {"requests": {"cpu": rng.choice(["100m", "250m", "500m", "1"]),
                                    "memory": rng.choice(["128Mi", "256Mi", "512Mi", "1Gi"])},
                       "limits": {"memory": rng.choice(["512Mi", "1Gi", "2Gi"])}}}
    if rng.random() < 0.3:
        c["resources"]["limits"]["cpu"] = "2"
    spec = {"replicas": rng.choice([1, 2, 3, 6]), "selector": {"matchLabels": sel},
            "template": {"metadata": {"labels": sel}, "spec": {"containers": [c]}}}
    if rng.random() < 0.3:
        spec["template"]["spec"]["nodeSelector"] = {"node.kubernetes.io/instance-type":
                                                    rng.choice(["m6i.large", "m6i.xlarge", "c6i.2xlarge", "e2-standard-4"])}
    return {"apiVersion": "apps/v1", "kind": "Deployment", "metadata": meta(name, ctx.ns, labels), "spec": spec}


def d_service(ctx, name, labels, port, target="http", lb=False):
    rng = ctx.rng
    ann = None
    spec = {"type": "ClusterIP", "ports": [{"name": "http", "port": port, "targetPort": target, "protocol": "TCP"}],
            "selector": {"app.kubernetes.io/name": labels.get("app.kubernetes.io/name", name),
                         "app.kubernetes.io/instance": labels.get("app.kubernetes.io/instance", name)}}
    if lb:
        spec["type"] = "LoadBalancer"
        ann = {"service.beta.kubernetes.io/aws-load-balancer-type": "nlb",
               "service.beta.kubernetes.io/aws-load-balancer-internal": "true"} if ctx.cloud == "aws" else \
              {"networking.gke.io/load-balancer-type": "Internal"} if ctx.cloud == "gcp" else \
              {"service.beta.kubernetes.io/azure-load-balancer-internal": "true"}
    if rng.random() < 0.2:
        spec["ports"].append({"name": "metrics", "port": 9090, "targetPort": 9090})
    return {"apiVersion": "v1", "kind": "Service", "metadata": meta(name, ctx.ns, labels, ann), "spec": spec}


def d_ingress(ctx, name, labels, svc, port):
    rng = ctx.rng
    cls = {"aws": "alb", "gcp": "gce-internal", "azure": "nginx"}[ctx.cloud] if rng.random() < 0.6 else "nginx"
    ann = {}
    if cls == "alb":
        ann = {"alb.ingress.kubernetes.io/scheme": "internal", "alb.ingress.kubernetes.io/target-type": "ip",
               "alb.ingress.kubernetes.io/healthcheck-path": "/health"}
    elif cls == "nginx":
        ann = {"nginx.ingress.kubernetes.io/proxy-read-timeout": "600",
               "nginx.ingress.kubernetes.io/proxy-body-size": "64m"}
    host = f"{name}.{ctx.ns}.ml.acme.internal"
    return {"apiVersion": "networking.k8s.io/v1", "kind": "Ingress",
            "metadata": meta(name, ctx.ns, labels, ann or None),
            "spec": {"ingressClassName": cls,
                     "tls": [{"hosts": [host], "secretName": f"{name}-tls"}] if rng.random() < 0.5 else [],
                     "rules": [{"host": host, "http": {"paths": [
                         {"path": "/", "pathType": "Prefix",
                          "backend": {"service": {"name": svc, "port": {"number": port}}}}]}}]}}


def d_hpa(ctx, name, labels, target_kind="Deployment"):
    rng = ctx.rng
    if rng.random() < 0.5:
        metrics = [{"type": "Resource", "resource": {"name": "cpu", "target": {"type": "Utilization",
                                                                                "averageUtilization": rng.choice([60, 70, 80])}}}]
    else:
        metrics = [{"type": "Pods", "pods": {"metric": {"name": rng.choice(["vllm:num_requests_waiting",
                                                                            "tgi_queue_size", "nv_inference_queue_duration_us"])},
                                             "target": {"type": "AverageValue", "averageValue": rng.choice(["5", "10", "100m"])}}}]
        if rng.random() < 0.4:
            metrics.append({"type": "External", "external": {
                "metric": {"name": "sqs_messages_visible", "selector": {"matchLabels": {"queue": name}}},
                "target": {"type": "AverageValue", "averageValue": "30"}}})
    return {"apiVersion": "autoscaling/v2", "kind": "HorizontalPodAutoscaler",
            "metadata": meta(name, ctx.ns, labels),
            "spec": {"scaleTargetRef": {"apiVersion": "apps/v1", "kind": target_kind, "name": name},
                     "minReplicas": rng.choice([1, 1, 2]), "maxReplicas": rng.choice([4, 8, 16]),
                     "metrics": metrics,
                     "behavior": {"scaleDown": {"stabilizationWindowSeconds": rng.choice([300, 600, 1800]),
                                                "policies": [{"type": "Pods", "value": 1, "periodSeconds": 300}]}}}}


def d_scaledobject(ctx, name, labels, model_slug):
    rng = ctx.rng
    return {"apiVersion": "keda.sh/v1alpha1", "kind": "ScaledObject",
            "metadata": meta(name, ctx.ns, labels),
            "spec": {"scaleTargetRef": {"name": name},
                     "minReplicaCount": rng.choice([0, 0, 1]), "maxReplicaCount": rng.choice([2, 4, 8]),
                     "pollingInterval": 30, "cooldownPeriod": rng.choice([300, 900, 1800]),
                     "triggers": [{"type": "prometheus", "metadata": {
                         "serverAddress": "http://prometheus-server.monitoring.svc:9090",
                         "query": f'sum(vllm:num_requests_running{{model_name="{model_slug}"}}) + sum(vllm:num_requests_waiting{{model_name="{model_slug}"}})',
                         "threshold": rng.choice(["4", "8", "16"]), "activationThreshold": "1"}}]}}


def d_configmap(ctx, name, labels, kind="model"):
    rng = ctx.rng
    if kind == "model":
        data = {"MODEL_ID": rng.choice(LLM_MODELS)[0], "MAX_BATCH_SIZE": str(rng.choice([8, 16, 32])),
                "LOG_LEVEL": rng.choice(["info", "warning"]),
                "config.json": json.dumps({"max_tokens": 4096, "temperature": 0.7,
                                           "dtype": rng.choice(["bfloat16", "float16"]),
                                           "quantization": rng.choice([None, "awq", "fp8"])}, indent=2) + "\n"}
    else:
        data = {"prometheus.yml": "global:\n  scrape_interval: 30s\nscrape_configs:\n  - job_name: dcgm\n    static_configs:\n      - targets: ['dcgm-exporter:9400']\n",
                "ENV": rng.choice(["dev", "prod"])}
    return {"apiVersion": "v1", "kind": "ConfigMap", "metadata": meta(name, ctx.ns, labels), "data": data}


def d_sa(ctx, name, labels):
    ann = None
    if ctx.cloud == "aws":
        ann = {"eks.amazonaws.com/role-arn": f"arn:aws:iam::123456789012:role/{name}-irsa"}
    elif ctx.cloud == "gcp":
        ann = {"iam.gke.io/gcp-service-account": f"{name[:20]}@acme-ml.iam.gserviceaccount.com"}
    return {"apiVersion": "v1", "kind": "ServiceAccount", "metadata": meta(name, ctx.ns, labels, ann)}


def d_pdb(ctx, name, labels):
    return {"apiVersion": "policy/v1", "kind": "PodDisruptionBudget", "metadata": meta(name, ctx.ns, labels),
            "spec": {"maxUnavailable": 1, "selector": {"matchLabels": {"app.kubernetes.io/name": labels["app.kubernetes.io/name"]}}}}


def gpu_pod_spec(ctx, image, command, gpus, restart="Never"):
    rng = ctx.rng
    return {"restartPolicy": restart,
            "nodeSelector": gpu_node(rng, ctx.cloud, gpus),
            "tolerations": gpu_tolerations(rng, ctx.cloud),
            "containers": [{"name": "main", "image": image, "command": command,
                            "resources": {"requests": {"cpu": str(8 * gpus), "memory": f"{32 * gpus}Gi",
                                                       "nvidia.com/gpu": gpu_qty(rng, gpus)},
                                          "limits": {"nvidia.com/gpu": gpu_qty(rng, gpus)}},
                            "volumeMounts": [{"name": "dshm", "mountPath": "/dev/shm"}]}],
            "volumes": [{"name": "dshm", "emptyDir": {"medium": "Memory"}}]}


TRAIN_IMAGES = ["nvcr.io/nvidia/pytorch:24.08-py3", "pytorch/pytorch:2.4.1-cuda12.1-cudnn9-runtime",
                "123456789012.dkr.ecr.us-east-1.amazonaws.com/ml/trainer:1.18.2",
                "ghcr.io/acme/finetune:2025.01.3", "rayproject/ray-ml:2.9.0-gpu"]


def d_job(ctx, name, labels, cron=False):
    rng = ctx.rng
    gpus = rng.choice([1, 1, 2, 4, 8])
    cmd = rng.choice([["python", "-m", "eval.run", "--suite", "mmlu"],
                      ["python", "embed.py", "--input", "s3://acme-data/docs/", "--batch-size", "256"],
                      ["bash", "-c", "python prepare.py && torchrun --nproc_per_node=$(nvidia-smi -L | wc -l) train.py"]])
    job_spec = {"backoffLimit": rng.choice([0, 2, 4]),
                "template": {"metadata": {"labels": {"job": name}},
                             "spec": gpu_pod_spec(ctx, rng.choice(TRAIN_IMAGES), cmd, gpus,
                                                  rng.choice(["Never", "OnFailure"]))}}
    if rng.random() < 0.7:
        job_spec["ttlSecondsAfterFinished"] = rng.choice([3600, 86400])
    if rng.random() < 0.5:
        job_spec["activeDeadlineSeconds"] = rng.choice([7200, 86400])
    if not cron:
        return {"apiVersion": "batch/v1", "kind": "Job", "metadata": meta(name, ctx.ns, labels), "spec": job_spec}
    return {"apiVersion": "batch/v1", "kind": "CronJob", "metadata": meta(name, ctx.ns, labels),
            "spec": {"schedule": rng.choice(["0 2 * * *", "*/30 * * * *", "0 6 * * 1", "15 1 * * 1-5"]),
                     "concurrencyPolicy": rng.choice(["Forbid", "Replace", "Allow"]),
                     "successfulJobsHistoryLimit": 3, "failedJobsHistoryLimit": 1,
                     "jobTemplate": {"spec": job_spec}}}


def d_statefulset(ctx, name, labels):
    rng = ctx.rng
    kind = rng.choice(["qdrant", "milvus", "redis", "triton-cache"])
    image = {"qdrant": "qdrant/qdrant:v1.11.3", "milvus": "milvusdb/milvus:v2.4.9",
             "redis": "redis:7.2-alpine", "triton-cache": "nvcr.io/nvidia/tritonserver:24.08-py3"}[kind]
    sel = {"app.kubernetes.io/name": name}
    res = {"requests": {"cpu": rng.choice(["1", "2", "4"]), "memory": rng.choice(["4Gi", "8Gi", "16Gi"])}}
    spec_pod = {"containers": [{"name": kind, "image": image, "ports": [{"containerPort": 6333, "name": "http"}],
                                "resources": res,
                                "volumeMounts": [{"name": "data", "mountPath": "/data"}]}]}
    if kind == "triton-cache":
        res["limits"] = {"nvidia.com/gpu": gpu_qty(rng, 1)}
        spec_pod["nodeSelector"] = gpu_node(rng, ctx.cloud, 1)
        spec_pod["tolerations"] = gpu_tolerations(rng, ctx.cloud)
    sc = {"aws": "gp3", "gcp": "premium-rwo", "azure": "managed-csi-premium"}[ctx.cloud]
    return {"apiVersion": "apps/v1", "kind": "StatefulSet", "metadata": meta(name, ctx.ns, labels),
            "spec": {"serviceName": f"{name}-headless", "replicas": rng.choice([1, 3, 3, 5]),
                     "podManagementPolicy": "Parallel", "selector": {"matchLabels": sel},
                     "template": {"metadata": {"labels": sel}, "spec": spec_pod},
                     "volumeClaimTemplates": [{"metadata": {"name": "data"},
                                               "spec": {"accessModes": ["ReadWriteOnce"], "storageClassName": sc,
                                                        "resources": {"requests": {"storage": rng.choice(["50Gi", "100Gi", "500Gi", "1Ti"])}}}}]}}


def d_nodepool(ctx, name):
    rng = ctx.rng
    fams = rng.sample(["g5", "g6", "g6e", "p4d", "p5", "g4dn"], rng.randint(1, 3))
    reqs = [{"key": "karpenter.k8s.aws/instance-family", "operator": "In", "values": fams},
            {"key": "karpenter.sh/capacity-type", "operator": "In",
             "values": rng.choice([["spot"], ["on-demand"], ["spot", "on-demand"]])},
            {"key": "kubernetes.io/arch", "operator": "In", "values": ["amd64"]}]
    if rng.random() < 0.5:
        reqs.append({"key": "karpenter.k8s.aws/instance-gpu-count", "operator": "Gt", "values": ["0"]})
    if rng.random() < 0.3:
        reqs.append({"key": "karpenter.k8s.aws/instance-size", "operator": "NotIn", "values": ["metal", "48xlarge"]})
    spec = {"template": {"metadata": {"labels": {"workload": name, "nvidia.com/gpu.present": "true"}},
                         "spec": {"nodeClassRef": {"group": "karpenter.k8s.aws", "kind": "EC2NodeClass", "name": name},
                                  "requirements": reqs,
                                  "taints": [{"key": "nvidia.com/gpu", "value": "true", "effect": "NoSchedule"}],
                                  "expireAfter": rng.choice(["720h", "168h", "Never"])}},
            "disruption": {"consolidationPolicy": rng.choice(["WhenEmptyOrUnderutilized", "WhenEmpty"]),
                           "consolidateAfter": rng.choice(["30s", "1m", "5m", "30m"])},
            "weight": rng.choice([10, 50, 100])}
    if rng.random() < 0.8:
        spec["limits"] = {"cpu": str(rng.choice([256, 1000])), "memory": f"{rng.choice([1000, 4000])}Gi",
                          "nvidia.com/gpu": str(rng.choice([8, 16, 64]))}
    if rng.random() < 0.3:
        spec["disruption"]["budgets"] = [{"nodes": "10%"}, {"nodes": "0", "schedule": "0 9 * * mon-fri", "duration": "8h"}]
    return {"apiVersion": "karpenter.sh/v1", "kind": "NodePool", "metadata": {"name": name}, "spec": spec}


def d_ec2nodeclass(ctx, name):
    rng = ctx.rng
    return {"apiVersion": "karpenter.k8s.aws/v1", "kind": "EC2NodeClass", "metadata": {"name": name},
            "spec": {"role": f"KarpenterNodeRole-{ctx.cluster}",
                     "amiSelectorTerms": [{"alias": rng.choice(["al2023@latest", "bottlerocket@latest", "al2@v20240807"])}],
                     "subnetSelectorTerms": [{"tags": {"karpenter.sh/discovery": ctx.cluster}}],
                     "securityGroupSelectorTerms": [{"tags": {"karpenter.sh/discovery": ctx.cluster}}],
                     "blockDeviceMappings": [{"deviceName": "/dev/xvda", "ebs": {
                         "volumeSize": rng.choice(["200Gi", "500Gi"]), "volumeType": "gp3", "encrypted": True,
                         "deleteOnTermination": True}}],
                     "tags": {"team": "ml-platform", "cost-center": "CC-4200"}}}


def d_pytorchjob(ctx, name, labels):
    rng = ctx.rng
    gpus = rng.choice([1, 4, 8, 8])
    workers = rng.choice([1, 2, 3, 7])
    image = rng.choice(TRAIN_IMAGES[:4])

    def replica(n):
        pod = gpu_pod_spec(ctx, image, ["torchrun", f"--nproc_per_node={gpus}", "train.py",
                                        "--config", f"configs/{name}.yaml"], gpus, "OnFailure")
        pod.pop("restartPolicy")
        pod["containers"][0]["name"] = "pytorch"
        return {"replicas": n, "restartPolicy": "OnFailure", "template": {"spec": pod}}

    return {"apiVersion": "kubeflow.org/v1", "kind": "PyTorchJob", "metadata": meta(name, ctx.ns, labels),
            "spec": {"runPolicy": {"cleanPodPolicy": rng.choice(["None", "Running", "All"]),
                                   "ttlSecondsAfterFinished": rng.choice([3600, 86400, 604800])},
                     "pytorchReplicaSpecs": {"Master": replica(1), "Worker": replica(workers)}}}


def d_raycluster(ctx, name, labels):
    rng = ctx.rng
    ver = rng.choice(["2.9.0", "2.23.0", "2.34.0"])
    gpus = rng.choice([1, 1, 4])
    head = {"name": "ray-head", "image": f"rayproject/ray-ml:{ver}-py310-cpu",
            "ports": [{"containerPort": 6379, "name": "gcs"}, {"containerPort": 8265, "name": "dashboard"},
                      {"containerPort": 10001, "name": "client"}],
            "resources": {"requests": {"cpu": "4", "memory": "16Gi"}, "limits": {"cpu": "4", "memory": "16Gi"}}}
    worker_pod = gpu_pod_spec(ctx, f"rayproject/ray-ml:{ver}-py310-gpu", ["/bin/bash", "-lc", "--"], gpus)
    worker_pod.pop("restartPolicy")
    worker_pod["containers"][0]["name"] = "ray-worker"
    worker_pod["containers"][0].pop("command")
    groups = [{"groupName": "gpu-workers", "replicas": rng.choice([0, 1, 2]), "minReplicas": 0,
               "maxReplicas": rng.choice([4, 8, 16]), "rayStartParams": {"num-gpus": str(gpus)},
               "template": {"spec": worker_pod}}]
    if rng.random() < 0.4:
        groups.append({"groupName": "cpu-workers", "replicas": 1, "minReplicas": 1, "maxReplicas": 10,
                       "rayStartParams": {},
                       "template": {"spec": {"containers": [{"name": "ray-worker", "image": f"rayproject/ray:{ver}",
                                                             "resources": {"requests": {"cpu": "8", "memory": "32Gi"}}}]}}})
    return {"apiVersion": "ray.io/v1", "kind": "RayCluster", "metadata": meta(name, ctx.ns, labels),
            "spec": {"rayVersion": ver, "enableInTreeAutoscaling": True,
                     "autoscalerOptions": {"idleTimeoutSeconds": rng.choice([60, 300, 900]), "upscalingMode": "Default"},
                     "headGroupSpec": {"rayStartParams": {"dashboard-host": "0.0.0.0", "num-cpus": "0"},
                                       "template": {"spec": {"containers": [head]}}},
                     "workerGroupSpecs": groups}}


def render_docs(docs, helm_sources, indent_lists, rng) -> str:
    out = []
    for i, d in enumerate(docs):
        body = ydump(d, indent_lists)
        if helm_sources:
            out.append(f"---\n# Source: {helm_sources[i]}\n{body}")
        else:
            out.append(("---\n" if (i or rng.random() < 0.5) else "") + body)
    return "".join(out)


def k8s_file(ctx: K8sCtx, kind: str, idx: int):
    """Return (filename stem, list of docs, helm source paths or None)."""
    rng = ctx.rng
    if kind == "helm_inference":
        engine = rng.choice(["vllm", "vllm", "tgi", "triton"])
        model = rng.choice(LLM_MODELS)
        chart = {"vllm": "vllm-stack", "tgi": "text-generation-inference", "triton": "triton-inference-server"}[engine]
        version = rng.choice(["0.1.4", "0.4.2", "1.2.0", "2.0.1"])
        release = f"{model[1]}-{engine}"
        labels = helm_labels(chart, version, release, "server", ENGINES[engine][1][0])
        parts = [("deployment.yaml", d_deployment_gpu(ctx, release, chart, version, engine, model, labels))]
        port = ENGINES[engine][2]
        parts.append(("service.yaml", d_service(ctx, release, labels, port, lb=rng.random() < 0.2)))
        extra = []
        if rng.random() < 0.5:
            extra.append(("serviceaccount.yaml", d_sa(ctx, release, labels)))
        if rng.random() < 0.4:
            extra.append(("configmap.yaml", d_configmap(ctx, f"{release}-config", labels)))
        r = rng.random()
        if r < 0.35:
            extra.append(("hpa.yaml", d_hpa(ctx, release, labels)))
        elif r < 0.65:
            extra.append(("scaledobject.yaml", d_scaledobject(ctx, release, labels, model[1])))
        if rng.random() < 0.4:
            extra.append(("ingress.yaml", d_ingress(ctx, release, labels, release, port)))
        if rng.random() < 0.2:
            extra.append(("pdb.yaml", d_pdb(ctx, release, labels)))
        parts = (extra[:1] + parts + extra[1:])[:6]
        return release, [d for _, d in parts], [f"{chart}/templates/{f}" for f, _ in parts]
    if kind == "helm_app":
        name = rng.choice(["llm-gateway", "rag-api", "embedding-router", "chat-frontend", "feature-server",
                           "prompt-cache", "eval-dashboard", "model-registry"])
        version = rng.choice(["0.3.1", "1.0.0", "1.4.7"])
        labels = helm_labels(name, version, name, app_version=version)
        image = f"123456789012.dkr.ecr.us-east-1.amazonaws.com/{name}:{rng.choice(['1.2.3', '2.0.0', 'sha-4f2a9c1'])}"
        parts = [("deployment.yaml", d_deployment_cpu(ctx, name, labels, image)),
                 ("service.yaml", d_service(ctx, name, labels, 80))]
        opts = [("configmap.yaml", d_configmap(ctx, f"{name}-config", labels)),
                ("hpa.yaml", d_hpa(ctx, name, labels)),
                ("ingress.yaml", d_ingress(ctx, name, labels, name, 80)),
                ("serviceaccount.yaml", d_sa(ctx, name, labels))]
        parts += rng.sample(opts, rng.randint(0, 4))
        return name, [d for _, d in parts], [f"{name}/templates/{f}" for f, _ in parts]
    if kind == "job":
        name = rng.choice(["nightly-eval", "embed-backfill", "finetune-lora", "batch-transcribe",
                           "dataset-dedup", "reindex-vectors"]) + f"-{idx}"
        labels = {"app.kubernetes.io/name": name, "team": rng.choice(TEAMS)}
        docs = [d_job(ctx, name, labels, cron=rng.random() < 0.5)]
        if rng.random() < 0.4:
            docs.insert(0, d_configmap(ctx, f"{name}-config", labels))
        return name, docs, None
    if kind == "statefulset":
        name = rng.choice(["qdrant", "milvus", "redis-cache", "triton-cache"]) + f"-{idx}"
        labels = {"app.kubernetes.io/name": name}
        docs = [d_statefulset(ctx, name, labels), d_service(ctx, f"{name}-headless", labels, 6333)]
        docs[1]["spec"]["clusterIP"] = "None"
        if rng.random() < 0.5:
            docs.append(d_configmap(ctx, f"{name}-config", labels, kind="other"))
        if rng.random() < 0.3:
            docs.append(d_pdb(ctx, name, labels))
        return name, docs, ([f"{name.rsplit('-', 1)[0]}/templates/{d['kind'].lower()}.yaml" for d in docs]
                            if rng.random() < 0.5 else None)
    if kind == "karpenter":
        name = rng.choice(["gpu-inference", "gpu-training", "gpu-batch", "gpu-spot", "gpu-a100", "gpu-l4"])
        docs = [d_nodepool(ctx, name)]
        if rng.random() < 0.6:
            docs.append(d_ec2nodeclass(ctx, name))
        if rng.random() < 0.3:
            name2 = name + "-od"
            docs.append(d_nodepool(ctx, name2))
        return f"nodepool-{name}-{idx}", docs, (["karpenter-nodepools/templates/nodepool.yaml"] * len(docs)
                                               if rng.random() < 0.4 else None)
    if kind == "pytorchjob":
        name = rng.choice(["llama-sft", "mixtral-dpo", "bert-pretrain", "vit-finetune", "reward-model"]) + f"-{idx}"
        labels = {"app.kubernetes.io/name": name, "team": rng.choice(TEAMS)}
        docs = [d_pytorchjob(ctx, name, labels)]
        if rng.random() < 0.3:
            docs.insert(0, d_configmap(ctx, f"{name}-config", labels))
        return name, docs, None
    if kind == "raycluster":
        name = rng.choice(["ray-batch", "ray-serve", "ray-tune", "ray-data"]) + f"-{idx}"
        labels = {"app.kubernetes.io/name": name, "ray.io/cluster": name}
        docs = [d_raycluster(ctx, name, labels)]
        if rng.random() < 0.5:
            svc = d_service(ctx, f"{name}-dashboard", labels, 8265, target=8265)
            docs.append(svc)
        return name, docs, (["kuberay-cluster/templates/raycluster-cluster.yaml", "kuberay-cluster/templates/service.yaml"][:len(docs)]
                            if rng.random() < 0.5 else None)
    if kind == "list":
        name = rng.choice(["exported", "kubectl-get", "snapshot"]) + f"-{idx}"
        model = rng.choice(LLM_MODELS)
        labels = {"app.kubernetes.io/name": model[1]}
        items = [d_deployment_gpu(ctx, model[1], model[1], "0", rng.choice(list(ENGINES)), model, labels),
                 d_service(ctx, model[1], labels, 8000)]
        if rng.random() < 0.5:
            items.append(d_hpa(ctx, model[1], labels))
        docs = [{"apiVersion": "v1", "kind": "List", "metadata": {"resourceVersion": ""}, "items": items}]
        return name, docs, None
    if kind == "configmap":
        name = rng.choice(["model-config", "serving-defaults", "dcgm-exporter-config", "gpu-feature-discovery"]) + f"-{idx}"
        docs = [d_configmap(ctx, name, {"app.kubernetes.io/name": name}, kind=rng.choice(["model", "other"]))]
        return name, docs, None
    # plain kustomize-style deployment(s)
    model = rng.choice(LLM_MODELS)
    engine = rng.choice(list(ENGINES))
    name = f"{model[1]}-{engine}-{idx}"
    labels = {"app.kubernetes.io/name": name, "app.kubernetes.io/instance": name}
    docs = [d_deployment_gpu(ctx, name, name, "0", engine, model, labels),
            d_service(ctx, name, labels, ENGINES[engine][2])]
    if rng.random() < 0.3:
        docs.append(d_hpa(ctx, name, labels))
    return name, docs, None


K8S_KINDS = {"helm_inference": 30, "helm_app": 12, "job": 10, "statefulset": 7, "karpenter": 8,
             "pytorchjob": 8, "raycluster": 7, "list": 6, "configmap": 4, "plain": 8}


def gen_kubernetes(out: Path, n_files: int, rng: random.Random) -> dict:
    docs_total = 0
    kinds = Counter()
    per_file = Counter()
    used = set()
    for i in range(n_files):
        cluster, cloud = rng.choice(CLUSTERS)
        kind = wchoice(rng, K8S_KINDS)
        if kind == "karpenter" and cloud != "aws":
            kind = "helm_inference"
        ns = "karpenter" if kind == "karpenter" else rng.choice(NAMESPACES)
        ctx = K8sCtx(rng, cluster, cloud, ns)
        stem, docs, sources = k8s_file(ctx, kind, i)
        docs = docs[:6]
        if sources:
            sources = (sources + [sources[-1]] * 6)[:len(docs)]
        text = render_docs(docs, sources, indent_lists=rng.random() < 0.5, rng=rng)
        fname = f"{stem}.yaml"
        if (cluster, ns, fname) in used:
            fname = f"{stem}-{i}.yaml"
        used.add((cluster, ns, fname))
        p = out / cluster / ns / fname
        p.parent.mkdir(parents=True, exist_ok=True)
        p.write_text(text)
        docs_total += len(docs)
        per_file[len(docs)] += 1
        for d in docs:
            kinds[d["kind"]] += 1
            for it in d.get("items", []):
                kinds["List/" + it["kind"]] += 1
    return {"k8s_files": n_files, "k8s_docs": docs_total,
            "k8s_docs_per_file": dict(sorted(per_file.items())),
            "k8s_kinds": dict(sorted(kinds.items()))}


# --------------------------------------------------------------------------
# check mode
# --------------------------------------------------------------------------

def check(out: Path, manifest: dict) -> int:
    failures = 0
    try:
        import tree_sitter
        import tree_sitter_hcl
    except ImportError as e:
        print(f"check: cannot import tree-sitter-hcl ({e}); install it or use the dev venv", file=sys.stderr)
        return 2
    parser = tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))
    tf = sorted((out / "terraform").rglob("*.tf")) + sorted((out / "terraform").rglob("*.tfvars"))
    for p in tf:
        if parser.parse(p.read_bytes()).root_node.has_error:
            failures += 1
            print(f"check: HCL parse error: {p}", file=sys.stderr)
    print(f"check: tree-sitter-hcl parsed {len(tf)} files, {failures} with errors")
    n_tf = sum(1 for p in tf if p.suffix == ".tf")
    if n_tf != manifest["tf_files"]:
        failures += 1
        print(f"check: expected {manifest['tf_files']} .tf files, found {n_tf}", file=sys.stderr)
    try:
        import yaml
    except ImportError:
        print("check: PyYAML not installed, skipping YAML check")
        return 1 if failures else 0
    ydocs = yfail = 0
    Loader = getattr(yaml, "CSafeLoader", yaml.SafeLoader)
    files = sorted((out / "kubernetes").rglob("*.yaml"))
    for p in files:
        try:
            docs = [d for d in yaml.load_all(p.read_text(), Loader=Loader) if d is not None]
        except yaml.YAMLError as e:
            yfail += 1
            print(f"check: YAML error in {p}: {e}", file=sys.stderr)
            continue
        if not 1 <= len(docs) <= 6 or not all(isinstance(d, dict) and d.get("kind") for d in docs):
            yfail += 1
            print(f"check: unexpected documents in {p}", file=sys.stderr)
        ydocs += len(docs)
    print(f"check: PyYAML parsed {len(files)} files / {ydocs} documents, {yfail} with errors")
    if ydocs != manifest["k8s_docs"]:
        yfail += 1
        print(f"check: expected {manifest['k8s_docs']} documents, parsed {ydocs}", file=sys.stderr)
    return 1 if failures or yfail else 0


# --------------------------------------------------------------------------

def prepare(out: Path):
    out.mkdir(parents=True, exist_ok=True)
    ours = (out / MANIFEST).exists()
    for sub in ("terraform", "kubernetes"):
        d = out / sub
        if d.exists():
            if not ours:
                raise SystemExit(f"{d} exists and {out / MANIFEST} is missing; refusing to overwrite")
            shutil.rmtree(d)


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0],
                                 formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("out_dir", type=Path)
    ap.add_argument("--tf-files", type=int, default=1000, help="number of .tf files (default 1000)")
    ap.add_argument("--k8s-files", type=int, default=1000, help="number of YAML files (default 1000)")
    ap.add_argument("--seed", type=int, default=42)
    ap.add_argument("--check", action="store_true",
                    help="after generating, parse everything (tree-sitter-hcl, PyYAML) and fail on errors")
    ap.add_argument("--quiet", action="store_true")
    args = ap.parse_args(argv)

    out = args.out_dir
    prepare(out)
    manifest = {"generator_version": GENERATOR_VERSION, "seed": args.seed}
    manifest.update(gen_terraform(out / "terraform", args.tf_files, random.Random(f"tf-{args.seed}")))
    manifest.update(gen_kubernetes(out / "kubernetes", args.k8s_files, random.Random(f"k8s-{args.seed}")))
    (out / MANIFEST).write_text(json.dumps(manifest, indent=2) + "\n")
    if not args.quiet:
        print(f"terraform:  {manifest['tf_files']} .tf files (+{manifest['tfvars_files']} terraform.tfvars) in "
              f"{manifest['root_modules']} root modules ({manifest['local_module_dirs']} with a local module); "
              f"mean {manifest['tf_mean_lines']} lines/file (min {manifest['tf_min_lines']}, "
              f"max {manifest['tf_max_lines']}), {manifest['tf_total_lines']} lines, "
              f"{manifest['tf_resource_blocks']} resource blocks")
        print(f"kubernetes: {manifest['k8s_files']} files, {manifest['k8s_docs']} documents written")
        print(f"manifest:   {out / MANIFEST}")
    if args.check:
        return check(out, manifest)
    return 0


if __name__ == "__main__":
    sys.exit(main())
