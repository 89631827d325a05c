"""Per-token list prices of hosted models (``data/llm_tokens.json``), looked up by the name a config uses.

Configs name models in many ways: LiteLLM's ``azure/gpt-4o`` or ``bedrock/anthropic.claude-...``,
an Azure OpenAI deployment's ``model { name = "gpt-4o" }``, a Bedrock ARN's model id, a dated
version (``gpt-4o-2024-08-06``). :func:`token_price` tries the name as written, then with the
provider's prefix, then without a trailing date; anything else is unknown, never approximated.
"""

from __future__ import annotations

import json
import os
import re
from functools import lru_cache
from typing import Any

from linter.records import record

_PATH = os.path.join(os.path.dirname(__file__), "data", "llm_tokens.json")
# LiteLLM provider prefixes -> our catalog's prefix
_PREFIXES = {"openai": "openai", "azure": "azure", "azure_ai": "azure", "anthropic": "anthropic",
             "bedrock": "bedrock", "bedrock_converse": "bedrock", "converse": "bedrock", "vertex_ai": "vertex_ai",
             "vertex_ai_beta": "vertex_ai", "gemini": "vertex_ai"}
_BARE = (("gpt-", "openai"), ("o1", "openai"), ("o3", "openai"), ("o4", "openai"), ("claude-", "anthropic"),
         ("gemini-", "vertex_ai"))
_DATE_SUFFIX = re.compile(r"-(\d{4}-\d{2}-\d{2}|\d{8})$")
_REGION_PREFIX = re.compile(r"^(us|eu|apac|global|au|jp|ca)\.")  # Bedrock cross-region inference profiles


@record(frozen=True, slots=True)
class TokenPrice:
    model: str  # catalog key
    input_per_mtok: float
    output_per_mtok: float
    max_input_tokens: int | None
    max_output_tokens: int | None
    source: str
    as_of: str

    def describe(self) -> str:
        return (f"{self.model} list price ${self.input_per_mtok:g} input / ${self.output_per_mtok:g} output per "
                f"million tokens ({self.source}, as of {self.as_of})")


@lru_cache(maxsize=1)
def _models() -> dict[str, dict[str, Any]]:
    with open(_PATH, encoding="utf-8") as fh:
        data: dict[str, dict[str, Any]] = json.load(fh)["models"]
    return data


def _candidates(name: str, provider: str | None) -> list[str]:
    name = name.strip()
    out = [name]
    head, sep, rest = name.partition("/")
    if sep and head in _PREFIXES:
        prefix = _PREFIXES[head]
        rest = rest.removeprefix("converse/")
        out.append(f"{prefix}/{rest}")
        out.append(f"{prefix}/{_REGION_PREFIX.sub('', rest)}")
    elif provider in _PREFIXES:
        out.append(f"{_PREFIXES[provider]}/{_REGION_PREFIX.sub('', name)}")
    else:  # a bare name: the provider LiteLLM infers for it (gpt-4o -> OpenAI, claude-* -> Anthropic)
        inferred = next((p for pre, p in _BARE if name.startswith(pre)), None)
        if inferred:
            out.append(f"{inferred}/{name}")
    out += [_DATE_SUFFIX.sub("", c) for c in out]
    return list(dict.fromkeys(out))


def token_price(name: str | None, provider: str | None = None) -> TokenPrice | None:
    """The catalog price of ``name`` (``provider``: a LiteLLM-style prefix to try when the name has none)."""
    if not name:
        return None
    models = _models()
    for key in _candidates(name, provider):
        row = models.get(key)
        if row is not None:
            return TokenPrice(key, float(row["input_usd_per_mtok"]), float(row["output_usd_per_mtok"]),
                              row.get("max_input_tokens"), row.get("max_output_tokens"), row["source"], row["as_of"])
    return None
