"""`maybe_start`: decides once per process, starts at most one daemon thread, never raises."""

from __future__ import annotations

import itertools
import logging
import threading
from collections.abc import Iterator

import pytest

import modelrouter_generator.refresh as refresh
import modelrouter_generator.settings as settings_module
from modelrouter import _autorefresh
from modelrouter_generator.settings import RefreshSettings


class Recorder:
    def __init__(self) -> None:
        self.started = threading.Event()
        self.calls: list[RefreshSettings] = []

    def __call__(self, settings: RefreshSettings, stop: threading.Event) -> None:
        self.calls.append(settings)
        self.started.set()
        stop.wait(30)


@pytest.fixture
def recorder(monkeypatch: pytest.MonkeyPatch) -> Iterator[Recorder]:
    rec = Recorder()
    monkeypatch.setattr(refresh, "run_background", rec)
    _autorefresh._reset()
    yield rec
    _autorefresh._reset()


MODES = [None, "development", "production"]
FORCE = [None, "true", "false"]
OFFLINE = [None, "1", "0"]


@pytest.mark.parametrize(
    ("mode", "force", "offline"), list(itertools.product(MODES, FORCE, OFFLINE))
)
def test_starts_only_when_enabled_and_online(
    recorder: Recorder,
    monkeypatch: pytest.MonkeyPatch,
    mode: str | None,
    force: str | None,
    offline: str | None,
) -> None:
    for name, value in (
        ("MODELROUTER_ENV", mode),
        ("MODELROUTER_AUTO_REFRESH_PROVIDERS", force),
        ("MODELROUTER_OFFLINE", offline),
    ):
        if value is None:
            monkeypatch.delenv(name, raising=False)
        else:
            monkeypatch.setenv(name, value)
    enabled = force == "true" or (force is None and mode == "development")
    expected = enabled and offline != "1"
    _autorefresh.maybe_start()
    if expected:
        assert recorder.started.wait(10)
        assert _autorefresh._thread is not None and _autorefresh._thread.daemon
    else:
        assert _autorefresh._thread is None
        assert recorder.calls == []


def test_starts_once_per_process(recorder: Recorder, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELROUTER_AUTO_REFRESH_PROVIDERS", "true")
    monkeypatch.setenv("MODELROUTER_OFFLINE", "0")
    threads = [threading.Thread(target=_autorefresh.maybe_start) for _ in range(8)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    _autorefresh.maybe_start()
    assert recorder.started.wait(10)
    assert len(recorder.calls) == 1
    names = [t.name for t in threading.enumerate() if t.name == "modelrouter-refresh"]
    assert names == ["modelrouter-refresh"]


def test_broken_settings_never_reach_the_caller(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def explode(env: object = None) -> RefreshSettings:
        raise RuntimeError("broken install")

    monkeypatch.setattr(settings_module, "load_settings", explode)
    _autorefresh.maybe_start()
    assert "could not start" in caplog.text and "broken install" in caplog.text
    assert _autorefresh._thread is None


def test_a_crashing_job_is_logged_not_raised(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    def crash(settings: RefreshSettings, stop: threading.Event) -> None:
        raise RuntimeError("job died")

    monkeypatch.setattr(refresh, "run_background", crash)
    monkeypatch.setenv("MODELROUTER_AUTO_REFRESH_PROVIDERS", "true")
    monkeypatch.setenv("MODELROUTER_OFFLINE", "0")
    _autorefresh._reset()
    try:
        _autorefresh.maybe_start()
        assert _autorefresh._thread is not None
        _autorefresh._thread.join(10)
    finally:
        _autorefresh._reset()
    assert "auto-refresh stopped" in caplog.text and "job died" in caplog.text


def test_invalid_switch_is_a_warning(
    recorder: Recorder, monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.WARNING, logger="modelrouter.refresh")
    monkeypatch.setenv("MODELROUTER_ENV", "development")
    monkeypatch.setenv("MODELROUTER_REFRESH_INTERVAL", "-1")
    _autorefresh.maybe_start()
    assert "MODELROUTER_REFRESH_INTERVAL='-1'" in caplog.text
