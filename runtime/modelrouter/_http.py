"""The only I/O of the router: send one request, or read one SSE stream, over httpx.

Sync and async twins share everything but the awaits. httpx transport errors become
`ProviderTimeoutError` / `ProviderConnectionError` here, once; error answers go through the
transport-independent `error_from_response` (`_http_errors`). httpx-sse is imported on the
stream path only.

Every send passes `follow_redirects=False`, whatever the client says: a redirect would carry
the key and every custom header to wherever it points (httpx strips only `Authorization`),
so a 3xx is a `ProviderError` with its status. Bodies are read bounded (`_body`), and no
error raised here keeps httpx's exception (it holds the request, headers and all) as its
`__cause__` or `__context__`: each is raised outside the `except` that caught the original.
"""

from __future__ import annotations

import json
from collections.abc import AsyncGenerator, Callable, Generator
from time import monotonic
from typing import Any, cast

import httpx

from modelrouter._body import (
    MAX_BODY_BYTES,
    MAX_ERROR_BODY_BYTES,
    Deadline,
    SSESource,
    aread_body,
    read_body,
    too_large,
)
from modelrouter._defaults import (
    DEFAULT_KEEPALIVE_EXPIRY,
    DEFAULT_MAX_CONNECTIONS,
    DEFAULT_MAX_KEEPALIVE,
    USER_AGENT,
)
from modelrouter._errors import NotFoundError, ProviderTimeoutError
from modelrouter._http_errors import failed, mapped, no_content, timed_out
from modelrouter._types import StreamPart
from modelrouter.transports.base import Endpoint, StreamParser, unexpected_payload

__all__ = [
    "DEFAULT_LIMITS",
    "astream_events",
    "new_async_client",
    "new_client",
    "send_async",
    "send_sync",
    "stream_events",
]

Hint = Callable[[NotFoundError], NotFoundError]
"""Rewords a 404 before it is raised (the model's "did you mean")."""

DEFAULT_LIMITS = httpx.Limits(
    max_connections=DEFAULT_MAX_CONNECTIONS,
    max_keepalive_connections=DEFAULT_MAX_KEEPALIVE,
    keepalive_expiry=DEFAULT_KEEPALIVE_EXPIRY,
)
"""The pool of a client an Agent makes itself, unless `Agent(limits=...)` says otherwise."""

_TIMEOUTS: dict[tuple[float | None, float | None], dict[str, float | None]] = {}
_MAX_TIMEOUTS = 64


def new_client(limits: httpx.Limits | None = None) -> httpx.Client:
    """The client an Agent creates (and closes) when none was passed in."""
    return httpx.Client(
        headers={"user-agent": USER_AGENT}, limits=limits or DEFAULT_LIMITS, timeout=60.0
    )


def new_async_client(limits: httpx.Limits | None = None) -> httpx.AsyncClient:
    """The async twin of `new_client`."""
    return httpx.AsyncClient(
        headers={"user-agent": USER_AGENT}, limits=limits or DEFAULT_LIMITS, timeout=60.0
    )


def _with_timeout(
    request: httpx.Request, timeout: float | None, first_chunk: float | None = None
) -> httpx.Request:
    # httpx reads per-request timeouts from the request's extensions; None keeps the
    # client's own. A first-chunk limit bounds the wait for the status line only: `_body_reads`
    # lifts it before the body is read (where `Deadline` takes over).
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
    # dict (a per-request copy), and keeps it for every read of that body; `Deadline` clamps
    # each read below it where a deadline comes sooner.
    limits = request.extensions.get("timeout")
    if limits is not None:
        limits["read"] = timeout


def _json(endpoint: Endpoint, response: httpx.Response, content: bytes) -> Any:
    try:
        return json.loads(content)
    except ValueError:
        pass
    # Outside the `except`: the decode error holds the whole text (`doc`).
    text = content[:200].decode("utf-8", "replace")
    raise unexpected_payload(endpoint, text, response.request.headers)


def _body(endpoint: Endpoint, response: httpx.Response, body: bytes, whole: bool) -> bytes:
    if response.status_code >= 300:
        raise failed(endpoint, response, body)  # a cut error body is still that error
    if not whole:
        raise too_large(response, "a body", MAX_BODY_BYTES, endpoint.provider, endpoint.model_id)
    return body


def _late(endpoint: Endpoint, deadline: float | None, seconds: float | None) -> None:
    if deadline is not None and monotonic() >= deadline:
        raise timed_out(endpoint, seconds)


def send_sync(
    client: httpx.Client, endpoint: Endpoint, request: httpx.Request, *, timeout: float | None
) -> Any:
    """Send `request` and return its JSON body; error answers raise `ProviderError`s.

    `timeout` bounds the whole answer, not only each read: every read of the body waits at
    most until the deadline (`Deadline`, no thread), so a body trickled slower than that
    raises `ProviderTimeoutError` at the deadline (the async twin gets the same from the
    engine's `within`). The body is read up to `MAX_BODY_BYTES` decompressed.
    """
    deadline = None if timeout is None else monotonic() + timeout
    try:
        response = client.send(_with_timeout(request, timeout), stream=True, follow_redirects=False)
        clamp: Deadline | None = None
        try:
            limit = MAX_ERROR_BODY_BYTES if response.status_code >= 300 else MAX_BODY_BYTES
            if deadline is not None:
                _late(endpoint, deadline, timeout)
                _body_reads(request, deadline - monotonic())
                clamp = Deadline(response, deadline)
            body, whole = read_body(response, limit)
        finally:
            if clamp is not None:
                clamp.remove()
            response.close()
    except httpx.HTTPError as exc:
        failure = mapped(endpoint, request, exc)
        if isinstance(failure, ProviderTimeoutError) and deadline is not None:
            if monotonic() >= deadline - 0.001:
                failure = timed_out(endpoint, timeout)
    else:
        return _json(endpoint, response, _body(endpoint, response, body, whole))
    raise failure


async def send_async(
    client: httpx.AsyncClient,
    endpoint: Endpoint,
    request: httpx.Request,
    *,
    timeout: float | None,
) -> Any:
    """The async twin of `send_sync` (a read that would pass the deadline is cancelled by the
    engine's `within`; the deadline is also checked between reads)."""
    deadline = None if timeout is None else monotonic() + timeout
    try:
        response = await client.send(
            _with_timeout(request, timeout), stream=True, follow_redirects=False
        )
        try:
            limit = MAX_ERROR_BODY_BYTES if response.status_code >= 300 else MAX_BODY_BYTES
            body, whole = await aread_body(response, limit)
        finally:
            await response.aclose()
        _late(endpoint, deadline, timeout)
    except httpx.HTTPError as exc:
        failure = mapped(endpoint, request, exc)
    else:
        return _json(endpoint, response, _body(endpoint, response, body, whole))
    raise failure


def _stream_failed(
    endpoint: Endpoint, response: httpx.Response, body: bytes, hint: Hint | None
) -> Exception:
    error = failed(endpoint, response, body)
    if hint is not None and isinstance(error, NotFoundError):
        return hint(error)
    return error


def _source(endpoint: Endpoint, response: httpx.Response) -> httpx.Response:
    from modelrouter._body import MAX_SSE_EVENT_BYTES

    def error() -> Exception:
        what = "an event"
        return too_large(response, what, MAX_SSE_EVENT_BYTES, endpoint.provider, endpoint.model_id)

    # EventSource reads only `headers` and `iter_text` / `aiter_text`, which SSESource bounds.
    return cast(httpx.Response, SSESource(response, error))


def _before_content(
    start: float,
    timeout: float | None,
    first_chunk: float | None,
    deadline: float | None,
    total: float | None,
) -> tuple[float | None, float | None]:
    """When a stream must have sent content by (or None), and that limit in seconds."""
    # The engine's `AttemptBudget.before_content`: first_chunk, else the attempt's limit.
    limit = first_chunk if first_chunk is not None else timeout
    if limit is None:
        return deadline, total
    if deadline is not None and deadline < start + limit:
        return deadline, total
    return start + limit, limit


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

    Until the first content (the first event with text in it), every read waits at most until
    the time to first content (`first_chunk`, else `timeout`) or the total, whichever comes
    first (`Deadline`: no thread), and every event is checked against it, so neither silence
    nor keep-alives can hold a stream open. After content each wait for data is bounded by
    `timeout` and by the total, and every event is checked against the total. `hint` may
    reword a 404 (the caller's "did you mean"), so no wrapper generator is needed.
    """
    from httpx_sse import EventSource

    start = monotonic()
    deadline = None if total is None else start + total
    soon, limit = _before_content(start, timeout, first_chunk, deadline, total)
    late: Callable[[], ProviderTimeoutError] = lambda: no_content(endpoint, limit)
    failure: Exception | None = None
    clamp: Deadline | None = None
    try:
        response = client.send(
            _with_timeout(request, timeout, first_chunk), stream=True, follow_redirects=False
        )
        try:
            if response.status_code >= 300:
                body, _ = read_body(response, MAX_ERROR_BODY_BYTES)
                raise _stream_failed(endpoint, response, body, hint)
            _body_reads(request, timeout)
            parser.sent = request.headers
            if soon is not None:
                clamp = Deadline(response, soon)
            feed = parser.feed
            events = EventSource(_source(endpoint, response)).iter_sse()
            parts: list[StreamPart] = []
            for event in events:
                if soon is not None and monotonic() > soon:
                    raise late()
                parts = feed(event.event, event.data)
                if parts:
                    break
            if parts:  # content: from here on only the total is checked, per event and read
                late = lambda: timed_out(endpoint, total)
                if clamp is not None:
                    clamp.at = deadline
                elif deadline is not None:
                    clamp = Deadline(response, deadline)
                yield from parts
                for event in events:
                    if deadline is not None and monotonic() > deadline:
                        raise late()
                    yield from feed(event.event, event.data)
            yield from parser.close()
        finally:
            if clamp is not None:
                clamp.remove()
            response.close()
    except httpx.HTTPError as exc:
        failure = mapped(endpoint, request, exc)
        at = None if clamp is None else clamp.at
        if isinstance(failure, ProviderTimeoutError) and at is not None:
            if monotonic() >= at - 0.001:
                failure = late()
    if failure is not None:
        raise failure


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
    """The async twin of `stream_events`.

    The same checks per event; a silent server before content is cut by the engine's
    `within` (an await can be cancelled), so no read needs clamping there.
    """
    from httpx_sse import EventSource

    start = monotonic()
    deadline = None if total is None else start + total
    failure: Exception | None = None
    try:
        response = await client.send(
            _with_timeout(request, timeout, first_chunk), stream=True, follow_redirects=False
        )
        try:
            if response.status_code >= 300:
                body, _ = await aread_body(response, MAX_ERROR_BODY_BYTES)
                raise _stream_failed(endpoint, response, body, hint)
            _body_reads(request, timeout)
            parser.sent = request.headers
            soon, limit = _before_content(start, timeout, first_chunk, deadline, total)
            feed = parser.feed
            events = EventSource(_source(endpoint, response)).aiter_sse()
            parts: list[StreamPart] = []
            async for event in events:
                if soon is not None and monotonic() > soon:
                    raise no_content(endpoint, limit)
                parts = feed(event.event, event.data)
                if parts:
                    break
            if parts:
                for part in parts:
                    yield part
                async for event in events:
                    if deadline is not None and monotonic() > deadline:
                        raise timed_out(endpoint, total)
                    for part in feed(event.event, event.data):
                        yield part
            for part in parser.close():
                yield part
        finally:
            await response.aclose()
    except httpx.HTTPError as exc:
        failure = mapped(endpoint, request, exc)
    if failure is not None:
        raise failure
