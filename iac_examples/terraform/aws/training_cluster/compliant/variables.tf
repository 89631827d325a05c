variable "region" {
  description = "AWS region of the training cluster."
  type        = string
  default     = "us-east-1"
}

variable "team" {
  description = "Owning team, used for cost allocation."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center the GPU spend is charged to."
  type        = string
}

variable "environment" {
  description = "Deployment environment (production, staging, dev)."
  type        = string
  default     = "production"
}

variable "cluster_name" {
  description = "Name of the existing EKS cluster the node group joins."
  type        = string
}

variable "node_role_arn" {
  description = "IAM role for the worker nodes (managed by the platform stack)."
  type        = string
}

variable "private_subnet_ids" {
  description = "Private subnets for the GPU nodes. Use one AZ for NCCL/EFA locality."
  type        = list(string)
}

variable "gpu_instance_types" {
  description = "Instance types for the GPU node group."
  type        = list(string)
  default     = ["p4d.24xlarge"]
}

variable "capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "SPOT"
}

variable "min_size" {
  description = "Minimum number of GPU nodes; 0 lets the pool scale to zero between runs."
  type        = number
  default     = 0
}

variable "desired_size" {
  description = "Initial number of GPU nodes (the cluster autoscaler owns it afterwards)."
  type        = number
  default     = 0
}

variable "max_size" {
  description = "Maximum number of GPU nodes."
  type        = number
  default     = 4
}
