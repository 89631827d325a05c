"""Apply a variable's type constraint to its value, as Terraform does before a module reads it.

Only the part that changes values matters here: ``optional(T, default)`` attributes of an
``object({...})`` are filled in (with the default, else null), inside ``map``, ``list``, ``set``
and ``tuple`` too. Registry modules such as terraform-aws-modules/eks pass whole objects between
modules and read attributes the caller left out; without this those reads would fail.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from linter.sources.terraform.values import is_unknown

if TYPE_CHECKING:
    from linter.sources.terraform.evaluate import Evaluator


def _unwrap(node: Any) -> Any:
    while node.type == "expression" and node.named_child_count == 1:
        node = node.named_children[0]
    if node.type == "collection_value" and node.named_child_count == 1:
        node = node.named_children[0]
    return node


def _call(node: Any) -> tuple[str, list[Any]] | None:
    node = _unwrap(node)
    if node.type != "function_call":
        return None
    args = next((c for c in node.children if c.type == "function_arguments"), None)
    return node.children[0].text.decode(), [c for c in args.children if c.type == "expression"] if args else []


def _object_spec(node: Any) -> list[tuple[str, Any]]:
    node = _unwrap(node)
    if node.type != "object":
        return []
    out = []
    for elem in node.children:
        if elem.type != "object_elem":
            continue
        exprs = [c for c in elem.children if c.type == "expression"]
        key = exprs[0].text.decode().strip().strip('"')
        out.append((key, exprs[-1]))
    return out


def conform(type_node: Any, value: Any, ev: Evaluator) -> Any:
    """``value`` converted to the type written at ``type_node`` (a tree-sitter node); unchanged where the
    type does not change it or cannot be read."""
    if value is None or is_unknown(value) or not hasattr(type_node, "type"):
        return value
    call = _call(type_node)
    if call is None or not call[1]:
        return value
    name, args = call
    if name == "optional":
        return conform(args[0], value, ev)
    if name == "map" and isinstance(value, dict):
        return {k: conform(args[0], v, ev) for k, v in value.items()}
    if name in ("list", "set") and isinstance(value, list):
        return [conform(args[0], v, ev) for v in value]
    if name == "tuple" and isinstance(value, list):
        items = _unwrap(args[0])
        types = [c for c in items.children if c.type == "expression"] if items.type == "tuple" else []
        return [conform(t, v, ev) for t, v in zip(types, value, strict=False)] + value[len(types):]
    if name == "object" and isinstance(value, dict):
        out = dict(value)
        for key, attr_type in _object_spec(args[0]):
            if key in out:
                out[key] = conform(attr_type, out[key], ev)
                continue
            opt = _call(attr_type)
            if opt is not None and opt[0] == "optional" and opt[1]:
                default = None
                if len(opt[1]) > 1:
                    try:
                        default = ev.eval(opt[1][1])
                    except Exception:  # a default Terraform itself would reject: leave it null
                        default = None
                out[key] = conform(opt[1][0], default, ev)
        return out
    return value
