"""When a tool loop resolves its model and reads its key (the promise `Loop.reuse` keeps).

Per call, each model is built (resolved, its key read) at its first attempt and reused by the
later steps it answers; any failed attempt makes the next one build afresh. Across calls
nothing is kept (tests/integration/runtime/test_agent_reuse.py: a key rotated between two
calls is sent by the second). The keys are read off the requests as they leave the client.
"""

from __future__ import annotations

import asyncio
import os
from collections.abc import Iterator
from typing import Any

import httpx
import pytest
from llmock.scenarios import Fail, Match
from llmock.testing import LLMockServer

from modelrouter._agent import Agent
from modelrouter._backoff import Decision
from modelrouter._errors import AuthenticationError
from modelrouter._testing import set_engine_hooks
from tests.integration.tools.conftest import Weather, run


class Sent:
    """The `authorization` header of every request, sync or async client alike."""

    def __init__(self) -> None:
        self.keys: list[str] = []
        # No keep-alive: the async client's connections must not outlive its event loop.
        fresh = httpx.Limits(max_keepalive_connections=0)
        self.client = httpx.Client(event_hooks={"request": [self.record]}, limits=fresh)
        hooks = {"request": [self.arecord]}
        self.async_client = httpx.AsyncClient(event_hooks=hooks, limits=fresh)

    def record(self, request: httpx.Request) -> None:
        self.keys.append(request.headers.get("authorization", ""))

    async def arecord(self, request: httpx.Request) -> None:
        self.record(request)

    def agent(self, model: Any, weather: Weather, **kwargs: Any) -> Agent[str]:
        agent: Agent[str] = Agent(
            "w",
            "Be brief.",
            model,
            tools=[weather.get_weather],
            client=self.client,
            async_client=self.async_client,
            **kwargs,
        )
        set_engine_hooks(agent, sleep=lambda seconds: None, async_sleep=_no_wait)
        return agent


async def _no_wait(seconds: float) -> None:
    return None


@pytest.fixture
def sent() -> Iterator[Sent]:
    recorder = Sent()
    yield recorder
    recorder.client.close()
    asyncio.run(recorder.async_client.aclose())


@pytest.fixture
def env_key(mock: LLMockServer, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "key-1")
    monkeypatch.setenv("OPENAI_BASE_URL", mock.base_url("openai"))


def _rotate(key: str) -> None:
    os.environ["OPENAI_API_KEY"] = key  # monkeypatch (env_key) restores it


@pytest.mark.usefixtures("env_key")
def test_later_steps_reuse_the_key_and_a_retry_reads_it_again(
    mock: LLMockServer, mode: str, sent: Sent
) -> None:
    # The tool rotates the key and breaks the server once: step 2's first try still sends the
    # key read at step 1 (the model is reused), its retry builds afresh and sends the new one.
    def then() -> None:
        _rotate("key-2")
        mock.state.scenarios.add(Fail(503))

    weather = Weather(then=then)
    result = run(sent.agent("openai/gpt-4o-mini", weather, max_retries=1), mode)
    assert len(weather.calls) == 1
    assert [a.error_type for a in result.attempts] == [None, "ServerError", None]
    assert sent.keys == ["Bearer key-1", "Bearer key-1", "Bearer key-2"]


@pytest.mark.usefixtures("env_key")
def test_a_retry_after_an_auth_failure_reads_the_key_again(
    mock: LLMockServer, mode: str, sent: Sent
) -> None:
    # A fallback_on hook that refreshes the key and retries a 401: the retry sends the fresh
    # key, and step 2 reuses it.
    mock.state.scenarios.add(Fail(401))

    def refresh(exc: Exception, decision: Decision) -> Decision:
        if isinstance(exc, AuthenticationError):
            _rotate("key-2")
            return Decision.RETRY
        return decision

    weather = Weather()
    agent = sent.agent("openai/gpt-4o-mini", weather, max_retries=1, fallback_on=refresh)
    result = run(agent, mode)
    assert [a.error_type for a in result.attempts] == ["AuthenticationError", None, None]
    assert sent.keys == ["Bearer key-1", "Bearer key-2", "Bearer key-2"]


def test_a_fallback_mid_loop_builds_the_next_model_with_its_own_key(
    mock: LLMockServer, mode: str, sent: Sent
) -> None:
    breaks = Fail(500, times=None, match=Match(model="gpt-4o-mini"))
    weather = Weather(then=lambda: mock.state.scenarios.add(breaks))
    url = mock.base_url("openai")
    model = [
        {"model": {"id": "openai/gpt-4o-mini", "url": url, "api_key": "key-a"}, "max_retries": 0},
        {"model": {"id": "openai/gpt-4o", "url": url, "api_key": "key-b"}},
    ]
    result = run(sent.agent(model, weather), mode)
    assert [s.model_id for s in result.steps] == ["openai/gpt-4o-mini", "openai/gpt-4o"]
    assert sent.keys == ["Bearer key-a", "Bearer key-a", "Bearer key-b"]
