"""The Responses API end to end against llmock: every call mode, tools, output, fallback, faults."""

from __future__ import annotations

import json

import pytest
from llmock.scenarios import Delay, Fail, Match, Reply, SlowFirstToken, StreamFault, ToolCall
from llmock.testing import LLMockServer
from pydantic import BaseModel

from modelrouter import MidStreamError, ProviderError, Timeouts, ToolCallEnd, ToolCallStart, image
from modelrouter._agent import Agent
from modelrouter._types import Message
from tests.integration.responses.conftest import openai, paths
from tests.integration.tools.conftest import Weather, events, run

RESPONSES = "/v1/responses"
CHAT = "/v1/chat/completions"


class Forecast(BaseModel):
    city: str
    high: float


def test_a_responses_only_model_answers_in_every_mode(mock: LLMockServer, mode: str) -> None:
    result = run(Agent("a", "Be brief.", openai(mock)), mode, "Hello")
    assert result.text and result.model_id == "openai/gpt-5-pro"
    assert result.usage.input_tokens and result.usage.output_tokens
    assert result.finish_reason == "stop"
    (sent,) = mock.state.journal.records()
    assert sent.path == RESPONSES
    assert sent.body["instructions"] == "Be brief."
    assert sent.body["input"] == [{"role": "user", "content": "Hello"}]


def test_tool_loop_in_every_mode(mock: LLMockServer, mode: str) -> None:
    weather = Weather()
    result = run(Agent("w", "Be brief.", openai(mock), tools=[weather.get_weather]), mode)
    assert len(weather.calls) == 1
    first, second = result.steps
    assert first.finish_reason == "tool_calls" and second.finish_reason == "stop"
    assert first.tool_results[0]["call_id"] == first.tool_calls[0]["id"]
    assert result.text == second.text and second.text
    assert [m["role"] for m in result.messages] == ["user", "assistant", "tool", "assistant"]
    bodies = [r.body for r in mock.state.journal.records()]
    assert paths(mock) == [RESPONSES, RESPONSES]
    assert bodies[0]["tools"][0]["name"] == "get_weather"  # flat function tools
    call, output = bodies[1]["input"][1:]
    assert call["type"] == "function_call" and call["call_id"] == first.tool_calls[0]["id"]
    assert output == {
        "type": "function_call_output",
        "call_id": call["call_id"],
        "output": first.tool_results[0]["content"],
    }


def test_structured_output_in_every_mode(mock: LLMockServer, mode: str) -> None:
    result = run(Agent("f", None, openai(mock), output_type=Forecast), mode)
    assert isinstance(result.output, Forecast)
    fmt = mock.state.journal.records()[0].body["text"]["format"]
    assert fmt["type"] == "json_schema" and fmt["name"] == "Forecast" and fmt["strict"] is True


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_stream_events_carry_the_call(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Reply(tool_calls=(ToolCall("get_weather", {"city": "Oslo"}),)))
    weather = Weather()
    seen = events(Agent("w", None, openai(mock), tools=[weather.get_weather]), mode, "Oslo?")
    started = next(e for e in seen if isinstance(e, ToolCallStart))
    ended = next(e for e in seen if isinstance(e, ToolCallEnd))
    assert (started.id, started.name) == (ended.call["id"], "get_weather")
    assert json.loads(ended.call["arguments"]) == {"city": "Oslo"}
    assert weather.calls == ["Oslo"]


def test_provider_options_opt_any_openai_model_in(mock: LLMockServer, mode: str) -> None:
    options = {"openai": {"api": "responses", "store": False}}
    agent = Agent("a", None, openai(mock, "gpt-4o"), provider_options=options)
    run(agent, mode, "Hi")
    (sent,) = mock.state.journal.records()
    assert sent.path == RESPONSES
    assert sent.body["store"] is False and "api" not in sent.body


def test_config_api_picks_either_protocol(mock: LLMockServer) -> None:
    run(Agent("a", None, openai(mock, "gpt-4o", api="responses")), "generate", "Hi")
    run(Agent("a", None, openai(mock, "gpt-5-pro", api="chat")), "generate", "Hi")
    assert paths(mock) == [RESPONSES, CHAT]


def test_fallback_from_responses_to_chat_and_back(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Fail(status=503, times=None, match=Match(path=RESPONSES)))
    model = [{"model": openai(mock), "max_retries": 0}, {"model": openai(mock, "gpt-4o")}]
    result = run(Agent("a", None, model), mode, "Hi")  # type: ignore[arg-type]
    assert result.model_id == "openai/gpt-4o"
    assert [a.error_type for a in result.attempts] == ["ServerError", None]
    mock.state.reset()
    mock.state.scenarios.add(Fail(status=503, times=None, match=Match(path=CHAT)))
    model = [{"model": openai(mock, "gpt-4o"), "max_retries": 0}, {"model": openai(mock)}]
    result = run(Agent("a", None, model), mode, "Hi")  # type: ignore[arg-type]
    assert result.model_id == "openai/gpt-5-pro" and result.text
    assert paths(mock) == [CHAT, RESPONSES]


@pytest.mark.parametrize("mode", ["stream", "astream"])
@pytest.mark.parametrize("kind", ["truncate", "malformed"])
def test_a_stream_broken_before_content_falls_back(
    mock: LLMockServer, mode: str, kind: str
) -> None:
    fault = StreamFault(kind, after_chunks=0, match=Match(path=RESPONSES))  # type: ignore[arg-type]
    mock.state.scenarios.add(fault)
    model = [{"model": openai(mock), "max_retries": 0}, {"model": openai(mock, "gpt-4o")}]
    result = run(Agent("a", None, model), mode, "Hi")  # type: ignore[arg-type]
    assert result.model_id == "openai/gpt-4o"
    assert result.attempts[0].error_type == "StreamError"


@pytest.mark.parametrize("mode", ["stream", "astream"])
def test_a_stream_cut_after_content_is_a_mid_stream_error(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Reply(text="one two three four five six seven eight"))
    mock.state.scenarios.add(StreamFault("truncate", after_chunks=5))
    model = [{"model": openai(mock), "max_retries": 0}, {"model": openai(mock, "gpt-4o")}]
    with pytest.raises(MidStreamError) as caught:
        run(Agent("a", None, model), mode, "Hi")  # type: ignore[arg-type]
    assert caught.value.model_id == "openai/gpt-5-pro"
    assert paths(mock) == [RESPONSES]  # no silent switch after content


@pytest.mark.parametrize("mode", ["generate", "agenerate"])
def test_an_error_answer_is_typed_and_names_the_model(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Fail(status=400, message="bad input", times=None))
    with pytest.raises(ProviderError, match="bad input") as caught:
        run(Agent("a", None, openai(mock)), mode, "Hi")
    assert caught.value.status == 400 and caught.value.model == "openai/gpt-5-pro"


def test_an_image_goes_as_an_input_image(mock: LLMockServer, mode: str) -> None:
    picture = image(b"\x89PNG\r\n\x1a\n" + b"\0" * 64, "image/png")
    prompt: list[Message] = [
        {"role": "user", "content": [{"type": "text", "text": "What is this?"}, picture]}
    ]
    result = run(Agent("a", None, openai(mock)), mode, prompt)
    assert result.text
    content = mock.state.journal.records()[0].body["input"][0]["content"]
    assert content[1]["type"] == "input_image"
    assert content[1]["image_url"].startswith("data:image/png;base64,iVBORw0KGgo")


def test_a_slow_responses_model_times_out_and_falls_back(mock: LLMockServer, mode: str) -> None:
    # llmock holds the answer (or, streamed, the first token) for 5 s; the attempt has 0.5 s.
    mock.state.scenarios.add(Delay(5.0, match=Match(path=RESPONSES, stream=False)))
    mock.state.scenarios.add(SlowFirstToken(5.0, match=Match(path=RESPONSES, stream=True)))
    model = [{"model": openai(mock), "max_retries": 0}, {"model": openai(mock, "gpt-4o")}]
    agent = Agent("a", None, model, timeout=Timeouts(attempt=0.5))  # type: ignore[arg-type]
    result = run(agent, mode, "Hi")
    assert result.model_id == "openai/gpt-4o"
    assert result.attempts[0].error_type == "ProviderTimeoutError"
