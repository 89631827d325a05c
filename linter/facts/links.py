"""Cross-resource joins done once before rules: autoscalers onto what they scale."""

from __future__ import annotations

from linter.model import Autoscaling, Resource

_NAMING = ("metric_kind", "metric", "target", "address", "file", "line")


def _merge(current: Autoscaling | None, extra: Autoscaling) -> Autoscaling:
    """Several autoscalers on one resource (step policies for each direction, alarms per metric): the first that
    scales out with a known metric names it; any CPU or memory metric that scales out is its cpu_trigger."""
    if current is None:
        return extra.copy()
    data = current.to_dict()
    adopt = extra.metric_kind != "unknown" and (data["metric_kind"] == "unknown"
                                               or (not data["scales_out"] and extra.scales_out))
    if adopt:
        data.update({k: getattr(extra, k) for k in _NAMING})
        data["scales_out"] = extra.scales_out
    for key, value in extra.to_dict().items():
        if key not in _NAMING and key != "scales_out" and data.get(key) is None and value is not None:
            data[key] = value
    if data["cpu_trigger"] is None and extra.scales_out and extra.metric_kind in ("cpu", "memory") \
            and data["metric_kind"] not in ("cpu", "memory"):
        data["cpu_trigger"], data["cpu_trigger_by"] = extra.metric or extra.metric_kind, extra.address
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
        extra = r.autoscaling
        per = int(target.links.get("pods_per_replica", "1"))
        if per > 1:  # a LeaderWorkerSet scales whole groups: the autoscaler's replicas are groups of pods
            extra = extra.copy()
            extra.min = extra.min * per if extra.min is not None else None
            extra.max = extra.max * per if extra.max is not None else None
        target.autoscaling = _merge(target.autoscaling, extra)
        target.links.setdefault("autoscaler", r.address)


def link_gateway_configs(resources: list[Resource]) -> None:
    """A LiteLLM config held in a ConfigMap is as public as the proxy Deployment that mounts it: its routes take the
    proxy's exposure (LoadBalancer/NodePort Service, public Ingress or route) and the route's rate limits."""
    proxies: dict[str, list[Resource]] = {}
    for r in resources:
        for key in filter(None, r.links.get("configmaps", "").split(",")):
            proxies.setdefault(key, []).append(r)
    for route in resources:
        key = route.links.get("configmap")
        if route.llm is None or not key or key not in proxies:
            continue
        llm = route.llm
        for proxy in proxies[key]:
            served = f"served by {proxy.address} ({proxy.file}:{proxy.line}), which mounts ConfigMap {key}"
            public = proxy.links.get("proxy_public")
            evidence = [e for e in proxy.links.get("proxy_public_evidence", "").split("\n") if e]
            if public == "true":
                llm.public = True
            elif public == "false" and llm.public is None:
                llm.public = False
            if public is not None:
                llm.public_evidence.extend(f"{served}: {e}" for e in evidence)
            else:
                llm.public_evidence.append(f"{served}; no Service or route in the scan exposes it")
            llm.rate_limits.extend(lim for lim in proxy.links.get("proxy_rate_limits", "").split("\n") if lim)


def joins_across(first: list[Resource], rest: list[Resource]) -> bool:
    """Whether the cross-resource facts (``link_autoscalers``, ``link_gateway_configs`` and tags'
    ``apply_billing_facts``) of ``first + rest`` could leave any resource of ``first`` other than those of
    ``first`` alone would: an autoscaler, a LiteLLM route or a tagless child on one side whose target, proxy or
    parent is (or shares its key with one) on the other. False lets ``first``'s rules run on its facts alone
    (linter/early_rules.py); each test mirrors a look-up of those three functions, kept beside them."""
    # every look-up pairs a resource's origin with an address: only origins on both sides can join by key
    shared = {r.origin for r in first} & {r.origin for r in rest}
    first_keys = {(r.origin, r.address) for r in first if r.origin in shared}
    rest_keys = {(r.origin, r.address) for r in rest if r.origin in shared}
    rest_addresses: set[str] | None = None  # Kubernetes objects' addresses, made when a Terraform autoscaler asks
    mounted: set[str] = set()  # ConfigMaps the first resources mount, and the ones their routes come from
    routed: set[str] = set()
    for r in first:  # its autoscaler's target, its tagless parent: found among the rest, or ambiguous with it
        if not r.links:
            continue
        mounted.update(k for k in r.links.get("configmaps", "").split(",") if k)
        if route := r.links.get("configmap"):
            routed.add(route)
        if "autoscaler" in r.facets and r.autoscaling is not None:
            scales = r.links.get("scales", "")
            if (r.origin, scales) in rest_keys:
                return True
            if r.source != "kubernetes":
                if rest_addresses is None:
                    rest_addresses = {x.address for x in rest if x.source == "kubernetes"}
                if scales in rest_addresses:
                    return True
        parent = r.links.get("billed_through")
        if parent and (r.origin, parent) in rest_keys:
            return True
    for r in rest:
        if not r.links:
            continue
        if shared:  # an autoscaler or a tagless child of the rest whose target or parent is in ``first``
            if "autoscaler" in r.facets and r.autoscaling is not None \
                    and (r.origin, r.links.get("scales", "")) in first_keys:
                return True
            parent = r.links.get("billed_through")
            if parent and (r.origin, parent) in first_keys:
                return True
        # a ConfigMap route on one side, a proxy mounting it on the other
        if r.links.get("configmap") in mounted or routed & set(r.links.get("configmaps", "").split(",")):
            return True
    return False
