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
    Generic,
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
from modelrouter._frozen import quick_init
from modelrouter._model_id import ModelId
from modelrouter._parts import (
    AudioPart,
    ContentPart,
    FilePart,
    ImagePart,
    OutputSpec,
    ReasoningDelta,
    ReasoningEnd,
    ReasoningPart,
    TextPart,
    ToolCallDelta,
    ToolCallEnd,
    ToolCallPart,
    ToolCallStart,
    ToolChoice,
    ToolResultPart,
    ToolSpec,
)

if TYPE_CHECKING:
    from typing_extensions import TypeVar

    from modelrouter.routing.balance import Balancer

    OutputT = TypeVar("OutputT", default=str)
    """What `result.output` holds: `str` (the text) unless an `output_type` is given."""
else:
    from typing import TypeVar

    # typing_extensions costs an import; only type checkers need the PEP 696 default.
    OutputT = TypeVar("OutputT")

__all__ = [
    "Attempt",
    "AudioPart",
    "ContentPart",
    "FilePart",
    "ImagePart",
    "ReasoningDelta",
    "ReasoningEnd",
    "ReasoningPart",
    "OutputSpec",
    "OutputT",
    "Step",
    "TextPart",
    "ToolCallDelta",
    "ToolCallEnd",
    "ToolCallPart",
    "ToolCallStart",
    "ToolChoice",
    "ToolResultPart",
    "ToolSpec",
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

Role: TypeAlias = Literal["system", "user", "assistant", "tool"]
"""`tool` messages carry `ToolResultPart`s only; `assistant` ones may carry `ToolCallPart`s."""

WireFormat: TypeAlias = Literal["openai-chat", "anthropic", "gemini", "openai-responses"]
"""The wire protocols modelrouter speaks; every OpenAI-compatible provider uses "openai-chat".
"openai-responses" is OpenAI's Responses API: chosen per model (see `_resolve.api_wire`)."""

ProviderOptions: TypeAlias = Mapping[str, Mapping[str, Any]]
"""Options keyed by provider id: `{"openai": {"reasoning_effort": "high"}}`. An entry for a
provider other than the one answering is ignored, never sent."""

FinishReason: TypeAlias = Literal[
    "stop", "length", "tool_calls", "content_filter", "error", "other"
]


class Message(TypedDict):
    """One turn of a conversation: `{"role": "user", "content": "Hi"}`.

    `content` is a string or a list of parts (text, image, file, audio, reasoning, tool calls,
    tool results).
    """

    role: Role
    content: str | Sequence[ContentPart]
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
    # The OpenAI wire API: "responses" (OpenAI's Responses API) or "chat"; see `_resolve.api_wire`.
    api: NotRequired[Literal["chat", "responses"]]


class RuntimeContext(dict[str, Any]):
    """Values a dynamic model selector reads: `lambda ctx: f"{ctx['provider-id']}/..."`."""


@dataclass(frozen=True, slots=True)
class Usage:
    """Tokens of one model call (or summed over a call's steps); None: not reported.

    One definition for every protocol, so nothing is counted twice:

    - `input_tokens`: every prompt token the model read, cached ones included. The cache
      counts are parts of it: `cache_read_tokens + cache_write_tokens <= input_tokens`.
      (OpenAI's `prompt_tokens` and Gemini's `promptTokenCount` already include cached
      tokens; Anthropic's `input_tokens` excludes them, so its transport adds
      `cache_read_input_tokens` and `cache_creation_input_tokens` in.)
    - `output_tokens`: every generated token, reasoning included; `reasoning_tokens` is the
      part of it spent thinking. (OpenAI's `completion_tokens` includes reasoning; Gemini's
      `candidatesTokenCount` excludes `thoughtsTokenCount`, so its transport adds it.)
    - `cache_read_tokens`: prompt tokens served from the provider's cache (billed at the
      cache-read price); `cache_write_tokens`: prompt tokens written to it (Anthropic's cache
      creation, billed at the cache-write price).
    """

    input_tokens: int | None = None
    output_tokens: int | None = None
    cache_read_tokens: int | None = None
    cache_write_tokens: int | None = None
    reasoning_tokens: int | None = None

    @property
    def total_tokens(self) -> int | None:
        if self.input_tokens is None and self.output_tokens is None:
            return None
        return (self.input_tokens or 0) + (self.output_tokens or 0)

    def __add__(self, other: Usage) -> Usage:
        """Field by field; a count neither side reported stays None."""
        return Usage(
            _plus(self.input_tokens, other.input_tokens),
            _plus(self.output_tokens, other.output_tokens),
            _plus(self.cache_read_tokens, other.cache_read_tokens),
            _plus(self.cache_write_tokens, other.cache_write_tokens),
            _plus(self.reasoning_tokens, other.reasoning_tokens),
        )


def _plus(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else a + b


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
    tools: Sequence[ToolSpec] = ()
    """Tools the model may call; empty: send none."""
    tool_choice: ToolChoice | None = None
    """None: the protocol's default (the model decides when tools are given)."""
    output: OutputSpec | None = None
    """Structured output to ask for in the protocol's native mode; the answer comes as text."""
    timeout: float | None = None
    """Seconds this attempt may take (the engine's budget); a model should honour it."""
    first_chunk: float | None = None
    """A stream's time to its first content, within `timeout`."""
    total: float | None = None
    """What is left of the whole call's time; a stream may not outlast it."""

    def __repr__(self) -> str:
        # Header values may carry keys: show their names only.
        headers = {name: "***" for name in self.headers}
        return (
            f"ModelRequest(messages={self.messages!r}, system={self.system!r},"
            f" provider_options={self.provider_options!r}, headers={headers!r},"
            f" max_tokens={self.max_tokens!r}, temperature={self.temperature!r},"
            f" tools={[t.name for t in self.tools]!r}, tool_choice={self.tool_choice!r},"
            f" output={self.output!r})"
        )


@dataclass(frozen=True, slots=True)
class ModelResponse:
    """One model's complete answer."""

    text: str
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    raw: Mapping[str, Any] = field(default_factory=dict, repr=False, compare=False)
    tool_calls: Sequence[ToolCallPart] = ()
    """The calls the model asked for, in order (after any text)."""
    reasoning: Sequence[ReasoningPart] = ()
    """The model's reasoning blocks (thinking, thought summaries), never part of `text`."""


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


StreamPart: TypeAlias = (
    TextDelta
    | ToolCallStart
    | ToolCallDelta
    | ToolCallEnd
    | ReasoningDelta
    | ReasoningEnd
    | StreamFinish
)
"""What a stream parser yields: text, reasoning and tool-call parts as they arrive, one
`StreamFinish` last."""


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


SelectedModel: TypeAlias = "ModelId | ModelConfig"
"""What a selector returns, or a deployment is: a name basedpyright/pyright print as is.

Printing an unnamed union that holds `ModelId` (`ModelId | ModelConfig`) makes pyright match
each alias inside it against each member, ~5,000 x 5,000 comparisons per message: a typo'd
selector lambda took 250 s. Under a name of its own the union is printed by name.
"""


class ModelSelector(Protocol):
    """A model chosen at run time: `lambda ctx: "openai/gpt-5"`."""

    def __call__(self, context: RuntimeContext, /) -> SelectedModel: ...


SingleModel: TypeAlias = "ModelId | ModelConfig | ModelSelector | LanguageModel"


class FallbackEntry(TypedDict, total=False):
    model: Required[SingleModel]
    max_retries: int
    provider_options: ProviderOptions
    headers: Mapping[str, str]
    enabled: bool
    # Routing (HEALTH, issue 13): more deployments of `model`, their weights and strategy,
    # client-side limits per deployment. See modelrouter.routing.
    deployments: Sequence[SelectedModel]
    weights: Sequence[float]
    balance: Balancer
    rpm: int
    tpm: int


_Spec = TypeVar("_Spec")


class _FallbackPlan(Sequence[FallbackEntry], Generic[_Spec]):
    """A fallback list type no value is given: `ModelSpec` names it to refer to itself."""


ModelSpec: TypeAlias = (
    ModelId
    | ModelConfig
    | ModelSelector
    | LanguageModel
    | Sequence[FallbackEntry]
    | _FallbackPlan["ModelSpec"]
)
"""Everything `Agent(model=...)` accepts.

The last member, `_FallbackPlan["ModelSpec"]`, only makes `ModelSpec` a recursive alias, for
mypy (`SingleModel` is spelled out so that the plugin finds `ModelId` at the top). mypy infers
type arguments for every parameter of a generic call (`Agent[OutputT]`'s constructor) and,
against a union, pairs each item of the argument's type with each item of the parameter's:
`Agent(model=m)` with `m: ModelId` was ~5,000 x 5,000 subtype checks, a config dict's `id`
field the same again (minutes per call). It skips that search for a recursive alias without
type variables, and names such an alias in its messages instead of printing every id.
The member is a fallback list itself, so it goes wherever users narrow `Sequence[FallbackEntry]`
to and iterates as one: the `tuple["ModelSpec", Never]` used before survived every narrowing
(`isinstance(spec, str)`, `dict`, `callable`) in mypy, basedpyright, ty and pyrefly, and
failed the user's `for entry in spec: entry["model"]` (304 mypy errors at 300 ids).
"""


@dataclass(frozen=True, slots=True)
class Attempt:
    """One try of one model, as listed in `GenerateResult.attempts`."""

    model_id: str
    error_type: str | None
    """The error's class name, or None for the attempt that answered."""
    error: BaseException | None = field(default=None, repr=False, compare=False)
    duration_s: float = 0.0


@dataclass(frozen=True, slots=True)
class Step:
    """One model call of an agent loop, and the tools run on its answer.

    Attributes:
        model_id: the model that answered this step (after any fallback).
        text: the step's text.
        tool_calls: the calls the model asked for.
        tool_results: the results sent back for them (none for schema-only tools).
        usage: this step's tokens.
        finish_reason: why the model stopped.
        attempts: every try of this step, the answering one last.
        reasoning: the step's reasoning text (None: the model showed none).
        cost: (a property) USD for this step's tokens at the answering model's catalogue
            prices; None for a model the catalogue does not price, or a token kind it used
            without a price (see `modelrouter.cost_of`). Worked out when read, so a call
            that never asks pays nothing for it.
    """

    model_id: str
    text: str = ""
    tool_calls: tuple[ToolCallPart, ...] = ()
    tool_results: tuple[ToolResultPart, ...] = ()
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    attempts: tuple[Attempt, ...] = ()
    reasoning: str | None = None

    @property
    def cost(self) -> float | None:
        from modelrouter._cost import cost_of

        return cost_of(self.model_id, self.usage) if self.model_id else None


@dataclass(frozen=True, slots=True)
class GenerateResult(Generic[OutputT]):
    """A finished call: the last step's text, the validated output, and every step.

    Attributes:
        text: the final answer's text.
        model_id: the model that gave the final answer (after any fallback).
        usage: tokens summed over every step.
        finish_reason: the final step's.
        attempts: every try of every step, in order.
        output: the answer as `output_type` (validated), or the text when none was given.
        steps: each model call, with its tool calls and their results.
        tool_calls: calls left for the caller to run (schema-only tools), else empty.
        messages: the conversation so far (the prompt's messages, then every assistant and
            tool message): send it back, with tool results appended, to continue.
        reasoning: the final step's reasoning text, never mixed into `text` (None: none).
        cost: (a property) USD summed over every step; None when any step's cost is
            unknown (never a partial sum), or there are no steps.
    """

    text: str
    model_id: str
    usage: Usage = field(default_factory=Usage)
    finish_reason: FinishReason = "stop"
    attempts: tuple[Attempt, ...] = ()
    output: OutputT = cast("OutputT", None)
    steps: tuple[Step, ...] = ()
    tool_calls: tuple[ToolCallPart, ...] = ()
    messages: tuple[Message, ...] = field(default=(), repr=False)
    reasoning: str | None = None

    @property
    def cost(self) -> float | None:
        total = 0.0
        for step in self.steps:
            cost = step.cost
            if cost is None:
                return None
            total += cost
        return total if self.steps else None


# Built at every call or step: their fields are set through slot descriptors (`_frozen`).
for _built in (Usage, ModelRequest, ModelResponse, StreamFinish, Attempt, Step, GenerateResult):
    quick_init(_built)
del _built
