from __future__ import annotations

import json
from pathlib import Path

import pytest
from click.testing import CliRunner

from modelrouter import _catalog
from modelrouter_generator.cli import cli, main
from modelrouter_generator.pipeline import GenerateOptions, generate_catalog, previous_models

_TINY = "tests.unit.generator.fake_gateways:TinyGateway"
_BROKEN = "tests.unit.generator.fake_gateways:BrokenGateway"


@pytest.fixture
def snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "snapshots"
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(folder))
    return folder


def test_generate_prints_progress_and_a_summary(tmp_path: Path, snapshots: Path) -> None:
    out = tmp_path / "out"
    args = ["generate", "--offline", "--no-verify", "--out", str(out), "--gateway", _TINY]
    result = CliRunner().invoke(cli, args)
    assert result.exit_code == 0, result.output
    assert "models.dev" in result.output
    assert "tiny/openai: +2 -0" in result.output
    assert "ids are longer than 50 characters" in result.output
    assert (out / "modelrouter_catalog/providers/tiny__openai.py").is_file()
    again = CliRunner().invoke(cli, args)
    assert "0 files written, 0 removed" in again.output
    assert "tiny/openai" not in again.output


def test_a_failed_gateway_keeps_its_data_and_strict_exits_1(
    tmp_path: Path, snapshots: Path
) -> None:
    out = tmp_path / "out"
    base = ["generate", "--offline", "--no-verify", "--out", str(out)]
    assert CliRunner().invoke(cli, [*base, "--gateway", _TINY]).exit_code == 0
    before = previous_models(out)["tiny/openai"]
    lenient = CliRunner().invoke(cli, [*base, "--gateway", _TINY, "--gateway", _BROKEN])
    assert lenient.exit_code == 0
    assert "FAILED broken-gw" in lenient.output
    strict = CliRunner().invoke(cli, [*base, "--strict", "--gateway", _TINY, "--gateway", _BROKEN])
    assert strict.exit_code == 1
    assert previous_models(out)["tiny/openai"] == before


def test_a_bad_gateway_spec_exits_2(tmp_path: Path, snapshots: Path) -> None:
    code = main(["generate", "--offline", "--out", str(tmp_path), "--gateway", "no.such:Thing"])
    assert code == 2


def test_no_op_generation_writes_zero_files(tmp_path: Path, snapshots: Path) -> None:
    options = GenerateOptions(out_dir=tmp_path, offline=True, verify=False)
    first = generate_catalog(options)
    assert first.written and first.models > 1000
    second = generate_catalog(options)
    assert second.written == () and second.removed == ()
    assert second.added == {} and second.dropped == {}
    texts = {p: p.read_bytes() for p in tmp_path.rglob("*.py")}
    generate_catalog(options)
    assert texts == {p: p.read_bytes() for p in tmp_path.rglob("*.py")}


def test_show_list_and_doctor_read_the_committed_catalogue(monkeypatch: pytest.MonkeyPatch) -> None:
    _catalog.reload()
    runner = CliRunner()
    shown = runner.invoke(cli, ["show", "openai/gpt-4o"])
    assert shown.exit_code == 0
    assert "OPENAI_API_KEY" in shown.output and "context 128000" in shown.output
    typo = runner.invoke(cli, ["show", "openai/gpt-4oo"])
    assert typo.exit_code == 2 and "openai/gpt-4o" in typo.output
    assert runner.invoke(cli, ["show", "opnai/gpt-4o"]).exit_code == 2
    listed = json.loads(runner.invoke(cli, ["list", "openai", "--json"]).output)
    assert "openai/gpt-4o" in listed
    assert json.loads(runner.invoke(cli, ["list", "--json"]).output)["openai"] == len(listed)
    monkeypatch.setenv("OPENAI_API_KEY", "sk-secret-value-123")
    doctor = runner.invoke(cli, ["doctor"])
    assert "ok  openai: OPENAI_API_KEY is set" in doctor.output
    assert "sk-secret-value-123" not in doctor.output
    assert "--  anthropic: set ANTHROPIC_API_KEY" in doctor.output


def test_watch_hands_the_options_to_the_refresh_loop(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelrouter_generator import refresh

    seen: list[tuple[GenerateOptions, float]] = []
    monkeypatch.setattr(
        refresh, "watch", lambda options, *, interval, wait: seen.append((options, interval))
    )
    result = CliRunner().invoke(
        cli, ["generate", "--watch", "--interval", "5", "--out", str(tmp_path)]
    )
    assert result.exit_code == 0
    assert seen[0][1] == 5.0 and seen[0][0].out_dir == tmp_path


@pytest.mark.parametrize(("env", "expected"), [(None, 3600.0), ("7.5", 7.5)])
def test_watch_interval_defaults_to_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, env: str | None, expected: float
) -> None:
    from modelrouter_generator import refresh

    if env is not None:
        monkeypatch.setenv("MODELROUTER_REFRESH_INTERVAL", env)
    seen: list[float] = []
    monkeypatch.setattr(refresh, "watch", lambda options, *, interval, wait: seen.append(interval))
    result = CliRunner().invoke(cli, ["dev", "--out", str(tmp_path)])
    assert result.exit_code == 0
    assert seen == [expected]
