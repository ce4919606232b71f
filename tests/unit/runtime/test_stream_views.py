"""A stream's two views (text iteration, `events()`) read one generator: switching mid-stream
continues where the other left off, in both twins, through a two-step tool loop."""

from __future__ import annotations

from typing import Any

import pytest

from modelrouter import Agent, BaseLanguageModel
from modelrouter._events import StepEnd, StepStart, ToolResult
from modelrouter._types import ModelRequest, ModelResponse, TextDelta, Usage

CALLS: list[str] = []


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def get_weather(city: str) -> str:
    """Current weather for a city."""
    CALLS.append(city)
    return f"Sunny in {city}"


class Scripted(BaseLanguageModel):
    """Asks for the tool first, then answers in two text parts once the tool result is in."""

    model_id = "mine/scripted"

    def generate(self, request: ModelRequest) -> ModelResponse:
        if request.messages[-1]["role"] != "tool":
            call = {
                "type": "tool-call",
                "id": "c1",
                "name": "get_weather",
                "arguments": '{"city":"Paris"}',
            }
            return ModelResponse(text="Let me check. ", usage=Usage(1, 1), tool_calls=[call])  # type: ignore[list-item]
        return ModelResponse(text="Sunny.", usage=Usage(2, 1), finish_reason="stop")


def _agent() -> Agent[str]:
    return Agent("views", None, Scripted(), tools=[get_weather])


def _kinds(events: list[Any]) -> list[str]:
    return [type(e).__name__ for e in events]


def test_text_iteration_yields_only_text_across_steps() -> None:
    CALLS.clear()
    stream = _agent().stream("Weather?")
    assert list(stream) == ["Let me check. ", "Sunny."]
    assert stream.result.text == "Sunny." and CALLS == ["Paris"]


def test_switching_views_mid_stream_continues_the_same_stream() -> None:
    CALLS.clear()
    stream = _agent().stream("Weather?")
    assert next(stream) == "Let me check. "  # text view first...
    rest = list(stream.events())  # ...then the events from there on
    assert _kinds(rest) == [
        "ToolCallStart",
        "ToolCallDelta",
        "ToolCallEnd",
        "ToolResult",
        "StepEnd",
        "StepStart",
        "TextDelta",
        "StepEnd",
    ]
    assert isinstance(rest[3], ToolResult) and rest[3].result["content"] == "Sunny in Paris"
    assert CALLS == ["Paris"]  # the tool ran once, whichever view drove it
    assert stream.result.text == "Sunny."


@pytest.mark.anyio
async def test_async_events_then_text_continue_the_same_stream() -> None:
    CALLS.clear()
    stream = _agent().astream("Weather?")
    events = stream.events()
    first = await anext(events)
    assert isinstance(first, StepStart) and first.index == 0
    assert await anext(events) == TextDelta("Let me check. ")
    assert [text async for text in stream] == ["Sunny."]  # text only, from where events stopped
    assert stream.result.text == "Sunny." and CALLS == ["Paris"]


@pytest.mark.anyio
async def test_async_events_view_has_every_event_in_order() -> None:
    CALLS.clear()
    async with _agent().astream("Weather?") as stream:
        events = [e async for e in stream.events()]
    assert _kinds(events) == [
        "StepStart",
        "TextDelta",
        "ToolCallStart",
        "ToolCallDelta",
        "ToolCallEnd",
        "ToolResult",
        "StepEnd",
        "StepStart",
        "TextDelta",
        "StepEnd",
    ]
    assert isinstance(events[-1], StepEnd) and events[-1].step.text == "Sunny."
    assert stream.result.text == "Sunny." and CALLS == ["Paris"]
