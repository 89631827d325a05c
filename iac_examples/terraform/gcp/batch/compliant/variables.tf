variable "project_id" {
  description = "GCP project for the ETL runners."
  type        = string
}

variable "region" {
  description = "Region of the runners."
  type        = string
  default     = "us-central1"
}

variable "owner" {
  description = "Owning team (GCE label `owner`)."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center (GCE label `cost_center`)."
  type        = string
}

variable "environment" {
  description = "Deployment environment (GCE label)."
  type        = string
  default     = "production"
}

variable "subnetwork" {
  description = "Subnetwork for the runners."
  type        = string
}

variable "service_account_email" {
  description = "Service account the jobs run as."
  type        = string
}

variable "boot_image" {
  description = "Deep Learning VM image family with CUDA."
  type        = string
  default     = "projects/deeplearning-platform-release/global/images/family/common-cu123-debian-11-py310"
}

variable "etl_image" {
  description = "Container image with every ETL job."
  type        = string
}

variable "machine_type" {
  description = "Machine type of each runner."
  type        = string
  default     = "n1-standard-8"
}

variable "gpus_per_instance" {
  description = "T4 GPUs attached to each runner."
  type        = number
  default     = 1
}

variable "etl_jobs" {
  description = "Nightly GPU ETL jobs, keyed by job name."
  type = map(object({
    zone   = string
    input  = string
    output = string
  }))
}
