"""The OpenAI chat transport maps parts, tools and output specs both ways (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import ConfigurationError, StreamError
from modelrouter._parts import OutputSpec, ToolCallDelta, ToolCallEnd, ToolCallStart, ToolSpec
from modelrouter._types import Message, ModelRequest, StreamFinish, StreamPart, TextDelta
from modelrouter.transports import openai_chat
from modelrouter.transports.base import Endpoint
from modelrouter.transports.parts import arguments_object

EP = Endpoint(model_id="openai/m", provider="openai", model="m", base_url="http://h/v1")
WEATHER = ToolSpec(
    name="get_weather",
    description="Current weather.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}},
        "required": ["city"],
        "additionalProperties": False,
    },
    strict=True,
)
CONVERSATION: list[Message] = [
    {"role": "user", "content": "Weather in Paris?"},
    {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Let me look."},
            {
                "type": "tool-call",
                "id": "c1",
                "name": "get_weather",
                "arguments": '{"city":"Paris"}',
            },
        ],
    },
    {
        "role": "tool",
        "content": [
            {"type": "tool-result", "call_id": "c1", "name": "get_weather", "content": "18C"}
        ],
    },
]


def body(request: ModelRequest, stream: bool = False) -> dict[str, Any]:
    built = openai_chat.build_request(EP, request, stream=stream)
    parsed: dict[str, Any] = json.loads(built.content)
    return parsed


def test_request_maps_parts_tools_and_output() -> None:
    output = OutputSpec(name="Forecast", schema={"type": "object"}, strict=True)
    sent = body(
        ModelRequest(
            messages=CONVERSATION, tools=[WEATHER], tool_choice="get_weather", output=output
        )
    )
    assert sent["messages"] == [
        {"role": "user", "content": "Weather in Paris?"},
        {
            "role": "assistant",
            "content": "Let me look.",
            "tool_calls": [
                {
                    "id": "c1",
                    "type": "function",
                    "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                }
            ],
        },
        {"role": "tool", "tool_call_id": "c1", "content": "18C"},
    ]
    assert sent["tools"] == [
        {
            "type": "function",
            "function": {
                "name": "get_weather",
                "parameters": WEATHER.parameters,
                "description": "Current weather.",
                "strict": True,
            },
        }
    ]
    assert sent["tool_choice"] == {"type": "function", "function": {"name": "get_weather"}}
    assert sent["response_format"] == {
        "type": "json_schema",
        "json_schema": {"name": "Forecast", "schema": {"type": "object"}, "strict": True},
    }


@pytest.mark.parametrize("choice", ["auto", "none", "required"])
def test_tool_choice_keywords_are_sent_as_strings(choice: str) -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], tools=[WEATHER], tool_choice=choice))
    assert sent["tool_choice"] == choice


def test_user_text_parts_become_content_blocks() -> None:
    message: Message = {"role": "user", "content": [{"type": "text", "text": "a"}]}
    assert body(ModelRequest(messages=[message]))["messages"] == [
        {"role": "user", "content": [{"type": "text", "text": "a"}]}
    ]


@pytest.mark.parametrize(
    "message",
    [
        {
            "role": "user",
            "content": [{"type": "tool-call", "id": "1", "name": "f", "arguments": ""}],
        },
        {"role": "tool", "content": [{"type": "text", "text": "x"}]},
        {"role": "assistant", "content": [{"type": "image", "url": "http://x"}]},
    ],
)
def test_a_part_the_role_cannot_carry_is_a_configuration_error(message: Any) -> None:
    with pytest.raises(ConfigurationError, match="cannot carry"):
        body(ModelRequest(messages=[message]))


def test_response_tool_calls_are_parsed() -> None:
    payload = {
        "choices": [
            {
                "message": {
                    "content": None,
                    "tool_calls": [
                        {
                            "id": "c1",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                        },
                        {
                            "id": "c2",
                            "type": "function",
                            "function": {"name": "get_weather", "arguments": '{"city":"Rome"}'},
                        },
                    ],
                },
                "finish_reason": "tool_calls",
            }
        ],
        "usage": {"prompt_tokens": 3, "completion_tokens": 4},
    }
    response = openai_chat.parse_response(EP, payload)
    assert response.text == ""
    assert response.finish_reason == "tool_calls"
    assert [c["id"] for c in response.tool_calls] == ["c1", "c2"]
    assert response.tool_calls[1] == {
        "type": "tool-call",
        "id": "c2",
        "name": "get_weather",
        "arguments": '{"city":"Rome"}',
    }


def _feed(chunks: list[Any]) -> list[StreamPart]:
    parser = openai_chat.stream_parser(EP)
    parts: list[StreamPart] = []
    for chunk in chunks:
        parts.extend(parser.feed("", json.dumps(chunk)))
    parts.extend(parser.feed("", "[DONE]"))
    parts.extend(parser.close())
    return parts


def _delta(delta: dict[str, Any], finish: str | None = None) -> dict[str, Any]:
    return {"choices": [{"index": 0, "delta": delta, "finish_reason": finish}]}


def call(index: int, **fields: Any) -> dict[str, Any]:
    return {"tool_calls": [{"index": index, **fields}]}


def test_streamed_tool_calls_start_delta_end_in_order() -> None:
    parts = _feed(
        [
            _delta({"content": "Checking."}),
            _delta(
                call(0, id="c1", type="function", function={"name": "get_weather", "arguments": ""})
            ),
            _delta(call(0, function={"arguments": '{"city":'})),
            _delta(call(0, function={"arguments": '"Paris"}'})),
            _delta(call(1, id="c2", function={"name": "get_weather", "arguments": "{}"})),
            _delta({}, "tool_calls"),
        ]
    )
    assert parts[:6] == [
        TextDelta("Checking."),
        ToolCallStart(0, "c1", "get_weather"),
        ToolCallDelta(0, '{"city":'),
        ToolCallDelta(0, '"Paris"}'),
        ToolCallStart(1, "c2", "get_weather"),
        ToolCallDelta(1, "{}"),
    ]
    ends = parts[6:8]
    assert all(isinstance(e, ToolCallEnd) for e in ends)
    assert [e.call for e in ends if isinstance(e, ToolCallEnd)] == [
        {"type": "tool-call", "id": "c1", "name": "get_weather", "arguments": '{"city":"Paris"}'},
        {"type": "tool-call", "id": "c2", "name": "get_weather", "arguments": "{}"},
    ]
    assert len(parts) == 9
    assert isinstance(parts[-1], StreamFinish) and parts[-1].finish_reason == "tool_calls"


def test_a_stream_cut_mid_call_still_ends_the_call_before_finish() -> None:
    parser = openai_chat.stream_parser(EP)
    parser.feed(
        "",
        json.dumps(
            _delta(
                {
                    "tool_calls": [
                        {"index": 0, "id": "c", "function": {"name": "f", "arguments": "{"}}
                    ]
                }
            )
        ),
    )
    parser.feed("", "[DONE]")
    tail = parser.close()
    assert isinstance(tail[0], ToolCallEnd) and tail[0].call["arguments"] == "{"
    assert isinstance(tail[-1], StreamFinish)


def test_a_malformed_streamed_call_is_a_stream_error() -> None:
    parser = openai_chat.stream_parser(EP)
    with pytest.raises(StreamError, match="malformed tool call"):
        parser.feed("", json.dumps(_delta({"tool_calls": [{"index": 0, "function": "nope"}]})))


def test_arguments_object_round_trips_broken_json() -> None:
    good = {"type": "tool-call", "id": "1", "name": "f", "arguments": '{"a": 1}'}
    bad = {"type": "tool-call", "id": "1", "name": "f", "arguments": '{"a": '}
    empty = {"type": "tool-call", "id": "1", "name": "f", "arguments": ""}
    assert arguments_object(good) == {"a": 1}  # type: ignore[arg-type]
    assert arguments_object(bad) == {"_raw": '{"a": '}  # type: ignore[arg-type]
    assert arguments_object(empty) == {}  # type: ignore[arg-type]
