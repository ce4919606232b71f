"""The Gemini transport maps parts, tools and output specs both ways (no sockets)."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._errors import ConfigurationError, ProviderError, StreamError
from modelrouter._parts import OutputSpec, ToolCallDelta, ToolCallEnd, ToolCallStart, ToolSpec
from modelrouter._types import Message, ModelRequest, StreamFinish, StreamPart, TextDelta
from modelrouter.transports import gemini
from modelrouter.transports.base import Endpoint
from modelrouter.transports.gemini import OUTPUT_TOOL

EP = Endpoint(model_id="google/m", provider="google", model="m", base_url="http://h/v1beta")
# What pydantic makes of a model with a nested one: $defs, $ref, additionalProperties, titles.
PARAMS = {
    "type": "object",
    "title": "Args",
    "properties": {
        "city": {"type": "string"},
        "where": {"$ref": "#/$defs/Place"},
        "unit": {"anyOf": [{"enum": ["C", "F"]}, {"type": "null"}], "default": None},
    },
    "required": ["city"],
    "additionalProperties": False,
    "$defs": {"Place": {"type": "object", "properties": {"lat": {"type": "number"}}}},
}
WEATHER = ToolSpec(name="get_weather", description="Current weather.", parameters=PARAMS)
FORECAST = OutputSpec(
    name="Forecast",
    schema={"type": "object", "properties": {"high": {"type": "number"}}, "required": ["high"]},
)
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
            {"type": "tool-call", "id": "call_2", "name": "get_weather", "arguments": "{bad"},
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
    parsed: dict[str, Any] = json.loads(gemini.build_request(EP, request, stream=stream).content)
    return parsed


def test_conversation_maps_to_function_calls_and_merged_responses() -> None:
    sent = body(ModelRequest(messages=CONVERSATION, tools=[WEATHER]))
    assert sent["contents"] == [
        {"role": "user", "parts": [{"text": "Weather in Paris and Rome?"}]},
        {
            "role": "model",
            "parts": [
                {"text": "Let me look."},
                {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
                {"functionCall": {"name": "get_weather", "args": {"_raw": "{bad"}}},
            ],
        },
        {
            "role": "user",
            "parts": [
                {"functionResponse": {"name": "get_weather", "response": {"output": "18C"}}},
                {
                    "functionResponse": {
                        "name": "get_weather",
                        "response": {"error": "arguments are not valid JSON"},
                    }
                },
            ],
        },
        {"role": "user", "parts": [{"text": "And tomorrow?"}]},
    ]


def test_tool_schemas_go_unchanged_in_parameters_json_schema() -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], tools=[WEATHER]))
    assert sent["tools"] == [
        {
            "functionDeclarations": [
                {
                    "name": "get_weather",
                    "parametersJsonSchema": PARAMS,
                    "description": "Current weather.",
                }
            ]
        }
    ]
    assert "toolConfig" not in sent


@pytest.mark.parametrize(
    ("choice", "config"),
    [
        ("auto", {"mode": "AUTO"}),
        ("none", {"mode": "NONE"}),
        ("required", {"mode": "ANY"}),
        ("get_weather", {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}),
    ],
)
def test_tool_choice(choice: str, config: dict[str, Any]) -> None:
    sent = body(ModelRequest(messages=CONVERSATION[:1], tools=[WEATHER], tool_choice=choice))
    assert sent["toolConfig"] == {"functionCallingConfig": config}


def test_output_alone_is_json_mode_with_the_schema() -> None:
    request = ModelRequest(messages=CONVERSATION[:1], output=FORECAST, max_tokens=5)
    sent = body(request)
    assert sent["generationConfig"] == {
        "maxOutputTokens": 5,
        "responseMimeType": "application/json",
        "responseJsonSchema": FORECAST.schema,
    }
    assert "tools" not in sent


@pytest.mark.parametrize(
    ("choice", "config"),
    [
        (None, {"mode": "ANY"}),
        ("auto", {"mode": "ANY"}),
        ("none", {"mode": "ANY", "allowedFunctionNames": [OUTPUT_TOOL]}),
        ("get_weather", {"mode": "ANY", "allowedFunctionNames": ["get_weather"]}),
    ],
)
def test_output_beside_tools_is_a_required_answer_function(
    choice: str | None, config: dict[str, Any]
) -> None:
    request = ModelRequest(
        messages=CONVERSATION[:1], tools=[WEATHER], tool_choice=choice, output=FORECAST
    )
    sent = body(request)
    declarations = sent["tools"][0]["functionDeclarations"]
    assert [d["name"] for d in declarations] == ["get_weather", OUTPUT_TOOL]
    assert declarations[1]["parametersJsonSchema"] == FORECAST.schema
    assert sent["toolConfig"] == {"functionCallingConfig": config}
    assert "responseMimeType" not in sent.get("generationConfig", {})


def test_built_in_tools_from_options_join_the_functions() -> None:
    request = ModelRequest(
        messages=CONVERSATION[:1],
        tools=[WEATHER],
        provider_options={"tools": [{"googleSearch": {}}]},
    )
    tools = body(request)["tools"]
    assert tools[0]["functionDeclarations"][0]["name"] == "get_weather"
    assert tools[1] == {"googleSearch": {}}


@pytest.mark.parametrize("name", ["1st_tool", "-x"])
def test_a_tool_name_gemini_refuses_is_a_configuration_error(name: str) -> None:
    tool = ToolSpec(name=name, description="", parameters=PARAMS)
    with pytest.raises(ConfigurationError, match=repr(name)):
        body(ModelRequest(messages=CONVERSATION[:1], tools=[tool]))


def test_a_tool_named_like_the_answer_function_is_refused() -> None:
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
        {"role": "tool", "content": "a result without its function name"},
        {"role": "assistant", "content": [{"type": "file", "data": "x"}]},
    ],
)
def test_a_part_the_role_cannot_carry_is_a_configuration_error(message: Any) -> None:
    with pytest.raises(ConfigurationError, match="cannot carry"):
        body(ModelRequest(messages=[message]))


def _answer(*parts: dict[str, Any], reason: str = "STOP") -> dict[str, Any]:
    return {
        "candidates": [
            {"content": {"role": "model", "parts": list(parts)}, "finishReason": reason}
        ],
        "usageMetadata": {"promptTokenCount": 3, "candidatesTokenCount": 4},
    }


def test_function_calls_are_parsed_with_fresh_unique_ids() -> None:
    payload = _answer(
        {"text": "Checking."},
        {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
        {"functionCall": {"name": "get_weather", "args": {"city": "Rome"}}},
        {"functionCall": {"name": "get_time", "id": "gemini-id"}},
    )
    response = gemini.parse_response(EP, payload)
    assert response.text == "Checking."
    assert response.finish_reason == "tool_calls"  # Gemini says STOP
    first, second, third = response.tool_calls
    assert first["arguments"] == '{"city": "Paris"}' and second["arguments"] == '{"city": "Rome"}'
    assert first["id"].startswith("call_") and first["id"] != second["id"]
    assert third == {"type": "tool-call", "id": "gemini-id", "name": "get_time", "arguments": "{}"}
    again = gemini.parse_response(EP, payload).tool_calls[0]["id"]
    assert again != first["id"]  # ids stay unique across steps of one conversation


def test_the_answer_function_comes_back_as_text_not_a_call() -> None:
    payload = _answer({"functionCall": {"name": OUTPUT_TOOL, "args": {"high": 21.5}}})
    response = gemini.parse_response(EP, payload)
    assert json.loads(response.text) == {"high": 21.5}
    assert response.tool_calls == [] and response.finish_reason == "stop"


def test_a_function_call_without_a_name_is_an_unexpected_payload() -> None:
    with pytest.raises(ProviderError, match="unexpected body"):
        gemini.parse_response(EP, _answer({"functionCall": {"args": {}}}))


def test_malformed_function_call_is_an_error_finish() -> None:
    response = gemini.parse_response(EP, _answer({"text": ""}, reason="MALFORMED_FUNCTION_CALL"))
    assert response.finish_reason == "error"


def test_parsed_calls_round_trip_into_the_next_request() -> None:
    payload = _answer({"functionCall": {"name": "get_weather", "args": {"city": "Nice"}}})
    calls = gemini.parse_response(EP, payload).tool_calls
    messages: list[Message] = [
        {"role": "user", "content": "x"},
        {"role": "assistant", "content": list(calls)},
        {
            "role": "tool",
            "content": [
                {
                    "type": "tool-result",
                    "call_id": calls[0]["id"],
                    "name": "get_weather",
                    "content": "9C",
                }
            ],
        },
    ]
    contents = body(ModelRequest(messages=messages))["contents"]
    assert contents[1]["parts"] == payload["candidates"][0]["content"]["parts"]
    assert contents[2]["parts"][0]["functionResponse"]["name"] == "get_weather"


def _stream(*chunks: dict[str, Any]) -> list[StreamPart]:
    parser = gemini.stream_parser(EP)
    parts: list[StreamPart] = []
    for chunk in chunks:
        parts.extend(parser.feed("", json.dumps(chunk)))
    parts.extend(parser.close())
    return parts


def _chunk(*parts: dict[str, Any], reason: str | None = None) -> dict[str, Any]:
    candidate: dict[str, Any] = {"content": {"role": "model", "parts": list(parts)}}
    if reason:
        candidate["finishReason"] = reason
    return {"candidates": [candidate]}


def test_each_streamed_call_is_start_delta_end_at_once() -> None:
    parts = _stream(
        _chunk({"text": "Check"}),
        _chunk(
            {"text": "ing."},
            {"functionCall": {"name": "get_weather", "args": {"city": "Paris"}}},
        ),
        _chunk({"functionCall": {"name": "get_time", "args": {}, "id": "g1"}}, reason="STOP"),
    )
    assert parts[:2] == [TextDelta("Check"), TextDelta("ing.")]
    start, delta, end = parts[2:5]
    assert isinstance(start, ToolCallStart) and (start.index, start.name) == (0, "get_weather")
    assert delta == ToolCallDelta(0, '{"city": "Paris"}')
    assert isinstance(end, ToolCallEnd) and end.call == {
        "type": "tool-call",
        "id": start.id,
        "name": "get_weather",
        "arguments": '{"city": "Paris"}',
    }
    assert parts[5:8] == [
        ToolCallStart(1, "g1", "get_time"),
        ToolCallDelta(1, "{}"),
        ToolCallEnd(1, {"type": "tool-call", "id": "g1", "name": "get_time", "arguments": "{}"}),
    ]
    assert isinstance(parts[8], StreamFinish) and parts[8].finish_reason == "tool_calls"
    assert len(parts) == 9


def test_the_streamed_answer_function_is_text() -> None:
    parts = _stream(
        _chunk({"functionCall": {"name": OUTPUT_TOOL, "args": {"high": 2}}}, reason="STOP")
    )
    assert parts[0] == TextDelta('{"high": 2}')
    assert isinstance(parts[1], StreamFinish) and parts[1].finish_reason == "stop"


def test_a_malformed_streamed_call_is_a_stream_error() -> None:
    parser = gemini.stream_parser(EP)
    with pytest.raises(StreamError, match="unexpected chunk"):
        parser.feed("", json.dumps(_chunk({"functionCall": {"name": 7}})))
