# Regional GKE Standard cluster that hosts the research org's training Jobs
# (Kueue-managed). Node pools live in node_pools.tf.

locals {
  # GCE labels finance requires; set as cluster resource_labels, which GKE
  # copies onto every node VM, and merged into each pool's own labels.
  common_labels = {
    team        = var.team
    cost-center = var.cost_center
    environment = var.environment
    managed-by  = "terraform"
  }
}

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

  resource_labels = local.common_labels

  deletion_protection = true
}
