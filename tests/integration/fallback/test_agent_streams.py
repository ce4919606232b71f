"""Streams with fallback end to end: before content the next model answers; after it, never.

Every wire protocol fails in its own way (an OpenAI `error` chunk, an Anthropic `event: error`,
a Gemini error object), so each failure is served by each protocol in turn.
"""

from __future__ import annotations

import pytest

from modelrouter._errors import MidStreamError, StreamError
from modelrouter._fallback import Timeouts
from tests.fakes.providers import Script

from .conftest import STREAM_MODES, Model, Sleeps, ask, collect_stream, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", STREAM_MODES)]

Models = tuple[Model, Model, Model]
BEFORE_CONTENT = {
    "error-event-in-200": Script(error_event=True),
    "ends-before-content": Script(end_before_content=True),
    "cut-before-content": Script(cut_after=0),
    "empty-content-then-stop": Script(text=""),
}
# OpenAI-shaped streams that finish cleanly without a word: each must fall back, not answer "".
_FINISH = ("", {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]})
EMPTY_OPENAI_STREAMS = {
    "done-only": Script(events=[("", "[DONE]")]),
    "finish-only": Script(events=[_FINISH]),
    "finish-then-done": Script(events=[_FINISH, ("", "[DONE]")]),
}


@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
@pytest.mark.parametrize("failure", list(BEFORE_CONTENT))
async def test_failure_before_content_falls_back(
    mode: str, models: Models, sleeps: Sleeps, failing: int, failure: str
) -> None:
    first = models[failing]
    second = models[(failing + 1) % 3]
    first.fake.default = BEFORE_CONTENT[failure]
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert len(first.fake.requests) == 1
    assert result.attempts[0].error_type in {"StreamError", "ProviderConnectionError"}
    assert sleeps.seconds == []


async def test_error_event_is_not_retried_but_a_cut_is(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.push(Script(cut_after=0), Script(error_event=True))
    agent = make_agent([first.entry(3), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    # The cut connection is retried once (one backoff); the error event moves on at once.
    assert [a.error_type for a in result.attempts] == [
        "ProviderConnectionError",
        "StreamError",
        None,
    ]
    assert sleeps.seconds == [0.25]


@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_cut_after_content_raises_mid_stream_error(
    mode: str, models: Models, sleeps: Sleeps, failing: int
) -> None:
    first = models[failing]
    second = models[(failing + 1) % 3]
    first.fake.default = Script(text="one two three four five", cut_after=2)
    agent = make_agent([first.entry(3), second.entry(0)], sleeps)
    received: list[str] = []
    with pytest.raises(MidStreamError) as caught:
        await collect_stream(agent, mode, received)
    error = caught.value
    assert error.model_id == first.model_id
    assert error.partial_text == "".join(received)
    assert error.partial_text.startswith("one ")
    assert "five" not in error.partial_text
    assert not second.fake.requests  # never switched mid-answer
    assert len(first.fake.requests) == 1  # nor retried: the caller already has content
    assert sleeps.seconds == []


@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_truncated_stream_after_content_is_not_taken_as_complete(
    mode: str, models: Models, sleeps: Sleeps, failing: int
) -> None:
    first = models[failing]
    first.fake.default = Script(text="half an answer", no_finish=True)
    agent = make_agent([first.entry(0), models[(failing + 1) % 3].entry(0)], sleeps)
    received: list[str] = []
    with pytest.raises(MidStreamError) as caught:
        await collect_stream(agent, mode, received)
    assert caught.value.partial_text == "half an answer" == "".join(received)
    assert isinstance(caught.value.cause, StreamError)


async def test_first_chunk_timeout_moves_on(mode: str, models: Models, sleeps: Sleeps) -> None:
    first, second, _ = models
    first.fake.default = Script(delay=1.0)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=Timeouts(first_chunk=0.2))
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert result.attempts[0].error_type == "ProviderTimeoutError"


@pytest.mark.parametrize("empty", list(EMPTY_OPENAI_STREAMS))
async def test_a_stream_finishing_without_content_falls_back(
    mode: str, models: Models, sleeps: Sleeps, empty: str
) -> None:
    first, second, _ = models
    first.fake.default = EMPTY_OPENAI_STREAMS[empty]
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
    assert [a.error_type for a in result.attempts] == ["StreamError", None]
