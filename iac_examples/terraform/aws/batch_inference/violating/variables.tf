variable "region" {
  description = "AWS region for the batch workers."
  type        = string
  default     = "us-west-2"
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
  description = "Deployment environment."
  type        = string
  default     = "production"
}

variable "extra_tags" {
  description = "Additional tags merged into every resource."
  type        = map(string)
  default     = {}
}

variable "private_subnet_ids" {
  description = "Private subnets for the workers."
  type        = list(string)
}

variable "security_group_ids" {
  description = "Security groups for the workers (egress only)."
  type        = list(string)
}

variable "instance_profile_name" {
  description = "Instance profile with S3 and SQS access."
  type        = string
}

variable "queue_url" {
  description = "SQS queue holding the embedding shards."
  type        = string
}

variable "worker_image" {
  description = "Container image of the embedding worker."
  type        = string
}

variable "worker_instance_type" {
  description = "Instance type of the embedding workers."
  type        = string
  default     = "g5.xlarge"
}

variable "asg_min_size" {
  description = "Minimum number of embedding workers."
  type        = number
  default     = 0
}

variable "asg_max_size" {
  description = "Maximum number of embedding workers."
  type        = number
  default     = 8
}

variable "eval_image" {
  description = "Container image of the eval harness."
  type        = string
}

variable "eval_instance_type" {
  description = "Instance type of the eval runners."
  type        = string
  default     = "g5.xlarge"
}

variable "eval_runner_count" {
  description = "How many eval shards run in parallel."
  type        = number
  default     = 1
}
