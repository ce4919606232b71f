"""The errors `_http` raises for what httpx reports: mapped once, chained to nothing.

httpx's exceptions hold the request (its key and headers): ours are built from their type
and their message, scrubbed like a body, and raised by `_http` outside the `except` that
caught the original, so neither `__cause__` nor `__context__` keeps it.
"""

from __future__ import annotations

import httpx

from modelrouter._errors import (
    ConfigurationError,
    ProviderConnectionError,
    ProviderError,
    ProviderTimeoutError,
    StreamError,
)
from modelrouter.transports.base import (
    Endpoint,
    control_header_error,
    error_from_response,
    secrets_for,
)

__all__ = ["failed", "mapped", "no_content", "timed_out"]


def timed_out(
    endpoint: Endpoint, seconds: float | None, what: str = "did not answer"
) -> ProviderTimeoutError:
    limit = f" within {seconds:g}s" if seconds is not None else ""
    return ProviderTimeoutError(
        f"{endpoint.provider} {what} {endpoint.model_id}{limit}",
        provider=endpoint.provider,
        model=endpoint.model_id,
    )


def no_content(endpoint: Endpoint, seconds: float | None) -> ProviderTimeoutError:
    return timed_out(endpoint, seconds, "sent no content for")


def mapped(endpoint: Endpoint, request: httpx.Request, exc: httpx.HTTPError) -> Exception:
    """Our error for one of httpx's; raise it outside the `except` (see the module doc)."""
    from httpx_sse import SSEError

    what = type(exc).__name__
    if isinstance(exc, httpx.TimeoutException):
        return ProviderTimeoutError(
            f"{endpoint.provider} did not answer {endpoint.model_id} in time ({what})",
            provider=endpoint.provider,
            model=endpoint.model_id,
        )
    if isinstance(exc, httpx.LocalProtocolError):
        # We were about to send something HTTP forbids: in practice a header with a line break
        # (h11's message quotes the value, which may be a key, so neither it nor the original
        # is kept). The user's configuration, not the provider: no retry.
        error = control_header_error(request.headers)
        if error is None:
            error = ConfigurationError(
                f"The request for {endpoint.model_id} is not valid HTTP; check its headers"
            )
        return error
    # The message may quote a URL (a key in its query) or a header: scrubbed like a body.
    said = secrets_for(endpoint, request.headers, str(request.url)).excerpt(str(exc), 300)
    if isinstance(exc, SSEError):
        return StreamError(
            f"{endpoint.provider} did not answer {endpoint.model_id} with an event stream: {said}",
            provider=endpoint.provider,
            model=endpoint.model_id,
        )
    if isinstance(exc, httpx.TransportError):
        return ProviderConnectionError(
            f"Connection to {endpoint.provider} failed for {endpoint.model_id}: {what}: {said}",
            provider=endpoint.provider,
            model=endpoint.model_id,
        )
    return ProviderError(
        f"HTTP error talking to {endpoint.provider} for {endpoint.model_id}: {what}: {said}",
        provider=endpoint.provider,
        model=endpoint.model_id,
    )


def failed(endpoint: Endpoint, response: httpx.Response, body: bytes) -> ProviderError:
    request = response.request
    return error_from_response(
        endpoint,
        response.status_code,
        body,
        response.headers,
        request.headers,
        str(request.url),
    )
