"""Fetch stage retries (httpx.MockTransport, injected sleep: no sockets, no waiting)."""

from __future__ import annotations

from collections.abc import Callable

import httpx
import pytest

from modelrouter._errors import GatewayError
from modelrouter_generator.listings import ListingFetchError, OpenRouterListing
from modelrouter_generator.fetch import fetch_listings, fetch_with_retries

pytestmark = pytest.mark.anyio
URL = "http://listing.test/models"


def _client(answers: list[Callable[[httpx.Request], httpx.Response]]) -> httpx.AsyncClient:
    calls = iter(answers)
    return httpx.AsyncClient(transport=httpx.MockTransport(lambda r: next(calls)(r)))


def _status(
    code: int, headers: dict[str, str] | None = None
) -> Callable[[httpx.Request], httpx.Response]:
    return lambda request: httpx.Response(code, headers=headers, content=b'{"data": []}')


def _refuse(request: httpx.Request) -> httpx.Response:
    raise httpx.ConnectError("refused", request=request)


class Sleeps(list[float]):
    async def __call__(self, seconds: float) -> None:
        self.append(seconds)


async def test_retries_5xx_429_and_connect_errors_then_succeeds() -> None:
    sleeps = Sleeps()
    answers = [_status(503), _status(429, {"retry-after": "3"}), _refuse, _status(200)]
    async with _client(answers) as client:
        outcome = await fetch_with_retries(
            OpenRouterListing(URL), client, timeout=1, retries=3, sleep=sleeps
        )
    assert (outcome.raw, outcome.error, outcome.attempts) == (b'{"data": []}', None, 4)
    # Exponential backoff, except where the server said how long to wait.
    assert sleeps == [0.25, 3.0, 1.0]


async def test_gives_up_after_retries_with_last_error() -> None:
    sleeps = Sleeps()
    async with _client([_status(500)] * 3) as client:
        outcome = await fetch_with_retries(
            OpenRouterListing(URL), client, timeout=1, retries=2, sleep=sleeps
        )
    assert outcome.raw is None and outcome.attempts == 3
    assert isinstance(outcome.error, ListingFetchError) and outcome.error.status == 500
    assert "gateway 'openrouter'" in str(outcome.error) and "500" in str(outcome.error)


async def test_client_errors_are_not_retried() -> None:
    sleeps = Sleeps()
    async with _client([_status(404)]) as client:
        outcome = await fetch_with_retries(
            OpenRouterListing(URL), client, timeout=1, retries=5, sleep=sleeps
        )
    assert outcome.attempts == 1 and sleeps == []
    assert isinstance(outcome.error, ListingFetchError) and not outcome.error.retryable


async def test_retry_after_is_capped() -> None:
    sleeps = Sleeps()
    async with _client([_status(429, {"retry-after": "3600"}), _status(200)]) as client:
        await fetch_with_retries(OpenRouterListing(URL), client, timeout=1, retries=1, sleep=sleeps)
    assert sleeps == [5.0]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [
        ({"retry-after": "0"}, 0.25),
        ({"retry-after": "-3"}, 0.25),
        ({"retry-after": "nan"}, 0.25),
        ({"retry-after": "Wed, 21 Oct 2015 07:28:00 GMT"}, 0.25),  # past: no instruction
        ({"retry-after-ms": "1500"}, 1.5),
        ({"retry-after": "2.5"}, 2.5),
    ],
    ids=["zero", "negative", "nan", "past-date", "ms", "seconds"],
)
async def test_retry_after_follows_the_routers_rules(
    headers: dict[str, str], expected: float
) -> None:
    sleeps = Sleeps()
    async with _client([_status(503, headers), _status(200)]) as client:
        await fetch_with_retries(OpenRouterListing(URL), client, timeout=1, retries=1, sleep=sleeps)
    assert sleeps == [expected]  # a useless wait gets the usual backoff, never 0


async def test_many_gateways_keep_input_order() -> None:
    def answer(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, content=request.url.path.encode())

    async with httpx.AsyncClient(transport=httpx.MockTransport(answer)) as client:
        outcomes = await fetch_listings(
            [OpenRouterListing("http://x.test/a"), OpenRouterListing("http://x.test/b")],
            client,
            timeout=1,
            retries=0,
        )
    assert [o.raw for o in outcomes] == [b"/a", b"/b"]


async def test_custom_fetch_payload_error_is_not_retried() -> None:
    class Custom(OpenRouterListing):
        async def fetch_payload(self, client: httpx.AsyncClient, *, timeout: float = 10.0) -> bytes:
            raise GatewayError(self.id, "needs a login")

    async with httpx.AsyncClient() as client:
        outcome = await fetch_with_retries(Custom(), client, timeout=1, retries=3)
    assert outcome.attempts == 1 and str(outcome.error) == "gateway 'openrouter': needs a login"
