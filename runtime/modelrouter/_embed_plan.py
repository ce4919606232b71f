"""One `embed` call without its I/O: argument checks, batches, attempts, retries, fallback.

`steps` is a generator that yields what it needs done (`Build` a model, `Send` a request,
`Wait` before a retry) and is sent the result, or has the failure thrown in; `_embed`'s sync
and async twins only do those three things. Everything decided is decided here: which embedder
a model uses (and whether the catalogue says it embeds at all), how the inputs are split, and,
after a failure, whether to retry, move on, or raise (`_backoff.classify`).
"""

from __future__ import annotations

import random
import time
from collections.abc import Generator, Mapping, Sequence
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, TypeAlias, cast

from modelrouter._backoff import Decision, RetryPolicy, classify, retry_delay
from modelrouter._embedding_id import EmbeddingModelId
from modelrouter._embedding_rule import is_embedding_model
from modelrouter._errors import ConfigurationError, FallbackExhaustedError, ModelRouterError
from modelrouter._types import Attempt, ModelConfig

if TYPE_CHECKING:
    import httpx

    from modelrouter._model import Clients, HttpModel
    from modelrouter.transports.embeddings import Batch, Embedder

__all__ = [
    "Build",
    "Call",
    "Done",
    "Plan",
    "Send",
    "Step",
    "Wait",
    "accepted",
    "batch_request",
    "batches",
    "check_args",
    "label",
    "ready",
    "shared_clients",
    "steps",
]


@dataclass(frozen=True, slots=True)
class Call:
    inputs: list[str]
    batch_size: int | None
    dimensions: int | None
    timeout: float | None
    max_retries: int
    headers: Mapping[str, str]
    provider_options: Mapping[str, Mapping[str, Any]]


def check_args(
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
        accepted(spec)
    return models  # pyright: ignore[reportUnknownVariableType]


def embedding_model(built: HttpModel) -> Embedder:
    """The model's embedder; a catalogue model that is not an embedding model is refused."""
    from modelrouter._resolve import default_catalog
    from modelrouter.transports.embeddings import embedder_for

    route = built.route
    embedder = embedder_for(built.wire or route.wire, route.model_id)
    if route.known_model:
        provider = default_catalog().get_provider(route.provider_key)
        info = provider.model_info.get(route.model) if provider else None
        # The rule `EmbeddingModelId` is generated from, so a typed id is never refused here.
        if not is_embedding_model(route.model, info.family if info else None):
            raise ConfigurationError(
                f"{route.model_id} is not an embedding model in the catalogue"
                " (e.g. 'openai/text-embedding-3-small', 'google/gemini-embedding-001')"
            )
    return embedder


def accepted(spec: Any) -> EmbeddingModelId | ModelConfig:
    if not isinstance(spec, (str, dict)):
        raise ConfigurationError(
            f"model must be an embedding model id or config dict, got {type(spec).__name__}"
        )
    return cast("EmbeddingModelId | ModelConfig", spec)


def ready(built: Any) -> tuple[HttpModel, Embedder]:
    from modelrouter._model import HttpModel

    if not isinstance(built, HttpModel):  # a gateway's own LanguageModel cannot embed
        raise ConfigurationError(f"{built.model_id} is not reachable over HTTP for embeddings")
    return built, embedding_model(built)


def batches(call: Call, embedder: Embedder) -> list[list[str]]:
    size = min(call.batch_size or embedder.max_batch, embedder.max_batch)
    return [call.inputs[i : i + size] for i in range(0, len(call.inputs), size)]


def batch_request(
    call: Call, built: HttpModel, embedder: Embedder, batch: list[str]
) -> httpx.Request:
    from modelrouter._options import merge_provider_options

    options = merge_provider_options([call.provider_options], built.endpoint.provider)
    return embedder.build(built.endpoint, batch, call.dimensions, options, call.headers)


class Plan:
    """The attempts of one call: which model next, whether to retry, what to raise at the end."""

    def __init__(self, call: Call, models: list[Any]) -> None:
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


def label(spec: Any) -> str:
    return spec if isinstance(spec, str) else str(cast(dict[str, Any], spec).get("id", "?"))


_SHARED: list[Clients] = []


def shared_clients() -> Clients:
    # One sync client for every `embed` call without its own: a new one costs a TLS context.
    from modelrouter._model import Clients

    if not _SHARED:
        _SHARED.append(Clients())
    return _SHARED[0]


@dataclass(frozen=True, slots=True)
class Build:
    """Build the model for this spec (`build_model` / `abuild_model`); send back the model."""

    spec: EmbeddingModelId | ModelConfig


@dataclass(frozen=True, slots=True)
class Send:
    """Send this batch request to the model's endpoint; send back the decoded JSON payload."""

    built: HttpModel
    request: httpx.Request


@dataclass(frozen=True, slots=True)
class Wait:
    """Sleep this many seconds before the retry; send back None."""

    seconds: float


Step: TypeAlias = "Build | Send | Wait"


@dataclass(frozen=True, slots=True)
class Done:
    """What the model that answered gave: its batches, in order, and every attempt."""

    built: HttpModel
    batches: list[Batch]
    attempts: list[Attempt]


def steps(call: Call, models: list[Any]) -> Generator[Step, Any, Done]:
    """The call's steps, model after model; a failed step is thrown back in here.

    A model that fails any batch (after its retries) gives way to the next, which embeds every
    input again: vectors of two models cannot be mixed.
    """
    plan = Plan(call, models)
    for spec in models:
        retry = 0
        while True:
            started = time.monotonic()
            try:
                built, embedder = ready((yield Build(accepted(spec))))
                done: list[Batch] = []
                for batch in batches(call, embedder):
                    request = batch_request(call, built, embedder, batch)
                    payload = yield Send(built, request)
                    done.append(
                        embedder.parse(built.endpoint, payload, len(batch), request.headers)
                    )
            except Exception as exc:
                delay = plan.failed(label(spec), exc, started, retry)
                if delay is None:
                    break
                yield Wait(delay)
                retry += 1
                continue
            plan.attempts.append(Attempt(built.model_id, None, None, time.monotonic() - started))
            return Done(built, done, plan.attempts)
    raise plan.exhausted()
