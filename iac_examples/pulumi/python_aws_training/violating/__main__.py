"""Nightly distributed training on EKS and the batch embedding workers that follow it.

finops-lint expectations (violating, stack "staging"); FIN-TAG-001 = no cost-center after default tags
(on priced resources; the cluster and launch template carry no cost of their own):
  gpu-training (aws.eks.NodeGroup, line 44): FIN-GPU-001 (capacity_type ON_DEMAND for training),
    FIN-GPU-003 (min size 2 from config minGpuNodes keeps 16x A100 up in staging), FIN-TAG-001.
  embed-batch (Group) (aws.autoscaling.Group, line 78): FIN-GPU-001 (no mixed instances policy), FIN-GPU-002
    (g5.48xlarge, 8x A10G, for an embedding model that fits one A10G), FIN-GPU-003 (min_size 2), FIN-TAG-001.
  eval-a, eval-b (aws.ec2.Instance in a loop, line 93): FIN-GPU-001, FIN-GPU-002 (on-demand g5.12xlarge
    for a one-GPU harness) and FIN-GPU-003 (a runner kept up in staging); cost-center set on the runners.
"""

import pulumi
import pulumi_aws as aws
from pulumi_aws import ec2

config = pulumi.Config()
aws_config = pulumi.Config("aws")
REGION = aws_config.require("region")

GPU_INSTANCE_TYPE = config.get("gpuInstanceType") or "p4d.24xlarge"
MIN_GPU_NODES = config.get_int("minGpuNodes") or 0
WORKER_INSTANCE_TYPE = config.get("workerInstanceType") or "g5.xlarge"
EVAL_INSTANCE_TYPE = "g5.12xlarge"
SUBNETS = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

# default tags (Pulumi.<stack>.yaml aws:defaultTags) carry team and environment
COMMON_TAGS = {"workload": "training", "pipeline": "nightly"}

# One role for the node group; the cluster role is managed by the platform team
# (kept minimal here: the policy document is attached elsewhere).
node_role = aws.iam.Role(
    "gpu-nodes",
    assume_role_policy='{"Version": "2012-10-17", "Statement": []}',
)

cluster = aws.eks.Cluster(
    "training",
    role_arn=node_role.arn,
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=SUBNETS),
    tags=COMMON_TAGS,
)

gpu_nodes = aws.eks.NodeGroup(
    "gpu-training",
    aws.eks.NodeGroupArgs(
        cluster_name=cluster.name,
        node_group_name="gpu-training",
        node_role_arn=node_role.arn,
        subnet_ids=SUBNETS,
        ami_type="AL2023_x86_64_NVIDIA",
        instance_types=[GPU_INSTANCE_TYPE],
        capacity_type="ON_DEMAND",
        scaling_config=aws.eks.NodeGroupScalingConfigArgs(
            min_size=MIN_GPU_NODES,
            desired_size=MIN_GPU_NODES,
            max_size=MIN_GPU_NODES * 4,
        ),
        labels={"workload": "training"},
        taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="present", effect="NO_SCHEDULE")],
        tags={**COMMON_TAGS, "Name": "gpu-training"},
    ),
)

BATCH_TAGS = {"team": "search", "environment": "staging", "workload": "batch"}

worker_template = ec2.LaunchTemplate(
    "embed-batch",
    name_prefix="embed-batch-",
    image_id="ami-0c7217cdde317cfec",
    instance_type=WORKER_INSTANCE_TYPE,
    tag_specifications=[
        ec2.LaunchTemplateTagSpecificationArgs(resource_type=kind, tags={**BATCH_TAGS, "Name": "embed-batch"})
        for kind in ["instance", "volume"]
    ],
)

workers = aws.autoscaling.Group(
    "embed-batch",
    min_size=2,
    max_size=8,
    desired_capacity=2,
    vpc_zone_identifiers=SUBNETS,
    launch_template=aws.autoscaling.GroupLaunchTemplateArgs(id=worker_template.id, version="$Latest"),
    tags=[
        aws.autoscaling.GroupTagArgs(key=key, value=value, propagate_at_launch=True)
        for key, value in BATCH_TAGS.items()
    ],
)

for runner in ["eval-a", "eval-b"]:
    # scores the golden query sets against the fresh vectors, then shuts down
    ec2.Instance(
        runner,
        ami="ami-0c7217cdde317cfec",
        instance_type=EVAL_INSTANCE_TYPE,
        subnet_id=SUBNETS[0],
        instance_initiated_shutdown_behavior="terminate",
        tags={**BATCH_TAGS, "cost-center": "cc-2231", "Name": f"embed-{runner}"},
    )

pulumi.export("cluster_name", cluster.name)
