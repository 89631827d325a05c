subscription_id    = "00000000-0000-0000-0000-000000000000"
location           = "eastus"
team               = "applied-ml"
cost_center        = "cc-6200-applied"
environment        = "production"
kubernetes_version = "1.30"

gpu_vm_size = "Standard_NC24ads_A100_v4"

# Spot, scale to zero when no fine-tune is queued.
gpu_priority  = "Spot"
gpu_min_count = 0
gpu_max_count = 6
