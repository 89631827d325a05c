"""Dynamic Resource Allocation (resource.k8s.io): GPUs a pod asks for through ResourceClaims, not extended resources.

A pod lists ``spec.resourceClaims`` (each names a ResourceClaimTemplate, which makes one claim per pod, or a
ResourceClaim that pods share); each claim asks for devices of a DeviceClass, ``count`` of them (v1beta1 fields on
the request, v1beta2/v1 under ``exactly``; ``firstAvailable`` lists alternatives, the first is counted). NVIDIA's
``gpu.nvidia.com`` and AWS Neuron's ``neuron.aws.com`` devices are whole GPUs or chips, as ``nvidia.com/gpu`` and
``aws.amazon.com/neuron`` are. ``allocationMode: All`` (every matching device of a node) and classes not listed here
have no count read: the price is unknown and says why.
"""

from __future__ import annotations

import re
from typing import Any

from linter.records import record
from linter.sources.kubernetes.pods import Constraint, PodFacts
from linter.sources.kubernetes.shapes import as_dict, as_list

# DeviceClass -> (vendor, kind) as GPU_RESOURCES gives them for the matching extended resource
DEVICE_CLASSES: dict[str, tuple[str, str]] = {
    "gpu.nvidia.com": ("nvidia", "gpu"),
    "vfio.gpu.nvidia.com": ("nvidia", "gpu"),  # a whole GPU passed through to a VM (KubeVirt)
    "neuron.aws.com": ("aws", "accelerator"),
    "gpu.amd.com": ("amd", "gpu"),
    "gpu.intel.com": ("intel", "gpu"),
}
# device classes that are accelerators, but whose devices are not whole GPUs (MIG slices, shared compute domains)
_PARTIAL_CLASSES = ("mig.nvidia.com", "compute-domain")
_INSTANCE_TYPE = re.compile(r"\.instanceType\s*==\s*['\"]([a-z0-9.\-]+)['\"]")
CLAIM_KINDS = ("ResourceClaimTemplate", "ResourceClaim")


@record(slots=True)
class Devices:
    """What one claim asks for: whole devices by vendor, the node type its selectors name, what was not read."""

    where: str  # "ResourceClaimTemplate four-gpus (file:line)"
    counts: list[tuple[str, str, str, float]]  # (device class, vendor, kind, count)
    instance_type: str | None = None
    unread: list[str] | None = None  # requests whose whole-device count is not read
    unread_vendor: str | None = None


def claim_devices(kind: str, data: dict[str, Any], where: str) -> Devices:
    """The devices of a ResourceClaimTemplate (``spec.spec.devices``) or ResourceClaim (``spec.devices``)."""
    spec = as_dict(data.get("spec"))
    devices = as_dict(as_dict(spec.get("spec")).get("devices") if kind == "ResourceClaimTemplate"
                      else spec.get("devices"))
    out = Devices(where=f"{kind} {as_dict(data.get('metadata')).get('name')} ({where})", counts=[])
    for request in (as_dict(r) for r in as_list(devices.get("requests"))):
        exact = as_dict(request.get("exactly")) or request  # v1beta2/v1 nest the request under `exactly`
        if not exact.get("deviceClassName") and as_list(request.get("firstAvailable")):
            exact = as_dict(as_list(request.get("firstAvailable"))[0])
        cls = str(exact.get("deviceClassName") or "")
        for selector in as_list(exact.get("selectors")):
            m = _INSTANCE_TYPE.search(str(as_dict(as_dict(selector).get("cel")).get("expression") or ""))
            if m:
                out.instance_type = m.group(1)
        known = DEVICE_CLASSES.get(cls)
        mode = str(exact.get("allocationMode") or "ExactCount")
        count = exact.get("count", 1)
        if known is None:
            if any(part in cls for part in _PARTIAL_CLASSES) or "gpu" in cls or "neuron" in cls or "tpu" in cls:
                out.unread = [*(out.unread or []), f"DRA device class {cls}, whose devices finops-lint does not count "
                              "as whole GPUs"]
                out.unread_vendor = _vendor_of(cls)
            continue
        if mode == "All" or isinstance(count, bool) or not isinstance(count, (int, float)) or count < 0:
            out.unread = [*(out.unread or []), f"{cls} devices: allocationMode {mode}, count {count!r}"]
            out.unread_vendor = known[0]
            continue
        out.counts.append((cls, known[0], known[1], float(count)))
    return out


def claim_names(pod: dict[str, Any]) -> list[str]:
    """The ResourceClaims (not templates) a pod template names: one allocation shared by every pod that names it."""
    return [str(ref["resourceClaimName"]) for ref in (as_dict(r) for r in as_list(pod.get("resourceClaims")))
            if isinstance(ref.get("resourceClaimName"), str)]


def apply_claims(facts: PodFacts, pod: dict[str, Any], claims: dict[str, Devices],
                 sharing: dict[str, float] | None = None) -> None:
    """Add the devices of the claims a pod template names (``claims``: by ``template:<name>`` / ``claim:<name>``).
    A template makes one claim per pod; a named ResourceClaim is one allocation that all the pods naming it share
    (``sharing``: how many pods of the scan name it), so each pod carries its share."""
    for ref in (as_dict(r) for r in as_list(pod.get("resourceClaims"))):
        template, claim = ref.get("resourceClaimTemplateName"), ref.get("resourceClaimName")
        devices = claims.get(f"template:{template}") if template else claims.get(f"claim:{claim}") if claim else None
        if devices is None:
            if template or claim:
                facts.evidence.append(f"resource claim '{ref.get('name')}' names "
                                      f"{'ResourceClaimTemplate' if template else 'ResourceClaim'} "
                                      f"'{template or claim}', not in its namespace in the scan: its devices are not "
                                      "counted")
            continue
        share = max((sharing or {}).get(str(claim), 1.0), 1.0) if claim else 1.0
        shared = f", shared by the {share:g} pods that name it" if share > 1 else \
            " (shared by the pods that name it)" if claim else ""
        for cls, vendor, kind, count in devices.counts:
            facts.gpus += count / share
            facts.gpu_vendor, facts.gpu_kind = vendor, kind
            facts.evidence.append(f"claims {count:g} {cls} device(s) through {devices.where}{shared}")
        if devices.unread:
            facts.accelerators_unread.extend(devices.unread)
            facts.gpu_vendor = facts.gpu_vendor or devices.unread_vendor
            facts.gpu_kind = "gpu" if facts.gpu_kind == "none" else facts.gpu_kind
        if devices.instance_type and "node.kubernetes.io/instance-type" not in facts.selector:
            facts.selector["node.kubernetes.io/instance-type"] = Constraint("In", [devices.instance_type])
            facts.evidence.append(f"node type {devices.instance_type} named by a device selector of {devices.where}")


def _vendor_of(device_class: str) -> str | None:
    for word, vendor in (("nvidia", "nvidia"), ("neuron", "aws"), ("amd", "amd"), ("intel", "intel"),
                         ("tpu", "google")):
        if word in device_class:
            return vendor
    return None
