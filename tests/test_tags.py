"""FIN-TAG-001 only where a tag can go and where money is; environments only from evidence.

Covers: the generated taggable/billing data and the tools that write it, tagless children billed through a
parent (Azure OpenAI deployments -> their Cognitive Services account), resources that bill nothing,
the tags.min_monthly_usd threshold, Kubernetes namespace labels and label remediation, and the environment
evidence sentences (no guessing from a resource's own name).
"""

from __future__ import annotations

import importlib.util
import json
import sys
import textwrap
from pathlib import Path
from types import ModuleType

import pytest

from conftest import ROOT, run_cli, scan_json, write
from linter.pricing.catalog import Catalog

HOURS = 730
IDLE = 0.7


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def hourly(cat: Catalog, machine: str, region: str = "us-east-1", provider: str = "aws") -> float:
    price = cat.hourly(provider, region, machine)
    assert price is not None, machine
    return price.usd_per_hour


def load_tool(name: str) -> ModuleType:
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / "taggable" / f"{name}.py")
    assert spec and spec.loader
    module = importlib.util.module_from_spec(spec)
    sys.modules[name] = module
    spec.loader.exec_module(module)
    return module


# ---------------------------------------------------------------------------------------------
# The data: checkov's taggable lists, infracost's billing lists, our overrides

def test_generated_lists_load_and_known_cases_hold() -> None:
    from linter.facts.tag_data import tag_data

    data = tag_data()
    taggable = json.loads((ROOT / "linter/facts/data/taggable.json").read_text())
    assert taggable["source"]["project"] == "bridgecrewio/checkov" and taggable["source"]["version"]
    assert taggable["source"]["path"] == "checkov/common/checks_infra/resources_types.py"
    assert "checkov " + taggable["source"]["version"] in data.taggable_source
    for t in ("aws_instance", "aws_eks_node_group", "aws_sagemaker_endpoint", "google_compute_instance",
              "azurerm_cognitive_account", "azurerm_kubernetes_cluster_node_pool",
              "aws_autoscaling_group", "google_container_node_pool", "google_container_cluster"):  # last 3: ours
        assert t in data.taggable, t
    assert "azurerm_cognitive_deployment" not in data.taggable
    assert "aws_iam_role_policy_attachment" not in data.taggable  # no tags argument
    for t in ("aws_iam_role", "aws_security_group", "aws_vpc", "aws_subnet", "azurerm_resource_group",
              "google_compute_network", "aws_iam_policy_attachment"):
        assert t in data.free, t
    for t in ("aws_instance", "aws_nat_gateway", "azurerm_cognitive_account", "google_container_node_pool"):
        assert t in data.priced, t
    assert data.billed_through["azurerm_cognitive_deployment"].types == ("azurerm_cognitive_account", "azurerm_ai_services")


def test_every_override_has_a_reason_and_changes_something() -> None:
    ours = json.loads((ROOT / "linter/facts/data/tag_overrides.json").read_text())
    checkov = {t for names in json.loads((ROOT / "linter/facts/data/taggable.json").read_text())["types"].values()
               for t in names}
    billing = json.loads((ROOT / "linter/facts/data/billing.json").read_text())
    priced = {t for names in billing["priced"].values() for t in names}
    sections = [ours["taggable"]["add"], ours["taggable"]["remove"], ours["bills"]["add"], ours["bills"]["free"]]
    assert all(isinstance(why, str) and len(why) > 20 for section in sections for why in section.values())
    assert not set(ours["taggable"]["add"]) & checkov  # an addition checkov already has is noise
    assert not set(ours["bills"]["add"]) & priced
    assert all(p["reason"] and p["attribute"] for p in ours["billed_through"].values())


CHECKOV_EXCERPT = '''\
resources_types = {
    "aws": [
        "aws_instance",
        "aws_iam_role",
    ],
    "aws_taggable": [
        "aws_instance",
        "aws_eks_node_group",
        "aws_instance",
    ],
    "gcp_taggable": ["google_compute_instance"],
    "azure_taggable": ["azurerm_cognitive_account"],
}
'''


def test_checkov_tool_reads_the_lists_without_running_the_file(tmp_path: Path,
                                                               capsys: pytest.CaptureFixture[str]) -> None:
    tool = load_tool("extract_checkov_taggable")
    assert tool.extract(CHECKOV_EXCERPT) == {"aws": ["aws_eks_node_group", "aws_instance"],
                                             "gcp": ["google_compute_instance"],
                                             "azure": ["azurerm_cognitive_account"]}
    with pytest.raises(tool.ExtractError, match="no azure_taggable list"):
        tool.extract(CHECKOV_EXCERPT.replace('"azure_taggable"', '"azure_other"'))
    with pytest.raises(tool.ExtractError, match="another provider"):
        tool.extract(CHECKOV_EXCERPT.replace('["google_compute_instance"]', '["aws_instance"]'))
    # a checkout: the version comes from checkov/version.py beside the file
    path = write(tmp_path, {"checkov/common/checks_infra/resources_types.py": CHECKOV_EXCERPT,
                            "checkov/version.py": "version = '3.9.1'\n"})
    out = tmp_path / "taggable.json"
    assert tool.main(["--path", str(path / "checkov/common/checks_infra/resources_types.py"),
                      "--commit", "abc123", "--out", str(out)]) == 0
    doc = json.loads(out.read_text())
    assert doc["source"]["version"] == "3.9.1" and doc["source"]["commit"] == "abc123"
    assert doc["types"]["aws"] == ["aws_eks_node_group", "aws_instance"]
    assert "checkov 3.9.1: aws 2, gcp 1, azure 1" in capsys.readouterr().out
    assert tool.main(["--path", str(tmp_path / "missing.py"), "--version", "1", "--out", str(out)]) == 2


GO_NAT = '''package aws

func getNATGatewayRegistryItem() *schema.RegistryItem {
	return &schema.RegistryItem{
		Name: "aws_nat_gateway",
		ReferenceAttributes: []string{"allocation_id"},
		CoreRFunc: NewNATGateway,
	}
}
'''
GO_VPC = '''package aws

func getVPCRegistryItem() *schema.RegistryItem {
	return &schema.RegistryItem{
		Name:  "aws_vpc",
		RFunc: NewVPC,
	}
}

func NewVPC(d *schema.ResourceData, u *schema.UsageData) *schema.Resource {
	return &schema.Resource{Name: d.Address, IsSkipped: true, NoPrice: true, SkipMessage: "Free resource."}
}
'''
GO_REGISTRY = '''package %s

var ResourceRegistry []*schema.RegistryItem = []*schema.RegistryItem{}

// FreeResources grouped alphabetically
var FreeResources = []string{
	// IAM
	"%s_iam_role",
	// "%s_commented_out",
}
'''


def test_infracost_tool_reads_priced_and_free_types(tmp_path: Path) -> None:
    tool = load_tool("extract_infracost_billing")
    base = tmp_path / "internal/providers/terraform"
    files: dict[str, str | bytes] = {}
    for directory, prefix in (("aws", "aws"), ("azure", "azurerm"), ("google", "google")):
        files[f"{directory}/registry.go"] = GO_REGISTRY % (directory, prefix, prefix)
        files[f"{directory}/nat.go"] = GO_NAT.replace("aws_nat_gateway", f"{prefix}_nat_gateway")
        files[f"{directory}/nat_test.go"] = GO_NAT.replace("aws_nat_gateway", f"{prefix}_only_in_a_test")
    files["aws/vpc.go"] = GO_VPC
    write(base, files)
    lists = tool.extract(tmp_path)
    assert lists["priced"]["aws"] == ["aws_nat_gateway"]
    assert lists["free"]["aws"] == ["aws_iam_role", "aws_vpc"]  # FreeResources + a NoPrice item
    assert lists["priced"]["gcp"] == ["google_nat_gateway"] and lists["free"]["azure"] == ["azurerm_iam_role"]
    with pytest.raises(tool.ExtractError, match=r"registry\.go"):
        tool.extract(tmp_path / "internal")


# ---------------------------------------------------------------------------------------------
# Azure OpenAI: deployments have no tags; their spend is the account's

AZURE_OPENAI = {
    "providers.tf": """\
        terraform {
          required_providers { azurerm = { source = "hashicorp/azurerm", version = "~> 4.0" } }
        }
        provider "azurerm" {
          features {}
        }
        """,
    "variables.tf": """\
        variable "location" {
          type    = string
          default = "eastus2"
        }
        variable "models" {
          description = "Model deployments on the shared account, by deployment name"
          type = map(object({ model = string, version = string, capacity = number }))
        }
        """,
    "terraform.tfvars": """\
        models = {
          "gpt-4o"         = { model = "gpt-4o", version = "2024-08-06", capacity = 50 }
          "gpt-4o-mini"    = { model = "gpt-4o-mini", version = "2024-07-18", capacity = 100 }
          "embedding-3-lg" = { model = "text-embedding-3-large", version = "1", capacity = 120 }
        }
        """,
    "main.tf": """\
        resource "azurerm_resource_group" "ai" {
          name     = "rg-shared-ai"
          location = var.location
        }

        resource "azurerm_cognitive_account" "openai" {
          name                  = "oai-shared-eastus2"
          resource_group_name   = azurerm_resource_group.ai.name
          location              = azurerm_resource_group.ai.location
          kind                  = "OpenAI"
          sku_name              = "S0"
          custom_subdomain_name = "oai-shared-eastus2"
        }

        resource "azurerm_cognitive_deployment" "model" {
          for_each             = var.models
          name                 = each.key
          cognitive_account_id = azurerm_cognitive_account.openai.id

          model {
            format  = "OpenAI"
            name    = each.value.model
            version = each.value.version
          }

          sku {
            name     = "GlobalStandard"
            capacity = each.value.capacity
          }
        }
        """,
    "search.tf": """\
        locals {
          tags = { team = "search", "cost-center" = "cc-2210", environment = "prod" }
        }

        resource "azurerm_cognitive_account" "search" {
          name                = "oai-search"
          resource_group_name = azurerm_resource_group.ai.name
          location            = azurerm_resource_group.ai.location
          kind                = "OpenAI"
          sku_name            = "S0"
          tags                = local.tags
        }

        resource "azurerm_cognitive_deployment" "search" {
          name                 = "embeddings"
          cognitive_account_id = azurerm_cognitive_account.search.id
          model {
            format  = "OpenAI"
            name    = "text-embedding-3-small"
            version = "1"
          }
          sku { name = "Standard" }
        }
        """,
}


def test_openai_deployments_are_flagged_once_on_their_untagged_account(tmp_path: Path) -> None:
    write(tmp_path, {k: textwrap.dedent(v) for k, v in AZURE_OPENAI.items()})
    run = scan_json(".", cwd=tmp_path)
    tags = run.findings("FIN-TAG-001")
    assert [(f["resource"], f["file"], f["line"]) for f in tags] == [
        ("azurerm_cognitive_account.openai", "main.tf", 6)]  # not the deployments, the tagged account or the RG
    (f,) = tags
    assert "no team, cost-center, environment cost-allocation tags" in f["message"]
    assert "3 azurerm_cognitive_deployment instance(s) billed through it, not priced" in f["message"]
    assert f["impact"]["kind"] == "unattributed" and f["impact"]["monthly_usd"] is None  # never invented
    assumptions = " | ".join(f["impact"]["assumptions"])
    assert 'azurerm_cognitive_deployment.model["gpt-4o"]' in assumptions
    assert "3 of them not priced by the catalog" in assumptions
    assert "azurerm_cognitive_account.openai's tags" in f["remediation"]
    assert "default_tags" not in f["remediation"] and "labels" not in f["remediation"]
    deployments = [r for r in run.report["resources"] if r["type"] == "azurerm_cognitive_deployment"]
    assert len(deployments) == 4
    assert {r["links"]["billed_through"] for r in deployments} == {"azurerm_cognitive_account.openai",
                                                                   "azurerm_cognitive_account.search"}


# ---------------------------------------------------------------------------------------------
# Where money is: AWS resources that bill nothing, and the threshold

AWS_MAIN = """\
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = "ml-platform", environment = "dev" }
  }
}

resource "aws_vpc" "ml" {
  cidr_block = "10.40.0.0/16"
}

resource "aws_subnet" "private" {
  vpc_id     = aws_vpc.ml.id
  cidr_block = "10.40.1.0/24"
}

resource "aws_security_group" "trainer" {
  name   = "trainer"
  vpc_id = aws_vpc.ml.id
}

resource "aws_iam_role" "trainer" {
  name               = "trainer"
  assume_role_policy = data.aws_iam_policy_document.assume.json
}

resource "aws_iam_role_policy_attachment" "s3" {
  role       = aws_iam_role.trainer.name
  policy_arn = "arn:aws:iam::aws:policy/AmazonS3ReadOnlyAccess"
}

resource "aws_instance" "trainer" {
  ami                    = "ami-0abcdef1234567890"
  instance_type          = "g5.2xlarge"
  subnet_id              = aws_subnet.private.id
  vpc_security_group_ids = [aws_security_group.trainer.id]
}

resource "aws_instance" "bastion" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "t3.medium"
  subnet_id     = aws_subnet.private.id
}
"""


def test_only_resources_that_bill_are_flagged(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"main.tf": AWS_MAIN})
    run = scan_json(".", cwd=tmp_path)
    (f,) = run.findings("FIN-TAG-001")  # not the VPC, subnet, security group, IAM role, or the cheap bastion
    assert (f["resource"], f["line"]) == ("aws_instance.trainer",
                                          AWS_MAIN.splitlines().index('resource "aws_instance" "trainer" {') + 1)
    monthly = round(hourly(cat, "g5.2xlarge") * HOURS, 2)
    assert f["impact"]["monthly_usd"] == pytest.approx(monthly, abs=0.01)
    assert f"${monthly:,.2f}/month unattributed" in f["message"] and "no cost-center cost-allocation tag " in \
        f["message"] + " "
    assert "default_tags in the aws provider block" in f["remediation"]
    # the bastion is below tags.min_monthly_usd; with the threshold at 0 it is flagged too
    bastion = round(hourly(cat, "t3.medium") * HOURS, 2)
    assert bastion < 50
    write(tmp_path, {".finops-lint.yaml": "tags:\n  min_monthly_usd: 0\n"})
    run = scan_json(".", cwd=tmp_path)
    assert [f["resource"] for f in run.findings("FIN-TAG-001")] == ["aws_instance.trainer", "aws_instance.bastion"]
    assert run.finding("FIN-TAG-001", "aws_instance.bastion")["impact"]["monthly_usd"] == pytest.approx(bastion,
                                                                                                       abs=0.01)


STACK_TAGS = """\
provider "aws" {
  region = "us-east-1"
  default_tags {
    tags = { team = var.team, environment = "dev" }
  }
}

variable "team" {
  description = "Owning team, set per workspace"
  type        = string
}

variable "cost_centers" {
  type = map(string)
}

locals {
  cost_center = lookup(var.cost_centers, var.team, "unassigned")
  billing_id  = regex("(\\\\d{1,3})+$", "cc-4120")
}

resource "aws_instance" "trainer" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "g5.2xlarge"
  tags          = { Name = "trainer", "cost-center" = local.cost_center }
}

resource "aws_instance" "eval" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "g5.2xlarge"
  tags          = { Name = "eval", "cost-center" = "" }
}

resource "aws_instance" "batch" {
  ami           = "ami-0abcdef1234567890"
  instance_type = "g5.2xlarge"
  tags          = { Name = "batch", "cost-center" = local.billing_id }
}
"""


def test_a_tag_set_from_a_value_given_at_apply_time_is_not_missing(tmp_path: Path) -> None:
    """A key set from a variable without a value in the scanned code (``team = var.team``, given per workspace)
    is present: FIN-TAG-001 does not call it missing, and the resource's unknowns say why its value is not
    known; so does a value that was refused (a regular expression that can backtrack without bound). A key set
    to empty text is still missing, and so is the variable once a tfvars file gives it as empty text."""
    write(tmp_path, {"main.tf": STACK_TAGS})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    assert "default_tags.team: var.team has no default and no value in tfvars" in res["aws_instance.trainer"]["unknowns"]
    assert any(u.startswith("tags.cost-center: ") and "var.cost_centers" in u
               for u in res["aws_instance.trainer"]["unknowns"])
    assert any(u.startswith("tags.cost-center: local.billing_id: regex(): a regular expression that repeats a part")
               for u in res["aws_instance.batch"]["unknowns"])
    assert res["aws_instance.trainer"]["tags"]["team"] == ""  # shown as empty text, as before
    (f,) = run.findings("FIN-TAG-001")
    assert f["resource"] == "aws_instance.eval" and f["line"] == STACK_TAGS.splitlines().index(
        'resource "aws_instance" "eval" {') + 1
    assert "no cost-center cost-allocation tag " in f["message"] + " " and "team" not in f["message"]
    write(tmp_path, {"terraform.tfvars": 'team = ""\ncost_centers = { research = "cc-4120" }\n'})
    run = scan_json(".", cwd=tmp_path)
    flagged = {f["resource"]: f["message"] for f in run.findings("FIN-TAG-001")}
    assert set(flagged) == {"aws_instance.trainer", "aws_instance.eval", "aws_instance.batch"}
    assert "no team cost-allocation tag " in flagged["aws_instance.trainer"] + " "
    assert "no team, cost-center cost-allocation tags" in flagged["aws_instance.eval"]


def test_threshold_is_validated(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": AWS_MAIN, ".finops-lint.yaml": "tags:\n  min_monthly_usd: -5\n"})
    run = scan_json(".", cwd=tmp_path)
    assert run.exit_code == 2 and "tags.min_monthly_usd" in run.stderr


# ---------------------------------------------------------------------------------------------
# Kubernetes: namespace labels, the threshold, label remediation

NAMESPACE = """\
apiVersion: v1
kind: Namespace
metadata:
  name: llm-serving
  labels:
    team: llm-platform
    cost-center: cc-4410
    environment: production
"""


def vllm(name: str, ns: str, gpus: int = 1, cpu: str = "4", memory: str = "16Gi") -> str:
    """A Helm-rendered vLLM Deployment (chart labels only, no cost labels); GPU pods pin g5.xlarge nodes."""
    limits = f"nvidia.com/gpu: {gpus}, memory: {memory}" if gpus else f"memory: {memory}"
    selector = "node.kubernetes.io/instance-type: g5.xlarge" if gpus else "kubernetes.io/os: linux"
    return textwrap.dedent(f"""\
        ---
        # Source: vllm/templates/deployment.yaml
        apiVersion: apps/v1
        kind: Deployment
        metadata:
          name: {name}
          namespace: {ns}
          labels:
            app.kubernetes.io/name: vllm
            app.kubernetes.io/instance: {name}
            helm.sh/chart: vllm-0.3.1
        spec:
          replicas: 1
          selector:
            matchLabels: {{app.kubernetes.io/instance: {name}}}
          template:
            metadata:
              labels: {{app.kubernetes.io/instance: {name}}}
            spec:
              nodeSelector: {{{selector}}}
              containers:
                - name: vllm
                  image: vllm/vllm-openai:v0.6.3
                  resources:
                    requests: {{cpu: "{cpu}", memory: {memory}}}
                    limits: {{{limits}}}
        """)


def test_labelled_namespace_covers_its_workloads(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"namespace.yaml": NAMESPACE, "serving.yaml": vllm("llama3-8b", "llm-serving"),
                     "other.yaml": vllm("mistral-7b", "research")})
    run = scan_json(".", cwd=tmp_path)
    (f,) = run.findings("FIN-TAG-001")
    assert (f["resource"], f["file"], f["line"]) == ("Deployment/research/mistral-7b", "other.yaml", 3)
    assert f["impact"]["monthly_usd"] == pytest.approx(round(hourly(cat, "g5.xlarge") * HOURS, 2), abs=0.01)
    assert "cost-allocation labels" in f["message"]
    assert "spec.template.metadata.labels" in f["remediation"] and "Namespace 'research'" in f["remediation"]
    assert "default_tags" not in f["remediation"] and "tags" not in f["remediation"].replace("tags.", "")
    served = next(r for r in run.report["resources"] if r["address"] == "Deployment/llm-serving/llama3-8b")
    assert served["environment"] == "production"
    assert served["environment_evidence"] == "label environment=production from Namespace llm-serving " \
                                             "(namespace.yaml:1)"


def test_cheap_cpu_pods_stay_out_unless_they_ask_for_gpus(tmp_path: Path) -> None:
    from linter.config import KubernetesRates

    rates = KubernetesRates()
    write(tmp_path, {"api.yaml": vllm("tokenizer-api", "research", gpus=0, cpu="500m", memory="512Mi")})
    run = scan_json(".", cwd=tmp_path)
    assert run.findings("FIN-TAG-001") == []
    write(tmp_path, {".finops-lint.yaml": "tags:\n  min_monthly_usd: 0\n"})
    run = scan_json(".", cwd=tmp_path)
    (f,) = run.findings("FIN-TAG-001")
    assert f["impact"]["monthly_usd"] == pytest.approx(
        round((0.5 * rates.vcpu_hour + 0.5 * rates.gib_hour) * HOURS, 2), abs=0.01)


# ---------------------------------------------------------------------------------------------
# Environment from evidence, never from the resource's own name

NCCL_POD = """\
apiVersion: v1
kind: Pod
metadata:
  name: nccl-test-host-1
  labels:
    name: nccl-host-1
    kueue.x-k8s.io/queue-name: dws-local-queue
  annotations:
    provreq.kueue.x-k8s.io/maxRunDurationSeconds: "600"
spec:
  hostname: host1
  subdomain: nccl-host-1
  nodeSelector:
    cloud.google.com/gke-nodepool: a3-pool
  containers:
    - name: nccl-test
      image: us-docker.pkg.dev/gce-ai-infra/gpudirect-tcpxo/nccl-plugin-gpudirecttcpx-dev:v1.0.3
      command: ["/bin/sh", "-c", "service ssh restart; sleep infinity"]
      resources:
        limits:
          nvidia.com/gpu: 8
"""


def test_a_word_in_the_name_is_not_an_environment(tmp_path: Path) -> None:
    write(tmp_path, {"nccl-test-latest.yaml": NCCL_POD})
    run = scan_json(".", cwd=tmp_path)
    pod = next(r for r in run.report["resources"] if r["address"] == "Pod/default/nccl-test-host-1")
    assert "environment" not in pod
    assert not [f for f in run.findings("FIN-GPU-003") if " in test" in f["message"]]


def test_namespace_named_for_an_environment_is_evidence_and_the_message_says_so(tmp_path: Path) -> None:
    write(tmp_path, {"nccl.yaml": NCCL_POD.replace("  name: nccl-test-host-1\n",
                                                   "  name: nccl-test-host-1\n  namespace: ml-staging\n")})
    run = scan_json(".", cwd=tmp_path)
    pod = next(r for r in run.report["resources"] if r["address"] == "Pod/ml-staging/nccl-test-host-1")
    assert pod["environment"] == "staging"
    assert pod["environment_evidence"] == "namespace 'ml-staging' (its name ends or begins with 'staging')"
    (f,) = run.findings("FIN-GPU-003")
    assert "in staging (namespace 'ml-staging'" in f["message"]


def test_tag_evidence_names_the_provider_block_or_the_resource(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": AWS_MAIN.replace('resource "aws_instance" "bastion" {',
                                                 'resource "aws_instance" "bastion" {\n'
                                                 '  tags = { environment = "prod" }')})
    run = scan_json(".", cwd=tmp_path)
    res = {r["address"]: r for r in run.report["resources"]}
    assert res["aws_instance.trainer"]["environment_evidence"] == \
        "tag environment=dev from provider default_tags (main.tf:1)"
    line = AWS_MAIN.splitlines().index('resource "aws_instance" "bastion" {') + 1
    assert res["aws_instance.bastion"]["environment_evidence"] == \
        f"tag environment=prod on aws_instance.bastion (main.tf:{line})"


def test_workspace_and_config_are_evidence(tmp_path: Path) -> None:
    main = AWS_MAIN.replace(', environment = "dev"', "")
    write(tmp_path, {"envs/dev/main.tf": main, "envs/dev/.terraform/environment": "dev\n",
                     "envs/qa/main.tf": main,
                     ".finops-lint.yaml": 'tags:\n  environments:\n    - {match: "envs/qa/*", environment: qa}\n'})
    run = scan_json(".", cwd=tmp_path)
    res = {(r["file"], r["address"]): r for r in run.report["resources"]}
    dev = res[("envs/dev/main.tf", "aws_instance.trainer")]
    assert dev["environment"] == "dev"
    assert dev["environment_evidence"] == ("Terraform workspace selected in envs/dev/.terraform/environment: "
                                           "workspace 'dev'")
    qa = res[("envs/qa/main.tf", "aws_instance.trainer")]
    assert (qa["environment"], qa["environment_evidence"]) == (
        "qa", "config tags.environments[0]: 'envs/qa/*' matches envs/qa/main.tf")


def test_explain_says_which_types_are_taggable_and_where_the_list_comes_from() -> None:
    run = run_cli("explain", "FIN-TAG-001")
    assert run.exit_code == 0
    text = " ".join(run.stdout.split())
    for needle in ("checkov", "resources_types.py", "tag_overrides.json", "infracost", "tags.min_monthly_usd",
                   "azurerm_cognitive_deployment", "Namespace"):
        assert needle in text, needle


def test_docs_name_the_versions_the_generated_lists_came_from() -> None:
    """Refreshing taggable.json or billing.json without updating explain and the README fails here."""
    data = ROOT / "linter" / "facts" / "data"
    checkov = json.loads((data / "taggable.json").read_text())["source"]["version"]
    infracost = json.loads((data / "billing.json").read_text())["source"]["version"].split("-")[0]
    explain = " ".join(run_cli("explain", "FIN-TAG-001").stdout.split())
    readme = " ".join((ROOT / "README.md").read_text().split())
    for text in (explain, readme):
        assert f"checkov {checkov}" in text
        assert f"infracost {infracost}" in text


def test_root_environment_variable_is_evidence_not_the_resource_name(tmp_path: Path, cat: Catalog) -> None:
    main = AWS_MAIN.replace(', environment = "dev"', "").replace('"aws_instance" "trainer"', '"aws_instance" "dev_box"')
    write(tmp_path, {"named/main.tf": main,
                     "stack/main.tf": main, "stack/variables.tf": 'variable "environment" {\n  type = string\n}\n',
                     "stack/terraform.tfvars": 'region      = "us-east-1"\nenvironment = "staging"\n'})
    run = scan_json(".", cwd=tmp_path)
    res = {(r["file"], r["address"]): r for r in run.report["resources"]}
    assert "environment" not in res[("named/main.tf", "aws_instance.dev_box")]  # "dev" in a name is no evidence
    staged = res[("stack/main.tf", "aws_instance.dev_box")]
    assert staged["environment_evidence"] == 'variable environment = "staging" (stack/terraform.tfvars:2)'
    (f,) = [f for f in run.findings("FIN-GPU-003") if f["file"] == "stack/main.tf"]
    assert f"in staging ({staged['environment_evidence']})" in f["message"]
    assert f["impact"]["monthly_usd"] == pytest.approx(round(hourly(cat, "g5.2xlarge") * HOURS * IDLE, 2), abs=0.01)
    assert not [f for f in run.findings("FIN-GPU-003") if f["file"] == "named/main.tf"]
