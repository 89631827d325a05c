# Production values for the nightly training node group.
region      = "us-east-1"
team        = "ml-research"
environment = "production"

cluster_name       = "ml-prod-use1"
node_role_arn      = "arn:aws:iam::123456789012:role/ml-prod-use1-gpu-node"
private_subnet_ids = ["subnet-0a1b2c3d4e5f60718"]

gpu_instance_types = ["p4d.24xlarge"]

# "Spot interrupted the run twice in March, just use on-demand" -- kept ever since.
capacity_type = "ON_DEMAND"

# Two warm nodes so the 01:00 UTC run does not wait for node boot.
min_size     = 2
desired_size = 2
max_size     = 4
