"""Anthropic messages: `x-api-key`, `anthropic-version`, a `system` field, `max_tokens` required."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

from modelrouter._defaults import ANTHROPIC_VERSION, DEFAULT_MAX_TOKENS
from modelrouter._options import camel_to_snake, respell
from modelrouter._types import (
    FinishReason,
    Message,
    ModelRequest,
    ModelResponse,
    StreamFinish,
    StreamPart,
    Usage,
    text_delta,
)
from modelrouter.transports.base import (
    Endpoint,
    base_headers,
    json_request,
    join_url,
    key_header,
    loads_event,
    stream_error,
    unexpected_payload,
)
from modelrouter.transports.parts import require_text_only, text_content

__all__ = ["build_request", "parse_response", "stream_parser"]

_FINISH: Final[dict[str, FinishReason]] = {
    "end_turn": "stop",
    "stop_sequence": "stop",
    "pause_turn": "stop",
    "max_tokens": "length",
    "tool_use": "tool_calls",
    "refusal": "content_filter",
}


def _content(text: str, cache_control: Any) -> str | list[dict[str, Any]]:
    # A cache breakpoint lives on a content block, so a plain string becomes one text block.
    if cache_control is None:
        return text
    return [{"type": "text", "text": text, "cache_control": cache_control}]


def _message(message: Message) -> dict[str, Any]:
    own = message.get("provider_options", {}).get("anthropic", {})
    cache = own.get("cache_control", own.get("cacheControl"))
    # Until this transport maps parts (issue 9, TOOLS2): text only.
    return {"role": message["role"], "content": _content(text_content("anthropic", message), cache)}


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/messages; `thinking` and `cache_control` options map onto the body.

    A message's own `cache_control` marks that message; a request-level one marks the system
    prompt. With `thinking` on, `max_tokens` is raised above the thinking budget when needed.
    """
    require_text_only("anthropic", request.tools, request.output)
    options: dict[str, Any] = respell(request.provider_options, camel_to_snake)
    system_cache = options.pop("cache_control", None)
    body: dict[str, Any] = {
        "model": endpoint.model,
        "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
        "messages": [_message(m) for m in request.messages],
    }
    if request.system is not None:
        body["system"] = _content(request.system, system_cache)
    if request.temperature is not None:
        body["temperature"] = request.temperature
    body.update(options)
    thinking = body.get("thinking")
    if isinstance(thinking, Mapping):
        budget: Any = thinking.get("budget_tokens")  # pyright: ignore[reportUnknownMemberType]
        if isinstance(budget, int) and body["max_tokens"] <= budget:
            body["max_tokens"] = budget + DEFAULT_MAX_TOKENS
    if stream:
        body["stream"] = True
    auth = key_header(endpoint, "x-api-key")
    headers = base_headers(endpoint, request, {"anthropic-version": ANTHROPIC_VERSION, **auth})
    return json_request(join_url(endpoint.base_url, "/messages"), headers, body)


def _int(value: Any) -> int:
    return value if isinstance(value, int) else 0


def _usage(usage: Any) -> Usage:
    if not isinstance(usage, Mapping):
        return Usage()
    # Cached prompt tokens are still prompt tokens: report the total the model read.
    input_tokens = sum(
        _int(usage.get(k))  # pyright: ignore[reportUnknownMemberType]
        for k in ("input_tokens", "cache_read_input_tokens", "cache_creation_input_tokens")
    )
    output: Any = usage.get("output_tokens")  # pyright: ignore[reportUnknownMemberType]
    return Usage(
        input_tokens=input_tokens, output_tokens=output if isinstance(output, int) else None
    )


def _finish(value: Any) -> FinishReason:
    return _FINISH.get(value, "other") if isinstance(value, str) else "other"


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """Concatenated text blocks (thinking blocks are left out), usage and stop reason."""
    try:
        blocks = payload["content"]
        text = "".join(b.get("text", "") for b in blocks if b.get("type") == "text")
    except (KeyError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    return ModelResponse(
        text=text,
        usage=_usage(payload.get("usage")),
        finish_reason=_finish(payload.get("stop_reason")),
        raw=payload,
    )


class _Parser:
    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._input: Any = None
        self._output: Any = None
        self._finish: FinishReason | None = None
        self._stopped = False

    def feed(self, event: str, data: str) -> list[StreamPart]:
        payload = loads_event(self._endpoint, data)
        kind = payload.get("type", event) if isinstance(payload, Mapping) else event
        if kind == "error":
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        if kind == "message_start":
            self._input = payload.get("message", {}).get("usage")
        elif kind == "content_block_delta":
            delta = payload.get("delta") or {}
            if delta.get("type") == "text_delta" and delta.get("text"):
                return [text_delta(delta["text"])]
        elif kind == "message_delta":
            self._output = payload.get("usage")
            reason = (payload.get("delta") or {}).get("stop_reason")
            if reason:
                self._finish = _finish(reason)
        elif kind == "message_stop":
            self._stopped = True
        return []

    def close(self) -> list[StreamPart]:
        if not self._stopped and self._finish is None:
            raise stream_error(self._endpoint, "ended before message_stop")
        usage = _usage({**(self._input or {}), **(self._output or {})})
        return [StreamFinish(usage=usage, finish_reason=self._finish or "stop")]


def stream_parser(endpoint: Endpoint) -> _Parser:
    """A parser for one streamed message (`message_start` ... `message_stop`)."""
    return _Parser(endpoint)
