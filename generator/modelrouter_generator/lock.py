"""Where the refresh job writes the catalogue, and how one writer at a time does it.

A *target* is the folder that contains `modelrouter_catalog/` (the checkout's `generated/`, the
installed package's parent, or a user cache folder when neither is writable). Beside the package
the job keeps two small files:

- `.modelrouter_catalog.lock`: a `filelock` lock; the OS drops it when its holder dies, so a
  writer killed mid-refresh never wedges the next one. Every command that writes the catalogue
  takes it (`modelrouter generate` through `catalog_lock`, the refresh job through
  `writer_lock`), so there is one writer at a time per folder.
- `.modelrouter_catalog.refreshed`: touched after every successful refresh, changed or not. The
  catalogue's age is this file's mtime; without it, the mtime of the package's `__init__.py`
  (its header holds every source hash, so it changes with any data). A no-op refresh writes no
  catalogue file, so `__init__.py` alone would look stale forever and the job would refresh in
  a loop.
"""

from __future__ import annotations

import contextlib
import importlib.util
import math
import os
import tempfile
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Final

import filelock
import platformdirs

from modelrouter_generator._errors import WriteError

__all__ = [
    "DEFAULT_LOCK_TIMEOUT",
    "LOCK_NAME",
    "PACKAGE",
    "STAMP_NAME",
    "CatalogTarget",
    "catalog_age",
    "catalog_lock",
    "choose_target",
    "installed_out_dir",
    "is_writable",
    "mark_refreshed",
    "user_cache_out_dir",
    "writer_lock",
]

PACKAGE: Final = "modelrouter_catalog"
LOCK_NAME: Final = ".modelrouter_catalog.lock"
STAMP_NAME: Final = ".modelrouter_catalog.refreshed"
DEFAULT_LOCK_TIMEOUT: Final = 600.0
"""Seconds `modelrouter generate` waits for another writer of the same folder."""

# Lock files this thread holds through `writer_lock`, so `catalog_lock` can nest inside it.
_held = threading.local()


def _held_here() -> set[str]:
    held: set[str] | None = getattr(_held, "paths", None)
    if held is None:
        held = set()
        _held.paths = held
    return held


@dataclass(frozen=True)
class CatalogTarget:
    """The folder a refresh writes into.

    Attributes:
        out_dir: the folder that contains `modelrouter_catalog/`.
        preferred: where the catalogue normally lives; equals `out_dir` unless it was not writable.
    """

    out_dir: Path
    preferred: Path

    @property
    def is_fallback(self) -> bool:
        """True when the preferred folder was not writable and a cache folder is used instead."""
        return self.out_dir != self.preferred

    @property
    def package_dir(self) -> Path:
        return self.out_dir / PACKAGE

    @property
    def lock_path(self) -> Path:
        return self.out_dir / LOCK_NAME

    @property
    def stamp_path(self) -> Path:
        return self.out_dir / STAMP_NAME


def installed_out_dir() -> Path | None:
    """The folder `modelrouter_catalog` is imported from, found without importing it."""
    try:
        spec = importlib.util.find_spec(PACKAGE)
    except (ImportError, ValueError):
        return None
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(list(spec.submodule_search_locations)[0]).parent


def user_cache_out_dir() -> Path:
    """The per-user fallback target (`$XDG_CACHE_HOME/modelrouter/catalog` on Linux)."""
    return platformdirs.user_cache_path("modelrouter") / "catalog"


def is_writable(out_dir: Path) -> bool:
    """Whether a refresh could really write into `out_dir`.

    `os.access` says yes to root on almost anything, so this creates the folders and a temp
    file in each place a refresh writes (the lock/stamp folder and the package folder).
    """
    try:
        for folder in (out_dir, out_dir / PACKAGE):
            folder.mkdir(parents=True, exist_ok=True)
            handle, name = tempfile.mkstemp(prefix=".probe-", dir=folder)
            os.close(handle)
            os.unlink(name)
    except OSError:
        return False
    return True


def choose_target(
    preferred: Path,
    *,
    cache_dir: Path | None = None,
    writable: Callable[[Path], bool] = is_writable,
) -> CatalogTarget:
    """Use `preferred` if a refresh can write there, else the user cache folder.

    Args:
        preferred: where the catalogue lives now.
        cache_dir: the fallback (default: `user_cache_out_dir()`).
        writable: the check; tests may inject one.
    """
    if writable(preferred):
        return CatalogTarget(out_dir=preferred, preferred=preferred)
    return CatalogTarget(out_dir=cache_dir or user_cache_out_dir(), preferred=preferred)


def catalog_age(target: CatalogTarget, now: float, *, stamp_only: bool = False) -> float:
    """Seconds since the last refresh; infinite when there is no catalogue at all.

    Args:
        target: the catalogue.
        now: the current wall-clock time.
        stamp_only: count only complete refreshes (the stamp), not a write of `__init__.py`;
            after a partial refresh the files are new but a retry is still due.
    """
    paths = (
        (target.stamp_path,)
        if stamp_only
        else (target.stamp_path, target.package_dir / "__init__.py")
    )
    for path in paths:
        try:
            return max(0.0, now - path.stat().st_mtime)
        except OSError:
            continue
    return math.inf


def mark_refreshed(target: CatalogTarget, now: float) -> None:
    """Record a successful refresh at `now` (seconds since the epoch)."""
    target.stamp_path.touch()
    os.utime(target.stamp_path, (now, now))


@contextlib.contextmanager
def writer_lock(target: CatalogTarget, *, timeout: float) -> Iterator[bool]:
    """Hold the cross-process writer lock; yields False if it was not free within `timeout`."""
    target.out_dir.mkdir(parents=True, exist_ok=True)
    lock = filelock.FileLock(str(target.lock_path), timeout=timeout)
    try:
        lock.acquire()
    except filelock.Timeout:
        yield False
        return
    key = str(target.lock_path.resolve())
    _held_here().add(key)
    try:
        yield True
    finally:
        _held_here().discard(key)
        lock.release()


@contextlib.contextmanager
def catalog_lock(out_dir: Path, *, timeout: float = DEFAULT_LOCK_TIMEOUT) -> Iterator[None]:
    """Hold the writer lock of the catalogue in `out_dir` while the block writes it.

    A no-op in a thread that already holds it through `writer_lock` (the refresh job takes the
    lock around the whole round, then runs the pipeline, which takes it again).

    Raises:
        WriteError: another process held the lock for longer than `timeout` seconds.
    """
    target = CatalogTarget(out_dir=out_dir, preferred=out_dir)
    target.out_dir.mkdir(parents=True, exist_ok=True)
    if str(target.lock_path.resolve()) in _held_here():
        yield
        return
    with writer_lock(target, timeout=timeout) as acquired:
        if not acquired:
            raise WriteError(
                f"another process has been writing the catalogue in {out_dir} for over"
                f" {timeout:g}s (it holds {target.lock_path}); try again when it is done"
            )
        yield
