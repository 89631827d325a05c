# Staging copy of the support-assistant endpoint: a fine-tuned 70B model
# (AWQ 4-bit) served by Hugging Face TGI with tensor parallelism over the
# 4x A10G of an ml.g5.12xlarge. QA hits it a few hours a day before releases.

locals {
  endpoint_name = "support-assistant-${var.environment}"

  common_tags = {
    service  = "support-assistant"
    workload = "inference"
  }
}

resource "aws_sagemaker_model" "assistant" {
  name               = "${local.endpoint_name}-${var.model_version}"
  execution_role_arn = var.execution_role_arn

  primary_container {
    image          = var.tgi_image
    model_data_url = var.model_data_url

    environment = {
      HF_MODEL_ID            = "/opt/ml/model"
      HF_MODEL_QUANTIZE      = "awq"
      SM_NUM_GPUS            = "4"
      MAX_INPUT_TOKENS       = "3072"
      MAX_TOTAL_TOKENS       = "4096"
      MAX_BATCH_TOTAL_TOKENS = "16384"
    }
  }

  tags = local.common_tags
}

resource "aws_sagemaker_endpoint_configuration" "assistant" {
  name = "${local.endpoint_name}-${var.model_version}"

  production_variants {
    variant_name           = var.variant_name
    model_name             = aws_sagemaker_model.assistant.name
    instance_type          = var.instance_type
    initial_instance_count = var.initial_instance_count
    initial_variant_weight = 1

    container_startup_health_check_timeout_in_seconds = 900
    model_data_download_timeout_in_seconds            = 1200
  }

  tags = local.common_tags

  lifecycle {
    create_before_destroy = true
  }
}

# finops-lint expectations for this endpoint (violating example):
#   FIN-GPU-003 idle-gpu-capacity, for two reasons:
#     - environment = "staging": 2x ml.g5.12xlarge (~$7.09/h each, ~$10.4k/month)
#       run 24/7 for a QA environment used a few hours a day;
#     - no aws_appautoscaling_target registers the variant, so the endpoint
#       stays at initial_instance_count whatever the traffic.
resource "aws_sagemaker_endpoint" "assistant" {
  name                 = local.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.assistant.name

  tags = local.common_tags
}
