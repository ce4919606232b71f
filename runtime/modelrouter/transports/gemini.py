"""Google Gemini `generateContent` / `streamGenerateContent?alt=sse` with `x-goog-api-key`."""

from __future__ import annotations

import json
import os
import re
from collections.abc import Mapping, Sequence
from typing import Any, Final, NamedTuple
from urllib.parse import quote

import httpx

from modelrouter._errors import ConfigurationError
from modelrouter._options import respell, snake_to_camel
from modelrouter._parts import (
    OutputSpec,
    ToolCallPart,
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

__all__ = ["OUTPUT_TOOL", "build_request", "new_call_id", "parse_response", "stream_parser"]

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

_ROLES: Final = {"user": "user", "assistant": "model", "tool": "user"}
_WIRE: Final = "gemini"

OUTPUT_TOOL: Final = "structured_output"
"""The function that carries a structured answer beside other tools (see `build_request`)."""

_MODES: Final = {"auto": "AUTO", "none": "NONE", "required": "ANY"}
# Gemini's rule for function names: a letter or underscore first, then [a-zA-Z0-9_.:-].
_NAME_OK: Final = re.compile(r"[a-zA-Z_][a-zA-Z0-9_.:-]{0,63}").fullmatch


def _parts(message: Message) -> list[dict[str, Any]]:
    content = message["content"]
    role = message["role"]
    if isinstance(content, str):  # the common case, sent as it is
        if role == "tool":  # a result needs the name of its call
            raise unsupported_part(_WIRE, message, {"type": "text", "text": content})
        return [{"text": content}]
    parts: list[dict[str, Any]] = []
    signature: str | None = None  # a call's thought signature, for the first call after it
    for part in content:
        if part["type"] == "text" and role != "tool":
            if part["text"]:
                parts.append({"text": part["text"]})
        elif part["type"] in ("image", "file", "audio") and role == "user":
            parts.append(_media(part))
        elif part["type"] == "reasoning" and role == "assistant":
            if part.get("provider") != _WIRE:
                continue  # another provider's reasoning means nothing here
            if part["text"]:
                thought: dict[str, Any] = {"text": part["text"], "thought": True}
                if "signature" in part:
                    thought["thoughtSignature"] = part["signature"]
                parts.append(thought)
            elif "signature" in part:
                signature = part["signature"]
        elif part["type"] == "tool-call" and role == "assistant":
            # No id: Gemini pairs results with calls by name and order.
            call = {"name": part["name"], "args": arguments_object(part)}
            wire: dict[str, Any] = {"functionCall": call}
            if signature is not None:  # Gemini checks it on the step's first call
                wire["thoughtSignature"] = signature
                signature = None
            parts.append(wire)
        elif part["type"] == "tool-result" and role == "tool":
            # Gemini's convention: the output under "output", a failure under "error".
            key = "error" if part.get("is_error") else "output"
            result = {"name": part["name"], "response": {key: part["content"]}}
            parts.append({"functionResponse": result})
        else:
            raise unsupported_part(_WIRE, message, part)
    return parts or [{"text": ""}]


def _media(part: Any) -> dict[str, Any]:
    """`inlineData` for bytes, `fileData` for a URL (Gemini needs the type of either)."""
    source = media_source(_WIRE, part)
    media_type = source.media_type
    if media_type is None and part["type"] == "file":
        media_type = "application/pdf"
    if media_type is None:
        raise unsupported_media(_WIRE, part, "give its media_type (e.g. 'image/png')")
    if source.url is not None:
        return {"fileData": {"mimeType": media_type, "fileUri": source.url}}
    return {"inlineData": {"mimeType": media_type, "data": source.data}}


def _contents(messages: Sequence[Message]) -> list[dict[str, Any]]:
    """Wire contents; each run of `tool` messages becomes one user content of responses."""
    contents: list[dict[str, Any]] = []
    previous_tool = False
    for message in messages:
        parts = _parts(message)
        is_tool = message["role"] == "tool"
        if is_tool and previous_tool:
            contents[-1]["parts"].extend(parts)
        else:
            contents.append({"role": _ROLES.get(message["role"], "user"), "parts": parts})
        previous_tool = is_tool
    return contents


def _declaration(name: str, description: str, schema: Mapping[str, Any]) -> dict[str, Any]:
    if not _NAME_OK(name):
        raise ConfigurationError(
            f"Tool name {name!r} is not valid on gemini: it must start with a letter or an"
            " underscore"
        )
    declaration: dict[str, Any] = {"name": name, "parametersJsonSchema": schema}
    if description:
        declaration["description"] = description
    return declaration


def _output_declaration(output: OutputSpec) -> dict[str, Any]:
    about = f" {output.description}" if output.description else ""
    description = f"Give your final answer ({output.name}) as this function's arguments.{about}"
    return _declaration(OUTPUT_TOOL, description, output.schema)


def _calling_config(request: ModelRequest) -> dict[str, Any] | None:
    choice = request.tool_choice
    if request.output is not None:
        # The answer is a call of OUTPUT_TOOL: some call is always required.
        if choice == "none":
            return {"mode": "ANY", "allowedFunctionNames": [OUTPUT_TOOL]}
        if choice is None or choice in _MODES:
            return {"mode": "ANY"}
        return {"mode": "ANY", "allowedFunctionNames": [choice]}
    if choice is None:
        return None
    mode = _MODES.get(choice)
    return {"mode": mode} if mode else {"mode": "ANY", "allowedFunctionNames": [choice]}


def _tools(request: ModelRequest) -> list[dict[str, Any]]:
    declarations = [_declaration(t.name, t.description, t.parameters) for t in request.tools]
    if request.output is not None:
        if any(t.name == OUTPUT_TOOL for t in request.tools):
            raise ConfigurationError(
                f"Tool name {OUTPUT_TOOL!r} is reserved on gemini for structured output:"
                " rename the tool"
            )
        declarations.append(_output_declaration(request.output))
    return [{"functionDeclarations": declarations}]


def build_request(endpoint: Endpoint, request: ModelRequest, *, stream: bool) -> httpx.Request:
    """POST {base}/models/{m}:generateContent (or the SSE stream); options go camelCase.

    Tools are `functionDeclarations` whose JSON Schema goes as is in `parametersJsonSchema`
    (no conversion to Gemini's OpenAPI subset); a `tools` option (e.g. Google Search) is sent
    beside them. Structured output is `responseMimeType` + `responseJsonSchema`; beside tools,
    which Gemini 2.x refuses with JSON mode, it is a required call of `OUTPUT_TOOL` whose
    arguments come back as text.
    """
    body: dict[str, Any] = {"contents": _contents(request.messages)}
    if request.system is not None:
        body["systemInstruction"] = {"parts": [{"text": request.system}]}
    config: dict[str, Any] = {}
    if request.max_tokens is not None:
        config["maxOutputTokens"] = request.max_tokens
    if request.temperature is not None:
        config["temperature"] = request.temperature
    if request.tools:
        body["tools"] = _tools(request)
        calling = _calling_config(request)
        if calling is not None:
            body["toolConfig"] = {"functionCallingConfig": calling}
    elif request.output is not None:
        config["responseMimeType"] = "application/json"
        config["responseJsonSchema"] = request.output.schema
    options: dict[str, Any] = respell(request.provider_options, snake_to_camel)
    config.update(options.pop("generationConfig", {}))
    extra: Any = options.pop("tools", None)
    if isinstance(extra, list) and "tools" in body:  # built-in tools join the functions
        body["tools"] = [*body["tools"], *extra]  # pyright: ignore[reportUnknownArgumentType]
    elif extra is not None:
        body["tools"] = extra
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


def _count(value: Any) -> int | None:
    return value if isinstance(value, int) and not isinstance(value, bool) else None


def _usage(payload: Any) -> Usage | None:
    """`promptTokenCount` includes cached tokens; tool-use prompt tokens are added to it.
    `candidatesTokenCount` excludes thinking, which is added to the output (billed as such)."""
    meta = payload.get("usageMetadata") if isinstance(payload, Mapping) else None
    if not isinstance(meta, Mapping):
        return None
    fields: Mapping[str, Any] = meta  # pyright: ignore[reportUnknownVariableType]
    prompt = _count(fields.get("promptTokenCount"))
    tool_prompt = _count(fields.get("toolUsePromptTokenCount"))
    answer = _count(fields.get("candidatesTokenCount"))
    thoughts = _count(fields.get("thoughtsTokenCount"))
    inputs = None if prompt is None and tool_prompt is None else (prompt or 0) + (tool_prompt or 0)
    output = None if answer is None and thoughts is None else (answer or 0) + (thoughts or 0)
    return Usage(
        input_tokens=inputs,
        output_tokens=output,
        cache_read_tokens=_count(fields.get("cachedContentTokenCount")),
        reasoning_tokens=thoughts,
    )


def new_call_id() -> str:
    """An id for a call Gemini sent without one: unique, so results pair on any protocol."""
    return "call_" + os.urandom(12).hex()


def _call(part: Any) -> tuple[str, str, str] | None:
    """(id, name, JSON arguments) of a `functionCall` part, or None for any other part."""
    call = part.get("functionCall")
    if call is None:
        return None
    name, args = call["name"], call.get("args")
    if not isinstance(name, str):
        raise TypeError("a function call's name is a string")
    arguments = json.dumps({} if args is None else args, ensure_ascii=False)
    return str(call.get("id") or new_call_id()), name, arguments


class _Candidate(NamedTuple):
    text: str
    calls: list[tuple[str, str, str]]
    reason: str | None
    thoughts: list[str]
    signatures: list[str]
    """Thought signatures of text and call parts, in order (a thought's own stays with it)."""
    thought_signature: str | None


def _candidate(payload: Any) -> _Candidate:
    """The first candidate's text, function calls, finish reason and thought parts."""
    candidate = (payload.get("candidates") or [{}])[0]
    parts = (candidate.get("content") or {}).get("parts") or []
    texts: list[str] = []
    calls: list[tuple[str, str, str]] = []
    thoughts: list[str] = []
    signatures: list[str] = []
    thought_signature: str | None = None
    for part in parts:
        signature = part.get("thoughtSignature")
        if part.get("thought"):
            if part.get("text"):
                thoughts.append(part["text"])
            if isinstance(signature, str) and signature:
                thought_signature = signature
            continue
        if isinstance(signature, str) and signature:
            signatures.append(signature)
        call = _call(part)
        if call is not None:
            calls.append(call)
        else:
            texts.append(part.get("text", ""))
    return _Candidate(
        "".join(texts),
        calls,
        candidate.get("finishReason"),
        thoughts,
        signatures,
        thought_signature,
    )


def _reasoning(thoughts: str, thought_signature: str | None, signatures: list[str]) -> list[Any]:
    """Reasoning parts: the thought text (with its signature), then the first call or text
    part's signature alone, which `_parts` puts back on the next request's first call."""
    parts = [reasoning_part(_WIRE, thoughts, thought_signature)] if thoughts else []
    if thought_signature and not thoughts:
        signatures = [thought_signature, *signatures]
    if signatures:
        parts.append(reasoning_part(_WIRE, "", signatures[0]))
    return parts


def _finish(value: str | None, called: bool) -> FinishReason:
    finish = _FINISH.get(value, "other") if value else "other"
    # Gemini says STOP after function calls too.
    return "tool_calls" if called and finish == "stop" else finish


def parse_response(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ModelResponse:
    """The first candidate's text (thought parts left out), calls, usage and finish reason.

    A call of `OUTPUT_TOOL` is the structured answer: its arguments are the text, and no call.
    """
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
        found_candidate = _candidate(payload)
    except (KeyError, IndexError, TypeError, AttributeError) as exc:
        raise unexpected_payload(endpoint, payload, sent) from exc
    text, found, reason = found_candidate.text, found_candidate.calls, found_candidate.reason
    calls: list[ToolCallPart] = []
    for call_id, name, arguments in found:
        if name == OUTPUT_TOOL:
            text = arguments
        else:
            calls.append({"type": "tool-call", "id": call_id, "name": name, "arguments": arguments})
    return ModelResponse(
        text=text,
        usage=_usage(payload) or Usage(),
        finish_reason=_finish(reason, bool(calls)),
        raw=payload,
        tool_calls=calls,
        reasoning=_reasoning(
            "".join(found_candidate.thoughts),
            found_candidate.thought_signature,
            found_candidate.signatures,
        ),
    )


def stream_parser(endpoint: Endpoint) -> StreamParser:
    """A parser for `streamGenerateContent?alt=sse` (each event a partial response).

    Thought parts stream as `ReasoningDelta`s, their `ReasoningEnd`s come before the finish;
    see `gemini_stream`.
    """
    from modelrouter.transports.gemini_stream import GeminiParser

    return GeminiParser(endpoint)
