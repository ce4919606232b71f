"""Several deployments of one model: weights, least in flight, lowest latency, failover."""

from __future__ import annotations

import random
import threading
from typing import Any

import httpx
import pytest

from modelrouter import ConfigurationError
from modelrouter._agent import Agent
from modelrouter._types import FallbackEntry, ModelConfig
from modelrouter.routing.balance import LeastInFlight, LowestLatency, WeightedRandom
from tests.fakes.providers import FakeProvider, Script

from .conftest import Model, Sleeps, make_agent

Models = tuple[Model, Model, Model]


def deployment(fake: FakeProvider, key: str = "sk-deploy-aaaaaaaaaaaa") -> ModelConfig:
    return {"id": "openai/gpt-4o", "url": fake.base_url("openai-chat"), "api_key": key}


def pooled(a: FakeProvider, b: FakeProvider, **keys: Any) -> FallbackEntry:
    entry: FallbackEntry = {"model": deployment(a), "deployments": [deployment(b)]}
    entry.update(keys)  # type: ignore[typeddict-item]
    entry.setdefault("max_retries", 0)
    return entry


def test_weights_3_to_1_over_1000_calls(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    balance = WeightedRandom(random.Random(13))
    with make_agent([pooled(a.fake, b.fake, weights=[3, 1], balance=balance)], sleeps) as agent:
        for _ in range(1000):
            agent.generate("hi")
    share = len(a.fake.requests) / 1000
    assert len(a.fake.requests) + len(b.fake.requests) == 1000
    assert 0.70 <= share <= 0.80, share


def test_a_failing_deployment_moves_to_its_sibling_before_the_next_entry(
    models: Models, sleeps: Sleeps
) -> None:
    a, b, c = models
    a.fake.default = Script(status=503)
    entries = [pooled(a.fake, b.fake, weights=[1e6, 1]), c.entry(0)]
    with make_agent(entries, sleeps, health=False) as agent:
        result = agent.generate("hi")
    assert [t.error_type for t in result.attempts] == ["ServerError", None]
    assert len(b.fake.requests) == 1 and not c.fake.requests


def test_least_in_flight_sends_a_slow_deployment_less(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    a.fake.default = Script(text="slow", delay=0.2)
    entries = [pooled(a.fake, b.fake, balance=LeastInFlight(random.Random(3)))]
    with make_agent(entries, sleeps) as agent:

        def worker() -> None:
            for _ in range(15):
                agent.generate("hi")

        threads = [threading.Thread(target=worker) for _ in range(6)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join()
    slow, fast = len(a.fake.requests), len(b.fake.requests)
    assert slow + fast == 90
    assert slow < 90 * 0.25, (slow, fast)  # weighted random alone would send it half


def test_lowest_latency_prefers_the_faster_deployment(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    a.fake.default = Script(text="slow", delay=0.1)
    with make_agent([b.entry(0)], sleeps) as warm:
        warm.generate("hi")  # imports done: the first measurements are the servers' own
    balance = LowestLatency(explore=0.1, rng=random.Random(5))
    with httpx.Client() as client:
        with make_agent([pooled(a.fake, b.fake, balance=balance)], sleeps, client=client) as agent:
            for _ in range(40):
                agent.generate("hi")
    slow, fast = len(a.fake.requests), len(b.fake.requests) - 1
    assert slow + fast == 40 and slow <= 6, (slow, fast)  # measured once, then explored


def test_the_pool_balances_each_call_of_a_cached_plan(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    entry = pooled(a.fake, b.fake, balance=WeightedRandom(random.Random(1)))
    with make_agent([entry], sleeps) as agent:
        for _ in range(40):
            agent.generate("hi")
    assert a.fake.requests and b.fake.requests


@pytest.mark.parametrize(
    "keys, named",
    [
        ({"deployments": "openai/gpt-4o"}, "deployments"),
        ({"deployments": [3]}, "deployments"),
        ({"deployments": [{"url": "http://x"}]}, "deployments"),
        ({"deployments": ["openai/gpt-4o"], "weights": [1]}, "weights"),
        ({"deployments": ["openai/gpt-4o"], "weights": [1, 0]}, "weights"),
        ({"deployments": ["openai/gpt-4o"], "weights": [1, True]}, "weights"),
        ({"deployments": ["openai/gpt-4o"], "balance": "random"}, "balance"),
        ({"weights": [1]}, "weights"),
        ({"rpm": 0}, "rpm"),
        ({"tpm": "100"}, "tpm"),
    ],
)
def test_bad_routing_keys_are_named(keys: dict[str, Any], named: str) -> None:
    entry: dict[str, Any] = {"model": "openai/gpt-4o", **keys}
    with pytest.raises(ConfigurationError, match=named):
        Agent(name="x", instructions=None, model=[entry])  # type: ignore[list-item]


def test_deployment_keys_never_reach_a_repr() -> None:
    secret = "sk-secret-deployment-key-123456"
    entry: FallbackEntry = {
        "model": "openai/gpt-4o",
        "deployments": [{"id": "openai/gpt-4o", "url": "http://127.0.0.1:9", "api_key": secret}],
    }
    agent = Agent(name="x", instructions=None, model=[entry])
    assert secret not in repr(agent)


@pytest.mark.parametrize("early", [False, True])
def test_a_stream_leaves_nothing_in_flight(models: Models, sleeps: Sleeps, early: bool) -> None:
    a, b, _ = models
    a.fake.default = b.fake.default = Script(text="one two three four")
    balance = LeastInFlight(random.Random(2))
    with make_agent([pooled(a.fake, b.fake, balance=balance)], sleeps) as agent:
        for _ in range(4):
            with agent.stream("hi") as stream:
                for _ in stream:
                    if early:
                        break  # the reader stops: the attempt must not stay in flight
    assert set(balance.in_flight.values()) == {0}
    assert len(a.fake.requests) + len(b.fake.requests) == 4
