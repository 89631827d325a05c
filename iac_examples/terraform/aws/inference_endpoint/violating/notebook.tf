# Prompt-engineering notebook for the assistant team, in the dev account's VPC.

# finops-lint expectations for this notebook (violating example):
#   FIN-GPU-003 idle-gpu-capacity: a GPU notebook (ml.g5.xlarge, ~$1.41/h)
#     tagged environment = "dev" bills every hour it is InService, nights and
#     weekends included; there is no lifecycle configuration that stops it
#     when idle.
resource "aws_sagemaker_notebook_instance" "research" {
  name          = "assistant-prompt-lab"
  role_arn      = var.execution_role_arn
  instance_type = var.notebook_instance_type
  volume_size   = 100

  platform_identifier    = "notebook-al2-v3"
  subnet_id              = var.notebook_subnet_id
  security_groups        = var.notebook_security_group_ids
  direct_internet_access = "Disabled"
  root_access            = "Disabled"

  # Overrides the provider default (staging) for this one resource.
  tags = merge(local.common_tags, {
    environment = "dev"
    workload    = "interactive"
  })
}
