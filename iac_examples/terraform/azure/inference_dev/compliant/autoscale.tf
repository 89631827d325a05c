# Scale the model servers on request rate per instance, read from the
# service's Application Insights (the gateway sidecar logs every request).
# GPU servers are scaled on load, not CPU: vLLM keeps the CPU nearly idle.

data "azurerm_application_insights" "serving" {
  name                = var.app_insights_name
  resource_group_name = var.app_insights_resource_group_name
}

resource "azurerm_monitor_autoscale_setting" "serving" {
  name                = "autoscale-${local.name}"
  location            = azurerm_resource_group.serving.location
  resource_group_name = azurerm_resource_group.serving.name
  target_resource_id  = azurerm_linux_virtual_machine_scale_set.serving.id

  profile {
    name = "requests-per-instance"

    capacity {
      default = var.min_instances
      minimum = var.min_instances
      maximum = var.max_instances
    }

    # Scale out when an instance serves more than ~2 requests/s for 5 minutes.
    rule {
      metric_trigger {
        metric_name              = "requests/count"
        metric_namespace         = "microsoft.insights/components"
        metric_resource_id       = data.azurerm_application_insights.serving.id
        time_grain               = "PT1M"
        statistic                = "Sum"
        time_window              = "PT5M"
        time_aggregation         = "Total"
        operator                 = "GreaterThan"
        threshold                = var.scale_out_requests_per_instance_5m
        divide_by_instance_count = true
      }

      scale_action {
        direction = "Increase"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT5M"
      }
    }

    # Scale in after 15 quiet minutes.
    rule {
      metric_trigger {
        metric_name              = "requests/count"
        metric_namespace         = "microsoft.insights/components"
        metric_resource_id       = data.azurerm_application_insights.serving.id
        time_grain               = "PT1M"
        statistic                = "Sum"
        time_window              = "PT15M"
        time_aggregation         = "Total"
        operator                 = "LessThan"
        threshold                = var.scale_in_requests_per_instance_15m
        divide_by_instance_count = true
      }

      scale_action {
        direction = "Decrease"
        type      = "ChangeCount"
        value     = "1"
        cooldown  = "PT15M"
      }
    }
  }

  tags = local.common_tags
}
