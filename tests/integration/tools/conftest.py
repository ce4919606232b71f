"""llmock for the tool-loop tests, a counting weather tool, and the four call modes."""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import Any, Literal

from llmock.testing import LLMockServer

from modelrouter._agent import Agent
from modelrouter._events import StreamEvent
from modelrouter._types import GenerateResult, ModelConfig
from tests.support.llmock import MODES, llmock, mock, mode, openai_config

__all__ = ["MODES", "Weather", "events", "llmock", "mock", "mode", "openai", "run"]


def openai(mock: LLMockServer, model: str = "gpt-4o-mini") -> ModelConfig:
    return openai_config(mock, model)


@dataclass
class Weather:
    """A weather tool that counts its calls (a tool must never run twice for one call)."""

    calls: list[str] = field(default_factory=list)
    then: Any = None
    """Run after each call: lets a test change the server between two steps."""

    def get_weather(self, city: str, unit: Literal["C", "F"] = "C") -> str:
        """Current weather for a city.

        Args:
            city: the city's name.
            unit: degrees Celsius or Fahrenheit.
        """
        self.calls.append(city)
        if self.then is not None:
            self.then()
        return f"Sunny, 18 {unit} in {city}"


def run(
    agent: Agent[Any], mode: str, prompt: Any = "What is the weather in Paris?", **kw: Any
) -> GenerateResult[Any]:
    """One call in `mode`; a stream's text must add up to its result's text."""
    if mode == "generate":
        with agent:
            return agent.generate(prompt, **kw)
    if mode == "stream":
        with agent, agent.stream(prompt, **kw) as stream:
            text = "".join(stream)
        assert text == "".join(s.text for s in stream.result.steps)
        return stream.result

    async def go() -> GenerateResult[Any]:
        try:
            if mode == "agenerate":
                return await agent.agenerate(prompt, **kw)
            async with agent.astream(prompt, **kw) as stream:
                text = "".join([t async for t in stream])
            assert text == "".join(s.text for s in stream.result.steps)
            return stream.result
        finally:
            await agent.aclose()

    try:
        return asyncio.run(go())
    finally:
        agent.close()


def events(agent: Agent[Any], mode: str, prompt: str) -> list[StreamEvent]:
    """Every event of a streamed call, sync or async."""
    if mode == "stream":
        with agent, agent.stream(prompt) as stream:
            return list(stream.events())

    async def go() -> list[StreamEvent]:
        async with agent, agent.astream(prompt) as stream:
            return [e async for e in stream.events()]

    return asyncio.run(go())
