"""The agent loop against llmock's auto tool mode (OpenAI chat), in every call mode."""

from __future__ import annotations

import json
import pytest
from llmock.scenarios import Fail, Match, Reply, StreamFault, ToolCall, ToolFault
from llmock.testing import LLMockServer

from modelrouter import (
    MaxStepsError,
    MidStreamError,
    StepEnd,
    StepStart,
    TextDelta,
    ToolCallEnd,
    ToolCallStart,
    ToolResult,
)
from modelrouter._agent import Agent
from modelrouter._testing import set_engine_hooks
from tests.integration.tools.conftest import Weather, events, openai, run


def test_two_step_weather_loop(mock: LLMockServer, mode: str) -> None:
    weather = Weather()
    agent = Agent("w", "Be brief.", openai(mock), tools=[weather.get_weather])
    result = run(agent, mode)
    assert len(weather.calls) == 1  # llmock picks the argument from the schema
    first, second = result.steps
    assert [c["name"] for c in first.tool_calls] == ["get_weather"]
    assert first.finish_reason == "tool_calls"
    assert first.tool_results[0]["call_id"] == first.tool_calls[0]["id"]
    assert first.tool_results[0]["content"].startswith("Sunny, 18")
    assert not second.tool_calls and second.text and result.text == second.text
    assert result.output == result.text
    assert [m["role"] for m in result.messages] == ["user", "assistant", "tool", "assistant"]
    # Usage is summed over the steps.
    assert result.usage.input_tokens == sum(s.usage.input_tokens or 0 for s in result.steps)
    assert result.usage.output_tokens == sum(s.usage.output_tokens or 0 for s in result.steps)
    # The second request carried the call and its result, as OpenAI expects them.
    sent = [r.body for r in mock.state.journal.records()]
    assert len(sent) == 2
    assert sent[0]["tools"][0]["function"]["name"] == "get_weather"
    assert sent[0]["tools"][0]["function"]["description"] == "Current weather for a city."
    assert [m["role"] for m in sent[1]["messages"]] == ["system", "user", "assistant", "tool"]
    assert sent[1]["messages"][3]["tool_call_id"] == first.tool_calls[0]["id"]


def test_step_two_falls_back_to_the_second_model(mock: LLMockServer, mode: str) -> None:
    # The tool breaks the first model after step 1: step 2 must fall back, the conversation
    # (tool result included) continue on the second model, and the tool not run again.
    breaks = Fail(500, times=None, match=Match(model="gpt-4o-mini"))
    weather = Weather(then=lambda: mock.state.scenarios.add(breaks))
    model = [
        {"model": openai(mock, "gpt-4o-mini"), "max_retries": 0},
        {"model": openai(mock, "gpt-4o")},
    ]
    agent = Agent("w", "Be brief.", model, tools=[weather.get_weather])  # type: ignore[arg-type]
    result = run(agent, mode)
    assert len(weather.calls) == 1
    assert [s.model_id for s in result.steps] == ["openai/gpt-4o-mini", "openai/gpt-4o"]
    assert [a.error_type for a in result.steps[1].attempts] == ["ServerError", None]
    assert result.model_id == "openai/gpt-4o"
    last = mock.state.journal.records()[-1]
    assert last.model == "gpt-4o" and last.body["messages"][-1]["role"] == "tool"


def test_a_retried_step_never_reruns_a_tool(mock: LLMockServer, mode: str) -> None:
    weather = Weather(then=lambda: mock.state.scenarios.add(Fail(503)))
    agent = Agent("w", None, openai(mock), tools=[weather.get_weather], max_retries=1)
    set_engine_hooks(agent, sleep=lambda seconds: None, async_sleep=_no_wait)
    result = run(agent, mode)
    assert len(weather.calls) == 1
    assert [a.error_type for a in result.attempts] == [None, "ServerError", None]


async def _no_wait(seconds: float) -> None:
    return None


@pytest.mark.parametrize("kind", ["malformed_arguments", "unknown_tool"])
def test_tool_faults_go_back_to_the_model_as_errors(
    mock: LLMockServer, mode: str, kind: str
) -> None:
    mock.state.scenarios.add(ToolFault(kind))  # type: ignore[arg-type]
    weather = Weather()
    result = run(Agent("w", None, openai(mock), tools=[weather.get_weather]), mode)
    assert weather.calls == []
    sent_back = result.steps[0].tool_results[0]
    assert sent_back.get("is_error") is True
    expected = "Invalid arguments" if kind == "malformed_arguments" else "Unknown tool"
    assert expected in sent_back["content"]
    assert result.text and len(result.steps) == 2


def test_arguments_failing_validation_and_a_raising_tool(mock: LLMockServer, mode: str) -> None:
    calls = (ToolCall("get_weather", {"city": 5}), ToolCall("explode", {}))
    mock.state.scenarios.add(Reply(tool_calls=calls))
    weather = Weather()

    def explode() -> str:
        """Always fails."""
        raise RuntimeError("the sensor is down")

    result = run(Agent("w", None, openai(mock), tools=[weather.get_weather, explode]), mode)
    invalid, raised = result.steps[0].tool_results
    assert invalid.get("is_error") and "city" in invalid["content"]
    assert raised.get("is_error") and "RuntimeError: the sensor is down" in raised["content"]
    assert weather.calls == []
    sent = mock.state.journal.records()[-1].body["messages"]
    assert [m.get("tool_call_id") for m in sent[-2:]] == [
        c["id"] for c in result.steps[0].tool_calls
    ]


def test_running_out_of_steps_is_a_typed_error_with_the_steps(
    mock: LLMockServer, mode: str
) -> None:
    weather = Weather()
    agent = Agent(
        "w", None, openai(mock), tools=[weather.get_weather], tool_choice="required", max_steps=2
    )
    with pytest.raises(MaxStepsError, match="all 2 steps") as caught:
        run(agent, mode)
    assert len(caught.value.steps) == 2 and len(weather.calls) == 2
    assert [m["role"] for m in caught.value.messages] == ["user", *["assistant", "tool"] * 2]


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_stream_events_show_tool_calls_results_and_steps(mock: LLMockServer, mode: str) -> None:
    weather = Weather()
    seen = events(Agent("w", None, openai(mock), tools=[weather.get_weather]), mode, "Paris?")
    kinds = [type(e).__name__ for e in seen]
    start = kinds.index("ToolCallStart")
    assert kinds[0] == "StepStart" and kinds[start - 1] in ("StepStart", "TextDelta")
    end = kinds.index("ToolCallEnd")
    assert set(kinds[start + 1 : end]) <= {"ToolCallDelta"}
    assert kinds[end + 1 : end + 4] == ["ToolResult", "StepEnd", "StepStart"]
    assert kinds[-1] == "StepEnd" and "TextDelta" in kinds[end + 4 :]
    call = next(e for e in seen if isinstance(e, ToolCallEnd)).call
    started = next(e for e in seen if isinstance(e, ToolCallStart))
    assert (started.id, started.name) == (call["id"], "get_weather")
    assert json.loads(call["arguments"])["city"]
    result = next(e for e in seen if isinstance(e, ToolResult)).result
    assert result["call_id"] == call["id"]
    steps = [e.step for e in seen if isinstance(e, StepEnd)]
    assert [len(s.tool_results) for s in steps] == [1, 0]
    assert [e.index for e in seen if isinstance(e, StepStart)] == [0, 1]
    assert all(e.text for e in seen if isinstance(e, TextDelta))


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_a_streamed_tool_call_is_delivered_content(mock: LLMockServer, mode: str) -> None:
    # Cut after the call began: no silent switch to the second model, and no tool run.
    mock.state.scenarios.add(Reply(tool_calls=(ToolCall("get_weather", {"city": "Oslo"}),)))
    mock.state.scenarios.add(StreamFault("disconnect", after_chunks=2))
    weather = Weather()
    model = [{"model": openai(mock, "gpt-4o-mini")}, {"model": openai(mock, "gpt-4o")}]
    agent = Agent("w", None, model, tools=[weather.get_weather])  # type: ignore[arg-type]
    with pytest.raises(MidStreamError) as caught:
        run(agent, mode)
    assert caught.value.model_id == "openai/gpt-4o-mini"
    assert weather.calls == []
    assert [r.model for r in mock.state.journal.records()] == ["gpt-4o-mini"]


def test_an_async_tool_in_a_sync_call_is_a_clear_error(mock: LLMockServer) -> None:
    async def lookup(city: str) -> str:
        """Async lookup."""
        return city

    agent = Agent("w", None, openai(mock), tools=[lookup])
    with pytest.raises(Exception, match="'lookup' is async def: call agenerate/astream"):
        agent.generate("hi")
    with pytest.raises(Exception, match="async def"):
        agent.stream("hi")
    assert mock.state.journal.records() == []
