"""``.finops-lint.yaml``: validated configuration with errors that name the key."""

from __future__ import annotations

import os
from typing import Any, Literal

from pydantic import BaseModel, ConfigDict, Field, ValidationError, field_validator

CONFIG_FILE_NAMES = (".finops-lint.yaml", ".finops-lint.yml")


class ConfigError(Exception):
    """Bad configuration: the message names the file and the key."""


class _Strict(BaseModel):
    model_config = ConfigDict(extra="forbid")


class RequiredTag(_Strict):
    aliases: list[str] = Field(default_factory=list)
    allowed: list[str] | None = None


def _default_required_tags() -> dict[str, RequiredTag]:
    return {
        "team": RequiredTag(aliases=["Team", "owner", "Owner"]),
        "cost-center": RequiredTag(aliases=["CostCenter", "cost_center", "costcenter", "Cost-Center",
                                            "cost-centre"]),
        "environment": RequiredTag(aliases=["Environment", "env", "Env"]),
    }


class KubernetesRates(_Strict):
    """Per-resource rates for pods whose node type (or GPU model) the catalog cannot price.
    Defaults: OpenCost's published default pricing (opencost/opencost configs/default.json)."""

    vcpu_hour: float = Field(0.031611, ge=0, description="USD per requested vCPU-hour, on demand")
    gib_hour: float = Field(0.004237, ge=0, description="USD per requested GiB-hour of memory, on demand")
    gpu_hour: float = Field(0.95, ge=0, description="USD per GPU-hour when the GPU model is unknown")
    spot_vcpu_hour: float = Field(0.006655, ge=0, description="USD per vCPU-hour on spot capacity")
    spot_gib_hour: float = Field(0.000892, ge=0, description="USD per GiB-hour on spot capacity")


class Prices(_Strict):
    overrides: dict[str, dict[str, dict[str, float]]] = Field(
        default_factory=dict, description="provider -> region -> machine type -> USD per hour")
    discount_percent: float = Field(0.0, ge=0, lt=100, description="enterprise discount on list prices")
    spot_discounts: dict[str, dict[str, float]] = Field(
        default_factory=dict, description="provider -> family -> fraction below on-demand")
    kubernetes: KubernetesRates = Field(default_factory=KubernetesRates,
                                        description="pod pricing when no node type prices it")

    @field_validator("spot_discounts")
    @classmethod
    def _fraction(cls, v: dict[str, dict[str, float]]) -> dict[str, dict[str, float]]:
        for provider, families in v.items():
            for family, fraction in families.items():
                if not 0 < fraction < 1:
                    raise ValueError(f"{provider}.{family}: a spot discount is a fraction between 0 and 1")
        return v


class Usage(_Strict):
    hours_per_month: float = Field(730, gt=0, le=744)
    idle_fraction: float = Field(
        0.7, ge=0, le=1,
        description="share of the month capacity held at its floor sits idle (non-prod, batch pools)")
    business_hours_per_week: float = Field(50, ge=0, le=168)


class WorkloadHint(_Strict):
    match: str = Field(description="glob on the resource address or name")
    kind: Literal["batch", "training", "fine-tuning", "inference", "interactive"]


class Config(_Strict):
    required_tags: dict[str, RequiredTag] = Field(default_factory=_default_required_tags)
    default_regions: dict[str, str] = Field(
        default_factory=lambda: {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"})
    severity: dict[str, Literal["info", "low", "medium", "high", "critical"]] = Field(default_factory=dict)
    disabled_rules: list[str] = Field(default_factory=list)
    fail_on: Literal["info", "low", "medium", "high", "critical", "none"] = "low"
    prices: Prices = Field(default_factory=Prices)
    usage: Usage = Field(default_factory=Usage)
    workload_hints: list[WorkloadHint] = Field(default_factory=list)
    nonprod_environments: list[str] = Field(
        default_factory=lambda: ["dev", "development", "test", "testing", "qa", "staging", "stage", "sandbox",
                                 "sbx", "nonprod", "non-prod", "preprod", "uat"])
    rules_dirs: list[str] = Field(default_factory=list, description="extra rule directories (YAML only)")

    def required_tag_keys(self) -> list[str]:
        return list(self.required_tags)


def _format_validation_error(path: str, exc: ValidationError) -> str:
    first = exc.errors()[0]
    key = ".".join(str(p) for p in first["loc"]) or "(top level)"
    more = f" (+{len(exc.errors()) - 1} more)" if len(exc.errors()) > 1 else ""
    return f"{path}: key '{key}': {first['msg']}{more}"


def load_config(path: str | None, search_dir: str = ".") -> tuple[Config, str | None]:
    """Load ``path`` or the first config file found in ``search_dir``; defaults if none."""
    if path is None:
        for name in CONFIG_FILE_NAMES:
            candidate = os.path.join(search_dir, name)
            if os.path.isfile(candidate):
                path = candidate
                break
    if path is None:
        return Config(), None
    import yaml

    from linter.files import UnreadableFile, read_text
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        raise ConfigError(f"{path}: {exc.message}") from exc
    try:
        raw: Any = yaml.load(text, Loader=getattr(yaml, "CSafeLoader", yaml.SafeLoader))
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = f":{mark.line + 1}" if mark else ""
        raise ConfigError(f"{path}{line}: invalid YAML: {getattr(exc, 'problem', exc)}") from exc
    if raw is None:
        raw = {}
    if not isinstance(raw, dict):
        raise ConfigError(f"{path}: the config must be a mapping of keys")
    raw = {k.replace("-", "_") if isinstance(k, str) else k: v for k, v in raw.items()}
    try:
        return Config.model_validate(raw), path
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(path, exc)) from exc
