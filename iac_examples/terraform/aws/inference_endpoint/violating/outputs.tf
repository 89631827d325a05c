output "endpoint_name" {
  description = "Name the application invokes."
  value       = aws_sagemaker_endpoint.assistant.name
}

output "notebook_url" {
  description = "Presigned-URL host of the prompt-lab notebook."
  value       = aws_sagemaker_notebook_instance.research.url
}
