# Customer support assistant: Azure OpenAI (gpt-4o) reachable only through API Management,
# which meters tokens per subscription (azure-openai-token-limit in policies/openai.xml).
resource "azurerm_resource_group" "ai" {
  name     = "rg-${var.prefix}"
  location = var.location
  tags     = var.tags
}

resource "azurerm_cognitive_account" "openai" {
  name                          = "oai-${var.prefix}"
  location                      = azurerm_resource_group.ai.location
  resource_group_name           = azurerm_resource_group.ai.name
  kind                          = "OpenAI"
  sku_name                      = "S0"
  custom_subdomain_name         = "oai-${var.prefix}"
  public_network_access_enabled = false # private endpoint only; APIM reaches it over the VNet
  local_auth_enabled            = false
  tags                          = var.tags
}

resource "azurerm_cognitive_deployment" "chat" {
  name                 = "gpt-4o"
  cognitive_account_id = azurerm_cognitive_account.openai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-08-06"
  }
  sku {
    name     = "GlobalStandard"
    capacity = var.chat_capacity
  }
}

resource "azurerm_api_management" "gw" {
  name                = "apim-${var.prefix}"
  location            = azurerm_resource_group.ai.location
  resource_group_name = azurerm_resource_group.ai.name
  publisher_name      = "Contoso"
  publisher_email     = "platform@contoso.example"
  sku_name            = "Developer_1"
  tags                = var.tags
}

resource "azurerm_api_management_backend" "openai" {
  name                = "azure-openai-backend"
  resource_group_name = azurerm_resource_group.ai.name
  api_management_name = azurerm_api_management.gw.name
  protocol            = "http"
  url                 = "${azurerm_cognitive_account.openai.endpoint}openai"
}

resource "azurerm_api_management_api" "openai" {
  name                  = "azure-openai"
  resource_group_name   = azurerm_resource_group.ai.name
  api_management_name   = azurerm_api_management.gw.name
  revision              = "1"
  display_name          = "Azure OpenAI"
  path                  = "openai"
  protocols             = ["https"]
  subscription_required = true
}

resource "azurerm_api_management_api_policy" "openai" {
  api_name            = azurerm_api_management_api.openai.name
  api_management_name = azurerm_api_management.gw.name
  resource_group_name = azurerm_resource_group.ai.name
  xml_content         = file("${path.module}/policies/openai.xml")
}
