"""FIN-LLM-001, FIN-LLM-002, FIN-GPU-005 on realistic configs: findings, dollar figures redone from the
catalogs, usage files that change the figures, and compliant variants that stay silent."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from conftest import EXAMPLES, ROOT, run_cli, scan_json, write
from linter.facts.llm import GIB
from linter.pricing.catalog import Catalog
from linter.pricing.tokens import token_price
from linter.usage import DEFAULTS

LLM = EXAMPLES / "llm"
HOURS = 730

EXPECTED = {
    "vllm_loadbalancer/violating": {
        ("FIN-LLM-001", "Deployment/llm-serving/llama-chat", "vllm-llama.yaml", 31),
        ("FIN-LLM-002", "Deployment/llm-serving/llama-chat", "vllm-llama.yaml", 31),
        ("FIN-GPU-005", "Deployment/llm-serving/llama-chat", "vllm-llama.yaml", 31),
        ("FIN-LLM-001", "Deployment/llm-serving/ollama-summarise", "ollama-internal.yaml", 3),
    },
    "litellm_proxy/violating": {
        ("FIN-LLM-001", "litellm/gpt-4o", "litellm-config.yaml", 4),
        ("FIN-LLM-002", "litellm/gpt-4o", "litellm-config.yaml", 4),
        ("FIN-LLM-001", "litellm/claude-sonnet", "litellm-config.yaml", 13),
        ("FIN-LLM-002", "litellm/claude-sonnet", "litellm-config.yaml", 13),
        ("FIN-LLM-001", "litellm/llama-3.1-8b", "litellm-config.yaml", 18),
        ("FIN-LLM-002", "litellm/embeddings", "litellm-config.yaml", 23),
    },
    "azure_openai_apim/violating": {
        ("FIN-LLM-002", "azurerm_cognitive_deployment.chat", "main.tf", 20),
    },
}


@pytest.mark.parametrize("variant", sorted(EXPECTED))
def test_violating_examples(variant: str) -> None:
    run = scan_json(".", cwd=LLM / variant)
    assert run.exit_code == 1
    assert {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in run.findings()} == EXPECTED[variant]
    assert run.report["errors"] == []


@pytest.mark.parametrize("scenario", ["vllm_loadbalancer", "litellm_proxy", "azure_openai_apim"])
def test_compliant_examples_are_silent(scenario: str) -> None:
    run = scan_json(".", cwd=LLM / scenario / "compliant")
    assert run.exit_code == 0, run.findings()
    assert run.report["findings"] == [] and run.report["errors"] == [] and run.report["skipped"] == []


def test_compliant_examples_hold_the_facts_that_keep_them_silent() -> None:
    run = scan_json(".", cwd=LLM / "vllm_loadbalancer" / "compliant")
    res = {r["address"]: r["llm"] for r in run.report["resources"] if "llm" in r}
    assert res["Deployment/llm-serving/llama-chat"]["token_caps"] == {"max-model-len": 8192}  # --flag=$(VAR)
    assert res["Deployment/llm-serving/llama-chat"]["rate_limited"] is True
    assert res["Deployment/llm-serving/ollama-summarise"]["token_caps"] == {"OLLAMA_CONTEXT_LENGTH": 8192}  # env
    faq = res["Deployment/llm-serving/faq-bot"]  # a 4-bit 7B on the cheapest catalog GPU that holds it
    assert (faq["quantization"], faq["params_b"]) == ("awq", 7.24)
    cat = Catalog()
    cheapest = min(p.usd_per_hour for name in cat.data("aws")["machine_types"]
                   if not name.startswith(("ml.", "g5g", "g4ad")) and cat.machine("aws", name).get("gpu")
                   and (p := cat.hourly("aws", "us-east-1", name)))
    assert cat.hourly("aws", "us-east-1", "g4dn.xlarge").usd_per_hour == cheapest
    run = scan_json(".", cwd=LLM / "azure_openai_apim" / "compliant")
    chat = {r["address"]: r for r in run.report["resources"]}["azurerm_cognitive_deployment.chat"]["llm"]
    assert chat["public"] is True  # through the public APIM gateway; the account itself is private
    assert chat["public_evidence"][0].startswith("public_network_access_enabled = false on azurerm_cognitive_account")
    assert chat["rate_limits"] == [
        "<azure-openai-token-limit tokens-per-minute=20000 token-quota=50000000 token-quota-period=Monthly> in "
        "azurerm_api_management_api_policy.openai (policy file policies/openai.xml)"]


def _blended(price, inp: float, out: float) -> float:
    return (inp * price.input_per_mtok + out * price.output_per_mtok) / (inp + out) / 1e6


def test_azure_openai_ceiling_is_capacity_times_tokens_per_minute() -> None:
    run = scan_json(".", cwd=LLM / "azure_openai_apim" / "violating")
    f = run.finding("FIN-LLM-002", "azurerm_cognitive_deployment.chat")
    price = token_price("azure/gpt-4o")
    capacity = 120  # terraform.tfvars chat_capacity
    ceiling = capacity * 1000 * 60 * HOURS * _blended(price, DEFAULTS["input_tokens_per_request"],
                                                       DEFAULTS["output_tokens_per_request"])
    assert f["impact"]["kind"] == "exposure"
    assert f["impact"]["monthly_usd"] == pytest.approx(round(ceiling, 2), abs=0.01)
    assert "is public" in f["message"]
    assert any(a.startswith("usage: 1,000 input tokens/request (built-in default") for a in f["impact"]["assumptions"])
    text = run_cli("scan", ".", cwd=LLM / "azure_openai_apim" / "violating").stdout
    assert "- ceiling = 120,000 tokens/min x 60 x 730 h x 1 duty" in text  # shown without -v


def test_usage_file_changes_the_figure_by_type_address_and_wildcard(tmp_path: Path) -> None:
    usage = tmp_path / "usage.yml"
    usage.write_text("""\
version: 0.1
resource_type_default_usage:
  azurerm_cognitive_deployment:
    input_tokens_per_request: 3000
    output_tokens_per_request: 500
resource_usage:
  azurerm_cognitive_deployment.chat:
    hours_per_day: 10
  litellm/gpt-4o:
    monthly_requests: 20000
    output_tokens_per_request: 400
""")
    run = scan_json(".", "--usage-file", str(usage), cwd=LLM / "azure_openai_apim" / "violating")
    f = run.finding("FIN-LLM-002", "azurerm_cognitive_deployment.chat")
    price = token_price("azure/gpt-4o")
    assert f["impact"]["monthly_usd"] == pytest.approx(round(120_000 * 60 * HOURS * 10 / 24 * _blended(price, 3000, 500),
                                                             2), abs=0.01)
    assert f"usage: in use 10 h/day ({usage}: resource_usage.azurerm_cognitive_deployment.chat)" in \
        f["impact"]["assumptions"]
    assert f"usage: 3,000 input tokens/request ({usage}: resource_type_default_usage.azurerm_cognitive_deployment)" \
        in f["impact"]["assumptions"]

    run = scan_json(".", "--usage-file", str(usage), cwd=LLM / "litellm_proxy" / "violating")
    cap = run.finding("FIN-LLM-001", "litellm/gpt-4o")
    assert cap["impact"]["monthly_usd"] == pytest.approx(
        round(20_000 * (price.max_output_tokens - 400) * price.output_per_mtok / 1e6, 2), abs=0.01)
    default = run.finding("FIN-LLM-001", "litellm/claude-sonnet")  # no entry: built-in defaults
    claude = token_price("bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0")
    assert default["impact"]["monthly_usd"] == pytest.approx(round(
        DEFAULTS["monthly_requests"] * (claude.max_output_tokens - DEFAULTS["output_tokens_per_request"])
        * claude.output_per_mtok / 1e6, 2), abs=0.01)


def test_usage_wildcard_and_config_key(tmp_path: Path) -> None:
    write(tmp_path, {
        "main.tf": AZURE_TWO_DEPLOYMENTS,
        "finops/usage.yml": "resource_usage:\n  azurerm_cognitive_deployment.chat[*]:\n    hours_per_day: 12\n",
        ".finops-lint.yaml": "usage_file: finops/usage.yml\n",
    })
    run = scan_json(".", cwd=tmp_path)
    price = token_price("azure/gpt-4o-mini")
    each = round(30_000 * 60 * HOURS * 0.5 * _blended(
        price, DEFAULTS["input_tokens_per_request"], DEFAULTS["output_tokens_per_request"]), 2)
    f = run.finding("FIN-LLM-002", "azurerm_cognitive_deployment.chat")  # for_each instances: one finding
    assert {i["resource"]: i["impact_usd"] for i in f["instances"]} == {
        'azurerm_cognitive_deployment.chat["eu"]': pytest.approx(each, abs=0.01),
        'azurerm_cognitive_deployment.chat["us"]': pytest.approx(each, abs=0.01)}
    assert f["impact"]["monthly_usd"] == pytest.approx(2 * each, abs=0.02)


def test_bad_usage_file_is_one_line_naming_the_key(tmp_path: Path) -> None:
    bad = tmp_path / "usage.yml"
    bad.write_text("resource_usage:\n  litellm/gpt-4o:\n    monthly_requets: 5\n")
    run = scan_json(".", "--usage-file", str(bad), cwd=LLM / "litellm_proxy" / "violating")
    assert run.exit_code == 2
    assert run.stderr.strip().splitlines() == [
        f"finops-lint: error: {bad}: key 'resource_usage.litellm/gpt-4o.monthly_requets': unknown usage key "
        "(known: monthly_requests, input_tokens_per_request, output_tokens_per_request, hours_per_day)"]
    bad.write_text("resource_type_default_usage:\n  litellm_model: {hours_per_day: 30}\n")
    assert "at most 24" in scan_json(".", "--usage-file", str(bad), cwd=tmp_path).stderr


AZURE_TWO_DEPLOYMENTS = """\
provider "azurerm" {
  features {}
}

resource "azurerm_cognitive_account" "oai" {
  name                = "oai-contoso"
  location            = "westeurope"
  resource_group_name = "rg-ai"
  kind                = "OpenAI"
  sku_name            = "S0"
  network_acls {
    default_action = "Deny"
    ip_rules       = ["203.0.113.0/24"]
  }
  tags = { team = "ai", "cost-center" = "cc-1", environment = "prod" }
}

resource "azurerm_cognitive_deployment" "chat" {
  for_each             = toset(["eu", "us"])
  name                 = "gpt-4o-mini-${each.key}"
  cognitive_account_id = azurerm_cognitive_account.oai.id
  model {
    format  = "OpenAI"
    name    = "gpt-4o-mini"
    version = "2024-07-18"
  }
  sku {
    name     = "Standard"
    capacity = 30
  }
}
"""


def test_private_account_without_limits_is_still_a_per_token_ceiling(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": AZURE_TWO_DEPLOYMENTS})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-LLM-002", "azurerm_cognitive_deployment.chat")
    assert "is billed per token" in f["message"] and len(f["instances"]) == 2
    assert f["impact"]["assumptions"][0] == ("network_acls default_action = Deny on azurerm_cognitive_account.oai "
                                             "(main.tf:5) (allows 1 IP range(s))")


APIM_INLINE = """\
resource "azurerm_api_management" "gw" {
  name                 = "apim-contoso"
  location             = "westeurope"
  resource_group_name  = "rg-ai"
  publisher_name       = "Contoso"
  publisher_email      = "ops@contoso.example"
  sku_name             = "StandardV2_1"
  virtual_network_type = "VNETTYPE"
}

resource "azurerm_api_management_api" "oai" {
  name                = "oai"
  resource_group_name = "rg-ai"
  api_management_name = azurerm_api_management.gw.name
  revision            = "1"
  path                = "openai"
  protocols           = ["https"]
  service_url         = "${azurerm_cognitive_account.oai.endpoint}openai"
}

resource "azurerm_api_management_api_policy" "oai" {
  api_name            = azurerm_api_management_api.oai.name
  api_management_name = azurerm_api_management.gw.name
  resource_group_name = "rg-ai"
  xml_content         = <<XML
<policies>
  <inbound>
    <base />
    POLICY
  </inbound>
</policies>
XML
}
"""


@pytest.mark.parametrize("policy, limit", [
    ('<llm-token-limit counter-key="@(context.Subscription.Id)" tokens-per-minute="5000" estimate-prompt-tokens="false" />',
     "<llm-token-limit tokens-per-minute=5000>"),
    ('<rate-limit-by-key calls="60" renewal-period="60" counter-key="@(context.Request.IpAddress)" />',
     "<rate-limit-by-key calls=60 renewal-period=60>"),
    ('<quota calls="100000" renewal-period="2592000" />', "<quota calls=100000 renewal-period=2592000>"),
])
def test_apim_policy_limits_in_inline_xml(tmp_path: Path, policy: str, limit: str) -> None:
    write(tmp_path, {"main.tf": AZURE_TWO_DEPLOYMENTS + APIM_INLINE.replace("POLICY", policy)
                     .replace("VNETTYPE", "External")})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-LLM-002") == []
    res = {r["address"]: r for r in run.report["resources"]}
    llm = res['azurerm_cognitive_deployment.chat["us"]']["llm"]
    assert llm["rate_limits"] == [f"{limit} in azurerm_api_management_api_policy.oai (xml_content)"]
    assert llm["public"] is True  # the APIM gateway is public even though the account is not


def test_apim_without_limit_policy_does_not_count(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": AZURE_TWO_DEPLOYMENTS + APIM_INLINE.replace(
        "POLICY", '<set-header name="api-key" exists-action="delete" />').replace("VNETTYPE", "Internal")})
    run = scan_json(".", cwd=tmp_path)
    assert len(run.finding("FIN-LLM-002", "azurerm_cognitive_deployment.chat")["instances"]) == 2


# -- AWS: API Gateway, SageMaker, Bedrock ----------------------------------------------------------

SAGEMAKER = """\
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "ml", "cost-center" = "cc-7", environment = "prod" }
  }
}

data "aws_sagemaker_prebuilt_ecr_image" "tgi" {
  repository_name = "huggingface-pytorch-tgi-inference"
  image_tag       = "2.4.0-tgi2.4.0-gpu-py311-cu124-ubuntu22.04"
}

resource "aws_sagemaker_model" "mistral" {
  name               = "mistral-7b-chat"
  execution_role_arn = "arn:aws:iam::123456789012:role/sagemaker"
  primary_container {
    image = data.aws_sagemaker_prebuilt_ecr_image.tgi.registry_path
    environment = {
      HF_MODEL_ID      = "mistralai/Mistral-7B-Instruct-v0.3"
      SM_NUM_GPUS      = "4"
      MAX_INPUT_LENGTH = "4096"CAPS
    }
  }
}

resource "aws_sagemaker_endpoint_configuration" "mistral" {
  name = "mistral-7b-chat"
  production_variants {
    variant_name           = "primary"
    model_name             = aws_sagemaker_model.mistral.name
    instance_type          = "ml.g5.12xlarge"
    initial_instance_count = 1
  }
}

resource "aws_sagemaker_endpoint" "mistral" {
  name                 = "mistral-7b-chat"
  endpoint_config_name = aws_sagemaker_endpoint_configuration.mistral.name
}

resource "aws_appautoscaling_target" "mistral" {
  service_namespace  = "sagemaker"
  resource_id        = "endpoint/${aws_sagemaker_endpoint.mistral.name}/variant/primary"
  scalable_dimension = "sagemaker:variant:DesiredInstanceCount"
  min_capacity       = 1
  max_capacity       = 1
}
"""


def test_sagemaker_tgi_environment_and_oversized_gpus(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": SAGEMAKER.replace("CAPS", "")})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    llm = res["aws_sagemaker_endpoint.mistral"]["llm"]
    assert (llm["server"], llm["model"], llm["tensor_parallel"]) == ("tgi", "mistralai/Mistral-7B-Instruct-v0.3", 4)
    assert llm["token_caps"] == {"max-input-length": 4096} and llm["public"] is False
    assert run.findings("FIN-LLM-001") == [] and run.findings("FIN-LLM-002") == []
    f = run.finding("FIN-GPU-005", "aws_sagemaker_endpoint.mistral")
    cat = Catalog()
    # 7.24 B x 2 bytes + 4,096 tokens x 128 KiB of KV cache fits 90% of one 16 GiB T4: the cheapest ml.* GPU type
    suggested = f["message"].split(" it fits ")[1].split(" ")[0]
    assert suggested == "ml.g4dn.xlarge" and "as is" in f["message"]
    need = (7.24e9 * 2 + 4096 * 2 * 32 * 8 * 128 * 2) / GIB
    assert need <= 0.9 * cat.machine("aws", "ml.g4dn.xlarge")["gpu"]["memory_gib"]
    ml_gpu = [p.usd_per_hour for name, spec in cat.data("aws")["machine_types"].items()
              if name.startswith("ml.") and spec.get("gpu") and (p := cat.hourly("aws", "us-east-1", name))]
    assert cat.hourly("aws", "us-east-1", "ml.g4dn.xlarge").usd_per_hour == min(ml_gpu)
    saving = (cat.hourly("aws", "us-east-1", "ml.g5.12xlarge").usd_per_hour
              - cat.hourly("aws", "us-east-1", "ml.g4dn.xlarge").usd_per_hour) * HOURS
    assert f["impact"]["monthly_usd"] == pytest.approx(round(saving, 2), abs=0.01)
    assert f["impact"]["suggested"]["gpus"] == 1 and f["impact"]["current"]["gpus"] == 4


def test_unknown_model_size_gives_no_gpu_finding(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": SAGEMAKER.replace("CAPS", "").replace("mistralai/Mistral-7B-Instruct-v0.3",
                                                                      "acme/support-assistant-v3")})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-GPU-005") == []


API_GATEWAY_V1 = """\
resource "aws_api_gateway_rest_api" "chat" {
  name = "chat-api"
  endpoint_configuration {
    types = ["ENDPOINT_TYPE"]
  }
}

resource "aws_api_gateway_resource" "invoke" {
  rest_api_id = aws_api_gateway_rest_api.chat.id
  parent_id   = aws_api_gateway_rest_api.chat.root_resource_id
  path_part   = "invoke"
}

resource "aws_api_gateway_method" "post" {
  rest_api_id      = aws_api_gateway_rest_api.chat.id
  resource_id      = aws_api_gateway_resource.invoke.id
  http_method      = "POST"
  authorization    = "NONE"
  api_key_required = KEY_REQUIRED
}

resource "aws_api_gateway_integration" "sagemaker" {
  rest_api_id             = aws_api_gateway_rest_api.chat.id
  resource_id             = aws_api_gateway_resource.invoke.id
  http_method             = aws_api_gateway_method.post.http_method
  type                    = "AWS"
  integration_http_method = "POST"
  uri                     = "arn:aws:apigateway:us-east-1:runtime.sagemaker:path//endpoints/${aws_sagemaker_endpoint.mistral.name}/invocations"
  credentials             = "arn:aws:iam::123456789012:role/apigw-sagemaker"
}

resource "aws_api_gateway_stage" "prod" {
  rest_api_id   = aws_api_gateway_rest_api.chat.id
  deployment_id = "abc123"
  stage_name    = "prod"
}

resource "aws_api_gateway_usage_plan" "partners" {
  name = "partners"
  api_stages {
    api_id = aws_api_gateway_rest_api.chat.id
    stage  = aws_api_gateway_stage.prod.stage_name
  }
  throttle_settings {
    rate_limit  = 10
    burst_limit = 20
  }
  quota_settings {
    limit  = 100000
    period = "MONTH"
  }
}
"""


@pytest.mark.parametrize("endpoint_type, key_required, public, limited", [
    ("REGIONAL", "true", True, True),
    ("REGIONAL", "false", True, False),  # a usage plan applies only to methods that require an API key
    ("PRIVATE", "false", False, False),
])
def test_api_gateway_v1_in_front_of_sagemaker(tmp_path: Path, endpoint_type: str, key_required: str, public: bool,
                                              limited: bool) -> None:
    write(tmp_path, {"main.tf": SAGEMAKER.replace("CAPS", '\n      MAX_TOTAL_TOKENS = "8192"')
                     + API_GATEWAY_V1.replace("ENDPOINT_TYPE", endpoint_type).replace("KEY_REQUIRED", key_required)})
    run = scan_json(".", cwd=tmp_path)
    llm = {r["address"]: r for r in run.report["resources"]}["aws_api_gateway_rest_api.chat"]["llm"]
    assert (llm["server"], llm["model"], llm["routes_to"]) == (
        "api-gateway", "mistralai/Mistral-7B-Instruct-v0.3", "aws_sagemaker_endpoint.mistral")
    assert (llm["public"], llm["rate_limited"]) == (public, limited)
    fired = {f["resource"] for f in run.findings("FIN-LLM-002")}
    assert fired == ({"aws_api_gateway_rest_api.chat"} if public and not limited else set())
    assert run.findings("FIN-LLM-001") == []


API_GATEWAY_V2 = """\
provider "aws" {
  region = "us-east-1"
}

resource "aws_lambda_function" "chat" {
  function_name = "support-chat"
  role          = "arn:aws:iam::123456789012:role/lambda"
  runtime       = "python3.12"
  handler       = "app.handler"
  filename      = "build/chat.zip"
  environment {
    variables = {
      BEDROCK_MODEL_ID = "anthropic.claude-3-5-haiku-20241022-v1:0"
    }
  }
}

resource "aws_apigatewayv2_api" "chat" {
  name          = "support-chat"
  protocol_type = "HTTP"
}

resource "aws_apigatewayv2_integration" "chat" {
  api_id                 = aws_apigatewayv2_api.chat.id
  integration_type       = "AWS_PROXY"
  integration_uri        = aws_lambda_function.chat.invoke_arn
  payload_format_version = "2.0"
}

resource "aws_apigatewayv2_stage" "live" {
  api_id      = aws_apigatewayv2_api.chat.id
  name        = "$default"
  auto_deploy = trueTHROTTLE
}
"""


def test_api_gateway_v2_in_front_of_a_bedrock_lambda(tmp_path: Path) -> None:
    write(tmp_path, {"open/main.tf": API_GATEWAY_V2.replace("THROTTLE", ""),
                     "limited/main.tf": API_GATEWAY_V2.replace("THROTTLE", """
  default_route_settings {
    throttling_rate_limit  = 5
    throttling_burst_limit = 10
  }""")})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-LLM-002", "aws_apigatewayv2_api.chat")
    assert f["file"] == "open/main.tf"
    price = token_price("bedrock/anthropic.claude-3-5-haiku-20241022-v1:0")
    a = DEFAULTS
    assert f["impact"]["monthly_usd"] == pytest.approx(round(a["monthly_requests"] * (
        a["input_tokens_per_request"] * price.input_per_mtok + a["output_tokens_per_request"] * price.output_per_mtok)
        / 1e6, 2), abs=0.01)
    limited = next(r for r in run.report["resources"] if r["file"] == "limited/main.tf" and "llm" in r)["llm"]
    assert limited["rate_limits"] == ["aws_apigatewayv2_stage.live default_route_settings: throttling_rate_limit "
                                      "5 req/s, burst 10"]


def test_bedrock_provisioned_throughput_is_capacity_not_public(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": """\
resource "aws_bedrock_provisioned_model_throughput" "claude" {
  provisioned_model_name = "claude-prod"
  model_arn              = "arn:aws:bedrock:us-east-1::foundation-model/anthropic.claude-3-5-sonnet-20240620-v1:0"
  commitment_duration    = "OneMonth"
  model_units            = 2
  tags = { team = "ml", "cost-center" = "cc-7", environment = "prod" }
}
"""})
    run = scan_json(".", cwd=tmp_path)
    llm = {r["address"]: r for r in run.report["resources"]}["aws_bedrock_provisioned_model_throughput.claude"]["llm"]
    assert (llm["billing"], llm["public"], llm["model"]) == ("capacity", False,
                                                             "anthropic.claude-3-5-sonnet-20240620-v1:0")
    assert llm["evidence"] == ["Bedrock provisioned throughput: 2 model unit(s), commitment OneMonth"]
    assert run.findings() == []


# -- FIN-GPU-005 figures ------------------------------------------------------------------------

def test_oversized_vllm_example_saving_from_the_catalog() -> None:
    run = scan_json(".", cwd=LLM / "vllm_loadbalancer" / "violating")
    f = run.finding("FIN-GPU-005", "Deployment/llm-serving/llama-chat")
    cat = Catalog()
    now = cat.hourly("aws", "us-east-1", "g5.12xlarge").usd_per_hour  # the pod takes all 4 GPUs of the node
    suggested = f["message"].split(" it fits ")[1].split(" ")[0]
    spec = cat.machine("aws", suggested)
    # uncapped: 8.03 B x 0.5 bytes (4-bit) + 131,072 tokens x 128 KiB of KV cache must fit 90% of one L4
    need_q = (8.03e9 * 0.5 + 131072 * 128 * 1024) / GIB
    assert spec["gpu"]["count"] == 1 and need_q <= 0.9 * spec["gpu"]["memory_gib"]
    assert spec["vcpus"] >= 8 and spec["memory_gib"] >= 48  # the pod's own requests still fit
    saving = (now - cat.hourly("aws", "us-east-1", suggested).usd_per_hour) * HOURS
    assert f["impact"]["monthly_usd"] == pytest.approx(round(saving, 2), abs=0.01)
    assert "quantized to 4 bits" in f["message"]


# -- docs, catalog ------------------------------------------------------------------------------

@pytest.mark.parametrize("rule_id", ["FIN-LLM-001", "FIN-LLM-002", "FIN-GPU-005"])
def test_explain_prints_docs_and_formula(rule_id: str) -> None:
    out = run_cli("explain", rule_id).stdout
    for heading in ("## What it does", "## Why is this bad?", "## Example", "## Use instead", "Formula: "):
        assert heading in out
    readme = (ROOT / "README.md").read_text()
    assert f"| {rule_id} |" in readme


def test_token_catalog_entries_are_sourced_and_dated() -> None:
    data = json.loads((ROOT / "linter" / "pricing" / "data" / "llm_tokens.json").read_text())
    assert len(data["models"]) >= 30
    for key, row in data["models"].items():
        assert row["source"] in data["sources"], key
        assert row["as_of"] and row["input_usd_per_mtok"] > 0 and row["output_usd_per_mtok"] > 0, key
    assert token_price("gpt-4o-2024-08-06", "azure").model == "azure/gpt-4o"
    assert token_price("bedrock/us.anthropic.claude-sonnet-4-20250514-v1:0").model == \
        "bedrock/anthropic.claude-sonnet-4-20250514-v1:0"
    assert token_price("openai/gpt-99") is None
    assert token_price("gpt-4o-mini").model == "openai/gpt-4o-mini"  # LiteLLM infers OpenAI for bare gpt names
    assert token_price("claude-haiku-4-5-20251001").model == "anthropic/claude-haiku-4-5"
