"""Client-side requests and tokens per minute: a deployment at its limit is skipped."""

from __future__ import annotations

import random

import pytest

from modelrouter._types import FallbackEntry
from modelrouter.routing import ClientRateLimitError, Health, HealthPolicy, MemoryStore
from modelrouter.routing.balance import WeightedRandom

from .conftest import MODES, Clock, Model, Sleeps, ask, make_agent
from .test_balance import deployment

Models = tuple[Model, Model, Model]


def test_rpm_moves_calls_to_the_sibling_then_the_next_entry(models: Models, sleeps: Sleeps) -> None:
    a, b, c = models
    clock = Clock()
    entry: FallbackEntry = {
        "model": deployment(a.fake),
        "deployments": [deployment(b.fake)],
        "weights": [1e6, 1],
        "balance": WeightedRandom(random.Random(2)),
        "rpm": 2,
        "max_retries": 0,
    }
    health = Health(MemoryStore(), HealthPolicy(clock=clock))
    with make_agent([entry, c.entry(0)], sleeps, health=health) as agent:
        answers = [agent.generate("hi") for _ in range(5)]
        assert (len(a.fake.requests), len(b.fake.requests), len(c.fake.requests)) == (2, 2, 1)
        last = [t.error_type for t in answers[-1].attempts]
        assert last == ["ClientRateLimitError", "ClientRateLimitError", None]
        clock.advance(60)
        agent.generate("hi")
    assert len(a.fake.requests) == 3  # a new minute


@pytest.mark.anyio
@pytest.mark.parametrize("mode", MODES)
async def test_tpm_counts_the_tokens_answers_used(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    # Streamed answers count too: their usage arrives with the stream's last event.
    a, b, _ = models
    clock = Clock()
    entry: FallbackEntry = {"model": deployment(a.fake), "tpm": 20, "max_retries": 0}
    health = Health(MemoryStore(), HealthPolicy(clock=clock))
    for _ in range(4):
        result = await ask(make_agent([entry, b.entry(0)], sleeps, health=health), mode)
        assert result.usage.total_tokens == 11  # 7 in, 4 out
    assert (len(a.fake.requests), len(b.fake.requests)) == (2, 2)


def test_a_single_limited_model_raises_without_a_request(models: Models, sleeps: Sleeps) -> None:
    a, _, _ = models
    entry: FallbackEntry = {"model": deployment(a.fake), "rpm": 1}
    health = Health(MemoryStore(), HealthPolicy(clock=Clock()))
    with make_agent([entry], sleeps, health=health) as agent:
        agent.generate("hi")
        with pytest.raises(ClientRateLimitError, match="per minute"):
            agent.generate("hi")
    assert len(a.fake.requests) == 1
