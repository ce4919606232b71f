"""models.dev payload -> ProviderConfig: real snapshots, the mapping rules, and drift."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import GatewayError
from modelrouter_generator.listings.models_dev import ModelsDevListing, wire_for_npm
from tests.support.listings import payload_sources, payloads


def _payload(**model_fields: Any) -> dict[str, Any]:
    model: dict[str, Any] = {
        "id": "m-1",
        "name": "Model One",
        "limit": {"context": 1000, "output": 100},
        "modalities": {"input": ["text", "image"], "output": ["text"]},
        "tool_call": True,
        "reasoning": False,
        "attachment": True,
        "cost": {"input": 1.5, "output": 6, "cache_read": 0.15},
        "release_date": "2025-01-02",
        **model_fields,
    }
    return {
        "acme": {
            "id": "acme",
            "name": "Acme",
            "env": ["ACME_API_KEY", "ACME_KEY"],
            "npm": "@ai-sdk/openai-compatible",
            "api": "https://api.acme.test/v1",
            "doc": "https://acme.test/docs",
            "models": {"m-1": model},
        }
    }


def _parse(payload: Any) -> Any:
    return ModelsDevListing().parse_payload(json.dumps(payload).encode())


@pytest.mark.parametrize("source", payload_sources())
def test_a_full_payload_keeps_every_provider_and_model(source: str) -> None:
    raw = payloads(source)["models.dev"]
    providers = ModelsDevListing().parse_payload(raw)
    expected = json.loads(raw)
    assert len(providers) >= 132  # models-dev 1.0.398 bundles 132 providers / 4,803 models
    assert set(providers) == set(expected)
    for provider_id, entry in expected.items():
        assert set(providers[provider_id].models) == set(entry["models"]), provider_id
    assert sum(len(p.models) for p in providers.values()) >= 4803


def test_bundled_data_parses_like_live() -> None:
    providers = ModelsDevListing().parse_payload(ModelsDevListing.bundled_payload())
    # models-dev 1.0.398 bundles 132 providers / 4,803 models; newer releases only grow.
    assert len(providers) >= 132
    assert sum(len(p.models) for p in providers.values()) >= 4803


def test_provider_and_model_fields_are_mapped() -> None:
    config = _parse(_payload())["acme"]
    assert config.name == "Acme"
    assert config.env_vars == ("ACME_API_KEY", "ACME_KEY")
    assert config.url == "https://api.acme.test/v1"
    assert config.doc_url == "https://acme.test/docs"
    assert config.wire == "openai-chat"
    assert config.gateway == "models.dev"
    info = config.model_info["m-1"]
    assert (info.context_limit, info.output_limit, info.input_limit) == (1000, 100, None)
    assert (info.input_cost, info.output_cost, info.cache_read_cost) == (1.5, 6.0, 0.15)
    assert info.capabilities == ("attachment", "tool_call")
    assert info.input_modalities == ("image", "text")
    assert info.release_date == "2025-01-02"
    assert info.url is None and info.wire is None


def test_per_model_provider_override_sets_url_and_wire() -> None:
    override = {"npm": "@ai-sdk/anthropic", "api": "https://${RES}.example/anthropic/v1"}
    info = _parse(_payload(provider=override))["acme"].model_info["m-1"]
    assert info.url == "https://${RES}.example/anthropic/v1"
    assert info.wire == "anthropic"


@pytest.mark.parametrize(
    ("npm", "wire"),
    [
        ("@ai-sdk/anthropic", "anthropic"),
        ("@ai-sdk/google", "gemini"),
        ("@ai-sdk/openai", "openai-chat"),
        ("@ai-sdk/amazon-bedrock", "openai-chat"),
        (None, "openai-chat"),
    ],
)
def test_wire_rule(npm: str | None, wire: str) -> None:
    assert wire_for_npm(npm) == wire


def test_known_package_endpoint_fills_a_missing_api() -> None:
    payload = _payload()
    del payload["acme"]["api"]
    payload["acme"]["npm"] = "@ai-sdk/anthropic"
    config = _parse(payload)["acme"]
    assert (config.url, config.wire) == ("https://api.anthropic.com/v1", "anthropic")
    payload["acme"]["npm"] = "@ai-sdk/amazon-bedrock"
    assert _parse(payload)["acme"].url is None


def test_unknown_fields_are_ignored() -> None:
    payload = _payload(brand_new_field={"x": 1})
    payload["acme"]["another_new_field"] = [1, 2]
    assert _parse(payload)["acme"].models == ("m-1",)


@pytest.mark.parametrize(
    ("change", "field"),
    [
        ({"limit": {"context": "1000", "output": 100}}, "acme.models.m-1.limit.context"),
        ({"cost": {"input": "cheap"}}, "acme.models.m-1.cost.input"),
        ({"tool_call": "yes"}, "acme.models.m-1.tool_call"),
        ({"modalities": None}, "acme.models.m-1.modalities"),
    ],
)
def test_drift_in_a_used_field_names_gateway_and_field(change: dict[str, Any], field: str) -> None:
    with pytest.raises(GatewayError) as caught:
        _parse(_payload(**change))
    assert caught.value.gateway == "models.dev"
    assert str(caught.value).startswith(f"gateway 'models.dev': {field}: ")


def test_missing_required_field_and_malformed_json() -> None:
    payload = _payload()
    del payload["acme"]["env"]
    with pytest.raises(GatewayError, match=r"acme\.env: Field required"):
        _parse(payload)
    with pytest.raises(GatewayError, match="Invalid JSON"):
        ModelsDevListing().parse_payload(b'{"acme": ')


@pytest.mark.parametrize(
    ("env", "api", "keys"),
    [
        (["AZURE_RESOURCE_NAME", "AZURE_API_KEY"], None, ("AZURE_API_KEY",)),
        (
            [
                "AWS_ACCESS_KEY_ID",
                "AWS_SECRET_ACCESS_KEY",
                "AWS_REGION",
                "AWS_BEARER_TOKEN_BEDROCK",
            ],
            None,
            ("AWS_BEARER_TOKEN_BEDROCK",),
        ),
        (["CLOUDFLARE_API_TOKEN", "CLOUDFLARE_ACCOUNT_ID"], None, ("CLOUDFLARE_API_TOKEN",)),
        (
            ["DATABRICKS_HOST", "DATABRICKS_TOKEN"],
            "https://${DATABRICKS_HOST}/v1",
            ("DATABRICKS_TOKEN",),
        ),
        (["SNOWFLAKE_ACCOUNT", "SNOWFLAKE_CORTEX_PAT"], None, ("SNOWFLAKE_CORTEX_PAT",)),
        (["GOOGLE_API_KEY", "GEMINI_API_KEY"], None, ("GOOGLE_API_KEY", "GEMINI_API_KEY")),
        (["VERTEX_PROJECT", "VERTEX_LOCATION"], None, ("VERTEX_PROJECT", "VERTEX_LOCATION")),
    ],
)
def test_only_key_variables_are_offered_as_keys(
    env: list[str], api: str | None, keys: tuple[str, ...]
) -> None:
    """A setting such as AZURE_RESOURCE_NAME must never be sent as the API key."""
    payload = _payload()
    payload["acme"]["env"] = env
    payload["acme"]["api"] = api
    config = ModelsDevListing().parse_payload(json.dumps(payload).encode())["acme"]
    assert config.env_vars == keys


def test_a_lone_surrogate_id_does_not_cost_the_gateway_its_models() -> None:
    payload = _payload()
    payload["acme"]["models"]["\ud800lone"] = payload["acme"]["models"]["m-1"]
    raw = json.dumps(payload).encode()  # ensure_ascii: the surrogate travels as \\ud800
    config = ModelsDevListing().parse_payload(raw)["acme"]
    assert set(config.models) == {"m-1", "\ud800lone"}  # normalize skips the bad one


def test_drift_is_still_strict_on_the_fallback_parse_path() -> None:
    payload = _payload(tool_call="yes")
    payload["acme"]["models"]["\ud800lone"] = payload["acme"]["models"]["m-1"]
    with pytest.raises(GatewayError, match="tool_call"):
        ModelsDevListing().parse_payload(json.dumps(payload).encode())
