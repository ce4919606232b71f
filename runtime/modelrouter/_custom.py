"""`BaseLanguageModel`: write `generate` (and `agenerate` if you have real async), get the rest.

Every model is called the same way by the Agent (the attempt's limits travel in the
`ModelRequest`), so a custom model only answers requests; a streamed call of a model that
cannot stream gets its whole answer as one burst of parts.
"""

from __future__ import annotations

import asyncio
from collections.abc import AsyncIterator, Iterator

from modelrouter._parts import ToolCallDelta, ToolCallEnd, ToolCallStart
from modelrouter._types import ModelRequest, ModelResponse, StreamFinish, StreamPart, TextDelta

__all__ = ["BaseLanguageModel", "response_parts"]


def response_parts(response: ModelResponse) -> list[StreamPart]:
    """A whole answer as the stream parts a transport would have yielded for it."""
    parts: list[StreamPart] = [TextDelta(response.text)] if response.text else []
    for index, call in enumerate(response.tool_calls):
        parts.append(ToolCallStart(index, call["id"], call["name"]))
        if call["arguments"]:
            parts.append(ToolCallDelta(index, call["arguments"]))
        parts.append(ToolCallEnd(index, call))
    parts.append(StreamFinish(usage=response.usage, finish_reason=response.finish_reason))
    return parts


class BaseLanguageModel:
    """A base for your own `LanguageModel`: implement `generate`; the other three follow.

    `agenerate` runs `generate` in a thread (override it for real async); `stream` and
    `astream` yield the whole answer at once (override them to stream). Raise
    `modelrouter.ProviderError` subclasses so fallback can classify failures, and honour
    `request.timeout` where you can.

    Attributes:
        model_id: the id shown in results and errors, e.g. "mine/echo".
    """

    model_id: str = "custom/model"

    def generate(self, request: ModelRequest) -> ModelResponse:
        raise NotImplementedError(f"{type(self).__name__} must implement generate()")

    async def agenerate(self, request: ModelRequest) -> ModelResponse:
        return await asyncio.to_thread(self.generate, request)

    def stream(self, request: ModelRequest) -> Iterator[StreamPart]:
        yield from response_parts(self.generate(request))

    async def astream(self, request: ModelRequest) -> AsyncIterator[StreamPart]:
        for part in response_parts(await self.agenerate(request)):
            yield part
