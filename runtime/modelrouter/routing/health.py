"""`Health`: per-deployment cooldowns and client-side limits, and the gate each attempt passes.

The engine asks the gate once per entry per call (a call's own retries of a deployment it
has started on follow the retry policy, not the health state): a cooling deployment is
skipped without a request (`DeploymentCoolingError` in `result.attempts`), one over its
client-side limit likewise (`ClientRateLimitError`). Outcomes feed the store: 429 and 401
cool down at once, 5xx/timeouts/connection errors after `failure_threshold` in a row, any
answer heals.
"""

from __future__ import annotations

import math
import os
import threading
from typing import TYPE_CHECKING, Any

from modelrouter._errors import (
    AuthenticationError,
    ModelRouterError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    RateLimitError,
    ServerError,
)

from .identity import deployment_key
from .memory import MemoryStore
from .policy import HealthPolicy
from .store import HealthStore, Verdict

if TYPE_CHECKING:
    from modelrouter._types import Usage

__all__ = [
    "ClientRateLimitError",
    "DeploymentCoolingError",
    "DeploymentSkipped",
    "Gate",
    "Health",
    "default_health",
    "reset_default_health",
]


class DeploymentSkipped(ModelRouterError):
    """An attempt not sent: the deployment is cooling down or over a client-side limit.

    Attributes:
        model: the model id of the skipped entry.
        until: wall-clock time the deployment may next be tried.
    """

    def __init__(self, message: str, model: str, until: float) -> None:
        super().__init__(message)
        self.model = model
        self.until = until


class DeploymentCoolingError(DeploymentSkipped):
    """Skipped: the deployment failed recently and is cooling down (no request was sent)."""


class ClientRateLimitError(DeploymentSkipped):
    """Skipped: the deployment's client-side requests/tokens per minute are used up."""


class Health:
    """Deployment health and limits shared by every Agent given this object.

    Args:
        store: where the state lives: a `MemoryStore` (this process) or a `RedisStore`
            (a fleet). Default: in memory.
        policy: cooldown lengths and the failure threshold (a `HealthPolicy`).
    """

    def __init__(
        self, store: HealthStore | None = None, policy: HealthPolicy | None = None
    ) -> None:
        self.store: HealthStore = store if store is not None else MemoryStore()
        self.policy = policy if policy is not None else HealthPolicy()

    def __repr__(self) -> str:
        return f"Health(store={type(self.store).__name__}, policy={self.policy!r})"

    def cooldown_for(self, exc: BaseException) -> tuple[bool, float | None]:
        """(counts, cooldown): whether `exc` says anything about the deployment's health, and
        the cooldown it starts at once (None: count it towards the threshold)."""
        policy = self.policy
        if isinstance(exc, RateLimitError) or (
            isinstance(exc, ProviderError) and exc.status == 429
        ):
            after = exc.retry_after
            if after is None or not math.isfinite(after) or after <= 0:
                after = policy.rate_limit_cooldown
            return True, policy.cooldown(after)
        if isinstance(exc, AuthenticationError):
            return True, policy.cooldown(policy.auth_cooldown)
        if isinstance(exc, (ServerError, ProviderTimeoutError, ProviderConnectionError)):
            return True, None
        if isinstance(exc, ProviderError) and exc.status is not None and exc.status >= 500:
            return True, None
        return False, None


_default: Health | None = None
_default_lock = threading.Lock()


def default_health() -> Health:
    """The process-wide `Health` every Agent uses unless given its own (or `health=False`).

    In memory; with `MODELROUTER_REDIS_URL` set, in that Redis (redis imported only then).
    """
    global _default
    if _default is None:
        with _default_lock:
            if _default is None:
                url = os.environ.get("MODELROUTER_REDIS_URL")
                if url:
                    from .redis_store import RedisStore

                    _default = Health(RedisStore(url))
                else:
                    _default = Health()
    return _default


def reset_default_health() -> None:
    """Forget the process-wide state (after rotating keys, or between tests): its in-memory
    store is cleared, and the next Agent reads `MODELROUTER_REDIS_URL` afresh."""
    global _default
    with _default_lock:
        if _default is not None and isinstance(_default.store, MemoryStore):
            _default.store.clear()
        _default = None


class Gate:
    """One run's door to the health state: `enter` before sending, `report` after.

    The engine sets `check` (False for a retry, or the one forced try when every entry is
    cooling) and the entry's limits before each attempt; the Agent's attempt calls `enter`
    with the model it built, before any request.
    """

    __slots__ = ("health", "label", "check", "rpm", "tpm", "key", "verdict", "local")

    def __init__(self, health: Health) -> None:
        self.health = health
        # Our in-process store does no I/O: the async twins may call its sync methods (an
        # await less per call into it). A subclass may do I/O in its async twins: awaited.
        self.local = type(health.store) is MemoryStore
        self.label = ""
        self.check = True
        self.rpm: int | None = None
        self.tpm: int | None = None
        self.key: str | None = None
        self.verdict: Verdict = "ok"

    def prepare(self, label: str, check: bool, rpm: int | None, tpm: int | None) -> None:
        self.label, self.check, self.rpm, self.tpm = label, check, rpm, tpm
        self.key = None
        self.verdict = "ok"

    def enter(self, model: Any) -> None:
        """Raise `DeploymentSkipped` when `model`'s deployment must not be sent to now."""
        self.key = key = deployment_key(model)
        health = self.health
        now = health.policy.clock()
        if self.check:
            self.verdict, until = health.store.check(key, now, health.policy.probe_lease)
            if self.verdict == "cooling":
                raise self._cooling(until)
        if (self.rpm is not None or self.tpm is not None) and not health.store.take(
            key, now, self.rpm, self.tpm
        ):
            raise self._limited(now)

    async def aenter(self, model: Any) -> None:
        """The async twin of `enter`."""
        self.key = key = deployment_key(model)
        health = self.health
        now = health.policy.clock()
        if self.check:
            self.verdict, until = await health.store.acheck(key, now, health.policy.probe_lease)
            if self.verdict == "cooling":
                raise self._cooling(until)
        if (self.rpm is not None or self.tpm is not None) and not await health.store.atake(
            key, now, self.rpm, self.tpm
        ):
            raise self._limited(now)

    def _cooling(self, until: float) -> DeploymentCoolingError:
        left = max(until - self.health.policy.clock(), 0.0)
        return DeploymentCoolingError(
            f"{self.label} is cooling down for {left:.1f}s more; skipped without a request.",
            self.label,
            until,
        )

    def _limited(self, now: float) -> ClientRateLimitError:
        until = (now // 60.0 + 1.0) * 60.0
        return ClientRateLimitError(
            f"{self.label} is at its client-side requests/tokens per minute; skipped.",
            self.label,
            until,
        )

    def spent(self, usage: Usage) -> None:
        """Count an answer's tokens against the deployment's tokens per minute."""
        tokens = usage.total_tokens
        if self.tpm is not None and self.key is not None and tokens:
            self.health.store.spend(self.key, self.health.policy.clock(), tokens)

    async def aspent(self, usage: Usage) -> None:
        """The async twin of `spent`: the store's async call, so a shared store (Redis) never
        blocks the event loop on its round trip."""
        tokens = usage.total_tokens
        if self.tpm is not None and self.key is not None and tokens:
            await self.health.store.aspend(self.key, self.health.policy.clock(), tokens)

    def succeeded(self) -> None:
        key = self.key
        if key is not None:
            self.health.store.healed(key)

    async def asucceeded(self) -> None:
        """The async twin of `succeeded`."""
        key = self.key
        if key is not None:
            await self.health.store.ahealed(key)

    def failed(self, exc: BaseException) -> None:
        what = self._failure(exc)
        if what is None:
            return
        key, counts, cooldown = what
        policy = self.health.policy
        if counts:
            self.health.store.failed(key, policy.clock(), cooldown, *self._after())
            self._cooled(cooldown, exc)
        else:
            self.health.store.healed(key)  # it answered (a 400 is an answer): alive

    async def afailed(self, exc: BaseException) -> None:
        """The async twin of `failed`."""
        what = self._failure(exc)
        if what is None:
            return
        key, counts, cooldown = what
        policy = self.health.policy
        if counts:
            await self.health.store.afailed(key, policy.clock(), cooldown, *self._after())
            self._cooled(cooldown, exc)
        else:
            await self.health.store.ahealed(key)

    def _failure(self, exc: BaseException) -> tuple[str, bool, float | None] | None:
        """What the store must hear of `exc`: (key, True, cooldown) a failure that counts,
        (key, False, None) a probe's answer that heals, None nothing."""
        key = self.key
        if key is None or isinstance(exc, DeploymentSkipped):
            return None
        counts, cooldown = self.health.cooldown_for(exc)
        if not counts and self.verdict != "probe":
            return None
        return key, counts, cooldown

    def _after(self) -> tuple[int, float]:
        """The failure threshold, and the cooldown reaching it starts."""
        policy = self.health.policy
        return policy.failure_threshold, policy.failure_cooldown

    def _cooled(self, cooldown: float | None, exc: BaseException) -> None:
        if cooldown is not None:
            from modelrouter import _logs

            _logs.cooled_down(self.label, cooldown, type(exc).__name__)
