variable "name" {
  description = "Node pool name (lowercase, at most 12 characters)."
  type        = string
}

variable "kubernetes_cluster_id" {
  description = "ID of the AKS cluster."
  type        = string
}

variable "vm_size" {
  description = "GPU VM size."
  type        = string
}

variable "priority" {
  description = "Regular or Spot."
  type        = string
  default     = "Regular"

  validation {
    condition     = contains(["Regular", "Spot"], var.priority)
    error_message = "priority must be Regular or Spot."
  }
}

variable "eviction_policy" {
  description = "Delete or Deallocate; only for Spot pools."
  type        = string
  default     = null
}

variable "spot_max_price" {
  description = "Max USD per hour for Spot, -1 for up to the pay-as-you-go price; only for Spot pools."
  type        = number
  default     = null
}

variable "min_count" {
  description = "Minimum nodes."
  type        = number
  default     = 0
}

variable "max_count" {
  description = "Maximum nodes."
  type        = number
  default     = 2
}

variable "os_disk_size_gb" {
  description = "OS disk size; CUDA images are large."
  type        = number
  default     = 256
}

variable "node_labels" {
  description = "Kubernetes labels for the nodes."
  type        = map(string)
  default     = {}
}

variable "node_taints" {
  description = "Kubernetes taints, e.g. key=value:NoSchedule."
  type        = list(string)
  default     = []
}

variable "tags" {
  description = "Azure tags for the node pool (not inherited from the cluster)."
  type        = map(string)
  default     = {}
}
