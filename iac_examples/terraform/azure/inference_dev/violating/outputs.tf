output "private_ip" {
  description = "Private IP of the dev model server (port 8000)."
  value       = azurerm_network_interface.serving.private_ip_address
}
