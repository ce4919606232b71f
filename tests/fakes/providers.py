"""A fake provider server speaking OpenAI chat, Anthropic messages and Gemini, on loopback.

Built on `tests.support.server.LoopbackServer`; it records every request and answers from a
queue of `Script`s (one per request, then the default), so tests assert on exact requests and
exact attempt counts. Base URLs: `fake.base_url("openai-chat" | "anthropic" | "gemini")`.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from itertools import chain
from dataclasses import dataclass, field
from types import TracebackType
from typing import Any, Final

from tests.support.server import LoopbackServer, Reply, Request

__all__ = ["BASE_PATHS", "FakeProvider", "Script"]

BASE_PATHS: Final = {
    "openai-chat": "/openai/v1",
    "anthropic": "/anthropic/v1",
    "gemini": "/gemini/v1beta",
}


@dataclass
class Script:
    """How to answer one request.

    Attributes:
        text: the answer; streamed one word per chunk.
        status: an HTTP error status to answer with instead (with a protocol-shaped body).
        headers: extra response headers (e.g. `retry-after`, `retry-after-ms`).
        delay: seconds before the status line.
        error_event: answer 200 with an SSE stream whose first event is an error.
        cut_after: close the socket after this many chunks of a streamed answer.
        end_before_content: a 200 stream that ends cleanly with no event at all.
        no_finish: a stream that delivers the text but never a finish event (truncated).
        usage: (input, output) tokens to report.
        events: raw SSE `(event name, data)` pairs served instead of the built stream.
        chunk_delay: seconds between the body's chunks (stream events, or `trickle` pieces).
        trickle: send a non-streamed JSON body in this many pieces, `chunk_delay` apart.
        preamble: empty events (role-only deltas, pings) sent before a stream's content.
        render: builds the answer from (wire, streamed?) instead of `text` and `usage`: a dict
            is sent as the JSON body, `(event name, data)` pairs as the SSE stream. For answers
            the fields above cannot describe (reasoning, tool calls, a protocol's own usage block).
    """

    text: str = "Hello from the fake"
    status: int = 200
    headers: dict[str, str] = field(default_factory=dict[str, str])
    delay: float = 0.0
    error_event: bool = False
    cut_after: int | None = None
    end_before_content: bool = False
    no_finish: bool = False
    usage: tuple[int, int] = (7, 4)
    error_message: str = "something went wrong"
    events: list[tuple[str, Any]] | None = None
    chunk_delay: float = 0.0
    trickle: int | None = None
    preamble: int = 0
    render: Callable[[str, bool], dict[str, Any] | list[tuple[str, Any]]] | None = None


def _wire_of(path: str) -> str:
    for wire, base in BASE_PATHS.items():
        if path.startswith(base):
            return wire
    return "unknown"


def _is_stream(wire: str, request: Request) -> bool:
    if wire == "gemini":
        return ":streamGenerateContent" in request.path
    return bool(request.json().get("stream"))


def _error_body(wire: str, status: int, message: str) -> dict[str, Any]:
    if wire == "anthropic":
        return {"type": "error", "error": {"type": "api_error", "message": message}}
    if wire == "gemini":
        return {"error": {"code": status, "message": message, "status": "ERROR"}}
    return {"error": {"message": message, "type": "server_error", "code": status}}


def _words(text: str) -> list[str]:
    words = text.split(" ")
    return [w + (" " if i < len(words) - 1 else "") for i, w in enumerate(words)]


def _openai(script: Script, stream: bool) -> Iterator[tuple[str, Any]] | dict[str, Any]:
    usage = {"prompt_tokens": script.usage[0], "completion_tokens": script.usage[1]}
    if not stream:
        return {
            "choices": [
                {"message": {"role": "assistant", "content": script.text}, "finish_reason": "stop"}
            ],
            "usage": usage,
        }

    def events() -> Iterator[tuple[str, Any]]:
        for word in _words(script.text):
            yield "", {"choices": [{"index": 0, "delta": {"content": word}}]}
        if not script.no_finish:
            yield "", {"choices": [{"index": 0, "delta": {}, "finish_reason": "stop"}]}
            yield "", {"choices": [], "usage": usage}
            yield "", "[DONE]"

    return events()


def _anthropic(script: Script, stream: bool) -> Iterator[tuple[str, Any]] | dict[str, Any]:
    if not stream:
        return {
            "type": "message",
            "content": [{"type": "text", "text": script.text}],
            "stop_reason": "end_turn",
            "usage": {"input_tokens": script.usage[0], "output_tokens": script.usage[1]},
        }

    def events() -> Iterator[tuple[str, Any]]:
        yield "message_start", {
            "type": "message_start",
            "message": {"usage": {"input_tokens": script.usage[0], "output_tokens": 1}},
        }
        for word in _words(script.text):
            yield "content_block_delta", {
                "type": "content_block_delta",
                "index": 0,
                "delta": {"type": "text_delta", "text": word},
            }
        if not script.no_finish:
            yield "message_delta", {
                "type": "message_delta",
                "delta": {"stop_reason": "end_turn"},
                "usage": {"output_tokens": script.usage[1]},
            }
            yield "message_stop", {"type": "message_stop"}

    return events()


def _gemini(script: Script, stream: bool) -> Iterator[tuple[str, Any]] | dict[str, Any]:
    usage = {"promptTokenCount": script.usage[0], "candidatesTokenCount": script.usage[1]}

    def chunk(text: str, finish: str | None) -> dict[str, Any]:
        candidate: dict[str, Any] = {"content": {"role": "model", "parts": [{"text": text}]}}
        if finish:
            candidate["finishReason"] = finish
        return {"candidates": [candidate], **({"usageMetadata": usage} if finish else {})}

    if not stream:
        return chunk(script.text, "STOP")

    def events() -> Iterator[tuple[str, Any]]:
        words = _words(script.text)
        for index, word in enumerate(words):
            last = index == len(words) - 1 and not script.no_finish
            yield "", chunk(word, "STOP" if last else None)

    return events()


_BUILDERS: Final = {"openai-chat": _openai, "anthropic": _anthropic, "gemini": _gemini}


def _sse(events: Iterator[tuple[str, Any]]) -> Iterator[bytes]:
    for name, data in events:
        payload = data if isinstance(data, str) else json.dumps(data)
        prefix = f"event: {name}\n" if name else ""
        yield f"{prefix}data: {payload}\n\n".encode()


# An event with no text in it, as providers send before content (role-only delta, ping).
_PREAMBLE: Final[dict[str, tuple[str, Any]]] = {
    "openai-chat": ("", {"choices": [{"index": 0, "delta": {"role": "assistant"}}]}),
    "anthropic": ("ping", {"type": "ping"}),
    "gemini": ("", {"candidates": [{"content": {"role": "model", "parts": [{"text": ""}]}}]}),
}


def _trickled(payload: dict[str, Any], script: Script, common: dict[str, Any]) -> Reply:
    body = json.dumps(payload).encode()
    size = -(-len(body) // (script.trickle or 1))
    pieces = [body[i : i + size] for i in range(0, len(body), size)]
    headers = {"content-type": "application/json", **script.headers}
    return Reply(body=iter(pieces), headers=headers, **common)


class FakeProvider:
    """`with FakeProvider() as fake: fake.push(Script(status=500)); ...; fake.requests`."""

    def __init__(self) -> None:
        self.scripts: list[Script] = []
        self.default = Script()
        self.server = LoopbackServer(self._answer)

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def base_url(self, wire: str) -> str:
        return self.server.url + BASE_PATHS[wire]

    def reset(self) -> None:
        """Forget recorded requests and queued scripts (one server can serve many tests)."""
        self.scripts.clear()
        self.default = Script()
        self.server.requests.clear()

    def push(self, *scripts: Script) -> None:
        self.scripts.extend(scripts)

    def _answer(self, request: Request) -> Reply:
        script = self.scripts.pop(0) if self.scripts else self.default
        wire = _wire_of(request.path)
        if wire == "unknown":
            return Reply.json({"error": {"message": "no such route"}}, status=404)
        common: dict[str, Any] = {"delay": script.delay}
        if script.status >= 400:
            body = _error_body(wire, script.status, script.error_message)
            return Reply.json(body, status=script.status, headers=script.headers, **common)
        stream = _is_stream(wire, request)
        if stream and script.error_event:
            name = "error" if wire == "anthropic" else ""
            error = _error_body(wire, 529, "overloaded")
            return Reply(
                body=_sse(iter([(name, error)])), headers={"content-type": "text/event-stream"}
            )
        if stream and script.end_before_content:
            return Reply(body=iter(()), headers={"content-type": "text/event-stream"}, **common)
        common["chunk_delay"] = script.chunk_delay
        built: dict[str, Any] | Iterator[tuple[str, Any]]
        if script.render is None:
            built = _BUILDERS[wire](script, stream)
        else:
            rendered = script.render(wire, stream)
            built = rendered if isinstance(rendered, dict) else iter(rendered)
        if isinstance(built, dict):
            if script.trickle:
                return _trickled(built, script, common)
            return Reply.json(built, headers=script.headers, **common)
        if script.events is not None:
            built = iter(script.events)
        elif script.preamble:
            built = chain([_PREAMBLE[wire]] * script.preamble, built)
        headers = {"content-type": "text/event-stream", **script.headers}
        return Reply(body=_sse(built), headers=headers, cut_after=script.cut_after, **common)

    def __enter__(self) -> FakeProvider:
        self.server.__enter__()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.server.__exit__(exc_type, exc, tb)
