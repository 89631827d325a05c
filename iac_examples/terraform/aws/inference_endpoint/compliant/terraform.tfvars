region      = "us-east-1"
team        = "support-ai"
cost_center = "cc-3300-cx"
environment = "production"

execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-support-assistant"
tgi_image          = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04"
model_data_url     = "s3://acme-models-use1/support-assistant/v14/model.tar.gz"
model_version      = "v14"

instance_type          = "ml.g5.12xlarge"
initial_instance_count = 1

autoscaling_min_capacity        = 1
autoscaling_max_capacity        = 4
invocations_per_instance_target = 30
