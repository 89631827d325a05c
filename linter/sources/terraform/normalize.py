"""Map evaluated Terraform resources onto the normalized model, one mapper per type.

Mappers read only the provider's attribute names; everything after this module sees the
same facts whatever the source. Cross-resource joins that only Terraform has (ASG ->
launch template, endpoint -> endpoint config, node pool -> cluster) happen here through
:class:`MapContext`.
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter.config import Config
from linter.model import CallSite, Resource, ScanError, Workload
from linter.pricing.catalog import Catalog
from linter.records import record
from linter.sources.terraform.module import RawResource
from linter.sources.terraform.taggable import billed_through
from linter.sources.terraform.values import is_unknown
from linter.sources.terraform.view import View

PROVIDER_OF_PREFIX = {"aws": "aws", "google": "gcp", "azurerm": "azure", "azapi": "azure", "kubernetes": "kubernetes",
                      "kubectl": "kubernetes"}


@record
class Mapped:
    """What a mapper learned about one resource; ``None`` fields stay at model defaults."""

    fields: dict[str, Any] = field(default_factory=dict)


@record
class MapContext:
    catalog: Catalog
    config: Config
    by_address: dict[str, RawResource]
    by_type: dict[str, list[RawResource]]
    mapped: list[Resource] = field(default_factory=list)  # this root module's resources, once mapped one by one
    providers: dict[str, Any] = field(default_factory=dict)  # the root module's unaliased provider blocks by name

    def resolve(self, refs: tuple[str, ...], rtype: str, prefix: str = "") -> RawResource | None:
        """The resource of ``rtype`` that an attribute referred to (by address or name)."""
        for ref in refs:
            ref_type = ref.rsplit(".", 2)[-2] if ref.count(".") >= 1 else ""
            if ref_type != rtype:
                continue
            if ref in self.by_address:
                return self.by_address[ref]
            matches = [r for r in self.by_type.get(rtype, []) if r.address.startswith(ref + "[")]
            if matches:
                return matches[0]
        return None

    def find_by_attr(self, rtype: str, attr: str, value: Any) -> RawResource | None:
        if value is None:
            return None
        for r in self.by_type.get(rtype, []):
            v = r.values.get(attr)
            if not is_unknown(v) and v == value:
                return r
        return None

    def region_for(self, provider: str, raw: RawResource, explicit: str | None) -> tuple[str | None, str | None]:
        """(region, note): explicit attribute, then provider block, then config default."""
        if explicit:
            return normalize_region(provider, explicit), None
        if raw.provider is not None and isinstance(raw.provider.region, str):
            return normalize_region(provider, raw.provider.region), None
        default = self.config.default_regions.get(provider)
        if default:
            return default, f"region not set statically; priced in {default} (config default_regions.{provider})"
        return None, "region unknown"


def normalize_region(provider: str, value: str) -> str:
    value = value.strip()
    if provider == "azure":
        return value.lower().replace(" ", "")
    if provider == "gcp":
        parts = value.split("-")
        if len(parts) == 3 and len(parts[2]) == 1:  # a zone such as us-central1-a
            return "-".join(parts[:2])
    return value


Mapper = Callable[[View, MapContext], Mapped]
# Builds the resources of many instances at once (joins within the root module), keyed by address.
BatchMapper = Callable[[list[RawResource], MapContext, str], dict[str, Resource]]


def _registry() -> tuple[dict[str, Mapper], dict[str, Mapper], list[BatchMapper]]:
    from linter.sources.terraform import map_aws, map_aws_ecs, map_azure, map_gcp, map_kubernetes

    return ({**map_aws.MAPPERS, **map_aws_ecs.MAPPERS, **map_gcp.MAPPERS,
             **map_azure.MAPPERS},
            {"aws": map_aws.GENERIC, "gcp": map_gcp.GENERIC, "azure": map_azure.GENERIC,
             "kubernetes": map_kubernetes.GENERIC},
            [map_kubernetes.build])


_MAPPERS: tuple[dict[str, Mapper], dict[str, Mapper], list[BatchMapper]] | None = None
_LLM_TYPES = ("azurerm_cognitive_deployment", "azapi_resource", "aws_api_gateway_rest_api", "aws_apigatewayv2_api",
              "aws_bedrock_provisioned_model_throughput", "aws_sagemaker_endpoint",
              "aws_sagemaker_endpoint_configuration", "google_vertex_ai_endpoint_with_model_garden_deployment")


def normalize(raws: list[RawResource], catalog: Catalog, config: Config, origin: str = "",
              errors: list[ScanError] | None = None, source: str = "terraform",
              providers: dict[str, Any] | None = None) -> list[Resource]:
    """Normalized resources; with ``errors`` given, an internal error costs only its resource. ``source``: the
    reader whose resources these are (Pulumi's bridged resources go through the same mappers). ``providers``: the
    root module's own provider blocks (``ProviderConfig`` by name), where a root with no resource of a cloud still
    says which region its clusters run in."""
    global _MAPPERS
    if _MAPPERS is None:
        _MAPPERS = _registry()
    if any(r.type == "google_container_cluster" for r in raws):
        from linter.sources.terraform.map_gcp import inline_node_pools

        raws = inline_node_pools(raws)
    by_type: dict[str, list[RawResource]] = {}
    for r in raws:
        by_type.setdefault(r.type, []).append(r)
    ctx = MapContext(catalog, config, {r.address: r for r in raws}, by_type, providers=providers or {})
    out: list[Resource] = []
    for raw in raws:
        provider = PROVIDER_OF_PREFIX.get(raw.type.split("_", 1)[0])
        if provider is None:
            continue
        mapper = _MAPPERS[0].get(raw.type) or _MAPPERS[1].get(provider)
        view = View(raw)
        try:
            fields = mapper(view, ctx).fields if mapper else {}
            parent = billed_through(view, ctx)
        except Exception as exc:  # a mapper bug must cost one resource, never the scan
            if errors is None:
                raise
            errors.append(ScanError(file=raw.file, line=raw.line, message=f"{raw.address}: not read, internal error "
                                    f"({type(exc).__name__}: {exc}); please report this with the file"))
            continue
        if parent:
            fields["links"] = {**fields.get("links", {}), "billed_through": parent}
        kind = fields.pop("workload_default", None)
        if kind:
            fields["workload"] = Workload(kind=kind, evidence=[f"resource kind: {raw.type}"])
        instances = [raw.unknown_attrs[k] for k in ("count", "for_each") if k in raw.unknown_attrs]
        if instances and fields.get("compute") is not None:  # one resource stands for an unknown number of them
            fields["compute"].count = None
        unknowns = list(dict.fromkeys(instances + view.unknowns + fields.pop("unknowns", [])))
        fields.setdefault("terraform_type", raw.type)
        out.append(Resource(address=raw.address, type=raw.type, source=source, provider=provider,  # type: ignore[arg-type]
                            file=raw.file, line=raw.line, name=raw.name, origin=origin, unknowns=unknowns,
                            called_from=[CallSite(file=f, line=n) for f, n in raw.called_from], **fields))
    if any(t in by_type for t in _LLM_TYPES):  # LLM endpoints: Azure OpenAI, API Gateway, Bedrock, SageMaker, Vertex AI
        from linter.sources.terraform.map_llm import enrich

        try:
            enrich(out, ctx)
        except Exception as exc:
            if errors is None:
                raise
            errors.append(ScanError(file=origin or ".", message=f"LLM endpoints not read, internal error "
                                    f"({type(exc).__name__}: {exc}); please report this with the files"))
    # joins across many resources (Kubernetes objects and the node pools their pods select) come last; the
    # resources mapped one by one above stay as they are if a batch mapper fails
    ctx.mapped = out
    prebuilt: dict[str, Resource] = {}
    for batch in _MAPPERS[2]:
        try:
            prebuilt.update(batch(raws, ctx, origin))
        except Exception as exc:
            if errors is None:
                raise
            errors.append(ScanError(file=origin or ".", message=f"Kubernetes objects not joined, internal error "
                                    f"({type(exc).__name__}: {exc}); please report this with the files"))
    return [prebuilt.get(r.address, r) for r in out]
