"""One Agent shared by many threads builds one pool; its limits are the user's to set."""

from __future__ import annotations

import asyncio
import threading
import time
from typing import Any

import httpx
import pytest

from modelrouter import _http
from modelrouter._agent import Agent
from modelrouter._types import ModelConfig
from tests.fakes.providers import FakeProvider, Script
from tests.support.server import LoopbackServer, Reply, Request

pytestmark = pytest.mark.anyio


def _config(fake: FakeProvider) -> ModelConfig:
    return {"id": "openai/gpt-4o", "url": fake.base_url("openai-chat"), "api_key": "sk-k-0123"}


class _Counting:
    """Wraps a client factory: counts the clients made, and makes each slowly, so that
    threads racing on an unlocked check would all get past it."""

    def __init__(self, make: Any) -> None:
        self.make = make
        self.made: list[Any] = []

    def __call__(self, *args: Any) -> Any:
        time.sleep(0.05)
        client = self.make(*args)
        self.made.append(client)
        return client


def test_32_threads_on_one_agent_build_exactly_one_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting = _Counting(_http.new_client)
    monkeypatch.setattr(_http, "new_client", counting)
    with FakeProvider() as fake:
        agent = Agent("shared", None, _config(fake))
        start = threading.Barrier(32)
        texts: list[str] = []

        def work() -> None:
            start.wait()
            texts.append(agent.generate("hi").text)

        threads = [threading.Thread(target=work) for _ in range(32)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
        agent.close()
    assert texts == ["Hello from the fake"] * 32
    assert len(counting.made) == 1
    assert counting.made[0].is_closed  # the one pool was the agent's, and it closed it


async def test_concurrent_async_calls_build_one_async_client(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    counting = _Counting(_http.new_async_client)
    monkeypatch.setattr(_http, "new_async_client", counting)
    with FakeProvider() as fake:
        agent = Agent("shared", None, _config(fake))
        results = await asyncio.gather(*(agent.agenerate("hi") for _ in range(32)))
        await agent.aclose()
    assert {r.text for r in results} == {"Hello from the fake"}
    assert len(counting.made) == 1


@pytest.mark.parametrize("mode", ["generate", "agenerate"])
async def test_limits_set_the_pool_of_the_agent_s_own_clients(mode: str) -> None:
    with FakeProvider() as fake:
        fake.default = Script(delay=0.2)
        agent = Agent("one", None, _config(fake), limits=httpx.Limits(max_connections=1))
        try:
            if mode == "generate":
                threads = [threading.Thread(target=agent.generate, args=("hi",)) for _ in range(4)]
                for thread in threads:
                    thread.start()
                for thread in threads:
                    thread.join()
            else:
                await asyncio.gather(*(agent.agenerate("hi") for _ in range(4)))
        finally:
            await agent.aclose()
        # One connection: the server saw every request come in over the same one.
        assert len(fake.requests) == 4
        assert len({r.client for r in fake.requests}) == 1


_ANSWER = {"choices": [{"message": {"content": "ok"}, "finish_reason": "stop"}]}


async def _bursts(send: Any, requests: list[Request]) -> tuple[int, int]:
    """Connections opened by one burst of 40 calls held until all 40 arrived, then by two."""
    await asyncio.gather(*(send() for _ in range(40)))
    first = len({r.client for r in requests})
    await asyncio.gather(*(send() for _ in range(40)))
    return first, len({r.client for r in requests})


async def test_the_default_pool_keeps_every_connection_of_a_burst() -> None:
    barrier = threading.Barrier(40, timeout=20)

    def handler(request: Request) -> Reply:
        barrier.wait()  # every call of a burst is in flight at once
        return Reply.json(_ANSWER)

    with LoopbackServer(handler) as server:
        config: ModelConfig = {"id": "openai/gpt-4o", "url": server.url, "api_key": "sk-k-0"}
        agent = Agent("burst", None, config)
        try:
            ours = await _bursts(lambda: agent.agenerate("hi"), server.requests)
        finally:
            await agent.aclose()
    # httpx's default pool (20 kept alive) would close 20 after the first burst and open
    # them again for the second; `make bench` (router_paths) shows what that costs at 1,000.
    assert ours == (40, 40)  # the second burst reused every connection
