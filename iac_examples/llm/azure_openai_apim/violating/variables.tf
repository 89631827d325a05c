variable "location" {
  type    = string
  default = "eastus"
}

variable "prefix" {
  type = string
}

variable "chat_capacity" {
  description = "Thousands of tokens per minute for the chat deployment."
  type        = number
  default     = 50
}

variable "tags" {
  type    = map(string)
  default = {}
}
