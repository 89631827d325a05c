"""Azure OpenAI accounts and model deployments written with azapi (``azapi_resource`` of ARM type
``Microsoft.CognitiveServices/accounts[/deployments]``) are LLM endpoints, read as the azurerm resources they mirror:
the same facts, so FIN-LLM-002 fires with the same wording and figure. Modelled on the AI gateway landing zone
(Azure/terraform-ai-gateway-landing-zone, modules/foundry and modules/apim), whose Foundry deployments gave nothing."""

from __future__ import annotations

import json
import re
import shutil
from pathlib import Path
from typing import Any

import pytest

from conftest import ROOT, scan_json, write
from linter.pricing.tokens import token_price

FIXTURES = ROOT / "tests" / "fixtures" / "precision_azapi"
HOURS = 730


def _ceiling(model: str, capacity: float) -> float:
    """capacity x 1,000 tokens/min x 60 x 730 h at the blended price (1,000 input : 250 output tokens)."""
    price = token_price(f"azure/{model}")
    blended = (1000 * price.input_per_mtok + 250 * price.output_per_mtok) / 1250 / 1e6
    return round(capacity * 1000 * 60 * HOURS * blended, 2)


def _same_apart_from_addresses(findings: list[dict[str, Any]], names: dict[str, str]) -> list[str]:
    """Findings as text with the resource types, addresses, files and lines that differ between forms taken out."""
    out = []
    for f in findings:
        f = {k: v for k, v in f.items() if k not in ("file", "line", "resource", "resource_type", "fingerprint")}
        text = json.dumps(f, sort_keys=True)
        for name, neutral in names.items():
            text = text.replace(name, neutral)
        out.append(re.sub(r"\(main\.tf:\d+\)", "(main.tf:N)", text))
    return out


def test_foundry_deployments_in_azapi_read_as_the_azurerm_ones() -> None:
    azapi = scan_json(".", "--no-cache", cwd=FIXTURES / "foundry_azapi")
    azurerm = scan_json(".", "--no-cache", cwd=FIXTURES / "foundry_azurerm")
    got = [(f["rule_id"], f["resource"], f["file"], f["line"], f["impact"]["monthly_usd"]) for f in azapi.findings()]
    assert got == [
        ("FIN-LLM-002", "azapi_resource.model_deployment[0]", "main.tf", 58, _ceiling("gpt-4o", 100)),  # 17,520.00
        ("FIN-LLM-002", "azapi_resource.model_deployment[1]", "main.tf", 58, _ceiling("gpt-4o-mini", 100)),  # 1,051.20
    ]
    assert got[0][4] == 17520.0 and got[1][4] == 1051.2
    assert _same_apart_from_addresses(azapi.findings(), {"azapi_resource.": "X."}) == \
        _same_apart_from_addresses(azurerm.findings(), {"azurerm_cognitive_deployment.": "X.",
                                                        "azurerm_ai_services.": "X."})
    res = {r["address"]: r for r in azapi.report["resources"]}
    deployment = res["azapi_resource.model_deployment[0]"]
    assert deployment["region"] == "eastus"  # the account's location: a deployment has none of its own
    assert deployment["llm"]["public"] is False
    assert deployment["llm"]["public_evidence"] == ['public_network_access = "Disabled" on azapi_resource.foundry[0] '
                                                   "(main.tf:24)"]
    assert res["azapi_resource.foundry[0]"].get("llm") is None  # the account is not an endpoint by itself


def test_azapi_v1_jsonencode_body_reads_like_the_azurerm_form() -> None:
    azapi = scan_json(".", "--no-cache", cwd=FIXTURES / "openai_azapi_v1")
    azurerm = scan_json(".", "--no-cache", cwd=FIXTURES / "openai_azurerm")
    f = azapi.finding("FIN-LLM-002", "azapi_resource.gpt4o")
    assert (f["file"], f["line"], f["severity"]) == ("main.tf", 44, "critical")
    assert f["message"] == ("azapi_resource.gpt4o (azure-openai, gpt-4o) is public and has no request or token rate "
                            "limit, quota or budget")
    assert f["impact"]["monthly_usd"] == _ceiling("gpt-4o", 450) == 78840.0  # var.chat_capacity = 450
    assert "capacity 450 x 1,000 tokens/min = 450,000 tokens/min (GlobalStandard quota unit)" in \
        f["impact"]["assumptions"]
    assert _same_apart_from_addresses(azapi.findings(), {"azapi_resource.": "X."}) == \
        _same_apart_from_addresses(azurerm.findings(), {"azurerm_cognitive_deployment.": "X.",
                                                        "azurerm_cognitive_account.": "X."})


def test_azapi_deployments_behind_apim_with_llm_token_limit_are_not_flagged() -> None:
    run = scan_json(".", "--no-cache", cwd=FIXTURES / "gateway")
    assert run.findings("FIN-LLM-002") == []
    res = {r["address"]: r for r in run.report["resources"]}
    for i in (0, 1):
        llm = res[f"module.foundry.azapi_resource.model_deployment[{i}]"]["llm"]
        assert llm["rate_limits"] == ["<llm-token-limit tokens-per-minute=20000 token-quota=5000000 "
                                      "token-quota-period=Monthly> in module.apim.azurerm_api_management_api_policy."
                                      "azure_openai (policy file policies/azure-openai-api-policy.xml)"]
        assert llm["public"] is True  # the account is private, the APIM gateway in front of it is not
        assert llm["public_evidence"][1] == ("fronted by API Management module.apim.azurerm_api_management.citadel "
                                             "(module.apim.azurerm_api_management_api.azure_openai), public gateway")


def test_azapi_deployments_behind_apim_without_a_limit_are_public_and_flagged(tmp_path: Path) -> None:
    shutil.copytree(FIXTURES / "gateway", tmp_path / "gateway")
    policy = tmp_path / "gateway" / "modules" / "apim" / "policies" / "azure-openai-api-policy.xml"
    policy.write_text(re.sub(r"\s*<llm-token-limit[^>]*/>", "", policy.read_text()))
    run = scan_json(".", "--no-cache", cwd=tmp_path / "gateway")
    f = run.finding("FIN-LLM-002", "module.foundry.azapi_resource.model_deployment[0]")
    assert f["message"].endswith("(azure-openai, gpt-4o) is public and has no request or token rate limit, quota "
                                 "or budget")
    assert (f["file"], f["line"], f["impact"]["monthly_usd"]) == ("modules/foundry/main.tf", 58,
                                                                   _ceiling("gpt-4o", 100))


UNKNOWN_BODY = """\
variable "chat_capacity" {
  description = "Standard quota, in thousands of tokens per minute (set per environment)"
  type        = number
}

resource "random_string" "suffix" {
  length  = 6
  special = false
  upper   = false
}

resource "azapi_resource" "oai" {
  type      = "Microsoft.CognitiveServices/accounts@2023-05-01"
  name      = "oai-${random_string.suffix.result}"
  location  = "westeurope"
  parent_id = "/subscriptions/00000000-0000-0000-0000-000000000000/resourceGroups/rg-ai"
  tags      = { team = "ai", "cost-center" = "cc-1", environment = "prod" }
  body = jsonencode({
    kind       = "OpenAI"
    sku        = { name = "S0" }
    properties = { customSubDomainName = "oai-${random_string.suffix.result}" }
  })
}

resource "azapi_resource" "chat" {
  type      = "Microsoft.CognitiveServices/accounts/deployments@2023-05-01"
  name      = "chat"
  parent_id = azapi_resource.oai.id
  body = jsonencode({
    sku        = { name = "Standard", capacity = var.chat_capacity }
    properties = { model = { format = "OpenAI", name = "gpt-4o-mini", version = "2024-07-18" } }
  })
}
"""


def test_partly_unknown_jsonencode_body_reads_its_known_parts(tmp_path: Path) -> None:
    """jsonencode() of a partly unknown object (azapi 1.x) is read as the object: a random suffix in the account's
    subdomain and a capacity given per environment hide nothing else (the whole body was unknown before)."""
    write(tmp_path, {"main.tf": UNKNOWN_BODY})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.exit_code == 1 and run.report["errors"] == []
    llm = {r["address"]: r for r in run.report["resources"]}["azapi_resource.chat"]["llm"]
    assert (llm["model"], llm["capacity_tpm"], llm["public"]) == ("gpt-4o-mini", None, True)
    assert llm["public_evidence"][0].startswith("azapi_resource.oai (main.tf:12): public network access "
                                                "(public_network_access_enabled not false")
    assert "sku.capacity known only at apply (var.chat_capacity has no default and no value in tfvars): " \
        "tokens/min unknown" in llm["evidence"]
    f = run.finding("FIN-LLM-002", "azapi_resource.chat")  # no capacity ceiling: the spend at the assumed usage
    price = token_price("azure/gpt-4o-mini")
    assert f["impact"]["monthly_usd"] == round(1_000_000 * (1000 * price.input_per_mtok
                                                             + 250 * price.output_per_mtok) / 1e6, 2) == 300.0


def test_partly_unknown_body_that_disables_public_access_is_not_public(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": UNKNOWN_BODY.replace(
        'properties = { customSubDomainName = "oai-${random_string.suffix.result}" }',
        'properties = { customSubDomainName = "oai-${random_string.suffix.result}", publicNetworkAccess = "Disabled" }')})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    llm = {r["address"]: r for r in run.report["resources"]}["azapi_resource.chat"]["llm"]
    assert llm["public"] is False
    assert llm["public_evidence"] == ['public_network_access = "Disabled" on azapi_resource.oai (main.tf:12)']
    f = run.finding("FIN-LLM-002", "azapi_resource.chat")  # private, still billed per token with nothing limiting it
    assert f["severity"] == "medium" and "is billed per token and has no request or token rate limit" in f["message"]


@pytest.mark.parametrize("arm_type", ["Microsoft.CognitiveServices/accounts/projects@2025-06-01",
                                      "Microsoft.CognitiveServices/accounts/connections@2025-06-01"])
def test_other_cognitive_services_children_are_not_endpoints(tmp_path: Path, arm_type: str) -> None:
    """A Foundry project or connection has a parent account too, but serves no model."""
    write(tmp_path, {"main.tf": (FIXTURES / "openai_azapi_v1" / "main.tf").read_text().replace(
        "Microsoft.CognitiveServices/accounts/deployments@2023-05-01", arm_type)})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    assert run.findings("FIN-LLM-002") == []
    assert all(r.get("llm") is None for r in run.report["resources"])


# -- cost-allocation tags: an azapi account is tagged and billed as the azurerm account it mirrors ------------------

BASIC = FIXTURES / "foundry_basic"  # the shape of microsoft-foundry/foundry-samples 00-basic (azapi 2.x)


def _tag_findings(run: Any) -> dict[str, dict[str, Any]]:
    return {f["resource"]: f for f in run.report["findings"] if f["rule_id"] == "FIN-TAG-001"}


def test_untagged_azapi_foundry_account_gets_the_tag_finding_its_deployments_bill_through() -> None:
    run = scan_json(".", "--no-cache", cwd=BASIC)
    resources = {r["address"]: r for r in run.report["resources"]}
    account, deployment = resources["azapi_resource.ai_foundry"], resources["azapi_resource.aifoundry_deployment_gpt_4o"]
    assert deployment["links"]["billed_through"] == "azapi_resource.ai_foundry"
    assert "tagging" not in deployment  # a deployment has no tags of its own; its tokens bill on the account
    assert "Azure AI Services account" in account["tagging"]["billing"]
    tag = _tag_findings(run)
    assert set(tag) == {"azapi_resource.ai_foundry"}  # the resource group and the project bill nothing
    f = tag["azapi_resource.ai_foundry"]
    assert (f["file"], f["line"]) == ("main.tf", 24)
    assert "the spend of 1 azapi_resource instance(s) billed through it" in f["message"]
    assert "azapi_resource.ai_foundry's tags" in f["remediation"]


def test_tagged_azapi_foundry_account_passes(tmp_path: Path) -> None:
    repo = tmp_path / "basic"
    shutil.copytree(BASIC, repo)
    main = repo / "main.tf"
    text = main.read_text()
    text = text.replace('  schema_validation_enabled = false\n\n  body = {\n    kind = "AIServices"',
                        '  schema_validation_enabled = false\n  tags = { team = "ai", "cost-center" = "cc-1", '
                        'environment = "dev" }\n\n  body = {\n    kind = "AIServices"', 1)
    assert 'tags = { team = "ai"' in text
    main.write_text(text)
    assert _tag_findings(scan_json(".", "--no-cache", cwd=repo)) == {}


@pytest.mark.parametrize("account_type, extra", [
    ("azurerm_ai_services", ""),  # the newer azurerm resource for the same ARM account
    ("azurerm_cognitive_account", '  kind                  = "AIServices"\n'),
])
def test_azurerm_deployment_bills_through_either_azurerm_account_type(tmp_path: Path, account_type: str,
                                                                      extra: str) -> None:
    write(tmp_path, {"main.tf": f'''resource "azurerm_resource_group" "rg" {{
  name     = "rg-llm"
  location = "eastus"
  tags     = {{ team = "ml", "cost-center" = "cc1", environment = "dev" }}
}}

resource "{account_type}" "foundry" {{
  name                  = "aifoundry1"
  location              = azurerm_resource_group.rg.location
  resource_group_name   = azurerm_resource_group.rg.name
{extra}  sku_name              = "S0"
  custom_subdomain_name = "aifoundry1"
}}

resource "azurerm_cognitive_deployment" "gpt_4o" {{
  name                 = "gpt-4o"
  cognitive_account_id = {account_type}.foundry.id
  sku {{
    name     = "GlobalStandard"
    capacity = 10
  }}
  model {{
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }}
}}
'''})
    run = scan_json(".", "--no-cache", cwd=tmp_path)
    f = _tag_findings(run)[f"{account_type}.foundry"]
    assert (f["file"], f["line"]) == ("main.tf", 7)
    assert "the spend of 1 azurerm_cognitive_deployment instance(s) billed through it" in f["message"]


def test_azurerm_deployment_on_an_azapi_account_bills_through_it(tmp_path: Path) -> None:
    repo = tmp_path / "mixed"
    shutil.copytree(BASIC, repo)
    main = repo / "main.tf"
    text = main.read_text()
    start = text.index('resource "azapi_resource" "aifoundry_deployment_gpt_4o"')
    end = text.index('resource "azapi_resource" "ai_foundry_project"')
    main.write_text(text[:start] + '''resource "azurerm_cognitive_deployment" "aifoundry_deployment_gpt_4o" {
  name                 = "gpt-4o"
  cognitive_account_id = azapi_resource.ai_foundry.id
  sku {
    name     = "GlobalStandard"
    capacity = 1
  }
  model {
    format  = "OpenAI"
    name    = "gpt-4o"
    version = "2024-11-20"
  }
}

''' + text[end:])
    run = scan_json(".", "--no-cache", cwd=repo)
    f = _tag_findings(run)["azapi_resource.ai_foundry"]
    assert "the spend of 1 azurerm_cognitive_deployment instance(s) billed through it" in f["message"]
