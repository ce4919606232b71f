"""Anthropic messages: `x-api-key`, `anthropic-version`, a `system` field, `max_tokens` required."""

from __future__ import annotations

import json
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final

import httpx

from modelrouter._defaults import ANTHROPIC_VERSION, DEFAULT_MAX_TOKENS
from modelrouter._errors import ConfigurationError
from modelrouter._options import camel_to_snake, respell
from modelrouter._parts import (
    ContentPart,
    OutputSpec,
    ReasoningPart,
    ToolCallPart,
    ToolChoice,
    ToolSpec,
)
from modelrouter._types import (
    FinishReason,
    Message,
    ModelRequest,
    ModelResponse,
    Usage,
)
from modelrouter.transports.base import (
    Endpoint,
    StreamParser,
    base_headers,
    json_request,
    join_url,
    key_header,
    unexpected_payload,
)
from modelrouter.transports.media import media_source, reasoning_part, unsupported_media
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


def _media_block(part: Any) -> dict[str, Any]:
    """An `image` or `document` block with a base64, text or URL source."""
    source = media_source(_WIRE, part)
    kind = "image" if part["type"] == "image" else "document"
    media_type = source.media_type or ("application/pdf" if kind == "document" else None)
    if source.url is not None:
        wire_source: dict[str, Any] = {"type": "url", "url": source.url}
    elif kind == "document" and media_type == "text/plain":
        import base64  # a plain-text document travels as text, not base64

        text = base64.b64decode(source.data or "").decode("utf-8", "replace")
        wire_source = {"type": "text", "media_type": "text/plain", "data": text}
    else:
        wire_source = {"type": "base64", "media_type": media_type, "data": source.data}
    if kind == "document" and media_type not in ("application/pdf", "text/plain"):
        raise unsupported_media(_WIRE, part, "documents are PDF or plain text only")
    block: dict[str, Any] = {"type": kind, "source": wire_source}
    if kind == "document" and part.get("filename"):
        block["title"] = part["filename"]
    return block


def _thinking_block(part: ReasoningPart) -> dict[str, Any] | None:
    """Anthropic's own thinking back as it came (signature or redacted data kept).

    None (left out) for another provider's reasoning, or a block without a signature (a
    stream cut mid-thought), which the API would refuse.
    """
    if part.get("provider") != _WIRE:
        return None
    if "redacted" in part:
        return {"type": "redacted_thinking", "data": part["redacted"]}
    if "signature" not in part:
        return None
    return {"type": "thinking", "thinking": part["text"], "signature": part["signature"]}


def _blocks(message: Message, parts: Sequence[ContentPart]) -> list[dict[str, Any]]:
    role = message["role"]
    blocks: list[dict[str, Any]] = []
    for part in parts:
        if part["type"] == "text" and role != "tool":
            if part["text"]:  # Anthropic refuses an empty text block
                blocks.append({"type": "text", "text": part["text"]})
        elif part["type"] in ("image", "file") and role == "user":
            blocks.append(_media_block(part))
        elif part["type"] == "reasoning" and role == "assistant":
            block = _thinking_block(part)
            if block is not None:
                blocks.append(block)
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


def _usage(usage: Any) -> Usage:
    """Anthropic's `input_tokens` excludes cache reads and writes: they are added in, so
    `input_tokens` is every prompt token the model read (see `Usage`)."""
    if not isinstance(usage, Mapping):
        return Usage()
    fields: Mapping[str, Any] = usage  # pyright: ignore[reportUnknownVariableType]
    read = _count(fields.get("cache_read_input_tokens"))
    write = _count(fields.get("cache_creation_input_tokens"))
    base = _count(fields.get("input_tokens"))
    known = [n for n in (base, read, write) if n is not None]
    return Usage(
        input_tokens=sum(known) if known else None,
        output_tokens=_count(fields.get("output_tokens")),
        cache_read_tokens=read,
        cache_write_tokens=write,
    )


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _finish(value: Any) -> FinishReason:
    return _FINISH.get(value, "other") if isinstance(value, str) else "other"


def _arguments(value: Any) -> str:
    # Anthropic sends a call's input as an object; the contract carries JSON text.
    return json.dumps({} if value is None else value, ensure_ascii=False)


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """Text blocks, thinking blocks (as reasoning), tool calls, usage and stop reason.

    A call of `OUTPUT_TOOL` is the structured answer: its input is the text, and no call.
    """
    texts: list[str] = []
    calls: list[ToolCallPart] = []
    thoughts: list[ReasoningPart] = []
    output: str | None = None
    try:
        for block in payload["content"]:
            kind = block.get("type")
            if kind == "text":
                texts.append(block.get("text", ""))
            elif kind == "thinking":
                text, signature = block.get("thinking") or "", block.get("signature")
                thoughts.append(reasoning_part(_WIRE, str(text), signature=signature))
            elif kind == "redacted_thinking":
                thoughts.append(reasoning_part(_WIRE, "", redacted=block.get("data")))
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
        reasoning=thoughts,
    )


def stream_parser(endpoint: Endpoint) -> StreamParser:
    """A parser for one streamed message (`message_start` ... `message_stop`).

    Text, thinking (`ReasoningDelta`s, then a `ReasoningEnd` holding the signature) and tool
    calls (`ToolCallStart`, `ToolCallDelta`s, `ToolCallEnd`) stream as they arrive; the answer
    tool's input streams as text. See `anthropic_stream`.
    """
    from modelrouter.transports.anthropic_stream import AnthropicParser

    return AnthropicParser(endpoint)
