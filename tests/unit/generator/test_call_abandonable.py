"""`call_abandonable`: a custom gateway's call on its own daemon thread and event loop."""

from __future__ import annotations

import asyncio
import threading
import time
from collections.abc import Awaitable, Callable

import pytest

from modelrouter_generator.fetch import call_abandonable


def _call(function: Callable[[], object], timeout: float = 5.0) -> object:
    async def main() -> object:
        return await call_abandonable(function, timeout, name="test-gateway")

    return asyncio.run(main())


def test_sync_async_and_awaitable_returning_calls_give_their_value() -> None:
    async def coroutine() -> str:
        await asyncio.sleep(0)
        return "async"

    def returns_awaitable() -> Awaitable[str]:
        return coroutine()

    assert _call(lambda: "sync") == "sync"
    assert _call(coroutine) == "async"
    assert _call(returns_awaitable) == "async"


def test_the_calls_exception_reaches_the_caller() -> None:
    def broken() -> None:
        raise LookupError("upstream said no")

    with pytest.raises(LookupError, match="upstream said no"):
        _call(broken)


def test_a_blocked_sync_call_is_abandoned_on_a_daemon_thread() -> None:
    release = threading.Event()
    seen: list[threading.Thread] = []

    def blocked() -> None:
        seen.append(threading.current_thread())
        release.wait()

    try:
        with pytest.raises(TimeoutError):
            _call(blocked, timeout=0.2)
        assert seen[0].daemon and seen[0].is_alive()
    finally:
        release.set()


def test_a_call_that_blocks_its_own_loop_is_abandoned_too() -> None:
    async def blocks_loop() -> None:
        time.sleep(10.0)

    started = time.monotonic()
    with pytest.raises(TimeoutError):
        _call(blocks_loop, timeout=0.2)
    # The caller's loop kept running its timer while the other loop was blocked.
    assert time.monotonic() - started < 8.0
