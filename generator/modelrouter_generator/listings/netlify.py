"""The Netlify AI gateway's listing (prefix "netlify": ids are `netlify/provider/model`).

Listing: `GET https://api.netlify.com/api/v1/ai-gateway/providers` (override:
`MODELROUTER_NETLIFY_URL`), shaped `{"providers": {id: {token_env_var, url_env_var, models}}}`.
Each provider's URL is the `${VAR}` Netlify sets, plus the version segment its wire protocol
needs (see `modelrouter.gateways.netlify`, which routes these ids at run time).
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Final

from modelrouter.gateways.base import ModelInfo, ProviderConfig
from modelrouter.gateways.netlify import VERSION_SUFFIX, NetlifyGateway, wire_for_provider
from modelrouter_generator.listings.base import ListingGateway, validate_json

__all__ = ["NetlifyListing"]

_DISPLAY_NAMES: Final[Mapping[str, str]] = {
    "anthropic": "Anthropic",
    "gemini": "Gemini",
    "openai": "OpenAI",
    "openrouter": "OpenRouter",
}


class NetlifyListing(ListingGateway, NetlifyGateway):
    """Fetches and validates the Netlify AI gateway's providers (the runtime's `NetlifyGateway`)."""

    default_url = "https://api.netlify.com/api/v1/ai-gateway/providers"
    url_env_var = "MODELROUTER_NETLIFY_URL"

    def parse_payload(self, raw: bytes) -> dict[str, ProviderConfig]:
        """Validate a providers payload and build one `ProviderConfig` per provider."""
        from modelrouter_generator.listings.payloads.netlify import NetlifyProvidersPayload

        payload = validate_json(self.id, NetlifyProvidersPayload, raw)
        providers: dict[str, ProviderConfig] = {}
        for provider_id, entry in sorted(payload.providers.items()):
            wire = wire_for_provider(provider_id)
            models = tuple(sorted(set(entry.models)))
            providers[provider_id] = ProviderConfig(
                name=f"{_DISPLAY_NAMES.get(provider_id, provider_id)} via Netlify",
                models=models,
                api_key_env_var=entry.token_env_var,
                gateway=self.id,
                url="${" + entry.url_env_var + "}" + VERSION_SUFFIX[wire],
                doc_url="https://docs.netlify.com/build/ai-gateway/overview/",
                wire=wire,
                model_info={model: ModelInfo(id=model) for model in models},
            )
            # This instance then routes with what the listing said, as the runtime's does.
            self._env_vars[provider_id] = (entry.token_env_var, entry.url_env_var)
        return providers
