"""Netlify AI gateway payload, URL placeholders, and run-time URL / key lookup."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import GatewayError
from modelrouter_generator.listings import NetlifyListing
from tests.support.listings import payload_sources, payloads

PAYLOAD: dict[str, Any] = {
    "providers": {
        "openai": {
            "token_env_var": "OPENAI_API_KEY",
            "url_env_var": "OPENAI_BASE_URL",
            "models": ["gpt-4o", "o1", "gpt-4o"],
        },
        "anthropic": {
            "token_env_var": "ANTHROPIC_API_KEY",
            "url_env_var": "ANTHROPIC_BASE_URL",
            "models": ["claude-x"],
        },
        "gemini": {
            "token_env_var": "GEMINI_API_KEY",
            "url_env_var": "GOOGLE_GEMINI_BASE_URL",
            "models": ["gemini-2.5-flash"],
        },
    }
}


@pytest.mark.parametrize("source", payload_sources())
def test_fixture_parses(source: str) -> None:
    raw = payloads(source)["netlify"]
    providers = NetlifyListing().parse_payload(raw)
    expected = json.loads(raw)["providers"]
    assert set(providers) == set(expected)
    for provider_id, entry in expected.items():
        assert set(providers[provider_id].models) == set(entry["models"])
        assert providers[provider_id].env_vars == (entry["token_env_var"],)


def test_urls_carry_the_version_each_wire_needs() -> None:
    providers = NetlifyListing().parse_payload(json.dumps(PAYLOAD).encode())
    assert providers["openai"].url == "${OPENAI_BASE_URL}"
    assert providers["anthropic"].url == "${ANTHROPIC_BASE_URL}/v1"
    assert providers["gemini"].url == "${GOOGLE_GEMINI_BASE_URL}/v1beta"
    assert [providers[p].wire for p in ("openai", "anthropic", "gemini")] == [
        "openai-chat",
        "anthropic",
        "gemini",
    ]
    assert providers["openai"].models == ("gpt-4o", "o1")
    assert providers["openai"].gateway == "netlify"


def test_build_url_and_api_key_read_the_listed_variables(monkeypatch: pytest.MonkeyPatch) -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["providers"]["openai"]["url_env_var"] = "CUSTOM_OPENAI_URL"
    payload["providers"]["openai"]["token_env_var"] = "CUSTOM_OPENAI_TOKEN"
    gateway = NetlifyListing()
    gateway.parse_payload(json.dumps(payload).encode())
    env = {"CUSTOM_OPENAI_URL": "https://site.test/.netlify/ai/v1"}
    assert gateway.build_url("netlify/openai/gpt-4o", env) == "https://site.test/.netlify/ai/v1"
    assert gateway.build_url("openai/gpt-4o", env) == "https://site.test/.netlify/ai/v1"
    assert gateway.build_url("netlify/openai/gpt-4o", {}) is None
    assert gateway.get_api_key("netlify/openai/gpt-4o") is None
    monkeypatch.setenv("CUSTOM_OPENAI_TOKEN", "tok")
    assert gateway.get_api_key("netlify/openai/gpt-4o") == "tok"


def test_documented_variables_are_used_without_a_listing() -> None:
    gateway = NetlifyListing()
    env = {"ANTHROPIC_BASE_URL": "https://site.test/.netlify/ai/"}
    assert gateway.build_url("netlify/anthropic/claude-x", env) == (
        "https://site.test/.netlify/ai/v1"
    )
    assert gateway.build_url("netlify/unknown/x", env) is None


@pytest.mark.parametrize("bad", ["OPENAI URL", "A}${B", ""])
def test_env_var_names_must_be_identifiers(bad: str) -> None:
    payload = json.loads(json.dumps(PAYLOAD))
    payload["providers"]["openai"]["url_env_var"] = bad
    with pytest.raises(GatewayError, match=r"providers\.openai\.url_env_var: String should match"):
        NetlifyListing().parse_payload(json.dumps(payload).encode())


def test_missing_providers_key_fails() -> None:
    with pytest.raises(GatewayError, match="gateway 'netlify': providers: Field required"):
        NetlifyListing().parse_payload(b'{"data": []}')
