"""Load Kubernetes YAML: multi-document streams and ``kind: List``, each object with its line.

Documents are composed into nodes by libyaml (CSafeLoader) and only the kinds the caller
wants are constructed into Python objects, so ConfigMaps and Secrets cost a parse, not a
build. A syntax error does not lose the rest of the file: the stream is re-read document
by document and only the broken document is reported.
"""

from __future__ import annotations

import re
import sys
from dataclasses import field
from typing import Any

import yaml

from linter.records import record
from linter.sources.gpu_machine_names import GPU_MACHINE

_DOC_START = re.compile(r"^(?:---|\.\.\.)(?:[ \t].*)?$", re.M)
# A top-level key at column 0 of a block mapping (block scalars are always indented).
_KIND_LINE = re.compile(r"^kind:[ \t]*[\"']?([A-Za-z0-9]+)[\"']?[ \t]*(?:#.*)?$", re.M)
_API_LINE = re.compile(r"^apiVersion:[ \t]*\S", re.M)
_STR, _NULL = "tag:yaml.org,2002:str", "tag:yaml.org,2002:null"
_ScalarNode, _SequenceNode = yaml.ScalarNode, yaml.SequenceNode
_intern = sys.intern


_IMPLICIT = yaml.resolver.Resolver.yaml_implicit_resolvers  # first character -> [(tag, regexp)]
_MAP, _SEQ = "tag:yaml.org,2002:map", "tag:yaml.org,2002:seq"
# plain scalar -> its tag: keys and common values (name, image, "true", "1") repeat across every document
_RESOLVED: dict[str, str] = {}
_RESOLVED_MAX = 100_000


class _Loader(getattr(yaml, "CSafeLoader", yaml.SafeLoader)):  # type: ignore[misc]
    """libyaml with a lean tag resolver: the C composer calls these for every node, and the
    stock versions also serve path resolvers, which manifests never use."""

    def resolve(self, kind: Any, value: Any, implicit: Any) -> str:
        if kind is _ScalarNode:
            if implicit[0]:
                tag = _RESOLVED.get(value)
                if tag is None:
                    tag = _STR
                    for candidate, regexp in _IMPLICIT.get(value[:1], ()):
                        if regexp.match(value):
                            tag = candidate
                            break
                    if len(value) < _SHORT and len(_RESOLVED) < _RESOLVED_MAX:
                        _RESOLVED[value] = tag
                return tag  # type: ignore[no-any-return]
            return _STR
        return _SEQ if kind is _SequenceNode else _MAP

    def descend_resolver(self, current_node: Any, current_index: Any) -> None:
        return None

    def ascend_resolver(self) -> None:
        return None


_BOOL = {"yes": True, "true": True, "on": True, "y": True, "no": False, "false": False, "off": False, "n": False}


def _scalar_value(node: yaml.ScalarNode) -> Any:
    tag, value = node.tag, node.value
    if tag == _STR:
        return value
    if tag == _NULL:
        return None
    if tag.endswith(":int"):
        text = value.replace("_", "")
        try:
            if text.lstrip("+-").startswith("0x"):
                return int(text, 16)
            if text.lstrip("+-").startswith("0o"):
                return int(text.replace("0o", ""), 8)
            return int(text)
        except ValueError:
            return value
    if tag.endswith(":float"):
        lowered = value.lower().replace("_", "")
        if lowered in (".inf", "+.inf"):
            return float("inf")
        if lowered == "-.inf":
            return float("-inf")
        if lowered == ".nan":
            return float("nan")
        try:
            return float(lowered)
        except ValueError:
            return value
    if tag.endswith(":bool"):
        return _BOOL.get(value.lower(), value)
    return value  # timestamps, binary and custom tags stay text: manifests never need them typed


_SHORT = 40  # text up to this long is interned: keys, kinds, images, names repeat across thousands of documents


def _plain(node: yaml.Node) -> Any:
    """Nodes -> Python for documents without anchors (no aliases to share): the fast path. Keys and short text are
    interned: libyaml gives each occurrence its own string, and pickle (the cache entry, the result a worker sends)
    writes a string once per object, so a directory's documents pickle to about a third and load back faster."""
    cls = node.__class__
    if cls is _ScalarNode:
        if node.tag == _STR:
            value = node.value
            return _intern(value) if len(value) < _SHORT else value
        return _scalar_value(node)  # type: ignore[arg-type]
    if cls is _SequenceNode:
        return [_plain(n) for n in node.value]
    out: dict[Any, Any] = {}
    for k, v in node.value:
        if k.__class__ is _ScalarNode and k.tag == _STR:
            out[_intern(k.value)] = _plain(v)
        else:
            return to_python(node, {})  # merge keys or odd keys: the careful path
    return out


MAX_EXPANDED_NODES = 1_000_000  # aliases may share nodes; expanded past this, a document is refused


class AliasBomb(ValueError):
    """A document whose aliases expand to more nodes than any manifest has ("billion laughs")."""


def expanded_size(node: yaml.Node, memo: dict[int, int] | None = None) -> int:
    """Nodes the document has once every alias is expanded, counted without expanding (memoised per node)."""
    if memo is None:
        memo = {}
    if isinstance(node, yaml.ScalarNode):
        return 1
    got = memo.get(id(node))
    if got is not None:
        return got
    memo[id(node)] = 1  # a recursive alias counts once
    children = node.value if isinstance(node, yaml.SequenceNode) else [n for kv in node.value for n in kv]
    total = 1
    for child in children:
        total += expanded_size(child, memo)
        if total > MAX_EXPANDED_NODES:
            break
    memo[id(node)] = total
    return total


def to_python(node: yaml.Node, memo: dict[int, Any] | None = None) -> Any:
    """Nodes -> plain dicts, lists and scalars; aliases share one object (no alias explosion)."""
    if memo is None:
        memo = {}
    if isinstance(node, yaml.ScalarNode):
        return _scalar_value(node)
    got = memo.get(id(node))
    if got is not None:
        return got
    if isinstance(node, yaml.SequenceNode):
        seq: list[Any] = []
        memo[id(node)] = seq
        seq.extend(to_python(item, memo) for item in node.value)
        return seq
    mapping: dict[Any, Any] = {}
    memo[id(node)] = mapping
    merges: list[Any] = []
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.tag.endswith(":merge"):
            merges.append(to_python(v, memo))
            continue
        key = to_python(k, memo)
        try:
            mapping[key] = to_python(v, memo)
        except TypeError:  # an unhashable (complex) key: not something a manifest uses
            continue
    for merged in merges:
        for m in merged if isinstance(merged, list) else [merged]:
            if isinstance(m, dict):
                for k2, v2 in m.items():
                    mapping.setdefault(k2, v2)
    return mapping


@record(slots=True)
class Obj:
    """One Kubernetes object: its data, the 1-based line of its first key, its apiVersion and kind."""

    api_version: str
    kind: str
    data: dict[str, Any]
    line: int
    item_lines: dict[str, list[int]] | None = None  # top-level list -> the line of each item (see ITEM_LINES)


# Kinds whose top-level lists hold what becomes a resource each (eksctl's node groups): findings point at the item
ITEM_LINES: dict[str, tuple[str, ...]] = {"ClusterConfig": ("managedNodeGroups", "nodeGroups")}


def _item_lines(node: yaml.Node, keys: tuple[str, ...], offset: int) -> dict[str, list[int]]:
    out: dict[str, list[int]] = {}
    for key in keys:
        seq = _get(node, key)
        if isinstance(seq, yaml.SequenceNode):
            out[key] = [item.start_mark.line + 1 + offset for item in seq.value]
    return out


@record
class Loaded:
    objects: list[Obj] = field(default_factory=list)
    errors: list[tuple[int | None, str]] = field(default_factory=list)
    kinds: int = 0  # Kubernetes objects seen (wanted or not)
    other_docs: int = 0  # non-empty documents that are not Kubernetes objects
    unmodelled: list[tuple[int, str]] = field(default_factory=list)  # (line, kind): accelerators in a kind not read


def _get(node: yaml.Node, key: str) -> yaml.Node | None:
    if not isinstance(node, yaml.MappingNode):
        return None
    for k, v in node.value:
        if isinstance(k, yaml.ScalarNode) and k.value == key:
            return v
    return None


def _scalar(node: yaml.Node | None) -> str | None:
    if isinstance(node, yaml.ScalarNode) and node.value and node.tag.endswith(":str"):
        return node.value
    return None


def _take(node: yaml.Node, offset: int, out: Loaded, wanted: frozenset[str], anchors: bool = True) -> None:
    if isinstance(node, yaml.ScalarNode) and node.value in ("", "~", "null"):
        return  # an empty document (comments only)
    kind = _scalar(_get(node, "kind"))
    api = _scalar(_get(node, "apiVersion"))
    if not kind or not api:
        out.other_docs += 1
        return
    out.kinds += 1
    if kind == "List" or (kind.endswith("List") and _get(node, "items") is not None):
        items = _get(node, "items")
        if isinstance(items, yaml.SequenceNode):
            for item in items.value:
                _take(item, offset, out, wanted, anchors)
        return
    if kind not in wanted:
        return
    if anchors and expanded_size(node) > MAX_EXPANDED_NODES:
        raise AliasBomb(f"aliases expand to more than {MAX_EXPANDED_NODES:,} nodes (a 'billion laughs' document); "
                        f"{kind} not read")
    data = to_python(node) if anchors else _plain(node)
    if isinstance(data, dict):
        lists = ITEM_LINES.get(kind)
        out.objects.append(Obj(api, kind, data, node.start_mark.line + 1 + offset,
                               _item_lines(node, lists, offset) if lists else None))


def _message(exc: yaml.YAMLError) -> tuple[int | None, str]:
    mark = getattr(exc, "problem_mark", None) or getattr(exc, "context_mark", None)
    problem = getattr(exc, "problem", None) or str(exc)
    context = getattr(exc, "context", None)
    text = f"invalid YAML: {problem}" + (f" ({context})" if context else "")
    return (mark.line + 1 if mark is not None else None), text


def _read(text: str, offset: int, out: Loaded, wanted: frozenset[str]) -> tuple[int | None, str] | None:
    loader = _Loader(text)
    anchors = "&" in text  # aliases need the careful (shared, memoised) conversion
    try:
        while loader.check_node():
            _take(loader.get_node(), offset, out, wanted, anchors)
    except yaml.YAMLError as exc:
        line, message = _message(exc)
        return (line + offset if line is not None else None), message
    except AliasBomb as exc:
        return offset + 1, f"invalid YAML: {exc}"
    except RecursionError:
        return offset + 1, "invalid YAML: nested too deeply to read (more levels than Python's recursion limit)"
    except (ValueError, TypeError) as exc:  # e.g. unhashable keys built from odd YAML
        return None, f"invalid YAML: {exc}"
    finally:
        loader.dispose()
    return None


def _chunks(text: str) -> list[tuple[str, int]]:
    """(document text, line offset) for each ``---``-separated document of a stream."""
    if "\n---" not in text and "\n..." not in text:  # a marker past the start follows a newline: one document
        return [(text, 0)]
    starts = [0] + [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    out = []
    line = 0
    for i, start in enumerate(starts):
        end = starts[i + 1] if i + 1 < len(starts) else len(text)
        chunk = text[start:end]
        out.append((chunk, line))
        line += chunk.count("\n")
    return out


def _check_syntax(text: str) -> tuple[int | None, str] | None:
    """libyaml's event parser without building anything: a fast full syntax check."""
    parser = _Loader(text)
    try:
        parser.raw_parse()
    except yaml.YAMLError as exc:
        return _message(exc)
    finally:
        parser.dispose()
    return None


def _unwanted(chunk: str, wanted: frozenset[str]) -> bool:
    """A Kubernetes object of a kind we do not model, told from its text: no need to build it."""
    kinds = _KIND_LINE.findall(chunk)
    return len(kinds) == 1 and kinds[0] not in wanted and not kinds[0].endswith("List") \
        and _API_LINE.search(chunk) is not None


# An accelerator resource, or a GPU machine type (an unread CR's instanceType: Standard_NC96ads_A100_v4). Looked
# for with substring tests first: CRDs and install bundles of several MB are unwanted kinds too, and a regular
# expression over them cost kserve's scan 4 s.
ACCELERATOR_WORDS = ("nvidia.com/gpu", "amd.com/gpu", "aws.amazon.com/neuron", "google.com/tpu", "gpu.intel.com/",
                     "habana.ai/gaudi", "volcano.sh/gpu-number")
_ACCELERATOR_WORDS = ACCELERATOR_WORDS
# A bare ``gpu:`` amount under resources (NVIDIA Dynamo's DynamoGraphDeployment v1alpha1: ``limits: {gpu: "1"}``)
GPU_AMOUNT = re.compile(r"^[ \t]+gpu:[ \t]*[\"']?[1-9]", re.M)
_MACHINE_HINTS = ("Standard_N", "xlarge", "gpu-", "g2-standard")
_GPU_MACHINE = GPU_MACHINE
# Kinds that describe quotas, templates, schemas or access, not workloads that run: their GPUs cost nothing themselves
_NOT_RUNNING = ("Definition", "Config", "Configuration", "Class", "Quota", "Range", "Flavor", "Queue", "ServingRuntime",
                "Template", "Role", "Binding", "Account", "Profile", "Policy", "Check", "ConfigMap", "Secret")


# clusters that run in local containers (kind, k3d, minikube): their "GPUs" are node labels, they cost nothing
_LOCAL_CLUSTER = re.compile(r"^apiVersion:[ \t]*[\"']?(?:kind\.x-k8s\.io|k3d\.io|minikube)/", re.M)


def _note_unmodelled(chunk: str, offset: int, out: Loaded) -> None:
    """An object of a kind we do not read that asks for accelerators (a LeaderWorkerSet-like CRD): noted, so its
    GPUs do not leave the report without a word."""
    m = _KIND_LINE.search(chunk)  # the kind first: a CRD of several MB is done with at its top
    if m is None or m.group(1).endswith(_NOT_RUNNING) or _LOCAL_CLUSTER.search(chunk):
        return
    if any(word in chunk for word in _ACCELERATOR_WORDS) or ("gpu:" in chunk and GPU_AMOUNT.search(chunk)) or (
            any(hint in chunk for hint in _MACHINE_HINTS) and _GPU_MACHINE.search(chunk)):
        out.unmodelled.append((offset + chunk.count("\n", 0, m.start()) + 1, m.group(1)))


def load_stream(text: str, wanted: frozenset[str]) -> Loaded:
    """Every Kubernetes object of a YAML stream; errors as (line, message), other documents kept.

    Each ``---`` document is parsed once: one whose top-level ``kind:`` is not wanted is only syntax-checked by
    libyaml's event parser (cheap), the others are composed into nodes. Any failure, or a construct the
    splitter may have cut badly, sends the stream down the careful path, which says exactly what it says."""
    out = Loaded()
    for chunk, offset in _chunks(text):
        if _unwanted(chunk, wanted):
            if _check_syntax(chunk) is not None:
                return _careful(text, wanted)
            out.kinds += 1  # a Kubernetes object of a kind we do not model: no need to build it
            _note_unmodelled(chunk, offset, out)
            continue
        if _read(chunk, offset, out, wanted) is not None:
            return _careful(text, wanted)
    return out


def _careful(text: str, wanted: frozenset[str]) -> Loaded:
    """The stream syntax-checked whole first: a valid stream that the splitter cut badly is read whole; a broken
    one document by document, so one broken document does not hide the others."""
    out = Loaded()
    syntax = _check_syntax(text)
    if syntax is None:
        for chunk, offset in _chunks(text):
            if _unwanted(chunk, wanted):
                out.kinds += 1
                _note_unmodelled(chunk, offset, out)
                continue
            error = _read(chunk, offset, out, wanted)
            if error is not None:
                out = Loaded()
                error = _read(text, 0, out, wanted)
                if error is not None:
                    out.errors.append(error)
                return out
        return out
    for chunk, offset in _chunks(text):
        error = _read(chunk, offset, out, wanted)
        if error is not None:
            out.errors.append(error)
    if not out.errors:  # the whole stream failed but no single document does: report the first failure
        out.errors.append(syntax)
    return out
