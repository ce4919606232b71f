"""Attempt, first-chunk and total timeouts against a real loopback server, in every mode.

The server's `delay`/`chunk_delay` make the real waits (each test waits well under a second);
assertions are on who answered and which error was raised, never on measured durations.
"""

from __future__ import annotations

from typing import Any

import pytest

from modelrouter._errors import ProviderTimeoutError
from modelrouter._fallback import Timeouts
from tests.fakes.providers import Script

from .conftest import MODES, STREAM_MODES, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]
GENERATE_MODES = ["generate", "agenerate"]


def _openai_chunk(text: str, finish: str | None = None) -> tuple[str, Any]:
    choice: dict[str, Any] = {"index": 0, "delta": {"content": text}, "finish_reason": finish}
    return "", {"choices": [choice]}


@pytest.mark.parametrize("mode", GENERATE_MODES)
async def test_a_trickled_body_times_out_the_attempt_and_moves_on(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    # Headers at once, then the JSON in 4 pieces 0.3 s apart: no single read is slow.
    first.fake.default = Script(trickle=4, chunk_delay=0.3)
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=Timeouts(attempt=0.4))
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("mode", GENERATE_MODES)
async def test_a_trickled_body_stops_at_the_total_timeout(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first = models[0]
    first.fake.default = Script(trickle=4, chunk_delay=0.3)
    agent = make_agent([first.entry(3)], sleeps, timeout=Timeouts(attempt=0.5, total=0.35))
    with pytest.raises(ProviderTimeoutError):
        await ask(agent, mode)


@pytest.mark.parametrize("mode", STREAM_MODES)
@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_keep_alives_before_content_do_not_satisfy_first_chunk(
    mode: str, models: Models, sleeps: Sleeps, failing: int
) -> None:
    first = models[failing]
    second = models[(failing + 1) % 3]
    # Empty events at once and every 0.25 s; the first word only after 0.75 s.
    first.fake.default = Script(text="too late", preamble=3, chunk_delay=0.25)
    second.fake.default = Script(text="the backup speaks")
    timeouts = Timeouts(attempt=5.0, first_chunk=0.4)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=timeouts)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("mode", STREAM_MODES)
async def test_a_pause_after_content_within_the_attempt_budget_is_fine(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    # The first word at once, the rest after a 0.6 s pause: longer than first_chunk, well
    # within the attempt's limit.
    events = [_openai_chunk("one "), _openai_chunk("two", "stop")]
    first.fake.default = Script(events=events, chunk_delay=0.6)
    timeouts = Timeouts(attempt=3.0, first_chunk=0.3)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=timeouts)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("one two", first.model_id)
    assert not second.fake.requests


@pytest.mark.parametrize("mode", MODES)
async def test_a_slow_status_line_moves_on(mode: str, models: Models, sleeps: Sleeps) -> None:
    first, second, _ = models
    first.fake.default = Script(delay=0.6)
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=Timeouts(attempt=0.3))
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert result.attempts[0].error_type == "ProviderTimeoutError"
