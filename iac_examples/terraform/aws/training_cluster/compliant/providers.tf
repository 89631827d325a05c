# Every AWS resource in this root (and in ./modules/gpu_node_group) inherits
# these default_tags. Tags set on a resource are merged on top of them, so the
# node group ends up with team + cost-center (here) and environment (main.tf).
provider "aws" {
  region = var.region

  default_tags {
    tags = {
      team        = var.team
      cost-center = var.cost_center
      managed-by  = "terraform"
      repository  = "github.com/acme-ai/ml-platform-infra"
    }
  }
}
