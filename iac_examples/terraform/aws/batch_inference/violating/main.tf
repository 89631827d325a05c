# Nightly re-embedding of the product catalogue (~40M documents) with the
# in-house e5-large fine-tune. Workers pull shards from SQS, write vectors to
# S3, and the index builder picks them up in the morning.

locals {
  name = "embed-batch"

  # The three keys finance requires on every resource.
  cost_tags = {
    team        = var.team
    cost-center = var.cost_center
    environment = var.environment
  }

  common_tags = merge(var.extra_tags, {
    workload = "batch"
    pipeline = "nightly-embeddings"
  })
}

# Deep Learning Base AMI (NVIDIA driver + CUDA), resolved from AWS's public SSM path.
data "aws_ssm_parameter" "dlami" {
  name = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
}

resource "aws_launch_template" "embed_batch" {
  name_prefix   = "${local.name}-"
  image_id      = data.aws_ssm_parameter.dlami.insecure_value
  instance_type = var.worker_instance_type

  iam_instance_profile {
    name = var.instance_profile_name
  }

  vpc_security_group_ids = var.security_group_ids

  block_device_mappings {
    device_name = "/dev/sda1"

    ebs {
      volume_size           = 200
      volume_type           = "gp3"
      encrypted             = true
      delete_on_termination = true
    }
  }

  metadata_options {
    http_tokens = "required"
  }

  user_data = base64encode(<<-EOT
    #!/bin/bash
    set -euo pipefail
    docker run --gpus all --rm \
      -e QUEUE_URL=${var.queue_url} \
      -e OUTPUT_PREFIX=s3://acme-search-embeddings/nightly/ \
      ${var.worker_image} embed-worker --batch-size 256
  EOT
  )

  # Instance and volume tags for what the ASG launches.
  dynamic "tag_specifications" {
    for_each = ["instance", "volume"]
    content {
      resource_type = tag_specifications.value
      tags          = merge(local.cost_tags, local.common_tags, { Name = local.name })
    }
  }
}

# finops-lint expectations for this group (violating example):
#   FIN-GPU-001 gpu-on-demand-for-batch: no mixed_instances_policy, so every
#     instance is on-demand although the workers are idempotent and resume from
#     SQS; spot would cut the GPU bill by roughly 60-70%.
#   FIN-GPU-002 oversized-gpu-for-batch: g5.48xlarge is the largest g5 size
#     (8x A10G, ~$16.29/h) for an embedding model that fits on one A10G; eight
#     g5.xlarge-class workers do the same work for a fraction of the price.
#   FIN-GPU-003 idle-gpu-capacity: min_size = 2 keeps two g5.48xlarge running
#     around the clock for a job that runs ~3 hours a night (~$23.8k/month).
resource "aws_autoscaling_group" "embed_batch" {
  name                = local.name
  vpc_zone_identifier = var.private_subnet_ids

  min_size         = var.asg_min_size
  max_size         = var.asg_max_size
  desired_capacity = var.asg_min_size

  health_check_type         = "EC2"
  health_check_grace_period = 300

  launch_template {
    id      = aws_launch_template.embed_batch.id
    version = aws_launch_template.embed_batch.latest_version
  }

  # default_tags do not reach ASG-launched instances: tag the group and
  # propagate every cost key at launch.
  tag {
    key                 = "team"
    value               = var.team
    propagate_at_launch = true
  }

  tag {
    key                 = "cost-center"
    value               = var.cost_center
    propagate_at_launch = true
  }

  tag {
    key                 = "environment"
    value               = var.environment
    propagate_at_launch = true
  }

  tag {
    key                 = "workload"
    value               = "batch"
    propagate_at_launch = true
  }

  tag {
    key                 = "Name"
    value               = local.name
    propagate_at_launch = true
  }

  lifecycle {
    # Airflow sets desired capacity at the start and end of each run.
    ignore_changes = [desired_capacity]
  }
}
