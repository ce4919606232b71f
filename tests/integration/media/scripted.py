"""Scripted answers per protocol: exact usage blocks, thinking and tool calls, whole or streamed.

Each `Turn` describes one answer in provider-neutral terms (reasoning, text, one tool call,
a usage block in the protocol's own field names); `answer(wire, turn, stream)` renders it as
that protocol's JSON body or SSE events, the way the real APIs do. A `Scripted` server on
127.0.0.1 answers each request with the next turn and records every request.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any

from tests.support.server import LoopbackServer, Reply, Request

__all__ = ["BASES", "Scripted", "Turn"]

BASES = {"openai-chat": "/openai/v1", "anthropic": "/anthropic/v1", "gemini": "/gemini/v1beta"}


@dataclass
class Turn:
    text: str = "The answer."
    reasoning: str = ""
    signature: str = "sig-1"
    call: tuple[str, dict[str, Any]] | None = None
    usage: dict[str, Any] = field(default_factory=dict[str, Any])


def _openai(turn: Turn, stream: bool) -> Any:
    message: dict[str, Any] = {"role": "assistant", "content": turn.text or None}
    if turn.reasoning:
        message["reasoning_content"] = turn.reasoning
    calls: list[dict[str, Any]] = []
    if turn.call:
        function = {"name": turn.call[0], "arguments": json.dumps(turn.call[1])}
        calls.append({"id": "call_1", "type": "function", "function": function})
        message["tool_calls"] = calls
    finish = "tool_calls" if turn.call else "stop"
    if not stream:
        choice = {"index": 0, "message": message, "finish_reason": finish}
        return {"choices": [choice], "usage": turn.usage}
    chunks: list[Any] = [{"choices": [{"index": 0, "delta": {"role": "assistant"}}]}]
    for piece in _halves(turn.reasoning):
        delta = {"content": None, "reasoning_content": piece}
        chunks.append({"choices": [{"index": 0, "delta": delta}]})
    for piece in _halves(turn.text):
        chunks.append({"choices": [{"index": 0, "delta": {"content": piece}}]})
    if calls:
        calls[0]["index"] = 0
        chunks.append({"choices": [{"index": 0, "delta": {"tool_calls": calls}}]})
    chunks.append({"choices": [{"index": 0, "delta": {}, "finish_reason": finish}]})
    chunks.append({"choices": [], "usage": turn.usage})
    return [("", c) for c in chunks] + [("", "[DONE]")]


def _anthropic(turn: Turn, stream: bool) -> Any:
    blocks: list[dict[str, Any]] = []
    if turn.reasoning:
        blocks.append({"type": "thinking", "thinking": turn.reasoning, "signature": turn.signature})
    if turn.text:
        blocks.append({"type": "text", "text": turn.text})
    if turn.call:
        blocks.append({"type": "tool_use", "id": "toolu_1", "name": turn.call[0], "input": {}})
    stop = "tool_use" if turn.call else "end_turn"
    if not stream:
        return {"type": "message", "content": blocks, "stop_reason": stop, "usage": turn.usage}
    start_usage = {k: v for k, v in turn.usage.items() if k != "output_tokens"}
    events: list[tuple[str, Any]] = [
        ("message_start", {"type": "message_start", "message": {"usage": start_usage}})
    ]
    for index, block in enumerate(blocks):
        events.extend(_anthropic_block(index, block, turn))
    delta = {"type": "message_delta", "delta": {"stop_reason": stop}}
    events.append(
        ("message_delta", {**delta, "usage": {"output_tokens": turn.usage["output_tokens"]}})
    )
    events.append(("message_stop", {"type": "message_stop"}))
    return events


def _anthropic_block(index: int, block: dict[str, Any], turn: Turn) -> Iterator[tuple[str, Any]]:
    def event(kind: str, **data: Any) -> tuple[str, Any]:
        return kind, {"type": kind, "index": index, **data}

    if block["type"] == "thinking":
        yield event("content_block_start", content_block={"type": "thinking", "thinking": ""})
        for piece in _halves(turn.reasoning):
            yield event("content_block_delta", delta={"type": "thinking_delta", "thinking": piece})
        yield event(
            "content_block_delta", delta={"type": "signature_delta", "signature": turn.signature}
        )
    elif block["type"] == "text":
        yield event("content_block_start", content_block={"type": "text", "text": ""})
        for piece in _halves(turn.text):
            yield event("content_block_delta", delta={"type": "text_delta", "text": piece})
    else:
        yield event("content_block_start", content_block={**block, "input": {}})
        args = json.dumps(turn.call[1] if turn.call else {})
        yield event("content_block_delta", delta={"type": "input_json_delta", "partial_json": args})
    yield event("content_block_stop")


def _gemini(turn: Turn, stream: bool) -> Any:
    parts: list[dict[str, Any]] = []
    if turn.reasoning:
        parts.append({"text": turn.reasoning, "thought": True})
    if turn.text:
        parts.append({"text": turn.text})
    if turn.call:
        call = {"functionCall": {"name": turn.call[0], "args": turn.call[1]}}
        parts.append({**call, "thoughtSignature": turn.signature})
    content = {"role": "model", "parts": parts}
    whole = {
        "candidates": [{"content": content, "finishReason": "STOP"}],
        "usageMetadata": turn.usage,
    }
    if not stream:
        return whole
    # Text and thoughts in pieces, a call whole; usage and finish reason on the last chunk.
    pieces = [{"text": p, "thought": True} for p in _halves(turn.reasoning)]
    pieces += [{"text": p} for p in _halves(turn.text)]
    pieces += [p for p in parts if "functionCall" in p]
    chunks: list[dict[str, Any]] = [
        {"candidates": [{"content": {"role": "model", "parts": [p]}}]} for p in pieces
    ]
    last = chunks[-1]["candidates"][0]
    last["finishReason"] = "STOP"
    chunks[-1]["usageMetadata"] = turn.usage
    return [("", c) for c in chunks]


def _halves(text: str) -> list[str]:
    middle = len(text) // 2
    return [p for p in (text[:middle], text[middle:]) if p]


_RENDER = {"openai-chat": _openai, "anthropic": _anthropic, "gemini": _gemini}


def _sse(events: list[tuple[str, Any]]) -> Iterator[bytes]:
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        prefix = f"event: {name}\n" if name else ""
        yield f"{prefix}data: {payload}\n\n".encode()


class Scripted:
    """`with Scripted() as server: server.push(Turn(...)); ...; server.bodies()`."""

    def __init__(self) -> None:
        self.turns: list[Turn] = []
        self.server = LoopbackServer(self._answer)

    def base_url(self, wire: str) -> str:
        return self.server.url + BASES[wire]

    def push(self, *turns: Turn) -> None:
        self.turns.extend(turns)

    def reset(self) -> None:
        self.turns.clear()
        self.server.requests.clear()

    def bodies(self) -> list[dict[str, Any]]:
        return [r.json() for r in self.server.requests]

    def _answer(self, request: Request) -> Reply:
        wire = next(w for w, base in BASES.items() if request.path.startswith(base))
        stream = ":streamGenerateContent" in request.path or bool(request.json().get("stream"))
        rendered = _RENDER[wire](self.turns.pop(0), stream)
        if not stream:
            return Reply.json(rendered)
        return Reply(body=_sse(rendered), headers={"content-type": "text/event-stream"})

    def __enter__(self) -> Scripted:
        self.server.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.__exit__(exc_type, exc, tb)
