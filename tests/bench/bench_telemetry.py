"""What tracing costs a call: raw httpx, the Agent with tracing off, and with it on.

"off" is the default (no `modelrouter.instrument()`): the figure to hold to the router's own
target (~1.0x raw). "on" is `instrument()` with the OpenTelemetry SDK (spans and metrics
recorded, exported nowhere), so it shows our spans' cost without an exporter's. Sync
`generate`, async `agenerate` and a 2,000-chunk stream, each side interleaved with the others
so drift hits all alike. Measured in CPU time of the calling thread (see `_clock`). Figures
only; nothing asserts on time. `python -m tests.bench telemetry`.
"""

from __future__ import annotations

import asyncio
import statistics
import time
from collections.abc import Callable
from typing import Any, cast

import httpx

import modelrouter
from modelrouter._agent import Agent
from modelrouter._types import ModelConfig
from tests.bench.bench_router import _handler
from tests.support.server import LoopbackServer

ROUNDS = 9
PER_ROUND = 40
STREAM_ROUNDS = 5
_BODY = {
    "model": "m",
    "messages": [{"role": "system", "content": "Be brief."}, {"role": "user", "content": "Hi"}],
}
_HEADERS = {"authorization": "Bearer k", "user-agent": "bench"}


def _agent(*args: Any, **kwargs: Any) -> Agent[Any]:
    # One `Agent(...)` call site: each one costs mypy seconds against the catalogue overloads.
    return Agent(*args, **kwargs)


def _per_call(fn: Callable[[], object], n: int) -> float:
    start = _clock()
    for _ in range(n):
        fn()
    return (_clock() - start) / n


_PROVIDERS: list[object] = []
# CPU seconds of the calling thread: the loopback server's threads are not counted, and
# neither is time spent waiting for a CPU, so on a busy shared machine the figures still
# show the client's own work, which is all tracing adds to.
_clock = time.thread_time


def _sdk_on() -> Callable[[], None]:
    """Tracing on with the SDK (spans and metrics recorded, no exporter); returns "off".

    The SDK's providers are made once per process and reused, so a sample measures calls
    rather than SDK start-up.
    """
    from opentelemetry.sdk.metrics import MeterProvider
    from opentelemetry.sdk.trace import TracerProvider

    if not _PROVIDERS:
        _PROVIDERS.extend((TracerProvider(), MeterProvider()))
    tracer_provider, meter_provider = _PROVIDERS
    modelrouter.instrument(
        tracer_provider=cast(TracerProvider, tracer_provider),
        meter_provider=cast(MeterProvider, meter_provider),
    )
    return modelrouter.uninstrument


def _switched(fn: Callable[[], float]) -> Callable[[], float]:
    """`fn` run with tracing on."""

    def run() -> float:
        off = _sdk_on()
        try:
            return fn()
        finally:
            off()

    return run


def _compare(sides: dict[str, Callable[[], float]], rounds: int) -> dict[str, float]:
    samples: dict[str, list[float]] = {name: [] for name in sides}
    for fn in sides.values():
        fn()  # warm: connections, imports, caches
    for _ in range(rounds):
        for name, fn in sides.items():
            samples[name].append(fn())
    return {name: statistics.median(values) for name, values in samples.items()}


def bench_sync(url: str, client: httpx.Client) -> dict[str, float]:
    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = _agent("bench", "Be brief.", config, client=client)

    def raw() -> object:
        return client.post(url + "/chat/completions", json=_BODY, headers=_HEADERS).json()

    def routed() -> object:
        return agent.generate("Hi").text

    return _compare(
        {
            "raw": lambda: _per_call(raw, PER_ROUND),
            "off": lambda: _per_call(routed, PER_ROUND),
            "on": _switched(lambda: _per_call(routed, PER_ROUND)),
        },
        ROUNDS,
    )


def bench_async(url: str) -> dict[str, float]:
    async def go() -> dict[str, float]:
        client = httpx.AsyncClient()
        config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
        agent = _agent("bench", "Be brief.", config, async_client=client)

        async def per_call(routed: bool) -> float:
            start = _clock()
            for _ in range(PER_ROUND):
                if routed:
                    await agent.agenerate("Hi")
                else:
                    (await client.post(url + "/chat/completions", json=_BODY)).json()
            return (_clock() - start) / PER_ROUND

        samples: dict[str, list[float]] = {"raw": [], "off": [], "on": []}
        await per_call(False)  # warm both sides
        await per_call(True)
        for _ in range(ROUNDS):
            samples["raw"].append(await per_call(False))
            samples["off"].append(await per_call(True))
            off = _sdk_on()
            samples["on"].append(await per_call(True))
            off()
        await client.aclose()
        return {name: statistics.median(values) for name, values in samples.items()}

    return asyncio.run(go())


def bench_stream(url: str, client: httpx.Client) -> dict[str, float]:
    """Seconds per 2,000-chunk stream: the router off and on (raw is bench_router's figure)."""
    config = cast(ModelConfig, {"id": "bench/m", "url": url, "api_key": "k"})
    agent = _agent("bench", None, config, client=client)

    def routed() -> float:
        start = _clock()
        stream = agent.stream("Hi")
        for _ in stream:
            pass
        assert stream.result.text
        return _clock() - start

    return _compare({"off": routed, "on": _switched(routed)}, STREAM_ROUNDS)


def main() -> None:
    with LoopbackServer(_handler) as server, httpx.Client() as client:
        url = server.url + "/v1"
        for label, figures in (
            ("generate", bench_sync(url, client)),
            ("agenerate", bench_async(url)),
        ):
            raw, off, on = figures["raw"], figures["off"], figures["on"]
            print(
                f"{label} (client CPU per call): raw httpx {raw * 1e6:.0f} us, tracing off {off * 1e6:.0f} us"
                f" ({off / raw:.3f}x raw), on (SDK, no exporter) {on * 1e6:.0f} us"
                f" ({on / raw:.3f}x raw, +{(on - off) * 1e6:.0f} us per call)"
            )
        stream = bench_stream(url, client)
        print(
            f"stream (2,000 chunks, client CPU): tracing off {stream['off'] * 1e3:.2f} ms,"
            f" on {stream['on'] * 1e3:.2f} ms ({stream['on'] / stream['off']:.3f}x off)"
        )


if __name__ == "__main__":
    main()
