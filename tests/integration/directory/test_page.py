"""The directory page in a real headless Chromium: search, filters, sorting, keyboard, plot."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page

from modelrouter_generator.directory import write_directory
from tests.integration.directory.catalogs import small_catalog
from tests.integration.directory.conftest import Tab
from tests.integration.directory.page import screenshot, settle, visible_ids

ALL_IDS = [
    "anthropic/claude-haiku-3",
    "anthropic/claude-next",
    "anthropic/claude-sonnet-4",
    "openai/gpt-3.5-turbo",
    "openai/gpt-4o",
    "openai/gpt-4o-mini",
    "openai/o1",
]


@pytest.fixture(scope="module")
def small_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("directory")
    catalog = small_catalog(root / "catalog")
    out = root / "directory.html"
    write_directory(out, catalog)
    return out


@pytest.fixture
def page(tab: Tab, small_page: Path) -> Page:
    return tab.open(small_page)


def test_every_model_is_listed_in_id_order(page: Page) -> None:
    assert visible_ids(page) == ALL_IDS
    assert page.inner_text("#count") == "7 of 7 models"


def test_search_is_fuzzy_on_id_and_name(page: Page) -> None:
    page.fill("#q", "4o")
    assert visible_ids(page) == ["openai/gpt-4o", "openai/gpt-4o-mini"]
    # Not a substring of any id: letters in order, with gaps ("gpt4omini" -> gpt-4o-mini).
    page.fill("#q", "gpt4omini")
    assert visible_ids(page) == ["openai/gpt-4o-mini"]
    # Only the display name says "Sonnet" in this spelling with a space.
    page.fill("#q", "claude sonnet")
    assert visible_ids(page) == ["anthropic/claude-sonnet-4"]
    page.fill("#q", "zzz")
    assert visible_ids(page) == []
    assert page.is_visible("#empty")
    assert page.inner_text("#count") == "0 of 7 models"


def test_search_typed_key_by_key(page: Page) -> None:
    page.click("#q")
    page.keyboard.type("haiku")
    assert visible_ids(page) == ["anthropic/claude-haiku-3"]
    page.keyboard.press("Escape")
    assert visible_ids(page) == ALL_IDS


def test_filters_narrow_the_rows(page: Page) -> None:
    page.select_option("#f-provider", label="openai (OpenAI)")
    assert visible_ids(page) == [i for i in ALL_IDS if i.startswith("openai/")]
    assert "OpenAI" in page.inner_text("#provider-info")
    page.check(".f-cap[value='0']")  # tools
    assert visible_ids(page) == ["openai/gpt-4o", "openai/gpt-4o-mini", "openai/o1"]
    page.check(".f-cap[value='2']")  # reasoning
    assert visible_ids(page) == ["openai/o1"]
    page.click("#reset")
    assert visible_ids(page) == ALL_IDS

    page.select_option("#f-mod-in", label="pdf")
    assert visible_ids(page) == ["anthropic/claude-sonnet-4"]
    page.select_option("#f-mod-in", value="")
    page.fill("#f-price", "1")
    assert visible_ids(page) == [
        "anthropic/claude-haiku-3",
        "openai/gpt-3.5-turbo",
        "openai/gpt-4o-mini",
    ]
    page.fill("#f-context", "150000")
    assert visible_ids(page) == ["anthropic/claude-haiku-3"]
    page.fill("#f-price", "")
    assert visible_ids(page) == [
        "anthropic/claude-haiku-3",
        "anthropic/claude-sonnet-4",
        "openai/o1",
    ]
    page.click("#reset")
    page.uncheck("#f-deprecated")
    assert "openai/gpt-3.5-turbo" not in visible_ids(page)


def _sort(page: Page, label: str) -> None:
    page.click(f"#head button:text-is('{label}')")


def test_columns_sort_both_ways_unknown_values_last(page: Page) -> None:
    _sort(page, "Input $")
    assert visible_ids(page) == [
        "openai/gpt-4o-mini",
        "anthropic/claude-haiku-3",
        "openai/gpt-3.5-turbo",
        "openai/gpt-4o",
        "anthropic/claude-sonnet-4",
        "openai/o1",
        "anthropic/claude-next",
    ]
    assert page.get_attribute("#head [role=columnheader]:nth-child(5)", "aria-sort") == (
        "ascending"
    )
    _sort(page, "Input $")
    assert visible_ids(page)[:2] == ["openai/o1", "anthropic/claude-sonnet-4"]
    assert visible_ids(page)[-1] == "anthropic/claude-next"
    _sort(page, "Context")
    # Ties keep id order; a model without a context limit goes last.
    assert visible_ids(page) == [
        "openai/gpt-3.5-turbo",
        "openai/gpt-4o",
        "openai/gpt-4o-mini",
        "anthropic/claude-haiku-3",
        "anthropic/claude-sonnet-4",
        "openai/o1",
        "anthropic/claude-next",
    ]
    # Search and sort together: the sort wins over relevance.
    page.fill("#q", "gpt")
    _sort(page, "Output $")
    assert visible_ids(page) == ["openai/gpt-4o-mini", "openai/gpt-3.5-turbo", "openai/gpt-4o"]


def test_deprecated_rows_are_greyed_and_keys_never_shown(page: Page, small_page: Path) -> None:
    row = page.locator("#rows .row", has_text="openai/gpt-3.5-turbo")
    assert "deprecated" in (row.get_attribute("class") or "")
    grey = row.evaluate("(el) => getComputedStyle(el).color")
    live = page.locator("#rows .row", has_text="openai/o1").evaluate(
        "(el) => getComputedStyle(el).color"
    )
    assert grey != live
    assert row.locator(".status-badge").inner_text() == "deprecated"
    html = small_page.read_text(encoding="utf-8")
    assert "OPENAI_API_KEY" not in html and "ANTHROPIC_API_KEY" not in html
    assert "API_KEY" not in page.inner_text("body")


def test_keyboard_only(page: Page) -> None:
    page.keyboard.press("/")
    assert page.evaluate("document.activeElement.id") == "q"
    page.keyboard.type("claude")
    page.keyboard.press("Escape")
    assert page.input_value("#q") == ""
    page.keyboard.type("claude")
    # Tab from the search box through the filters reaches the table as one stop.
    for _ in range(40):
        page.keyboard.press("Tab")
        if page.evaluate("document.activeElement.closest('#rows') !== null"):
            break
    else:
        pytest.fail("Tab never reached the table")
    page.keyboard.press("ArrowDown")
    focused = page.evaluate("document.activeElement.querySelector('.text').textContent")
    assert focused == "anthropic/claude-next"
    page.keyboard.press("End")
    assert page.evaluate("document.activeElement.querySelector('.text').textContent") == (
        "anthropic/claude-sonnet-4"
    )
    page.keyboard.press("Enter")
    settle(page)
    assert "anthropic/claude-sonnet-4" in page.inner_text("#copied")
    # The sort buttons are ordinary buttons: Enter on a focused one sorts.
    page.focus("#head button:text-is('Output')")
    page.keyboard.press("Enter")
    assert visible_ids(page)[0] == "anthropic/claude-haiku-3"


def test_copy_button_copies_the_id(page: Page) -> None:
    page.context.grant_permissions(["clipboard-read", "clipboard-write"])
    page.locator("#rows .row", has_text="openai/o1").locator(".copy").click()
    settle(page)
    assert page.inner_text("#copied") == "copied openai/o1"
    assert page.evaluate("navigator.clipboard.readText()") == "openai/o1"


def test_scatter_plot_hover_shows_the_id(page: Page) -> None:
    box = page.locator("#plot").bounding_box()
    assert box is not None
    # Find where o1 is drawn by hovering over the plot until the tooltip names it.
    page.fill("#q", "o1")
    settle(page)
    assert "1 of 1 shown models plotted" in page.inner_text("#plot-note")
    found = page.evaluate("""() => {
          const canvas = document.getElementById('plot');
          const g = canvas.getContext('2d');
          const data = g.getImageData(0, 0, canvas.width, canvas.height).data;
          let best = null;
          for (let y = 0; y < canvas.height; y++) for (let x = 0; x < canvas.width; x++) {
            const k = (y * canvas.width + x) * 4;
            if (data[k + 2] > 150 && data[k] < 120 && data[k + 3] > 80) { best = [x, y]; }
          }
          const r = window.devicePixelRatio || 1;
          return best && [best[0] / r, best[1] / r];
        }""")
    assert found is not None, "no point drawn"
    page.mouse.move(box["x"] + found[0], box["y"] + found[1])
    settle(page)
    assert page.is_visible("#tip")
    assert page.inner_text("#tip").splitlines()[0] == "openai/o1"
    page.mouse.click(box["x"] + found[0], box["y"] + found[1])
    settle(page)
    assert page.evaluate("document.activeElement.querySelector('.text').textContent") == (
        "openai/o1"
    )


def test_screenshot_is_not_blank(page: Page, tmp_path: Path) -> None:
    page.fill("#q", "gpt")
    settle(page)
    shot = tmp_path / "directory.png"
    spread = screenshot(page, shot)
    assert shot.stat().st_size > 10_000
    assert spread > 20, f"screenshot looks blank (grey-level stddev {spread:.1f})"
