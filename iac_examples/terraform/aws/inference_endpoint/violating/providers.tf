provider "aws" {
  region = var.region

  # Cost-allocation tags for every resource in this stack.
  default_tags {
    tags = {
      team        = var.team
      cost-center = var.cost_center
      environment = var.environment
      managed-by  = "terraform"
    }
  }
}
