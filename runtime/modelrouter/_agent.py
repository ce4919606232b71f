"""`Agent`: one API over every provider, sync and async, streamed and not.

Every call runs through the fallback engine (`_fallback`), a single model being a one-entry
plan, so retry and fallback behave the same everywhere. The twins share all decisions
(`_request`, `_prepare`) and differ only in the I/O they await. httpx is imported on first
use, which keeps `import modelrouter` cheap; the engine is not heavy (asyncio is loaded anyway).

A static `model=` (an id or a config dict) gives the same plan at every call, so the Agent
keeps it. Resolution and key lookup (`_model`: the catalogue, the gateways and the environment
are read there) happen once per model per call: at the first attempt of each fallback entry,
and again at any attempt after a failed one (a retry, or a later step after a fallback); the
later steps of a tool loop reuse the model that answered the step before (`Loop.reuse`). So a
key rotated between two calls is sent by the next call, and one rotated mid-loop by the next
attempt after a failure (peers: LiteLLM reads the key per completion call, pydantic-ai builds
its model once per Agent).
"""

from __future__ import annotations

import dataclasses
from collections.abc import AsyncIterator, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any, Generic, TypeVar, overload

from modelrouter._backoff import RetryPolicy
from modelrouter._defaults import DEFAULT_MAX_RETRIES
from modelrouter._errors import ConfigurationError
from modelrouter._fallback import (
    AsyncStreamSession,
    AttemptBudget,
    EngineSettings,
    PlanEntry,
    StreamRun,
    StreamSession,
    Timeouts,
    run_async,
    run_sync,
)
from modelrouter._loop import (
    DEFAULT_MAX_STEPS,
    DEFAULT_OUTPUT_RETRIES,
    Loop,
    LoopConfig,
    Reask,
    arun_tools,
    run_tools,
)
from modelrouter._output import compile_output
from modelrouter._tools import Tool, check_tool_choice, compile_tools
from modelrouter._model import Clients, abuild_model, build_model
from modelrouter._request import (
    CallInput,
    Target,
    build_plan,
    build_request,
    check_spec,
    masked_headers,
    masked_spec,
    normalize_messages,
)
from modelrouter._stream import AsyncTextStream, TextStream
from modelrouter._telemetry_wrap import (  # observer hooks (OTEL): spans when tracing is on
    traced_agenerate,
    traced_generate,
    traced_stream,
)
from modelrouter._validate import check_agent_args, check_call
from modelrouter._watchdog import Watchdog
from modelrouter._types import (
    GenerateResult,
    Message,
    ModelResponse,
    ModelSpec,
    OutputT,
    ProviderOptions,
    RuntimeContext,
    StreamPart,
    SystemInstructions,
    ToolChoice,
)

if TYPE_CHECKING:
    import httpx

    from modelrouter.routing import Health

    from modelrouter._fallback import FallbackOn

_T = TypeVar("_T")
_UNSET: Any = object()

__all__ = ["Agent"]

_started = False


def _start_autorefresh() -> None:
    # Contract F: cheap and idempotent, but only worth one call per process.
    global _started
    if _started:
        return
    _started = True
    try:
        from modelrouter._autorefresh import maybe_start
    except ImportError:
        return
    maybe_start()


def _health(health: Health | bool) -> Health | None:
    if health is False:
        return None
    if health is True:
        from modelrouter.routing.health import default_health

        return default_health()
    return health


class Agent(Generic[OutputT]):
    """A named assistant bound to one model, or to a fallback list of models.

    `Agent[OutputT]`: `result.output` is an `OutputT`, `str` (the text) unless `output_type`
    is given.

    Args:
        name: a label for logs and your own bookkeeping.
        instructions: the system prompt, or `{"role": "system", "content": ..., "provider_options": ...}`.
        model: a `ModelId` ("openai/gpt-5"), a `ModelConfig` dict (own url/key/headers), a
            callable `(RuntimeContext) -> ModelId | ModelConfig`, a `LanguageModel`, or a list of
            `FallbackEntry` dicts tried in order.
        tools: functions (sync or `async def`, with type hints; the docstring describes them)
            the model may call and the agent runs, or schema-only `Tool`s you run yourself.
        tool_choice: "auto", "none", "required", or one tool's name (None: the model decides).
        output_type: validate the final answer into this type (a pydantic model, dataclass,
            TypedDict, or a list or union of them) and return it as `result.output`.
        max_steps: model calls one `generate`/`stream` may make, tool rounds and output
            re-asks included (default 10); running out raises `MaxStepsError`.
        output_retries: times a model is re-asked after output that fails validation (default
            2) before it counts as failed and the next fallback entry is tried.
        provider_options: options keyed by provider id, applied to the answering provider only.
        headers: extra headers sent with every request of this agent.
        timeout: seconds per attempt, or a `Timeouts` (attempt, first chunk, total). The total
            covers the whole call, every step of a tool loop included.
        client: an `httpx.Client` to reuse (the caller closes it); else the agent makes one.
            Its default headers and cookies are sent too, under the router's own headers.
        async_client: the same for the async methods.
        limits: the connection pool of the clients the agent makes itself (not of a client
            passed in); default 1,000 connections, all kept alive (`modelrouter._defaults`).
        max_retries: retries after the first try, for each model that does not set its own.
        fallback_on: a hook `(error, decision) -> decision` that narrows or widens fallback.
        retry_policy: backoff and `Retry-After` limits.
        max_tokens: default output limit per request.
        temperature: default sampling temperature.
        health: deployment cooldowns and client-side limits: True (default) shares the
            process-wide state (in Redis when `MODELROUTER_REDIS_URL` is set), False turns
            them off for this agent, a `Health(store, policy)` uses its own.
    """

    def __init__(
        self,
        name: str,
        instructions: str | SystemInstructions | None,
        model: ModelSpec,
        *,
        tools: Sequence[Callable[..., Any] | Tool] | None = None,
        tool_choice: ToolChoice | None = None,
        output_type: type[OutputT] | None = None,
        max_steps: int = DEFAULT_MAX_STEPS,
        output_retries: int = DEFAULT_OUTPUT_RETRIES,
        provider_options: ProviderOptions | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | Timeouts | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        limits: httpx.Limits | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        fallback_on: FallbackOn | None = None,
        retry_policy: RetryPolicy | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        health: Health | bool = True,
    ) -> None:
        check_agent_args(locals())  # _validate: every argument, named in its error
        check_spec(model)
        self.name = name
        self.instructions = instructions
        self.model = model
        self.provider_options = provider_options
        self.headers = dict(headers or {})
        self.max_retries = max_retries
        self.max_tokens = max_tokens
        self.temperature = temperature
        toolset = compile_tools(tools)
        check_tool_choice(tool_choice, toolset)
        output = None if output_type is None else compile_output(output_type)
        self._loop = LoopConfig(toolset, tool_choice, output, max_steps, output_retries)
        if timeout is None:
            timeouts = Timeouts()
        else:
            timeouts = timeout if isinstance(timeout, Timeouts) else Timeouts(attempt=timeout)
        self._settings = EngineSettings(
            policy=retry_policy or RetryPolicy(),
            timeouts=timeouts,
            fallback_on=fallback_on,
            health=_health(health),
        )
        self._clients = Clients(client, async_client, limits)
        # (spec, max_retries, plan) of the last static spec; `model` and `max_retries` are
        # public attributes, so the cache checks them at every call rather than trusting them.
        self._plan_cache: tuple[object, int, tuple[PlanEntry[Target], ...]] | None = None

    def __repr__(self) -> str:
        # Keys and header values never reach a repr (issue 3): they end up in logs.
        shown = f"Agent(name={self.name!r}, model={masked_spec(self.model)!r}"
        if self.headers:
            shown += f", headers={masked_headers(self.headers)!r}"
        return shown + ")"

    def _prepare(
        self,
        prompt: str | Sequence[Message],
        provider_options: ProviderOptions | None,
        runtime_context: RuntimeContext | None,
        output_type: Any,
        *,
        is_async: bool,
    ) -> tuple[Sequence[PlanEntry[Target]], CallInput, Loop]:
        _start_autorefresh()
        check_call(provider_options, runtime_context)  # _validate (the prompt: normalize_messages)
        messages, system, system_options = normalize_messages(prompt, self.instructions)
        config = self._loop
        if output_type is not _UNSET:
            output = None if output_type is None else compile_output(output_type)
            config = dataclasses.replace(config, output=output)
        if config.tools.has_async and not is_async:
            names = [n for n, f in config.tools.functions.items() if f.is_async]
            raise ConfigurationError(
                f"Tool {names[0]!r} is async def: call agenerate/astream, or give a sync function"
            )
        call = CallInput(
            messages=messages,
            system=system,
            system_options=system_options,
            agent_options=self.provider_options,
            call_options=provider_options,
            headers=self.headers,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
            tools=config.tools.specs,
            tool_choice=config.tool_choice,
            output=config.output.spec if config.output is not None else None,
        )
        # The prompt as given, where `result.messages` starts (a string is one user message).
        given: Sequence[Message] = messages[:1] if isinstance(prompt, str) else prompt
        loop = Loop(given, messages, config, self._settings)
        return self._plan(runtime_context), call, loop

    def _plan(self, runtime_context: RuntimeContext | None) -> Sequence[PlanEntry[Target]]:
        spec = self.model
        if not isinstance(spec, (str, dict)):  # selectors, LanguageModels, fallback lists
            context = runtime_context or RuntimeContext()
            return build_plan(spec, context, self.max_retries, self.name)
        cached = self._plan_cache
        # A config dict may be edited in place; its id is the one thing the plan copied.
        if (
            cached is not None
            and cached[0] is spec
            and cached[1] == self.max_retries
            and (isinstance(spec, str) or cached[2][0].label == spec.get("id"))
        ):
            return cached[2]
        plan = tuple(build_plan(spec, RuntimeContext(), self.max_retries, self.name))
        self._plan_cache = (spec, self.max_retries, plan)
        return plan

    @overload
    def generate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: None = None,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[OutputT]: ...

    @overload
    def generate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: type[_T],
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[_T]: ...

    @traced_generate  # observer hook (OTEL)
    def generate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: Any = _UNSET,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[Any]:
        """Answer `prompt` (a string or a list of messages), running tools until the model is done.

        `output_type` here overrides the Agent's for this call.
        """
        plan, call, loop = self._prepare(
            prompt, provider_options, runtime_context, output_type, is_async=False
        )
        clients = self._clients

        def attempt(target: Target, budget: AttemptBudget) -> tuple[ModelResponse, Reask]:
            model = loop.reuse(target) or loop.keep(target, build_model(target.model, clients))
            budget.enter(model)  # health: skip a cooling deployment before any request
            reask = Reask(loop, model.model_id)
            while True:
                response = model.generate(build_request(model, reask.call(call), target, budget))
                budget.spent(response.usage)
                if reask.accept(response):
                    return response, reask

        while True:
            (response, reask), entry, attempts = run_sync(plan, attempt, loop.step_settings())
            calls = loop.answered(response, entry.label, attempts, reask)
            if not calls:
                return loop.result()
            loop.tool_results(run_tools(loop.config.tools, calls))

    @overload
    async def agenerate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: None = None,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[OutputT]: ...

    @overload
    async def agenerate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: type[_T],
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[_T]: ...

    @traced_agenerate  # observer hook (OTEL)
    async def agenerate(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: Any = _UNSET,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult[Any]:
        """The async twin of `generate`: the calls of one step run concurrently."""
        plan, call, loop = self._prepare(
            prompt, provider_options, runtime_context, output_type, is_async=True
        )
        clients = self._clients

        async def attempt(target: Target, budget: AttemptBudget) -> tuple[ModelResponse, Reask]:
            model = loop.reuse(target) or loop.keep(
                target, await abuild_model(target.model, clients)
            )
            if budget.local:  # an in-process health store: no await needed
                budget.enter(model)
            else:
                await budget.aenter(model)
            reask = Reask(loop, model.model_id)
            while True:
                request = build_request(model, reask.call(call), target, budget)
                response = await model.agenerate(request)
                if budget.local:
                    budget.spent(response.usage)
                else:
                    await budget.aspent(response.usage)
                if reask.accept(response):
                    return response, reask

        watchdog = Watchdog()  # the attempt timeouts of every step: one timer for the call
        try:
            while True:
                step = await run_async(plan, attempt, loop.step_settings(), watchdog)
                (response, reask), entry, attempts = step
                calls = loop.answered(response, entry.label, attempts, reask)
                if not calls:
                    return loop.result()
                loop.tool_results(await arun_tools(loop.config.tools, calls))
        finally:
            watchdog.close()

    @overload
    def stream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: None = None,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> TextStream[OutputT]: ...

    @overload
    def stream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: type[_T],
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> TextStream[_T]: ...

    @traced_stream  # observer hook (OTEL)
    def stream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: Any = _UNSET,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> TextStream[Any]:
        """Stream the answer: iterate for text deltas (or `.events()`), then read `.result`.

        A failure before any content (text or a tool call) falls back to the next model; after
        content it raises `MidStreamError` with the partial text (models are never switched
        mid-answer). Each step of a tool loop is a stream of its own with that rule.
        """
        plan, call, loop = self._prepare(
            prompt, provider_options, runtime_context, output_type, is_async=False
        )
        clients = self._clients

        def open_stream(target: Target, budget: AttemptBudget) -> Iterator[StreamPart]:
            model = loop.reuse(target) or loop.keep(target, build_model(target.model, clients))
            budget.enter(model)
            return model.stream(build_request(model, loop.call(call), target, budget))

        def session(run: StreamRun[Target]) -> StreamSession[Target]:
            return StreamSession(plan, open_stream, run, loop.step_settings())

        return TextStream(loop, session, run_tools)

    @overload
    def astream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: None = None,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> AsyncTextStream[OutputT]: ...

    @overload
    def astream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: type[_T],
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> AsyncTextStream[_T]: ...

    @traced_stream  # observer hook (OTEL)
    def astream(
        self,
        prompt: str | Sequence[Message],
        *,
        output_type: Any = _UNSET,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> AsyncTextStream[Any]:
        """The async twin of `stream`: `async for text in agent.astream(...)`."""
        plan, call, loop = self._prepare(
            prompt, provider_options, runtime_context, output_type, is_async=True
        )
        clients = self._clients

        async def open_stream(target: Target, budget: AttemptBudget) -> AsyncIterator[StreamPart]:
            model = loop.reuse(target) or loop.keep(
                target, await abuild_model(target.model, clients)
            )
            await budget.aenter(model)
            # The model's own iterator, read by the stream with no layer of ours in between.
            return model.astream(build_request(model, loop.call(call), target, budget))

        def session(run: StreamRun[Target]) -> AsyncStreamSession[Target]:
            return AsyncStreamSession(plan, open_stream, run, loop.step_settings())

        return AsyncTextStream(loop, session, arun_tools)

    def close(self) -> None:
        """Close the HTTP clients this agent created (never one passed in)."""
        self._clients.close()

    async def aclose(self) -> None:
        """Close every HTTP client this agent created, sync and async."""
        await self._clients.aclose()

    def __enter__(self) -> Agent[OutputT]:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Agent[OutputT]:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()
