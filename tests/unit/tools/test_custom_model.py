"""A custom model written against BaseLanguageModel runs the whole loop in every mode."""

from __future__ import annotations

import asyncio
import threading
from typing import Any

import pytest

from modelrouter import Agent, BaseLanguageModel, GenerateResult, ModelRequest, ModelResponse
from modelrouter._parts import ToolCallPart, parts_of


class Scripted(BaseLanguageModel):
    """Asks for two weather calls, then answers with what the tool results said."""

    model_id = "mine/scripted"

    def __init__(self) -> None:
        self.requests: list[ModelRequest] = []

    def generate(self, request: ModelRequest) -> ModelResponse:
        self.requests.append(request)
        last = request.messages[-1]
        if last["role"] == "tool":
            texts: list[str] = []
            for part in parts_of(last["content"]):
                if part["type"] == "tool-result":
                    texts.append(part["content"])
            return ModelResponse(text=" / ".join(texts))
        calls: list[ToolCallPart] = [
            {"type": "tool-call", "id": f"c{i}", "name": "slow", "arguments": f'{{"city":"{c}"}}'}
            for i, c in enumerate(["Oslo", "Rome"])
        ]
        return ModelResponse(text="", tool_calls=calls, finish_reason="tool_calls")


def _run(agent: Agent[Any], mode: str) -> GenerateResult[Any]:
    if mode == "generate":
        return agent.generate("weather?")
    if mode == "stream":
        with agent.stream("weather?") as stream:
            list(stream)
        return stream.result

    async def go() -> GenerateResult[Any]:
        if mode == "agenerate":
            return await agent.agenerate("weather?")
        async with agent.astream("weather?") as stream:
            [t async for t in stream]
        return stream.result

    return asyncio.run(go())


@pytest.mark.parametrize("mode", ["generate", "agenerate", "stream", "astream"])
def test_a_base_language_model_runs_the_loop(mode: str) -> None:
    seen: list[str] = []

    def slow(city: str) -> str:
        """Weather."""
        seen.append(city)
        return f"{city}: sun"

    model = Scripted()
    result = _run(Agent("a", "sys", model, tools=[slow]), mode)
    assert result.text == "Oslo: sun / Rome: sun" and sorted(seen) == ["Oslo", "Rome"]
    assert [len(s.tool_calls) for s in result.steps] == [2, 0]
    assert model.requests[0].tools[0].name == "slow" and model.requests[0].timeout == 60.0
    # Each request keeps the conversation as it was sent: the loop appends to its own list.
    assert [len(r.messages) for r in model.requests] == [1, 3]


def test_async_parallel_calls_run_concurrently_and_sync_tools_off_the_loop() -> None:
    loop_threads: list[int] = []
    tool_threads: list[int] = []
    both_started = threading.Barrier(2, timeout=5)

    def slow(city: str) -> str:
        """Weather; waits until the other call has started too (it would hang if serial)."""
        tool_threads.append(threading.get_ident())
        both_started.wait()
        return f"{city}: sun"

    async def go() -> GenerateResult[Any]:
        loop_threads.append(threading.get_ident())
        return await Agent("a", None, Scripted(), tools=[slow]).agenerate("weather?")

    result = asyncio.run(go())
    assert result.text == "Oslo: sun / Rome: sun"
    assert loop_threads[0] not in tool_threads and len(set(tool_threads)) == 2


def test_async_tools_are_awaited_concurrently() -> None:
    async def slow(city: str) -> str:
        """Weather."""
        gate.append(city)
        while len(gate) < 2:  # both calls must be in flight at once
            await asyncio.sleep(0.001)
        return f"{city}: sun"

    gate: list[str] = []

    async def go() -> GenerateResult[Any]:
        agent = Agent("a", None, Scripted(), tools=[slow])
        return await asyncio.wait_for(agent.agenerate("weather?"), 5)

    assert asyncio.run(go()).text == "Oslo: sun / Rome: sun"


def test_schema_only_tools_hand_the_calls_back() -> None:
    from modelrouter import Tool

    agent = Agent("a", None, Scripted(), tools=[Tool("slow", "Weather.", {"type": "object"})])
    result = agent.generate("weather?")
    assert [c["id"] for c in result.tool_calls] == ["c0", "c1"] and len(result.steps) == 1
    results: list[Any] = [
        {"type": "tool-result", "call_id": c["id"], "name": c["name"], "content": "rain"}
        for c in result.tool_calls
    ]
    final = agent.generate([*result.messages, {"role": "tool", "content": results}])
    assert final.text == "rain / rain" and not final.tool_calls


class Meddling(Scripted):
    """Scripted, but it writes into each request's headers and options as it reads them."""

    def generate(self, request: ModelRequest) -> ModelResponse:
        sent = (dict(request.headers), dict(request.provider_options))
        self.sent.append(sent)
        request.headers["x-step"] = "changed by the model"  # type: ignore[index]
        request.provider_options["effort"] = "changed"  # type: ignore[index]
        return super().generate(request)

    def __init__(self) -> None:
        super().__init__()
        self.sent: list[tuple[dict[str, str], dict[str, Any]]] = []


def test_each_step_gets_its_own_headers_and_options_and_sees_the_agent_s_headers() -> None:
    model = Meddling()

    def slow(city: str) -> str:
        """Weather."""
        agent.headers["x-token"] = "fresh"  # a header rotated while the tools run
        return f"{city}: sun"

    agent = Agent(
        "a",
        "sys",
        model,
        tools=[slow],
        headers={"x-token": "old"},
        provider_options={"mine": {"effort": "low"}},
    )
    agent.generate("weather?")
    assert model.sent == [
        ({"x-token": "old"}, {"effort": "low"}),
        ({"x-token": "fresh"}, {"effort": "low"}),
    ]
