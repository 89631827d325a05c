# Production docs-assistant model servers: vLLM serving an AWQ 4-bit 8B
# instruct model, one T4 per instance, behind the shared Application Gateway.
# The per-developer dev VM was retired; developers use this service through
# its staging route, which costs no extra GPU. Scaling lives in autoscale.tf.

locals {
  name = "docs-assistant-${var.environment}"

  common_tags = {
    team        = var.team
    cost-center = var.cost_center
    environment = var.environment
    managed-by  = "terraform"
  }
}

resource "azurerm_resource_group" "serving" {
  name     = "rg-${local.name}-weu"
  location = var.location
  tags     = local.common_tags
}

# Shared spoke VNet owned by the network team.
data "azurerm_subnet" "apps" {
  name                 = var.subnet_name
  virtual_network_name = var.vnet_name
  resource_group_name  = var.vnet_resource_group_name
}

resource "azurerm_linux_virtual_machine_scale_set" "serving" {
  name                = "vmss-${local.name}"
  location            = azurerm_resource_group.serving.location
  resource_group_name = azurerm_resource_group.serving.name
  sku                 = var.vm_size
  instances           = var.min_instances
  admin_username      = "azureuser"
  upgrade_mode        = "Manual"
  zones               = ["1", "2", "3"]

  admin_ssh_key {
    username   = "azureuser"
    public_key = var.admin_ssh_public_key
  }

  os_disk {
    caching              = "ReadWrite"
    storage_account_type = "Premium_LRS"
    disk_size_gb         = 128
  }

  # Ubuntu HPC image: NVIDIA driver and CUDA preinstalled.
  source_image_reference {
    publisher = "microsoft-dsvm"
    offer     = "ubuntu-hpc"
    sku       = "2204"
    version   = "latest"
  }

  network_interface {
    name    = "nic-${local.name}"
    primary = true

    ip_configuration {
      name      = "internal"
      primary   = true
      subnet_id = data.azurerm_subnet.apps.id

      # Registered with the shared Application Gateway (owned by the edge team).
      application_gateway_backend_address_pool_ids = [var.app_gateway_backend_pool_id]
    }
  }

  custom_data = base64encode(<<-EOT
    #cloud-config
    runcmd:
      - docker run -d --gpus all --restart unless-stopped -p 8000:8000 ${var.vllm_image} --model ${var.model_id} --quantization awq --max-model-len 4096 --max-num-seqs 32
  EOT
  )

  tags = merge(local.common_tags, {
    workload = "inference"
    service  = "docs-assistant"
  })

  lifecycle {
    # The autoscale setting owns the instance count.
    ignore_changes = [instances]
  }
}
