"""`HealthPolicy`: how long a failing deployment cools down, as one small frozen object."""

from __future__ import annotations

import time
from collections.abc import Callable
from dataclasses import dataclass

from modelrouter._errors import ConfigurationError

__all__ = ["HealthPolicy"]

_DAY = 86_400.0


@dataclass(frozen=True, slots=True)
class HealthPolicy:
    """When a deployment (provider + base URL + key) cools down, and for how long.

    A cooling deployment is skipped without a request; once its cooldown is over, one caller
    (across the process, or the fleet with a Redis store) gets a trial request: success heals
    it, failure cools it down again.

    Attributes:
        rate_limit_cooldown: after a 429 without `Retry-After` (seconds).
        max_cooldown: the longest cooldown, whatever `Retry-After` asks for.
        failure_threshold: consecutive 5xx answers, timeouts or connection errors that cool a
            deployment down (one 429 or 401 is enough).
        failure_cooldown: the cooldown after those failures.
        auth_cooldown: after a 401/403 (a revoked key stays revoked for a while).
        probe_lease: how long the one trial request holds the half-open slot; if its caller
            never reports (a killed process), another caller may probe after this.
        clock: wall-clock seconds (shared by every process of a fleet); tests inject their own.
    """

    rate_limit_cooldown: float = 30.0
    max_cooldown: float = 300.0
    failure_threshold: int = 3
    failure_cooldown: float = 30.0
    auth_cooldown: float = 300.0
    probe_lease: float = 60.0
    clock: Callable[[], float] = time.time

    def __post_init__(self) -> None:
        for name in (
            "rate_limit_cooldown",
            "max_cooldown",
            "failure_cooldown",
            "auth_cooldown",
            "probe_lease",
        ):
            value = getattr(self, name)
            if isinstance(value, bool) or not isinstance(value, (int, float)):
                raise ConfigurationError(f"HealthPolicy.{name} must be seconds, got {value!r}")
            if not 0 < value <= _DAY:
                raise ConfigurationError(
                    f"HealthPolicy.{name} must be more than 0 and at most a day, got {value!r}"
                )
        threshold = self.failure_threshold
        if (
            isinstance(threshold, bool)
            or not isinstance(threshold, int)
            or not 1 <= threshold <= 100
        ):
            raise ConfigurationError(
                f"HealthPolicy.failure_threshold must be an int from 1 to 100, got {threshold!r}"
            )
        if not callable(self.clock):
            raise ConfigurationError("HealthPolicy.clock must be callable")

    def cooldown(self, seconds: float) -> float:
        """`seconds` held to (0, max_cooldown]."""
        return min(max(seconds, 0.001), self.max_cooldown)
