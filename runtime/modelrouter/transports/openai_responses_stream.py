"""The Responses API's typed server-sent events, turned into our stream parts.

Every event is JSON with a `type`; the ones that matter:
- `response.output_text.delta` / `response.refusal.delta`: text (the hot path, checked first);
- `response.output_item.added` with a `function_call` item: a call starts (its `call_id`, name);
- `response.function_call_arguments.delta`: a fragment of a call's arguments, by `output_index`;
- `response.output_item.done` with a `function_call` item: the call, whole;
- `response.reasoning_summary_text.delta` (and `response.reasoning_text.delta`, the raw
  reasoning of open-weight models): reasoning, ended by the reasoning item's `output_item.done`;
- `response.completed` / `response.incomplete`: the end, with usage and the final status;
- `response.failed` and `error`: a `StreamError` (scrubbed like every other).
Anything else (`response.created`, content-part and reasoning bookkeeping) carries nothing we
yield. The body must reach a terminal event: one that ends before is a `StreamError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

from modelrouter._parts import (
    ReasoningDelta,
    ReasoningEnd,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallStart,
)
from modelrouter._types import FinishReason, StreamFinish, StreamPart, Usage, text_delta
from modelrouter.transports.base import Endpoint, loads_event, stream_error
from modelrouter.transports.media import reasoning_part
from modelrouter.transports.open_call import OpenCall
from modelrouter.transports.openai_responses import call_of, finish_of, summary_of, usage_of
from modelrouter.transports.openai_responses_input import WIRE

__all__ = ["ResponsesParser"]

_TEXT: Final = "response.output_text.delta"
_TERMINAL: Final = frozenset({"response.completed", "response.incomplete"})
_THOUGHT: Final = frozenset(
    {"response.reasoning_summary_text.delta", "response.reasoning_text.delta"}
)


class ResponsesParser:
    """State of one streamed response: the calls still open, usage and finish once it ends."""

    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._calls: dict[int, OpenCall] = {}  # by the event's output_index
        self._count = 0  # calls started: our index, numbered from 0 per answer
        self._usage = Usage()
        self._finish: FinishReason | None = None
        self._thoughts: dict[int, list[str]] = {}  # reasoning text by output_index

    def feed(self, event: str, data: str) -> list[StreamPart]:
        if data == "[DONE]":  # not part of this protocol; tolerated from proxies that add it
            return []
        payload: Any = loads_event(self._endpoint, data)
        if type(payload) is not dict:
            raise stream_error(self._endpoint, "sent a malformed chunk", payload, self.sent)
        kind = payload.get("type")
        if kind == _TEXT:  # one per token of every streamed answer: no further checks
            delta = payload.get("delta")
            return [text_delta(delta)] if delta else []
        try:
            return self._other(kind, payload)
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise stream_error(
                self._endpoint, f"sent a malformed {kind} event", payload, self.sent
            ) from exc

    def _other(self, kind: Any, payload: dict[str, Any]) -> list[StreamPart]:
        if kind == "response.refusal.delta":
            delta = payload.get("delta")
            return [text_delta(delta)] if delta else []
        if kind in _THOUGHT:
            return self._thought(payload)
        if kind == "response.reasoning_summary_part.added" and payload.get("summary_index"):
            return self._thought({**payload, "delta": "\n\n"})  # between summary parts
        if kind == "response.function_call_arguments.delta":
            call = self._calls.get(payload["output_index"])
            delta = payload.get("delta")
            if call is None or not delta:
                return []
            call.chunks.append(delta)
            return [ToolCallDelta(call.index, delta)]
        if kind == "response.output_item.added":
            return self._added(payload)
        if kind == "response.output_item.done":
            return self._item_done(payload)
        if kind in _TERMINAL:
            response = payload["response"]
            self._usage = usage_of(response)
            self._finish = finish_of(response, self._count > 0)
            return self._end_thoughts() + self._end_calls()
        if kind == "response.failed":
            response = payload.get("response")
            raise stream_error(self._endpoint, "failed", response or payload, self.sent)
        if kind == "error" or (kind is None and "error" in payload):
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        return []

    def _added(self, payload: dict[str, Any]) -> list[StreamPart]:
        item = payload["item"]
        if item.get("type") != "function_call":
            return []
        call = OpenCall(str(item.get("call_id") or ""), str(item.get("name") or ""), self._count)
        self._count += 1
        self._calls[payload["output_index"]] = call
        parts: list[StreamPart] = [ToolCallStart(call.index, call.id, call.name)]
        arguments = item.get("arguments")
        if arguments:  # a server may put the whole arguments in the added item
            call.chunks.append(arguments)
            parts.append(ToolCallDelta(call.index, arguments))
        return parts

    def _thought(self, payload: dict[str, Any]) -> list[StreamPart]:
        delta = payload.get("delta")
        if not delta:
            return []
        self._thoughts.setdefault(payload["output_index"], []).append(delta)
        return [ReasoningDelta(delta)]

    def _end_thoughts(self, index: int | None = None, item: Any = None) -> list[StreamPart]:
        """End the reasoning at `index` (its done `item` is authoritative), or all left."""
        if index is None:
            blocks = list(self._thoughts.values())
            self._thoughts.clear()
        else:
            blocks = [self._thoughts.pop(index, [])]
        ends: list[StreamPart] = []
        for texts in blocks:
            part = summary_of(item, "".join(texts)) if item is not None else None
            if part is None and texts:
                part = reasoning_part(WIRE, "".join(texts))
            if part is not None:
                ends.append(ReasoningEnd(part))
        return ends

    def _item_done(self, payload: dict[str, Any]) -> list[StreamPart]:
        item = payload["item"]
        if item.get("type") == "reasoning":
            return self._end_thoughts(payload["output_index"], item)
        if item.get("type") != "function_call":
            return []
        call = self._calls.pop(payload["output_index"], None)
        if call is None:  # never announced: start and end it here
            call = OpenCall("", "", self._count)
            self._count += 1
            parts: list[StreamPart] = [ToolCallStart(call.index, *_id_name(item))]
        else:
            parts = []
        # The done item is authoritative; the fragments are what a server that omits it sent.
        whole = call_of({**item, "arguments": item.get("arguments") or "".join(call.chunks)})
        if not whole["id"]:
            whole["id"] = call.id
        parts.append(ToolCallEnd(call.index, whole))
        return parts

    def _end_calls(self) -> list[StreamPart]:
        ends: list[StreamPart] = []
        for call in sorted(self._calls.values(), key=lambda c: c.index):
            ends.append(call.end())
        self._calls.clear()
        return ends

    def close(self) -> list[StreamPart]:
        if self._finish is None:
            raise stream_error(self._endpoint, "ended before response.completed")
        parts = self._end_calls()
        parts.append(StreamFinish(usage=self._usage, finish_reason=self._finish))
        return parts


def _id_name(item: Mapping[str, Any]) -> tuple[str, str]:
    return str(item.get("call_id") or item.get("id") or ""), str(item.get("name") or "")
