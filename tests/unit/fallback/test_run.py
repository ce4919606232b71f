"""run_sync / run_async: retries, moving on, timeouts and the final error, twice each."""

from __future__ import annotations

import asyncio
from typing import Any

import pytest

from modelrouter._backoff import Decision, RetryPolicy, backoff_delay
from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    MissingApiKeyError,
    NotFoundError,
    ProviderConnectionError,
    ProviderTimeoutError,
    RateLimitError,
    ServerError,
    StreamError,
    UnknownProviderError,
    UnsupportedProviderError,
)
from modelrouter._fallback import Timeouts

from ._fakes import HANG, Driver, FakeClock, Script, plan

pytestmark = pytest.mark.anyio

NO_JITTER = RetryPolicy(backoff_base=0.25, backoff_max=8.0, jitter=0.0)


async def test_first_model_answers(driver: Driver, clock: FakeClock) -> None:
    script = Script({"a": ["hello"], "b": ["unused"]}, clock, latency=0.5)
    result, entry, attempts = await driver.run(plan(("a", 2), ("b", 0)), script)
    assert (result, entry.label) == ("hello", "p/a")
    assert [(a.model_id, a.error_type, a.duration_s) for a in attempts] == [("p/a", None, 0.5)]
    assert script.targets_called() == ["a"]
    assert clock.sleeps == []


@pytest.mark.parametrize(
    "error",
    [
        ServerError("boom", status=500),
        ServerError("unavailable", status=503),
        RateLimitError("slow down", status=429),
        ProviderTimeoutError("read timeout"),
        ProviderConnectionError("refused"),
    ],
    ids=type,
)
async def test_retryable_failure_retries_same_model_with_backoff(
    driver: Driver, clock: FakeClock, error: Exception
) -> None:
    script = Script({"a": [error, error, "third time"], "b": ["unused"]}, clock)
    result, entry, attempts = await driver.run(plan(("a", 3), ("b", 0)), script, policy=NO_JITTER)
    assert (result, entry.label) == ("third time", "p/a")
    assert script.targets_called() == ["a", "a", "a"]
    assert clock.sleeps == [0.25, 0.5]
    assert [a.error_type for a in attempts] == [type(error).__name__] * 2 + [None]


async def test_max_retries_counts_retries_after_the_first_try(
    driver: Driver, clock: FakeClock
) -> None:
    boom = ServerError("boom", status=500)
    script = Script({"a": [boom], "b": ["from b"]}, clock)
    result, entry, attempts = await driver.run(plan(("a", 2), ("b", 0)), script, policy=NO_JITTER)
    assert (result, entry.label) == ("from b", "p/b")
    assert script.targets_called() == ["a", "a", "a", "b"]
    # Two backoffs between a's three tries; none when moving to b.
    assert clock.sleeps == [0.25, 0.5]
    assert [a.model_id for a in attempts] == ["p/a", "p/a", "p/a", "p/b"]


@pytest.mark.parametrize(
    "error",
    [
        AuthenticationError("bad key", status=401),
        AuthenticationError("no access", status=403),
        NotFoundError("no such model", status=404),
        MissingApiKeyError("p/a", ["A_API_KEY"]),
        UnknownProviderError("p", "p/a"),
        UnsupportedProviderError("not a protocol we speak"),
        StreamError("error event before content"),
    ],
    ids=lambda e: f"{type(e).__name__}-{getattr(e, 'status', '')}",
)
async def test_incurable_failure_moves_on_at_once(
    driver: Driver, clock: FakeClock, error: Exception
) -> None:
    script = Script({"a": [error], "b": ["from b"]}, clock)
    result, entry, attempts = await driver.run(plan(("a", 5), ("b", 0)), script)
    assert (result, entry.label) == ("from b", "p/b")
    assert script.targets_called() == ["a", "b"]
    assert clock.sleeps == []
    assert attempts[0].error is error


async def test_retry_after_is_honoured(driver: Driver, clock: FakeClock) -> None:
    limited = RateLimitError("slow down", status=429, retry_after=1.5)
    script = Script({"a": [limited, "ok"]}, clock)
    result, _, _ = await driver.run(plan(("a", 1)), script, policy=NO_JITTER)
    assert result == "ok"
    assert clock.sleeps == [1.5]


async def test_retry_after_beyond_the_cap_moves_on_without_waiting(
    driver: Driver, clock: FakeClock
) -> None:
    limited = RateLimitError("slow down", status=429, retry_after=60.0)
    script = Script({"a": [limited, "too late"], "b": ["from b"]}, clock)
    result, entry, _ = await driver.run(
        plan(("a", 3), ("b", 0)), script, policy=RetryPolicy(retry_after_cap=20.0)
    )
    assert (result, entry.label) == ("from b", "p/b")
    assert script.targets_called() == ["a", "b"]
    assert clock.sleeps == []


async def test_rate_limit_with_no_retries_costs_no_wait(driver: Driver, clock: FakeClock) -> None:
    limited = RateLimitError("slow down", status=429, retry_after=1.0)
    script = Script({"a": [limited], "b": ["from b"]}, clock)
    result, _, _ = await driver.run(plan(("a", 0), ("b", 0)), script)
    assert result == "from b"
    assert clock.sleeps == []


async def test_jittered_backoff_follows_the_injected_rng(driver: Driver, clock: FakeClock) -> None:
    import random

    boom = ServerError("boom", status=502)
    policy = RetryPolicy(backoff_base=1.0, jitter=0.5)
    script = Script({"a": [boom, boom, boom, "ok"]}, clock)
    await driver.run(plan(("a", 3)), script, policy=policy, rng=random.Random(11))
    expected_rng = random.Random(11)
    assert clock.sleeps == [backoff_delay(n, policy, expected_rng) for n in range(3)]


async def test_fallback_on_can_narrow(driver: Driver, clock: FakeClock) -> None:
    seen: list[tuple[str, Decision]] = []

    def no_retries(exc: BaseException, default: Decision) -> Decision:
        seen.append((type(exc).__name__, default))
        return Decision.NEXT if default is Decision.RETRY else default

    script = Script({"a": [ServerError("boom", status=500)], "b": ["from b"]}, clock)
    result, _, _ = await driver.run(plan(("a", 3), ("b", 0)), script, fallback_on=no_retries)
    assert result == "from b"
    assert seen == [("ServerError", Decision.RETRY)]
    assert clock.sleeps == []


async def test_fallback_on_can_widen(driver: Driver, clock: FakeClock) -> None:
    def tolerate_value_errors(exc: BaseException, default: Decision) -> Decision:
        return Decision.NEXT if isinstance(exc, ValueError) else default

    script = Script({"a": [ValueError("odd payload")], "b": ["from b"]}, clock)
    result, _, attempts = await driver.run(
        plan(("a", 0), ("b", 0)), script, fallback_on=tolerate_value_errors
    )
    assert result == "from b"
    assert attempts[0].error_type == "ValueError"


async def test_a_bug_is_raised_unchanged(driver: Driver, clock: FakeClock) -> None:
    bug = KeyError("missing field")
    script = Script({"a": [bug], "b": ["from b"]}, clock)
    with pytest.raises(KeyError) as caught:
        await driver.run(plan(("a", 3), ("b", 0)), script)
    assert caught.value is bug
    assert script.targets_called() == ["a"]


@pytest.mark.parametrize("cancel", [KeyboardInterrupt, asyncio.CancelledError, SystemExit])
async def test_cancellation_is_never_swallowed(
    driver: Driver, clock: FakeClock, cancel: type[BaseException]
) -> None:
    script = Script({"a": [cancel()], "b": ["from b"]}, clock)
    with pytest.raises(cancel):
        await driver.run(plan(("a", 3), ("b", 0)), script)
    assert script.targets_called() == ["a"]


async def test_all_failing_raises_a_group_in_plan_order(driver: Driver, clock: FakeClock) -> None:
    errors: dict[str, list[Any]] = {
        "a": [ServerError("upstream exploded", status=500)],
        "b": [AuthenticationError("invalid key", status=401)],
        "c": [RateLimitError("slow down", status=429, retry_after=0.1)],
    }
    script = Script(errors, clock)
    with pytest.raises(FallbackExhaustedError) as caught:
        await driver.run(plan(("a", 1), ("b", 2), ("c", 2)), script, policy=NO_JITTER)
    group = caught.value
    assert list(group.exceptions) == [errors["a"][0], errors["b"][0], errors["c"][0]]
    assert [(a.model_id, a.error_type) for a in group.attempts] == [
        ("p/a", "ServerError"),
        ("p/a", "ServerError"),
        ("p/b", "AuthenticationError"),
        ("p/c", "RateLimitError"),
        ("p/c", "RateLimitError"),
        ("p/c", "RateLimitError"),
    ]
    lines = str(group).splitlines()
    assert len(lines) == 4  # a headline and one line per model: fits on one screen
    assert lines[1:] == [
        "  p/a: 2 attempts, last ServerError: upstream exploded",
        "  p/b: 1 attempt, last AuthenticationError: invalid key",
        "  p/c: 3 attempts, last RateLimitError: slow down",
    ]
    assert clock.sleeps == [0.25, 0.1, 0.1]


async def test_group_message_stays_short_for_long_errors(driver: Driver, clock: FakeClock) -> None:
    wordy = ServerError("x" * 5000 + "\nsecond line", status=500)
    script = Script({"a": [wordy], "b": [wordy]}, clock)
    with pytest.raises(FallbackExhaustedError) as caught:
        await driver.run(plan(("a", 0), ("b", 0)), script)
    lines = str(caught.value).splitlines()
    assert len(lines) == 3
    assert all(len(line) < 200 for line in lines)


async def test_single_entry_reraises_its_error_unchanged(driver: Driver, clock: FakeClock) -> None:
    boom = ServerError("boom", status=500)
    script = Script({"a": [boom]}, clock)
    with pytest.raises(ServerError) as caught:
        await driver.run(plan(("a", 2)), script, policy=NO_JITTER)
    assert caught.value is boom
    assert script.targets_called() == ["a", "a", "a"]


async def test_empty_plan_is_a_configuration_error(driver: Driver, clock: FakeClock) -> None:
    with pytest.raises(ConfigurationError):
        await driver.run([], Script({}, clock))


async def test_budget_is_attempt_timeout_within_what_is_left_of_total(
    driver: Driver, clock: FakeClock
) -> None:
    boom = ServerError("boom", status=500)
    script = Script({"a": [boom], "b": ["ok"]}, clock, latency=4.0)
    timeouts = Timeouts(attempt=5.0, first_chunk=2.0, total=7.0)
    await driver.run(plan(("a", 0), ("b", 0)), script, timeouts=timeouts)
    budgets = [budget for _, budget in script.calls]
    assert (budgets[0].timeout, budgets[0].first_chunk) == (5.0, 2.0)
    assert (budgets[1].timeout, budgets[1].first_chunk) == (3.0, 2.0)


async def test_total_timeout_stops_with_what_was_tried(driver: Driver, clock: FakeClock) -> None:
    slow = ProviderTimeoutError("read timeout")
    script = Script({"a": [slow], "b": [slow], "c": ["never asked"]}, clock, latency=5.0)
    with pytest.raises(FallbackExhaustedError) as caught:
        await driver.run(plan(("a", 0), ("b", 0), ("c", 0)), script, timeouts=Timeouts(total=10.0))
    assert script.targets_called() == ["a", "b"]
    assert "total timeout of 10s" in str(caught.value)
    assert "p/a" in str(caught.value) and "p/b" in str(caught.value)
    assert [a.model_id for a in caught.value.attempts] == ["p/a", "p/b"]


async def test_total_timeout_on_a_single_model_raises_its_error(
    driver: Driver, clock: FakeClock
) -> None:
    slow = ProviderTimeoutError("read timeout")
    script = Script({"a": [slow]}, clock, latency=3.0)
    with pytest.raises(ProviderTimeoutError) as caught:
        await driver.run(plan(("a", 10)), script, timeouts=Timeouts(total=5.0), policy=NO_JITTER)
    assert caught.value is slow
    assert script.targets_called() == ["a", "a"]


async def test_backoff_longer_than_time_left_moves_on_instead(
    driver: Driver, clock: FakeClock
) -> None:
    limited = RateLimitError("slow down", status=429, retry_after=4.0)
    script = Script({"a": [limited], "b": ["from b"]}, clock, latency=7.0)
    result, _, _ = await driver.run(plan(("a", 3), ("b", 0)), script, timeouts=Timeouts(total=10.0))
    assert result == "from b"
    assert clock.sleeps == []


async def test_missing_key_on_first_entry_falls_back(driver: Driver, clock: FakeClock) -> None:
    # The call resolves lazily, so configuration errors surface per entry, like any failure.
    missing = MissingApiKeyError("p/a", ["A_API_KEY"])
    script = Script({"a": [missing], "b": ["from b"]}, clock)
    result, entry, attempts = await driver.run(plan(("a", 2), ("b", 0)), script)
    assert (result, entry.label) == ("from b", "p/b")
    assert attempts[0].error_type == "MissingApiKeyError"


async def test_async_attempt_timeout_is_enforced(clock: FakeClock) -> None:
    script = Script({"a": [HANG], "b": ["from b"]}, clock)
    result, entry, attempts = await Driver("async").run(
        plan(("a", 0), ("b", 0)), script, timeouts=Timeouts(attempt=0.01)
    )
    assert (result, entry.label) == ("from b", "p/b")
    assert attempts[0].error_type == "ProviderTimeoutError"
    assert "p/a" in str(attempts[0].error)


async def test_async_task_cancellation_propagates(clock: FakeClock) -> None:
    script = Script({"a": [HANG], "b": ["from b"]}, clock)
    task = asyncio.ensure_future(Driver("async").run(plan(("a", 3), ("b", 0)), script))
    while not script.calls:
        await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert script.targets_called() == ["a"]
