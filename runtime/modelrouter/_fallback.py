"""The fallback engine: try each model of a plan in order, retrying where it can help.

All decisions live in `AttemptPlan`, a small state machine both twins drive; `run_sync` and
`run_async` differ only in how they call and sleep. The engine never sees a provider: each
`PlanEntry.target` is opaque and the caller's `call` resolves it lazily, so a missing key on
the first entry is just a failure like any other and the second entry answers.

Streams follow one rule: a failure before the first non-empty text delta falls back (an error
event in a 200 stream, a stream cut or ended before content); after content has reached the
caller, the engine raises `MidStreamError` with the partial text and never switches models
mid-answer. See `_fallback_stream.py`.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Awaitable, Callable, Sequence
from typing import Final, TypeVar

from ._backoff import Decision, FallbackOn, RetryPolicy, classify
from ._fallback_plan import (
    ASleep,
    AttemptBudget,
    Clock,
    EngineSettings,
    PlanEntry,
    Sleep,
    StreamRun,
    Timeouts,
    AttemptPlan,
    within,
)
from ._fallback_stream import AsyncStreamSession, StreamSession, stream_async, stream_sync
from ._types import Attempt
from ._watchdog import Watchdog

__all__ = [
    "ASleep",
    "AsyncStreamSession",
    "AttemptBudget",
    "Clock",
    "DEFAULT_SETTINGS",
    "EngineSettings",
    "Decision",
    "FallbackOn",
    "PlanEntry",
    "RetryPolicy",
    "Sleep",
    "StreamRun",
    "StreamSession",
    "Timeouts",
    "classify",
    "run_async",
    "run_sync",
    "stream_async",
    "stream_sync",
]

T = TypeVar("T")
R = TypeVar("R")

DEFAULT_SETTINGS: Final = EngineSettings()


def run_sync(
    plan: Sequence[PlanEntry[T]],
    call: Callable[[T, AttemptBudget], R],
    settings: EngineSettings = DEFAULT_SETTINGS,
) -> tuple[R, PlanEntry[T], tuple[Attempt, ...]]:
    """Call each entry of `plan` in order until one answers.

    Args:
        plan: the models to try, in order.
        call: `call(target, budget)` makes one attempt; any exception it raises is classified.
        settings: policy, timeouts, hook, and the sleep/clock/rng tests replace.

    Returns:
        The answer, the entry that gave it, and every attempt made.

    Raises:
        FallbackExhaustedError: every entry failed (or the total timeout ran out) and the plan
            has more than one entry. A one-entry plan re-raises that entry's error unchanged.
    """
    run = AttemptPlan(plan, settings)
    while True:
        entry, budget, started = run.begin()
        try:
            result = call(entry.target, budget)
        except Exception as exc:
            delay = run.failed(exc, started)
            if delay > 0:
                settings.sleep(delay)
            continue
        run.succeeded(started)
        return result, entry, tuple(run.attempts)


async def run_async(
    plan: Sequence[PlanEntry[T]],
    acall: Callable[[T, AttemptBudget], Awaitable[R]],
    settings: EngineSettings = DEFAULT_SETTINGS,
    watchdog: Watchdog | None = None,
) -> tuple[R, PlanEntry[T], tuple[Attempt, ...]]:
    """The async twin of `run_sync`; the attempt timeout is also enforced around `acall`.

    A caller that runs several plans in one task (the steps of a tool loop) passes one
    `watchdog` for all of them: one timer for the call instead of one per attempt.
    """
    run = AttemptPlan(plan, settings)
    guard = within if watchdog is None else watchdog.guard
    while True:
        entry, budget, started = run.begin()
        try:
            result = await guard(budget.timeout, acall(entry.target, budget), entry.label)
        except Exception as exc:
            delay = await run.afailed(exc, started)
            if delay > 0:
                await settings.async_sleep(delay)
            continue
        if run.local:
            run.succeeded(started)
        else:
            await run.asucceeded(started)
        return result, entry, tuple(run.attempts)
