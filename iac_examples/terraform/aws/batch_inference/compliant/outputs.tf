output "autoscaling_group_name" {
  description = "ASG name; Airflow calls SetDesiredCapacity on it."
  value       = aws_autoscaling_group.embed_batch.name
}

output "launch_template_id" {
  description = "Launch template of the embedding workers."
  value       = aws_launch_template.embed_batch.id
}

output "eval_instance_ids" {
  description = "IDs of the eval runners."
  value       = aws_instance.eval[*].id
}
