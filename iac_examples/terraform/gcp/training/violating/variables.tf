variable "project_id" {
  description = "GCP project that hosts the cluster."
  type        = string
}

variable "region" {
  description = "Region of the regional cluster."
  type        = string
  default     = "europe-west4"
}

variable "team" {
  description = "Owning team (GCE label)."
  type        = string
}

variable "environment" {
  description = "Deployment environment (GCE label)."
  type        = string
  default     = "production"
}

variable "cluster_name" {
  description = "GKE cluster name."
  type        = string
  default     = "research-training-euw4"
}

variable "network" {
  description = "VPC network self link or name."
  type        = string
}

variable "subnetwork" {
  description = "Subnetwork with the pods/services secondary ranges."
  type        = string
}

variable "node_service_account" {
  description = "Least-privilege service account for the nodes."
  type        = string
}

variable "gpu_zones" {
  description = "Zones with A100 capacity for the GPU pool."
  type        = list(string)
  default     = ["europe-west4-a"]
}

variable "gpu_machine_type" {
  description = "Machine type of the GPU pool."
  type        = string
  default     = "a2-highgpu-8g"
}

variable "gpu_min_nodes" {
  description = "Minimum GPU nodes per zone."
  type        = number
  default     = 0
}

variable "gpu_max_nodes" {
  description = "Maximum GPU nodes per zone."
  type        = number
  default     = 4
}
