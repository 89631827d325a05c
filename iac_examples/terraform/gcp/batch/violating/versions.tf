# GPU ETL runners for the data-platform team's nightly jobs.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    google = {
      source  = "hashicorp/google"
      version = "~> 6.10"
    }
  }

  backend "gcs" {
    bucket = "acme-data-tfstate"
    prefix = "gpu-etl/usc1"
  }
}
