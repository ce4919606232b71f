"""`fetch_checked` / `fetch_checked_sync`: one way to call a user's `fetch_providers`."""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Coroutine
from typing import Any

import pytest

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelGateway, ProviderConfig
from modelrouter.gateways.live import fetch_checked, fetch_checked_sync
from tests.unit.gateways.fakes import AsyncGateway, SyncGateway, acme_providers

release = threading.Event()


class Hanging(ModelGateway):
    id = "hanging"
    name = "Hanging"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        release.wait(30)
        return {}


class HangingAsync(ModelGateway):
    id = "hanging-async"
    name = "Hanging (async)"

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        await asyncio.sleep(30)
        return {}


class ReturnsAwaitable(ModelGateway):
    id = "awaitable"
    name = "Returns an awaitable from a plain def"

    def fetch_providers(self) -> Coroutine[Any, Any, dict[str, ProviderConfig]]:
        return self._later()

    async def _later(self) -> dict[str, ProviderConfig]:
        return acme_providers(self.id)


@pytest.mark.parametrize("gateway", [SyncGateway(), AsyncGateway()])
def test_sync_and_async_gateways_on_both_paths(gateway: ModelGateway) -> None:
    assert set(fetch_checked_sync(gateway)) == {"acme"}
    assert set(asyncio.run(fetch_checked(gateway))) == {"acme"}


def test_a_sync_method_returning_an_awaitable_on_both_paths() -> None:
    assert set(asyncio.run(fetch_checked(ReturnsAwaitable()))) == {"acme"}
    assert set(fetch_checked_sync(ReturnsAwaitable())) == {"acme"}


@pytest.mark.parametrize("gateway", [Hanging(), HangingAsync()])
def test_a_hanging_gateway_times_out_with_its_name(gateway: ModelGateway) -> None:
    try:
        with pytest.raises(GatewayError, match=f"'{gateway.id}': no answer in 0.2s"):
            fetch_checked_sync(gateway, timeout=0.2)
        with pytest.raises(GatewayError, match=f"'{gateway.id}': no answer in 0.2s"):
            asyncio.run(fetch_checked(gateway, timeout=0.2))
    finally:
        release.set()


def test_sync_path_works_inside_a_running_event_loop() -> None:
    async def main() -> dict[str, ProviderConfig]:
        return fetch_checked_sync(AsyncGateway())

    assert set(asyncio.run(main())) == {"acme"}
