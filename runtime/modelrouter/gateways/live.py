"""Calling a gateway's own `fetch_providers`: one set of rules for the generator and the runtime.

A custom gateway is the user's code, sync or `async def`, and may block, hang, raise or return
the wrong thing. Both the generator (`modelrouter generate`) and the runtime (the first call
routed to a registered gateway's prefix) call it through `fetch_checked` / `fetch_checked_sync`:
a sync method runs on a worker thread, the whole call is bounded by `timeout`, and every failure
becomes a `GatewayError` naming the gateway.
"""

from __future__ import annotations

import asyncio
import inspect
import threading
from collections.abc import Callable, Mapping
from concurrent.futures import Future
from typing import Final

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelGateway, ProviderConfig, resolve_maybe_awaitable

__all__ = ["FETCH_TIMEOUT", "check_providers", "fetch_checked", "fetch_checked_sync"]

FETCH_TIMEOUT: Final = 30.0
"""Seconds a custom `fetch_providers` may take (the generator's 10 s x 3 attempts)."""


def check_providers(gateway_id: str, value: object) -> dict[str, ProviderConfig]:
    """Check what a custom `fetch_providers` returned: a dict of str -> ProviderConfig."""
    if not isinstance(value, Mapping):
        raise GatewayError(
            gateway_id, f"fetch_providers returned {type(value).__name__}, expected a dict"
        )
    providers: dict[str, ProviderConfig] = {}
    for key, config in value.items():
        if not isinstance(key, str) or not isinstance(config, ProviderConfig):
            raise GatewayError(
                gateway_id,
                f"fetch_providers returned {key!r}: {type(config).__name__};"
                " expected str keys and ProviderConfig values",
            )
        providers[key] = config
    return providers


def _as_gateway_error(gateway: ModelGateway, exc: BaseException, timeout: float) -> GatewayError:
    if isinstance(exc, GatewayError):
        return exc
    if isinstance(exc, TimeoutError):
        return GatewayError(gateway.id, f"no answer in {timeout:g}s")
    return GatewayError(gateway.id, f"fetch_providers raised {type(exc).__name__}: {exc}")


def _in_daemon_thread(gateway: ModelGateway, call: Callable[[], object]) -> Future[object]:
    # A daemon thread rather than an executor: a fetch_providers that never returns must not
    # hold up interpreter exit or `asyncio.run`'s executor shutdown.
    future: Future[object] = Future()

    def work() -> None:
        future.set_running_or_notify_cancel()  # a caller that gave up cannot cancel it now
        try:
            future.set_result(call())
        except BaseException as exc:  # handed to the waiting caller
            future.set_exception(exc)

    threading.Thread(target=work, name=f"modelrouter-fetch-{gateway.id}", daemon=True).start()
    return future


async def _fetch(gateway: ModelGateway, timeout: float) -> object:
    if inspect.iscoroutinefunction(gateway.fetch_providers):
        value: object = gateway.fetch_providers()
    else:
        # A sync fetch_providers may block on I/O: keep it off the event loop.
        thread = _in_daemon_thread(gateway, gateway.fetch_providers)
        value = await asyncio.wait_for(asyncio.wrap_future(thread), timeout)
    # A sync method may still hand back an awaitable (the MaybeAwaitable contract).
    return await asyncio.wait_for(resolve_maybe_awaitable(value), timeout)


async def fetch_checked(
    gateway: ModelGateway, timeout: float = FETCH_TIMEOUT
) -> dict[str, ProviderConfig]:
    """Call `gateway.fetch_providers()` (sync or async) within `timeout` and check the result.

    Raises:
        GatewayError: it raised, timed out, or returned something other than a dict of
            provider id -> `ProviderConfig`; the message names the gateway.
    """
    try:
        return check_providers(gateway.id, await _fetch(gateway, timeout))
    except Exception as exc:
        raise _as_gateway_error(gateway, exc, timeout) from exc


def fetch_checked_sync(
    gateway: ModelGateway, timeout: float = FETCH_TIMEOUT
) -> dict[str, ProviderConfig]:
    """`fetch_checked` for sync callers: the call runs on a daemon thread (with its own event
    loop for an `async def` gateway), so this also works inside a running event loop.
    """

    def call() -> object:
        value: object = gateway.fetch_providers()
        if inspect.isawaitable(value):
            return asyncio.run(asyncio.wait_for(resolve_maybe_awaitable(value), timeout))
        return value

    try:
        value = _in_daemon_thread(gateway, call).result(timeout)
        return check_providers(gateway.id, value)
    except Exception as exc:
        raise _as_gateway_error(gateway, exc, timeout) from exc
