variable "region" {
  description = "AWS region of the endpoint."
  type        = string
  default     = "us-east-1"
}

variable "team" {
  description = "Owning team."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center."
  type        = string
}

variable "environment" {
  description = "Deployment environment; part of the endpoint name."
  type        = string
}

variable "execution_role_arn" {
  description = "SageMaker execution role (S3 read on the model bucket, ECR pull)."
  type        = string
}

variable "tgi_image" {
  description = "Hugging Face TGI inference image for the region."
  type        = string
}

variable "model_data_url" {
  description = "S3 URI of model.tar.gz."
  type        = string
}

variable "model_version" {
  description = "Model version; part of the model and config names so updates roll."
  type        = string
}

variable "variant_name" {
  description = "Production variant name."
  type        = string
  default     = "AllTraffic"
}

variable "instance_type" {
  description = "Instance type of the endpoint variant."
  type        = string
  default     = "ml.g5.12xlarge"
}

variable "initial_instance_count" {
  description = "Instances at creation; autoscaling owns the count afterwards."
  type        = number
  default     = 1
}

variable "autoscaling_min_capacity" {
  description = "Fewest instances behind the variant."
  type        = number
  default     = 1
}

variable "autoscaling_max_capacity" {
  description = "Most instances behind the variant."
  type        = number
  default     = 4
}

variable "invocations_per_instance_target" {
  description = "Target SageMakerVariantInvocationsPerInstance (per minute)."
  type        = number
  default     = 30
}
