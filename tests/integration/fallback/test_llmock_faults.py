"""Fallback against an independent server: llmock's fault injection (429 with retry-after,
503, truncated and dropped streams), the Agent in every mode."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
from llmock.scenarios import Fail, Match, StreamFault
from llmock.testing import LLMockServer

from modelrouter._errors import FallbackExhaustedError, MidStreamError
from modelrouter._types import FallbackEntry, ModelConfig

from .conftest import MODES, STREAM_MODES, Sleeps, ask, collect_stream, make_agent

pytestmark = pytest.mark.anyio

PRIMARY = "gpt-4o"
BACKUP = "gpt-4o-mini"


@pytest.fixture(scope="module")
def _llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


@pytest.fixture
def llmock(_llmock: LLMockServer) -> LLMockServer:
    _llmock.state.scenarios.clear()
    return _llmock


def entries(server: LLMockServer, primary_retries: int) -> list[FallbackEntry]:
    url = server.base_url("openai")
    primary: ModelConfig = {"id": "openai/gpt-4o", "url": url, "api_key": "sk-llmock-primary"}
    backup: ModelConfig = {"id": "openai/gpt-4o-mini", "url": url, "api_key": "sk-llmock-backup"}
    return [{"model": primary, "max_retries": primary_retries}, {"model": backup, "max_retries": 0}]


def only(model: str) -> Match:
    return Match(model=model)


@pytest.mark.parametrize("mode", MODES)
async def test_429_with_retry_after_is_waited_out(
    mode: str, llmock: LLMockServer, sleeps: Sleeps
) -> None:
    llmock.state.scenarios.add(Fail(429, retry_after=1, match=only(PRIMARY)))
    result = await ask(make_agent(entries(llmock, 1), sleeps), mode)
    assert result.model_id == "openai/gpt-4o"
    assert result.text
    assert sleeps.seconds == [1.0]
    assert [a.error_type for a in result.attempts] == ["RateLimitError", None]


@pytest.mark.parametrize("mode", MODES)
async def test_429_on_a_model_without_retries_falls_back_at_once(
    mode: str, llmock: LLMockServer, sleeps: Sleeps
) -> None:
    llmock.state.scenarios.add(Fail(429, retry_after=1, match=only(PRIMARY)))
    result = await ask(make_agent(entries(llmock, 0), sleeps), mode)
    assert result.model_id == "openai/gpt-4o-mini"
    assert sleeps.seconds == []


@pytest.mark.parametrize("mode", MODES)
async def test_503_retries_then_falls_back(mode: str, llmock: LLMockServer, sleeps: Sleeps) -> None:
    llmock.state.scenarios.add(Fail(503, retry_after=2, times=None, match=only(PRIMARY)))
    result = await ask(make_agent(entries(llmock, 2), sleeps), mode)
    assert result.model_id == "openai/gpt-4o-mini"
    assert [a.error_type for a in result.attempts] == ["ServerError"] * 3 + [None]
    assert sleeps.seconds == [2.0, 2.0]  # the 503's own retry-after, twice


@pytest.mark.parametrize("mode", MODES)
async def test_503_everywhere_exhausts(mode: str, llmock: LLMockServer, sleeps: Sleeps) -> None:
    llmock.state.scenarios.add(Fail(503, times=None))
    with pytest.raises(FallbackExhaustedError) as caught:
        await ask(make_agent(entries(llmock, 1), sleeps), mode)
    assert len(caught.value.exceptions) == 2
    assert len(caught.value.attempts) == 3


@pytest.mark.parametrize("mode", STREAM_MODES)
@pytest.mark.parametrize("kind", ["truncate", "disconnect"])
async def test_stream_broken_before_content_falls_back(
    mode: str, kind: str, llmock: LLMockServer, sleeps: Sleeps
) -> None:
    fault = StreamFault(kind, after_chunks=0, match=Match(model=PRIMARY, stream=True))  # type: ignore[arg-type]
    llmock.state.scenarios.add(fault)
    result = await ask(make_agent(entries(llmock, 0), sleeps), mode)
    assert result.model_id == "openai/gpt-4o-mini"
    assert result.attempts[0].error_type is not None


@pytest.mark.parametrize("mode", STREAM_MODES)
@pytest.mark.parametrize("kind", ["truncate", "disconnect"])
async def test_stream_broken_after_content_is_a_mid_stream_error(
    mode: str, kind: str, llmock: LLMockServer, sleeps: Sleeps
) -> None:
    fault = StreamFault(kind, after_chunks=3, match=Match(model=PRIMARY, stream=True))  # type: ignore[arg-type]
    llmock.state.scenarios.add(fault)
    received: list[str] = []
    with pytest.raises(MidStreamError) as caught:
        await collect_stream(make_agent(entries(llmock, 2), sleeps), mode, received)
    assert caught.value.model_id == "openai/gpt-4o"
    assert caught.value.partial_text == "".join(received) != ""
