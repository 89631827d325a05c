project_id  = "acme-data-prod"
region      = "us-central1"
owner       = "data-platform"
cost_center = "cc-5100-data"
environment = "production"

subnetwork            = "projects/acme-net-host/regions/us-central1/subnetworks/data-batch-usc1"
service_account_email = "gpu-etl@acme-data-prod.iam.gserviceaccount.com"
etl_image             = "us-central1-docker.pkg.dev/acme-data-prod/etl/gpu-etl:2024.11.2"

# One T4 per Spot runner; big nights fan out over more jobs instead.
machine_type      = "n1-standard-8"
gpus_per_instance = 1

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
