"""Custom gateways in collect_listings: sync and async, failures keep their last data."""

from __future__ import annotations

import asyncio
from pathlib import Path
from typing import ClassVar

import pytest

from modelrouter.gateways.base import ModelGateway, ProviderConfig
from modelrouter_generator.sources import collect_listings, default_gateways
from tests.unit.gateways.fakes import AsyncGateway, SyncGateway, acme_providers


class Switchable(ModelGateway):
    """A custom gateway whose next answer each test sets."""

    id = "switchable"
    name = "Switchable"
    prefix = "sw"
    mode: ClassVar[str] = "ok"

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        if self.mode == "raise":
            raise RuntimeError("upstream down")
        if self.mode == "hang":
            await asyncio.sleep(30)
        if self.mode == "garbage":
            return {"acme": "not a config"}  # type: ignore[dict-item]
        return acme_providers(self.id, models=(self.mode,))


def test_sync_and_async_custom_gateways_offline(tmp_path: Path) -> None:
    result = collect_listings([SyncGateway(), AsyncGateway()], offline=True, snapshot_dir=tmp_path)
    assert result.failures == ()
    assert [(l.gateway_id, l.prefix, l.origin) for l in result.listings] == [
        ("acme-sync", None, "live"),
        ("acme-async", "acme", "live"),
    ]
    assert result.listings[0].providers == acme_providers("acme-sync")


@pytest.mark.parametrize(
    ("mode", "message"),
    [
        ("raise", "fetch_providers raised RuntimeError: upstream down"),
        ("hang", "no answer in 0.05s"),
        ("garbage", "expected str keys and ProviderConfig values"),
    ],
)
def test_failing_custom_gateway_keeps_its_last_good_data(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, mode: str, message: str
) -> None:
    first = collect_listings([Switchable()], offline=True, snapshot_dir=tmp_path)
    assert first.failures == ()
    monkeypatch.setattr(Switchable, "mode", mode)
    result = collect_listings(
        [Switchable()], offline=True, snapshot_dir=tmp_path, timeout=0.05, retries=0
    )
    assert [(l.origin, l.providers) for l in result.listings] == [
        ("snapshot", acme_providers("switchable", models=("ok",)))
    ]
    assert result.listings[0].source_hash == first.listings[0].source_hash
    assert len(result.failures) == 1
    assert result.failures[0].message.startswith("gateway 'switchable': ")
    assert message in result.failures[0].message


def test_failing_custom_gateway_without_history_is_left_out(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(Switchable, "mode", "raise")
    result = collect_listings([Switchable()], offline=True, snapshot_dir=tmp_path)
    assert result.listings == ()
    assert "no previous data" in result.failures[0].message


def test_custom_gateway_replacing_a_builtin_is_used_in_its_place(tmp_path: Path) -> None:
    gateways = default_gateways(extra=["tests.unit.gateways.fakes:ClashingGateway"])
    result = collect_listings(gateways, offline=True, snapshot_dir=tmp_path)
    (listing,) = [l for l in result.listings if l.gateway_id == "models.dev"]
    assert listing.providers == acme_providers("models.dev")
    assert listing.origin == "live"
