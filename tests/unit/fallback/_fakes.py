"""Scripted models, a fake clock and twin drivers for the fallback engine's unit tests.

A `Script` maps each target to the outcomes of its successive attempts. A call outcome is an
exception (raised) or a string (returned); a stream outcome is a list of steps, each a
`StreamPart` (yielded), an exception (raised) or `HANG` (wait until cancelled). The `Driver`
runs the same script through the sync or the async engine, so every behaviour is tested twice.
"""

from __future__ import annotations

import asyncio
import random
from collections.abc import AsyncIterator, Iterator, Sequence
from dataclasses import dataclass, field
from typing import Any, Final

from modelrouter._fallback import (
    AttemptBudget,
    EngineSettings,
    PlanEntry,
    StreamRun,
    run_async,
    run_sync,
    stream_async,
    stream_sync,
)
from modelrouter._types import Attempt, StreamPart

HANG: Final = "hang"

CallOutcome = BaseException | str
StreamStep = StreamPart | BaseException | str


class FakeClock:
    """Monotonic seconds that move only when told to (by a sleep or a simulated latency)."""

    def __init__(self) -> None:
        self.now = 1000.0
        self.sleeps: list[float] = []

    def __call__(self) -> float:
        return self.now

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.now += seconds

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)


@dataclass
class Script:
    """What each target does on each attempt; records every call with its budget."""

    outcomes: dict[str, list[Any]]
    clock: FakeClock
    latency: float = 0.0
    """Simulated seconds each attempt takes on the fake clock."""
    calls: list[tuple[str, AttemptBudget]] = field(default_factory=list)
    closed: list[str] = field(default_factory=list)

    def _next(self, target: str, budget: AttemptBudget) -> Any:
        self.calls.append((target, budget))
        self.clock.now += self.latency
        queue = self.outcomes[target]
        return queue.pop(0) if len(queue) > 1 else queue[0]

    def call(self, target: str, budget: AttemptBudget) -> str:
        outcome = self._next(target, budget)
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, str)
        return outcome

    async def acall(self, target: str, budget: AttemptBudget) -> str:
        outcome = self._next(target, budget)
        if outcome == HANG:
            await asyncio.Event().wait()
        if isinstance(outcome, BaseException):
            raise outcome
        assert isinstance(outcome, str)
        return outcome

    def open_stream(self, target: str, budget: AttemptBudget) -> Iterator[StreamPart]:
        steps: Sequence[StreamStep] = self._next(target, budget)

        def parts() -> Iterator[StreamPart]:
            try:
                for step in steps:
                    if isinstance(step, BaseException):
                        raise step
                    assert not isinstance(step, str), "HANG is async-only"
                    yield step
            finally:
                self.closed.append(target)

        return parts()

    async def aopen_stream(self, target: str, budget: AttemptBudget) -> AsyncIterator[StreamPart]:
        steps: Sequence[StreamStep] = self._next(target, budget)

        async def parts() -> AsyncIterator[StreamPart]:
            try:
                for step in steps:
                    if isinstance(step, BaseException):
                        raise step
                    if isinstance(step, str):
                        await asyncio.Event().wait()
                        continue
                    yield step
            finally:
                self.closed.append(target)

        return parts()

    def targets_called(self) -> list[str]:
        return [target for target, _ in self.calls]


@dataclass
class Driver:
    """Runs the engine synchronously or asynchronously with one set of arguments."""

    mode: str

    async def run(
        self, plan: Sequence[PlanEntry[str]], script: Script, **kwargs: Any
    ) -> tuple[str, PlanEntry[str], tuple[Attempt, ...]]:
        settings = _settings(script, kwargs)
        if self.mode == "sync":
            return run_sync(plan, script.call, settings)
        return await run_async(plan, script.acall, settings)

    async def stream(
        self,
        plan: Sequence[PlanEntry[str]],
        script: Script,
        run: StreamRun[str],
        *,
        received: list[StreamPart] | None = None,
        **kwargs: Any,
    ) -> list[StreamPart]:
        """Collect every part; `received` (if given) keeps what arrived before an error."""
        parts: list[StreamPart] = received if received is not None else []
        settings = _settings(script, kwargs)
        if self.mode == "sync":
            for part in stream_sync(plan, script.open_stream, run, settings):
                parts.append(part)
        else:
            async for part in stream_async(plan, script.aopen_stream, run, settings):
                parts.append(part)
        return parts


def _settings(script: Script, kwargs: dict[str, Any]) -> EngineSettings:
    """The engine settings a test asked for, on the script's fake clock and a seeded rng."""
    kwargs.setdefault("clock", script.clock)
    kwargs.setdefault("rng", random.Random(7))
    return EngineSettings(sleep=script.clock.sleep, async_sleep=script.clock.asleep, **kwargs)


def plan(*entries: tuple[str, int]) -> list[PlanEntry[str]]:
    """`plan(("a", 2), ("b", 0))`: targets are also the labels, as "p/<target>"."""
    return [PlanEntry(target, f"p/{target}", retries) for target, retries in entries]
