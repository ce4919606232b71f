"""The Anthropic transport maps parts, tools and output specs both ways (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import ConfigurationError, StreamError
from modelrouter._parts import OutputSpec, ToolCallDelta, ToolCallEnd, ToolCallStart, ToolSpec
from modelrouter._types import Message, ModelRequest, StreamFinish, StreamPart, TextDelta
from modelrouter.transports import anthropic
from modelrouter.transports.anthropic import OUTPUT_TOOL, wire_id
from modelrouter.transports.base import Endpoint

EP = Endpoint(model_id="anthropic/m", provider="anthropic", model="m", base_url="http://h/v1")
PARAMS = {
    "type": "object",
    "properties": {"city": {"type": "string"}},
    "required": ["city"],
    "additionalProperties": False,
}
WEATHER = ToolSpec(name="get_weather", description="Current weather.", parameters=PARAMS)
FORECAST = OutputSpec(
    name="Forecast",
    schema={"type": "object", "properties": {"high": {"type": "number"}}, "required": ["high"]},
)
# A conversation as the OpenAI transport returns it: OpenAI ids, two parallel calls.
CONVERSATION: list[Message] = [
    {"role": "user", "content": "Weather in Paris and Rome?"},
    {
        "role": "assistant",
        "content": [
            {"type": "text", "text": "Let me look."},
            {
                "type": "tool-call",
                "id": "call_1",
                "name": "get_weather",
                "arguments": '{"city":"Paris"}',
            },
            {"type": "tool-call", "id": "call_2", "name": "get_weather", "arguments": '{"city":'},
        ],
    },
    {
        "role": "tool",
        "content": [
            {"type": "tool-result", "call_id": "call_1", "name": "get_weather", "content": "18C"}
        ],
    },
    {
        "role": "tool",
        "content": [
            {
                "type": "tool-result",
                "call_id": "call_2",
                "name": "get_weather",
                "content": "arguments are not valid JSON",
                "is_error": True,
            }
        ],
    },
    {"role": "user", "content": "And tomorrow?"},
]


def body(request: ModelRequest, stream: bool = False) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(anthropic.build_request(EP, request, stream=stream).content)
    return parsed


def test_conversation_maps_to_tool_use_and_merged_tool_results() -> None:
    sent = body(ModelRequest(messages=CONVERSATION, tools=[WEATHER]))
    assert sent["messages"] == [
        {"role": "user", "content": "Weather in Paris and Rome?"},
        {
            "role": "assistant",
            "content": [
                {"type": "text", "text": "Let me look."},
                {
                    "type": "tool_use",
                    "id": "call_1",
                    "name": "get_weather",
                    "input": {"city": "Paris"},
                },
                # Broken arguments still round-trip, as the contract helper keeps them.
                {
                    "type": "tool_use",
                    "id": "call_2",
                    "name": "get_weather",
                    "input": {"_raw": '{"city":'},
                },
            ],
        },
        {
            "role": "user",
            "content": [
                {"type": "tool_result", "tool_use_id": "call_1", "content": "18C"},
                {
                    "type": "tool_result",
                    "tool_use_id": "call_2",
                    "content": "arguments are not valid JSON",
                    "is_error": True,
                },
            ],
        },
        {"role": "user", "content": "And tomorrow?"},
    ]
    assert sent["tools"] == [
        {"name": "get_weather", "input_schema": PARAMS, "description": "Current weather."}
    ]
    assert "tool_choice" not in sent


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        ("auto", {"type": "auto"}),
        ("none", {"type": "none"}),
        ("required", {"type": "any"}),
        ("get_weather", {"type": "tool", "name": "get_weather"}),
    ],
)
def test_tool_choice(choice: str, wire: dict[str, Any]) -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], tools=[WEATHER], tool_choice=choice))
    assert sent["tool_choice"] == wire


def test_no_tools_sends_neither_tools_nor_tool_choice() -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], tool_choice="auto"))
    assert "tools" not in sent and "tool_choice" not in sent


def test_output_alone_is_a_forced_tool() -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], output=FORECAST))
    assert sent["tools"] == [
        {
            "name": OUTPUT_TOOL,
            "description": "Give your final answer (Forecast) as this tool's input.",
            "input_schema": FORECAST.schema,
        }
    ]
    assert sent["tool_choice"] == {"type": "tool", "name": OUTPUT_TOOL}
    assert "output_config" not in sent


@pytest.mark.parametrize(
    ("choice", "wire"),
    [
        (None, {"type": "any"}),
        ("auto", {"type": "any"}),
        ("required", {"type": "any"}),
        ("none", {"type": "tool", "name": OUTPUT_TOOL}),
        ("get_weather", {"type": "tool", "name": "get_weather"}),
    ],
)
def test_output_beside_tools_requires_some_call(choice: str | None, wire: dict[str, Any]) -> None:
    request = ModelRequest(
        messages=CONVERSATION[:1], tools=[WEATHER], tool_choice=choice, output=FORECAST
    )
    sent = body(request)
    assert [t["name"] for t in sent["tools"]] == ["get_weather", OUTPUT_TOOL]
    assert sent["tool_choice"] == wire


def test_output_with_thinking_is_native_output_config() -> None:
    request = ModelRequest(
        messages=CONVERSATION[:1],
        output=FORECAST,
        provider_options={
            "thinking": {"type": "enabled", "budget_tokens": 2000},
            "output_config": {"effort": "high"},
        },
    )
    sent = body(request)
    assert sent["output_config"] == {
        "effort": "high",
        "format": {"type": "json_schema", "schema": FORECAST.schema},
    }
    assert "tools" not in sent and "tool_choice" not in sent
    assert sent["max_tokens"] > 2000  # the thinking budget rule still holds


def test_a_tool_named_like_the_answer_tool_is_refused() -> None:
    clash = ToolSpec(name=OUTPUT_TOOL, description="", parameters=PARAMS)
    with pytest.raises(ConfigurationError, match="reserved"):
        body(ModelRequest(messages=CONVERSATION[:1], tools=[clash], output=FORECAST))


@pytest.mark.parametrize(
    "message",
    [
        {
            "role": "user",
            "content": [{"type": "tool-call", "id": "1", "name": "f", "arguments": ""}],
        },
        {
            "role": "assistant",
            "content": [{"type": "tool-result", "call_id": "1", "name": "f", "content": ""}],
        },
        {"role": "tool", "content": [{"type": "text", "text": "x"}]},
        {"role": "tool", "content": "a result without its call id"},
        {"role": "assistant", "content": [{"type": "image", "url": "http://x"}]},
    ],
)
def test_a_part_the_role_cannot_carry_is_a_configuration_error(message: Any) -> None:
    with pytest.raises(ConfigurationError, match="cannot carry"):
        body(ModelRequest(messages=[message]))


def test_foreign_call_ids_map_to_one_safe_id_for_call_and_result() -> None:
    moonshot = "functions.get_weather:0"
    messages: list[Message] = [
        {"role": "user", "content": "x"},
        {
            "role": "assistant",
            "content": [
                {"type": "tool-call", "id": moonshot, "name": "get_weather", "arguments": "{}"},
                {
                    "type": "tool-call",
                    "id": "functions.get_weather.0",
                    "name": "get_weather",
                    "arguments": "{}",
                },
            ],
        },
        {
            "role": "tool",
            "content": [
                {"type": "tool-result", "call_id": moonshot, "name": "get_weather", "content": "1"}
            ],
        },
    ]
    sent = body(ModelRequest(messages=messages))
    used, other = (b["id"] for b in sent["messages"][1]["content"])
    assert sent["messages"][2]["content"][0]["tool_use_id"] == used == wire_id(moonshot)
    assert used.startswith("functions_get_weather_0_") and used != other
    assert wire_id("toolu_01Ab-c_d") == "toolu_01Ab-c_d"


def test_message_cache_control_marks_the_last_block() -> None:
    message: Message = {
        "role": "tool",
        "content": [
            {"type": "tool-result", "call_id": "a", "name": "f", "content": "1"},
            {"type": "tool-result", "call_id": "b", "name": "f", "content": "2"},
        ],
        "provider_options": {"anthropic": {"cache_control": {"type": "ephemeral"}}},
    }
    blocks = body(ModelRequest(messages=[message]))["messages"][0]["content"]
    assert "cache_control" not in blocks[0]
    assert blocks[1]["cache_control"] == {"type": "ephemeral"}


def test_empty_text_parts_are_left_out() -> None:
    message: Message = {
        "role": "assistant",
        "content": [
            {"type": "text", "text": ""},
            {"type": "tool-call", "id": "a", "name": "f", "arguments": ""},
        ],
    }
    assert body(ModelRequest(messages=[message]))["messages"][0]["content"] == [
        {"type": "tool_use", "id": "a", "name": "f", "input": {}}
    ]


def _answer(*blocks: dict[str, Any], stop: str = "tool_use") -> dict[str, Any]:
    return {
        "content": list(blocks),
        "stop_reason": stop,
        "usage": {"input_tokens": 3, "output_tokens": 4},
    }


def test_response_tool_calls_are_parsed_with_arguments_as_json_text() -> None:
    payload = _answer(
        {"type": "text", "text": "Checking."},
        {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {"city": "Paris"}},
        {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {}},
    )
    response = anthropic.parse_response(EP, payload)
    assert response.text == "Checking."
    assert response.finish_reason == "tool_calls"
    assert list(response.tool_calls) == [
        {
            "type": "tool-call",
            "id": "toolu_1",
            "name": "get_weather",
            "arguments": '{"city": "Paris"}',
        },
        {"type": "tool-call", "id": "toolu_2", "name": "get_weather", "arguments": "{}"},
    ]


def test_the_answer_tool_comes_back_as_text_not_a_call() -> None:
    payload = _answer({"type": "tool_use", "id": "t", "name": OUTPUT_TOOL, "input": {"high": 21.5}})
    response = anthropic.parse_response(EP, payload)
    assert json.loads(response.text) == {"high": 21.5}
    assert response.tool_calls == [] and response.finish_reason == "stop"


def test_the_answer_beside_a_real_call_keeps_both() -> None:
    payload = _answer(
        {"type": "tool_use", "id": "t1", "name": "get_weather", "input": {"city": "Oslo"}},
        {"type": "tool_use", "id": "t2", "name": OUTPUT_TOOL, "input": {"high": 1}},
    )
    response = anthropic.parse_response(EP, payload)
    assert response.text == '{"high": 1}'
    assert [c["id"] for c in response.tool_calls] == ["t1"]
    assert response.finish_reason == "tool_calls"


def test_a_tool_use_without_a_name_is_an_unexpected_payload() -> None:
    with pytest.raises(Exception, match="unexpected body"):
        anthropic.parse_response(EP, _answer({"type": "tool_use", "id": "t", "input": {}}))


def test_parsed_calls_round_trip_into_the_next_request() -> None:
    payload = _answer(
        {"type": "tool_use", "id": "toolu_9", "name": "get_weather", "input": {"city": "Nice"}}
    )
    calls = anthropic.parse_response(EP, payload).tool_calls
    messages: list[Message] = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": list(calls)},
        {
            "role": "tool",
            "content": [
                {
                    "type": "tool-result",
                    "call_id": "toolu_9",
                    "name": "get_weather",
                    "content": "9C",
                }
            ],
        },
    ]
    sent = body(ModelRequest(messages=messages))
    assert sent["messages"][1]["content"] == [payload["content"][0]]
    assert sent["messages"][2]["content"][0]["tool_use_id"] == "toolu_9"


def _events(*events: dict[str, Any]) -> list[StreamPart]:
    parser = anthropic.stream_parser(EP)
    parts: list[StreamPart] = []
    for event in events:
        parts.extend(parser.feed(event["type"], json.dumps(event)))
    parts.extend(parser.close())
    return parts


def _start(index: int, block: dict[str, Any]) -> dict[str, Any]:
    return {"type": "content_block_start", "index": index, "content_block": block}


def _json(index: int, fragment: str) -> dict[str, Any]:
    delta = {"type": "input_json_delta", "partial_json": fragment}
    return {"type": "content_block_delta", "index": index, "delta": delta}


def _text(index: int, text: str) -> dict[str, Any]:
    delta = {"type": "text_delta", "text": text}
    return {"type": "content_block_delta", "index": index, "delta": delta}


def _stop(index: int) -> dict[str, Any]:
    return {"type": "content_block_stop", "index": index}


MESSAGE_START: dict[str, Any] = {"type": "message_start", "message": {"usage": {"input_tokens": 5}}}


def _end(reason: str) -> list[dict[str, Any]]:
    return [
        {"type": "message_delta", "delta": {"stop_reason": reason}, "usage": {"output_tokens": 7}},
        {"type": "message_stop"},
    ]


def test_streamed_tool_calls_start_delta_end_in_order() -> None:
    parts = _events(
        MESSAGE_START,
        _start(0, {"type": "text", "text": ""}),
        _text(0, "Checking."),
        _stop(0),
        _start(1, {"type": "tool_use", "id": "toolu_1", "name": "get_weather", "input": {}}),
        _json(1, ""),
        _json(1, '{"city":'),
        _json(1, '"Paris"}'),
        _stop(1),
        _start(2, {"type": "tool_use", "id": "toolu_2", "name": "get_weather", "input": {}}),
        _json(2, "{}"),
        _stop(2),
        *_end("tool_use"),
    )
    first = {
        "type": "tool-call",
        "id": "toolu_1",
        "name": "get_weather",
        "arguments": '{"city":"Paris"}',
    }
    second = {"type": "tool-call", "id": "toolu_2", "name": "get_weather", "arguments": "{}"}
    assert parts[:-1] == [
        TextDelta("Checking."),
        ToolCallStart(0, "toolu_1", "get_weather"),
        ToolCallDelta(0, '{"city":'),
        ToolCallDelta(0, '"Paris"}'),
        ToolCallEnd(0, first),  # type: ignore[arg-type]
        ToolCallStart(1, "toolu_2", "get_weather"),
        ToolCallDelta(1, "{}"),
        ToolCallEnd(1, second),  # type: ignore[arg-type]
    ]
    finish = parts[-1]
    assert isinstance(finish, StreamFinish) and finish.finish_reason == "tool_calls"
    assert (finish.usage.input_tokens, finish.usage.output_tokens) == (5, 7)


def test_the_streamed_answer_tool_is_text() -> None:
    parts = _events(
        MESSAGE_START,
        _start(0, {"type": "tool_use", "id": "t", "name": OUTPUT_TOOL, "input": {}}),
        _json(0, '{"high"'),
        _json(0, ": 3}"),
        _stop(0),
        *_end("tool_use"),
    )
    assert parts[:-1] == [TextDelta('{"high"'), TextDelta(": 3}")]
    assert isinstance(parts[-1], StreamFinish) and parts[-1].finish_reason == "stop"


def test_an_answer_tool_with_no_input_is_an_empty_object() -> None:
    parts = _events(
        MESSAGE_START,
        _start(0, {"type": "tool_use", "id": "t", "name": OUTPUT_TOOL, "input": {}}),
        _stop(0),
        *_end("tool_use"),
    )
    assert parts[0] == TextDelta("{}")


def test_input_sent_whole_in_the_start_block_is_kept() -> None:
    parts = _events(
        MESSAGE_START,
        _start(0, {"type": "tool_use", "id": "t", "name": "f", "input": {"a": 1}}),
        _stop(0),
        *_end("tool_use"),
    )
    end = parts[2]
    assert isinstance(end, ToolCallEnd) and end.call["arguments"] == '{"a": 1}'


def test_a_stream_cut_mid_call_still_ends_the_call_before_finish() -> None:
    parser = anthropic.stream_parser(EP)
    events: list[dict[str, Any]] = [
        MESSAGE_START,
        _start(0, {"type": "tool_use", "id": "t", "name": "f", "input": {}}),
        _json(0, '{"a'),
        {"type": "message_delta", "delta": {"stop_reason": "max_tokens"}},
    ]
    for event in events:
        parser.feed(event["type"], json.dumps(event))
    tail = parser.close()
    assert isinstance(tail[0], ToolCallEnd) and tail[0].call["arguments"] == '{"a'
    assert isinstance(tail[-1], StreamFinish) and tail[-1].finish_reason == "length"


@pytest.mark.parametrize(
    "event",
    [
        _json(3, "{}"),  # a delta for a block never started
        {"type": "content_block_delta", "index": 0, "delta": {"type": "input_json_delta"}},
        _start(0, {"type": "tool_use", "id": "t", "input": {}}),  # no name
    ],
)
def test_a_malformed_streamed_call_is_a_stream_error(event: dict[str, Any]) -> None:
    parser = anthropic.stream_parser(EP)
    with pytest.raises(StreamError, match="malformed tool call"):
        parser.feed(event["type"], json.dumps(event))
