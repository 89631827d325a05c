# Nightly distributed pre-training / continued-training runs (torchrun, 2-4 nodes
# of 8x A100 each) on the shared EKS cluster `ml-prod-use1`. The cluster itself
# is owned by the platform team's stack; this root only adds the GPU node group.

locals {
  # Tags shared by everything this stack creates, merged on top of the
  # provider's default_tags.
  common_tags = {
    environment = var.environment
    project     = "llm-nightly-train"
  }
}

data "aws_eks_cluster" "training" {
  name = var.cluster_name
}

# finops-lint expectations for this node group (violating example):
#   FIN-GPU-001 gpu-on-demand-for-batch: capacity_type = "ON_DEMAND" (terraform.tfvars)
#     for checkpointed nightly training; p4d.24xlarge on demand is ~$32.77/h per
#     node, spot is typically 60-70% cheaper for the same restartable job.
#   FIN-GPU-003 idle-gpu-capacity: min_size = 2 keeps two p4d.24xlarge nodes
#     (16x A100) running all day although the job only runs at night
#     (~$47.8k/month paid for idle GPUs).
#   FIN-TAG-001 missing-cost-allocation-tags: neither default_tags nor the tags
#     below carry `cost-center`, so the node group's spend cannot be charged back.
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

  # Keep non-GPU pods off these nodes.
  taints = [
    {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    },
  ]

  tags = merge(local.common_tags, {
    workload = "training"
  })
}
