project_id  = "acme-research-prod"
region      = "europe-west4"
team        = "research"
environment = "production"

network              = "projects/acme-net-host/global/networks/shared-vpc"
subnetwork           = "projects/acme-net-host/regions/europe-west4/subnetworks/gke-training-euw4"
node_service_account = "gke-training-nodes@acme-research-prod.iam.gserviceaccount.com"

gpu_zones        = ["europe-west4-a"]
gpu_machine_type = "a2-highgpu-8g"

# One warm node "so researchers don't wait for a scale-up".
gpu_min_nodes = 1
gpu_max_nodes = 4
