# CPU pool for system pods, Kueue and the training controllers. Its VMs get
# the cluster's resource_labels.
resource "google_container_node_pool" "system" {
  name     = "system"
  cluster  = google_container_cluster.training.id
  location = var.region

  autoscaling {
    min_node_count = 1
    max_node_count = 3
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type    = "e2-standard-4"
    disk_size_gb    = 100
    service_account = var.node_service_account
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}

# 8x A100 Spot nodes for the nightly fine-tune / pre-training Jobs.
# The trainer checkpoints to GCS every 15 minutes and Kueue requeues a
# preempted Job, so Spot fits; the pool scales to zero between runs.
resource "google_container_node_pool" "a100_training" {
  name           = "a100-train"
  cluster        = google_container_cluster.training.id
  location       = var.region
  node_locations = var.gpu_zones

  autoscaling {
    min_node_count  = var.gpu_min_nodes
    max_node_count  = var.gpu_max_nodes
    location_policy = "ANY"
  }

  management {
    auto_repair  = true
    auto_upgrade = true
  }

  node_config {
    machine_type = var.gpu_machine_type
    disk_type    = "pd-ssd"
    disk_size_gb = 500
    spot         = true

    guest_accelerator {
      type  = "nvidia-tesla-a100"
      count = 8

      gpu_driver_installation_config {
        gpu_driver_version = "LATEST"
      }
    }

    service_account = var.node_service_account
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

    # GCE labels on the node VMs (billing export).
    resource_labels = merge(local.common_labels, {
      workload = "training"
    })

    # Kubernetes node labels: Kueue's ResourceFlavor selects on `workload`.
    labels = {
      workload = "training"
    }

    taint {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    }

    workload_metadata_config {
      mode = "GKE_METADATA"
    }
  }
}
