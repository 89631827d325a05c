region     = "us-west-2"
subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

# VIOLATION (seen through the manifests in ../k8s): the serving pods ask for one GPU each, but this
# group only offers 4-GPU nodes.
serving_instance_types = ["g5.12xlarge"]

# VIOLATION: embedding backfills are restartable batch work, yet the group buys on-demand capacity.
batch_capacity_type = "ON_DEMAND"
