"""Terraform and manifests in one scan: pods on the node pools Terraform declares (EKS, GKE, AKS), DaemonSets per
node of a pool, and autoscalers declared in Terraform for workloads in manifest files."""

from __future__ import annotations

import shutil
from pathlib import Path

import pytest

from conftest import EXAMPLES, scan_json, write
from linter.pricing.catalog import Catalog

EKS_REPO = EXAMPLES / "platform/eks_gpu_cluster/violating"
EKS_COMPLIANT = EXAMPLES / "platform/eks_gpu_cluster/compliant"
HOURS = 730


def resource(run, address: str) -> dict:
    return next(r for r in run.report["resources"] if r["address"] == address)


@pytest.fixture(scope="module")
def eks_run(tmp_path_factory: pytest.TempPathFactory):
    repo = tmp_path_factory.mktemp("repo") / "ml-platform"
    shutil.copytree(EKS_REPO, repo)
    return scan_json(".", cwd=repo)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def test_platform_example_gives_exactly_the_listed_findings(eks_run) -> None:
    got = {(f["rule_id"], f["resource"], f["file"], f["line"]) for f in eks_run.report["findings"]}
    assert got == {
        ("FIN-GPU-004", "Deployment/serving/llama-8b", "k8s/llama-8b.yaml", 32),
        ("FIN-GPU-001", "Job/batch/embed-backfill", "k8s/embed-backfill.yaml", 5),
        ("FIN-GPU-001", "aws_eks_node_group.gpu_batch", "terraform/node_groups.tf", 32),
    }
    assert eks_run.exit_code == 1 and eks_run.report["errors"] == []


def test_deployment_selecting_a_node_group_by_name_gets_its_node_type_and_region(eks_run) -> None:
    r = resource(eks_run, "Deployment/serving/llama-8b")
    c = r["compute"]
    assert (c["instance_type"], r["region"], c["purchase"]) == ("g5.12xlarge", "us-west-2", "on_demand")
    assert r["links"]["node_pool"] == "aws_eks_node_group.gpu_inference"
    assert "EKS node group 'gpu-inference' is declared at aws_eks_node_group.gpu_inference, " \
           "terraform/node_groups.tf:5" in c["evidence"]


def test_one_gpu_pods_on_the_four_gpu_node_group_strand_gpus(eks_run, cat: Catalog) -> None:
    f = eks_run.finding("FIN-GPU-004", "Deployment/serving/llama-8b")
    assert (f["file"], f["line"]) == ("k8s/llama-8b.yaml", 32)
    per_gpu = cat.hourly("aws", "us-west-2", "g5.12xlarge").usd_per_hour / 4
    assert f["impact"]["monthly_usd"] == pytest.approx(2 * per_gpu * HOURS, abs=0.02)  # 2 pods share 1 node


def test_batch_job_on_an_on_demand_group_selected_by_a_custom_label(eks_run, cat: Catalog) -> None:
    f = eks_run.finding("FIN-GPU-001", "Job/batch/embed-backfill")
    r = resource(eks_run, "Job/batch/embed-backfill")
    assert r["compute"]["instance_type"] == "g5.2xlarge"  # cheapest of the group's g5.2xlarge / g5.4xlarge
    assert "EKS node group 'gpu-batch': capacity_type = ON_DEMAND" in r["compute"]["evidence"]
    hourly = cat.hourly("aws", "us-west-2", "g5.2xlarge").usd_per_hour
    assert f["monthly_cost_usd"] == pytest.approx(4 * hourly * HOURS, abs=0.02)  # parallelism 4


def test_job_on_the_spot_group_is_not_flagged() -> None:
    run = scan_json(".", cwd=EKS_COMPLIANT)
    r = resource(run, "Job/batch/embed-backfill")
    assert r["compute"]["purchase"] == "spot" and r["links"]["node_pool"] == "aws_eks_node_group.gpu_batch"
    assert "EKS node group 'gpu-batch': capacity_type = SPOT" in r["compute"]["evidence"]
    assert run.report["findings"] == []


def test_summary_counts_each_node_pool_once_with_the_pods_it_runs(eks_run, cat: Catalog) -> None:
    report = eks_run.report
    pools = {r["address"]: r for r in report["resources"] if r["source"] == "terraform"}
    job = resource(eks_run, "Job/batch/embed-backfill")
    # gpu-inference (min 1, desired 2) holds its 2 llama-8b pods, so its own bill counts; gpu-batch scales from
    # zero (no cost of its own), so the 4 Job pods it runs are its spend
    assert pools["aws_eks_node_group.gpu_batch"]["monthly_cost_usd"] is None
    inference = 2 * cat.hourly("aws", "us-west-2", "g5.12xlarge").usd_per_hour * HOURS
    batch = 4 * cat.hourly("aws", "us-west-2", "g5.2xlarge").usd_per_hour * HOURS
    assert pools["aws_eks_node_group.gpu_inference"]["monthly_cost_usd"] == pytest.approx(inference, abs=0.01)
    assert job["monthly_cost_usd"] == pytest.approx(batch, abs=0.01)
    assert report["summary"]["monthly_cost_usd"] == pytest.approx(inference + batch, abs=0.02)
    assert report["summary"]["monthly_cost_usd"] == pytest.approx(8281.12 + 3539.04, abs=0.01)
    savings = sum(f["impact"]["monthly_usd"] or 0 for f in report["findings"] if f["impact"]["kind"] == "savings")
    assert report["summary"]["monthly_savings_usd"] == pytest.approx(savings, abs=0.01)  # the pools save $0 here


def test_manifest_scanned_alone_is_not_linked(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EKS_REPO, repo)
    run = scan_json("k8s/llama-8b.yaml", cwd=repo)  # what a pre-commit hook on that file sees
    r = resource(run, "Deployment/serving/llama-8b")
    assert "node_pool" not in r.get("links", {}) and r["compute"]["instance_type"] is None


GKE_TF = '''
provider "google" {
  project = "acme-vision"
  region  = "us-central1"
}

resource "google_container_cluster" "vision" {
  name                     = "vision"
  location                 = "us-central1"
  remove_default_node_pool = true
  initial_node_count       = 1
  resource_labels          = { team = "vision", cost-center = "cc-310", environment = "production" }
}

resource "google_container_node_pool" "l4_spot" {
  name     = "l4-spot"
  cluster  = google_container_cluster.vision.id
  location = "us-central1"
  autoscaling {
    min_node_count = 0
    max_node_count = 6
  }
  node_config {
    machine_type = "g2-standard-8"
    spot         = true
    labels       = { pool = "inference-l4" }
    taint {
      key    = "nvidia.com/gpu"
      value  = "present"
      effect = "NO_SCHEDULE"
    }
  }
}
'''

GKE_CRONJOB = '''
apiVersion: batch/v1
kind: CronJob
metadata:
  name: thumbnails
  namespace: vision
  labels: {team: vision, cost-center: cc-310, environment: production}
spec:
  schedule: "0 2 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          nodeSelector:
            cloud.google.com/gke-nodepool: l4-spot
          tolerations:
            - {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}
          containers:
            - name: render
              image: us-docker.pkg.dev/acme-vision/batch/thumbnails:5.1.0
              resources:
                limits: {nvidia.com/gpu: 1}
'''


def test_gke_node_pool_selected_by_its_name_gives_type_and_spot(tmp_path: Path) -> None:
    write(tmp_path, {"infra/gke.tf": GKE_TF, "deploy/thumbnails.yaml": GKE_CRONJOB})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "CronJob/vision/thumbnails")
    c = r["compute"]
    assert (c["instance_type"], r["region"], c["purchase"]) == ("g2-standard-8", "us-central1", "spot")
    assert c["gpu"]["model"] == "L4"
    assert r["links"]["node_pool"] == "google_container_node_pool.l4_spot"
    assert not run.findings("FIN-GPU-001")


AKS_TF = '''
provider "azurerm" {
  features {}
}

resource "azurerm_kubernetes_cluster" "ml" {
  name                = "aks-ml"
  location            = "eastus"
  resource_group_name = "rg-ml"
  dns_prefix          = "aksml"
  default_node_pool {
    name       = "system"
    vm_size    = "Standard_D4s_v5"
    node_count = 2
  }
  identity { type = "SystemAssigned" }
  tags = { team = "ml", "cost-center" = "cc-9", environment = "production" }
}

resource "azurerm_kubernetes_cluster_node_pool" "a100" {
  name                  = "a100"
  kubernetes_cluster_id = azurerm_kubernetes_cluster.ml.id
  vm_size               = "Standard_NC24ads_A100_v4"
  node_count            = 1
  node_labels           = { "gpu-tier" = "a100" }
  node_taints           = ["sku=gpu:NoSchedule"]
  tags                  = { team = "ml", "cost-center" = "cc-9", environment = "production" }
}
'''

AKS_JOB = '''
apiVersion: batch/v1
kind: Job
metadata:
  name: finetune-lora
  namespace: training
  labels: {team: ml, cost-center: cc-9, environment: production}
spec:
  template:
    spec:
      restartPolicy: Never
      affinity:
        nodeAffinity:
          requiredDuringSchedulingIgnoredDuringExecution:
            nodeSelectorTerms:
              - matchExpressions:
                  - {key: gpu-tier, operator: In, values: [a100]}
      tolerations:
        - {key: sku, operator: Equal, value: gpu, effect: NoSchedule}
      containers:
        - name: train
          image: ghcr.io/acme/lora-trainer:0.9.2
          resources:
            limits: {nvidia.com/gpu: 1}
'''


def test_aks_pool_selected_by_a_node_label_affinity(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"terraform/aks.tf": AKS_TF, "k8s/finetune.yaml": AKS_JOB})
    run = scan_json(".", cwd=tmp_path)
    f = run.finding("FIN-GPU-001", "Job/training/finetune-lora")  # training on an on-demand (Regular) pool
    r = resource(run, "Job/training/finetune-lora")
    assert (r["compute"]["instance_type"], r["region"]) == ("Standard_NC24ads_A100_v4", "eastus")
    hourly = cat.hourly("azure", "eastus", "Standard_NC24ads_A100_v4").usd_per_hour
    assert f["monthly_cost_usd"] == pytest.approx(hourly * HOURS, abs=0.02)


def test_pods_matching_two_pools_equally_are_not_linked(tmp_path: Path) -> None:
    second_pool = AKS_TF[AKS_TF.index('resource "azurerm_kubernetes_cluster_node_pool"'):] \
        .replace('"a100" {', '"a100_b" {').replace('name                  = "a100"', 'name                  = "a100b"')
    write(tmp_path, {"terraform/aks.tf": AKS_TF, "terraform/aks_second_pool.tf": second_pool,
                     "k8s/finetune.yaml": AKS_JOB})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Job/training/finetune-lora")
    assert "node_pool" not in r.get("links", {})
    assert any("match several node pools" in e and "azurerm_kubernetes_cluster_node_pool.a100_b" in e
               for e in r["compute"]["evidence"])


EMBEDDED_TF = '''
resource "kubernetes_deployment_v1" "embedder" {
  metadata {
    name      = "embedder"
    namespace = "search"
    labels    = { team = "search", "cost-center" = "cc-2210", environment = "production" }
  }
  spec {
    replicas = 1
    selector { match_labels = { app = "embedder" } }
    template {
      metadata { labels = { app = "embedder" } }
      spec {
        node_selector = { "eks.amazonaws.com/nodegroup" = aws_eks_node_group.gpu_batch.node_group_name }
        container {
          name  = "tei"
          image = "ghcr.io/huggingface/text-embeddings-inference:1.5"
          resources {
            limits = { "nvidia.com/gpu" = "1" }
          }
        }
      }
    }
  }
}
'''


def test_terraform_declared_deployment_reads_its_node_groups_capacity_type(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EKS_COMPLIANT / "terraform", repo)
    (repo / "embedder.tf").write_text(EMBEDDED_TF)
    run = scan_json(".", cwd=repo)
    r = resource(run, "kubernetes_deployment_v1.embedder")
    assert (r["compute"]["instance_type"], r["compute"]["purchase"]) == ("g5.2xlarge", "spot")
    assert r["links"]["node_pool"] == "aws_eks_node_group.gpu_batch"


def test_per_pool_the_larger_of_its_own_and_its_pods_savings_counts() -> None:
    from linter.model import Compute, Finding, Impact, KubeNodes, Resource
    from linter.report.totals import savings_total, spend_total

    pool = Resource(address="aws_eks_node_group.batch", type="aws_eks_node_group", source="terraform",
                    provider="aws", file="eks.tf", line=3, monthly_cost_usd=1000.0,
                    compute=Compute(nodes=KubeNodes(kind="EKS node group", name="batch")))
    pods = [Resource(address=f"Job/b/{n}", type="Job", source="kubernetes", provider="kubernetes",
                     file="jobs.yaml", line=i, monthly_cost_usd=300.0,
                     links={"node_pool": pool.address, "node_pool_file": pool.file})
            for i, n in enumerate(("a", "b"), start=1)]
    other = Resource(address="aws_instance.x", type="aws_instance", source="terraform", provider="aws",
                     file="ec2.tf", line=1, monthly_cost_usd=50.0)

    def saving(r: Resource, usd: float) -> Finding:
        return Finding(rule_id="FIN-GPU-001", rule="gpu-on-demand-for-batch", severity="high", message="",
                       remediation="", source=r.source, file=r.file, line=r.line, resource=r.address,
                       resource_type=r.type, monthly_cost_usd=r.monthly_cost_usd,
                       impact=Impact(kind="savings", monthly_usd=usd), fingerprint=r.address)

    everything = [pool, *pods, other]
    assert spend_total(everything) == 1050.0  # the pods' 600 are inside the pool's 1000
    assert savings_total([saving(pool, 500), saving(pods[0], 150), saving(pods[1], 150), saving(other, 20)],
                         everything) == 520.0  # max(500, 150 + 150) + 20
    assert savings_total([saving(pool, 100), saving(pods[0], 150), saving(pods[1], 150)], everything) == 300.0
    assert savings_total([saving(pods[0], 150)], [*pods, other]) == 150.0  # pool not scanned: pods count alone


def test_a_copy_per_environment_links_each_manifest_to_its_own_pool(tmp_path: Path) -> None:
    for env in ("staging", "production"):
        shutil.copytree(EKS_REPO, tmp_path / env)
    run = scan_json(".", cwd=tmp_path)
    for env in ("staging", "production"):
        r = next(r for r in run.report["resources"]
                 if r["address"] == "Deployment/serving/llama-8b" and r["file"] == f"{env}/k8s/llama-8b.yaml")
        assert r["links"]["node_pool"] == "aws_eks_node_group.gpu_inference"
        assert f"{env}/terraform/node_groups.tf:5" in " ".join(r["compute"]["evidence"])


DCGM_DAEMONSET = '''
apiVersion: apps/v1
kind: DaemonSet
metadata:
  name: dcgm-exporter
  namespace: gpu-operator
  labels: {team: ml-platform, cost-center: cc-1207, environment: production}
spec:
  selector: {matchLabels: {app: dcgm-exporter}}
  template:
    metadata: {labels: {app: dcgm-exporter}}
    spec:
      nodeSelector: {eks.amazonaws.com/nodegroup: gpu-inference}
      tolerations: [{key: nvidia.com/gpu, operator: Exists, effect: NoSchedule}]
      containers:
        - name: exporter
          image: nvcr.io/nvidia/k8s/dcgm-exporter:3.3.7-3.5.0-ubuntu22.04
          resources: {requests: {cpu: 250m, memory: 512Mi}}
'''


def test_daemonset_on_a_node_group_runs_one_pod_per_node_of_it(tmp_path: Path, cat: Catalog) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EKS_REPO, repo)
    (repo / "k8s/dcgm.yaml").write_text(DCGM_DAEMONSET)
    run = scan_json(".", cwd=repo)
    r = resource(run, "DaemonSet/gpu-operator/dcgm-exporter")
    assert (r["compute"]["count"], r["compute"]["min"], r["compute"]["max"]) == (2, 1, 4)  # desired 2, 1..4
    assert "DaemonSet: one pod per node of node pool 'gpu-inference', 2 node(s) priced (range 1..4)" in r["price_notes"]
    spec = cat.machine("aws", "g5.12xlarge")
    share = max(0.25 / spec["vcpus"], 0.5 / spec["memory_gib"])  # 250m CPU, 512Mi of a 48-vCPU / 192-GiB node
    hourly = cat.hourly("aws", "us-west-2", "g5.12xlarge").usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx(2 * hourly * share * HOURS, abs=0.02)


HPA_TF = '''
resource "kubernetes_horizontal_pod_autoscaler_v2" "llama" {
  metadata {
    name      = "llama-8b"
    namespace = "serving"
  }
  spec {
    min_replicas = 2
    max_replicas = 6
    scale_target_ref {
      api_version = "apps/v1"
      kind        = "Deployment"
      name        = "llama-8b"
    }
    metric {
      type = "Resource"
      resource {
        name = "cpu"
        target {
          type                = "Utilization"
          average_utilization = 70
        }
      }
    }
  }
}
'''


def test_autoscaler_in_terraform_links_to_the_deployment_in_a_manifest(tmp_path: Path) -> None:
    repo = tmp_path / "repo"
    shutil.copytree(EKS_COMPLIANT, repo)
    (repo / "terraform/autoscaling.tf").write_text(HPA_TF)
    run = scan_json(".", cwd=repo)
    f = run.finding("FIN-SCALE-001", "Deployment/serving/llama-8b")  # GPU inference scaled on CPU
    assert f["file"] == "k8s/llama-8b.yaml"
    r = resource(run, "Deployment/serving/llama-8b")
    assert (r["autoscaling"]["metric_kind"], r["autoscaling"]["min"], r["autoscaling"]["max"]) == ("cpu", 2, 6)
    assert r["links"]["autoscaler"] == "kubernetes_horizontal_pod_autoscaler_v2.llama"
    hpa = resource(run, "kubernetes_horizontal_pod_autoscaler_v2.llama")
    assert not [u for u in hpa.get("unknowns", []) if "scale target" in u]


FINETUNE_8_L4 = '''
apiVersion: batch/v1
kind: Job
metadata:
  name: finetune-gemma
  namespace: vision
  labels: {team: vision, cost-center: cc-310, environment: production}
spec:
  template:
    spec:
      restartPolicy: Never
      nodeSelector:
        cloud.google.com/gke-accelerator: nvidia-l4
      tolerations:
        - {key: nvidia.com/gpu, operator: Equal, value: present, effect: NoSchedule}
      containers:
        - name: train
          image: us-docker.pkg.dev/acme-vision/train/gemma-lora:2.0.1
          resources:
            limits: {nvidia.com/gpu: 8}
'''


def test_a_pod_needing_more_gpus_than_a_pools_nodes_have_is_not_priced_on_it(tmp_path: Path, cat: Catalog) -> None:
    """As in kubernetes-engine-samples: a Job asking for 8 L4 GPUs selects nvidia-l4 nodes labelled as the only
    L4 pool in the scan, which has one L4 per node (g2-standard-8). The scheduler would never place it there; it was priced as
    one of those nodes ($1.15/h), an eighth of its GPUs. Now it is not linked to the pool, says why, and is priced
    as the one machine that holds 8 L4s, g2-standard-96 (eight times g2-standard-4's price per L4 was a machine
    that does not exist)."""
    finetune = FINETUNE_8_L4.replace("cloud.google.com/gke-accelerator: nvidia-l4",
                                     "cloud.google.com/gke-accelerator: nvidia-l4\n        pool: inference-l4")
    write(tmp_path, {"infra/gke.tf": GKE_TF, "train/finetune.yaml": finetune, "deploy/thumbnails.yaml": GKE_CRONJOB})
    run = scan_json(".", cwd=tmp_path)
    job = resource(run, "Job/vision/finetune-gemma")
    assert "node_pool" not in job.get("links", {})
    assert any("has 1 nvidia GPU(s) per node, fewer than the pod's 8: the pod cannot run there" in e
               for e in job["compute"]["evidence"])
    l4x8 = cat.hourly("gcp", "us-central1", "g2-standard-96")  # 8 L4s, 96 vCPUs, 384 GB
    assert l4x8 is not None and job["monthly_cost_usd"] == pytest.approx(l4x8.usd_per_hour * HOURS, abs=0.05)
    assert [c["name"] for c in job["cost_components"]] == ["Pod share of g2-standard-96 (8 of 8 GPUs), on-demand"]
    assert resource(run, "CronJob/vision/thumbnails")["links"]["node_pool"] == "google_container_node_pool.l4_spot"


def test_a_pod_pinned_to_a_type_with_fewer_gpus_is_priced_as_the_nodes_its_gpus_take(tmp_path: Path,
                                                                                      cat: Catalog) -> None:
    """A nodeSelector naming g5.xlarge (one A10G) on a pod asking for 4 GPUs: the pod cannot be scheduled as
    written; it was priced as one g5.xlarge. Now: 4 nodes' worth, and a price note says why."""
    write(tmp_path, {"k8s/embed.yaml": FINETUNE_8_L4.replace("cloud.google.com/gke-accelerator: nvidia-l4",
                                                           "node.kubernetes.io/instance-type: g5.xlarge")
                     .replace("nvidia.com/gpu: 8", "nvidia.com/gpu: 4")})
    run = scan_json(".", cwd=tmp_path)
    job = resource(run, "Job/vision/finetune-gemma")
    g5 = cat.hourly("aws", job["region"], "g5.xlarge")
    assert g5 is not None and job["compute"]["instance_type"] == "g5.xlarge"
    assert job["monthly_cost_usd"] == pytest.approx(4 * g5.usd_per_hour * HOURS, abs=0.05)
    assert any("requests 4 GPUs, more than a g5.xlarge node has (1)" in n for n in job["price_notes"])


EKS_INFERENTIA_TF = '''
provider "aws" {
  region = "us-east-1"
}

resource "aws_eks_node_group" "inferentia" {
  cluster_name    = "ml"
  node_group_name = "inferentia"
  node_role_arn   = "arn:aws:iam::123456789012:role/eks-nodes"
  subnet_ids      = ["subnet-0a1b2c3d"]
  instance_types  = ["inf2.xlarge"]
  labels          = { accelerator = "neuron" }
  scaling_config {
    desired_size = 2
    min_size     = 1
    max_size     = 4
  }
  tags = { team = "ml", "cost-center" = "cc-9", environment = "production" }
}
'''


def test_a_gpu_pod_is_not_priced_on_a_pool_of_another_vendors_accelerators(tmp_path: Path) -> None:
    """A pod asking for an NVIDIA GPU that selects an Inferentia node group (inf2.xlarge: one AWS Inferentia2, no
    NVIDIA GPU) by its label cannot run there: it is not linked to the group, and says why."""
    pod = FINETUNE_8_L4.replace("cloud.google.com/gke-accelerator: nvidia-l4", "accelerator: neuron") \
        .replace("nvidia.com/gpu: 8", "nvidia.com/gpu: 1")
    write(tmp_path, {"infra/eks.tf": EKS_INFERENTIA_TF, "k8s/job.yaml": pod})
    run = scan_json(".", cwd=tmp_path)
    job = resource(run, "Job/vision/finetune-gemma")
    assert "node_pool" not in job.get("links", {})
    assert any("EKS node group 'inferentia'" in e and "has 0 nvidia GPU(s) per node, fewer than the pod's 1" in e
               for e in job["compute"]["evidence"])
    neuron = pod.replace("nvidia.com/gpu: 1", "aws.amazon.com/neuron: 1")  # what that pool is for
    write(tmp_path, {"k8s/job.yaml": neuron})
    linked = resource(scan_json(".", cwd=tmp_path), "Job/vision/finetune-gemma")
    assert linked["links"]["node_pool"] == "aws_eks_node_group.inferentia"


GKE_TPU_POOL_TF = '''
resource "google_container_node_pool" "tpu_v5e_spot" {
  name     = "tpu-v5e-spot"
  cluster  = google_container_cluster.vision.id
  location = "us-central1"
  node_count = 2
  node_config {
    machine_type = "ct5lp-hightpu-4t"
    spot         = true
  }
}
'''


def test_a_gpu_pod_does_not_match_a_pool_without_gpus_on_a_generic_label(tmp_path: Path) -> None:
    """As in kubernetes-engine-samples: an L4 Deployment selects ``gke-accelerator: nvidia-l4`` and
    ``gke-spot: "true"``; the only spot pool in the scan is a TPU v5e pool. GKE labels only GPU nodes with
    gke-accelerator, so the pod cannot run there; it was linked to it through the spot label alone. The L4 pool
    still takes the pods that select it."""
    serve = FINETUNE_8_L4.replace("nvidia.com/gpu: 8", "nvidia.com/gpu: 1").replace(
        "cloud.google.com/gke-accelerator: nvidia-l4",
        'cloud.google.com/gke-accelerator: nvidia-l4\n        cloud.google.com/gke-spot: "true"')
    write(tmp_path, {"infra/gke.tf": GKE_TF.replace('resource "google_container_node_pool" "l4_spot"',
                                                    'resource "google_container_node_pool" "l4_other"')
                     .replace("spot         = true", "spot         = false") + GKE_TPU_POOL_TF,
                     "serve/l4.yaml": serve, "deploy/thumbnails.yaml": GKE_CRONJOB})
    run = scan_json(".", cwd=tmp_path)
    assert "node_pool" not in resource(run, "Job/vision/finetune-gemma").get("links", {})
    assert resource(run, "CronJob/vision/thumbnails")["links"]["node_pool"] == "google_container_node_pool.l4_other"
