"""No key, header value, prompt or answer reaches a span, a metric or a log line (unless opted in)."""

from __future__ import annotations

import logging
from collections.abc import Iterator
from typing import Any, cast

import pytest
from llmock.scenarios import Fail, Match, Reply, ToolCall
from llmock.testing import LLMockServer

from modelrouter._types import ModelConfig
from tests.integration.telemetry.conftest import Otel, make_agent
from tests.integration.tools.conftest import Weather, run
from tests.support.llmock import no_backoff

KEY = "sk-test-KEY-0a1b2c3d4e5f"
MODEL_HEADER = "hdr-model-VALUE-5f4e3d"
AGENT_HEADER = "hdr-agent-VALUE-9z8y7x"
PROMPT = "PROMPT-words-never-exported"
ANSWER = "ANSWER-words-never-exported"
SECRETS = (KEY, MODEL_HEADER, AGENT_HEADER)


def _config(mock: LLMockServer, model: str) -> ModelConfig:
    config = {
        "id": f"openai/{model}",
        "url": mock.base_url("openai"),
        "api_key": KEY,
        "headers": {"x-team-token": MODEL_HEADER},
    }
    return cast(ModelConfig, config)


def _call(mock: LLMockServer, mode: str) -> None:
    """A call that retried, fell back, ran a tool and answered, echoing secrets in its errors."""
    echo = f"bad request key={KEY} team={MODEL_HEADER} org={AGENT_HEADER} prompt={PROMPT}"
    mock.state.scenarios.add(Fail(503, message=echo, times=None, match=Match(model="gpt-4o-mini")))
    call = ToolCall("get_weather", {"city": "Paris"})
    mock.state.scenarios.add(Reply(tool_calls=(call,), match=Match(model="gpt-4o")))
    mock.state.scenarios.add(Reply(ANSWER, match=Match(model="gpt-4o")))
    model = [
        {"model": _config(mock, "gpt-4o-mini"), "max_retries": 1},
        {"model": _config(mock, "gpt-4o")},
    ]
    agent = make_agent(
        "bot",
        "Be brief.",
        model,
        headers={"x-org": AGENT_HEADER},
        tools=[Weather().get_weather],
    )
    no_backoff(agent)
    result = run(agent, mode, f"What is the weather? {PROMPT}")
    assert [a.error_type for a in result.attempts] == ["ServerError", "ServerError", None] * 2
    assert result.text == ANSWER and result.steps[0].tool_calls[0]["arguments"]


def _strings(value: Any) -> Iterator[str]:
    if isinstance(value, str):
        yield value
    elif isinstance(value, (list, tuple)):
        for item in value:
            yield from _strings(item)
    elif isinstance(value, dict) or hasattr(value, "items"):
        for key, item in value.items():
            yield str(key)
            yield from _strings(item)
    elif value is not None:
        yield str(value)


def _exported(otel: Otel, caplog: pytest.LogCaptureFixture) -> list[str]:
    """Every string a span, a metric point or a log record of the call carries."""
    texts: list[str] = []
    for span in otel.spans():
        texts.append(span.name)
        texts.extend(_strings(span.attributes))
        texts.append(span.status.description or "")
        for event in span.events:
            texts.append(event.name)
            texts.extend(_strings(event.attributes))
        for link in span.links:
            texts.extend(_strings(link.attributes))
    for metric in ("gen_ai.client.operation.duration", "gen_ai.client.token.usage"):
        for point in otel.points(metric):
            texts.extend(_strings(point.attributes))
    for record in caplog.records:
        texts.append(record.getMessage())
        texts.extend(_strings(record.__dict__))
    return texts


def test_no_secret_or_content_is_exported(
    mock: LLMockServer, otel: Otel, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.DEBUG)
    _call(mock, mode)
    texts = _exported(otel, caplog)
    assert len(otel.named("chat ")) == 6 and otel.named("execute_tool")
    assert any(getattr(r, "event", None) == "fallback" for r in caplog.records)
    for text in texts:
        for secret in (*SECRETS, PROMPT, ANSWER, "Paris"):
            assert secret not in text, f"{secret!r} exported in {text!r}"


def test_captured_content_still_holds_no_secret(
    mock: LLMockServer, otel_content: Otel, caplog: pytest.LogCaptureFixture, mode: str
) -> None:
    caplog.set_level(logging.DEBUG)
    _call(mock, mode)
    texts = _exported(otel_content, caplog)
    joined = "\n".join(texts)
    assert ANSWER in joined  # opted in: the answer, tool arguments and error messages
    assert "gen_ai.tool.call.arguments" in joined and "bad request" in joined
    for text in texts:
        for secret in SECRETS:
            assert secret not in text, f"{secret!r} exported in {text!r}"
