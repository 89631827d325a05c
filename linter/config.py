"""``.finops-lint.yaml``: validated configuration with errors that name the key.

The settings are stdlib dataclasses so that a scan without a config file never imports
pydantic (a quarter of a second on a small machine); a config file is validated by
pydantic (``TypeAdapter``) against these same classes, with unknown keys rejected.
"""

from __future__ import annotations

import os
import re
from dataclasses import field
from typing import Any, Literal

from linter import files as fs
from linter.records import record

CONFIG_FILE_NAMES = (".finops-lint.yaml", ".finops-lint.yml")
_FORBID_EXTRA = {"extra": "forbid"}


class ConfigError(Exception):
    """Bad configuration: the message names the file and the key."""


def _check(condition: bool, key: str, message: str) -> None:
    if not condition:
        raise ValueError(f"{key}: {message}")


@record(kw_only=True)
class RequiredTag:
    __pydantic_config__ = _FORBID_EXTRA

    aliases: list[str] = field(default_factory=list)
    allowed: list[str] | None = None


def _default_required_tags() -> dict[str, RequiredTag]:
    return {
        "team": RequiredTag(aliases=["Team", "owner", "Owner"]),
        "cost-center": RequiredTag(aliases=["CostCenter", "cost_center", "costcenter", "Cost-Center",
                                            "cost-centre"]),
        "environment": RequiredTag(aliases=["Environment", "env", "Env"]),
    }


@record(kw_only=True)
class KubernetesRates:
    """Per-resource rates for pods whose node type (or GPU model) the catalog cannot price.
    Defaults: OpenCost's published default pricing (opencost/opencost configs/default.json)."""

    __pydantic_config__ = _FORBID_EXTRA

    vcpu_hour: float = 0.031611  # USD per requested vCPU-hour, on demand
    gib_hour: float = 0.004237  # USD per requested GiB-hour of memory, on demand
    gpu_hour: float = 0.95  # USD per GPU-hour when the GPU model is unknown
    spot_vcpu_hour: float = 0.006655  # USD per vCPU-hour on spot capacity
    spot_gib_hour: float = 0.000892  # USD per GiB-hour on spot capacity

    def __post_init__(self) -> None:
        for key in ("vcpu_hour", "gib_hour", "gpu_hour", "spot_vcpu_hour", "spot_gib_hour"):
            _check(getattr(self, key) >= 0, key, "must be >= 0")


@record(kw_only=True)
class Prices:
    __pydantic_config__ = _FORBID_EXTRA

    overrides: dict[str, dict[str, dict[str, float]]] = field(default_factory=dict)  # provider/region/type: USD/h
    discount_percent: float = 0.0  # enterprise discount on list prices
    spot_discounts: dict[str, dict[str, float]] = field(default_factory=dict)  # provider/family: fraction
    kubernetes: KubernetesRates = field(default_factory=KubernetesRates)  # pods no node type prices

    def __post_init__(self) -> None:
        _check(0 <= self.discount_percent < 100, "discount_percent", "must be >= 0 and < 100")
        for provider, families in self.spot_discounts.items():
            for family, fraction in families.items():
                _check(0 < fraction < 1, f"spot_discounts.{provider}.{family}",
                       "a spot discount is a fraction between 0 and 1")
        for provider, regions in self.overrides.items():
            for region, types in regions.items():
                for name, price in types.items():
                    _check(price >= 0, f"overrides.{provider}.{region}.{name}", "a price must be >= 0")


@record(kw_only=True)
class Usage:
    __pydantic_config__ = _FORBID_EXTRA

    hours_per_month: float = 730
    idle_fraction: float = 0.7  # share of the month capacity held at its floor sits idle
    # Capacity that scales from zero (min 0) bills only while work runs: hours a month it runs at its maximum.
    # Unset (the default): its spend and savings are unknown, and the report says what a month at the maximum costs.
    scale_from_zero_hours: float | None = None

    def __post_init__(self) -> None:
        _check(0 < self.hours_per_month <= 744, "hours_per_month", "must be > 0 and <= 744")
        _check(self.scale_from_zero_hours is None or 0 <= self.scale_from_zero_hours <= self.hours_per_month,
               "scale_from_zero_hours", "must be between 0 and hours_per_month")
        _check(0 <= self.idle_fraction <= 1, "idle_fraction", "must be between 0 and 1")


@record(kw_only=True)
class WorkloadHint:
    __pydantic_config__ = _FORBID_EXTRA

    match: str  # glob on the resource address or name
    kind: Literal["batch", "training", "fine-tuning", "inference", "interactive"]


@record(kw_only=True)
class SeverityByImpact:
    """Severity follows the money: a finding's known monthly impact moves it down (or up) from the rule's
    severity. Unknown figures leave the severity as the rule (or ``severity:``) sets it."""

    __pydantic_config__ = _FORBID_EXTRA

    enabled: bool = True
    info_below: float = 1.0  # USD/month: a figure under this ($0 included) is info
    low_below: float = 100.0  # under this: at most low
    medium_below: float = 1000.0  # under this: at most medium
    escalate_at: float | None = 50000.0  # at or above this: one level up (never above critical); null = never

    def __post_init__(self) -> None:
        _check(0 <= self.info_below <= self.low_below <= self.medium_below, "info_below",
               "thresholds must be >= 0 and info_below <= low_below <= medium_below")
        _check(self.escalate_at is None or self.escalate_at >= self.medium_below, "escalate_at",
               "must be >= medium_below (or null to never escalate)")


@record(kw_only=True)
class BaselineGrowth:
    """A baselined finding comes back when its monthly cost or impact grew by both of these since the baseline."""

    __pydantic_config__ = _FORBID_EXTRA

    percent: float = 10.0
    usd: float = 100.0

    def __post_init__(self) -> None:
        _check(self.percent >= 0, "percent", "must be >= 0")
        _check(self.usd >= 0, "usd", "must be >= 0")


@record(kw_only=True)
class EnvironmentHint:
    """The environment of the resources whose file, module directory or address matches ``match`` (a glob),
    for code that says it nowhere else (no tag, label, namespace or workspace)."""

    __pydantic_config__ = _FORBID_EXTRA

    match: str
    environment: str


@record(kw_only=True)
class TagSettings:
    """FIN-TAG-001's scope. ``min_monthly_usd``: resources priced below it without GPUs are not flagged.
    Default $50/month: at OpenCost's default rates that is one pod requesting 2 vCPU and 1 GiB all month, while
    one month of the smallest GPU node is several hundred dollars; the demo and sidecar pods of upstream example
    manifests fall below it, GPU work never does. Set 0 to flag every priced resource."""

    __pydantic_config__ = _FORBID_EXTRA

    min_monthly_usd: float = 50.0
    environments: list[EnvironmentHint] = field(default_factory=list)

    def __post_init__(self) -> None:
        _check(self.min_monthly_usd >= 0, "min_monthly_usd", "must be >= 0")


def _default_nonprod() -> list[str]:
    return ["dev", "development", "test", "testing", "qa", "staging", "stage", "sandbox", "sbx", "nonprod",
            "non-prod", "preprod", "uat"]


@record(kw_only=True)
class Config:
    __pydantic_config__ = _FORBID_EXTRA

    required_tags: dict[str, RequiredTag] = field(default_factory=_default_required_tags)
    default_regions: dict[str, str] = field(
        default_factory=lambda: {"aws": "us-east-1", "gcp": "us-central1", "azure": "eastus"})
    severity: dict[str, Literal["info", "low", "medium", "high", "critical"]] = field(default_factory=dict)
    disabled_rules: list[str] = field(default_factory=list)
    fail_on: Literal["info", "low", "medium", "high", "critical", "none"] = "low"
    prices: Prices = field(default_factory=Prices)
    usage: Usage = field(default_factory=Usage)
    workload_hints: list[WorkloadHint] = field(default_factory=list)
    nonprod_environments: list[str] = field(default_factory=_default_nonprod)
    tags: TagSettings = field(default_factory=TagSettings)
    rules_dirs: list[str] = field(default_factory=list)  # extra rule directories (YAML only)
    usage_file: str | None = None  # usage assumptions (Infracost usage-file style), relative to the config file
    exclude: list[str] = field(default_factory=list)  # path globs, relative to the config file's directory
    min_monthly_usd: float | None = None  # drop findings whose known impact is below this
    severity_by_impact: SeverityByImpact = field(default_factory=SeverityByImpact)
    baseline_growth: BaselineGrowth = field(default_factory=BaselineGrowth)
    max_file_size: int | str | None = None  # files above it are skipped with a notice: 8MiB, 512KiB or bytes

    def __post_init__(self) -> None:
        _check(self.min_monthly_usd is None or self.min_monthly_usd >= 0, "min_monthly_usd", "must be >= 0")
        if self.max_file_size is not None:
            from linter.files import parse_size

            try:
                parse_size(self.max_file_size)
            except ValueError as exc:
                _check(False, "max_file_size", str(exc))


def _shown(path: str) -> str:
    """A found config file as the user would name it: relative to the working directory when below it."""
    cwd = os.getcwd()
    return os.path.relpath(path, cwd) if path.startswith(cwd + os.sep) else path


_VALUE_ERROR = re.compile(r"^Value error, ([\w.\-]+): (.*)$", re.S)


def _format_validation_error(path: str, exc: Any) -> str:
    errors = exc.errors()
    first = errors[0]
    loc = [str(p) for p in first["loc"]]
    message = first["msg"]
    m = _VALUE_ERROR.match(message)
    if m:
        loc.append(m.group(1))
        message = m.group(2)
    if message in ("Unexpected keyword argument", "Extra inputs are not permitted"):
        message = "unknown key (see the configuration section of the README)"
    key = ".".join(loc) or "(top level)"
    more = f" (+{len(errors) - 1} more)" if len(errors) > 1 else ""
    return f"{path}: key '{key}': {message}{more}"


def validate_config(raw: dict[str, Any], path: str) -> Config:
    from pydantic import TypeAdapter, ValidationError

    try:
        return TypeAdapter(Config).validate_python(raw)
    except ValidationError as exc:
        raise ConfigError(_format_validation_error(path, exc)) from exc


def repo_root(start: str) -> str | None:
    """The nearest directory at or above ``start`` holding ``.git`` (a directory, or a file in worktrees)."""
    current = os.path.abspath(start)
    if not fs.isdir(current):
        current = os.path.dirname(current)
    while True:
        if fs.exists(os.path.join(current, ".git")):
            return current
        parent = os.path.dirname(current)
        if parent == current:
            return None
        current = parent


def find_config(start: str) -> str | None:
    """The first config file from ``start`` upwards, stopping at the repository root (like ruff and tflint
    look for theirs); outside a repository the search goes up to the filesystem root."""
    current = os.path.abspath(start)
    if not fs.isdir(current):
        current = os.path.dirname(current)
    root = repo_root(current)
    while True:
        for name in CONFIG_FILE_NAMES:
            candidate = os.path.join(current, name)
            if fs.isfile(candidate):
                return candidate
        parent = os.path.dirname(current)
        if current == root or parent == current:
            return None
        current = parent


def search_start(paths: list[str]) -> str:
    """Where config discovery starts for a scan of ``paths``: their deepest common directory."""
    existing = [os.path.abspath(p) for p in paths if fs.exists(p)]
    if not existing:
        return os.getcwd()
    dirs = [p if fs.isdir(p) else os.path.dirname(p) for p in existing]
    try:
        return os.path.commonpath(dirs)
    except ValueError:  # different drives
        return dirs[0]


def load_config(path: str | None, search_dir: str = ".") -> tuple[Config, str | None]:
    """Load ``path``, else the nearest config file from ``search_dir`` up to the repository root (then the
    working directory); defaults if none."""
    if path is None:
        path = find_config(search_dir)
        if path is None:  # a scan of a path outside any repository still reads the working directory's
            path = next((os.path.join(os.getcwd(), n) for n in CONFIG_FILE_NAMES
                         if fs.isfile(os.path.join(os.getcwd(), n))), None)
        if path is not None:
            path = _shown(path)
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
    return validate_config(raw, path), path
