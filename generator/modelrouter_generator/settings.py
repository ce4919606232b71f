"""The dev auto-refresh switches, read from the environment into one frozen value.

| variable                              | values                         | default      |
|---------------------------------------|--------------------------------|--------------|
| `MODELROUTER_ENV`                     | `development` / `production`   | production   |
| `MODELROUTER_AUTO_REFRESH_PROVIDERS`  | `true` / `false` (1/0, yes/no) | by the mode  |
| `MODELROUTER_OFFLINE`                 | `1` / `0` (true/false, ...)    | online       |
| `MODELROUTER_REFRESH_INTERVAL`        | seconds, a positive number     | 3600         |

`MODELROUTER_AUTO_REFRESH_PROVIDERS` wins over the mode in both directions, on its own: forcing
the job on needs no second flag. An invalid value never raises; it becomes a warning the caller
logs and the default applies (except `MODELROUTER_OFFLINE`, where an unrecognised non-empty value
means offline, because whoever set it most likely wanted no network).

This module imports nothing but the standard library: the runtime reads it on an app's first
request, so it must cost nothing.
"""

from __future__ import annotations

import math
import os
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Final, Literal

__all__ = [
    "DEFAULT_INTERVAL",
    "ENV_AUTO_REFRESH",
    "ENV_INTERVAL",
    "ENV_MODE",
    "ENV_OFFLINE",
    "Mode",
    "RefreshSettings",
    "load_settings",
]

ENV_MODE: Final = "MODELROUTER_ENV"
ENV_AUTO_REFRESH: Final = "MODELROUTER_AUTO_REFRESH_PROVIDERS"
ENV_OFFLINE: Final = "MODELROUTER_OFFLINE"
ENV_INTERVAL: Final = "MODELROUTER_REFRESH_INTERVAL"
DEFAULT_INTERVAL: Final = 3600.0

Mode = Literal["development", "production"]

_MODES: Final[dict[str, Mode]] = {
    "development": "development",
    "dev": "development",
    "production": "production",
    "prod": "production",
}
_TRUE: Final = frozenset({"1", "true", "yes", "on"})
_FALSE: Final = frozenset({"0", "false", "no", "off"})


@dataclass(frozen=True)
class RefreshSettings:
    """What the environment asks of the auto-refresh job.

    Attributes:
        mode: the deployment mode `MODELROUTER_ENV` named (production unless told otherwise).
        enabled: whether the background job should run in this process.
        offline: no fetch may happen at all.
        interval: seconds between refreshes.
        reason: which switch decided `enabled`, for the log.
        warnings: one message per invalid value; the defaults were used instead.
    """

    mode: Mode
    enabled: bool
    offline: bool
    interval: float
    reason: str
    warnings: tuple[str, ...] = ()


def load_settings(env: Mapping[str, str] | None = None) -> RefreshSettings:
    """Read the switches from `env` (default: `os.environ`). Never raises.

    Args:
        env: the variables to read; tests pass a dict.

    Returns:
        The settings, with a warning for every value that was not understood.
    """
    source = os.environ if env is None else env
    warnings: list[str] = []
    mode = _parse_mode(source.get(ENV_MODE), warnings)
    forced = _parse_bool(ENV_AUTO_REFRESH, source.get(ENV_AUTO_REFRESH), warnings)
    offline = _parse_offline(source.get(ENV_OFFLINE), warnings)
    interval = _parse_interval(source.get(ENV_INTERVAL), warnings)
    if forced is not None:
        enabled = forced
        reason = f"{ENV_AUTO_REFRESH}={'true' if forced else 'false'}"
    else:
        enabled = mode == "development"
        reason = f"{ENV_MODE}={mode}"
    return RefreshSettings(
        mode=mode,
        enabled=enabled,
        offline=offline,
        interval=interval,
        reason=reason,
        warnings=tuple(warnings),
    )


def _parse_mode(raw: str | None, warnings: list[str]) -> Mode:
    if raw is None or not raw.strip():
        return "production"
    mode = _MODES.get(raw.strip().lower())
    if mode is None:
        warnings.append(
            f"{ENV_MODE}={raw!r} is not understood (use 'development' or 'production');"
            " treating it as production"
        )
        return "production"
    return mode


def _parse_bool(name: str, raw: str | None, warnings: list[str]) -> bool | None:
    if raw is None or not raw.strip():
        return None
    value = raw.strip().lower()
    if value in _TRUE:
        return True
    if value in _FALSE:
        return False
    warnings.append(f"{name}={raw!r} is not understood (use 'true' or 'false'); ignoring it")
    return None


def _parse_offline(raw: str | None, warnings: list[str]) -> bool:
    if raw is None or not raw.strip():
        return False
    value = raw.strip().lower()
    if value in _FALSE:
        return False
    if value not in _TRUE:
        warnings.append(f"{ENV_OFFLINE}={raw!r} is not understood (use 1 or 0); treating it as 1")
    return True


def _parse_interval(raw: str | None, warnings: list[str]) -> float:
    if raw is None or not raw.strip():
        return DEFAULT_INTERVAL
    try:
        seconds = float(raw.strip())
    except ValueError:
        seconds = math.nan
    if not math.isfinite(seconds) or seconds <= 0:
        warnings.append(
            f"{ENV_INTERVAL}={raw!r} is not a positive number of seconds;"
            f" using {DEFAULT_INTERVAL:g}"
        )
        return DEFAULT_INTERVAL
    return seconds
