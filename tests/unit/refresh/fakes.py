"""Stand-ins for the pipeline: a scripted `generate` and the clock the job compares mtimes with."""

from __future__ import annotations

import os
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING, Any, cast

if TYPE_CHECKING:
    from modelrouter_generator.pipeline import GenerateOptions, GenerateReport


@dataclass(frozen=True)
class FakeFailure:
    gateway_id: str
    message: str


@dataclass(frozen=True)
class FakeReport:
    providers: int = 1
    models: int = 1
    added: dict[str, tuple[str, ...]] = field(default_factory=dict)
    dropped: dict[str, tuple[str, ...]] = field(default_factory=dict)
    failures: tuple[FakeFailure, ...] = ()


@dataclass(frozen=True)
class FakeOptions:
    out_dir: Path
    offline: bool = False
    verify: bool = True


def report(**kwargs: Any) -> GenerateReport:
    return cast("GenerateReport", FakeReport(**kwargs))


def options(out_dir: Path, **kwargs: Any) -> GenerateOptions:
    return cast("GenerateOptions", FakeOptions(out_dir, **kwargs))


class Clock:
    """Wall-clock seconds the test moves by hand."""

    def __init__(self, now: float = 1_000_000.0) -> None:
        self.now = now

    def __call__(self) -> float:
        return self.now


class ScriptedGenerate:
    """Plays one scripted outcome per call (a report, or an exception to raise).

    Each successful call writes `modelrouter_catalog/__init__.py` the way the pipeline would, so
    the job's freshness logic sees a real file.
    """

    def __init__(self, clock: Clock, outcomes: list[GenerateReport | BaseException]) -> None:
        self.clock = clock
        self.outcomes = outcomes
        self.calls: list[GenerateOptions] = []

    def __call__(self, opts: GenerateOptions) -> GenerateReport:
        self.calls.append(opts)
        outcome = self.outcomes.pop(0)
        if isinstance(outcome, BaseException):
            raise outcome
        init = opts.out_dir / "modelrouter_catalog" / "__init__.py"
        init.parent.mkdir(parents=True, exist_ok=True)
        init.write_text(f"CALLS = {len(self.calls)}\n")
        os.utime(init, (self.clock.now, self.clock.now))
        return outcome


class ScriptedWait:
    """Records each requested sleep, advances the clock by it, stops after `rounds` sleeps."""

    def __init__(
        self, clock: Clock, rounds: int, on_wait: Callable[[], None] | None = None
    ) -> None:
        self.clock = clock
        self.rounds = rounds
        self.delays: list[float] = []
        self.on_wait = on_wait

    def __call__(self, seconds: float) -> bool:
        self.delays.append(seconds)
        if len(self.delays) > self.rounds:
            return True
        self.clock.now += seconds
        if self.on_wait is not None:
            self.on_wait()
        return False
