"""Router figures for issue 3: per-request overhead and streaming throughput over raw httpx to the
same loopback server, and the cost of resolving an id once it has been resolved before.

Targets: overhead <= 1.05x raw (median), streaming >= 0.95x raw, resolve <= 20 us. Figures only;
nothing here asserts on time. Run alone with `python -m tests.bench router`.
"""

from __future__ import annotations

import json
import os
import statistics
import time
from collections.abc import Callable
from typing import Any, cast

import httpx

from modelrouter._agent import Agent
from modelrouter._resolve import resolve_route
from modelrouter._types import ModelConfig
from tests.support.server import LoopbackServer, Reply, Request

ROUNDS = 15
PER_ROUND = 40
STREAM_CHUNKS = 2000
STREAM_ROUNDS = 7

_ANSWER = {
    "choices": [
        {"message": {"role": "assistant", "content": "Hello there"}, "finish_reason": "stop"}
    ],
    "usage": {"prompt_tokens": 5, "completion_tokens": 2},
}


def _stream_events() -> list[dict[str, Any]]:
    events: list[dict[str, Any]] = [
        {"choices": [{"index": 0, "delta": {"content": f"tok{i} "}}]} for i in range(STREAM_CHUNKS)
    ]
    events.append({"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    return events


# Rendered once: the server then writes the stream in one go, so the figure measures the
# client's work per event rather than the Python server thread's.
_STREAM_BODY = (
    b"".join(f"data: {json.dumps(event)}\n\n".encode() for event in _stream_events())
    + b"data: [DONE]\n\n"
)


def _handler(request: Request) -> Reply:
    if json.loads(request.body).get("stream"):
        return Reply(body=_STREAM_BODY, headers={"content-type": "text/event-stream"})
    return Reply.json(_ANSWER)


def _median_per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def bench_overhead(url: str) -> tuple[float, float]:
    """Median seconds per request: raw httpx doing the same work, and the Agent."""
    client = httpx.Client()
    body = {
        "model": "m",
        "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
    }
    headers = {"authorization": "Bearer k", "user-agent": "bench"}

    def raw() -> str:
        response = client.post(url + "/chat/completions", json=body, headers=headers)
        return str(response.json()["choices"][0]["message"]["content"])

    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = Agent("bench", "Be brief.", config, client=client)
    raw_times: list[float] = []
    agent_times: list[float] = []
    raw()
    agent.generate("Hi")  # warm both paths: connections, imports, caches
    for _ in range(ROUNDS):  # interleaved so drift hits both sides alike
        raw_times.append(_median_per_call(raw, PER_ROUND))
        agent_times.append(_median_per_call(lambda: agent.generate("Hi"), PER_ROUND))
    client.close()
    return statistics.median(raw_times), statistics.median(agent_times)


def bench_stream(url: str) -> tuple[float, float]:
    """Median text chunks per second: raw httpx + httpx-sse, and `Agent.stream`."""
    from httpx_sse import connect_sse

    client = httpx.Client()
    body = {"model": "m", "messages": [{"role": "user", "content": "Hi"}], "stream": True}

    def raw() -> int:
        count = 0
        with connect_sse(client, "POST", url + "/chat/completions", json=body) as source:
            for event in source.iter_sse():
                if event.data == "[DONE]":
                    break
                delta = json.loads(event.data)["choices"][0]["delta"].get("content")
                if delta:
                    count += 1
        return count

    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = Agent("bench", None, config, client=client)

    def routed() -> int:
        return sum(1 for _ in agent.stream("Hi"))

    raw_rates: list[float] = []
    agent_rates: list[float] = []
    raw()
    routed()
    for _ in range(STREAM_ROUNDS):
        for fn, rates in ((raw, raw_rates), (routed, agent_rates)):
            start = time.perf_counter()
            chunks = fn()
            rates.append(chunks / (time.perf_counter() - start))
    client.close()
    return statistics.median(raw_rates), statistics.median(agent_rates)


def bench_resolve() -> float:
    """Median seconds to resolve an id that was resolved before."""
    os.environ.setdefault("MODELROUTER_OFFLINE", "1")
    resolve_route("openai/gpt-4o")
    samples = [_median_per_call(lambda: resolve_route("openai/gpt-4o"), 10_000) for _ in range(5)]
    return statistics.median(samples)


def main() -> None:
    with LoopbackServer(_handler) as server:
        url = server.url + "/v1"
        raw, routed = bench_overhead(url)
        print(
            f"request: raw httpx {raw * 1e6:.0f} us, Agent.generate {routed * 1e6:.0f} us, "
            f"ratio {routed / raw:.3f}x (target <= 1.05x); router overhead {(routed - raw) * 1e6:.0f} us"
        )
        raw_rate, routed_rate = bench_stream(url)
        print(
            f"stream: raw httpx-sse {raw_rate:,.0f} chunks/s, Agent.stream {routed_rate:,.0f} chunks/s, "
            f"ratio {routed_rate / raw_rate:.3f}x (target >= 0.95x)"
        )
    print(f"resolve (cached): {bench_resolve() * 1e6:.2f} us (target <= 20 us)")


if __name__ == "__main__":
    main()
