region     = "us-west-2"
subnet_ids = ["subnet-0a1b2c3d4e5f60718", "subnet-0f1e2d3c4b5a69788"]

# One A10G per node, sized to the serving pods' 8 vCPU / 48 GiB requests: no idle GPUs.
serving_instance_types = ["g5.4xlarge"]

# Batch backfills checkpoint to S3 and restart: spot capacity.
batch_capacity_type = "SPOT"
