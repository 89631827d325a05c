variable "subscription_id" {
  description = "Subscription of the applied-ML landing zone."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "eastus"
}

variable "team" {
  description = "Owning team (tag)."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center (tag CostCenter)."
  type        = string
}

variable "environment" {
  description = "Deployment environment (tag)."
  type        = string
  default     = "production"
}

variable "kubernetes_version" {
  description = "AKS Kubernetes version (minor alias allowed)."
  type        = string
  default     = "1.30"
}

variable "gpu_vm_size" {
  description = "VM size of the fine-tuning pool."
  type        = string
  default     = "Standard_NC24ads_A100_v4"
}

variable "gpu_priority" {
  description = "Regular or Spot."
  type        = string
  default     = "Regular"
}

variable "gpu_min_count" {
  description = "Minimum nodes in the GPU pool."
  type        = number
  default     = 0
}

variable "gpu_max_count" {
  description = "Maximum nodes in the GPU pool."
  type        = number
  default     = 4
}
