"""Turn Terraform files (native HCL and ``.tf.json``) into blocks with line numbers.

tree-sitter-hcl gives an error-tolerant syntax tree; we keep its expression nodes as they
are and evaluate them lazily, so unused attributes cost nothing.
"""

from __future__ import annotations

import json
from dataclasses import field
from functools import lru_cache
from typing import Any

from linter.records import record


@record(slots=True)
class JsonExpr:
    """An expression from ``.tf.json``: a JSON value whose strings may hold ``${}`` templates."""

    value: Any


Expr = Any  # a tree_sitter.Node or a JsonExpr


@record(slots=True)
class Attr:
    name: str
    expr: Expr
    line: int


@record(slots=True)
class Block:
    type: str
    labels: list[str]
    attrs: dict[str, Attr]
    blocks: list[Block]
    file: str
    line: int

    def first(self, block_type: str) -> Block | None:
        return next((b for b in self.blocks if b.type == block_type), None)


@record(slots=True)
class ParsedFile:
    path: str
    blocks: list[Block] = field(default_factory=list)
    errors: list[tuple[int, str]] = field(default_factory=list)


@lru_cache(maxsize=2)
def _parser(skipping: bool = False) -> Any:
    """One parser reads whole files; the other is given the ranges to read, file by file."""
    import tree_sitter
    import tree_sitter_hcl

    return tree_sitter.Parser(tree_sitter.Language(tree_sitter_hcl.language()))


def parse_hcl_bytes(data: bytes) -> Any:
    """The syntax tree of ``data``, parsed without the text inside its string literals when that can be done
    (``literal_spans``): the same tree, less the strings' ``template_literal`` nodes, in half the time. A file with
    a syntax error is parsed whole, so that its errors are the parser's own."""
    from linter.sources.terraform.literal_spans import included_ranges, literal_spans

    spans = literal_spans(data)
    if spans:
        parser = _parser(True)
        parser.included_ranges = included_ranges(data, spans)
        tree = parser.parse(data)
        if not tree.root_node.has_error:
            return tree
    return _parser().parse(data)


def _text(node: Any) -> str:
    return node.text.decode("utf-8", "replace")


def _error_nodes(node: Any, out: list[Any]) -> list[Any]:
    """Every ERROR or MISSING node under ``node``, outermost first."""
    if node.type == "ERROR" or node.is_missing:
        out.append(node)
        return out
    for child in node.children:
        if child.has_error or child.is_missing:
            _error_nodes(child, out)
    return out


def _describe(node: Any) -> tuple[int, str]:
    """(line, message) for an error node; a missing closer points at what it should close."""
    if node.is_missing:
        opener = node.parent
        while opener is not None and opener.type in ("block_end", "object_end", "tuple_end", "body"):
            opener = opener.parent
        if node.type in ("}", "]", ")", "\"") and opener is not None:
            what = opener.type.replace("_", " ")
            message = f"syntax error: {what} opened here is never closed (missing '{node.type}')"
            return opener.start_point[0] + 1, message
        parent = node.parent or node
        while parent.parent is not None and parent.type in ("expression", "variable_expr", "literal_value"):
            parent = parent.parent
        return parent.start_point[0] + 1, f"syntax error: incomplete {parent.type.replace('_', ' ')} " \
                                          f"(missing {node.type.replace('_', ' ')})"
    snippet = _text(node).strip().splitlines()[0][:40] if node.text and _text(node).strip() else ""
    return node.start_point[0] + 1, (f"syntax error near '{snippet}'" if snippet else "syntax error")


def _collect_errors(node: Any, errors: list[tuple[int, str]]) -> None:
    for err in _error_nodes(node, []):
        item = _describe(err)
        if item not in errors:
            errors.append(item)


def quoted_text(node: Any) -> str:
    """The text between a string literal's quotes, as written (escapes kept). Not its template_literal children:
    tree-sitter-hcl leaves a string's leading and trailing spaces out of them (" " read as "")."""
    raw = node.text
    end = len(raw) - 1 if len(raw) > 1 and raw.endswith(b'"') and node.children[-1].type == "quoted_template_end" \
        else len(raw)
    return raw[1:end].decode("utf-8", "replace")


def _label(node: Any) -> str:
    if node.type == "identifier":
        return _text(node)
    return quoted_text(node)  # string_lit: quoted_template_start, template_literal?, quoted_template_end


def _convert_body(body: Any, path: str, errors: list[tuple[int, str]]) -> tuple[dict[str, Attr], list[Block]]:
    attrs: dict[str, Attr] = {}
    blocks: list[Block] = []
    if body is None:
        return attrs, blocks
    for child in body.children:
        kind = child.type
        if child.has_error:  # ERROR and missing nodes too: the child is dropped, its errors reported
            _collect_errors(child, errors)
            continue
        if kind == "attribute":
            name = _text(child.children[0])
            line = child.start_point[0] + 1
            if name in attrs:  # Terraform rejects this ("Attribute redefined"); the first one is kept
                errors.append((line, f'attribute "{name}" defined twice (first at line {attrs[name].line})'))
                continue
            attrs[name] = Attr(name, child.children[-1], line)
        elif kind == "block":
            blocks.append(_convert_block(child, path, errors))
    for block in blocks:
        if block.type in attrs:  # an argument and a nested block of one name: the block is dropped
            errors.append((block.line, f'attribute "{block.type}" defined twice (first at line '
                                       f'{attrs[block.type].line}, then as a block)'))
    blocks = [b for b in blocks if b.type not in attrs]
    return attrs, blocks


def _convert_block(node: Any, path: str, errors: list[tuple[int, str]]) -> Block:
    children = node.children
    block_type = _text(children[0])
    labels: list[str] = []
    body = None
    for c in children[1:]:
        if c.type in ("string_lit", "identifier"):
            labels.append(_label(c))
        elif c.type == "body":
            body = c
    attrs, blocks = _convert_body(body, path, errors)
    return Block(block_type, labels, attrs, blocks, path, node.start_point[0] + 1)


def parse_hcl_file(path: str, data: bytes) -> ParsedFile:
    """Parse one ``.tf``/``.tfvars`` file; syntax errors are collected, intact blocks kept."""
    tree = parse_hcl_bytes(data)
    root = tree.root_node
    result = ParsedFile(path)
    body = next((c for c in root.children if c.type == "body"), None)
    attrs, blocks = _convert_body(body, path, result.errors)
    for c in root.children:
        if c.type == "ERROR" or c.is_missing:
            _collect_errors(c, result.errors)
    if root.has_error and not result.errors:
        _collect_errors(root, result.errors)
        if not result.errors:
            result.errors.append((1, "syntax error"))
    result.blocks = blocks
    if attrs:  # tfvars files are bare attributes: keep them as a pseudo block
        result.blocks.insert(0, Block("__attributes__", [], attrs, [], path, 1))
    result.errors.sort()
    return result


# --- .tf.json -----------------------------------------------------------------------------

_JSON_LABEL_DEPTH = {"resource": 2, "data": 2, "module": 1, "variable": 1, "output": 1, "provider": 1,
                     "locals": 0, "terraform": 0, "moved": 0, "import": 0, "check": 1}


class _LineIndex:
    """Approximate line lookup for keys in a JSON document (json has no positions)."""

    def __init__(self, text: str) -> None:
        self.text = text
        self.pos = 0

    def line_of_key(self, key: str, start: int = 0) -> tuple[int, int]:
        idx = self.text.find(json.dumps(key), start)
        if idx < 0:
            return 1, start
        return self.text.count("\n", 0, idx) + 1, idx


def parse_tf_json(path: str, text: str) -> ParsedFile:
    result = ParsedFile(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as exc:
        result.errors.append((exc.lineno, f"invalid JSON: {exc.msg}"))
        return result
    except RecursionError:
        from linter.files import TOO_DEEP

        result.errors.append((1, f"invalid JSON: {TOO_DEEP}"))
        return result
    if not isinstance(doc, dict):
        result.errors.append((1, "a .tf.json file must hold a JSON object"))
        return result
    index = _LineIndex(text)
    for block_type, content in doc.items():
        if block_type == "//":
            continue
        depth = _JSON_LABEL_DEPTH.get(block_type, 0)
        line, pos = index.line_of_key(block_type)
        for labels, body, body_line in _json_label_walk(content, depth, index, pos, line):
            for item in body if isinstance(body, list) else [body]:
                if isinstance(item, dict):
                    result.blocks.append(_json_block(block_type, labels, item, path, body_line))
    return result


def _json_label_walk(content: Any, depth: int, index: _LineIndex, pos: int, line: int,
                     labels: tuple[str, ...] = ()) -> list[tuple[list[str], Any, int]]:
    if depth == 0:
        return [(list(labels), content, line)]
    out: list[tuple[list[str], Any, int]] = []
    if isinstance(content, dict):
        for key, value in content.items():
            key_line, key_pos = index.line_of_key(key, pos)
            out.extend(_json_label_walk(value, depth - 1, index, key_pos, key_line, (*labels, key)))
    return out


def _json_block(block_type: str, labels: list[str], body: dict[str, Any], path: str, line: int) -> Block:
    attrs: dict[str, Attr] = {}
    blocks: list[Block] = []
    for key, value in body.items():
        if key == "//":
            continue
        if block_type in ("resource", "data", "module", "provider") and key in _JSON_NESTED_BLOCKS:
            for item in value if isinstance(value, list) else [value]:
                if isinstance(item, dict):
                    blocks.append(_json_block(key, [], item, path, line))
            continue
        if block_type == "variable" and key == "validation":
            continue
        attrs[key] = Attr(key, JsonExpr(value), line)
    return Block(block_type, labels, attrs, blocks, path, line)


# Nested blocks whose presence changes meaning and which the JSON syntax spells as objects.
_JSON_NESTED_BLOCKS = frozenset({"lifecycle", "provisioner", "connection", "dynamic", "default_tags"})
