"""What `Agent.stream` / `Agent.astream` return: text deltas to iterate, typed events, `.result`.

Iterating yields each text delta as a `str`, the simplest thing to print or forward;
`events()` yields typed events instead (`TextDelta`, `ReasoningDelta`/`ReasoningEnd`,
`ToolCallStart`/`ToolCallDelta`/`ToolCallEnd`, `ToolResult`, `StepStart`/`StepEnd`). Use one or the other. The whole answer
arrives in `.result` (a `GenerateResult`, as `generate` returns) once the stream is exhausted;
reading it earlier raises `RuntimeError`. Close a stream you abandon (or use `with`) so its
connection goes back to the pool.

Each step of a tool loop is one fallback stream (`_fallback_stream`); the twins below differ
only in their awaits.
"""

from __future__ import annotations

from collections.abc import AsyncGenerator, AsyncIterator, Awaitable, Callable, Generator, Iterator
from collections.abc import Sequence
from itertools import chain
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic

from modelrouter._events import StepCollector, StepEnd, StepStart, StreamEvent, ToolResult
from modelrouter._types import (
    GenerateResult,
    OutputT,
    StreamFinish,
    TextDelta,
    ToolCallPart,
    ToolResultPart,
)

if TYPE_CHECKING:
    from modelrouter._fallback import AsyncStreamSession, StreamRun, StreamSession
    from modelrouter._loop import Loop
    from modelrouter._request import Target
    from modelrouter._tools import ToolSet

__all__ = ["AsyncTextStream", "TextStream"]

RunTools = Callable[["ToolSet", Sequence[ToolCallPart]], list[ToolResultPart]]
ARunTools = Callable[["ToolSet", Sequence[ToolCallPart]], Awaitable[list[ToolResultPart]]]


def _unfinished() -> RuntimeError:
    return RuntimeError("The stream has not finished: iterate it to the end first")


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
        self._events = self._run()
        self._texts = self._text()

    def _run(self) -> Generator[StreamEvent, None, None]:
        from modelrouter._fallback import StreamRun

        loop = self._loop
        while True:
            run: StreamRun[Target] = StreamRun()
            session = self._new_session(run)
            yield StepStart(len(loop.steps))
            collector = StepCollector()
            append = collector.chunks.append
            first, rest = session.start()
            try:
                # The hot loop of every stream, once per part: no engine layer in between.
                for part in chain((first,), rest):
                    if type(part) is TextDelta:
                        text = part.text
                        if text:
                            append(text)
                            yield part
                    else:
                        collector.take(part)
                        if not isinstance(part, StreamFinish):
                            yield part
            except Exception as exc:
                session.fail(exc, collector.text)
            finally:
                session.close()
            session.done()
            answered = run.answered.label if run.answered is not None else ""
            calls = loop.streamed(collector.response(), answered, run.attempts)
            if calls:
                results = self._run_tools(loop.config.tools, calls)
                for result in results:
                    yield ToolResult(result)
                loop.tool_results(results)
            yield StepEnd(loop.steps[-1])
            if calls is not None and not calls:
                self._result = loop.result()
                return

    def _text(self) -> Generator[str, None, None]:
        for event in self._events:
            if type(event) is TextDelta:
                yield event.text

    def events(self) -> Iterator[StreamEvent]:
        """The stream as typed events (instead of iterating it for text)."""
        return self._events

    def __iter__(self) -> Iterator[str]:
        # The generator itself, so a for-loop skips one Python-level call per delta.
        return self._texts

    def __next__(self) -> str:
        return next(self._texts)

    @property
    def result(self) -> GenerateResult[OutputT]:
        """The whole answer once iteration has finished."""
        if self._result is None:
            raise _unfinished()
        return self._result

    def close(self) -> None:
        """Stop early and release the connection."""
        self._texts.close()
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
        self._events = self._run()
        self._texts = self._text()

    async def _run(self) -> AsyncGenerator[StreamEvent, None]:
        from modelrouter._fallback import StreamRun

        loop = self._loop
        while True:
            run: StreamRun[Target] = StreamRun()
            session = self._new_session(run)
            yield StepStart(len(loop.steps))
            collector = StepCollector()
            append = collector.chunks.append
            first, rest = await session.start()
            try:
                part = first
                while True:
                    if type(part) is TextDelta:
                        text = part.text
                        if text:
                            append(text)
                            yield part
                    else:
                        collector.take(part)
                        if not isinstance(part, StreamFinish):
                            yield part
                    try:
                        part = await anext(rest)
                    except StopAsyncIteration:
                        break
            except Exception as exc:
                session.fail(exc, collector.text)
            finally:
                await session.aclose()
            session.done()
            answered = run.answered.label if run.answered is not None else ""
            calls = loop.streamed(collector.response(), answered, run.attempts)
            if calls:
                results = await self._run_tools(loop.config.tools, calls)
                for result in results:
                    yield ToolResult(result)
                loop.tool_results(results)
            yield StepEnd(loop.steps[-1])
            if calls is not None and not calls:
                self._result = loop.result()
                return

    async def _text(self) -> AsyncGenerator[str, None]:
        async for event in self._events:
            if type(event) is TextDelta:
                yield event.text

    def events(self) -> AsyncIterator[StreamEvent]:
        """The stream as typed events (instead of iterating it for text)."""
        return self._events

    def __aiter__(self) -> AsyncIterator[str]:
        return self._texts

    async def __anext__(self) -> str:
        return await anext(self._texts)

    @property
    def result(self) -> GenerateResult[OutputT]:
        """The whole answer once iteration has finished."""
        if self._result is None:
            raise _unfinished()
        return self._result

    async def aclose(self) -> None:
        """Stop early and release the connection."""
        await self._texts.aclose()
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
