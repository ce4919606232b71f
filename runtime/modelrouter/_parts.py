"""Message parts, tool and output specs, and the stream parts of tool calls.

The provider-neutral vocabulary every wire protocol maps to and from. What users write (message
parts) is TypedDicts, so a conversation is plain data that any provider accepts; what the router
hands a transport (`ToolSpec`, `OutputSpec`) and what a stream parser yields are frozen
dataclasses. Importing this module costs nothing beyond `typing`.

A conversation returned by one step is valid input to any provider: tool-call ids and names are
kept as the model sent them and each transport maps them to its own wire format.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Literal, NotRequired, TypeAlias, TypedDict

__all__ = [
    "ContentPart",
    "OutputSpec",
    "TextPart",
    "ToolCallDelta",
    "ToolCallEnd",
    "ToolCallPart",
    "ToolCallStart",
    "ToolChoice",
    "ToolResultPart",
    "ToolSpec",
    "parts_of",
    "text_of",
]


class TextPart(TypedDict):
    """Text in a message: `{"type": "text", "text": "Hello"}`."""

    type: Literal["text"]
    text: str


class ToolCallPart(TypedDict):
    """A call the model asked for, in an assistant message.

    `arguments` is the JSON text as the model sent it (possibly invalid: the router sends the
    validation error back rather than dropping the call). `id` is the provider's call id,
    kept verbatim; a transport whose protocol has no ids (Gemini) makes one up.
    """

    type: Literal["tool-call"]
    id: str
    name: str
    arguments: str


class ToolResultPart(TypedDict):
    """The answer to one tool call, in a `role: "tool"` message.

    `content` is text (a tool's return value JSON-encoded unless it is a `str`); `is_error`
    marks a tool that raised, an unknown tool or arguments that failed validation, so the model
    can correct itself.
    """

    type: Literal["tool-result"]
    call_id: str
    name: str
    content: str
    is_error: NotRequired[bool]


ContentPart: TypeAlias = TextPart | ToolCallPart | ToolResultPart
"""Every part a message may hold. Image, file and reasoning parts join this union later: a
transport must raise `ConfigurationError` for a part type it does not know, never drop it."""

ToolChoice: TypeAlias = Literal["auto", "none", "required"] | str
"""`"auto"` (the model decides), `"none"`, `"required"` (some tool), or one tool's name."""


def parts_of(content: str | Sequence[ContentPart]) -> Sequence[ContentPart]:
    """A message's content as parts: a plain string is one text part.

    Transports test `isinstance(content, str)` first (the common case, sent as is) and call
    this only for the rest.
    """
    if isinstance(content, str):
        return [{"type": "text", "text": content}]
    return content


def text_of(parts: Sequence[ContentPart]) -> str:
    """The text parts of `parts`, joined."""
    return "".join(p["text"] for p in parts if p["type"] == "text")


@dataclass(frozen=True, slots=True)
class ToolSpec:
    """A tool as a transport sends it: name, description, JSON Schema of its arguments.

    Attributes:
        name: matches `^[a-zA-Z0-9_-]{1,64}$` (checked when the Agent is built).
        description: what the tool does (a function's docstring), may be empty.
        parameters: a JSON Schema of type object; computed once per tool and shared, so a
            transport must not mutate it.
        strict: the schema meets OpenAI's strict-mode rules (every property required, no
            additional properties); a transport may ask for strict decoding when True.
    """

    name: str
    description: str
    parameters: Mapping[str, Any] = field(repr=False)
    strict: bool = False


@dataclass(frozen=True, slots=True)
class OutputSpec:
    """Structured output a transport asks for through its protocol's native mode.

    The schema's root is always an object (a list or union output type is wrapped by the router,
    which unwraps the answer), so every protocol can take it. Whatever mechanism a transport
    uses (OpenAI `response_format` json_schema, Gemini `responseSchema`, an Anthropic forced
    tool), it must deliver the JSON answer as text: `ModelResponse.text` / `TextDelta`s.

    Attributes:
        name: a name for the schema (`^[a-zA-Z0-9_-]{1,64}$`), e.g. the output class's name.
        schema: the JSON Schema (shared: do not mutate).
        strict: the schema meets OpenAI's strict-mode rules.
        description: what the output is, may be empty.
    """

    name: str
    schema: Mapping[str, Any] = field(repr=False)
    strict: bool = False
    description: str = ""


@dataclass(frozen=True, slots=True)
class ToolCallStart:
    """A stream part: the model began tool call number `index` of this answer.

    Commits the stream like text does: after it, a failure is a `MidStreamError`.
    """

    index: int
    id: str
    name: str


@dataclass(frozen=True, slots=True)
class ToolCallDelta:
    """A stream part: a fragment of call `index`'s JSON arguments."""

    index: int
    arguments: str


@dataclass(frozen=True, slots=True)
class ToolCallEnd:
    """A stream part: call `index` is complete; `call` holds its id, name and whole arguments.

    A parser emits one per `ToolCallStart`, before the `StreamFinish`.
    """

    index: int
    call: ToolCallPart
