"""One timer for every attempt of one async call: the attempt timeout without a timer each.

`asyncio.timeout` around each attempt costs ~30 us of event-loop CPU per attempt in a tool loop
(scheduling, cancelling and sweeping a timer handle, around the tool's thread hand-off), about
as much as the rest of the router's work on a step. `Watchdog` arms one timer at the first
attempt and lets it run on: when it fires early for a later attempt, it re-arms itself for that
attempt's deadline, and between attempts it does nothing. The call closes it at its end.

When it fires inside an attempt past its deadline, it cancels the call's task and `guard` turns
that cancellation into `ProviderTimeoutError`, as `asyncio.timeout` would into `TimeoutError`:
only when the task was not also cancelled by someone else meanwhile (`Task.uncancel`).
"""

from __future__ import annotations

import asyncio
from collections.abc import Awaitable
from typing import Any, Final, TypeVar

from modelrouter._errors import ProviderTimeoutError

__all__ = ["Watchdog"]

R = TypeVar("R")

_EARLY: Final = 0.001
"""Seconds before its deadline at which a firing timer counts as on time (event loops may run
a timer up to their clock's resolution early; re-arming for less would only spin)."""


class Watchdog:
    """Bounds each attempt of one async call by its own deadline, with one timer in all."""

    __slots__ = ("_loop", "_task", "_handle", "_armed", "_deadline", "_cancelling", "_fired")

    def __init__(self) -> None:
        self._loop: asyncio.AbstractEventLoop | None = None
        self._task: asyncio.Task[Any] | None = None
        self._handle: asyncio.TimerHandle | None = None
        self._armed = 0.0  # when the timer fires
        self._deadline: float | None = None  # the attempt in progress's, else None
        self._cancelling = 0  # the task's cancel requests when the attempt began
        self._fired = False

    async def guard(self, seconds: float | None, awaitable: Awaitable[R], label: str) -> R:
        """Await `awaitable`, raising `ProviderTimeoutError` for `label` after `seconds`."""
        if seconds is None:
            return await awaitable
        task = asyncio.current_task()
        if task is None:  # not in a task: nothing to cancel, asyncio.timeout says why
            from modelrouter._fallback_plan import within

            return await within(seconds, awaitable, label)
        self._begin(task, max(seconds, 0.0))
        try:
            result = await awaitable
        except asyncio.CancelledError as exc:
            if not self._end(task):
                raise  # not ours, or ours and someone else's too: theirs wins
            cancelled = exc  # where the attempt was waiting, kept in the traceback
        except BaseException:
            self._end(task)
            raise
        else:
            self._end(task)  # a cancellation the awaitable swallowed is taken back too
            return result
        from modelrouter._fallback_plan import provider_of

        expired = TimeoutError()  # as asyncio.timeout chains it: TimeoutError from the cancel
        expired.__cause__ = cancelled
        raise ProviderTimeoutError(
            f"{label} gave no answer within {seconds:g}s.", provider=provider_of(label), model=label
        ) from expired

    def _end(self, task: asyncio.Task[Any]) -> bool:
        """End the attempt; True when the timer cancelled the task and nobody else did."""
        self._deadline = None
        if not self._fired:
            return False
        self._fired = False
        return task.uncancel() <= self._cancelling

    def _begin(self, task: asyncio.Task[Any], seconds: float) -> None:
        loop = self._loop
        if task is not self._task or loop is None:  # first attempt (or another task: rebind)
            self.close()
            loop = self._loop = asyncio.get_running_loop()
            self._task = task
        deadline = loop.time() + seconds
        self._deadline = deadline
        self._fired = False
        self._cancelling = task.cancelling()
        handle = self._handle
        if handle is None or self._armed > deadline:
            if handle is not None:
                handle.cancel()
            self._handle = loop.call_at(deadline, self._fire)
            self._armed = deadline

    def _fire(self) -> None:
        self._handle = None
        deadline, loop, task = self._deadline, self._loop, self._task
        if deadline is None or loop is None or task is None:
            return  # between attempts: the next one arms it again
        if deadline - loop.time() > _EARLY:  # a later attempt's deadline: wait on for it
            self._handle = loop.call_at(deadline, self._fire)
            self._armed = deadline
            return
        self._fired = True
        task.cancel()

    def close(self) -> None:
        """Stop the timer (at the call's end: nothing of the call may fire after it)."""
        self._deadline = None
        if self._handle is not None:
            self._handle.cancel()
            self._handle = None
