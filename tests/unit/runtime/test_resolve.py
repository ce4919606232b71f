"""Id resolution, base-URL precedence and keys, against an injected fake catalogue and registry."""

from __future__ import annotations

import pytest

from modelrouter._auth import pick_key, run_awaitable_sync
from modelrouter._errors import (
    ConfigurationError,
    InvalidModelIdError,
    MissingApiKeyError,
    MissingUrlVariableError,
    UnknownProviderError,
)
from modelrouter._resolve import (
    Route,
    base_url,
    resolve_route,
    split_id,
)
from modelrouter.gateways.base import MaybeAwaitable, ModelGateway, ModelInfo, ProviderConfig


class FakeCatalog:
    def __init__(self, providers: dict[str, ProviderConfig]) -> None:
        self.providers = providers

    def get_provider(self, key: str) -> ProviderConfig | None:
        return self.providers.get(key)

    def suggest_providers(self, key: str, n: int = 3) -> list[str]:
        return [k for k in self.providers if k[:2] == key[:2]][:n]

    def suggest_models(self, key: str, model: str, n: int = 3) -> list[str]:
        return []

    def gateway_prefixes(self) -> frozenset[str]:
        return frozenset(k.split("/")[0] for k in self.providers if "/" in k)


class PrefixGateway(ModelGateway):
    id = "acme"
    name = "Acme"
    prefix = "acme"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        return {}


class FakeRegistry:
    def __init__(self, *gateways: ModelGateway) -> None:
        self.gateways = gateways

    def registered_gateways(self) -> tuple[ModelGateway, ...]:
        return self.gateways

    def gateway_for_prefix(self, prefix: str) -> ModelGateway | None:
        return next((g for g in self.gateways if g.prefix == prefix), None)


CATALOG = FakeCatalog(
    {
        "openai": ProviderConfig("OpenAI", ("gpt-4o",), "OPENAI_API_KEY", "models.dev"),
        "cloud": ProviderConfig(
            "Cloud",
            ("m",),
            ("CLOUD_ACCOUNT", "CLOUD_KEY"),
            "models.dev",
            url="https://api.example/${CLOUD_ACCOUNT}/v1",
        ),
        "mixed": ProviderConfig(
            "Mixed",
            ("chat", "claude"),
            "MIXED_KEY",
            "models.dev",
            url="https://mixed.example/v1",
            model_info={"claude": ModelInfo("claude", wire="anthropic", url="https://m.example/a")},
        ),
        "netlify/anthropic": ProviderConfig(
            "Anthropic via Netlify", ("claude-x",), "NETLIFY_KEY", "netlify", wire="anthropic"
        ),
        "openrouter": ProviderConfig(
            "OpenRouter", ("anthropic/claude-haiku-4-5",), "OPENROUTER_API_KEY", "openrouter"
        ),
    }
)


def route(model_id: str, *gateways: ModelGateway) -> Route:
    return resolve_route(model_id, catalog=CATALOG, gateways=FakeRegistry(*gateways))


@pytest.mark.parametrize(
    ("model_id", "expected"),
    [
        ("openai/gpt-4o", ("openai", "openai", "gpt-4o")),
        (
            "openrouter/anthropic/claude-haiku-4-5",
            ("openrouter", "openrouter", "anthropic/claude-haiku-4-5"),
        ),
        ("netlify/anthropic/claude-x", ("netlify/anthropic", "anthropic", "claude-x")),
        ("local/llama3:8b@q4.gguf", ("local", "local", "llama3:8b@q4.gguf")),
    ],
)
def test_split_on_first_slash_after_gateway_prefix(
    model_id: str, expected: tuple[str, str, str]
) -> None:
    assert split_id(model_id, frozenset({"netlify"})) == expected


@pytest.mark.parametrize("bad", ["", "gpt-4o", "/x", "openai/", 42])
def test_malformed_ids(bad: object) -> None:
    with pytest.raises(InvalidModelIdError):
        split_id(bad, frozenset())


def test_gateway_prefixed_route_uses_the_gateway_entry() -> None:
    found = route("netlify/anthropic/claude-x")
    assert (found.provider_key, found.provider, found.wire) == (
        "netlify/anthropic",
        "anthropic",
        "anthropic",
    )
    assert found.default_url is None  # never the public Anthropic URL for a gateway route


def test_custom_prefix_gateway_routes_unknown_providers() -> None:
    found = route("acme/whatever/model-1", PrefixGateway())
    assert isinstance(found.gateway, PrefixGateway)
    assert (found.provider, found.model, found.env_vars) == (
        "whatever",
        "model-1",
        ("ACME_WHATEVER_API_KEY",),
    )


def test_unknown_provider_suggests() -> None:
    with pytest.raises(UnknownProviderError) as caught:
        route("opneai/gpt-4o")
    assert "openai" in caught.value.suggestions
    assert "Did you mean 'openai'" in str(caught.value)


def test_builtin_provider_works_without_catalogue() -> None:
    found = resolve_route("anthropic/claude-x", catalog=FakeCatalog({}), gateways=FakeRegistry())
    assert found.wire == "anthropic"
    assert found.default_url == "https://api.anthropic.com/v1"
    assert found.env_vars == ("ANTHROPIC_API_KEY",)


def test_per_model_wire_and_url_override() -> None:
    assert route("mixed/chat").wire == "openai-chat"
    claude = route("mixed/claude")
    assert (claude.wire, claude.url_template) == ("anthropic", "https://m.example/a")
    assert route("mixed/chat").known_model and not route("mixed/new-model").known_model


def test_base_url_precedence() -> None:
    found = route("openai/gpt-4o")
    env = {"OPENAI_BASE_URL": "http://env/v1"}
    assert (
        base_url(found, env, config_url="http://cfg/v1", gateway_url="http://gw") == "http://cfg/v1"
    )
    assert base_url(found, env, gateway_url="http://gw") == "http://env/v1"
    assert base_url(found, {}, gateway_url="http://gw") == "http://gw"
    assert base_url(found, {}) == "https://api.openai.com/v1"
    assert base_url(route("mixed/chat"), {}) == "https://mixed.example/v1"


def test_url_template_variables() -> None:
    found = route("cloud/m")
    assert base_url(found, {"CLOUD_ACCOUNT": "acct"}) == "https://api.example/acct/v1"
    assert found.env_vars == ("CLOUD_KEY",)  # a URL variable is not a key
    with pytest.raises(MissingUrlVariableError) as caught:
        base_url(found, {})
    assert isinstance(caught.value, MissingApiKeyError)
    assert "CLOUD_ACCOUNT" in str(caught.value) and "cloud/m" in str(caught.value)


def test_no_base_url_anywhere_is_a_configuration_error() -> None:
    with pytest.raises(ConfigurationError, match="ACME_WHATEVER_BASE_URL"):
        base_url(route("acme/whatever/m", PrefixGateway()), {})


def test_key_precedence_and_missing_key_message() -> None:
    found = route("openai/gpt-4o")
    env = {"OPENAI_API_KEY": "from-env"}
    assert pick_key(found, env, explicit="explicit", from_gateway="gw") == "explicit"
    assert pick_key(found, env, explicit=None, from_gateway="gw") == "gw"
    assert pick_key(found, env, explicit=None, from_gateway=None) == "from-env"
    assert pick_key(found, {}, explicit=None, from_gateway=None, required=False) is None
    with pytest.raises(MissingApiKeyError) as caught:
        pick_key(found, {}, explicit=None, from_gateway=None)
    assert str(caught.value) == "Set OPENAI_API_KEY to use openai/gpt-4o (or pass api_key=...)"


def test_async_gateway_hooks_work_on_the_sync_path() -> None:
    async def key() -> str:
        return "from-async-gateway"

    pending: MaybeAwaitable[str] = key()
    assert run_awaitable_sync(pending) == "from-async-gateway"
    assert run_awaitable_sync("plain") == "plain"


def test_real_resolution_is_cached_and_invalidated_by_registration() -> None:
    from modelrouter.gateways import registry

    first = resolve_route("openai/gpt-4o")
    assert resolve_route("openai/gpt-4o") is first

    class Other(PrefixGateway):
        id = "other-unit-test"
        prefix = "other-unit-test"

    registry.register_gateway(Other())
    try:
        assert resolve_route("openai/gpt-4o") is not first
        assert resolve_route("other-unit-test/p/m").gateway is not None
    finally:
        registry.unregister_gateway("other-unit-test")
