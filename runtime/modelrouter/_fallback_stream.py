"""Streams with fallback: switch models only while nothing has reached the caller.

A stream is committed to its model by the first non-empty `TextDelta` handed to the caller.
Before that, any failure (an error event in an HTTP 200 stream, a cut connection, a stream that
ends or finishes with no text in it, no first chunk in time) is an ordinary failed attempt:
retried or moved past like a failed call. After it, the engine never switches silently: it
raises `MidStreamError` holding the partial text and the model id. A non-streamed answer with
empty text is a legitimate answer; only streams have the no-content rule.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Callable,
    Generator,
    Iterator,
    Sequence,
)
from typing import Generic, NoReturn, TypeVar

from ._backoff import Decision, FallbackOn, RetryPolicy, classify
from ._errors import MidStreamError, ProviderTimeoutError, StreamError
from ._fallback_plan import (
    AttemptPlan,
    ASleep,
    AttemptBudget,
    Clock,
    PlanEntry,
    Sleep,
    StreamRun,
    Timeouts,
    provider_of,
    within,
)
from ._types import StreamFinish, StreamPart, TextDelta

__all__ = ["StreamSession", "stream_async", "stream_sync"]

T = TypeVar("T")


class _Gate:
    """Tracks one attempt's stream: whether it is committed, and the text it delivered."""

    def __init__(self, label: str) -> None:
        self.label = label
        self.committed = False
        self.finished = False
        self.chunks: list[str] = []

    @property
    def text(self) -> str:
        return "".join(self.chunks)

    def admit(self, part: StreamPart) -> StreamPart | None:
        """The part to hand on, or None to hold it back; raises StreamError on an empty failure."""
        if isinstance(part, TextDelta):
            if not part.text and not self.committed:
                return None  # keep-alive or role-only chunk: commits to nothing
            self.chunks.append(part.text)
        elif isinstance(part, StreamFinish):
            self.finished = True
            if not self.committed:
                # A stream that finishes before any text is a failure (issue 4), not an empty
                # answer: `[DONE]` alone, a finish-only chunk, `content: ""` then stop.
                reason = part.finish_reason
                if reason == "error":
                    what = "with an error before any content"
                elif reason == "stop":
                    what = "without any content"
                else:  # "length", "content_filter", ...: the likely why, worth a user's eye
                    what = f"without any content (finish_reason {reason!r})"
                raise StreamError(
                    f"{self.label} finished its stream {what}.",
                    provider=provider_of(self.label),
                    model=self.label,
                )
        self.committed = True
        return part

    def end(self) -> None:
        """The stream ran out; raise StreamError if it never delivered anything."""
        if not self.committed:
            raise StreamError(
                f"{self.label} ended its stream before any content.",
                provider=provider_of(self.label),
                model=self.label,
            )

    def raise_mid_stream(self, exc: Exception) -> NoReturn:
        """Raise for a failure after commitment: bugs unchanged, the rest as MidStreamError."""
        if isinstance(exc, MidStreamError) or classify(exc) is Decision.RAISE:
            raise exc
        raise MidStreamError(self.label, self.text, exc) from exc


def _close(stream: object) -> None:
    close = getattr(stream, "close", None)
    if close is not None:
        close()


class StreamSession(Generic[T]):
    """One sync stream through `plan`, in two phases, for a caller that iterates it itself.

    `start()` makes attempts (retrying, moving on, sleeping) until one delivers its first part,
    and returns that part with the rest of that attempt's stream. From then on the stream is
    committed and the engine does no work per part: the caller iterates the rest, then calls
    `done()`, or `fail(exc, text)` on an error (which raises `MidStreamError`), and `close()` in a
    `finally`. `stream_sync` is this protocol as a generator; `TextStream` inlines it.
    """

    def __init__(
        self,
        plan: Sequence[PlanEntry[T]],
        open_stream: Callable[[T, AttemptBudget], Iterator[StreamPart]],
        run: StreamRun[T],
        *,
        policy: RetryPolicy = RetryPolicy(),
        timeouts: Timeouts = Timeouts(),
        fallback_on: FallbackOn | None = None,
        sleep: Sleep = time.sleep,
        clock: Clock = time.monotonic,
        rng: random.Random | None = None,
    ) -> None:
        self._state = AttemptPlan(
            plan,
            policy=policy,
            timeouts=timeouts,
            fallback_on=fallback_on,
            clock=clock,
            rng=rng,
            attempts=run.attempts,
        )
        self._open = open_stream
        self._run = run
        self._sleep = sleep
        self._stream: Iterator[StreamPart] | None = None
        self._started = 0.0
        self._label = ""

    def start(self) -> tuple[StreamPart, Iterator[StreamPart]]:
        """The first part the caller may see, and the rest of its stream.

        Raises the final error as `run_sync` does when no entry delivers anything.
        """
        state = self._state
        while True:
            entry, budget, started = state.begin()
            gate = _Gate(entry.label)
            stream: Iterator[StreamPart] | None = None
            limit = budget.before_content
            clock = state.clock
            try:
                stream = iter(self._open(entry.target, budget))
                for part in stream:
                    # Checked as parts arrive, for any model; an HTTP model's stream checks
                    # every event itself (keep-alives carry no part) and, under first_chunk,
                    # cuts a silent server at that time.
                    if limit is not None and clock() - started > limit:
                        raise ProviderTimeoutError(
                            f"{entry.label} sent no content within {limit:g}s.",
                            provider=provider_of(entry.label),
                            model=entry.label,
                        )
                    out = gate.admit(part)
                    if out is not None:
                        self._run.answered = entry
                        self._stream, self._started, self._label = stream, started, entry.label
                        return out, stream
                gate.end()  # nothing admitted: always raises StreamError
            except Exception as exc:
                _close(stream)
                delay = state.failed(exc, started)
                if delay > 0:
                    self._sleep(delay)
            except BaseException:
                _close(stream)
                raise

    def fail(self, exc: Exception, text: str) -> NoReturn:
        """Record a failure after commitment and raise it: bugs unchanged, else `MidStreamError`."""
        self._state.record(exc, self._started)
        if isinstance(exc, MidStreamError) or classify(exc) is Decision.RAISE:
            raise exc
        raise MidStreamError(self._label, text, exc) from exc

    def done(self) -> None:
        """The committed stream ended normally."""
        self._state.succeeded(self._started)

    def close(self) -> None:
        """Release the committed stream (idempotent)."""
        stream, self._stream = self._stream, None
        _close(stream)


def stream_sync(
    plan: Sequence[PlanEntry[T]],
    open_stream: Callable[[T, AttemptBudget], Iterator[StreamPart]],
    run: StreamRun[T],
    *,
    policy: RetryPolicy = RetryPolicy(),
    timeouts: Timeouts = Timeouts(),
    fallback_on: FallbackOn | None = None,
    sleep: Sleep = time.sleep,
    clock: Clock = time.monotonic,
    rng: random.Random | None = None,
) -> Generator[StreamPart, None, None]:
    """Stream from the first entry of `plan` that delivers content.

    `run.attempts` and `run.answered` fill in as the stream goes. The arguments and the errors
    raised match `run_sync`, plus `MidStreamError` for a failure after content.
    """
    session = StreamSession(
        plan,
        open_stream,
        run,
        policy=policy,
        timeouts=timeouts,
        fallback_on=fallback_on,
        sleep=sleep,
        clock=clock,
        rng=rng,
    )
    part, rest = session.start()
    chunks: list[str] = []
    try:
        while True:
            if isinstance(part, TextDelta):
                chunks.append(part.text)
            yield part  # outside any `except`: the caller's GeneratorExit passes straight up
            try:
                part = next(rest)
            except StopIteration:
                break
            except Exception as exc:
                session.fail(exc, "".join(chunks))
    finally:
        session.close()
    session.done()


async def stream_async(
    plan: Sequence[PlanEntry[T]],
    open_stream: Callable[[T, AttemptBudget], AsyncIterator[StreamPart]],
    run: StreamRun[T],
    *,
    policy: RetryPolicy = RetryPolicy(),
    timeouts: Timeouts = Timeouts(),
    fallback_on: FallbackOn | None = None,
    sleep: ASleep = asyncio.sleep,
    clock: Clock = time.monotonic,
    rng: random.Random | None = None,
) -> AsyncGenerator[StreamPart, None]:
    """The async twin of `stream_sync`; time to first content is enforced with `within`."""
    state = AttemptPlan(
        plan,
        policy=policy,
        timeouts=timeouts,
        fallback_on=fallback_on,
        clock=clock,
        rng=rng,
        attempts=run.attempts,
    )
    while True:
        entry, budget, started = state.begin()
        gate = _Gate(entry.label)
        failure: Exception | None = None
        stream: AsyncIterator[StreamPart] | None = None
        try:
            try:
                stream = aiter(open_stream(entry.target, budget))
            except Exception as exc:
                failure = exc
            while stream is not None and failure is None:
                limit = None
                if not gate.committed and budget.before_content is not None:
                    limit = budget.before_content - (clock() - started)
                try:
                    part = await within(limit, anext(stream), entry.label)
                except StopAsyncIteration:
                    break
                except Exception as exc:
                    failure = exc
                    break
                try:
                    out = gate.admit(part)
                except StreamError as exc:
                    failure = exc
                    break
                if out is not None:
                    run.answered = entry
                    yield out
            if failure is None:
                try:
                    gate.end()
                except StreamError as exc:
                    failure = exc
        finally:
            aclose = getattr(stream, "aclose", None)
            if aclose is not None:
                await aclose()
        if failure is None:
            state.succeeded(started)
            return
        if gate.committed:
            state.record(failure, started)
            gate.raise_mid_stream(failure)
        delay = state.failed(failure, started)
        if delay > 0:
            await sleep(delay)
