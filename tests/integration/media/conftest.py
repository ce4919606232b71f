"""Servers and call helpers for the media, reasoning and cost tests: every call mode."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, cast

import pytest
from llmock.simulation import MockResponseSettings
from llmock.testing import LLMockServer

from modelrouter import Agent, GenerateResult, ModelConfig, StreamEvent
from tests.fakes.providers import FakeProvider, Script
from tests.support.llmock import MODES, mode

__all__ = ["MODELS", "MODES", "llmock_config", "mode", "run", "scripted_config"]

# (model id, wire) answered by the scripted server; prices in tests/unit/media/test_cost.py.
MODELS = {
    "openai-chat": "openai/gpt-4o-mini",
    "anthropic": "anthropic/claude-haiku-4-5",
    "gemini": "google/gemini-2.5-flash",
}
# (llmock provider, path under its base) per wire.
LLMOCK = {
    "openai-chat": ("openai", ""),
    "anthropic": ("anthropic", "/v1"),
    "gemini": ("gemini", "/v1beta"),
}


@pytest.fixture(scope="package")
def llmock_server() -> Iterator[LLMockServer]:
    # "echo": the answer quotes the prompt, so an image OpenAI-style shows as "[image input]".
    with LLMockServer(responses=MockResponseSettings(response_style="echo")) as server:
        yield server


@pytest.fixture
def llmock(llmock_server: LLMockServer) -> LLMockServer:
    llmock_server.state.reset()
    return llmock_server


@pytest.fixture(scope="package")
def scripted_server() -> Iterator[FakeProvider]:
    with FakeProvider() as server:
        yield server


@pytest.fixture
def scripted(scripted_server: FakeProvider) -> FakeProvider:
    """The fake provider, reset; tests push `Script(render=Turn(...))` answers."""
    scripted_server.reset()
    # A request beyond the scripted turns fails the test rather than getting a stock answer.
    scripted_server.default = Script(status=500, error_message="no scripted turn left")
    return scripted_server


@pytest.fixture(params=list(MODELS))
def wire(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


def llmock_config(server: LLMockServer, model_id: str, wire: str) -> ModelConfig:
    provider, suffix = LLMOCK[wire]
    url = server.base_url(provider) + suffix
    return cast(ModelConfig, {"id": model_id, "url": url, "api_key": "test-key"})


def scripted_config(server: FakeProvider, wire: str) -> ModelConfig:
    config = {"id": MODELS[wire], "url": server.base_url(wire), "api_key": "test-key"}
    return cast(ModelConfig, config)


def run(agent: Agent[Any], mode: str, prompt: Any) -> tuple[GenerateResult[Any], list[StreamEvent]]:
    """One call in `mode`: its result and, for streams, every event (none for calls)."""
    if mode == "generate":
        with agent:
            return agent.generate(prompt), []
    if mode == "stream":
        with agent, agent.stream(prompt) as stream:
            events = list(stream.events())
        return stream.result, events

    async def go() -> tuple[GenerateResult[Any], list[StreamEvent]]:
        async with agent:
            if mode == "agenerate":
                return await agent.agenerate(prompt), []
            async with agent.astream(prompt) as astream:
                found = [e async for e in astream.events()]
            return astream.result, found

    return asyncio.run(go())
