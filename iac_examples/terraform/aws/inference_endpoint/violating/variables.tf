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
  description = "Instances behind the variant."
  type        = number
  default     = 1
}

variable "notebook_instance_type" {
  description = "Instance type of the prompt-lab notebook."
  type        = string
  default     = "ml.t3.large"
}

variable "notebook_subnet_id" {
  description = "Subnet for the notebook instance."
  type        = string
}

variable "notebook_security_group_ids" {
  description = "Security groups for the notebook instance."
  type        = list(string)
}
