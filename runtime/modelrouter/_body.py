"""Bounded reads of an answer: in size (decompressed bytes, counted as they are read) and, on
the sync path, in time (each socket read clamped to a deadline, without a thread).

Size: the body is inflated 8 KiB of wire bytes at a time (gzip and deflate inflate at most
~1,032x, so one step yields at most ~8.5 MB) and counted as it grows; reading stops at the cap.
An SSE stream is fed to httpx-sse through `SSESource`, which counts the bytes of the event
being read (its lines together, so any single line too) and stops at the cap.

Time: httpcore takes a body's read timeout once, when the body starts, and blocks in `recv`;
`Deadline` wraps the `read` of the HTTP/1.1 connection's network stream (the public
`network_stream` extension) while the body is read, so every read waits at most until the
deadline the caller sets (and moves, e.g. from the time to first content to the total).
"""

from __future__ import annotations

import codecs
import threading
from collections.abc import AsyncIterator, Callable, Iterator, Sequence
from time import monotonic
from typing import Any, Final

import httpcore
import httpx

from modelrouter._errors import ResponseTooLargeError

__all__ = [
    "MAX_BODY_BYTES",
    "MAX_ERROR_BODY_BYTES",
    "MAX_SSE_EVENT_BYTES",
    "Deadline",
    "SSESource",
    "aread_body",
    "read_body",
]

MAX_BODY_BYTES: Final = 16 * 1024 * 1024
"""A 200 answer's body, decompressed; past it the call fails with `ResponseTooLargeError`."""

MAX_ERROR_BODY_BYTES: Final = 64 * 1024
"""An error answer's body, decompressed; only this much is read (the status says enough)."""

MAX_SSE_EVENT_BYTES: Final = 8 * 1024 * 1024
"""One server-sent event (each of its lines too), decompressed; past it `ResponseTooLargeError`."""

_RAW_CHUNK: Final = 8192


def _decoder(response: httpx.Response) -> Any:
    # httpx's own decoder for the answer's Content-Encoding (gzip, deflate, br, zstd), fed
    # small raw pieces by us: `iter_bytes` feeds it whatever one socket read returned.
    return response._get_content_decoder()  # pyright: ignore[reportPrivateUsage]


def too_large(
    response: httpx.Response, what: str, limit: int, provider: str, model: str
) -> ResponseTooLargeError:
    """The `ResponseTooLargeError` for `response` (its real status kept)."""
    return ResponseTooLargeError(
        f"{provider} answered {model} with {what} over {limit:,} bytes (decompressed);"
        " reading stopped there",
        status=response.status_code,
        provider=provider,
        model=model,
    )


def _pieces(raw: bytes) -> Sequence[bytes]:
    # Not `iter_raw(chunk_size)`: its chunker holds data back until a whole chunk is in,
    # which would delay every small stream event. Most reads are one small piece already.
    if len(raw) <= _RAW_CHUNK:
        return (raw,)
    return [raw[start : start + _RAW_CHUNK] for start in range(0, len(raw), _RAW_CHUNK)]


def _cut(body: bytearray, limit: int) -> bytes:
    del body[limit:]  # in place: a slice would be one more copy of a body at the cap
    return bytes(body)


def read_body(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """The decompressed body, at most `limit` bytes, and whether it ended within them."""
    decoder = _decoder(response)
    body = bytearray()
    for raw in response.iter_raw():
        for piece in _pieces(raw):
            body += decoder.decode(piece)
            if len(body) > limit:
                return _cut(body, limit), False
    body += decoder.flush()
    if len(body) > limit:
        return _cut(body, limit), False
    return bytes(body), True


async def aread_body(response: httpx.Response, limit: int) -> tuple[bytes, bool]:
    """The async twin of `read_body`."""
    decoder = _decoder(response)
    body = bytearray()
    async for raw in response.aiter_raw():
        for piece in _pieces(raw):
            body += decoder.decode(piece)
            if len(body) > limit:
                return _cut(body, limit), False
    body += decoder.flush()
    if len(body) > limit:
        return _cut(body, limit), False
    return bytes(body), True


class SSESource:
    """What `httpx_sse.EventSource` reads: the answer's text, stopped at the event cap.

    EventSource needs only `headers` and `iter_text()` / `aiter_text()`; this gives both,
    inflating small pieces and counting the bytes since the last blank line (an event's end).
    """

    def __init__(self, response: httpx.Response, error: Callable[[], Exception]) -> None:
        self.headers = response.headers
        self._response = response
        self._error = error
        self._event = 0  # bytes of the event being read so far
        self._tail = b""  # the last bytes seen, for an event end split across pieces

    def _count(self, data: bytes) -> None:
        joined = self._tail + data[:3]
        end = max(data.rfind(b"\n\n"), data.rfind(b"\r\r"), data.rfind(b"\n\r\n"))
        if end >= 0:
            self._event = len(data) - end
        elif b"\n\n" in joined or b"\r\r" in joined or b"\n\r\n" in joined:
            self._event = len(data)
        else:
            self._event += len(data)
        self._tail = (self._tail + data)[-3:] if len(data) < 3 else data[-3:]
        if self._event > MAX_SSE_EVENT_BYTES:
            raise self._error()

    def iter_text(self) -> Iterator[str]:
        decoder = _decoder(self._response)
        text = codecs.getincrementaldecoder("utf-8")("replace")
        for raw in self._response.iter_raw():
            for piece in _pieces(raw):
                data = decoder.decode(piece)
                if data:
                    self._count(data)
                    yield text.decode(data)
        rest = decoder.flush()
        self._count(rest)
        yield text.decode(rest, final=True)

    async def aiter_text(self) -> AsyncIterator[str]:
        decoder = _decoder(self._response)
        text = codecs.getincrementaldecoder("utf-8")("replace")
        async for raw in self._response.aiter_raw():
            for piece in _pieces(raw):
                data = decoder.decode(piece)
                if data:
                    self._count(data)
                    yield text.decode(data)
        rest = decoder.flush()
        self._count(rest)
        yield text.decode(rest, final=True)


class Deadline:
    """Clamps every read of a sync HTTP/1.1 response's socket to `at` (None: no clamp).

    Installed on the connection's network stream for one body and removed after; a read by
    another thread (the connection back in the pool) is passed through unchanged. Where there
    is no such stream (HTTP/2, a mock or custom transport) it does nothing, and the checks the
    caller makes between reads still hold.
    """

    __slots__ = ("_owner", "_read", "_stream", "at")

    def __init__(self, response: httpx.Response, at: float | None) -> None:
        self.at = at
        self._owner = threading.get_ident()
        self._stream: Any = None
        self._read: Any = None
        stream = response.extensions.get("network_stream")
        if response.http_version not in ("HTTP/1.1", "HTTP/1.0") or stream is None:
            return  # an HTTP/2 connection carries other requests' streams too
        read = getattr(type(stream), "read", None)
        if read is None or not hasattr(stream, "__dict__"):
            return
        self._stream, self._read = stream, read
        stream.read = self._clamped

    def _clamped(self, max_bytes: int, timeout: float | None = None) -> bytes:
        at = self.at
        if at is not None and threading.get_ident() == self._owner:
            left = at - monotonic()
            if left <= 0:
                # Through httpcore's own path: the connection is dropped, httpx maps it.
                raise httpcore.ReadTimeout("the deadline passed")
            if timeout is None or left < timeout:
                timeout = left
        data: bytes = self._read(self._stream, max_bytes, timeout)
        return data

    def remove(self) -> None:
        stream, self._stream = self._stream, None
        if stream is not None and stream.__dict__.get("read") == self._clamped:
            del stream.read
