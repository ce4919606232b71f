"""Google Gemini `generateContent` / `streamGenerateContent?alt=sse` with `x-goog-api-key`."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final
from urllib.parse import quote

import httpx

from modelrouter._options import respell, snake_to_camel
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
from modelrouter.transports.parts import require_text_only, text_content

__all__ = ["build_request", "parse_response", "stream_parser"]

_FINISH: Final[dict[str, FinishReason]] = {
    "STOP": "stop",
    "MAX_TOKENS": "length",
    "SAFETY": "content_filter",
    "RECITATION": "content_filter",
    "BLOCKLIST": "content_filter",
    "PROHIBITED_CONTENT": "content_filter",
    "SPII": "content_filter",
    "MALFORMED_FUNCTION_CALL": "error",
}

# Options that sit at the top of the body; every other option belongs in generationConfig.
_TOP_LEVEL: Final = frozenset(
    {"safetySettings", "cachedContent", "tools", "toolConfig", "labels", "systemInstruction"}
)

_ROLES: Final = {"user": "user", "assistant": "model"}


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/models/{m}:generateContent (or the SSE stream); options go camelCase."""
    require_text_only("gemini", request.tools, request.output)  # until TOOLS2 maps them
    body: dict[str, Any] = {
        "contents": [
            {"role": _ROLES.get(m["role"], "user"), "parts": [{"text": text_content("gemini", m)}]}
            for m in request.messages
        ]
    }
    if request.system is not None:
        body["systemInstruction"] = {"parts": [{"text": request.system}]}
    config: dict[str, Any] = {}
    if request.max_tokens is not None:
        config["maxOutputTokens"] = request.max_tokens
    if request.temperature is not None:
        config["temperature"] = request.temperature
    options: dict[str, Any] = respell(request.provider_options, snake_to_camel)
    config.update(options.pop("generationConfig", {}))
    for key, value in options.items():
        (body if key in _TOP_LEVEL else config)[key] = value
    if config:
        body["generationConfig"] = config
    model = quote(endpoint.model, safe="")
    path = (
        f"/models/{model}:streamGenerateContent?alt=sse"
        if stream
        else f"/models/{model}:generateContent"
    )
    headers = base_headers(endpoint, request, key_header(endpoint, "x-goog-api-key"))
    return json_request(join_url(endpoint.base_url, path), headers, body)


def _usage(payload: Any) -> Usage | None:
    meta = payload.get("usageMetadata") if isinstance(payload, Mapping) else None
    if not isinstance(meta, Mapping):
        return None
    prompt: Any = meta.get("promptTokenCount")  # pyright: ignore[reportUnknownMemberType]
    answer: Any = meta.get("candidatesTokenCount")  # pyright: ignore[reportUnknownMemberType]
    thoughts: Any = meta.get("thoughtsTokenCount")  # pyright: ignore[reportUnknownMemberType]
    output = None
    if isinstance(answer, int) or isinstance(thoughts, int):
        # Thinking tokens are billed as output; count them as such.
        output = (answer if isinstance(answer, int) else 0) + (
            thoughts if isinstance(thoughts, int) else 0
        )
    return Usage(input_tokens=prompt if isinstance(prompt, int) else None, output_tokens=output)


def _candidate(payload: Any) -> tuple[str, str | None]:
    candidate = (payload.get("candidates") or [{}])[0]
    parts = (candidate.get("content") or {}).get("parts") or []
    text = "".join(p.get("text", "") for p in parts if not p.get("thought"))
    return text, candidate.get("finishReason")


def _finish(value: str | None) -> FinishReason:
    return _FINISH.get(value, "other") if value else "other"


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """The first candidate's text (thought parts left out), usage and finish reason."""
    if isinstance(payload, Mapping) and not payload.get("candidates"):
        # A blocked prompt has no candidates, only a reason; anything else is not Gemini.
        feedback: Any = payload.get("promptFeedback")  # pyright: ignore[reportUnknownMemberType]
        if isinstance(feedback, Mapping) and feedback.get("blockReason"):  # pyright: ignore
            return ModelResponse(
                text="",
                usage=_usage(payload) or Usage(),
                finish_reason="content_filter",
                raw=payload,
            )  # pyright: ignore
        raise unexpected_payload(endpoint, payload, sent)
    try:
        text, reason = _candidate(payload)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    return ModelResponse(
        text=text, usage=_usage(payload) or Usage(), finish_reason=_finish(reason), raw=payload
    )


class _Parser:
    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._usage = Usage()
        self._finish: FinishReason | None = None

    def feed(self, event: str, data: str) -> list[StreamPart]:
        payload = loads_event(self._endpoint, data)
        if not isinstance(payload, Mapping) or "error" in payload:
            raise stream_error(self._endpoint, "sent an error event", payload, self.sent)
        usage = _usage(payload)
        if usage is not None:
            self._usage = usage
        try:
            text, reason = _candidate(payload)
        except (KeyError, IndexError, TypeError, AttributeError) as exc:
            raise stream_error(
                self._endpoint, "sent an unexpected chunk", payload, self.sent
            ) from exc
        if reason:
            self._finish = _finish(reason)
        return [text_delta(text)] if text else []

    def close(self) -> list[StreamPart]:
        if self._finish is None:
            raise stream_error(self._endpoint, "ended before a finish reason")
        return [StreamFinish(usage=self._usage, finish_reason=self._finish)]


def stream_parser(endpoint: Endpoint) -> _Parser:
    """A parser for `streamGenerateContent?alt=sse` (each event a partial response)."""
    return _Parser(endpoint)
