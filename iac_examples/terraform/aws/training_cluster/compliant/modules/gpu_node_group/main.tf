# Reusable EKS managed node group for GPU workloads.
# Purchase option, bounds and tags all come from the caller; min_size defaults
# to 0 so a caller that forgets it still gets a pool that scales to zero.

resource "aws_eks_node_group" "this" {
  cluster_name    = var.cluster_name
  node_group_name = var.node_group_name
  node_role_arn   = var.node_role_arn
  subnet_ids      = var.subnet_ids
  version         = var.kubernetes_version

  # EKS-optimized AL2023 AMI with the NVIDIA driver and container toolkit.
  ami_type       = "AL2023_x86_64_NVIDIA"
  capacity_type  = var.capacity_type
  instance_types = var.instance_types
  disk_size      = var.disk_size_gb

  scaling_config {
    min_size     = var.min_size
    desired_size = var.desired_size
    max_size     = var.max_size
  }

  update_config {
    max_unavailable = 1
  }

  labels = var.labels

  dynamic "taint" {
    for_each = var.taints
    content {
      key    = taint.value.key
      value  = taint.value.value
      effect = taint.value.effect
    }
  }

  tags = merge(var.tags, {
    Name = var.node_group_name
  })

  lifecycle {
    # The cluster autoscaler changes desired_size; don't fight it on every apply.
    ignore_changes = [scaling_config[0].desired_size]
  }
}
