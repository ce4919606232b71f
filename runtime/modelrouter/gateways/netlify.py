"""The Netlify AI gateway (prefix "netlify": ids are `netlify/provider/model`).

Listing: `GET https://api.netlify.com/api/v1/ai-gateway/providers` (override:
`MODELROUTER_NETLIFY_URL`), shaped `{"providers": {id: {token_env_var, url_env_var, models}}}`.
Inside Netlify compute the platform sets each provider's variables to the gateway's base URL and
a token, in the form the provider's official SDK reads them. The SDKs differ in whether that URL
carries the API version, so the catalogue URL appends what the wire protocol needs:
`${OPENAI_BASE_URL}` as is, `${ANTHROPIC_BASE_URL}/v1`, `${GOOGLE_GEMINI_BASE_URL}/v1beta`.
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

from modelrouter.gateways._http import ListingGateway, validate_json
from modelrouter.gateways.base import ModelInfo, ProviderConfig

if TYPE_CHECKING:
    from modelrouter._types import WireFormat

__all__ = ["NetlifyGateway"]

_WIRE_BY_PROVIDER: Final[Mapping[str, WireFormat]] = {
    "anthropic": "anthropic",
    "gemini": "gemini",
}
# Path the wire protocol expects after the SDK-style base URL Netlify injects.
_VERSION_SUFFIX: Final[Mapping[WireFormat, str]] = {
    "anthropic": "/v1",
    "gemini": "/v1beta",
    "openai-chat": "",
}
_DISPLAY_NAMES: Final[Mapping[str, str]] = {
    "anthropic": "Anthropic",
    "gemini": "Gemini",
    "openai": "OpenAI",
    "openrouter": "OpenRouter",
}
# Used when no listing was loaded in this process: the variables Netlify documents.
_DEFAULT_ENV_VARS: Final[Mapping[str, tuple[str, str]]] = {
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"),
    "openai": ("OPENAI_API_KEY", "OPENAI_BASE_URL"),
}
_PLACEHOLDER: Final = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def _wire(provider_id: str) -> WireFormat:
    return _WIRE_BY_PROVIDER.get(provider_id, "openai-chat")


class NetlifyGateway(ListingGateway):
    """Providers proxied by the Netlify AI gateway, addressed as `netlify/provider/model`."""

    id = "netlify"
    name = "Netlify AI Gateway"
    prefix = "netlify"
    default_url = "https://api.netlify.com/api/v1/ai-gateway/providers"
    url_env_var = "MODELROUTER_NETLIFY_URL"

    def __init__(self, url: str | None = None) -> None:
        super().__init__(url)
        # provider id -> (token variable, URL variable), learnt from the last parsed listing.
        self._env_vars: dict[str, tuple[str, str]] = {}

    def parse_payload(self, raw: bytes) -> dict[str, ProviderConfig]:
        """Validate a providers payload and build one `ProviderConfig` per provider."""
        from modelrouter.gateways.payloads.netlify import NetlifyProvidersPayload

        payload = validate_json(self.id, NetlifyProvidersPayload, raw)
        providers: dict[str, ProviderConfig] = {}
        for provider_id, entry in sorted(payload.providers.items()):
            wire = _wire(provider_id)
            models = tuple(sorted(set(entry.models)))
            providers[provider_id] = ProviderConfig(
                name=f"{_DISPLAY_NAMES.get(provider_id, provider_id)} via Netlify",
                models=models,
                api_key_env_var=entry.token_env_var,
                gateway=self.id,
                url="${" + entry.url_env_var + "}" + _VERSION_SUFFIX[wire],
                doc_url="https://docs.netlify.com/build/ai-gateway/overview/",
                wire=wire,
                model_info={model: ModelInfo(id=model) for model in models},
            )
            self._env_vars[provider_id] = (entry.token_env_var, entry.url_env_var)
        return providers

    def _variables(self, model_id: str) -> tuple[str, tuple[str, str] | None]:
        parts = model_id.split("/")
        if parts and parts[0] == self.prefix and len(parts) > 2:
            parts = parts[1:]
        provider_id = parts[0]
        known = self._env_vars.get(provider_id) or self._catalog_variables(provider_id)
        return provider_id, known or _DEFAULT_ENV_VARS.get(provider_id)

    def _catalog_variables(self, provider_id: str) -> tuple[str, str] | None:
        # The generated catalogue records what the listing said; read it lazily so the
        # gateway works at run time without fetching anything.
        try:
            catalog = importlib.import_module("modelrouter._catalog")
        except ImportError:
            return None
        get_provider: Callable[[str], ProviderConfig | None] = catalog.get_provider
        config = get_provider(f"{self.prefix}/{provider_id}")
        if config is None or not config.url or not config.env_vars:
            return None
        match = _PLACEHOLDER.match(config.url)
        return (config.env_vars[0], match.group(1)) if match else None

    def build_url(self, model_id: str, env: Mapping[str, str] | None = None) -> str | None:
        """The gateway URL Netlify injected for the model's provider, or None when unset."""
        provider_id, variables = self._variables(model_id)
        if variables is None:
            return None
        base = (os.environ if env is None else env).get(variables[1])
        if not base:
            return None
        return base.rstrip("/") + _VERSION_SUFFIX[_wire(provider_id)]

    def get_api_key(self, model_id: str) -> str | None:
        """The token Netlify injected for the model's provider, or None when unset."""
        _, variables = self._variables(model_id)
        return os.environ.get(variables[0]) or None if variables else None
