"""What `Agent.stream` / `Agent.astream` return: text deltas to iterate, typed events, `.result`.

Iterating yields each text delta as a `str`, the simplest thing to print or forward;
`events()` yields typed events instead (`TextDelta`, `ReasoningDelta`/`ReasoningEnd`,
`ToolCallStart`/`ToolCallDelta`/`ToolCallEnd`, `ToolResult`, `StepStart`/`StepEnd`). Use one or the other. The whole answer
arrives in `.result` (a `GenerateResult`, as `generate` returns) once the stream is exhausted;
reading it earlier raises `RuntimeError`. Close a stream you abandon (or use `with`) so its
connection goes back to the pool.

Each step of a tool loop is one fallback stream (`_fallback_stream`). A step's bookkeeping
(its session, the parts collected, what the loop does with the answer, the events around it)
is `_Step`, shared by both twins, which only iterate and await. Iterating a stream for text and
`events()` read one generator that yields `str` or events as the view last asked for says:
text iteration is not a filter over the events, so each delta passes one layer fewer.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from collections.abc import Sequence
from itertools import chain
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, cast

from modelrouter._events import StepCollector, StepEnd, StepStart, StreamEvent, ToolResult
from modelrouter._fallback_plan import StreamRun
from modelrouter._types import (
    GenerateResult,
    OutputT,
    StreamFinish,
    TextDelta,
    ToolCallPart,
    ToolResultPart,
)

if TYPE_CHECKING:
    from modelrouter._fallback import AsyncStreamSession, StreamSession
    from modelrouter._loop import Loop
    from modelrouter._request import Target
    from modelrouter._tools import ToolSet

__all__ = ["AsyncTextStream", "TextStream"]

RunTools = Callable[["ToolSet", Sequence[ToolCallPart]], list[ToolResultPart]]
ARunTools = Callable[["ToolSet", Sequence[ToolCallPart]], Awaitable[list[ToolResultPart]]]

S = TypeVar("S")


def _unfinished() -> RuntimeError:
    return RuntimeError("The stream has not finished: iterate it to the end first")


class _Step(Generic[S]):
    """One step of a streamed loop, for both twins: everything but iterating and awaiting."""

    __slots__ = ("loop", "run", "session", "collector")

    def __init__(self, loop: Loop, new_session: Callable[[StreamRun[Target]], S]) -> None:
        self.loop = loop
        self.run: StreamRun[Target] = StreamRun()
        self.session = new_session(self.run)
        self.collector = StepCollector()

    def start(self) -> StepStart:
        return StepStart(len(self.loop.steps))

    def answered(self) -> list[ToolCallPart] | None:
        """The step's answer, recorded: the calls to run now ([]: done, None: a re-ask)."""
        run = self.run
        answered = run.answered.label if run.answered is not None else ""
        return self.loop.streamed(self.collector.response(), answered, run.attempts)

    def ran(self, results: Sequence[ToolResultPart]) -> list[ToolResult]:
        """The round's tool results, sent back to the model; their events."""
        self.loop.tool_results(results)
        return [ToolResult(result) for result in results]

    def end(self) -> StepEnd:
        return StepEnd(self.loop.steps[-1])


class TextStream(Iterator[str], Generic[OutputT]):
    """A streamed answer: `for text in stream: ...` or `for event in stream.events(): ...`."""

    def __init__(
        self,
        loop: Loop,
        new_session: Callable[[StreamRun[Target]], StreamSession[Target]],
        run_tools: RunTools,
    ) -> None:
        self._loop = loop
        self._new_session = new_session
        self._run_tools = run_tools
        self._result: GenerateResult[Any] | None = None
        self._text_only = True
        """What `_events` yields: text (iteration) or every event (`events()`)."""
        self._events = self._run()

    def _run(self) -> Generator[StreamEvent | str, None, None]:
        loop = self._loop
        while True:
            step = _Step(loop, self._new_session)
            if not self._text_only:
                yield step.start()
            session = step.session
            collector = step.collector
            append = collector.chunks.append
            first, rest = session.start()
            try:
                # The hot loop of every stream, once per part: no engine layer in between.
                for part in chain((first,), rest):
                    if type(part) is TextDelta:
                        text = part.text
                        if text:
                            append(text)
                            yield text if self._text_only else part
                    else:
                        collector.take(part)
                        if not (self._text_only or isinstance(part, StreamFinish)):
                            yield part
            except Exception as exc:
                session.fail(exc, collector.text)
            finally:
                session.close()
            session.done(collector.usage)
            calls = step.answered()
            if calls:
                for event in step.ran(self._run_tools(loop.config.tools, calls)):
                    if not self._text_only:
                        yield event
            if not self._text_only:
                yield step.end()
            if calls is not None and not calls:
                self._result = loop.result()
                return

    def events(self) -> Iterator[StreamEvent]:
        """The stream as typed events (instead of iterating it for text)."""
        self._text_only = False
        return cast(Iterator[StreamEvent], self._events)

    def __iter__(self) -> Iterator[str]:
        # The generator itself, so a for-loop skips one Python-level call per delta.
        self._text_only = True
        return cast(Iterator[str], self._events)

    def __next__(self) -> str:
        self._text_only = True
        return cast(str, next(self._events))

    @property
    def result(self) -> GenerateResult[OutputT]:
        """The whole answer once iteration has finished."""
        if self._result is None:
            raise _unfinished()
        return self._result

    def close(self) -> None:
        """Stop early and release the connection."""
        self._events.close()

    def __enter__(self) -> TextStream[OutputT]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncTextStream(AsyncIterator[str], Generic[OutputT]):
    """The async twin of `TextStream`: `async for text in stream: ...`, then `stream.result`."""

    def __init__(
        self,
        loop: Loop,
        new_session: Callable[[StreamRun[Target]], AsyncStreamSession[Target]],
        run_tools: ARunTools,
    ) -> None:
        self._loop = loop
        self._new_session = new_session
        self._run_tools = run_tools
        self._result: GenerateResult[Any] | None = None
        self._text_only = True
        """What `_events` yields: text (iteration) or every event (`events()`)."""
        self._events = self._run()

    async def _run(self) -> AsyncGenerator[StreamEvent | str, None]:
        loop = self._loop
        while True:
            step = _Step(loop, self._new_session)
            if not self._text_only:
                yield step.start()
            session = step.session
            collector = step.collector
            append = collector.chunks.append
            first, rest = await session.start()
            try:
                part = first
                while True:
                    if type(part) is TextDelta:
                        text = part.text
                        if text:
                            append(text)
                            yield text if self._text_only else part
                    else:
                        collector.take(part)
                        if not (self._text_only or isinstance(part, StreamFinish)):
                            yield part
                    try:
                        part = await anext(rest)
                    except StopAsyncIteration:
                        break
            except Exception as exc:
                session.fail(exc, collector.text)
            finally:
                await session.aclose()
            await session.adone(collector.usage)
            calls = step.answered()
            if calls:
                for event in step.ran(await self._run_tools(loop.config.tools, calls)):
                    if not self._text_only:
                        yield event
            if not self._text_only:
                yield step.end()
            if calls is not None and not calls:
                self._result = loop.result()
                return

    def events(self) -> AsyncIterator[StreamEvent]:
        """The stream as typed events (instead of iterating it for text)."""
        self._text_only = False
        return cast(AsyncIterator[StreamEvent], self._events)

    def __aiter__(self) -> AsyncIterator[str]:
        self._text_only = True
        return cast(AsyncIterator[str], self._events)

    async def __anext__(self) -> str:
        self._text_only = True
        return cast(str, await anext(self._events))

    @property
    def result(self) -> GenerateResult[OutputT]:
        """The whole answer once iteration has finished."""
        if self._result is None:
            raise _unfinished()
        return self._result

    async def aclose(self) -> None:
        """Stop early and release the connection."""
        await self._events.aclose()

    async def __aenter__(self) -> AsyncTextStream[OutputT]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
