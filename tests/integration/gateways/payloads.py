"""Small hand-made listing payloads, one per built-in gateway."""

from __future__ import annotations

import json
from typing import Any


def models_dev(*models: str, context: Any = 1000) -> bytes:
    return json.dumps(
        {
            "acme": {
                "name": "Acme",
                "env": ["ACME_API_KEY"],
                "npm": "@ai-sdk/openai-compatible",
                "api": "https://api.acme.test/v1",
                "models": {
                    m: {
                        "name": m,
                        "limit": {"context": context, "output": 10},
                        "modalities": {"input": ["text"], "output": ["text"]},
                    }
                    for m in models
                },
            }
        }
    ).encode()


def netlify(*models: str) -> bytes:
    entry = {"token_env_var": "OPENAI_API_KEY", "url_env_var": "OPENAI_BASE_URL", "models": models}
    return json.dumps({"providers": {"openai": entry}}).encode()


def openrouter(*models: str, prompt: Any = "0.000001") -> bytes:
    return json.dumps(
        {
            "data": [
                {
                    "id": m,
                    "name": m,
                    "context_length": 1000,
                    "pricing": {"prompt": prompt, "completion": "0.000002"},
                    "architecture": {"input_modalities": ["text"], "output_modalities": ["text"]},
                    "top_provider": {"max_completion_tokens": 100},
                    "supported_parameters": ["tools"],
                }
                for m in models
            ]
        }
    ).encode()
