"""The Netlify AI gateway at run time (prefix "netlify": ids are `netlify/provider/model`).

Inside Netlify compute the platform sets each provider's variables to the gateway's base URL and
a token, in the form the provider's official SDK reads them. The SDKs differ in whether that URL
carries the API version, so the catalogue URL appends what the wire protocol needs:
`${OPENAI_BASE_URL}` as is, `${ANTHROPIC_BASE_URL}/v1`, `${GOOGLE_GEMINI_BASE_URL}/v1beta`.
The listing fetch and its validation are the generator's (`modelrouter_generator.listings`).
"""

from __future__ import annotations

import importlib
import os
import re
from collections.abc import Callable, Mapping
from typing import TYPE_CHECKING, Final

from modelrouter.gateways.base import ProviderConfig
from modelrouter.gateways.builtins import CatalogGateway

if TYPE_CHECKING:
    from modelrouter._types import WireFormat

__all__ = ["VERSION_SUFFIX", "NetlifyGateway", "wire_for_provider"]

_WIRE_BY_PROVIDER: Final[Mapping[str, WireFormat]] = {
    "anthropic": "anthropic",
    "gemini": "gemini",
}
# Path the wire protocol expects after the SDK-style base URL Netlify injects.
VERSION_SUFFIX: Final[Mapping[WireFormat, str]] = {
    "anthropic": "/v1",
    "gemini": "/v1beta",
    "openai-chat": "",
}
# Used when no listing was loaded in this process: the variables Netlify documents.
_DEFAULT_ENV_VARS: Final[Mapping[str, tuple[str, str]]] = {
    "anthropic": ("ANTHROPIC_API_KEY", "ANTHROPIC_BASE_URL"),
    "gemini": ("GEMINI_API_KEY", "GOOGLE_GEMINI_BASE_URL"),
    "openai": ("OPENAI_API_KEY", "OPENAI_BASE_URL"),
}
_PLACEHOLDER: Final = re.compile(r"^\$\{([A-Za-z_][A-Za-z0-9_]*)\}")


def wire_for_provider(provider_id: str) -> WireFormat:
    """The wire protocol of a Netlify provider id."""
    return _WIRE_BY_PROVIDER.get(provider_id, "openai-chat")


class NetlifyGateway(CatalogGateway):
    """Providers proxied by the Netlify AI gateway, addressed as `netlify/provider/model`."""

    id = "netlify"
    name = "Netlify AI Gateway"
    prefix = "netlify"

    def __init__(self) -> None:
        super().__init__()
        # provider id -> (token variable, URL variable), learnt from the last parsed listing.
        self._env_vars: dict[str, tuple[str, str]] = {}

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
        return base.rstrip("/") + VERSION_SUFFIX[wire_for_provider(provider_id)]

    def get_api_key(self, model_id: str) -> str | None:
        """The token Netlify injected for the model's provider, or None when unset."""
        _, variables = self._variables(model_id)
        return os.environ.get(variables[0]) or None if variables else None
