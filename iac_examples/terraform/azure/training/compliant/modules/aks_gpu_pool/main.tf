# Autoscaled AKS user node pool for GPU workloads.
# Note: AKS does not propagate the cluster's Azure tags to user node pools,
# so callers must pass var.tags.
resource "azurerm_kubernetes_cluster_node_pool" "this" {
  name                  = var.name
  kubernetes_cluster_id = var.kubernetes_cluster_id
  vm_size               = var.vm_size
  mode                  = "User"
  os_sku                = "Ubuntu"
  os_disk_size_gb       = var.os_disk_size_gb

  auto_scaling_enabled = true
  min_count            = var.min_count
  max_count            = var.max_count
  node_count           = var.min_count

  priority        = var.priority
  eviction_policy = var.eviction_policy
  spot_max_price  = var.spot_max_price

  node_labels = var.node_labels
  node_taints = var.node_taints

  tags = var.tags

  lifecycle {
    # The cluster autoscaler owns node_count after creation.
    ignore_changes = [node_count]
  }
}
