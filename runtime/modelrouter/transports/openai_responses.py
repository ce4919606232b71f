"""OpenAI's Responses API (`POST /responses`): the fourth wire format.

The only way to reach OpenAI's Responses-only models (the `-pro` and `codex` families), and an
opt-in for any other (see `api_for` in `_resolve`). Requests map our messages to `input` items
(`message`, `function_call`, `function_call_output`), the system prompt to `instructions`,
tools to flat `function` tools and structured output to `text.format` (json_schema). The
streamed form is parsed by `openai_responses_stream`.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import TYPE_CHECKING, Any, Final

import httpx

from modelrouter._options import camel_to_snake, respell
from modelrouter._parts import OutputSpec, ReasoningPart, ToolCallPart, ToolChoice, ToolSpec
from modelrouter._types import FinishReason, ModelRequest, ModelResponse, Usage
from modelrouter.transports.base import (
    Endpoint,
    base_headers,
    json_request,
    join_url,
    key_header,
    unexpected_payload,
)
from modelrouter.transports.media import reasoning_part
from modelrouter.transports.openai_responses_input import (
    WIRE,
    append_items,
    without_unresolvable_reasoning,
)

if TYPE_CHECKING:
    from modelrouter.transports.openai_responses_stream import ResponsesParser

__all__ = [
    "build_request",
    "call_of",
    "finish_of",
    "parse_response",
    "stream_parser",
    "summary_of",
    "usage_of",
]


_INCOMPLETE: Final[dict[str, FinishReason]] = {
    "max_output_tokens": "length",
    "content_filter": "content_filter",
}


def _tool(tool: ToolSpec) -> dict[str, Any]:
    # Flat, unlike chat's {"type": "function", "function": {...}}; `strict` is required here
    # and defaults to true server-side, which a non-strict schema would fail.
    wire: dict[str, Any] = {
        "type": "function",
        "name": tool.name,
        "parameters": tool.parameters,
        "strict": tool.strict,
    }
    if tool.description:
        wire["description"] = tool.description
    return wire


def _tool_choice(choice: ToolChoice) -> str | dict[str, Any]:
    if choice in ("auto", "none", "required"):
        return choice
    return {"type": "function", "name": choice}


def _format(output: OutputSpec) -> dict[str, Any]:
    fmt: dict[str, Any] = {"type": "json_schema", "name": output.name, "schema": output.schema}
    if output.description:
        fmt["description"] = output.description
    fmt["strict"] = output.strict
    return fmt


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/responses; the answering provider's options are merged into the body last.

    `reasoning` (e.g. `{"effort": "high", "summary": "auto"}`), `store`, `include` and the
    like go through provider options unchanged.
    """
    items: list[dict[str, Any]] = []
    for message in request.messages:
        append_items(items, message)
    body: dict[str, Any] = {"model": endpoint.model, "input": items}
    if request.system is not None:
        body["instructions"] = request.system
    if request.tools:
        body["tools"] = [_tool(t) for t in request.tools]
    if request.tool_choice is not None:
        body["tool_choice"] = _tool_choice(request.tool_choice)
    if request.output is not None:
        body["text"] = {"format": _format(request.output)}
    if request.max_tokens is not None:
        body["max_output_tokens"] = request.max_tokens
    if request.temperature is not None:
        body["temperature"] = request.temperature
    if request.provider_options:
        body.update(respell(request.provider_options, camel_to_snake))
        if body.get("store") is False:  # nothing stored: an item id alone resolves to nothing
            body["input"] = without_unresolvable_reasoning(items)
    if stream:
        body["stream"] = True
    headers = base_headers(endpoint, request, key_header(endpoint, "authorization", bearer=True))
    return json_request(join_url(endpoint.base_url, "/responses"), headers, body)


def _int(value: Any) -> int | None:
    return value if type(value) is int else None


def _detail(usage: Mapping[str, Any], key: str, field: str) -> int | None:
    details = usage.get(key)
    return _int(details.get(field)) if isinstance(details, Mapping) else None  # pyright: ignore


def usage_of(response: Any) -> Usage:
    """`usage` of a response object, in `Usage`'s terms without conversion: OpenAI's
    `input_tokens` includes `input_tokens_details.cached_tokens` (our cache reads) and
    `output_tokens` includes `output_tokens_details.reasoning_tokens`. No cache writes.
    """
    usage = response.get("usage") if isinstance(response, Mapping) else None
    if not isinstance(usage, Mapping):
        return Usage()
    found: Mapping[str, Any] = usage  # pyright: ignore[reportUnknownVariableType]
    return Usage(
        input_tokens=_int(found.get("input_tokens")),
        output_tokens=_int(found.get("output_tokens")),
        cache_read_tokens=_detail(found, "input_tokens_details", "cached_tokens"),
        reasoning_tokens=_detail(found, "output_tokens_details", "reasoning_tokens"),
    )


def finish_of(response: Mapping[str, Any], called: bool) -> FinishReason:
    """Why the model stopped: tool calls first, then `incomplete_details.reason`."""
    if called:
        return "tool_calls"
    status = response.get("status")
    if status == "incomplete":
        details = response.get("incomplete_details")
        reason = details.get("reason") if isinstance(details, Mapping) else None
        return _INCOMPLETE.get(reason, "other") if isinstance(reason, str) else "other"
    return "stop" if status in ("completed", None) else "other"


def _message_text(item: Mapping[str, Any]) -> str:
    texts: list[str] = []
    for part in item.get("content") or ():
        kind = part.get("type")
        if kind == "output_text":
            texts.append(part["text"])
        elif kind == "refusal":  # the model declined: its words are the answer's text
            texts.append(part["refusal"])
    return "".join(texts)


def call_of(item: Mapping[str, Any]) -> ToolCallPart:
    """A `function_call` output item as our call; `call_id` is what results refer to."""
    name, arguments = item["name"], item.get("arguments") or ""
    if not isinstance(name, str) or not isinstance(arguments, str):
        raise TypeError("a function call's name and arguments are strings")
    return {
        "type": "tool-call",
        "id": str(item.get("call_id") or item.get("id") or ""),
        "name": name,
        "arguments": arguments,
    }


def summary_of(item: Mapping[str, Any], streamed: str = "") -> ReasoningPart | None:
    """A `reasoning` item as a reasoning part: its summary (else the text `streamed` for it),
    its `id` and its `encrypted_content` (as `signature`), which the next request of a tool
    loop sends back (`openai_responses_input`). None: no text and no id, nothing to keep.

    Only the summary is readable (ask for it with `reasoning: {"summary": "auto"}`); the
    reasoning itself stays with OpenAI, encrypted.
    """
    texts = [s["text"] for s in item.get("summary") or () if s.get("type") == "summary_text"]
    text = "\n\n".join(texts) or streamed
    item_id, encrypted = item.get("id"), item.get("encrypted_content")
    item_id = item_id if isinstance(item_id, str) else None
    encrypted = encrypted if isinstance(encrypted, str) else None
    if not text and item_id is None:
        return None
    return reasoning_part(WIRE, text, signature=encrypted, item_id=item_id)


def parse_output(output: Sequence[Any]) -> tuple[str, list[ToolCallPart], list[ReasoningPart]]:
    """Text, calls and reasoning summaries of a response's `output` items (others skipped)."""
    texts: list[str] = []
    calls: list[ToolCallPart] = []
    reasoning: list[ReasoningPart] = []
    for item in output:
        kind = item["type"]
        if kind == "message":
            texts.append(_message_text(item))
        elif kind == "function_call":
            calls.append(call_of(item))
        elif kind == "reasoning":
            summary = summary_of(item)
            if summary is not None:
                reasoning.append(summary)
    return "".join(texts), calls, reasoning


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """The output's text and function calls, usage and finish reason.

    A `failed` response (a 200 whose `error` says why) is an unexpected body, so fallback
    moves on as for any other provider failure.
    """
    try:
        if payload.get("status") == "failed" or payload.get("error"):
            raise ValueError("failed response")
        text, calls, reasoning = parse_output(payload["output"])
    except (KeyError, IndexError, TypeError, AttributeError, ValueError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    return ModelResponse(
        text=text,
        usage=usage_of(payload),
        finish_reason=finish_of(payload, bool(calls)),
        raw=payload,
        tool_calls=calls,
        reasoning=reasoning,
    )


def stream_parser(endpoint: Endpoint) -> ResponsesParser:
    """A parser for one streamed response (typed `response.*` events, ending in a terminal one)."""
    # Imported here: the parser module uses this one's helpers.
    from modelrouter.transports.openai_responses_stream import ResponsesParser

    return ResponsesParser(endpoint)
