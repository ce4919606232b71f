"""Provider options: deep merge (agent < entry < call < message) and per-provider selection.

Options are keyed by provider id; only the answering provider's entry is applied, so an option
written for another provider is ignored, never sent.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Iterable, Mapping
from typing import Any, Final

__all__ = [
    "camel_to_snake",
    "deep_merge",
    "merge_provider_options",
    "normalize_keys",
    "respell",
    "snake_to_camel",
]

_CAMEL_BOUNDARY: Final = re.compile(r"(?<=[a-z0-9])([A-Z])")


def deep_merge(base: Mapping[str, Any], override: Mapping[str, Any]) -> dict[str, Any]:
    """Return `base` updated with `override`; nested mappings merge, anything else is replaced."""
    merged = dict(base)
    for key, value in override.items():
        current = merged.get(key)
        if isinstance(current, Mapping) and isinstance(value, Mapping):
            merged[key] = deep_merge(current, value)  # pyright: ignore[reportUnknownArgumentType]
        else:
            merged[key] = value
    return merged


def merge_provider_options(
    layers: Iterable[Mapping[str, Mapping[str, Any]] | None], provider: str
) -> dict[str, Any]:
    """Merge the `provider` entry of each layer, later layers winning at every depth.

    Keys are normalised to snake_case first, so `reasoningEffort` (the AI SDK's spelling) and
    `reasoning_effort` are one option; each transport then spells them as its wire wants.
    """
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            options = layer.get(provider)
            if options:
                merged = deep_merge(merged, normalize_keys(options))
    return merged


# Options whose values are themselves option objects the router knows (their keys are option
# names, spelled per wire). Every other value is the user's data (JSON schemas, tool parameters,
# metadata, extra_body, logit_bias) and is copied verbatim: respelling `firstName` inside a
# schema would break it.
_CONFIG_OBJECTS: Final = frozenset(
    {
        "generation_config",  # Gemini: responseSchema etc. inside stay verbatim
        "thinking_config",  # Gemini: thinkingBudget, includeThoughts
        "thinking",  # Anthropic: type, budget_tokens
        "reasoning",  # OpenAI-compatible: effort, summary, max_tokens
        "stream_options",
        "web_search_options",
        "image_config",
        "response_format",  # OpenAI: type, json_schema (its `schema` stays verbatim)
        "json_schema",
        "tool_choice",  # Anthropic: disable_parallel_tool_use; tool names are values
        "tool_config",  # Gemini: functionCallingConfig.allowedFunctionNames
        "function_calling_config",
        "speech_config",  # Gemini: voiceConfig.prebuiltVoiceConfig.voiceName
        "voice_config",
        "prebuilt_voice_config",
    }
)


def normalize_keys(options: Mapping[str, Any]) -> dict[str, Any]:
    """`options` with every option name in snake_case (see `respell`)."""
    return respell(options, camel_to_snake)


def respell(options: Mapping[str, Any], rename: Callable[[str], str]) -> dict[str, Any]:
    """`options` with `rename` applied to option names only; values are copied verbatim.

    Names are the top-level keys and the keys of the known config objects (`_CONFIG_OBJECTS`,
    at any depth among themselves, e.g. Gemini's `generationConfig.thinkingConfig`).
    """
    renamed: dict[str, Any] = {}
    for key, value in options.items():
        name = rename(key)
        if isinstance(value, Mapping) and camel_to_snake(name) in _CONFIG_OBJECTS:
            value = respell(value, rename)  # pyright: ignore[reportUnknownArgumentType]
        renamed[name] = value
    return renamed


def camel_to_snake(name: str) -> str:
    """`reasoningEffort` -> `reasoning_effort` (AI SDK spelling to the wire's)."""
    return _CAMEL_BOUNDARY.sub(r"_\1", name).lower()


def snake_to_camel(name: str) -> str:
    """`thinking_budget` -> `thinkingBudget` (Gemini's JSON is camelCase)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)
