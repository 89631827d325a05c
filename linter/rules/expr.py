"""A small, sandboxed expression language for rule files.

Rules come from strangers' repositories, so they are data: an expression is parsed into a
syntax tree and walked by an interpreter that knows a fixed set of node kinds, reads only
public fields of the fact objects, and calls only the functions listed here. Nothing is
ever passed to ``eval``/``exec``; there is no import, no assignment, no loop, no dunder.

Syntax is a Python-like subset (``and``, ``or``, ``not``, ``in``, comparisons, arithmetic,
``a if c else b``, lists, attribute and index access) with ``true``/``false``/``none``
accepted as in Jinja. Missing facts read as ``none`` and a comparison with ``none`` is
false, so a rule never fires on what is not known.
"""

from __future__ import annotations

import ast
import operator
import re
from collections.abc import Callable
from typing import Any

from linter.model import Record

MAX_EXPRESSION_LENGTH = 4000
_TEMPLATE = re.compile(r"\{\{(.*?)\}\}", re.S)


class ExpressionError(Exception):
    """An expression that is not allowed or cannot be parsed."""


def _money(value: Any) -> str:
    if value is None:
        return "unknown"
    return f"${value:,.2f}"


def _num(value: Any) -> str:
    if value is None:
        return "unknown"
    if isinstance(value, float):
        return f"{value:,.2f}".rstrip("0").rstrip(".") if not value.is_integer() else f"{int(value):,}"
    return f"{value:,}" if isinstance(value, int) else str(value)


def _join(items: Any, sep: str = ", ") -> str:
    return sep.join(str(i) for i in items or [])


def _default(value: Any, fallback: Any) -> Any:
    return fallback if value is None or value == "" else value


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "len": lambda x: len(x) if x is not None else 0,
    "lower": lambda s: s.lower() if isinstance(s, str) else s,
    "upper": lambda s: s.upper() if isinstance(s, str) else s,
    "round": lambda x, n=0: round(x, n) if x is not None else None,
    "min": lambda *a: min(a[0] if len(a) == 1 else a),
    "max": lambda *a: max(a[0] if len(a) == 1 else a),
    "abs": abs,
    "any": lambda xs: any(xs or []),
    "all": lambda xs: all(xs or []),
    "sum": lambda xs: sum(xs or []),
    "money": _money,
    "num": _num,
    "join": _join,
    "default": _default,
    "startswith": lambda s, p: isinstance(s, str) and s.startswith(p),
    "endswith": lambda s, p: isinstance(s, str) and s.endswith(p),
    "contains": lambda s, p: s is not None and p in s,
}

_CONSTANTS = {"true": True, "false": False, "none": None, "null": None, "True": True, "False": False,
              "None": None}

_ALLOWED = (ast.Expression, ast.BoolOp, ast.And, ast.Or, ast.UnaryOp, ast.Not, ast.USub, ast.UAdd, ast.BinOp,
            ast.Add, ast.Sub, ast.Mult, ast.Div, ast.Mod, ast.Compare, ast.Eq, ast.NotEq, ast.Lt, ast.LtE,
            ast.Gt, ast.GtE, ast.In, ast.NotIn, ast.Is, ast.IsNot, ast.Name, ast.Load, ast.Constant, ast.List,
            ast.Tuple, ast.Attribute, ast.Subscript, ast.Call, ast.IfExp, ast.Dict)


def compile_expression(source: str) -> ast.Expression:
    """Parse and vet an expression once; evaluation then walks the vetted tree."""
    if len(source) > MAX_EXPRESSION_LENGTH:
        raise ExpressionError(f"expression longer than {MAX_EXPRESSION_LENGTH} characters")
    try:
        tree = ast.parse(source.strip(), mode="eval")
    except SyntaxError as exc:
        raise ExpressionError(f"syntax error at column {exc.offset}: {exc.msg}") from exc
    for node in ast.walk(tree):
        if not isinstance(node, _ALLOWED):
            raise ExpressionError(f"'{type(node).__name__}' is not allowed in rule expressions")
        if isinstance(node, ast.Attribute) and node.attr.startswith("_"):
            raise ExpressionError(f"private attribute '{node.attr}' is not allowed")
        if isinstance(node, ast.Call) and (not isinstance(node.func, ast.Name) or node.func.id not in FUNCTIONS):
            name = node.func.id if isinstance(node.func, ast.Name) else ast.unparse(node.func)
            raise ExpressionError(f"unknown function '{name}' (allowed: {', '.join(sorted(FUNCTIONS))})")
        if isinstance(node, ast.Call) and node.keywords:
            raise ExpressionError("keyword arguments are not supported")
    return tree


def _attr(obj: Any, name: str) -> Any:
    if obj is None:
        return None
    if isinstance(obj, dict):
        return obj.get(name)
    if isinstance(obj, Record):
        if name in obj.__dataclass_fields__:  # type: ignore[attr-defined]
            return getattr(obj, name)
        prop = getattr(type(obj), name, None)
        if isinstance(prop, property):
            return getattr(obj, name)
        return None
    raise ExpressionError(f"cannot read '.{name}' of {type(obj).__name__}")


def _reader(cls: type, name: str) -> Callable[[Any], Any]:
    """How ``_attr`` reads ``name`` of any object of class ``cls``, decided once per class (C-level callables:
    a rule pass reads about 100,000 attributes on the benchmark corpus)."""
    if issubclass(cls, dict):
        return operator.methodcaller("get", name)
    if issubclass(cls, Record):
        if name in cls.__dataclass_fields__ or isinstance(getattr(cls, name, None), property):  # type: ignore[attr-defined]
            return operator.attrgetter(name)
        return lambda obj: None

    def refuse(obj: Any) -> Any:
        raise ExpressionError(f"cannot read '.{name}' of {type(obj).__name__}")
    return refuse


def _no_reader(obj: Any) -> Any:
    raise AssertionError("no class read yet")  # never called: the first read sets the reader


def _comparison(op: ast.cmpop, left: _Fn, right: _Fn) -> _Fn:
    """``_compare`` for one operator, chosen once: the common ones without its chain of type tests."""
    if isinstance(op, ast.Eq):
        return lambda ctx: bool(left(ctx) == right(ctx))
    if isinstance(op, ast.NotEq):
        return lambda ctx: bool(left(ctx) != right(ctx))
    if isinstance(op, ast.Is):
        return lambda ctx: left(ctx) is right(ctx)
    if isinstance(op, ast.IsNot):
        return lambda ctx: left(ctx) is not right(ctx)
    return lambda ctx: _compare(op, left(ctx), right(ctx))


def _compare(op: ast.cmpop, a: Any, b: Any) -> bool:
    if isinstance(op, ast.Eq):
        return bool(a == b)
    if isinstance(op, ast.NotEq):
        return bool(a != b)
    if isinstance(op, ast.Is):
        return a is b
    if isinstance(op, ast.IsNot):
        return a is not b
    if isinstance(op, (ast.In, ast.NotIn)):
        if b is None:
            return False
        found = a in b
        return found if isinstance(op, ast.In) else not found
    if a is None or b is None:
        return False
    try:
        if isinstance(op, ast.Lt):
            return bool(a < b)
        if isinstance(op, ast.LtE):
            return bool(a <= b)
        if isinstance(op, ast.Gt):
            return bool(a > b)
        return bool(a >= b)
    except TypeError:
        return False


def _binop(op: ast.operator, a: Any, b: Any) -> Any:
    if a is None or b is None:
        return None
    if isinstance(op, ast.Add):
        if isinstance(a, (list, str)) and type(a) is type(b) and len(a) + len(b) <= 100_000:
            return a + b
        return a + b if _numbers(a, b) else None
    if not _numbers(a, b):
        return None
    if isinstance(op, ast.Sub):
        return a - b
    if isinstance(op, ast.Mult):
        return a * b
    if b == 0:
        return None
    return a / b if isinstance(op, ast.Div) else a % b


def _numbers(*values: Any) -> bool:
    return all(isinstance(v, (int, float)) and not isinstance(v, bool) for v in values)


_Fn = Callable[[dict[str, Any]], Any]
# Keyed by the tree itself (AST nodes hash by identity), not id(tree): id() raises an audit event, and the scan's
# audit hook (linter/inputs.py) then ran once per rule per resource.
_BUILT: dict[ast.Expression, _Fn] = {}


def evaluate(tree: ast.Expression, context: dict[str, Any]) -> Any:
    """The value of a vetted tree; each tree is turned once into nested closures (``_build``), so the node
    kinds are decided once, not on every evaluation."""
    built = _BUILT.get(tree)
    if built is None:
        built = _BUILT[tree] = _build(tree.body)
    return built(context)


def _build(node: ast.AST) -> _Fn:
    if isinstance(node, ast.Constant):
        value = node.value
        return lambda ctx: value
    if isinstance(node, ast.Name):
        name = node.id
        if name in _CONSTANTS:
            constant = _CONSTANTS[name]
            return lambda ctx: ctx.get(name, constant)

        def lookup(ctx: dict[str, Any]) -> Any:
            if name in ctx:
                return ctx[name]
            raise ExpressionError(f"unknown name '{name}'")
        return lookup
    if isinstance(node, ast.Attribute):
        inner, attr = _build(node.value), node.attr
        readers: dict[type, Callable[[Any], Any]] = {}  # per class of object: how ``_attr`` reads ``attr``
        last_class: type | None = None  # the class read last, and its reader: almost always the next one's too
        last_reader: Callable[[Any], Any] = _no_reader

        def read(ctx: dict[str, Any]) -> Any:
            nonlocal last_class, last_reader
            obj = inner(ctx)
            if obj is None:
                return None
            cls = obj.__class__
            if cls is not last_class:
                reader = readers.get(cls)
                if reader is None:
                    reader = readers[cls] = _reader(cls, attr)
                last_class, last_reader = cls, reader
            return last_reader(obj)
        return read
    if isinstance(node, ast.BoolOp):
        parts = [_build(v) for v in node.values]
        if isinstance(node.op, ast.And):
            def all_of(ctx: dict[str, Any]) -> Any:
                result: Any = True
                for part in parts:
                    result = part(ctx)
                    if not result:
                        return result
                return result
            return all_of

        def any_of(ctx: dict[str, Any]) -> Any:
            result: Any = False
            for part in parts:
                result = part(ctx)
                if result:
                    return result
            return result
        return any_of
    if isinstance(node, ast.UnaryOp):
        operand, op = _build(node.operand), node.op
        if isinstance(op, ast.Not):
            return lambda ctx: not operand(ctx)
        negate = isinstance(op, ast.USub)

        def sign(ctx: dict[str, Any]) -> Any:
            value = operand(ctx)
            if not _numbers(value):
                return None
            return -value if negate else value
        return sign
    if isinstance(node, ast.Compare):
        left_fn = _build(node.left)
        pairs = [(op, _build(c)) for op, c in zip(node.ops, node.comparators, strict=True)]
        if len(pairs) == 1:
            op, right_fn = pairs[0]
            return _comparison(op, left_fn, right_fn)

        def chain(ctx: dict[str, Any]) -> bool:
            left = left_fn(ctx)
            for op, right_fn in pairs:
                right = right_fn(ctx)
                if not _compare(op, left, right):
                    return False
                left = right
            return True
        return chain
    if isinstance(node, ast.BinOp):
        bop, lhs, rhs = node.op, _build(node.left), _build(node.right)
        return lambda ctx: _binop(bop, lhs(ctx), rhs(ctx))
    if isinstance(node, ast.IfExp):
        test, body, orelse = _build(node.test), _build(node.body), _build(node.orelse)
        return lambda ctx: body(ctx) if test(ctx) else orelse(ctx)
    if isinstance(node, (ast.List, ast.Tuple)):
        if all(isinstance(e, ast.Constant) for e in node.elts):  # ['batch', 'training']: built once, never changed
            constant_list = [e.value for e in node.elts]  # type: ignore[attr-defined]
            return lambda ctx: constant_list
        items = [_build(e) for e in node.elts]
        return lambda ctx: [item(ctx) for item in items]
    if isinstance(node, ast.Dict):
        entries = [(_build(k) if k is not None else None, _build(v)) for k, v in zip(node.keys, node.values,
                                                                                      strict=True)]
        return lambda ctx: {k(ctx) if k is not None else None: v(ctx) for k, v in entries}
    if isinstance(node, ast.Subscript):
        container_fn, key_fn = _build(node.value), _build(node.slice)

        def index(ctx: dict[str, Any]) -> Any:
            container, key = container_fn(ctx), key_fn(ctx)
            if container is None:
                return None
            if isinstance(container, dict):
                return container.get(key)
            if isinstance(container, (list, str)) and isinstance(key, int):
                return container[key] if -len(container) <= key < len(container) else None
            return _attr(container, key) if isinstance(key, str) else None
        return index
    if isinstance(node, ast.Call):
        fname = node.func.id  # type: ignore[attr-defined]
        fn, args = FUNCTIONS[fname], [_build(a) for a in node.args]

        def call(ctx: dict[str, Any]) -> Any:
            values = [a(ctx) for a in args]
            try:
                return fn(*values)
            except (TypeError, ValueError) as exc:
                raise ExpressionError(f"{fname}(): {exc}") from exc
        return call
    kind = type(node).__name__

    def refuse(ctx: dict[str, Any]) -> Any:
        raise ExpressionError(f"'{kind}' is not allowed")
    return refuse


class Template:
    """A message with ``{{ expression }}`` placeholders, compiled once."""

    def __init__(self, source: str) -> None:
        self.parts: list[str | ast.Expression] = []
        pos = 0
        for m in _TEMPLATE.finditer(source):
            self.parts.append(source[pos:m.start()])
            self.parts.append(compile_expression(m.group(1)))
            pos = m.end()
        self.parts.append(source[pos:])

    def render(self, context: dict[str, Any]) -> str:
        out: list[str] = []
        for part in self.parts:
            if isinstance(part, str):
                out.append(part)
            else:
                value = evaluate(part, context)
                out.append(_num(value) if isinstance(value, (int, float)) and not isinstance(value, bool)
                           else "unknown" if value is None else str(value))
        return "".join(out).strip()
