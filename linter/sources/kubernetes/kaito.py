"""KAITO (kaito.sh) objects: the GPU nodes a Workspace, InferenceSet or RAGEngine makes KAITO's gpu-provisioner buy.

A KAITO object names no pod requests: it names a machine (``resource.instanceType``, an Azure VM size or an EC2
type) and a node count, and KAITO's node provisioner creates those nodes for it (on AKS, one agent pool per
Workspace, kept while the Workspace exists). Each becomes a ``node_pool`` compute facet on Kubernetes, priced at
the machine's on-demand rate in the cluster's region: KAITO buys on-demand nodes only. From KAITO's API
(kaito-project/kaito api/v1alpha1 and api/v1beta1 workspace_types.go, inferenceset_types.go, ragengine_types.go):
``resource.count`` defaults to 1; v1alpha1 defaults ``instanceType`` to Standard_NC24ads_A100_v4, while in
v1beta1 an empty ``instanceType`` means bring-your-own nodes (KAITO provisions none); ``preferredNodes`` are
existing nodes KAITO uses first, creating only the rest; an InferenceSet makes ``spec.replicas`` Workspaces of
``spec.template`` and creates at most ``spec.nodeCountLimit`` nodes.
"""

from __future__ import annotations

from typing import Any

from linter.model import LLMEndpoint
from linter.records import record
from linter.sources.kubernetes.shapes import as_dict, as_list

KINDS = ("Workspace", "InferenceSet", "RAGEngine")
V1ALPHA1_DEFAULT_TYPE = "Standard_NC24ads_A100_v4"  # kubebuilder default of v1alpha1 ResourceSpec.InstanceType
_PLACEHOLDER = ("${", "{{", "<")  # envsubst, Go templates, "<your-vm-sku>" in docs


@record
class KaitoNodes:
    """The nodes a KAITO object makes KAITO create, in words a reviewer checks."""

    instance_type: str | None
    count: int | None  # new nodes KAITO creates (preferred nodes already exist)
    max_count: int | None = None  # an InferenceSet's nodeCountLimit
    workload: str = "inference"  # inference | fine-tuning
    workload_why: str = ""
    preset: str | None = None
    evidence: list[str] | None = None
    unknowns: list[str] | None = None
    no_nodes: str | None = None  # why KAITO provisions no nodes for it (bring-your-own nodes)


def _int(value: Any, name: str, unknowns: list[str]) -> int | None:
    if value is None:
        return None
    if isinstance(value, int) and not isinstance(value, bool):
        return value
    if isinstance(value, str) and value.strip().isdigit():
        return int(value)
    unknowns.append(f"{name} '{value}' is not a number (a template placeholder?): not read")
    return None


def _parts(kind: str, data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any], int | None, str]:
    """(resource block, the block holding inference/tuning, replicas, where the resource block is)."""
    spec = as_dict(data.get("spec"))
    if kind == "InferenceSet":
        template = as_dict(spec.get("template"))
        return as_dict(template.get("resource")), template, 1, "spec.template.resource"
    if kind == "RAGEngine":
        return as_dict(spec.get("compute")), {}, None, "spec.compute"
    return as_dict(data.get("resource")), data, None, "resource"


def kaito_nodes(kind: str, api_version: str, data: dict[str, Any]) -> KaitoNodes:
    """What a Workspace / InferenceSet / RAGEngine makes KAITO provision."""
    evidence: list[str] = []
    unknowns: list[str] = []
    resource, body, _, where = _parts(kind, data)
    instance_type = resource.get("instanceType")
    if not isinstance(instance_type, str) or not instance_type.strip():
        instance_type = None
    if instance_type and any(p in instance_type for p in _PLACEHOLDER):
        unknowns.append(f"{where}.instanceType {instance_type!r} is a template placeholder: render it to price it")
        instance_type = None
    elif instance_type is None and api_version.endswith("/v1alpha1") and kind != "InferenceSet":
        instance_type = V1ALPHA1_DEFAULT_TYPE
        evidence.append(f"no {where}.instanceType: KAITO v1alpha1's default {V1ALPHA1_DEFAULT_TYPE}")
    count = _int(resource.get("count"), f"{where}.count", unknowns)
    if count is None and "count" not in resource:
        count = 1
        evidence.append(f"no {where}.count: KAITO's default of 1 node")
    preferred = [str(n) for n in as_list(resource.get("preferredNodes")) if isinstance(n, (str, int))]
    if count is not None and preferred:
        new = max(count - len(preferred), 0)
        evidence.append(f"{where}.preferredNodes names {len(preferred)} existing node(s) ({', '.join(preferred[:5])}) "
                        f"KAITO uses first: {new} of {count} node(s) are new and priced here; the existing ones are "
                        "paid by the node pool that made them")
        count = new
    max_count = None
    if kind == "InferenceSet":
        spec = as_dict(data.get("spec"))
        replicas = _int(spec.get("replicas"), "spec.replicas", unknowns) if "replicas" in spec else 1
        if "replicas" not in spec:
            evidence.append("no spec.replicas: KAITO's default of 1 Workspace")
        if count is not None and replicas is not None:
            evidence.append(f"{replicas} Workspace(s) of {count} node(s) each")
            count *= replicas
        else:
            count = None
        max_count = _int(spec.get("nodeCountLimit"), "spec.nodeCountLimit", unknowns) or None
        if max_count is not None and count is not None and count > max_count:
            evidence.append(f"spec.nodeCountLimit {max_count}: KAITO creates at most {max_count} node(s)")
            count = max_count
    if kind == "RAGEngine":
        workload, why, preset = "inference", "RAGEngine: serves its embedding model", None
    elif body.get("tuning") is not None:
        preset = as_dict(as_dict(body.get("tuning")).get("preset")).get("name")
        workload, why = "fine-tuning", f"{kind} tuning ({as_dict(body.get('tuning')).get('method') or 'fine-tuning'})"
    else:
        preset = as_dict(as_dict(body.get("inference")).get("preset")).get("name")
        workload, why = "inference", f"{kind} inference"
    preset = str(preset) if isinstance(preset, (str, int, float)) and preset != "" else None
    if preset:
        why += f" of preset {preset}"
    no_nodes = None
    if instance_type is None and not unknowns:
        no_nodes = (f"no {where}.instanceType: KAITO provisions no nodes (bring-your-own nodes matching "
                    f"{where}.labelSelector); their cost is with the node pool that creates them")
    return KaitoNodes(instance_type, count, max_count, workload, why, preset, evidence, unknowns, no_nodes)


def kaito_model(preset: str) -> LLMEndpoint:
    """The model a KAITO inference Workspace serves: the Hugging Face model KAITO pins for the preset
    (kaito_presets.py, from KAITO's supported_models.yaml: ``falcon-7b`` is tiiuae/falcon-7b), sized as that model
    id is (FIN-GPU-005), and only from the built-in table of config.json figures. A preset KAITO does not list is
    sized from its own name (a Hugging Face id when it has a slash: KAITO serves those directly). Its token limits
    and exposure are in KAITO's inference ConfigMap and Service, which are not read: ``caps_checkable`` is off and
    ``public`` unknown, so no cap or rate-limit rule judges it."""
    from linter.facts.llm import model_spec, params_from_id
    from linter.sources.kubernetes.kaito_presets import KAITO_COMMIT, PRESETS, RETIRED

    model, evidence = preset, f"KAITO preset {preset}"
    listed = PRESETS.get(preset.strip().lower())
    retired = RETIRED.get(preset.strip().lower())
    if listed is not None:
        model = listed[0]
        evidence += (f" serves {model} (revision {listed[1][:7]}: kaito-project/kaito supported_models.yaml at "
                     f"{KAITO_COMMIT[:7]})")
    elif retired is not None:
        model = retired[0]
        evidence += (f" served {model} (revision {retired[1][:7]}) until KAITO {retired[2][:7]}, the last "
                     "supported_models.yaml listing it")
    llm = LLMEndpoint(kind="server", server="kaito", model=model, caps_checkable=False, evidence=[evidence])
    spec = model_spec(model)
    if (listed or retired) and spec is None:
        # a model KAITO pins but whose config.json figures are not in the built-in table: its name's size would
        # be a guess (Ministral 3 ships FP8 weights with 262,144 positions, DeepSeek V3 compresses its KV cache)
        llm.evidence.append(f"{model} is not in the built-in table of config.json figures: not sized")
    else:
        llm.params_b, why = params_from_id(model)
        llm.evidence.append(why)
    mixed = spec is not None and spec.kv_layers > 0 and spec.sliding_layers > 0 and spec.sliding_window
    if mixed and "gpt-oss" not in model.lower():  # KAITO turns LMCache off for GptOssForCausalLM
        llm.full_kv_why = _LMCACHE
    return llm


# pkg/model/interface.go and presets/workspace/inference/vllm/inference_api.py: KAITO starts vLLM with LMCache's
# KV-cache CPU offload (kaito-kv-cache-cpu-memory-utilization 0.5, an LMCacheConnectorV1 kv_transfer_config)
# unless the preset is gpt-oss or needs the hybrid manager, the GPU is a MIG slice, or the node's GPUs serve
# data-parallel replicas; with a KV connector vLLM turns its hybrid KV cache manager off
_LMCACHE = ("KAITO's default LMCache KV-cache CPU offload gives vLLM a KV connector, which turns its hybrid KV cache "
            "manager off")
