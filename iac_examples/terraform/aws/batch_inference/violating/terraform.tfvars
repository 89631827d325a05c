region      = "us-west-2"
team        = "search-relevance"
cost_center = "cc-2310-search"
environment = "production"

extra_tags = {
  service = "catalog-embeddings"
}

private_subnet_ids    = ["subnet-0c1d2e3f4a5b6c7d8", "subnet-0d2e3f4a5b6c7d8e9"]
security_group_ids    = ["sg-0f1e2d3c4b5a69788"]
instance_profile_name = "embed-batch-worker"
queue_url             = "https://sqs.us-west-2.amazonaws.com/123456789012/catalog-embed-shards"
worker_image          = "123456789012.dkr.ecr.us-west-2.amazonaws.com/embed-worker:2024.11.3"
eval_image            = "123456789012.dkr.ecr.us-west-2.amazonaws.com/retrieval-eval:2024.11.3"

# Sized for "one big box per worker" when the job was first written.
worker_instance_type = "g5.48xlarge"
asg_min_size         = 2
asg_max_size         = 6

eval_instance_type = "g5.12xlarge"
eval_runner_count  = 2
