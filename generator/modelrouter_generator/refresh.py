"""The dev auto-refresh job: keep the typed catalogue current while you work.

One job, two ways to run it:

- in the background of an app, started by the runtime on first router use in an enabled process
  (`modelrouter._autorefresh.maybe_start` calls `run_background` on a daemon thread);
- in the foreground, by `modelrouter generate --watch` and `make dev` (`watch`).

Each round: wait until the catalogue is older than the interval, take the cross-process writer
lock, look again (another process may just have refreshed), regenerate through the normal
pipeline (the whole tree swapped in at once, failed gateways keep their last good data), stamp
the time, reload the running process's lookups, and log one line saying what changed. Failures
are logged once each and retried with a doubling backoff capped at the interval; nothing the job
does can raise into the app.
"""

from __future__ import annotations

import dataclasses
import importlib
import logging
import sys
import threading
import time
from collections.abc import Callable
from pathlib import Path
from typing import TYPE_CHECKING, Final

from modelrouter_generator.lock import (
    CatalogTarget,
    catalog_age,
    choose_target,
    installed_out_dir,
    is_writable,
    mark_refreshed,
    user_cache_out_dir,
    writer_lock,
)
from modelrouter_generator.settings import RefreshSettings, load_settings

if TYPE_CHECKING:
    from modelrouter_generator.pipeline import GenerateOptions, GenerateReport

__all__ = [
    "Generate",
    "RefreshJob",
    "Reload",
    "Wait",
    "activate_target",
    "describe_report",
    "run_background",
    "watch",
]

log = logging.getLogger("modelrouter.refresh")

Generate = Callable[["GenerateOptions"], "GenerateReport"]
Reload = Callable[[], None]
Wait = Callable[[float], bool]
"""Sleep up to the given seconds; return True to stop the job (`threading.Event.wait`)."""

_LOCK_TIMEOUT: Final = 600.0
_BACKOFF_BASE: Final = 30.0
_CHANGES_SHOWN: Final = 8


class RefreshJob:
    """One catalogue target refreshed on a schedule; see the module docstring.

    Args:
        options: what to generate; `out_dir` must be the target's.
        target: where the catalogue is written.
        interval: seconds between refreshes.
        generate: the pipeline (default: `pipeline.generate_catalog`).
        reload: makes this process see the new catalogue (default: `activate_target`).
        clock: wall-clock seconds, compared with file mtimes.
        lock_timeout: seconds to wait for another writer before counting a failure.
        backoff_base: first retry delay after a failure; doubles, capped at `interval`.
    """

    def __init__(
        self,
        options: GenerateOptions,
        target: CatalogTarget,
        *,
        interval: float,
        generate: Generate | None = None,
        reload: Reload | None = None,
        clock: Callable[[], float] = time.time,
        lock_timeout: float = _LOCK_TIMEOUT,
        backoff_base: float = _BACKOFF_BASE,
    ) -> None:
        self.options = options
        self.target = target
        self.interval = interval
        self._generate = generate or _default_generate
        self._reload = reload or (lambda: activate_target(target))
        self._clock = clock
        self._lock_timeout = lock_timeout
        self._backoff_base = backoff_base
        self.failures = 0

    def due_in(self) -> float:
        """Seconds until the next refresh is due; 0 when it is due now.

        After a failure only a complete refresh (the stamp) counts: a partial one may have
        rewritten files, yet the retry is still due unless another process has since succeeded.
        """
        age = catalog_age(self.target, self._clock(), stamp_only=self.failures > 0)
        return max(0.0, self.interval - age)

    def refresh_if_due(self) -> GenerateReport | None:
        """Refresh now unless another process just did; returns the report, or None if skipped.

        Raises:
            TimeoutError: another writer held the lock for longer than `lock_timeout`.
            Exception: whatever the pipeline raised; the catalogue on disk is untouched.
        """
        with writer_lock(self.target, timeout=self._lock_timeout) as acquired:
            if not acquired:
                raise TimeoutError(
                    f"another process has held {self.target.lock_path} for over"
                    f" {self._lock_timeout:g}s"
                )
            if self.due_in() > 0:
                report = None
            else:
                report = self._generate(self.options)
                if not report.failures:
                    mark_refreshed(self.target, self._clock())
        self._reload()
        if report is None:
            log.debug("another process refreshed %s; reloaded it", self.target.package_dir)
        return report

    def step(self) -> float:
        """Run one round if due; return the seconds to wait before the next. Never raises."""
        try:
            report = self.refresh_if_due()
        except Exception as exc:  # the job must never take the app down
            delay = self._backoff()
            log.warning(
                "catalogue refresh failed (%s: %s); keeping the current catalogue,"
                " retrying in %gs",
                type(exc).__name__,
                exc,
                delay,
            )
            return delay
        if report is None:
            return self.due_in()
        log.info("%s", describe_report(report, self.target))
        if report.failures:
            delay = self._backoff()
            for failure in report.failures:
                log.warning(
                    "gateway %s failed during refresh (%s); kept its last good data,"
                    " retrying in %gs",
                    failure.gateway_id,
                    failure.message,
                    delay,
                )
            return delay
        self.failures = 0
        return self.due_in()

    def run(self, wait: Wait) -> None:
        """Loop until `wait` returns True: refresh when due, sleep in between."""
        delay = self.due_in()
        while True:
            if delay > 0 and wait(delay):
                return
            delay = self.step()

    def _backoff(self) -> float:
        self.failures += 1
        return min(self.interval, self._backoff_base * 2.0 ** (self.failures - 1))


def describe_report(report: GenerateReport, target: CatalogTarget) -> str:
    """The one log line of a refresh: totals and +added/-dropped per provider."""
    keys = sorted(set(report.added) | set(report.dropped))
    changes = [
        (key, len(report.added.get(key, ())), len(report.dropped.get(key, ()))) for key in keys
    ]
    changes = [change for change in changes if change[1] or change[2]]
    head = (
        f"refreshed the model catalogue in {target.package_dir}:"
        f" {report.providers} providers, {report.models} models"
    )
    if not changes:
        return f"{head}; no changes"
    shown = ", ".join(f"{key} +{plus}/-{minus}" for key, plus, minus in changes[:_CHANGES_SHOWN])
    rest = changes[_CHANGES_SHOWN:]
    if rest:
        plus = sum(change[1] for change in rest)
        minus = sum(change[2] for change in rest)
        shown += f", and {len(rest)} more providers +{plus}/-{minus}"
    return (
        f"{head}; {shown}. Running code sees the new ids now; if your editor does not offer"
        " them, restart its language server"
    )


def activate_target(target: CatalogTarget) -> None:
    """Make this process load the catalogue from `target`, then reload the runtime's lookups.

    For a fallback target the cache folder goes first on `sys.path`: `importlib.reload` looks
    the top-level package up again, so the reloaded `modelrouter_catalog` (and every provider
    module imported after it) comes from the cache.
    """
    if target.is_fallback:
        entry = str(target.out_dir)
        if not sys.path or sys.path[0] != entry:
            if entry in sys.path:
                sys.path.remove(entry)
            sys.path.insert(0, entry)
        importlib.invalidate_caches()
    try:
        catalog = importlib.import_module("modelrouter._catalog")
    except ImportError:  # a runtime without the reader: nothing in-process to refresh
        return
    catalog.reload()


def fallback_message(target: CatalogTarget) -> str:
    """The log line for an unwritable catalogue: where it goes instead and what to configure."""
    where = target.out_dir
    return (
        f"cannot write the model catalogue in {target.preferred}; refreshing it in {where}"
        f" instead. This process loads it from there. Point your type checker at it:"
        f' mypy: mypy_path = ["{where}"] in [tool.mypy];'
        f' pyright/basedpyright: extraPaths = ["{where}"] in [tool.basedpyright]'
        f" (or MYPYPATH={where})"
    )


def watch(
    options: GenerateOptions,
    *,
    interval: float,
    wait: Wait | None = None,
    generate: Generate | None = None,
    reload: Reload | None = None,
    cache_dir: Path | None = None,
) -> None:
    """Run the refresh job in the foreground until interrupted (or `wait` returns True).

    `MODELROUTER_OFFLINE=1` turns `options.offline` on. If `options.out_dir` is not writable
    the job writes to the user cache folder and logs what to tell the type checker.

    Args:
        options: what to generate, as `modelrouter generate` would.
        interval: seconds between refreshes.
        wait: sleeps between rounds (default: sleep for real, never stop).
        generate: the pipeline (tests inject one).
        reload: called after each round (default: `activate_target`).
        cache_dir: the fallback target (default: the user cache folder).
    """
    _show_log_in_terminal()
    settings = load_settings()
    for warning in settings.warnings:
        log.warning("%s", warning)
    target = choose_target(options.out_dir, cache_dir=cache_dir)
    if target.is_fallback:
        log.warning("%s", fallback_message(target))
    options = dataclasses.replace(
        options, out_dir=target.out_dir, offline=options.offline or settings.offline
    )
    job = RefreshJob(options, target, interval=interval, generate=generate, reload=reload)
    log.info(
        "watching the model catalogue in %s: refresh every %gs%s",
        target.package_dir,
        interval,
        " (offline: local data only)" if options.offline else "",
    )
    job.run(wait or threading.Event().wait)


def _show_log_in_terminal() -> None:
    # `watch` is a foreground command: with logging unconfigured its info lines (what changed)
    # would be swallowed, so print them. An app or test that configured logging keeps its own.
    if log.hasHandlers():
        return
    handler = logging.StreamHandler()
    handler.setFormatter(logging.Formatter("%(asctime)s %(name)s: %(message)s", "%H:%M:%S"))
    log.addHandler(handler)
    log.setLevel(logging.INFO)


def run_background(
    settings: RefreshSettings,
    stop: threading.Event,
    *,
    cache_dir: Path | None = None,
    writable: Callable[[Path], bool] = is_writable,
) -> None:
    """The body of the runtime's daemon thread: refresh on schedule until `stop` is set.

    The target is where this process imports `modelrouter_catalog` from; if a refresh cannot
    write there, the user cache folder, which this process then imports from instead.
    Never raises: anything unexpected is logged and ends the job, never the app.

    Args:
        settings: the switches `maybe_start` read.
        stop: set it to end the job.
        cache_dir: the fallback target (default: the user cache folder).
        writable: the writability check (tests inject one; root can write almost anywhere).
    """
    try:
        from modelrouter_generator.pipeline import GenerateOptions

        preferred = installed_out_dir() or user_cache_out_dir()
        target = choose_target(preferred, cache_dir=cache_dir, writable=writable)
        if target.is_fallback:
            log.warning("%s", fallback_message(target))
            if (target.package_dir / "__init__.py").exists():
                activate_target(target)
        options = GenerateOptions(
            out_dir=target.out_dir, offline=settings.offline, project_dir=Path.cwd(), verify=False
        )
        job = RefreshJob(options, target, interval=settings.interval)
        log.info(
            "auto-refresh on (%s): catalogue %s, every %gs",
            settings.reason,
            target.package_dir,
            settings.interval,
        )
        job.run(stop.wait)
    except Exception:
        log.exception("the model catalogue auto-refresh stopped")


def _default_generate(options: GenerateOptions) -> GenerateReport:
    from modelrouter_generator.directory import refresh_directory
    from modelrouter_generator.pipeline import generate_catalog

    report = generate_catalog(options)
    refresh_directory(options.out_dir)  # opt-in: only when $MODELROUTER_DIRECTORY names a file
    return report
