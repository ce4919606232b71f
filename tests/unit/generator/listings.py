"""Listings built in code, shaped like `sources.GatewayListing`, for the generator's stages."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field

from modelrouter.gateways.base import ModelInfo, ProviderConfig


@dataclass(frozen=True)
class FakeListing:
    gateway_id: str
    prefix: str | None
    providers: Mapping[str, ProviderConfig]
    source_hash: str = "0123456789abcdef"
    origin: str = "snapshot"


def provider(
    models: Sequence[str] | Mapping[str, ModelInfo],
    *,
    name: str = "Example",
    env: str | tuple[str, ...] = "EXAMPLE_API_KEY",
    gateway: str = "models.dev",
    url: str | None = "https://api.example.com/v1",
) -> ProviderConfig:
    infos = dict(models) if isinstance(models, Mapping) else {}
    return ProviderConfig(
        name=name,
        models=tuple(models),
        api_key_env_var=env,
        gateway=gateway,
        url=url,
        model_info=infos,
    )


def listing(
    providers: Mapping[str, ProviderConfig],
    *,
    gateway_id: str = "models.dev",
    prefix: str | None = None,
    source_hash: str = "0123456789abcdef",
) -> FakeListing:
    return FakeListing(gateway_id, prefix, dict(providers), source_hash)


HOSTILE_KEPT: tuple[str, ...] = (
    "it's",
    'say "hi"',
    "both ' and \"",
    "back\\slash",
    'triple """ quotes',
    "hash # not a comment",
    "ünïcødé-模型",
    "a/b:c@d~e.f",
    "with spaces in it",
    "trailing\\",
    "'''",
    "4o",
    "class",
    "x" * 120,
)
"""Ids that must survive as valid, importable, mypy-clean code."""

HOSTILE_SKIPPED: tuple[str, ...] = (
    "",
    "nul\x00byte",
    "new\nline",
    "carriage\rreturn",
    "tab\there",
    "bell\x07",
    "lone\ud800surrogate",
    "bidi\u202eoverride",
    "line\u2028separator",
    "y" * 10_000,
)
"""Ids the policy skips with a warning (see `identifiers` for why)."""


def hostile_listing() -> FakeListing:
    """One provider holding every hostile id, kept and skipped, plus awkward provider ids."""
    infos = {
        mid: ModelInfo(id=mid, name=mid if mid.isprintable() else "x", capabilities=("tool_call",))
        for mid in (*HOSTILE_KEPT, *HOSTILE_SKIPPED)
    }
    return listing(
        {
            "hostile": provider(infos, name='Evil "Provider" \\ """'),
            "302ai": provider(["m-1"]),
            "wafer.ai": provider(["m.1", "m-1"]),
            "amazon-bedrock": provider(["anthropic.claude-v2:1"]),
            "import": provider(["x"]),
            "empty": provider([]),
            "p" * 300: provider(["long-provider-model"]),
            "bad/provider": provider(["x"]),
            "": provider(["x"]),
        }
    )
