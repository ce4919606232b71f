"""The data that crosses the public API: messages, requests, results, stream parts, configs.

Everything here is plain data (TypedDicts for what users write, frozen dataclasses for what we
return) so it costs nothing to import and type checkers see every key.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import (
    TYPE_CHECKING,
    Any,
    Literal,
    NotRequired,
    Protocol,
    Required,
    TypeAlias,
    TypedDict,
    cast,
    runtime_checkable,
)

# At run time ids are plain strings; type checkers read the catalogue's Literal union from
# _model_id.pyi (a stub, so pyrefly does not merge the two definitions into `Literal | str`).
from modelrouter._model_id import ModelId

__all__ = [
    "Attempt",
    "FallbackEntry",
    "FinishReason",
    "GenerateResult",
    "LanguageModel",
    "Message",
    "ModelConfig",
    "ModelId",
    "ModelRequest",
    "ModelResponse",
    "ModelSpec",
    "ProviderOptions",
    "Role",
    "RuntimeContext",
    "StreamFinish",
    "StreamPart",
    "SystemInstructions",
    "TextDelta",
    "Usage",
    "WireFormat",
    "text_delta",
]

Role: TypeAlias = Literal["system", "user", "assistant"]

WireFormat: TypeAlias = Literal["openai-chat", "anthropic", "gemini"]
"""The wire protocols modelrouter speaks; every OpenAI-compatible provider uses "openai-chat"."""

ProviderOptions: TypeAlias = Mapping[str, Mapping[str, Any]]
"""Options keyed by provider id: `{"openai": {"reasoning_effort": "high"}}`. An entry for a
provider other than the one answering is ignored, never sent."""

FinishReason: TypeAlias = Literal[
    "stop", "length", "tool_calls", "content_filter", "error", "other"
]


class Message(TypedDict):
    role: Role
    content: str
    provider_options: NotRequired[ProviderOptions]


class SystemInstructions(TypedDict):
    role: Literal["system"]
    content: str
    provider_options: NotRequired[ProviderOptions]


class ModelConfig(TypedDict, total=False):
    """A model with its own connection settings.

    `url` skips the catalogue (any OpenAI-compatible endpoint, e.g. a local server); `headers`
    are sent with this model's requests only.
    """

    id: Required[ModelId]
    url: str
    api_key: str
    headers: Mapping[str, str]


class RuntimeContext(dict[str, Any]):
    """Values a dynamic model selector reads: `lambda ctx: f"{ctx['provider-id']}/..."`."""


@dataclass(frozen=True, slots=True)
class Usage:
    input_tokens: int | None = None
    output_tokens: int | None = None

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None and self.output_tokens is None:
            return None
        return (self.input_tokens or 0) + (self.output_tokens or 0)


@dataclass(frozen=True, slots=True)
class ModelRequest:
    """What the router hands a LanguageModel: already merged and resolved."""

    messages: Sequence[Message]
    system: str | None = None
    provider_options: Mapping[str, Any] = field(default_factory=dict)
    """Options for the answering provider only (already picked out and merged)."""
    headers: Mapping[str, str] = field(default_factory=dict)
    max_tokens: int | None = None
    temperature: float | None = None

    def __repr__(self) -> str:
        # Header values may carry keys: show their names only.
        headers = {name: "***" for name in self.headers}
        return (
            f"ModelRequest(messages={self.messages!r}, system={self.system!r},"
            f" provider_options={self.provider_options!r}, headers={headers!r},"
            f" max_tokens={self.max_tokens!r}, temperature={self.temperature!r})"
        )


@dataclass(frozen=True, slots=True)
class ModelResponse:
    """One model's complete answer."""

    text: str
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)


@dataclass(frozen=True, slots=True)
class TextDelta:
    text: str


_new_object = object.__new__
_set_text: Callable[[TextDelta, str], None] = cast(Any, TextDelta.__dict__["text"]).__set__


def text_delta(text: str) -> TextDelta:
    """`TextDelta(text)` at half the cost: parsers make one per event of every stream.

    A frozen dataclass sets its fields through `object.__setattr__`; this writes the slot
    directly. The result is the same immutable, equal, hashable object.
    """
    delta: TextDelta = _new_object(TextDelta)
    _set_text(delta, text)
    return delta


@dataclass(frozen=True, slots=True)
class StreamFinish:
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"


StreamPart: TypeAlias = TextDelta | StreamFinish


@runtime_checkable
class LanguageModel(Protocol):
    """Anything that can answer a request: the analogue of an AI SDK model object.

    Accepted wherever a model id is, fallback lists included. Errors must be raised as
    `modelrouter.ProviderError` subclasses so fallback can classify them.
    """

    @property
    def model_id(self) -> str: ...

    def generate(self, request: ModelRequest) -> ModelResponse: ...

    async def agenerate(self, request: ModelRequest) -> ModelResponse: ...

    def stream(self, request: ModelRequest) -> Iterator[StreamPart]: ...

    def astream(self, request: ModelRequest) -> AsyncIterator[StreamPart]: ...


class ModelSelector(Protocol):
    """A model chosen at run time: `lambda ctx: "openai/gpt-5"`."""

    def __call__(self, context: RuntimeContext, /) -> ModelId | ModelConfig: ...


SingleModel: TypeAlias = "ModelId | ModelConfig | ModelSelector | LanguageModel"


class FallbackEntry(TypedDict, total=False):
    model: Required[SingleModel]
    max_retries: int
    provider_options: ProviderOptions
    headers: Mapping[str, str]
    enabled: bool


ModelSpec: TypeAlias = "SingleModel | Sequence[FallbackEntry]"
"""Everything `Agent(model=...)` accepts."""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one model, as listed in `GenerateResult.attempts`."""

    model_id: str
    error_type: str | None
    """The error's class name, or None for the attempt that answered."""
    error: BaseException | None = field(default=None, repr=False, compare=False)
    duration_s: float = 0.0


@dataclass(frozen=True, slots=True)
class GenerateResult:
    text: str
    model_id: str
    """The model that answered (after any fallback)."""
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    attempts: tuple[Attempt, ...] = ()
