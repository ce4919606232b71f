"""Plain-text views of catalogue entries for `modelrouter show` and `modelrouter doctor`."""

from __future__ import annotations

from collections.abc import Mapping

from modelrouter import _catalog
from modelrouter._auth import shell_alias
from modelrouter.gateways.base import ModelInfo, ProviderConfig

__all__ = ["describe_model", "env_status", "split_model_id"]


def split_model_id(model_id: str) -> tuple[str, str]:
    """`provider/model` -> (key, model); `prefix/provider/model` when the prefix is a gateway's.

    A prefixed key is used only when the catalogue has it, so a provider that happens to share
    a gateway prefix's name still resolves.
    """
    first, _, rest = model_id.partition("/")
    if first in _catalog.gateway_prefixes():
        provider, _, model = rest.partition("/")
        if model and _catalog.get_provider(f"{first}/{provider}") is not None:
            return f"{first}/{provider}", model
    return first, rest


def _money(value: float | None) -> str:
    return "?" if value is None else f"${value:g}"


def describe_model(key: str, model: str, config: ProviderConfig) -> list[str]:
    """Lines describing one model: provider, keys, URL, limits, cost, capabilities, status."""
    info = config.model_info.get(model) or ModelInfo(id=model)
    env = ", ".join(config.env_vars) or "(none: pass api_key=...)"
    limits = f"context {info.context_limit or '?'}, output {info.output_limit or '?'}"
    if info.input_limit:
        limits += f", input {info.input_limit}"
    cost = f"input {_money(info.input_cost)}, output {_money(info.output_cost)} per 1M tokens"
    if info.cache_read_cost is not None:
        cost += f", cache read {_money(info.cache_read_cost)}"
    return [
        f"{key}/{model}" + (f"  ({info.name})" if info.name and info.name != model else ""),
        f"  provider:      {config.name or key} (gateway {config.gateway})",
        f"  env vars:      {env}",
        f"  url:           {info.url or config.url or '(provider default)'}",
        f"  wire:          {info.wire or config.wire or '(provider default)'}",
        f"  limits:        {limits}",
        f"  cost:          {cost}",
        f"  capabilities:  {', '.join(info.capabilities) or '(none listed)'}",
        f"  modalities:    {', '.join(info.input_modalities) or '?'}"
        f" -> {', '.join(info.output_modalities) or '?'}",
        f"  status:        {info.status or 'current'}",
    ]


def _how_to_set(name: str) -> str:
    alias = shell_alias(name)
    if alias is None:
        return name
    # No shell can `export 302AI_API_KEY=...`; env(1) can pass it, and the alias works too.
    return f"{alias} (or run: env '{name}=...' your-command)"


def env_status(config: ProviderConfig, environ: Mapping[str, str]) -> tuple[bool, str]:
    """Whether any of the provider's key variables is set, and a line naming them (no values)."""
    names = config.env_vars
    if not names:
        return False, "no key variable known (pass api_key=...)"
    for name in names:
        if environ.get(name):
            return True, f"{name} is set"
    for name in names:
        alias = shell_alias(name)
        if alias and environ.get(alias):
            return True, f"{alias} is set (read as {name})"
    return False, f"set {' or '.join(_how_to_set(name) for name in names)}"
