# AKS cluster running LoRA / QLoRA fine-tunes of 7-13B models submitted from
# the team's Azure ML pipelines (one A100 80GB per job). The GPU node pool is
# created by the shared ./modules/aks_gpu_pool module.
#
# Cost posture: the GPU pool is Spot and scales to zero. Jobs checkpoint to
# Blob storage every 500 steps and are re-queued on eviction.

locals {
  # Azure tag convention of this subscription (CostCenter is finance's key).
  common_tags = {
    team        = var.team
    CostCenter  = var.cost_center
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "azurerm_resource_group" "ml" {
  name     = "rg-applied-ml-${var.environment}-eus"
  location = var.location
  tags     = local.common_tags
}

resource "azurerm_kubernetes_cluster" "ml" {
  name                = "aks-applied-ml-${var.environment}-eus"
  location            = azurerm_resource_group.ml.location
  resource_group_name = azurerm_resource_group.ml.name
  dns_prefix          = "aks-applied-ml-${var.environment}"
  kubernetes_version  = var.kubernetes_version
  sku_tier            = "Standard"

  # Small system pool only; workloads go to user pools.
  default_node_pool {
    name                         = "system"
    vm_size                      = "Standard_D4ds_v5"
    auto_scaling_enabled         = true
    min_count                    = 1
    max_count                    = 3
    only_critical_addons_enabled = true
    os_disk_type                 = "Ephemeral"
    tags                         = local.common_tags

    upgrade_settings {
      max_surge = "33%"
    }
  }

  identity {
    type = "SystemAssigned"
  }

  network_profile {
    network_plugin      = "azure"
    network_plugin_mode = "overlay"
  }

  tags = local.common_tags
}

module "finetune_pool" {
  source = "./modules/aks_gpu_pool"

  name                  = "finetune"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.ml.id
  vm_size               = var.gpu_vm_size

  # Spot, evicted VMs are deleted (no deallocated disks left billing), and we
  # pay at most the pay-as-you-go price (-1) so price alone never evicts us.
  priority        = var.gpu_priority
  eviction_policy = "Delete"
  spot_max_price  = -1

  min_count = var.gpu_min_count
  max_count = var.gpu_max_count

  # AKS adds this label and taint to Spot pools itself; declaring them keeps
  # Terraform from showing a diff on every plan.
  node_labels = {
    workload                                = "fine-tuning"
    "kubernetes.azure.com/scalesetpriority" = "spot"
  }
  node_taints = [
    "nvidia.com/gpu=present:NoSchedule",
    "kubernetes.azure.com/scalesetpriority=spot:NoSchedule",
  ]

  # AKS does not copy cluster tags onto user pools: pass them explicitly.
  tags = merge(local.common_tags, {
    workload = "fine-tuning"
  })
}
