"""One headless Chromium (fresh profile) for the directory tests; a new tab per test that
fails the test on any page error or dialog (an `alert()` from injected markup would be one).

The browser lives for this package only: Playwright's sync API keeps an event loop running in
the main thread while it is open, and the rest of the suite needs `asyncio.run` there."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Dialog, Page

from tests.integration.directory.browser import chromium


@pytest.fixture(scope="package")
def browser_context(tmp_path_factory: pytest.TempPathFactory) -> Iterator[BrowserContext]:
    with chromium(tmp_path_factory.mktemp("chromium-profile")) as context:
        yield context


class Tab:
    """A page plus what went wrong in it."""

    def __init__(self, page: Page) -> None:
        self.page = page
        self.dialogs: list[str] = []
        self.errors: list[str] = []
        self.requests: list[str] = []
        page.on("dialog", self._dialog)
        page.on("pageerror", lambda error: self.errors.append(str(error)))
        page.on("request", lambda request: self.requests.append(request.url))

    def _dialog(self, dialog: Dialog) -> None:
        self.dialogs.append(dialog.message)
        dialog.dismiss()

    def open(self, html: Path) -> Page:
        self.page.goto(html.resolve().as_uri())
        self.page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)
        return self.page


@pytest.fixture
def tab(browser_context: BrowserContext) -> Iterator[Tab]:
    page = browser_context.new_page()
    state = Tab(page)
    yield state
    page.close()
    assert state.errors == [], f"the page raised: {state.errors}"
    assert state.dialogs == [], f"a dialog fired: {state.dialogs}"
    # The page is opened from a file URL and must fetch nothing else, ever.
    assert all(url.startswith("file://") for url in state.requests), state.requests
