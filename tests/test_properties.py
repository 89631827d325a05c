"""Property-based tests: whatever text the HCL reader, the expression evaluator or the YAML reader gets, it gives
resources or clean errors, never an exception. Bounded and derandomized so CI is fast and reproducible."""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from linter.config import Config
from linter.pricing.catalog import Catalog
from linter.sources.terraform.functions import FUNCTIONS

# CI: 150 examples per property, the same ones every run; FINOPS_PROPERTY_EXAMPLES=5000 explores at random
_EXAMPLES = os.environ.get("FINOPS_PROPERTY_EXAMPLES")
BOUNDED = settings(max_examples=int(_EXAMPLES or 150), deadline=None, derandomize=_EXAMPLES is None, database=None,
                   suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large,
                                          HealthCheck.filter_too_much])
CATALOG = Catalog()

# Pieces real Terraform is made of, shuffled: most draws are broken HCL, some are valid
HCL_TOKENS = ['resource "aws_instance" "a" {', 'module "m" {', "locals {", 'variable "v" {', "}", "{", "]", "[",
              "(", ")", '"', "${", "%{ if true }", "%{ endif }", "<<EOT\n", "\nEOT\n", "=", "\n", " ", ",", ":",
              "count = 3", "for_each = toset([\"a\"])", "dynamic \"x\" {", "content {", "each.key", "count.index",
              "var.v", "local.x", "module.m.out", "aws_instance.a[*].id", "instance_type = \"p4d.24xlarge\"",
              "source = \"./m\"", "default = {}", "? :", "=>", "...", "#", "//", "/*", "*/", "\\", "\t", "\u00e9",
              "\x00", "1e309", "-0", "null", "true", "9999999999999999999999"]


def _scan_terraform(text: str, name: str = "main.tf") -> None:
    from linter.model import ScanError
    from linter.sources.terraform.module import TerraformLoader
    from linter.sources.terraform.normalize import normalize

    with tempfile.TemporaryDirectory() as tmp:
        Path(tmp, name).write_text(text, encoding="utf-8", errors="surrogatepass")
        loader = TerraformLoader(lambda p: p)
        errors: list[ScanError] = []
        raws = loader.load_root(tmp, [], {})
        normalize(raws, CATALOG, Config(), tmp, errors)
        assert not [e for e in errors + loader.errors if "internal error" in e.message], errors


@BOUNDED
@given(st.lists(st.sampled_from(HCL_TOKENS), max_size=60).map("".join))
def test_hcl_reader_never_raises_on_token_soup(text: str) -> None:
    _scan_terraform(text)


@BOUNDED
@given(st.text(max_size=400))
def test_hcl_reader_never_raises_on_arbitrary_text(text: str) -> None:
    _scan_terraform(text.replace("\x00", ""))


# Expressions: a small grammar of Terraform expressions, with every built-in function the evaluator knows
_LEAVES = st.sampled_from(['"p4d.24xlarge"', '"a,b"', "0", "-1", "3.5", "1e3", "true", "null", "var.v", "local.l",
                           "count.index", "each.value", "[]", "{}", '["x", 1]', '{ a = 1, "b" = [2] }',
                           "aws_instance.other.id", "path.module", "terraform.workspace", "self.x"])


def _compound(inner: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    call = st.tuples(st.sampled_from(sorted(FUNCTIONS)), st.lists(inner, max_size=3)).map(
        lambda t: f"{t[0]}({', '.join(t[1])})")
    binary = st.tuples(inner, st.sampled_from(["+", "-", "*", "/", "%", "==", "!=", "<", ">=", "&&", "||"]),
                       inner).map(lambda t: f"({t[0]} {t[1]} {t[2]})")
    return st.one_of(
        call, binary,
        st.tuples(inner, inner, inner).map(lambda t: f"({t[0]} ? {t[1]} : {t[2]})"),
        inner.map(lambda e: f"[for x in {e} : x]"),
        inner.map(lambda e: f"{{ for k, v in {e} : k => v }}"),
        inner.map(lambda e: f"{e}[0]"), inner.map(lambda e: f'{e}["k"]'), inner.map(lambda e: f"{e}[*].id"),
        inner.map(lambda e: f'"pre-${{{e}}}-post"'), inner.map(lambda e: f"!{e}"), inner.map(lambda e: f"-{e}"),
    )


EXPRESSIONS = st.recursive(_LEAVES, _compound, max_leaves=12)


@BOUNDED
@given(EXPRESSIONS, EXPRESSIONS)
def test_expression_evaluator_never_raises(expr: str, count: str) -> None:
    _scan_terraform(f'variable "v" {{\n  default = ["a", 2]\n}}\n\nlocals {{\n  l = {expr}\n}}\n\n'
                    f'resource "aws_instance" "other" {{\n  instance_type = "g5.xlarge"\n}}\n\n'
                    f'resource "aws_instance" "a" {{\n  count         = {count}\n  instance_type = local.l\n'
                    f'  tags          = {{ team = local.l }}\n}}\n\n'
                    f'resource "aws_autoscaling_group" "g" {{\n  for_each = {expr}\n  max_size = {count}\n}}\n')


# YAML: the pieces of manifests, shuffled
YAML_TOKENS = ["apiVersion: apps/v1\n", "kind: Deployment\n", "kind: List\n", "items:\n", "metadata:\n",
               "  name: x\n", "spec:\n", "  replicas: ", "3", "-1", "1e999", "  template:\n", "    spec:\n",
               "      containers:\n", "        - ", "image: vllm/vllm-openai:v0.6.3\n", "resources: {limits: ",
               "{nvidia.com/gpu: 8}}\n", "---\n", "&a ", "*a ", "<<: *a\n", "[", "]", "{", "}", ": ", "- ", "  ",
               "\n", "'", '"', "!!binary ", "!!python/object:os.system ", "? ", "|\n", ">-\n", "#", "%YAML 1.2\n",
               "kind: HorizontalPodAutoscaler\n", "scaleTargetRef: {name: x}\n", "kind: Service\n", "type: ",
               "LoadBalancer\n", "nodeSelector: {node.kubernetes.io/instance-type: p4d.24xlarge}\n", "\t", "\u00e9"]


def _scan_yaml(text: str) -> None:
    from linter.sources.kubernetes import read_manifests

    with tempfile.TemporaryDirectory() as tmp:
        path = Path(tmp, "manifests.yaml")
        path.write_text(text, encoding="utf-8", errors="surrogatepass")
        _, errors, _ = read_manifests([str(path)], {str(path)}, Config(), CATALOG, lambda p: p)
        assert not [e for e in errors if "internal error" in e.message], errors


@BOUNDED
@given(st.lists(st.sampled_from(YAML_TOKENS), max_size=60).map("".join))
def test_yaml_reader_never_raises_on_token_soup(text: str) -> None:
    _scan_yaml(text)


@BOUNDED
@given(st.text(max_size=400))
def test_yaml_reader_never_raises_on_arbitrary_text(text: str) -> None:
    _scan_yaml(text.replace("\x00", ""))


_DOCS = ["apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: 2\n",
         "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: cfg}\ndata: {a: '1'}\n",
         "apiVersion: v1\nkind: List\nitems:\n  - {apiVersion: v1, kind: Pod, metadata: {name: p}}\n",
         "apiVersion: v1\nkind: Secret\nmetadata: {name: s}\nstringData: {k: [unclosed\n",
         "just a string\n", "# only a comment\n", "apiVersion: v1\nkind: Pod\nspec: &s {a: 1}\nother: *s\n",
         "apiVersion: v1\nkind: ConfigMap\ndata:\n  x: |\n    ---\n    inside a block scalar\n"]


@BOUNDED
@given(st.lists(st.one_of(st.sampled_from(_DOCS), st.sampled_from(YAML_TOKENS)), max_size=12).map(
    lambda parts: "---\n".join(parts) if len(parts) % 2 else "".join(parts)))
def test_yaml_streams_read_once_per_document_say_what_the_careful_reading_says(text: str) -> None:
    """The fast path parses each document once; whatever the stream, it must give what the careful path (the whole
    stream syntax-checked first, then document by document) gives."""
    from linter.sources.kubernetes import classify
    from linter.sources.kubernetes.read import _careful, load_stream

    assert load_stream(text, classify.WANTED) == _careful(text, classify.WANTED)


_SERVER_WORDS = ["vllm", "/", ":", "@", "-", "openai", "serve", " ", "tei", "tgi", "ollama", "sglang", "triton",
                 "server", "llama.cpp", "llama-server", "nvcr.io/nim/", "djl-lmi", "lmi", "trtllm-serve", "nginx",
                 "text-generation-inference", "text-embeddings-router", "entrypoints", ".", "python", "-m"]


_NAME_WORDS = ["train", "trainer", "pre", "fine", "-", "_", "tun", "sft", "lora", "q", "batch", "etl", "eval", "embed",
               "infer", "inference", "serve", "vllm", "notebook", "jupyter", "x", "a", ".", " ", "[0]", "nightly",
               "ingest", "offline", "predict", "tgi", "triton", "workbench", "devbox", "serving", "server", "model",
               "llm", "ml", "embeddings", "embedder", "evaluation", "r", "ing"]


@BOUNDED
@given(st.lists(st.sampled_from(_SERVER_WORDS), max_size=12).map("".join),
       st.lists(st.sampled_from(_NAME_WORDS), max_size=10).map("".join))
def test_one_search_for_any_pattern_says_what_the_pattern_lists_say(text: str, name: str) -> None:
    """Model servers (container images and command lines) are tested against a combined pattern first; it must
    match exactly when one of the list does. A workload-name pattern is searched only when one of its kind's
    words is in the name: it must never match a name without one."""
    from linter.facts.serving import _ANY_MARKER, _MARKERS
    from linter.facts.workload import _NAME_PATTERNS, _NEEDLES

    assert bool(_ANY_MARKER.search(text)) == any(p.search(text) for _, p in _MARKERS)
    for sample in (name, text):
        for kind, pattern in _NAME_PATTERNS:
            if pattern.search(sample):
                assert any(needle in sample for needle in _NEEDLES[kind]), (kind, sample)


def test_each_name_word_alone_has_its_kinds_needle() -> None:
    """Every word the name patterns list, alone and between separators: a pattern that matches it has one of
    its kind's needles in it (the random names above rarely hold a rare word alone)."""
    from linter.facts.workload import _NAME_PATTERNS, _NEEDLES

    for word in _NAME_WORDS:
        for sample in (word, f"aws_instance.{word}", f"job/ml/{word}-runner x"):
            for kind, pattern in _NAME_PATTERNS:
                if pattern.search(sample):
                    assert any(needle in sample for needle in _NEEDLES[kind]), (kind, sample)


_STREAM_PIECES = ["---\n", "--- \n", "...\n", "a: 1\n", "\r\n", "---", "x: |\n  ---\n", "# c\n", "kind: Pod\n", " ---\n",
                  "\n", "-", ".", "....\n", "--- # doc\n"]


@BOUNDED
@given(st.lists(st.sampled_from(_STREAM_PIECES), max_size=16).map("".join))
def test_a_stream_without_markers_past_its_start_is_one_document(text: str) -> None:
    """``_chunks`` skips the marker search when no line past the start can hold one; it must cut every stream
    where the marker pattern does."""
    from linter.sources.kubernetes.read import _DOC_START, _chunks

    starts = [0] + [m.start() for m in _DOC_START.finditer(text) if m.start() > 0]
    expected = [text[a:b] for a, b in zip(starts, [*starts[1:], len(text)], strict=True)]
    assert [chunk for chunk, _ in _chunks(text)] == expected


_JSON_VALUES = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats(allow_nan=True, allow_infinity=True) | st.text(max_size=12),
    lambda inner: st.lists(inner, max_size=4) | st.dictionaries(st.text(max_size=6) | st.integers(), inner,
                                                                   max_size=4),
    max_leaves=20)


@BOUNDED
@given(st.lists(_JSON_VALUES, min_size=1, max_size=5))
def test_report_lines_are_what_json_dumps_writes(items: list[object]) -> None:
    """The JSON report writes its items with a reused C encoder; the text must be json.dumps's, byte for byte
    (non-ASCII escaped, NaN and Infinity as json writes them, integer keys as text)."""
    import json

    from linter.report.json_report import _lines

    assert _lines(items) == ",\n".join("    " + json.dumps(item) for item in items)
