"""Load a Terraform module directory and expand it into evaluated resource instances.

A directory is one module: its ``.tf`` and ``.tf.json`` files, tfvars for the root, local
child modules followed recursively (addressed ``module.name.type.name``), ``count`` and
``for_each`` expanded, provider blocks (region, alias, AWS ``default_tags``) resolved.
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable
from dataclasses import field
from typing import Any

from linter import files as fs
from linter.files import TOO_DEEP, UnreadableFile, decode_text, outside_boundary, read_bytes, too_large
from linter.inputs import listed
from linter.model import ScanError, Skipped
from linter.records import record
from linter.sources.terraform.evaluate import EvalError, Evaluator
from linter.sources.terraform.functions import FunctionError
from linter.sources.terraform.hcl_parse import Attr, Block, ParsedFile, parse_hcl_file, parse_tf_json
from linter.sources.terraform.values import Unknown, is_unknown, to_str, unknowns_in
from linter.suppress import remember

_META_ATTRS = frozenset({"count", "for_each", "provider", "depends_on", "lifecycle"})
_SKIP_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "timeouts"})
_MAX_MODULE_DEPTH = 16
KUBE_PROVIDERS = frozenset({"kubernetes", "kubectl"})
# their arguments that name the cluster they connect to; the first that reads a resource or module is taken
_CLUSTER_ARGS = ("host", "cluster_ca_certificate", "config_context", "token")
# data sources that look a cluster up by name: the provider they read it with (or their location) says its region
CLUSTER_DATA = frozenset({"aws_eks_cluster", "aws_eks_cluster_auth", "google_container_cluster",
                          "azurerm_kubernetes_cluster"})


def connection_refs(refs_of: Callable[[str], list[str]], args: tuple[str, ...] = _CLUSTER_ARGS) -> tuple[str, ...]:
    """The addresses a Kubernetes provider connects through, given what each of its arguments reads (the HCL
    reader evaluates the block, the plan reader follows the configuration's references, the Pulumi reader keeps
    what a ``kubeconfig`` Output is made of): those of the first connection argument that reads any."""
    for name in args:
        refs = refs_of(name)
        if refs:
            return tuple(dict.fromkeys(refs))
    return ()


def provider_of_type(resource_type: str) -> str:
    return resource_type.split("_", 1)[0]


@record(slots=True)
class ProviderConfig:
    name: str
    alias: str | None
    region: Any = None
    default_tags: dict[str, Any] = field(default_factory=dict)
    default_labels: dict[str, Any] = field(default_factory=dict)
    file: str | None = None
    line: int | None = None
    # a Kubernetes provider (kubernetes, kubectl): the addresses its connection arguments read, i.e. the cluster
    # its objects are applied to (``aws_eks_cluster.eu``, ``module.eks.aws_eks_cluster.this``, ``module.eks``)
    cluster_refs: tuple[str, ...] = ()
    # ... and, for a module among them that is not read (not installed), the cloud providers that call passes it
    module_providers: dict[str, dict[str, ProviderConfig]] = field(default_factory=dict)


@record(slots=True)
class RawResource:
    """One resource instance after evaluation, before it is normalized."""

    type: str
    name: str
    address: str
    values: dict[str, Any]
    file: str
    line: int
    provider: ProviderConfig | None
    module_prefix: str
    unknown_attrs: dict[str, str]  # HCL: the arguments found unknown so far (each is evaluated when first read)
    mode: str = "managed"
    called_from: tuple[tuple[str, int], ...] = ()  # module blocks that lead here, outermost first


_PENDING = object()


class Arguments(dict):  # type: ignore[type-arg]
    """A resource's evaluated arguments and nested blocks, each evaluated when first read.

    Mappers read a few arguments of a resource (its type, counts, tags, scaling); evaluating all of them up
    front (IAM policies, user data, disks, ingress rules) was half of all evaluation, for nothing. The keys are
    known up front, in declaration order. Every way of reading a value resolves it: item access, ``get``,
    ``items``/``values``, and ``dict(...)``/``{**...}``, which take the slow path through ``keys`` and
    ``__getitem__`` because ``__iter__`` is overridden. A copy or a pickle is a plain dict."""

    __slots__ = ("_pending",)

    def __init__(self, pending: dict[str, Callable[[], Any]]) -> None:
        super().__init__(dict.fromkeys(pending, _PENDING))
        self._pending = pending

    def _resolve(self, key: Any) -> Any:
        value = dict.__getitem__(self, key)
        if value is _PENDING:
            value = self._pending[key]()
            dict.__setitem__(self, key, value)
            del self._pending[key]
        return value

    def _resolve_all(self) -> None:
        for key in list(self._pending):
            self._resolve(key)

    def __getitem__(self, key: Any) -> Any:
        return self._resolve(key)

    def get(self, key: Any, default: Any = None) -> Any:
        return self._resolve(key) if dict.__contains__(self, key) else default

    def __iter__(self) -> Any:
        return dict.__iter__(self)

    def items(self) -> Any:
        self._resolve_all()
        return dict.items(self)

    def values(self) -> Any:
        self._resolve_all()
        return dict.values(self)

    def pop(self, key: Any, *default: Any) -> Any:
        if dict.__contains__(self, key):
            self._resolve(key)
        return dict.pop(self, key, *default)

    def setdefault(self, key: Any, default: Any = None) -> Any:
        return self._resolve(key) if dict.__contains__(self, key) else dict.setdefault(self, key, default)

    def popitem(self) -> Any:
        self._resolve_all()
        return dict.popitem(self)

    def copy(self) -> dict[Any, Any]:
        self._resolve_all()
        return dict(dict.items(self))

    def __eq__(self, other: object) -> bool:
        self._resolve_all()
        if isinstance(other, Arguments):
            other._resolve_all()
        return dict.__eq__(self, other)

    def __ne__(self, other: object) -> bool:
        return not self == other

    __hash__ = None  # type: ignore[assignment]

    def __repr__(self) -> str:
        self._resolve_all()
        return dict.__repr__(self)

    def __reduce__(self) -> Any:
        return dict, (self.copy(),)

    def __or__(self, other: Any) -> Any:
        return self.copy() | other

    def __ror__(self, other: Any) -> Any:
        return other | self.copy()


def _block_name(block: Block) -> str:
    return block.labels[0] if block.type == "dynamic" and block.labels else block.type


class BlockValue(dict):  # type: ignore[type-arg]
    """A nested block of another resource, read through a reference: a key it does not set is
    computed by the provider, so reading it gives an unknown that still names the resource."""

    __slots__ = ("address",)

    def __init__(self, data: dict[str, Any], address: str) -> None:
        super().__init__(data)
        self.address = address

    @classmethod
    def wrap(cls, value: Any, address: str) -> Any:
        if isinstance(value, dict) and not is_unknown(value):
            return cls({k: cls.wrap(v, address) if isinstance(v, list) else v for k, v in value.items()}, address)
        if isinstance(value, list):
            return [cls.wrap(v, address) if isinstance(v, dict) else v for v in value]
        return value


@record
class ModuleSource:
    """The parsed files of one directory, indexed by block kind."""

    directory: str
    files: list[ParsedFile] = field(default_factory=list)
    variables: dict[str, Block] = field(default_factory=dict)
    locals: dict[str, Attr] = field(default_factory=dict)
    resources: dict[tuple[str, str], Block] = field(default_factory=dict)
    modules: dict[str, Block] = field(default_factory=dict)
    providers: list[Block] = field(default_factory=list)
    outputs: dict[str, Block] = field(default_factory=dict)
    # data sources of the cluster types a Kubernetes provider's host reads (data.aws_eks_cluster.x.endpoint)
    cluster_data: dict[tuple[str, str], Block] = field(default_factory=dict)

    def index(self) -> None:
        """Blocks by kind; override files (override.tf, *_override.tf) come last and merge into the blocks they
        name, as Terraform merges them: each argument replaces the original's, each nested block type replaces
        all the original's blocks of that type."""
        for parsed in sorted(self.files, key=lambda f: _is_override(f.path)):
            merge = _is_override(parsed.path)
            for block in parsed.blocks:
                kind, labels = block.type, block.labels
                if kind == "resource" and len(labels) == 2:
                    _put(self.resources, (labels[0], labels[1]), block, merge)
                elif kind == "variable" and labels:
                    _put(self.variables, labels[0], block, merge)
                elif kind == "locals":
                    self.locals.update(block.attrs)
                elif kind == "module" and labels:
                    _put(self.modules, labels[0], block, merge)
                elif kind == "provider" and labels:
                    self.providers.append(block)
                elif kind == "output" and labels:
                    _put(self.outputs, labels[0], block, merge)
                elif kind == "data" and len(labels) == 2 and labels[0] in CLUSTER_DATA:
                    _put(self.cluster_data, (labels[0], labels[1]), block, merge)


def _explicit_provider(block: Block) -> str | None:
    """A block's ``provider = aws.eu`` meta-argument, as written."""
    if "provider" not in block.attrs:
        return None
    expr = block.attrs["provider"].expr
    return expr.text.decode().strip() if hasattr(expr, "text") else str(expr.value)  # type: ignore[no-any-return]


def _is_override(path: str) -> bool:
    name = os.path.basename(path)
    return name in ("override.tf", "override.tf.json") or name.endswith(("_override.tf", "_override.tf.json"))


def _put(index: dict[Any, Block], key: Any, block: Block, merge: bool) -> None:
    """``block`` under ``key``; from an override file, merged into the block already there (which keeps its file
    and line: findings point at the resource as written)."""
    original = index.get(key)
    if not merge or original is None:
        index[key] = block
        return
    replaced = {b.type for b in block.blocks}
    index[key] = Block(original.type, original.labels, {**original.attrs, **block.attrs},
                       [b for b in original.blocks if b.type not in replaced] + block.blocks, original.file,
                       original.line)


def is_terraform_file(name: str) -> bool:
    return name.endswith((".tf", ".tf.json")) and not name.startswith(".")


class TerraformLoader:
    """Parses directories once and loads root modules; collects errors and skip notes."""

    def __init__(self, display_path: Any) -> None:
        self._sources: dict[str, ModuleSource] = {}
        self._manifests: dict[str, dict[str, str]] = {}  # root directory -> modules.json Key -> Dir
        self.value_stack: list[str] = []  # module values being evaluated, to name a cycle's chain
        self.errors: list[ScanError] = []
        self.skipped: list[Skipped] = []
        self.display = display_path
        self.var_origins: dict[str, str] = {}  # root variable -> where tfvars/--var set it (file:line)
        self.root_environments: dict[str, tuple[str, str]] = {}  # root directory -> (environment, evidence)
        # root directory -> its default (unaliased) providers, e.g. "aws" -> ProviderConfig(region="eu-west-1")
        self.root_providers: dict[str, dict[str, ProviderConfig]] = {}
        self.touched: set[str] = set()  # module directories used since last cleared (a root's cache key)
        self.function_reads: set[str] = set()  # files file()/templatefile() read since last cleared (real paths)
        self.contexts: list[ModuleContext] = []  # root module contexts loaded and not yet released

    def release(self) -> None:
        """Break the reference cycles of the root modules loaded so far (a context and its evaluator, a child and
        the caller its inputs read from): once their resources are normalized, plain reference counting frees
        them, and the cyclic collector has nothing to look for."""
        for ctx in self.contexts:
            ctx.release()
        self.contexts.clear()

    def report(self, problem: ScanError | Skipped) -> None:
        """Record an error or a skip note once: a module shared by several roots says it once."""
        target: list[Any] = self.errors if isinstance(problem, ScanError) else self.skipped
        if problem not in target:
            target.append(problem)

    def installed_module(self, root: str, key: str) -> str | None:
        """The directory ``terraform init`` installed module ``key`` (``eks.node_group``) into, from the root
        module's ``.terraform/modules/modules.json``; None when there is no manifest, entry or directory."""
        manifest = self._manifests.get(root)
        if manifest is None:
            manifest = self._manifests[root] = self._read_manifest(root)
        found = manifest.get(key)
        return found if found is not None and fs.isdir(found) else None

    def _read_manifest(self, root: str) -> dict[str, str]:
        path = os.path.join(root, ".terraform", "modules", "modules.json")
        if not fs.isfile(path):
            return {}
        import json

        read = self._read(path)
        if read is None:
            return {}
        try:
            doc = json.loads(read[1])
        except (json.JSONDecodeError, RecursionError) as exc:
            msg = exc.msg if isinstance(exc, json.JSONDecodeError) else TOO_DEEP
            self.errors.append(ScanError(file=self.display(path), line=getattr(exc, "lineno", 1),
                                         message=f"invalid JSON: {msg}; installed modules are not read"))
            return {}
        entries = doc.get("Modules") if isinstance(doc, dict) else None
        if not isinstance(entries, list):
            self.errors.append(ScanError(file=self.display(path), line=1,
                                         message="no \"Modules\" list; installed modules are not read"))
            return {}
        out: dict[str, str] = {}
        for entry in entries:
            if isinstance(entry, dict) and isinstance(entry.get("Key"), str) and isinstance(entry.get("Dir"), str):
                out[entry["Key"]] = os.path.normpath(os.path.join(root, entry["Dir"]))
        return out

    def forget_parsed(self, root: str) -> None:
        """Drop the syntax trees of ``root`` and the modules inside it; modules outside it (``../modules/x``) are
        often shared by the next roots and stay parsed."""
        inside = os.path.abspath(root)
        self._sources = {d: src for d, src in self._sources.items()
                         if os.path.abspath(d) != inside and not os.path.abspath(d).startswith(inside + os.sep)}

    # -- parsing -----------------------------------------------------------------------
    def source(self, directory: str) -> ModuleSource:
        directory = os.path.normpath(directory)
        self.touched.add(directory)
        cached = self._sources.get(directory)
        if cached is not None:
            return cached
        src = ModuleSource(directory)
        try:
            with os.scandir(directory) as listing:
                entries = list(listing)
            names = sorted(e.name for e in entries)
            listed(directory, entries)  # the replay's and the root cache's record of it, as read now
        except OSError as exc:
            self.errors.append(ScanError(file=self.display(directory), message=f"cannot list directory: {exc}"))
            names = []
        for name in names:
            path = os.path.join(directory, name)
            if is_terraform_file(name) and fs.isfile(path):
                notice = outside_boundary(path) or too_large(path)
                if notice:  # never read: a notice, and the rest of the module is scanned
                    self.skipped.append(Skipped(file=self.display(path), reason=notice))
                    continue
                parsed = self.parse_file(path)
                if parsed is not None:
                    src.files.append(parsed)
            elif is_terraform_file(name):  # a named pipe (reading one waits forever), a socket, a device
                special = fs.special_file(path)
                if special:
                    self.skipped.append(Skipped(file=self.display(path), reason=special))
        src.index()
        self._sources[directory] = src
        return src

    def _read(self, path: str) -> tuple[bytes, str] | None:
        """Bytes (BOM stripped) and text of a file, or None with the error recorded."""
        try:
            data = read_bytes(path)
            text = decode_text(data)
        except UnreadableFile as exc:
            self.errors.append(ScanError(file=self.display(path), line=exc.line, message=exc.message))
            return None
        remember(path, text)
        return data.removeprefix(b"\xef\xbb\xbf"), text

    def _parse(self, path: str, read: tuple[bytes, str]) -> ParsedFile:
        shown = self.display(path)
        data, text = read
        parsed = parse_tf_json(shown, text) if path.endswith(".json") else parse_hcl_file(shown, data)
        for line, message in parsed.errors:
            self.errors.append(ScanError(file=shown, line=line, message=message))
        return parsed

    def parse_file(self, path: str) -> ParsedFile | None:
        read = self._read(path)
        return None if read is None else self._parse(path, read)

    # -- loading -----------------------------------------------------------------------
    def load_root(self, directory: str, var_files: list[str], cli_vars: dict[str, str]) -> list[RawResource]:
        src = self.source(directory)
        values = self._root_variable_values(src, var_files, cli_vars)
        ctx = ModuleContext(self, src, "", values, {}, src.directory, depth=0, ancestors=(src.directory,))
        self.contexts.append(ctx)
        raws = ctx.expand()
        from linter.sources.terraform.environment import root_environment

        found = root_environment(ctx, src.variables, self.var_origins)
        if found:
            self.root_environments[directory] = found
        self.root_providers[directory] = {k: v for k, v in ctx.providers.items() if v.alias is None}
        return raws

    def _root_variable_values(self, src: ModuleSource, var_files: list[str],
                              cli_vars: dict[str, str]) -> dict[str, Any]:
        files: list[str] = []
        try:
            names = sorted(os.listdir(src.directory))
        except OSError:
            names = []
        for fixed in ("terraform.tfvars", "terraform.tfvars.json"):
            if fixed in names:
                files.append(os.path.join(src.directory, fixed))
        files += [os.path.join(src.directory, n) for n in names
                  if n.endswith((".auto.tfvars", ".auto.tfvars.json"))]
        files += var_files
        values: dict[str, Any] = {}
        self.var_origins = {}
        empty = ModuleContext(self, ModuleSource(src.directory), "", {}, {}, src.directory, 0, ())
        self.contexts.append(empty)
        evaluator = Evaluator(empty)
        for path in files:
            parsed = self._parse_tfvars(path)
            if parsed is None:
                continue
            for attr in parsed.values():
                try:
                    values[attr.name] = evaluator.eval(attr.expr)
                    self.var_origins[attr.name] = f"{self.display(path)}:{attr.line}"
                except (EvalError, FunctionError) as exc:
                    self.errors.append(ScanError(file=self.display(path), line=attr.line,
                                                 message=f"cannot evaluate variable value: {exc}"))
        for name, raw in cli_vars.items():
            values[name] = _parse_cli_var(raw)
            self.var_origins[name] = f"--var {name}=..."
        return values

    def _parse_tfvars(self, path: str) -> dict[str, Attr] | None:
        read = self._read(path)
        if read is None:
            return None
        if path.endswith(".json"):
            import json

            from linter.sources.terraform.hcl_parse import JsonExpr
            try:
                doc = json.loads(read[1])
            except (json.JSONDecodeError, RecursionError) as exc:
                msg = exc.msg if isinstance(exc, json.JSONDecodeError) else TOO_DEEP
                self.errors.append(ScanError(file=self.display(path), line=getattr(exc, "lineno", 1),
                                             message=f"invalid JSON: {msg}"))
                return None
            if not isinstance(doc, dict):
                self.errors.append(ScanError(file=self.display(path), line=1, message="tfvars JSON must be an object"))
                return None
            return {k: Attr(k, JsonExpr(v), 1) for k, v in doc.items()}
        parsed = self._parse(path, read)
        return next((b.attrs for b in parsed.blocks if b.type == "__attributes__"), {})


def _parse_cli_var(raw: str) -> Any:
    text = raw.strip()
    if text[:1] in ("[", "{") or text in ("true", "false", "null") or re.fullmatch(r"-?\d+(\.\d+)?", text):
        from linter.sources.terraform.hcl_parse import parse_hcl_file as _p

        parsed = _p("<--var>", f"v = {text}\n".encode())
        attrs = next((b.attrs for b in parsed.blocks if b.type == "__attributes__"), {})
        if "v" in attrs and not parsed.errors:
            empty = ModuleContext(None, ModuleSource("."), "", {}, {}, ".", 0, ())  # type: ignore[arg-type]
            try:
                return Evaluator(empty).eval(attrs["v"].expr)
            except (EvalError, FunctionError):
                return raw
    return raw


@record(slots=True)
class LazyInput:
    """A module input, evaluated in the calling module only when the child reads it."""

    caller: ModuleContext
    expr: Any
    bindings: dict[str, Any]


@record(slots=True)
class _Cycle:
    unknown: Unknown


MAX_INSTANCES = 10_000  # of one counted block: a count of 10^300 (a typo, or a planted value) is not expanded


def _short_number(n: float) -> str:
    """A count as a reader would write it: 10^300 as "a 301-digit number", not three hundred digits."""
    if isinstance(n, int):
        return f"{n:,}" if abs(n) < 10**15 else f"a {len(str(abs(n)))}-digit number"
    return f"{n:.3g}"


class ModuleContext:
    """One instance of a module: its variable values, providers and address prefix."""

    def __init__(self, loader: TerraformLoader, source: ModuleSource, prefix: str,
                 variable_values: dict[str, Any], inherited_providers: dict[str, ProviderConfig],
                 root_directory: str, depth: int, ancestors: tuple[str, ...],
                 inputs: dict[str, LazyInput] | None = None, key: str = "",
                 called_from: tuple[tuple[str, int], ...] = ()) -> None:
        self.loader = loader
        self.source = source
        self.prefix = prefix
        self.directory = source.directory
        self.root_directory = root_directory
        self.depth = depth
        self.ancestors = ancestors
        self.key = key  # the module path without instance keys, as modules.json names it ("eks.node_group")
        self.called_from = called_from  # (file, line) of the module blocks that lead here, outermost first
        self._variable_values = variable_values
        self._typed: set[str] = set()  # variables whose value went through their type (optional() defaults)
        self._inputs = inputs or {}  # evaluated on first read: modules may read each other's outputs
        self._outputs: dict[str, Any] = {}
        self._locals: dict[str, Any] = {}
        self._in_progress: set[str] = set()
        self._children: dict[tuple[str, Any], ModuleContext | None] = {}
        self.evaluator = Evaluator(self)
        self.providers = dict(inherited_providers)
        if loader is not None:
            self._configure_providers()

    def release(self) -> None:
        for child in self._children.values():
            if child is not None:
                child.release()
        self._children.clear()
        self._inputs = {}
        self.evaluator = None  # type: ignore[assignment]

    # -- scope lookups used by the evaluator ---------------------------------------------
    def variable(self, name: str) -> Any:
        block = self.source.variables.get(name)
        if name in self._variable_values:  # a root module's tfvars/--var value: typed on first read, as Terraform does
            value = self._variable_values[name]
            if name not in self._typed:
                self._typed.add(name)
                if block is not None and "type" in block.attrs:
                    from linter.sources.terraform.types import conform

                    value = self._variable_values[name] = conform(block.attrs["type"].expr, value, self.evaluator)
            return value
        lazy = self._inputs.get(name)
        value: Any
        if lazy is not None:
            value = self._guarded(f"var.{name}", f"{self.prefix}var.{name}",
                                  lambda: lazy.caller._safe_eval(lazy.expr, lazy.bindings))
            if isinstance(value, _Cycle):
                return value.unknown
            if value is None and block is not None and "default" in block.attrs and _not_nullable(block):
                value = self.evaluator.eval(block.attrs["default"].expr)  # nullable = false: null means default
        else:
            if block is None:
                raise EvalError(f"var.{name} is not declared")
            default = block.attrs.get("default")
            if default is None:
                value = Unknown(f"var.{name} has no default and no value in tfvars")
            else:
                value = self.evaluator.eval(default.expr)
        if block is not None and "type" in block.attrs:
            from linter.sources.terraform.types import conform

            value = conform(block.attrs["type"].expr, value, self.evaluator)
        self._variable_values[name] = value
        self._typed.add(name)
        if block is not None and lazy is None and not is_unknown(value) and block.first("validation") is not None:
            value = self._variable_values[name] = self._validated(name, block, value)
        return value

    def _validated(self, name: str, block: Any, value: Any) -> Any:
        """A default that fails the variable's own validation is not what Terraform plans with (it stops: the
        value must be given): unknown, with the reason. A condition that cannot be evaluated here keeps the value."""
        for rule in (b for b in block.blocks if b.type == "validation"):
            condition = rule.attrs.get("condition")
            if condition is None:
                continue
            try:
                ok = self.evaluator.eval(condition.expr)
            except (EvalError, FunctionError):
                continue
            if ok is False:
                where = self.loader.display(block.file) if self.loader is not None else block.file
                return Unknown(f"var.{name}'s default fails its validation ({where}:{rule.line}): it must be set "
                               "in tfvars or --var")
        return value

    def local(self, name: str) -> Any:
        if name in self._locals:
            return self._locals[name]
        attr = self.source.locals.get(name)
        if attr is None:
            raise EvalError(f"local.{name} is not defined")
        if name in self._in_progress:
            raise EvalError(f"local.{name} refers to itself")
        self._in_progress.add(name)
        try:
            value = self.evaluator.eval(attr.expr)
        except (EvalError, FunctionError) as exc:
            value = Unknown(f"local.{name}: {exc}")
        finally:
            self._in_progress.discard(name)
        self._locals[name] = value
        return value

    def module_output(self, name: str, key: Any, output: str) -> Any:
        child = self._child(name, key)
        if child is None:
            return Unknown(f"module.{name} is not read", (f"{self.prefix}module.{name}",))
        return child.output(output)

    def output(self, name: str) -> Any:
        """One output of this module instance, evaluated once; only the values it reads are evaluated."""
        if name in self._outputs:
            return self._outputs[name]
        out = self.source.outputs.get(name)
        if out is None or "value" not in out.attrs:
            raise EvalError(f"{self.prefix.rstrip('.')} has no output '{name}'")
        value = self._guarded(f"output.{name}", f"{self.prefix}{name}",
                              lambda: self._safe_eval(out.attrs["value"].expr, {}))
        if isinstance(value, _Cycle):
            return value.unknown
        self._outputs[name] = value
        return value

    def _guarded(self, guard: str, label: str, compute: Callable[[], Any]) -> Any:
        """Evaluate one named value of this module with cycle detection: a value that needs itself is a
        true cycle in the configuration and reads as unknown, with the chain of values as the reason."""
        stack = self.loader.value_stack if self.loader is not None else []
        if guard in self._in_progress:
            chain = stack[stack.index(label):] if label in stack else []
            return _Cycle(Unknown(f"cycle: {' -> '.join([*chain, label])}"))
        self._in_progress.add(guard)
        stack.append(label)
        try:
            return compute()
        except RecursionError:
            return Unknown(f"{label}: references nest too deeply to evaluate statically")
        finally:
            stack.pop()
            self._in_progress.discard(guard)

    def resource_attribute(self, rtype: str, rname: str, index: Any, attribute: str | None) -> Any:
        address = f"{self.prefix}{rtype}.{rname}"
        block = self.source.resources.get((rtype, rname))
        if block is None:
            return Unknown(f"{address} is not declared in this module", (address,))
        nested: list[Block] = []
        if attribute is not None and attribute not in block.attrs and attribute not in _META_ATTRS:
            # a nested block written in the configuration (``metadata[0].name``) is known at plan time
            nested = [n for n in block.blocks if n.type == attribute or
                      (n.type == "dynamic" and n.labels and n.labels[0] == attribute)]
        if attribute is None or attribute in _META_ATTRS or (attribute not in block.attrs and not nested):
            return Unknown(f"{address}.{attribute or ''} is known after apply".rstrip("."), (address,))
        key = f"{address}.{attribute}"
        if key in self._in_progress:
            return Unknown(f"{key} refers to itself", (address,))
        bindings: dict[str, Any] = {}
        if "count" in block.attrs:
            if index is None or is_unknown(index):
                return Unknown(f"{address} has count; its attributes are a list", (address,))
            bindings["count"] = {"index": index}
        elif "for_each" in block.attrs:
            if index is None or is_unknown(index):
                return Unknown(f"{address} has for_each; its attributes are a map", (address,))
            coll = self.evaluator.eval(block.attrs["for_each"].expr)
            if is_unknown(coll):
                return Unknown(f"{address}: for_each is unknown", (address,))
            items = coll if isinstance(coll, dict) else {to_str(v): v for v in coll}
            bindings["each"] = {"key": index, "value": items.get(to_str(index))}
        self._in_progress.add(key)
        try:
            if nested:
                value = self._eval_nested(nested, bindings, address)
            else:
                value = self.evaluator.eval(block.attrs[attribute].expr, bindings)
        except (EvalError, FunctionError) as exc:
            value = Unknown(f"{key}: {exc}", (address,))
        finally:
            self._in_progress.discard(key)
        if is_unknown(value):
            return Unknown(value.reason, (*value.refs, address))
        return value

    def _eval_nested(self, blocks: list[Block], bindings: dict[str, Any], address: str) -> list[Any]:
        """Nested blocks read as a list of objects; keys the configuration leaves out are computed."""
        out: list[Any] = []
        for n in blocks:
            if n.type == "dynamic":
                out.extend(self._expand_dynamic(n, bindings, {}, ""))
            else:
                out.append(self._eval_body(n, bindings, {}, ""))
        return [BlockValue.wrap(v, address) for v in out]

    # -- providers ---------------------------------------------------------------------
    def _configure_providers(self) -> None:
        kube: list[tuple[ProviderConfig, Block]] = []
        for block in self.source.providers:
            name = block.labels[0]
            alias_attr = block.attrs.get("alias")
            alias = self._safe_eval(alias_attr.expr, {}) if alias_attr else None
            alias = alias if isinstance(alias, str) else None
            region_attr = block.attrs.get("region") or block.attrs.get("location")
            region = self._safe_eval(region_attr.expr, {}) if region_attr else None
            tags: dict[str, Any] = {}
            dt = block.first("default_tags")
            if dt is not None and "tags" in dt.attrs:
                value = self._safe_eval(dt.attrs["tags"].expr, {})
                tags = value if isinstance(value, dict) else {"__unknown__": value}
            if "default_tags" in block.attrs:  # .tf.json spelling
                value = self._safe_eval(block.attrs["default_tags"].expr, {})
                if isinstance(value, dict) and isinstance(value.get("tags"), dict):
                    tags = value["tags"]
            labels: dict[str, Any] = {}
            if "default_labels" in block.attrs:
                value = self._safe_eval(block.attrs["default_labels"].expr, {})
                labels = value if isinstance(value, dict) else {}
            key = f"{name}.{alias}" if alias else name
            self.providers[key] = ProviderConfig(name, alias, region, tags, labels, block.file, block.line)
            if name in KUBE_PROVIDERS:
                kube.append((self.providers[key], block))
        for config, block in kube:  # once all are configured: a module they read is given its providers
            self._find_cluster(config, block)

    def _find_cluster(self, config: ProviderConfig, block: Block) -> None:
        """What a Kubernetes provider connects to: the addresses its ``host`` (or another connection argument)
        reads; for an unread module among them, the cloud providers its call passes (their region is the
        cluster's)."""
        def refs_of(name: str) -> list[str]:
            attr = block.attrs.get(name)
            return [] if attr is None else [r for u in unknowns_in(self._safe_eval(attr.expr, {})) for r in u.refs]

        config.cluster_refs = connection_refs(refs_of)
        prefix = f"{self.prefix}module."
        for ref in config.cluster_refs:
            call = self.source.modules.get(ref.removeprefix(prefix)) if ref.startswith(prefix) else None
            if call is not None:
                config.module_providers[ref] = {k: v for k, v in self._passed_providers(call).items() if "." not in k}
            data = self._cluster_data(ref)
            if data is not None:  # a cluster looked up by name: the provider it is read with is the cluster's
                config.module_providers[ref] = data

    def _cluster_data(self, ref: str) -> dict[str, ProviderConfig] | None:
        """``data.aws_eks_cluster.eu`` read with ``provider = aws.eu`` (or a google/azurerm data source with a
        location): {cloud provider name: a provider config in that region}; None when not such a data source."""
        parts = ref.removeprefix(self.prefix).split(".")
        block = self.source.cluster_data.get((parts[1], parts[2])) if len(parts) >= 3 and parts[0] == "data" else None
        if block is None:
            return None
        name = provider_of_type(parts[1])
        where = block.attrs.get("location")
        location = self._safe_eval(where.expr, {}) if where is not None else None
        if isinstance(location, str) and location:  # GKE and AKS: the cluster's own location
            return {name: ProviderConfig(name, None, location, file=block.file, line=block.line)}
        config = self.provider_for(parts[1], _explicit_provider(block))
        return {name: config} if config is not None else None

    def provider_for(self, rtype: str, explicit: str | None) -> ProviderConfig | None:
        if explicit:
            return self.providers.get(explicit) or self.providers.get(explicit.split(".")[0])
        name = provider_of_type(rtype)
        return self.providers.get(name) or (self.providers.get("google-beta") if name == "google" else None)

    def _safe_eval(self, expr: Any, bindings: dict[str, Any]) -> Any:
        try:
            return self.evaluator.eval(expr, bindings)
        except (EvalError, FunctionError) as exc:
            return Unknown(str(exc))

    # -- expansion ---------------------------------------------------------------------
    def _instances(self, block: Block) -> list[tuple[str, dict[str, Any], str | None]]:
        """(address suffix, bindings, unknown note) per instance of a counted block."""
        if "count" in block.attrs:
            n = self._safe_eval(block.attrs["count"].expr, {})
            if is_unknown(n):
                return [("", {"count": {"index": Unknown("count.index of an unknown count")}},
                         f"count is unknown ({n.reason})")]
            if isinstance(n, bool) or not isinstance(n, (int, float)):
                return [("", {}, f"count is not a number ({n!r})")]
            if not n <= MAX_INSTANCES:  # also NaN and infinity
                return [("", {"count": {"index": Unknown("count.index of a count past the limit")}},
                         f"count is {_short_number(n)}, more instances than finops-lint expands "
                         f"({MAX_INSTANCES:,}); the count is taken as unknown")]
            return [(f"[{i}]", {"count": {"index": i}}, None) for i in range(int(n))]
        if "for_each" in block.attrs:
            coll = self._safe_eval(block.attrs["for_each"].expr, {})
            if is_unknown(coll):
                unknown_each = Unknown(f"for_each is unknown ({coll.reason})")
                return [("", {"each": {"key": unknown_each, "value": unknown_each}},
                         f"for_each is unknown ({coll.reason})")]
            if isinstance(coll, dict):
                items = list(coll.items())
            elif isinstance(coll, list):
                items = [(to_str(v), v) for v in coll]
            else:
                return [("", {}, f"for_each is not a map or set ({coll!r})")]
            if len(items) > MAX_INSTANCES:
                unknown_each = Unknown("for_each past the limit")
                return [("", {"each": {"key": unknown_each, "value": unknown_each}},
                         f"for_each has {len(items):,} elements, more instances than finops-lint expands "
                         f"({MAX_INSTANCES:,}); the instances are taken as unknown")]
            out = []
            for k, v in items:
                if is_unknown(k):
                    return [("", {}, "for_each has unknown keys")]
                out.append((f'["{k}"]', {"each": {"key": k, "value": v}}, None))
            return out
        return [("", {}, None)]

    def expand(self) -> list[RawResource]:
        out: list[RawResource] = []
        for (rtype, rname), block in self.source.resources.items():
            provider = self.provider_for(rtype, _explicit_provider(block))
            for suffix, bindings, note in self._instances(block):
                unknown_attrs: dict[str, str] = {}
                if note:
                    unknown_attrs["count" if "count" in block.attrs else "for_each"] = note
                values = self._arguments(block, bindings, unknown_attrs)
                out.append(RawResource(rtype, rname, f"{self.prefix}{rtype}.{rname}{suffix}", values,
                                       block.file, block.line, provider, self.prefix, unknown_attrs,
                                       called_from=self.called_from))
        for name, block in self.source.modules.items():
            out.extend(self._expand_module(name, block))
        return out

    def _arguments(self, block: Block, b: dict[str, Any], unknown: dict[str, str]) -> Arguments:
        """A resource's arguments and nested blocks as ``_eval_body`` gives them, each evaluated when first read."""

        def argument(name: str) -> Callable[[], Any]:
            def evaluate() -> Any:
                value: Any = []
                attr = block.attrs.get(name)
                if attr is not None and name not in _META_ATTRS:
                    try:
                        value = self.evaluator.eval(attr.expr, b)
                    except (EvalError, FunctionError) as exc:
                        value = Unknown(str(exc))
                    if is_unknown(value):
                        unknown[name] = value.reason
                    if not isinstance(value, list):
                        return value  # also written as a block: the parser reported it, the argument stays
                for nested in block.blocks:
                    if nested.type in _SKIP_BLOCKS or _block_name(nested) != name:
                        continue
                    if nested.type == "dynamic" and nested.labels:
                        value.extend(self._expand_dynamic(nested, b, unknown, ""))
                    else:
                        value.append(self._eval_body(nested, b, unknown, f"{nested.type}."))
                return value
            return evaluate

        names = [name for name in block.attrs if name not in _META_ATTRS]
        names += [name for name in dict.fromkeys(_block_name(n) for n in block.blocks if n.type not in _SKIP_BLOCKS)
                  if name not in block.attrs or name in _META_ATTRS]
        return Arguments({name: argument(name) for name in names})

    def _eval_body(self, block: Block, b: dict[str, Any], unknown: dict[str, str], path: str) -> dict[str, Any]:
        values: dict[str, Any] = {}
        for name, attr in block.attrs.items():
            if not path and name in _META_ATTRS:
                continue
            try:
                value = self.evaluator.eval(attr.expr, b)
            except (EvalError, FunctionError) as exc:
                value = Unknown(str(exc))
            if is_unknown(value):
                unknown[path + name] = value.reason
            values[name] = value
        for nested in block.blocks:
            if nested.type in _SKIP_BLOCKS:
                continue
            name = nested.labels[0] if nested.type == "dynamic" and nested.labels else nested.type
            if not isinstance(values.setdefault(name, []), list):
                continue  # also set as an argument: the parser reported it, the argument stays
            if nested.type == "dynamic" and nested.labels:
                values[name].extend(self._expand_dynamic(nested, b, unknown, path))
                continue
            values[name].append(self._eval_body(nested, b, unknown, f"{path}{nested.type}."))
        return values

    def _expand_dynamic(self, block: Block, b: dict[str, Any], unknown: dict[str, str],
                        path: str) -> list[dict[str, Any]]:
        label = block.labels[0]
        content = block.first("content")
        if content is None or "for_each" not in block.attrs:
            return []
        iterator = label
        if "iterator" in block.attrs:
            expr = block.attrs["iterator"].expr
            iterator = expr.text.decode().strip() if hasattr(expr, "text") else str(expr.value)
        coll = self._safe_eval(block.attrs["for_each"].expr, b)
        if is_unknown(coll):
            unknown[f"{path}{label}"] = f"dynamic block for_each is unknown ({coll.reason})"
            return []
        items = list(coll.items()) if isinstance(coll, dict) else list(enumerate(coll or []))
        return [self._eval_body(content, {**b, iterator: {"key": k, "value": v}}, unknown, f"{path}{label}.")
                for k, v in items]

    def _expand_module(self, name: str, block: Block) -> list[RawResource]:
        child_dir = self._module_dir(name, block, report=True)
        if child_dir is None:
            return []
        out: list[RawResource] = []
        for suffix, bindings, note in self._instances(block):
            if note:
                self.loader.report(Skipped(file=block.file, line=block.line,
                                           reason=f"{self.prefix}module.{name}: {note}"))
            key = _instance_key(bindings)
            child = self._children.get((name, key))
            if child is None:
                child = self._make_child(name, block, child_dir, suffix, bindings)
                self._children[(name, key)] = child
            out.extend(child.expand())
        return out

    def _module_dir(self, name: str, block: Block, report: bool) -> str | None:
        """The directory a module block loads: a local path, or the copy ``terraform init`` installed
        (``.terraform/modules/modules.json`` of the root module); None (with a note when ``report``) if
        there is none to read."""
        source_attr = block.attrs.get("source")
        src_value = self._safe_eval(source_attr.expr, {}) if source_attr else None
        where = f"{self.prefix}module.{name}"
        problem: ScanError | Skipped | None = None
        child_dir: str | None = None
        if not isinstance(src_value, str):
            problem = Skipped(file=block.file, line=block.line, reason=f"{where}: source is not a literal string")
        elif src_value.startswith(("./", "../")):
            child_dir = os.path.normpath(os.path.join(self.directory, src_value))
            if not fs.isdir(child_dir):
                problem = ScanError(file=block.file, line=block.line,
                                    message=f"module.{name}: local source '{src_value}' not found")
        else:
            key = f"{self.key}.{name}" if self.key else name
            child_dir = self.loader.installed_module(self.root_directory, key)
            if child_dir is None:
                problem = Skipped(
                    file=block.file, line=block.line,
                    reason=f"{where}: remote module source '{src_value}' is not read (not installed); its "
                           "resources are not scanned (unknown). Run `terraform init` in "
                           f"{self.loader.display(self.root_directory)} so that .terraform/modules holds it, "
                           "or scan a plan (`terraform show -json`) instead")
        if child_dir is not None and problem is None and (child_dir in self.ancestors
                                                          or self.depth >= _MAX_MODULE_DEPTH):
            problem = ScanError(file=block.file, line=block.line, message=f"module.{name}: module calls itself (cycle)")
        if problem is not None:
            if report:
                self.loader.report(problem)
            return None
        return child_dir

    def _make_child(self, name: str, block: Block, child_dir: str, suffix: str,
                    bindings: dict[str, Any]) -> ModuleContext:
        inputs = {attr_name: LazyInput(self, attr.expr, bindings) for attr_name, attr in block.attrs.items()
                  if attr_name not in ("source", "version", "count", "for_each", "providers", "depends_on")}
        providers = self._passed_providers(block)
        src = self.loader.source(child_dir)
        return ModuleContext(self.loader, src, f"{self.prefix}module.{name}{suffix}.", {}, providers,
                             self.root_directory, self.depth + 1, (*self.ancestors, child_dir), inputs,
                             f"{self.key}.{name}" if self.key else name,
                             (*self.called_from, (block.file, block.line)))

    def _passed_providers(self, block: Block) -> dict[str, ProviderConfig]:
        """The providers a module call gives its module: this module's, with ``providers = {aws = aws.eu}``
        mapping some of them under the child's names."""
        providers = dict(self.providers)
        if "providers" in block.attrs:
            expr = block.attrs["providers"].expr
            text = expr.text.decode() if hasattr(expr, "text") else str(expr.value)
            for child_key, parent_key in re.findall(r"([\w-]+(?:\.[\w-]+)?)\s*[=:]\s*\"?([\w-]+(?:\.[\w-]+)?)", text):
                if parent_key in self.providers:
                    providers[child_key] = self.providers[parent_key]
        return providers

    def _child(self, name: str, key: Any) -> ModuleContext | None:
        """The instance ``module.name[key]`` whose output is read, made on first use (expansion reuses it)."""
        ikey = None if key is None else to_str(key)
        if (name, ikey) in self._children:
            return self._children[(name, ikey)]
        block = self.source.modules.get(name)
        if block is None:
            raise EvalError(f"module.{name} is not declared")
        child_dir = self._module_dir(name, block, report=False)
        child = None
        guard = f"module.{name}"
        if guard in self._in_progress:
            raise EvalError(f"module.{name}: its count or for_each reads its own outputs (cycle)")
        self._in_progress.add(guard)
        try:
            child = self._find_instance(name, block, child_dir, key, ikey)
        finally:
            self._in_progress.discard(guard)
        self._children[(name, ikey)] = child
        return child

    def _find_instance(self, name: str, block: Block, child_dir: str | None, key: Any,
                       ikey: str | None) -> ModuleContext | None:
        child = None
        if child_dir is not None:
            for suffix, bindings, _note in self._instances(block):
                if _instance_key(bindings) == ikey:
                    child = self._make_child(name, block, child_dir, suffix, bindings)
                    break
            else:
                if ikey is None:
                    raise EvalError(f"module.{name} has count or for_each; name an instance")
                raise EvalError(f"module.{name} has no instance [{key!r}]")
        return child


def _not_nullable(block: Block) -> bool:
    attr = block.attrs.get("nullable")
    return attr is not None and getattr(attr.expr, "text", b"").strip() == b"false"


def _instance_key(bindings: dict[str, Any]) -> str | None:
    """The instance key of a counted module as a string (``0``, ``"a"``), None when it is not counted."""
    if "count" in bindings:
        key = bindings["count"].get("index")
    elif "each" in bindings:
        key = bindings["each"].get("key")
    else:
        return None
    return repr(key) if is_unknown(key) else to_str(key)
