# Customer support assistant: Azure OpenAI (gpt-4o) called by the web app through API Management.
resource "azurerm_resource_group" "ai" {
  name     = "rg-${var.prefix}"
  location = var.location
  tags     = var.tags
}

resource "azurerm_cognitive_account" "openai" {
  name                  = "oai-${var.prefix}"
  location              = azurerm_resource_group.ai.location
  resource_group_name   = azurerm_resource_group.ai.name
  kind                  = "OpenAI"
  sku_name              = "S0"
  custom_subdomain_name = "oai-${var.prefix}"
  # public_network_access_enabled defaults to true and there is no network_acls block:
  # anyone with a key can call the account directly, around API Management.
  tags = var.tags
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
    capacity = var.chat_capacity # x 1,000 tokens per minute
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

resource "azurerm_api_management_api" "openai" {
  name                  = "azure-openai"
  resource_group_name   = azurerm_resource_group.ai.name
  api_management_name   = azurerm_api_management.gw.name
  revision              = "1"
  display_name          = "Azure OpenAI"
  path                  = "openai"
  protocols             = ["https"]
  service_url           = "${azurerm_cognitive_account.openai.endpoint}openai"
  subscription_required = true
}

# The policy only authenticates to the backend: no token or call limit.
resource "azurerm_api_management_api_policy" "openai" {
  api_name            = azurerm_api_management_api.openai.name
  api_management_name = azurerm_api_management.gw.name
  resource_group_name = azurerm_resource_group.ai.name
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    <authentication-managed-identity resource="https://cognitiveservices.azure.com" />
  </inbound>
  <backend><base /></backend>
  <outbound><base /></outbound>
</policies>
XML
}
