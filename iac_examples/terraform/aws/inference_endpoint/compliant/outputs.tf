output "endpoint_name" {
  description = "Name the application invokes."
  value       = aws_sagemaker_endpoint.assistant.name
}

output "scalable_target_resource_id" {
  description = "Application Auto Scaling resource id of the variant."
  value       = aws_appautoscaling_target.assistant.resource_id
}
