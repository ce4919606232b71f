"""Ids, names and a doc URL from a hostile gateway show up as text: never markup, script,
template output or a link. Checked in the rendered DOM of a real Chromium."""

from __future__ import annotations

import re
from html.parser import HTMLParser
from pathlib import Path

import pytest
from playwright.sync_api import Page

from modelrouter_generator.directory import write_directory
from tests.integration.directory.catalogs import HOSTILE_DOC_URL, HOSTILE_IDS, hostile_catalog
from tests.integration.directory.conftest import Tab
from tests.integration.directory.page import rendered_ids, visible_ids

EVIL_IDS = {f"evil/{model}" for model in HOSTILE_IDS}


@pytest.fixture(scope="module")
def hostile_page(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("hostile")
    catalog = hostile_catalog(root / "catalog", root / "snapshots")
    out = root / "directory.html"
    write_directory(out, catalog)
    return out


@pytest.fixture
def page(tab: Tab, hostile_page: Path) -> Page:
    return tab.open(hostile_page)


class _Tags(HTMLParser):
    def __init__(self) -> None:
        super().__init__()
        self.tags: list[tuple[str, dict[str, str | None]]] = []

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        self.tags.append((tag, dict(attrs)))


def test_static_html_has_only_its_own_elements(hostile_page: Path) -> None:
    html = hostile_page.read_text(encoding="utf-8")
    parser = _Tags()
    parser.feed(html)
    tags = [tag for tag, _ in parser.tags]
    assert tags.count("script") == 2
    assert "img" not in tags and "a" not in tags and "b" not in tags
    # The data block holds no raw `<`, so no `</script>` or `<!--` can end or hide it.
    data = html.split('id="catalog-data">', 1)[1].split("</script>", 1)[0]
    assert "<" not in data and ">" not in data
    assert "\\u003cscript\\u003ealert(1)" in data
    # Jinja2 never saw the ids as template source.
    assert "{{ 7*7 }}" in data and ">49<" not in html


def test_ids_and_names_render_as_literal_text(page: Page, tab: Tab) -> None:
    assert rendered_ids(page) >= EVIL_IDS
    texts = page.eval_on_selector_all("#rows .row .text", "(els) => els.map((e) => e.textContent)")
    assert set(texts) >= EVIL_IDS
    names = page.eval_on_selector_all("#rows .row .name", "(els) => els.map((e) => e.textContent)")
    assert "name <script>alert(1)</script>" in names
    assert "name {{ 7*7 }}" in names
    # No element came from the data: exactly the page's own scripts, no image, no link.
    assert page.eval_on_selector_all("script", "(els) => els.length") == 2
    assert page.eval_on_selector_all("img, a, iframe, object, embed", "(els) => els.length") == 0
    assert page.eval_on_selector_all("[onerror], [onload]", "(els) => els.length") == 0
    body = page.inner_text("body")
    assert "<script>alert(1)</script>" in body
    assert '"><img src=x onerror=alert(2)>' in body
    assert "{{ 7*7 }}" in body
    assert tab.dialogs == []


def test_search_and_filter_with_hostile_text(page: Page) -> None:
    page.fill("#q", "<script>")
    # Exact substring first, then the fuzzy match with the same letters in order.
    assert visible_ids(page) == ["evil/<script>alert(1)</script>", "evil/</script><!--"]
    page.fill("#q", "{{")
    assert visible_ids(page) == ["evil/{{ 7*7 }}"]
    page.fill("#q", "")
    page.select_option("#f-provider", index=1)
    info = page.inner_text("#provider-info")
    assert '<b>Evil</b> "Corp" {{ 7*7 }}' in info
    option = page.eval_on_selector("#f-provider", "(s) => s.options[1].textContent")
    assert option == 'evil (<b>Evil</b> "Corp" {{ 7*7 }})'


def test_unsafe_doc_url_is_not_linked_nor_shown(page: Page, hostile_page: Path) -> None:
    page.select_option("#f-provider", index=1)
    assert HOSTILE_DOC_URL not in page.inner_text("#provider-info")
    assert HOSTILE_DOC_URL not in hostile_page.read_text(encoding="utf-8")
    links = page.evaluate("""() => Array.from(document.querySelectorAll('*')).flatMap((el) =>
             ['href', 'src', 'action', 'formaction', 'xlink:href']
               .map((name) => el.getAttribute(name)).filter((v) => v !== null))""")
    assert links == []
    # A safe doc URL is shown as text to copy, not linked (the page holds no external href).
    page.select_option("#f-provider", index=2)
    assert "https://docs.example.com/models" in page.inner_text("#provider-info")


def test_no_external_url_in_any_src_or_href(hostile_page: Path) -> None:
    html = hostile_page.read_text(encoding="utf-8")
    assert re.search(r"""(src|href)\s*=\s*["']?\s*(https?:)?//""", html, re.IGNORECASE) is None
