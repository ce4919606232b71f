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

    def routed() -> str:
        return agent.generate("Hi").text

    raw_times: list[float] = []
    agent_times: list[float] = []
    raw()
    routed()  # warm both paths: connections, imports, caches
    for _ in range(ROUNDS):  # interleaved so drift hits both sides alike
        raw_times.append(_median_per_call(raw, PER_ROUND))
        agent_times.append(_median_per_call(routed, PER_ROUND))
    client.close()
    return statistics.median(raw_times), statistics.median(agent_times)


def bench_stream(url: str) -> tuple[float, float, float]:
    """Median text chunks per second: raw httpx + httpx-sse, and `Agent.stream`.

    Like for like: the same client, request body and headers; both sides decode every event's
    JSON, keep each delta and join the whole text at the end (what `stream.result.text` gives).
    The third figure is raw httpx-sse decoding with `JSONDecoder.raw_decode`, the decoder the
    router uses, so the router's own per-event overhead can be read off without that saving.
    """
    from httpx_sse import connect_sse

    client = httpx.Client()
    body = {
        "model": "m",
        "messages": [{"role": "user", "content": "Hi"}],
        "stream": True,
        "stream_options": {"include_usage": True},
    }
    headers = {"authorization": "Bearer k"}

    def consume(loads: Callable[[str], Any]) -> int:
        count = 0
        chunks: list[str] = []
        with connect_sse(
            client, "POST", url + "/chat/completions", json=body, headers=dict(headers)
        ) as source:
            for event in source.iter_sse():
                if event.data == "[DONE]":
                    break
                delta = loads(event.data)["choices"][0]["delta"].get("content")
                if delta:
                    chunks.append(delta)
                    count += 1
        "".join(chunks)
        return count

    decode = json.JSONDecoder().raw_decode

    def raw() -> int:
        return consume(json.loads)

    def raw_same_decoder() -> int:
        return consume(lambda data: decode(data)[0])

    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = Agent("bench", None, config, client=client)

    def routed() -> int:
        count = 0
        stream = agent.stream("Hi")
        for _ in stream:
            count += 1
        stream.result.text
        return count

    rates: dict[Callable[[], int], list[float]] = {raw: [], routed: [], raw_same_decoder: []}
    for fn in rates:
        fn()  # warm: connection, imports, caches
    for _ in range(STREAM_ROUNDS):
        for fn, samples in rates.items():  # interleaved so drift hits every side alike
            start = time.perf_counter()
            chunks = fn()
            samples.append(chunks / (time.perf_counter() - start))
    client.close()
    raw_rate, routed_rate, same_rate = (statistics.median(v) for v in rates.values())
    return raw_rate, routed_rate, same_rate


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
        raw_rate, routed_rate, same_rate = bench_stream(url)
        print(
            f"stream: raw httpx-sse {raw_rate:,.0f} chunks/s, Agent.stream {routed_rate:,.0f} chunks/s, "
            f"ratio {routed_rate / raw_rate:.3f}x (target >= 0.95x); against raw with the "
            f"router's JSON decoder ({same_rate:,.0f} chunks/s) {routed_rate / same_rate:.3f}x"
        )
    print(f"resolve (cached): {bench_resolve() * 1e6:.2f} us (target <= 20 us)")


if __name__ == "__main__":
    main()
