"""Router figures for the request paths `bench_router` leaves out (issues 9 and 10).

- sync generate on a chunked body (no Content-Length: the body's end is not known at the
  first chunk, the path that used to arm a timer thread),
- async generate,
- sync stream with `first_chunk` set (the other path that used to arm a timer thread),
- async stream,
each against raw httpx (+ httpx-sse) doing the same work on the same loopback server, and
- 1,000 concurrent async calls through one Agent against raw `httpx.AsyncClient()` with its
  own default limits.

Figures only; nothing here asserts on time. Run with `python -m tests.bench router`.
"""

from __future__ import annotations

import asyncio
import json
import socket
import statistics
import subprocess
import sys
import time
from collections.abc import Awaitable, Callable, Iterator
from contextlib import contextmanager
from typing import Any, cast

import httpx

from modelrouter._agent import Agent
from modelrouter._fallback import Timeouts
from modelrouter._types import ModelConfig
from tests.support.server import LoopbackServer, Reply, Request

ROUNDS = 5
PER_ROUND = 20
STREAM_CHUNKS = 500
CONCURRENT = 1000
ANSWER_SECONDS = 0.25
BURST_CAP = 240.0

_ANSWER = json.dumps(
    {
        "choices": [
            {"message": {"role": "assistant", "content": "Hello there"}, "finish_reason": "stop"}
        ],
        "usage": {"prompt_tokens": 5, "completion_tokens": 2},
    }
).encode()

_STREAM_BODY = (
    b"".join(
        f"data: {json.dumps({'choices': [{'index': 0, 'delta': {'content': f'tok{i} '}}]})}\n\n".encode()
        for i in range(STREAM_CHUNKS)
    )
    + b'data: {"choices":[{"index":0,"delta":{},"finish_reason":"stop"}]}\n\n'
    + b"data: [DONE]\n\n"
)
_BODY = {"model": "m", "messages": [{"role": "user", "content": "Hi"}]}
_HEADERS = {"authorization": "Bearer k"}


def _handler(request: Request) -> Reply:
    if json.loads(request.body).get("stream"):
        return Reply(body=_STREAM_BODY, headers={"content-type": "text/event-stream"})
    # Two chunks under chunked transfer encoding: the end is only known at the last one.
    half = len(_ANSWER) // 2
    return Reply(
        body=iter([_ANSWER[:half], _ANSWER[half:]]), headers={"content-type": "application/json"}
    )


def _config(url: str) -> ModelConfig:
    return cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})


def _sample(fn: Callable[[], object]) -> tuple[float, float]:
    # Wall and CPU time (this process: client and server threads, alike on both sides; on a
    # shared machine CPU time is the steadier figure).
    start, cpu = time.perf_counter(), time.process_time()
    fn()
    return time.perf_counter() - start, time.process_time() - cpu


Figures = tuple[float, float, float, float]
"""Median wall seconds per call raw and routed, then CPU seconds raw and routed."""


def _medians(raws: list[tuple[float, float]], routeds: list[tuple[float, float]]) -> Figures:
    return (
        statistics.median(r[0] for r in raws),
        statistics.median(r[0] for r in routeds),
        statistics.median(r[1] for r in raws),
        statistics.median(r[1] for r in routeds),
    )


def _show(what: str, figures: Figures) -> None:
    raw, routed, raw_cpu, routed_cpu = figures
    print(
        f"{what}: raw {raw * 1e6:,.0f} us, Agent {routed * 1e6:,.0f} us, ratio"
        f" {routed / raw:.3f}x; CPU raw {raw_cpu * 1e6:,.0f} us, Agent {routed_cpu * 1e6:,.0f} us,"
        f" ratio {routed_cpu / raw_cpu:.3f}x"
    )


def _pair(raw: Callable[[], object], routed: Callable[[], object]) -> Figures:
    raw()
    routed()
    raws, routeds = [], []
    # Call by call, each timed on its own: drift and the shared machine's stalls hit both
    # sides alike (blocks of calls per side let one stall land on one side only).
    for _ in range(ROUNDS * PER_ROUND):
        raws.append(_sample(raw))
        routeds.append(_sample(routed))
    return _medians(raws, routeds)


def _sse_text(lines: list[str]) -> str:
    chunks: list[str] = []
    for line in lines:
        if line.startswith("data: ") and line != "data: [DONE]":
            delta = json.loads(line[6:])["choices"][0]["delta"].get("content")
            if delta:
                chunks.append(delta)
    return "".join(chunks)


def bench_sync(url: str) -> None:
    from httpx_sse import connect_sse

    client = httpx.Client()

    def raw_call() -> Any:
        return client.post(url + "/chat/completions", json=_BODY, headers=_HEADERS).json()

    agent = Agent("bench", None, _config(url), client=client)
    _show("sync generate (chunked body)", _pair(raw_call, lambda: agent.generate("Hi").text))

    def raw_stream() -> str:
        body = {**_BODY, "stream": True}
        with connect_sse(
            client, "POST", url + "/chat/completions", json=body, headers=_HEADERS
        ) as source:
            return _sse_text([f"data: {e.data}" for e in source.iter_sse()])

    timeouts = Timeouts(attempt=60.0, first_chunk=30.0)
    streamer = Agent("bench", None, _config(url), client=client, timeout=timeouts)

    def routed_stream() -> str:
        stream = streamer.stream("Hi")
        "".join(stream)
        return stream.result.text

    _show(
        f"sync stream (first_chunk set, {STREAM_CHUNKS} chunks)", _pair(raw_stream, routed_stream)
    )
    client.close()


async def _apair(
    raw: Callable[[], Awaitable[object]], routed: Callable[[], Awaitable[object]]
) -> Figures:
    async def sample(fn: Callable[[], Awaitable[object]]) -> tuple[float, float]:
        start, cpu = time.perf_counter(), time.process_time()
        await fn()
        return time.perf_counter() - start, time.process_time() - cpu

    await raw()
    await routed()
    raws, routeds = [], []
    for _ in range(ROUNDS * PER_ROUND):  # call by call, as `_pair`
        raws.append(await sample(raw))
        routeds.append(await sample(routed))
    return _medians(raws, routeds)


async def bench_async(url: str) -> None:
    from httpx_sse import aconnect_sse

    client = httpx.AsyncClient()

    async def raw_call() -> Any:
        response = await client.post(url + "/chat/completions", json=_BODY, headers=_HEADERS)
        return response.json()

    agent = Agent("bench", None, _config(url), async_client=client)

    async def routed_call() -> str:
        return (await agent.agenerate("Hi")).text

    _show("async generate", await _apair(raw_call, routed_call))

    async def raw_stream() -> str:
        body = {**_BODY, "stream": True}
        async with aconnect_sse(
            client, "POST", url + "/chat/completions", json=body, headers=_HEADERS
        ) as source:
            return _sse_text([f"data: {e.data}" async for e in source.aiter_sse()])

    async def routed_stream() -> str:
        async with agent.astream("Hi") as stream:
            "".join([chunk async for chunk in stream])
            return stream.result.text

    _show(f"async stream ({STREAM_CHUNKS} chunks)", await _apair(raw_stream, routed_stream))
    await client.aclose()


async def asgi_app(scope: dict[str, Any], receive: Any, send: Any) -> None:
    """The burst's server: a bare ASGI app under uvicorn, in its own process."""
    if scope["type"] != "http":
        return
    while (await receive()).get("more_body"):
        pass
    await asyncio.sleep(ANSWER_SECONDS)  # a model takes a while to answer
    headers = [(b"content-type", b"application/json")]
    await send({"type": "http.response.start", "status": 200, "headers": headers})
    await send({"type": "http.response.body", "body": _ANSWER})


@contextmanager
def _uvicorn() -> Iterator[str]:
    # The threaded test server's listen backlog (5) resets a 1,000-call burst; uvicorn's doesn't.
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    command = [sys.executable, "-m", "uvicorn", "tests.bench.bench_router_paths:asgi_app"]
    command += ["--port", str(port), "--log-level", "warning", "--backlog", "4096"]
    process = subprocess.Popen(command)
    try:
        url = f"http://127.0.0.1:{port}"
        for _ in range(200):
            try:
                httpx.get(url)
                break
            except httpx.TransportError:
                time.sleep(0.05)
        yield url + "/v1"
    finally:
        process.terminate()
        process.wait(10)


async def bench_concurrent(url: str) -> None:
    """Wall time for CONCURRENT calls at once: raw httpx defaults vs the Agent's own client."""

    async def raw_burst() -> float:
        # httpx's default limits; only its 5 s pool timeout is lifted, which a burst this
        # size against a threaded Python server would otherwise hit before any call fails.
        async with httpx.AsyncClient(timeout=120.0) as client:
            start = time.perf_counter()
            await asyncio.gather(
                *(
                    client.post(url + "/chat/completions", json=_BODY, headers=_HEADERS)
                    for _ in range(CONCURRENT)
                )
            )
            return time.perf_counter() - start

    async def agent_burst() -> float:
        agent = Agent("bench", None, _config(url))
        try:
            start = time.perf_counter()
            await asyncio.gather(*(agent.agenerate("Hi") for _ in range(CONCURRENT)))
            return time.perf_counter() - start
        finally:
            await agent.aclose()

    async def timed(burst: Callable[[], Awaitable[float]]) -> str:
        try:
            return f"{await asyncio.wait_for(burst(), BURST_CAP):.2f} s"
        except (TimeoutError, httpx.HTTPError) as exc:
            return f"did not finish ({type(exc).__name__} within {BURST_CAP:g} s)"

    print(
        f"{CONCURRENT} concurrent async calls, answers after {ANSWER_SECONDS:g} s:"
        f" Agent (own client, default limits) {await timed(agent_burst)},"
        f" raw httpx defaults {await timed(raw_burst)}"
    )


def main() -> None:
    with LoopbackServer(_handler) as server:
        url = server.url + "/v1"
        bench_sync(url)
        asyncio.run(bench_async(url))
    with _uvicorn() as url:
        asyncio.run(bench_concurrent(url))


if __name__ == "__main__":
    main()
