# AKS cluster + GPU pool for the applied-ML team's fine-tuning jobs.
terraform {
  required_version = ">= 1.6.0"

  required_providers {
    azurerm = {
      source  = "hashicorp/azurerm"
      version = "~> 4.10"
    }
  }

  # Storage account and container are passed with -backend-config in CI.
  backend "azurerm" {}
}
