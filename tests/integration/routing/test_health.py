"""Deployment health against real loopback providers: cooldowns, skips, the half-open probe."""

from __future__ import annotations

import threading

import pytest

from modelrouter import ConfigurationError
from modelrouter._agent import Agent
from modelrouter._types import GenerateResult
from modelrouter.routing import Health, HealthPolicy, MemoryStore
from modelrouter.routing.identity import fingerprint
from tests.fakes.providers import Script

from .conftest import MODES, Clock, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]


def once(agent: Agent) -> GenerateResult:
    with agent:
        return agent.generate("hi")


def health(clock: Clock, **policy: float) -> Health:
    return Health(MemoryStore(), HealthPolicy(clock=clock, **policy))  # type: ignore[arg-type]


@pytest.mark.parametrize("mode", MODES)
async def test_a_429_cools_a_down_for_100_calls_then_one_probe(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    b.fake.default = Script(text="from b")
    clock = Clock()
    shared = health(clock)
    entries = [a.entry(2), b.entry(0)]
    first = await ask(make_agent(entries, sleeps, health=shared), mode)
    assert first.model_id == b.model_id and len(a.fake.requests) == 1
    for _ in range(100):
        result = await ask(make_agent(entries, sleeps, health=shared), mode)
        assert result.text == "from b"
        skipped = result.attempts[0]
        assert (skipped.model_id, skipped.error_type) == (a.model_id, "DeploymentCoolingError")
        assert skipped.error is not None and "cooling down" in str(skipped.error)
        clock.advance(0.25)  # 25 s in all: still cooling
    assert len(a.fake.requests) == 1  # no request during the cooldown
    assert len(b.fake.requests) == 101
    clock.advance(5.1)
    a.fake.default = Script(text="a is back")
    probe = await ask(make_agent(entries, sleeps, health=shared), mode)
    assert probe.text == "a is back" and len(a.fake.requests) == 2
    healed = await ask(make_agent(entries, sleeps, health=shared), mode)
    assert healed.text == "a is back" and len(healed.attempts) == 1


def test_only_one_caller_gets_the_probe(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    clock = Clock()
    shared = health(clock)
    entries = [a.entry(0), b.entry(0)]
    once(make_agent(entries, sleeps, health=shared))
    clock.advance(31)
    a.fake.default = Script(text="slow probe", delay=0.5)
    answers: list[str] = []

    def call() -> None:
        answers.append(once(make_agent(entries, sleeps, health=shared)).text)

    threads = [threading.Thread(target=call) for _ in range(6)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(a.fake.requests) == 2  # the 429, then exactly one probe
    assert sorted(answers).count("slow probe") == 1 and len(answers) == 6


def test_a_failed_probe_cools_down_again(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "10"})
    clock = Clock()
    shared = health(clock)
    agent = make_agent([a.entry(0), b.entry(0)], sleeps, health=shared)
    request.addfinalizer(agent.close)
    agent.generate("hi")
    clock.advance(11)
    agent.generate("hi")  # the probe: 429 again
    assert len(a.fake.requests) == 2
    for _ in range(5):
        assert agent.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
    assert len(a.fake.requests) == 2


@pytest.mark.parametrize("mode", MODES)
async def test_when_every_entry_cools_the_first_to_recover_is_tried(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    b.fake.default = Script(status=429, headers={"retry-after": "10"})
    clock = Clock()
    shared = health(clock)
    entries = [a.entry(0), b.entry(0)]
    with pytest.raises(Exception):
        await ask(make_agent(entries, sleeps, health=shared), mode)
    b.fake.default = Script(text="b recovered first")
    result = await ask(make_agent(entries, sleeps, health=shared), mode)
    assert result.text == "b recovered first"
    kinds = [(t.model_id, t.error_type) for t in result.attempts]
    assert kinds == [
        (a.model_id, "DeploymentCoolingError"),
        (b.model_id, "DeploymentCoolingError"),
        (b.model_id, None),
    ]
    assert (len(a.fake.requests), len(b.fake.requests)) == (1, 2)


def test_a_single_cooling_model_is_still_called(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, _, _ = models
    a.fake.default = Script(status=401)
    clock = Clock()
    agent = make_agent([a.entry(0)], sleeps, health=health(clock))
    request.addfinalizer(agent.close)
    with pytest.raises(Exception) as first:
        agent.generate("hi")
    with pytest.raises(Exception) as second:
        agent.generate("hi")  # cooling, but the only entry: sent anyway, its own error raised
    assert type(first.value).__name__ == type(second.value).__name__ == "AuthenticationError"
    assert len(a.fake.requests) == 2


def test_repeated_5xx_cool_down_at_the_threshold(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=503)
    clock = Clock()
    agent = make_agent([a.entry(0), b.entry(0)], sleeps, health=health(clock))
    request.addfinalizer(agent.close)
    for _ in range(3):
        assert agent.generate("hi").attempts[0].error_type == "ServerError"
    for _ in range(4):
        assert agent.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
    assert len(a.fake.requests) == 3
    clock.advance(31)
    a.fake.default = Script(text="ok")
    assert agent.generate("hi").text == "ok"
    a.fake.default = Script(status=503)
    agent.generate("hi")  # healed: one 5xx alone no longer cools
    assert agent.generate("hi").attempts[0].error_type == "ServerError"


def test_a_401_cools_for_the_auth_cooldown(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=401)
    clock = Clock()
    agent = make_agent([a.entry(0), b.entry(0)], sleeps, health=health(clock, auth_cooldown=100))
    request.addfinalizer(agent.close)
    agent.generate("hi")
    clock.advance(99)
    assert agent.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
    clock.advance(2)
    assert agent.generate("hi").attempts[0].error_type == "AuthenticationError"
    assert len(a.fake.requests) == 2


def test_retry_after_is_bounded_by_max_cooldown(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "86400"})
    clock = Clock()
    agent = make_agent([a.entry(0), b.entry(0)], sleeps, health=health(clock, max_cooldown=60))
    request.addfinalizer(agent.close)
    agent.generate("hi")
    clock.advance(61)
    agent.generate("hi")
    assert len(a.fake.requests) == 2


def test_health_false_sends_every_call(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    agent = make_agent([a.entry(0), b.entry(0)], sleeps, health=False)
    request.addfinalizer(agent.close)
    for _ in range(3):
        assert agent.generate("hi").attempts[0].error_type == "RateLimitError"
    assert len(a.fake.requests) == 3


def test_the_default_health_is_shared_by_every_agent(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    once(make_agent([a.entry(0), b.entry(0)], sleeps))
    other = make_agent([a.entry(0), b.entry(0)], sleeps)  # another Agent, same deployment
    request.addfinalizer(other.close)
    assert other.generate("hi").attempts[0].error_type == "DeploymentCoolingError"
    assert len(a.fake.requests) == 1


def test_another_key_is_another_deployment(
    models: Models, sleeps: Sleeps, request: pytest.FixtureRequest
) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    shared = health(Clock())
    once(make_agent([a.entry(0), b.entry(0)], sleeps, health=shared))
    other_key = make_agent(
        [a.entry(0, api_key="sk-other-key-zzzzzzz"), b.entry(0)], sleeps, health=shared
    )
    request.addfinalizer(other_key.close)
    assert other_key.generate("hi").attempts[0].error_type == "RateLimitError"
    assert len(a.fake.requests) == 2


def test_no_key_reaches_the_store(models: Models, sleeps: Sleeps) -> None:
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    store = MemoryStore()
    once(make_agent([a.entry(0), b.entry(0)], sleeps, health=Health(store)))
    keys = list(store._health)  # pyright: ignore[reportPrivateUsage]
    assert len(keys) == 1 and a.key not in keys[0] and a.key[-8:] not in keys[0]
    assert fingerprint(a.key) in keys[0] and fingerprint(a.key) != fingerprint("sk-other")


@pytest.mark.parametrize("bad", ["yes", 1, None, HealthPolicy()])
def test_health_must_be_a_bool_or_health(bad: object) -> None:
    with pytest.raises(ConfigurationError, match="health"):
        Agent(name="x", instructions=None, model="openai/gpt-4o", health=bad)  # type: ignore[arg-type]


@pytest.mark.parametrize(
    "field, bad",
    [
        ("max_cooldown", 0),
        ("max_cooldown", -1),
        ("rate_limit_cooldown", "30"),
        ("failure_threshold", 0),
        ("failure_threshold", 2.5),
        ("probe_lease", 10**9),
    ],
)
def test_health_policy_fields_are_checked(field: str, bad: object) -> None:
    with pytest.raises(ConfigurationError, match=f"HealthPolicy.{field}"):
        HealthPolicy(**{field: bad})  # type: ignore[arg-type]


def test_cooldowns_and_skips_reach_the_modelrouter_log(
    models: Models, sleeps: Sleeps, caplog: pytest.LogCaptureFixture
) -> None:
    """The engine's skip and the gate's cooldown are logged with their facts (the observer
    hooks OTEL defined, wired where HEALTH decides)."""
    a, b, _ = models
    a.fake.default = Script(status=429, headers={"retry-after": "30"})
    b.fake.default = Script(text="from b")
    shared = health(Clock())
    entries = [a.entry(0), b.entry(0)]
    with caplog.at_level("INFO", logger="modelrouter"):
        once(make_agent(entries, sleeps, health=shared))
        once(make_agent(entries, sleeps, health=shared))
    events = [
        (r.levelname, getattr(r, "event", None), getattr(r, "model_id", None))
        for r in caplog.records
    ]
    assert ("WARNING", "cooldown", a.model_id) in events
    assert ("INFO", "fallback", a.model_id) in events  # the first call: the 429 moved it on
    assert ("INFO", "skip", a.model_id) in events  # the second: skipped without a request
    skip = next(r for r in caplog.records if getattr(r, "event", None) == "skip")
    assert getattr(skip, "reason") == "cooldown"
    assert len(a.fake.requests) == 1
