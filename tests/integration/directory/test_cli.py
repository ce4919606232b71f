"""`modelrouter directory`, `generate --directory` and the auto-refresh hook, end to end
(no browser: what is on disk; the browser tests read the same files)."""

from __future__ import annotations

import logging
from pathlib import Path

import pytest

from modelrouter_generator.cli import main
from modelrouter_generator.directory import (
    ENV_DIRECTORY,
    load_catalog_dir,
    refresh_directory,
    write_directory,
)
from modelrouter_generator.lock import choose_target
from modelrouter_generator.pipeline import GenerateOptions
from modelrouter_generator.refresh import RefreshJob
from tests.integration.directory.catalogs import small_catalog, write_catalog

HOSTILE = "tests.integration.directory.catalogs:HostileGateway"


@pytest.fixture
def snapshots(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    folder = tmp_path / "snapshots"
    monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(folder))
    return folder


def test_directory_command_writes_a_deterministic_page(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = small_catalog(tmp_path / "catalog")
    first, second = tmp_path / "a.html", tmp_path / "nested" / "b.html"
    assert main(["directory", "--catalog", str(catalog), "--out", str(first)]) == 0
    assert f"wrote {first} (7 models" in capsys.readouterr().out
    assert main(["directory", "--catalog", str(catalog), "--out", str(second)]) == 0
    assert first.read_bytes() == second.read_bytes()
    assert b'"gpt-4o-mini"' in first.read_bytes()


def test_default_out_is_in_the_current_folder(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    catalog = small_catalog(tmp_path / "catalog")
    monkeypatch.chdir(tmp_path)
    assert main(["directory", "--catalog", str(catalog)]) == 0
    assert (tmp_path / "modelrouter-directory.html").stat().st_size > 10_000


def test_a_folder_without_a_catalogue_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["directory", "--catalog", str(tmp_path), "--out", str(tmp_path / "x.html")])
    assert code == 2
    err = capsys.readouterr().err
    assert "catalog:" in err and "modelrouter_catalog" in err and str(tmp_path) in err
    assert not (tmp_path / "x.html").exists()


def test_a_catalogue_without_models_is_a_clear_error(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    empty = write_catalog(tmp_path / "catalog", [])
    assert (empty / "modelrouter_catalog" / "__init__.py").exists()
    assert main(["directory", "--catalog", str(empty), "--out", str(tmp_path / "x.html")]) == 2
    assert "lists no models; run `modelrouter generate` first" in capsys.readouterr().err
    assert not (tmp_path / "x.html").exists()


def test_an_unwritable_out_is_a_clear_error_and_leaves_no_temp_file(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    catalog = small_catalog(tmp_path / "catalog")
    blocker = tmp_path / "file"
    blocker.write_text("not a folder")
    code = main(["directory", "--catalog", str(catalog), "--out", str(blocker / "page.html")])
    assert code == 1
    assert "cannot write the directory page" in capsys.readouterr().err
    # Writing over a folder fails at the rename: the temp file is removed.
    folder = tmp_path / "dir.html"
    folder.mkdir()
    assert main(["directory", "--catalog", str(catalog), "--out", str(folder)]) != 0
    assert list(tmp_path.glob(".dir.html.*")) == []


def test_generate_writes_the_page_beside_the_catalogue(
    tmp_path: Path, snapshots: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out, page = tmp_path / "out", tmp_path / "site" / "models.html"
    args = ["generate", "--offline", "--no-verify", "--out", str(out), "--gateway", HOSTILE]
    assert main([*args, "--directory", str(page)]) == 0
    assert f"wrote the model directory {page}" in capsys.readouterr().out
    html = page.read_text(encoding="utf-8")
    assert "\\u003cscript\\u003ealert(1)" in html  # the hostile gateway's ids
    providers = load_catalog_dir(out)
    assert "evil" in providers and "openai" in providers
    assert f"{sum(len(c.models) for c in providers.values())} models from" in html
    # Without the option nothing is written (opt-in).
    page.unlink()
    assert main(args) == 0
    assert not page.exists()


def test_refresh_hook_is_opt_in_and_never_raises(
    tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    catalog = small_catalog(tmp_path / "catalog")
    page = tmp_path / "page.html"
    refresh_directory(catalog, {})
    assert not page.exists()
    refresh_directory(catalog, {ENV_DIRECTORY: str(page)})
    assert page.read_bytes() == _render(tmp_path, catalog)
    with caplog.at_level(logging.WARNING, logger="modelrouter.refresh"):
        refresh_directory(tmp_path / "nowhere", {ENV_DIRECTORY: str(page)})
    assert "could not rewrite the model directory page" in caplog.text


def _render(tmp_path: Path, catalog: Path) -> bytes:
    again = tmp_path / "again.html"
    write_directory(again, catalog)
    return again.read_bytes()


def test_the_dev_auto_refresh_rewrites_the_page(
    tmp_path: Path, snapshots: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    page = tmp_path / "models.html"
    monkeypatch.setenv(ENV_DIRECTORY, str(page))
    options = GenerateOptions(out_dir=tmp_path / "out", offline=True, verify=False)
    target = choose_target(options.out_dir, cache_dir=tmp_path / "cache")
    job = RefreshJob(options, target, interval=3600, reload=lambda: None)
    report = job.refresh_if_due()
    assert report is not None and report.models > 4000
    assert page.exists()
    assert f"{report.models} models from" in page.read_text(encoding="utf-8")


def test_open_hands_the_file_url_to_the_browser(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # $BROWSER is how users pick the browser `webbrowser` starts; this one records its argument.
    opened = tmp_path / "opened.txt"
    recorder = tmp_path / "browser.sh"
    recorder.write_text(f'#!/bin/sh\nprintf %s "$1" > {opened}\n')
    recorder.chmod(0o755)
    monkeypatch.setenv("BROWSER", f"{recorder} %s")
    monkeypatch.setattr("webbrowser._tryorder", None, raising=False)
    catalog = small_catalog(tmp_path / "catalog")
    page = tmp_path / "page.html"
    assert main(["directory", "--catalog", str(catalog), "--out", str(page), "--open"]) == 0
    assert opened.read_text() == page.resolve().as_uri()
