"""Structured log lines for what the fallback engine decides: retries, fallbacks, skips.

Each line goes to the `modelrouter` logger with its facts in `extra=` (flat names, none of
them a `LogRecord` attribute), so a JSON formatter or a log shipper can index them:

    event        "retry" | "fallback" | "skip" | "cooldown"
    model_id     the model the line is about ("openai/gpt-4o")
    provider     its provider ("openai"), "" when the id names none
    error_type   the error's class name ("RateLimitError"); status_code: its HTTP status
    attempt      which try of this model failed (1 = the first)
    delay_s      seconds until the retry (retry), or the cooldown's length (cooldown)
    next_model_id the entry tried next (fallback)
    reason       why a model was skipped or cooled down (skip, cooldown)

What never reaches a line: keys, header values, prompts, answers, and error messages (a
provider may echo the request in one; the raised error carries it, redacted, for the caller).
Only failure paths log, and each checks `isEnabledFor` first, so a call that answers on its
first try logs nothing and pays nothing.
"""

from __future__ import annotations

import logging
from typing import Final

__all__ = ["LOGGER", "cooled_down", "error_fields", "falling_back", "retrying", "skipped"]

LOGGER: Final = logging.getLogger("modelrouter")


def error_fields(exc: BaseException) -> dict[str, object]:
    """The loggable facts of an error: its class name and HTTP status, never its message."""
    fields: dict[str, object] = {"error_type": type(exc).__name__}
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        fields["status_code"] = status
    return fields


def _provider(model_id: str) -> str:
    from modelrouter._fallback_plan import provider_of

    return provider_of(model_id)


def _why(fields: dict[str, object]) -> str:
    status = fields.get("status_code")
    return f"{fields['error_type']} ({status})" if status is not None else str(fields["error_type"])


def _line(
    level: int,
    event: str,
    model_id: str,
    message: str,
    args: tuple[object, ...],
    /,
    **fields: object,
) -> None:
    """Log `message % args` about `model_id` at `level`, its facts in `extra=`; when the level
    is off, nothing more (not even the provider lookup)."""
    if LOGGER.isEnabledFor(level):
        extra = {"event": event, "model_id": model_id, "provider": _provider(model_id), **fields}
        # stacklevel: the record names the public function below (funcName, lineno), as before.
        LOGGER.log(level, message, *args, extra=extra, stacklevel=2)


def retrying(model_id: str, exc: BaseException, attempt: int, delay: float) -> None:
    """Attempt `attempt` of `model_id` failed with `exc`; it is tried again in `delay` s."""
    fields = error_fields(exc)
    message = "Retrying %s in %.2fs after %s (attempt %d failed)"
    args = (model_id, delay, _why(fields), attempt)
    _line(logging.INFO, "retry", model_id, message, args, attempt=attempt, delay_s=delay, **fields)


def falling_back(model_id: str, exc: BaseException, attempts: int, next_model_id: str) -> None:
    """`model_id` failed for good after `attempts` tries; `next_model_id` is tried next."""
    fields = error_fields(exc)
    message = "Falling back from %s to %s after %s (%d attempt%s)"
    args = (model_id, next_model_id, _why(fields), attempts, "" if attempts == 1 else "s")
    facts = {"attempt": attempts, "next_model_id": next_model_id, **fields}
    _line(logging.INFO, "fallback", model_id, message, args, **facts)


def skipped(model_id: str, reason: str, **fields: object) -> None:
    """`model_id` was passed over without a request (e.g. reason "cooldown").

    For the routing layer: call it where a deployment is skipped. `fields` add facts (no
    secrets: a deployment's identity, never its key). The skip also becomes an event on the
    current agent span when tracing is on.
    """
    from modelrouter import _telemetry

    trace = _telemetry.current()
    if trace is not None:
        trace.event("modelrouter.skip", model_id, reason)
    args = (model_id, reason)
    _line(logging.INFO, "skip", model_id, "Skipping %s: %s", args, reason=reason, **fields)


def cooled_down(model_id: str, seconds: float, reason: str, **fields: object) -> None:
    """`model_id` starts a cooldown of `seconds` (reason e.g. "429", "5xx", "401")."""
    message = "Cooling down %s for %.1fs: %s"
    facts = {"delay_s": seconds, "reason": reason, **fields}
    _line(logging.WARNING, "cooldown", model_id, message, (model_id, seconds, reason), **facts)
