"""`Agent`: one API over every provider, sync and async, streamed and not.

Every call runs through the fallback engine (`_fallback`), a single model being a one-entry
plan, so retry and fallback behave the same everywhere. The twins share all decisions
(`_request`, `_prepare`) and differ only in the I/O they await. httpx is imported on first
use, which keeps `import modelrouter` cheap; the engine is not heavy (asyncio is loaded anyway).

A static `model=` (an id or a config dict) gives the same plan at every call, so the Agent
keeps it; resolution and key lookup still happen per attempt (`_model`), where the catalogue,
the gateways and the environment are read.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Awaitable, Callable, Iterator, Mapping, Sequence
from types import TracebackType
from typing import TYPE_CHECKING, Any

from modelrouter._defaults import DEFAULT_MAX_RETRIES
from modelrouter._fallback import (
    AttemptBudget,
    PlanEntry,
    StreamRun,
    StreamSession,
    Timeouts,
    run_async,
    run_sync,
    stream_async,
)
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
from modelrouter._types import (
    FallbackEntry,
    GenerateResult,
    LanguageModel,
    Message,
    ModelConfig,
    ModelId,
    ModelResponse,
    ProviderOptions,
    RuntimeContext,
    StreamPart,
    SystemInstructions,
)

if TYPE_CHECKING:
    import random

    import httpx

    from modelrouter._fallback import FallbackOn, RetryPolicy

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


class Agent:
    """A named assistant bound to one model, or to a fallback list of models.

    Args:
        name: a label for logs and your own bookkeeping.
        instructions: the system prompt, or `{"role": "system", "content": ..., "provider_options": ...}`.
        model: a `ModelId` ("openai/gpt-5"), a `ModelConfig` dict (own url/key/headers), a
            callable `(RuntimeContext) -> ModelId | ModelConfig`, a `LanguageModel`, or a list of
            `FallbackEntry` dicts tried in order.
        provider_options: options keyed by provider id, applied to the answering provider only.
        headers: extra headers sent with every request of this agent.
        timeout: seconds per attempt, or a `Timeouts` (attempt, first chunk, total).
        client: an `httpx.Client` to reuse (the caller closes it); else the agent makes one.
            Its default headers and cookies are sent too, under the router's own headers.
        async_client: the same for the async methods.
        max_retries: retries after the first try, for each model that does not set its own.
        fallback_on: a hook `(error, decision) -> decision` that narrows or widens fallback.
        retry_policy: backoff and `Retry-After` limits.
        max_tokens: default output limit per request.
        temperature: default sampling temperature.
        sleep: the sync wait between retries (tests inject a recorder).
        async_sleep: the async wait between retries.
        clock: monotonic seconds, for timeouts and attempt durations.
        rng: jitter source.
    """

    def __init__(
        self,
        name: str,
        instructions: str | SystemInstructions | None,
        model: (
            ModelId
            | ModelConfig
            | Callable[[RuntimeContext], ModelId | ModelConfig]
            | LanguageModel
            | Sequence[FallbackEntry]
        ),
        *,
        provider_options: ProviderOptions | None = None,
        headers: Mapping[str, str] | None = None,
        timeout: float | Timeouts | None = None,
        client: httpx.Client | None = None,
        async_client: httpx.AsyncClient | None = None,
        max_retries: int = DEFAULT_MAX_RETRIES,
        fallback_on: FallbackOn | None = None,
        retry_policy: RetryPolicy | None = None,
        max_tokens: int | None = None,
        temperature: float | None = None,
        sleep: Callable[[float], None] | None = None,
        async_sleep: Callable[[float], Awaitable[None]] | None = None,
        clock: Callable[[], float] | None = None,
        rng: random.Random | None = None,
    ) -> None:
        check_spec(model)
        self.name = name
        self.instructions = instructions
        self.model = model
        self.provider_options = provider_options
        self.headers = dict(headers or {})
        self.max_retries = max_retries
        self.max_tokens = max_tokens
        self.temperature = temperature
        self._timeout = timeout
        self._fallback_on = fallback_on
        self._retry_policy = retry_policy
        self._sleep = sleep
        self._async_sleep = async_sleep
        self._clock = clock
        self._rng = rng
        self._clients = Clients(client, async_client)
        # (spec, max_retries, plan) of the last static spec; `model` and `max_retries` are
        # public attributes, so the cache checks them at every call rather than trusting them.
        self._plan_cache: tuple[object, int, tuple[PlanEntry[Target], ...]] | None = None
        self._kwargs_cache: dict[bool, dict[str, Any]] = {}

    def __repr__(self) -> str:
        # Keys and header values never reach a repr (issue 3): they end up in logs.
        shown = f"Agent(name={self.name!r}, model={masked_spec(self.model)!r}"
        if self.headers:
            shown += f", headers={masked_headers(self.headers)!r}"
        return shown + ")"

    def _engine_kwargs(self, *, is_async: bool) -> dict[str, Any]:
        # Built from settings fixed at construction, so once per twin; callers unpack a copy.
        kwargs = self._kwargs_cache.get(is_async)
        if kwargs is None:
            kwargs = self._kwargs_cache[is_async] = self._new_engine_kwargs(is_async=is_async)
        return kwargs

    def _new_engine_kwargs(self, *, is_async: bool) -> dict[str, Any]:
        timeout = self._timeout
        kwargs: dict[str, Any] = {
            "timeouts": timeout if isinstance(timeout, Timeouts) else Timeouts(attempt=timeout)
        }
        if timeout is None:
            kwargs["timeouts"] = Timeouts()
        if self._fallback_on is not None:
            kwargs["fallback_on"] = self._fallback_on
        if self._retry_policy is not None:
            kwargs["policy"] = self._retry_policy
        sleep = self._async_sleep if is_async else self._sleep
        if sleep is not None:
            kwargs["sleep"] = sleep
        if self._clock is not None:
            kwargs["clock"] = self._clock
        if self._rng is not None:
            kwargs["rng"] = self._rng
        return kwargs

    def _prepare(
        self,
        prompt: str | Sequence[Message],
        provider_options: ProviderOptions | None,
        runtime_context: RuntimeContext | None,
    ) -> tuple[Sequence[PlanEntry[Target]], CallInput]:
        _start_autorefresh()
        messages, system, system_options = normalize_messages(prompt, self.instructions)
        call = CallInput(
            messages=messages,
            system=system,
            system_options=system_options,
            agent_options=self.provider_options,
            call_options=provider_options,
            headers=self.headers,
            max_tokens=self.max_tokens,
            temperature=self.temperature,
        )
        return self._plan(runtime_context), call

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

    def generate(
        self,
        prompt: str | Sequence[Message],
        *,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult:
        """Answer `prompt` (a string or a list of messages) and return the whole result."""
        plan, call = self._prepare(prompt, provider_options, runtime_context)

        def attempt(target: Target, budget: AttemptBudget) -> ModelResponse:
            model = build_model(target.model, self._clients)
            return model.generate(build_request(model, call, target, budget))

        response, entry, attempts = run_sync(plan, attempt, **self._engine_kwargs(is_async=False))
        return _result(response, entry.label, attempts)

    async def agenerate(
        self,
        prompt: str | Sequence[Message],
        *,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> GenerateResult:
        """The async twin of `generate`."""
        plan, call = self._prepare(prompt, provider_options, runtime_context)

        async def attempt(target: Target, budget: AttemptBudget) -> ModelResponse:
            model = await abuild_model(target.model, self._clients)
            return await model.agenerate(build_request(model, call, target, budget))

        kwargs = self._engine_kwargs(is_async=True)
        response, entry, attempts = await run_async(plan, attempt, **kwargs)
        return _result(response, entry.label, attempts)

    def stream(
        self,
        prompt: str | Sequence[Message],
        *,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> TextStream:
        """Stream the answer: iterate for text deltas, then read `.result`.

        A failure before any content falls back to the next model; after content it raises
        `MidStreamError` with the partial text (models are never switched mid-answer).
        """
        plan, call = self._prepare(prompt, provider_options, runtime_context)

        def open_stream(target: Target, budget: AttemptBudget) -> Iterator[StreamPart]:
            model = build_model(target.model, self._clients)
            return model.stream(build_request(model, call, target, budget))

        run: StreamRun[Target] = StreamRun()
        kwargs = self._engine_kwargs(is_async=False)
        return TextStream(StreamSession(plan, open_stream, run, **kwargs), run)

    def astream(
        self,
        prompt: str | Sequence[Message],
        *,
        provider_options: ProviderOptions | None = None,
        runtime_context: RuntimeContext | None = None,
    ) -> AsyncTextStream:
        """The async twin of `stream`: `async for text in agent.astream(...)`."""
        plan, call = self._prepare(prompt, provider_options, runtime_context)

        async def open_stream(target: Target, budget: AttemptBudget) -> AsyncIterator[StreamPart]:
            model = await abuild_model(target.model, self._clients)
            async for part in model.astream(build_request(model, call, target, budget)):
                yield part

        run: StreamRun[Target] = StreamRun()
        parts = stream_async(plan, open_stream, run, **self._engine_kwargs(is_async=True))
        return AsyncTextStream(parts, run)

    def close(self) -> None:
        """Close the HTTP clients this agent created (never one passed in)."""
        self._clients.close()

    async def aclose(self) -> None:
        """Close every HTTP client this agent created, sync and async."""
        await self._clients.aclose()

    def __enter__(self) -> Agent:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    async def __aenter__(self) -> Agent:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        await self.aclose()


def _result(response: ModelResponse, model_id: str, attempts: Sequence[Any]) -> GenerateResult:
    return GenerateResult(
        text=response.text,
        model_id=model_id,
        usage=response.usage,
        finish_reason=response.finish_reason,
        attempts=tuple(attempts),
    )
