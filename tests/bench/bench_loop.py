"""Issue 9: the agent loop's own cost per step against the same loop hand-written over raw httpx.

A loopback server answers a request without a tool result with one tool call, and one with a
tool result with text: a two-step loop. The hand-written loop does what a careful user would
(post, parse, validate the arguments with the same pydantic model, call the tool, append the
messages, post again). The tool's schema is already cached on both sides. Target: <= 1.05x.
Figures only; nothing here asserts on time. Run alone with `python -m tests.bench loop`.

Raw and routed loops alternate call by call, each call timed on its own, so drift and the
shared machine's stalls hit both sides alike; the figures are medians over every call, with
the range of the per-round ratios. Each call's CPU time on the calling thread is measured too:
it leaves out the loopback server's thread and the tool's worker thread and any wait, so
"router CPU per step" is the loop's own work even on a loaded machine.
"""

from __future__ import annotations

import asyncio
import json
import statistics
import time
from collections.abc import Awaitable, Callable
from typing import Any, cast

import httpx

from modelrouter._agent import Agent
from modelrouter._tools import FunctionTool, compile_tool
from modelrouter._types import ModelConfig
from tests.support.server import LoopbackServer, Reply, Request

ROUNDS = 11
PER_ROUND = 20

_CALL = {
    "choices": [
        {
            "message": {
                "role": "assistant",
                "content": None,
                "tool_calls": [
                    {
                        "id": "call_1",
                        "type": "function",
                        "function": {"name": "get_weather", "arguments": '{"city":"Paris"}'},
                    }
                ],
            },
            "finish_reason": "tool_calls",
        }
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 2},
}
_TEXT = {
    "choices": [{"message": {"role": "assistant", "content": "Sunny."}, "finish_reason": "stop"}],
    "usage": {"prompt_tokens": 9, "completion_tokens": 2},
}


def _handler(request: Request) -> Reply:
    messages = json.loads(request.body)["messages"]
    return Reply.json(_TEXT if messages[-1]["role"] == "tool" else _CALL)


def get_weather(city: str) -> str:
    """Current weather for a city."""
    return f"Sunny in {city}"


def _raw_start() -> tuple[FunctionTool, list[dict[str, Any]], list[dict[str, Any]]]:
    """What both hand-written loops send first: the same request the Agent sends."""
    tool = compile_tool(get_weather)  # cached: the same schema and validator the Agent uses
    tools = [
        {
            "type": "function",
            "function": {
                "name": tool.spec.name,
                "description": tool.spec.description,
                "parameters": tool.spec.parameters,
            },
        }
    ]
    messages: list[dict[str, Any]] = [
        {"role": "system", "content": "Be brief."},
        {"role": "user", "content": "Weather?"},
    ]
    return tool, tools, messages


_RAW_HEADERS = {"authorization": "Bearer k"}


def _raw_loop(client: httpx.Client, url: str) -> str:
    tool, tools, messages = _raw_start()
    while True:
        body = {"model": "m", "messages": messages, "tools": tools}
        answer = client.post(url + "/chat/completions", json=body, headers=_RAW_HEADERS).json()
        message = answer["choices"][0]["message"]
        calls = message.get("tool_calls")
        if not calls:
            return str(message["content"])
        messages.append({"role": "assistant", "content": None, "tool_calls": calls})
        for call in calls:
            args = tool.arguments.model_validate_json(call["function"]["arguments"])
            content = get_weather(**args.model_dump())
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": content})


Sample = tuple[float, float]
"""One call: wall seconds, CPU seconds of the calling thread."""


def _sample(fn: Callable[[], object]) -> Sample:
    start, cpu = time.perf_counter(), time.thread_time()
    fn()
    return time.perf_counter() - start, time.thread_time() - cpu


def _rounds(pair: Callable[[], tuple[Sample, Sample]]) -> list[list[tuple[Sample, Sample]]]:
    return [[pair() for _ in range(PER_ROUND)] for _ in range(ROUNDS)]


def bench_sync(url: str) -> list[list[tuple[Sample, Sample]]]:
    client = httpx.Client()
    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = Agent("bench", "Be brief.", config, client=client, tools=[get_weather])

    def raw() -> str:
        return _raw_loop(client, url)

    def routed() -> str:
        return agent.generate("Weather?").text

    raw()  # warm both
    routed()
    rounds = _rounds(lambda: (_sample(raw), _sample(routed)))
    client.close()
    return rounds


async def _araw_loop(client: httpx.AsyncClient, url: str) -> str:
    # The sync loop with awaits; the sync tool runs in a thread, as the Agent runs it.
    tool, tools, messages = _raw_start()
    while True:
        body = {"model": "m", "messages": messages, "tools": tools}
        response = await client.post(url + "/chat/completions", json=body, headers=_RAW_HEADERS)
        message = response.json()["choices"][0]["message"]
        calls = message.get("tool_calls")
        if not calls:
            return str(message["content"])
        messages.append({"role": "assistant", "content": None, "tool_calls": calls})
        for call in calls:
            args = tool.arguments.model_validate_json(call["function"]["arguments"])
            content = await asyncio.to_thread(get_weather, **args.model_dump())
            messages.append({"role": "tool", "tool_call_id": call["id"], "content": content})


async def bench_async(url: str) -> list[list[tuple[Sample, Sample]]]:
    client = httpx.AsyncClient()
    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = Agent("bench", "Be brief.", config, async_client=client, tools=[get_weather])

    async def sample(fn: Callable[[], Awaitable[object]]) -> Sample:
        start, cpu = time.perf_counter(), time.thread_time()
        await fn()
        return time.perf_counter() - start, time.thread_time() - cpu

    async def raw() -> str:
        return await _araw_loop(client, url)

    async def routed() -> str:
        return (await agent.agenerate("Weather?")).text

    await raw()
    await routed()
    rounds = [
        [(await sample(raw), await sample(routed)) for _ in range(PER_ROUND)] for _ in range(ROUNDS)
    ]
    await client.aclose()
    return rounds


def _report(name: str, rounds: list[list[tuple[Sample, Sample]]]) -> None:
    pairs = [pair for batch in rounds for pair in batch]
    raw = statistics.median(r[0] for r, _ in pairs)
    routed = statistics.median(a[0] for _, a in pairs)
    raw_cpu = statistics.median(r[1] for r, _ in pairs)
    routed_cpu = statistics.median(a[1] for _, a in pairs)
    ratios = sorted(
        statistics.median(a[0] for _, a in batch) / statistics.median(r[0] for r, _ in batch)
        for batch in rounds
    )
    print(
        f"loop ({name}, 2 steps, 1 tool call): raw httpx {raw * 1e6:.0f} us,"
        f" Agent {routed * 1e6:.0f} us, ratio {routed / raw:.3f}x (target <= 1.05x;"
        f" rounds {ratios[0]:.3f}-{ratios[-1]:.3f}); router work per step"
        f" {(routed - raw) / 2 * 1e6:.0f} us; router CPU per step (calling thread)"
        f" {(routed_cpu - raw_cpu) / 2 * 1e6:.0f} us"
    )


def main() -> None:
    with LoopbackServer(_handler) as server:
        url = server.url + "/v1"
        _report("sync", bench_sync(url))
        _report("async", asyncio.run(bench_async(url)))


if __name__ == "__main__":
    main()
