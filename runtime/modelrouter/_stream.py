"""What `Agent.stream` / `Agent.astream` return: text deltas to iterate, then `.result`.

Iterating yields each text delta as a `str`, the simplest thing to print or forward; the
usage, finish reason, answering model and attempts arrive in `.result` (a `GenerateResult`,
the same shape `generate` returns) once the stream is exhausted. Reading `.result` earlier is
a programming error and raises `RuntimeError`. Close a stream you abandon (or use `with`)
so its connection goes back to the pool.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Generator, Iterator
from itertools import chain
from types import TracebackType
from typing import TYPE_CHECKING, Any

from modelrouter._types import GenerateResult, StreamFinish, StreamPart, TextDelta

if TYPE_CHECKING:
    from modelrouter._fallback import StreamRun, StreamSession

__all__ = ["AsyncTextStream", "TextStream"]


class _Collector:
    def __init__(self, run: StreamRun[Any]) -> None:
        self.run = run
        self.chunks: list[str] = []
        self.finish: StreamFinish | None = None
        self.result: GenerateResult | None = None

    def take(self, part: StreamPart) -> str | None:
        if isinstance(part, TextDelta):
            if part.text:
                self.chunks.append(part.text)
                return part.text
            return None
        if isinstance(part, StreamFinish):
            self.finish = part
        return None

    def done(self) -> None:
        finish = self.finish or StreamFinish()
        answered = self.run.answered
        self.result = GenerateResult(
            text="".join(self.chunks),
            model_id=answered.label if answered is not None else "",
            usage=finish.usage,
            finish_reason=finish.finish_reason,
            attempts=tuple(self.run.attempts),
        )

    def get(self) -> GenerateResult:
        if self.result is None:
            raise RuntimeError("The stream has not finished: iterate it to the end first")
        return self.result


class TextStream(Iterator[str]):
    """A streamed answer: `for text in stream: ...`, then `stream.result`."""

    def __init__(self, session: StreamSession[Any], run: StreamRun[Any]) -> None:
        self._session = session
        self._collector = _Collector(run)
        self._texts = self._iterate()

    def _iterate(self) -> Generator[str, None, None]:
        # The hot loop of every stream, once per delta: after `start()` has passed the
        # fallback gate, parts come straight from the transport with no engine layer between.
        session = self._session
        collector = self._collector
        chunks = collector.chunks
        append = chunks.append
        first, rest = session.start()
        try:
            for part in chain((first,), rest):
                if type(part) is TextDelta:
                    text = part.text
                    if text:
                        append(text)
                        yield text
                else:
                    other = collector.take(part)  # a TextDelta subclass, or the StreamFinish
                    if other is not None:
                        yield other
        except Exception as exc:
            session.fail(exc, "".join(chunks))
        finally:
            session.close()
        session.done()
        collector.done()

    def __iter__(self) -> Iterator[str]:
        # The generator itself, so a for-loop skips one Python-level call per delta.
        return self._texts

    def __next__(self) -> str:
        return next(self._texts)

    @property
    def result(self) -> GenerateResult:
        """The whole answer once iteration has finished."""
        return self._collector.get()

    def close(self) -> None:
        """Stop early and release the connection."""
        self._texts.close()
        self._session.close()

    def __enter__(self) -> TextStream:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()


class AsyncTextStream(AsyncIterator[str]):
    """The async twin of `TextStream`: `async for text in stream: ...`, then `stream.result`."""

    def __init__(self, parts: AsyncIterator[StreamPart], run: StreamRun[Any]) -> None:
        self._parts = parts
        self._collector = _Collector(run)

    async def __anext__(self) -> str:
        while True:
            try:
                part = await self._parts.__anext__()
            except StopAsyncIteration:
                if self._collector.result is None:
                    self._collector.done()
                raise
            text = self._collector.take(part)
            if text is not None:
                return text

    @property
    def result(self) -> GenerateResult:
        """The whole answer once iteration has finished."""
        return self._collector.get()

    async def aclose(self) -> None:
        """Stop early and release the connection."""
        aclose = getattr(self._parts, "aclose", None)
        if aclose is not None:
            await aclose()

    async def __aenter__(self) -> AsyncTextStream:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
