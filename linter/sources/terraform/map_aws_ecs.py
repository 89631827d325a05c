"""ECS services as compute: tasks priced like pods, a share of the instance type they run on.

service -> task definition (GPU ``resourceRequirements``, cpu, memory) and service ->
capacity provider -> auto scaling group -> launch template (instance type, spot share).
Fargate tasks are not in the price catalog and say so.
"""

from __future__ import annotations

import json
from typing import Any

from linter.facts.compute import accelerators_of, purchase_of_share
from linter.model import Accelerators, Compute, Workload
from linter.sources.terraform.map_aws import _base, map_autoscaling_group
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.normalize import MapContext, Mapped
from linter.sources.terraform.values import as_number, is_unknown
from linter.sources.terraform.view import View


def _task_definition(view: View, ctx: MapContext) -> RawResource | None:
    found = ctx.resolve(view.refs("task_definition"), "aws_ecs_task_definition")
    if found is None:
        family = view.get("task_definition", note=False)
        if isinstance(family, str):
            found = ctx.find_by_attr("aws_ecs_task_definition", "family", family.rsplit("/", 1)[-1].split(":")[0])
    return found


def _containers(task: View) -> list[dict[str, Any]] | None:
    raw = task.get("container_definitions")
    if isinstance(raw, str):
        try:
            raw = json.loads(raw)
        except ValueError:
            return None
    return [c for c in raw if isinstance(c, dict)] if isinstance(raw, list) else None


def _asg_of(view: View, ctx: MapContext) -> RawResource | None:
    for strategy in view.blocks("capacity_provider_strategy"):
        provider = strategy.get("capacity_provider")
        cp = ctx.resolve(provider.refs if is_unknown(provider) else (), "aws_ecs_capacity_provider") or \
            ctx.find_by_attr("aws_ecs_capacity_provider", "name", provider)
        if cp is None:
            continue
        asg = ctx.resolve(View(cp).refs("auto_scaling_group_provider", "auto_scaling_group_arn"),
                          "aws_autoscaling_group")
        if asg is not None:
            return asg
    return None


def map_ecs_service(view: View, ctx: MapContext) -> Mapped:
    fields = _base(view, ctx)
    task = _task_definition(view, ctx)
    if task is None:
        fields["unknowns"] = ["task_definition: task definition not found in the scanned code"]
        return Mapped(fields)
    tv = View(task)
    containers = _containers(tv) or []
    gpus = sum(as_number(r.get("value")) or 0 for c in containers for r in c.get("resourceRequirements") or []
               if isinstance(r, dict) and r.get("type") == "GPU")
    cpu = as_number(tv.get("cpu", note=False)) or sum(as_number(c.get("cpu")) or 0 for c in containers) or None
    memory = as_number(tv.get("memory", note=False)) or sum(as_number(c.get("memory")) or 0 for c in containers) or None
    images = [c["image"] for c in containers if isinstance(c.get("image"), str)]
    from linter.sources.kubernetes.workloads import inference_server

    server = inference_server(images)
    if server:
        fields["workload"] = Workload(kind="inference", evidence=[f"task runs {server}"])
    launch = (view.str("launch_type") or "").upper()
    strategies = [str(s.get("capacity_provider", "")) for s in view.blocks("capacity_provider_strategy")]
    evidence = [f"task definition {task.address}: {gpus:g} GPU(s) per task"]
    itype, share, region, node = None, None, fields["region"], Accelerators()
    if launch == "FARGATE" or any(s.startswith("FARGATE") for s in strategies):
        fields.setdefault("price_notes", []).append("Fargate task pricing is not in the catalog; monthly cost unknown")
        fields["unknowns"] = ["Fargate tasks are not priced (no Fargate rates in the catalog)"]
        return Mapped(fields)
    asg = _asg_of(view, ctx)
    if asg is not None:
        group = map_autoscaling_group(View(asg), ctx).fields.get("compute")
        if group is not None:
            itype, share, region = group.instance_type, group.on_demand_share, group.region or region
            node = group.gpu
            evidence.append(f"capacity provider -> {asg.address} ({itype})")
    if itype is None:
        fields["unknowns"] = ["instance type: no capacity provider with an auto scaling group and launch template "
                              "found; tasks priced at their CPU/memory/GPU requests"]
    spec = ctx.catalog.machine("aws", itype)
    gpu = Accelerators(model=node.model, count=gpus, memory_gib=node.memory_gib, vendor=node.vendor,
                       kind="gpu") if gpus else Accelerators()
    count = view.num("desired_count")
    fields["compute"] = Compute(
        service="pod", instance_type=itype, instance_types=[itype] if itype else [], region=region,
        count=count if count is not None else 0, min=int(count) if count is not None else None,
        purchase=purchase_of_share(share),
        on_demand_share=share, gpu=gpu, vcpus=cpu / 1024 if cpu else None,
        memory_gib=memory / 1024 if memory else None, family=spec.get("family") if spec else None,
        node_provider="aws", node_gpu_count=accelerators_of(spec).count if spec else None, evidence=evidence)
    return Mapped(fields)


MAPPERS = {"aws_ecs_service": map_ecs_service}
