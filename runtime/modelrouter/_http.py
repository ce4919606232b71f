"""The only I/O of the router: send one request, or read one SSE stream, over httpx.

Sync and async twins share everything but the awaits. httpx transport errors become
`ProviderTimeoutError` / `ProviderConnectionError` here, once; error answers go through the
transport-independent `error_from_response`. httpx-sse is imported on the stream path only.
"""

from __future__ import annotations

import json
from time import monotonic
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from contextlib import contextmanager
from typing import Any

import httpx

from modelrouter._defaults import USER_AGENT
from modelrouter._errors import (
    NotFoundError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    StreamError,
)
from modelrouter._types import StreamPart
from modelrouter.transports.base import (
    Endpoint,
    StreamParser,
    error_from_response,
    unexpected_payload,
)

__all__ = [
    "astream_events",
    "new_async_client",
    "new_client",
    "send_async",
    "send_sync",
    "stream_events",
]

Hint = Callable[[NotFoundError], NotFoundError]
"""Rewords a 404 before it is raised (the model's "did you mean")."""

_LIMITS = httpx.Limits(max_connections=100, max_keepalive_connections=20, keepalive_expiry=30.0)


_TIMEOUTS: dict[tuple[float | None, float | None], dict[str, float | None]] = {}
_MAX_TIMEOUTS = 64


def new_client() -> httpx.Client:
    """The client an Agent creates (and closes) when none was passed in."""
    return httpx.Client(headers={"user-agent": USER_AGENT}, limits=_LIMITS, timeout=60.0)


def new_async_client() -> httpx.AsyncClient:
    """The async twin of `new_client`."""
    return httpx.AsyncClient(headers={"user-agent": USER_AGENT}, limits=_LIMITS, timeout=60.0)


def _with_timeout(
    request: httpx.Request, timeout: float | None, first_chunk: float | None = None
) -> httpx.Request:
    # httpx reads per-request timeouts from the request's extensions; None keeps the
    # client's own. A first-chunk limit bounds the wait for the status line only: `_body_reads`
    # lifts it before the body is read, so a pause after content is held to `timeout`.
    if timeout is None and first_chunk is None:
        return request
    # The smaller of the two that are set.
    use_timeout = first_chunk is None or (timeout is not None and timeout < first_chunk)
    read = timeout if use_timeout else first_chunk
    key = (timeout, read)
    limits = _TIMEOUTS.get(key)
    if limits is None:
        # Most calls use the same few limits; a total timeout makes them vary, hence the cap.
        if len(_TIMEOUTS) >= _MAX_TIMEOUTS:
            _TIMEOUTS.clear()
        limits = _TIMEOUTS[key] = httpx.Timeout(timeout, read=read).as_dict()
    request.extensions["timeout"] = dict(limits)  # a copy: extensions belong to the request
    return request


def _body_reads(request: httpx.Request, timeout: float | None) -> None:
    # httpcore takes the read timeout for a body when its first chunk is read, from this very
    # dict (a per-request copy), so the body's reads get the attempt limit, not first_chunk.
    limits = request.extensions.get("timeout")
    if limits is not None:
        limits["read"] = timeout


def _timed_out(endpoint: Endpoint, seconds: float | None) -> ProviderTimeoutError:
    limit = f" within {seconds:g}s" if seconds is not None else ""
    return ProviderTimeoutError(
        f"{endpoint.provider} did not answer {endpoint.model_id}{limit}",
        provider=endpoint.provider,
        model=endpoint.model_id,
    )


@contextmanager
def _mapped(endpoint: Endpoint) -> Iterator[None]:
    """Turn httpx's transport errors (and httpx-sse's) into our tree, `from` the original."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderTimeoutError(
            f"{endpoint.provider} did not answer {endpoint.model_id} in time ({type(exc).__name__})",
            provider=endpoint.provider,
            model=endpoint.model_id,
        ) from exc
    except httpx.TransportError as exc:
        raise ProviderConnectionError(
            f"Connection to {endpoint.provider} failed for {endpoint.model_id}: {exc!s}",
            provider=endpoint.provider,
            model=endpoint.model_id,
        ) from exc
    except httpx.HTTPError as exc:
        raise ProviderError(
            f"HTTP error talking to {endpoint.provider} for {endpoint.model_id}: {exc!s}",
            provider=endpoint.provider,
            model=endpoint.model_id,
        ) from exc


def _json(endpoint: Endpoint, response: httpx.Response, content: bytes) -> Any:
    if response.status_code >= 400:
        raise error_from_response(
            endpoint,
            response.status_code,
            content,
            response.headers,
            response.request.headers,
        )
    try:
        return json.loads(content)
    except ValueError as exc:
        raise unexpected_payload(endpoint, content[:200].decode("utf-8", "replace")) from exc


def send_sync(
    client: httpx.Client, endpoint: Endpoint, request: httpx.Request, *, timeout: float | None
) -> Any:
    """Send `request` and return its JSON body; error answers raise `ProviderError`s.

    `timeout` bounds the whole answer, not only each read: a body trickled slower than that
    raises `ProviderTimeoutError` (the async twin gets the same from the engine's `within`).
    """
    with _mapped(endpoint):
        if timeout is None:
            response = client.send(_with_timeout(request, timeout))
            content = response.content
        else:
            deadline = monotonic() + timeout
            response = client.send(_with_timeout(request, timeout), stream=True)
            try:
                if monotonic() > deadline:
                    raise _timed_out(endpoint, timeout)
                chunks: list[bytes] = []
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if monotonic() > deadline:
                        raise _timed_out(endpoint, timeout)
            finally:
                response.close()
            content = b"".join(chunks)
    return _json(endpoint, response, content)


async def send_async(
    client: httpx.AsyncClient,
    endpoint: Endpoint,
    request: httpx.Request,
    *,
    timeout: float | None,
) -> Any:
    """The async twin of `send_sync`."""
    with _mapped(endpoint):
        response = await client.send(_with_timeout(request, timeout))
    return _json(endpoint, response, response.content)


def _sse_error(endpoint: Endpoint, exc: Exception) -> StreamError:
    return StreamError(
        f"{endpoint.provider} did not answer {endpoint.model_id} with an event stream: {exc}",
        provider=endpoint.provider,
        model=endpoint.model_id,
    )


def _stream_failed(endpoint: Endpoint, response: httpx.Response, hint: Hint | None) -> Exception:
    error = error_from_response(
        endpoint,
        response.status_code,
        response.content,
        response.headers,
        response.request.headers,
    )
    if hint is not None and isinstance(error, NotFoundError):
        return hint(error)
    return error


def stream_events(
    client: httpx.Client,
    endpoint: Endpoint,
    request: httpx.Request,
    parser: StreamParser,
    *,
    timeout: float | None,
    first_chunk: float | None = None,
    total: float | None = None,
    hint: Hint | None = None,
) -> Generator[StreamPart, None, None]:
    """Send `request` and yield the parts `parser` finds in its SSE body.

    `timeout` bounds each wait for data, `first_chunk` the wait for the status line (the
    engine holds the time to first content), `total` the whole stream. `hint` may reword a
    404 (the caller's "did you mean"), so no wrapper generator is needed.
    """
    from httpx_sse import EventSource, SSEError

    deadline = None if total is None else monotonic() + total
    with _mapped(endpoint):
        response = client.send(_with_timeout(request, timeout, first_chunk), stream=True)
        try:
            if response.status_code >= 400:
                response.read()
                raise _stream_failed(endpoint, response, hint)
            _body_reads(request, timeout)
            feed = parser.feed
            try:
                for event in EventSource(response).iter_sse():
                    parts = feed(event.event, event.data)
                    if parts:
                        if deadline is not None and monotonic() > deadline:
                            raise _timed_out(endpoint, total)
                        yield from parts
            except SSEError as exc:
                raise _sse_error(endpoint, exc) from exc
            yield from parser.close()
        finally:
            response.close()


async def astream_events(
    client: httpx.AsyncClient,
    endpoint: Endpoint,
    request: httpx.Request,
    parser: StreamParser,
    *,
    timeout: float | None,
    first_chunk: float | None = None,
    total: float | None = None,
    hint: Hint | None = None,
) -> AsyncGenerator[StreamPart, None]:
    """The async twin of `stream_events`."""
    from httpx_sse import EventSource, SSEError

    deadline = None if total is None else monotonic() + total
    with _mapped(endpoint):
        response = await client.send(_with_timeout(request, timeout, first_chunk), stream=True)
        try:
            if response.status_code >= 400:
                await response.aread()
                raise _stream_failed(endpoint, response, hint)
            _body_reads(request, timeout)
            try:
                async for event in EventSource(response).aiter_sse():
                    parts = parser.feed(event.event, event.data)
                    if parts and deadline is not None and monotonic() > deadline:
                        raise _timed_out(endpoint, total)
                    for part in parts:
                        yield part
            except SSEError as exc:
                raise _sse_error(endpoint, exc) from exc
            for part in parser.close():
                yield part
        finally:
            await response.aclose()
