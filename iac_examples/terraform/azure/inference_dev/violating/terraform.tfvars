subscription_id = "11111111-1111-1111-1111-111111111111"
location        = "westeurope"
team            = "docs-experience"
cost_center     = "cc-7400-docs"
environment     = "dev"

vnet_name                = "vnet-spoke-apps-weu"
vnet_resource_group_name = "rg-network-spoke-weu"
subnet_name              = "snet-ml-serving"

vm_size              = "Standard_NC4as_T4_v3"
admin_ssh_public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXhhbXBsZWtleWZvcmRvY3Vt docs-platform@acme"
model_id             = "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4"
