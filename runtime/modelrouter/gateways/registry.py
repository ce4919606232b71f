"""Which gateways the router consults at run time: the user's, then the built-ins.

Nothing here touches the network or builds a gateway at import: the built-in instances are
created on first use. A custom gateway registered under a built-in's id replaces that built-in.
`builtin_gateways` is the one list of built-ins; the generator derives its listings from it.

A registered gateway with a `prefix` is asked for its providers (`fetch_providers`) on the
first call routed to that prefix, once: its `api_key_env_var`, `url` and `api_key_header` then
route those ids. See `live_provider` for what happens when that call fails.
"""

from __future__ import annotations

import asyncio
import logging
import threading
import time
from concurrent.futures import Future
from typing import Final, TypeAlias

from modelrouter._errors import GatewayError
from modelrouter._validate import check_gateway
from modelrouter.gateways.base import ModelGateway, ProviderConfig

__all__ = [
    "aprefetch",
    "builtin_gateways",
    "gateway_for_prefix",
    "live_provider",
    "needs_fetch",
    "register_gateway",
    "registered_gateways",
    "unregister_gateway",
    "version",
]

log = logging.getLogger("modelrouter.gateways")

_RETRY_FAILED_AFTER: Final = 60.0
"""Seconds before a failed `fetch_providers` is tried again (each call would wait otherwise)."""

_lock = threading.Lock()
_custom: dict[str, ModelGateway] = {}
_builtins: tuple[ModelGateway, ...] | None = None
Outcome: TypeAlias = "dict[str, ProviderConfig] | GatewayError"
# gateway id -> (the instance asked, its providers or the error, time.monotonic() of the answer)
_fetched: dict[str, tuple[ModelGateway, Outcome, float]] = {}
_inflight: dict[str, Future[Outcome]] = {}
_custom_prefixes: frozenset[str] = frozenset()
"""Prefixes of registered gateways: the async path's fast check."""
_version = 0
"""Bumped by every register/unregister: route caches compare it instead of the gateway list."""


def builtin_gateways() -> tuple[ModelGateway, ...]:
    """models.dev, Netlify and OpenRouter, each created once per process."""
    global _builtins
    with _lock:
        if _builtins is None:
            from modelrouter.gateways.builtins import ModelsDevGateway, OpenRouterGateway
            from modelrouter.gateways.netlify import NetlifyGateway

            _builtins = (ModelsDevGateway(), NetlifyGateway(), OpenRouterGateway())
        return _builtins


def register_gateway(gateway: ModelGateway) -> None:
    """Route through `gateway`, ahead of the built-ins.

    Registering another gateway with the same `id` replaces the earlier one (and a built-in
    of that id). Models of a gateway with a `prefix` are then addressed `prefix/provider/model`.

    Raises:
        TypeError: `gateway` is not a `ModelGateway` instance, or has no string `id`.
    """
    check_gateway(gateway)  # _validate: a ConfigurationError (and TypeError) naming `gateway`
    if not isinstance(gateway, ModelGateway):
        raise TypeError(
            f"register_gateway() needs a ModelGateway instance, got {type(gateway).__name__}"
        )
    gateway_id = getattr(gateway, "id", None)
    if not isinstance(gateway_id, str) or not gateway_id:
        raise TypeError(f"{type(gateway).__name__} must set a non-empty string `id`")
    with _lock:
        # Same id: the new instance takes the old one's place in the consultation order.
        _custom[gateway_id] = gateway
        _fetched.pop(gateway_id, None)
        _update_pending()


def unregister_gateway(gateway_id: str) -> bool:
    """Forget the custom gateway with this id; True if there was one."""
    with _lock:
        _fetched.pop(gateway_id, None)
        found = _custom.pop(gateway_id, None) is not None
        _update_pending()
        return found


def registered_gateways() -> tuple[ModelGateway, ...]:
    """Custom gateways in registration order, then built-ins not replaced by one."""
    builtins = builtin_gateways()
    with _lock:
        custom = tuple(_custom.values())
        replaced = frozenset(_custom)
    return custom + tuple(g for g in builtins if g.id not in replaced)


def gateway_for_prefix(prefix: str) -> ModelGateway | None:
    """The first registered gateway whose `prefix` is `prefix` (custom ones first), or None."""
    for gateway in registered_gateways():
        if gateway.prefix is not None and gateway.prefix == prefix:
            return gateway
    return None


def version() -> int:
    """A number that changes whenever the registered gateways may have (an O(1) check)."""
    return _version


def _update_pending() -> None:
    # Called under the lock by every register/unregister.
    global _custom_prefixes, _version
    _version += 1
    _custom_prefixes = frozenset(g.prefix for g in _custom.values() if g.prefix)


def _cached(gateway: ModelGateway) -> Outcome | None:
    entry = _fetched.get(gateway.id)
    if entry is None or entry[0] is not gateway:
        return None
    value = entry[1]
    if isinstance(value, GatewayError) and time.monotonic() - entry[2] > _RETRY_FAILED_AFTER:
        return None
    return value


def _claim(gateway: ModelGateway) -> tuple[Outcome | None, Future[Outcome], bool]:
    """The cached outcome, or the in-flight fetch to wait for, or (owner=True) a new one to run.

    One fetch per gateway at a time, shared by threads and coroutines alike: concurrent first
    calls wait for the same answer instead of calling `fetch_providers` again.
    """
    with _lock:
        found = _cached(gateway)
        future = _inflight.get(gateway.id)
        if found is not None or future is not None:
            return found, future or Future(), False
        future = _inflight[gateway.id] = Future()
        return None, future, True


def _settle(gateway: ModelGateway, future: Future[Outcome], value: Outcome | None) -> None:
    """Publish the owner's outcome; None means it was interrupted (nothing is cached)."""
    with _lock:
        _inflight.pop(gateway.id, None)
        if value is not None and _custom.get(gateway.id) is gateway:  # not replaced meanwhile
            _fetched[gateway.id] = (gateway, value, time.monotonic())
    if value is None:
        value = GatewayError(gateway.id, "fetching its providers was interrupted")
    elif isinstance(value, GatewayError):
        log.warning("%s", value)
    future.set_result(value)


def _providers(gateway: ModelGateway) -> Outcome:
    found, future, owner = _claim(gateway)
    if found is not None:
        return found
    if not owner:
        return future.result()
    from modelrouter.gateways.live import fetch_checked_sync

    try:
        try:
            value: Outcome = fetch_checked_sync(gateway)
        except GatewayError as exc:
            value = exc
    except BaseException:  # Ctrl-C: nothing to cache, but never leave the waiters hanging
        _settle(gateway, future, None)
        raise
    _settle(gateway, future, value)
    return value


def live_provider(
    gateway: ModelGateway, provider_id: str, catalogued: ProviderConfig | None
) -> ProviderConfig | None:
    """The provider as a registered gateway describes it now, fetched once per gateway.

    Built-in gateways are not asked: the catalogue holds what they list. If the gateway's
    `fetch_providers` fails, the catalogue's entry (`catalogued`, from a `generate` run) is
    used, as the generator keeps a failed gateway's last good data; with no such entry the
    failure is raised. A failure is retried after a minute, never on every call.

    Raises:
        GatewayError: the fetch failed and the catalogue does not know the provider.
    """
    with _lock:
        custom = _custom.get(gateway.id) is gateway
    if not custom:
        return catalogued
    found = _providers(gateway)
    if isinstance(found, GatewayError):
        if catalogued is None:
            raise found
        return catalogued
    return found.get(provider_id, catalogued)


def needs_fetch(model_id: str) -> bool:
    """Whether `model_id` is routed by a registered gateway's prefix (cheap: one set lookup)."""
    return bool(_custom_prefixes) and model_id.partition("/")[0] in _custom_prefixes


async def aprefetch(model_id: str) -> None:
    """On the async path: fetch the providers `model_id`'s gateway prefix needs, without
    blocking the event loop (routing then finds them cached). Failures are stored, not raised.
    """
    gateway = gateway_for_prefix(model_id.partition("/")[0])
    with _lock:
        if gateway is None or _custom.get(gateway.id) is not gateway:
            return
    found, future, owner = _claim(gateway)
    if found is not None:
        return
    if not owner:
        await asyncio.wrap_future(future)
        return
    from modelrouter.gateways.live import fetch_checked

    try:
        try:
            value: Outcome = await fetch_checked(gateway)
        except GatewayError as exc:
            value = exc
    except BaseException:  # cancelled: nothing to cache, but never leave the waiters hanging
        _settle(gateway, future, None)
        raise
    _settle(gateway, future, value)
