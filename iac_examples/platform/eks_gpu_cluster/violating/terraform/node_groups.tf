# The node groups the manifests in ../k8s select. EKS labels every node with
# eks.amazonaws.com/nodegroup=<node_group_name> and eks.amazonaws.com/capacityType, plus `labels` below.

# LLM serving: always on, tainted so only GPU pods land here.
resource "aws_eks_node_group" "gpu_inference" {
  cluster_name    = aws_eks_cluster.ml.name
  node_group_name = "gpu-inference"
  node_role_arn   = "arn:aws:iam::123456789012:role/${var.cluster_name}-node"
  subnet_ids      = var.subnet_ids
  instance_types  = var.serving_instance_types
  capacity_type   = "ON_DEMAND"
  ami_type        = "AL2_x86_64_GPU"

  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 4
  }

  labels = {
    "workload-class" = "llm-serving"
  }

  taint {
    key    = "nvidia.com/gpu"
    value  = "true"
    effect = "NO_SCHEDULE"
  }
}

# Batch: embedding backfills and evaluations; the cluster autoscaler scales it from zero.
resource "aws_eks_node_group" "gpu_batch" {
  cluster_name    = aws_eks_cluster.ml.name
  node_group_name = "gpu-batch"
  node_role_arn   = "arn:aws:iam::123456789012:role/${var.cluster_name}-node"
  subnet_ids      = var.subnet_ids
  instance_types  = ["g5.2xlarge", "g5.4xlarge"]
  capacity_type   = var.batch_capacity_type
  ami_type        = "AL2_x86_64_GPU"

  scaling_config {
    desired_size = 0
    min_size     = 0
    max_size     = 8
  }

  labels = {
    "workload-class" = "batch"
  }
}
