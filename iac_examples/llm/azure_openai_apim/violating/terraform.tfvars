prefix        = "contoso-assist"
chat_capacity = 120
tags = {
  team          = "assistants"
  "cost-center" = "cc-4410"
  environment   = "prod"
}
