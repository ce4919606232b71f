"""stream_sync / stream_async: fall back before content, MidStreamError after it, twice each."""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator

import pytest

from modelrouter._backoff import RetryPolicy
from modelrouter._errors import (
    AuthenticationError,
    FallbackExhaustedError,
    MidStreamError,
    ProviderConnectionError,
    ServerError,
    StreamError,
)
from modelrouter._fallback import (
    AttemptBudget,
    EngineSettings,
    StreamRun,
    Timeouts,
    stream_async,
    stream_sync,
)
from modelrouter._types import StreamFinish, StreamPart, TextDelta, Usage

from ._fakes import HANG, Driver, FakeClock, Script, plan

pytestmark = pytest.mark.anyio

NO_JITTER = RetryPolicy(jitter=0.0)
ANSWER: list[StreamPart] = [
    TextDelta("Hel"),
    TextDelta("lo"),
    StreamFinish(usage=Usage(3, 2), finish_reason="stop"),
]


def text_of(parts: list[StreamPart]) -> str:
    return "".join(p.text for p in parts if isinstance(p, TextDelta))


async def test_a_good_stream_passes_through(driver: Driver, clock: FakeClock) -> None:
    script = Script({"a": [ANSWER], "b": [ANSWER]}, clock, latency=0.25)
    run: StreamRun[str] = StreamRun()
    parts = await driver.stream(plan(("a", 1), ("b", 0)), script, run)
    assert parts == ANSWER
    assert run.answered is not None and run.answered.label == "p/a"
    assert [(a.model_id, a.error_type, a.duration_s) for a in run.attempts] == [("p/a", None, 0.25)]
    assert script.closed == ["a"]


@pytest.mark.parametrize(
    "failed_stream",
    [
        pytest.param([StreamError("overloaded_error event", status=200)], id="error-event"),
        pytest.param([TextDelta(""), StreamError("error event after a role chunk")], id="empty"),
        pytest.param([], id="ends-before-content"),
        pytest.param([TextDelta("")], id="only-empty-deltas"),
        pytest.param([StreamFinish(finish_reason="error")], id="finish-with-error"),
        pytest.param([StreamFinish(finish_reason="stop")], id="finish-only"),
        pytest.param([TextDelta(""), StreamFinish(usage=Usage(3, 0))], id="empty-then-stop"),
        pytest.param([AuthenticationError("bad key", status=401)], id="401-at-open"),
    ],
)
async def test_failure_before_content_falls_back_at_once(
    driver: Driver, clock: FakeClock, failed_stream: list[StreamPart | Exception]
) -> None:
    script = Script({"a": [failed_stream], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    parts = await driver.stream(plan(("a", 3), ("b", 0)), script, run)
    assert parts == ANSWER
    assert run.answered is not None and run.answered.label == "p/b"
    assert script.targets_called() == ["a", "b"]
    assert clock.sleeps == []
    assert run.attempts[0].error_type in {"StreamError", "AuthenticationError"}
    assert run.attempts[1].error_type is None


async def test_broken_connection_before_content_retries_the_same_model(
    driver: Driver, clock: FakeClock
) -> None:
    cut = [TextDelta(""), ProviderConnectionError("connection reset")]
    script = Script({"a": [cut, ANSWER], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    parts = await driver.stream(plan(("a", 1), ("b", 0)), script, run, policy=NO_JITTER)
    assert text_of(parts) == "Hello"
    assert script.targets_called() == ["a", "a"]
    assert clock.sleeps == [0.25]
    assert [a.error_type for a in run.attempts] == ["ProviderConnectionError", None]


async def test_failure_after_content_is_a_mid_stream_error(
    driver: Driver, clock: FakeClock
) -> None:
    cause = ServerError("upstream died", status=502)
    script = Script({"a": [[TextDelta("Hel"), TextDelta("lo wor"), cause]], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    received: list[StreamPart] = []
    with pytest.raises(MidStreamError) as caught:
        await driver.stream(plan(("a", 3), ("b", 0)), script, run, received=received)
    error = caught.value
    assert (error.model_id, error.partial_text, error.cause) == ("p/a", "Hello wor", cause)
    assert error.__cause__ is cause
    assert text_of(received) == "Hello wor"
    # Never switched: b was not asked, a was not retried.
    assert script.targets_called() == ["a"]
    assert run.answered is not None and run.answered.label == "p/a"
    assert [a.error_type for a in run.attempts] == ["ServerError"]


async def test_a_bug_after_content_is_raised_unchanged(driver: Driver, clock: FakeClock) -> None:
    bug = ZeroDivisionError("in a parser")
    script = Script({"a": [[TextDelta("Hi"), bug]]}, clock)
    with pytest.raises(ZeroDivisionError) as caught:
        await driver.stream(plan(("a", 0)), script, StreamRun())
    assert caught.value is bug


async def test_all_streams_failing_raises_the_group(driver: Driver, clock: FakeClock) -> None:
    script = Script(
        {"a": [[StreamError("event")]], "b": [[ServerError("down", status=503)]]}, clock
    )
    run: StreamRun[str] = StreamRun()
    with pytest.raises(FallbackExhaustedError) as caught:
        await driver.stream(plan(("a", 0), ("b", 0)), script, run)
    assert [type(e) for e in caught.value.exceptions] == [StreamError, ServerError]
    assert run.answered is None
    assert len(run.attempts) == 2


async def test_single_stream_entry_reraises_unchanged(driver: Driver, clock: FakeClock) -> None:
    event = StreamError("error event")
    script = Script({"a": [[event]]}, clock)
    with pytest.raises(StreamError) as caught:
        await driver.stream(plan(("a", 0)), script, StreamRun())
    assert caught.value is event


async def test_cancellation_inside_a_stream_is_never_swallowed(
    driver: Driver, clock: FakeClock
) -> None:
    script = Script({"a": [[KeyboardInterrupt()]], "b": [ANSWER]}, clock)
    with pytest.raises(KeyboardInterrupt):
        await driver.stream(plan(("a", 3), ("b", 0)), script, StreamRun())
    assert script.targets_called() == ["a"]
    assert script.closed == ["a"]


def test_sync_consumer_closing_early_closes_the_model_stream(clock: FakeClock) -> None:
    script = Script({"a": [ANSWER], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    settings = EngineSettings(clock=clock)
    parts = stream_sync(plan(("a", 0), ("b", 0)), script.open_stream, run, settings)
    assert next(parts) == TextDelta("Hel")
    parts.close()  # GeneratorExit goes through the engine untouched
    assert script.closed == ["a"]
    assert script.targets_called() == ["a"]


async def test_async_consumer_closing_early_closes_the_model_stream(clock: FakeClock) -> None:
    script = Script({"a": [ANSWER], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    settings = EngineSettings(clock=clock)
    parts = stream_async(plan(("a", 0), ("b", 0)), script.aopen_stream, run, settings)
    assert await anext(parts) == TextDelta("Hel")
    await parts.aclose()
    assert script.closed == ["a"]
    assert script.targets_called() == ["a"]


async def test_async_first_chunk_timeout_moves_on(clock: FakeClock) -> None:
    script = Script({"a": [[TextDelta(""), HANG]], "b": [ANSWER]}, clock)
    run: StreamRun[str] = StreamRun()
    parts = await Driver("async").stream(
        plan(("a", 0), ("b", 0)), script, run, timeouts=Timeouts(first_chunk=0.01)
    )
    assert parts == ANSWER
    assert [a.error_type for a in run.attempts] == ["ProviderTimeoutError", None]
    assert script.closed == ["a", "b"]


async def test_async_task_cancellation_propagates(clock: FakeClock) -> None:
    script = Script({"a": [[HANG]], "b": [ANSWER]}, clock)

    async def consume() -> list[StreamPart]:
        return await Driver("async").stream(plan(("a", 0), ("b", 0)), script, StreamRun())

    task = asyncio.ensure_future(consume())
    while not script.calls:
        await asyncio.sleep(0)
    await asyncio.sleep(0)
    task.cancel()
    with pytest.raises(asyncio.CancelledError):
        await task
    assert script.targets_called() == ["a"]


async def test_async_opening_counts_toward_the_time_to_first_content(clock: FakeClock) -> None:
    # The session awaits the open (model built, health gate passed) before it reads the
    # model's own iterator: a hang there is cut like a silent stream, and the next model
    # answers; an error there is a failed attempt like any other.
    script = Script({"b": [ANSWER], "c": [ANSWER]}, clock)
    opened: list[str] = []

    async def open_stream(target: str, budget: AttemptBudget) -> AsyncIterator[StreamPart]:
        opened.append(target)
        if target == "a":
            await asyncio.Event().wait()
        if target == "b":
            raise ProviderConnectionError("refused", provider="p", model="p/b")
        return await script.aopen_stream(target, budget)

    run: StreamRun[str] = StreamRun()
    settings = EngineSettings(clock=clock, timeouts=Timeouts(first_chunk=0.01))
    parts = [
        p
        async for p in stream_async(plan(("a", 0), ("b", 0), ("c", 0)), open_stream, run, settings)
    ]
    assert parts == ANSWER
    assert opened == ["a", "b", "c"]
    assert [a.error_type for a in run.attempts] == [
        "ProviderTimeoutError",
        "ProviderConnectionError",
        None,
    ]
    assert run.answered is not None and run.answered.label == "p/c"
    assert script.closed == ["c"]
