"""Helpers every transport uses to map message parts, tool calls and results to its wire format."""

from __future__ import annotations

import json
from collections.abc import Sequence
from typing import Any

from modelrouter._errors import ConfigurationError
from modelrouter._parts import ContentPart, ToolCallPart, parts_of, text_of
from modelrouter._types import Message

__all__ = [
    "arguments_object",
    "parts_of",
    "require_text_only",
    "text_content",
    "text_of",
    "unsupported_part",
]


def arguments_object(call: ToolCallPart) -> dict[str, Any]:
    """A call's arguments as a JSON object, for protocols that send objects, not text.

    Arguments that are not a JSON object (the model sent broken JSON, which the router answered
    with an error result) become `{"_raw": text}`, so the conversation still round-trips.
    """
    try:
        value = json.loads(call["arguments"]) if call["arguments"].strip() else {}
    except ValueError:
        return {"_raw": call["arguments"]}
    return value if isinstance(value, dict) else {"_raw": call["arguments"]}


def unsupported_part(wire: str, message: Message, part: ContentPart | Any) -> ConfigurationError:
    """The error for a part a protocol cannot carry in a message of this role (never dropped)."""
    kind = part.get("type") if isinstance(part, dict) else type(part).__name__
    return ConfigurationError(
        f"A {message['role']!r} message cannot carry a {kind!r} part on {wire}:"
        " text goes in user/assistant messages, tool calls in assistant messages,"
        " tool results in 'tool' messages"
    )


def text_content(wire: str, message: Message) -> str:
    """A message's content for a protocol (or a stage) that carries text only."""
    content = message["content"]
    if isinstance(content, str):
        return content
    for part in content:
        if part["type"] != "text":
            raise unsupported_part(wire, message, part)
    return text_of(content)


def require_text_only(wire: str, tools: Sequence[Any], output: Any) -> None:
    """Refuse tools and structured output on a transport that does not map them yet."""
    if tools or output is not None:
        raise ConfigurationError(f"Tools and structured output are not supported on {wire} yet")
