"""OpenRouter /api/v1/models payload -> the "openrouter" provider."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import GatewayError
from modelrouter_generator.listings import OpenRouterListing
from tests.support.listings import payload_sources, payloads


def _model(**fields: Any) -> dict[str, Any]:
    return {
        "id": "acme/m-1",
        "name": "Acme: M1",
        "created": 1754669020,
        "context_length": 256000,
        "pricing": {"prompt": "0.000002", "completion": "0.000008", "input_cache_read": "0"},
        "architecture": {"input_modalities": ["text", "image"], "output_modalities": ["text"]},
        "top_provider": {"context_length": 256000, "max_completion_tokens": 4096},
        "supported_parameters": ["tools", "temperature", "include_reasoning", "seed"],
        "knowledge_cutoff": "2024-08-31",
        "expiration_date": None,
        **fields,
    }


def _parse(*models: dict[str, Any]) -> Any:
    return OpenRouterListing().parse_payload(json.dumps({"data": list(models)}).encode())


@pytest.mark.parametrize("source", payload_sources())
def test_a_full_listing_keeps_every_model_and_its_prices(source: str) -> None:
    raw = payloads(source)["openrouter"]
    providers = OpenRouterListing().parse_payload(raw)
    assert list(providers) == ["openrouter"]
    listed = json.loads(raw)["data"]
    assert len(listed) > 300
    config = providers["openrouter"]
    assert set(config.models) == {m["id"] for m in listed}
    for model in listed:
        info = config.model_info[model["id"]]
        prompt = float(model["pricing"]["prompt"]) * 1_000_000
        assert info.input_cost == (round(prompt, 10) if prompt >= 0 else None), model["id"]


def test_model_info_mapping() -> None:
    config = _parse(_model())["openrouter"]
    assert (config.url, config.env_vars, config.wire) == (
        "https://openrouter.ai/api/v1",
        ("OPENROUTER_API_KEY",),
        "openai-chat",
    )
    info = config.model_info["acme/m-1"]
    assert (info.input_cost, info.output_cost, info.cache_read_cost) == (2.0, 8.0, 0.0)
    assert info.cache_write_cost is None
    assert (info.context_limit, info.output_limit) == (256000, 4096)
    assert info.capabilities == ("attachment", "reasoning", "temperature", "tool_call")
    assert info.input_modalities == ("image", "text")
    assert info.release_date == "2025-08-08"
    assert info.knowledge == "2024-08-31"
    assert info.status is None


def test_negative_price_is_unknown_and_expiry_means_deprecated() -> None:
    model = _model(pricing={"prompt": "-1", "completion": "-1"}, expiration_date="2026-01-01")
    info = _parse(model)["openrouter"].model_info["acme/m-1"]
    assert (info.input_cost, info.output_cost, info.status) == (None, None, "deprecated")


def test_duplicate_ids_keep_the_first() -> None:
    config = _parse(_model(name="first"), _model(name="second"))["openrouter"]
    assert config.models == ("acme/m-1",)
    assert config.model_info["acme/m-1"].name == "first"


def test_price_drift_names_the_field() -> None:
    models = [_model(id=f"acme/m-{i}") for i in range(5)]
    models[3]["pricing"]["prompt"] = 0.000002
    with pytest.raises(GatewayError) as caught:
        _parse(*models)
    assert str(caught.value) == (
        "gateway 'openrouter': data.3.pricing.prompt: Input should be a valid string"
    )


def test_non_numeric_price_string_fails() -> None:
    with pytest.raises(GatewayError, match=r"data\.0\.pricing\.completion: String should match"):
        _parse(_model(pricing={"prompt": "0", "completion": "free"}))
