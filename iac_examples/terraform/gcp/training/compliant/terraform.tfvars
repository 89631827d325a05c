project_id  = "acme-research-prod"
region      = "europe-west4"
team        = "research"
cost_center = "cc-4120-research"
environment = "production"

network              = "projects/acme-net-host/global/networks/shared-vpc"
subnetwork           = "projects/acme-net-host/regions/europe-west4/subnetworks/gke-training-euw4"
node_service_account = "gke-training-nodes@acme-research-prod.iam.gserviceaccount.com"

gpu_zones        = ["europe-west4-a", "europe-west4-b"]
gpu_machine_type = "a2-highgpu-8g"

# Scale to zero between runs; Kueue + the autoscaler bring nodes up on demand.
gpu_min_nodes = 0
gpu_max_nodes = 4
