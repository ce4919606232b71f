"""Subprocess side of the refresh integration tests: one refresh round, with injected hooks.

    driver.py ids OUT_DIR                          -> JSON {provider key: [model ids]}
    driver.py refresh OUT_DIR JOURNAL GO INTERVAL  -> waits for GO, runs one round, journals it
    driver.py kill-at OUT_DIR MARKER N             -> runs a round that freezes before swap N+1
    driver.py background OUT_DIR ID [CACHE]        -> maybe_start(), then waits until the runtime
                                                      knows ID (with CACHE: OUT_DIR is unwritable)

Runs with PYTHONPATH=OUT_DIR so the catalogue it imports is the test's.
"""

from __future__ import annotations

import importlib
import json
import logging
import os
import py_compile
import sys
import threading
import time
from typing import Any
from pathlib import Path

from modelrouter_generator.lock import CatalogTarget
from modelrouter_generator.pipeline import GenerateOptions, GenerateReport, generate_catalog
from modelrouter_generator import refresh as refresh_module
from modelrouter_generator.refresh import Generate, RefreshJob
from modelrouter_generator.settings import RefreshSettings


def ids(out_dir: Path) -> None:
    package = importlib.import_module("modelrouter_catalog")
    assert Path(package.__file__ or "").parent == out_dir / "modelrouter_catalog", package.__file__
    for path in sorted((out_dir / "modelrouter_catalog").rglob("*.py")):
        py_compile.compile(str(path), doraise=True)
    found: dict[str, list[str]] = {}
    for key, module_name in package.PROVIDERS.items():
        module = importlib.import_module(f"modelrouter_catalog.providers.{module_name}")
        found[key] = sorted(module.MODELS)
    print(json.dumps(found))


def _job(out_dir: Path, interval: float, generate: Generate | None = None) -> RefreshJob:
    target = CatalogTarget(out_dir=out_dir, preferred=out_dir)
    options = GenerateOptions(out_dir=out_dir, verify=False)
    return RefreshJob(options, target, interval=interval, generate=generate)


def refresh(out_dir: Path, journal: Path, go: Path, interval: float) -> None:
    def journaled(options: GenerateOptions) -> GenerateReport:
        with journal.open("a") as handle:
            handle.write(f"start {os.getpid()}\n")
        # Widen the window in which a second writer would overlap if the lock let it in.
        time.sleep(0.3)
        report = generate_catalog(options)
        with journal.open("a") as handle:
            handle.write(f"end {os.getpid()}\n")
        return report

    job = _job(out_dir, interval, journaled)
    while not go.exists():
        time.sleep(0.01)
    job.step()


def kill_at(out_dir: Path, marker: Path, renames: int) -> None:
    # Freezes inside the catalogue write: the new tree is staged beside the old, and the
    # swap is about to happen (`renames` counts earlier swaps let through).
    from modelrouter_generator import swap

    real_swap_in = swap.swap_in
    count = 0

    def swap_in(stage: Path, root: Path, **kwargs: Any) -> None:
        nonlocal count
        if count == renames:
            marker.write_text(str(root))
            time.sleep(600)  # the test SIGKILLs us here
        count += 1
        real_swap_in(stage, root, **kwargs)

    setattr(swap, "swap_in", swap_in)  # the writer looks `swap.swap_in` up at call time
    _job(out_dir, 1e-9).step()


def background(model_id: str, cache: Path | None) -> None:
    from modelrouter import _autorefresh, _catalog

    provider, model = model_id.split("/", 1)
    print(json.dumps({"before": _catalog.has_model(provider, model)}), flush=True)
    if cache is not None:
        # Root can write anywhere, so the unwritable install is simulated at the check.
        real = refresh_module.run_background

        def unwritable(settings: RefreshSettings, stop: threading.Event) -> None:
            real(settings, stop, cache_dir=cache, writable=lambda path: path == cache)

        setattr(refresh_module, "run_background", unwritable)  # what maybe_start will call
    _autorefresh.maybe_start()
    # The caller was not blocked: we are here while the job works on its own thread.
    while not _catalog.has_model(provider, model):
        time.sleep(0.05)
    package = importlib.import_module("modelrouter_catalog")
    print(json.dumps({"after": True, "catalog": package.__file__}), flush=True)


def main(argv: list[str]) -> None:
    logging.basicConfig(level=logging.INFO, stream=sys.stderr)
    command, out_dir = argv[1], Path(argv[2])
    if command == "ids":
        ids(out_dir)
    elif command == "refresh":
        refresh(out_dir, Path(argv[3]), Path(argv[4]), float(argv[5]))
    elif command == "kill-at":
        kill_at(out_dir, Path(argv[3]), int(argv[4]))
    elif command == "background":
        background(argv[3], Path(argv[4]) if len(argv) > 4 else None)
    else:
        raise SystemExit(f"unknown command {command}")


if __name__ == "__main__":
    main(sys.argv)
