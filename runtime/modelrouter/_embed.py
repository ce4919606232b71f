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
import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Never, TypeAlias, cast

from modelrouter._defaults import DEFAULT_MAX_RETRIES
from modelrouter._embed_plan import (
    Call,
    Plan,
    accepted,
    batch_request,
    batches,
    check_args,
    label,
    ready,
    shared_clients,
)
from modelrouter._embedding_id import EmbeddingModelId
from modelrouter._types import Attempt, ModelConfig, Usage

if TYPE_CHECKING:
    import httpx

    from modelrouter._model import HttpModel
    from modelrouter.transports.embeddings import Batch

__all__ = ["EmbedModel", "EmbedResult", "aembed", "embed"]

EmbedModel: TypeAlias = "EmbeddingModelId | ModelConfig | tuple[EmbedModel, Never]"
"""An embedding model: a catalogue embedding model id ("openai/text-embedding-3-small"),
`custom_embedding_model(...)` for one the catalogue does not list, or a config dict.

The last member holds `Never`, so no value has it: as with `ModelSpec`, it makes the alias
recursive, and mypy then names `EmbedModel` in a message about a wrong id instead of printing
every embedding model id (a 5 KB line)."""

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
        cost: USD at the model's catalogue input price, None when unknown (see `cost_of`);
            worked out when read, so the catalogue lookup stays off the request path.
        attempts: every try, the answering one last.
    """

    vectors: list[list[float]] = field(repr=False)
    model_id: str
    usage: Usage = field(default_factory=Usage)
    attempts: tuple[Attempt, ...] = ()

    @property
    def cost(self) -> float | None:
        from modelrouter._cost import cost_of

        return None if self.usage.input_tokens is None else cost_of(self.model_id, self.usage)


def _result(built: HttpModel, batches: list[Batch], attempts: list[Attempt]) -> EmbedResult:
    tokens = [b.tokens for b in batches]
    usage = Usage(input_tokens=None if None in tokens else sum(cast(list[int], tokens)))
    vectors = [vector for batch in batches for vector in batch.vectors]
    return EmbedResult(vectors, built.model_id, usage, tuple(attempts))


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
    models = check_args(model, inputs, batch_size, dimensions, max_retries)
    from modelrouter._http import send_sync
    from modelrouter._model import Clients, build_model

    call = Call(
        list(inputs),
        batch_size,
        dimensions,
        timeout,
        max_retries,
        headers or {},
        provider_options or {},
    )
    clients = Clients(client) if client is not None else shared_clients()
    plan = Plan(call, models)
    for spec in models:
        retry = 0
        while True:
            started = time.monotonic()
            try:
                built, embedder = ready(build_model(accepted(spec), clients))
                done: list[Batch] = []
                for batch in batches(call, embedder):
                    request = batch_request(call, built, embedder, batch)
                    payload = send_sync(clients.sync(), built.endpoint, request, timeout=timeout)
                    done.append(
                        embedder.parse(built.endpoint, payload, len(batch), request.headers)
                    )
            except Exception as exc:
                delay = plan.failed(label(spec), exc, started, retry)
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
    models = check_args(model, inputs, batch_size, dimensions, max_retries)
    from modelrouter._fallback_plan import within
    from modelrouter._http import send_async
    from modelrouter._model import Clients, abuild_model

    call = Call(
        list(inputs),
        batch_size,
        dimensions,
        timeout,
        max_retries,
        headers or {},
        provider_options or {},
    )
    clients = Clients(async_client=client)  # its own client, if any, is closed below
    plan = Plan(call, models)
    try:
        for spec in models:
            retry = 0
            while True:
                started = time.monotonic()
                try:
                    built, embedder = ready(await abuild_model(accepted(spec), clients))
                    done: list[Batch] = []
                    for batch in batches(call, embedder):
                        request = batch_request(call, built, embedder, batch)
                        sent = send_async(
                            clients.async_(), built.endpoint, request, timeout=timeout
                        )
                        payload = await within(timeout, sent, built.model_id)
                        done.append(
                            embedder.parse(built.endpoint, payload, len(batch), request.headers)
                        )
                except Exception as exc:
                    delay = plan.failed(label(spec), exc, started, retry)
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
