"""Nightly distributed training on EKS and the batch embedding workers that follow it.

finops-lint expectations (compliant, stack "staging"): no findings. The GPU node group runs on spot
and scales to zero between runs (minGpuNodes unset: 0), the embedding workers are spot-only g5.xlarge
that scale to zero, the eval runners are a spot-only g6.xlarge group (written
with dict literals instead of Args classes), and cost-center comes from the
stack's aws:defaultTags (and is propagated to the workers at launch).
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
EVAL_INSTANCE_TYPE = "g6.xlarge"
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
        capacity_type="SPOT",
        scaling_config=aws.eks.NodeGroupScalingConfigArgs(
            min_size=MIN_GPU_NODES,
            desired_size=MIN_GPU_NODES,
            max_size=4,
        ),
        labels={"workload": "training"},
        taints=[aws.eks.NodeGroupTaintArgs(key="nvidia.com/gpu", value="present", effect="NO_SCHEDULE")],
        tags={**COMMON_TAGS, "Name": "gpu-training"},
    ),
)

BATCH_TAGS = {"team": "search", "cost-center": "cc-2231", "environment": "staging", "workload": "batch"}

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
    min_size=0,
    max_size=16,
    desired_capacity=0,
    vpc_zone_identifiers=SUBNETS,
    mixed_instances_policy=aws.autoscaling.GroupMixedInstancesPolicyArgs(
        instances_distribution=aws.autoscaling.GroupMixedInstancesPolicyInstancesDistributionArgs(
            on_demand_base_capacity=0,
            on_demand_percentage_above_base_capacity=0,
            spot_allocation_strategy="price-capacity-optimized",
        ),
        launch_template=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateArgs(
            launch_template_specification=aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateLaunchTemplateSpecificationArgs(
                launch_template_id=worker_template.id,
                version="$Latest",
            ),
            overrides=[
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type="g6.xlarge"),
                aws.autoscaling.GroupMixedInstancesPolicyLaunchTemplateOverrideArgs(instance_type="g5.xlarge"),
            ],
        ),
    ),
    tags=[
        aws.autoscaling.GroupTagArgs(key=key, value=value, propagate_at_launch=True)
        for key, value in BATCH_TAGS.items()
    ],
)

# The eval runners scale with the workers: a spot-only group of g6.xlarge that is empty between runs.
eval_runners = aws.autoscaling.Group(
    "eval-runners",
    min_size=0,
    max_size=2,
    vpc_zone_identifiers=SUBNETS,
    mixed_instances_policy={
        "instances_distribution": {"on_demand_percentage_above_base_capacity": 0},
        "launch_template": {
            "launch_template_specification": {"launch_template_id": worker_template.id, "version": "$Latest"},
            "overrides": [{"instance_type": EVAL_INSTANCE_TYPE}],
        },
    },
    tags=[{"key": key, "value": value, "propagate_at_launch": True} for key, value in BATCH_TAGS.items()],
)

pulumi.export("cluster_name", cluster.name)
