"""The attempt plan both fallback twins drive: budgets, decisions, the final error.

Pure apart from the injected clock. `_fallback.py` (calls) and `_fallback_stream.py` (streams)
hold the sync and async shells; everything they decide is decided here.

Every attempt passes three places, the hooks for observers: `begin` (it starts), `succeeded`
/ `record` (it ends), `_skip` (a deployment skipped without a request, by `routing`'s gate).
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeAlias, TypeVar, cast

from . import _logs, _telemetry  # observer hooks (OTEL): logs and spans, cheap when off
from ._frozen import quick_init
from ._backoff import Decision, FallbackOn, RetryPolicy, classify, retry_delay
from ._errors import (
    ConfigurationError,
    FallbackExhaustedError,
    ModelRouterError,
    ProviderTimeoutError,
)
from ._types import Attempt
from ._validate import check_timeouts
from .routing.balance import Pool, order_plan
from .routing.health import DeploymentCoolingError, DeploymentSkipped, Gate

if TYPE_CHECKING:
    from ._types import Usage
    from .routing.health import Health

__all__ = [
    "ASleep",
    "AttemptBudget",
    "AttemptPlan",
    "Clock",
    "EngineSettings",
    "PlanEntry",
    "Sleep",
    "StreamRun",
    "Timeouts",
    "provider_of",
    "within",
]

T = TypeVar("T")
R = TypeVar("R")

Clock: TypeAlias = Callable[[], float]
Sleep: TypeAlias = Callable[[float], None]
ASleep: TypeAlias = Callable[[float], Awaitable[None]]

_MESSAGE_CHARS = 160
_SHARED_RNG = random.Random()


@dataclass(frozen=True)
class Timeouts:
    """Time limits in seconds (None: no limit), the same in the sync and async twins.

    Attributes:
        attempt: one try of one model; when it runs out the engine retries or moves on. A
            call's answer must arrive whole within it: a body trickled slower is cut at it.
            A stream must deliver its first content within it unless `first_chunk` is set
            (then within that), checked at every event, keep-alives included; a server
            silent before content is cut at that time. After content each wait for data is
            bounded by it (the read timeout), so a long answer that keeps flowing is not cut.
        first_chunk: a stream's time to its first non-empty text, counted from the start of
            the attempt (keep-alive and role-only chunks do not count, and a server silent
            after its status line is cut at this time); when it runs out, as `attempt`. It
            does not apply after content: pauses then are held to `attempt`.
        total: the whole call, every model and retry included; when it runs out the engine
            stops. A stream is held to it to its end: it is checked at every event (keep-
            alives included), and the attempt's limits never exceed what is left of it. A
            stream past it after content raises `MidStreamError` with the partial text (the
            cause a `ProviderTimeoutError`). A silent wait after content is cut at the total
            in the sync twin (each socket read is clamped to the deadline); in the async twin
            by the read timeout, so it can outlast the total by at most that one wait.

    The sync twin enforces these without a thread: every socket read of an HTTP/1.1 answer
    waits at most until the deadline in force. Over HTTP/2 or a custom transport (no socket
    of its own to clamp) the checks between reads still hold, and a read may last its read
    timeout.
    """

    attempt: float | None = 60.0
    first_chunk: float | None = None
    total: float | None = None

    def __post_init__(self) -> None:
        check_timeouts(self)  # _validate: ConfigurationError naming the field


@dataclass(frozen=True, slots=True)
class EngineSettings:
    """How the fallback engine runs: fixed per Agent, built once, shared by every call.

    Attributes:
        policy: backoff and `Retry-After` limits.
        timeouts: per attempt, first chunk and total.
        fallback_on: a hook `(error, decision) -> decision` that narrows or widens `classify`.
        sleep: the sync wait between retries; async_sleep: the async one.
        clock: monotonic seconds, for timeouts and attempt durations.
        rng: jitter source (None: a shared one).
        health: deployment cooldowns and client-side limits (None: off).
    """

    policy: RetryPolicy = RetryPolicy()
    timeouts: Timeouts = Timeouts()
    fallback_on: FallbackOn | None = None
    sleep: Sleep = time.sleep
    async_sleep: ASleep = asyncio.sleep
    clock: Clock = time.monotonic
    rng: random.Random | None = None
    health: Health | None = None


@dataclass(frozen=True)
class PlanEntry(Generic[T]):
    """One model of a fallback plan.

    Attributes:
        target: whatever the caller needs to call the model; opaque to the engine.
        label: the model id shown in attempts and errors.
        max_retries: retries after the first try, on retryable failures only.
        rpm, tpm: client-side requests and tokens per minute for this deployment.
        pool: the deployments of one fallback entry this is one of (None: a plain entry),
            reordered by its strategy at every call; member: its index in the pool.
    """

    target: T
    label: str
    max_retries: int = 0
    rpm: int | None = None
    tpm: int | None = None
    pool: Pool | None = None
    member: int = 0


@dataclass(frozen=True, slots=True)
class AttemptBudget:
    """The time one attempt may take, for the caller to pass on to its HTTP client.

    Attributes:
        timeout: the smaller of `Timeouts.attempt` and what is left of `Timeouts.total`.
        first_chunk: a stream's limit to its first content, within `timeout`.
        total: what is left of `Timeouts.total` (a stream may not outlast it, content or not).
        gate: the health gate the caller passes before sending (None: health is off).
        local: no gate, or one whose store does no I/O (the async path may skip an await).
    """

    timeout: float | None
    first_chunk: float | None
    total: float | None = None
    gate: Gate | None = None
    local: bool = False
    """No gate, or one whose store does no I/O: the async path may call `enter`/`spent`
    (False, the safe side, unless the engine says so)."""

    def enter(self, model: Any) -> None:
        """Before sending to `model`: raises `DeploymentSkipped` when it must be skipped."""
        if self.gate is not None:
            self.gate.enter(model)

    async def aenter(self, model: Any) -> None:
        """The async twin of `enter`."""
        if self.gate is not None:
            await self.gate.aenter(model)

    def spent(self, usage: Usage) -> None:
        """Count an answer's tokens against its deployment's tokens per minute."""
        if self.gate is not None and self.gate.tpm is not None:
            self.gate.spent(usage)

    async def aspent(self, usage: Usage) -> None:
        """The async twin of `spent` (a shared store's round trip never blocks the loop)."""
        if self.gate is not None and self.gate.tpm is not None:
            await self.gate.aspent(usage)

    @property
    def before_content(self) -> float | None:
        """A stream's limit to its first content: `first_chunk`, else the attempt's."""
        return self.timeout if self.first_chunk is None else self.first_chunk


quick_init(AttemptBudget)  # one per attempt (`_frozen`)


@dataclass
class StreamRun(Generic[T]):
    """What a stream tried, filled in as it runs: read it once the stream has ended or raised.

    Attributes:
        attempts: every attempt so far, the answering one last.
        answered: the entry whose content reached the caller, once content has arrived.
    """

    attempts: list[Attempt] = field(default_factory=list)
    answered: PlanEntry[T] | None = None


def _smaller(a: float | None, b: float | None) -> float | None:
    if a is None:
        return b
    if b is None:
        return a
    return min(a, b)


def provider_of(label: str) -> str:
    """The provider a model id names, as its endpoint does ("" for an id that names none).

    For the timeouts the engine raises itself, so they carry `provider` like those the HTTP
    layer raises. Resolution is cached; only error paths call this.
    """
    from ._resolve import resolve_route

    try:
        return resolve_route(label, lenient=True).provider
    except Exception:  # a custom model's label need not be a "provider/model" id
        return ""


def _short(exc: BaseException) -> str:
    text = str(exc).strip().splitlines()[0] if str(exc).strip() else ""
    if len(text) > _MESSAGE_CHARS:
        text = text[: _MESSAGE_CHARS - 3] + "..."
    return f"{type(exc).__name__}: {text}" if text else type(exc).__name__


class AttemptPlan(Generic[T]):
    """Where a run is in its plan, and what to do after each attempt (the pure core)."""

    __slots__ = (
        "entries",
        "settings",
        "timeouts",
        "clock",
        "attempts",
        "index",
        "retries",
        "tries",
        "finals",
        "deadline",
        "gate",
        "skipped",
        "forcing",
        "flying",
        "trace",
        "local",
    )

    def __init__(
        self,
        plan: Sequence[PlanEntry[T]],
        settings: EngineSettings,
        attempts: list[Attempt] | None = None,
    ) -> None:
        if not plan:
            raise ConfigurationError("A fallback plan needs at least one model.")
        entries = tuple(plan)
        for entry in entries:  # a loop, not any(): this runs at every step of every call
            if entry.pool is not None:
                entries = order_plan(entries)
                break
        self.entries = entries
        self.settings = settings  # policy, hook and rng: read when an attempt fails
        self.timeouts = timeouts = settings.timeouts
        self.clock = clock = settings.clock
        self.attempts: list[Attempt] = attempts if attempts is not None else []
        self.index = 0
        self.retries = 0
        self.tries = 0
        # (entry, attempts it took, its final error), in plan order.
        self.finals: list[tuple[PlanEntry[T], int, BaseException]] = []
        self.deadline = None if timeouts.total is None else clock() + timeouts.total
        self.gate = gate = None if settings.health is None else Gate(settings.health)
        self.local = gate is None or gate.local  # see `AttemptBudget.local`
        # (time it may be tried again, index) of every entry skipped as cooling or limited.
        self.skipped: list[tuple[float, int]] = []
        # Every entry was skipped or failed: the one that recovers first gets one last,
        # unchecked, turn (a call never fails without a request because of health alone).
        self.forcing = False
        # An attempt of a pooled entry counted in flight by its strategy, not yet landed.
        self.flying = False
        self.trace = _telemetry.current()  # observer hook (OTEL): None unless tracing is on

    @property
    def entry(self) -> PlanEntry[T]:
        return self.entries[self.index]

    def remaining(self) -> float | None:
        return None if self.deadline is None else self.deadline - self.clock()

    def begin(self) -> tuple[PlanEntry[T], AttemptBudget, float]:
        """Start an attempt: the entry, its budget and its start time; raises when time is up."""
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            self._stop_total()
        timeout = _smaller(self.timeouts.attempt, remaining)
        first_chunk = _smaller(self.timeouts.first_chunk, timeout)
        self.tries += 1
        entry = self.entry
        gate = self.gate
        if gate is not None:
            gate.prepare(entry.label, self.retries == 0 and not self.forcing, entry.rpm, entry.tpm)
        if entry.pool is not None:
            entry.pool.balancer.started(entry.pool.slots[entry.member])
            self.flying = True
        if self.trace is not None:  # observer hook (OTEL)
            self.trace.attempt(entry.label, entry.target, self.tries)
        budget = AttemptBudget(timeout, first_chunk, remaining, gate, self.local)
        return entry, budget, self.clock()

    def succeeded(self, started: float) -> None:
        entry = self.entry
        duration = self.clock() - started
        self.attempts.append(Attempt(entry.label, None, None, duration))
        if self.gate is not None:
            self.gate.succeeded()
        self._landed(duration)

    async def asucceeded(self, started: float) -> None:
        """The async twin of `succeeded`: the health store's async call, no blocking."""
        entry = self.entry
        duration = self.clock() - started
        self.attempts.append(Attempt(entry.label, None, None, duration))
        if self.gate is not None:
            await self.gate.asucceeded()
        self._landed(duration)

    def _landed(self, duration: float) -> None:
        self._land(duration)
        if self.trace is not None:  # observer hook (OTEL)
            self.trace.attempt_ok()

    def _land(self, seconds: float | None) -> None:
        """End the attempt for its pool's strategy, once (a stream may end it early)."""
        if self.flying:
            self.flying = False
            entry = self.entry
            assert entry.pool is not None
            entry.pool.balancer.finished(entry.pool.slots[entry.member], seconds)

    def released(self, started: float) -> None:
        """A committed stream whose reader is done with it (at its end, or early): no longer
        in flight for its pool's strategy, which hears its time so far."""
        self._land(self.clock() - started)

    def record(self, exc: BaseException, started: float) -> None:
        """Add a failed attempt to the list without deciding anything (mid-stream failures)."""
        entry = self.entry
        duration = self.clock() - started
        self.attempts.append(Attempt(entry.label, type(exc).__name__, exc, duration))
        self._land(None)
        if self.trace is not None:  # observer hook (OTEL)
            self.trace.attempt_failed(exc, entry.target)

    def failed(self, exc: Exception, started: float) -> float:
        """Record a failure; return seconds to sleep before the next attempt, or raise.

        Raises the final error: `exc` itself when the decision is RAISE or the plan has one
        entry, else `FallbackExhaustedError`.
        """
        self.record(exc, started)
        if self.gate is not None:
            if isinstance(exc, DeploymentSkipped):
                return self._skip(exc)
            self.gate.failed(exc)
        return self._decide(exc)

    async def afailed(self, exc: Exception, started: float) -> float:
        """The async twin of `failed`: the health store's async call, no blocking."""
        self.record(exc, started)
        if self.gate is not None:
            if isinstance(exc, DeploymentSkipped):
                return self._skip(exc)
            await self.gate.afailed(exc)
        return self._decide(exc)

    def _decide(self, exc: Exception) -> float:
        decision = classify(exc)
        settings = self.settings
        if settings.fallback_on is not None:
            decision = settings.fallback_on(exc, decision)
        if decision is Decision.RAISE:
            raise exc
        remaining = self.remaining()
        if remaining is not None and remaining <= 0:
            self._finish_entry(exc)
            self._stop_total()
        entry = self.entry
        if decision is Decision.RETRY and self.retries < entry.max_retries:
            rng = settings.rng or _SHARED_RNG
            delay = retry_delay(exc, self.retries, settings.policy, rng)
            # A wait past the cap or past the deadline helps nobody: the next model may answer now.
            if delay is not None and (remaining is None or delay < remaining):
                self.retries += 1
                _logs.retrying(entry.label, exc, self.tries, delay)  # observer hook (OTEL)
                return delay
        self._finish_entry(exc)
        tries = self.tries
        self._advance()
        _logs.falling_back(entry.label, exc, tries, self.entry.label)  # observer hook (OTEL)
        return 0.0

    def _skip(self, exc: DeploymentSkipped) -> float:
        """An entry skipped without a request (the one place skips are decided)."""
        reason = "cooldown" if isinstance(exc, DeploymentCoolingError) else "client-side limit"
        _logs.skipped(self.entry.label, reason)  # observer hook (OTEL)
        self.skipped.append((exc.until, self.index))
        self.finals.append((self.entry, 0, exc))
        self._advance()
        return 0.0

    def _advance(self) -> None:
        """On to the next entry; past the last, the skipped entry that recovers first."""
        if self.forcing or (self.index + 1 >= len(self.entries) and not self.skipped):
            self._stop_exhausted()
        if self.index + 1 < len(self.entries):
            self.index += 1
        else:
            self.forcing = True
            self.index = min(self.skipped)[1]
        self.retries = 0
        self.tries = 0

    def _finish_entry(self, exc: BaseException) -> None:
        self.finals.append((self.entry, self.tries, exc))

    def _stop_exhausted(self) -> None:
        if len(self.entries) == 1:
            raise self.finals[-1][2]
        raise self._group(f"All {len(self.entries)} models failed:")

    def _stop_total(self) -> None:
        total = self.timeouts.total
        if len(self.entries) == 1 and self.finals:
            raise self.finals[-1][2]
        if not self.finals:
            label = self.entry.label
            raise ProviderTimeoutError(
                f"The total timeout of {total:g}s ran out before {label} was tried.",
                provider=provider_of(label),
                model=label,
            )
        tried = len(self.finals)
        raise self._group(
            f"The total timeout of {total:g}s ran out after {tried} of"
            f" {len(self.entries)} models:"
        )

    def _group(self, headline: str) -> FallbackExhaustedError:
        lines = [headline]
        for entry, tries, exc in self.finals:
            noun = "attempt" if tries == 1 else "attempts"
            lines.append(f"  {entry.label}: {tries} {noun}, last {_short(exc)}")
        # Non-modelrouter errors only reach here when a fallback_on hook widened the policy.
        errors = cast(list[ModelRouterError], [exc for _, _, exc in self.finals])
        return FallbackExhaustedError("\n".join(lines), errors, attempts=tuple(self.attempts))


async def within(seconds: float | None, awaitable: Awaitable[R], label: str) -> R:
    """Await `awaitable`, turning our own deadline into `ProviderTimeoutError` for `label`."""
    if seconds is None:
        return await awaitable
    timer = asyncio.timeout(max(seconds, 0.0))
    try:
        async with timer:
            return await awaitable
    except TimeoutError as exc:
        if not timer.expired():
            raise  # the call's own timeout, not ours
        raise ProviderTimeoutError(
            f"{label} gave no answer within {seconds:g}s.", provider=provider_of(label), model=label
        ) from exc
