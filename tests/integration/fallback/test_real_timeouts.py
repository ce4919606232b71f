"""Attempt, first-chunk and total timeouts against a real loopback server, in every mode.

The server's `delay`/`chunk_delay` make the real waits (each test waits well under a second);
assertions are on who answered and which error was raised, never on measured durations.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from typing import Any

import pytest

from modelrouter._errors import MidStreamError, ProviderTimeoutError, StreamError
from modelrouter._fallback import Timeouts
from tests.fakes.providers import Script

from .conftest import MODES, STREAM_MODES, Model, Sleeps, ask, collect_stream, make_agent

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


class _AfterSilence(list[tuple[str, Any]]):
    """Events the fake sends only after `wait` seconds of silence following its status line."""

    def __init__(self, events: list[tuple[str, Any]], wait: float) -> None:
        super().__init__(events)
        self.wait = wait

    def __iter__(self) -> Iterator[tuple[str, Any]]:
        # Iterated by the server once the headers are out: the body starts with silence.
        time.sleep(self.wait)
        yield from list.__iter__(self)


@pytest.mark.parametrize("mode", STREAM_MODES)
async def test_a_silent_body_moves_on_at_first_chunk(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    # The status line at once, then nothing for 1.5 s. Cut at first_chunk (0.3 s) the backup
    # answers within the total; waiting for the read timeout (the attempt's) would spend it.
    events = _AfterSilence([_openai_chunk("too late", "stop")], wait=1.5)
    first.fake.default = Script(events=events)
    second.fake.default = Script(text="the backup speaks")
    timeouts = Timeouts(attempt=5.0, first_chunk=0.3, total=1.0)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=timeouts)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("mode", STREAM_MODES)
@pytest.mark.parametrize(
    "timeouts",
    [Timeouts(attempt=1.0, first_chunk=0.3, total=1.5), Timeouts(attempt=0.3, total=1.5)],
    ids=["first_chunk", "attempt"],
)
@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_endless_keep_alives_before_content_move_on(
    mode: str, models: Models, sleeps: Sleeps, timeouts: Timeouts, failing: int
) -> None:
    first = models[failing]
    second = models[(failing + 1) % 3]
    # Empty events every 0.1 s for 3 s: no read ever waits long, the time to first content
    # (first_chunk, else the attempt's limit) is what runs out, well before the total.
    first.fake.default = Script(text="too late", preamble=30, chunk_delay=0.1)
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=timeouts)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("mode", STREAM_MODES)
async def test_keep_alives_after_content_stop_at_the_total(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    # Content at once, then a keep-alive every 0.1 s for 2 s and a text-less finish: never
    # silent and no more text, so only a check at every event can see the total run out.
    ping = ("", {"choices": [{"index": 0, "delta": {}}]})
    finish = ("", {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
    events = [_openai_chunk("one "), *[ping] * 20, finish, ("", "[DONE]")]
    first.fake.default = Script(events=events, chunk_delay=0.1)
    agent = make_agent(
        [first.entry(0), second.entry(0)], sleeps, timeout=Timeouts(attempt=5.0, total=0.5)
    )
    received: list[str] = []
    with pytest.raises(MidStreamError) as caught:
        await collect_stream(agent, mode, received)
    # Committed to the first model: no switch, the partial text kept, the total the cause.
    assert received == ["one "]
    assert (caught.value.model_id, caught.value.partial_text) == (first.model_id, "one ")
    assert isinstance(caught.value.cause, ProviderTimeoutError)
    assert not second.fake.requests


@pytest.mark.parametrize("mode", GENERATE_MODES)
async def test_every_read_of_a_body_is_bounded_by_the_time_left(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    # Pieces 0.35 s apart: the second within the attempt (0.4 s), the third only at 0.7 s.
    # Cut at 0.4 s, the backup still has 0.2 s of the total; waiting for the third piece
    # would overrun the total before the backup is asked.
    first.fake.default = Script(trickle=4, chunk_delay=0.35)
    second.fake.default = Script(text="the backup speaks")
    timeouts = Timeouts(attempt=0.4, total=0.6)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=timeouts)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("mode", MODES)
async def test_timeouts_name_provider_and_model_in_every_mode(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    model = models[1]
    # A slow status line for generate, content too late for a stream: each twin's own way.
    model.fake.default = Script(trickle=3, chunk_delay=0.4, preamble=3)
    agent = make_agent([model.entry(0)], sleeps, timeout=Timeouts(attempt=0.3))
    with pytest.raises(ProviderTimeoutError) as caught:
        await ask(agent, mode)
    assert (caught.value.provider, caught.value.model) == ("anthropic", model.model_id)


@pytest.mark.parametrize("mode", STREAM_MODES)
@pytest.mark.parametrize(
    ("failing", "events", "reason"),
    [
        (0, [("", {"choices": [{"index": 0, "delta": {}, "finish_reason": "length"}]})], "length"),
        (
            1,
            [
                ("message_delta", {"type": "message_delta", "delta": {"stop_reason": "refusal"}}),
                ("message_stop", {"type": "message_stop"}),
            ],
            "content_filter",
        ),
        (2, [("", {"candidates": [{"finishReason": "MAX_TOKENS"}]})], "length"),
    ],
    ids=["openai", "anthropic", "gemini"],
)
async def test_a_stream_finished_without_content_says_why(
    mode: str,
    models: Models,
    sleeps: Sleeps,
    failing: int,
    events: list[tuple[str, Any]],
    reason: str,
) -> None:
    model = models[failing]
    model.fake.default = Script(events=events)
    agent = make_agent([model.entry(0)], sleeps)
    with pytest.raises(StreamError) as caught:
        await ask(agent, mode)
    assert f"finish_reason '{reason}'" in str(caught.value)
    assert caught.value.model == model.model_id
