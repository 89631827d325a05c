output "cluster_name" {
  description = "GKE cluster name for kubectl / Kueue config."
  value       = google_container_cluster.training.name
}

output "cluster_endpoint" {
  description = "Control-plane endpoint."
  value       = google_container_cluster.training.endpoint
  sensitive   = true
}

output "gpu_node_pool" {
  description = "Name of the A100 training pool."
  value       = google_container_node_pool.a100_training.name
}
