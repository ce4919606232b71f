"""Streams with fallback: switch models only while nothing has reached the caller.

A stream is committed to its model by the first part handed to the caller: a non-empty
`TextDelta` or a `ToolCallStart` (a streamed tool call is delivered content). Before that, any
failure (an error event in an HTTP 200 stream, a cut connection, a stream that ends or finishes
with nothing in it, no first content in time) is an ordinary failed attempt: retried or moved
past like a failed call. After it, the engine never switches silently: it raises
`MidStreamError` holding the partial text and the model id. A non-streamed answer with empty
text is a legitimate answer; only streams have the no-content rule.

Every rule lives in `StreamAttempts`, one state machine; `StreamSession` (sync) and
`AsyncStreamSession` are its two shells, line for line alike, differing only in the awaits
(and the async one bounds its wait for the first content with `within`, since an await can be
cancelled).
"""

from __future__ import annotations

from collections.abc import (
    AsyncGenerator,
    AsyncIterator,
    Awaitable,
    Callable,
    Generator,
    Iterator,
    Sequence,
)
from typing import Any, Generic, NoReturn, TypeVar

from ._backoff import Decision, classify
from ._errors import MidStreamError, ProviderTimeoutError, StreamError
from ._fallback_plan import (
    AttemptBudget,
    AttemptPlan,
    EngineSettings,
    PlanEntry,
    StreamRun,
    provider_of,
    within,
)
from ._types import StreamFinish, StreamPart, TextDelta, Usage

__all__ = [
    "AsyncStreamSession",
    "StreamAttempts",
    "StreamSession",
    "stream_async",
    "stream_sync",
]

T = TypeVar("T")

_DEFAULT = EngineSettings()


def _no_content_error(label: str, finish: StreamFinish | None) -> StreamError:
    if finish is None:
        what = "ended its stream before any content"
    elif finish.finish_reason == "error":
        what = "finished its stream with an error before any content"
    elif finish.finish_reason == "stop":
        what = "finished its stream without any content"
    else:  # "length", "content_filter", ...: the likely why, worth a user's eye
        what = f"finished its stream without any content (finish_reason {finish.finish_reason!r})"
    return StreamError(f"{label} {what}.", provider=provider_of(label), model=label)


class StreamAttempts(Generic[T]):
    """The rules of a stream with fallback, for both shells: one attempt at a time."""

    def __init__(
        self, plan: Sequence[PlanEntry[T]], run: StreamRun[T], settings: EngineSettings
    ) -> None:
        self.state = AttemptPlan(plan, settings, attempts=run.attempts)
        self.run = run
        self.entry: PlanEntry[T] = plan[0]
        self.started = 0.0
        self.limit: float | None = None
        self.committed = False
        self.budget: AttemptBudget | None = None

    def begin(self) -> tuple[T, AttemptBudget]:
        """Start the next attempt: its target and budget; raises when the total is spent."""
        self.entry, budget, self.started = self.state.begin()
        self.budget = budget
        self.limit = budget.before_content
        self.committed = False
        return self.entry.target, budget

    def left(self) -> float | None:
        """Seconds left for the first content (None: no limit)."""
        if self.limit is None:
            return None
        return self.limit - (self.state.clock() - self.started)

    def admit(self, part: StreamPart) -> bool:
        """Whether `part` commits the stream (False: hold it back); raises on an empty end.

        Checks the time to first content at every part, for any model: an HTTP model's
        stream checks every event itself (keep-alives carry no part).
        """
        left = self.left()
        if left is not None and left < 0:
            label = self.entry.label
            raise ProviderTimeoutError(
                f"{label} sent no content within {self.limit:g}s.",
                provider=provider_of(label),
                model=label,
            )
        if type(part) is TextDelta and not part.text:
            return False  # keep-alive or role-only chunk: commits to nothing
        if isinstance(part, StreamFinish):
            raise _no_content_error(self.entry.label, part)
        self.committed = True
        self.run.answered = self.entry
        return True

    def ended_early(self) -> NoReturn:
        """The attempt's stream ran out before committing."""
        raise _no_content_error(self.entry.label, None)

    def failed(self, exc: Exception) -> float:
        """A failure before commitment: seconds to wait before the next attempt, or raise."""
        return self.state.failed(exc, self.started)

    async def afailed(self, exc: Exception) -> float:
        """The async twin of `failed`."""
        return await self.state.afailed(exc, self.started)

    def fail_committed(self, exc: Exception, text: str) -> NoReturn:
        """A failure after commitment: bugs unchanged, else `MidStreamError` with `text`."""
        self.state.record(exc, self.started)
        if isinstance(exc, MidStreamError) or classify(exc) is Decision.RAISE:
            raise exc
        raise MidStreamError(self.entry.label, text, exc) from exc

    def done(self, usage: Usage | None = None) -> None:
        """The committed stream ended normally; its `usage` counts against the deployment's
        tokens per minute, as a non-streamed answer's does."""
        if usage is not None and self.budget is not None:
            self.budget.spent(usage)
        self.state.succeeded(self.started)

    async def adone(self, usage: Usage | None = None) -> None:
        """The async twin of `done`."""
        if usage is not None and self.budget is not None:
            await self.budget.aspent(usage)
        await self.state.asucceeded(self.started)

    def released(self) -> None:
        """The caller closed the committed stream (after its end, or early)."""
        if self.committed:
            self.state.released(self.started)


def _close(stream: object) -> None:
    close = getattr(stream, "close", None)
    if close is not None:
        close()


async def _aclose(stream: object) -> None:
    aclose = getattr(stream, "aclose", None)
    if aclose is not None:
        await aclose()


class StreamSession(Generic[T]):
    """One sync stream through `plan`, in two phases, for a caller that iterates it itself.

    `start()` makes attempts (retrying, moving on, sleeping) until one delivers its first part,
    and returns that part with the rest of that attempt's stream. From then on the engine does
    no work per part: the caller iterates the rest, then calls `done()`, or `fail(exc, text)`
    on an error (which raises `MidStreamError`), and `close()` in a `finally`.
    """

    def __init__(
        self,
        plan: Sequence[PlanEntry[T]],
        open_stream: Callable[[T, AttemptBudget], Iterator[StreamPart]],
        run: StreamRun[T],
        settings: EngineSettings = _DEFAULT,
    ) -> None:
        self.attempts = StreamAttempts(plan, run, settings)
        self._open = open_stream
        self._sleep = settings.sleep
        self._stream: Iterator[StreamPart] | None = None

    def start(self) -> tuple[StreamPart, Iterator[StreamPart]]:
        """The first part the caller may see, and the rest of its stream."""
        attempts = self.attempts
        while True:
            target, budget = attempts.begin()
            stream: Iterator[StreamPart] | None = None
            try:
                stream = iter(self._open(target, budget))
                for part in stream:
                    if attempts.admit(part):
                        self._stream = stream
                        return part, stream
                attempts.ended_early()
            except Exception as exc:
                _close(stream)
                delay = attempts.failed(exc)
                if delay > 0:
                    self._sleep(delay)
            except BaseException:
                _close(stream)
                raise

    def fail(self, exc: Exception, text: str) -> NoReturn:
        self.attempts.fail_committed(exc, text)

    def done(self, usage: Usage | None = None) -> None:
        self.attempts.done(usage)

    def close(self) -> None:
        """Release the committed stream (idempotent)."""
        stream, self._stream = self._stream, None
        _close(stream)
        self.attempts.released()


AsyncOpen = Callable[[T, AttemptBudget], Awaitable[AsyncIterator[StreamPart]]]
"""Opens one attempt's stream: awaits what must come first (building the model, the health
gate), then returns the model's own iterator, which the caller then reads with no wrapper."""


class AsyncStreamSession(Generic[T]):
    """The async twin of `StreamSession`.

    `open_stream` is awaited and hands back the model's own iterator (no async generator of
    ours re-yields its parts). Opening it and waiting for its first content run under one
    `within` deadline, the attempt's time to first content.
    """

    def __init__(
        self,
        plan: Sequence[PlanEntry[T]],
        open_stream: AsyncOpen[T],
        run: StreamRun[T],
        settings: EngineSettings = _DEFAULT,
    ) -> None:
        self.attempts = StreamAttempts(plan, run, settings)
        self._open = open_stream
        self._sleep = settings.async_sleep
        self._stream: AsyncIterator[StreamPart] | None = None

    async def _first(self, target: T, budget: AttemptBudget) -> StreamPart:
        """Open the attempt's stream (kept in `_stream`) and read to its first content."""
        attempts = self.attempts
        stream = self._stream = aiter(await self._open(target, budget))
        async for part in stream:  # returning leaves the stream open for the caller
            if attempts.admit(part):
                return part
        attempts.ended_early()

    async def start(self) -> tuple[StreamPart, AsyncIterator[StreamPart]]:
        """The first part the caller may see, and the rest of its stream."""
        attempts = self.attempts
        while True:
            target, budget = attempts.begin()
            try:
                first = self._first(target, budget)
                part = await within(attempts.left(), first, attempts.entry.label)
                assert self._stream is not None  # set by `_first` before any part
                return part, self._stream
            except Exception as exc:
                stream, self._stream = self._stream, None
                await _aclose(stream)
                delay = await attempts.afailed(exc)
                if delay > 0:
                    await self._sleep(delay)
            except BaseException:
                stream, self._stream = self._stream, None
                await _aclose(stream)
                raise

    def fail(self, exc: Exception, text: str) -> NoReturn:
        self.attempts.fail_committed(exc, text)

    async def adone(self, usage: Usage | None = None) -> None:
        await self.attempts.adone(usage)

    async def aclose(self) -> None:
        """Release the committed stream (idempotent)."""
        stream, self._stream = self._stream, None
        await _aclose(stream)
        self.attempts.released()


def _text(part: Any, chunks: list[str]) -> None:
    if type(part) is TextDelta:
        chunks.append(part.text)


def stream_sync(
    plan: Sequence[PlanEntry[T]],
    open_stream: Callable[[T, AttemptBudget], Iterator[StreamPart]],
    run: StreamRun[T],
    settings: EngineSettings = _DEFAULT,
) -> Generator[StreamPart, None, None]:
    """Stream from the first entry of `plan` that delivers content.

    `run.attempts` and `run.answered` fill in as the stream goes. Errors as `run_sync`, plus
    `MidStreamError` for a failure after content.
    """
    session = StreamSession(plan, open_stream, run, settings)
    part, rest = session.start()
    chunks: list[str] = []
    try:
        while True:
            _text(part, chunks)
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
    open_stream: AsyncOpen[T],
    run: StreamRun[T],
    settings: EngineSettings = _DEFAULT,
) -> AsyncGenerator[StreamPart, None]:
    """The async twin of `stream_sync`."""
    session = AsyncStreamSession(plan, open_stream, run, settings)
    part, rest = await session.start()
    chunks: list[str] = []
    try:
        while True:
            _text(part, chunks)
            yield part
            try:
                part = await anext(rest)
            except StopAsyncIteration:
                break
            except Exception as exc:
                session.fail(exc, "".join(chunks))
    finally:
        await session.aclose()
    await session.adone()
