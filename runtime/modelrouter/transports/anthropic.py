"""Anthropic messages: `x-api-key`, `anthropic-version`, a `system` field, `max_tokens` required."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from modelrouter._defaults import ANTHROPIC_VERSION, DEFAULT_MAX_TOKENS
from modelrouter._errors import ConfigurationError, StreamError
from modelrouter._options import camel_to_snake, respell
from modelrouter._parts import (
    ContentPart,
    OutputSpec,
    ToolCallDelta,
    ToolCallEnd,
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
from modelrouter.transports.parts import arguments_object, unsupported_part

__all__ = ["OUTPUT_TOOL", "build_request", "parse_response", "stream_parser", "wire_id"]

_WIRE: Final = "anthropic"

OUTPUT_TOOL: Final = "structured_output"
"""The tool that carries a structured answer: its input is returned as the answer's text."""

_CHOICES: Final[dict[str, str]] = {"auto": "auto", "none": "none", "required": "any"}
_ID_OK: Final = re.compile(r"[a-zA-Z0-9_-]+").fullmatch
_ID_BAD: Final = re.compile(r"[^a-zA-Z0-9_-]")

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


def wire_id(call_id: str) -> str:
    """A call id as Anthropic accepts it (`^[a-zA-Z0-9_-]+$`), the same for a call and its result.

    Ids from other providers pass through unless they hold other characters (Moonshot sends
    `functions.get_weather:0`): those are replaced and a digest of the original appended, so two
    ids that differ only there stay distinct.
    """
    if _ID_OK(call_id):
        return call_id
    import hashlib  # only for ids another provider spelled differently

    digest = hashlib.sha256(call_id.encode()).hexdigest()[:12]
    return f"{_ID_BAD.sub('_', call_id)}_{digest}"


def _blocks(message: Message, parts: Sequence[ContentPart]) -> list[dict[str, Any]]:
    role = message["role"]
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if part["type"] == "text" and role != "tool":
            if part["text"]:  # Anthropic refuses an empty text block
                blocks.append({"type": "text", "text": part["text"]})
        elif part["type"] == "tool-call" and role == "assistant":
            blocks.append(
                {
                    "type": "tool_use",
                    "id": wire_id(part["id"]),
                    "name": part["name"],
                    "input": arguments_object(part),
                }
            )
        elif part["type"] == "tool-result" and role == "tool":
            result: dict[str, Any] = {
                "type": "tool_result",
                "tool_use_id": wire_id(part["call_id"]),
                "content": part["content"],
            }
            if part.get("is_error"):
                result["is_error"] = True
            blocks.append(result)
        else:
            raise unsupported_part(_WIRE, message, part)
    return blocks


def _messages(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Wire messages; each run of `tool` messages becomes one user message of results."""
    wire: list[dict[str, Any]] = []
    results: list[dict[str, Any]] | None = None  # the open user message of tool results
    for message in messages:
        own = message.get("provider_options", {}).get("anthropic", {})
        cache = own.get("cache_control", own.get("cacheControl"))
        content = message["content"]
        if isinstance(content, str):  # the common case, sent as it is
            if message["role"] == "tool":  # a result needs the id of its call
                raise unsupported_part(_WIRE, message, {"type": "text", "text": content})
            wire.append({"role": message["role"], "content": _content(content, cache)})
            results = None
            continue
        blocks = _blocks(message, content)
        if cache is not None and blocks:
            blocks[-1]["cache_control"] = cache
        if message["role"] != "tool":
            wire.append({"role": message["role"], "content": blocks or ""})
            results = None
        elif results is not None:
            results.extend(blocks)
        else:
            results = blocks
            wire.append({"role": "user", "content": results})
    return wire


def _tool(tool: ToolSpec) -> dict[str, Any]:
    wire: dict[str, Any] = {"name": tool.name, "input_schema": tool.parameters}
    if tool.description:
        wire["description"] = tool.description
    return wire


def _tool_choice(choice: ToolChoice) -> dict[str, Any]:
    kind = _CHOICES.get(choice)
    return {"type": kind} if kind else {"type": "tool", "name": choice}


def _output_tool(output: OutputSpec) -> dict[str, Any]:
    about = f" {output.description}" if output.description else ""
    return {
        "name": OUTPUT_TOOL,
        "description": f"Give your final answer ({output.name}) as this tool's input.{about}",
        "input_schema": output.schema,
    }


def _output_choice(request: ModelRequest) -> dict[str, Any]:
    """Without other tools the answer tool is forced; beside them the model must call one.

    Free text is never a valid answer when output is asked for, so "auto" and "required" both
    become "any" (the model ends the loop by calling the answer tool) and "none" forces it.
    """
    choice = request.tool_choice
    if not request.tools or choice == "none":
        return {"type": "tool", "name": OUTPUT_TOOL}
    if choice is None or choice in ("auto", "required"):
        return {"type": "any"}
    return {"type": "tool", "name": choice}


def _thinking(options: Mapping[str, Any]) -> bool:
    thinking = options.get("thinking")
    return isinstance(thinking, Mapping) and thinking.get("type") != "disabled"  # pyright: ignore


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/messages; `thinking` and `cache_control` options map onto the body.

    A message's own `cache_control` marks that message (its last block); a request-level one
    marks the system prompt. With `thinking` on, `max_tokens` is raised above the thinking
    budget when needed. Tools go in `tools`, results as `tool_result` blocks of a user message.
    Structured output is a forced tool (`OUTPUT_TOOL`, every Claude model has it) whose input
    comes back as text; with `thinking` on, which refuses a forced tool, it is the native
    `output_config.format` instead.
    """
    options: dict[str, Any] = respell(request.provider_options, camel_to_snake)
    system_cache = options.pop("cache_control", None)
    body: dict[str, Any] = {
        "model": endpoint.model,
        "max_tokens": request.max_tokens or DEFAULT_MAX_TOKENS,
        "messages": _messages(request.messages),
    }
    if request.system is not None:
        body["system"] = _content(request.system, system_cache)
    if request.temperature is not None:
        body["temperature"] = request.temperature
    tools = [_tool(t) for t in request.tools]
    if tools and request.tool_choice is not None:
        body["tool_choice"] = _tool_choice(request.tool_choice)
    native = request.output is not None and _thinking(options)
    if request.output is not None and not native:
        if any(t.name == OUTPUT_TOOL for t in request.tools):
            raise ConfigurationError(
                f"Tool name {OUTPUT_TOOL!r} is reserved on anthropic for structured output:"
                " rename the tool"
            )
        tools.append(_output_tool(request.output))
        body["tool_choice"] = _output_choice(request)
    if tools:
        body["tools"] = tools
    body.update(options)
    if native and request.output is not None:
        config: Any = body.get("output_config")
        config = dict(config) if isinstance(config, Mapping) else {}  # pyright: ignore
        config["format"] = {"type": "json_schema", "schema": request.output.schema}
        body["output_config"] = config
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


def _arguments(value: Any) -> str:
    # Anthropic sends a call's input as an object; the contract carries JSON text.
    return json.dumps({} if value is None else value, ensure_ascii=False)


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """Text blocks (thinking left out), tool calls, usage and stop reason.

    A call of `OUTPUT_TOOL` is the structured answer: its input is the text, and no call.
    """
    texts: list[str] = []
    calls: list[ToolCallPart] = []
    output: str | None = None
    try:
        for block in payload["content"]:
            kind = block.get("type")
            if kind == "text":
                texts.append(block.get("text", ""))
            elif kind == "tool_use":
                name = block["name"]
                if not isinstance(name, str):
                    raise TypeError("a tool call's name is a string")
                arguments = _arguments(block.get("input"))
                if name == OUTPUT_TOOL:
                    output = arguments
                else:
                    call_id = str(block.get("id") or "")
                    calls.append(
                        {"type": "tool-call", "id": call_id, "name": name, "arguments": arguments}
                    )
    except (KeyError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    finish = _finish(payload.get("stop_reason"))
    if finish == "tool_calls" and output is not None and not calls:  # only the answer tool
        finish = "stop"
    return ModelResponse(
        text="".join(texts) if output is None else output,
        usage=_usage(payload.get("usage")),
        finish_reason=finish,
        raw=payload,
        tool_calls=calls,
    )


class _OpenCall:
    __slots__ = ("index", "id", "name", "chunks")

    def __init__(self, index: int, id: str, name: str) -> None:
        self.index = index
        self.id = id
        self.name = name
        self.chunks: list[str] = []

    def end(self) -> ToolCallEnd:
        arguments = "".join(self.chunks)
        call: ToolCallPart = {
            "type": "tool-call",
            "id": self.id,
            "name": self.name,
            "arguments": arguments,
        }
        return ToolCallEnd(self.index, call)


# The block index of an answer-tool call: its input is streamed as text.
_OUTPUT: Final = -1


class _Parser:
    def __init__(self, endpoint: Endpoint) -> None:
        self._endpoint = endpoint
        self.sent: Mapping[str, str] | None = None  # set by `_http`: scrubbed from errors
        self._input: Any = None
        self._output: Any = None
        self._finish: FinishReason | None = None
        self._stopped = False
        # Open tool_use blocks by Anthropic block index; an answer-tool block maps to None.
        self._blocks: dict[int, _OpenCall | None] = {}
        self._calls = 0  # calls started so far: the next call's index
        self._answered = False  # the answer tool was called
        self._answer_sent = False

    def feed(self, event: str, data: str) -> list[StreamPart]:
        payload = loads_event(self._endpoint, data)
        kind = payload.get("type", event) if isinstance(payload, Mapping) else event
        if kind == "content_block_delta":  # the hot path: one per text fragment
            delta = payload.get("delta") or {}
            if delta.get("type") == "text_delta":
                return [text_delta(delta["text"])] if delta.get("text") else []
            if delta.get("type") == "input_json_delta":
                return self._json_delta(payload, delta)
            return []
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

    def _start(self, payload: Any) -> list[StreamPart]:
        block = payload.get("content_block")
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
        call = _OpenCall(self._calls, str(block.get("id") or ""), name)  # pyright: ignore
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
        if index not in self._blocks:
            return []  # a text or thinking block
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
        for index in sorted(self._blocks):  # a stream cut inside a call still ends it
            parts.extend(self._stop(index))
        usage = _usage({**(self._input or {}), **(self._output or {})})
        finish = self._finish or "stop"
        if finish == "tool_calls" and self._answered and not self._calls:  # only the answer
            finish = "stop"
        parts.append(StreamFinish(usage=usage, finish_reason=finish))
        return parts


def stream_parser(endpoint: Endpoint) -> _Parser:
    """A parser for one streamed message (`message_start` ... `message_stop`).

    Tool calls stream as `ToolCallStart` (content_block_start), `ToolCallDelta`s
    (input_json_delta) and `ToolCallEnd` (content_block_stop); the answer tool's input streams
    as text.
    """
    return _Parser(endpoint)
