"""Fetch stage: GET every listing concurrently, with timeouts and a few short retries.

Never parses: it hands raw bytes to the snapshot and validate stages. Retries cover what
is likely to pass on a second try (connect errors, timeouts, 429, 5xx) with a short
exponential backoff, honouring a server's Retry-After up to a small cap.

A custom gateway's own code is called through `call_abandonable`: on a daemon thread with an
event loop of its own, so neither a sync call that never returns nor a coroutine that blocks
its loop can stall the run or keep the process alive at exit.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Final, TypeVar

import httpx

from modelrouter._errors import GatewayError
from modelrouter_generator.listings.base import ListingFetchError, ListingGateway

__all__ = ["FetchOutcome", "call_abandonable", "fetch_listings", "fetch_with_retries"]

ASleep = Callable[[float], Awaitable[None]]
T = TypeVar("T")

_BACKOFF_BASE: Final = 0.25
_BACKOFF_MAX: Final = 2.0
_RETRY_AFTER_CAP: Final = 5.0


@dataclass(frozen=True)
class FetchOutcome:
    """One gateway's fetch: the raw body, or the error that ended the last attempt."""

    gateway_id: str
    raw: bytes | None
    error: GatewayError | None
    attempts: int


def _delay(attempt: int, error: ListingFetchError) -> float:
    # A wait of 0 (or a date already past) is no reason to hammer a struggling gateway.
    if error.retry_after is not None and error.retry_after > 0:
        return min(error.retry_after, _RETRY_AFTER_CAP)
    return min(_BACKOFF_BASE * 2.0**attempt, _BACKOFF_MAX)


async def fetch_with_retries(
    gateway: ListingGateway,
    client: httpx.AsyncClient,
    *,
    timeout: float,
    retries: int,
    sleep: ASleep = asyncio.sleep,
) -> FetchOutcome:
    """Fetch one gateway's raw listing, retrying retryable failures up to `retries` times."""
    attempt = 0
    while True:
        try:
            raw = await gateway.fetch_payload(client, timeout=timeout)
        except ListingFetchError as exc:
            if not exc.retryable or attempt >= retries:
                return FetchOutcome(gateway.id, None, exc, attempt + 1)
            await sleep(_delay(attempt, exc))
            attempt += 1
        except GatewayError as exc:
            # A custom fetch_payload that failed in its own way: not ours to retry.
            return FetchOutcome(gateway.id, None, exc, attempt + 1)
        else:
            return FetchOutcome(gateway.id, raw, None, attempt + 1)


async def fetch_listings(
    gateways: Sequence[ListingGateway],
    client: httpx.AsyncClient,
    *,
    timeout: float,
    retries: int,
    sleep: ASleep = asyncio.sleep,
) -> list[FetchOutcome]:
    """Fetch every gateway's listing concurrently; outcomes come back in input order."""
    return list(
        await asyncio.gather(
            *(
                fetch_with_retries(g, client, timeout=timeout, retries=retries, sleep=sleep)
                for g in gateways
            )
        )
    )


async def _await(value: Awaitable[T]) -> T:
    return await value


def _run_to_value(call: Callable[[], Any]) -> Any:
    value = call()
    # A sync method may hand back an awaitable (the MaybeAwaitable contract): own loop too.
    return asyncio.run(_await(value)) if inspect.isawaitable(value) else value


async def call_abandonable(call: Callable[[], Any], timeout: float, *, name: str) -> Any:
    """Run `call()` (and await what it returns, if awaitable) on a daemon thread; give up at
    `timeout`.

    `asyncio.wait_for` alone cannot stop a call that blocks: a sync one holds an executor
    thread that `asyncio.run` and interpreter exit both join, and an async one that blocks
    its loop stops the timer that would cancel it. A daemon thread with its own loop is
    simply left behind: it costs one idle thread until the process exits, which does not
    wait for it.

    Raises:
        TimeoutError: no result within `timeout` seconds.
        Exception: whatever `call` raised.
    """
    loop = asyncio.get_running_loop()
    answer: asyncio.Future[Any] = loop.create_future()

    def deliver(value: Any, error: BaseException | None) -> None:
        if answer.done():  # given up on already
            return
        if error is None:
            answer.set_result(value)
        else:
            answer.set_exception(error)

    def run() -> None:
        value: Any = None
        error: BaseException | None = None
        try:
            value = _run_to_value(call)
        except BaseException as exc:  # handed to the waiting loop, which re-raises it
            error = exc
        try:
            loop.call_soon_threadsafe(deliver, value, error)
        except RuntimeError:
            pass  # the run finished without us and closed its loop

    threading.Thread(target=run, name=name, daemon=True).start()
    return await asyncio.wait_for(answer, timeout)
