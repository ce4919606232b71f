"""Routing tests reuse the fallback suite's loopback providers, agents and call modes."""

from __future__ import annotations

from dataclasses import dataclass

from tests.integration.fallback.conftest import (  # noqa: F401  (fixtures)
    MODES,
    Model,
    Sleeps,
    _servers,  # pyright: ignore[reportPrivateUsage]
    anyio_backend,
    ask,
    make_agent,
    models,
    sleeps,
)

__all__ = ["MODES", "Clock", "Model", "Sleeps", "ask", "make_agent"]


@dataclass
class Clock:
    """Wall-clock seconds the tests move by hand (cooldowns without sleeping)."""

    now: float = 1_000_000.0

    def __call__(self) -> float:
        return self.now

    def advance(self, seconds: float) -> None:
        self.now += seconds
