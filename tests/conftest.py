"""Test-wide guards: no real keys, no real network, warnings are errors (pyproject)."""

from __future__ import annotations

import os
import socket
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

REPO = Path(__file__).resolve().parent.parent
SHARED = REPO.parent / "shared"

_LOOPBACK_PREFIXES = ("127.", "::1", "localhost")
_KEYLIKE_SUFFIXES = ("_API_KEY", "_TOKEN", "_BASE_URL")


def _is_loopback(host: Any) -> bool:
    return isinstance(host, str) and (host.startswith(_LOOPBACK_PREFIXES) or host == "")


@pytest.fixture(autouse=True)
def _no_keys_or_env(monkeypatch: pytest.MonkeyPatch) -> None:
    """Drop any real key, base-URL override or modelrouter switch the developer has set."""
    for name in list(os.environ):
        if name.endswith(_KEYLIKE_SUFFIXES) or name.startswith("MODELROUTER_"):
            monkeypatch.delenv(name, raising=False)
    monkeypatch.setenv("MODELROUTER_OFFLINE", "1")


@pytest.fixture(autouse=True)
def _loopback_only(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Fail any test that tries to connect anywhere but 127.0.0.1 / ::1."""
    real_connect = socket.socket.connect
    real_connect_ex = socket.socket.connect_ex
    real_getaddrinfo = socket.getaddrinfo

    def guard(address: Any) -> None:
        if isinstance(address, tuple) and not _is_loopback(address[0]):
            raise RuntimeError(f"test tried to reach the network: {address!r}")

    def connect(self: socket.socket, address: Any) -> None:
        guard(address)
        return real_connect(self, address)

    def connect_ex(self: socket.socket, address: Any) -> int:
        guard(address)
        return real_connect_ex(self, address)

    def getaddrinfo(host: Any, *args: Any, **kwargs: Any) -> Any:
        if host is not None and not _is_loopback(host):
            raise RuntimeError(f"test tried to resolve a non-loopback host: {host!r}")
        return real_getaddrinfo(host, *args, **kwargs)

    monkeypatch.setattr(socket.socket, "connect", connect)
    monkeypatch.setattr(socket.socket, "connect_ex", connect_ex)
    monkeypatch.setattr(socket, "getaddrinfo", getaddrinfo)
    yield


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    """`../shared` beside the checkout; tests that need it skip cleanly when it is absent."""
    if not SHARED.is_dir():
        pytest.skip("../shared is absent: snapshot-based test skipped")
    return SHARED


@pytest.fixture(autouse=True)
def _fresh_deployment_health() -> Iterator[None]:
    """Every test starts with no deployment cooling down (the state is process-wide)."""
    from modelrouter.routing.health import reset_default_health

    reset_default_health()
    yield
    reset_default_health()
