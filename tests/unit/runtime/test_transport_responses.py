"""The Responses transport: bodies checked against OpenAI's own types, answers and events parsed.

No sockets: `build_request` / `parse_response` / the stream parser are sans-I/O. The `openai`
package's `response_create_params` TypedDicts (generated from OpenAI's OpenAPI spec) validate
every body we build, as `tests/unit/tools/test_openai_spec.py` does for chat.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from openai.types.responses import response_create_params as params
from pydantic import TypeAdapter, ValidationError

from modelrouter._errors import ConfigurationError, ProviderError, StreamError
from modelrouter._output import compile_output
from modelrouter._parts import (
    ReasoningDelta,
    ReasoningEnd,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
)
from modelrouter._types import Message, ModelRequest, StreamFinish, StreamPart, TextDelta, Usage
from modelrouter.transports import openai_responses
from tests.unit.tools.test_openai_parts import CONVERSATION, EP, WEATHER
from tests.unit.tools.test_openai_spec import validate

NON_STREAMING = TypeAdapter(params.ResponseCreateParamsNonStreaming)
STREAMING = TypeAdapter(params.ResponseCreateParamsStreaming)


def body(request: ModelRequest, stream: bool = False) -> dict[str, Any]:
    built = openai_responses.build_request(EP, request, stream=stream)
    assert str(built.url) == "http://h/v1/responses"
    parsed: dict[str, Any] = json.loads(built.content)
    return parsed


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("choice", [None, "auto", "none", "required", "get_weather"])
def test_bodies_match_openai_types(stream: bool, choice: str | None) -> None:
    request = ModelRequest(
        messages=CONVERSATION,
        system="Be brief.",
        tools=[WEATHER],
        tool_choice=choice,
        output=compile_output(list[int]).spec,
        max_tokens=50,
        temperature=0.2,
    )
    sent = body(request, stream)
    validate(STREAMING if stream else NON_STREAMING, sent)
    assert sent.get("stream") is (True if stream else None)


def test_the_check_catches_a_malformed_body() -> None:
    sent = body(ModelRequest(messages=CONVERSATION, tools=[WEATHER]))
    del sent["tools"][0]["name"]  # required on a function tool
    with pytest.raises(ValidationError):
        validate(NON_STREAMING, sent)


def test_request_maps_messages_tools_and_output() -> None:
    output = compile_output(list[int]).spec
    sent = body(
        ModelRequest(
            messages=[
                *CONVERSATION,
                {"role": "user", "content": [{"type": "text", "text": "And Rome?"}]},
            ],
            system="Be brief.",
            tools=[WEATHER],
            tool_choice="get_weather",
            output=output,
            max_tokens=9,
            provider_options={"reasoning": {"effort": "high", "summary": "auto"}},
        )
    )
    assert sent["instructions"] == "Be brief."
    assert sent["input"] == [
        {"role": "user", "content": "Weather in Paris?"},
        {"role": "assistant", "content": "Let me look."},
        {
            "type": "function_call",
            "call_id": "c1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
        },
        {"type": "function_call_output", "call_id": "c1", "output": "18C"},
        {"role": "user", "content": [{"type": "input_text", "text": "And Rome?"}]},
    ]
    assert sent["tools"] == [
        {
            "type": "function",
            "name": "get_weather",
            "parameters": dict(WEATHER.parameters),
            "strict": True,
            "description": "Current weather.",
        }
    ]
    assert sent["tool_choice"] == {"type": "function", "name": "get_weather"}
    fmt = sent["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["name"] == output.name and fmt["strict"]
    assert sent["max_output_tokens"] == 9 and "max_tokens" not in sent
    assert sent["reasoning"] == {"effort": "high", "summary": "auto"}


@pytest.mark.parametrize(
    "message",
    [
        {
            "role": "user",
            "content": [{"type": "tool-call", "id": "c", "name": "f", "arguments": ""}],
        },
        {"role": "tool", "content": [{"type": "text", "text": "x"}]},
    ],
    ids=["call-in-user", "text-in-tool"],
)
def test_a_part_the_role_cannot_carry_is_refused(message: Message) -> None:
    with pytest.raises(ConfigurationError, match="openai-responses"):
        body(ModelRequest(messages=[message]))


def _call(call_id: str = "call_1", arguments: str = '{"city":"Paris"}') -> dict[str, Any]:
    return {
        "type": "function_call",
        "id": "fc_1",
        "call_id": call_id,
        "name": "get_weather",
        "arguments": arguments,
        "status": "completed",
    }


def _message(*parts: dict[str, Any]) -> dict[str, Any]:
    return {
        "type": "message",
        "id": "m",
        "role": "assistant",
        "status": "completed",
        "content": list(parts),
    }


USAGE = {
    "input_tokens": 30,
    "input_tokens_details": {"cached_tokens": 10},
    "output_tokens": 12,
    "output_tokens_details": {"reasoning_tokens": 5},
    "total_tokens": 42,
}


FULL_USAGE = Usage(input_tokens=30, output_tokens=12, cache_read_tokens=10, reasoning_tokens=5)


def test_parse_text_calls_usage_and_reasoning_items() -> None:
    payload = {
        "status": "completed",
        "output": [
            {
                "type": "reasoning",
                "id": "r",
                "summary": [{"type": "summary_text", "text": "hm"}],
                "encrypted_content": "gAAA-opaque",
            },
            {"type": "reasoning", "id": "r2", "summary": []},  # hidden, kept for its id
            _message({"type": "output_text", "text": "Looking.", "annotations": []}),
            _call(),
        ],
        "usage": USAGE,
    }
    response = openai_responses.parse_response(EP, payload)
    assert response.text == "Looking."  # reasoning is never mixed into the text
    assert response.reasoning == [
        {
            "type": "reasoning",
            "text": "hm",
            "provider": "openai-responses",
            "id": "r",
            "signature": "gAAA-opaque",
        },
        {"type": "reasoning", "text": "", "provider": "openai-responses", "id": "r2"},
    ]
    assert response.tool_calls == [
        {
            "type": "tool-call",
            "id": "call_1",
            "name": "get_weather",
            "arguments": '{"city":"Paris"}',
        }
    ]
    assert response.finish_reason == "tool_calls"
    # input_tokens includes the cached ones, output_tokens the reasoning ones (OpenAI's counts,
    # and Usage's definition): nothing is added or subtracted.
    assert response.usage == FULL_USAGE


@pytest.mark.parametrize(
    ("details", "finish"),
    [
        ({"reason": "max_output_tokens"}, "length"),
        ({"reason": "content_filter"}, "content_filter"),
        (None, "other"),
    ],
)
def test_an_incomplete_response_says_why(details: Any, finish: str) -> None:
    payload = {"status": "incomplete", "incomplete_details": details, "output": []}
    assert openai_responses.parse_response(EP, payload).finish_reason == finish


def test_a_refusal_is_the_text() -> None:
    payload = {"status": "completed", "output": [_message({"type": "refusal", "refusal": "No."})]}
    assert openai_responses.parse_response(EP, payload).text == "No."


@pytest.mark.parametrize(
    "payload",
    [
        {"no": "output"},
        {"status": "failed", "error": {"code": "server_error", "message": "boom"}, "output": []},
        {"output": [{"type": "function_call", "name": 3}]},
        [],
    ],
    ids=["no-output", "failed", "bad-call", "not-an-object"],
)
def test_an_unexpected_answer_is_a_provider_error(payload: Any) -> None:
    with pytest.raises(ProviderError, match="unexpected body") as caught:
        openai_responses.parse_response(EP, payload)
    assert caught.value.status == 200


def events(*payloads: dict[str, Any]) -> list[StreamPart]:
    parser = openai_responses.stream_parser(EP)
    parts: list[StreamPart] = []
    for payload in payloads:
        parts.extend(parser.feed(str(payload.get("type", "")), json.dumps(payload)))
    return parts + parser.close()


def _done(status: str = "completed", **extra: Any) -> dict[str, Any]:
    return {"type": f"response.{status}", "response": {"status": status, "usage": USAGE, **extra}}


def test_stream_of_text_and_a_call() -> None:
    added = {**_call(arguments=""), "status": "in_progress"}
    parts = events(
        {"type": "response.created", "response": {"status": "in_progress"}},
        {"type": "response.output_text.delta", "output_index": 0, "delta": "Hi"},
        {"type": "response.output_item.added", "output_index": 1, "item": added},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '{"city":'},
        {"type": "response.function_call_arguments.delta", "output_index": 1, "delta": '"Paris"}'},
        {"type": "response.output_item.done", "output_index": 1, "item": _call()},
        _done(),
    )
    call = {
        "type": "tool-call",
        "id": "call_1",
        "name": "get_weather",
        "arguments": '{"city":"Paris"}',
    }
    assert parts == [
        TextDelta("Hi"),
        ToolCallStart(0, "call_1", "get_weather"),
        ToolCallDelta(0, '{"city":'),
        ToolCallDelta(0, '"Paris"}'),
        ToolCallEnd(0, call),  # type: ignore[arg-type]
        StreamFinish(usage=FULL_USAGE, finish_reason="tool_calls"),
    ]


def test_a_call_left_open_is_ended_from_its_fragments() -> None:
    added = {**_call(arguments=""), "status": "in_progress"}
    parts = events(
        {"type": "response.output_item.added", "output_index": 0, "item": added},
        {"type": "response.function_call_arguments.delta", "output_index": 0, "delta": "{}"},
        _done(),
    )
    end = next(p for p in parts if isinstance(p, ToolCallEnd))
    assert end.call["arguments"] == "{}" and end.call["id"] == "call_1"


def test_incomplete_stream_finishes_with_length() -> None:
    parts = events(
        {"type": "response.output_text.delta", "delta": "abc"},
        _done("incomplete", incomplete_details={"reason": "max_output_tokens"}),
    )
    assert parts[-1] == StreamFinish(usage=FULL_USAGE, finish_reason="length")


@pytest.mark.parametrize(
    ("payloads", "match"),
    [
        ([{"type": "error", "code": "server_error", "message": "boom"}], "error event: boom"),
        (
            [
                {
                    "type": "response.failed",
                    "response": {"status": "failed", "error": {"message": "bad"}},
                }
            ],
            "failed: bad",
        ),
        ([{"type": "response.output_text.delta", "delta": "x"}], "ended before response.completed"),
        ([{"type": "response.output_item.added", "item": {"type": "function_call"}}], "malformed"),
        ([{"error": {"message": "proxy says no"}}], "proxy says no"),
    ],
    ids=["error", "failed", "cut", "malformed-item", "untyped-error"],
)
def test_stream_failures_are_stream_errors(payloads: list[dict[str, Any]], match: str) -> None:
    with pytest.raises(StreamError, match=match):
        events(*payloads)


def test_a_chunk_that_is_not_json_is_a_stream_error() -> None:
    with pytest.raises(StreamError, match="malformed"):
        openai_responses.stream_parser(EP).feed("", "{not json")


PNG = "iVBORw0KGgo="


def test_media_parts_map_to_input_parts_and_match_openai_types() -> None:
    content: Any = [
        {"type": "text", "text": "Compare."},
        {"type": "image", "url": "https://x.test/a.png", "detail": "low"},
        {"type": "image", "data": PNG, "media_type": "image/png"},
        {"type": "file", "url": "https://x.test/a.pdf"},
        {"type": "file", "data": "JVBERi0=", "media_type": "application/pdf", "filename": "a.pdf"},
    ]
    sent = body(ModelRequest(messages=[{"role": "user", "content": content}]))
    validate(NON_STREAMING, sent)
    assert sent["input"][0]["content"][1:] == [
        {"type": "input_image", "image_url": "https://x.test/a.png", "detail": "low"},
        {"type": "input_image", "image_url": f"data:image/png;base64,{PNG}", "detail": "auto"},
        {"type": "input_file", "file_url": "https://x.test/a.pdf"},
        {
            "type": "input_file",
            "file_data": "data:application/pdf;base64,JVBERi0=",
            "filename": "a.pdf",
        },
    ]


@pytest.mark.parametrize(
    "part",
    [
        {"type": "audio", "url": "https://x.test/a.wav"},
        {"type": "audio", "data": "AA==", "media_type": "audio/wav"},
        {"type": "image"},
    ],
    ids=["audio-url", "audio-data", "no-source"],
)
def test_media_the_api_cannot_take_is_refused(part: Any) -> None:
    with pytest.raises(ConfigurationError, match="openai-responses"):
        body(ModelRequest(messages=[{"role": "user", "content": [part]}]))


def test_reasoning_parts_without_an_item_id_are_not_sent_back() -> None:
    thought: Any = {"type": "reasoning", "text": "hm", "provider": "openai-responses"}
    foreign: Any = {"type": "reasoning", "text": "x", "provider": "anthropic", "id": "t"}
    content: Any = [thought, foreign, {"type": "text", "text": "Hi"}]
    message: Message = {"role": "assistant", "content": content}
    assert body(ModelRequest(messages=[message]))["input"] == [
        {"role": "assistant", "content": "Hi"}
    ]


def test_stream_of_reasoning_summaries() -> None:
    summary = [{"type": "summary_text", "text": "a"}, {"type": "summary_text", "text": "b"}]
    item = {"type": "reasoning", "id": "rs_1", "summary": summary}
    parts = events(
        {"type": "response.output_item.added", "output_index": 0, "item": {**item, "summary": []}},
        {"type": "response.reasoning_summary_text.delta", "output_index": 0, "delta": "a"},
        {"type": "response.reasoning_summary_part.added", "output_index": 0, "summary_index": 1},
        {"type": "response.reasoning_summary_text.delta", "output_index": 0, "delta": "b"},
        {"type": "response.output_item.done", "output_index": 0, "item": item},
        {"type": "response.output_text.delta", "output_index": 1, "delta": "Hi"},
        {"type": "response.reasoning_text.delta", "output_index": 2, "delta": "raw"},
        _done(),
    )
    part = {"type": "reasoning", "text": "a\n\nb", "provider": "openai-responses", "id": "rs_1"}
    raw = {"type": "reasoning", "text": "raw", "provider": "openai-responses"}
    assert parts == [
        ReasoningDelta("a"),
        ReasoningDelta("\n\n"),
        ReasoningDelta("b"),
        ReasoningEnd(part),  # type: ignore[arg-type]
        TextDelta("Hi"),
        ReasoningDelta("raw"),
        ReasoningEnd(raw),  # type: ignore[arg-type]  # never closed by an item: ended at the end
        StreamFinish(usage=FULL_USAGE, finish_reason="stop"),
    ]
