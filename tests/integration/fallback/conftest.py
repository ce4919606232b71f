"""Agents with fallback lists against real loopback providers, run in all four call modes."""

from __future__ import annotations

from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

import pytest

from modelrouter._agent import Agent
from modelrouter._backoff import RetryPolicy
from modelrouter._testing import set_engine_hooks
from modelrouter._types import FallbackEntry, GenerateResult, ModelConfig, ModelId
from tests.fakes.providers import FakeProvider, Script

MODES = ["generate", "agenerate", "stream", "astream"]
STREAM_MODES = ["stream", "astream"]
NO_JITTER = RetryPolicy(backoff_base=0.25, jitter=0.0)


@dataclass(frozen=True)
class Model:
    """One fallback entry's provider: its own fake server, id, wire protocol and key."""

    model_id: ModelId
    wire: str
    key: str
    fake: FakeProvider

    def entry(
        self,
        max_retries: int,
        headers: Mapping[str, str] | None = None,
        *,
        config_headers: Mapping[str, str] | None = None,
        api_key: str | None = None,
    ) -> FallbackEntry:
        """This model as a fallback entry; `headers` on the entry, `config_headers` on its config.

        Tests set config fields here, never by indexing `entry["model"]`: that value is typed
        as every model spec at once, and mypy takes minutes over an error it must then ignore.
        """
        config: ModelConfig = {
            "id": self.model_id,
            "url": self.fake.base_url(self.wire),
            "api_key": self.key if api_key is None else api_key,
        }
        if config_headers is not None:
            config["headers"] = config_headers
        entry: FallbackEntry = {"model": config, "max_retries": max_retries}
        if headers is not None:
            entry["headers"] = headers
        return entry


@dataclass
class Sleeps:
    """Records every backoff instead of waiting."""

    seconds: list[float] = field(default_factory=list)

    def sleep(self, seconds: float) -> None:
        self.seconds.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.seconds.append(seconds)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture(scope="module")
def _servers() -> Iterator[tuple[FakeProvider, FakeProvider, FakeProvider]]:
    # Shared by a module's tests: each server takes ~0.5 s to shut down (its poll interval).
    with FakeProvider() as a, FakeProvider() as b, FakeProvider() as c:
        yield a, b, c


@pytest.fixture
def models(
    _servers: tuple[FakeProvider, FakeProvider, FakeProvider],
) -> tuple[Model, Model, Model]:
    """Three providers on three servers, each speaking its own wire protocol; fresh scripts."""
    for fake in _servers:
        fake.scripts.clear()
        fake.requests.clear()
        fake.default = Script()
    a, b, c = _servers
    return (
        Model("openai/gpt-4o", "openai-chat", "sk-first-aaaaaaaaaaaaaaaa", a),
        Model("anthropic/claude-sonnet-4-5", "anthropic", "sk-second-bbbbbbbbbbbbbb", b),
        Model("google/gemini-2.5-pro", "gemini", "AIza-third-cccccccccccccc", c),
    )


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_agent(entries: Sequence[FallbackEntry], sleeps: Sleeps, **kwargs: Any) -> Agent:
    kwargs.setdefault("retry_policy", NO_JITTER)
    agent = Agent(name="resilient", instructions="Answer briefly.", model=list(entries), **kwargs)
    set_engine_hooks(agent, sleep=sleeps.sleep, async_sleep=sleeps.asleep)
    return agent


async def ask(agent: Agent, mode: str, prompt: str = "hi") -> GenerateResult:
    """One call in `mode`, then close the agent's clients; streams must match their result."""
    try:
        return await _ask(agent, mode, prompt)
    finally:
        await agent.aclose()


async def _ask(agent: Agent, mode: str, prompt: str) -> GenerateResult:
    if mode == "generate":
        return agent.generate(prompt)
    if mode == "agenerate":
        return await agent.agenerate(prompt)
    if mode == "stream":
        with agent.stream(prompt) as stream:
            text = "".join(stream)
            result = stream.result
    else:
        async with agent.astream(prompt) as astream:
            text = "".join([chunk async for chunk in astream])
            result = astream.result
    assert result.text == text
    return result


async def collect_stream(agent: Agent, mode: str, received: list[str]) -> None:
    """Drain a stream into `received` (kept when it raises part way), then close the agent."""
    try:
        if mode == "stream":
            for chunk in agent.stream("hi"):
                received.append(chunk)
        else:
            async for chunk in agent.astream("hi"):
                received.append(chunk)
    finally:
        await agent.aclose()
