# Nightly distributed pre-training / continued-training runs (torchrun, 2-4 nodes
# of 8x A100 each) on the shared EKS cluster `ml-prod-use1`. The cluster itself
# is owned by the platform team's stack; this root only adds the GPU node group.
#
# Cost posture:
#   - SPOT capacity: the trainer checkpoints to S3 every 20 minutes and the Job
#     is restartable, so an interruption costs at most one checkpoint interval.
#   - min_size = 0: the cluster autoscaler brings nodes up when the 01:00 UTC
#     Job is scheduled and removes them ~10 minutes after it finishes.

locals {
  # Tags shared by everything this stack creates, merged on top of the
  # provider's default_tags (which already carry team and cost-center).
  common_tags = {
    environment = var.environment
    project     = "llm-nightly-train"
  }
}

data "aws_eks_cluster" "training" {
  name = var.cluster_name
}

module "gpu_nodes" {
  source = "./modules/gpu_node_group"

  cluster_name       = data.aws_eks_cluster.training.name
  kubernetes_version = data.aws_eks_cluster.training.version
  node_group_name    = "nightly-train-p4d"
  node_role_arn      = var.node_role_arn
  subnet_ids         = var.private_subnet_ids

  instance_types = var.gpu_instance_types
  capacity_type  = var.capacity_type
  min_size       = var.min_size
  desired_size   = var.desired_size
  max_size       = var.max_size

  # Kubernetes node labels: the training Jobs select on `workload`.
  labels = {
    workload                 = "training"
    "nvidia.com/gpu.product" = "A100-SXM4-40GB"
  }

  # Keep non-GPU pods off these nodes; training pods tolerate both taints.
  taints = [
    {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    },
    {
      key    = "capacity"
      value  = "spot"
      effect = "NO_SCHEDULE"
    },
  ]

  tags = merge(local.common_tags, {
    workload = "training"
  })
}
