"""The built-in gateways as the runtime sees them: their providers are the catalogue's.

At run time a built-in gateway never fetches anything: the generator already turned its listing
into the committed catalogue, so `fetch_providers` reads that back (the providers whose
`gateway` is this one, keyed without the prefix). The live fetch and payload validation live in
the generator (`modelrouter_generator.listings`), which subclasses these classes.
"""

from __future__ import annotations

import importlib

from modelrouter.gateways.base import MaybeAwaitable, ModelGateway, ProviderConfig

__all__ = ["CatalogGateway", "ModelsDevGateway", "OpenRouterGateway"]


class CatalogGateway(ModelGateway):
    """A gateway whose providers, at run time, are those the generated catalogue holds for it."""

    # Declared as the base declares it, so a generator listing (an `async def`) can override it.
    def fetch_providers(self) -> MaybeAwaitable[dict[str, ProviderConfig]]:
        """The catalogue's providers of this gateway, keyed by provider id (no prefix)."""
        try:
            catalog = importlib.import_module("modelrouter._catalog")
        except ImportError:
            return {}
        providers: dict[str, ProviderConfig] = {}
        for key in catalog.provider_keys():
            config = catalog.get_provider(key)
            if config is not None and config.gateway == self.id:
                providers[key.rpartition("/")[2] if self.prefix else key] = config
        return providers


class ModelsDevGateway(CatalogGateway):
    """The models.dev registry: every provider it lists, addressed without a prefix."""

    id = "models.dev"
    name = "models.dev"
    prefix = None


class OpenRouterGateway(CatalogGateway):
    """OpenRouter's live listing, contributing the single provider "openrouter"."""

    id = "openrouter"
    name = "OpenRouter"
    prefix = None
