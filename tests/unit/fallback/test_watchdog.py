"""`Watchdog`: each attempt of one async call held to its own deadline, with one timer in all.

Real event-loop time, with margins of tens of milliseconds: the outcomes are checked (which
attempt timed out, which error reached the caller), never how long anything took.
"""

from __future__ import annotations

import asyncio
import traceback
from typing import Any

import pytest

from modelrouter._errors import ProviderTimeoutError
from modelrouter._parts import ToolCallPart
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


async def test_the_timeout_keeps_where_the_attempt_was_waiting() -> None:
    async def stuck_reading() -> str:
        await asyncio.sleep(5)
        return "never"

    watchdog = Watchdog()
    with pytest.raises(ProviderTimeoutError) as info:
        await watchdog.guard(0.02, stuck_reading(), "p/m")
    cause = info.value.__cause__
    assert isinstance(cause, TimeoutError)
    assert isinstance(cause.__cause__, asyncio.CancelledError)
    frames = [f.name for f in traceback.extract_tb(cause.__cause__.__traceback__)]
    assert "stuck_reading" in frames
    watchdog.close()


class _Hanging:
    """Asks for one tool call; answers the tool's result, or hangs there (`hang`)."""

    def __init__(self, model_id: str, hang: bool) -> None:
        self.model_id = model_id
        self.hang = hang

    def generate(self, request: Any) -> Any:
        raise NotImplementedError

    async def agenerate(self, request: Any) -> Any:
        from modelrouter import ModelResponse

        if request.messages[-1]["role"] != "tool":
            call: ToolCallPart = {
                "type": "tool-call",
                "id": "c1",
                "name": "tool",
                "arguments": "{}",
            }
            return ModelResponse(text="", tool_calls=[call], finish_reason="tool_calls")
        if self.hang:
            await asyncio.sleep(5)
        return ModelResponse(text=f"{self.model_id} answered")

    def stream(self, request: Any) -> Any:
        raise NotImplementedError

    def astream(self, request: Any) -> Any:
        raise NotImplementedError


@pytest.mark.parametrize("tool_seconds", [0.45, 0.1], ids=["fires-in-the-tool", "fires-in-step-2"])
async def test_a_later_step_times_out_at_its_own_deadline_and_falls_back(
    tool_seconds: float,
) -> None:
    from modelrouter import Agent
    from modelrouter._fallback import Timeouts

    async def tool() -> str:
        """Takes a while: the first step's timer comes due here or early in step 2."""
        await asyncio.sleep(tool_seconds)
        return "x"

    first, second = _Hanging("mine/a", hang=True), _Hanging("mine/b", hang=False)
    agent: Agent[str] = Agent(
        "w",
        None,
        [{"model": first}, {"model": second}],
        tools=[tool],
        timeout=Timeouts(attempt=0.3),
        max_retries=0,
    )
    result = await agent.agenerate("go")
    assert result.text == "mine/b answered"
    assert [(a.model_id, a.error_type) for a in result.steps[-1].attempts] == [
        ("mine/a", "ProviderTimeoutError"),
        ("mine/b", None),
    ]
    await asyncio.sleep(0.35)  # nothing of the call fires after it
    assert _cancel_requests() == 0
