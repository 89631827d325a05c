"""Facts from a pod spec: requests per pod, GPUs, images, node constraints, tolerations."""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.kubernetes.quantity import gib, quantity
from linter.sources.kubernetes.shapes import as_dict, as_list

# extended resource -> (vendor, kind, devices per unit)
GPU_RESOURCES: dict[str, tuple[str, str, float]] = {
    "nvidia.com/gpu": ("nvidia", "gpu", 1.0),
    "nvidia.com/gpu.shared": ("nvidia", "gpu", 1.0),
    "amd.com/gpu": ("amd", "gpu", 1.0),
    "gpu.intel.com/i915": ("intel", "gpu", 1.0),
    "aws.amazon.com/neuron": ("aws", "accelerator", 1.0),
    "aws.amazon.com/neurondevice": ("aws", "accelerator", 1.0),
    # NeuronCores per chip depend on the chip: converted at 2 here, corrected by ``rescale_neuron_cores`` once the node
    # (and so the chip) is known.
    "aws.amazon.com/neuroncore": ("aws", "accelerator", 0.5),
    "google.com/tpu": ("google", "accelerator", 1.0),
    "habana.ai/gaudi": ("habana", "gpu", 1.0),  # Intel Gaudi (AWS dl1.24xlarge)
    "volcano.sh/gpu-number": ("nvidia", "gpu", 1.0),  # Volcano's whole, exclusive GPUs
}
# Extended resources of other accelerator vendors (Huawei Ascend NPUs, Cambricon MLUs, Hygon DCUs, Kunlunxin XPUs,
# Enflame GCUs, the vGPUs of HAMi-style sharing...): read as accelerators with no price, never as no accelerator
OTHER_ACCELERATOR = re.compile(r"^[a-z0-9.-]+\.[a-z]+/(?:[a-z-]*(?:gpu|npu|mlu|dcu|xpu|gcu|vpu|ipu)|ascend|va$)",
                               re.IGNORECASE)
# NeuronCores per chip (AWS Neuron docs): Inferentia 4 x v1, Inferentia2 and Trainium 2 x v2, Trainium2 8 x v3.
NEURON_CORES_PER_CHIP = {"Inferentia": 4, "Inferentia2": 2, "Trainium": 2, "Trainium2": 8}
_NEURONCORE = "aws.amazon.com/neuroncore"
_MIG = re.compile(r"^nvidia\.com/mig-(\d+)g\.\d+gb$")  # A100/H100 MIG slice: n of 7 compute slices


@record(slots=True)
class Constraint:
    """Allowed values of one node label: ``In`` values, or an operator such as Exists/Gt."""

    op: str
    values: list[str]


@record
class PodFacts:
    vcpus: float | None = None
    memory_gib: float | None = None
    gpus: float = 0.0
    neuron_cores: float = 0.0  # raw aws.amazon.com/neuroncore request, kept to convert per the node's chip
    gpu_vendor: str | None = None
    gpu_kind: str = "none"
    images: list[str] = field(default_factory=list)
    selector: dict[str, Constraint] = field(default_factory=dict)
    tolerations: list[dict[str, Any]] = field(default_factory=list)
    one_per_node: bool = False  # required anti-affinity or spread on the hostname: pods cannot share a node
    # accelerator amounts that are not numbers ("nvidia.com/gpu: $GPU_PER_NODE", filled in before deploy)
    accelerators_unread: list[str] = field(default_factory=list)
    evidence: list[str] = field(default_factory=list)


def _container_resources(c: dict[str, Any]) -> dict[str, float]:
    """Effective requests of one container: requests, else limits (Kubernetes defaults them)."""
    res = as_dict(c.get("resources"))
    requests, limits = as_dict(res.get("requests")), as_dict(res.get("limits"))
    out: dict[str, float] = {}
    for name in set(requests) | set(limits):
        raw = requests.get(name, limits.get(name))
        if name == "memory":
            value = gib(raw)
        else:
            value = quantity(raw)
        if value is not None:
            out[str(name)] = value
    return out


def _gpu_units(name: str) -> tuple[str, str, float] | None:
    if name in GPU_RESOURCES:
        return GPU_RESOURCES[name]
    m = _MIG.match(name)
    if m:
        return ("nvidia", "gpu", int(m.group(1)) / 7)
    return None


def _add(total: dict[str, float], more: dict[str, float]) -> None:
    for k, v in more.items():
        total[k] = total.get(k, 0.0) + v


def requests_of(pod: dict[str, Any]) -> dict[str, float]:
    """Pod-level requests: the containers (and restartable sidecars) summed, at least any init container."""
    main: dict[str, float] = {}
    for c in as_list(pod.get("containers")):
        if isinstance(c, dict):
            _add(main, _container_resources(c))
    sidecars: dict[str, float] = {}
    peak: dict[str, float] = {}
    for c in as_list(pod.get("initContainers")):
        if not isinstance(c, dict):
            continue
        res = _container_resources(c)
        if c.get("restartPolicy") == "Always":  # native sidecar: runs alongside the containers
            _add(sidecars, res)
            continue
        for k, v in res.items():
            peak[k] = max(peak.get(k, 0.0), v + sidecars.get(k, 0.0))
    _add(main, sidecars)
    for k, v in peak.items():
        main[k] = max(main.get(k, 0.0), v)
    return main


# EKS Auto Mode labels its nodes eks.amazonaws.com/instance-family, -size, -gpu-name ...: the same values Karpenter's
# AWS provider gives under karpenter.k8s.aws/ (EKS docs, "Supported EKS Auto Mode labels")
_AUTO_MODE = "eks.amazonaws.com/instance-"


def label_key(key: str) -> str:
    """A node label key as the rest of the reader knows it (EKS Auto Mode's instance labels as Karpenter's)."""
    return "karpenter.k8s.aws/instance-" + key[len(_AUTO_MODE):] if key.startswith(_AUTO_MODE) else key


def requirements_of(items: list[Any]) -> dict[str, Constraint]:
    """Node selector requirements (``matchExpressions``, Karpenter ``requirements``) by label key."""
    out: dict[str, Constraint] = {}
    for e in items:
        if isinstance(e, dict) and isinstance(e.get("key"), str):
            out[label_key(e["key"])] = Constraint(str(e.get("operator") or "In"),
                                                  [str(v) for v in as_list(e.get("values"))])
    return out


def _merge_terms(terms: list[Any]) -> dict[str, Constraint]:
    """Required node affinity: terms are ORed, so keep keys every term constrains, values unioned."""
    per_term = [requirements_of(as_list(as_dict(term).get("matchExpressions"))) for term in terms]
    if not per_term:
        return {}
    merged = dict(per_term[0])
    for other in per_term[1:]:
        for key in list(merged):
            c = other.get(key)
            if c is None or c.op != merged[key].op:
                del merged[key]
            else:
                known = merged[key].values
                merged[key] = Constraint(c.op, known + [v for v in c.values if v not in known])
    return merged


def selector_of(pod: dict[str, Any]) -> dict[str, Constraint]:
    selector: dict[str, Constraint] = {}
    node_affinity = as_dict(as_dict(pod.get("affinity")).get("nodeAffinity"))
    required = as_dict(node_affinity.get("requiredDuringSchedulingIgnoredDuringExecution"))
    selector.update(_merge_terms(as_list(required.get("nodeSelectorTerms"))))
    for k, v in as_dict(pod.get("nodeSelector")).items():
        if v is not None:
            selector[label_key(str(k))] = Constraint("In", [str(v).lower() if isinstance(v, bool) else str(v)])
    return selector


_HOSTNAME = "kubernetes.io/hostname"


def _one_per_node(pod: dict[str, Any]) -> bool:
    anti = as_dict(as_dict(pod.get("affinity")).get("podAntiAffinity"))
    for term in as_list(anti.get("requiredDuringSchedulingIgnoredDuringExecution")):
        if as_dict(term).get("topologyKey") == _HOSTNAME:
            return True
    for spread in as_list(pod.get("topologySpreadConstraints")):
        s = as_dict(spread)
        if s.get("topologyKey") == _HOSTNAME and s.get("whenUnsatisfiable", "DoNotSchedule") == "DoNotSchedule" \
                and s.get("maxSkew") == 1:
            return True
    return False


def pod_facts(pod: dict[str, Any]) -> PodFacts:
    facts = PodFacts()
    req = requests_of(pod)
    facts.vcpus = req.get("cpu")
    facts.memory_gib = req.get("memory")
    for name, value in req.items():
        units = _gpu_units(name)
        if units is None or value <= 0:
            continue
        vendor, kind, per = units
        if name == _NEURONCORE:
            facts.neuron_cores += value
        facts.gpus += value * per
        facts.gpu_vendor, facts.gpu_kind = vendor, kind
        facts.evidence.append(f"requests {value:g} {name}" + (f" (= {value * per:g} devices)" if per != 1 else ""))
    for group in ("initContainers", "containers"):
        for c in as_list(pod.get(group)):
            if isinstance(c, dict) and isinstance(c.get("image"), str):
                facts.images.append(c["image"])
            if isinstance(c, dict):
                _unread_accelerators(c, facts)
    facts.selector = selector_of(pod)
    facts.tolerations = [t for t in as_list(pod.get("tolerations")) if isinstance(t, dict)]
    facts.one_per_node = _one_per_node(pod)
    return facts


def _unread_accelerators(container: dict[str, Any], facts: PodFacts) -> None:
    """Accelerators a container asks for by a value that is no quantity (a template's placeholder): how many is
    unknown, not none."""
    res = as_dict(container.get("resources"))
    requests, limits = as_dict(res.get("requests")), as_dict(res.get("limits"))
    for name in set(requests) | set(limits):
        units = _gpu_units(str(name))
        raw = requests.get(name, limits.get(name))
        if units is None and raw is not None and OTHER_ACCELERATOR.search(str(name)) and (quantity(raw) or 0) > 0:
            facts.accelerators_unread.append(f"{name}: {raw}, an accelerator no catalog machine carries")
            facts.gpu_vendor, facts.gpu_kind = str(name).split("/", 1)[0], "accelerator"
            facts.evidence.append(f"requests {raw} {name}: an accelerator of a vendor finops-lint does not price")
            continue
        if units is None or raw is None or quantity(raw) is not None:
            continue
        facts.accelerators_unread.append(f"{name}: {raw}, not a number (a placeholder filled in before deploy)")
        facts.gpu_vendor, facts.gpu_kind = units[0], units[1]
        facts.evidence.append(f"asks for {name}: {raw}, not a number (a placeholder filled in before deploy)")


def neuron_chips_correction(neuron_cores: float, accelerator_model: str | None) -> float:
    """What to add to a device count that took ``neuron_cores`` NeuronCores at 2 a chip, for the chip of
    ``accelerator_model`` (Trainium2 has 8 a chip, Inferentia 4); 0 for other chips and models."""
    per_chip = NEURON_CORES_PER_CHIP.get(accelerator_model or "", 2)
    return neuron_cores / per_chip - neuron_cores / 2


def rescale_neuron_cores(facts: PodFacts, accelerator_model: str | None) -> None:
    """Convert a NeuronCore request to chips with the pinned node's cores per chip (Trainium2 has 8, not 2)."""
    per_chip = NEURON_CORES_PER_CHIP.get(accelerator_model or "")
    if not facts.neuron_cores or per_chip is None or per_chip == 2:
        return
    facts.gpus += neuron_chips_correction(facts.neuron_cores, accelerator_model)
    facts.evidence = [e for e in facts.evidence if _NEURONCORE not in e]
    facts.evidence.append(f"requests {facts.neuron_cores:g} {_NEURONCORE} (= {facts.neuron_cores / per_chip:g} "
                          f"{accelerator_model} chips at {per_chip} NeuronCores per chip)")
