"""What `_telemetry_attrs` lets out of a request: hosts and class names, never secrets."""

from __future__ import annotations

from typing import cast

from modelrouter._request import Target
from modelrouter._telemetry_attrs import attempt_attributes, error_attributes, scrubbed_message
from modelrouter._types import ModelConfig

KEY = "sk-unit-KEY-123456789"
MODEL_HEADER = "model-header-VALUE-42"
AGENT_HEADER = "agent-header-VALUE-43"


def _target(url: str) -> Target:
    config = {"id": "openai/gpt-4o", "url": url, "api_key": KEY, "headers": {"x-a": MODEL_HEADER}}
    return Target(model=cast(ModelConfig, config), headers={"x-b": AGENT_HEADER})


def test_server_is_the_host_and_port_only() -> None:
    target = _target(f"https://user:{KEY}@llm.example.com:8443/v1?key={KEY}")
    found = attempt_attributes("openai/gpt-4o", target, 2)
    assert found["server.address"] == "llm.example.com" and found["server.port"] == 8443
    assert found["gen_ai.provider.name"] == "openai" and found["gen_ai.request.model"] == "gpt-4o"
    assert found["modelrouter.attempt"] == 2
    assert not any(KEY in str(value) for value in found.values())


def test_the_catalogue_url_gives_the_server_of_an_id() -> None:
    found = attempt_attributes("openai/gpt-4o", Target(model="openai/gpt-4o"), 1)
    assert found["server.address"] == "api.openai.com" and found["server.port"] == 443


def test_a_custom_label_is_its_own_model() -> None:
    found = attempt_attributes("my model", object(), 1)
    assert found["gen_ai.request.model"] == "my model" and "gen_ai.provider.name" not in found


def test_error_attributes_are_the_class_and_status_not_the_message() -> None:
    from modelrouter import RateLimitError

    exc = RateLimitError(f"slow down {KEY}", status=429, provider="openai")
    assert error_attributes(exc) == {
        "error.type": "RateLimitError",
        "http.response.status_code": 429,
    }
    assert error_attributes(ValueError(KEY)) == {"error.type": "ValueError"}


def test_a_captured_error_message_has_every_secret_masked() -> None:
    # A custom model or hook may raise with the request in its message, unredacted.
    exc = RuntimeError(f"echo: key={KEY} a={MODEL_HEADER} b={AGENT_HEADER}")
    text = scrubbed_message(exc, _target("https://llm.example.com/v1"))
    assert text.startswith("RuntimeError: echo: key=")
    for secret in (KEY, MODEL_HEADER, AGENT_HEADER):
        assert secret not in text
