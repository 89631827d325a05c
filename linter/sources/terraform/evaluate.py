"""Evaluate HCL expressions statically: variables, locals, templates, operators, functions.

Anything that depends on apply-time state (data sources, resource attributes Terraform
computes, remote modules) evaluates to :class:`Unknown`, never to a guess.
"""

from __future__ import annotations

import math
import os
import re
from collections.abc import Callable, Iterator
from typing import TYPE_CHECKING, Any

from linter.sources.terraform.functions import FUNCTIONS, FunctionError
from linter.sources.terraform.hcl_parse import JsonExpr, parse_hcl_bytes, quoted_text
from linter.sources.terraform.values import Unknown, is_unknown, merge_unknown, to_str, too_long

if TYPE_CHECKING:
    from linter.sources.terraform.module import ModuleContext


class EvalError(Exception):
    """An expression Terraform would reject; the attribute becomes unknown and is reported."""


_ESCAPES = re.compile(r"\\(u[0-9a-fA-F]{4}|U[0-9a-fA-F]{8}|.)|\$\$\{|%%\{")
_SIMPLE_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\"}
MAX_ITERATIONS = 1_000_000  # of the for expressions in one expression: far past any real configuration
_BINARY_OPS = frozenset({"==", "!=", "<", ">", "<=", ">=", "&&", "||", "+", "-", "*", "/", "%"})


def _unescape(text: str) -> str:
    def repl(m: re.Match[str]) -> str:
        token = m.group(0)
        if token == "$${":
            return "${"
        if token == "%%{":
            return "%{"
        esc = m.group(1)
        if esc[0] in "uU" and len(esc) > 1:
            return chr(int(esc[1:], 16))
        return _SIMPLE_ESCAPES.get(esc, "\\" + esc)

    return _ESCAPES.sub(repl, text) if ("\\" in text or "$${" in text or "%%{" in text) else text


def _txt(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


def _number(text: str) -> int | float:
    try:
        return int(text)
    except ValueError:
        return float(text)


def _as_number(v: Any) -> Any:
    if isinstance(v, bool):
        raise EvalError("arithmetic on a bool")
    if isinstance(v, (int, float)):
        return v
    if isinstance(v, str):
        try:
            return _number(v)
        except ValueError as exc:
            raise EvalError(f"{v!r} is not a number") from exc
    raise EvalError(f"arithmetic on {type(v).__name__}")


def _compare(op: str, a: Any, b: Any) -> Any:
    if op == "==":
        return a == b
    if op == "!=":
        return a != b
    a, b = _as_number(a), _as_number(b)
    return {"<": a < b, ">": a > b, "<=": a <= b, ">=": a >= b}[op]


MAX_BITS = 1024  # a product of integers past 2^1024 (1.8e308, the largest float): squared 40 times over, a
# number of 10^12 would take hours to multiply


def _arith(op: str, a: Any, b: Any) -> Any:
    a, b = _as_number(a), _as_number(b)
    if op == "*" and isinstance(a, int) and isinstance(b, int) and a.bit_length() + b.bit_length() > MAX_BITS:
        raise EvalError("a number past 2^1024 (about 1.8e308) is not evaluated")
    if op == "+":
        r = a + b
    elif op == "-":
        r = a - b
    elif op == "*":
        r = a * b
    elif op == "/":
        if b == 0:
            raise EvalError("division by zero")
        r = a / b
    else:
        if b == 0:
            raise EvalError("modulo by zero")
        r = a % b
    if isinstance(r, float) and not math.isfinite(r):
        raise EvalError("a number past the largest float (about 1.8e308) is not evaluated")
    return int(r) if isinstance(r, float) and r.is_integer() and op != "/" else r


def _as_template(text: str) -> tuple[Any, bool]:
    """Text parsed as an HCL template (the body of a heredoc): its expression node (None when there is none) and
    whether the parse met a syntax error. Strings of ``.tf.json`` and template files are read this way."""
    end = "FINOPS_LINT_TEMPLATE_END"
    tree = parse_hcl_bytes(f"x = <<{end}\n{text}\n{end}\n".encode())
    try:
        return tree.root_node.children[0].children[0].children[-1], tree.root_node.has_error
    except IndexError:
        return None, True


_FILE_FUNCTIONS = frozenset({"file", "fileexists", "fileset", "templatefile", "filebase64", "filemd5", "filesha1",
                            "filesha256", "filesha512"})


def _bare_conditional(expr: Any) -> Any:
    """The conditional an expression node is, when it is one without parentheses; else None."""
    children = expr.children
    return children[0] if len(children) == 1 and children[0].type == "conditional" else None


_DYNAMIC = ("template_interpolation", "template_directive")


class _Text:
    """A template's source bytes: its literal text between two offsets, unescaped, stripped beside ``~``.

    HCL reads a template's text line by line (a line, or the part of one between two ``${ }``/``%{ }``, is one
    literal), and a strip marker trims the one literal beside it: ``%{ endfor ~}`` at a line's end removes that
    line's newline, not the next line's indentation (ai-on-gke's vLLM template relies on it)."""

    def __init__(self, raw: bytes, base: int, escapes: bool) -> None:
        self.raw, self.base, self.escapes = raw, base, escapes

    def chunk(self, start: int, end: int, strip_left: bool, strip_right: bool) -> str:
        text = self.raw[start - self.base:end - self.base].decode("utf-8", "replace")
        if strip_left:
            first, newline, rest = text.partition("\n")
            text = first.lstrip() + newline + rest if first.strip() else rest
        if strip_right:
            head, newline, last = text.rpartition("\n")
            if last.strip():
                text = head + newline + last.rstrip()
            elif last or not newline:
                text = head + newline
            else:  # the marker opens a line: the literal before it is the line before, newline included
                before, newline, previous = head.rpartition("\n")
                text = before + newline + previous.rstrip()
        return _unescape(text) if self.escapes else text.replace("$${", "${").replace("%%{", "%{")


def _marker(node: Any, before: bool) -> bool:
    """Whether ``${~``/``%{~`` (``before``) or ``~}`` opens or closes this interpolation or directive part."""
    kids = node.children
    return len(kids) > 2 and kids[1 if before else -2].type == "strip_marker"


def _strips(node: Any, before: bool) -> bool:
    """Whether an interpolation or directive strips the whitespace before it (its first part's ``{~``) or after
    it (its last part's ``~}``)."""
    if node.type == "template_interpolation":
        return _marker(node, before)
    parts = node.children[0].children if node.children else []
    return bool(parts) and _marker(parts[0 if before else -1], before)


def _truthy(v: Any) -> bool:
    if isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise EvalError(f"condition is {type(v).__name__}, not bool")


class Evaluator:
    """Evaluates expressions of one module instance; ``bindings`` hold count/each/for names."""

    def __init__(self, ctx: ModuleContext) -> None:
        self.ctx = ctx
        self._iterations = 0  # for-expression iterations of the expression being evaluated (MAX_ITERATIONS)

    # -- entry points ------------------------------------------------------------------
    def eval(self, expr: Any, bindings: dict[str, Any] | None = None) -> Any:
        """The value of an expression; what Terraform itself would reject is an EvalError, never another exception
        (a value of the wrong type in an odd place, a numeric overflow, nesting past the recursion limit)."""
        outer, self._iterations = self._iterations, 0  # a local read on the way is bounded on its own
        try:
            if isinstance(expr, JsonExpr):
                return self._json(expr.value, bindings or {})
            return self._ev(expr, bindings or {})
        except EvalError:
            raise
        except RecursionError as exc:
            raise EvalError("expression nested too deeply to evaluate") from exc
        except (TypeError, ValueError, AttributeError, IndexError, KeyError, StopIteration, ZeroDivisionError,
                OverflowError, MemoryError) as exc:
            raise EvalError(f"cannot evaluate this expression ({type(exc).__name__}: {exc})") from exc
        finally:
            self._iterations = outer

    def _json(self, value: Any, b: dict[str, Any]) -> Any:
        if isinstance(value, str):
            if "${" not in value and "%{" not in value:
                return value
            expr, _ = _as_template(value)
            if expr is None:
                return Unknown("unparsable template in .tf.json")
            result = self._ev(expr, b)
            if isinstance(result, str) and result.endswith("\n"):
                result = result[:-1]
            return result
        if isinstance(value, list):
            return [self._json(v, b) for v in value]
        if isinstance(value, dict):
            return {k: self._json(v, b) for k, v in value.items()}
        return value

    # -- dispatch ----------------------------------------------------------------------
    def _ev(self, node: Any, b: dict[str, Any]) -> Any:
        handler = self._HANDLERS.get(node.type)
        if handler is None:
            if node.type in ("ERROR",) or node.is_missing:
                raise EvalError("syntax error in expression")
            return self._seq(node.children, b)
        return handler(self, node, b)

    def _expression(self, node: Any, b: dict[str, Any]) -> Any:
        children = node.children
        if len(children) == 1 and children[0].type not in ("variable_expr", "comment"):
            return self._ev(children[0], b)  # a term without postfix operators: most expressions
        return self._seq(children, b)

    def _seq(self, nodes: list[Any], b: dict[str, Any]) -> Any:
        """A term followed by postfix operators (index, attribute, splat)."""
        nodes = [n for n in nodes if n.type != "comment"]
        if not nodes:
            raise EvalError("empty expression")
        first = nodes[0]
        i = 1
        if first.type == "(":
            value = self._ev(nodes[1], b)
            i = 3
        elif first.type == "variable_expr":
            value, i = self._reference(nodes, b)
        else:
            value = self._ev(first, b)
        for n in nodes[i:]:
            value = self._postfix(value, n, b)
        return value

    # -- literals ----------------------------------------------------------------------
    def _literal(self, node: Any, b: dict[str, Any]) -> Any:
        child = node.children[0]
        t = child.type
        if t == "numeric_lit":
            return _number(_txt(child))
        if t == "bool_lit":
            return _txt(child) == "true"
        if t == "null_lit":
            return None
        return self._ev(child, b)

    def _string_lit(self, node: Any, b: dict[str, Any]) -> Any:
        return _unescape(quoted_text(node))

    def _tuple(self, node: Any, b: dict[str, Any]) -> Any:
        return [self._ev(c, b) for c in node.children if c.type == "expression"]

    def _object(self, node: Any, b: dict[str, Any]) -> Any:
        out: dict[str, Any] = {}
        for elem in node.children:
            if elem.type != "object_elem":
                continue
            exprs = [c for c in elem.children if c.type == "expression"]
            key_node, value_node = exprs[0], exprs[-1]
            key = self._object_key(key_node, b)
            if is_unknown(key):
                return merge_unknown(key)
            out[to_str(key)] = self._ev(value_node, b)
        return out

    def _object_key(self, node: Any, b: dict[str, Any]) -> Any:
        kids = node.children
        if len(kids) == 1 and kids[0].type == "variable_expr":
            return _txt(kids[0])
        return self._ev(node, b)

    def _collection(self, node: Any, b: dict[str, Any]) -> Any:
        return self._ev(node.children[0], b)

    # -- templates ---------------------------------------------------------------------
    def _template_expr(self, node: Any, b: dict[str, Any]) -> Any:
        return self._ev(node.children[0], b)

    def _quoted_template(self, node: Any, b: dict[str, Any]) -> Any:
        kids = node.children
        start = kids[0].end_byte
        end = kids[-1].start_byte if kids[-1].type == "quoted_template_end" else node.end_byte
        return self._render(node, kids[1:-1], start, end, b, escapes=True)

    def _heredoc(self, node: Any, b: dict[str, Any]) -> Any:
        kids = node.children
        idents = [k for k in kids if k.type == "heredoc_identifier"]
        if len(idents) < 2:
            raise EvalError("unterminated heredoc")
        raw = node.text
        base = node.start_byte
        body_start = raw.find(b"\n", idents[0].end_byte - base) + 1 + base
        closing_line_start = raw.rfind(b"\n", 0, idents[-1].start_byte - base) + 1 + base
        parts = [k for k in kids if k.start_byte >= body_start and k.end_byte <= closing_line_start
                 and k.type in ("template_interpolation", "template_directive", "template_literal")]
        value = self._render(node, parts, body_start, closing_line_start, b, escapes=False)
        indent = any(k.type == "heredoc_start" and b"-" in k.text for k in kids)
        if indent and isinstance(value, str):
            lines = value.split("\n")
            widths = [len(ln) - len(ln.lstrip()) for ln in lines if ln.strip()]
            cut = min(widths) if widths else 0
            value = "\n".join(ln[cut:] for ln in lines)
        return value

    def _render(self, node: Any, parts: list[Any], start: int, end: int, b: dict[str, Any],
                escapes: bool) -> Any:
        raw = node.text
        base = node.start_byte
        dynamic = [p for p in parts if p.type in _DYNAMIC]
        if len(dynamic) == 1 and dynamic[0].type == "template_interpolation":
            literal = raw[start - base:dynamic[0].start_byte - base] + raw[dynamic[0].end_byte - base:end - base]
            if not literal.strip() and escapes:
                return self._interpolation(dynamic[0], b)  # "${x}" keeps x's type
        pieces: list[str] = []
        unknowns: list[Any] = []
        self._render_into(_Text(raw, base, escapes), start, end, dynamic, b, pieces, unknowns)
        if unknowns:
            return merge_unknown(*unknowns)
        if why := too_long(sum(map(len, pieces))):  # templates that double a string 40 times over
            raise EvalError(why)
        return "".join(pieces)

    def _render_into(self, text: _Text, start: int, end: int, dynamic: list[Any], b: dict[str, Any],
                     pieces: list[str], unknowns: list[Any], strip_first: bool = False,
                     strip_last: bool = False) -> None:
        """The text between ``start`` and ``end`` with its interpolations and directives (``dynamic``, in order)
        rendered into ``pieces``; ``~`` strip markers remove the whitespace beside them, as Terraform does."""
        pos, strip_next = start, strip_first
        for p in dynamic:
            pieces.append(text.chunk(pos, p.start_byte, strip_next, _strips(p, before=True)))
            if p.type == "template_interpolation":
                v = self._interpolation(p, b)
                if is_unknown(v):
                    unknowns.append(v)
                elif isinstance(v, (dict, list)):
                    raise EvalError("cannot interpolate a collection into a string")
                else:
                    pieces.append(to_str(v))
            else:
                self._directive(text, p.children[0], b, pieces, unknowns)
            pos, strip_next = p.end_byte, _strips(p, before=False)
        pieces.append(text.chunk(pos, end, strip_next, strip_last))

    def _directive(self, text: _Text, node: Any, b: dict[str, Any], pieces: list[str], unknowns: list[Any]) -> None:
        """%{ if }...%{ else }...%{ endif } and %{ for x in xs }...%{ endfor } of a template."""
        kids = node.children
        marks = [k for k in kids if k.type.startswith(("template_for_", "template_if_", "template_else_"))]
        expr = next((c for c in marks[0].children if c.type == "expression"), None)
        if len(marks) < 2 or expr is None:
            raise EvalError("incomplete template directive")
        value = self._ev(expr, b)
        if is_unknown(value):
            unknowns.append(value)
            return

        def body(after: Any, before: Any, scope: dict[str, Any]) -> None:
            inner = [k for k in kids if k.type in _DYNAMIC and after.end_byte <= k.start_byte < before.start_byte]
            self._render_into(text, after.end_byte, before.start_byte, inner, scope, pieces, unknowns,
                              _marker(after, before=False), _marker(before, before=True))

        if node.type == "template_if":
            if _truthy(value):
                body(marks[0], marks[1], b)
            elif len(marks) == 3:
                body(marks[1], marks[2], b)
            return
        names = [_txt(c) for c in marks[0].children if c.type == "identifier"]
        for scope in self._scopes(names, value, b, "a template for directive"):
            body(marks[0], marks[-1], scope)

    def _interpolation(self, node: Any, b: dict[str, Any]) -> Any:
        expr = next((c for c in node.children if c.type == "expression"), None)
        if expr is None:
            raise EvalError("empty interpolation")
        return self._ev(expr, b)

    # -- references --------------------------------------------------------------------
    def _reference(self, nodes: list[Any], b: dict[str, Any]) -> tuple[Any, int]:
        name = _txt(nodes[0])

        def attr_at(i: int) -> str | None:
            if i < len(nodes) and nodes[i].type == "get_attr":
                return _txt(nodes[i].children[-1])
            return None

        if name in b:
            return b[name], 1
        ctx = self.ctx
        if name == "var":
            key = attr_at(1)
            if key is None:
                raise EvalError("var without a name")
            return ctx.variable(key), 2
        if name == "local":
            key = attr_at(1)
            if key is None:
                raise EvalError("local without a name")
            return ctx.local(key), 2
        if name == "module":
            mod = attr_at(1)
            if mod is None:
                raise EvalError("module without a name")
            i = 2
            key: Any = None
            if i < len(nodes) and nodes[i].type == "index":
                key = self._index_key(nodes[i], b)
                i += 1
            output = attr_at(i)
            if output is None:
                return Unknown(f"module.{mod} used as a whole", (f"{ctx.prefix}module.{mod}",)), i
            return ctx.module_output(mod, key, output), i + 1
        if name == "data":
            dtype, dname = attr_at(1), attr_at(2)
            addr = f"{ctx.prefix}data.{dtype}.{dname}"
            return Unknown(f"{addr} is read at apply time", (addr,)), 3 if dname else 2
        if name == "path":
            which = attr_at(1) or ""
            if which == "cwd":  # where terraform runs: the root module's directory (``basename(path.cwd)`` names)
                return os.path.abspath(ctx.root_directory), 2
            if which == "module":  # as Terraform has it: relative to where it runs (".", "modules/gpu")
                return os.path.relpath(ctx.directory, ctx.root_directory), 2
            return "." if which == "root" else "", 2
        if name == "terraform":
            return "default", 2
        if name in ("count", "each", "self"):
            raise EvalError(f"{name} is not available here")
        at = 1
        if name == "resource" and attr_at(2) is not None:  # resource.<type>.<name>: Terraform's explicit spelling
            name, at = attr_at(1) or "", 2
        rname = attr_at(at)
        if rname is None:
            raise EvalError(f"unknown name '{name}'")
        i = at + 1
        index: Any = None
        if i < len(nodes) and nodes[i].type == "index":
            index = self._index_key(nodes[i], b)
            i += 1
        attribute = attr_at(i)
        value = ctx.resource_attribute(name, rname, index, attribute)
        return value, i + 1 if attribute else i

    def _index_key(self, node: Any, b: dict[str, Any]) -> Any:
        inner = node.children[0]
        if inner.type == "legacy_index":
            return int(_txt(inner).lstrip("."))
        expr = next(c for c in inner.children if c.type == "expression")
        return self._ev(expr, b)

    def _postfix(self, value: Any, node: Any, b: dict[str, Any]) -> Any:
        t = node.type
        if is_unknown(value):
            return value
        if t == "get_attr":
            key = _txt(node.children[-1])
            if isinstance(value, dict):
                if key not in value:
                    address = getattr(value, "address", None)  # a nested block of another resource
                    if address is not None:
                        return Unknown(f"{address}: .{key} is known after apply", (address,))
                    raise EvalError(f"no attribute '{key}'")
                return value[key]
            raise EvalError(f"cannot read '.{key}' of {type(value).__name__}")
        if t == "index":
            key = self._index_key(node, b)
            if is_unknown(key):
                return key
            if isinstance(value, dict):
                if to_str(key) not in value:
                    raise EvalError(f"no key {key!r}")
                return value[to_str(key)]
            if isinstance(value, list):
                idx = int(_as_number(key))
                if not 0 <= idx < len(value):
                    raise EvalError(f"index {idx} out of range")
                return value[idx]
            raise EvalError(f"cannot index {type(value).__name__}")
        if t == "splat":
            return self._splat(value, node.children[0], b)
        raise EvalError(f"unexpected {t}")

    def _splat(self, value: Any, node: Any, b: dict[str, Any]) -> Any:
        items = [] if value is None else value if isinstance(value, list) else [value]
        ops = [c for c in node.children if c.type in ("get_attr", "index")]
        out = []
        for item in items:
            for op in ops:
                item = self._postfix(item, op, b)
            out.append(item)
        return out

    # -- operators ---------------------------------------------------------------------
    def _operation(self, node: Any, b: dict[str, Any]) -> Any:
        return self._ev(node.children[0], b)

    def _binary(self, node: Any, b: dict[str, Any]) -> Any:
        kids = node.children
        k = next(i for i, c in enumerate(kids) if not c.is_named and c.type in _BINARY_OPS)
        op = kids[k].type
        left = self._seq(kids[:k], b)
        if op in ("&&", "||"):
            if not is_unknown(left):
                lb = _truthy(left)
                if op == "&&" and not lb:
                    return False
                if op == "||" and lb:
                    return True
            right = self._seq(kids[k + 1:], b)
            if is_unknown(left) or is_unknown(right):
                if not is_unknown(right):
                    rb = _truthy(right)
                    if (op == "&&" and not rb) or (op == "||" and rb):
                        return rb
                return merge_unknown(left, right)
            return _truthy(right)
        right = self._seq(kids[k + 1:], b)
        if is_unknown(left) or is_unknown(right):
            return merge_unknown(left, right)
        if op in ("==", "!=", "<", ">", "<=", ">="):
            return _compare(op, left, right)
        return _arith(op, left, right)

    def _unary(self, node: Any, b: dict[str, Any]) -> Any:
        kids = node.children
        op = kids[0].type
        value = self._seq(kids[1:], b)
        if is_unknown(value):
            return value
        if op == "!":
            return not _truthy(value)
        return -_as_number(value)

    def _conditional(self, node: Any, b: dict[str, Any]) -> Any:
        """``c ? x : y``. tree-sitter-hcl nests a chain ``a ? x : b ? y : z`` to the left, as ``(a ? x : b) ? y
        : z``; HCL groups it to the right, ``a ? x : (b ? y : z)``, and so is it evaluated."""
        pairs: list[tuple[Any, Any]] = []  # (then, else) of each conditional nested on the condition side
        while True:
            exprs = [c for c in node.children if c.type == "expression"]
            inner = _bare_conditional(exprs[0])
            if inner is None:
                break
            pairs.append((exprs[1], exprs[2]))
            node = inner
        conditions, results, otherwise = [exprs[0]], [exprs[1]], exprs[2]
        for then, other in reversed(pairs):
            conditions.append(otherwise)
            results.append(then)
            otherwise = other
        return self._select(conditions, results, otherwise, b)

    def _select(self, conditions: list[Any], results: list[Any], otherwise: Any, b: dict[str, Any]) -> Any:
        """``conditions[0] ? results[0] : (conditions[1] ? results[1] : ... otherwise)``."""
        if not conditions:
            return self._ev(otherwise, b)
        cond = self._ev(conditions[0], b)
        if is_unknown(cond):
            yes, no = self._ev(results[0], b), self._select(conditions[1:], results[1:], otherwise, b)
            if not is_unknown(yes) and yes == no:
                return yes
            return merge_unknown(cond)
        if _truthy(cond):
            return self._ev(results[0], b)
        return self._select(conditions[1:], results[1:], otherwise, b)

    # -- functions ---------------------------------------------------------------------
    def _call(self, node: Any, b: dict[str, Any]) -> Any:
        name = _txt(node.children[0])
        arg_node = next((c for c in node.children if c.type == "function_arguments"), None)
        arg_exprs = [c for c in arg_node.children if c.type == "expression"] if arg_node else []
        expand = arg_node is not None and any(c.type == "ellipsis" for c in arg_node.children)
        if name == "try":
            last_error = "None"  # the message, not the exception: its traceback holds this frame (a cycle)
            for e in arg_exprs:
                try:
                    return self._ev(e, b)
                except (EvalError, FunctionError, TypeError, KeyError, ValueError) as exc:
                    last_error = str(exc)
            raise EvalError(f"try(): no argument succeeded ({last_error})")
        if name == "can":
            try:
                v = self._ev(arg_exprs[0], b)
            except (EvalError, FunctionError, TypeError, KeyError, ValueError):
                return False
            return v if is_unknown(v) else True
        if name in _FILE_FUNCTIONS:
            return self._file_call(name, [self._ev(e, b) for e in arg_exprs])
        fn: Callable[..., Any] | None = FUNCTIONS.get(name)
        if fn is None:
            return Unknown(f"function {name}() is not evaluated statically")
        args = [self._ev(e, b) for e in arg_exprs]
        if expand and args:
            tail = args.pop()
            if is_unknown(tail):
                return tail
            args.extend(tail)
        try:
            result = fn(*args)
        except FunctionError as exc:
            raise EvalError(f"{name}(): {exc}") from exc
        except (TypeError, ValueError, AttributeError, IndexError, KeyError) as exc:
            raise EvalError(f"{name}(): invalid arguments ({exc})") from exc
        if isinstance(result, str) and (why := too_long(len(result))):
            raise EvalError(f"{name}(): {why}")
        return result

    def _file_call(self, name: str, args: list[Any]) -> Any:
        """file(), fileexists(), fileset() and templatefile(): files of the scanned tree, read as Terraform reads
        them at plan time (linter/sources/terraform/file_functions.py)."""
        from linter.sources.terraform import file_functions as ff

        if any(is_unknown(a) for a in args):
            return merge_unknown(*[a for a in args if is_unknown(a)])
        where = (self.ctx.directory, self.ctx.root_directory)
        try:
            if name in ("file", "templatefile") or name[4:] in ff.DIGESTS:
                self.ctx.loader.function_reads.add(os.path.realpath(ff.resolve(to_str(args[0]), *where)))
            if name == "file" and len(args) == 1:
                return ff.read_file(to_str(args[0]), *where)
            if name == "fileexists" and len(args) == 1:
                return ff.file_exists(to_str(args[0]), *where)
            if name == "fileset" and len(args) == 2:
                return ff.fileset(to_str(args[0]), to_str(args[1]), *where)
            if name.startswith("file") and name[4:] in ff.DIGESTS and len(args) == 1:
                return ff.digest(name[4:], to_str(args[0]), *where)
            if name == "templatefile" and len(args) == 2 and isinstance(args[1], dict):
                return self._template(ff.read_file(to_str(args[0]), *where), args[1])
        except FunctionError as exc:
            raise EvalError(f"{name}(): {exc}") from exc
        except OSError as exc:
            raise EvalError(f"{name}(): {exc.strerror or exc}") from exc
        raise EvalError(f"{name}(): invalid arguments")

    def _template(self, text: str, variables: dict[str, Any]) -> Any:
        """A template file rendered with its variables (a heredoc of its text, evaluated with them bound)."""
        expr, broken = _as_template(text)
        if expr is None or broken:
            return Unknown("templatefile(): the template does not parse")
        result = self._ev(expr, {str(k): v for k, v in variables.items()})
        return result[:-1] if isinstance(result, str) and result.endswith("\n") else result  # the heredoc's own

    # -- for expressions ---------------------------------------------------------------
    def _for(self, node: Any, b: dict[str, Any]) -> Any:
        inner = node.children[0]
        intro = next(c for c in inner.children if c.type == "for_intro")
        names = [_txt(c) for c in intro.children if c.type == "identifier"]
        coll = self._ev(next(c for c in intro.children if c.type == "expression"), b)
        if is_unknown(coll):
            return coll
        exprs = [c for c in inner.children if c.type == "expression"]
        cond = next((c for c in inner.children if c.type == "for_cond"), None)
        grouping = any(c.type == "ellipsis" for c in inner.children)
        is_object = inner.type == "for_object_expr"
        out_list: list[Any] = []
        out_map: dict[str, Any] = {}
        for scope in self._scopes(names, coll, b, "a for expression"):
            if cond is not None:
                keep = self._ev(next(c for c in cond.children if c.type == "expression"), scope)
                if is_unknown(keep):
                    return keep
                if not _truthy(keep):
                    continue
            if is_object:
                key = self._ev(exprs[0], scope)
                if is_unknown(key):
                    return key
                value = self._ev(exprs[1], scope)
                if grouping:
                    out_map.setdefault(to_str(key), []).append(value)
                else:
                    out_map[to_str(key)] = value
            else:
                out_list.append(self._ev(exprs[0], scope))
        return out_map if is_object else out_list

    def _scopes(self, names: list[str], coll: Any, b: dict[str, Any], what: str) -> Iterator[dict[str, Any]]:
        """The bindings of each iteration of a for expression or directive (``x`` or ``k, v`` over a list, set or
        map), counted against MAX_ITERATIONS: nested loops over 1,024-number ranges would take 10^9 steps."""
        if coll is not None and not isinstance(coll, (dict, list, tuple, set, frozenset)):
            raise EvalError(f"{what} needs a list, set or map, not {type(coll).__name__}")
        pairs = list(coll.items()) if isinstance(coll, dict) else list(enumerate(coll or []))
        self._iterations += len(pairs)
        if self._iterations > MAX_ITERATIONS:
            raise EvalError(f"for expressions run more than {MAX_ITERATIONS:,} iterations in one expression")
        for k, v in pairs:  # one at a time: a million iterations never hold a million scopes
            scope = dict(b)
            if len(names) == 2:
                scope[names[0]], scope[names[1]] = k, v
            else:
                scope[names[0]] = v
            yield scope

    _HANDLERS: dict[str, Callable[[Evaluator, Any, dict[str, Any]], Any]] = {
        "expression": _expression,
        "literal_value": _literal,
        "string_lit": _string_lit,
        "collection_value": _collection,
        "tuple": _tuple,
        "object": _object,
        "template_expr": _template_expr,
        "quoted_template": _quoted_template,
        "heredoc_template": _heredoc,
        "operation": _operation,
        "binary_operation": _binary,
        "unary_operation": _unary,
        "conditional": _conditional,
        "function_call": _call,
        "for_expr": _for,
    }
