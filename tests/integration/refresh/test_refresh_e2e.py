"""The refresh job end to end: a loopback models.dev that changes, the real pipeline, tmp dirs."""

from __future__ import annotations

import logging
import os
import sys
import threading
import time
from collections.abc import Iterator
from pathlib import Path

import pytest

from modelrouter import _catalog
from modelrouter_generator.lock import CatalogTarget, choose_target
from modelrouter_generator.pipeline import GenerateOptions
from modelrouter_generator.refresh import RefreshJob, watch

from tests.unit.refresh.fakes import Clock

from .conftest import V1, V2, ChangingGateway, catalogue_ids

pytestmark = pytest.mark.timeout(300)


class Rounds:
    """A `wait` that really sleeps (briefly) and stops the job after `rounds` sleeps."""

    def __init__(self, rounds: int) -> None:
        self.rounds = rounds
        self.delays: list[float] = []

    def __call__(self, seconds: float) -> bool:
        self.delays.append(seconds)
        if len(self.delays) > self.rounds:
            return True
        threading.Event().wait(seconds)
        return False


@pytest.fixture
def isolated_runtime(monkeypatch: pytest.MonkeyPatch) -> Iterator[None]:
    """Let a test repoint `modelrouter_catalog`; restore the checkout's afterwards."""
    monkeypatch.setattr(sys, "path", list(sys.path))
    yield
    monkeypatch.undo()
    _catalog.reload()


def test_watch_picks_up_a_model_added_between_requests(
    gateway: ChangingGateway, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    out = tmp_path / "generated"
    rounds = Rounds(1)
    watch(
        GenerateOptions(out_dir=out, verify=False), interval=0.05, wait=rounds, reload=lambda: None
    )
    assert gateway.models_dev_requests == 2
    assert catalogue_ids(out) == {key: sorted(ids) for key, ids in V2.items()}
    refreshed = [r.getMessage() for r in caplog.records if r.getMessage().startswith("refreshed")]
    assert len(refreshed) == 2
    assert "acme +2/-0" in refreshed[0] and "zeta +1/-0" in refreshed[0]
    assert "acme +1/-0" in refreshed[1] and "zeta" not in refreshed[1]
    assert "restart its language server" in refreshed[1]


def test_failed_fetch_keeps_good_data_then_recovers(
    gateway: ChangingGateway, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    out = tmp_path / "generated"
    target = CatalogTarget(out_dir=out, preferred=out)
    job = RefreshJob(
        GenerateOptions(out_dir=out, verify=False),
        target,
        interval=3600,
        reload=lambda: None,
        # Whole seconds survive the stamp's utime exactly.
        clock=Clock(float(int(time.time()))),
        backoff_base=7,
    )
    assert job.step() == 3600
    before = {p: p.read_bytes() for p in sorted(target.package_dir.rglob("*.py"))}
    gateway.fail_next = 100
    job.failures = 0
    # Make the next round due without waiting an hour: no stamp, and an ancient __init__.py.
    target.stamp_path.unlink()
    os.utime(target.package_dir / "__init__.py", (0, 0))
    assert job.step() == 7
    after = {p: p.read_bytes() for p in sorted(target.package_dir.rglob("*.py"))}
    assert after == before
    warnings = [
        r.getMessage()
        for r in caplog.records
        if r.levelno == logging.WARNING and r.name == "modelrouter.refresh"
    ]
    assert len(warnings) == 1 and "models.dev" in warnings[0]
    gateway.fail_next = 0
    assert job.step() == 3600
    assert "gamma-3-preview" in catalogue_ids(out)["acme"]


def test_unwritable_target_refreshes_into_cache_and_the_process_sees_it(
    gateway: ChangingGateway,
    tmp_path: Path,
    caplog: pytest.LogCaptureFixture,
    isolated_runtime: None,
) -> None:
    caplog.set_level(logging.INFO, logger="modelrouter.refresh")
    blocker = tmp_path / "site-packages"
    blocker.write_text("a regular file: nothing can be created below it, not even by root")
    cache = tmp_path / "cache"
    rounds = Rounds(1)
    watch(
        GenerateOptions(out_dir=blocker / "lib", verify=False),
        interval=0.05,
        wait=rounds,
        cache_dir=cache,
    )
    messages = "\n".join(r.getMessage() for r in caplog.records)
    assert f'mypy_path = ["{cache}"]' in messages
    assert f'extraPaths = ["{cache}"]' in messages
    assert (cache / "modelrouter_catalog" / "__init__.py").is_file()
    # The running process now loads the catalogue from the cache, new ids included.
    assert sys.path[0] == str(cache)
    assert _catalog.has_model("acme", "gamma-3-preview")
    assert "acme" in _catalog.provider_keys()


def test_runtime_lookups_see_new_ids_after_a_refresh(
    gateway: ChangingGateway, tmp_path: Path, isolated_runtime: None
) -> None:
    out = tmp_path / "generated"
    # A fallback target: the job itself puts the cache first on sys.path.
    target = CatalogTarget(out_dir=out, preferred=tmp_path / "elsewhere")
    job = RefreshJob(GenerateOptions(out_dir=out, verify=False), target, interval=1e-9)
    job.step()
    assert _catalog.has_model("acme", "beta-2")
    assert not _catalog.has_model("acme", "gamma-3-preview")
    assert _catalog.suggest_models("acme", "gamma-3") == []
    job.step()
    assert _catalog.has_model("acme", "gamma-3-preview")
    assert _catalog.suggest_models("acme", "gamma-3") == ["gamma-3-preview"]


def test_offline_fetches_nothing(
    gateway: ChangingGateway, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELROUTER_OFFLINE", "1")
    out = tmp_path / "generated"
    watch(
        GenerateOptions(out_dir=out, verify=False),
        interval=3600,
        wait=lambda s: True,
        reload=lambda: None,
    )
    assert gateway.server.requests == []
    # Offline still regenerates from local data (the bundled models.dev listing).
    ids = catalogue_ids(out)
    assert "openai" in ids and "acme" not in ids
