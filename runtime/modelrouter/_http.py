"""The only I/O of the router: send one request, or read one SSE stream, over httpx.

Sync and async twins share everything but the awaits. httpx transport errors become
`ProviderTimeoutError` / `ProviderConnectionError` here, once; error answers go through the
transport-independent `error_from_response`. httpx-sse is imported on the stream path only.
"""

from __future__ import annotations

import json
import socket
import threading
from collections.abc import AsyncGenerator, Callable, Generator, Iterator
from contextlib import contextmanager
from time import monotonic
from typing import Any

import httpx

from modelrouter._defaults import USER_AGENT
from modelrouter._errors import (
    ConfigurationError,
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
    control_header_error,
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
    # dict (a per-request copy), and keeps it for every read of that body: it cannot change
    # between reads, which is why `_Alarm` exists.
    limits = request.extensions.get("timeout")
    if limits is not None:
        limits["read"] = timeout


class _Alarm:
    """Cuts a sync response's reads at a deadline: shuts its socket down unless cancelled first.

    httpcore keeps one read timeout for a whole body, and a blocking read cannot be cancelled
    the way an await can; shutting the socket down from a timer thread ends the read at once
    (the connection is then closed, as after any timeout). Armed only where a deadline must
    cut a read short: before a stream's first content under `first_chunk`, and on a
    non-streamed body still arriving. `fired` tells the caller to raise a timeout.
    """

    __slots__ = ("_lock", "_response", "_sock", "_timer", "fired")

    def __init__(self, response: httpx.Response, sock: socket.socket, seconds: float) -> None:
        self.fired = False
        self._lock = threading.Lock()
        self._response: httpx.Response | None = response
        self._sock: socket.socket | None = sock
        self._timer = threading.Timer(max(seconds, 0.0), self._fire)
        self._timer.daemon = True
        self._timer.start()

    def _fire(self) -> None:
        with self._lock:
            response, sock = self._response, self._sock
            # A closed response may have handed its connection back to the pool: leave it be.
            if response is None or sock is None or response.is_closed:
                return
            self.fired = True
            try:
                # The plain socket's shutdown, also under TLS (the read then sees end of file).
                socket.socket.shutdown(sock, socket.SHUT_RDWR)
            except OSError:
                pass

    def cancel(self) -> None:
        with self._lock:
            self._response = self._sock = None
        self._timer.cancel()


def _alarm(response: httpx.Response, seconds: float) -> _Alarm | None:
    """An alarm on `response`'s socket, or None where there is no socket of its own to cut."""
    if response.http_version not in ("HTTP/1.1", "HTTP/1.0"):
        return None  # an HTTP/2 socket carries other requests' streams too
    stream = response.extensions.get("network_stream")
    get_extra_info = getattr(stream, "get_extra_info", None)
    sock = get_extra_info("socket") if get_extra_info is not None else None
    if not isinstance(sock, socket.socket):
        return None  # a mock or custom transport: the checks between reads still hold
    return _Alarm(response, sock, seconds)


def _complete(response: httpx.Response) -> bool:
    # A body with a Content-Length all read: its end is buffered, no read can block any more.
    length = response.headers.get("content-length")
    return length is not None and length.isdigit() and response.num_bytes_downloaded >= int(length)


def _timed_out(
    endpoint: Endpoint, seconds: float | None, what: str = "did not answer"
) -> ProviderTimeoutError:
    limit = f" within {seconds:g}s" if seconds is not None else ""
    return ProviderTimeoutError(
        f"{endpoint.provider} {what} {endpoint.model_id}{limit}",
        provider=endpoint.provider,
        model=endpoint.model_id,
    )


def _no_content(endpoint: Endpoint, seconds: float | None) -> ProviderTimeoutError:
    return _timed_out(endpoint, seconds, "sent no content for")


@contextmanager
def _mapped(endpoint: Endpoint, request: httpx.Request) -> Iterator[None]:
    """Turn httpx's transport errors (and httpx-sse's) into our tree, `from` the original."""
    try:
        yield
    except httpx.TimeoutException as exc:
        raise ProviderTimeoutError(
            f"{endpoint.provider} did not answer {endpoint.model_id} in time ({type(exc).__name__})",
            provider=endpoint.provider,
            model=endpoint.model_id,
        ) from exc
    except httpx.LocalProtocolError:
        # We were about to send something HTTP forbids: in practice a header with a line break
        # (h11's message quotes the value, which may be a key, so neither it nor the original
        # is kept). The user's configuration, not the provider: no retry.
        error = control_header_error(request.headers)
        if error is None:
            error = ConfigurationError(
                f"The request for {endpoint.model_id} is not valid HTTP; check its headers"
            )
        raise error from None
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
        text = content[:200].decode("utf-8", "replace")
        raise unexpected_payload(endpoint, text, response.request.headers) from exc


def send_sync(
    client: httpx.Client, endpoint: Endpoint, request: httpx.Request, *, timeout: float | None
) -> Any:
    """Send `request` and return its JSON body; error answers raise `ProviderError`s.

    `timeout` bounds the whole answer, not only each read: the body's reads get only the
    time left after the status line, and a body still arriving after its first chunk is cut
    at the deadline (`_Alarm`), so a body trickled slower than that raises
    `ProviderTimeoutError` (the async twin gets the same from the engine's `within`).
    """
    with _mapped(endpoint, request):
        if timeout is None:
            response = client.send(_with_timeout(request, timeout))
            content = response.content
        else:
            deadline = monotonic() + timeout
            response = client.send(_with_timeout(request, timeout), stream=True)
            alarm: _Alarm | None = None
            try:
                left = deadline - monotonic()
                if left <= 0:
                    raise _timed_out(endpoint, timeout)
                _body_reads(request, left)
                chunks: list[bytes] = []
                for chunk in response.iter_bytes():
                    chunks.append(chunk)
                    if monotonic() > deadline:
                        raise _timed_out(endpoint, timeout)
                    if alarm is None and not _complete(response):
                        # More to read (the usual small answer comes whole in one chunk).
                        alarm = _alarm(response, deadline - monotonic())
            except httpx.TransportError:
                if alarm is not None and alarm.fired:
                    raise _timed_out(endpoint, timeout) from None
                raise
            finally:
                if alarm is not None:
                    alarm.cancel()
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
    with _mapped(endpoint, request):
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

    Until the first content (the first event with text in it), every event is checked
    against the time to first content (`first_chunk`, else `timeout`) and the total, so
    keep-alives cannot hold a stream open; under `first_chunk` a silent server is cut at that
    time too (`_Alarm`). After content each wait for data is bounded by `timeout` and every
    event is checked against `total`. `hint` may reword a 404 (the caller's "did you mean"),
    so no wrapper generator is needed.
    """
    from httpx_sse import EventSource, SSEError

    start = monotonic()
    deadline = None if total is None else start + total
    with _mapped(endpoint, request):
        response = client.send(_with_timeout(request, timeout, first_chunk), stream=True)
        alarm: _Alarm | None = None
        try:
            if response.status_code >= 400:
                response.read()
                raise _stream_failed(endpoint, response, hint)
            _body_reads(request, timeout)
            parser.sent = request.headers
            soon, limit = _before_content(start, timeout, first_chunk, deadline, total)
            if first_chunk is not None and soon is not None:
                # Each read may otherwise wait `timeout`, past the time to first content.
                alarm = _alarm(response, soon - monotonic())
            feed = parser.feed
            events = EventSource(response).iter_sse()
            try:
                parts: list[StreamPart] = []
                for event in events:
                    if soon is not None and monotonic() > soon:
                        raise _no_content(endpoint, limit)
                    parts = feed(event.event, event.data)
                    if parts:
                        break
                if parts:  # content: from here on only the total is checked, per event
                    if alarm is not None:
                        alarm.cancel()
                        alarm = None
                    yield from parts
                    for event in events:
                        if deadline is not None and monotonic() > deadline:
                            raise _timed_out(endpoint, total)
                        yield from feed(event.event, event.data)
            except SSEError as exc:
                raise _sse_error(endpoint, exc) from exc
            except httpx.TransportError:
                if alarm is not None and alarm.fired:
                    raise _no_content(endpoint, limit) from None
                raise
            yield from parser.close()
        finally:
            if alarm is not None:
                alarm.cancel()
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
    """The async twin of `stream_events`.

    The same checks per event; a silent server before content is cut by the engine's
    `within` (an await can be cancelled), so no alarm is needed.
    """
    from httpx_sse import EventSource, SSEError

    start = monotonic()
    deadline = None if total is None else start + total
    with _mapped(endpoint, request):
        response = await client.send(_with_timeout(request, timeout, first_chunk), stream=True)
        try:
            if response.status_code >= 400:
                await response.aread()
                raise _stream_failed(endpoint, response, hint)
            _body_reads(request, timeout)
            parser.sent = request.headers
            soon, limit = _before_content(start, timeout, first_chunk, deadline, total)
            feed = parser.feed
            events = EventSource(response).aiter_sse()
            try:
                parts: list[StreamPart] = []
                async for event in events:
                    if soon is not None and monotonic() > soon:
                        raise _no_content(endpoint, limit)
                    parts = feed(event.event, event.data)
                    if parts:
                        break
                if parts:
                    for part in parts:
                        yield part
                    async for event in events:
                        if deadline is not None and monotonic() > deadline:
                            raise _timed_out(endpoint, total)
                        for part in feed(event.event, event.data):
                            yield part
            except SSEError as exc:
                raise _sse_error(endpoint, exc) from exc
            for part in parser.close():
                yield part
        finally:
            await response.aclose()
