"""Where the text inside a Terraform file's string literals lies, so that the parser can step over it.

tree-sitter-hcl reads a string's text one character at a time (about half a microsecond a character, most of a
``.tf`` file's parse). Nothing reads that text from the syntax tree: the evaluator slices a string's characters out
of the file's bytes, between its quotes and its interpolations. So the parser is given the file minus those texts
(tree-sitter's included ranges): every node keeps its offsets, its line and column and its text, and a string
literal simply has no ``template_literal`` child. Parsing the 1,000-file benchmark corpus takes half the time.

The scan below follows HCL's lexical rules: comments, heredocs (left whole), quoted strings with escapes, and the
``${ }``/``%{ }`` sequences inside them, whose expressions may hold strings of their own. Anything it is not sure of
(an invalid escape, a string left open, an unterminated heredoc) gives no spans, and the file is parsed as written.
"""

from __future__ import annotations

import re
from functools import lru_cache

_ESCAPE = rb'\\(?:[nrt"\\\\]|u[0-9A-Fa-f]{4}|U[0-9A-Fa-f]{8})'
_CHARS = rb'[^"\\\\$%\n\r]*'  # a string's ordinary characters; the patterns below are unrolled loops (linear time)
# a run of $ or % that is text: one not followed by {, or $${ and %%{ (escapes); "$$${" is left to the parser
_SIGNS = rb'\$+(?![{$])|%+(?![{%])'
_ESCAPED_SIGNS = rb'|\$\$\{|%%\{'
# a string without ${ } or %{ }, whole
_PLAIN = re.compile(rb'"(' + _CHARS + rb'(?:(?:' + _ESCAPE + rb'|' + _SIGNS + rb')' + _CHARS + rb')*)"')
# a string's text up to its end, a ${ or %{, or something the scan leaves to the parser
_TEXT = re.compile(_CHARS + rb'(?:(?:' + _ESCAPE + rb'|' + _SIGNS + _ESCAPED_SIGNS + rb')' + _CHARS + rb')*')
_HEREDOC = re.compile(rb'<<-?([A-Za-z_][\w-]*)\r?\n')
# where the scan's state may change: a string, a comment, a heredoc; braces only matter inside ${ }
_NEXT_IN_CODE = re.compile(rb'["#/<]')
_NEXT_IN_INTERPOLATION = re.compile(rb'["#/<{}]')


@lru_cache(maxsize=64)
def _heredoc_end(identifier: bytes) -> re.Pattern[bytes]:
    return re.compile(rb'^[ \t]*' + re.escape(identifier) + rb'[ \t]*\r?$', re.M)


def literal_spans(data: bytes) -> list[tuple[int, int]]:
    """(start, end) byte offsets of the text inside each string literal, in order; [] when unsure."""
    spans: list[tuple[int, int]] = []
    # one entry per ${ } or %{ } being read: the braces opened inside it and not yet closed
    interpolations: list[int] = []
    in_string = False
    pos = 0
    while True:
        if in_string:
            end = _TEXT.match(data, pos).end()  # type: ignore[union-attr]  # (the pattern matches "")
            if end > pos:
                spans.append((pos, end))
            closer = data[end:end + 2]
            if closer[:1] == b'"':
                in_string, pos = False, end + 1
            elif closer in (b"${", b"%{"):
                interpolations.append(0)
                in_string, pos = False, end + 2
            else:  # an invalid escape, a line end or the file's end inside a string: the parser's business
                return []
            continue
        found = (_NEXT_IN_INTERPOLATION if interpolations else _NEXT_IN_CODE).search(data, pos)
        if found is None:
            return [] if interpolations else spans
        pos = found.start()
        char = data[pos]
        if char == 0x22:  # "
            plain = _PLAIN.match(data, pos)
            if plain is None:
                in_string, pos = True, pos + 1
                continue
            if plain.end(1) > plain.start(1):
                spans.append(plain.span(1))
            pos = plain.end()
        elif char == 0x23 or data[pos:pos + 2] == b"//":  # a comment to the line's end
            pos = data.find(b"\n", pos)
            if pos < 0:
                return [] if interpolations else spans
        elif data[pos:pos + 2] == b"/*":
            pos = data.find(b"*/", pos + 2)
            if pos < 0:
                return [] if interpolations else spans
            pos += 2
        elif char == 0x3C and data[pos + 1:pos + 2] == b"<":  # <<EOT: skipped whole
            heredoc = _HEREDOC.match(data, pos)
            closing = _heredoc_end(heredoc.group(1)).search(data, heredoc.end()) if heredoc else None
            if closing is None:
                return []
            pos = closing.end()
        elif char == 0x7B:  # {
            interpolations[-1] += 1
            pos += 1
        elif char == 0x7D:  # }
            if interpolations[-1]:
                interpolations[-1] -= 1
            else:
                interpolations.pop()
                in_string = True  # back in the string the interpolation is part of
            pos += 1
        else:
            pos += 1


def included_ranges(data: bytes, spans: list[tuple[int, int]]) -> list[object]:
    """tree-sitter ranges for the file without ``spans`` (which never hold a line end), lines and columns exact."""
    from tree_sitter import Range

    ranges = []
    start, start_point = 0, (0, 0)
    row, line_start, counted = 0, 0, 0
    for span_start, span_end in spans:
        newlines = data.count(b"\n", counted, span_start)
        if newlines:
            row += newlines
            line_start = data.rfind(b"\n", counted, span_start) + 1
        counted = span_start
        ranges.append(Range(start_point, (row, span_start - line_start), start, span_start))
        start, start_point = span_end, (row, span_end - line_start)
    ranges.append(Range(start_point, (0xFFFFFFFF, 0xFFFFFFFF), start, 0xFFFFFFFF))
    return ranges
