"""Terraform's built-in functions that matter for cost facts, evaluated statically.

Any argument that is unknown makes the result unknown, except where Terraform's own
semantics let a known answer through (``coalesce`` with a known first value, ``try``).
Functions that read the filesystem or the clock are deliberately unknown.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Callable
from typing import Any

from linter.sources.terraform.values import (
    MAX_TEXT,
    Unknown,
    UnknownEncoding,
    contains_unknown,
    expands_past,
    is_unknown,
    merge_unknown,
    to_str,
    too_long,
    unknowns_in,
)


class FunctionError(Exception):
    """A call Terraform itself would reject (wrong types, index out of range)."""


def _need_known(name: str, args: list[Any]) -> Unknown | None:
    if any(is_unknown(a) for a in args):
        return merge_unknown(*args)
    return None


def _merge(*maps: Any) -> Any:
    out: dict[str, Any] = {}
    for m in maps:
        if m is None:
            continue
        if is_unknown(m):
            return merge_unknown(m)
        if not isinstance(m, dict):
            raise FunctionError("merge() takes maps or objects")
        out.update(m)
    return out


def _lookup(m: Any, key: Any, *default: Any) -> Any:
    if is_unknown(m) or is_unknown(key):
        return merge_unknown(m, key)
    if not isinstance(m, dict):
        raise FunctionError("lookup() takes a map")
    if key in m:
        return m[key]
    if default:
        return default[0]
    raise FunctionError(f"lookup(): key {key!r} not in map and no default")


def _concat(*lists: Any) -> Any:
    out: list[Any] = []
    for item in lists:
        if is_unknown(item):
            return merge_unknown(item)
        out.extend(item)
    return out


def _coalesce(*args: Any) -> Any:
    for a in args:
        if is_unknown(a):
            return merge_unknown(a)
        if a is not None and a != "":
            return a
    raise FunctionError("coalesce(): no non-null, non-empty argument")


def _coalescelist(*args: Any) -> Any:
    for a in args:
        if is_unknown(a):
            return merge_unknown(a)
        if a:
            return a
    return []


def _format(fmt: Any, *args: Any) -> Any:
    if (u := _need_known("format", [fmt, *args])) is not None:
        return u
    values = list(args)

    def repl(match: re.Match[str]) -> str:
        spec = match.group(0)
        if spec == "%%":
            return "%"
        if any(digits and int(digits) > MAX_TEXT for digits in match.groups()):
            raise FunctionError(f"a width or precision past {MAX_TEXT:,} characters")
        value = values.pop(0) if values else ""
        conv = spec[-1]
        if conv == "d":
            return ("%" + spec[1:-1] + "d") % int(value)  # flags and width as Go's fmt: %03d, %-4d, %+d
        if conv in "fegEG":
            return ("%" + spec[1:]) % float(value)
        if conv == "q":
            return json.dumps(to_str(value))
        if conv == "v" and not isinstance(value, str):
            return json.dumps(value) if isinstance(value, (dict, list)) else to_str(value)
        return ("%" + spec[1:-1] + "s") % to_str(value)

    return re.sub(r"%%|%[-+#0 ]*(\d*)(?:\.(\d+))?[sdvqfeEgGtbox]", repl, fmt)


def _element(lst: Any, idx: Any) -> Any:
    if (u := _need_known("element", [lst, idx])) is not None:
        return u
    if not lst:
        raise FunctionError("element() of an empty list")
    return lst[int(idx) % len(lst)]


def _length(value: Any) -> Any:
    if is_unknown(value):
        return value
    if value is None:
        raise FunctionError("length() of null")
    return len(value)


def _keys(m: Any) -> Any:
    if is_unknown(m):
        return m
    return sorted(m.keys())


def _values(m: Any) -> Any:
    if is_unknown(m):
        return m
    return [m[k] for k in sorted(m.keys())]


MAX_ELEMENTS = 1_000_000  # what flatten() and jsonencode() may produce: far past any real configuration


def _bounded(value: Any) -> None:
    """Refuse a value past ``MAX_ELEMENTS`` once expanded. Lists that repeat a local (``l2 = [local.l1, local.l1]``,
    and so on 40 times) share objects but expand exponentially: flattened, joined or encoded, they would never
    finish."""
    if expands_past(value, MAX_ELEMENTS):
        raise FunctionError(f"the value expands to more than {MAX_ELEMENTS:,} elements")


def _flatten(lst: Any) -> Any:
    if is_unknown(lst):
        return lst
    _bounded(lst)
    return _flat(lst)


def _flat(lst: Any) -> Any:
    out: list[Any] = []
    for item in lst:
        if is_unknown(item):
            return merge_unknown(item)
        if isinstance(item, list):
            flat = _flat(item)
            if is_unknown(flat):
                return flat
            out.extend(flat)
        else:
            out.append(item)
    return out


def _distinct(lst: Any) -> Any:
    if is_unknown(lst):
        return lst
    out: list[Any] = []
    for item in lst:
        if item not in out:
            out.append(item)
    return out


def _tonumber(v: Any) -> Any:
    if is_unknown(v) or v is None:
        return v
    if isinstance(v, bool):
        raise FunctionError("tonumber() of a bool")
    f = float(v)
    return int(f) if f.is_integer() else f


def _tobool(v: Any) -> Any:
    if is_unknown(v) or v is None or isinstance(v, bool):
        return v
    if v in ("true", "false"):
        return v == "true"
    raise FunctionError(f"tobool(): cannot convert {v!r}")


def _one(lst: Any) -> Any:
    if is_unknown(lst):
        return lst
    if len(lst) > 1:
        raise FunctionError("one() of a list with more than one element")
    return lst[0] if lst else None


def _range(*args: Any) -> Any:
    if (u := _need_known("range", list(args))) is not None:
        return u
    ints = [int(a) for a in args]
    if len(ints) == 1:
        ints = [0, ints[0], 1 if ints[0] >= 0 else -1]
    elif len(ints) == 2:
        ints.append(1 if ints[1] >= ints[0] else -1)
    if ints[2] == 0:
        raise FunctionError("step cannot be zero")
    numbers = range(*ints)
    if len(numbers) > 1024:  # Terraform's own limit: a typo must not allocate a list of billions
        raise FunctionError("more than 1024 values were generated; decrease the difference between "
                            "start and end or use a larger step")
    return list(numbers)


def _replace(s: Any, old: Any, new: Any) -> Any:
    if (u := _need_known("replace", [s, old, new])) is not None:
        return u
    if len(old) > 1 and old.startswith("/") and old.endswith("/"):
        from linter.sources.terraform.regex_safety import too_slow  # only modules that use regular expressions

        if why := too_slow(old[1:-1], s):
            raise FunctionError(why)
        # at most: the string, each group reference's text (matches do not overlap), the rest of each replacement
        references = len(re.findall(r"\$\{?\d+\}?", new))
        if why := too_long(len(s) * (1 + references) + sum(1 for _ in re.finditer(old[1:-1], s)) * len(new)):
            raise FunctionError(why)
        return re.sub(old[1:-1], re.sub(r"\$\{?(\d+)\}?", r"\\\1", new), s)
    if why := too_long(len(s) + s.count(old) * (len(new) - len(old))):
        raise FunctionError(why)
    return s.replace(old, new)


def _zipmap(keys: Any, values: Any) -> Any:
    if (u := _need_known("zipmap", [keys, values])) is not None:
        return u
    return dict(zip(keys, values, strict=False))


def _substr(s: Any, offset: Any, length: Any) -> Any:
    if (u := _need_known("substr", [s, offset, length])) is not None:
        return u
    offset, length = int(offset), int(length)
    return s[offset:] if length < 0 else s[offset:offset + length]


def _jsonencode(v: Any) -> Any:
    _bounded(v)
    if expands_past(v, MAX_ELEMENTS, MAX_TEXT):  # a long string shared many times over
        raise FunctionError(f"the value encodes to more than {MAX_TEXT:,} characters")
    if contains_unknown(v):
        if is_unknown(v):
            return v
        inner = merge_unknown(*unknowns_in(v))
        return UnknownEncoding(f"jsonencode() of a partly unknown value ({inner.reason})", inner.refs, v)
    return json.dumps(v, separators=(",", ":"), sort_keys=True)


def _yamlencode(v: Any) -> Any:
    """Terraform's yamlencode(): block-style YAML, keys in lexical order (a Helm release's values, user data)."""
    encoded = _jsonencode(v)  # the same bounds and unknowns
    if is_unknown(encoded):
        return encoded
    import yaml

    return yaml.safe_dump(v, sort_keys=True, default_flow_style=False, allow_unicode=True)


def _jsondecode(v: Any) -> Any:
    if is_unknown(v):
        return v
    try:
        return json.loads(v)
    except (TypeError, ValueError) as exc:
        raise FunctionError(f"jsondecode(): {exc}") from exc


def _strict(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        if (u := _need_known(fn.__name__, list(args))) is not None:
            return u
        return fn(*args)

    return wrapper


def _unreadable(name: str) -> Callable[..., Any]:
    def wrapper(*_args: Any) -> Any:
        return Unknown(f"{name}() is not evaluated statically")

    return wrapper


def _sum(lst: Any) -> Any:
    if (u := _need_known("sum", [lst, *lst] if isinstance(lst, list) else [lst])) is not None:
        return u
    return sum(lst)


def _sort(lst: Any) -> Any:
    """Terraform's sort(): strings in lexical order (numbers are converted to strings first)."""
    if (u := _need_known("sort", [lst, *lst] if isinstance(lst, (list, set, tuple)) else [lst])) is not None:
        return u
    return sorted(_text_of(v) for v in lst)


def _text_of(value: Any) -> str:
    if isinstance(value, bool) or not isinstance(value, (str, int, float)):
        raise FunctionError(f"a {type(value).__name__} is not a string")
    return to_str(value)


def _basename(path: str) -> str:
    """Go's filepath.Base, as Terraform's basename(): trailing slashes dropped; "" is "."."""
    stripped = path.rstrip("/")
    if not stripped:
        return "/" if path else "."
    return stripped.rsplit("/", 1)[-1]


def _dirname(path: str) -> str:
    """Go's filepath.Dir, as Terraform's dirname(): everything before the last slash, cleaned; none is "."."""
    import posixpath

    head = path[: path.rfind("/") + 1]
    return posixpath.normpath(head) if head else "."


def _digest(algorithm: str) -> Callable[[Any], Any]:
    def digest(text: str) -> str:
        import hashlib

        return hashlib.new(algorithm, text.encode("utf-8")).hexdigest()

    return _strict(digest)


def _base64encode(text: str) -> str:
    import base64

    return base64.b64encode(text.encode("utf-8")).decode("ascii")


def _minmax(fn: Callable[..., Any]) -> Callable[..., Any]:
    def wrapper(*args: Any) -> Any:
        if (u := _need_known("min/max", list(args))) is not None:
            return u
        return fn(args)

    return wrapper


def _contains(lst: Any, value: Any) -> Any:
    if (u := _need_known("contains", [lst, value])) is not None:
        return u
    return value in lst


def _toset(v: Any) -> Any:
    if is_unknown(v):
        return v
    return _distinct(list(v))


def _known_lists(name: str, lists: tuple[Any, ...]) -> Unknown | None:
    """The unknown a list function passes on (a list, or an element of one, given at apply), checking each is a
    list, set or tuple."""
    for lst in lists:
        if not is_unknown(lst) and not isinstance(lst, (list, tuple)):
            raise FunctionError(f"{name}() takes lists or sets, not {type(lst).__name__}")
    if any(contains_unknown(lst) for lst in lists):
        return merge_unknown(*(u for lst in lists for u in ([lst] if is_unknown(lst) else unknowns_in(lst))))
    return None


def _slice(lst: Any, start: Any, end: Any) -> Any:
    if (u := _need_known("slice", [lst, start, end])) is not None:
        return u
    first, last = int(start), int(end)
    if not 0 <= first <= last <= len(lst):
        raise FunctionError(f"indexes {first}..{last} out of range for a list of {len(lst)}")
    return list(lst[first:last])


def _reverse(lst: Any) -> Any:
    if is_unknown(lst):
        return lst
    return list(reversed(lst))


def _setproduct(*sets: Any) -> Any:
    if (u := _known_lists("setproduct", sets)) is not None:
        return u
    if math.prod(len(s) for s in sets) > MAX_ELEMENTS:
        raise FunctionError(f"the product has more than {MAX_ELEMENTS:,} elements")
    import itertools

    return [list(p) for p in itertools.product(*(_distinct(list(s)) for s in sets))] if sets else []


def _setunion(*sets: Any) -> Any:
    if (u := _known_lists("setunion", sets)) is not None:
        return u
    return _distinct([x for s in sets for x in s])


def _setintersection(first: Any, *rest: Any) -> Any:
    if (u := _known_lists("setintersection", (first, *rest))) is not None:
        return u
    return [x for x in _distinct(list(first)) if all(x in other for other in rest)]


def _setsubtract(a: Any, b: Any) -> Any:
    if (u := _known_lists("setsubtract", (a, b))) is not None:
        return u
    return [x for x in _distinct(list(a)) if x not in b]


def _chunklist(lst: Any, size: Any) -> Any:
    if (u := _need_known("chunklist", [lst, size])) is not None:
        return u
    n = int(size)
    if n < 0:
        raise FunctionError("the chunk size must not be negative")
    return [list(lst)] if n == 0 else [list(lst[i:i + n]) for i in range(0, len(lst), n)]


def _index(lst: Any, value: Any) -> Any:
    if (u := _need_known("index", [lst, value])) is not None:
        return u
    if value not in lst:
        raise FunctionError("item not found")
    return list(lst).index(value)


def _all_or_any(name: str, combine: Callable[[list[bool]], bool]) -> Callable[[Any], Any]:
    def check(lst: Any) -> Any:
        if (u := _known_lists(name, (lst,))) is not None:
            return u
        values = [v if isinstance(v, bool) else v == "true" if v in ("true", "false") else None for v in lst]
        if None in values:
            raise FunctionError(f"{name}() takes a list of bools")
        return combine(values)  # type: ignore[arg-type]
    return check


def _yamldecode(text: Any) -> Any:
    from linter.sources.terraform.file_functions import yamldecode

    return yamldecode(text)


def _tomap(v: Any) -> Any:
    if is_unknown(v) or isinstance(v, dict) or v is None:
        return v
    raise FunctionError("tomap() takes an object or map")


def _split(sep: Any, s: Any) -> Any:
    if (u := _need_known("split", [sep, s])) is not None:
        return u
    return s.split(sep) if s != "" else [""]


def _join(sep: Any, *lists: Any) -> Any:
    if (u := _need_known("join", [sep, *lists])) is not None:
        return u
    items: list[Any] = []
    for lst in lists:
        _bounded(lst)
        if contains_unknown(lst):
            return merge_unknown(*unknowns_in(lst))
        items.extend(lst)
    texts = [to_str(i) for i in items]
    if why := too_long(sum(map(len, texts)) + len(sep) * max(len(texts) - 1, 0)):
        raise FunctionError(why)
    return sep.join(texts)


def _compact(lst: Any) -> Any:
    if is_unknown(lst):
        return lst
    return [x for x in lst if x not in (None, "")]


def _trim(s: Any, chars: Any) -> Any:
    if (u := _need_known("trim", [s, chars])) is not None:
        return u
    return s.strip(chars)


def _regex(pattern: Any, s: Any) -> Any:
    if (u := _need_known("regex", [pattern, s])) is not None:
        return u
    from linter.sources.terraform.regex_safety import too_slow

    if why := too_slow(pattern, s):
        raise FunctionError(why)
    m = re.search(pattern, s)
    if not m:
        raise FunctionError("regex(): no match")
    return _match_value(m)


def _match_value(m: re.Match[str]) -> Any:
    """What regex() gives for a match: named groups as a map, groups as a list, else the matched text."""
    if m.groupdict():
        return m.groupdict()
    return list(m.groups()) if m.groups() else m.group(0)


def _regexall(pattern: Any, s: Any) -> Any:
    if (u := _need_known("regexall", [pattern, s])) is not None:
        return u
    from linter.sources.terraform.regex_safety import too_slow

    if why := too_slow(pattern, s):
        raise FunctionError(why)
    return [_match_value(m) for m in re.finditer(pattern, s)]


def _network(prefix: Any) -> Any:
    import ipaddress

    try:
        return ipaddress.ip_network(str(prefix), strict=False)
    except ValueError as exc:
        raise FunctionError(f"invalid CIDR prefix {prefix!r}") from exc


def _cidrsubnet(prefix: Any, newbits: Any, netnum: Any) -> Any:
    if (u := _need_known("cidrsubnet", [prefix, newbits, netnum])) is not None:
        return u
    net = _network(prefix)
    bits, num = int(newbits), int(netnum)
    if bits < 0 or net.prefixlen + bits > net.max_prefixlen or not 0 <= num < 2 ** bits:
        raise FunctionError(f"prefix extension of {bits} bits does not fit netnum {num} in {prefix}")
    size = 2 ** (net.max_prefixlen - net.prefixlen - bits)
    return f"{net.network_address + num * size}/{net.prefixlen + bits}"


def _cidrhost(prefix: Any, hostnum: Any) -> Any:
    if (u := _need_known("cidrhost", [prefix, hostnum])) is not None:
        return u
    net = _network(prefix)
    n = int(hostnum)
    if not -net.num_addresses <= n < net.num_addresses:
        raise FunctionError(f"host number {n} is out of range for {prefix}")
    return str(net.network_address + (n if n >= 0 else net.num_addresses + n))


def _cidrnetmask(prefix: Any) -> Any:
    if (u := _need_known("cidrnetmask", [prefix])) is not None:
        return u
    return str(_network(prefix).netmask)


FUNCTIONS: dict[str, Callable[..., Any]] = {
    "merge": _merge,
    "lookup": _lookup,
    "concat": _concat,
    "coalesce": _coalesce,
    "coalescelist": _coalescelist,
    "format": _format,
    "upper": _strict(lambda s: s.upper()),
    "lower": _strict(lambda s: s.lower()),
    "title": _strict(lambda s: s.title()),
    "trimspace": _strict(lambda s: s.strip()),
    "trim": _trim,
    "trimprefix": _strict(lambda s, p: s[len(p):] if s.startswith(p) else s),
    "trimsuffix": _strict(lambda s, p: s[: -len(p)] if p and s.endswith(p) else s),
    "startswith": _strict(lambda s, p: s.startswith(p)),
    "endswith": _strict(lambda s, p: s.endswith(p)),
    "length": _length,
    "element": _element,
    "keys": _keys,
    "values": _values,
    "tomap": _tomap,
    "tolist": lambda v: v if is_unknown(v) else list(v) if v is not None else None,
    "toset": _toset,
    "tostring": lambda v: v if is_unknown(v) or v is None else to_str(v),
    "tonumber": _tonumber,
    "tobool": _tobool,
    "contains": _contains,
    "join": _join,
    "split": _split,
    "replace": _replace,
    "substr": _substr,
    "flatten": _flatten,
    "distinct": _distinct,
    "compact": _compact,
    "zipmap": _zipmap,
    "range": _range,
    "one": _one,
    "sum": _sum,
    "sort": _sort,
    "basename": _strict(_basename),
    "dirname": _strict(_dirname),
    "md5": _digest("md5"),
    "sha1": _digest("sha1"),
    "sha256": _digest("sha256"),
    "sha512": _digest("sha512"),
    "base64encode": _strict(_base64encode),
    "min": _minmax(min),
    "max": _minmax(max),
    "abs": _strict(abs),
    "ceil": _strict(lambda x: math.ceil(x)),
    "floor": _strict(lambda x: math.floor(x)),
    "signum": _strict(lambda x: (x > 0) - (x < 0)),
    "jsonencode": _jsonencode,
    "jsondecode": _jsondecode,
    "regex": _regex,
    "slice": _slice,
    "reverse": _reverse,
    "setproduct": _setproduct,
    "setunion": _setunion,
    "setintersection": _setintersection,
    "setsubtract": _setsubtract,
    "chunklist": _chunklist,
    "index": _index,
    "alltrue": _all_or_any("alltrue", all),
    "anytrue": _all_or_any("anytrue", any),
    "can": None,  # special forms: handled by the evaluator (they catch errors)
    "try": None,
    "timestamp": _unreadable("timestamp"),
    "uuid": _unreadable("uuid"),
    "base64gzip": _unreadable("base64gzip"),
    "cidrsubnet": _cidrsubnet,
    "cidrhost": _cidrhost,
    "cidrnetmask": _cidrnetmask,
    "regexall": _regexall,
    "yamlencode": _yamlencode,
    "yamldecode": lambda text: text if is_unknown(text) else _yamldecode(text),
}
