"""Test hooks for the fallback engine, kept out of the public `Agent` signature.

Tests replace the waits between retries (to record them instead of sleeping), the clock and
the jitter source of one Agent. Not part of the public API: users never need them.
"""

from __future__ import annotations

import dataclasses
import random
from typing import Any

from modelrouter._fallback_plan import ASleep, Clock, Sleep

__all__ = ["set_engine_hooks"]


def set_engine_hooks(
    agent: Any,
    *,
    sleep: Sleep | None = None,
    async_sleep: ASleep | None = None,
    clock: Clock | None = None,
    rng: random.Random | None = None,
) -> None:
    """Replace `agent`'s engine sleep, async sleep, clock and rng (those given)."""
    hooks = {"sleep": sleep, "async_sleep": async_sleep, "clock": clock, "rng": rng}
    given = {name: value for name, value in hooks.items() if value is not None}
    agent._settings = dataclasses.replace(agent._settings, **given)
