"""Which wire API an OpenAI model is called over: the catalogue rule, config `api`, options."""

from __future__ import annotations

from typing import Any

import pytest

from modelrouter._agent import Agent
from modelrouter._errors import ConfigurationError
from modelrouter._model import Clients, HttpModel, build_model
from modelrouter._resolve import api_wire, resolve_route, responses_only
from modelrouter._types import ModelConfig, ModelRequest


@pytest.mark.parametrize(
    ("model_id", "wire"),
    [
        ("openai/gpt-5-pro", "openai-responses"),  # catalogue family "gpt-pro"
        ("openai/o3-pro", "openai-responses"),  # "o-pro"
        ("openai/gpt-5.1-codex-max", "openai-responses"),  # "gpt-codex"
        ("openai/gpt-5.3-codex-spark", "openai-responses"),  # "gpt-codex-spark"
        ("openai/gpt-7-pro-2027-01-01", "openai-responses"),  # newer than the catalogue: by id
        ("openai/codex-mini-latest", "openai-responses"),
        ("openai/gpt-5", "openai-chat"),
        ("openai/gpt-4o-mini", "openai-chat"),
        ("openai/gpt-proton", "openai-chat"),  # "pro" must be a whole segment
        ("openrouter/openai/gpt-5-pro", "openai-chat"),  # other providers opt in explicitly
        ("google/gemini-2.5-pro", "gemini"),
    ],
)
def test_responses_only_models_come_from_the_catalogue(model_id: str, wire: str) -> None:
    assert resolve_route(model_id).wire == wire


def test_the_family_decides_over_the_id_when_the_catalogue_has_one() -> None:
    assert responses_only("openai", "odd-name", "gpt-codex")
    assert not responses_only("openai", "odd-pro", "gpt")
    assert not responses_only("azure", "gpt-5-pro", None)


def _model(spec: str | ModelConfig) -> HttpModel:
    built = build_model(spec, Clients())
    assert isinstance(built, HttpModel)
    return built


def _config(model_id: str, api: Any) -> ModelConfig:
    config: dict[str, Any] = {"id": model_id, "url": "http://127.0.0.1:9/v1", "api_key": "k"}
    if api is not None:
        config["api"] = api
    return config  # type: ignore[return-value]


@pytest.mark.parametrize(
    ("model_id", "api", "wire"),
    [
        ("openai/gpt-4o", "responses", "openai-responses"),
        ("openai/gpt-5-pro", "chat", "openai-chat"),  # e.g. a compatible server that has chat
        ("openai/gpt-5-pro", None, "openai-responses"),
        ("local/llama", "responses", "openai-responses"),  # any OpenAI-compatible URL
    ],
)
def test_config_api_picks_the_wire(model_id: str, api: str | None, wire: str) -> None:
    model = _model(_config(model_id, api))
    request = ModelRequest(messages=[{"role": "user", "content": "hi"}])
    transport, _ = model._transport(request)  # pyright: ignore[reportPrivateUsage]
    assert transport.__name__.endswith(wire.replace("-", "_"))  # type: ignore[attr-defined]


def test_config_api_is_part_of_the_built_models_identity() -> None:
    clients = Clients()
    chat = build_model(_config("openai/gpt-4o", None), clients)
    responses = build_model(_config("openai/gpt-4o", "responses"), clients)
    assert chat is not responses


@pytest.mark.parametrize(
    ("model_id", "api", "match"),
    [
        ("openai/gpt-4o", "completions", "must be 'chat' or 'responses'"),
        ("openai/gpt-4o", 1, "must be 'chat' or 'responses'"),
        ("anthropic/claude-sonnet-4-5", "responses", "OpenAI-style models only"),
    ],
)
def test_a_bad_api_is_a_configuration_error_naming_it(model_id: str, api: Any, match: str) -> None:
    with pytest.raises(ConfigurationError, match=match) as caught:
        Agent("a", None, _config(model_id, api)).generate("hi")
    assert "['api']" in str(caught.value)


def test_the_api_option_is_consumed_never_sent() -> None:
    model = _model(_config("openai/gpt-4o", None))
    request = ModelRequest(
        messages=[{"role": "user", "content": "hi"}],
        provider_options={"api": "responses", "store": False},
    )
    transport, sent = model._transport(request)  # pyright: ignore[reportPrivateUsage]
    assert transport.__name__.endswith("openai_responses")  # type: ignore[attr-defined]
    assert dict(sent.provider_options) == {"store": False}
    with pytest.raises(ConfigurationError, match=r"provider_options\['openai'\]\['api'\]"):
        model._transport(  # pyright: ignore[reportPrivateUsage]
            ModelRequest(messages=[], provider_options={"api": "beta"})
        )


def test_api_wire_keeps_the_route_without_a_choice() -> None:
    route = resolve_route("openai/gpt-5-pro")
    assert api_wire(route, None, "x") == "openai-responses"
    assert api_wire(route, "chat", "x") == "openai-chat"
