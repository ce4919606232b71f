"""Headless Chromium for the directory tests and `make bench`: Debian's `chromium`, driven by
Playwright over a pipe (no browser download, no port), with a fresh profile per launch."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Final

from playwright.sync_api import BrowserContext, Page, sync_playwright

__all__ = ["CHROMIUM", "FLAGS", "chromium", "open_page", "wait_ready"]

CHROMIUM: Final = Path("/usr/bin/chromium")
# No background traffic of any kind: the machine has no internet and a test must not try.
FLAGS: Final = (
    "--headless",
    "--no-sandbox",
    "--disable-gpu",
    "--disable-quic",
    "--no-first-run",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
)


def chromium_path() -> Path:
    """The browser binary; a clear failure (never a skip) when it is missing."""
    if not CHROMIUM.exists() and shutil.which("chromium") is None:
        raise RuntimeError(
            f"{CHROMIUM} is missing: run `make test` (it installs Debian's chromium) or"
            " `apt-get install chromium`"
        )
    return CHROMIUM if CHROMIUM.exists() else Path(str(shutil.which("chromium")))


@contextmanager
def chromium(profile: Path, *, width: int = 1400, height: int = 1000) -> Iterator[BrowserContext]:
    """A headless Chromium with the fresh user-data-dir `profile` (created here)."""
    profile.mkdir(parents=True, exist_ok=True)
    with sync_playwright() as playwright:
        context = playwright.chromium.launch_persistent_context(
            str(profile),
            executable_path=str(chromium_path()),
            headless=True,
            args=list(FLAGS),
            viewport={"width": width, "height": height},
            service_workers="block",
        )
        try:
            yield context
        finally:
            context.close()


def wait_ready(page: Page) -> None:
    """Until the page has built its rows and painted the first frame."""
    page.wait_for_selector("body[data-ready='1']", state="attached", timeout=60_000)


def open_page(context: BrowserContext, html: Path) -> Page:
    """A new tab on `html` as a file URL, once it is ready."""
    page = context.new_page()
    page.goto(html.resolve().as_uri())
    wait_ready(page)
    return page
