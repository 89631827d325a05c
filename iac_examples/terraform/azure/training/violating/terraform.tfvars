subscription_id    = "00000000-0000-0000-0000-000000000000"
location           = "eastus"
team               = "applied-ml"
cost_center        = "cc-6200-applied"
environment        = "production"
kubernetes_version = "1.30"

gpu_vm_size = "Standard_NC24ads_A100_v4"

# Regular priority and one warm node, "so the first job of the day starts fast".
gpu_priority  = "Regular"
gpu_min_count = 1
gpu_max_count = 6
