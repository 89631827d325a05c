"""Tell a regular expression that Python's backtracking engine would take too long on, before running it.

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
``(\\d{1,3}\\.){3}`` passes.

A pattern that passes can still take time that grows as a power of the text's length: ``a+a+a+$`` took 142 s
on 800 characters (each variable-length part may end anywhere, and ``re.search`` tries every start).
``too_slow`` bounds that before running it on a given text: the starts tried (one when the pattern is anchored
with ``^``) times, for each variable-length part, the lengths it may take (at most the longest run of characters
it can match, for a one-character part such as ``\\s+`` or ``.*``, else the text's length) must stay under
``STEPS`` (2 x 10^7: 0.3 s at most in fuzzing). ``^(.*)-(.*)$`` on a 4,000-character line or ``\\s+`` over a
50 KB JSON document pass; a pattern re cannot parse is left to re, which reports it.
"""

from __future__ import annotations

import re
from functools import lru_cache
from typing import Any

try:
    from re import _parser as _sre  # type: ignore[attr-defined]
except ImportError:  # pragma: no cover - Python 3.10
    import sre_parse as _sre

STEPS = 2 * 10**7  # backtracking steps a pattern may take on one text, counted from above (0.3 s at most in re)

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


def too_slow(pattern: str, text: str) -> str | None:
    """Why ``pattern`` is not run on ``text`` (exponential, or too many steps on a text this long); None: run it."""
    why = danger(pattern)
    if why is not None:
        return why
    shape = _shape(pattern)
    if shape is None:
        return None
    anchored, multiline, parts = shape
    n = len(text)
    starts = 1 if anchored and not multiline else text.count("\n") + 1 if anchored else n + 1
    if starts * (n + 1) ** len(parts) <= STEPS:  # short text: no need to look at its runs
        return None
    steps = float(starts)
    for limit, atoms, fold in parts:
        steps *= min(_longest_run(atoms, fold, text) if atoms is not None else n, limit) + 1
    if steps <= STEPS:
        return None
    return (f"a regular expression with {len(parts)} repeated part{'s' if len(parts) != 1 else ''} of variable "
            f"length is not evaluated on a {n:,}-character string (up to {steps:.0e} backtracking steps)")


@lru_cache(maxsize=1024)
def _shape(pattern: str) -> tuple[bool, bool, tuple[tuple[float, tuple[Any, ...] | None, bool], ...]] | None:
    """(anchored at the start, multiline, each variable-length part: how many more times than its least it may
    repeat, its one-character body or None, ignore case); None when re cannot parse the pattern."""
    try:
        tree = _sre.parse(pattern)
    except Exception:
        return None
    flags = tree.state.flags
    fold, dotall = bool(flags & re.IGNORECASE), bool(flags & re.DOTALL)
    parts: list[tuple[float, tuple[Any, ...] | None, bool]] = []

    def walk(items: list[Any]) -> None:
        for op, av in items:
            for inner in _children(op, av):
                walk(list(inner))
            if op in _REPEATS and av[1] != av[0]:
                body = list(av[2])
                single = tuple(body) if _single(body) else None
                if single is not None and single[0][0] is _sre.ANY and not dotall:
                    single = ((_sre.NOT_LITERAL, ord("\n")),)  # "." stops at a newline
                parts.append((float("inf") if av[1] == _sre.MAXREPEAT else av[1] - av[0], single, fold))
            elif op is _sre.GROUPREF:
                parts.append((float("inf"), None, fold))  # a backreference may match text of any length

    items = list(tree)
    walk(items)
    return _anchored(items), bool(flags & re.MULTILINE), tuple(parts)


def _anchored(items: list[Any]) -> bool:
    """Whether a match can only start where ``^`` (or ``\\A``) holds: the first thing, inside groups too."""
    while items:
        op, av = items[0]
        if op is _sre.SUBPATTERN:
            items = list(av[-1])
            continue
        return op is _sre.AT and av in (_sre.AT_BEGINNING, _sre.AT_BEGINNING_STRING)
    return False


def _longest_run(atoms: tuple[Any, ...], fold: bool, text: str) -> int:
    """The longest stretch of ``text`` whose every character a one-character part can take."""
    chars = [c for c in set(text) if _takes(list(atoms), c) or (fold and _takes(list(atoms), c.swapcase()))]
    if not chars:
        return 0
    if len(chars) == len(set(text)):
        return len(text)
    run = re.compile("[" + "".join(re.escape(c) for c in chars) + "]+")
    return max(len(m) for m in run.findall(text))


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
