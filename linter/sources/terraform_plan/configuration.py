"""The plan's ``configuration`` block: module calls, resource expressions and provider configs.

Values in a plan are resolved, but three things only the configuration says: which provider
configuration (region, AWS ``default_tags``, Google ``default_labels``) a resource uses, which
resource an attribute that is still unknown refers to (so an ASG finds the launch template created
in the same plan), and where each module came from (for mapping addresses to ``.tf`` files).
Expressions are ``{"constant_value": ...}`` or ``{"references": [...]}``; a reference to a variable
is followed to the plan's variable values and through module call arguments.
"""

from __future__ import annotations

import re
from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.terraform.values import Unknown

_INSTANCE_KEY = re.compile(r'\[(?:"(?:[^"\\]|\\.)*"|[^\]]*)\]')
_RESOURCE_REF = re.compile(r"^(?!data\.)([a-z][a-z0-9]*_[A-Za-z0-9_-]+)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\])?")
_SCOPES = ("var.", "local.", "module.", "data.", "each.", "count.", "path.", "terraform.", "self.")
_MAX_DEPTH = 12


def strip_keys(address: str) -> str:
    """``module.gpu["a"].aws_instance.this[0]`` -> ``module.gpu.aws_instance.this`` (the configuration address)."""
    return _INSTANCE_KEY.sub("", address)


def module_names(module_address: str) -> list[str]:
    """``module.a["x"].module.b`` -> ``["a", "b"]``."""
    parts = strip_keys(module_address).split(".")
    return [parts[i + 1] for i in range(0, len(parts) - 1, 2) if parts[i] == "module"]


@record
class ModuleConfig:
    """One module of the configuration tree (the root has ``name`` "" and no call)."""

    path: tuple[str, ...]  # module call names from the root
    body: dict[str, Any]
    call: dict[str, Any] = field(default_factory=dict)  # the module call in the parent (source, expressions)
    parent: ModuleConfig | None = None

    @property
    def source(self) -> str | None:
        value = self.call.get("source")
        return value if isinstance(value, str) else None

    def child(self, name: str) -> ModuleConfig | None:
        calls = self.body.get("module_calls")
        call = calls.get(name) if isinstance(calls, dict) else None
        if not isinstance(call, dict):
            return None
        module = call.get("module")
        return ModuleConfig((*self.path, name), module if isinstance(module, dict) else {}, call, self)

    def resource(self, rtype: str, name: str, mode: str = "managed") -> dict[str, Any] | None:
        for r in self.body.get("resources") or []:
            if isinstance(r, dict) and r.get("type") == rtype and r.get("name") == name and \
                    r.get("mode", "managed") == mode:
                return r
        return None


class Configuration:
    """Look-ups over the plan's configuration and root variable values."""

    def __init__(self, data: dict[str, Any]) -> None:
        config = data.get("configuration")
        self.data = config if isinstance(config, dict) else {}
        root = self.data.get("root_module")
        self.root = ModuleConfig((), root if isinstance(root, dict) else {})
        providers = self.data.get("provider_config")
        self.providers: dict[str, Any] = providers if isinstance(providers, dict) else {}
        variables = data.get("variables")
        self.variables: dict[str, Any] = {k: v.get("value") for k, v in (variables or {}).items()
                                          if isinstance(v, dict)} if isinstance(variables, dict) else {}

    def module(self, names: list[str]) -> ModuleConfig | None:
        current: ModuleConfig | None = self.root
        for name in names:
            current = current.child(name) if current is not None else None
        return current

    # -- expressions -------------------------------------------------------------------
    def resolve(self, expr: Any, module: ModuleConfig | None, depth: int = 0) -> Any:
        """The value of an expression when the configuration alone tells it, else an Unknown."""
        if not isinstance(expr, dict):
            return Unknown("not an expression")
        if "constant_value" in expr:
            return expr["constant_value"]
        refs = [r for r in expr.get("references") or [] if isinstance(r, str)]
        if depth > _MAX_DEPTH or module is None:
            return Unknown("expression too deep to follow")
        # a lone variable reference is followed: root variables have values in the plan, module variables
        # come from the module call's argument (or the variable's default)
        names = {r.split(".")[1] for r in refs if r.startswith("var.") and r.count(".") >= 1}
        if len(names) == 1 and all(r.startswith("var.") for r in refs):
            name = names.pop()
            if not module.path:
                if name in self.variables:
                    return self.variables[name]
            else:
                args = module.call.get("expressions")
                if isinstance(args, dict) and name in args:
                    return self.resolve(args[name], module.parent, depth + 1)
            var = (module.body.get("variables") or {}).get(name)
            if isinstance(var, dict) and "default" in var:
                return var["default"]
        return Unknown(f"set from {', '.join(refs) or 'an expression'} (not resolved from the plan)")

    def references(self, refs: list[str], module: ModuleConfig | None, prefix: str, depth: int = 0) -> tuple[str, ...]:
        """Addresses of the managed resources an expression's references name, module outputs followed."""
        out: list[str] = []
        for ref in refs:
            if ref.startswith("module.") and module is not None and depth < _MAX_DEPTH:
                parts = strip_keys(ref).split(".")
                if len(parts) >= 3:
                    child = module.child(parts[1])
                    output = (child.body.get("outputs") or {}).get(parts[2]) if child is not None else None
                    if child is not None and isinstance(output, dict):
                        inner = (output.get("expression") or {}).get("references") or []
                        out += self.references(inner, child, f"{prefix}module.{parts[1]}.", depth + 1)
                continue
            if ref.startswith(_SCOPES):
                continue
            m = _RESOURCE_REF.match(ref)
            if m:
                address = f"{prefix}{m.group(1)}.{m.group(2)}"
                if address not in out:
                    out.append(address)
        return tuple(out)

    # -- providers ---------------------------------------------------------------------
    def provider_config(self, resource: dict[str, Any] | None, provider_name: str,
                        module_address: str) -> tuple[str, dict[str, Any] | None]:
        """(key, provider config) a configuration resource uses; the key is ``aws`` / ``aws.west`` /
        ``module.x:aws`` as the plan writes it, falling back to the root config of the same provider."""
        key = resource.get("provider_config_key") if isinstance(resource, dict) else None
        local = provider_name.rsplit("/", 1)[-1]
        candidates: list[str] = []
        if isinstance(key, str):
            candidates.append(key)
            if ":" in key:  # a module's entry; without expressions it only states a version requirement, and
                scope, name = key.split(":", 1)  # the module inherits its caller's configuration
                parts = scope.split(".")
                while len(parts) > 2:
                    parts = parts[:-2]
                    candidates.append(f"{'.'.join(parts)}:{name}")
                candidates.append(name)
        candidates.append(local)
        found = [(k, self.providers[k]) for k in candidates if isinstance(self.providers.get(k), dict)]
        configured = [(k, p) for k, p in found if p.get("expressions")]
        if configured or found:
            return (configured or found)[0]
        return candidates[0], None

    def provider_module(self, provider: dict[str, Any]) -> ModuleConfig | None:
        address = provider.get("module_address")
        return self.module(module_names(address)) if isinstance(address, str) and address else self.root
