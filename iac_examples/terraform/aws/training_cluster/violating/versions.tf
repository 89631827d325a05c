# Terraform and provider pins for the nightly-training node group stack.
# State lives in the shared ml-platform bucket; the backend block is completed
# by CI with `terraform init -backend-config=backends/prod.hcl`.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    aws = {
      source  = "hashicorp/aws"
      version = "~> 5.80"
    }
  }

  backend "s3" {}
}
