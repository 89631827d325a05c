"""Rate limits that live in policy objects beside a route, not in its annotations.

Gateway implementations keep rate limits in their own custom resources, attached to a route in one of
three ways, all read here so a limited route is not reported as unlimited:

- Envoy Gateway (and Envoy AI Gateway's token limits) ``BackendTrafficPolicy`` with ``spec.rateLimit``,
  attached by ``targetRef``/``targetRefs`` to an HTTPRoute, GRPCRoute or Gateway (a Gateway's policy
  covers every route whose ``parentRefs`` name it);
- Kong ``KongPlugin``/``KongClusterPlugin`` whose ``plugin`` is a rate-limiting plugin, named by a route's
  ``konghq.com/plugins`` annotation or by an HTTPRoute filter's ``extensionRef``;
- Traefik ``Middleware`` with ``spec.rateLimit`` or ``spec.inFlightReq``, named by an Ingress's
  ``traefik.ingress.kubernetes.io/router.middlewares`` annotation (``<namespace>-<name>@kubernetescrd``)
  or an HTTPRoute filter's ``extensionRef``.

A named policy that is not in the scan still counts when its name says rate limit (the older guess).
"""

from __future__ import annotations

from dataclasses import field
from typing import Any

from linter.records import record
from linter.sources.kubernetes.shapes import as_dict, as_list

KONG_RATE_PLUGINS = frozenset({"rate-limiting", "rate-limiting-advanced", "ai-rate-limiting-advanced",
                               "response-ratelimiting", "graphql-rate-limiting-advanced"})
_KONG_WINDOWS = ("second", "minute", "hour", "day", "month", "year")


@record
class RoutePolicies:
    """Rate limits in words, by what they attach to."""

    targeted: dict[tuple[str, str, str], list[str]] = field(default_factory=dict)  # (kind, ns, name) -> limits
    named: dict[tuple[str, str, str], str | None] = field(default_factory=dict)  # (kind, ns, name) -> limit/None

    def for_route(self, kind: str, namespace: str, data: dict[str, Any]) -> list[str]:
        """Limits that policy objects put on this Ingress, HTTPRoute or GRPCRoute."""
        meta = as_dict(data.get("metadata"))
        name = str(meta.get("name") or "")
        out = list(self.targeted.get((kind, namespace, name), []))
        for parent in as_list(as_dict(data.get("spec")).get("parentRefs")):
            parent = as_dict(parent)
            if parent.get("kind", "Gateway") == "Gateway" and isinstance(parent.get("name"), str):
                ns = str(parent.get("namespace") or namespace)
                out.extend(f"{lim} (on its Gateway {ns}/{parent['name']})"
                           for lim in self.targeted.get(("Gateway", ns, parent["name"]), []))
        for rule in as_list(as_dict(data.get("spec")).get("rules")):
            for flt in as_list(as_dict(rule).get("filters")):
                ref = as_dict(as_dict(flt).get("extensionRef"))
                if isinstance(ref.get("kind"), str) and isinstance(ref.get("name"), str):
                    found = self._named(ref["kind"], namespace, ref["name"])
                    if found:
                        out.append(found)
        return out

    def known(self, kind: str, namespace: str, name: str) -> bool:
        """Whether the named policy object is in the scan (then its content decides, not its name)."""
        return (kind, namespace, name) in self.named or (kind, "", name) in self.named

    def _named(self, kind: str, namespace: str, name: str) -> str | None:
        if (kind, namespace, name) in self.named:
            return self.named[(kind, namespace, name)]
        return self.named.get((kind, "", name))

    def kong(self, namespace: str, name: str) -> str | None:
        return self._named("KongPlugin", namespace, name) or self.named.get(("KongClusterPlugin", "", name))

    def kong_known(self, namespace: str, name: str) -> bool:
        return self.known("KongPlugin", namespace, name) or self.known("KongClusterPlugin", "", name)


def _envoy_limits(spec: dict[str, Any]) -> list[str]:
    rate = as_dict(spec.get("rateLimit"))
    out = []
    for scope in ("global", "local"):
        for rule in as_list(as_dict(rate.get(scope)).get("rules")):
            limit = as_dict(as_dict(rule).get("limit"))
            requests, unit = limit.get("requests"), limit.get("unit")
            if requests is None:
                continue
            cost = as_dict(as_dict(as_dict(rule).get("cost")).get("response"))
            what = "tokens" if cost.get("from") == "Metadata" else "requests"
            out.append(f"{requests} {what}/{str(unit or '').lower() or '?'} ({scope})")
    return out


def _kong_limit(data: dict[str, Any]) -> str | None:
    plugin = str(data.get("plugin") or "")
    if plugin not in KONG_RATE_PLUGINS:
        return None
    config = as_dict(data.get("config"))
    windows = [f"{config[w]}/{w}" for w in _KONG_WINDOWS if config.get(w) is not None]
    for limit in as_list(config.get("limit")):  # rate-limiting-advanced: limit + window_size lists
        windows.append(f"{limit} per window")
    return f"{plugin}" + (f" {', '.join(windows)}" if windows else "")


def _traefik_limit(spec: dict[str, Any]) -> str | None:
    rate, inflight = as_dict(spec.get("rateLimit")), as_dict(spec.get("inFlightReq"))
    if rate:
        return f"rateLimit average {rate.get('average', '?')}/{rate.get('period', '1s')}, burst {rate.get('burst', 1)}"
    if inflight:
        return f"inFlightReq amount {inflight.get('amount', '?')}"
    return None


def index_policies(objects: list[tuple[str, str, str, dict[str, Any], str]]) -> RoutePolicies:
    """``objects``: (kind, namespace, name, data, where) of every policy object in the scan."""
    found = RoutePolicies()
    for kind, namespace, name, data, where in objects:
        spec = as_dict(data.get("spec"))
        if kind == "BackendTrafficPolicy":
            limits = _envoy_limits(spec)
            if not limits:
                continue
            refs = [as_dict(spec.get("targetRef"))] if spec.get("targetRef") else []
            refs += [as_dict(r) for r in as_list(spec.get("targetRefs"))]
            for ref in refs:
                if isinstance(ref.get("kind"), str) and isinstance(ref.get("name"), str):
                    found.targeted.setdefault((ref["kind"], namespace, ref["name"]), []).extend(
                        f"BackendTrafficPolicy {namespace}/{name} ({where}): {lim}" for lim in limits)
        elif kind in ("KongPlugin", "KongClusterPlugin"):
            limit = _kong_limit(data)
            key = (kind, "" if kind == "KongClusterPlugin" else namespace, name)
            found.named[key] = f"{kind} {name} ({where}): {limit}" if limit else None
        elif kind == "Middleware":
            limit = _traefik_limit(spec)
            found.named[("Middleware", namespace, name)] = f"Middleware {namespace}/{name} ({where}): {limit}" \
                if limit else None
    return found
