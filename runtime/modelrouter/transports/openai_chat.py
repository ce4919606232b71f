"""OpenAI chat completions: `openai` and every OpenAI-compatible provider."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from typing import Any, Final

import httpx

from modelrouter._options import camel_to_snake, respell
from modelrouter._parts import (
    OutputSpec,
    ReasoningDelta,
    ReasoningEnd,
    ToolCallDelta,
    ToolCallPart,
    ToolCallStart,
    ToolChoice,
    ToolSpec,
)
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
from modelrouter.transports.media import data_url, media_source, reasoning_part
from modelrouter.transports.media import unsupported_media
from modelrouter.transports.open_call import OpenCall
from modelrouter.transports.parts import text_of, unsupported_part

__all__ = ["build_request", "parse_response", "stream_parser"]

_FINISH: Final[dict[str, FinishReason]] = {
    "stop": "stop",
    "length": "length",
    "tool_calls": "tool_calls",
    "function_call": "tool_calls",
    "content_filter": "content_filter",
}


_WIRE: Final = "openai-chat"


def _append_message(messages: list[dict[str, Any]], message: Message) -> None:
    role, content = message["role"], message["content"]
    if isinstance(content, str):  # the common case, sent as it is
        messages.append({"role": role, "content": content})
        return
    if role == "tool":  # one wire message per result
        for part in content:
            if part["type"] != "tool-result":
                raise unsupported_part(_WIRE, message, part)
            messages.append(
                {"role": "tool", "tool_call_id": part["call_id"], "content": part["content"]}
            )
        return
    calls: list[dict[str, Any]] = []
    texts: list[dict[str, Any]] = []
    for part in content:
        if part["type"] == "text":
            texts.append({"type": "text", "text": part["text"]})
        elif part["type"] in _MEDIA and role == "user":
            texts.append(_MEDIA[part["type"]](part))
        elif part["type"] == "reasoning" and role == "assistant":
            continue  # never sent back: the chat API has no field for it (see `_reasoning`)
        elif part["type"] == "tool-call" and role == "assistant":
            function = {"name": part["name"], "arguments": part["arguments"]}
            calls.append({"id": part["id"], "type": "function", "function": function})
        else:
            raise unsupported_part(_WIRE, message, part)
    if role == "assistant":
        # Assistant content is text (or null beside tool calls): the widest-supported form.
        wire: dict[str, Any] = {"role": role, "content": text_of(content) or None}
        if calls:
            wire["tool_calls"] = calls
        messages.append(wire)
    else:
        messages.append({"role": role, "content": texts})


def _image(part: Any) -> dict[str, Any]:
    image: dict[str, Any] = {"url": data_url(media_source(_WIRE, part))}
    if "detail" in part:
        image["detail"] = part["detail"]
    return {"type": "image_url", "image_url": image}


def _file(part: Any) -> dict[str, Any]:
    source = media_source(_WIRE, part)
    if source.data is None:
        raise unsupported_media(_WIRE, part, "the chat API takes files as inline data only")
    # OpenAI requires a file name beside inline data: "document" + the type's suffix.
    name = part.get("filename") or _default_name(source.media_type)
    return {"type": "file", "file": {"file_data": data_url(source), "filename": name}}


def _default_name(media_type: str | None) -> str:
    if media_type == "application/pdf" or media_type is None:
        return "document.pdf"
    import mimetypes  # only for a document sent without a name

    return "document" + (mimetypes.guess_extension(media_type) or "")


def _audio(part: Any) -> dict[str, Any]:
    source = media_source(_WIRE, part)
    audio_format = _AUDIO_FORMATS.get(source.media_type or "")
    if source.data is None or audio_format is None:
        raise unsupported_media(_WIRE, part, "the chat API takes inline wav or mp3 audio only")
    return {"type": "input_audio", "input_audio": {"data": source.data, "format": audio_format}}


_MEDIA: Final[dict[str, Callable[[Any], dict[str, Any]]]] = {
    "image": _image,
    "file": _file,
    "audio": _audio,
}
_AUDIO_FORMATS: Final = {
    "audio/wav": "wav",
    "audio/x-wav": "wav",
    "audio/wave": "wav",
    "audio/mpeg": "mp3",
    "audio/mp3": "mp3",
}


def _tool(tool: ToolSpec) -> dict[str, Any]:
    function: dict[str, Any] = {"name": tool.name, "parameters": tool.parameters}
    if tool.description:
        function["description"] = tool.description
    if tool.strict:
        function["strict"] = True
    return {"type": "function", "function": function}


def _tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    if choice in ("auto", "none", "required"):
        return choice
    return {"type": "function", "function": {"name": choice}}


def _response_format(output: OutputSpec) -> dict[str, Any]:
    schema: dict[str, Any] = {"name": output.name, "schema": output.schema}
    if output.description:
        schema["description"] = output.description
    if output.strict:
        schema["strict"] = True
    return {"type": "json_schema", "json_schema": schema}


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/chat/completions with the answering provider's options as body fields.

    Tools go in `tools` (strict where their schema allows), the output spec in
    `response_format` (json_schema), tool results as one `tool` message each.
    """
    messages: list[dict[str, Any]] = []
    if request.system is not None:
        messages.append({"role": "system", "content": request.system})
    for message in request.messages:
        _append_message(messages, message)
    body: dict[str, Any] = {"model": endpoint.model, "messages": messages}
    if request.tools:
        body["tools"] = [_tool(t) for t in request.tools]
    if request.tool_choice is not None:
        body["tool_choice"] = _tool_choice(request.tool_choice)
    if request.output is not None:
        body["response_format"] = _response_format(request.output)
    if request.max_tokens is not None:
        # OpenAI deprecated max_tokens for its own models; compatible servers still expect it.
        name = "max_completion_tokens" if endpoint.provider == "openai" else "max_tokens"
        body[name] = request.max_tokens
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.provider_options:
        body.update(respell(request.provider_options, camel_to_snake))
    if stream:
        body["stream"] = True
        body["stream_options"] = {"include_usage": True}
    headers = base_headers(endpoint, request, key_header(endpoint, "authorization", bearer=True))
    return json_request(join_url(endpoint.base_url, "/chat/completions"), headers, body)


def _count(value: Any) -> int | None:
    if type(value) is int:  # what JSON gives: one check instead of two isinstance
        return value
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _detail(usage: Mapping[str, Any], key: str, field: str) -> int | None:
    details = usage.get(key)
    if details is None:  # the usual answer has no details: no isinstance against the ABC
        return None
    return _count(details.get(field)) if isinstance(details, Mapping) else None  # pyright: ignore


def _usage(payload: Any) -> Usage | None:
    """`prompt_tokens` already includes cached tokens, `completion_tokens` reasoning ones.

    Cached tokens are `prompt_tokens_details.cached_tokens` (OpenAI and most compatible
    servers), else DeepSeek's `prompt_cache_hit_tokens`. The chat API reports no cache writes.
    """
    usage = payload.get("usage") if isinstance(payload, Mapping) else None
    if not isinstance(usage, Mapping):
        return None
    fields: Mapping[str, Any] = usage  # pyright: ignore[reportUnknownVariableType]
    cached = _detail(fields, "prompt_tokens_details", "cached_tokens")
    if cached is None:
        cached = _count(fields.get("prompt_cache_hit_tokens"))
    return Usage(
        input_tokens=_count(fields.get("prompt_tokens")),
        output_tokens=_count(fields.get("completion_tokens")),
        cache_read_tokens=cached,
        reasoning_tokens=_detail(fields, "completion_tokens_details", "reasoning_tokens"),
    )


def _reasoning(message: Mapping[str, Any]) -> str | None:
    """The reasoning text of a message or delta: `reasoning_content` (DeepSeek, Qwen, vLLM)
    or `reasoning` (OpenRouter, Groq). Never sent back: most of these servers refuse it in a
    request, and the OpenAI API has no such field."""
    text = message.get("reasoning_content")
    if not isinstance(text, str) or not text:
        text = message.get("reasoning")
    return text if isinstance(text, str) and text else None


def _finish(value: Any) -> FinishReason:
    return _FINISH.get(value, "other") if isinstance(value, str) else "other"


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """The first choice's text and tool calls, normalised usage and finish reason."""
    try:
        choice = payload["choices"][0]
        message = choice["message"]
        content = message.get("content") or ""
        calls = [_call(c) for c in message.get("tool_calls") or ()]
        thought = _reasoning(message)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    return ModelResponse(
        text=content,
        usage=_usage(payload) or Usage(),
        finish_reason=_finish(choice.get("finish_reason")),
        raw=payload,
        tool_calls=calls,
        reasoning=[reasoning_part(_WIRE, thought)] if thought else (),
    )


def _call(call: Any) -> ToolCallPart:
    function = call["function"]
    name, arguments = function["name"], function.get("arguments") or ""
    if not isinstance(name, str) or not isinstance(arguments, str):
        raise TypeError("a tool call's name and arguments are strings")
    return {
        "type": "tool-call",
        "id": str(call.get("id") or ""),
        "name": name,
        "arguments": arguments,
    }


class _Parser:
    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._finish: FinishReason | None = None
        self._usage = Usage()
        self._done = False
        self._calls: dict[int, OpenCall] = {}
        self._thought: list[str] = []

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
            delta = choice.get("delta")
            if delta and "tool_calls" in delta or choice.get("finish_reason"):
                return self._choice(choice)
            if not delta:
                return []
            if "reasoning_content" in delta or "reasoning" in delta:
                return self._choice(choice)
            text = delta.get("content")
            return [text_delta(text)] if text else []
        parts: list[StreamPart] = []
        for choice in choices:  # only the first choice is ever asked for; keep them all
            parts.extend(self._choice(choice))
        return parts

    def _choice(self, choice: Any) -> list[StreamPart]:
        parts: list[StreamPart] = []
        delta = choice.get("delta")
        if delta:
            thought = _reasoning(delta)
            if thought:
                self._thought.append(thought)
                parts.append(ReasoningDelta(thought))
            text = delta.get("content")
            if text:
                parts.append(text_delta(text))
            for call in delta.get("tool_calls") or ():
                parts.extend(self._call_delta(call))
        if choice.get("finish_reason"):
            self._finish = _finish(choice["finish_reason"])
            parts.extend(self._end_calls())
        return parts

    def _call_delta(self, call: Any) -> list[StreamPart]:
        try:
            index = call.get("index", len(self._calls))
            function = call.get("function") or {}
            arguments = function.get("arguments") or ""
            open_call = self._calls.get(index)
            parts: list[StreamPart] = []
            if open_call is None:
                open_call = self._calls[index] = OpenCall(
                    str(call.get("id") or ""), str(function.get("name") or ""), index
                )
                parts.append(ToolCallStart(index, open_call.id, open_call.name))
            if arguments:
                open_call.chunks.append(arguments)
                parts.append(ToolCallDelta(index, arguments))
        except (AttributeError, TypeError) as exc:
            raise stream_error(
                self._endpoint, "sent a malformed tool call", call, self.sent
            ) from exc
        return parts

    def _end_calls(self) -> list[StreamPart]:
        ends: list[StreamPart] = [self._calls[index].end() for index in sorted(self._calls)]
        self._calls.clear()
        return ends

    def close(self) -> list[StreamPart]:
        if self._finish is None and not self._done:
            raise stream_error(self._endpoint, "ended before a finish reason")
        parts = self._end_calls()
        if self._thought:
            parts.append(ReasoningEnd(reasoning_part(_WIRE, "".join(self._thought))))
        parts.append(StreamFinish(usage=self._usage, finish_reason=self._finish or "stop"))
        return parts


def stream_parser(endpoint: Endpoint) -> _Parser:
    """A parser for one streamed chat completion (`data: {...}` chunks, then `[DONE]`)."""
    return _Parser(endpoint)
