"""The Gemini stream parser: text, thought parts and whole function calls as stream parts."""

from __future__ import annotations

from collections.abc import Mapping

from modelrouter._parts import ReasoningDelta, ReasoningEnd, ToolCallDelta, ToolCallEnd
from modelrouter._parts import ToolCallPart, ToolCallStart
from modelrouter._types import StreamFinish, StreamPart, Usage, text_delta
from modelrouter.transports.base import Endpoint, loads_event, stream_error
from modelrouter.transports.gemini import OUTPUT_TOOL, _candidate, _finish, _reasoning, _usage

__all__ = ["GeminiParser"]


class GeminiParser:
    """One streamed answer; Gemini sends each function call whole, in one chunk."""

    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._usage = Usage()
        self._reason: str | None = None
        self._calls = 0  # calls so far: the next call's index
        self._thoughts: list[str] = []
        self._signatures: list[str] = []
        self._thought_signature: str | None = None

    def feed(self, event: str, data: str) -> list[StreamPart]:
        payload = loads_event(self._endpoint, data)
        if not isinstance(payload, Mapping) or "error" in payload:
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        usage = _usage(payload)
        if usage is not None:
            self._usage = usage
        try:
            found = _candidate(payload)
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise stream_error(
                self._endpoint, "sent an unexpected chunk", payload, self.sent
            ) from exc
        text, calls, reason = found.text, found.calls, found.reason
        if reason:
            self._reason = reason
        parts: list[StreamPart] = []
        if found.thoughts:
            self._thoughts.extend(found.thoughts)
            parts.extend(ReasoningDelta(t) for t in found.thoughts)
        self._signatures.extend(found.signatures)
        self._thought_signature = found.thought_signature or self._thought_signature
        if text:
            parts.append(text_delta(text))
        for call in calls:
            parts.extend(self._whole_call(*call))
        return parts

    def _whole_call(self, call_id: str, name: str, arguments: str) -> list[StreamPart]:
        # Gemini sends each call whole, in one chunk: start, arguments and end at once.
        if name == OUTPUT_TOOL:
            return [text_delta(arguments)]
        index = self._calls
        self._calls += 1
        call: ToolCallPart = {
            "type": "tool-call",
            "id": call_id,
            "name": name,
            "arguments": arguments,
        }
        return [
            ToolCallStart(index, call_id, name),
            ToolCallDelta(index, arguments),
            ToolCallEnd(index, call),
        ]

    def close(self) -> list[StreamPart]:
        if self._reason is None:
            raise stream_error(self._endpoint, "ended before a finish reason")
        finish = _finish(self._reason, self._calls > 0)
        thoughts = _reasoning("".join(self._thoughts), self._thought_signature, self._signatures)
        parts: list[StreamPart] = [ReasoningEnd(p) for p in thoughts]
        parts.append(StreamFinish(usage=self._usage, finish_reason=finish))
        return parts
