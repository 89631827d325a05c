output "gpu_node_group_name" {
  description = "Name of the GPU node group, for the training Job's nodeSelector docs."
  value       = module.gpu_nodes.node_group_name
}

output "gpu_node_group_arn" {
  description = "ARN of the GPU node group."
  value       = module.gpu_nodes.node_group_arn
}
