"""The page for the committed catalogue (~4,800 models): every id rendered, size, no external
URL, same bytes every time, and usable in the browser at that size."""

from __future__ import annotations

import re
from pathlib import Path

import pytest
from playwright.sync_api import Page

from modelrouter_generator.cli import main
from modelrouter_generator.directory import read_catalog, render_directory
from tests.integration.directory.conftest import Tab
from tests.integration.directory.page import rendered_ids, screenshot, visible_ids

MAX_BYTES = 2 * 1024 * 1024


@pytest.fixture(scope="module")
def catalog_ids() -> set[str]:
    ids = {f"{key}/{model}" for key, config in read_catalog().items() for model in config.models}
    assert len(ids) > 4000, "the committed catalogue should hold the full models.dev listing"
    return ids


@pytest.fixture(scope="module")
def full_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("full") / "models.html"
    assert main(["directory", "--out", str(out)]) == 0
    return out


def test_size_determinism_and_no_external_urls(full_page: Path) -> None:
    data = full_page.read_bytes()
    assert len(data) <= MAX_BYTES, f"{len(data)} bytes"
    assert render_directory(read_catalog()).encode("utf-8") == data
    html = data.decode("utf-8")
    assert re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE) is None


def test_every_catalogue_id_is_rendered(
    full_page: Path, catalog_ids: set[str], tab: Tab, tmp_path: Path
) -> None:
    page: Page = tab.open(full_page)
    assert page.inner_text("#count") == f"{len(catalog_ids)} of {len(catalog_ids)} models"
    assert rendered_ids(page) == catalog_ids
    assert screenshot(page, tmp_path / "full.png") > 20


def test_search_filter_sort_at_full_size(full_page: Path, tab: Tab) -> None:
    page = tab.open(full_page)
    page.click("#q")
    page.keyboard.type("gpt-4o-mini")
    shown = visible_ids(page)
    assert shown and all("gpt-4o-mini" in i for i in shown[:3])
    assert "openai/gpt-4o-mini" in shown
    page.select_option("#f-provider", label="openai (OpenAI)")
    assert visible_ids(page)[0] == "openai/gpt-4o-mini"
    page.fill("#q", "")
    page.click("#head button:text-is('Input $')")
    page.click("#head button:text-is('Input $')")
    ids = visible_ids(page)
    prices = page.evaluate("""() => Array.from(document.querySelectorAll('#rows > .row'))
             .sort((a, b) => +a.getAttribute('aria-rowindex') - +b.getAttribute('aria-rowindex'))
             .map((row) => row.children[4].textContent)""")
    assert ids and all(i.startswith("openai/") for i in ids)
    numbers = [float(p.lstrip("$")) for p in prices if p.startswith("$")]
    assert numbers == sorted(numbers, reverse=True) and len(numbers) > 10
