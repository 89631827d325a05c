# Regional GKE Standard cluster that hosts the research org's training Jobs
# (Kueue-managed). Node pools live in node_pools.tf.

locals {
  # GCE labels copied onto every node VM of the cluster for billing export.
  # NOTE: finance's `cost-center` label was never added.
  cluster_labels = {
    team        = var.team
    environment = var.environment
  }
}

# finops-lint expectations for this cluster (violating example):
#   FIN-TAG-001 missing-cost-allocation-tags: resource_labels carry team and
#     environment but no cost-center, so the cluster's management fee and
#     every node it propagates these labels to land in "unallocated".
resource "google_container_cluster" "training" {
  name     = var.cluster_name
  location = var.region

  # Node pools are managed as separate resources.
  remove_default_node_pool = true
  initial_node_count       = 1

  network         = var.network
  subnetwork      = var.subnetwork
  networking_mode = "VPC_NATIVE"

  ip_allocation_policy {
    cluster_secondary_range_name  = "gke-training-pods"
    services_secondary_range_name = "gke-training-services"
  }

  private_cluster_config {
    enable_private_nodes    = true
    enable_private_endpoint = false
    master_ipv4_cidr_block  = "172.16.0.32/28"
  }

  release_channel {
    channel = "REGULAR"
  }

  workload_identity_config {
    workload_pool = "${var.project_id}.svc.id.goog"
  }

  resource_labels = local.cluster_labels

  deletion_protection = true
}
