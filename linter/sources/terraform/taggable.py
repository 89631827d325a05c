"""Which Terraform resource types carry cost-allocation tags or labels.

A type counts as taggable when it is listed here (cost-bearing types that support tags)
or when its configuration sets ``tags``/``labels`` anyway; helper types such as IAM policy
attachments or security-group rules never do.
"""

from __future__ import annotations

from typing import Any

TAGGABLE_TYPES = frozenset({
    # AWS compute and AI
    "aws_instance", "aws_spot_instance_request", "aws_launch_template", "aws_autoscaling_group",
    "aws_eks_cluster", "aws_eks_node_group", "aws_ecs_cluster", "aws_ecs_service", "aws_batch_compute_environment",
    "aws_sagemaker_endpoint", "aws_sagemaker_endpoint_configuration", "aws_sagemaker_notebook_instance",
    "aws_sagemaker_model", "aws_sagemaker_domain", "aws_sagemaker_space", "aws_lambda_function",
    "aws_emr_cluster", "aws_bedrock_provisioned_model_throughput", "aws_bedrockagent_agent",
    # AWS storage and data
    "aws_s3_bucket", "aws_ebs_volume", "aws_efs_file_system", "aws_fsx_lustre_file_system", "aws_db_instance",
    "aws_rds_cluster", "aws_elasticache_cluster", "aws_elasticache_replication_group", "aws_dynamodb_table",
    "aws_opensearch_domain", "aws_kinesis_stream", "aws_msk_cluster", "aws_redshift_cluster",
    "aws_ecr_repository", "aws_cloudwatch_log_group",
    # AWS network
    "aws_lb", "aws_nat_gateway", "aws_vpc_endpoint", "aws_eip", "aws_api_gateway_rest_api", "aws_apigatewayv2_api",
    # GCP
    "google_compute_instance", "google_compute_instance_template", "google_compute_region_instance_template",
    "google_container_cluster", "google_container_node_pool", "google_storage_bucket", "google_compute_disk",
    "google_sql_database_instance", "google_vertex_ai_endpoint", "google_vertex_ai_index_endpoint",
    "google_bigquery_dataset", "google_redis_instance", "google_tpu_v2_vm", "google_workbench_instance",
    "google_notebooks_instance", "google_filestore_instance", "google_cloud_run_v2_service",
    "google_dataproc_cluster",
    # Azure
    "azurerm_linux_virtual_machine", "azurerm_windows_virtual_machine", "azurerm_virtual_machine",
    "azurerm_linux_virtual_machine_scale_set", "azurerm_windows_virtual_machine_scale_set",
    "azurerm_orchestrated_virtual_machine_scale_set", "azurerm_kubernetes_cluster",
    "azurerm_kubernetes_cluster_node_pool", "azurerm_machine_learning_workspace",
    "azurerm_machine_learning_compute_cluster", "azurerm_machine_learning_compute_instance",
    # azurerm_cognitive_deployment has no tags argument: its spend is tagged through the cognitive account
    "azurerm_cognitive_account", "azurerm_storage_account", "azurerm_managed_disk",
    "azurerm_postgresql_flexible_server", "azurerm_mssql_database", "azurerm_container_registry",
    "azurerm_api_management", "azurerm_container_app", "azurerm_resource_group",
})


def is_taggable(resource_type: str, values: dict[str, Any]) -> bool:
    return resource_type in TAGGABLE_TYPES or "tags" in values or "labels" in values
