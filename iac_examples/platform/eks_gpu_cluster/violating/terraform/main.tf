provider "aws" {
  region = var.region
  default_tags {
    tags = {
      team          = "ml-platform"
      "cost-center" = "cc-1207"
      environment   = "production"
      managed-by    = "terraform"
    }
  }
}

resource "aws_eks_cluster" "ml" {
  name     = var.cluster_name
  role_arn = "arn:aws:iam::123456789012:role/${var.cluster_name}-cluster"
  version  = "1.30"

  vpc_config {
    subnet_ids              = var.subnet_ids
    endpoint_private_access = true
  }
}
