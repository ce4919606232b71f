"""OpenRouter's live model listing: the "openrouter" provider, ids `openrouter/vendor/model`.

Listing: `GET https://openrouter.ai/api/v1/models` (override: `MODELROUTER_OPENROUTER_URL`).
models.dev also lists OpenRouter; the generator merges both and this live listing wins, being
the fresher. Prices arrive as decimal strings in USD per token and are stored per million;
negative prices (OpenRouter's "varies", e.g. its auto router) become unknown.
"""

from __future__ import annotations

from collections.abc import Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Final

from modelrouter.gateways.base import ModelInfo, ProviderConfig
from modelrouter.gateways.builtins import OpenRouterGateway
from modelrouter_generator.listings.base import ListingGateway, per_million, validate_json

if TYPE_CHECKING:
    from modelrouter_generator.listings.payloads.openrouter import Model

__all__ = ["OpenRouterListing"]

PROVIDER_ID: Final = "openrouter"
_TOKENS_PER_MILLION: Final = 1_000_000.0

# supported_parameters entry -> capability flag (the names models.dev uses).
_CAPABILITY_BY_PARAMETER: Final[Mapping[str, str]] = {
    "tools": "tool_call",
    "reasoning": "reasoning",
    "include_reasoning": "reasoning",
    "structured_outputs": "structured_output",
    "temperature": "temperature",
}
_ATTACHMENT_MODALITIES: Final = frozenset({"image", "file", "audio", "video"})


def _price(value: str | None) -> float | None:
    return per_million(float(value), scale=_TOKENS_PER_MILLION) if value is not None else None


def _model_info(model: Model) -> ModelInfo:
    capabilities = {
        _CAPABILITY_BY_PARAMETER[p]
        for p in model.supported_parameters
        if p in _CAPABILITY_BY_PARAMETER
    }
    inputs = set(model.architecture.input_modalities)
    if inputs & _ATTACHMENT_MODALITIES:
        capabilities.add("attachment")
    created = (
        datetime.fromtimestamp(model.created, UTC).date().isoformat()
        if model.created is not None and model.created > 0
        else None
    )
    return ModelInfo(
        id=model.id,
        name=model.name,
        context_limit=model.context_length or model.top_provider.context_length or None,
        output_limit=model.top_provider.max_completion_tokens or None,
        input_cost=_price(model.pricing.prompt),
        output_cost=_price(model.pricing.completion),
        cache_read_cost=_price(model.pricing.input_cache_read),
        cache_write_cost=_price(model.pricing.input_cache_write),
        capabilities=tuple(sorted(capabilities)),
        input_modalities=tuple(sorted(inputs)),
        output_modalities=tuple(sorted(set(model.architecture.output_modalities))),
        # A model with a retirement date is on its way out.
        status="deprecated" if model.expiration_date else None,
        release_date=created,
        knowledge=model.knowledge_cutoff,
    )


class OpenRouterListing(ListingGateway, OpenRouterGateway):
    """Fetches and validates OpenRouter's live listing (the runtime's `OpenRouterGateway`)."""

    default_url = "https://openrouter.ai/api/v1/models"
    url_env_var = "MODELROUTER_OPENROUTER_URL"

    def parse_payload(self, raw: bytes) -> dict[str, ProviderConfig]:
        """Validate a models payload into the "openrouter" provider (first entry per id wins)."""
        from modelrouter_generator.listings.payloads.openrouter import OpenRouterModelsPayload

        payload = validate_json(self.id, OpenRouterModelsPayload, raw)
        info: dict[str, ModelInfo] = {}
        for model in payload.data:
            info.setdefault(model.id, _model_info(model))
        info = dict(sorted(info.items()))
        return {
            PROVIDER_ID: ProviderConfig(
                name="OpenRouter",
                models=tuple(info),
                api_key_env_var="OPENROUTER_API_KEY",
                gateway=self.id,
                url="https://openrouter.ai/api/v1",
                doc_url="https://openrouter.ai/models",
                wire="openai-chat",
                model_info=info,
            )
        }
