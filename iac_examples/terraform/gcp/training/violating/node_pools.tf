# CPU pool for system pods, Kueue and the training controllers.
# finops-lint expectations (violating example):
#   FIN-TAG-001: no labels of its own; inherits the cluster's resource_labels,
#     which lack cost-center.
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

# 8x A100 nodes for the nightly fine-tune / pre-training Jobs.
# finops-lint expectations (violating example):
#   FIN-GPU-001 gpu-on-demand-for-batch: node_config.spot is not set, so the
#     a2-highgpu-8g nodes (~$29/h each) are on demand for checkpointed training
#     that tolerates preemption; Spot A100 is roughly 60-70% cheaper.
#   FIN-GPU-003 idle-gpu-capacity: autoscaling.min_node_count = 1 (from
#     terraform.tfvars) keeps one 8x A100 node up between runs (~$21k/month).
#   FIN-TAG-001 missing-cost-allocation-tags: no resource_labels on the pool,
#     and the cluster labels it inherits lack cost-center.
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

    guest_accelerator {
      type  = "nvidia-tesla-a100"
      count = 8

      gpu_driver_installation_config {
        gpu_driver_version = "LATEST"
      }
    }

    service_account = var.node_service_account
    oauth_scopes    = ["https://www.googleapis.com/auth/cloud-platform"]

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
