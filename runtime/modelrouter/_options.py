"""Provider options: deep merge (agent < entry < call < message) and per-provider selection.

Options are keyed by provider id; only the answering provider's entry is applied, so an option
written for another provider is ignored, never sent.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any, Final

__all__ = ["camel_to_snake", "deep_merge", "merge_provider_options", "snake_to_camel"]

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
    """Merge the `provider` entry of each layer, later layers winning at every depth."""
    merged: dict[str, Any] = {}
    for layer in layers:
        if layer:
            options = layer.get(provider)
            if options:
                merged = deep_merge(merged, options)
    return merged


def camel_to_snake(name: str) -> str:
    """`reasoningEffort` -> `reasoning_effort` (AI SDK spelling to the wire's)."""
    return _CAMEL_BOUNDARY.sub(r"_\1", name).lower()


def snake_to_camel(name: str) -> str:
    """`thinking_budget` -> `thinkingBudget` (Gemini's JSON is camelCase)."""
    head, *rest = name.split("_")
    return head + "".join(part[:1].upper() + part[1:] for part in rest)


def rename_keys(value: Any, rename: Any) -> Any:
    """Apply `rename` to every mapping key in `value`, recursively."""
    if isinstance(value, Mapping):
        return {rename(k): rename_keys(v, rename) for k, v in value.items()}  # pyright: ignore
    if isinstance(value, list):
        return [rename_keys(v, rename) for v in value]  # pyright: ignore[reportUnknownVariableType]
    return value
