"""Pod pricing: a share of the pinned node, per-GPU prices by model, OpenCost default rates."""

from __future__ import annotations

import textwrap
from pathlib import Path

import pytest

from conftest import scan_json, write
from linter.pricing.catalog import Catalog

HOURS = 730
# OpenCost's published defaults (opencost/opencost configs/default.json)
OPENCOST = {"CPU": 0.031611, "RAM": 0.004237, "GPU": 0.95, "spotCPU": 0.006655, "spotRAM": 0.000892}


def pod(name: str, selector: str = "", limits: str = "", requests: str = "cpu: \"2\", memory: 8Gi",
        replicas: int = 2, tolerations: str = "") -> str:
    lines = ["apiVersion: apps/v1", "kind: Deployment",
             f"metadata: {{name: {name}, namespace: apps, labels: {{team: a, cost-center: b, environment: production}}}}",
             "spec:", f"  replicas: {replicas}", "  template:", f"    metadata: {{labels: {{app: {name}}}}}", "    spec:"]
    if selector:
        lines.append(f"      nodeSelector: {{{selector}}}")
    if tolerations:
        lines.append(f"      tolerations: [{tolerations}]")
    lim = f", limits: {{{limits}}}" if limits else ""
    lines += ["      containers:", "        - name: c", "          image: acme/app:1",
              f"          resources: {{requests: {{{requests}}}{lim}}}"]
    return "\n".join(lines) + "\n"


def resource(run, address: str) -> dict:
    return next(r for r in run.report["resources"] if r["address"] == address)


@pytest.fixture(scope="module")
def cat() -> Catalog:
    return Catalog()


def test_unpinned_cpu_pod_at_opencost_default_rates(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": pod("web")})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/web")
    expected = 2 * (2 * OPENCOST["CPU"] + 8 * OPENCOST["RAM"]) * HOURS
    assert r["monthly_cost_usd"] == pytest.approx(expected, abs=0.02)
    names = [c["name"] for c in r["cost_components"]]
    assert names == ["CPU requests (2 vCPU per pod), on-demand", "Memory requests (8 GiB per pod), on-demand"]
    assert all(c["source"] == "OpenCost default pricing (opencost/opencost, configs/default.json)"
               for c in r["cost_components"])


def test_opencost_rates_can_be_overridden_in_config(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": pod("web"), ".finops-lint.yaml": "prices:\n  kubernetes:\n    vcpu_hour: 0.05\n"})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/web")
    assert r["monthly_cost_usd"] == pytest.approx(2 * (2 * 0.05 + 8 * OPENCOST["RAM"]) * HOURS, abs=0.02)


def test_gpu_of_unknown_model_at_the_default_gpu_rate(tmp_path: Path) -> None:
    write(tmp_path, {"a.yaml": pod("gpu", limits="nvidia.com/gpu: 1", replicas=1)})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/gpu")
    expected = (OPENCOST["GPU"] + 2 * OPENCOST["CPU"] + 8 * OPENCOST["RAM"]) * HOURS
    assert r["monthly_cost_usd"] == pytest.approx(expected, abs=0.02)
    assert any("priced on demand" in n for n in r["price_notes"])


def test_pod_share_of_a_pinned_cpu_node(tmp_path: Path, cat: Catalog) -> None:
    # 2 vCPU / 8 GiB on m6i.xlarge (4 vCPU, 16 GiB): max(2/4, 8/16) = half the node
    write(tmp_path, {"a.yaml": pod("pinned", selector="node.kubernetes.io/instance-type: m6i.xlarge")})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/pinned")
    spec = cat.machine("aws", "m6i.xlarge")
    share = max(2 / spec["vcpus"], 8 / spec["memory_gib"])
    node = cat.hourly("aws", "us-east-1", "m6i.xlarge").usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx(2 * node * share * HOURS, abs=0.02)
    assert r["region"] == "us-east-1"
    assert "default_regions.aws" in " ".join(r["price_notes"])


def test_gke_accelerator_pod_is_a_share_of_the_cheapest_machine_that_holds_it(tmp_path: Path, cat: Catalog) -> None:
    """L4 machines (g2) include their vCPUs and memory: a pod pinned only by gke-accelerator is priced as its share
    of the cheapest one that holds its GPU, CPU and memory requests. It was the price per L4 plus its CPU and memory
    requests at OpenCost's rates, which charged the vCPUs and memory twice."""
    sel = "cloud.google.com/gke-accelerator: nvidia-l4, cloud.google.com/gke-spot: \"true\""
    write(tmp_path, {"a.yaml": pod("l4", selector=sel, limits="nvidia.com/gpu: 1", replicas=1)})  # 2 vCPU, 8 GiB
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/l4")
    cost, name, family = min((max(1 / s["gpu"]["count"], 2 / s["vcpus"], 8 / s["memory_gib"])
                              * cat.hourly("gcp", "us-central1", t).usd_per_hour, t, s["family"])
                             for t, s in cat.data("gcp")["machine_types"].items()
                             if (s.get("gpu") or {}).get("model") == "L4" and cat.hourly("gcp", "us-central1", t))
    assert name == "g2-standard-4"  # one L4, 4 vCPUs, 16 GB: the pod takes all of its L4
    discount = cat.spot_discount("gcp", family, "gpu").fraction
    assert r["compute"]["on_demand_share"] == 0.0 and r["compute"]["gpu"]["model"] == "L4"
    assert r["monthly_cost_usd"] == pytest.approx(cost * (1 - discount) * HOURS, abs=0.03)
    assert [c["name"] for c in r["cost_components"]] == ["Pod share of g2-standard-4 (1 of 1 GPUs), spot"]
    assert any(n.startswith("GPU price: no node type pinned; g2-standard-4") for n in r["price_notes"])


def test_a_gpu_pod_whose_cpu_needs_a_bigger_machine_is_priced_on_that_machine(tmp_path: Path, cat: Catalog) -> None:
    """As kuberay's high-throughput LLM RayService: a worker asking for 1 L4, 6 CPUs and 24 GiB does not fit a
    g2-standard-4 (4 vCPUs, 16 GB); it takes a g2-standard-8 ($0.8536/h) whole."""
    sel = "cloud.google.com/gke-accelerator: nvidia-l4"
    write(tmp_path, {"a.yaml": pod("l4", selector=sel, limits="nvidia.com/gpu: 1", replicas=4,
                                   requests='cpu: "6", memory: 24Gi')})
    r = resource(scan_json(".", cwd=tmp_path), "Deployment/apps/l4")
    g2_8 = cat.hourly("gcp", "us-central1", "g2-standard-8")
    assert g2_8 is not None and r["monthly_cost_usd"] == pytest.approx(4 * g2_8.usd_per_hour * HOURS, abs=0.02)
    assert "6 vCPU, 24 GiB" in " ".join(r["price_notes"])


def test_gke_attached_t4_uses_the_accelerator_price(tmp_path: Path, cat: Catalog) -> None:
    write(tmp_path, {"a.yaml": pod("t4", selector="cloud.google.com/gke-accelerator: nvidia-tesla-t4",
                                   limits="nvidia.com/gpu: 1", replicas=1)})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/t4")
    t4 = cat.accelerator_hourly("gcp", "us-central1", "nvidia-tesla-t4")
    assert t4 is not None
    gpu = next(c for c in r["cost_components"] if c["unit"] == "GPU-hours")
    assert gpu["price_usd"] == pytest.approx(t4.usd_per_hour, abs=1e-6)
    assert gpu["monthly_usd"] == pytest.approx(t4.usd_per_hour * HOURS, abs=0.01)


def test_karpenter_family_pins_the_cheapest_type_that_fits(tmp_path: Path, cat: Catalog) -> None:
    sel = "karpenter.k8s.aws/instance-family: g5, karpenter.sh/capacity-type: spot"
    write(tmp_path, {"a.yaml": pod("fam", selector=sel, limits="nvidia.com/gpu: 1", replicas=1,
                                   requests="cpu: \"6\", memory: 20Gi")})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/fam")
    fits = [t for t, s in cat.data("aws")["machine_types"].items()
            if s.get("family") == "g5" and s["vcpus"] >= 6 and s["memory_gib"] >= 20
            and cat.hourly("aws", "us-east-1", t)]
    cheapest = min(fits, key=lambda t: cat.hourly("aws", "us-east-1", t).usd_per_hour)
    assert r["compute"]["instance_type"] == cheapest
    node = cat.hourly("aws", "us-east-1", cheapest).usd_per_hour
    assert r["monthly_cost_usd"] == pytest.approx(node * (1 - cat.spot_discount("aws", "g5").fraction) * HOURS,
                                                  abs=0.02)


def test_pod_inherits_the_nodepool_it_selects(tmp_path: Path) -> None:
    np = textwrap.dedent("""\
        apiVersion: karpenter.sh/v1
        kind: NodePool
        metadata: {name: a100}
        spec:
          template:
            spec:
              nodeClassRef: {group: karpenter.k8s.aws, kind: EC2NodeClass, name: gpu}
              requirements:
                - {key: node.kubernetes.io/instance-type, operator: In, values: [p4d.24xlarge]}
                - {key: karpenter.sh/capacity-type, operator: In, values: [on-demand]}
        """)
    write(tmp_path, {"np.yaml": np,
                     "a.yaml": pod("trainer", selector="karpenter.sh/nodepool: a100", limits="nvidia.com/gpu: 8",
                                   replicas=1)})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/trainer")
    assert r["compute"]["instance_type"] == "p4d.24xlarge"
    assert r["compute"]["on_demand_share"] == 1.0
    assert any("NodePool 'a100'" in e for e in r["compute"]["evidence"])


def test_azure_spot_toleration_and_region_from_zone(tmp_path: Path, cat: Catalog) -> None:
    sel = "node.kubernetes.io/instance-type: Standard_NC4as_T4_v3, topology.kubernetes.io/zone: westus2-1"
    tol = "{key: kubernetes.azure.com/scalesetpriority, operator: Equal, value: spot, effect: NoSchedule}"
    write(tmp_path, {"a.yaml": pod("whisper", selector=sel, limits="nvidia.com/gpu: 1", replicas=1, tolerations=tol)})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/whisper")
    assert r["region"] == "westus2" and r["compute"]["on_demand_share"] == 0.0
    node = cat.hourly("azure", "westus2", "Standard_NC4as_T4_v3").usd_per_hour
    spec = cat.machine("azure", "Standard_NC4as_T4_v3")
    discount = cat.spot_discount("azure", spec["family"], "gpu").fraction
    assert r["monthly_cost_usd"] == pytest.approx(node * (1 - discount) * HOURS, abs=0.02)


def test_daemonset_is_unpriced_not_guessed_and_tpu_priced_per_chip(tmp_path: Path) -> None:
    ds = pod("dcgm-exporter", replicas=1).replace("kind: Deployment", "kind: DaemonSet").replace("  replicas: 1\n", "")
    write(tmp_path, {"a.yaml": ds, "b.yaml": pod("tpu", limits="google.com/tpu: 4", replicas=1,
                                                 selector="cloud.google.com/gke-tpu-accelerator: tpu-v5-lite-podslice")})
    run = scan_json(".", cwd=tmp_path)
    assert resource(run, "DaemonSet/apps/dcgm-exporter")["monthly_cost_usd"] is None
    tpu = resource(run, "Deployment/apps/tpu")
    assert tpu["monthly_cost_usd"] == round(4 * 1.2 * 730, 2)  # 4 v5e chips x $1.20/chip-h (us-central1)


@pytest.mark.parametrize(("node", "cores", "chips"), [
    ("trn2.48xlarge", 32, 4),    # Trainium2: 8 NeuronCores per chip
    ("trn1.32xlarge", 16, 8),    # Trainium: 2 per chip
    ("inf2.48xlarge", 4, 2),     # Inferentia2: 2 per chip
    ("inf1.6xlarge", 8, 2),      # Inferentia: 4 per chip
])
def test_neuroncore_requests_count_chips_of_the_pinned_node(tmp_path: Path, node: str, cores: int,
                                                              chips: int) -> None:
    write(tmp_path, {"a.yaml": pod("neuron", selector=f"node.kubernetes.io/instance-type: {node}",
                                   requests=f"cpu: \"8\", memory: 32Gi, aws.amazon.com/neuroncore: {cores}",
                                   replicas=1)})
    run = scan_json(".", cwd=tmp_path)
    r = resource(run, "Deployment/apps/neuron")
    assert r["compute"]["gpu"]["count"] == chips
    assert any(f"{cores} aws.amazon.com/neuroncore" in e for e in r["compute"]["evidence"])
