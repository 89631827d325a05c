"""The normalized resource model: the same facts whatever the source.

Readers (Terraform, Kubernetes, Pulumi) fill these; facts and rules only ever read them,
so one rule serves an ``aws_instance``, a GKE node pool and a Pulumi resource alike.
"""

from __future__ import annotations

import dataclasses
from collections.abc import Callable
from dataclasses import field
from typing import Any, Literal

from linter.records import record

WorkloadKind = Literal["batch", "training", "fine-tuning", "inference", "interactive", "unknown"]
Purchase = Literal["on_demand", "spot", "mixed", "unknown"]
ImpactKind = Literal["savings", "exposure", "unattributed"]
Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class Record:
    """Typed records as stdlib dataclasses: importing pydantic costs ~0.25 s, most of a pre-commit
    run's budget, so the hot path uses dataclasses; pydantic validates them where input is untrusted
    (``TypeAdapter(Resource)`` works on these classes unchanged)."""

    __slots__ = ()

    def to_dict(self, exclude_none: bool = False) -> dict[str, Any]:
        data = _plain(self)  # dataclasses.asdict deep-copies through copy.deepcopy: 5x slower on reports
        return {k: v for k, v in data.items() if v is not None} if exclude_none else data

    def copy(self) -> Any:
        return dataclasses.replace(self)  # type: ignore[type-var]


_LEAVES = frozenset({str, int, float, bool, type(None)})  # returned as they are: immutable


def _plain(value: Any) -> Any:
    """Records -> dicts, lists/tuples -> lists, dicts -> dicts (new containers; scalars shared, as they are
    immutable). Leaves are tested by exact class before any call: most values of a report are leaves, and this
    runs over every resource of a scan."""
    if value.__class__ in _LEAVES:
        return value
    if isinstance(value, Record):
        convert = _CONVERTERS.get(value.__class__) or _converter(value.__class__)
        return convert(value)
    if isinstance(value, (list, tuple)):
        return [v if v.__class__ in _LEAVES else _plain(v) for v in value]
    if isinstance(value, dict):
        return {k: v if v.__class__ in _LEAVES else _plain(v) for k, v in value.items()}
    return value


_CONVERTERS: dict[type, Callable[[Any], dict[str, Any]]] = {}


def _converter(cls: type) -> Callable[[Any], dict[str, Any]]:
    """A record class's fields read into a dict by one generated function, as ``dataclasses`` generates
    ``__init__``: a report's findings convert in two thirds of the time a loop of ``getattr`` takes. The source is
    made of the class's own field names, checked to be identifiers."""
    names = tuple(cls.__dataclass_fields__)  # type: ignore[attr-defined]
    if not all(name.isidentifier() for name in names):
        raise TypeError(f"{cls.__name__}: a field name that is no identifier")
    items = ", ".join(f"{name!r}: (v if (v := o.{name}).__class__ in leaves else plain(v))" for name in names)
    namespace: dict[str, Any] = {"leaves": _LEAVES, "plain": _plain}
    exec(f"def convert(o):\n    return {{{items}}}\n", namespace)  # our own field names, checked above
    convert: Callable[[Any], dict[str, Any]] = namespace["convert"]
    _CONVERTERS[cls] = convert
    return convert


@record(kw_only=True, slots=True)
class Accelerators(Record):
    """GPUs (or Inferentia/Trainium/TPU chips) on one node or one pod."""

    model: str | None = None
    count: float = 0
    memory_gib: float | None = None
    vendor: str | None = None
    kind: Literal["gpu", "accelerator", "none"] = "none"

    @property
    def noun(self) -> str:
        """What one unit is called in a sentence: "GPU", "TPU" (Google's accelerators) or "accelerator"."""
        if self.kind == "accelerator":
            return "TPU" if self.vendor == "google" else "accelerator"
        return "GPU"


@record(kw_only=True, slots=True)
class PodGroup(Record):
    """Kubernetes: one set of identical pods in a workload (a Deployment's pods, a PyTorchJob's
    Worker replicas, a RayCluster worker group); requests are per pod."""

    name: str
    count: float | None = None  # pods priced now
    min: int | None = None
    max: int | None = None
    vcpus: float | None = None
    memory_gib: float | None = None
    gpus: float = 0
    instance_type: str | None = None  # the node type this group pins, when any
    one_per_node: bool = False  # required anti-affinity/spread on the hostname: pods never share a node
    gpus_unknown: str | None = None  # an accelerator amount that is no number ("nvidia.com/gpu: $GPU_PER_NODE")
    neuron_cores: float = 0  # NeuronCores among ``gpus``, counted there at 2 a chip: a machine's own chip decides


@record(kw_only=True, slots=True)
class UnitRate(Record):
    """On-demand price of one unit of ``Compute.count`` (a pod) when it is not a machine type's price."""

    usd_per_hour: float
    source: str
    as_of: str
    note: str | None = None
    basis: str | None = None  # how it was derived, e.g. "Pod share of g5.12xlarge (1 of 4 GPUs)"
    spot_usd_per_hour: float | None = None  # the same unit on spot, each of its parts at its own discount


@record(kw_only=True, slots=True)
class KubeNodes(Record):
    """How Kubernetes sees the nodes of a cloud node pool (EKS node group, GKE node pool, AKS pool): pods select
    them by these labels, so manifests in the same scan are priced on the pool's machine type and capacity."""

    kind: str  # "EKS node group" | "GKE node pool" | "AKS node pool"
    name: str
    labels: dict[str, str] = field(default_factory=dict)  # the pool's own labels plus the cloud's well-known ones
    taints: list[str] = field(default_factory=list)  # key=value:Effect
    max_pods: int | None = None  # pods per node, when the configuration says (AKS: max_pods or the plugin default)
    max_pods_basis: str | None = None  # where that figure comes from, in words


@record(kw_only=True, slots=True)
class Compute(Record):
    """Capacity the resource buys: what, how many, and how it is purchased."""

    service: str = "vm"  # vm | node_pool | autoscaling_group | endpoint | endpoint_config | batch | notebook | pod
    instance_type: str | None = None
    instance_types: list[str] = field(default_factory=list)
    region: str | None = None
    count: float | None = None  # instances priced now (fixed, desired, or the floor)
    min: int | None = None
    max: int | None = None
    autoscaled: bool = False
    purchase: Purchase = "unknown"
    on_demand_share: float | None = None  # 1.0 = all on demand, 0.0 = all spot
    on_demand_base: float | None = None  # instances kept on demand whatever the mix (ASG on_demand_base_capacity)
    zones: int | None = None  # counts are per zone and were multiplied by this many zones (regional GKE pools)
    gpu: Accelerators = field(default_factory=Accelerators)
    vcpus: float | None = None
    memory_gib: float | None = None
    family: str | None = None
    attached_accelerators: dict[str, float] = field(default_factory=dict)  # priced per accelerator-hour
    family_largest: bool = False  # the largest size of a family that has smaller sizes
    evidence: list[str] = field(default_factory=list)
    # Kubernetes pods (service == "pod"): count = pods, gpu/vcpus/memory_gib = requests per pod,
    # instance_type = the node type the pod's selectors pin; the fields below are pod-only.
    node_provider: str | None = None  # cloud of the pinned node (the resource's provider is "kubernetes")
    node_gpu_count: float | None = None  # GPUs on one node of instance_type
    accelerator: str | None = None  # GKE accelerator label the pod selects (priced per GPU, e.g. nvidia-l4)
    completes: bool = False  # pods exit when the work is done (Job, CronJob, training jobs)
    pod_groups: list[PodGroup] = field(default_factory=list)
    unit_rate: UnitRate | None = None  # filled by pricing: on-demand price of one pod-hour
    # why the catalog's machine prices do not apply: a managed service that bills the machine at its own rates
    # (Vertex AI prediction nodes are not billed at Compute Engine prices); the capacity stays unpriced
    unpriced: str | None = None
    nodes: KubeNodes | None = None  # node pools: the labels pods select them by

    @property
    def floor(self) -> float | None:
        """Capacity that stays up with no work: the minimum when there is one, else the fixed count."""
        return self.min if self.min is not None else self.count


@record(kw_only=True, slots=True)
class Workload(Record):
    kind: WorkloadKind = "unknown"
    evidence: list[str] = field(default_factory=list)


@record(kw_only=True, slots=True)
class Autoscaling(Record):
    """An autoscaler attached to this resource (linked before rules run)."""

    address: str
    metric_kind: Literal["cpu", "memory", "requests", "queue", "gpu", "custom", "schedule", "unknown"]
    metric: str | None = None
    min: int | None = None
    max: int | None = None
    target: float | None = None
    file: str | None = None
    line: int | None = None
    # With several metrics (HPA, GCE autoscaler, Azure rules) or several alarms on step scaling, any one of them
    # adds capacity: a CPU or memory metric beside the one named above, and the autoscaler that carries it.
    cpu_trigger: str | None = None
    cpu_trigger_by: str | None = None
    scales_out: bool = True  # False: a step/simple policy or rule set whose every adjustment removes capacity


@record(kw_only=True, slots=True)
class LLMEndpoint(Record):
    """How an LLM is served or exposed: a model server in a pod or SageMaker container, a gateway route
    (LiteLLM, API Management, API Gateway), or a managed deployment (Azure OpenAI, Bedrock). Facts carry
    the evidence that set them, so a finding can say where a cap or a public address comes from."""

    kind: Literal["server", "gateway", "managed"]
    server: str  # vllm | tgi | tei | triton | tensorrt-llm | ollama | llama.cpp | nim | ray-serve-llm | litellm | ...
    model: str | None = None  # model id as configured (HF repo, GGUF file, hosted model name)
    hosted_model: str | None = None  # the model name to price per token (token catalog look-up)
    billing: Literal["tokens", "capacity", "self-hosted"] = "self-hosted"  # what the spend follows
    dtype: str | None = None  # float16 | bfloat16 | float32 | auto ...
    quantization: str | None = None  # awq | gptq | gguf | fp8 | int8 | int4 | bitsandbytes ...
    tensor_parallel: int | None = None
    params_b: float | None = None  # parameters, billions (from the model id or the built-in table)
    # why the server keeps a whole-context KV cache on the sliding-window layers of a model mixing them with
    # full-attention ones (KAITO: its LMCache connector turns vLLM's hybrid KV cache manager off); None: it does not
    full_kv_why: str | None = None
    token_caps: dict[str, float] = field(default_factory=dict)  # per-request/context caps: name -> tokens
    batch_caps: dict[str, float] = field(default_factory=dict)  # per-batch/concurrency limits (not per request)
    caps_checkable: bool = True  # False where caps live outside what we read (e.g. Triton's model repository)
    cap_evidence: list[str] = field(default_factory=list)
    rate_limits: list[str] = field(default_factory=list)  # request/token rate limits, quotas or budgets, in words
    public: bool | None = None  # None: not known from the scanned code
    public_evidence: list[str] = field(default_factory=list)
    capacity_tpm: float | None = None  # Azure OpenAI: tokens per minute the deployment's capacity allows
    routes_to: str | None = None  # gateways: the address of what they front
    evidence: list[str] = field(default_factory=list)  # how the server and model were recognised

    @property
    def token_cap(self) -> float | None:
        """The tightest per-request cap, or None when none is set."""
        return min(self.token_caps.values()) if self.token_caps else None

    @property
    def context_cap(self) -> float | None:
        """The longest sequence the caps allow (TGI: --max-total-tokens, not --max-input-tokens): what one
        sequence's KV cache must hold."""
        return max(self.token_caps.values()) if self.token_caps else None

    @property
    def rate_limited(self) -> bool:
        return bool(self.rate_limits)


@record(kw_only=True, slots=True)
class CostComponent(Record):
    name: str
    unit: str
    monthly_quantity: float | None
    price_usd: float | None
    monthly_usd: float | None
    source: str | None = None
    as_of: str | None = None


class UnknownText(str):
    """A tag or label value the scanned code sets but does not give (a variable without a value, a refused
    expression): reports show it as empty text, and tag rules count the key as present, since it will have the
    value given at apply time. ``reason`` says why it is unknown."""

    reason: str

    def __new__(cls, reason: str) -> UnknownText:
        text = super().__new__(cls, "")
        text.reason = reason
        return text

    def __reduce__(self) -> tuple[Any, ...]:
        return UnknownText, (self.reason,)


@record(kw_only=True, slots=True)
class CallSite(Record):
    """A module block that leads to a resource; ``root`` names the root module when a finding was reached
    from several (a module shared by many roots)."""

    file: str
    line: int
    root: str | None = None


@record(kw_only=True, slots=True)
class Resource(Record):
    address: str
    type: str
    source: Literal["terraform", "terraform-plan", "kubernetes", "pulumi", "litellm"]
    provider: str  # aws | gcp | azure | kubernetes
    file: str
    line: int
    name: str = ""
    origin: str = ""  # the root module directory or manifest file: addresses are unique within it
    region: str | None = None
    namespace: str | None = None  # Kubernetes objects in a namespace
    environment: str | None = None
    environment_evidence: str | None = None  # a sentence saying where the environment came from, with file:line
    production: bool | None = None
    taggable: bool = False  # the type accepts tags/labels (linter/facts/tag_data.py)
    terraform_type: str | None = None  # the Terraform type it maps to (a Pulumi resource's ``type`` is its token)
    tags: dict[str, str] = field(default_factory=dict)
    tag_origins: dict[str, str] = field(default_factory=dict)  # inherited key -> where it came from, with file:line
    tags_known: bool = True
    missing_tags: list[str] = field(default_factory=list)
    invalid_tags: list[str] = field(default_factory=list)
    tag_gap: str | None = None  # the missing/invalid keys in words, for messages
    tag_remediation: str | None = None  # where this resource's missing keys go (provider and kind specific)
    billing: str | None = None  # why the resource bills by itself; None: it bills nothing by itself
    billed_children: dict[str, float | None] = field(default_factory=dict)  # tagless children billed on it
    tag_exemption: str | None = None  # why FIN-TAG-001 does not apply to a taggable resource
    compute: Compute | None = None
    workload: Workload = field(default_factory=Workload)
    autoscaling: Autoscaling | None = None
    llm: LLMEndpoint | None = None  # LLM serving or exposure facts (the llm_endpoint facet)
    links: dict[str, str] = field(default_factory=dict)
    unknowns: list[str] = field(default_factory=list)
    monthly_cost_usd: float | None = None
    cost_components: list[CostComponent] = field(default_factory=list)
    price_notes: list[str] = field(default_factory=list)
    ignores: dict[str, str] = field(default_factory=dict)
    facets: list[str] = field(default_factory=list)
    called_from: list[CallSite] = field(default_factory=list)  # module blocks that lead here, outermost first
    # a Karpenter NodePool declared by Terraform (kubectl_manifest): its requirements (NodePoolFacts), which pods of
    # manifest files in the scan select by name; not in the report
    karpenter_pool: Any = None

    @property
    def gpu(self) -> Accelerators:
        """Shortcut for rules: ``r.gpu.count``."""
        return self.compute.gpu if self.compute else Accelerators()


@record(kw_only=True, slots=True)
class Capacity(Record):
    """GPU capacity of one configuration, in all (not per instance): what a savings finding has now and what its
    fix leaves, so a reviewer (and a test) can check the fix keeps the GPUs the work needs."""

    instance_type: str | None
    count: float | None  # instances (pods for Kubernetes workloads)
    gpus: float | None  # GPUs in all
    gpu_model: str | None = None
    gpu_memory_gib: float | None = None  # GPU memory in all


@record(kw_only=True, slots=True)
class Impact(Record):
    kind: ImpactKind
    monthly_usd: float | None
    assumptions: list[str] = field(default_factory=list)
    current: Capacity | None = None  # savings: the capacity priced now
    suggested: Capacity | None = None  # savings: the capacity the fix leaves


@record(kw_only=True, slots=True)
class Finding(Record):
    rule_id: str
    rule: str
    severity: Severity
    message: str
    remediation: str
    source: str
    file: str
    line: int
    resource: str
    resource_type: str
    monthly_cost_usd: float | None
    impact: Impact
    fingerprint: str
    evidence: list[str] = field(default_factory=list)  # why the workload class holds, where it was read
    notes: list[str] = field(default_factory=list)  # what changed the finding: severity by impact, filters, baseline
    baseline: dict[str, float | None] | None = None  # the figures the baseline holds, when it grew past them
    impact_of: str | None = None  # what a saving is of when it exceeds the resource's own cost
    called_from: list[CallSite] = field(default_factory=list)
    instances: list[FindingInstance] = field(default_factory=list)  # count/for_each instances (or roots) summed
    origin: str = ""  # the root module the finding was reached from; internal, not in reports

    def to_dict(self, exclude_none: bool = False) -> dict[str, Any]:
        """The report's finding: ``called_from``, ``instances``, ``baseline`` and ``impact_of`` only when they
        say something."""
        data = Record.to_dict(self, exclude_none)
        data.pop("origin", None)
        for key in ("called_from", "instances"):
            if not data.get(key):
                data.pop(key, None)
            else:
                data[key] = [{k: v for k, v in item.items() if v is not None or k in ("monthly_cost_usd", "impact_usd")}
                             for item in data[key]]  # unknown figures stay, as null (the schema requires them)
        for key in ("baseline", "impact_of"):
            if data.get(key, 0) is None:
                del data[key]
        return data


@record(kw_only=True, slots=True)
class FindingInstance(Record):
    """One instance (or one root module's copy) of a block whose findings were grouped into one."""

    resource: str
    monthly_cost_usd: float | None
    impact_usd: float | None
    root: str | None = None


@record(kw_only=True, slots=True)
class ScanError(Record):
    file: str
    line: int | None = None
    message: str

    def one_line(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


@record(kw_only=True, slots=True)
class Skipped(Record):
    file: str
    line: int | None = None
    reason: str
