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
    "AudioPart",
    "ContentPart",
    "FilePart",
    "ImagePart",
    "MediaPart",
    "ReasoningDelta",
    "ReasoningEnd",
    "ReasoningPart",
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


class ImagePart(TypedDict):
    """An image in a user message: `image(...)` builds one from a URL, bytes or a path.

    Exactly one source: `url` (http(s), sent by reference where the protocol allows, else
    refused) or `data`, the base64 text of the bytes with their `media_type` (e.g.
    "image/png"). Bytes are encoded once, when the part is built, so every attempt and every
    fallback model sends the same text without encoding it again. `detail` is OpenAI's
    resolution hint; other protocols ignore it.
    """

    type: Literal["image"]
    url: NotRequired[str]
    data: NotRequired[str]
    media_type: NotRequired[str]
    detail: NotRequired[Literal["auto", "low", "high"]]


class FilePart(TypedDict):
    """A document (PDF, plain text, ...) in a user message: `file(...)` builds one.

    Sources as for `ImagePart`; `media_type` is required with `data` and recommended with a
    URL ("application/pdf" is assumed for a URL without one). `filename` is sent where the
    protocol takes one (OpenAI requires it with inline data: "document.pdf" when missing).
    """

    type: Literal["file"]
    url: NotRequired[str]
    data: NotRequired[str]
    media_type: NotRequired[str]
    filename: NotRequired[str]


class AudioPart(TypedDict):
    """Audio in a user message: `audio(...)` builds one (inline data: "audio/wav", "audio/mpeg").

    Sources as for `ImagePart`. OpenAI chat takes inline wav/mp3 only; Gemini takes either.
    """

    type: Literal["audio"]
    url: NotRequired[str]
    data: NotRequired[str]
    media_type: NotRequired[str]


class ReasoningPart(TypedDict):
    """The model's reasoning, in an assistant message the router returns.

    Never part of `.text`. Kept in `result.messages` so a conversation sent back round-trips:
    Anthropic needs a thinking block's `signature` (and a redacted block's opaque `redacted`
    data) unchanged in the next request of a tool loop; Gemini's `thoughtSignature` travels
    as `signature`. OpenAI's Responses API names each reasoning item: its `id` travels as `id`
    and its `encrypted_content` as `signature`, both sent back in the next request's input.
    `provider` is the wire format that produced the part: a transport sends back only its own
    (a signature means nothing to another provider) and leaves others out.
    """

    type: Literal["reasoning"]
    text: str
    signature: NotRequired[str]
    redacted: NotRequired[str]
    provider: NotRequired[str]
    id: NotRequired[str]


MediaPart: TypeAlias = ImagePart | FilePart | AudioPart
"""The input parts the catalogue's modalities gate (see `modelrouter._modality`)."""

ContentPart: TypeAlias = (
    TextPart | ImagePart | FilePart | AudioPart | ReasoningPart | ToolCallPart | ToolResultPart
)
"""Every part a message may hold. A transport must raise `ConfigurationError` for a part it
cannot carry, never drop it silently; the one exception is a `ReasoningPart` of another
provider, which is left out by design (its signature is meaningless elsewhere)."""

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


@dataclass(frozen=True, slots=True)
class ReasoningDelta:
    """A stream part and event: a fragment of the model's reasoning (never of `.text`).

    Commits the stream like text does (the caller has seen it: models are not switched after
    it), and counts as first content for `Timeouts.first_chunk`. Parsers never emit an empty
    one.
    """

    text: str


@dataclass(frozen=True, slots=True)
class ReasoningEnd:
    """A stream part and event: one reasoning block is complete (text joined, signature kept).

    A parser emits one per block, before the `StreamFinish`; the step's assistant message
    keeps `part` so the conversation round-trips.
    """

    part: ReasoningPart
