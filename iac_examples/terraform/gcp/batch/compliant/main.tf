# One VM per nightly GPU ETL job. A Cloud Scheduler job starts each VM at
# 02:00 UTC; the startup script runs the job (RAPIDS / Ray Data) from the
# container image and powers the VM off when it finishes.
#
# Cost posture: Spot VMs with one T4 each. Jobs write idempotent output
# partitions, so a preempted run resumes where it stopped on the next start.

locals {
  # This org's label convention: `owner` for the team and `cost_center`
  # with an underscore (both accepted aliases of team / cost-center).
  common_labels = {
    owner       = var.owner
    cost_center = var.cost_center
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "google_compute_instance" "etl" {
  for_each = var.etl_jobs

  name         = "gpu-etl-${each.key}"
  zone         = each.value.zone
  machine_type = var.machine_type

  guest_accelerator {
    type  = "nvidia-tesla-t4"
    count = var.gpus_per_instance
  }

  # Spot: stopped (not deleted) on preemption so Terraform state stays valid
  # and the scheduler's next start resumes the job.
  scheduling {
    provisioning_model          = "SPOT"
    preemptible                 = true
    automatic_restart           = false
    on_host_maintenance         = "TERMINATE"
    instance_termination_action = "STOP"
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
        run-job ${each.key} --input ${each.value.input} --output ${each.value.output} --resume
      shutdown -h now
    EOT
  }

  labels = merge(local.common_labels, {
    workload = "batch"
    job      = each.key
  })
}
