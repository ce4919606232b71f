"""The model directory page at full catalogue size, measured inside headless Chromium.

Figures (issue 15): page size (target <= 2 MB), time to first render of all rows (navigation
start to the first painted frame after the table is built, `performance.now()` in the page; the
paint entries of a PerformanceObserver beside it), and time to apply one filter keystroke
(keystroke event to the next painted frame, and the page's own filter+render time).
"""

from __future__ import annotations

import statistics
import tempfile
import time
from pathlib import Path
from typing import Any, cast

from playwright.sync_api import BrowserContext

from modelrouter_generator.directory import read_catalog, render_directory
from tests.integration.directory.browser import chromium, wait_ready

_KEYS = "gpt4omini"
_PAINTS_JS = """() => new Promise((done) => {
  const seen = {};
  new PerformanceObserver((list) => {
    for (const e of list.getEntries()) seen[e.name] = e.startTime;
  }).observe({ type: 'paint', buffered: true });
  setTimeout(() => done(seen), 50);
})"""


def _median(values: list[float]) -> str:
    return f"median {statistics.median(values):.1f} ms, max {max(values):.1f} ms"


def _first_render(context: BrowserContext, url: str, runs: int = 3) -> None:
    first: list[float] = []
    timings: dict[str, Any] = {}
    paints: dict[str, float] = {}
    for _ in range(runs):
        page = context.new_page()
        page.goto(url)
        wait_ready(page)
        timings = cast(dict[str, Any], page.evaluate("window.directoryTimings"))
        paints = cast(dict[str, float], page.evaluate(_PAINTS_JS))
        first.append(float(timings["firstRenderMs"]))
        page.close()
    print(
        f"first render of all {timings['rows']} rows: {_median(first)}"
        f" (script {timings['buildMs']:.0f} ms; first-contentful-paint"
        f" {paints.get('first-contentful-paint', float('nan')):.0f} ms, last run)"
    )


def _keystrokes(context: BrowserContext, url: str) -> None:
    page = context.new_page()
    page.goto(url)
    wait_ready(page)
    page.click("#q")
    to_paint: list[float] = []
    applied: list[float] = []
    for key in [*_KEYS, *["Backspace"] * len(_KEYS)]:
        page.keyboard.press(key)
        page.wait_for_function(
            "(n) => window.directoryTimings.applies >= n"
            " && window.directoryTimings.lastInputToPaintMs !== null",
            arg=len(to_paint) + 2,
        )
        timings = cast(dict[str, Any], page.evaluate("window.directoryTimings"))
        to_paint.append(float(timings["lastInputToPaintMs"]))
        applied.append(float(timings["lastApplyMs"]))
        page.evaluate("window.directoryTimings.lastInputToPaintMs = null")
    page.close()
    print(f"filter keystroke to painted frame ({len(to_paint)} keys): {_median(to_paint)}")
    print(f"filter keystroke, search+filter+render in the page: {_median(applied)}")


def main() -> None:
    with tempfile.TemporaryDirectory() as scratch:
        root = Path(scratch)
        start = time.perf_counter()
        html = render_directory(read_catalog())
        render_s = time.perf_counter() - start
        page_file = root / "models.html"
        page_file.write_text(html, encoding="utf-8")
        size = page_file.stat().st_size
        print(f"page size: {size / 1024:.0f} KiB ({size} bytes; target <= 2 MB)")
        print(f"render in Python (catalogue read + template): {render_s:.2f} s")
        with chromium(root / "profile") as context:
            _first_render(context, page_file.as_uri())
            _keystrokes(context, page_file.as_uri())


if __name__ == "__main__":
    main()
