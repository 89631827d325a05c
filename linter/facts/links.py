"""Cross-resource joins done once before rules: autoscalers onto what they scale."""

from __future__ import annotations

from linter.model import Autoscaling, Resource


def _merge(current: Autoscaling | None, extra: Autoscaling) -> Autoscaling:
    if current is None:
        return extra.copy()
    data = current.to_dict()
    for key, value in extra.to_dict().items():
        if key == "metric_kind":
            if data[key] == "unknown" and value != "unknown":
                data[key] = value
                data["address"] = extra.address
                data["file"], data["line"] = extra.file, extra.line
        elif data.get(key) is None and value is not None:
            data[key] = value
    return Autoscaling(**data)


def link_autoscalers(resources: list[Resource]) -> None:
    by_address = {(r.origin, r.address): r for r in resources}
    manifests: dict[str, list[Resource]] = {}  # workloads from manifest files, by Kind/namespace/name
    for r in resources:
        if r.source == "kubernetes":
            manifests.setdefault(r.address, []).append(r)
    for r in resources:
        if "autoscaler" not in r.facets or r.autoscaling is None:
            continue
        scales = r.links.get("scales", "")
        target = by_address.get((r.origin, scales))
        if target is None and r.source != "kubernetes" and len(manifests.get(scales, [])) == 1:
            # an autoscaler declared in Terraform for a workload in a manifest file of the same scan
            target = manifests[scales][0]
            r.unknowns = [u for u in r.unknowns if not u.startswith(f"scale target {scales} ")]
        if target is None or target is r:
            continue
        target.autoscaling = _merge(target.autoscaling, r.autoscaling)
        target.links.setdefault("autoscaler", r.address)
