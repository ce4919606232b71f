"""The Redis store against a real redis-server on loopback: sharing, atomicity, no secrets,
TTLs, an outage, and a fleet of worker processes."""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import time
from collections.abc import Iterator

import pytest
import redis
import redis.asyncio

from modelrouter.routing import Health, HealthPolicy, RedisStore
from modelrouter.routing import redis_client
from tests.conftest import REPO
from tests.fakes.providers import Script
from tests.support.redis_server import RedisServer

from .conftest import MODES, Clock, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]


@pytest.fixture(scope="module")
def server() -> Iterator[RedisServer]:
    with RedisServer() as running:
        yield running


@pytest.fixture
def store(server: RedisServer) -> Iterator[RedisStore]:
    if server.process is None:
        server.start()
    redis.Redis.from_url(server.url).flushall()
    made = RedisStore(server.url)
    yield made
    made.close()


async def test_redis_py_fits_the_protocols_the_store_types_it_with(server: RedisServer) -> None:
    """The store's module never shows redis to a type checker; here mypy and basedpyright
    check redis-py's own clients against its protocols, and the calls run for real."""
    if server.process is None:
        server.start()
    client: redis_client.Client = redis.Redis.from_url(server.url)
    script: redis_client.Script = client.register_script(
        "return redis.call('INCRBY', KEYS[1], ARGV[1])"
    )
    assert script(keys=["n"], args=[2]) == 2
    aclient: redis_client.AsyncClient = redis.asyncio.Redis.from_url(server.url)
    ascript: redis_client.AsyncScript = aclient.register_script("return redis.call('GET', KEYS[1])")
    assert await ascript(keys=["n"], args=[]) == b"2"
    assert await aclient.delete("n") == 1 and client.delete("n") == 0
    await aclient.aclose()
    client.close()
    assert issubclass(redis.ConnectionError, redis_client.down_errors())


def test_two_stores_share_a_cooldown_and_one_probe(server: RedisServer) -> None:
    first, second = RedisStore(server.url, prefix="t1"), RedisStore(server.url, prefix="t1")
    try:
        assert first.check("d", 100.0, 60.0) == ("ok", 0.0)
        first.failed("d", 100.0, 30.0, 3, 30.0)
        assert second.check("d", 110.0, 60.0) == ("cooling", 130.0)
        verdicts = [store.check("d", 131.0, 60.0)[0] for store in (second, first, second)]
        assert verdicts == ["probe", "cooling", "cooling"]
        second.healed("d")
        assert first.check("d", 132.0, 60.0) == ("ok", 0.0)
    finally:
        first.close()
        second.close()


def test_failures_count_to_the_threshold_across_stores(
    store: RedisStore, server: RedisServer
) -> None:
    other = RedisStore(server.url)
    try:
        store.failed("d", 10.0, None, 3, 20.0)
        other.failed("d", 11.0, None, 3, 20.0)
        assert store.check("d", 11.5, 60.0)[0] == "ok"
        store.failed("d", 12.0, None, 3, 20.0)
        assert other.check("d", 13.0, 60.0) == ("cooling", 32.0)
    finally:
        other.close()


def test_rate_limit_windows_are_shared(store: RedisStore, server: RedisServer) -> None:
    other = RedisStore(server.url)
    try:
        assert store.take("d", 120.0, 2, None) and other.take("d", 121.0, 2, None)
        assert not store.take("d", 122.0, 2, None)
        assert other.take("d", 180.0, 2, None)  # the next minute
        other.spend("d", 181.0, 50)
        assert not store.take("d", 182.0, None, 50)
    finally:
        other.close()


@pytest.mark.parametrize("mode", MODES)
async def test_agents_share_the_cooldown_through_redis(
    mode: str, models: Models, sleeps: Sleeps, store: RedisStore, server: RedisServer
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    clock = Clock()
    policy = HealthPolicy(clock=clock)
    entries = [a.entry(0), b.entry(0)]
    await ask(make_agent(entries, sleeps, health=Health(store, policy)), mode)
    other = RedisStore(server.url)  # another process would see the same
    try:
        for _ in range(10):
            result = await ask(make_agent(entries, sleeps, health=Health(other, policy)), mode)
            assert result.attempts[0].error_type == "DeploymentCoolingError"
        assert len(a.fake.requests) == 1
        clock.advance(31)
        a.fake.default = Script(text="a is back")
        probe = await ask(make_agent(entries, sleeps, health=Health(other, policy)), mode)
        assert probe.text == "a is back" and len(a.fake.requests) == 2
    finally:
        await other.aclose()
        await store.aclose()


def test_no_secret_in_any_key_or_value_and_every_key_expires(
    models: Models, sleeps: Sleeps, store: RedisStore, server: RedisServer
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    entry = a.entry(0)
    entry["rpm"] = 100
    with make_agent([entry, b.entry(0)], sleeps, health=Health(store)) as agent:
        agent.generate("hi")
    client = redis.Redis.from_url(server.url)
    keys = client.keys("*")
    assert len(keys) == 2  # the health hash and this minute's usage
    for key in keys:
        dump = repr(key) + repr(client.hgetall(key))
        for secret in (a.key, a.key[-10:], b.key):
            assert secret not in dump
        assert 0 < client.ttl(key) <= 30 + 60 + 60 + 1


def test_redis_down_falls_back_with_one_warning(
    models: Models, sleeps: Sleeps, server: RedisServer, caplog: pytest.LogCaptureFixture
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    redis.Redis.from_url(server.url).flushall()
    store = RedisStore(server.url)
    try:
        with make_agent([a.entry(0), b.entry(0)], sleeps, health=Health(store)) as agent:
            agent.generate("hi")  # A cools down, in Redis and in this process
            server.kill()
            with caplog.at_level(logging.WARNING, logger="modelrouter"):
                for _ in range(20):
                    result = agent.generate("hi")
                    assert result.attempts[0].error_type == "DeploymentCoolingError"
        warnings = [r for r in caplog.records if "unreachable" in r.getMessage()]
        assert len(warnings) == 1 and len(a.fake.requests) == 1
        assert server.url not in warnings[0].getMessage()
    finally:
        store.close()
        server.start()


async def test_redis_down_in_the_async_twin(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    with RedisServer() as own:
        store = RedisStore(own.url)
        own.kill()
        for _ in range(3):
            result = await ask(
                make_agent([a.entry(0), b.entry(0)], sleeps, health=Health(store)), "agenerate"
            )
            assert result.text
        await store.aclose()


def test_a_cooldown_seen_in_redis_outlives_an_outage(
    models: Models, sleeps: Sleeps, store: RedisStore, server: RedisServer
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    with make_agent([a.entry(0), b.entry(0)], sleeps, health=Health(store)) as agent:
        agent.generate("hi")
    fresh = RedisStore(server.url)  # another process: it only ever saw A cooling in Redis
    try:
        with make_agent([a.entry(0), b.entry(0)], sleeps, health=Health(fresh)) as agent:
            assert agent.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
            server.kill()
            assert agent.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
        assert len(a.fake.requests) == 1
    finally:
        fresh.close()
        server.start()


def test_the_environment_variable_picks_redis(
    server: RedisServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelrouter.routing.health import default_health, reset_default_health

    monkeypatch.setenv("MODELROUTER_REDIS_URL", server.url)
    reset_default_health()
    chosen = default_health().store
    assert isinstance(chosen, RedisStore) and "127.0.0.1" not in repr(chosen)
    chosen.close()
    reset_default_health()


def _fleet(
    models: Models, server: RedisServer, calls: int, pause: float, kill_after: float | None
) -> list[dict[str, list[str]]]:
    a, b, _ = models
    env = {**os.environ, "MODELROUTER_REDIS_URL": server.url, "PYTHONPATH": str(REPO)}
    worker = "tests.integration.routing.fleet_worker"
    urls = [a.fake.base_url("openai-chat"), b.fake.base_url("openai-chat")]
    workers = [
        subprocess.Popen(
            [sys.executable, "-m", worker, *urls, str(calls), str(pause)],
            env=env,
            stdout=subprocess.PIPE,
            cwd=REPO,
        )
        for _ in range(8)
    ]
    if kill_after is not None:
        time.sleep(kill_after)  # not an assertion on time: just lets the fleet get going
        server.kill()
    outputs = [
        json.loads(w.communicate(timeout=120)[0].decode().strip().splitlines()[-1]) for w in workers
    ]
    assert all(w.returncode == 0 for w in workers)
    return outputs


def test_a_fleet_of_8_workers_shares_one_cooldown(models: Models, server: RedisServer) -> None:
    a, b, _ = models
    if server.process is None:
        server.start()
    redis.Redis.from_url(server.url).flushall()
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    b.fake.default = Script(text="from b")
    outputs = _fleet(models, server, calls=25, pause=0.0, kill_after=None)
    assert all(not out["errors"] for out in outputs), outputs
    assert sum(len(out["answered"]) for out in outputs) == 200
    assert all(m == "openai/gpt-4o-mini" for out in outputs for m in out["answered"])
    assert 1 <= len(a.fake.requests) <= 8, len(a.fake.requests)


def test_killing_redis_mid_run_fails_no_call(models: Models, server: RedisServer) -> None:
    a, _, _ = models
    if server.process is None:
        server.start()
    redis.Redis.from_url(server.url).flushall()
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    outputs = _fleet(models, server, calls=40, pause=0.02, kill_after=1.5)
    assert all(not out["errors"] for out in outputs), outputs
    assert sum(len(out["answered"]) for out in outputs) == 320
    server.start()
