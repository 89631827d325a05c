"""Cost-allocation tags: which keys are missing, whether the resource bills at all, where the fix goes.

Two passes. ``apply_tag_facts`` (per resource, before pricing): the missing and invalid keys and the
environment (``linter/facts/environment.py``). ``apply_billing_facts`` (over all resources, after
pricing): tagless children billed through a parent hand their spend to it, and each taggable resource is
told whether FIN-TAG-001 applies (``tag_exemption``) and where its missing keys go (``tag_remediation``).
"""

from __future__ import annotations

from linter.config import Config
from linter.facts.environment import PRODUCTION, apply_environment
from linter.facts.tag_data import TagData, tag_data
from linter.model import Resource, UnknownText

__all__ = ["PRODUCTION", "apply_billing_facts", "apply_tag_facts", "tag_value"]


def tag_entry(resource: Resource, key: str, aliases: list[str],
              lowered: dict[str, str] | None = None) -> tuple[str, str] | None:
    """(key as written, value) of ``key`` or an alias: exact spelling first, then any case (``lowered``: the
    resource's keys by their lower case, when the caller asks about several keys)."""
    for k in (key, *aliases):
        if k in resource.tags:
            return k, resource.tags[k]
    if lowered is None:
        lowered = lowered_keys(resource)
    for k in (key, *aliases):
        if k.lower() in lowered:
            written = lowered[k.lower()]
            return written, resource.tags[written]
    return None


def lowered_keys(resource: Resource) -> dict[str, str]:
    """The resource's tag keys by their lower case (the last of keys that differ only in case)."""
    return {k.lower(): k for k in resource.tags}


def tag_value(resource: Resource, key: str, aliases: list[str],
              lowered: dict[str, str] | None = None) -> str | None:
    entry = tag_entry(resource, key, aliases, lowered)
    return entry[1] if entry else None


def _word(resource: Resource) -> str:
    return "label" if resource.provider in ("gcp", "kubernetes") else "tag"


def gap_of(resource: Resource) -> str | None:
    """'no team, cost-center cost-allocation labels; invalid environment=qa', or None when nothing is wrong."""
    parts = []
    word = _word(resource)
    if resource.missing_tags:
        plural = "s" if len(resource.missing_tags) != 1 else ""
        parts.append(f"no {', '.join(resource.missing_tags)} cost-allocation {word}{plural}")
    if resource.invalid_tags:
        parts.append(f"invalid cost-allocation {word} {', '.join(resource.invalid_tags)}")
    return "; ".join(parts) or None


def apply_tag_facts(resource: Resource, config: Config) -> None:
    missing: list[str] = []
    invalid: list[str] = []
    lowered = lowered_keys(resource)
    for key, rule in config.required_tags.items():
        value = tag_value(resource, key, rule.aliases, lowered)
        if isinstance(value, UnknownText):
            continue  # set to a value given at apply time (the unknowns say which): neither missing nor invalid
        if value is None or value.strip() == "":
            missing.append(key)
        elif rule.allowed is not None and value not in rule.allowed:
            invalid.append(f"{key}={value}")
    resource.missing_tags = missing
    resource.invalid_tags = invalid
    resource.tag_gap = gap_of(resource)
    env_rule = config.required_tags.get("environment")
    entry = tag_entry(resource, "environment", env_rule.aliases if env_rule else ["env", "Environment"], lowered)
    apply_environment(resource, config, entry if entry and entry[1].strip() else None)


# -- after pricing -------------------------------------------------------------------------------------------

def apply_billing_facts(resources: list[Resource], config: Config) -> None:
    """Children's spend onto their parents, then each taggable resource's billing, exemption and fix."""
    data = tag_data()
    by_key = {(r.origin, r.address): r for r in resources}
    for r in resources:
        parent_address = r.links.get("billed_through")
        parent = by_key.get((r.origin, parent_address)) if parent_address else None
        if parent is not None:
            parent.billed_children[r.address] = r.monthly_cost_usd
    threshold = config.tags.min_monthly_usd
    for r in resources:
        if not r.taggable:
            continue
        r.billing, free = _billing(r, data)
        r.tag_exemption = _exemption(r, free, threshold)
        r.tag_remediation = remediation(r)


def child_type(address: str) -> str:
    """``module.ai.azurerm_cognitive_deployment.gpt["gpt-4.5"]`` -> ``azurerm_cognitive_deployment``."""
    return address.split("[", 1)[0].rsplit(".", 2)[-2]


def _billing(r: Resource, data: TagData) -> tuple[str | None, str | None]:
    """(why it bills, why it does not): our list, children billed through it, then infracost's free list, the
    catalog, compute, infracost's priced types."""
    rtype = r.terraform_type or r.type
    if rtype in data.bills:
        return data.bills[rtype], None
    if r.billed_children:
        n = len(r.billed_children)
        kind = child_type(next(iter(r.billed_children)))
        return f"{n} tagless {kind} instance{'s' if n != 1 else ''} bill through it", None
    if rtype in data.free:
        return None, data.free[rtype]
    if r.monthly_cost_usd:
        return f"priced at ${r.monthly_cost_usd:,.2f}/month", None
    if r.compute is not None:
        return ("runs pods that request capacity" if r.provider == "kubernetes"
                else "buys compute capacity by the hour"), None
    if rtype in data.priced:
        return f"infracost prices {rtype} ({data.billing_source})", None
    return None, None


def _spend(r: Resource) -> float | None:
    """Own monthly cost plus the children's; None when any part is unknown."""
    parts = [r.monthly_cost_usd, *r.billed_children.values()]
    return None if any(p is None for p in parts) else sum(p for p in parts if p is not None)


def _exemption(r: Resource, free: str | None, threshold: float) -> str | None:
    if r.billing is None:
        why = free or "not priced by the catalog and not a type known to bill (infracost's priced types or ours)"
        return f"{r.type} bills nothing by itself: {why}"
    spend = _spend(r)
    if spend is not None and spend < threshold and r.gpu.count == 0:
        return f"${spend:,.2f}/month with no GPUs, below tags.min_monthly_usd (${threshold:,.2f})"
    return None


def remediation(r: Resource) -> str | None:
    """Where this resource's missing keys go, in its platform's words."""
    keys = ", ".join(r.missing_tags + [t.split("=", 1)[0] for t in r.invalid_tags])
    if not keys:
        return None
    if r.provider == "kubernetes" and "kaito" in r.links:  # KAITO labels its pods with the Workspace's name only
        return (f"Add the labels {keys} to Namespace '{r.namespace}' (OpenCost and Kubecost allocate KAITO's pods by "
                f"their namespace's labels) or to the {r.links['kaito']}'s metadata.labels.")
    if r.provider == "kubernetes":
        ns = f"Namespace '{r.namespace}'" if r.namespace else "the namespace"
        return (f"Add the labels {keys} to the pod template (spec.template.metadata.labels, or metadata.labels of "
                f"a bare Pod) or to {ns}; OpenCost and Kubecost allocate by pod labels and inherit namespace "
                "labels.")
    rtype = r.terraform_type or r.type
    if rtype == "ClusterConfig":  # an eksctl node group (linter/sources/kubernetes/eksctl.py)
        return (f"Add the tags {keys} to the node group's tags, or to metadata.tags, which eksctl applies to every "
                "node group it creates; then activate them as cost allocation tags in the Billing console.")
    if r.provider == "gcp":
        where = {"google_container_cluster": "the cluster's resource_labels",
                 "google_container_node_pool": "node_config.resource_labels or the cluster's resource_labels",
                 "google_sql_database_instance": "settings.user_labels"}.get(rtype, "the resource's labels")
        default = "gcp:defaultLabels in the stack config" if r.source == "pulumi" else \
            "default_labels in the google provider block (provider 5.0 or later)"
        return f"Add the labels {keys} to {where}, or to {default}; billing export reports spend by these labels."
    if r.provider == "azure":
        children = ""
        if r.billed_children:
            children = f" (its {len(r.billed_children)} tagless child resources bill through it)"
        return (f"Add the tags {keys} to {r.address}'s tags{children}; azurerm has no provider-level default "
                "tags, so merge a shared local map, or assign the built-in Azure Policy 'Inherit a tag from the "
                "resource group if missing'.")
    if rtype == "aws_autoscaling_group":  # the provider's default_tags never reach the instances a group launches
        return (f"Add the tags {keys} as tag blocks with propagate_at_launch = true (or to the launch template's "
                "tag_specifications for instances); the aws provider's default_tags do not reach the instances an "
                "Auto Scaling group launches. Then activate them as cost allocation tags in the Billing console.")
    default = "aws:defaultTags in the stack config" if r.source == "pulumi" else \
        "default_tags in the aws provider block"
    return (f"Add the tags {keys} to the resource's tags or to {default}, and activate them as cost allocation "
            "tags in the Billing console.")
