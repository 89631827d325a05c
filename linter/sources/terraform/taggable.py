"""Which Terraform resource types carry cost-allocation tags or labels, and which parent a tagless child
bills through.

The list is checkov's generated one plus our overrides (``linter/facts/tag_data.py``); a type it does not
know yet counts as taggable when its configuration sets ``tags``/``labels`` anyway (the provider accepted it).
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.facts.tag_data import tag_data

if TYPE_CHECKING:
    from linter.sources.terraform.module import RawResource
    from linter.sources.terraform.normalize import MapContext
    from linter.sources.terraform.view import View


def is_taggable(resource_type: str, values: dict[str, Any]) -> bool:
    data = tag_data()
    if resource_type in data.taggable:
        return True
    if resource_type in data.taggable_reasons:  # one of our removals
        return False
    return "tags" in values or "labels" in values


def billed_through(view: View, ctx: MapContext) -> str | None:
    """The address of the parent a tagless child type bills through (tag_overrides.json ``billed_through``),
    found by the reference in its ``attribute`` (an azapi_resource's ``parent_id``, to an azurerm parent or to
    an azapi_resource that mirrors one); None for other types or when the parent is not in the scan."""
    azapi = view.raw.type == "azapi_resource"
    parent = tag_data().billed_through.get(mirrored_type(view.raw) if azapi else view.raw.type)  # type: ignore[arg-type]
    if parent is None:
        return None
    refs = view.refs("parent_id" if azapi else parent.attribute)
    found = next((r for t in parent.types if (r := ctx.resolve(refs, t)) is not None), None)
    arm = ctx.resolve(refs, "azapi_resource") if found is None else None
    if arm is not None and mirrored_type(arm) in parent.types:
        found = arm
    return found.address if found else None


def mirrored_type(raw: RawResource) -> str | None:
    """The azurerm type an ``azapi_resource`` stands for (by its ARM type), as tagging and billing read it."""
    from linter.sources.terraform.map_azure import arm_mirror_type

    return arm_mirror_type(raw)


def provider_origins(view: View, inherited: dict[str, object], own: dict[str, str], block: str) -> dict[str, str]:
    """Where each key the provider block added (``default_tags``/``default_labels``) came from, file:line."""
    provider = view.raw.provider
    if provider is None or not inherited:
        return {}
    where = f"provider {block} ({provider.file}:{provider.line})" if provider.file else f"provider {block}"
    return {str(k): where for k in inherited if str(k) not in own}
