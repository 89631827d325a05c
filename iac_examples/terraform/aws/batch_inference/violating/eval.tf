# Offline evaluation runners: after each nightly embedding run, N runners replay
# the golden query sets against the fresh vectors (recall@k, nDCG) and push the
# scores to the eval dashboard. Each runner shuts itself down when done.

# finops-lint expectations for every runner (violating example):
#   FIN-GPU-001 gpu-on-demand-for-batch: no instance_market_options, so the
#     runners are on-demand; the harness is restartable and fits spot.
#   FIN-GPU-002 oversized-gpu-for-batch: g5.12xlarge has 4x A10G, but the
#     harness scores one model on one GPU; three of the four GPUs sit idle.
resource "aws_instance" "eval" {
  count = var.eval_runner_count

  ami                    = data.aws_ssm_parameter.dlami.insecure_value
  instance_type          = var.eval_instance_type
  subnet_id              = element(var.private_subnet_ids, count.index)
  vpc_security_group_ids = var.security_group_ids
  iam_instance_profile   = var.instance_profile_name

  # The harness calls `shutdown -h now` when done; terminate instead of stop.
  instance_initiated_shutdown_behavior = "terminate"

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
