"""A small fixed set of listings whose generated tree is kept under `expected/`."""

from __future__ import annotations

from modelrouter.gateways.base import ModelInfo
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from modelrouter_generator.structures import Catalog
from tests.unit.generator.listings import listing, provider


def fixture_catalog() -> Catalog:
    registry = listing(
        {
            "openai": provider(
                {
                    "gpt-4o": ModelInfo(
                        id="gpt-4o",
                        name="GPT-4o",
                        context_limit=128000,
                        output_limit=16384,
                        input_cost=2.5,
                        output_cost=10,
                        capabilities=("tool_call", "attachment"),
                        input_modalities=("text", "image"),
                        output_modalities=("text",),
                    ),
                    "o1": ModelInfo(id="o1", status="deprecated"),
                    # An embedding model by family, for `EmbeddingModelId`.
                    "text-embedding-3-small": ModelInfo(
                        id="text-embedding-3-small",
                        family="text-embedding",
                        input_cost=0.02,
                        output_cost=0,
                    ),
                },
                name="OpenAI",
                env="OPENAI_API_KEY",
                url="https://api.openai.com/v1",
            ),
            "anthropic": provider(
                ["claude-3-5-haiku", "claude-3.5-haiku", "it's \"quoted\""],
                name="Anthropic",
                env=("ANTHROPIC_API_KEY", "CLAUDE_API_KEY"),
            ),
            # An embedding id with quotes in it, and a reranker (not an embedding model).
            "302ai": provider(["m1", "bge-reranker-v2", "embed-it's-\"v2\""]),
            "empty-provider": provider([]),
            "openrouter": provider(["anthropic/claude-3.5-haiku"], name="OpenRouter"),
        },
        source_hash="aaaaaaaaaaaaaaaa",
    )
    openrouter = listing(
        {"openrouter": provider(["openai/gpt-4o"], name="OpenRouter", gateway="openrouter")},
        gateway_id="openrouter",
        source_hash="bbbbbbbbbbbbbbbb",
    )
    netlify = listing(
        {"openai": provider(["gpt-4o"], gateway="netlify", url=None)},
        gateway_id="netlify",
        prefix="netlify",
        source_hash="cccccccccccccccc",
    )
    return normalize([registry, netlify, openrouter])


def fixture_files() -> dict[str, str]:
    return {str(path): text for path, text in render_catalog(fixture_catalog()).items()}
