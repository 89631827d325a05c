# Production values for the nightly training node group.
region      = "us-east-1"
team        = "ml-research"
cost_center = "cc-4120-research"
environment = "production"

cluster_name       = "ml-prod-use1"
node_role_arn      = "arn:aws:iam::123456789012:role/ml-prod-use1-gpu-node"
private_subnet_ids = ["subnet-0a1b2c3d4e5f60718"]

gpu_instance_types = ["p4d.24xlarge"]

# Checkpointed, restartable training: spot capacity, scale to zero between runs.
capacity_type = "SPOT"
min_size      = 0
desired_size  = 0
max_size      = 4
