subscription_id = "11111111-1111-1111-1111-111111111111"
location        = "westeurope"
team            = "docs-experience"
cost_center     = "cc-7400-docs"
environment     = "production"

vnet_name                        = "vnet-spoke-apps-weu"
vnet_resource_group_name         = "rg-network-spoke-weu"
subnet_name                      = "snet-ml-serving"
app_gateway_backend_pool_id      = "/subscriptions/11111111-1111-1111-1111-111111111111/resourceGroups/rg-edge-weu/providers/Microsoft.Network/applicationGateways/agw-edge-weu/backendAddressPools/docs-assistant"
app_insights_name                = "appi-docs-assistant-weu"
app_insights_resource_group_name = "rg-observability-weu"

vm_size       = "Standard_NC4as_T4_v3"
min_instances = 1
max_instances = 4

scale_out_requests_per_instance_5m = 600
scale_in_requests_per_instance_15m = 150

admin_ssh_public_key = "ssh-ed25519 AAAAC3NzaC1lZDI1NTE5AAAAIGx0ZXhhbXBsZWtleWZvcmRvY3Vt docs-platform@acme"
model_id             = "hugging-quants/Meta-Llama-3.1-8B-Instruct-AWQ-INT4"
