"""Embedding requests on the wire: OpenAI-compatible `/embeddings` and Gemini `batchEmbedContents`.

Sans-I/O like the chat transports: `build` makes one batch's `httpx.Request`, `parse` turns its
JSON answer into vectors (in input order) and the prompt tokens when the protocol reports them.
"""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Final, Protocol

import httpx

from modelrouter._errors import ConfigurationError
from modelrouter._options import camel_to_snake, respell, snake_to_camel
from modelrouter.transports.base import (
    Endpoint,
    base_headers,
    json_request,
    join_url,
    key_header,
    unexpected_payload,
)

__all__ = ["EMBEDDERS", "Batch", "Embedder", "embedder_for"]


@dataclass(frozen=True, slots=True)
class Batch:
    """One batch's answer: a vector per input, in order, and its prompt tokens (None: unknown)."""

    vectors: list[list[float]]
    tokens: int | None


class Embedder(Protocol):
    """One protocol's embedding endpoint."""

    max_batch: int
    """The most inputs one request may carry (the provider's documented limit)."""

    def build(
        self,
        endpoint: Endpoint,
        inputs: Sequence[str],
        dimensions: int | None,
        options: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> httpx.Request: ...

    def parse(
        self, endpoint: Endpoint, payload: Any, count: int, sent: Mapping[str, str] | None
    ) -> Batch: ...


def _floats(values: Any) -> list[float]:
    # The usual answer is all floats: checked in one pass, and the decoded list kept as is.
    if type(values) is list and all(type(v) is float for v in values):  # pyright: ignore
        return values  # pyright: ignore[reportUnknownVariableType]
    if not isinstance(values, list) or not all(
        isinstance(v, (int, float)) and not isinstance(v, bool) for v in values
    ):
        raise TypeError("a vector is a list of numbers")
    return [float(v) for v in values]


class _NoRequest:
    """What `base_headers` reads of a request: embeddings have no per-call headers there."""

    headers: Mapping[str, str] = {}


_NO_REQUEST: Final[Any] = _NoRequest()


def _headers(
    endpoint: Endpoint, headers: Mapping[str, str], key: str, *, bearer: bool = False
) -> dict[str, str]:
    """One request's headers: the protocol's with the key under `key` (or the catalogue's
    override), the model's, then the call's own (later wins)."""
    auth = key_header(endpoint, key, bearer=bearer)
    return {**base_headers(endpoint, _NO_REQUEST, auth), **headers}


class _OpenAI:
    """`POST {base}/embeddings`: OpenAI and every compatible server (Mistral, Together, ...)."""

    max_batch = 2048  # OpenAI's documented limit of inputs per request

    def build(
        self,
        endpoint: Endpoint,
        inputs: Sequence[str],
        dimensions: int | None,
        options: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> httpx.Request:
        body: dict[str, Any] = {
            "model": endpoint.model,
            "input": list(inputs),
            "encoding_format": "float",
        }
        if dimensions is not None:
            body["dimensions"] = dimensions
        body.update(respell(options, camel_to_snake))
        sent = _headers(endpoint, headers, "authorization", bearer=True)
        return json_request(join_url(endpoint.base_url, "/embeddings"), sent, body)

    def parse(
        self, endpoint: Endpoint, payload: Any, count: int, sent: Mapping[str, str] | None
    ) -> Batch:
        try:
            data = sorted(payload["data"], key=lambda item: item["index"])
            vectors = [_floats(item["embedding"]) for item in data]
            usage = payload.get("usage") or {}
            tokens = usage.get("prompt_tokens")
            if len(vectors) != count:
                raise ValueError("one vector per input")
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise unexpected_payload(endpoint, payload, sent) from exc
        return Batch(vectors, tokens if type(tokens) is int else None)


class _Gemini:
    """`POST {base}/models/{model}:batchEmbedContents` with `x-goog-api-key`."""

    max_batch = 100  # Gemini's documented limit of requests per batch

    def build(
        self,
        endpoint: Endpoint,
        inputs: Sequence[str],
        dimensions: int | None,
        options: Mapping[str, Any],
        headers: Mapping[str, str],
    ) -> httpx.Request:
        name = f"models/{endpoint.model}"
        extra = respell(options, snake_to_camel)  # e.g. task_type -> taskType, per request
        if dimensions is not None:
            extra["outputDimensionality"] = dimensions
        requests = [
            {"model": name, "content": {"parts": [{"text": text}]}, **extra} for text in inputs
        ]
        sent = _headers(endpoint, headers, "x-goog-api-key")
        url = join_url(endpoint.base_url, f"/{name}:batchEmbedContents")
        return json_request(url, sent, {"requests": requests})

    def parse(
        self, endpoint: Endpoint, payload: Any, count: int, sent: Mapping[str, str] | None
    ) -> Batch:
        try:
            vectors = [_floats(item["values"]) for item in payload["embeddings"]]
            if len(vectors) != count:
                raise ValueError("one vector per input")
        except (KeyError, TypeError, AttributeError, ValueError) as exc:
            raise unexpected_payload(endpoint, payload, sent) from exc
        return Batch(vectors, None)  # batchEmbedContents reports no token counts


EMBEDDERS: Final[dict[str, Embedder]] = {
    "openai-chat": _OpenAI(),
    "openai-responses": _OpenAI(),
    "gemini": _Gemini(),
}


def embedder_for(wire: str, model_id: str) -> Embedder:
    """The embedding endpoint of a model's protocol; Anthropic has none."""
    embedder = EMBEDDERS.get(wire)
    if embedder is None:
        raise ConfigurationError(
            f"{model_id} speaks the {wire} protocol, which has no embeddings API:"
            " use an OpenAI-compatible or Gemini embedding model"
        )
    return embedder
