"""Kubernetes workloads of a Pulumi program run on the node pools the same program creates, as Terraform's do.

A ``gcp.container.NodePool`` or ``aws.eks.NodeGroup`` given no name is auto-named by Pulumi (its resource name plus a
random suffix), so no pod selects it by ``cloud.google.com/gke-nodepool``; its other node labels (the accelerator,
``gke-spot``, ``node_config.labels``) still say which pods run there. Those pools were not node groups at all, so a
vLLM Deployment selecting the spot L4 pool was priced as the cheapest L4 machine in the stack's default region, on
demand. Modelled on llm-on-gke/gke-infra-pulumi (cluster + auto-named GPU pool + GPU Deployment in one __main__.py).
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path
from typing import Any

from conftest import ROOT, scan_json, write
from linter.pricing.catalog import price_entry

FIXTURES = ROOT / "tests" / "fixtures" / "precision_pulumi_node_pools"
HOURS = 730
GCP = json.loads((ROOT / "linter" / "pricing" / "data" / "gcp.json").read_text())
AWS = json.loads((ROOT / "linter" / "pricing" / "data" / "aws.json").read_text())


def _spot_discount(family: str, region: str) -> float:
    """The family's spot discount in the region (the region's own spot prices), else across regions."""
    regional = GCP["spot_discounts_by_region"].get(region, {})
    return float(regional[family] if family in regional else GCP["spot_discounts"][family]["discount"])


def _gcp(machine: str, region: str, spot: bool = False, share: float = 1.0) -> float:
    """price/h x 730 (x share of the machine), at the catalog's spot discount for the family when spot."""
    price = price_entry(GCP, region, machine)["usd_per_hour"] * share
    if spot:
        price *= 1 - _spot_discount(machine.split("-", 1)[0], region)
    return round(price * HOURS, 2)


def _resources(run: Any) -> dict[str, dict[str, Any]]:
    return {r["address"]: r for r in run.report["resources"]}


def test_vllm_deployment_is_priced_on_the_spot_pool_it_selects() -> None:
    run = scan_json("pulumi", "--no-cache", cwd=FIXTURES)
    vllm = _resources(run)["vllm-mistral"]
    assert (vllm["file"], vllm["line"]) == ("pulumi/__main__.py", 85)
    assert vllm["region"] == "europe-west4"  # the cluster's zone, not the stack's gcp:region us-central1
    assert vllm["compute"]["instance_type"] == "g2-standard-8"
    assert vllm["compute"]["purchase"] == "spot"
    assert vllm["monthly_cost_usd"] == _gcp("g2-standard-8", "europe-west4", spot=True) == 234.67  # $0.8972 x (1 - 0.6417)
    assert vllm["cost_components"][0]["name"] == "Pod share of g2-standard-8 (1 of 1 GPUs), spot"
    assert "GKE node pool 'l4-serving-pool-*' is declared at l4-serving-pool, pulumi/__main__.py:29" in \
        vllm["compute"]["evidence"]


def test_finetune_job_is_priced_on_the_training_pool_and_strands_a_gpu() -> None:
    run = scan_json("pulumi", "--no-cache", cwd=FIXTURES)
    job = _resources(run)["mistral-lora-finetune"]
    assert (job["region"], job["compute"]["instance_type"], job["compute"]["purchase"]) == \
        ("europe-west4", "g2-standard-24", "on_demand")
    half = _gcp("g2-standard-24", "europe-west4", share=0.5)  # 1 of the node's 2 L4s: $2.103/h / 2 x 730
    assert job["monthly_cost_usd"] == half == 767.59
    got = {(f["rule_id"], f["line"]): f["impact"]["monthly_usd"] for f in run.findings()
           if f["resource"] == "mistral-lora-finetune"}
    spot_off = round(half * _spot_discount("g2", "europe-west4"), 2)
    assert got == {("FIN-GPU-001", 115): spot_off, ("FIN-GPU-004", 115): half}  # 465.62 and 767.59


def test_findings_and_figures_match_the_terraform_form() -> None:
    pulumi = scan_json("pulumi", "--no-cache", cwd=FIXTURES)
    terraform = scan_json("terraform", "--no-cache", cwd=FIXTURES)
    names = {"llm-gpu-cluster": "google_container_cluster.llm", "l4-serving-pool": "google_container_node_pool.serving",
             "l4-training-pool": "google_container_node_pool.training", "vllm-mistral": "kubernetes_deployment_v1.vllm",
             "mistral-lora-finetune": "kubernetes_job_v1.finetune"}

    def facts(run: Any, rename: dict[str, str]) -> tuple[list[tuple[Any, ...]], list[tuple[Any, ...]]]:
        findings = sorted((f["rule_id"], rename.get(f["resource"], f["resource"]), f["monthly_cost_usd"],
                           f["impact"]["monthly_usd"]) for f in run.findings())
        resources = sorted((rename.get(r["address"], r["address"]), r["region"], r["monthly_cost_usd"],
                            r["compute"]["instance_type"], r["compute"]["purchase"])
                           for r in run.report["resources"])
        return findings, resources

    assert facts(pulumi, names) == facts(terraform, {})
    assert sorted(f["rule_id"] for f in pulumi.findings()) == \
        ["FIN-GPU-001", "FIN-GPU-001", "FIN-GPU-003", "FIN-GPU-004", "FIN-LLM-001"]


def test_auto_named_eks_node_group_links_the_pods_that_select_its_labels(tmp_path: Path) -> None:
    write(tmp_path, {
        "Pulumi.yaml": "name: eks-llm\nruntime: python\n",
        "Pulumi.dev.yaml": "config:\n  aws:region: eu-west-1\n",
        "__main__.py": '''import pulumi_aws as aws
import pulumi_kubernetes as k8s

tags = {"team": "ml", "cost-center": "cc1", "environment": "dev"}
cluster = aws.eks.Cluster("llm", role_arn="arn:aws:iam::123456789012:role/eks", tags=tags,
    vpc_config=aws.eks.ClusterVpcConfigArgs(subnet_ids=["subnet-a", "subnet-b"]))
gpu = aws.eks.NodeGroup("gpu",
    cluster_name=cluster.name,
    node_role_arn="arn:aws:iam::123456789012:role/node",
    subnet_ids=["subnet-a", "subnet-b"],
    instance_types=["g5.2xlarge"],
    capacity_type="SPOT",
    labels={"workload": "llm-serving"},
    scaling_config=aws.eks.NodeGroupScalingConfigArgs(desired_size=1, min_size=1, max_size=2),
    tags=tags)
k8s.apps.v1.Deployment("vllm",
    metadata={"name": "vllm", "labels": {"app": "vllm", **tags}},
    spec={"replicas": 1, "selector": {"match_labels": {"app": "vllm"}},
          "template": {"metadata": {"labels": {"app": "vllm", **tags}},
                       "spec": {"node_selector": {"workload": "llm-serving"},
                                "containers": [{"name": "vllm", "image": "vllm/vllm-openai:v0.10.1",
                                                "resources": {"limits": {"nvidia.com/gpu": 1}}}]}}})
'''})
    vllm = _resources(scan_json(".", "--no-cache", cwd=tmp_path))["vllm"]
    price = price_entry(AWS, "eu-west-1", "g5.2xlarge")["usd_per_hour"] * (1 - AWS["spot_discounts"]["g5"]["discount"])
    assert (vllm["region"], vllm["compute"]["instance_type"], vllm["compute"]["purchase"]) == \
        ("eu-west-1", "g5.2xlarge", "spot")
    assert vllm["monthly_cost_usd"] == round(price * HOURS, 2) == 404.94  # $1.353/h x 0.41 x 730
    assert "EKS node group 'gpu-*' is declared at gpu, __main__.py:7" in vllm["compute"]["evidence"]


def test_terraform_pool_named_by_prefix_links_pods_by_its_other_labels(tmp_path: Path) -> None:
    write(tmp_path, {"main.tf": '''
resource "google_container_cluster" "llm" {
  name               = "llm"
  location           = "europe-west4-a"
  initial_node_count = 1
}

resource "google_container_node_pool" "gpu" {
  name_prefix = "l4-"
  cluster     = google_container_cluster.llm.name
  location    = google_container_cluster.llm.location
  node_count  = 1
  node_config {
    spot         = true
    machine_type = "g2-standard-8"
    guest_accelerator {
      type  = "nvidia-l4"
      count = 1
    }
  }
}

resource "kubernetes_deployment_v1" "vllm" {
  metadata { name = "vllm" }
  spec {
    replicas = 1
    selector { match_labels = { app = "vllm" } }
    template {
      metadata { labels = { app = "vllm" } }
      spec {
        node_selector = { "cloud.google.com/gke-accelerator" = "nvidia-l4" }
        container {
          name  = "vllm"
          image = "vllm/vllm-openai:v0.10.1"
          resources { limits = { "nvidia.com/gpu" = 1 } }
        }
      }
    }
  }
}
'''})
    vllm = _resources(scan_json(".", "--no-cache", cwd=tmp_path))["kubernetes_deployment_v1.vllm"]
    assert (vllm["region"], vllm["compute"]["instance_type"], vllm["compute"]["purchase"]) == \
        ("europe-west4", "g2-standard-8", "spot")
    assert vllm["monthly_cost_usd"] == _gcp("g2-standard-8", "europe-west4", spot=True)
    assert "GKE node pool 'l4-*' is declared at google_container_node_pool.gpu, main.tf:8" in \
        vllm["compute"]["evidence"]


EMBEDDINGS = '''
embeddings = k8s.apps.v1.Deployment("text-embeddings",
    metadata=k8s.meta.v1.ObjectMetaArgs(name="text-embeddings", labels={"app": "text-embeddings", **labels}),
    spec=k8s.apps.v1.DeploymentSpecArgs(
        replicas=1,
        selector=k8s.meta.v1.LabelSelectorArgs(match_labels={"app": "text-embeddings"}),
        template=k8s.core.v1.PodTemplateSpecArgs(
            metadata=k8s.meta.v1.ObjectMetaArgs(labels={"app": "text-embeddings", **labels}),
            spec=k8s.core.v1.PodSpecArgs(
                containers=[k8s.core.v1.ContainerArgs(
                    name="tei",
                    image="ghcr.io/huggingface/text-embeddings-inference:89-1.5",
                    args=["--model-id", "BAAI/bge-large-en-v1.5"],
                    resources=k8s.core.v1.ResourceRequirementsArgs(limits={"nvidia.com/gpu": 1}),
                )],
                node_selector={"cloud.google.com/gke-accelerator": gpu_type},
                tolerations=[gpu_toleration],
            ),
        ),
    ),
    opts=opts,
)
'''


def test_a_pod_on_no_one_pool_runs_in_the_clusters_region_not_the_stacks(tmp_path: Path) -> None:
    """A pod that both L4 pools could take is linked to neither; it was priced in the stack's gcp:region
    (us-central1) though the program's only cluster is in europe-west4-a, as the Terraform form prices it."""
    shutil.copytree(FIXTURES / "pulumi", tmp_path / "pulumi")
    main = tmp_path / "pulumi" / "__main__.py"
    main.write_text(main.read_text().replace('pulumi.export("cluster_name"', EMBEDDINGS + '\npulumi.export("cluster_name"'))
    pod = _resources(scan_json("pulumi", "--no-cache", cwd=tmp_path))["text-embeddings"]
    assert pod["region"] == "europe-west4"
    assert any(n.startswith("region not pinned by node labels; priced in europe-west4 (the region of llm-gpu-cluster")
               for n in pod["price_notes"])
