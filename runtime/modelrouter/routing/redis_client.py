"""The part of redis-py `RedisStore` uses: small protocols, and redis imported on first use.

Type checkers see these protocols, never the `redis` package: a user's `import modelrouter`
costs their mypy run nothing for redis (a hundred typed modules, seconds of a cold run) even
with the `redis` extra installed. `import_module` keeps the import out of their sight on
purpose (mypy follows an `import` statement even inside a function); the protocols are
checked against redis-py's own types in tests/integration/routing/test_redis.py.
"""

from __future__ import annotations

from collections.abc import Awaitable
from importlib import import_module
from typing import Any, Protocol

__all__ = ["AsyncClient", "AsyncScript", "Client", "Script", "aconnect", "connect", "down_errors"]


class Script(Protocol):
    """A registered Lua script: EVALSHA, loading the script on a NOSCRIPT answer."""

    def __call__(self, keys: list[str], args: list[Any]) -> Any: ...


class AsyncScript(Protocol):
    """The async client's `Script`."""

    def __call__(self, keys: list[str], args: list[Any]) -> Awaitable[Any]: ...


class Client(Protocol):
    """What `RedisStore` calls on a `redis.Redis`."""

    def register_script(self, script: str) -> Script: ...

    def delete(self, *names: str) -> Any: ...

    def close(self) -> None: ...


class AsyncClient(Protocol):
    """What `RedisStore` calls on a `redis.asyncio.Redis`."""

    def register_script(self, script: str) -> AsyncScript: ...

    def delete(self, *names: str) -> Awaitable[Any]: ...

    async def aclose(self) -> None: ...


def connect(url: str, timeout: float) -> Client:
    """A sync client for `url`; `timeout` bounds a connect and a reply."""
    client: Client = import_module("redis").Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    return client


def aconnect(url: str, timeout: float) -> AsyncClient:
    """An async client for `url`, bound to the running event loop once it connects."""
    client: AsyncClient = import_module("redis.asyncio").Redis.from_url(
        url, socket_timeout=timeout, socket_connect_timeout=timeout
    )
    return client


def down_errors() -> tuple[type[BaseException], ...]:
    """The errors that mean Redis cannot be reached or answer: redis-py's and the socket's."""
    error: type[BaseException] = import_module("redis").RedisError
    return (error, OSError)
