"""`Watchdog`: each attempt of one async call held to its own deadline, with one timer in all.

Real event-loop time, with margins of tens of milliseconds: the outcomes are checked (which
attempt timed out, which error reached the caller), never how long anything took.
"""

from __future__ import annotations

import asyncio

import pytest

from modelrouter._errors import ProviderTimeoutError
from modelrouter._watchdog import Watchdog

pytestmark = pytest.mark.anyio


def _cancel_requests() -> int:
    task = asyncio.current_task()
    assert task is not None
    return task.cancelling()


async def _answer(seconds: float, value: str = "ok") -> str:
    await asyncio.sleep(seconds)
    return value


async def test_an_attempt_past_its_deadline_times_out_and_the_next_one_runs() -> None:
    watchdog = Watchdog()
    with pytest.raises(ProviderTimeoutError, match=r"p/m gave no answer within 0.05s") as info:
        await watchdog.guard(0.05, _answer(5), "p/m")
    assert info.value.model == "p/m" and isinstance(info.value.__cause__, TimeoutError)
    assert await watchdog.guard(1.0, _answer(0.01), "p/m") == "ok"
    assert _cancel_requests() == 0
    watchdog.close()


async def test_the_timer_waits_on_for_a_later_attempt_s_deadline() -> None:
    watchdog = Watchdog()
    # Armed for 0.1s by the first attempt; it fires during the second (deadline ~0.5s) and
    # must re-arm for it rather than cancel it.
    assert await watchdog.guard(0.1, _answer(0.0, "first"), "p/m") == "first"
    assert await watchdog.guard(0.5, _answer(0.25, "second"), "p/m") == "second"
    watchdog.close()


async def test_a_timer_firing_between_attempts_cancels_nothing() -> None:
    watchdog = Watchdog()
    assert await watchdog.guard(0.05, _answer(0.0), "p/m") == "ok"
    await asyncio.sleep(0.15)  # the tools of a step: the timer fires here, with no attempt on
    assert await watchdog.guard(1.0, _answer(0.05, "next"), "p/m") == "next"
    with pytest.raises(ProviderTimeoutError):  # and it still guards the attempts after
        await watchdog.guard(0.05, _answer(5), "p/m")
    watchdog.close()


async def test_no_timeout_means_no_timer() -> None:
    watchdog = Watchdog()
    assert await watchdog.guard(None, _answer(0.0), "p/m") == "ok"
    assert watchdog._handle is None  # pyright: ignore[reportPrivateUsage]


async def test_close_stops_the_timer() -> None:
    watchdog = Watchdog()
    await watchdog.guard(0.05, _answer(0.0), "p/m")
    assert watchdog._handle is not None  # pyright: ignore[reportPrivateUsage]
    watchdog.close()
    assert watchdog._handle is None  # pyright: ignore[reportPrivateUsage]
    await asyncio.sleep(0.1)  # nothing fires: the task is not cancelled
    assert _cancel_requests() == 0


async def test_the_caller_s_own_cancellation_is_never_a_provider_timeout() -> None:
    watchdog = Watchdog()
    task = asyncio.create_task(watchdog.guard(5.0, _answer(5), "p/m"))
    await asyncio.sleep(0.02)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    watchdog.close()


async def test_a_caller_s_shorter_timeout_is_the_caller_s_error() -> None:
    watchdog = Watchdog()
    with pytest.raises(TimeoutError) as info:
        async with asyncio.timeout(0.05):
            await watchdog.guard(5.0, _answer(5), "p/m")
    assert not isinstance(info.value, ProviderTimeoutError)
    watchdog.close()


async def test_both_timers_at_once_the_caller_s_cancellation_wins() -> None:
    watchdog = Watchdog()

    async def attempt() -> str:
        return await watchdog.guard(0.05, _answer(5), "p/m")

    task = asyncio.create_task(attempt())
    asyncio.get_running_loop().call_later(0.05, task.cancel)  # as the watchdog fires
    with pytest.raises(asyncio.CancelledError):
        await task
    watchdog.close()
