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
  description = "Subnet for the model server."
  type        = string
}

variable "vm_size" {
  description = "GPU VM size."
  type        = string
  default     = "Standard_NC4as_T4_v3"
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
