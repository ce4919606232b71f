"""The env switches in every combination: mode x force flag x offline, plus the interval."""

from __future__ import annotations

import itertools

import pytest

from modelrouter_generator.settings import DEFAULT_INTERVAL, load_settings

MODES = {None: False, "development": True, "production": False, "Dev": True, "staging": False}
FORCE = {None: None, "true": True, "false": False, "1": True, "off": False, "maybe": None}
OFFLINE = {None: False, "1": True, "0": False, "true": True, "": False, "sometimes": True}


@pytest.mark.parametrize(
    ("mode", "force", "offline"), list(itertools.product(MODES, FORCE, OFFLINE))
)
def test_every_combination_of_switches(
    mode: str | None, force: str | None, offline: str | None
) -> None:
    env = {
        name: value
        for name, value in (
            ("MODELROUTER_ENV", mode),
            ("MODELROUTER_AUTO_REFRESH_PROVIDERS", force),
            ("MODELROUTER_OFFLINE", offline),
        )
        if value is not None
    }
    settings = load_settings(env)
    forced = FORCE[force]
    # The force flag decides on its own in either direction; only when absent does the mode.
    assert settings.enabled is (forced if forced is not None else MODES[mode])
    assert settings.offline is OFFLINE[offline]
    assert settings.interval == DEFAULT_INTERVAL
    invalid = [
        value for value in (mode, force, offline) if value in ("staging", "maybe", "sometimes")
    ]
    assert len(settings.warnings) == len(invalid)
    for value, warning in zip(invalid, settings.warnings):
        assert repr(value) in warning


def test_production_is_the_default() -> None:
    settings = load_settings({})
    assert (settings.mode, settings.enabled, settings.offline) == ("production", False, False)
    assert settings.warnings == ()


def test_reason_names_the_deciding_switch() -> None:
    forced = load_settings(
        {"MODELROUTER_ENV": "production", "MODELROUTER_AUTO_REFRESH_PROVIDERS": "true"}
    )
    assert forced.reason == "MODELROUTER_AUTO_REFRESH_PROVIDERS=true"
    assert load_settings({"MODELROUTER_ENV": "development"}).reason == "MODELROUTER_ENV=development"


@pytest.mark.parametrize(
    ("raw", "expected"), [("60", 60.0), (" 0.5 ", 0.5), ("1e3", 1000.0), ("7200", 7200.0)]
)
def test_interval_accepts_positive_seconds(raw: str, expected: float) -> None:
    settings = load_settings({"MODELROUTER_REFRESH_INTERVAL": raw})
    assert settings.interval == expected
    assert settings.warnings == ()


@pytest.mark.parametrize("raw", ["0", "-5", "hourly", "nan", "inf", "1h"])
def test_invalid_interval_warns_and_uses_default(raw: str) -> None:
    settings = load_settings({"MODELROUTER_REFRESH_INTERVAL": raw})
    assert settings.interval == DEFAULT_INTERVAL
    (warning,) = settings.warnings
    assert "MODELROUTER_REFRESH_INTERVAL" in warning and repr(raw) in warning


def test_reads_os_environ_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("MODELROUTER_ENV", "development")
    monkeypatch.setenv("MODELROUTER_OFFLINE", "0")
    monkeypatch.setenv("MODELROUTER_REFRESH_INTERVAL", "12")
    settings = load_settings()
    assert (settings.enabled, settings.offline, settings.interval) == (True, False, 12.0)
