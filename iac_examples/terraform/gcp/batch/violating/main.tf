# One VM per nightly GPU ETL job. A Cloud Scheduler job starts each VM at
# 02:00 UTC; the startup script runs the job (RAPIDS / Ray Data) from the
# container image and powers the VM off when it finishes.

locals {
  common_labels = {
    team        = var.team
    cost-center = var.cost_center
    environment = var.environment
    managed-by  = "terraform"
  }
}

# finops-lint expectations for every instance of this resource
# (etl["embeddings"], etl["dedup"]; violating example):
#   FIN-GPU-001 gpu-on-demand-for-batch: scheduling uses the STANDARD
#     provisioning model (no SPOT/preemptible) for restartable batch ETL;
#     Spot VMs and Spot T4s cost roughly 60-90% less.
#   FIN-GPU-002 oversized-gpu-for-batch: 4x nvidia-tesla-t4 per VM for jobs
#     that shard over one GPU per process and are I/O-bound; most of the
#     n1-standard-16 + 4x T4 (~$2.16/h) sits idle.
resource "google_compute_instance" "etl" {
  for_each = var.etl_jobs

  name         = "gpu-etl-${each.key}"
  zone         = each.value.zone
  machine_type = var.machine_type

  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = var.gpus_per_instance
  }

  # GPU VMs cannot live-migrate.
  scheduling {
    on_host_maintenance = "TERMINATE"
    automatic_restart   = true
  }

  boot_disk {
    initialize_params {
      image = var.boot_image
      size  = 200
      type  = "pd-balanced"
    }
  }

  network_interface {
    subnetwork = var.subnetwork
    # No access_config: no external IP, egress through Cloud NAT.
  }

  service_account {
    email  = var.service_account_email
    scopes = ["cloud-platform"]
  }

  metadata = {
    install-nvidia-driver = "True"
    enable-oslogin        = "TRUE"
    startup-script        = <<-EOT
      #!/bin/bash
      docker run --gpus all --rm ${var.etl_image} \
        run-job ${each.key} --input ${each.value.input} --output ${each.value.output}
      shutdown -h now
    EOT
  }

  labels = merge(local.common_labels, {
    workload = "batch"
    job      = each.key
  })
}
