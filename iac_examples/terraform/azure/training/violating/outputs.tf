output "cluster_name" {
  description = "AKS cluster name."
  value       = azurerm_kubernetes_cluster.ml.name
}

output "gpu_node_pool_id" {
  description = "ID of the fine-tuning node pool."
  value       = module.finetune_pool.id
}
