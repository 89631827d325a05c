#!/usr/bin/env python3
"""Build linter/pricing/data/llm_tokens.json: per-token list prices of common hosted models.

Input: LiteLLM's maintained price table ``model_prices_and_context_window.json`` (the copy the
``litellm`` package ships as ``litellm/model_prices_and_context_window_backup.json``), which keeps
input/output cost per token and context limits per model as the providers publish them. Only the
models listed in MODELS are taken (the common OpenAI, Azure OpenAI, Anthropic, Bedrock and Vertex
ones); each entry keeps the table's figures, converted to USD per million tokens, with the
source and the date the table was read.

Run (maintainers, with the wheel or a checkout at hand; nothing is fetched here):
  pip download litellm==1.110.2 --no-deps -d /tmp/l && unzip -o /tmp/l/litellm-*.whl \
      'litellm/model_prices_and_context_window_backup.json' -d /tmp/l
  python3 tools/catalog/build_llm_tokens.py /tmp/l/litellm/model_prices_and_context_window_backup.json \
      --version 1.110.2 --retrieved 2026-12-03
"""

from __future__ import annotations

import argparse
import json
import sys
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent.parent
OUT = ROOT / "linter" / "pricing" / "data" / "llm_tokens.json"

# our key -> the table's key. Our keys are how configs name the model: LiteLLM's own names, Azure
# OpenAI model names (azure/<model>), Bedrock model ids, Vertex names.
MODELS: dict[str, str] = {
    # OpenAI
    "openai/gpt-4o": "gpt-4o", "openai/gpt-4o-mini": "gpt-4o-mini", "openai/gpt-4.1": "gpt-4.1",
    "openai/gpt-4.1-mini": "gpt-4.1-mini", "openai/gpt-4.1-nano": "gpt-4.1-nano", "openai/gpt-5": "gpt-5",
    "openai/gpt-5-mini": "gpt-5-mini", "openai/o3": "o3", "openai/o4-mini": "o4-mini",
    "openai/gpt-3.5-turbo": "gpt-3.5-turbo",
    # Azure OpenAI (global standard list prices; the model name is what azurerm_cognitive_deployment declares)
    "azure/gpt-4o": "azure/gpt-4o", "azure/gpt-4o-mini": "azure/gpt-4o-mini", "azure/gpt-4.1": "azure/gpt-4.1",
    "azure/gpt-4.1-mini": "azure/gpt-4.1-mini", "azure/gpt-5": "azure/gpt-5", "azure/gpt-5-mini": "azure/gpt-5-mini",
    "azure/gpt-35-turbo": "azure/gpt-35-turbo",
    # Anthropic API
    "anthropic/claude-sonnet-4-5": "claude-sonnet-4-5", "anthropic/claude-sonnet-4-6": "claude-sonnet-4-6",
    "anthropic/claude-opus-4-5": "claude-opus-4-5", "anthropic/claude-haiku-4-5": "claude-haiku-4-5",
    # Amazon Bedrock (on-demand, us-east-1 list prices as the table keeps them)
    "bedrock/anthropic.claude-3-5-sonnet-20240620-v1:0": "anthropic.claude-3-5-sonnet-20240620-v1:0",
    "bedrock/anthropic.claude-3-5-sonnet-20241022-v2:0": "anthropic.claude-3-5-sonnet-20241022-v2:0",
    "bedrock/anthropic.claude-3-5-haiku-20241022-v1:0": "anthropic.claude-3-5-haiku-20241022-v1:0",
    "bedrock/anthropic.claude-3-7-sonnet-20250219-v1:0": "anthropic.claude-3-7-sonnet-20250219-v1:0",
    "bedrock/anthropic.claude-sonnet-4-20250514-v1:0": "anthropic.claude-sonnet-4-20250514-v1:0",
    "bedrock/anthropic.claude-sonnet-4-5-20250929-v1:0": "anthropic.claude-sonnet-4-5-20250929-v1:0",
    "bedrock/anthropic.claude-haiku-4-5-20251001-v1:0": "anthropic.claude-haiku-4-5-20251001-v1:0",
    "bedrock/anthropic.claude-3-opus-20240229-v1:0": "anthropic.claude-3-opus-20240229-v1:0",
    "bedrock/meta.llama3-1-8b-instruct-v1:0": "meta.llama3-1-8b-instruct-v1:0",
    "bedrock/meta.llama3-1-70b-instruct-v1:0": "meta.llama3-1-70b-instruct-v1:0",
    "bedrock/amazon.nova-pro-v1:0": "amazon.nova-pro-v1:0", "bedrock/amazon.nova-lite-v1:0": "amazon.nova-lite-v1:0",
    "bedrock/amazon.nova-micro-v1:0": "amazon.nova-micro-v1:0",
    # Google Vertex AI
    "vertex_ai/gemini-2.5-pro": "gemini-2.5-pro", "vertex_ai/gemini-2.5-flash": "gemini-2.5-flash",
    "vertex_ai/gemini-2.0-flash": "vertex_ai/gemini-2.0-flash",
    "vertex_ai/claude-3-5-sonnet": "vertex_ai/claude-3-5-sonnet",
    "vertex_ai/claude-sonnet-4-5": "vertex_ai/claude-sonnet-4-5",
    "vertex_ai/claude-haiku-4-5": "vertex_ai/claude-haiku-4-5",
}
PROVIDER_OF = {"openai": "openai", "azure": "azure", "anthropic": "anthropic", "bedrock": "aws", "vertex_ai": "gcp"}


def build(table: dict, version: str, retrieved: str) -> dict:
    source_id = f"litellm-{version}"
    models: dict[str, dict] = {}
    missing = []
    for key, table_key in MODELS.items():
        row = table.get(table_key)
        if not isinstance(row, dict) or row.get("input_cost_per_token") is None \
                or row.get("output_cost_per_token") is None:
            missing.append(table_key)
            continue
        models[key] = {
            "provider": PROVIDER_OF[key.split("/", 1)[0]],
            "input_usd_per_mtok": round(float(row["input_cost_per_token"]) * 1e6, 6),
            "output_usd_per_mtok": round(float(row["output_cost_per_token"]) * 1e6, 6),
            "max_input_tokens": row.get("max_input_tokens"),
            "max_output_tokens": row.get("max_output_tokens") or row.get("max_tokens"),
            "table_key": table_key,
            "source": source_id,
            "as_of": retrieved,
        }
    if missing:
        print(f"not in the table (left out): {', '.join(missing)}", file=sys.stderr)
    return {
        "sources": {source_id: {
            "name": "LiteLLM model_prices_and_context_window.json",
            "url": "https://github.com/BerriAI/litellm/blob/main/model_prices_and_context_window.json",
            "retrieved": retrieved,
            "notes": f"read from litellm {version} (PyPI wheel, litellm/model_prices_and_context_window_backup.json) "
                     f"on {retrieved}; input_cost_per_token and output_cost_per_token x 1,000,000; list prices, "
                     "standard (non-batch, non-cached) tokens; the table's max_input_tokens/max_output_tokens kept",
        }},
        "models": dict(sorted(models.items())),
    }


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("table", type=Path)
    parser.add_argument("--version", required=True, help="litellm version the table came with")
    parser.add_argument("--retrieved", required=True, help="date the table was read, YYYY-MM-DD")
    args = parser.parse_args()
    try:
        table = json.loads(args.table.read_text(encoding="utf-8"))
    except (OSError, ValueError) as exc:
        print(f"{args.table}: cannot read the price table: {exc}", file=sys.stderr)
        return 2
    OUT.write_text(json.dumps(build(table, args.version, args.retrieved), indent=1) + "\n", encoding="utf-8")
    print(f"wrote {OUT}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
