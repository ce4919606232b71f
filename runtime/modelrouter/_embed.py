"""`embed` / `aembed`: vectors for a list of texts, over one model or a fallback list.

Wire formats: OpenAI-compatible `/embeddings` and Gemini `batchEmbedContents`
(`transports/embeddings`). Long input lists are split into batches (`batch_size`, at most the
provider's limit: 2048 inputs for OpenAI-compatible servers, 100 for Gemini), sent in order.

Fallback works per call, not per batch: vectors of two models live in different spaces, so a
model that fails on any batch (after its retries) gives way to the next one, which embeds every
input again. Retries and the move to the next model follow the Agent's default policy
(`_backoff.classify`): 408/409/429/5xx, timeouts and connection errors are retried, other
errors move on at once.
"""

from __future__ import annotations

import asyncio
import random
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from modelrouter._backoff import Decision, RetryPolicy, classify, retry_delay
from modelrouter._defaults import DEFAULT_MAX_RETRIES
from modelrouter._errors import ConfigurationError, FallbackExhaustedError, ModelRouterError
from modelrouter._types import Attempt, ModelConfig, ModelId, Usage

if TYPE_CHECKING:
    import httpx

    from modelrouter._model import Clients, HttpModel
    from modelrouter.transports.embeddings import Batch, Embedder

__all__ = ["EmbedModel", "EmbedResult", "aembed", "embed"]

EmbedModel: TypeAlias = "ModelId | ModelConfig"
"""An embedding model: an id ("openai/text-embedding-3-small") or a config dict with a `url`."""

DEFAULT_TIMEOUT = 60.0
"""Seconds one batch request may take."""


@dataclass(frozen=True, slots=True)
class EmbedResult:
    """The vectors of one `embed` call.

    Attributes:
        vectors: one vector per input, in input order.
        model_id: the model that embedded them (after any fallback).
        usage: prompt tokens over every batch (`input_tokens`; None where the protocol
            reports none, as Gemini's batch endpoint).
        cost: USD at the model's catalogue input price, None when unknown (see `cost_of`).
        attempts: every try, the answering one last.
    """

    vectors: list[list[float]] = field(repr=False)
    model_id: str
    usage: Usage = field(default_factory=Usage)
    cost: float | None = None
    attempts: tuple[Attempt, ...] = ()


@dataclass(frozen=True, slots=True)
class _Call:
    inputs: list[str]
    batch_size: int | None
    dimensions: int | None
    timeout: float | None
    max_retries: int
    headers: Mapping[str, str]
    provider_options: Mapping[str, Mapping[str, Any]]


def _check(
    model: object, inputs: object, batch_size: object, dimensions: object, max_retries: object
) -> list[Any]:
    if isinstance(inputs, str) or not isinstance(inputs, Sequence):
        raise ConfigurationError("inputs must be a list of str (one text: inputs=[text])")
    texts: list[Any] = list(inputs)  # pyright: ignore[reportUnknownArgumentType]
    if not texts:
        raise ConfigurationError("inputs must hold at least one text")
    bad = next((i for i, text in enumerate(texts) if not isinstance(text, str)), None)
    if bad is not None:
        raise ConfigurationError(f"inputs[{bad}] must be a str, got {type(texts[bad]).__name__}")
    for name, value in (("batch_size", batch_size), ("dimensions", dimensions)):
        if value is not None and (type(value) is not int or value < 1):
            raise ConfigurationError(f"{name} must be an int >= 1 or None, got {value!r}")
    if type(max_retries) is not int or not 0 <= max_retries <= 100:
        raise ConfigurationError(f"max_retries must be an int from 0 to 100, got {max_retries!r}")
    models = list(model) if isinstance(model, (list, tuple)) else [model]
    if not models:
        raise ConfigurationError("model must name at least one embedding model")
    for spec in models:  # pyright: ignore[reportUnknownVariableType]
        _accepted(spec)
    return models  # pyright: ignore[reportUnknownVariableType]


def _embedding_model(built: HttpModel) -> Embedder:
    """The model's embedder; a catalogue model that is not an embedding model is refused."""
    from modelrouter._resolve import default_catalog
    from modelrouter.transports.embeddings import embedder_for

    route = built.route
    embedder = embedder_for(built.wire or route.wire, route.model_id)
    if route.known_model:
        provider = default_catalog().get_provider(route.provider_key)
        info = provider.model_info.get(route.model) if provider else None
        family = (info.family if info else None) or ""
        # The catalogue has no "embedding" flag; its embedding models say so in id or family
        # (text-embedding-3-small, gemini-embedding-001, mistral-embed, cohere-embed...).
        if "embed" not in route.model and "embed" not in family:
            raise ConfigurationError(
                f"{route.model_id} is not an embedding model in the catalogue"
                " (e.g. 'openai/text-embedding-3-small', 'google/gemini-embedding-001')"
            )
    return embedder


def _accepted(spec: Any) -> ModelId | ModelConfig:
    if not isinstance(spec, (str, dict)):
        raise ConfigurationError(
            f"model must be an embedding model id or config dict, got {type(spec).__name__}"
        )
    return cast("ModelId | ModelConfig", spec)


def _ready(built: Any) -> tuple[HttpModel, Embedder]:
    from modelrouter._model import HttpModel

    if not isinstance(built, HttpModel):  # a gateway's own LanguageModel cannot embed
        raise ConfigurationError(f"{built.model_id} is not reachable over HTTP for embeddings")
    return built, _embedding_model(built)


def _batches(call: _Call, embedder: Embedder) -> list[list[str]]:
    size = min(call.batch_size or embedder.max_batch, embedder.max_batch)
    return [call.inputs[i : i + size] for i in range(0, len(call.inputs), size)]


def _request(call: _Call, built: HttpModel, embedder: Embedder, batch: list[str]) -> httpx.Request:
    from modelrouter._options import merge_provider_options

    options = merge_provider_options([call.provider_options], built.endpoint.provider)
    return embedder.build(built.endpoint, batch, call.dimensions, options, call.headers)


def _result(built: HttpModel, batches: list[Batch], attempts: list[Attempt]) -> EmbedResult:
    from modelrouter._cost import cost_of

    tokens = [b.tokens for b in batches]
    usage = Usage(input_tokens=None if None in tokens else sum(cast(list[int], tokens)))
    model_id = built.model_id
    cost = cost_of(model_id, usage) if usage.input_tokens is not None else None
    vectors = [vector for batch in batches for vector in batch.vectors]
    return EmbedResult(vectors, model_id, usage, cost, tuple(attempts))


class _Plan:
    """The attempts of one call: which model next, whether to retry, what to raise at the end."""

    def __init__(self, call: _Call, models: list[Any]) -> None:
        self.call = call
        self.models = models
        self.attempts: list[Attempt] = []
        self.finals: list[tuple[str, ModelRouterError]] = []
        self._rng = random.Random()
        self._policy = RetryPolicy()

    def failed(self, label: str, exc: Exception, started: float, retry: int) -> float | None:
        """Record a failure; the seconds to wait before retrying, or None to move on."""
        self.attempts.append(Attempt(label, type(exc).__name__, exc, time.monotonic() - started))
        decision = classify(exc)
        if decision is Decision.RAISE:
            raise exc
        if decision is Decision.RETRY and retry < self.call.max_retries:
            delay = retry_delay(exc, retry, self._policy, self._rng)
            if delay is not None:
                return delay
        self.finals.append((label, cast(ModelRouterError, exc)))
        return None

    def exhausted(self) -> Exception:
        if len(self.models) == 1:
            return self.finals[-1][1]
        lines = [f"All {len(self.models)} embedding models failed:"]
        lines += [f"  {label}: {type(exc).__name__}: {exc}" for label, exc in self.finals]
        errors = [exc for _, exc in self.finals]
        return FallbackExhaustedError("\n".join(lines), errors, attempts=self.attempts)


def _label(spec: Any) -> str:
    return spec if isinstance(spec, str) else str(cast(dict[str, Any], spec).get("id", "?"))


_SHARED: list[Clients] = []


def _shared_clients() -> Clients:
    # One sync client for every `embed` call without its own: a new one costs a TLS context.
    from modelrouter._model import Clients

    if not _SHARED:
        _SHARED.append(Clients())
    return _SHARED[0]


def embed(
    model: EmbedModel | Sequence[EmbedModel],
    inputs: Sequence[str],
    *,
    batch_size: int | None = None,
    dimensions: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_retries: int = DEFAULT_MAX_RETRIES,
    headers: Mapping[str, str] | None = None,
    provider_options: Mapping[str, Mapping[str, Any]] | None = None,
    client: httpx.Client | None = None,
) -> EmbedResult:
    """Embed `inputs` with `model` (or the first model of a list that answers).

    Args:
        model: an embedding model id, a config dict, or a list of them tried in order.
        inputs: the texts; sent in batches of `batch_size` (default and cap: the provider's
            limit per request).
        dimensions: the vectors' length where the model can shorten them
            (OpenAI `dimensions`, Gemini `outputDimensionality`).
        timeout: seconds per batch request.
        max_retries: retries of a retryable failure, per model.
        headers: extra headers for every request.
        provider_options: body fields by provider id, e.g. `{"google": {"task_type": ...}}`.
        client: an `httpx.Client` to send through (not closed).

    Raises:
        ConfigurationError: bad arguments, or a model that cannot embed (named).
        ProviderError: the one model failed; `FallbackExhaustedError` when every model did.
    """
    models = _check(model, inputs, batch_size, dimensions, max_retries)
    from modelrouter._http import send_sync
    from modelrouter._model import Clients, build_model

    call = _Call(
        list(inputs),
        batch_size,
        dimensions,
        timeout,
        max_retries,
        headers or {},
        provider_options or {},
    )
    clients = Clients(client) if client is not None else _shared_clients()
    plan = _Plan(call, models)
    for spec in models:
        retry = 0
        while True:
            started = time.monotonic()
            try:
                built, embedder = _ready(build_model(_accepted(spec), clients))
                done: list[Batch] = []
                for batch in _batches(call, embedder):
                    request = _request(call, built, embedder, batch)
                    payload = send_sync(clients.sync(), built.endpoint, request, timeout=timeout)
                    done.append(
                        embedder.parse(built.endpoint, payload, len(batch), request.headers)
                    )
            except Exception as exc:
                delay = plan.failed(_label(spec), exc, started, retry)
                if delay is None:
                    break
                time.sleep(delay)
                retry += 1
                continue
            plan.attempts.append(Attempt(built.model_id, None, None, time.monotonic() - started))
            return _result(built, done, plan.attempts)
    raise plan.exhausted()


async def aembed(
    model: EmbedModel | Sequence[EmbedModel],
    inputs: Sequence[str],
    *,
    batch_size: int | None = None,
    dimensions: int | None = None,
    timeout: float | None = DEFAULT_TIMEOUT,
    max_retries: int = DEFAULT_MAX_RETRIES,
    headers: Mapping[str, str] | None = None,
    provider_options: Mapping[str, Mapping[str, Any]] | None = None,
    client: httpx.AsyncClient | None = None,
) -> EmbedResult:
    """The async twin of `embed`; batches are sent one after another, as there."""
    models = _check(model, inputs, batch_size, dimensions, max_retries)
    from modelrouter._fallback_plan import within
    from modelrouter._http import send_async
    from modelrouter._model import Clients, abuild_model

    call = _Call(
        list(inputs),
        batch_size,
        dimensions,
        timeout,
        max_retries,
        headers or {},
        provider_options or {},
    )
    clients = Clients(async_client=client)  # its own client, if any, is closed below
    plan = _Plan(call, models)
    try:
        for spec in models:
            retry = 0
            while True:
                started = time.monotonic()
                try:
                    built, embedder = _ready(await abuild_model(_accepted(spec), clients))
                    done: list[Batch] = []
                    for batch in _batches(call, embedder):
                        request = _request(call, built, embedder, batch)
                        sent = send_async(
                            clients.async_(), built.endpoint, request, timeout=timeout
                        )
                        payload = await within(timeout, sent, built.model_id)
                        done.append(
                            embedder.parse(built.endpoint, payload, len(batch), request.headers)
                        )
                except Exception as exc:
                    delay = plan.failed(_label(spec), exc, started, retry)
                    if delay is None:
                        break
                    await asyncio.sleep(delay)
                    retry += 1
                    continue
                plan.attempts.append(
                    Attempt(built.model_id, None, None, time.monotonic() - started)
                )
                return _result(built, done, plan.attempts)
        raise plan.exhausted()
    finally:
        await clients.aclose()
