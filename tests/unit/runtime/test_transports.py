"""Sans-I/O transports: requests built, answers and events parsed, errors mapped (no sockets)."""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any

import pytest

from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    ProviderError,
    RateLimitError,
    ServerError,
    StreamError,
)
from modelrouter._options import deep_merge, merge_provider_options
from modelrouter._types import ModelRequest, StreamFinish, TextDelta
from modelrouter.transports import TRANSPORTS
from modelrouter.transports.base import (
    Endpoint,
    error_from_response,
    parse_retry_after,
    unexpected_payload,
)

KEY = "sk-secret-test-key-0123456789"
WIRES = sorted(TRANSPORTS)


def endpoint(**kwargs: Any) -> Endpoint:
    base: dict[str, Any] = {
        "model_id": "p/m",
        "provider": "p",
        "model": "m",
        "base_url": "http://h/v1/",
        "api_key": KEY,
    }
    return Endpoint(**{**base, **kwargs})


REQUEST = ModelRequest(messages=[{"role": "user", "content": "hi"}], system="sys", max_tokens=9)


@pytest.mark.parametrize("wire", WIRES)
def test_request_headers_and_custom_header_order(wire: str) -> None:
    ep = endpoint(headers={"x-model": "1", "user-agent": "mine"})
    request = TRANSPORTS[wire].build_request(ep, REQUEST, stream=False)  # type: ignore[index]
    assert request.method == "POST"
    assert request.headers["x-model"] == "1"
    assert request.headers["user-agent"] == "mine"  # a model's own header wins
    assert KEY in str(request.headers.raw)
    assert "//" not in request.url.path


@pytest.mark.parametrize("wire", WIRES)
def test_key_header_override_and_no_key(wire: str) -> None:
    transport = TRANSPORTS[wire]  # type: ignore[index]
    request = transport.build_request(endpoint(api_key_header="api-key"), REQUEST, stream=False)
    assert request.headers["api-key"] == KEY
    bare = transport.build_request(endpoint(api_key=None), REQUEST, stream=False)
    assert KEY not in str(bare.headers.raw)


def test_max_tokens_spelling_per_provider() -> None:
    openai = TRANSPORTS["openai-chat"]
    assert (
        json.loads(
            openai.build_request(endpoint(provider="openai"), REQUEST, stream=False).content
        )["max_completion_tokens"]
        == 9
    )
    assert (
        json.loads(openai.build_request(endpoint(), REQUEST, stream=False).content)["max_tokens"]
        == 9
    )


def test_anthropic_cache_control_on_message_and_system() -> None:
    request = ModelRequest(
        messages=[
            {
                "role": "user",
                "content": "doc",
                "provider_options": {"anthropic": {"cacheControl": {"type": "ephemeral"}}},
            }
        ],
        system="sys",
        provider_options={"cache_control": {"type": "ephemeral"}},
    )
    body = json.loads(
        TRANSPORTS["anthropic"].build_request(endpoint(), request, stream=False).content
    )
    block = {"type": "ephemeral"}
    assert body["system"] == [{"type": "text", "text": "sys", "cache_control": block}]
    assert body["messages"][0]["content"] == [
        {"type": "text", "text": "doc", "cache_control": block}
    ]


def test_gemini_options_top_level_and_generation_config() -> None:
    request = ModelRequest(
        messages=[{"role": "assistant", "content": "a"}, {"role": "user", "content": "b"}],
        provider_options={
            "safety_settings": [{"category": "X"}],
            "thinking_config": {"thinking_budget": 5},
        },
    )
    body = json.loads(TRANSPORTS["gemini"].build_request(endpoint(), request, stream=True).content)
    assert body["safetySettings"] == [{"category": "X"}]
    assert body["generationConfig"] == {"thinkingConfig": {"thinkingBudget": 5}}
    assert [c["role"] for c in body["contents"]] == ["model", "user"]


@pytest.mark.parametrize(
    ("wire", "payload", "reason"),
    [
        (
            "openai-chat",
            {"choices": [{"message": {"content": "x"}, "finish_reason": "length"}]},
            "length",
        ),
        (
            "anthropic",
            {
                "content": [{"type": "thinking", "thinking": "t"}, {"type": "text", "text": "x"}],
                "stop_reason": "tool_use",
            },
            "tool_calls",
        ),
        (
            "gemini",
            {
                "candidates": [
                    {
                        "content": {"parts": [{"text": "t", "thought": True}, {"text": "x"}]},
                        "finishReason": "SAFETY",
                    }
                ]
            },
            "content_filter",
        ),
    ],
)
def test_parse_response_normalises(wire: str, payload: dict[str, Any], reason: str) -> None:
    response = TRANSPORTS[wire].parse_response(endpoint(), payload)  # type: ignore[index]
    assert (response.text, response.finish_reason) == ("x", reason)


@pytest.mark.parametrize("wire", WIRES)
def test_unexpected_body_is_a_provider_error(wire: str) -> None:
    with pytest.raises(ProviderError):
        TRANSPORTS[wire].parse_response(endpoint(), {"nothing": KEY})  # type: ignore[index]


@pytest.mark.parametrize("wire", WIRES)
def test_stream_parsers_reject_errors_and_early_ends(wire: str) -> None:
    transport = TRANSPORTS[wire]  # type: ignore[index]
    with pytest.raises(StreamError):
        transport.stream_parser(endpoint()).feed(
            "error", json.dumps({"type": "error", "error": {"message": "boom"}})
        )
    with pytest.raises(StreamError):
        transport.stream_parser(endpoint()).close()
    with pytest.raises(StreamError, match="malformed"):
        transport.stream_parser(endpoint()).feed("", "{not json")


SENT_SECRET = "sent-header-token-0a1b2c"


@pytest.mark.parametrize("wire", WIRES)
def test_error_events_are_scrubbed_of_the_headers_sent(wire: str) -> None:
    parser = TRANSPORTS[wire].stream_parser(endpoint())  # type: ignore[index]
    parser.sent = {"x-proxy": SENT_SECRET, "accept-encoding": "gzip, deflate"}
    message = f"echo {SENT_SECRET} {KEY} gzip, deflate"
    with pytest.raises(StreamError) as caught:
        parser.feed("error", json.dumps({"type": "error", "error": {"message": message}}))
    shown = f"{caught.value} {caught.value.body} {caught.value!r}"
    assert SENT_SECRET not in shown and KEY not in shown
    assert "gzip, deflate" in shown  # a standard header's value is no secret


def test_unexpected_payload_is_scrubbed_before_it_is_cut() -> None:
    payload = {"padding": "x" * 480, "echo": SENT_SECRET}
    error = unexpected_payload(endpoint(), payload, {"x-proxy": SENT_SECRET})
    assert SENT_SECRET[:8] not in error.body  # not even the part before the cut


@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("value", ["v\n", "v\r\nx-injected: 1", "v\x00", f"{KEY}\n"])
def test_a_header_with_a_control_character_is_a_configuration_error(wire: str, value: str) -> None:
    ep = endpoint(headers={"x-model": value})
    with pytest.raises(ConfigurationError, match="'x-model'") as caught:
        TRANSPORTS[wire].build_request(ep, REQUEST, stream=True)  # type: ignore[index]
    assert value not in f"{caught.value} {caught.value!r}" and KEY not in str(caught.value)
    assert caught.value.__cause__ is None
    # A tab is allowed inside a value; the check costs nothing for ordinary headers.
    tabbed = endpoint(headers={"x-model": "a\tb"})
    assert TRANSPORTS[wire].build_request(tabbed, REQUEST, stream=True).headers["x-model"] == "a\tb"  # type: ignore[index]


def test_openai_stream_usage_chunk() -> None:
    parser = TRANSPORTS["openai-chat"].stream_parser(endpoint())
    assert parser.feed("", json.dumps({"choices": [{"delta": {"content": "a"}}]})) == [
        TextDelta("a")
    ]
    parser.feed("", json.dumps({"choices": [{"delta": {}, "finish_reason": "stop"}]}))
    parser.feed(
        "", json.dumps({"choices": [], "usage": {"prompt_tokens": 2, "completion_tokens": 3}})
    )
    parser.feed("", "[DONE]")
    (finish,) = parser.close()
    assert isinstance(finish, StreamFinish) and finish.usage.total_tokens == 5


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (404, NotFoundError),
        (429, RateLimitError),
        (500, ServerError),
        (503, ServerError),
        (408, ProviderError),
    ],
)
def test_error_mapping_redacts_the_key(status: int, error: type[ProviderError]) -> None:
    body = json.dumps({"error": {"message": f"Incorrect API key provided: {KEY}"}}).encode()
    exc = error_from_response(endpoint(), status, body, {"retry-after": "4"})
    assert type(exc) is error
    assert (exc.status, exc.retry_after) == (status, 4.0)
    assert KEY not in str(exc) and KEY not in exc.body and KEY not in repr(exc)
    assert "Incorrect API key" in str(exc)


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after-ms": "250"}, 0.25),
        ({"Retry-After": "7"}, 7.0),
        ({"retry-after": "Thu, 01 Jan 1970 00:00:10 GMT"}, 5.0),
        ({"retry-after": "soon"}, None),
        ({}, None),
        ({"retry-after": "0"}, 0.0),
        ({"retry-after": "Thu, 01 Jan 1970 00:00:01 GMT"}, 0.0),  # past: "now"
        ({"retry-after": "-5"}, None),
        ({"retry-after": "nan"}, None),
        ({"retry-after": "inf"}, None),
        ({"retry-after-ms": "NaN", "retry-after": "3"}, 3.0),
        ({"retry-after-ms": "-1"}, None),
    ],
)
def test_parse_retry_after(headers: dict[str, str], expected: float | None) -> None:
    assert parse_retry_after(headers, now=5.0) == expected


def test_endpoint_repr_hides_key_and_headers() -> None:
    assert KEY not in repr(endpoint(headers={"authorization": KEY}))


def test_options_merge_deep_and_per_provider() -> None:
    assert deep_merge({"a": {"b": 1, "c": 2}}, {"a": {"b": 3}}) == {"a": {"b": 3, "c": 2}}
    layers: list[Mapping[str, Mapping[str, Any]] | None] = [
        {"openai": {"reasoningEffort": "low", "metadata": {"userId": "u"}}},
        None,
        {"openai": {"reasoning_effort": "high"}, "anthropic": {"x": 1}},
    ]
    assert merge_provider_options(layers, "openai") == {
        "reasoning_effort": "high",
        "metadata": {"userId": "u"},
    }
    assert merge_provider_options(layers, "google") == {}
