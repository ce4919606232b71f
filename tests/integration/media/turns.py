"""Scripted answers per protocol: exact usage blocks, thinking and tool calls, whole or streamed.

Each `Turn` describes one answer in provider-neutral terms (reasoning, text, one tool call,
a usage block in the protocol's own field names); called with `(wire, streamed?)` it renders
that protocol's JSON body or SSE events, the way the real APIs do. The shared fake provider
(`tests.fakes.providers`) serves it: `fake.push(Script(render=Turn(...)))`.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

__all__ = ["Turn"]


@dataclass
class Turn:
    text: str = "The answer."
    reasoning: str = ""
    signature: str = "sig-1"
    call: tuple[str, dict[str, Any]] | None = None
    usage: dict[str, Any] = field(default_factory=dict[str, Any])

    def __call__(self, wire: str, stream: bool) -> Any:
        return _RENDER[wire](self, stream)


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
