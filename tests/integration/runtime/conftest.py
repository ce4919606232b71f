"""Fixtures for router tests: the fake provider, one case per wire protocol, twin runners."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from dataclasses import dataclass
from typing import Any

import pytest

from modelrouter._agent import Agent
from modelrouter._types import GenerateResult
from modelrouter._testing import set_engine_hooks
from tests.fakes.providers import FakeProvider


@dataclass(frozen=True)
class Case:
    """One provider and what its requests must look like."""

    model_id: str
    wire: str
    key_env: str
    base_env: str
    key_header: str
    key_value: str

    def header_value(self, key: str) -> str:
        return f"Bearer {key}" if self.key_header == "authorization" else key


CASES = [
    Case(
        "openai/gpt-4o",
        "openai-chat",
        "OPENAI_API_KEY",
        "OPENAI_BASE_URL",
        "authorization",
        "sk-openai-test-1234567890",
    ),
    Case(
        "anthropic/claude-sonnet-4-5",
        "anthropic",
        "ANTHROPIC_API_KEY",
        "ANTHROPIC_BASE_URL",
        "x-api-key",
        "sk-ant-test-1234567890",
    ),
    Case(
        "google/gemini-2.5-pro",
        "gemini",
        "GEMINI_API_KEY",
        "GOOGLE_BASE_URL",
        "x-goog-api-key",
        "AIza-google-test-123456",
    ),
    Case(
        "groq/llama-3.3-70b-versatile",
        "openai-chat",
        "GROQ_API_KEY",
        "GROQ_BASE_URL",
        "authorization",
        "gsk-groq-test-1234567890",
    ),
]

MODES = ["generate", "agenerate", "stream", "astream"]


@pytest.fixture(scope="session")
def _fake_server() -> Iterator[FakeProvider]:
    # One server for the session: shutting one down costs half a second of polling.
    with FakeProvider() as server:
        yield server


@pytest.fixture
def fake(_fake_server: FakeProvider) -> FakeProvider:
    _fake_server.reset()
    return _fake_server


@pytest.fixture(params=CASES, ids=[c.model_id.split("/")[0] for c in CASES])
def case(request: pytest.FixtureRequest) -> Case:
    result: Case = request.param
    return result


@pytest.fixture
def routed(case: Case, fake: FakeProvider, monkeypatch: pytest.MonkeyPatch) -> Case:
    """`case`, with its key and base-URL variables pointing at the fake."""
    monkeypatch.setenv(case.key_env, case.key_value)
    monkeypatch.setenv(case.base_env, fake.base_url(case.wire))
    return case


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


class Sleeps:
    """Records the waits the engine asked for instead of waiting."""

    def __init__(self) -> None:
        self.calls: list[float] = []

    def __call__(self, seconds: float) -> None:
        self.calls.append(seconds)

    async def asleep(self, seconds: float) -> None:
        self.calls.append(seconds)


@pytest.fixture
def sleeps() -> Sleeps:
    return Sleeps()


def make_agent(model: Any, sleeps: Sleeps | None = None, **kwargs: Any) -> Agent:
    agent = Agent("test-agent", kwargs.pop("instructions", "Be brief."), model, **kwargs)
    if sleeps is not None:
        set_engine_hooks(agent, sleep=sleeps, async_sleep=sleeps.asleep)
    return agent


def run(agent: Agent, mode: str, prompt: Any = "Hello", **kwargs: Any) -> GenerateResult:
    """Call `agent` the way `mode` says; streamed text must add up to the result's text."""
    if mode == "generate":
        with agent:
            return agent.generate(prompt, **kwargs)
    if mode == "stream":
        with agent, agent.stream(prompt, **kwargs) as stream:
            chunks = list(stream)
        assert "".join(chunks) == stream.result.text
        return stream.result

    async def go() -> GenerateResult:
        try:
            if mode == "agenerate":
                return await agent.agenerate(prompt, **kwargs)
            async with agent.astream(prompt, **kwargs) as stream:
                chunks = [c async for c in stream]
            assert "".join(chunks) == stream.result.text
            return stream.result
        finally:
            await agent.aclose()

    return asyncio.run(go())
