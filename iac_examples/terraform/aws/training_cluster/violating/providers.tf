# Every AWS resource in this root (and in ./modules/gpu_node_group) inherits
# these default_tags. Tags set on a resource are merged on top of them.
provider "aws" {
  region = var.region

  # NOTE: the finance-mandated `cost-center` key was never added here, and the
  # module call in main.tf does not add it either (see FIN-TAG-001 there).
  default_tags {
    tags = {
      team       = var.team
      managed-by = "terraform"
      repository = "github.com/acme-ai/ml-platform-infra"
    }
  }
}
