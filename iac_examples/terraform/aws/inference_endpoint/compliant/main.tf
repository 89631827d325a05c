# Production support-assistant endpoint: a fine-tuned 70B model (AWQ 4-bit)
# served by Hugging Face TGI with tensor parallelism over the 4x A10G of an
# ml.g5.12xlarge. Capacity follows traffic (see autoscaling.tf). There is no
# 24/7 staging copy: release checks run against this endpoint.

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

resource "aws_sagemaker_endpoint" "assistant" {
  name                 = local.endpoint_name
  endpoint_config_name = aws_sagemaker_endpoint_configuration.assistant.name

  tags = local.common_tags
}
