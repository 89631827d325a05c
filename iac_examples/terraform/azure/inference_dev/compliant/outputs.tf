output "scale_set_id" {
  description = "ID of the model-server scale set."
  value       = azurerm_linux_virtual_machine_scale_set.serving.id
}

output "autoscale_setting_id" {
  description = "ID of the autoscale setting."
  value       = azurerm_monitor_autoscale_setting.serving.id
}
