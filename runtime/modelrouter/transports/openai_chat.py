"""OpenAI chat completions: `openai` and every OpenAI-compatible provider."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final

import httpx

from modelrouter._options import camel_to_snake, respell
from modelrouter._types import (
    FinishReason,
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

__all__ = ["build_request", "parse_response", "stream_parser"]

_FINISH: Final[dict[str, FinishReason]] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/chat/completions with the answering provider's options as body fields."""
    messages: list[dict[str, Any]] = []
    if request.system is not None:
        messages.append({"role": "system", "content": request.system})
    messages.extend({"role": m["role"], "content": m["content"]} for m in request.messages)
    body: dict[str, Any] = {"model": endpoint.model, "messages": messages}
    if request.max_tokens is not None:
        # OpenAI deprecated max_tokens for its own models; compatible servers still expect it.
        name = "max_completion_tokens" if endpoint.provider == "openai" else "max_tokens"
        body[name] = request.max_tokens
    if request.temperature is not None:
        body["temperature"] = request.temperature
    body.update(respell(request.provider_options, camel_to_snake))
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    headers = base_headers(endpoint, request, key_header(endpoint, "authorization", bearer=True))
    return json_request(join_url(endpoint.base_url, "/chat/completions"), headers, body)


def _usage(payload: Any) -> Usage | None:
    usage = payload.get("usage") if isinstance(payload, Mapping) else None
    if not isinstance(usage, Mapping):
        return None
    prompt: Any = usage.get("prompt_tokens")  # pyright: ignore[reportUnknownMemberType]
    completion: Any = usage.get("completion_tokens")  # pyright: ignore[reportUnknownMemberType]
    return Usage(
        input_tokens=prompt if isinstance(prompt, int) else None,
        output_tokens=completion if isinstance(completion, int) else None,
    )


def _finish(value: Any) -> FinishReason:
    return _FINISH.get(value, "other") if isinstance(value, str) else "other"


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """The first choice's text, normalised usage and finish reason."""
    try:
        choice = payload["choices"][0]
        content = choice["message"].get("content") or ""
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    return ModelResponse(
        text=content,
        usage=_usage(payload) or Usage(),
        finish_reason=_finish(choice.get("finish_reason")),
        raw=payload,
    )


class _Parser:
    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._finish: FinishReason | None = None
        self._usage = Usage()
        self._done = False

    def feed(self, event: str, data: str) -> list[StreamPart]:
        if data == "[DONE]":
            self._done = True
            return []
        payload: Any = loads_event(self._endpoint, data)
        if type(payload) is not dict or "error" in payload:
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        # The hot path of every stream: one content delta per event, checked cheaply.
        if "usage" in payload:
            self._usage = _usage(payload) or self._usage
        choices: Any = payload.get("choices")  # pyright: ignore[reportUnknownMemberType]
        if not choices:
            return []
        if len(choices) == 1:  # what every provider sends: no loop, no list to grow
            choice = choices[0]
            if choice.get("finish_reason"):
                self._finish = _finish(choice["finish_reason"])
            delta = choice.get("delta")
            text = delta.get("content") if delta else None
            return [text_delta(text)] if text else []
        parts: list[StreamPart] = []
        for choice in choices:
            delta = choice.get("delta")
            if delta:
                text = delta.get("content")
                if text:
                    parts.append(text_delta(text))
            if choice.get("finish_reason"):
                self._finish = _finish(choice["finish_reason"])
        return parts

    def close(self) -> list[StreamPart]:
        if self._finish is None and not self._done:
            raise stream_error(self._endpoint, "ended before a finish reason")
        return [StreamFinish(usage=self._usage, finish_reason=self._finish or "stop")]


def stream_parser(endpoint: Endpoint) -> _Parser:
    """A parser for one streamed chat completion (`data: {...}` chunks, then `[DONE]`)."""
    return _Parser(endpoint)
