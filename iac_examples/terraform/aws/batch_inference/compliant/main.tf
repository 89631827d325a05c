# Nightly re-embedding of the product catalogue (~40M documents) with the
# in-house e5-large fine-tune. Workers pull shards from SQS, write vectors to
# S3, and the index builder picks them up in the morning.
#
# Cost posture:
#   - one A10G/L4 per worker: the model fits on a single GPU, so we scale out
#     with many small workers instead of one 8-GPU box;
#   - 100% spot above a zero on-demand base, diversified over two families;
#     the workers are idempotent and an interrupted shard returns to SQS;
#   - min_size = 0: Airflow raises desired capacity at 01:00 UTC and sets it
#     back to 0 when the queue is drained.

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

  # ASG tags do not inherit default_tags; everything is propagated at launch.
  asg_tags = merge(local.cost_tags, local.common_tags, {
    Name = local.name
  })
}

# Deep Learning Base AMI (NVIDIA driver + CUDA), resolved from AWS's public SSM path.
data "aws_ssm_parameter" "dlami" {
  name = "/aws/service/deeplearning/ami/x86_64/base-oss-nvidia-driver-gpu-ubuntu-22.04/latest/ami-id"
}

resource "aws_launch_template" "embed_batch" {
  name_prefix = "${local.name}-"
  image_id    = data.aws_ssm_parameter.dlami.insecure_value
  # Default type; the ASG's overrides below choose among single-GPU sizes.
  instance_type = var.worker_instance_types[0]

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
      ${var.worker_image} embed-worker --batch-size 64
  EOT
  )

  # Instance and volume tags for what the ASG launches.
  dynamic "tag_specifications" {
    for_each = ["instance", "volume"]
    content {
      resource_type = tag_specifications.value
      tags          = local.asg_tags
    }
  }
}

resource "aws_autoscaling_group" "embed_batch" {
  name                = local.name
  vpc_zone_identifier = var.private_subnet_ids

  min_size         = var.asg_min_size
  max_size         = var.asg_max_size
  desired_capacity = var.asg_min_size

  health_check_type         = "EC2"
  health_check_grace_period = 300

  # Replace spot instances proactively when AWS signals elevated interruption risk.
  capacity_rebalance = true

  mixed_instances_policy {
    instances_distribution {
      on_demand_base_capacity                  = 0
      on_demand_percentage_above_base_capacity = 0
      spot_allocation_strategy                 = "price-capacity-optimized"
    }

    launch_template {
      launch_template_specification {
        launch_template_id = aws_launch_template.embed_batch.id
        version            = "$Latest"
      }

      # One override per single-GPU type we accept (g6.xlarge = 1x L4,
      # g5.xlarge = 1x A10G): more pools, fewer interruptions.
      dynamic "override" {
        for_each = var.worker_instance_types
        content {
          instance_type = override.value
        }
      }
    }
  }

  # default_tags do not reach ASG-launched instances: tag the group and
  # propagate every key at launch.
  dynamic "tag" {
    for_each = local.asg_tags
    content {
      key                 = tag.key
      value               = tag.value
      propagate_at_launch = true
    }
  }

  lifecycle {
    # Airflow sets desired capacity at the start and end of each run.
    ignore_changes = [desired_capacity]
  }
}
