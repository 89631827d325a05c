variable "region" {
  description = "Region of the ML platform cluster."
  type        = string
  default     = "us-east-1"
}

variable "cluster_name" {
  type    = string
  default = "ml-platform"
}

variable "subnet_ids" {
  description = "Private subnets the node groups launch into."
  type        = list(string)
}

variable "serving_instance_types" {
  description = "Node types of the LLM serving node group."
  type        = list(string)
  default     = ["g5.12xlarge"]
}

variable "batch_capacity_type" {
  description = "ON_DEMAND or SPOT for the batch GPU node group."
  type        = string
  default     = "ON_DEMAND"
}
