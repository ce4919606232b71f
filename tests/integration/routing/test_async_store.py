"""The async twins (`agenerate`, `astream`) reach the health store through its async calls
only: a Redis round trip there must never block the event loop."""

from __future__ import annotations

from collections.abc import Iterator

import pytest
import redis

from modelrouter.routing import Health, HealthPolicy, MemoryStore, RedisStore
from modelrouter.routing.store import HealthStore, Verdict
from tests.fakes.providers import Script
from tests.support.redis_server import RedisServer

from .conftest import MODES, Clock, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]
ASYNC_MODES = ["agenerate", "astream"]


class Recording:
    """A store's view that notes the sync methods the router calls on it.

    Every call goes on to `store`. Its async twins are not noted, including those of a
    MemoryStore that call its own sync methods: those calls reach the store itself, not
    this view.
    """

    def __init__(self, store: HealthStore) -> None:
        self.store = store
        self.sync_calls: list[str] = []

    def check(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        self.sync_calls.append("check")
        return self.store.check(key, now, lease)

    async def acheck(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        return await self.store.acheck(key, now, lease)

    def failed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        self.sync_calls.append("failed")
        self.store.failed(key, now, cooldown, threshold, after)

    async def afailed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        await self.store.afailed(key, now, cooldown, threshold, after)

    def healed(self, key: str) -> None:
        self.sync_calls.append("healed")
        self.store.healed(key)

    async def ahealed(self, key: str) -> None:
        await self.store.ahealed(key)

    def take(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        self.sync_calls.append("take")
        return self.store.take(key, now, rpm, tpm)

    async def atake(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        return await self.store.atake(key, now, rpm, tpm)

    def spend(self, key: str, now: float, tokens: int) -> None:
        self.sync_calls.append("spend")
        self.store.spend(key, now, tokens)

    async def aspend(self, key: str, now: float, tokens: int) -> None:
        await self.store.aspend(key, now, tokens)


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with RedisServer() as running:
        yield running


async def _cool_then_heal(models: Models, sleeps: Sleeps, health: Health, mode: str) -> None:
    """A 429 on A (a failure), B answering within its rpm/tpm (take, spend, healed), then
    A's probe answering (check, healed after a failure)."""
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    b.fake.default = Script(text="from b")
    second = b.entry(0)
    second["rpm"], second["tpm"] = 100, 1000
    entries = [a.entry(0), second]
    first = await ask(make_agent(entries, sleeps, health=health), mode)
    assert first.text == "from b" and first.attempts[0].error_type == "RateLimitError"
    skipped = await ask(make_agent(entries, sleeps, health=health), mode)
    assert skipped.attempts[0].error_type == "DeploymentCoolingError"
    assert len(a.fake.requests) == 1
    assert isinstance(health.policy.clock, Clock)
    health.policy.clock.advance(31)
    a.fake.default = Script(text="a is back")
    probe = await ask(make_agent(entries, sleeps, health=health), mode)
    assert probe.text == "a is back" and len(probe.attempts) == 1


@pytest.mark.parametrize("mode", MODES)
async def test_each_twin_uses_its_own_store_calls(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    store = Recording(MemoryStore())
    await _cool_then_heal(models, sleeps, Health(store, HealthPolicy(clock=Clock())), mode)
    if mode in ASYNC_MODES:
        assert store.sync_calls == []
    else:  # the sync twins keep the sync calls
        assert {"check", "failed", "healed", "take"} <= set(store.sync_calls)


@pytest.mark.parametrize("mode", ASYNC_MODES)
async def test_the_async_twins_share_state_through_redis_without_sync_calls(
    mode: str, models: Models, sleeps: Sleeps, server: RedisServer
) -> None:
    client = redis.Redis.from_url(server.url)
    client.flushall()
    redis_store = RedisStore(server.url)
    store = Recording(redis_store)
    other = RedisStore(server.url)  # another process's view
    try:
        clock = Clock()
        health = Health(store, HealthPolicy(clock=clock))
        a, b, _ = models
        a.fake.default = Script(status=429, headers={"retry-after": "30"})
        b.fake.default = Script(text="from b")
        second = b.entry(0)
        second["tpm"] = 1000
        entries = [a.entry(0), second]
        await ask(make_agent(entries, sleeps, health=health), mode)
        cooling = [key for key in client.keys("*:health:*") if client.hget(key, "until")]
        assert len(cooling) == 1  # A's cooldown, written by the async client
        spent = [int(client.hget(key, "t") or 0) for key in client.keys("*:usage:*")]
        assert spent == [11]  # a stream's tokens count as an answer's do
        seen = await ask(make_agent(entries, sleeps, health=Health(other, health.policy)), mode)
        assert seen.attempts[0].error_type == "DeploymentCoolingError"
        assert len(a.fake.requests) == 1
        clock.advance(31)
        a.fake.default = Script(text="a is back")
        probe = await ask(make_agent(entries, sleeps, health=health), mode)
        assert probe.text == "a is back"
        assert client.keys("*:health:*") == []  # healed through the async client
        assert store.sync_calls == []
    finally:
        client.close()
        await other.aclose()
        await redis_store.aclose()


def test_only_the_plain_memory_store_skips_the_awaits(server: RedisServer) -> None:
    from modelrouter.routing.health import Gate

    class SubMemory(MemoryStore):
        """A subclass may do I/O in its async twins."""

    assert Gate(Health()).local is True  # no I/O: the async path calls it directly
    assert Gate(Health(SubMemory())).local is False  # a subclass's async twins run
    assert Gate(Health(Recording(MemoryStore()))).local is False
    store = RedisStore(server.url)
    assert Gate(Health(store)).local is False
    store.close()
