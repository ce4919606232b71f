"""Retry policy: which failures to retry, which to skip past, and how long to wait.

Pure functions over the error tree in `_errors.py`; the fallback engine (`_fallback.py`) calls
them and owns the loop. Nothing here sleeps or reads a clock.
"""

from __future__ import annotations

import enum
import math
import random
from collections.abc import Callable
from dataclasses import dataclass
from typing import Final, TypeAlias

from ._validate import check_retry_policy
from ._errors import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    MidStreamError,
    ModelRouterError,
    NotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitError,
    ServerError,
    StreamError,
)

__all__ = [
    "Decision",
    "FallbackOn",
    "RetryPolicy",
    "backoff_delay",
    "classify",
    "retry_delay",
]

_RETRYABLE_STATUS: Final = frozenset({408, 409, 429})


class Decision(enum.Enum):
    """What to do after a failed attempt."""

    RETRY = "retry"
    """Try the same model again after a backoff (while it has retries left)."""
    NEXT = "next"
    """Move to the next model at once, without sleeping."""
    RAISE = "raise"
    """Stop and re-raise the error unchanged (a bug, or a cancellation)."""


FallbackOn: TypeAlias = Callable[[BaseException, Decision], Decision]
"""A user hook `(error, default_decision) -> decision` that narrows or widens the default policy."""


@dataclass(frozen=True)
class RetryPolicy:
    """How long to wait between retries of the same model.

    Attributes:
        backoff_base: the first backoff in seconds; it doubles on each retry.
        backoff_max: no single backoff is longer than this.
        retry_after_cap: honour a provider's `Retry-After` up to this many seconds; beyond it,
            move to the next model at once (another provider can answer now).
        jitter: fraction of each backoff taken off at random, so clients spread out.
    """

    backoff_base: float = 0.25
    backoff_max: float = 8.0
    retry_after_cap: float = 20.0
    jitter: float = 0.25

    def __post_init__(self) -> None:
        check_retry_policy(self)


def classify(exc: BaseException) -> Decision:
    """The default decision for a failed attempt.

    Retryable (same model again): 408, 409, 429, 5xx, timeouts and connection errors. Move on at
    once: 401/403, 404, other 4xx, a missing key, an unknown or unsupported provider, a stream
    that failed before any content. Raise unchanged: cancellations, an error after content
    (`MidStreamError`) and anything that is not a modelrouter error (a bug should surface).
    """
    if not isinstance(exc, Exception):
        return Decision.RAISE  # KeyboardInterrupt, CancelledError, GeneratorExit, SystemExit
    if isinstance(exc, MidStreamError):
        return Decision.RAISE
    if isinstance(
        exc, (ProviderTimeoutError, ProviderConnectionError, RateLimitError, ServerError)
    ):
        return Decision.RETRY
    if isinstance(exc, (AuthenticationError, NotFoundError, StreamError)):
        return Decision.NEXT
    if isinstance(exc, ProviderError):
        status = exc.status
        if status is not None and (status in _RETRYABLE_STATUS or status >= 500):
            return Decision.RETRY
        return Decision.NEXT
    if isinstance(exc, (ConfigurationError, FallbackExhaustedError, ModelRouterError)):
        return Decision.NEXT
    if isinstance(exc, (TimeoutError, ConnectionError)):
        return Decision.RETRY
    return Decision.RAISE


def backoff_delay(retry_index: int, policy: RetryPolicy, rng: random.Random) -> float:
    """Exponential backoff for the `retry_index`-th retry (0-based), with jitter taken off."""
    delay = min(policy.backoff_max, policy.backoff_base * (2.0**retry_index))
    return max(0.0, delay * (1.0 - policy.jitter * rng.random()))


def retry_delay(
    exc: BaseException, retry_index: int, policy: RetryPolicy, rng: random.Random
) -> float | None:
    """Seconds to wait before retrying after `exc`, or None when the wait is beyond the cap.

    A provider's positive `retry_after` is honoured exactly (no jitter: it named the moment);
    without one, or with a wait of 0 or less (`Retry-After: 0`, a past date), exponential
    backoff applies, so a provider saying "now" is not hammered.
    """
    retry_after = exc.retry_after if isinstance(exc, ProviderError) else None
    if retry_after is not None and math.isfinite(retry_after) and retry_after > 0:
        if retry_after > policy.retry_after_cap:
            return None
        return retry_after
    return backoff_delay(retry_index, policy, rng)
