"""The routing package's pure parts: stores, policy bounds, identity, strategies."""

from __future__ import annotations

import random
from dataclasses import dataclass

import pytest

from modelrouter import ConfigurationError
from modelrouter.routing import HealthPolicy, LowestLatency, MemoryStore, WeightedRandom
from modelrouter.routing.balance import LeastInFlight, Pool, order_plan
from modelrouter.routing.identity import deployment_key, fingerprint


def test_memory_store_half_open_gives_one_probe() -> None:
    store = MemoryStore()
    store.failed("d", 100.0, 30.0, 3, 30.0)
    assert store.check("d", 129.0, 10.0) == ("cooling", 130.0)
    assert store.check("d", 130.0, 10.0) == ("probe", 130.0)
    assert store.check("d", 131.0, 10.0) == ("cooling", 140.0)  # the prober holds the slot
    assert store.check("d", 140.5, 10.0)[0] == "probe"  # its lease ran out: another may try
    store.failed("d", 141.0, None, 3, 30.0)  # a failed probe cools at once, threshold or not
    assert store.check("d", 150.0, 10.0) == ("cooling", 171.0)
    store.healed("d")
    assert store.check("d", 150.0, 10.0) == ("ok", 0.0)


def test_memory_store_windows() -> None:
    store = MemoryStore()
    assert store.take("d", 0.0, 1, None) and not store.take("d", 59.0, 1, None)
    assert store.take("d", 60.0, 1, None)
    store.spend("d", 61.0, 10)
    assert not store.take("d", 62.0, None, 10)


def test_policy_bounds_every_cooldown() -> None:
    policy = HealthPolicy(max_cooldown=60.0)
    assert policy.cooldown(86_400.0) == 60.0 and policy.cooldown(-5.0) > 0


def test_fingerprint_is_keyed_and_hides_the_key(monkeypatch: pytest.MonkeyPatch) -> None:
    plain = fingerprint("sk-abcdef")
    assert "abcdef" not in plain and len(plain) == 24 and fingerprint(None) == "-"
    fingerprint.cache_clear()
    monkeypatch.setenv("MODELROUTER_HEALTH_SALT", "another-salt")
    assert fingerprint("sk-abcdef") != plain
    fingerprint.cache_clear()


def test_deployment_key_tells_urls_and_keys_apart() -> None:
    @dataclass(frozen=True)
    class Endpoint:
        provider: str
        base_url: str
        api_key: str | None

    @dataclass
    class Model:
        endpoint: Endpoint
        model_id: str = "openai/gpt-4o"

    keys = {
        deployment_key(Model(Endpoint("openai", url, key)))
        for url in ("https://a/v1", "https://b/v1")
        for key in ("sk-1", "sk-2", None)
    }
    assert len(keys) == 6 and not any("sk-" in k or "https" in k for k in keys)


def test_weighted_order_follows_the_weights() -> None:
    balance = WeightedRandom(random.Random(4))
    firsts = [balance.order(("a", "b"), (3.0, 1.0))[0] for _ in range(4000)]
    assert 0.72 <= firsts.count(0) / 4000 <= 0.78


def test_least_in_flight_starts_on_the_idle_deployment() -> None:
    balance = LeastInFlight(random.Random(1))
    balance.started("a")
    assert [balance.order(("a", "b"), (1.0, 1.0))[0] for _ in range(20)] == [1] * 20
    balance.finished("a", 0.1)
    assert balance.in_flight["a"] == 0


def test_lowest_latency_explore_is_checked() -> None:
    with pytest.raises(ConfigurationError, match="explore"):
        LowestLatency(explore=2)


@dataclass(frozen=True)
class _Entry:
    name: str
    pool: Pool | None = None


def test_order_plan_reorders_each_pool_in_place() -> None:
    class Reverse(WeightedRandom):
        def order(self, slots: object, weights: object) -> list[int]:
            return [1, 0]

    pool = Pool(Reverse(), ("a", "b"), (1.0, 1.0))
    plan = (_Entry("first"), _Entry("a", pool), _Entry("b", pool), _Entry("last"))
    assert [e.name for e in order_plan(plan)] == ["first", "b", "a", "last"]
