"""The Anthropic stream parser: text, thinking and tool-call blocks as stream parts."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from modelrouter._errors import StreamError
from modelrouter._parts import (
    ReasoningDelta,
    ReasoningEnd,
    ToolCallDelta,
    ToolCallStart,
)
from modelrouter._types import FinishReason, StreamFinish, StreamPart, text_delta
from modelrouter.transports.anthropic import _WIRE, OUTPUT_TOOL, _arguments, _finish, _usage
from modelrouter.transports.base import Endpoint, loads_event, stream_error
from modelrouter.transports.media import reasoning_part
from modelrouter.transports.open_call import OpenCall

__all__ = ["AnthropicParser"]


_THINKING: Final = ("thinking", "redacted_thinking")


class _OpenThought:
    __slots__ = ("chunks", "signature", "redacted")

    def __init__(self) -> None:
        self.chunks: list[str] = []
        self.signature: str | None = None
        self.redacted: str | None = None

    def end(self) -> ReasoningEnd:
        text = "".join(self.chunks)
        return ReasoningEnd(reasoning_part(_WIRE, text, self.signature, self.redacted))


# The block index of an answer-tool call: its input is streamed as text.
_OUTPUT: Final = -1


class AnthropicParser:
    """One streamed message; tool calls and thinking blocks are tracked by block index."""

    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._input: Any = None
        self._output: Any = None
        self._finish: FinishReason | None = None
        self._stopped = False
        # Open tool_use blocks by Anthropic block index; an answer-tool block maps to None.
        self._blocks: dict[int, OpenCall | None] = {}
        self._calls = 0  # calls started so far: the next call's index
        self._answered = False  # the answer tool was called
        self._answer_sent = False
        # Open thinking blocks by block index: [text chunks, signature, redacted data].
        self._thoughts: dict[int, _OpenThought] = {}

    def feed(self, event: str, data: str) -> list[StreamPart]:
        payload = loads_event(self._endpoint, data)
        kind = payload.get("type", event) if isinstance(payload, Mapping) else event
        if kind == "content_block_delta":  # the hot path: one per text fragment
            delta = payload.get("delta") or {}
            if delta.get("type") == "text_delta":
                return [text_delta(delta["text"])] if delta.get("text") else []
            if delta.get("type") == "input_json_delta":
                return self._json_delta(payload, delta)
            return self._thought_delta(payload, delta)
        if kind == "error":
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        if kind == "message_start":
            self._input = payload.get("message", {}).get("usage")
        elif kind == "content_block_start":
            return self._start(payload)
        elif kind == "content_block_stop":
            return self._stop(payload.get("index"))
        elif kind == "message_delta":
            self._output = payload.get("usage")
            reason = (payload.get("delta") or {}).get("stop_reason")
            if reason:
                self._finish = _finish(reason)
        elif kind == "message_stop":
            self._stopped = True
        return []

    def _malformed(self, payload: Any) -> StreamError:
        return stream_error(self._endpoint, "sent a malformed tool call", payload, self.sent)

    def _thought_delta(self, payload: Any, delta: Any) -> list[StreamPart]:
        thought = self._thoughts.get(payload.get("index"))
        if thought is None:
            return []
        kind = delta.get("type")
        if kind == "thinking_delta":
            text = delta.get("thinking")
            if isinstance(text, str) and text:
                thought.chunks.append(text)
                return [ReasoningDelta(text)]
        elif kind == "signature_delta" and isinstance(delta.get("signature"), str):
            thought.signature = delta["signature"]
        return []

    def _start_thought(self, index: Any, block: Any) -> list[StreamPart]:
        thought = self._thoughts[index] = _OpenThought()
        if block.get("type") == "redacted_thinking":
            thought.redacted = block.get("data")
            return []
        if isinstance(block.get("signature"), str) and block["signature"]:
            thought.signature = block["signature"]
        text = block.get("thinking")
        if isinstance(text, str) and text:  # a proxy may send the block whole
            thought.chunks.append(text)
            return [ReasoningDelta(text)]
        return []

    def _start(self, payload: Any) -> list[StreamPart]:
        block = payload.get("content_block")
        if isinstance(block, Mapping) and block.get("type") in _THINKING:  # pyright: ignore
            return self._start_thought(payload.get("index"), block)
        if not isinstance(block, Mapping) or block.get("type") != "tool_use":  # pyright: ignore
            return []
        index: Any = payload.get("index")
        name: Any = block.get("name")  # pyright: ignore[reportUnknownMemberType]
        if not isinstance(index, int) or not isinstance(name, str):
            raise self._malformed(payload)
        # The input is streamed as deltas after an empty object; a proxy may send it whole.
        initial: Any = block.get("input")  # pyright: ignore[reportUnknownMemberType]
        first = _arguments(initial) if initial else ""
        if name == OUTPUT_TOOL:
            self._blocks[index] = None
            self._answered = True
            self._answer_sent = bool(first)
            return [text_delta(first)] if first else []
        call = OpenCall(str(block.get("id") or ""), name, self._calls)  # pyright: ignore
        self._calls += 1
        self._blocks[index] = call
        parts: list[StreamPart] = [ToolCallStart(call.index, call.id, call.name)]
        if first:
            call.chunks.append(first)
            parts.append(ToolCallDelta(call.index, first))
        return parts

    def _json_delta(self, payload: Any, delta: Any) -> list[StreamPart]:
        index: Any = payload.get("index")
        fragment: Any = delta.get("partial_json")
        if not isinstance(fragment, str) or index not in self._blocks:
            raise self._malformed(payload)
        if not fragment:
            return []
        call = self._blocks[index]
        if call is None:
            self._answer_sent = True
            return [text_delta(fragment)]
        call.chunks.append(fragment)
        return [ToolCallDelta(call.index, fragment)]

    def _stop(self, index: Any) -> list[StreamPart]:
        thought = self._thoughts.pop(index, None)
        if thought is not None:
            return [thought.end()]
        if index not in self._blocks:
            return []  # a text block
        call = self._blocks.pop(index)
        if call is not None:
            return [call.end()]
        if not self._answer_sent:  # an answer tool called with no input at all
            self._answer_sent = True
            return [text_delta("{}")]
        return []

    def close(self) -> list[StreamPart]:
        if not self._stopped and self._finish is None:
            raise stream_error(self._endpoint, "ended before message_stop")
        parts: list[StreamPart] = []
        for index in sorted({*self._blocks, *self._thoughts}):  # a cut block still ends
            parts.extend(self._stop(index))
        usage = _usage({**(self._input or {}), **(self._output or {})})
        finish = self._finish or "stop"
        if finish == "tool_calls" and self._answered and not self._calls:  # only the answer
            finish = "stop"
        parts.append(StreamFinish(usage=usage, finish_reason=finish))
        return parts
