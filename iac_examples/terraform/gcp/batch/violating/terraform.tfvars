project_id  = "acme-data-prod"
region      = "us-central1"
team        = "data-platform"
cost_center = "cc-5100-data"
environment = "production"

subnetwork            = "projects/acme-net-host/regions/us-central1/subnetworks/data-batch-usc1"
service_account_email = "gpu-etl@acme-data-prod.iam.gserviceaccount.com"
etl_image             = "us-central1-docker.pkg.dev/acme-data-prod/etl/gpu-etl:2024.11.2"

# "Four GPUs so the big nights finish before the morning dashboards."
machine_type      = "n1-standard-16"
gpus_per_instance = 4

etl_jobs = {
  embeddings = {
    zone   = "us-central1-a"
    input  = "gs://acme-lake/curated/support_tickets/"
    output = "gs://acme-lake/features/ticket_embeddings/"
  }
  dedup = {
    zone   = "us-central1-b"
    input  = "gs://acme-lake/raw/web_crawl/"
    output = "gs://acme-lake/curated/web_crawl_dedup/"
  }
}
