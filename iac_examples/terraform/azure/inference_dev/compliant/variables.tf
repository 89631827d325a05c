variable "subscription_id" {
  description = "Subscription of the docs-assistant workload."
  type        = string
}

variable "location" {
  description = "Azure region."
  type        = string
  default     = "westeurope"
}

variable "team" {
  description = "Owning team (tag)."
  type        = string
}

variable "cost_center" {
  description = "Finance cost center (tag)."
  type        = string
}

variable "environment" {
  description = "Deployment environment (tag and name suffix)."
  type        = string
}

variable "vnet_name" {
  description = "Spoke VNet name."
  type        = string
}

variable "vnet_resource_group_name" {
  description = "Resource group of the spoke VNet."
  type        = string
}

variable "subnet_name" {
  description = "Subnet for the model servers."
  type        = string
}

variable "app_gateway_backend_pool_id" {
  description = "Backend pool of the shared Application Gateway."
  type        = string
}

variable "app_insights_name" {
  description = "Application Insights component of the service."
  type        = string
}

variable "app_insights_resource_group_name" {
  description = "Resource group of the Application Insights component."
  type        = string
}

variable "vm_size" {
  description = "GPU VM size of each instance."
  type        = string
  default     = "Standard_NC4as_T4_v3"
}

variable "min_instances" {
  description = "Fewest model servers (also the initial count)."
  type        = number
  default     = 1
}

variable "max_instances" {
  description = "Most model servers."
  type        = number
  default     = 4
}

variable "scale_out_requests_per_instance_5m" {
  description = "Requests per instance over 5 minutes above which to add an instance."
  type        = number
  default     = 600
}

variable "scale_in_requests_per_instance_15m" {
  description = "Requests per instance over 15 minutes below which to remove an instance."
  type        = number
  default     = 150
}

variable "admin_ssh_public_key" {
  description = "SSH public key for break-glass access."
  type        = string
}

variable "vllm_image" {
  description = "vLLM OpenAI-compatible server image."
  type        = string
  default     = "vllm/vllm-openai:v0.6.3"
}

variable "model_id" {
  description = "Model to serve (Hugging Face id or local path)."
  type        = string
}
