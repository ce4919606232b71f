"""The span tree, attributes and metrics of traced calls, in every call mode (llmock)."""

from __future__ import annotations

import logging
from typing import Any

import pytest
from llmock.scenarios import Fail, Match, Reply, ToolCall
from llmock.testing import LLMockServer

from modelrouter import ServerError
from modelrouter._agent import Agent
from tests.integration.telemetry.conftest import Otel, attrs, make_agent, parent_id, span_id, times
from tests.integration.tools.conftest import Weather, openai, run
from tests.support.llmock import no_backoff


def _retrying_agent(mock: LLMockServer, **kw: Any) -> Agent[str]:
    """gpt-4o-mini fails twice (its try and its one retry), then gpt-4o answers."""
    mock.state.scenarios.add(Fail(503, times=2, match=Match(model="gpt-4o-mini")))
    model = [
        {"model": openai(mock, "gpt-4o-mini"), "max_retries": 1},
        {"model": openai(mock, "gpt-4o")},
    ]
    agent: Agent[str] = make_agent("support-bot", "Be brief.", model, **kw)
    no_backoff(agent)
    return agent


def test_a_call_that_retried_fell_back_and_answered(
    mock: LLMockServer, otel: Otel, mode: str
) -> None:
    result = run(_retrying_agent(mock), mode)
    assert [a.error_type for a in result.attempts] == ["ServerError", "ServerError", None]

    (root,) = otel.named("invoke_agent")
    chats = otel.named("chat ")
    assert root.name == "invoke_agent support-bot"
    assert root.parent is None and root.kind.name == "INTERNAL"
    assert [c.name for c in chats] == ["chat gpt-4o-mini", "chat gpt-4o-mini", "chat gpt-4o"]
    for chat in chats:  # one trace: every attempt a child of the call's span
        assert parent_id(chat) == span_id(root)
        assert chat.context is not None and root.context is not None
        assert chat.context.trace_id == root.context.trace_id
        assert chat.kind.name == "CLIENT"
        given = attrs(chat)
        assert given["gen_ai.operation.name"] == "chat"
        assert given["gen_ai.provider.name"] == given["gen_ai.system"] == "openai"
        assert given["server.address"] == "127.0.0.1"
        assert given["server.port"] == int(mock.base_url("openai").split(":")[2].split("/")[0])
    first, retry, answer = (attrs(c) for c in chats)
    assert first["gen_ai.request.model"] == "gpt-4o-mini" and first["modelrouter.attempt"] == 1
    assert retry["modelrouter.attempt"] == 2
    for failed, span in ((first, chats[0]), (retry, chats[1])):
        assert failed["error.type"] == "ServerError"
        assert failed["http.response.status_code"] == 503
        assert span.status.status_code.name == "ERROR"
        assert "gen_ai.usage.input_tokens" not in failed
    assert "error.type" not in answer and chats[2].status.status_code.name == "UNSET"
    assert answer["gen_ai.request.model"] == "gpt-4o"
    assert answer["modelrouter.model_id"] == "openai/gpt-4o"
    if mode.endswith("generate"):  # stream parts carry no response model (yet)
        assert answer["gen_ai.response.model"].startswith("gpt-4o")
    assert answer["gen_ai.usage.input_tokens"] == result.usage.input_tokens
    assert answer["gen_ai.usage.output_tokens"] == result.usage.output_tokens
    assert tuple(answer["gen_ai.response.finish_reasons"]) == ("stop",)

    top = attrs(root)
    assert top["gen_ai.operation.name"] == "invoke_agent"
    assert top["gen_ai.agent.name"] == "support-bot"
    assert top["modelrouter.call"] == mode
    assert top["modelrouter.model_id"] == "openai/gpt-4o"
    assert top["modelrouter.attempts"] == 3 and top["modelrouter.steps"] == 1
    assert top["gen_ai.usage.output_tokens"] == result.usage.output_tokens

    durations = otel.points("gen_ai.client.operation.duration")
    failed_points = [p for p in durations if p.attributes.get("error.type") == "ServerError"]
    assert sum(p.count for p in failed_points) == 2
    ok = [p for p in durations if "error.type" not in p.attributes]
    assert sum(p.count for p in ok) == 1
    assert ok[0].attributes["gen_ai.request.model"] == "gpt-4o"
    assert ok[0].attributes["gen_ai.operation.name"] == "chat"
    tokens = {
        p.attributes["gen_ai.token.type"]: p for p in otel.points("gen_ai.client.token.usage")
    }
    assert tokens["input"].sum == result.usage.input_tokens
    assert tokens["output"].sum == result.usage.output_tokens
    assert tokens["output"].attributes["gen_ai.provider.name"] == "openai"


def test_retries_and_fallbacks_are_logged_with_fields(
    mock: LLMockServer, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter")
    run(_retrying_agent(mock), mode)
    records = [r for r in caplog.records if r.name == "modelrouter"]
    assert [getattr(r, "event", None) for r in records] == ["retry", "fallback"]
    retry, fallback = records
    assert retry.levelno == logging.INFO
    assert retry.__dict__["model_id"] == "openai/gpt-4o-mini"
    assert retry.__dict__["provider"] == "openai"
    assert retry.__dict__["error_type"] == "ServerError"
    assert retry.__dict__["status_code"] == 503
    assert retry.__dict__["attempt"] == 1 and retry.__dict__["delay_s"] >= 0
    assert fallback.__dict__["next_model_id"] == "openai/gpt-4o"
    assert fallback.__dict__["attempt"] == 2
    assert "Falling back from openai/gpt-4o-mini to openai/gpt-4o" in fallback.getMessage()


def test_a_tool_loop_gives_execute_tool_spans(mock: LLMockServer, otel: Otel, mode: str) -> None:
    weather = Weather()
    agent = make_agent("w", "Be brief.", openai(mock), tools=[weather.get_weather])
    result = run(agent, mode)
    assert len(result.steps) == 2
    (root,) = otel.named("invoke_agent")
    (tool,) = otel.named("execute_tool")
    chats = otel.named("chat ")
    assert len(chats) == 2
    assert tool.name == "execute_tool get_weather"
    assert parent_id(tool) == span_id(root)
    given = attrs(tool)
    assert given["gen_ai.operation.name"] == "execute_tool"
    assert given["gen_ai.tool.name"] == "get_weather"
    assert given["gen_ai.tool.call.id"] == result.steps[0].tool_calls[0]["id"]
    assert "gen_ai.tool.call.arguments" not in given  # content only when opted in
    # The tool ran between the two model calls, inside the call's span.
    assert times(chats[0])[1] <= times(tool)[0] and times(tool)[1] <= times(chats[1])[0]
    assert times(root)[0] <= times(chats[0])[0] and times(chats[1])[1] <= times(root)[1]
    top = attrs(root)
    assert top["modelrouter.steps"] == 2
    assert top["gen_ai.usage.input_tokens"] == result.usage.input_tokens


def test_a_failing_tool_marks_its_span(mock: LLMockServer, otel: Otel) -> None:
    def get_weather(city: str) -> str:
        """Current weather for a city."""
        raise RuntimeError("the weather service is down")

    agent = make_agent("w", None, openai(mock), tools=[get_weather])
    result = run(agent, "generate")
    assert result.steps[0].tool_results[0].get("is_error") is True
    (tool,) = otel.named("execute_tool")
    assert (tool.attributes or {})["error.type"] == "RuntimeError"
    assert tool.status.status_code.name == "ERROR"


def test_a_call_that_fails_ends_its_span_with_the_error(
    mock: LLMockServer, otel: Otel, mode: str
) -> None:
    mock.state.scenarios.add(Fail(500, times=None))
    agent = make_agent("bot", None, openai(mock), max_retries=0)
    with pytest.raises(ServerError):
        run(agent, mode)
    (root,) = otel.named("invoke_agent")
    (chat,) = otel.named("chat ")
    assert (root.attributes or {})["error.type"] == "ServerError"
    assert root.status.status_code.name == "ERROR"
    assert (chat.attributes or {})["error.type"] == "ServerError"


def test_a_stream_closed_early_still_ends_its_spans(mock: LLMockServer, otel: Otel) -> None:
    mock.state.scenarios.add(Reply("one two three four five six"))
    with make_agent("bot", None, openai(mock)) as agent, agent.stream("Hi") as stream:
        next(iter(stream))
    (root,) = otel.named("invoke_agent")
    (chat,) = otel.named("chat ")
    assert parent_id(chat) == span_id(root)
    assert root.end_time is not None and chat.end_time is not None


def test_spans_between_deltas_are_not_inside_the_stream(mock: LLMockServer, otel: Otel) -> None:
    # The caller's own work between two deltas belongs to the caller, not to our span.
    from opentelemetry import trace

    assert trace.get_current_span() is trace.INVALID_SPAN
    with make_agent("bot", None, openai(mock)) as agent:
        for _ in agent.stream("Hi"):
            assert trace.get_current_span() is trace.INVALID_SPAN


def test_uninstrument_stops_tracing(mock: LLMockServer, otel: Otel) -> None:
    import modelrouter

    modelrouter.uninstrument()
    run(make_agent("bot", None, openai(mock)), "generate")
    assert otel.spans() == []


def test_tool_calls_scenario_is_what_the_loop_runs(mock: LLMockServer, otel: Otel) -> None:
    # Two calls in one step: two execute_tool spans, siblings under the call.
    mock.state.scenarios.add(
        Reply(tool_calls=(ToolCall("get_weather", {"city": "Paris"}),) * 2, match=Match(tools=True))
    )
    weather = Weather()
    agent = make_agent("w", None, openai(mock), tools=[weather.get_weather])
    run(agent, "agenerate")
    tools = otel.named("execute_tool")
    (root,) = otel.named("invoke_agent")
    assert len(tools) == 2 and len(weather.calls) == 2
    assert {parent_id(t) for t in tools} == {span_id(root)}


def test_spans_a_tool_makes_nest_under_its_execute_tool_span(
    mock: LLMockServer, otel: Otel, mode: str
) -> None:
    from opentelemetry import trace

    tracer = trace.get_tracer("test", tracer_provider=otel.provider)

    def get_weather(city: str) -> str:
        """Current weather for a city."""
        with tracer.start_as_current_span("lookup"):
            return "Sunny"

    run(make_agent("w", None, openai(mock), tools=[get_weather]), mode)
    (tool,) = otel.named("execute_tool")
    (lookup,) = otel.named("lookup")
    assert parent_id(lookup) == span_id(tool)


def test_skips_and_cooldowns_log_and_mark_the_call(
    mock: LLMockServer, otel: Otel, caplog: pytest.LogCaptureFixture
) -> None:
    # The routing layer's calls, made here from inside a traced call (as the engine would).
    from modelrouter import _logs

    caplog.set_level(logging.INFO, logger="modelrouter")

    def get_weather(city: str) -> str:
        """Current weather for a city."""
        _logs.cooled_down("openai/gpt-4o", 30.0, "429", deployment="openai@api.openai.com")
        _logs.skipped("openai/gpt-4o", "cooldown", deployment="openai@api.openai.com")
        return "Sunny"

    run(make_agent("w", None, openai(mock), tools=[get_weather]), "generate")
    cooldown, skip = [r for r in caplog.records if r.name == "modelrouter"]
    assert cooldown.levelno == logging.WARNING and cooldown.__dict__["delay_s"] == 30.0
    assert cooldown.__dict__["event"] == "cooldown" and cooldown.__dict__["reason"] == "429"
    assert skip.__dict__["event"] == "skip" and skip.__dict__["reason"] == "cooldown"
    assert skip.__dict__["deployment"] == "openai@api.openai.com"
    assert skip.__dict__["provider"] == "openai"
    # Each record names the function of `_logs` that made it, not a helper inside it.
    assert (cooldown.funcName, skip.funcName) == ("cooled_down", "skipped")
    (root,) = otel.named("invoke_agent")
    (event,) = root.events
    assert event.name == "modelrouter.skip"
    assert dict(event.attributes or {}) == {
        "modelrouter.model_id": "openai/gpt-4o",
        "reason": "cooldown",
    }
