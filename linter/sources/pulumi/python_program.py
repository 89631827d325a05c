"""Pulumi Python programs read as syntax trees (``ast``), never executed.

What is followed: imports of the provider SDKs under any alias (``import pulumi_aws as aws``, ``from
pulumi_aws import ec2``, ``from pulumi_aws.ec2 import Instance``), resource constructors with keyword
arguments or an ``args=...Args(...)`` object, module-level constants, dicts and simple expressions
(arithmetic, f-strings, ``{**a, **b}``, subscripts), ``pulumi.Config()`` reads (``get``/``get_int``/
``require``..., with ``or "default"``) against the stack config, ``for`` loops over literal lists, ranges
and dicts, ``if`` on known values, and functions defined in the program and called with known arguments.
``Output.all(...)``/``.apply(...)`` are unknown but keep the resources they are made of (a Kubernetes provider's
kubeconfig names its cluster).
What is not: anything only known when the program runs stays ``Unknown`` with the reason, and constructs
the reader cannot follow are reported once per place, never guessed. ``--pulumi-execute`` runs the program
under Pulumi's mock runtime instead.
"""

from __future__ import annotations

import ast
import os
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.model import ScanError, Skipped
from linter.records import record
from linter.sources.pulumi.project import Project, PulumiResource
from linter.sources.pulumi.types import raw_address, snake, unknown_output
from linter.sources.terraform.values import Unknown, contains_unknown, is_unknown, to_str, unknowns_in

PACKAGES = {"pulumi_aws": "aws", "pulumi_gcp": "gcp", "pulumi_azure": "azure", "pulumi_azure_native": "azure-native",
            "pulumi_kubernetes": "kubernetes"}
# pulumi_kubernetes Python modules -> API groups
K8S_GROUPS = {"core": "core", "apps": "apps", "batch": "batch", "autoscaling": "autoscaling",
              "networking": "networking.k8s.io", "policy": "policy", "rbac": "rbac.authorization.k8s.io",
              "storage": "storage.k8s.io", "scheduling": "scheduling.k8s.io", "node": "node.k8s.io"}
_MAX_CALL_DEPTH = 8
_MAX_LOOP = 1000


@record(frozen=True)
class Module:
    path: str  # dotted import path, e.g. pulumi_aws.ec2


@record(frozen=True)
class ClassRef:
    path: str  # dotted, e.g. pulumi_aws.ec2.Instance


@record
class ResourceRef:
    token: str
    name: str
    values: dict[str, Any]

    @property
    def address(self) -> str:
        return raw_address(self.token, self.name)


_PROPERTY = ("property", "cached_property")
_CACHED = ("cache", "lru_cache", "cached_property")


def decorators(node: ast.FunctionDef | ast.ClassDef) -> set[str]:
    """Decorator names without their module or call: ``@functools.lru_cache(maxsize=1)`` -> ``lru_cache``."""
    names = set()
    for d in node.decorator_list:
        d = d.func if isinstance(d, ast.Call) else d
        names.add(d.attr if isinstance(d, ast.Attribute) else getattr(d, "id", ""))
    return names


@record
class LocalClass:
    """A class the program defines (a ComponentResource, an args class): constructing it runs its
    ``__init__`` with the reader, so the resources it creates are read; reading one of its properties runs
    the property, as a component that builds its resources lazily (``@property @cache``) does."""

    node: ast.ClassDef
    scope: dict[str, Any]
    file: str = ""
    bases: list[Any] = field(default_factory=list)  # base classes as read: LocalClass, ClassRef or Unknown

    def method(self, name: str) -> ast.FunctionDef | None:
        own = next((n for n in self.node.body if isinstance(n, ast.FunctionDef) and n.name == name), None)
        if own is not None:
            return own
        return next((m for b in self.bases if isinstance(b, LocalClass) and (m := b.method(name)) is not None),
                    None)

    def owner(self, name: str) -> LocalClass:
        """The class (this one or a local base) that defines method ``name``: its scope and file are the method's."""
        if any(isinstance(n, ast.FunctionDef) and n.name == name for n in self.node.body):
            return self
        return next((b.owner(name) for b in self.bases if isinstance(b, LocalClass) and b.method(name)), self)

    def members(self) -> list[ast.FunctionDef]:
        """Methods and properties of the class and its local bases, the class's own first."""
        own = [n for n in self.node.body if isinstance(n, ast.FunctionDef)]
        names = {n.name for n in own}
        inherited = [m for b in self.bases if isinstance(b, LocalClass) for m in b.members() if m.name not in names]
        return own + inherited

    @property
    def is_dataclass(self) -> bool:
        return "dataclass" in decorators(self.node)

    def fields(self) -> list[tuple[LocalClass, ast.AnnAssign]]:
        """Dataclass fields in order, local bases' first (annotated class attributes that are not ClassVar), each
        with the class whose scope its default is read in."""
        inherited = [f for b in self.bases if isinstance(b, LocalClass) for f in b.fields()]
        own = [(self, n) for n in self.node.body if isinstance(n, ast.AnnAssign) and isinstance(n.target, ast.Name)
               and "ClassVar" not in ast.unparse(n.annotation)]
        names = {n.target.id for _, n in own}  # type: ignore[attr-defined]
        return [(c, f) for c, f in inherited if f.target.id not in names] + own  # type: ignore[attr-defined]


@record(eq=False)
class LocalInstance:
    cls: LocalClass
    attrs: dict[str, Any] = field(default_factory=dict)
    ran: set[str] = field(default_factory=set)  # methods and properties the reader ran on this instance
    cached: dict[str, Any] = field(default_factory=dict)  # results of @cache/@cached_property members
    escaped: str = ""  # the call not read statically that was given this instance, if any


@record
class LocalModule:
    scope: dict[str, Any]  # a program module of the project, already read


@record
class ConfigRef:
    namespace: str | None


@record
class Options:
    provider: str | None = None


@record
class Function:
    node: ast.FunctionDef
    scope: dict[str, Any]
    file: str = ""  # display path of the file that defines it: resources it creates are declared there


class _Return(Exception):
    def __init__(self, value: Any) -> None:
        self.value = value


def token_of(path: str) -> str | None:
    """``pulumi_aws.ec2.Instance`` -> ``aws:ec2:Instance``; Kubernetes -> ``kubernetes:apps/v1:Deployment``;
    ``pulumi_aws.Provider`` -> ``pulumi:providers:aws``; None for other classes."""
    parts = path.split(".")
    package = PACKAGES.get(parts[0])
    if package is None and parts[0].startswith("pulumi_") and len(parts) >= 2:
        package = parts[0][len("pulumi_"):].replace("_", "-")  # another provider or a component package (awsx)
    if package is None or len(parts) < 2:
        return None
    name = parts[-1]
    if name == "Provider":
        return f"pulumi:providers:{package}"
    if package == "kubernetes":
        if len(parts) == 4:
            group = K8S_GROUPS.get(parts[1], parts[1])
            return f"kubernetes:{group}/{parts[2]}:{name}"
        return None
    module = parts[1] if len(parts) >= 3 else "index"
    return f"{package}:{module}:{name}"


@record
class Reader:
    project: Project
    file: str  # display path
    errors: list[ScanError]
    skipped: list[Skipped]
    resources: list[PulumiResource] = field(default_factory=list)
    depth: int = 0
    noted: set[tuple[int, str]] = field(default_factory=set)
    instances: list[LocalInstance] = field(default_factory=list)
    unread_attrs: dict[str, str] = field(default_factory=dict)  # attribute read in code not followed -> where
    modules: ProgramModules | None = None  # the program's own modules and packages, read when first imported
    package: str = ""  # the package of the module being read ("" for __main__ and top-level modules)

    def note(self, node: ast.AST, message: str) -> None:
        line = getattr(node, "lineno", 1)
        if (line, message) not in self.noted:
            self.noted.add((line, message))
            self.skipped.append(Skipped(file=self.file, line=line, reason=message))

    def unread(self, node: ast.AST, where: str) -> None:
        """Remember the attributes that code the reader does not follow (a lambda, a while loop) reads: a
        component's property or method among them may run there, so ``finish`` reads it and says so."""
        for n in ast.walk(node):
            if isinstance(n, ast.Attribute):
                self.unread_attrs.setdefault(n.attr, f"{where} at line {getattr(node, 'lineno', 1)}")

    # -- statements --------------------------------------------------------------------
    def import_from(self, stmt: ast.ImportFrom, scope: dict[str, Any]) -> None:
        """``from m import x`` / ``from .m import *``: names of a program module (a submodule when the package
        does not define the name), else a third-party module's classes and modules as references."""
        modules = self.modules
        base = modules.absolute(stmt.module, stmt.level, self.package) if modules else stmt.module
        local: dict[str, Any] | None = None
        if modules is not None and base is not None:
            local = {} if base == "" else modules.load(base, self)  # "": the project directory (``from . import``)
        for alias in stmt.names:
            if local is not None and alias.name == "*":
                names = local.get("__all__")
                public = [n for n in names if isinstance(n, str)] if isinstance(names, (list, tuple)) else \
                    [n for n in local if not n.startswith("_")]
                scope.update({n: local[n] for n in public if n in local})
                for n in public if isinstance(names, (list, tuple)) and modules is not None and base else ():
                    if n not in local:  # a submodule the package lists in __all__: ``*`` imports it, as Python does
                        sub = modules.load(f"{base}.{n}", self)
                        if sub is not None:
                            scope[n] = LocalModule(sub)
            elif local is not None:
                value = local.get(alias.name)
                if value is None and modules is not None:
                    sub = modules.load(f"{base}.{alias.name}" if base else alias.name, self)
                    value = LocalModule(sub) if sub is not None else None
                scope[alias.asname or alias.name] = value if value is not None else \
                    Unknown(f"{base}.{alias.name} not read")
            elif stmt.level:  # a relative import the reader cannot find: no third-party module to name
                scope[alias.asname or alias.name] = Unknown(f"{'.' * stmt.level}{stmt.module or ''} not found in "
                                                           "the project")
            else:
                target = f"{stmt.module or ''}.{alias.name}"
                scope[alias.asname or alias.name] = ClassRef(target) if alias.name[:1].isupper() else Module(target)

    def run(self, body: list[ast.stmt], scope: dict[str, Any]) -> None:
        for stmt in body:
            self.statement(stmt, scope)

    def statement(self, stmt: ast.stmt, scope: dict[str, Any]) -> None:
        if isinstance(stmt, ast.Import):
            for alias in stmt.names:
                local = self.modules.load(alias.name, self) if self.modules else None
                if local is not None:  # ``import a.b`` binds ``a``, whose scope holds ``b`` once it is read
                    top = alias.name if alias.asname else alias.name.split(".")[0]
                    scope[alias.asname or top] = LocalModule(local if alias.asname else self.modules.scope(top))
                elif alias.asname:
                    scope[alias.asname] = Module(alias.name)
                else:
                    scope[alias.name.split(".")[0]] = Module(alias.name.split(".")[0])
        elif isinstance(stmt, ast.ImportFrom):
            self.import_from(stmt, scope)
        elif isinstance(stmt, ast.Assign):
            value = self.expr(stmt.value, scope)
            for target in stmt.targets:
                self.bind(target, value, scope)
        elif isinstance(stmt, ast.AnnAssign) and stmt.value is not None:
            self.bind(stmt.target, self.expr(stmt.value, scope), scope)
        elif isinstance(stmt, ast.AugAssign) and isinstance(stmt.target, ast.Name):
            left = scope.get(stmt.target.id, Unknown(f"{stmt.target.id} is not defined"))
            scope[stmt.target.id] = self.binop(stmt.op, left, self.expr(stmt.value, scope), stmt)
        elif isinstance(stmt, ast.Expr):
            self.expr(stmt.value, scope)
        elif isinstance(stmt, ast.For):
            self.loop(stmt, scope)
        elif isinstance(stmt, ast.If):
            test = self.expr(stmt.test, scope)
            if is_unknown(test):
                self.note(stmt, f"condition not known statically ({test.reason}); both branches read")
                self.run(stmt.body, scope)
                self.run(stmt.orelse, scope)
            else:
                self.run(stmt.body if test else stmt.orelse, scope)
        elif isinstance(stmt, (ast.With, ast.Try)):
            self.run(stmt.body, scope)
        elif isinstance(stmt, ast.FunctionDef):
            scope[stmt.name] = Function(stmt, scope, self.file)
        elif isinstance(stmt, ast.ClassDef):
            scope[stmt.name] = LocalClass(stmt, scope, self.file, [self.expr(b, scope) for b in stmt.bases])
        elif isinstance(stmt, ast.Return):
            raise _Return(self.expr(stmt.value, scope) if stmt.value is not None else None)
        elif isinstance(stmt, ast.While):
            self.note(stmt, "while loop not read statically (use --pulumi-execute)")
            self.unread(stmt, "a while loop")

    def bind(self, target: ast.expr, value: Any, scope: dict[str, Any]) -> None:
        if isinstance(target, ast.Name):
            scope[target.id] = value
        elif isinstance(target, (ast.Tuple, ast.List)):
            items = value if isinstance(value, (list, tuple)) and len(value) == len(target.elts) else None
            for i, elt in enumerate(target.elts):
                self.bind(elt, items[i] if items is not None else Unknown("unpacked from an unknown value"), scope)
        elif isinstance(target, ast.Attribute):
            owner = self.expr(target.value, scope)
            if isinstance(owner, LocalInstance):
                owner.attrs[target.attr] = value
        elif isinstance(target, ast.Subscript) and isinstance(target.value, ast.Name):
            container = scope.get(target.value.id)
            key = self.expr(target.slice, scope)
            if isinstance(container, dict) and not is_unknown(key):
                container[key] = value

    def loop(self, stmt: ast.For, scope: dict[str, Any]) -> None:
        items = self.expr(stmt.iter, scope)
        if isinstance(items, dict):
            items = list(items)
        if is_unknown(items) or not isinstance(items, (list, tuple)):
            reason = items.reason if is_unknown(items) else "not a list"
            self.note(stmt, f"for loop over a value not known statically ({reason}); its resources are not read "
                      "(use --pulumi-execute)")
            self.unread(stmt, "a for loop not read")
            return
        for item in list(items)[:_MAX_LOOP]:
            self.bind(stmt.target, item, scope)
            self.run(stmt.body, scope)

    # -- expressions -------------------------------------------------------------------
    def expr(self, node: ast.expr | None, scope: dict[str, Any]) -> Any:
        if node is None:
            return None
        if isinstance(node, ast.Constant):
            return node.value
        if isinstance(node, ast.Name):
            if node.id in scope:
                return scope[node.id]
            return {"True": True, "False": False, "None": None}.get(
                node.id, Unknown(f"{node.id} is not defined statically"))
        if isinstance(node, ast.Attribute):
            return self.attribute(self.expr(node.value, scope), node.attr, node)
        if isinstance(node, ast.Subscript):
            return self.subscript(self.expr(node.value, scope), self.expr(node.slice, scope))
        if isinstance(node, (ast.List, ast.Tuple, ast.Set)):
            out: list[Any] = []
            for elt in node.elts:
                if isinstance(elt, ast.Starred):
                    inner = self.expr(elt.value, scope)
                    if isinstance(inner, (list, tuple)):
                        out.extend(inner)
                    else:
                        return Unknown("list unpacks an unknown value")
                else:
                    out.append(self.expr(elt, scope))
            return out
        if isinstance(node, ast.Dict):
            result: dict[Any, Any] = {}
            for key, value in zip(node.keys, node.values, strict=True):
                if key is None:
                    inner = self.expr(value, scope)
                    if not isinstance(inner, dict):
                        return Unknown("dict unpacks an unknown value")
                    result.update(inner)
                else:
                    k = self.expr(key, scope)
                    if is_unknown(k):
                        return Unknown("dict key not known statically")
                    result[k] = self.expr(value, scope)
            return result
        if isinstance(node, ast.JoinedStr):
            parts = []
            for piece in node.values:
                value = self.expr(piece.value, scope) if isinstance(piece, ast.FormattedValue) else \
                    self.expr(piece, scope)
                if is_unknown(value) or isinstance(value, (ResourceRef, Module, ClassRef, LocalInstance, LocalClass)):
                    return value if is_unknown(value) else Unknown("f-string of a resource")
                parts.append(value if isinstance(value, str) else to_str(value))
            return "".join(parts)
        if isinstance(node, ast.BinOp):
            return self.binop(node.op, self.expr(node.left, scope), self.expr(node.right, scope), node)
        if isinstance(node, ast.BoolOp):
            value: Any = None
            for operand in node.values:
                value = self.expr(operand, scope)
                if is_unknown(value):
                    return value
                if isinstance(node.op, ast.Or) and value:
                    return value
                if isinstance(node.op, ast.And) and not value:
                    return value
            return value
        if isinstance(node, ast.UnaryOp):
            value = self.expr(node.operand, scope)
            if is_unknown(value):
                return value
            try:
                return {ast.Not: lambda v: not v, ast.USub: lambda v: -v, ast.UAdd: lambda v: +v}[
                    type(node.op)](value)
            except (KeyError, TypeError):
                return Unknown("unary operation not read")
        if isinstance(node, ast.IfExp):
            test = self.expr(node.test, scope)
            if is_unknown(test):
                return test
            return self.expr(node.body if test else node.orelse, scope)
        if isinstance(node, ast.Compare):
            return self.compare(node, scope)
        if isinstance(node, ast.Call):
            return self.call(node, scope)
        if isinstance(node, ast.ListComp) and len(node.generators) == 1 and not node.generators[0].ifs:
            gen = node.generators[0]
            items = self.expr(gen.iter, scope)
            if not isinstance(items, (list, tuple, dict)):
                self.unread(node, "a comprehension not read")
                return Unknown("comprehension over an unknown value")
            out = []
            for item in list(items)[:_MAX_LOOP]:
                inner = dict(scope)
                self.bind(gen.target, item, inner)
                out.append(self.expr(node.elt, inner))
            return out
        if isinstance(node, ast.Lambda):
            self.unread(node.body, "a lambda")
            return Unknown("a lambda (runs at deployment)")
        return Unknown(f"{type(node).__name__} expression not read statically")

    def binop(self, op: ast.operator, left: Any, right: Any, node: ast.AST) -> Any:
        if is_unknown(left) or is_unknown(right):
            return left if is_unknown(left) else right
        try:
            if isinstance(op, ast.Add):
                return left + right
            if isinstance(op, ast.Sub):
                return left - right
            if isinstance(op, ast.Mult):
                return left * right
            if isinstance(op, ast.Div):
                return left / right
            if isinstance(op, ast.FloorDiv):
                return left // right
            if isinstance(op, ast.Mod):
                return left % right
            if isinstance(op, ast.BitOr) and isinstance(left, dict) and isinstance(right, dict):
                return {**left, **right}
        except (TypeError, ValueError, ZeroDivisionError, OverflowError):
            pass
        return Unknown(f"{type(op).__name__} of values not read statically")

    def compare(self, node: ast.Compare, scope: dict[str, Any]) -> Any:
        left = self.expr(node.left, scope)
        for op, comparator in zip(node.ops, node.comparators, strict=True):
            right = self.expr(comparator, scope)
            if is_unknown(left) or is_unknown(right) or contains_unknown(right):
                return Unknown("comparison of values not known statically")
            try:
                ok = {ast.Eq: lambda a, b: a == b, ast.NotEq: lambda a, b: a != b, ast.Lt: lambda a, b: a < b,
                      ast.LtE: lambda a, b: a <= b, ast.Gt: lambda a, b: a > b, ast.GtE: lambda a, b: a >= b,
                      ast.In: lambda a, b: a in b, ast.NotIn: lambda a, b: a not in b,
                      ast.Is: lambda a, b: a is b, ast.IsNot: lambda a, b: a is not b}[type(op)](left, right)
            except (KeyError, TypeError):
                return Unknown("comparison not read")
            if not ok:
                return False
            left = right
        return True

    def attribute(self, base: Any, attr: str, node: ast.AST | None = None) -> Any:
        if isinstance(base, Module):
            path = f"{base.path}.{attr}"
            return ClassRef(path) if attr[:1].isupper() else Module(path)
        if isinstance(base, LocalModule):
            return base.scope.get(attr, Unknown(f"{attr} is not defined statically"))
        if isinstance(base, LocalInstance):
            if attr in base.attrs:
                return base.attrs[attr]
            method = base.cls.method(attr)
            if method is not None and decorators(method) & set(_PROPERTY):
                return self.run_method(base, base.cls, attr, [], {}, node or method)
            if method is not None:
                return ("bound", attr, base)
            return Unknown(f"{base.cls.node.name}.{attr} is not known statically")
        if isinstance(base, ResourceRef):
            key = snake(attr)
            if key in base.values and attr not in ("id", "arn", "urn") and not contains_unknown(base.values[key]):
                return base.values[key]
            return unknown_output(base.address, attr)
        if isinstance(base, (dict, str, list, ConfigRef)):
            return ("method", base, attr)
        if isinstance(base, ClassRef) and base.path.startswith("pulumi.") and base.path.endswith(".Output"):
            return Module(f"{base.path}.{attr}")  # Output.all, Output.concat...: read as pulumi.output()
        if is_unknown(base):
            return base
        return Unknown(f".{attr} of a value not read statically")

    def subscript(self, base: Any, key: Any) -> Any:
        if is_unknown(base):
            return base
        if is_unknown(key):
            return key
        try:
            if isinstance(key, slice) or not isinstance(base, (dict, list, tuple, str)):
                raise TypeError
            return base[key]
        except (KeyError, IndexError, TypeError):
            return Unknown("subscript not known statically")

    # -- calls -------------------------------------------------------------------------
    def call(self, node: ast.Call, scope: dict[str, Any]) -> Any:
        func = self.expr(node.func, scope) if not _is_super_init(node) else None
        args = []
        for a in node.args:
            if isinstance(a, ast.Starred):
                inner = self.expr(a.value, scope)
                if not isinstance(inner, (list, tuple)):
                    return Unknown("call with *args of an unknown value")
                args.extend(inner)
            else:
                args.append(self.expr(a, scope))
        kwargs: dict[str, Any] = {}
        for kw in node.keywords:
            value = self.expr(kw.value, scope)
            if kw.arg is None:
                if not isinstance(value, dict):
                    return Unknown("call with **kwargs of an unknown value")
                kwargs.update(value)
            else:
                kwargs[kw.arg] = value
        if func is None and isinstance(scope.get("__self__"), LocalInstance):
            return self.super_init(scope["__self__"], scope["__class__"], args, kwargs, node)
        if isinstance(func, ClassRef):
            return self.construct(func, args, kwargs, node)
        if isinstance(func, LocalClass):
            instance = LocalInstance(func)
            self.instances.append(instance)
            if func.method("__init__") is not None:
                self.run_method(instance, func, "__init__", args, kwargs, node)
            elif func.is_dataclass:
                self.dataclass_init(instance, args, kwargs, node)
            return instance
        if isinstance(func, tuple) and func and func[0] == "bound":
            return self.run_method(func[2], func[2].cls, func[1], args, kwargs, node)
        if isinstance(func, tuple) and func and func[0] == "method":
            return self.method(func[1], func[2], args, kwargs)
        if isinstance(func, Function):
            return self.invoke(func, args, kwargs, node)
        if is_unknown(func) and isinstance(node.func, ast.Attribute) and node.func.attr == "apply":
            self.escapes(node, args, kwargs)
            return Unknown(func.reason, _refs(func, args, kwargs))  # known at deployment from the same resources
        if isinstance(func, Module):
            if not func.path.endswith((".export", ".log.info")):
                self.escapes(node, args, kwargs)
            return self.module_call(func, args, kwargs, node)
        builtin = {"str": lambda *a: to_str(a[0]) if a else "", "int": int, "float": float, "len": len,
                   "range": lambda *a: list(range(*a)), "dict": dict, "list": list, "sorted": sorted,
                   "min": min, "max": max, "round": round, "bool": bool,
                   "enumerate": lambda *a: [list(t) for t in enumerate(*a)],
                   "zip": lambda *a: [list(t) for t in zip(*a, strict=False)]}
        if isinstance(node.func, ast.Name) and node.func.id in builtin and node.func.id not in scope:
            if any(contains_unknown(a) for a in args) or any(contains_unknown(v) for v in kwargs.values()):
                return Unknown(f"{node.func.id}() of unknown values")
            try:
                return builtin[node.func.id](*args, **kwargs)
            except (TypeError, ValueError):
                return Unknown(f"{node.func.id}() not read")
        self.escapes(node, args, kwargs)
        return Unknown(f"call to {ast.unparse(node.func)}() not read statically")

    def escapes(self, node: ast.Call, args: list[Any], kwargs: dict[str, Any]) -> None:
        """A component given to code the reader does not follow may have any of its members run there."""
        for value in [*args, *kwargs.values()]:
            if isinstance(value, LocalInstance) and not value.escaped:
                value.escaped = f"{ast.unparse(node.func)}() at line {node.lineno}"

    def module_call(self, func: Module, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
        path = func.path
        if path.endswith(".export") or path.endswith(".log.info"):
            return None
        if path.startswith("pulumi.") and path.split(".")[1] in ("Output", "output"):
            # keeps the resources it is made of: a Kubernetes provider's kubeconfig still names its cluster
            return Unknown("an Output (known at deployment)", _refs(*args, *kwargs.values()))
        return Unknown(f"{path}() is evaluated at deployment")

    def method(self, base: Any, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        if isinstance(base, ConfigRef):
            return self.config(base, name, args, kwargs)
        if contains_unknown(args):
            return Unknown(f".{name}() of unknown values")
        try:
            if isinstance(base, dict):
                if name == "get":
                    return base.get(*args)
                if name in ("items", "keys", "values"):
                    return [list(t) if isinstance(t, tuple) else t for t in getattr(base, name)()]
                if name == "copy":
                    return dict(base)
                if name == "update" and args and isinstance(args[0], dict):
                    base.update(args[0], **kwargs)
                    return None
            if isinstance(base, str) and name in ("format", "lower", "upper", "replace", "strip", "join", "split",
                                                  "startswith", "endswith"):
                return getattr(base, name)(*args, **kwargs)
            if isinstance(base, list) and name in ("append", "extend"):
                getattr(base, name)(*args)
                return None
        except (TypeError, ValueError, KeyError):
            pass
        return Unknown(f".{name}() not read statically")

    def config(self, cfg: ConfigRef, name: str, args: list[Any], kwargs: dict[str, Any]) -> Any:
        key = args[0] if args else kwargs.get("key")
        if not isinstance(key, str):
            return Unknown("config key not known statically")
        value = self.project.value(key, cfg.namespace)
        required = name.startswith("require")
        if value is None:
            default = args[1] if len(args) > 1 else kwargs.get("default")
            if default is not None:
                return default
            return self.project.missing(key) if required else None
        if is_unknown(value):
            return value
        kind = name.split("_", 1)[1] if "_" in name else ""
        try:
            if kind == "int":
                return int(value)
            if kind == "float":
                return float(value)
            if kind == "bool":
                return value if isinstance(value, bool) else str(value).lower() == "true"
            if kind == "object" and isinstance(value, str):
                import json

                return json.loads(value)
        except (TypeError, ValueError):
            return Unknown(f"config '{key}' is not a {kind}")
        return value

    def invoke(self, func: Function, args: list[Any], kwargs: dict[str, Any], node: ast.AST,
               bound: tuple[LocalInstance, LocalClass] | None = None) -> Any:
        if self.depth >= _MAX_CALL_DEPTH:
            self.note(node, f"call to {func.node.name}() nested too deep; not read")
            self.unread(func.node, f"{func.node.name}() not read")
            return Unknown(f"{func.node.name}() not read")
        local = dict(func.scope)
        if bound is not None:  # a method: super() needs the instance and the class that defines the method
            local["__self__"], local["__class__"] = bound
        params = func.node.args
        positional = [*params.posonlyargs, *params.args]
        defaults = params.defaults
        for i, p in enumerate(positional):
            if i < len(args):
                local[p.arg] = args[i]
            elif p.arg in kwargs:
                local[p.arg] = kwargs[p.arg]
            else:
                d = len(positional) - len(defaults)
                local[p.arg] = self.expr(defaults[i - d], func.scope) if i >= d else \
                    Unknown(f"argument {p.arg} not given")
        for p, d in zip(params.kwonlyargs, params.kw_defaults, strict=True):
            local[p.arg] = kwargs.get(p.arg, self.expr(d, func.scope) if d is not None else None)
        self.depth += 1
        saved, self.file = self.file, func.file or self.file
        try:
            self.run(func.node.body, local)
        except _Return as ret:
            return ret.value
        finally:
            self.depth -= 1
            self.file = saved
        return None

    def run_method(self, instance: LocalInstance, cls: LocalClass, name: str, args: list[Any],
                   kwargs: dict[str, Any], node: ast.AST) -> Any:
        """Run method or property ``name`` (looked up from ``cls``) on ``instance``. ``@cache``/``@lru_cache``/
        ``@cached_property`` members run once per instance and arguments, as in Python: a component that reads
        ``self.api`` in five properties creates one RestApi."""
        owner = cls.owner(name)
        fn = owner.method(name)
        if fn is None:
            return Unknown(f"{cls.node.name}.{name} is not defined statically")
        key = f"{owner.node.name}.{name}{(args, sorted(kwargs.items()))!r}"
        cached = bool(decorators(fn) & set(_CACHED))
        if cached and key in instance.cached:
            return instance.cached[key]
        instance.ran.add(name)
        value = self.invoke(Function(fn, owner.scope, owner.file), [instance, *args], kwargs, node, (instance, owner))
        if cached:
            instance.cached[key] = value
        return value

    def super_init(self, instance: LocalInstance, cls: LocalClass, args: list[Any], kwargs: dict[str, Any],
                   node: ast.Call) -> Any:
        """``super().__init__(...)`` in a method of ``cls``: a local base's ``__init__`` runs on the instance, and
        Pulumi's ``ComponentResource(t, name, ...)`` sets ``self._name``, by which components name their
        children."""
        for base in cls.bases:
            if isinstance(base, LocalClass) and base.method("__init__") is not None:
                return self.run_method(instance, base, "__init__", args, kwargs, node)
            if isinstance(base, ClassRef) and base.path.rsplit(".", 1)[-1] == "ComponentResource":
                name = args[1] if len(args) > 1 else kwargs.get("name", Unknown("component name not given"))
                instance.attrs.setdefault("_name", name)
        return None

    def dataclass_init(self, instance: LocalInstance, args: list[Any], kwargs: dict[str, Any],
                       node: ast.Call) -> None:
        """A ``@dataclass``'s generated ``__init__``: each field from the positional then keyword arguments, else
        its default (``= value``, ``field(default=...)``, ``field(default_factory=...)``), then ``__post_init__``."""
        cls = instance.cls
        for i, (owner, f) in enumerate(cls.fields()):
            name = f.target.id  # type: ignore[attr-defined]
            if i < len(args):
                instance.attrs[name] = args[i]
            elif name in kwargs:
                instance.attrs[name] = kwargs[name]
            else:
                instance.attrs[name] = self.field_default(owner, f)
        if cls.method("__post_init__") is not None:
            self.run_method(instance, cls, "__post_init__", [], {}, node)

    def field_default(self, cls: LocalClass, f: ast.AnnAssign) -> Any:
        name = f"{cls.node.name}.{f.target.id}"  # type: ignore[attr-defined]
        value = f.value
        if isinstance(value, ast.Call) and ast.unparse(value.func).rsplit(".", 1)[-1] == "field":
            given = {k.arg: k.value for k in value.keywords}
            if "default" in given:
                value = given["default"]
            elif "default_factory" in given:
                value = ast.copy_location(ast.Call(func=given["default_factory"], args=[], keywords=[]), value)
            else:
                value = None
        if value is None:
            return Unknown(f"{name} is not given and has no default")
        return self.expr(value, cls.scope)

    def finish(self) -> None:
        """Members of the program's components that the read never ran, but that code it cannot follow may run
        (a lambda, a loop over unknown values, a call not read that was given the component): read them, and say
        so, as an ``if`` on an unknown condition reads both branches. A member nothing reads is never run."""
        progress = True
        while progress:
            progress = False
            for instance in list(self.instances):
                for fn in instance.cls.members():
                    if fn.name in instance.ran or fn.name.startswith("__"):
                        continue
                    if instance.escaped:
                        why = f"the component is given to {instance.escaped}, not read"
                    elif fn.name in self.unread_attrs:
                        why = f"read in {self.unread_attrs[fn.name]}, not followed"
                    else:
                        continue
                    owner = instance.cls.owner(fn.name)
                    saved, self.file = self.file, owner.file or self.file
                    self.note(fn, f"{owner.node.name}.{fn.name}: not known statically whether it runs ({why}); read")
                    self.file = saved
                    self.run_method(instance, instance.cls, fn.name, [], {}, fn)
                    progress = True

    def construct(self, cls: ClassRef, args: list[Any], kwargs: dict[str, Any], node: ast.Call) -> Any:
        path = cls.path
        short = path.rsplit(".", 1)[-1]
        if path in ("pulumi.Config",) or (short == "Config" and path.startswith("pulumi.")):
            namespace = args[0] if args else kwargs.get("name")
            return ConfigRef(namespace if isinstance(namespace, str) else None)
        if short == "ResourceOptions":
            provider = kwargs.get("provider")
            return Options(provider.name if isinstance(provider, ResourceRef) else None)
        if short.endswith("Args") or short.endswith("ArgsDict"):
            return {snake(k): v for k, v in kwargs.items()}
        if path in ("pulumi.FileAsset", "pulumi.asset.FileAsset") and args and isinstance(args[0], str):
            return {"path": args[0]}  # a local file, relative to the project (a chart's values file): data to read
        token = token_of(path)
        if token is None:
            return Unknown(f"{path}(...) not read")
        name = args[0] if args else kwargs.get("resource_name")
        if not isinstance(name, str):
            self.note(node, f"{short}: resource name not known statically; not read")
            return Unknown(f"{short} with an unknown name")
        values: dict[str, Any] = {}
        extra = args[1] if len(args) > 1 else kwargs.get("args")
        if isinstance(extra, dict):
            values.update(extra)
        elif extra is not None and is_unknown(extra):
            self.note(node, f"{name}: args not known statically ({extra.reason})")
        opts = args[2] if len(args) > 2 else kwargs.get("opts")
        for k, v in kwargs.items():
            if k not in ("resource_name", "args", "opts"):
                values[snake(k)] = v
        provider = opts.provider if isinstance(opts, Options) else None
        resource = PulumiResource(token=token, name=name, values=values, file=self.file, line=node.lineno,
                                  provider=provider)
        self.resources.append(resource)
        return ResourceRef(token, name, values)


def _refs(*values: Any) -> tuple[str, ...]:
    """The resources ``values`` come from (resources given whole, and what their unknown parts read), in order: an
    Output made of several keeps all."""
    refs = [r for v in values for r in ((v.address,) if isinstance(v, ResourceRef) else
                                        (r for u in unknowns_in(v) for r in u.refs))]
    return tuple(dict.fromkeys(refs))


def _is_super_init(node: ast.Call) -> bool:
    f = node.func
    return (isinstance(f, ast.Attribute) and f.attr == "__init__" and isinstance(f.value, ast.Call)
            and isinstance(f.value.func, ast.Name) and f.value.func.id == "super")


def program_file(project: Project) -> str | None:
    main = project.main
    if fs.isfile(main) and main.endswith(".py"):
        return main
    directory = main if fs.isdir(main) else project.directory
    candidate = os.path.join(directory, "__main__.py")
    return candidate if fs.isfile(candidate) else None


def read_program(project: Project, display: Any, errors: list[ScanError], skipped: list[Skipped],
                 ) -> list[PulumiResource]:
    """The resources a Python program declares, read without running it."""
    from linter.files import UnreadableFile, read_text
    from linter.suppress import remember

    path = program_file(project)
    if path is None:
        errors.append(ScanError(file=display(project.file), message="Python program not found (no __main__.py in "
                                "the project or its 'main' directory)"))
        return []
    shown = display(path)
    try:
        text = read_text(path)
    except UnreadableFile as exc:
        errors.append(ScanError(file=shown, line=exc.line, message=exc.message))
        return []
    remember(path, text)
    try:
        tree = ast.parse(text, filename=shown)
    except SyntaxError as exc:
        errors.append(ScanError(file=shown, line=exc.lineno, message=f"Python syntax error: {exc.msg}; program not "
                                "read"))
        return []
    reader = Reader(project, shown, errors, skipped)
    scope: dict[str, Any] = {"__name__": "__main__"}
    ProgramModules(os.path.dirname(path), path, display, reader)
    try:
        reader.run(tree.body, scope)
        reader.finish()
    except _Return:
        pass
    except RecursionError:
        errors.append(ScanError(file=shown, message="expression nested too deeply to read statically; program "
                                "partly read"))
    return reader.resources


def _has_python(directory: str) -> bool:
    try:
        return any(n.endswith(".py") or (os.path.isdir(os.path.join(directory, n)) and
                   os.path.isfile(os.path.join(directory, n, "__init__.py"))) for n in os.listdir(directory))
    except OSError:
        return False


class ProgramModules:
    """The program's own modules and packages (files under the project directory), each read once, when first
    imported, in import order, as Python would: a package's ``__init__.py`` before its submodules, a module in an
    import cycle seen partly initialised. Nothing is imported or executed: each file is read by the static reader."""

    def __init__(self, root: str, main: str, display: Any, reader: Reader) -> None:
        self.root, self.main, self.display = root, os.path.abspath(main), display
        self.scopes: dict[str, dict[str, Any]] = {}
        self.missing: set[str] = set()
        reader.modules = self

    @staticmethod
    def absolute(module: str | None, level: int, package: str) -> str | None:
        """The dotted name a (relative) import names; None when it climbs above the project directory."""
        if not level:
            return module
        parts = package.split(".") if package else []
        if level - 1 > len(parts):
            return None
        return ".".join(parts[:len(parts) - (level - 1)] + ([module] if module else []))

    def scope(self, name: str) -> dict[str, Any]:
        return self.scopes.get(name, {})

    def _file(self, name: str) -> tuple[str | None, bool] | None:
        """(file, is a package) of a dotted module name in the project, or None; a directory without
        ``__init__.py`` is a namespace package (no file of its own)."""
        base = os.path.join(self.root, *name.split("."))
        if fs.isfile(base + ".py"):
            return base + ".py", False
        init = os.path.join(base, "__init__.py")
        if fs.isfile(init):
            return init, True
        # only a directory of Python files: Python prefers any installed package to a namespace portion, and a
        # folder of manifests named ``yaml`` or ``kubernetes`` is no module
        return (None, True) if fs.isdir(base) and _has_python(base) else None

    def load(self, name: str, reader: Reader) -> dict[str, Any] | None:
        """The scope of the program module ``name`` (read now if it was not), or None when it is not one."""
        from linter.files import UnreadableFile, read_text

        if not name or name in self.missing:
            return None
        if name in self.scopes:
            return self.scopes[name]
        parent = name.rpartition(".")[0]
        if parent and self.load(parent, reader) is None:
            self.missing.add(name)
            return None
        found = self._file(name)
        if found is None or (found[0] is not None and os.path.abspath(found[0]) == self.main):
            self.missing.add(name)
            return None
        file, is_package = found
        sub_scope: dict[str, Any] = {"__name__": name}
        self.scopes[name] = sub_scope  # before reading it: an import cycle sees it partly initialised
        if parent:  # ``import a.b`` makes ``b`` an attribute of package ``a``
            self.scopes[parent].setdefault(name.rpartition(".")[2], LocalModule(sub_scope))
        if file is None:  # a namespace package
            return sub_scope
        try:
            tree = ast.parse(read_text(file), filename=self.display(file))
        except (SyntaxError, UnreadableFile, ValueError) as exc:
            reader.errors.append(ScanError(file=self.display(file), line=getattr(exc, "lineno", None),
                                           message=f"Python module not read: {getattr(exc, 'msg', exc)}"))
            return sub_scope
        saved = reader.file, reader.package
        reader.file, reader.package = self.display(file), name if is_package else parent
        try:
            reader.run(tree.body, sub_scope)
        except _Return:
            pass
        finally:
            reader.file, reader.package = saved
        return sub_scope
