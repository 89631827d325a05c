#!/usr/bin/env python3
"""Add a Terraform plan JSON (about 5 MB) and Pulumi programs to a benchmark corpus, deterministically.

    python benchmarks/generate_extra.py CORPUS_DIR [--plan-mb 5] [--pulumi-projects 40] [--seed 42]

- ``CORPUS_DIR/plans/plan.json``: ``terraform show -json`` of a platform with one child module per team
  (``module.team["name"]``), each creating GPU node groups, instances with count, autoscaling groups,
  SageMaker endpoints, S3 buckets and IAM roles; a mix of create, update, replace (delete+create) and delete
  actions; ``tags_all`` from provider ``default_tags``; unknown values (``after_unknown``) and sensitive ones.
- ``CORPUS_DIR/pulumi/``: YAML programs (``runtime: yaml``, config, variables, interpolation) and Python
  programs (aliases, Args classes, constants, config defaults, a loop over a literal list) declaring EC2 GPU
  instances, EKS node groups, GKE node pools and Kubernetes Deployments.

Standard library only.
"""

from __future__ import annotations

import argparse
import json
import random
from pathlib import Path

GPU_TYPES = ["p4d.24xlarge", "g5.12xlarge", "g5.xlarge", "g6.xlarge", "p5.48xlarge", "g5.48xlarge", "g6e.xlarge"]
CPU_TYPES = ["m6i.xlarge", "c6i.2xlarge", "m5.large", "r6i.xlarge"]
TEAMS = ["search", "ranking", "vision", "speech", "llm-serving", "fraud", "ads", "recsys", "genai", "platform",
         "nlp", "forecast"]


def _tags(rng: random.Random, team: str) -> tuple[dict, dict]:
    own = {"project": f"{team}-{rng.choice(['train', 'serve', 'batch', 'eval'])}",
           "workload": rng.choice(["training", "inference", "batch", "fine-tuning"])}
    if rng.random() < 0.7:
        own["environment"] = rng.choice(["production", "staging", "dev"])
    default = {"team": team, "managed-by": "terraform", "cost-center": f"cc-{1000 + TEAMS.index(team)}"}
    return own, {**default, **own}


def _change(rng: random.Random, address: str, module: str, rtype: str, name: str, index: int | None,
            after: dict, unknown: dict) -> dict:
    roll = rng.random()
    actions = ["create"] if roll < 0.55 else ["update"] if roll < 0.8 else ["delete", "create"] if roll < 0.93 \
        else ["delete"]
    before = None if actions == ["create"] else {**after, "id": f"id-{abs(hash(address)) % 10**8}"}
    if actions == ["update"] and "instance_type" in after:
        before["instance_type"] = rng.choice(GPU_TYPES + CPU_TYPES)
    rc = {"address": address, "module_address": module, "mode": "managed", "type": rtype, "name": name,
          "provider_name": "registry.terraform.io/hashicorp/aws",
          "change": {"actions": actions, "before": before, "after": None if actions == ["delete"] else after,
                     "after_unknown": {} if actions == ["delete"] else unknown,
                     "before_sensitive": False if before is None else {},
                     "after_sensitive": False if actions == ["delete"] else {"tags": {}, "tags_all": {}}}}
    if index is not None:
        rc["index"] = index
    return rc


def plan(target_bytes: int, seed: int) -> dict:
    rng = random.Random(seed)
    changes: list[dict] = []
    module_calls: dict = {}
    size = 0
    n = 0
    while size < target_bytes:
        team = TEAMS[n % len(TEAMS)]
        key = f"{team}-{n // len(TEAMS)}"
        module = f'module.team["{key}"]'
        n += 1
        own, all_tags = _tags(rng, team)
        block: list[dict] = []
        itype = rng.choice(GPU_TYPES)
        count = rng.randint(1, 4)
        for i in range(count):
            after = {"ami": "ami-0c7217cdde317cfec", "instance_type": itype, "tags": own, "tags_all": all_tags,
                     "instance_market_options": [] if rng.random() < 0.7 else
                     [{"market_type": "spot", "spot_options": [{"max_price": None}]}],
                     "root_block_device": [{"volume_size": 500, "volume_type": "gp3"}],
                     "subnet_id": "subnet-0a1b2c3d4e5f60718", "user_data": None}
            block.append(_change(rng, f"{module}.aws_instance.worker[{i}]", module, "aws_instance", "worker", i,
                                 after, {"id": True, "arn": True, "private_ip": True, "public_ip": True}))
        ng_type = rng.choice(GPU_TYPES)
        lo = rng.choice([0, 1, 2])
        after = {"cluster_name": "ml-prod", "node_group_name": f"{key}-gpu", "instance_types": [ng_type],
                 "capacity_type": rng.choice(["ON_DEMAND", "SPOT"]), "ami_type": "AL2023_x86_64_NVIDIA",
                 "scaling_config": [{"min_size": lo, "desired_size": max(lo, 1), "max_size": lo + 4}],
                 "labels": {"workload": own["workload"], "team": team}, "tags": own, "tags_all": all_tags,
                 "taint": [{"effect": "NO_SCHEDULE", "key": "nvidia.com/gpu", "value": "present"}]}
        block.append(_change(rng, f"{module}.aws_eks_node_group.gpu", module, "aws_eks_node_group", "gpu", None,
                             after, {"arn": True, "id": True, "resources": True, "status": True}))
        after = {"name": f"{key}-serve", "production_variants": [{
            "variant_name": "AllTraffic", "instance_type": f"ml.{rng.choice(['g5.xlarge', 'g5.2xlarge'])}",
            "initial_instance_count": rng.randint(1, 3), "model_name": f"{key}-model"}],
            "tags": own, "tags_all": all_tags}
        block.append(_change(rng, f"{module}.aws_sagemaker_endpoint_configuration.serve", module,
                             "aws_sagemaker_endpoint_configuration", "serve", None, after, {"arn": True}))
        for extra in ("artifacts", "checkpoints", "datasets"):
            after = {"bucket": f"acme-{key}-{extra}", "force_destroy": False, "tags": own, "tags_all": all_tags}
            block.append(_change(rng, f"{module}.aws_s3_bucket.{extra}", module, "aws_s3_bucket", extra, None,
                                 after, {"arn": True, "id": True, "bucket_domain_name": True}))
        after = {"name": f"{key}-nodes", "assume_role_policy": json.dumps({"Version": "2012-10-17", "Statement": [
            {"Effect": "Allow", "Principal": {"Service": "ec2.amazonaws.com"}, "Action": "sts:AssumeRole"}]}),
            "tags": own, "tags_all": all_tags}
        block.append(_change(rng, f"{module}.aws_iam_role.nodes", module, "aws_iam_role", "nodes", None, after,
                             {"arn": True, "id": True, "unique_id": True}))
        changes.extend(block)
        module_calls.setdefault("team", {"source": "./modules/team", "for_each_expression": {
            "references": ["local.teams"]}, "module": {"resources": [], "variables": {"team": {}}}})
        size += len(json.dumps(block))
    planned = [{"address": c["address"], "mode": "managed", "type": c["type"], "name": c["name"],
                "provider_name": c["provider_name"], "schema_version": 1, "values": c["change"]["after"],
                "sensitive_values": {}} for c in changes if c["change"]["after"] is not None]
    return {"format_version": "1.2", "terraform_version": "1.9.8",
            "variables": {"region": {"value": "us-east-1"}},
            "planned_values": {"root_module": {"child_modules": [{"address": 'module.team["all"]',
                                                                  "resources": planned}]}},
            "resource_changes": changes,
            "configuration": {"provider_config": {"aws": {
                "name": "aws", "full_name": "registry.terraform.io/hashicorp/aws",
                "expressions": {"region": {"references": ["var.region"]},
                                "default_tags": [{"tags": {"references": ["local.default_tags"]}}]}}},
                "root_module": {"module_calls": module_calls}},
            "timestamp": "2026-11-30T09:00:00Z", "applyable": True, "complete": True, "errored": False}


YAML_PROGRAM = """name: {name}
runtime: yaml
description: GPU training and serving for {team}
config:
  instanceType:
    type: string
    default: {itype}
  workers:
    type: integer
    default: {workers}
variables:
  commonTags:
    team: {team}
    cost-center: cc-{cc}
    environment: production
resources:
  trainer:
    type: aws:ec2:Instance
    properties:
      ami: ami-0c7217cdde317cfec
      instanceType: ${{instanceType}}
      tags:
        Name: {name}-trainer
        workload: training
        team: ${{commonTags.team}}
  serving:
    type: aws:eks:NodeGroup
    properties:
      clusterName: ml-prod
      nodeRoleArn: arn:aws:iam::123456789012:role/nodes
      subnetIds: [subnet-0a1b2c3d4e5f60718]
      instanceTypes: [{serve_type}]
      capacityType: ON_DEMAND
      scalingConfig:
        minSize: 1
        desiredSize: 2
        maxSize: 6
      labels:
        workload: inference
      tags: ${{commonTags}}
  gke-pool:
    type: gcp:container:NodePool
    properties:
      cluster: ml-gke
      location: us-central1
      initialNodeCount: 1
      nodeConfig:
        machineType: g2-standard-8
        guestAccelerators:
          - type: nvidia-l4
            count: 1
        labels:
          workload: batch
"""

PYTHON_PROGRAM = '''"""{team}: batch runners and a training node group."""
import pulumi
import pulumi_aws as aws
from pulumi_aws import eks
from pulumi_aws.ec2 import Instance, InstanceArgs

cfg = pulumi.Config()
TEAM_TAGS = {{"team": "{team}", "cost-center": "cc-{cc}", "environment": cfg.get("env") or "production"}}
POOL_TYPE = cfg.get("poolType") or "{itype}"
RUNNERS = ["{team}-a", "{team}-b", "{team}-c"]

for name in RUNNERS:
    Instance(name, InstanceArgs(instance_type="{runner_type}", ami="ami-0c7217cdde317cfec",
                                tags={{**TEAM_TAGS, "workload": "batch"}}))

eks.NodeGroup(
    "trainer",
    cluster_name="ml-prod",
    node_role_arn="arn:aws:iam::123456789012:role/nodes",
    subnet_ids=["subnet-0a1b2c3d4e5f60718"],
    instance_types=[POOL_TYPE],
    capacity_type="ON_DEMAND",
    scaling_config=eks.NodeGroupScalingConfigArgs(min_size=1, desired_size=2, max_size=4),
    labels={{"workload": "training"}},
    tags=TEAM_TAGS,
)

aws.s3.BucketV2("checkpoints", bucket="acme-{team}-checkpoints", tags=TEAM_TAGS)
'''


def pulumi_projects(root: Path, count: int, seed: int) -> int:
    rng = random.Random(seed + 1)
    for i in range(count):
        team = TEAMS[i % len(TEAMS)]
        name = f"{team}-{i}"
        project = root / name
        project.mkdir(parents=True, exist_ok=True)
        values = {"name": name, "team": team, "cc": 1000 + TEAMS.index(team), "itype": rng.choice(GPU_TYPES),
                  "workers": rng.randint(1, 4), "serve_type": rng.choice(GPU_TYPES),
                  "runner_type": rng.choice(GPU_TYPES)}
        if i % 2 == 0:
            (project / "Pulumi.yaml").write_text(YAML_PROGRAM.format(**values))
        else:
            (project / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
            (project / "__main__.py").write_text(PYTHON_PROGRAM.format(**values))
            (project / "Pulumi.prod.yaml").write_text(f"config:\n  {name}:poolType: {rng.choice(GPU_TYPES)}\n")
    return count


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("corpus", type=Path)
    ap.add_argument("--plan-mb", type=float, default=5.0)
    ap.add_argument("--pulumi-projects", type=int, default=40)
    ap.add_argument("--seed", type=int, default=42)
    args = ap.parse_args(argv)
    plans = args.corpus / "plans"
    plans.mkdir(parents=True, exist_ok=True)
    doc = plan(int(args.plan_mb * 1024 * 1024 * 0.62), args.seed)  # planned_values repeat ~60% of the changes
    (plans / "plan.json").write_text(json.dumps(doc))
    n = pulumi_projects(args.corpus / "pulumi", args.pulumi_projects, args.seed)
    size = (plans / "plan.json").stat().st_size
    print(f"plan: {len(doc['resource_changes'])} resource changes, {size / 1048576:.1f} MiB; pulumi: {n} projects")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
