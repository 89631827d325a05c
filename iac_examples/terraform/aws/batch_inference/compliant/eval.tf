# Offline evaluation runners: after each nightly embedding run, N runners replay
# the golden query sets against the fresh vectors (recall@k, nDCG) and push the
# scores to the eval dashboard. Each runner shuts itself down when done.
#
# One-time spot requests on a single-GPU size: the harness scores one model on
# one GPU and simply re-runs a shard if the instance is reclaimed.
resource "aws_instance" "eval" {
  count = var.eval_runner_count

  ami                    = data.aws_ssm_parameter.dlami.insecure_value
  instance_type          = var.eval_instance_type
  subnet_id              = element(var.private_subnet_ids, count.index)
  vpc_security_group_ids = var.security_group_ids
  iam_instance_profile   = var.instance_profile_name

  # The harness calls `shutdown -h now` when done; terminate instead of stop.
  instance_initiated_shutdown_behavior = "terminate"

  instance_market_options {
    market_type = "spot"

    spot_options {
      spot_instance_type             = "one-time"
      instance_interruption_behavior = "terminate"
    }
  }

  root_block_device {
    volume_size = 200
    volume_type = "gp3"
    encrypted   = true
  }

  metadata_options {
    http_tokens = "required"
  }

  user_data = <<-EOT
    #!/bin/bash
    docker run --gpus all --rm ${var.eval_image} run-eval --shard ${count.index} --shards ${var.eval_runner_count}
    shutdown -h now
  EOT

  # team, cost-center and environment come from the provider's default_tags.
  tags = merge(local.common_tags, {
    Name = "embed-eval-${count.index}"
    job  = "retrieval-eval"
  })
}
