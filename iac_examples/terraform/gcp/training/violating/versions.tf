# GKE training cluster for the research org (europe-west4 has A100 capacity).
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
  }

  backend "gcs" {
    bucket = "acme-research-tfstate"
    prefix = "gke/training-euw4"
  }
}
