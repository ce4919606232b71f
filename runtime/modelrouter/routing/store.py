"""The store interface health and rate limits live behind: in memory, or Redis for a fleet.

Every operation is one atomic step on one deployment's state, so a store shared by many
processes (Redis, with a Lua script per operation) needs no lock around a sequence of them.
Keys are deployment identities (`identity.py`): a provider, a hashed URL and a keyed hash
of the API key; no secret ever reaches a store.
"""

from __future__ import annotations

from typing import Literal, Protocol, TypeAlias

__all__ = ["HealthStore", "Verdict", "WINDOW"]

Verdict: TypeAlias = Literal["ok", "cooling", "probe"]
"""`ok`: send; `cooling`: skip (until the time returned); `probe`: send, as the one trial."""

WINDOW = 60.0
"""The rate-limit window in seconds (requests and tokens per minute)."""


class HealthStore(Protocol):
    """Deployment state shared by every Agent using the store (sync and async twins)."""

    def check(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        """Whether to send to `key` now; when cooling, the time it may next be tried.

        A deployment past its cooldown answers `probe` to exactly one caller (which then
        holds the half-open slot for `lease` seconds) and `cooling` to everyone else.
        """
        ...

    def failed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        """Record a failure: cool down for `cooldown` s at once (429, 401), or count it and
        cool down for `after` s at the `threshold`-th in a row (or when a probe failed)."""
        ...

    def healed(self, key: str) -> None:
        """An answer arrived: forget every failure of `key`."""
        ...

    def take(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        """Count one request in this minute's window unless it would pass `rpm`, or the
        tokens already spent reach `tpm`; False: over a limit (nothing counted)."""
        ...

    def spend(self, key: str, now: float, tokens: int) -> None:
        """Add the tokens an answer used to this minute's window."""
        ...

    async def acheck(self, key: str, now: float, lease: float) -> tuple[Verdict, float]: ...

    async def afailed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None: ...

    async def ahealed(self, key: str) -> None: ...

    async def atake(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool: ...

    async def aspend(self, key: str, now: float, tokens: int) -> None: ...
