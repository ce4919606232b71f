"""The normalised catalogue: frozen, sorted, ready to print. Templates read nothing else."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Protocol

from modelrouter._embedding_rule import is_embedding_model
from modelrouter.gateways.base import ModelInfo, ProviderConfig
from modelrouter_generator.identifiers import LONG_ID_CHARS

__all__ = ["Catalog", "Listing", "ModelEntry", "ProviderEntry"]


class Listing(Protocol):
    """What normalize needs of one gateway's listing (`sources.GatewayListing` fits)."""

    @property
    def gateway_id(self) -> str: ...

    @property
    def prefix(self) -> str | None: ...

    @property
    def providers(self) -> Mapping[str, ProviderConfig]: ...

    @property
    def source_hash(self) -> str: ...


@dataclass(frozen=True, slots=True)
class ModelEntry:
    """One model of one provider.

    Attributes:
        id: the bare id, as the provider spells it ("gpt-4o", "anthropic/claude-3.5-haiku").
        full_id: the id users write ("openai/gpt-4o", "netlify/openai/gpt-4o").
        constant: the module-level constant holding `full_id` ("GPT_4O").
        info: everything the gateways knew, merged.
    """

    id: str
    full_id: str
    constant: str
    info: ModelInfo


@dataclass(frozen=True, slots=True)
class ProviderEntry:
    """One catalogue provider, i.e. one generated module.

    Attributes:
        key: catalogue key, "openai" or "netlify/openai" for a prefixed gateway.
        provider_id: the provider's own id ("openai").
        prefix: the gateway prefix, or None for a registry.
        module: module name under `modelrouter_catalog.providers`.
        alias: name of the Literal alias of full ids in `model_ids.py`.
        config: the merged config (its `models` and `model_info` are rebuilt by the template).
        models: sorted by id.
    """

    key: str
    provider_id: str
    prefix: str | None
    module: str
    alias: str
    config: ProviderConfig
    models: tuple[ModelEntry, ...]


@dataclass(frozen=True, slots=True)
class Catalog:
    """The whole catalogue, sorted by key; `sources` sorted by gateway id."""

    providers: tuple[ProviderEntry, ...]
    sources: tuple[tuple[str, str], ...]
    warnings: tuple[str, ...]

    @property
    def model_count(self) -> int:
        return sum(len(p.models) for p in self.providers)

    @property
    def union_aliases(self) -> tuple[str, ...]:
        """Aliases of providers with models, smallest first: mypy prints only the first five
        members of a long union in a typo message, so small ones keep that message short."""
        typed = [p for p in self.providers if p.models]
        return tuple(p.alias for p in sorted(typed, key=lambda p: (len(p.models), p.alias)))

    @property
    def embedding_ids(self) -> tuple[str, ...]:
        """Full ids of the embedding models (`modelrouter._embedding_rule`), sorted."""
        return tuple(
            sorted(
                m.full_id
                for p in self.providers
                for m in p.models
                if is_embedding_model(m.id, m.info.family)
            )
        )

    @property
    def long_ids(self) -> int:
        """Full ids over 50 characters: pyright will not offer these, the constants stand in."""
        return sum(len(m.full_id) > LONG_ID_CHARS for p in self.providers for m in p.models)
