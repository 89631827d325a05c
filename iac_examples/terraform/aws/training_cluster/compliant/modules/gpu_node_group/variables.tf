variable "cluster_name" {
  description = "EKS cluster the node group joins."
  type        = string
}

variable "kubernetes_version" {
  description = "Kubernetes version of the nodes; follows the control plane."
  type        = string
  default     = null
}

variable "node_group_name" {
  description = "Name of the managed node group."
  type        = string
}

variable "node_role_arn" {
  description = "IAM role ARN for the nodes."
  type        = string
}

variable "subnet_ids" {
  description = "Subnets for the nodes."
  type        = list(string)
}

variable "instance_types" {
  description = "EC2 instance types for the node group."
  type        = list(string)
}

variable "capacity_type" {
  description = "ON_DEMAND or SPOT."
  type        = string
  default     = "ON_DEMAND"

  validation {
    condition     = contains(["ON_DEMAND", "SPOT"], var.capacity_type)
    error_message = "capacity_type must be ON_DEMAND or SPOT."
  }
}

variable "min_size" {
  description = "Minimum node count."
  type        = number
  default     = 0
}

variable "desired_size" {
  description = "Initial node count; ignored after creation."
  type        = number
  default     = 0
}

variable "max_size" {
  description = "Maximum node count."
  type        = number
  default     = 2
}

variable "disk_size_gb" {
  description = "Root volume size; container images with CUDA are large."
  type        = number
  default     = 500
}

variable "labels" {
  description = "Kubernetes labels for the nodes."
  type        = map(string)
  default     = {}
}

variable "taints" {
  description = "Kubernetes taints for the nodes."
  type = list(object({
    key    = string
    value  = string
    effect = string
  }))
  default = []
}

variable "tags" {
  description = "AWS tags for the node group (merged on top of provider default_tags)."
  type        = map(string)
  default     = {}
}
