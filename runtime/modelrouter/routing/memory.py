"""`MemoryStore`: deployment state in this process, shared by every Agent (the default)."""

from __future__ import annotations

import threading

from .store import WINDOW, Verdict

__all__ = ["MemoryStore"]


class MemoryStore:
    """In-process health and rate-limit state; thread-safe, one lock, no I/O.

    A healthy deployment has no entry at all, so the common call is one dict lookup to check
    and one to report.
    """

    def __init__(self) -> None:
        self._lock = threading.Lock()
        # key -> [cooling until, probe lease until, consecutive failures]
        self._health: dict[str, list[float]] = {}
        # key -> [window index, requests, tokens]
        self._usage: dict[str, list[float]] = {}

    def clear(self) -> None:
        """Forget every deployment's state."""
        with self._lock:
            self._health.clear()
            self._usage.clear()

    def cool(self, key: str, until: float) -> None:
        """Copy a cooldown seen elsewhere (a shared store), for when that store is gone."""
        with self._lock:
            state = self._health.setdefault(key, [0.0, 0.0, 0.0])
            if state[0] < until:
                state[:] = [until, 0.0, 0.0]

    def check(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        state = self._health.get(key)
        if state is None or state[0] == 0.0:
            return "ok", 0.0
        with self._lock:
            until, probe, _ = state
            if until == 0.0:
                return "ok", 0.0
            if now < until:
                return "cooling", until
            if probe > now:
                return "cooling", probe
            state[1] = now + lease
            return "probe", until

    def failed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        with self._lock:
            state = self._health.setdefault(key, [0.0, 0.0, 0.0])
            if cooldown is None:
                state[2] += 1
                if state[2] < threshold and state[1] == 0.0:
                    return
                cooldown = after
            state[:] = [now + cooldown, 0.0, 0.0]

    def healed(self, key: str) -> None:
        if key in self._health:
            with self._lock:
                self._health.pop(key, None)

    def take(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        window = float(now // WINDOW)
        with self._lock:
            usage = self._usage.get(key)
            if usage is None or usage[0] != window:
                usage = self._usage[key] = [window, 0.0, 0.0]
            if (rpm is not None and usage[1] >= rpm) or (tpm is not None and usage[2] >= tpm):
                return False
            usage[1] += 1
            return True

    def spend(self, key: str, now: float, tokens: int) -> None:
        window = float(now // WINDOW)
        with self._lock:
            usage = self._usage.get(key)
            if usage is None or usage[0] != window:
                usage = self._usage[key] = [window, 0.0, 0.0]
            usage[2] += tokens

    async def acheck(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        return self.check(key, now, lease)

    async def afailed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        self.failed(key, now, cooldown, threshold, after)

    async def ahealed(self, key: str) -> None:
        self.healed(key)

    async def atake(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        return self.take(key, now, rpm, tpm)

    async def aspend(self, key: str, now: float, tokens: int) -> None:
        self.spend(key, now, tokens)
