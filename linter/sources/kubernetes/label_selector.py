"""Kubernetes label selectors as text (``app=vllm,tier in (gpu,cpu),!canary``), as a Kustomize patch target's
``labelSelector`` and ``annotationSelector`` write them.

A port of the parser kustomize uses (kyaml/yaml/internal/k8sgen/pkg/labels/selector.go, from apimachinery):
equality (``=``, ``==``, ``!=``), set-based (``in``, ``notin``), existence (``key``, ``!key``) and ``>``/``<`` on
integers, keys and values checked as Kubernetes checks them. A selector that does not parse makes kustomize stop
the build; ``SelectorError`` says why, in its words.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

_SPECIAL = frozenset("=!(),><")
_SPACE = frozenset(" \t\r\n")
_TOKENS = {")": ")", ",": ",", "!": "!", "==": "==", "=": "=", ">": ">", "in": "in", "<": "<", "!=": "!=",
           "notin": "notin", "(": "("}
_ID, _END = "identifier", "end of string"
_NAME = re.compile(r"(?:[A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9]\Z")
_INTEGER = re.compile(r"[+-]?[0-9]+\Z")  # Go's strconv.ParseInt, base 10
_DNS_SUBDOMAIN = re.compile(r"[a-z0-9](?:[-a-z0-9]*[a-z0-9])?(?:\.[a-z0-9](?:[-a-z0-9]*[a-z0-9])?)*\Z")

Requirement = tuple[str, str, tuple[str, ...]]  # (key, operator, values)


class SelectorError(ValueError):
    """A selector kustomize refuses to parse."""


def parse(selector: str) -> list[Requirement]:
    """The requirements of ``selector``, all of which an object's labels must meet."""
    items = _lex(selector)
    pos = 0

    def peek(values: bool = True) -> tuple[str, str]:
        tok, lit = items[pos]
        return (_ID, lit) if values and tok in ("in", "notin") else (tok, lit)

    def take(values: bool = True) -> tuple[str, str]:
        nonlocal pos
        got = peek(values)
        pos += 1
        return got

    out: list[Requirement] = []
    while True:
        tok, lit = peek()
        if tok == _END:
            return out
        if tok not in (_ID, "!"):
            raise SelectorError(f"found '{lit}', expected: !, identifier, or 'end of string'")
        # [!] KEY
        operator = ""
        tok, lit = take()
        if tok == "!":
            operator = "!"
            tok, lit = take()
        if tok != _ID:
            raise SelectorError(f"unable to parse requirement: found '{lit}', expected: identifier")
        key = _key(lit)
        if peek()[0] in (_END, ","):
            out.append((key, operator or "exists", ()))
        elif operator == "!":
            raise SelectorError(f"unable to parse requirement: found '{peek()[1]}', expected: ',' or 'end of string'")
        else:
            op, op_lit = take(values=False)
            if op in ("in", "notin"):
                values = _set(take, peek)
            elif op in ("=", "==", "!=", ">", "<"):
                values = _exact(take, peek)
            else:
                raise SelectorError(f"unable to parse requirement: found '{op_lit}', expected: '=', '!=', '==', "
                                    "'in', notin'")
            out.append(_requirement(key, op, values))
        tok, lit = take()
        if tok == _END:
            return out
        if tok != ",":
            raise SelectorError(f"found '{lit}', expected: ',' or 'end of string'")
        if peek()[0] not in (_ID, "!"):
            raise SelectorError(f"found '{peek()[1]}', expected: identifier after ','")


def matches(requirements: list[Requirement], labels: Mapping[str, Any]) -> bool:
    """Whether labels meet every requirement (no requirement: every object)."""
    return all(_meets(r, labels) for r in requirements)


def _meets(requirement: Requirement, labels: Mapping[str, Any]) -> bool:
    key, op, values = requirement
    if op == "exists":
        return key in labels
    if op == "!":
        return key not in labels
    if key not in labels:
        return op in ("notin", "!=")
    value = _text(labels[key])
    if op in ("in", "=", "=="):
        return value in values
    if op in ("notin", "!="):
        return value not in values
    if not _INTEGER.match(value):
        return False
    return int(value) > int(values[0]) if op == ">" else int(value) < int(values[0])


def _text(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    return "" if value is None else str(value)


def _lex(selector: str) -> list[tuple[str, str]]:
    out: list[tuple[str, str]] = []
    i, n = 0, len(selector)
    while True:
        while i < n and selector[i] in _SPACE:
            i += 1
        if i >= n:
            out.append((_END, ""))
            return out
        if selector[i] in _SPECIAL:  # the longest run of symbols that is a token: "!=" and "==" before "!" and "="
            last, j = "", i
            while j < n and selector[j] in _SPECIAL:
                if selector[i:j + 1] in _TOKENS:
                    last = selector[i:j + 1]
                elif last:
                    break
                j += 1
            if not last:
                raise SelectorError(f"error expected: keyword found '{selector[i:j]}'")
            out.append((_TOKENS[last], last))
            i += len(last)
            continue
        j = i
        while j < n and selector[j] not in _SPECIAL and selector[j] not in _SPACE:
            j += 1
        word = selector[i:j]
        out.append((_TOKENS.get(word, _ID), word))
        i = j


def _set(take: Any, peek: Any) -> tuple[str, ...]:
    """``(a,b,c)``: empty values allowed, as in ``(a,,c)`` or ``()``."""
    tok, lit = take()
    if tok != "(":
        raise SelectorError(f"unable to parse requirement: found '{lit}' expected: '('")
    tok, lit = peek()
    if tok == ")":
        take()
        return ("",)
    if tok not in (_ID, ","):
        raise SelectorError(f"unable to parse requirement: found '{lit}', expected: ',', ')' or identifier")
    values: list[str] = []
    while True:
        tok, lit = take()
        if tok == _ID:
            values.append(lit)
            nxt, nxt_lit = peek()
            if nxt == ")":
                break
            if nxt != ",":
                raise SelectorError(f"unable to parse requirement: found '{nxt_lit}', expected: ',' or ')'")
        elif tok == ",":
            if not values:
                values.append("")
            nxt = peek()[0]
            if nxt == ")":
                values.append("")
                break
            if nxt == ",":
                take()
                values.append("")
        else:
            raise SelectorError(f"unable to parse requirement: found '{lit}', expected: ',', or identifier")
    take()  # ")"
    return tuple(sorted(set(values)))


def _exact(take: Any, peek: Any) -> tuple[str, ...]:
    tok, lit = peek()
    if tok in (_END, ","):
        return ("",)
    tok, lit = take()
    if tok != _ID:
        raise SelectorError(f"unable to parse requirement: found '{lit}', expected: identifier")
    return (lit,)


def _requirement(key: str, op: str, values: tuple[str, ...]) -> Requirement:
    if op in (">", "<") and not _INTEGER.match(values[0]):
        raise SelectorError("unable to parse requirement: for 'Gt', 'Lt' operators, the value must be an integer")
    for value in values:
        if len(value) > 63 or (value and not _NAME.match(value)):
            raise SelectorError(f"unable to parse requirement: invalid label value: {value!r}: at key: {key!r}")
    return (key, op, values)


def _key(key: str) -> str:
    """A qualified name: ``[DNS subdomain/]name``, the name at most 63 characters."""
    prefix, slash, name = key.rpartition("/")
    if slash and (not prefix or "/" in prefix or len(prefix) > 253 or not _DNS_SUBDOMAIN.match(prefix)):
        raise SelectorError(f"unable to parse requirement: invalid label key {key!r}")
    if not name or len(name) > 63 or not _NAME.match(name):
        raise SelectorError(f"unable to parse requirement: invalid label key {key!r}")
    return key
