"""The Agent against llmock, an independent fake of the real providers' wire protocols."""

from __future__ import annotations

from collections.abc import Iterator
from typing import cast

import pytest
from llmock.scenarios import Fail, Reply, StreamFault
from llmock.testing import LLMockServer

from modelrouter._errors import MidStreamError, RateLimitError
from modelrouter._types import ModelConfig
from tests.integration.runtime.conftest import Sleeps, make_agent, run

# (model id, llmock provider, path under that provider's base)
PROTOCOLS = [
    ("openai/gpt-4o-mini", "openai", ""),
    ("anthropic/claude-haiku-4-5", "anthropic", "/v1"),
    ("google/gemini-2.5-flash", "gemini", "/v1beta"),
]


@pytest.fixture(scope="module")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


@pytest.fixture(params=PROTOCOLS, ids=[p[1] for p in PROTOCOLS])
def config(request: pytest.FixtureRequest, llmock: LLMockServer) -> ModelConfig:
    model_id, provider, suffix = request.param
    llmock.state.scenarios.clear()
    url = llmock.base_url(provider) + suffix
    return cast(ModelConfig, {"id": model_id, "url": url, "api_key": "test-key"})


def test_scripted_reply(config: ModelConfig, llmock: LLMockServer, mode: str) -> None:
    llmock.state.scenarios.add(Reply(text="Scripted answer from llmock"))
    result = run(make_agent(config), mode)
    assert result.text == "Scripted answer from llmock"
    assert result.model_id == config["id"]
    assert result.finish_reason == "stop"
    assert result.usage.input_tokens and result.usage.output_tokens


def test_rate_limit_then_answer(
    config: ModelConfig, llmock: LLMockServer, mode: str, sleeps: Sleeps
) -> None:
    llmock.state.scenarios.add(Fail(429, retry_after=1), Reply(text="after the wait"))
    result = run(make_agent(config, sleeps), mode)
    assert result.text == "after the wait"
    assert sleeps.calls == [1.0]
    assert [a.error_type for a in result.attempts] == ["RateLimitError", None]


def test_rate_limit_without_retries_raises(
    config: ModelConfig, llmock: LLMockServer, mode: str, sleeps: Sleeps
) -> None:
    llmock.state.scenarios.add(Fail(429, retry_after=1))
    with pytest.raises(RateLimitError) as caught:
        run(make_agent(config, sleeps, max_retries=0), mode)
    assert caught.value.retry_after == 1.0
    assert sleeps.calls == []


def test_503_falls_back_to_the_next_protocol(
    config: ModelConfig, llmock: LLMockServer, mode: str, sleeps: Sleeps
) -> None:
    other = cast(ModelConfig, {**config, "id": "openai/gpt-4o", "url": llmock.base_url("openai")})
    llmock.state.scenarios.add(Fail(503), Reply(text="second model"))
    agent = make_agent([{"model": config, "max_retries": 0}, {"model": other}], sleeps)
    result = run(agent, mode)
    assert (result.text, result.model_id) == ("second model", "openai/gpt-4o")


@pytest.mark.parametrize("stream_mode", ["stream", "astream"])
def test_truncated_stream_is_never_taken_as_complete(
    config: ModelConfig, llmock: LLMockServer, stream_mode: str
) -> None:
    llmock.state.scenarios.add(
        Reply(text="a long answer with many words in it"), StreamFault("truncate", after_chunks=6)
    )
    with pytest.raises(MidStreamError) as caught:
        run(make_agent(config), stream_mode)
    assert caught.value.partial_text
    assert "a long answer with many words in it".startswith(caught.value.partial_text)
