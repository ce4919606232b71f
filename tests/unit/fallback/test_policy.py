"""The default retry policy: which failure gets which decision, and how long backoff waits."""

from __future__ import annotations

import asyncio
import random

import pytest

from modelrouter._backoff import (
    Decision,
    RetryPolicy,
    backoff_delay,
    classify,
    retry_delay,
)
from modelrouter._errors import (
    AuthenticationError,
    FallbackExhaustedError,
    GatewayError,
    InvalidModelIdError,
    MidStreamError,
    MissingApiKeyError,
    NotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitError,
    ServerError,
    StreamError,
    UnknownProviderError,
    UnsupportedProviderError,
)


@pytest.mark.parametrize("status", [408, 409, 429, 500, 502, 503, 504, 529])
def test_retryable_statuses_retry(status: int) -> None:
    assert classify(ProviderError("x", status=status)) is Decision.RETRY


@pytest.mark.parametrize("status", [400, 401, 403, 404, 413, 422])
def test_other_4xx_move_on(status: int) -> None:
    assert classify(ProviderError("x", status=status)) is Decision.NEXT


@pytest.mark.parametrize(
    "exc",
    [
        RateLimitError("x", status=429),
        ServerError("x", status=503),
        ProviderTimeoutError("x"),
        ProviderConnectionError("x"),
        TimeoutError(),
        ConnectionResetError(),
    ],
    ids=type,
)
def test_transient_failures_retry(exc: BaseException) -> None:
    assert classify(exc) is Decision.RETRY


@pytest.mark.parametrize(
    "exc",
    [
        AuthenticationError("x", status=401),
        AuthenticationError("x", status=403),
        NotFoundError("x", status=404),
        StreamError("error event", status=200),
        MissingApiKeyError("openai/gpt-5", ["OPENAI_API_KEY"]),
        UnknownProviderError("opnai", "opnai/gpt-5"),
        UnsupportedProviderError("speaks something else"),
        InvalidModelIdError("no slash"),
        GatewayError("netlify", "down"),
        FallbackExhaustedError("inner plan failed", [ServerError("x")]),
    ],
    ids=type,
)
def test_failures_another_provider_can_cure_move_on(exc: BaseException) -> None:
    assert classify(exc) is Decision.NEXT


@pytest.mark.parametrize(
    "exc",
    [
        KeyboardInterrupt(),
        asyncio.CancelledError(),
        GeneratorExit(),
        SystemExit(1),
        MidStreamError("p/m", "partial", ServerError("x")),
        ValueError("a bug"),
        TypeError("a bug"),
    ],
    ids=type,
)
def test_cancellations_and_bugs_raise(exc: BaseException) -> None:
    assert classify(exc) is Decision.RAISE


def test_backoff_doubles_up_to_the_maximum_without_jitter() -> None:
    policy = RetryPolicy(backoff_base=0.5, backoff_max=3.0, jitter=0.0)
    rng = random.Random(0)
    delays = [backoff_delay(n, policy, rng) for n in range(5)]
    assert delays == [0.5, 1.0, 2.0, 3.0, 3.0]


def test_jitter_only_shortens_and_follows_the_rng() -> None:
    policy = RetryPolicy(backoff_base=1.0, backoff_max=100.0, jitter=0.25)
    rng, twin = random.Random(42), random.Random(42)
    first = [backoff_delay(n, policy, rng) for n in range(6)]
    again = [backoff_delay(n, policy, twin) for n in range(6)]
    assert first == again
    for n, delay in enumerate(first):
        assert 0.75 * 2**n <= delay <= 2**n
    assert len({delay / 2**n for n, delay in enumerate(first)}) > 1  # jitter actually varies


def test_retry_after_is_honoured_exactly_and_capped() -> None:
    policy = RetryPolicy(retry_after_cap=5.0, jitter=0.5)
    rng = random.Random(1)
    assert retry_delay(RateLimitError("x", retry_after=2.5), 3, policy, rng) == 2.5
    assert retry_delay(RateLimitError("x", retry_after=5.0), 0, policy, rng) == 5.0
    assert retry_delay(RateLimitError("x", retry_after=5.01), 0, policy, rng) is None
    without = retry_delay(ServerError("x", status=500), 1, policy, random.Random(3))
    assert without == backoff_delay(1, policy, random.Random(3))
