"""Start the dev auto-refresh job on first router use, if the environment asks for it.

The Agent calls `maybe_start()` on its first request. The first call in a process decides, once:
it reads the switches (`modelrouter_generator.settings`, standard library only) and, if the job is
enabled and the process is online, starts a daemon thread. The thread imports the generator (the
heavy part), so a request never waits for it. Later calls return at once.
"""

from __future__ import annotations

import logging
import threading
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from modelrouter_generator.settings import RefreshSettings

__all__ = ["maybe_start"]

log = logging.getLogger("modelrouter.refresh")

_guard = threading.Lock()
_decided = False
_stop = threading.Event()
_thread: threading.Thread | None = None


def maybe_start() -> None:
    """Start the background refresh job once per process if enabled. Never raises or blocks."""
    global _decided, _thread
    if _decided:
        return
    with _guard:
        if _decided:
            return
        _decided = True
        try:
            from modelrouter_generator.settings import load_settings

            settings = load_settings()
            for warning in settings.warnings:
                log.warning("%s", warning)
            if not settings.enabled:
                log.debug("auto-refresh off (%s)", settings.reason)
                return
            if settings.offline:
                log.info(
                    "auto-refresh on (%s) but MODELROUTER_OFFLINE is set: no refresh",
                    settings.reason,
                )
                return
            from modelrouter_generator.extra import MissingExtraError, require_generate_extra

            try:
                require_generate_extra(
                    f"the catalogue auto-refresh ({settings.reason})", verify=False
                )
            except MissingExtraError as exc:
                log.warning("%s", exc)  # one line, no traceback: the app goes on without it
                return
            _thread = threading.Thread(
                target=_run, args=(settings,), name="modelrouter-refresh", daemon=True
            )
            _thread.start()
        except Exception:  # a broken install must not break the app's request
            log.exception("could not start the model catalogue auto-refresh")


def _run(settings: RefreshSettings) -> None:
    try:
        from modelrouter_generator.refresh import run_background

        run_background(settings, _stop)
    except Exception:
        log.exception("the model catalogue auto-refresh stopped")


def _reset(timeout: float = 10.0) -> None:
    """Stop the job and forget the decision (tests only)."""
    global _decided, _thread
    with _guard:
        _stop.set()
        if _thread is not None:
            _thread.join(timeout)
        _thread = None
        _stop.clear()
        _decided = False
