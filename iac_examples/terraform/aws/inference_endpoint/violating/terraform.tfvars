region      = "us-east-1"
team        = "support-ai"
cost_center = "cc-3300-cx"
environment = "staging"

execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker-support-assistant"
tgi_image          = "763104351884.dkr.ecr.us-east-1.amazonaws.com/huggingface-pytorch-tgi-inference:2.4.0-tgi2.3.1-gpu-py311-cu124-ubuntu22.04"
model_data_url     = "s3://acme-models-use1/support-assistant/v14/model.tar.gz"
model_version      = "v14"

instance_type          = "ml.g5.12xlarge"
initial_instance_count = 2

# "Same GPU as the endpoint so prompts behave the same."
notebook_instance_type      = "ml.g5.xlarge"
notebook_subnet_id          = "subnet-0b7c8d9e0f1a2b3c4"
notebook_security_group_ids = ["sg-0a9b8c7d6e5f40312"]
