"""`RedisStore`: deployment health and limits shared by a fleet of processes through Redis.

Each operation is one Lua script (atomic on the server), every key has a TTL, and keys hold
only deployment identities (provider, URL hash, key fingerprint) and numbers. When Redis
cannot be reached the store answers from in-process state (`MemoryStore`), logs one warning
on the `modelrouter` logger, and tries Redis again after `retry_interval` seconds: a Redis
outage never fails a call.

The sync methods use a `redis.Redis`; the async ones a `redis.asyncio.Redis` per event loop
(connections belong to a loop). Call `close()` / `await aclose()` when done with the store.
"""

from __future__ import annotations

import asyncio
import logging
import os
import threading
import time
import weakref
from collections.abc import Callable
from typing import Any, TypeAlias, TypeVar

from modelrouter._errors import ConfigurationError

from . import redis_lua
from .redis_client import AsyncClient, AsyncScript, Client, aconnect, connect, down_errors
from .memory import MemoryStore
from .store import WINDOW, Verdict

__all__ = ["RedisStore"]

R = TypeVar("R")

_log = logging.getLogger("modelrouter")

_AsyncEntry: TypeAlias = "tuple[AsyncClient, dict[str, AsyncScript]]"
"""An event loop's async client and its scripts."""


class RedisStore:
    """Health and rate-limit state in Redis, for every process that points at it.

    Args:
        url: e.g. "redis://127.0.0.1:6379/0" (default: `MODELROUTER_REDIS_URL`).
        prefix: the namespace of every key.
        timeout: seconds for a connect or a reply before Redis counts as down.
        retry_interval: seconds to stay on in-process state after Redis went down.
    """

    def __init__(
        self,
        url: str | None = None,
        *,
        prefix: str = "modelrouter",
        timeout: float = 0.25,
        retry_interval: float = 5.0,
    ) -> None:
        url = url or os.environ.get("MODELROUTER_REDIS_URL")
        if not url:
            raise ConfigurationError("RedisStore needs url= or MODELROUTER_REDIS_URL")
        self.url, self.prefix, self.timeout = url, prefix, timeout
        self.retry_interval = retry_interval
        self.local = MemoryStore()
        self._client: Client = connect(url, timeout)  # imports redis (the `redis` extra)
        self._down = down_errors()
        self._scripts = {
            name: self._client.register_script(getattr(redis_lua, name))
            for name in ("CHECK", "FAILED", "TAKE", "SPEND")
        }
        self._aclients: weakref.WeakKeyDictionary[asyncio.AbstractEventLoop, _AsyncEntry] = (
            weakref.WeakKeyDictionary()
        )
        self._down_until = 0.0
        self._lock = threading.Lock()
        # Keys this process saw failing: only they need a write when an answer heals them.
        self._dirty: set[str] = set()

    def __repr__(self) -> str:
        return f"RedisStore(prefix={self.prefix!r})"  # the URL may hold a password

    # -- availability -----------------------------------------------------------------

    def _up(self) -> bool:
        return self._down_until == 0.0 or time.monotonic() >= self._down_until

    def _went_down(self, exc: BaseException) -> None:
        with self._lock:
            first = self._down_until == 0.0
            self._down_until = time.monotonic() + self.retry_interval
        if first:
            _log.warning(
                "Redis at %s is unreachable (%s): deployment health now uses in-process"
                " state until it is back.",
                self.prefix,
                type(exc).__name__,
            )

    def _back(self) -> None:
        if self._down_until:
            self._down_until = 0.0
            _log.info("Redis is back: deployment health is shared again.")

    def _sync(self, name: str, keys: list[str], args: list[Any], local: Callable[[], R]) -> Any:
        if not self._up():
            return local()
        try:
            answer = self._scripts[name](keys=keys, args=args)
        except self._down as exc:
            self._went_down(exc)
            return local()
        self._back()
        return answer

    async def _async(
        self, name: str, keys: list[str], args: list[Any], local: Callable[[], R]
    ) -> Any:
        if not self._up():
            return local()
        try:
            answer = await self._ascript(name)(keys=keys, args=args)
        except self._down as exc:
            self._went_down(exc)
            return local()
        self._back()
        return answer

    def _ascript(self, name: str) -> AsyncScript:
        return self._aentry()[1][name]

    def _aentry(self) -> _AsyncEntry:
        """This event loop's async client and its scripts (made on first use)."""
        loop = asyncio.get_running_loop()
        entry = self._aclients.get(loop)
        if entry is None:
            client = aconnect(self.url, self.timeout)
            scripts = {n: client.register_script(getattr(redis_lua, n)) for n in self._scripts}
            entry = self._aclients[loop] = (client, scripts)
        return entry

    # -- keys and answers ---------------------------------------------------------------

    def _health_key(self, key: str) -> str:
        return f"{self.prefix}:health:{key}"

    def _usage_key(self, key: str, now: float) -> str:
        return f"{self.prefix}:usage:{key}:{int(now // WINDOW)}"

    def _verdict(self, key: str, answer: Any) -> tuple[Verdict, float]:
        if isinstance(answer, tuple):  # from the in-process fallback
            return answer
        verdict, until, fails = (v.decode() if isinstance(v, bytes) else str(v) for v in answer)
        if verdict != "ok" or fails != "0":
            self._dirty.add(key)
        if verdict == "cooling":  # kept here too, in case Redis goes down before it ends
            self.local.cool(key, float(until))
        return verdict, float(until)  # type: ignore[return-value]

    # -- the store interface --------------------------------------------------------------

    def check(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        local = lambda: self.local.check(key, now, lease)  # noqa: E731
        return self._verdict(key, self._sync("CHECK", [self._health_key(key)], [now, lease], local))

    async def acheck(self, key: str, now: float, lease: float) -> tuple[Verdict, float]:
        local = lambda: self.local.check(key, now, lease)  # noqa: E731
        answer = await self._async("CHECK", [self._health_key(key)], [now, lease], local)
        return self._verdict(key, answer)

    def _failed_args(
        self, now: float, cooldown: float | None, threshold: int, after: float
    ) -> list[Any]:
        return [now, "" if cooldown is None else cooldown, threshold, after, 60.0]

    def failed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        self._dirty.add(key)
        self.local.failed(key, now, cooldown, threshold, after)  # ready if Redis goes down
        args = self._failed_args(now, cooldown, threshold, after)
        self._sync("FAILED", [self._health_key(key)], args, lambda: None)

    async def afailed(
        self, key: str, now: float, cooldown: float | None, threshold: int, after: float
    ) -> None:
        self._dirty.add(key)
        self.local.failed(key, now, cooldown, threshold, after)
        args = self._failed_args(now, cooldown, threshold, after)
        await self._async("FAILED", [self._health_key(key)], args, lambda: None)

    def healed(self, key: str) -> None:
        self.local.healed(key)
        if key not in self._dirty or not self._up():
            return  # nothing this process knows of to clear: no round trip
        self._dirty.discard(key)
        try:
            self._client.delete(self._health_key(key))
        except self._down as exc:
            self._went_down(exc)

    async def ahealed(self, key: str) -> None:
        self.local.healed(key)
        if key not in self._dirty or not self._up():
            return
        self._dirty.discard(key)
        try:
            await self._aentry()[0].delete(self._health_key(key))
        except self._down as exc:
            self._went_down(exc)

    def take(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        local = lambda: self.local.take(key, now, rpm, tpm)  # noqa: E731
        args = ["" if rpm is None else rpm, "" if tpm is None else tpm]
        return bool(self._sync("TAKE", [self._usage_key(key, now)], args, local))

    async def atake(self, key: str, now: float, rpm: int | None, tpm: int | None) -> bool:
        local = lambda: self.local.take(key, now, rpm, tpm)  # noqa: E731
        args = ["" if rpm is None else rpm, "" if tpm is None else tpm]
        return bool(await self._async("TAKE", [self._usage_key(key, now)], args, local))

    def spend(self, key: str, now: float, tokens: int) -> None:
        local = lambda: self.local.spend(key, now, tokens)  # noqa: E731
        self._sync("SPEND", [self._usage_key(key, now)], [tokens], local)

    async def aspend(self, key: str, now: float, tokens: int) -> None:
        local = lambda: self.local.spend(key, now, tokens)  # noqa: E731
        await self._async("SPEND", [self._usage_key(key, now)], [tokens], local)

    def close(self) -> None:
        """Close the sync connections (the async ones: `aclose`)."""
        self._client.close()

    async def aclose(self) -> None:
        """Close this event loop's connections, and the sync ones."""
        entry = self._aclients.pop(asyncio.get_running_loop(), None)
        if entry is not None:
            await entry[0].aclose()
        self.close()
