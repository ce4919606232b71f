"""What every wire protocol module provides, and the pieces they share.

A transport is sans-I/O: it builds an `httpx.Request` from our `ModelRequest`, parses a JSON
answer or one server-sent event into our types, and never touches a socket. `_http` does the
I/O; the dispatch table in `transports/__init__.py` picks the module by `WireFormat`.
"""

from __future__ import annotations

import email.utils
import json
import math
import time
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from typing import Any, Final, Protocol

import httpx

from modelrouter._defaults import USER_AGENT
from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    NotFoundError,
    ProviderError,
    RateLimitError,
    ServerError,
    StreamError,
)
from modelrouter._redact import Secrets
from modelrouter._types import ModelRequest, ModelResponse, StreamPart
from modelrouter._validate import unsendable_body

__all__ = [
    "Endpoint",
    "StreamParser",
    "Transport",
    "base_headers",
    "control_header_error",
    "error_from_response",
    "join_url",
    "parse_retry_after",
    "secrets_for",
    "secrets_of",
    "stream_error",
    "unexpected_payload",
]


@dataclass(frozen=True, slots=True)
class Endpoint:
    """Where and as whom one model is reached: everything resolution decided.

    Attributes:
        model_id: the full id the user wrote, e.g. "openai/gpt-5".
        provider: provider id, used to pick provider options and in errors.
        model: the bare model id the wire protocol sends.
        base_url: base URL including the version segment.
        api_key: the key, or None for an endpoint that needs none. Never shown in a repr.
        headers: extra headers for this model only.
        api_key_header: the header carrying the key when not the protocol's usual one.
    """

    model_id: str
    provider: str
    model: str
    base_url: str
    api_key: str | None = field(default=None, repr=False)
    headers: Mapping[str, str] = field(default_factory=dict[str, str], repr=False)
    api_key_header: str | None = None


class StreamParser(Protocol):
    """Turns one protocol's server-sent events into stream parts, keeping what it needs.

    `sent` is the request's headers as sent (None until `_http` sets it, before the first
    event): an error event is scrubbed of their values, as an HTTP error answer is.
    """

    sent: Mapping[str, str] | None

    def feed(self, event: str, data: str) -> list[StreamPart]:
        """Parts carried by one event; raises `StreamError` for an error event."""
        ...

    def close(self) -> list[StreamPart]:
        """Final parts once the body ends; raises `StreamError` if it ended too early."""
        ...


class Transport(Protocol):
    """One wire protocol; implemented by the modules `openai_chat`, `anthropic`, `gemini`.

    The contract for transport authors (`openai_chat` is the reference implementation):

    `build_request(endpoint, request, stream=...)` maps a `ModelRequest`:
    - `request.system`: the system prompt (system messages are already folded into it).
    - `request.messages`: roles "user", "assistant", "tool". `content` is a `str` (send it as
      is: the fast path) or a list of parts (`modelrouter._parts`): `TextPart` in user and
      assistant messages, `ToolCallPart` in assistant ones (`arguments` is JSON text, maybe
      invalid: `transports.parts.arguments_object` gives a dict for protocols that send
      objects), `ToolResultPart` in tool ones (with the call's `name`, for protocols that key
      results by name). A part a protocol cannot carry raises `unsupported_part(...)`
      (a `ConfigurationError`): never drop one. Call ids are kept verbatim both ways.
    - `request.tools` (`ToolSpec`: name, description, JSON Schema `parameters`, `strict`) and
      `request.tool_choice` ("auto", "none", "required", or one tool's name; None: omit).
    - `request.output` (`OutputSpec`): ask for JSON matching `schema` (an object schema)
      through the protocol's native mode. The JSON must come back as text (a forced tool's
      input is turned into text by the transport), never as a tool call.
    - `request.provider_options` are merged into the body last, as today.

    `parse_response` returns `ModelResponse(text=..., tool_calls=[ToolCallPart, ...], ...)`
    with `finish_reason="tool_calls"` when the model stopped to call tools.

    `stream_parser(...).feed` returns `StreamPart`s: `TextDelta` for text, and per tool call
    `ToolCallStart(index, id, name)`, zero or more `ToolCallDelta(index, arguments)` fragments,
    then `ToolCallEnd(index, call)` with the assembled `ToolCallPart`; `close()` ends any call
    still open, then yields the single `StreamFinish`. `index` numbers the calls of one answer
    from 0. A `ToolCallStart` commits the stream exactly as text does (no fallback after it).
    """

    def build_request(
        self, endpoint: Endpoint, request: ModelRequest, *, stream: bool
    ) -> httpx.Request: ...

    def parse_response(
        self, endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
    ) -> ModelResponse:
        """The answer in `payload`; an unexpected one is scrubbed of the `sent` header values."""
        ...

    def stream_parser(self, endpoint: Endpoint) -> StreamParser: ...


def join_url(base: str, path: str) -> str:
    """`https://api.openai.com/v1` + `/chat/completions`, tolerating a trailing slash."""
    return base.rstrip("/") + path


def base_headers(
    endpoint: Endpoint, request: ModelRequest, auth: Mapping[str, str]
) -> dict[str, str]:
    """Protocol headers, then the model's own headers, then the request's (later wins)."""
    headers = {"user-agent": USER_AGENT, "content-type": "application/json", **auth}
    headers.update(endpoint.headers)
    headers.update(request.headers)
    return headers


def key_header(endpoint: Endpoint, default: str, *, bearer: bool = False) -> dict[str, str]:
    """The key under the protocol's header, or under the catalogue's override."""
    if endpoint.api_key is None:
        return {}
    if endpoint.api_key_header:
        return {endpoint.api_key_header: endpoint.api_key}
    return {default: f"Bearer {endpoint.api_key}" if bearer else endpoint.api_key}


# Parsed URLs by string, with their Host header: parsing costs about as much as the rest of
# building the request, and an endpoint's URL is the same at every call. `httpx.URL` is
# immutable, so one can be shared.
_URLS: dict[str, tuple[httpx.URL, str | None]] = {}
_MAX_URLS: Final = 1024

# Headers httpx works out itself from the URL and the body: when the caller set one, the
# request is built the ordinary way so that httpx's own rules decide.
_AUTO_HEADERS: Final = frozenset({"host", "content-length", "transfer-encoding"})


def _parsed(url: str) -> tuple[httpx.URL, str | None]:
    parsed = _URLS.get(url)
    if parsed is None:
        address = httpx.URL(url)
        parsed = (address, address.netloc.decode("ascii") if address.host else None)
        if len(_URLS) >= _MAX_URLS:  # ids are open-ended (gemini puts the model in the path)
            _URLS.clear()
        _URLS[url] = parsed
    return parsed


def json_request(url: str, headers: dict[str, str], body: Mapping[str, Any]) -> httpx.Request:
    """A POST of `body` as compact JSON; a header HTTP cannot carry is a `ConfigurationError`.

    The error names the header, never its value (which may be a key).
    """
    # Compact separators: fewer bytes on the wire, same JSON.
    try:
        content = json.dumps(body, separators=(",", ":"), ensure_ascii=False).encode()
    except (TypeError, ValueError) as exc:  # _validate: a ConfigurationError, not a raw error
        raise unsendable_body(exc) from None
    # One C-level scan of every value; only a value with a control character (a line break
    # would split the header, a NUL truncate it) takes the slow path that names it.
    if not "".join(headers.values()).isprintable():
        error = control_header_error(headers)
        if error is not None:
            raise error
    address, host = _parsed(url)
    try:
        if not _AUTO_HEADERS.isdisjoint(map(str.lower, headers)):
            return httpx.Request("POST", address, headers=headers, content=content)
        # The headers `content=` would add, in its order (Host first, Content-Length last),
        # set in one pass: `content=` builds the headers twice and probes them six times,
        # half the cost of the request. Tests keep the two byte-identical.
        sent = {"Host": host, **headers} if host is not None else dict(headers)
        sent["Content-Length"] = str(len(content))
        request = httpx.Request("POST", address, headers=sent, stream=httpx.ByteStream(content))
        request.read()  # a body in memory, as `content=` leaves it (`request.content` works)
        return request
    except UnicodeEncodeError:
        pass
    # Checked on failure only, so the hot path pays nothing. Raised outside the `except`: the
    # encode error holds the value (`object`), which may be a secret, and `from None` would
    # still keep it as `__context__`.
    name = _first_header(headers, _not_ascii) or "?"
    raise ConfigurationError(f"Header {name!r} is not ASCII: HTTP header names and values must be")


_CONTROL_MESSAGE: Final = (
    "Header {name!r} has a line break or another control character in its name or value,"
    " which HTTP forbids: strip it (a key read from a file often ends in a newline)"
)


def _first_header(headers: Mapping[str, str], bad: Callable[[str], bool]) -> str | None:
    """The name of the first header whose name or value is `bad`, if any."""
    for name, value in headers.items():
        if bad(name) or bad(value):
            return name
    return None


def _has_control(text: str) -> bool:
    # What HTTP/1.1 forbids in a field (h11 enforces it): C0 controls but tab, and DEL.
    return any((c < " " and c != "\t") or c == "\x7f" for c in text)


def _not_ascii(text: str) -> bool:
    return not text.isascii()


def control_header_error(headers: Mapping[str, str]) -> ConfigurationError | None:
    """The `ConfigurationError` for a header HTTP forbids (named, value never shown), if any."""
    name = _first_header(headers, _has_control)
    return None if name is None else ConfigurationError(_CONTROL_MESSAGE.format(name=name))


_STATUS_ERRORS: Final[dict[int, type[ProviderError]]] = {
    401: AuthenticationError,
    403: AuthenticationError,
    404: NotFoundError,
    429: RateLimitError,
}


def _seconds(text: str, scale: float) -> float | None:
    # nan, inf and negative waits are no instruction at all: treated as absent.
    try:
        value = float(text) / scale
    except ValueError:
        return None
    return value if math.isfinite(value) and value >= 0 else None


def parse_retry_after(headers: Mapping[str, str], now: float | None = None) -> float | None:
    """Seconds to wait from `retry-after-ms`, or `retry-after` (seconds or an HTTP date).

    Unusable values (nan, inf, negative, unparsable) count as absent; a date in the past is 0.
    """
    lowered = {k.lower(): v for k, v in headers.items()}
    millis = lowered.get("retry-after-ms")
    if millis is not None:
        seconds = _seconds(millis, 1000.0)
        if seconds is not None:
            return seconds
    value = lowered.get("retry-after")
    if value is None:
        return None
    try:
        float(value)
    except ValueError:
        pass
    else:
        return _seconds(value, 1.0)
    try:
        when = email.utils.parsedate_to_datetime(value)
    except (TypeError, ValueError):
        return None
    return max(0.0, when.timestamp() - (time.time() if now is None else now))


def error_detail(payload: Any) -> str:
    """The human part of an error body; all three protocols nest it under `error.message`."""
    if isinstance(payload, Mapping):
        inner: Any = payload.get("error", payload)  # pyright: ignore[reportUnknownMemberType]
        if isinstance(inner, Mapping):
            message: Any = inner.get("message")  # pyright: ignore[reportUnknownMemberType]
            if isinstance(message, str):
                return message
        if isinstance(inner, str):
            return inner
    return ""


_DETAIL_CHARS: Final = 1000
"""The most of a provider's own words (`error.message`) an error message quotes."""
_EXCERPT_CHARS: Final = 500


def secrets_for(
    endpoint: Endpoint, sent: Mapping[str, str] | None = None, url: str | None = None
) -> Secrets:
    """What one request must not leak: the key, the model's headers, every header sent.

    Every user-given header value counts as secret (reprs mask them too), whatever its length:
    a proxy key or an org token echoed back by a provider must not reach a log through our
    error message. `_redact.Secrets` says how short and standard values are treated.
    """
    return Secrets.of(endpoint.api_key, [endpoint.headers, sent or {}], url, every=endpoint.headers)


def secrets_of(endpoint: Endpoint, sent: Mapping[str, str] | None = None) -> list[str]:
    """The values `secrets_for` masks, longest first."""
    return list(secrets_for(endpoint, sent).values)


def _detail(secrets: Secrets, payload: Any) -> str:
    # A string decoded from the body: scrubbed again, whatever the raw text's scrub caught.
    return secrets.excerpt(error_detail(payload), _DETAIL_CHARS)


def _status_error(
    endpoint: Endpoint, status: int, detail: str, location: str | None
) -> tuple[type[ProviderError], str]:
    cls = _STATUS_ERRORS.get(status) or (ServerError if status >= 500 else ProviderError)
    message = f"{endpoint.provider} answered HTTP {status} for {endpoint.model_id}"
    if 300 <= status < 400:
        # Never followed: it would carry the key and headers wherever the answer points.
        where = f" to {location}" if location else ""
        message += (
            f": a redirect{where}, not followed (credentials are never sent on; set the"
            " model's url to the new location if it is right)"
        )
    if detail:
        message += f": {detail}"
    if cls is AuthenticationError:
        message += " (check the API key and that it has access to this model)"
    return cls, message


def error_from_response(
    endpoint: Endpoint,
    status: int,
    body: bytes,
    headers: Mapping[str, str],
    sent: Mapping[str, str] | None = None,
    url: str | None = None,
) -> ProviderError:
    """Map an HTTP error (or redirect) answer to our tree, scrubbed of every secret sent.

    `sent` is the request's headers and `url` its URL: their secret values are masked in the
    body excerpt and in the provider's words quoted, raw or encoded (see `_redact`). The
    caller bounds `body` (`_body.MAX_ERROR_BODY_BYTES`), which bounds the scrubbing too.
    """
    secrets = secrets_for(endpoint, sent, url)
    text = body.decode("utf-8", "replace")
    detail = ""
    if text.lstrip().startswith(("{", "[")):
        try:
            detail = _detail(secrets, json.loads(text))
        except ValueError:
            pass
    location = headers.get("location")
    if location is not None:
        location = secrets.excerpt(location, _EXCERPT_CHARS)
    cls, message = _status_error(endpoint, status, detail, location)
    return cls(
        message,
        status=status,
        provider=endpoint.provider,
        model=endpoint.model_id,
        body=secrets.excerpt(text, _EXCERPT_CHARS),
        retry_after=parse_retry_after(headers),
    )


def stream_error(
    endpoint: Endpoint, what: str, payload: Any = None, sent: Mapping[str, str] | None = None
) -> StreamError:
    """A `StreamError` for an error event or a stream that ended too early.

    Scrubbed like `error_from_response`: of the key and, given `sent`, every header value sent.
    """
    secrets = secrets_for(endpoint, sent)
    message = f"{endpoint.provider} stream for {endpoint.model_id} {what}"
    body = ""
    if payload is not None:
        detail = _detail(secrets, payload)
        if detail:
            message += f": {detail}"
        body = secrets.excerpt(json.dumps(payload), _EXCERPT_CHARS)
    return StreamError(message, provider=endpoint.provider, model=endpoint.model_id, body=body)


def unexpected_payload(
    endpoint: Endpoint, payload: Any, sent: Mapping[str, str] | None = None
) -> ProviderError:
    """A 200 answer whose JSON lacks what the protocol promises; scrubbed as `stream_error`."""
    body = secrets_for(endpoint, sent).excerpt(json.dumps(payload), _EXCERPT_CHARS)
    return ProviderError(
        f"{endpoint.provider} answered {endpoint.model_id} with an unexpected body",
        status=200,
        provider=endpoint.provider,
        model=endpoint.model_id,
        body=body,
    )


_raw_decode: Final = json.JSONDecoder().raw_decode


def loads_event(endpoint: Endpoint, data: str) -> Any:
    """JSON of one event, or a `StreamError` naming the malformed chunk."""
    # `raw_decode` is `json.loads` minus two regex scans for surrounding whitespace, which
    # cost as much as decoding a typical chunk; an event with any falls back to the full path.
    try:
        payload, end = _raw_decode(data)
        if end == len(data):
            return payload
    except ValueError:
        pass
    try:
        return json.loads(data)
    except ValueError:
        pass
    # Raised outside the `except`: the decode error holds the whole event (`doc`), which may
    # echo a secret, and would stay reachable as `__context__`.
    raise stream_error(endpoint, "sent a malformed chunk")
