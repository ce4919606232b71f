"""Header values a provider echoes back never reach our error messages or bodies (issue 3)."""

from __future__ import annotations

from traceback import format_exception
from typing import Any

import httpx
import pytest

from modelrouter._agent import Agent
from modelrouter._errors import (
    AuthenticationError,
    ConfigurationError,
    FallbackExhaustedError,
    InvalidModelIdError,
    ProviderError,
    StreamError,
)
from modelrouter._types import ModelConfig
from modelrouter.transports.base import Endpoint, secrets_for, secrets_of
from tests.fakes.providers import Script
from tests.support.server import LoopbackServer, Reply

from .conftest import MODES, STREAM_MODES, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]
ENTRY_SECRET = "proxy-entry-token-7f3a9c"
CONFIG_SECRET = "config-header-token-51be"
AGENT_SECRET = "agent-header-token-c0ffee"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [401, 500])
async def test_echoed_header_values_are_scrubbed(
    mode: str, models: Models, sleeps: Sleeps, status: int
) -> None:
    model = models[0]
    echoed = f"bad headers {ENTRY_SECRET} / {CONFIG_SECRET} / {AGENT_SECRET} key {model.key}"
    model.fake.default = Script(status=status, error_message=echoed)
    entry = model.entry(
        0, headers={"x-proxy-key": ENTRY_SECRET}, config_headers={"x-config": CONFIG_SECRET}
    )
    agent = make_agent([entry], sleeps, headers={"x-agent": AGENT_SECRET})
    with pytest.raises(ProviderError) as caught:
        await ask(agent, mode)
    error = caught.value
    assert isinstance(error, AuthenticationError) == (status == 401)
    shown = f"{error} {error.body!r} {error!r}"
    for secret in (ENTRY_SECRET, CONFIG_SECRET, AGENT_SECRET, model.key):
        assert secret not in shown
    assert "bad headers" in shown  # the rest of the provider's words survive


def test_a_malformed_fallback_entry_masks_its_key_and_headers() -> None:
    entry = {"id": "openai/gpt-4o", "api_key": "sk-live-SECRET", "headers": {"x": ENTRY_SECRET}}
    with pytest.raises(InvalidModelIdError) as caught:
        Agent("a", None, [entry])  # type: ignore[list-item]
    assert "SECRET" not in str(caught.value) and ENTRY_SECRET not in str(caught.value)
    assert "api_key" in str(caught.value)


CLIENT_SECRET = "client-default-token-9d1e"


def _clients(mode: str, headers: dict[str, str]) -> dict[str, Any]:
    """The user's own client for `mode`, with default headers (the router sends them too)."""
    if mode in ("generate", "stream"):
        return {"client": httpx.Client(headers=headers)}
    return {"async_client": httpx.AsyncClient(headers=headers)}


async def _close(clients: dict[str, Any]) -> None:
    for client in clients.values():  # a client passed in is the user's to close
        if isinstance(client, httpx.AsyncClient):
            await client.aclose()
        else:
            client.close()


def _error_event(wire: str, message: str) -> list[tuple[str, Any]]:
    error = {"message": message, "type": "invalid_request_error"}
    if wire == "anthropic":
        return [("error", {"type": "error", "error": error})]
    return [("", {"error": error})]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("failing", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_every_sent_header_value_is_scrubbed_from_error_events_and_answers(
    mode: str, models: Models, sleeps: Sleeps, failing: int
) -> None:
    model = models[failing]
    echoed = (
        f"bad headers {ENTRY_SECRET} / {CONFIG_SECRET} / {AGENT_SECRET} / {CLIENT_SECRET}"
        f" key {model.key}"
    )
    if mode in STREAM_MODES:  # a 200 stream whose first event is an error
        model.fake.default = Script(events=_error_event(model.wire, echoed))
    else:
        model.fake.default = Script(status=400, error_message=echoed)
    entry = model.entry(
        0, headers={"x-proxy-key": ENTRY_SECRET}, config_headers={"x-config": CONFIG_SECRET}
    )
    clients = _clients(mode, {"x-client": CLIENT_SECRET})
    agent = make_agent([entry], sleeps, headers={"x-agent": AGENT_SECRET}, **clients)
    try:
        with pytest.raises(ProviderError) as caught:
            await ask(agent, mode)
    finally:
        await _close(clients)
    assert model.fake.requests[0].headers["x-client"] == CLIENT_SECRET  # it was sent
    error = caught.value
    assert isinstance(error, StreamError) == (mode in STREAM_MODES)
    shown = f"{error} {error.body!r} {error!r}"
    for secret in (ENTRY_SECRET, CONFIG_SECRET, AGENT_SECRET, CLIENT_SECRET, model.key):
        assert secret not in shown
    assert "bad headers" in shown


def test_standard_header_values_are_not_secrets() -> None:
    endpoint = Endpoint("p/m", "p", "m", "http://h", api_key="sk-0123456789abcdef")
    sent = {
        "accept-encoding": "gzip, deflate",
        "connection": "keep-alive",
        "x-debug": "true",
        "x-proxy-key": ENTRY_SECRET,
    }
    # Client defaults stay readable in a provider's words; every other value is a secret,
    # a short one too (issue 10): it is masked where it stands as a whole word.
    assert secrets_of(endpoint, sent) == [ENTRY_SECRET, "sk-0123456789abcdef", "true"]
    scrub = secrets_for(endpoint, sent).scrub
    assert scrub('{"stream":true,"x":"untrue","e":"gzip, deflate"}') == (
        '{"stream":***,"x":"untrue","e":"gzip, deflate"}'
    )


SECRET_LINE = "line-break-secret-4b2a\n"
HEADER_OF = {"api_key": "authorization", "agent": "x-agent", "entry": "x-proxy-key"}


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("where", ["api_key", "agent", "entry", "config", "client"])
async def test_a_header_value_with_a_line_break_is_a_configuration_error(
    mode: str, models: Models, sleeps: Sleeps, where: str
) -> None:
    bad, good, _ = models
    good.fake.default = Script(text="the backup speaks")
    entry = bad.entry(
        2,
        headers={"x-proxy-key": SECRET_LINE} if where == "entry" else None,
        config_headers={"x-config": SECRET_LINE} if where == "config" else None,
        api_key=SECRET_LINE if where == "api_key" else None,
    )
    agent_headers = {"x-agent": SECRET_LINE} if where == "agent" else None
    clients = _clients(mode, {"x-client": SECRET_LINE} if where == "client" else {})
    plan = [entry, good.entry(0)]
    agent = make_agent(plan, sleeps, headers=agent_headers, **clients)
    try:
        if where in ("agent", "client"):  # a header for every entry: all of them fail
            with pytest.raises(FallbackExhaustedError) as exhausted:
                await ask(agent, mode)
            attempts = exhausted.value.attempts
        else:
            result = await ask(agent, mode)
            assert (result.text, result.model_id) == ("the backup speaks", good.model_id)
            attempts = result.attempts
    finally:
        await _close(clients)
    # That entry fails at once: no retry (it allows two), nothing reaches its server.
    assert [a.model_id for a in attempts] == [bad.model_id, good.model_id]
    assert not bad.fake.requests
    error = attempts[0].error
    assert isinstance(error, ConfigurationError)
    assert repr(HEADER_OF.get(where, f"x-{where}")) in str(error)
    shown = f"{error} {error!r} {error.__cause__!r} " + "".join(format_exception(error))
    assert "line-break-secret" not in shown


@pytest.mark.parametrize("mode", ["generate", "agenerate"])
async def test_an_unexpected_answer_is_scrubbed_of_every_sent_header(mode: str) -> None:
    echoed = {"unexpected": f"echo {AGENT_SECRET} {CONFIG_SECRET} sk-config-key-0123456789"}
    with LoopbackServer(lambda request: Reply.json(echoed)) as server:
        config: ModelConfig = {
            "id": "openai/gpt-4o",
            "url": server.url + "/v1",
            "api_key": "sk-config-key-0123456789",
            "headers": {"x-config": CONFIG_SECRET},
        }
        agent = Agent("a", None, config, headers={"x-agent": AGENT_SECRET})
        with pytest.raises(ProviderError, match="unexpected body") as caught:
            await ask(agent, mode)  # closes the agent
    shown = f"{caught.value} {caught.value.body!r} {caught.value!r}"
    assert "echo" in shown
    for secret in (AGENT_SECRET, CONFIG_SECRET, "sk-config-key-0123456789"):
        assert secret not in shown
