"""Tell a regular expression that Python's backtracking engine may take exponential time on, before running it.

Terraform's ``regex()`` and ``replace()`` run on RE2, which takes linear time on any pattern; Python's ``re``
backtracks, and a pattern whose repeated part can match the same text in more than one way tries every way
before it gives up: ``(a+)+$``, ``(a|aa)+$`` or ``(\\d{1,3})+$`` on 60 characters that do not match never end.
``danger`` refuses a repeat (more than once) with a part of variable length (``a+``, ``a{1,2}``, ``a?``, ``(a|aa)``)
that can start with what may come right after it, in the same round or the next: the characters that part takes
or leaves can then go either way, and the engine tries every split. This covers a repetition of a repetition
(``(a+)+``, ``(x+x+)+y``) but passes ``^(/[\\w-]+)+$`` and ``^[a-z0-9]+(?:-[a-z0-9]+)*$`` (each round starts
with a character no part ends with: linear, as real modules write them) and ``(\\.\\d{1,3})+``. Alternatives of
one character each (``(x|[a-z])+``) are one character set to ``re``, and pass.

A bounded repeat is refused too when a part can split two ways (``(a+){3}$`` on 200 characters took 1.3 s);
``(\\d{1,3}\\.){3}`` passes. Not refused: a sequence of such parts outside a repeat (``a+a+$``, ``^(.*)-(.*)$``),
whose time grows as a power of the text's length rather than exponentially; such patterns are common, and
Terraform's strings short. A pattern ``re`` cannot parse is left to ``re``, which reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre

AMBIGUOUS = ("a regular expression that repeats a part which can match the same text in more than one way is not "
             "evaluated (it can take exponential time)")

_REPEATS = {_sre.MAX_REPEAT, _sre.MIN_REPEAT, getattr(_sre, "POSSESSIVE_REPEAT", None)}
_ANY_CHAR = "any"  # a first character that cannot be told (a lookaround, a backreference): assume it overlaps
# The characters first-character sets are compared on: ASCII, and one of each kind beyond it.
_ALPHABET = [chr(c) for c in range(128)] + ["\u00a0", "\u00e9", "\u0394", "\u2028", "\u4e2d", "\U0001f600"]
_CATEGORIES = {getattr(_sre, name): re.compile(pattern) for name, pattern in (
    ("CATEGORY_DIGIT", r"\d"), ("CATEGORY_NOT_DIGIT", r"\D"), ("CATEGORY_SPACE", r"\s"),
    ("CATEGORY_NOT_SPACE", r"\S"), ("CATEGORY_WORD", r"\w"), ("CATEGORY_NOT_WORD", r"\W"),
    ("CATEGORY_LINEBREAK", r"\n"), ("CATEGORY_NOT_LINEBREAK", r"[^\n]")) if hasattr(_sre, name)}


@lru_cache(maxsize=1024)  # a module applies one pattern to many names: parse it once
def danger(pattern: str) -> str | None:
    """Why ``pattern`` is not run (AMBIGUOUS), or None when it is safe to run."""
    try:
        tree = _sre.parse(pattern)
        return AMBIGUOUS if _Check(tree.state).walk(list(tree)) else None
    except Exception:  # a pattern re cannot parse: re reports it
        return None


class _Check:
    def __init__(self, state: Any) -> None:
        self.state = state
        self.fold = bool(state.flags & re.IGNORECASE)

    def walk(self, items: list[Any]) -> bool:
        """Whether any repeat (more than once) in ``items``, or in the parts inside them, is ambiguous."""
        for op, av in items:
            if any(self.walk(list(inner)) for inner in _children(op, av)):
                return True
            if op in _REPEATS and av[1] > 1 and self.ambiguous(list(av[2]), _first(list(av[2]))):
                return True
        return False

    def ambiguous(self, items: list[Any], follow: list[Any]) -> bool:
        """Whether a part of variable length in ``items`` can start with what may come right after it (``follow``
        is what may come after ``items``: in a repeated body, the next round): the characters that part takes or
        leaves can then go either way, and the engine tries every split."""
        for i, item in enumerate(items):
            rest = items[i + 1:]
            after = _first(rest) + (follow if self.width(rest)[0] == 0 else [])
            op, av = item
            if op is _sre.SUBPATTERN:
                found = self.ambiguous(list(av[-1]), after)
            elif op is _sre.BRANCH:
                found = self.branch_ambiguous(av[1], after) or any(self.ambiguous(list(alt), after) for alt in av[1])
            elif op in _REPEATS:
                inner = list(av[2])
                found = (av[0] != av[1] and _overlap(_first(inner), after, self.fold)) or \
                    self.ambiguous(inner, after + _first(inner))
            else:
                found = False
            if found:
                return True
        return False

    def branch_ambiguous(self, alternatives: list[Any], after: list[Any]) -> bool:
        """Alternatives that can start alike (``a|a?``, ``a|ab``), or one that may match nothing while another
        starts with what follows (``(|a)`` before ``a``). Alternatives of one character each are one set to re."""
        if all(_single(alt) for alt in alternatives):
            return False
        firsts = [_first(list(alt)) for alt in alternatives]
        if any(_overlap(one, other, self.fold) for i, one in enumerate(firsts) for other in firsts[i + 1:]):
            return True
        nullable = [self.width(list(alt))[0] == 0 for alt in alternatives]
        return any(nullable) and any(_overlap(first, after, self.fold)
                                     for first, empty in zip(firsts, nullable, strict=True) if not empty)

    def width(self, items: list[Any]) -> tuple[int, int]:
        return _sre.SubPattern(self.state, list(items)).getwidth()  # type: ignore[no-any-return]


def _children(op: Any, av: Any) -> list[Any]:
    """The sub-patterns of one element of the parse tree: a repeat's body, a group's, each alternative, an
    assertion's, a conditional's branches."""
    if op in _REPEATS:
        return [av[2]]
    if op is _sre.SUBPATTERN:
        return [av[-1]]
    if op is _sre.BRANCH:
        return list(av[1])
    if op in (_sre.ASSERT, _sre.ASSERT_NOT):
        return [av[1]]
    if op is _sre.GROUPREF_EXISTS:
        return [branch for branch in av[1:] if branch is not None]
    return []


def _single(alt: Any) -> bool:
    return len(alt) == 1 and alt[0][0] in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY)


def _first(items: list[Any]) -> list[Any]:
    """What the first character of a match of ``items`` can be: atoms (op, av) of the parse tree."""
    out: list[Any] = []
    for op, av in items:
        if op in (_sre.LITERAL, _sre.NOT_LITERAL, _sre.IN, _sre.ANY):
            out.append((op, av))
            return out
        if op is _sre.AT:
            continue  # an anchor takes no character
        if op in _REPEATS:
            out += _first(list(av[2]))
            if av[0] > 0:
                return out
        elif op is _sre.SUBPATTERN:
            out += _first(list(av[-1]))
            if av[-1].getwidth()[0] > 0:
                return out
        elif op is _sre.BRANCH:
            for alt in av[1]:
                out += _first(list(alt))
            if min(alt.getwidth()[0] for alt in av[1]) > 0:
                return out
        else:
            out.append((_ANY_CHAR, None))
            return out
    return out


def _overlap(one: list[Any], other: list[Any], fold: bool) -> bool:
    if any(op == _ANY_CHAR for op, _ in one + other):
        return True
    for char in _ALPHABET:
        variants = (char, char.swapcase()) if fold else (char,)
        if any(_takes(one, c) for c in variants) and any(_takes(other, c) for c in variants):
            return True
    return False


def _takes(atoms: list[Any], char: str) -> bool:
    return any(_atom_takes(op, av, char) for op, av in atoms)


def _atom_takes(op: Any, av: Any, char: str) -> bool:
    code = ord(char)
    if op is _sre.LITERAL:
        return bool(code == av)
    if op is _sre.NOT_LITERAL:
        return bool(code != av)
    if op is _sre.ANY:
        return True
    negate = bool(av) and av[0][0] is _sre.NEGATE
    hit = False
    for kind, value in av[1:] if negate else av:
        if kind is _sre.LITERAL:
            hit = code == value
        elif kind is _sre.RANGE:
            hit = value[0] <= code <= value[1]
        elif kind is _sre.CATEGORY:
            matcher = _CATEGORIES.get(value)
            hit = matcher is None or matcher.match(char) is not None
        else:
            hit = True
        if hit:
            break
    return hit != negate
