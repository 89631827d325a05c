"""Kustomize patches applied to plain objects: strategic merge (for the lists a workload's cost depends on) and
JSON 6902. Never raises on odd input: a patch that does not apply says why (``PatchError``).

Strategic merge follows the Kubernetes API's ``patchStrategy``/``patchMergeKey`` tags (kubernetes/api
core/v1/types.go): ``containers``, ``initContainers``, ``ephemeralContainers``, ``env``, ``volumes``,
``imagePullSecrets``, ``resourceClaims`` merge by ``name``; ``ports`` of a container by ``containerPort``, of a
Service by ``port``; ``volumeMounts`` by ``mountPath``; ``topologySpreadConstraints`` by ``topologyKey``;
``hostAliases`` by ``ip``. ``tolerations`` carry no patch strategy in the API, so a patch replaces them, as other
lists. ``$patch: delete`` / ``replace`` directives are honoured; other ``$`` directives are dropped.
"""

from __future__ import annotations

import copy
from typing import Any

MERGE_KEYS = {"containers": "name", "initContainers": "name", "ephemeralContainers": "name", "env": "name",
              "volumes": "name", "imagePullSecrets": "name", "resourceClaims": "name", "volumeMounts": "mountPath",
              "topologySpreadConstraints": "topologyKey", "hostAliases": "ip"}
_PORT_KEYS = ("containerPort", "port")  # a container's ports merge by containerPort, a Service's by port


class PatchError(ValueError):
    """A patch that does not apply: the reason, in words."""


def strategic_merge(target: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any] | None:
    """``target`` with ``patch`` merged in (a new object); None when the patch deletes the object."""
    if patch.get("$patch") == "delete":
        return None
    return _merge_map(copy.deepcopy(target), patch)


def _merge_map(base: dict[str, Any], patch: dict[str, Any]) -> dict[str, Any]:
    if patch.get("$patch") == "replace":
        return _clean(patch)  # type: ignore[no-any-return]
    for key, value in patch.items():
        if isinstance(key, str) and key.startswith("$"):
            continue  # $setElementOrder, $retainKeys, $deleteFromPrimitiveList: order and pruning hints
        if value is None:
            base.pop(key, None)  # a null in a merge patch deletes the field
        elif isinstance(value, dict) and isinstance(base.get(key), dict):
            if value.get("$patch") == "delete":
                base.pop(key, None)
            else:
                base[key] = _merge_map(base[key], value)
        elif isinstance(value, list) and isinstance(base.get(key), list):
            base[key] = _merge_list(key, base[key], value)
        elif isinstance(value, dict) and value.get("$patch") == "delete":
            continue
        else:
            base[key] = _clean(value)
    return base


def _merge_key(field: str, items: list[Any]) -> str | None:
    if field == "ports":
        return next((k for k in _PORT_KEYS if any(isinstance(i, dict) and k in i for i in items)), None)
    return MERGE_KEYS.get(field)


def _merge_list(field: str, base: list[Any], patch: list[Any]) -> list[Any]:
    if any(isinstance(i, dict) and i.get("$patch") == "replace" for i in patch):
        return [_clean(i) for i in patch if not (isinstance(i, dict) and "$patch" in i and len(i) == 1)]
    key = _merge_key(field, base + patch)
    if key is None or not all(isinstance(i, dict) for i in patch):
        return [_clean(i) for i in patch]
    out = list(base)
    for item in patch:
        at = next((n for n, b in enumerate(out) if isinstance(b, dict) and b.get(key) == item.get(key)), None)
        if item.get("$patch") == "delete":
            if at is not None:
                out.pop(at)
        elif at is None:
            out.append(_clean(item))
        else:
            out[at] = _merge_map(out[at], item)
    return out


def _clean(value: Any) -> Any:
    """A patch value without directives: what lands in the object."""
    if isinstance(value, dict):
        return {k: _clean(v) for k, v in value.items() if not (isinstance(k, str) and k.startswith("$"))}
    if isinstance(value, list):
        return [_clean(v) for v in value]
    return value


# -- JSON 6902 ---------------------------------------------------------------------------------------------------
def json6902(target: dict[str, Any], ops: list[Any]) -> dict[str, Any]:
    """``target`` with the RFC 6902 operations applied (a new object)."""
    doc = copy.deepcopy(target)
    for op in ops:
        if not isinstance(op, dict) or not isinstance(op.get("op"), str) or not isinstance(op.get("path"), str):
            raise PatchError(f"not a JSON 6902 operation: {op!r}")
        kind, path = op["op"], op["path"]
        if kind in ("add", "replace"):
            if "value" not in op:
                raise PatchError(f"{kind} {path} has no value")
            _set(doc, path, copy.deepcopy(op["value"]), insert=kind == "add")
        elif kind == "remove":
            _remove(doc, path)
        elif kind in ("copy", "move"):
            value = copy.deepcopy(_get(doc, str(op.get("from", ""))))
            if kind == "move":
                _remove(doc, str(op.get("from", "")))
            _set(doc, path, value, insert=True)
        elif kind == "test":
            if _get(doc, path) != op.get("value"):
                raise PatchError(f"test {path} failed")
        else:
            raise PatchError(f"unknown JSON 6902 operation {kind!r}")
    return doc


def _tokens(path: str) -> list[str]:
    if path == "":
        return []
    if not path.startswith("/"):
        raise PatchError(f"JSON pointer {path!r} does not start with /")
    return [t.replace("~1", "/").replace("~0", "~") for t in path[1:].split("/")]


def _step(node: Any, token: str, path: str) -> Any:
    if isinstance(node, dict) and token in node:
        return node[token]
    if isinstance(node, list) and token.isdigit() and int(token) < len(node):
        return node[int(token)]
    raise PatchError(f"{path} does not exist in the object")


def _get(doc: Any, path: str) -> Any:
    node = doc
    for token in _tokens(path):
        node = _step(node, token, path)
    return node


def _parent(doc: Any, path: str) -> tuple[Any, str]:
    tokens = _tokens(path)
    if not tokens:
        raise PatchError("a patch of the whole object is not supported")
    node = doc
    for token in tokens[:-1]:
        node = _step(node, token, path)
    return node, tokens[-1]


def _set(doc: Any, path: str, value: Any, insert: bool) -> None:
    node, last = _parent(doc, path)
    if isinstance(node, dict):
        if not insert and last not in node:
            raise PatchError(f"replace {path}: no such field")
        node[last] = value
    elif isinstance(node, list):
        if last == "-" and insert:
            node.append(value)
        elif last.isdigit() and int(last) <= len(node) - (0 if insert else 1):
            if insert:
                node.insert(int(last), value)
            else:
                node[int(last)] = value
        else:
            raise PatchError(f"{path}: index out of range")
    else:
        raise PatchError(f"{path}: parent is not an object or a list")


def _remove(doc: Any, path: str) -> None:
    node, last = _parent(doc, path)
    if isinstance(node, dict) and last in node:
        del node[last]
    elif isinstance(node, list) and last.isdigit() and int(last) < len(node):
        node.pop(int(last))
    else:
        raise PatchError(f"remove {path}: no such field")
