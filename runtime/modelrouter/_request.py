"""Pure request assembly shared by the sync and async twins: plan entries and ModelRequests."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, cast

from modelrouter._errors import ConfigurationError, InvalidModelIdError
from modelrouter._modality import check_modalities
from modelrouter._options import deep_merge, merge_provider_options, normalize_keys
from modelrouter._parts import OutputSpec, ToolChoice, ToolSpec, text_of
from modelrouter._resolve import split_id
from modelrouter._validate import check_model_config, check_prompt
from modelrouter.routing.deployments import check_entry, limits_of, pool_of
from modelrouter._types import (
    LanguageModel,
    Message,
    ModelConfig,
    ModelRequest,
    ModelResponse,
    ProviderOptions,
    RuntimeContext,
    StreamPart,
    SystemInstructions,
)

if TYPE_CHECKING:
    from modelrouter._fallback import PlanEntry
    from modelrouter._fallback_plan import AttemptBudget

__all__ = [
    "CallInput",
    "Target",
    "build_plan",
    "build_request",
    "masked_headers",
    "masked_spec",
    "normalize_messages",
]

_MASK = "***"

# Fallback-entry keys that route (several deployments, client-side limits).
_ROUTING_KEYS = frozenset({"deployments", "rpm", "tpm"})

# Keys that mark one message rather than the whole request (Anthropic cache breakpoints).
_MESSAGE_SCOPED = frozenset({"cache_control", "cacheControl"})

Resolved = str | ModelConfig | LanguageModel


@dataclass(frozen=True, slots=True)
class Target:
    """One plan entry as the Agent sees it: a model still to resolve, plus its extras."""

    model: Resolved
    provider_options: ProviderOptions = field(default_factory=dict[str, Mapping[str, Any]])
    headers: Mapping[str, str] = field(default_factory=dict[str, str])

    def __repr__(self) -> str:
        return (
            f"Target(model={masked_spec(self.model)!r}, provider_options={self.provider_options!r},"
            f" headers={masked_headers(self.headers)!r})"
        )


def masked_headers(headers: Mapping[str, str]) -> dict[str, str]:
    """`headers` safe to print: names kept, every value masked (any of them may be a key)."""
    return {name: _MASK for name in headers}


def masked_spec(spec: Any) -> Any:
    """A `model=` spec safe to print: API keys and header values masked, at any depth."""
    if isinstance(spec, Mapping):
        shown = dict(cast(Mapping[str, Any], spec))
        if "api_key" in shown:
            shown["api_key"] = _MASK
        headers = shown.get("headers")
        if isinstance(headers, Mapping):
            shown["headers"] = masked_headers(cast(Mapping[str, str], headers))
        if "model" in shown:  # a fallback entry wraps a model spec of its own
            shown["model"] = masked_spec(shown["model"])
        if "deployments" in shown:
            shown["deployments"] = masked_spec(shown["deployments"])
        return shown
    if isinstance(spec, (list, tuple)):
        return [masked_spec(entry) for entry in cast(Sequence[Any], spec)]
    return spec


@dataclass(slots=True)  # not frozen: built at every call, and frozen fields cost 4x to set
class CallInput:
    """Everything one `generate`/`stream` call adds to the Agent's own settings."""

    messages: Sequence[Message]
    system: str | None
    system_options: ProviderOptions | None
    agent_options: ProviderOptions | None
    call_options: ProviderOptions | None
    headers: Mapping[str, str]
    max_tokens: int | None
    temperature: float | None
    tools: Sequence[ToolSpec] = ()
    tool_choice: ToolChoice | None = None
    output: OutputSpec | None = None
    # (target, model, options): the provider options `build_request` merged for the last
    # model it built for, reused by the next steps of a tool loop on that model.
    merged: tuple[object, object, dict[str, Any]] | None = field(
        default=None, init=False, repr=False, compare=False
    )


def normalize_messages(
    prompt: str | Sequence[Message], instructions: str | SystemInstructions | None
) -> tuple[list[Message], str | None, ProviderOptions | None]:
    """`(messages, system text, system options)`; system messages join the instructions."""
    check_prompt(prompt)  # _validate: ConfigurationError naming the message and key
    if isinstance(prompt, str):
        messages: list[Message] = [{"role": "user", "content": prompt}]
    else:
        messages = list(prompt)
    system_parts: list[str] = []
    options: ProviderOptions | None = None
    if isinstance(instructions, str):
        system_parts.append(instructions)
    elif instructions is not None:
        system_parts.append(instructions["content"])
        options = instructions.get("provider_options")
    for message in messages:
        if message["role"] == "system":
            content = message["content"]
            system_parts.append(content if isinstance(content, str) else text_of(content))
    chat = [m for m in messages if m["role"] != "system"]
    if not chat:
        raise ConfigurationError("Nothing to send: give a prompt string or a user message")
    system = "\n\n".join(p for p in system_parts if p) or None
    return chat, system, options


def _label(model: Resolved) -> str:
    if isinstance(model, str):
        split_id(model, frozenset())  # syntax only: providers resolve lazily, per attempt
        return model
    if isinstance(model, dict):
        config = cast(Mapping[str, Any], model)
        if "id" not in config:
            raise InvalidModelIdError("A model config dict needs an 'id' key")
        return str(config["id"])
    return model.model_id


class _Unselected:
    """A selector that failed: a model that raises the selector's error when tried."""

    model_id = "<model selector>"

    def __init__(self, error: ConfigurationError) -> None:
        self.error = error

    def generate(self, request: ModelRequest) -> ModelResponse:
        raise self.error

    async def agenerate(self, request: ModelRequest) -> ModelResponse:
        raise self.error

    def stream(self, request: ModelRequest) -> Iterator[StreamPart]:
        raise self.error

    def astream(self, request: ModelRequest) -> AsyncIterator[StreamPart]:
        raise self.error


def _is_model(model: Any) -> bool:
    # A LanguageModel may itself be callable; it is a model, not a selector.
    return isinstance(model, (str, dict)) or isinstance(model, LanguageModel)


def _select(model: Any, context: RuntimeContext, agent: str) -> Resolved:
    if _is_model(model):
        return cast(Resolved, model)
    if callable(model):
        try:
            chosen = model(context)
        except Exception as exc:
            # The user's own code failed (often a missing context key): a configuration error
            # of this agent, which the engine moves past like any other for this entry.
            raise ConfigurationError(
                f"The model selector of agent {agent!r} raised {type(exc).__name__}: {exc}"
            ) from exc
        if not _is_model(chosen):
            raise InvalidModelIdError(
                f"The model selector of agent {agent!r} returned {type(chosen).__name__},"
                " not a model id, config dict or LanguageModel"
            )
        check_model_config("model selector result", chosen)
        return cast(Resolved, chosen)
    raise InvalidModelIdError(f"Not a model: {type(model).__name__}")


def build_plan(
    spec: Any, context: RuntimeContext, default_retries: int, agent: str = ""
) -> list[PlanEntry[Target]]:
    """Every form `model=` accepts, as the fallback engine's plan (a single model: one entry).

    Raises:
        ConfigurationError: a selector raised, or returned something that is not a model.
    """
    from modelrouter._fallback import PlanEntry

    entries: list[Mapping[str, Any]]
    if isinstance(spec, (list, tuple)):
        entries = [e for e in cast(Sequence[Mapping[str, Any]], spec) if e.get("enabled", True)]
    else:
        entries = [{"model": spec}]
    plan: list[PlanEntry[Target]] = []
    for entry in entries:
        try:
            model = _select(entry["model"], context, agent)
        except ConfigurationError as exc:
            model = _Unselected(exc)  # fails when tried, so the next entry still answers
        retries = entry.get("max_retries", default_retries)
        options, headers = entry.get("provider_options") or {}, entry.get("headers") or {}
        if len(entry) == 1 or not _ROUTING_KEYS.intersection(entry):
            plan.append(PlanEntry(Target(model, options, headers), _label(model), retries))
            continue
        # Several deployments of one model (routing/deployments.py), or client-side limits.
        rpm, tpm = limits_of(entry)
        specs, pool = pool_of(entry, model)
        for member, spec in enumerate(specs):
            target = Target(spec, options, headers)
            plan.append(PlanEntry(target, _label(spec), retries, rpm, tpm, pool, member))
    return plan


def check_spec(spec: Any) -> None:
    """Construction-time checks that need no network: a non-empty list, well-formed ids."""
    if isinstance(spec, (list, tuple)):
        entries = cast(Sequence[Any], spec)
        if not entries:
            raise ConfigurationError("model=[] is empty: give at least one fallback entry")
        for entry in entries:
            if not isinstance(entry, Mapping) or "model" not in entry:
                raise InvalidModelIdError(
                    f"A fallback entry is a dict with 'model': {masked_spec(entry)!r}"
                )
            _check_model(cast(Mapping[str, Any], entry)["model"])
            check_entry(cast(Mapping[str, Any], entry))
            for deployment in cast(Mapping[str, Any], entry).get("deployments") or ():
                _check_model(deployment)
        if not any(cast(Mapping[str, Any], e).get("enabled", True) for e in entries):
            raise ConfigurationError("Every fallback entry has enabled=False")
    else:
        _check_model(spec)


def _check_model(model: Any) -> None:
    if isinstance(model, str):
        split_id(model, frozenset())
    elif isinstance(model, dict):
        if not isinstance(cast(Mapping[str, Any], model).get("id"), str):
            raise InvalidModelIdError(
                f"A model config dict needs an 'id' string: {masked_spec(model)!r}"
            )
    elif not (isinstance(model, LanguageModel) or callable(model)):
        raise InvalidModelIdError(
            f"Not a model: {type(model).__name__} (give a 'provider/model' id, a config dict"
            " with 'id', a selector callable or a LanguageModel)"
        )


def provider_of(model: LanguageModel) -> str:
    """The provider id whose options apply to `model`."""
    route = getattr(model, "route", None)
    provider = getattr(route, "provider", None)
    if isinstance(provider, str):
        return provider
    return model.model_id.partition("/")[0]


def build_request(
    model: LanguageModel, call: CallInput, target: Target, budget: AttemptBudget
) -> ModelRequest:
    """Merge options agent < entry < instructions < call < message for the answering provider.

    The attempt's time limits (`budget`) travel in the request, so every model, the user's
    own included, is called the same way. The options are merged once per model in a call
    (options changed on the Agent during a call apply from its next call): the messages a
    tool loop adds (assistant answers, tool results, re-asks) carry no options and no media,
    so later steps on the same model reuse the merge. Each request gets its own dicts.
    """
    merged = call.merged
    if merged is None or merged[0] is not target or merged[1] is not model:
        merged = call.merged = (target, model, _merge(model, call, target))
    return ModelRequest(
        messages=call.messages,
        system=call.system,
        provider_options=dict(merged[2]),
        headers={**call.headers, **target.headers},
        max_tokens=call.max_tokens,
        temperature=call.temperature,
        tools=call.tools,
        tool_choice=call.tool_choice,
        output=call.output,
        timeout=budget.timeout,
        first_chunk=budget.first_chunk,
        total=budget.total,
    )


def _merge(model: LanguageModel, call: CallInput, target: Target) -> dict[str, Any]:
    check_modalities(model, call.messages)  # _modality: the catalogue decides, nothing is sent
    provider = provider_of(model)
    options = merge_provider_options(
        (call.agent_options, target.provider_options, call.system_options, call.call_options),
        provider,
    )
    for message in call.messages:
        mine = message.get("provider_options")  # checked at the boundary: a mapping when set
        own = None if mine is None else mine.get(provider)
        if own:
            scoped = {k: v for k, v in own.items() if k not in _MESSAGE_SCOPED}
            options = deep_merge(options, normalize_keys(scoped))
    return options
