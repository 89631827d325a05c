"""The parser steps over the text inside string literals (``literal_spans``); the tree it gives must be the tree
of the whole file, less the strings' template_literal nodes, with every offset, line and text the same."""

from __future__ import annotations

from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st
from test_properties import BOUNDED

from conftest import EXAMPLES
from linter.sources.terraform.hcl_parse import _parser, parse_hcl_bytes
from linter.sources.terraform.literal_spans import literal_spans

FIXTURES = Path(__file__).parent / "fixtures" / "terraform"


def _nodes(tree: object) -> list[tuple[object, ...]]:
    """Every node but template_literal: type, offsets, lines and columns, text."""
    out: list[tuple[object, ...]] = []
    stack = [tree.root_node]  # type: ignore[attr-defined]
    while stack:
        node = stack.pop()
        if node.type != "template_literal":
            out.append((node.type, node.start_byte, node.end_byte, node.start_point, node.end_point, node.text,
                        node.is_missing))
            stack.extend(reversed(node.children))
    return out


def assert_same_tree(data: bytes) -> None:
    whole = _parser().parse(data)
    stepped = parse_hcl_bytes(data)
    assert stepped.root_node.has_error == whole.root_node.has_error
    assert _nodes(stepped) == _nodes(whole)


def _spans_text(data: bytes) -> list[bytes]:
    return [data[start:end] for start, end in literal_spans(data)]


def test_the_text_of_plain_strings_labels_and_template_pieces_is_stepped_over() -> None:
    data = (b'resource "aws_instance" "gpu" {\n'
            b'  instance_type = "p4d.24xlarge"   # "not a string"\n'
            b'  ami           = ""\n'
            b'  tags = { Name = "${var.env}-trainer-${lookup(var.names, "gpu", "x")}", Note = "50% \\"off\\"" }\n'
            b'}\n')
    assert _spans_text(data) == [b"aws_instance", b"gpu", b"p4d.24xlarge", b"-trainer-", b"gpu", b"x",
                                 b'50% \\"off\\"']
    assert_same_tree(data)


def test_comments_and_heredocs_are_not_strings() -> None:
    data = (b'/* a "block" comment\n spanning "lines" */\n'
            b'// line "comment"\n'
            b'locals {\n'
            b'  policy = <<-EOT\n'
            b'    {"Action": "s3:GetObject", "Resource": "${aws_s3_bucket.b.arn}/*"}\n'
            b'    EOT\n'
            b'  name = "after"\n'
            b'}\n')
    assert _spans_text(data) == [b"after"]
    assert_same_tree(data)


def test_escapes_signs_unicode_and_crlf() -> None:
    data = ('locals {\r\n'
            '  a = "caf\u00e9 \\u00e9 \\U0001F600 \\t \\\\"\r\n'
            '  b = "$${not.interpolated} %%{not.a.directive} 100% $5"\r\n'
            '  c = "${var.x}"\r\n'
            '  d = "%{ if var.on }on%{ else }off%{ endif }"\r\n'
            '}\r\n').encode()
    assert _spans_text(data) == ['caf\u00e9 \\u00e9 \\U0001F600 \\t \\\\'.encode(),
                                 b"$${not.interpolated} %%{not.a.directive} 100% $5", b"on", b"off"]
    assert_same_tree(data)


@pytest.mark.parametrize("data", [
    b'a = "\\q"\n',  # an escape HCL does not have: the parser reports it
    b'a = "open\nb = 1\n',  # a string left open at the line's end
    b'a = "$$${x}"\n',  # three signs before a brace: the parser decides
    b'a = "${var.x"\n',  # an interpolation left open
    b'a = <<EOT\nnever closed\n',  # a heredoc left open
    b'a = <<EOT "x"\nEOT\n',  # << that starts no heredoc
])
def test_what_the_scan_is_unsure_of_is_parsed_whole(data: bytes) -> None:
    assert literal_spans(data) == []
    assert_same_tree(data)


def test_a_file_with_a_syntax_error_is_parsed_whole_so_the_errors_are_the_parsers() -> None:
    data = b'resource "aws_instance" "a" {\n  instance_type = "p4d.24xlarge"\n  ami = \n}\n'
    assert literal_spans(data)
    assert_same_tree(data)
    assert parse_hcl_bytes(data).root_node.has_error


def test_every_terraform_fixture_and_example_parses_to_the_same_tree() -> None:
    files = [p for base in (FIXTURES, EXAMPLES) for p in sorted(base.rglob("*"))
             if p.suffix in (".tf", ".tfvars") and p.is_file()]
    assert len(files) > 50
    stepped = 0
    for path in files:
        data = path.read_bytes()
        stepped += bool(literal_spans(data))
        assert_same_tree(data)
    assert stepped > len(files) * 0.8  # the scan is sure of nearly every real file


# Generated HCL: strings with escapes, signs and interpolations holding strings, heredocs, comments with quotes
_TEXT_PIECES = st.sampled_from(["a", " ", "-", "/", "#", "*", "<", "{", "}", "$", "%", "~", ":", "\u00e9", "\\n",
                                '\\"', "\\\\", "\\u00e9", "$${", "%%{", "//", "/*", "<<EOT", "\\q", "$$$"])
_TEXT = st.lists(_TEXT_PIECES, max_size=6).map("".join)
_LEAF = st.sampled_from(["var.x", "1", "true", "null", 'local.a["k"]', "each.key"])


def _expression(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    interpolation = st.tuples(st.sampled_from(["", "~"]), inner).map(lambda t: f"${{{t[0]}{t[1]}{t[0]}}}")
    directive = st.tuples(inner, _TEXT, _TEXT).map(lambda t: f"%{{ if {t[0]} }}{t[1]}%{{ else }}{t[2]}%{{ endif }}")
    string = st.lists(st.one_of(_TEXT, interpolation, directive), max_size=4).map(lambda p: '"' + "".join(p) + '"')
    heredoc = st.tuples(st.sampled_from(["<<EOT", "<<-EOT"]), st.lists(st.one_of(_TEXT, string, interpolation),
                                                                        max_size=3)).map(
        lambda t: t[0] + "\n" + "".join(line + "\n" for line in t[1]) + "  EOT\n")
    return st.one_of(
        string, heredoc,
        st.lists(inner, max_size=3).map(lambda xs: "[" + ", ".join(xs) + "]"),
        st.lists(st.tuples(st.one_of(st.just("k"), string), inner), max_size=2).map(
            lambda kvs: "{" + "".join(f" {k} = {v}\n" for k, v in kvs) + "}"),
        st.lists(inner, max_size=3).map(lambda xs: "f(" + ", ".join(xs) + ")"),
        st.tuples(inner, inner, inner).map(lambda t: f"{t[0]} ? {t[1]} : {t[2]}"),
        st.tuples(inner, inner).map(lambda t: f"[for v in {t[0]} : {t[1]}]"),
    )


_EXPRESSION = st.recursive(_LEAF, _expression, max_leaves=8)
_LINE = st.one_of(
    _EXPRESSION.map(lambda e: f"  a = {e}\n"),
    _TEXT.map(lambda t: f"# {t}\n"), _TEXT.map(lambda t: f"/* {t} \"x */\n"),
)
_FILE = st.tuples(st.lists(_LINE, min_size=1, max_size=5), st.booleans()).map(
    lambda t: ('resource "x" "y" {\n' + "".join(t[0]) + "}\n").replace("\n", "\r\n" if t[1] else "\n"))


@BOUNDED
@given(_FILE)
def test_generated_files_parse_to_the_same_tree(text: str) -> None:
    assert_same_tree(text.encode())
