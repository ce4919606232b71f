"""Responses API figures (issue 12): the router's call over `/responses` against raw httpx doing
the same work to the same loopback server, sync, async and streamed; and `embed` against a raw
`/embeddings` post.

Targets as for chat: per-call overhead ~0.97-1.01x raw (median), streaming >= 0.95x raw.
Figures only; nothing here asserts on time. Run alone with `python -m tests.bench responses`.
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
from modelrouter._embed import aembed, embed
from modelrouter._types import ModelConfig
from tests.support.server import LoopbackServer, Reply, Request

ROUNDS = 15
PER_ROUND = 40
STREAM_CHUNKS = 2000
STREAM_ROUNDS = 7

_USAGE = {
    "input_tokens": 5,
    "input_tokens_details": {"cached_tokens": 0},
    "output_tokens": 2,
    "output_tokens_details": {"reasoning_tokens": 0},
    "total_tokens": 7,
}
_ANSWER = {
    "id": "resp_1",
    "object": "response",
    "status": "completed",
    "output": [
        {
            "type": "message",
            "id": "msg_1",
            "role": "assistant",
            "status": "completed",
            "content": [{"type": "output_text", "text": "Hello there", "annotations": []}],
        }
    ],
    "usage": _USAGE,
}


def _sse(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


# Rendered once, so the figure measures the client's work per event, not the server thread's.
_STREAM_BODY = b"".join(
    [_sse("response.created", response={"status": "in_progress"})]
    + [
        _sse("response.output_text.delta", output_index=0, content_index=0, delta=f"tok{i} ")
        for i in range(STREAM_CHUNKS)
    ]
    + [_sse("response.completed", response={"status": "completed", "usage": _USAGE})]
)
_EMBEDDINGS = {
    "data": [{"index": i, "embedding": [0.25] * 256} for i in range(16)],
    "usage": {"prompt_tokens": 32},
}


def _handler(request: Request) -> Reply:
    if request.path.endswith("/embeddings"):
        return Reply.json(_EMBEDDINGS)
    if json.loads(request.body).get("stream"):
        return Reply(body=_STREAM_BODY, headers={"content-type": "text/event-stream"})
    return Reply.json(_ANSWER)


BODY = {"model": "gpt-5-pro", "input": [{"role": "user", "content": "Hi"}], "instructions": "Hi"}
HEADERS = {"authorization": "Bearer k", "user-agent": "bench"}


def _text(payload: Any) -> str:
    return "".join(
        part["text"]
        for item in payload["output"]
        if item["type"] == "message"
        for part in item["content"]
        if part["type"] == "output_text"
    )


def _per_call(fn: Callable[[], object], n: int) -> float:
    start = time.perf_counter()
    for _ in range(n):
        fn()
    return (time.perf_counter() - start) / n


def _pair(raw: Callable[[], object], routed: Callable[[], object]) -> tuple[float, float]:
    raw()
    routed()  # warm both paths: connections, imports, caches
    raws: list[float] = []
    routeds: list[float] = []
    for _ in range(ROUNDS):  # interleaved so drift hits both sides alike
        raws.append(_per_call(raw, PER_ROUND))
        routeds.append(_per_call(routed, PER_ROUND))
    return statistics.median(raws), statistics.median(routeds)


def _config(url: str) -> ModelConfig:
    # gpt-5-pro is Responses-only in the catalogue: the router picks /responses itself.
    return cast(ModelConfig, {"id": "openai/gpt-5-pro", "url": url, "api_key": "k"})


def bench_sync(url: str) -> tuple[float, float]:
    client = httpx.Client()
    agent = Agent("bench", "Hi", _config(url), client=client)

    def raw() -> str:
        return _text(client.post(url + "/responses", json=BODY, headers=HEADERS).json())

    try:
        return _pair(raw, lambda: agent.generate("Hi").text)
    finally:
        client.close()


def bench_async(url: str) -> tuple[float, float]:
    async def run() -> tuple[float, float]:
        client = httpx.AsyncClient()
        agent = Agent("bench", "Hi", _config(url), async_client=client)

        async def raw() -> str:
            response = await client.post(url + "/responses", json=BODY, headers=HEADERS)
            return _text(response.json())

        async def routed() -> str:
            return (await agent.agenerate("Hi")).text

        async def per_call(fn: Callable[[], Awaitable[str]]) -> float:
            start = time.perf_counter()
            for _ in range(PER_ROUND):
                await fn()
            return (time.perf_counter() - start) / PER_ROUND

        await raw()
        await routed()
        raws: list[float] = []
        routeds: list[float] = []
        for _ in range(ROUNDS):
            raws.append(await per_call(raw))
            routeds.append(await per_call(routed))
        await client.aclose()
        return statistics.median(raws), statistics.median(routeds)

    return asyncio.run(run())


def bench_stream(url: str) -> tuple[float, float]:
    """Median text chunks per second: raw httpx-sse decoding every event, and `Agent.stream`."""
    from httpx_sse import connect_sse

    client = httpx.Client()
    agent = Agent("bench", "Hi", _config(url), client=client)

    def raw() -> int:
        chunks: list[str] = []
        body = {**BODY, "stream": True}
        with connect_sse(client, "POST", url + "/responses", json=body, headers=HEADERS) as src:
            for event in src.iter_sse():
                payload = json.loads(event.data)
                if payload["type"] == "response.output_text.delta":
                    chunks.append(payload["delta"])
        "".join(chunks)
        return len(chunks)

    def routed() -> int:
        stream = agent.stream("Hi")
        count = sum(1 for _ in stream)
        stream.result.text
        return count

    rates: dict[Callable[[], int], list[float]] = {raw: [], routed: []}
    for fn in rates:
        fn()
    for _ in range(STREAM_ROUNDS):
        for fn, samples in rates.items():
            start = time.perf_counter()
            samples.append(fn() / (time.perf_counter() - start))
    client.close()
    raw_rate, routed_rate = (statistics.median(v) for v in rates.values())
    return raw_rate, routed_rate


def bench_embed(url: str) -> tuple[float, float]:
    client = httpx.Client()
    texts = [f"text {i}" for i in range(16)]
    config = cast(ModelConfig, {"id": "openai/text-embedding-3-small", "url": url, "api_key": "k"})
    body = {"model": "text-embedding-3-small", "input": texts, "encoding_format": "float"}

    def raw() -> int:
        data = client.post(url + "/embeddings", json=body, headers=HEADERS).json()["data"]
        return len([d["embedding"] for d in sorted(data, key=lambda d: d["index"])])

    try:
        return _pair(raw, lambda: embed(config, texts, client=client))
    finally:
        client.close()


def bench_aembed(url: str) -> tuple[float, float]:
    texts = [f"text {i}" for i in range(16)]
    config = cast(ModelConfig, {"id": "openai/text-embedding-3-small", "url": url, "api_key": "k"})
    body = {"model": "text-embedding-3-small", "input": texts, "encoding_format": "float"}

    async def run() -> tuple[float, float]:
        client = httpx.AsyncClient()

        async def raw() -> int:
            response = await client.post(url + "/embeddings", json=body, headers=HEADERS)
            data = response.json()["data"]
            return len([d["embedding"] for d in sorted(data, key=lambda d: d["index"])])

        async def routed() -> int:
            # aembed closes only a client it made itself: this one is the caller's.
            return len((await aembed(config, texts, client=client)).vectors)

        async def per_call(fn: Callable[[], Awaitable[int]]) -> float:
            start = time.perf_counter()
            for _ in range(PER_ROUND):
                await fn()
            return (time.perf_counter() - start) / PER_ROUND

        await raw()
        await routed()
        raws: list[float] = []
        routeds: list[float] = []
        for _ in range(ROUNDS):
            raws.append(await per_call(raw))
            routeds.append(await per_call(routed))
        await client.aclose()
        return statistics.median(raws), statistics.median(routeds)

    return asyncio.run(run())


def main() -> None:
    with LoopbackServer(_handler) as server:
        url = server.url + "/v1"
        for name, (raw, routed) in (
            ("generate", bench_sync(url)),
            ("agenerate", bench_async(url)),
            ("embed (16 texts)", bench_embed(url)),
            ("aembed (16 texts)", bench_aembed(url)),
        ):
            print(
                f"responses {name}: raw httpx {raw * 1e6:.0f} us, router {routed * 1e6:.0f} us,"
                f" ratio {routed / raw:.3f}x (target ~0.97-1.01x)"
            )
        raw_rate, routed_rate = bench_stream(url)
        print(
            f"responses stream: raw httpx-sse {raw_rate:,.0f} chunks/s, Agent.stream"
            f" {routed_rate:,.0f} chunks/s, ratio {routed_rate / raw_rate:.3f}x (target >= 0.95x)"
        )


if __name__ == "__main__":
    main()
