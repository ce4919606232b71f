"""API keys: explicit `api_key` > the gateway's `get_api_key` > the provider's env vars.

Keys are looked up at every call (cheap) so a variable set after the first request is seen,
and a missing key is a `MissingApiKeyError` raised before any network call. A key never goes
into a message, a repr or a log line; `Endpoint` keeps it out of its repr.
"""

from __future__ import annotations

import re
from collections.abc import Awaitable, Coroutine, Mapping
from typing import Any, Final, TypeVar, cast

from modelrouter._errors import MissingApiKeyError
from modelrouter._resolve import Route
from modelrouter.gateways.base import resolve_maybe_awaitable

__all__ = ["key_from_env", "pick_key", "run_awaitable_sync", "shell_alias"]

T = TypeVar("T")


_NOT_IN_SHELL_NAME: Final = re.compile(r"[^A-Za-z0-9_]")
_aliases: dict[str, str | None] = {}


def shell_alias(name: str) -> str | None:
    """The name a shell accepts for `name`, or None when `name` already is one.

    A listing may name a variable no shell can `export` (models.dev's `302AI_API_KEY`). Such a
    key is also read from its alias: every character other than a letter, digit or `_` becomes
    `_`, and a leading digit gets a `_` in front (`302AI_API_KEY` -> `_302AI_API_KEY`).
    """
    alias = _aliases.get(name, "")
    if alias == "":
        alias = _NOT_IN_SHELL_NAME.sub("_", name)
        if alias[:1].isdigit():
            alias = "_" + alias
        alias = alias if alias != name and name else None
        _aliases[name] = alias
    return alias


def key_from_env(env_vars: tuple[str, ...], env: Mapping[str, str]) -> str | None:
    """The first variable in `env_vars` that is set and not empty (or its `shell_alias`)."""
    for name in env_vars:
        value = env.get(name)
        if value:
            return value
    for name in env_vars:
        alias = shell_alias(name)
        value = env.get(alias) if alias else None
        if value:
            return value
    return None


def pick_key(
    route: Route,
    env: Mapping[str, str],
    *,
    explicit: str | None,
    from_gateway: str | None,
    required: bool = True,
) -> str | None:
    """Apply the precedence; `required=False` (a config `url`) allows an endpoint with no key.

    Raises:
        MissingApiKeyError: no key anywhere and the provider needs one.
    """
    key = explicit or from_gateway or key_from_env(route.env_vars, env)
    if key is None and required and route.env_vars:
        raise MissingApiKeyError(route.model_id, route.env_vars)
    return key


def run_awaitable_sync(value: T | Awaitable[T]) -> T:
    """A gateway hook's value on the sync path, awaiting it if the gateway wrote `async def`.

    The coroutine runs on a private event loop in a worker thread, so this works even when
    the sync API is called from inside a running loop. Only custom async gateways pay this.
    """
    import asyncio  # only custom async gateways need these; keep them off import time
    import concurrent.futures

    if not isinstance(value, Awaitable):
        return value
    awaitable: Awaitable[T] = value

    async def wait() -> Any:
        return await resolve_maybe_awaitable(awaitable)

    coroutine: Coroutine[Any, Any, Any] = wait()
    with concurrent.futures.ThreadPoolExecutor(max_workers=1) as pool:
        return cast(T, pool.submit(asyncio.run, coroutine).result())
