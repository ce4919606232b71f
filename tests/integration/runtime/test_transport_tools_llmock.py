"""Tools and structured output on the anthropic and gemini transports against llmock.

The Agent's tool loop is not on this branch yet, so the loop is written here over the
router's own `LanguageModel` (`HttpModel`: build_request, real HTTP through `_http`, parse),
in every call mode. llmock (auto tool mode) calls an offered tool with schema-valid arguments
until the conversation carries a tool result, answers JSON valid against `responseJsonSchema`,
honours a forced tool, and breaks calls on demand (`ToolFault`).
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any, cast

import pytest
from llmock.scenarios import Reply, ToolCall, ToolFault
from llmock.testing import LLMockServer
from pydantic import BaseModel

from modelrouter._model import Clients, abuild_model, build_model
from modelrouter._parts import (
    OutputSpec,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolResultPart,
    ToolSpec,
)
from modelrouter._types import (
    FinishReason,
    Message,
    ModelConfig,
    ModelRequest,
    StreamFinish,
    StreamPart,
    TextDelta,
)
from modelrouter.transports.anthropic import OUTPUT_TOOL

# (model id, llmock provider, path under that provider's base)
PROTOCOLS = [
    ("anthropic/claude-haiku-4-5", "anthropic", "/v1"),
    ("google/gemini-2.5-flash", "gemini", "/v1beta"),
]
MODES = ["generate", "agenerate", "stream", "astream"]


class Forecast(BaseModel):
    city: str
    high: float
    summary: str


WEATHER = ToolSpec(
    name="get_weather",
    description="Current weather for a city.",
    parameters={
        "type": "object",
        "properties": {"city": {"type": "string"}, "unit": {"enum": ["C", "F"]}},
        "required": ["city"],
        "additionalProperties": False,
    },
)
CLOCK = ToolSpec(
    name="get_time",
    description="The local time in a time zone.",
    parameters={"type": "object", "properties": {"zone": {"type": "string"}}},
)
FORECAST = OutputSpec(name="Forecast", schema=Forecast.model_json_schema())


@pytest.fixture(scope="module")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


def _config(server: LLMockServer, model_id: str, provider: str, suffix: str) -> ModelConfig:
    url = server.base_url(provider) + suffix
    return cast(ModelConfig, {"id": model_id, "url": url, "api_key": "test-key"})


@pytest.fixture(params=PROTOCOLS, ids=[p[1] for p in PROTOCOLS])
def config(request: pytest.FixtureRequest, llmock: LLMockServer) -> ModelConfig:
    llmock.state.reset()
    return _config(llmock, *request.param)


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


@dataclass
class Answer:
    text: str
    calls: list[ToolCallPart]
    finish: FinishReason
    parts: list[StreamPart] = field(default_factory=list[StreamPart])


def _assembled(parts: list[StreamPart]) -> Answer:
    """The answer a stream adds up to; every call's Start, Deltas and End must agree."""
    assert isinstance(parts[-1], StreamFinish)
    assert not any(isinstance(p, StreamFinish) for p in parts[:-1])
    started: dict[int, ToolCallStart] = {}
    arguments: dict[int, str] = {}
    calls: list[ToolCallPart] = []
    for part in parts[:-1]:
        if isinstance(part, ToolCallStart):
            assert part.index == len(started)
            started[part.index] = part
            arguments[part.index] = ""
        elif isinstance(part, ToolCallDelta):
            arguments[part.index] += part.arguments
        elif isinstance(part, ToolCallEnd):
            start = started[part.index]
            assert (part.call["id"], part.call["name"]) == (start.id, start.name)
            assert part.call["arguments"] == arguments.pop(part.index)
            calls.append(part.call)
    assert not arguments, "every started call is ended"
    text = "".join(p.text for p in parts if isinstance(p, TextDelta))
    return Answer(text, calls, parts[-1].finish_reason, parts)


def call(config: ModelConfig, request: ModelRequest, mode: str) -> Answer:
    """One model call through the router's HttpModel, the way `mode` says."""
    if mode == "generate":
        clients = Clients()
        try:
            response = build_model(config, clients).generate(request)
        finally:
            clients.close()
        return Answer(response.text, list(response.tool_calls), response.finish_reason)
    if mode == "stream":
        clients = Clients()
        try:
            return _assembled(list(build_model(config, clients).stream(request)))
        finally:
            clients.close()

    async def go() -> Answer:
        clients = Clients()
        try:
            model = await abuild_model(config, clients)
            if mode == "agenerate":
                response = await model.agenerate(request)
                calls = list(response.tool_calls)
                return Answer(response.text, calls, response.finish_reason)
            return _assembled([p async for p in model.astream(request)])
        finally:
            await clients.aclose()

    return asyncio.run(go())


class Weather:
    """A tool that counts its runs."""

    def __init__(self) -> None:
        self.runs: list[dict[str, Any]] = []

    def __call__(self, call: ToolCallPart) -> ToolResultPart:
        self.runs.append(json.loads(call["arguments"]))
        return {
            "type": "tool-result",
            "call_id": call["id"],
            "name": call["name"],
            "content": "18C and sunny",
        }


def exchange(calls: list[ToolCallPart], results: list[ToolResultPart]) -> list[Message]:
    """The assistant turn that asked for `calls` and the tool turn answering them."""
    return [{"role": "assistant", "content": calls}, {"role": "tool", "content": results}]


def test_two_step_weather_loop(config: ModelConfig, mode: str) -> None:
    weather = Weather()
    messages: list[Message] = [{"role": "user", "content": "What is the weather in Paris?"}]
    tools = [CLOCK, WEATHER]
    first = call(config, ModelRequest(messages=messages, system="Be brief.", tools=tools), mode)
    assert first.finish == "tool_calls"
    assert [c["name"] for c in first.calls] == ["get_weather"]
    assert first.calls[0]["id"]
    messages += exchange(first.calls, [weather(c) for c in first.calls])
    second = call(config, ModelRequest(messages=messages, tools=tools), mode)
    assert second.finish == "stop" and second.calls == [] and second.text
    assert weather.runs == [{"city": "mock-city", "unit": "C"}]  # schema-valid, run once


def test_structured_output_comes_back_as_text(config: ModelConfig, mode: str) -> None:
    request = ModelRequest(
        messages=[{"role": "user", "content": "Forecast for Oslo"}], output=FORECAST
    )
    answer = call(config, request, mode)
    assert answer.calls == [] and answer.finish == "stop"
    forecast = Forecast.model_validate_json(answer.text)
    assert forecast.city


@pytest.mark.parametrize("mode", ["generate", "stream"])
def test_structured_answer_beside_tools(
    config: ModelConfig, llmock: LLMockServer, mode: str
) -> None:
    values = {"city": "Oslo", "high": 4.5, "summary": "grey"}
    llmock.state.scenarios.add(Reply(tool_calls=(ToolCall(OUTPUT_TOOL, values),)))
    messages: list[Message] = [{"role": "user", "content": "Forecast for Oslo"}]
    request = ModelRequest(messages=messages, tools=[WEATHER], output=FORECAST)
    answer = call(config, request, mode)
    assert Forecast.model_validate_json(answer.text) == Forecast.model_validate(values)
    assert answer.calls == [] and answer.finish == "stop"


def test_forced_tool_choice_calls_that_tool(config: ModelConfig, mode: str) -> None:
    request = ModelRequest(
        messages=[{"role": "user", "content": "What is the weather in Paris?"}],
        tools=[WEATHER, CLOCK],
        tool_choice="get_time",
    )
    answer = call(config, request, mode)
    assert [c["name"] for c in answer.calls] == ["get_time"]


def test_tool_choice_none_answers_in_text(config: ModelConfig, mode: str) -> None:
    request = ModelRequest(
        messages=[{"role": "user", "content": "What is the weather in Paris?"}],
        tools=[WEATHER],
        tool_choice="none",
    )
    answer = call(config, request, mode)
    assert answer.calls == [] and answer.text and answer.finish == "stop"


@pytest.mark.parametrize("mode", MODES)
def test_an_unknown_tool_is_delivered_and_an_error_result_goes_back(
    config: ModelConfig, llmock: LLMockServer, mode: str
) -> None:
    llmock.state.scenarios.add(ToolFault("unknown_tool"))
    messages: list[Message] = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = call(config, ModelRequest(messages=messages, tools=[WEATHER]), mode)
    assert [c["name"] for c in first.calls] == ["llmock_unknown_tool"]
    error: ToolResultPart = {
        "type": "tool-result",
        "call_id": first.calls[0]["id"],
        "name": "llmock_unknown_tool",
        "content": "Unknown tool 'llmock_unknown_tool'",
        "is_error": True,
    }
    messages += exchange([*first.calls], [error])
    second = call(config, ModelRequest(messages=messages, tools=[WEATHER]), mode)
    assert second.calls == [] and second.text
    sent = llmock.state.journal.records()[-1].body
    assert "llmock_unknown_tool" in json.dumps(sent) and "Unknown tool" in json.dumps(sent)


@pytest.mark.parametrize("mode", MODES)
def test_malformed_arguments_arrive_as_the_wire_carries_them(
    config: ModelConfig, llmock: LLMockServer, mode: str
) -> None:
    llmock.state.scenarios.add(ToolFault("malformed_arguments"))
    messages: list[Message] = [{"role": "user", "content": "What is the weather in Paris?"}]
    answer = call(config, ModelRequest(messages=messages, tools=[WEATHER]), mode)
    (broken,) = answer.calls
    streamed_text = mode in ("stream", "astream") and "anthropic" in config["id"]
    if streamed_text:
        # Anthropic streams the arguments as JSON text: the cut-off text arrives verbatim.
        with pytest.raises(ValueError):
            json.loads(broken["arguments"])
    else:
        # An object on the wire (Anthropic's answer, every Gemini call): llmock sends {}.
        assert json.loads(broken["arguments"]) == {}
    # Either way the call, broken or not, goes back to the model with an error result.
    result: ToolResultPart = {
        "type": "tool-result",
        "call_id": broken["id"],
        "name": broken["name"],
        "content": "arguments are not valid JSON",
        "is_error": True,
    }
    messages += exchange([broken], [result])
    assert call(config, ModelRequest(messages=messages, tools=[WEATHER]), mode).text


@pytest.mark.parametrize("mode", ["generate", "astream"])
def test_a_loop_started_on_openai_finishes_here(
    config: ModelConfig, llmock: LLMockServer, mode: str
) -> None:
    """Step 1 on the OpenAI protocol, step 2 (its conversation as is) on this one."""
    openai = _config(llmock, "openai/gpt-4o-mini", "openai", "")
    weather = Weather()
    messages: list[Message] = [{"role": "user", "content": "What is the weather in Paris?"}]
    first = call(openai, ModelRequest(messages=messages, tools=[WEATHER]), mode)
    assert first.calls and first.calls[0]["id"].startswith("call_")
    messages += exchange([*first.calls], [weather(c) for c in first.calls])
    second = call(config, ModelRequest(messages=messages, tools=[WEATHER]), mode)
    assert second.finish == "stop" and second.calls == [] and second.text
    assert len(weather.runs) == 1
