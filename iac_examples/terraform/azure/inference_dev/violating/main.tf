# Developer copy of the docs-assistant model server: vLLM serving an AWQ
# 4-bit 8B instruct model on one T4, reachable only from the corp VNet.

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

resource "azurerm_network_interface" "serving" {
  name                = "nic-${local.name}"
  location            = azurerm_resource_group.serving.location
  resource_group_name = azurerm_resource_group.serving.name

  ip_configuration {
    name                          = "internal"
    subnet_id                     = data.azurerm_subnet.apps.id
    private_ip_address_allocation = "Dynamic"
  }

  tags = local.common_tags
}

# finops-lint expectations for this VM (violating example):
#   FIN-GPU-003 idle-gpu-capacity: a GPU VM (Standard_NC4as_T4_v3, ~$0.66/h,
#     ~$480/month) tagged environment = "dev" runs 24/7 with no auto-shutdown
#     or scale-to-zero, while developers use it a few hours on workdays.
resource "azurerm_linux_virtual_machine" "serving" {
  name                = "vm-${local.name}"
  location            = azurerm_resource_group.serving.location
  resource_group_name = azurerm_resource_group.serving.name
  size                = var.vm_size
  admin_username      = "azureuser"

  network_interface_ids = [azurerm_network_interface.serving.id]

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
}
