"""Reading the directory page's state in the browser, as a user would see it."""

from __future__ import annotations

import io
from pathlib import Path
from typing import cast

from PIL import Image, ImageStat
from playwright.sync_api import Page

__all__ = ["pixel_stddev", "rendered_ids", "screenshot", "settle", "visible_ids"]

# Rows are absolutely positioned by a virtual list: display order is aria-rowindex.
_ROWS_JS = """() => Array.from(document.querySelectorAll('#rows > .row'))
  .filter((row) => row.getBoundingClientRect().height > 0)
  .sort((a, b) => +a.getAttribute('aria-rowindex') - +b.getAttribute('aria-rowindex'))
  .map((row) => row.querySelector('.text').textContent)"""

# Every id the page shows, scrolling the virtual list from top to bottom.
_ALL_JS = """async () => {
  const frame = () => new Promise((done) => requestAnimationFrame(() => setTimeout(done, 0)));
  const seen = new Set();
  const rows = document.getElementById('rows');
  const end = rows.getBoundingClientRect().top + window.scrollY + rows.offsetHeight;
  for (let y = 0; ; y += Math.max(200, window.innerHeight - 100)) {
    window.scrollTo(0, y);
    await frame();
    for (const row of rows.children) seen.add(row.querySelector('.text').textContent);
    if (y + window.innerHeight >= end) break;
  }
  window.scrollTo(0, 0);
  await frame();
  return Array.from(seen);
}"""


def settle(page: Page) -> None:
    """Wait for two animation frames: the page has applied and painted what it was given."""
    page.evaluate(
        "() => new Promise((done) => requestAnimationFrame(() => requestAnimationFrame(done)))"
    )


def visible_ids(page: Page) -> list[str]:
    """The ids of the rows on screen, top to bottom."""
    settle(page)
    return cast(list[str], page.evaluate(_ROWS_JS))


def rendered_ids(page: Page) -> set[str]:
    """Every id the table shows, found by scrolling through all of it."""
    return set(cast(list[str], page.evaluate(_ALL_JS)))


def pixel_stddev(png: bytes) -> float:
    """Standard deviation of the grey levels of a screenshot: near 0 for a blank page."""
    image = Image.open(io.BytesIO(png)).convert("L")
    return float(ImageStat.Stat(image).stddev[0])


def screenshot(page: Page, path: Path) -> float:
    """Save a screenshot at `path` and return its pixel standard deviation."""
    png = page.screenshot(path=str(path), full_page=False)
    return pixel_stddev(png)
