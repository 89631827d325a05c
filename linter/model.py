"""The normalized resource model: the same facts whatever the source.

Readers (Terraform, Kubernetes, Pulumi) fill these; facts and rules only ever read them,
so one rule serves an ``aws_instance``, a GKE node pool and a Pulumi resource alike.
"""

from __future__ import annotations

from typing import Literal

from pydantic import BaseModel, ConfigDict, Field

WorkloadKind = Literal["batch", "training", "fine-tuning", "inference", "interactive", "unknown"]
Purchase = Literal["on_demand", "spot", "mixed", "unknown"]
ImpactKind = Literal["savings", "exposure", "unattributed"]
Severity = Literal["info", "low", "medium", "high", "critical"]
SEVERITY_ORDER: dict[str, int] = {"info": 0, "low": 1, "medium": 2, "high": 3, "critical": 4}


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", validate_assignment=False)


class Accelerators(_Model):
    """GPUs (or Inferentia/Trainium/TPU chips) on one node or one pod."""

    model: str | None = None
    count: float = 0
    memory_gib: float | None = None
    vendor: str | None = None
    kind: Literal["gpu", "accelerator", "none"] = "none"


class PodGroup(_Model):
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


class UnitRate(_Model):
    """On-demand price of one unit of ``Compute.count`` (a pod) when it is not a machine type's price."""

    usd_per_hour: float
    source: str
    as_of: str
    note: str | None = None


class Compute(_Model):
    """Capacity the resource buys: what, how many, and how it is purchased."""

    service: str = "vm"  # vm | node_pool | autoscaling_group | sagemaker | batch | notebook | pod
    instance_type: str | None = None
    instance_types: list[str] = Field(default_factory=list)
    region: str | None = None
    count: float | None = None  # instances priced now (fixed, desired, or the floor)
    min: int | None = None
    max: int | None = None
    autoscaled: bool = False
    purchase: Purchase = "unknown"
    on_demand_share: float | None = None  # 1.0 = all on demand, 0.0 = all spot
    gpu: Accelerators = Field(default_factory=Accelerators)
    vcpus: float | None = None
    memory_gib: float | None = None
    family: str | None = None
    attached_accelerators: dict[str, float] = Field(default_factory=dict)  # priced per accelerator-hour
    family_largest: bool = False  # the largest size of a family that has smaller sizes
    evidence: list[str] = Field(default_factory=list)
    # Kubernetes pods (service == "pod"): count = pods, gpu/vcpus/memory_gib = requests per pod,
    # instance_type = the node type the pod's selectors pin; the fields below are pod-only.
    node_provider: str | None = None  # cloud of the pinned node (the resource's provider is "kubernetes")
    node_gpu_count: float | None = None  # GPUs on one node of instance_type
    completes: bool = False  # pods exit when the work is done (Job, CronJob, training jobs)
    pod_groups: list[PodGroup] = Field(default_factory=list)
    unit_rate: UnitRate | None = None  # filled by pricing: on-demand price of one pod-hour


class Workload(_Model):
    kind: WorkloadKind = "unknown"
    evidence: list[str] = Field(default_factory=list)


class Autoscaling(_Model):
    """An autoscaler attached to this resource (linked before rules run)."""

    address: str
    metric_kind: Literal["cpu", "memory", "requests", "queue", "gpu", "custom", "schedule", "unknown"]
    metric: str | None = None
    min: int | None = None
    max: int | None = None
    target: float | None = None
    file: str | None = None
    line: int | None = None


class CostComponent(_Model):
    name: str
    unit: str
    monthly_quantity: float | None
    price_usd: float | None
    monthly_usd: float | None
    source: str | None = None
    as_of: str | None = None


class Resource(_Model):
    address: str
    type: str
    source: Literal["terraform", "terraform-plan", "kubernetes", "pulumi"]
    provider: str  # aws | gcp | azure | kubernetes
    file: str
    line: int
    name: str = ""
    origin: str = ""  # the root module directory or manifest file: addresses are unique within it
    region: str | None = None
    environment: str | None = None
    environment_evidence: str | None = None
    production: bool | None = None
    taggable: bool = False
    tags: dict[str, str] = Field(default_factory=dict)
    tags_known: bool = True
    missing_tags: list[str] = Field(default_factory=list)
    invalid_tags: list[str] = Field(default_factory=list)
    compute: Compute | None = None
    workload: Workload = Field(default_factory=Workload)
    autoscaling: Autoscaling | None = None
    links: dict[str, str] = Field(default_factory=dict)
    unknowns: list[str] = Field(default_factory=list)
    monthly_cost_usd: float | None = None
    cost_components: list[CostComponent] = Field(default_factory=list)
    price_notes: list[str] = Field(default_factory=list)
    ignores: dict[str, str] = Field(default_factory=dict)
    facets: list[str] = Field(default_factory=list)

    @property
    def gpu(self) -> Accelerators:
        """Shortcut for rules: ``r.gpu.count``."""
        return self.compute.gpu if self.compute else Accelerators()


class Impact(_Model):
    kind: ImpactKind
    monthly_usd: float | None
    assumptions: list[str] = Field(default_factory=list)


class Finding(_Model):
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


class ScanError(_Model):
    file: str
    line: int | None = None
    message: str

    def one_line(self) -> str:
        where = f"{self.file}:{self.line}" if self.line else self.file
        return f"{where}: {self.message}"


class Skipped(_Model):
    file: str
    line: int | None = None
    reason: str
