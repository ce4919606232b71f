"""What the built-in listings share: one JSON listing behind one URL, fetched then parsed.

`ListingGateway` splits `fetch_providers()` into `fetch_payload()` (bytes, no parsing) and
`parse_payload()` (bytes -> providers, no I/O), so the generator can keep the last good raw
payload of each gateway and validate it separately. pydantic is imported only inside the
parse helpers, so importing a gateway costs nothing.
"""

from __future__ import annotations

import json
import os
from abc import abstractmethod
from collections.abc import Callable
from typing import TYPE_CHECKING, Final, TypeVar

import httpx

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelGateway, ProviderConfig

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["ListingFetchError", "ListingGateway", "per_million", "validate_json"]

_RETRYABLE_STATUSES: Final = frozenset({408, 425, 429, 500, 502, 503, 504})
_DEFAULT_TIMEOUT: Final = 10.0

M = TypeVar("M", bound="BaseModel")


class ListingFetchError(GatewayError):
    """A listing GET failed: no connection, a timeout, or a non-2xx answer.

    Attributes:
        status: HTTP status, or None when there was no HTTP answer.
        retryable: whether trying again soon might succeed (connect errors, timeouts, 429, 5xx).
        retry_after: seconds the server asked us to wait, if it said.
    """

    def __init__(
        self,
        gateway: str,
        message: str,
        *,
        status: int | None = None,
        retryable: bool = False,
        retry_after: float | None = None,
    ) -> None:
        self.status = status
        self.retryable = retryable
        self.retry_after = retry_after
        super().__init__(gateway, message)


def _retry_after(response: httpx.Response) -> float | None:
    # The router's rules: seconds, milliseconds or an HTTP date; nan/inf/negative are absent.
    from modelrouter.transports.base import parse_retry_after

    return parse_retry_after(response.headers)


async def get_listing(
    client: httpx.AsyncClient, gateway: str, url: str, *, timeout: float = _DEFAULT_TIMEOUT
) -> bytes:
    """GET `url` and return the body, mapping every failure to `ListingFetchError`."""
    try:
        response = await client.get(url, timeout=timeout, follow_redirects=True)
    except httpx.TimeoutException as exc:
        raise ListingFetchError(
            gateway, f"GET {url} timed out after {timeout:g}s", retryable=True
        ) from exc
    except httpx.TransportError as exc:
        raise ListingFetchError(
            gateway, f"GET {url} failed: {type(exc).__name__}: {exc}", retryable=True
        ) from exc
    if response.status_code >= 400:
        raise ListingFetchError(
            gateway,
            f"GET {url} answered {response.status_code}: {response.text[:200]!r}",
            status=response.status_code,
            retryable=response.status_code in _RETRYABLE_STATUSES,
            retry_after=_retry_after(response),
        )
    return response.content


def validate_json(gateway: str, model: type[M], raw: bytes) -> M:
    """Validate `raw` against a generated payload model, strictly.

    Strict mode makes a used field that changes type (a number sent as a string, say) fail
    instead of being silently coerced. The error names the gateway and the field path.
    """
    from pydantic import ValidationError

    try:
        try:
            return model.model_validate_json(raw, strict=True)
        except ValidationError as exc:
            if exc.errors(include_url=False)[0]["type"] != "json_invalid":
                raise
            # pydantic's JSON parser refuses lone surrogate escapes ("\\ud800") that the
            # standard library accepts. One hostile id must not cost the gateway all its
            # models: parse with `json` and validate the objects (normalize skips that id).
            try:
                data = json.loads(raw)
            except ValueError:
                raise exc from None
            return model.model_validate(data, strict=True)
    except ValidationError as exc:
        first = exc.errors(include_url=False)[0]
        path = ".".join(str(part) for part in first["loc"]) or "<root>"
        more = f" (and {exc.error_count() - 1} more)" if exc.error_count() > 1 else ""
        raise GatewayError(gateway, f"{path}: {first['msg']}{more}") from None


def per_million(value: float | None, *, scale: float = 1.0) -> float | None:
    """A price scaled to USD per million tokens, or None when unknown or negative."""
    if value is None or value < 0:
        return None
    # Round away float noise (0.000002 * 1e6 = 1.9999999999999998).
    return round(value * scale, 10)


class ListingGateway(ModelGateway):
    """A gateway whose providers come from one JSON document at one URL.

    Subclasses set `id`, `name`, `prefix`, `default_url`, `url_env_var` and implement
    `parse_payload`. A built-in listing also derives from the runtime class of its gateway
    (`class NetlifyListing(ListingGateway, NetlifyGateway)`), so it routes the same way.
    """

    default_url: str
    url_env_var: str

    def __init__(self, url: str | None = None) -> None:
        super().__init__()  # the runtime class beside it in the MRO may keep state too
        self._url = url

    def listing_url(self, env: Callable[[str], str | None] = os.environ.get) -> str:
        """The listing URL: the constructor's, else the env override, else the default."""
        return self._url or env(self.url_env_var) or self.default_url

    async def fetch_payload(
        self, client: httpx.AsyncClient, *, timeout: float = _DEFAULT_TIMEOUT
    ) -> bytes:
        """GET the raw listing (one attempt; the generator's fetch stage retries)."""
        return await get_listing(client, self.id, self.listing_url(), timeout=timeout)

    @abstractmethod
    def parse_payload(self, raw: bytes) -> dict[str, ProviderConfig]:
        """Validate a raw listing and turn it into providers keyed by provider id.

        Raises:
            GatewayError: the payload is not valid JSON or drifted in a field we use.
        """

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        """Fetch and parse the live listing with a short-lived client."""
        async with httpx.AsyncClient() as client:
            return self.parse_payload(await self.fetch_payload(client))
