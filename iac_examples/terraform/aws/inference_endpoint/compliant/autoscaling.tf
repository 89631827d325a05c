# Scale the variant between 1 and 4 instances on invocations per instance.
# One instance covers the overnight trough; the daytime peak needs 3-4.

resource "aws_appautoscaling_target" "assistant" {
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.assistant.name}/variant/${var.variant_name}"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = var.autoscaling_min_capacity
  max_capacity       = var.autoscaling_max_capacity
}

resource "aws_appautoscaling_policy" "assistant_invocations" {
  name               = "${local.endpoint_name}-invocations-per-instance"
  policy_type        = "TargetTrackingScaling"
  service_namespace  = aws_appautoscaling_target.assistant.service_namespace
  resource_id        = aws_appautoscaling_target.assistant.resource_id
  scalable_dimension = aws_appautoscaling_target.assistant.scalable_dimension

  target_tracking_scaling_policy_configuration {
    predefined_metric_specification {
      predefined_metric_type = "SageMakerVariantInvocationsPerInstance"
    }

    # Invocations per instance per minute; load tests put TGI's knee at ~40
    # concurrent 1k-token generations on 4x A10G.
    target_value       = var.invocations_per_instance_target
    scale_out_cooldown = 120
    scale_in_cooldown  = 600
  }
}
