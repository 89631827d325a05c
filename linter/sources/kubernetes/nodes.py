"""The node a pod (or a Karpenter NodePool) pins: cloud, machine type, GPU model, capacity type, region.

Node labels are read from ``nodeSelector`` and required node affinity (and, for pods that
select a Karpenter NodePool, the NodePool's requirements). When the constraints allow several
machine types, the cheapest catalog type that fits the pod is taken, as Karpenter does.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from linter.facts.compute import accelerators_of
from linter.pricing.allocatable import allocatable, holds, on_pool
from linter.pricing.catalog import Catalog
from linter.records import record
from linter.sources.kubernetes.pods import Constraint, neuron_chips_correction

INSTANCE_TYPE_KEYS = ("node.kubernetes.io/instance-type", "beta.kubernetes.io/instance-type",
                      "karpenter.k8s.aws/instance-type")
NODEPOOL_KEYS = ("karpenter.sh/nodepool", "karpenter.sh/provisioner-name")
REGION_KEYS = ("topology.kubernetes.io/region", "failure-domain.beta.kubernetes.io/region")
ZONE_KEYS = ("topology.kubernetes.io/zone", "failure-domain.beta.kubernetes.io/zone")
GKE_ACCELERATOR = "cloud.google.com/gke-accelerator"
GKE_TPU = "cloud.google.com/gke-tpu-accelerator"
# GKE TPU node label values -> the TPU's name (cloud.google.com/kubernetes-engine/docs/concepts/plan-tpus)
_TPU_NAMES = {"tpu-v4-podslice": "TPU v4", "tpu-v5-lite-podslice": "TPU v5e", "tpu-v5-lite-device": "TPU v5e",
              "tpu-v5p-slice": "TPU v5p", "tpu-v6e-slice": "TPU v6e", "tpu7x": "TPU7x"}


def tpu_model(label: str | None) -> str:
    """A GKE TPU accelerator label in words: "TPU v5e"; an unknown or absent label is just "TPU"."""
    return _TPU_NAMES.get(label or "", "TPU")
_PROVIDER_PREFIXES = (("karpenter.k8s.aws/", "aws"), ("eks.amazonaws.com/", "aws"), ("k8s.amazonaws.com/", "aws"),
                      ("alpha.eksctl.io/", "aws"), ("cloud.google.com/", "gcp"), ("kubernetes.azure.com/", "azure"),
                      ("karpenter.azure.com/", "azure"))
# Keys that narrow the machine type: any of them makes the pod "pinned" to the cheapest type that fits.
_PIN_KEYS = frozenset({*INSTANCE_TYPE_KEYS, "karpenter.k8s.aws/instance-family", "karpenter.k8s.aws/instance-category",
                       "karpenter.k8s.aws/instance-gpu-name", "cloud.google.com/machine-family",
                       "karpenter.azure.com/sku-family", "karpenter.azure.com/sku-gpu-name"})
_SPOT_TAINTS = {"kubernetes.azure.com/scalesetpriority": "spot", "cloud.google.com/gke-spot": "true",
                "cloud.google.com/gke-preemptible": "true", "karpenter.sh/capacity-type": "spot",
                "node.kubernetes.io/lifecycle": "spot", "eks.amazonaws.com/capacityType": "SPOT"}


@record
class NodePin:
    provider: str | None = None
    instance_type: str | None = None
    allowed: list[str] = field(default_factory=list)
    spec: dict[str, Any] | None = None
    gpu_model: str | None = None
    gpu_memory_gib: float | None = None
    accelerator: str | None = None  # GKE accelerator label value, priced per GPU
    on_demand_share: float | None = None
    region: str | None = None
    region_note: str | None = None
    os_note: str | None = None  # Windows nodes: the catalog's prices are Linux rates
    nodepool: str | None = None
    pool_address: str | None = None  # a node pool another source declared (e.g. aws_eks_node_group.gpu)
    pool_file: str | None = None  # ... and the file that declares it
    pool_nodes: tuple[float | None, int | None, int | None] | None = None  # that pool's node count, min, max
    karpenter_pool: str | None = None  # the Karpenter NodePool the pod selects (its capacity type is the pool's)
    untolerated: bool = False  # the declared pool taints its nodes against the pod: it never lands there
    evidence: list[str] = field(default_factory=list)


def _single(c: Constraint | None) -> str | None:
    if c is not None and c.op == "In" and len(c.values) == 1:
        return c.values[0]
    return None


def provider_of_labels(keys: Any) -> str | None:
    for key in keys:
        for prefix, provider in _PROVIDER_PREFIXES:
            if key.startswith(prefix):
                return provider
    return None


def provider_of_type(catalog: Catalog, machine_type: str) -> str | None:
    guess = "azure" if machine_type.lower().startswith(("standard_", "basic_")) else \
        "aws" if "." in machine_type else "gcp"
    order = [guess] + [p for p in ("aws", "gcp", "azure") if p != guess]
    for provider in order:
        if catalog.machine(provider, machine_type):
            return provider
    return None


# ---------------------------------------------------------------------------------------------
# capacity type

def capacity(selector: dict[str, Constraint], tolerations: list[dict[str, Any]]) -> tuple[float | None, str | None]:
    """(on-demand share, evidence): 1.0 on demand, 0.0 spot, None when the pod does not say."""
    c = selector.get("karpenter.sh/capacity-type")
    if c is not None:
        values = {v.lower() for v in c.values}
        if (c.op == "In" and values == {"spot"}) or (c.op == "NotIn" and values == {"on-demand"}):
            return 0.0, f"karpenter.sh/capacity-type {c.op} {sorted(values)}"
        if (c.op == "In" and values <= {"on-demand", "reserved"}) or (c.op == "NotIn" and values == {"spot"}):
            return 1.0, f"karpenter.sh/capacity-type {c.op} {sorted(values)}"
        if c.op == "In" and "spot" in values:
            return None, "karpenter.sh/capacity-type allows spot and on-demand (Karpenter prefers spot)"
    for key, spot, demand in (("eks.amazonaws.com/capacityType", "spot", "on_demand"),
                              ("cloud.google.com/gke-spot", "true", "false"),
                              ("cloud.google.com/gke-preemptible", "true", "false"),
                              ("kubernetes.azure.com/scalesetpriority", "spot", "regular"),
                              ("node.kubernetes.io/lifecycle", "spot", "normal")):
        value = _single(selector.get(key))
        if value is None:
            continue
        if value.lower() == spot:
            return 0.0, f"node selector {key}={value}"
        if value.lower() == demand:
            return 1.0, f"node selector {key}={value}"
    for t in tolerations:
        key = t.get("key")
        if not isinstance(key, str) or key not in _SPOT_TAINTS:
            continue
        if t.get("operator") == "Exists" or str(t.get("value", "")).lower() == _SPOT_TAINTS[key].lower():
            return 0.0, f"tolerates the spot taint {key}"
    return None, None


# ---------------------------------------------------------------------------------------------
# machine types allowed by the constraints

_FAMILY_KEYS = ("karpenter.k8s.aws/instance-family", "cloud.google.com/machine-family",
                "karpenter.azure.com/sku-family")


def _attr(machine_type: str, spec: dict[str, Any], key: str) -> Any:
    family = str(spec.get("family") or "")
    gpu = spec.get("gpu") or spec.get("accelerator") or {}
    if key in INSTANCE_TYPE_KEYS:
        return machine_type
    if key in _FAMILY_KEYS:
        return family
    if key == "karpenter.k8s.aws/instance-category":
        m = re.match(r"[a-z]+", family)
        return m.group(0) if m else None
    if key == "karpenter.k8s.aws/instance-generation":
        m = re.search(r"\d+", family)
        return m.group(0) if m else None
    if key == "karpenter.k8s.aws/instance-size":
        return machine_type.split(".", 1)[1] if "." in machine_type else None
    if key in ("karpenter.k8s.aws/instance-gpu-name", "karpenter.azure.com/sku-gpu-name"):
        return str(gpu.get("model") or "").lower() or None
    if key in ("karpenter.k8s.aws/instance-gpu-count", "karpenter.azure.com/sku-gpu-count"):
        return gpu.get("count") or 0
    if key == "karpenter.k8s.aws/instance-gpu-manufacturer":
        return str(gpu.get("vendor") or "").lower() or None
    if key in ("karpenter.k8s.aws/instance-cpu", "karpenter.azure.com/sku-cpu"):
        return spec.get("vcpus")
    if key == GPU_MEMORY:  # MiB per GPU, as EC2 reports it (A100: 40960, A100-80GB: 81920)
        return round(float(gpu["memory_gib"]) * 1024) if gpu.get("memory_gib") else 0
    if key in ARCH_KEYS:
        return "arm64" if _ARM.match(machine_type) or _ARM_FAMILY.match(family) else "amd64"
    return _UNKNOWN


ARCH_KEYS = ("kubernetes.io/arch", "beta.kubernetes.io/arch")
# NVIDIA GPU Feature Discovery's node label, the same on every cloud: "NVIDIA-A100-SXM4-80GB", "Tesla-T4", "NVIDIA-L4"
GPU_PRODUCT = "nvidia.com/gpu.product"
_PRODUCT_MODEL = re.compile(r"(?<![A-Z0-9])(H200|H100|B200|A100|L40S|L40|L4|A10G|A10|A40|T4|V100|P100|P4|K80)"
                            r"(?![0-9])")
_PRODUCT_MEMORY = re.compile(r"(\d+)GB")


def gpu_of_product(product: str) -> tuple[str | None, float | None]:
    """(model as the catalog names it, GB when the product says) of a gpu.product label value."""
    text = product.upper().replace("_", "-")
    model = _PRODUCT_MODEL.search(text)
    memory = _PRODUCT_MEMORY.search(text)
    return (model.group(1) if model else None), (float(memory.group(1)) if memory else None)
OS_KEYS = ("kubernetes.io/os", "beta.kubernetes.io/os")
# Arm machines by their names: AWS Graviton families carry a "g" after the generation (c7g, m6gd, t4g, g5g, im4gn)
# and a1; Azure's Ampere sizes a "p" among the features (Standard_D4ps_v5, B2pls_v2); GCP's are t2a, c4a and n4a
_ARM_FAMILY = re.compile(r"^(?:a1|[a-z]+\d+g[a-z]*|t2a|c4a|n4a)$")
_ARM = re.compile(r"^Standard_[A-Z]+\d+[a-z]*p[a-z]*_")


GPU_MEMORY = "karpenter.k8s.aws/instance-gpu-memory"


def _near(value: str, named: dict[str, Any]) -> list[str]:
    """The index's values within 1% of a number (GPU memory: the catalog keeps GiB to two decimals, so EC2's
    22888 MiB reads back as 22886)."""
    try:
        wanted = float(value)
    except ValueError:
        return [value]
    out = []
    for text in named:
        try:
            if abs(float(text) - wanted) <= 0.01 * wanted:
                out.append(text)
        except ValueError:
            continue
    return out


_UNKNOWN = object()


def _matches(value: Any, c: Constraint) -> bool:
    if value is _UNKNOWN:
        return True  # a label we do not model does not narrow the catalog
    if c.op == "Exists":
        return value not in (None, 0, "")
    if c.op == "DoesNotExist":
        return value in (None, 0, "")
    if c.op in ("Gt", "Lt"):
        try:
            limit, mine = float(c.values[0]), float(value)
        except (ValueError, TypeError, IndexError):
            return True
        return mine > limit if c.op == "Gt" else mine < limit
    values = {v.lower() for v in c.values}
    hit = str(value).lower() in values
    return hit if c.op == "In" else not hit if c.op == "NotIn" else True


_ALLOWED_CACHE: dict[tuple[Any, ...], list[str]] = {}


def allowed_types(catalog: Catalog, provider: str, constraints: dict[str, Constraint]) -> list[str]:
    """Catalog machine types of ``provider`` that satisfy every constraint (labels we do not model pass)."""
    key = (id(catalog), provider, tuple(sorted((k, c.op, tuple(c.values)) for k, c in constraints.items())))
    got = _ALLOWED_CACHE.get(key)
    if got is None:
        if len(_ALLOWED_CACHE) > 4096:
            _ALLOWED_CACHE.clear()
        got = _ALLOWED_CACHE[key] = _allowed_types(catalog, provider, constraints)
    return list(got)


def _allowed_types(catalog: Catalog, provider: str, constraints: dict[str, Constraint]) -> list[str]:
    explicit = None
    for key in INSTANCE_TYPE_KEYS:
        c = constraints.get(key)
        if c is not None and c.op == "In":
            explicit = [catalog.canonical_type(provider, v) for v in c.values]
    types = catalog.data(provider).get("machine_types", {})
    names = explicit if explicit is not None else list(types)
    passing = [_passing(catalog, provider, types, key, c) for key, c in constraints.items()]
    if not passing:
        return [name for name in names if name in types]
    allowed = frozenset.intersection(*passing)
    return [name for name in names if name in allowed]  # every passing set holds catalog types only


def _passing(catalog: Catalog, provider: str, types: dict[str, Any], key: str, c: Constraint) -> frozenset[str]:
    """The machine types one constraint allows (memoised on the catalog): workloads combine a few constraints in
    many ways, so each is tested against the catalog once."""
    memo: dict[tuple[Any, ...], frozenset[str]] = catalog.__dict__.setdefault("_passing", {})
    memo_key = (provider, key, c.op, tuple(c.values))
    got = memo.get(memo_key)
    if got is None:
        values, named = _attribute_index(catalog, provider, types, key)
        if c.op in ("In", "NotIn") and not (values and next(iter(values.values())) is _UNKNOWN):
            texts = [t for v in c.values for t in (_near(v, named) if key == GPU_MEMORY else [v.lower()])]
            hits = frozenset().union(*(named.get(t, ()) for t in texts))
            got = hits if c.op == "In" else frozenset(types).difference(hits)
        else:
            got = frozenset(name for name, value in values.items() if _matches(value, c))
        memo[memo_key] = got
    return got


def _attribute_index(catalog: Catalog, provider: str, types: dict[str, Any],
                     key: str) -> tuple[dict[str, Any], dict[str, frozenset[str]]]:
    """Each machine type's value of one node label, and the types by that value as ``In`` compares it (text,
    lower case), memoised on the catalog: an ``In``/``NotIn`` constraint then costs a lookup per value, not a
    pass over the catalog. Whether a label is modelled depends on the label alone (``_attr``)."""
    memo: dict[tuple[str, str], Any] = catalog.__dict__.setdefault("_attribute_index", {})
    got = memo.get((provider, key))
    if got is None:
        values = {name: _attr(name, spec, key) for name, spec in types.items()}
        named: dict[str, set[str]] = {}
        for name, value in values.items():
            named.setdefault(str(value).lower(), set()).add(name)
        got = memo[(provider, key)] = (values, {text: frozenset(names) for text, names in named.items()})
    return got  # type: ignore[no-any-return]


def _fits(provider: str, spec: dict[str, Any], gpus: float, vcpus: float | None, memory_gib: float | None,
          neuron_cores: float = 0.0) -> bool:
    """``gpus`` counts NeuronCores at 2 a chip; ``neuron_cores`` of them are counted again at the chip of ``spec``,
    as ``rescale_neuron_cores`` does once the node is chosen."""
    accelerators = accelerators_of(spec)
    gpus += neuron_chips_correction(neuron_cores, accelerators.model) if neuron_cores else 0.0
    if gpus > 0 and accelerators.count < gpus:
        return False
    # the kubelet, system daemons and the eviction threshold reserve some CPU and memory: the scheduler compares
    # requests with what is left (allocatable), by each cloud's documented reservation
    return holds(provider, spec, vcpus, memory_gib)


def cheapest_fit(catalog: Catalog, provider: str, region: str | None, names: list[str], gpus: float,
                 vcpus: float | None, memory_gib: float | None, neuron_cores: float = 0.0,
                 max_pods: tuple[int | None, str | None] = (None, None)) -> tuple[str | None, bool]:
    """(type, fits): the cheapest priced type that fits, else the first that fits, else the first. ``max_pods``:
    the node pool's max pods per node and why, when known (AKS reserves memory by it)."""
    fitting = [n for n in names if _fits(provider, on_pool(catalog.machine(provider, n), *max_pods) or {}, gpus,
                                         vcpus, memory_gib, neuron_cores)]
    pool = fitting or names
    priced = [(p.usd_per_hour, n) for n in pool if (p := catalog.hourly(provider, region, n)) is not None]
    if priced:
        return min(priced)[1], bool(fitting)
    return (pool[0] if pool else None), bool(fitting)


# ---------------------------------------------------------------------------------------------
# region

def region_of(selector: dict[str, Constraint], provider: str | None) -> str | None:
    for key in REGION_KEYS:
        value = _single(selector.get(key))
        if value:
            return value
    for key in ZONE_KEYS:
        value = _single(selector.get(key))
        if not value:
            continue
        if provider == "aws" and re.match(r"^[a-z]{2}(-[a-z]+)+-\d[a-z]$", value):
            return value[:-1]
        if provider == "gcp" and re.match(r"^[a-z]+-[a-z]+\d-[a-z]$", value):
            return value.rsplit("-", 1)[0]
        if provider == "azure" and re.match(r"^[a-z0-9]+-\d$", value):
            return value.rsplit("-", 1)[0]
    return None


# ---------------------------------------------------------------------------------------------

def resolve(catalog: Catalog, default_regions: dict[str, str], selector: dict[str, Constraint],
            tolerations: list[dict[str, Any]], gpus: float, vcpus: float | None, memory_gib: float | None,
            inherited: dict[str, Constraint] | None = None, inherited_provider: str | None = None,
            nodepool: str | None = None, region_sources: dict[str, str] | None = None,
            pool_kind: str = "Karpenter NodePool", neuron_cores: float = 0.0,
            max_pods: tuple[int | None, str | None] = (None, None)) -> NodePin:
    """Pin a pod (``gpus``/``vcpus``/``memory_gib`` per pod) to a node from its label constraints.

    ``inherited``: the requirements of the node pool the pod selects (a Karpenter NodePool, or a
    ``pool_kind`` such as an EKS node group declared in Terraform); the pod's own
    constraints win for keys both set. ``region_sources``: where each of ``default_regions``
    comes from, when not from the config (e.g. the cloud provider of a Terraform root module). ``max_pods``: the
    pool's max pods per node and why, when its configuration says (an AKS pool's kube-reserved memory follows it)."""
    pin = NodePin(nodepool=nodepool)
    if nodepool and inherited is not None:
        pin.evidence.append(f"selects {pool_kind} '{nodepool}' (its requirements apply)")
    constraints = dict(inherited or {})
    for key, c in selector.items():  # a node must satisfy the pool's requirements and the pod's: both apply
        pool_c = constraints.get(key)
        if pool_c is not None and pool_c.op == "In" and c.op == "In":
            both = [v for v in c.values if v in pool_c.values]
            if not both:
                pin.evidence.append(f"the pod's {key} In {c.values} conflicts with {pool_kind} '{nodepool}' "
                                    f"({key} In {pool_c.values}): no node of the pool matches both, so the pod "
                                    "stays pending; priced as the pool's")
                continue
            c = Constraint("In", both)
        constraints[key] = c
    pin.provider = provider_of_labels(selector) or provider_of_labels(constraints) or inherited_provider
    explicit: list[str] = []
    for key in INSTANCE_TYPE_KEYS:
        c = constraints.get(key)
        if c is not None and c.op == "In":
            explicit = c.values
            break
    if pin.provider is None:
        for t in explicit:
            pin.provider = provider_of_type(catalog, t)
            if pin.provider:
                break
    accel = _single(constraints.get(GKE_ACCELERATOR))
    if accel:
        pin.provider = pin.provider or "gcp"
        pin.accelerator = accel
        aspec = catalog.accelerator_spec("gcp", accel)
        if aspec:
            pin.gpu_model, pin.gpu_memory_gib = aspec.get("model"), aspec.get("memory_gib")
        pin.evidence.append(f"{GKE_ACCELERATOR}={accel}")
    tpu = _single(constraints.get(GKE_TPU))
    if tpu:
        pin.provider = pin.provider or "gcp"
        pin.gpu_model = tpu_model(tpu)
        pin.evidence.append(f"{GKE_TPU}={tpu}")
    os_rule = constraints.get(OS_KEYS[0]) or constraints.get(OS_KEYS[1])
    if os_rule is not None and os_rule.op == "In" and [v.lower() for v in os_rule.values] == ["windows"]:
        pin.os_note = ("Windows nodes (kubernetes.io/os In [windows]): priced at the catalog's Linux rate; the Windows "
                       "licence is not included")
    region = region_of(constraints, pin.provider)
    if pin.provider is not None:
        if region is None:
            region = default_regions.get(pin.provider)
            where = (region_sources or {}).get(pin.provider) or f"config default_regions.{pin.provider}"
            pin.region_note = (f"region not pinned by node labels; priced in {region} ({where})") if region \
                else "region unknown"
        pin.region = region
        if any(k in _PIN_KEYS for k in constraints):
            names = allowed_types(catalog, pin.provider, constraints)
            if accel and pin.gpu_model:  # GKE: bundled-GPU machine families only when a family is named too
                names = [n for n in names if str(((catalog.machine(pin.provider, n) or {}).get("gpu") or {})
                                                 .get("model") or "").upper() == pin.gpu_model.upper()]
            pin.allowed = names
            only_accel = accel and not any(k in constraints for k in _PIN_KEYS - {GKE_ACCELERATOR})
            if names and not only_accel:
                chosen, fits = cheapest_fit(catalog, pin.provider, region, names, gpus, vcpus, memory_gib,
                                            neuron_cores, max_pods)
                pin.instance_type = chosen
                if len(names) > 1 and fits:
                    pin.evidence.append(f"node type {chosen}: the cheapest of {len(names)} catalog types the node "
                                        "labels allow that fits the pod")
                elif len(names) > 1:
                    pin.evidence.append(f"node type {chosen}: none of the {len(names)} catalog types the node labels "
                                        "allow fits the pod's requests; the cheapest of them")
                else:
                    pin.evidence.append(f"node type {chosen} pinned by node labels")
                if not fits:
                    pin.evidence.append(f"the pod's requests do not fit {chosen}")
            elif explicit:
                pin.evidence.append(f"node type {', '.join(explicit)} is not in the {pin.provider} catalog")
            elif not names:
                pin.evidence.append(f"no {pin.provider} catalog machine type meets the node labels ("
                                    + "; ".join(f"{k} {c.op} {c.values}" for k, c in constraints.items()
                                                if k in _PIN_KEYS or k in ARCH_KEYS) + ")")
    elif explicit:
        pin.evidence.append(f"node type {', '.join(explicit)} is in no catalog; cloud unknown")
    if pin.instance_type:
        pin.spec = on_pool(catalog.machine(pin.provider or "", pin.instance_type), *max_pods)
        alloc = allocatable(pin.provider, pin.spec) if (vcpus or memory_gib) else None
        if alloc is not None:
            pin.evidence.append(alloc.describe(pin.instance_type))
        gpu = accelerators_of(pin.spec)
        if gpu.kind != "none" and not pin.gpu_model:
            pin.gpu_model, pin.gpu_memory_gib = gpu.model, gpu.memory_gib
    elif not pin.gpu_model:
        name = _single(constraints.get("karpenter.k8s.aws/instance-gpu-name")) or \
            _single(constraints.get("karpenter.azure.com/sku-gpu-name"))
        if name:
            pin.gpu_model = name.upper()
        elif product := _single(constraints.get(GPU_PRODUCT)):
            pin.gpu_model, pin.gpu_memory_gib = gpu_of_product(product)
            if pin.gpu_model:
                pin.evidence.append(f"{GPU_PRODUCT}={product}: {pin.gpu_model}"
                                    + (f" {pin.gpu_memory_gib:g} GB" if pin.gpu_memory_gib else ""))
    share, why = capacity(constraints, tolerations)
    pin.on_demand_share = share
    if why:
        pin.evidence.append(why)
    return pin
