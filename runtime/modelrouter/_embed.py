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
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Never, TypeAlias, cast

from modelrouter._defaults import DEFAULT_MAX_RETRIES
from modelrouter._embed_plan import (
    Build,
    Call,
    Done,
    Send,
    Step,
    check_args,
    shared_clients,
    steps,
)
from modelrouter._embedding_id import EmbeddingModelId
from modelrouter._types import Attempt, ModelConfig, Usage

if TYPE_CHECKING:
    import httpx


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


def _result(done: Done) -> EmbedResult:
    tokens = [b.tokens for b in done.batches]
    usage = Usage(input_tokens=None if None in tokens else sum(cast(list[int], tokens)))
    vectors = [vector for batch in done.batches for vector in batch.vectors]
    return EmbedResult(vectors, done.built.model_id, usage, tuple(done.attempts))


def _plan(
    model: Any,
    inputs: Any,
    batch_size: Any,
    dimensions: Any,
    timeout: float | None,
    max_retries: Any,
    headers: Mapping[str, str] | None,
    provider_options: Mapping[str, Mapping[str, Any]] | None,
) -> Generator[Step, Any, Done]:
    models = check_args(model, inputs, batch_size, dimensions, max_retries)
    call = Call(
        list(inputs),
        batch_size,
        dimensions,
        timeout,
        max_retries,
        headers or {},
        provider_options or {},
    )
    return steps(call, models)


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
    plan = _plan(
        model, inputs, batch_size, dimensions, timeout, max_retries, headers, provider_options
    )
    from modelrouter._http import send_sync
    from modelrouter._model import Clients, build_model

    clients = Clients(client) if client is not None else shared_clients()
    reply: Any = None
    error: Exception | None = None
    while True:  # only I/O here: `_embed_plan.steps` decides what comes next
        try:
            step = plan.send(reply) if error is None else plan.throw(error)
        except StopIteration as stop:
            return _result(stop.value)
        reply, error = None, None
        try:
            if isinstance(step, Send):
                endpoint = step.built.endpoint
                reply = send_sync(clients.sync(), endpoint, step.request, timeout=timeout)
            elif isinstance(step, Build):
                reply = build_model(step.spec, clients)
            else:
                time.sleep(step.seconds)
        except Exception as exc:
            error = exc


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
    plan = _plan(
        model, inputs, batch_size, dimensions, timeout, max_retries, headers, provider_options
    )
    from modelrouter._fallback_plan import within
    from modelrouter._http import send_async
    from modelrouter._model import Clients, abuild_model

    clients = Clients(async_client=client)  # its own client, if any, is closed below
    reply: Any = None
    error: Exception | None = None
    try:
        while True:  # only I/O here, as in `embed`
            try:
                step = plan.send(reply) if error is None else plan.throw(error)
            except StopIteration as stop:
                return _result(stop.value)
            reply, error = None, None
            try:
                if isinstance(step, Send):
                    endpoint = step.built.endpoint
                    sent = send_async(clients.async_(), endpoint, step.request, timeout=timeout)
                    reply = await within(timeout, sent, step.built.model_id)
                elif isinstance(step, Build):
                    reply = await abuild_model(step.spec, clients)
                else:
                    await asyncio.sleep(step.seconds)
            except Exception as exc:
                error = exc
    finally:
        await clients.aclose()
