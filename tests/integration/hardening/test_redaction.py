"""No secret sent, in any spelling, reaches an error's str, repr, chain, body or a DEBUG log.

Every kind of error that quotes a provider goes through one redaction path (`_redact`): HTTP
error bodies, error events in 200 streams, malformed 200 answers, transport errors.
"""

from __future__ import annotations

from traceback import format_exception

import httpx
import pytest

from modelrouter._errors import (
    ConfigurationError,
    ProviderConnectionError,
    ProviderError,
    StreamError,
)
from tests.support.server import Reply, Request

from .conftest import (
    Logs,
    AGENT_SECRET,
    CALL_MODES,
    HEADER_SECRET,
    KEY,
    MODES,
    STREAM_MODES,
    WIRES,
    Sse,
    Switch,
    ask,
    chain,
    close,
    config,
    encodings,
    echo_text,
    leaked,
    make_agent,
    user_client,
)

pytestmark = pytest.mark.anyio

ENCODINGS = list(encodings("x"))
Servers = tuple[Switch, Switch]


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("mode", MODES)
async def test_an_error_body_echoing_every_secret_is_scrubbed(
    mode: str, wire: str, encoding: str, servers: Servers, debug_logs: Logs
) -> None:
    echo = echo_text(encoding)
    body = '{"error":{"message":"%s","type":"invalid_request_error"}}' % echo
    servers[0].handler = lambda request: Reply(
        status=400, body=body.encode(), headers={"content-type": "application/json"}
    )
    with pytest.raises(ProviderError) as caught:
        await ask(make_agent(config(servers[0], wire)), mode)
    sent = servers[0].requests[0].headers
    assert "Q7z" in sent["x-pin"] and "proxy/token" in sent["x-proxy-key"]  # all were sent
    assert caught.value.status == 400
    assert leaked(caught.value, debug_logs) == []
    assert "request echoed" in str(caught.value)  # the provider's other words survive
    assert " end" in str(caught.value)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("mode", STREAM_MODES)
async def test_an_error_event_echoing_every_secret_is_scrubbed(
    mode: str, wire: str, encoding: str, servers: Servers, debug_logs: Logs
) -> None:
    event = Sse(wire).error_event(echo_text(encoding))
    servers[0].handler = lambda request: Reply(
        body=iter([event]), headers={"content-type": "text/event-stream"}
    )
    with pytest.raises(StreamError) as caught:
        await ask(make_agent(config(servers[0], wire)), mode)
    assert leaked(caught.value, debug_logs) == []
    assert "request echoed" in str(caught.value)


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("wire", WIRES)
@pytest.mark.parametrize("mode", CALL_MODES)
async def test_a_malformed_answer_echoing_every_secret_is_scrubbed(
    mode: str, wire: str, encoding: str, servers: Servers, debug_logs: Logs
) -> None:
    body = '{"unexpected":"%s"}' % echo_text(encoding)
    servers[0].handler = lambda request: Reply(
        body=body.encode(), headers={"content-type": "application/json"}
    )
    with pytest.raises(ProviderError, match="unexpected body") as caught:
        await ask(make_agent(config(servers[0], wire)), mode)
    assert leaked(caught.value, debug_logs) == []
    assert "request echoed" in caught.value.body


@pytest.mark.parametrize("encoding", ENCODINGS)
@pytest.mark.parametrize("mode", CALL_MODES)
async def test_a_200_that_is_not_json_is_scrubbed_and_keeps_no_decode_error(
    mode: str, encoding: str, servers: Servers, debug_logs: Logs
) -> None:
    body = f"<html>proxy page: {echo_text(encoding)}</html>"
    servers[0].handler = lambda request: Reply(body=body.encode())
    with pytest.raises(ProviderError, match="unexpected body") as caught:
        await ask(make_agent(config(servers[0], "openai-chat")), mode)
    assert leaked(caught.value, debug_logs) == []
    # The JSON decode error holds the whole text (`doc`): it must not be kept.
    assert chain(caught.value) == [caught.value]


@pytest.mark.parametrize("mode", MODES)
async def test_a_connection_error_keeps_no_httpx_exception(
    mode: str, servers: Servers, debug_logs: Logs
) -> None:
    # httpx's errors hold the request (key and headers): the chain must not.
    def cut(request: Request) -> Reply:
        return Reply(body=iter([b"{"]), cut_after=0, headers=STREAMING)

    servers[0].handler = cut
    url = servers[0].base_url("gemini") + f"?key={KEY_IN_URL}"
    model = config(servers[0], "gemini", url=url)
    with pytest.raises(ProviderConnectionError) as caught:
        await ask(make_agent(model, max_retries=0), mode)
    assert chain(caught.value) == [caught.value]
    assert leaked(caught.value, debug_logs) == []
    assert KEY_IN_URL not in "".join(format_exception(caught.value))


KEY_IN_URL = "AIzaUrlKey0123456789"
STREAMING = {"content-type": "text/event-stream"}


@pytest.mark.parametrize("mode", MODES)
async def test_a_non_ascii_header_keeps_no_encode_error(mode: str, servers: Servers) -> None:
    secret = "sécret-header-value-42"
    model = config(servers[0], "openai-chat", headers={"x-proxy-key": secret})
    with pytest.raises(ConfigurationError, match="'x-proxy-key' is not ASCII") as caught:
        await ask(make_agent(model), mode)
    # UnicodeEncodeError.object is the value: `raise ... from None` would still keep it.
    assert chain(caught.value) == [caught.value]
    assert secret not in "".join(format_exception(caught.value)) + repr(caught.value)
    assert not servers[0].requests


@pytest.mark.parametrize("mode", MODES)
async def test_a_user_client_s_header_is_scrubbed_too(
    mode: str, servers: Servers, debug_logs: Logs
) -> None:
    client_secret = "client/default+token=="
    body = '{"error":{"message":"got %s"}}' % encodings(client_secret)["json-u"]
    servers[0].handler = lambda request: Reply(status=401, body=body.encode())
    clients = user_client(mode, headers={"x-client": client_secret})
    try:
        with pytest.raises(ProviderError) as caught:
            await ask(make_agent(config(servers[0], "anthropic"), **clients), mode)
    finally:
        await close(clients)
    assert servers[0].requests[0].headers["x-client"] == client_secret
    shown = "".join(format_exception(caught.value)) + caught.value.body
    assert client_secret not in shown and encodings(client_secret)["json-u"] not in shown
    assert "got ***" in str(caught.value)


def test_a_body_full_of_escapes_and_near_misses_is_scrubbed_whole() -> None:
    from modelrouter._redact import Secrets

    # Escapes everywhere, many near misses: the largest error body read (64 KiB) is scrubbed
    # in one pass per decoding, never per position per secret.
    many = [KEY, HEADER_SECRET, AGENT_SECRET, "Q7z", *[f"v{i:07d}" for i in range(50)]]
    secrets = Secrets(many)
    text = ("\\u0073k-live\\/Ab%2B" * 4000)[: 64 * 1024]
    assert secrets.scrub(text) == text  # nothing to mask, every escape decoded
    assert secrets.scrub(httpx.URL(f"http://h/?key={KEY}").query.decode()) == "key=***"
