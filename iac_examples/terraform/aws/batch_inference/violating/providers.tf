provider "aws" {
  region = var.region

  # Applied to every taggable resource in this root, EXCEPT the instances an
  # Auto Scaling group launches: ASG tags must be declared on the group itself
  # (with propagate_at_launch) -- see main.tf.
  default_tags {
    tags = local.cost_tags
  }
}
