"""Hostile answers from real loopback servers: echoed secrets, redirects, bombs (issue 10)."""

from __future__ import annotations

import logging
import re
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from traceback import format_exception
from typing import Any, cast
from urllib.parse import quote, quote_plus

import httpx
import pytest

from modelrouter._agent import Agent
from modelrouter._types import FallbackEntry, GenerateResult, ModelConfig, ModelId
from tests.fakes.providers import BASE_PATHS
from tests.support.server import LoopbackServer, Reply, Request

MODES = ["generate", "agenerate", "stream", "astream"]
STREAM_MODES = ["stream", "astream"]
CALL_MODES = ["generate", "agenerate"]
WIRES = ["openai-chat", "anthropic", "gemini", "openai-responses"]
MODEL_OF: dict[str, ModelId] = {
    "openai-chat": "openai/gpt-4o",
    "anthropic": "anthropic/claude-sonnet-4-5",
    "gemini": "google/gemini-2.5-pro",
    "openai-responses": "openai/gpt-5-pro",  # Responses-only: picked by the catalogue
}

# A key with the characters encodings change ("/", "+", "="), a long header value, and a
# short one (masked as a whole word only).
KEY = "sk-live/Ab+Cd=Ef9876543210"
HEADER_SECRET = "proxy/token+7f3a9c=="
AGENT_SECRET = "agent-token-c0ffee/x"
SHORT_SECRET = "Q7z"
SECRETS = (KEY, HEADER_SECRET, AGENT_SECRET, SHORT_SECRET)


def encodings(secret: str) -> dict[str, str]:
    """Every spelling of `secret` a provider or proxy may echo, as raw JSON-string content."""
    return {
        "raw": secret,
        "json-slash": secret.replace("/", "\\/"),
        "json-u": "".join(f"\\u{ord(c):04x}" for c in secret),
        "json-U": "".join(f"\\u{ord(c):04X}" for c in secret),
        "quote": quote(secret),
        "quote-all": quote(secret, safe=""),
        "quote-lower-hex": re.sub("%[0-9A-F]{2}", lambda m: m[0].lower(), quote(secret, safe="")),
        "quote_plus": quote_plus(secret),
    }


def echo_text(encoding: str) -> str:
    """Provider words quoting every secret in one encoding, as JSON string content."""
    words = " ".join(f"[{encodings(s)[encoding]}]" for s in SECRETS)
    return f"request echoed: {words} end"


def leaked(error: BaseException, logs: Logs | None = None) -> list[str]:
    """Each secret, in any spelling, found in what a user or a log can see of `error`."""
    shown = " ".join(
        [str(error), repr(error), "".join(format_exception(error)), getattr(error, "body", "")]
        + [r.getMessage() for r in (logs.records if logs is not None else [])]
    )
    for attempt in getattr(error, "attempts", ()):
        shown += f" {attempt!r}"
    found = []
    for secret in SECRETS:
        for name, spelling in encodings(secret).items():
            if spelling in shown:
                found.append(f"{secret} ({name})")
    return found


def chain(error: BaseException) -> list[BaseException]:
    """`error`, its causes and contexts, and those of a group's members."""
    seen: list[BaseException] = []
    todo = [error]
    while todo:
        current = todo.pop()
        if current in seen:
            continue
        seen.append(current)
        todo.extend(e for e in (current.__cause__, current.__context__) if e is not None)
        todo.extend(getattr(current, "exceptions", ()))
    return seen


class Switch:
    """A loopback server whose handler each test sets."""

    def __init__(self) -> None:
        self.handler: Callable[[Request], Reply] = lambda request: Reply(status=500)
        self.server = LoopbackServer(lambda request: self.handler(request))

    @property
    def url(self) -> str:
        return self.server.url

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def base_url(self, wire: str) -> str:
        # The Responses API shares OpenAI's base URL (`/responses` beside `/chat/completions`).
        return self.server.url + BASE_PATHS[wire.replace("openai-responses", "openai-chat")]


@pytest.fixture(scope="module")
def _switches() -> Iterator[tuple[Switch, Switch]]:
    a, b = Switch(), Switch()
    with a.server, b.server:
        yield a, b


@pytest.fixture
def servers(_switches: tuple[Switch, Switch]) -> tuple[Switch, Switch]:
    for switch in _switches:
        switch.requests.clear()
        switch.handler = lambda request: Reply(status=500)
    return _switches


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class Logs:
    """Every log record of the test's call phase, at DEBUG and above, from every logger."""

    def __init__(self, caplog: pytest.LogCaptureFixture) -> None:
        self._caplog = caplog

    @property
    def records(self) -> list[logging.LogRecord]:
        # Read when asked: pytest starts a new list for each phase of a test.
        return self._caplog.records


@pytest.fixture
def debug_logs(caplog: pytest.LogCaptureFixture) -> Logs:
    caplog.set_level(logging.DEBUG)
    return Logs(caplog)


def config(switch: Switch, wire: str, **extra: Any) -> ModelConfig:
    return cast(
        ModelConfig,
        {
            "id": MODEL_OF[wire],
            "url": switch.base_url(wire),
            "api_key": KEY,
            "headers": {"x-proxy-key": HEADER_SECRET, "x-pin": SHORT_SECRET},
            **extra,
        },
    )


def entry(model: ModelConfig, max_retries: int = 0) -> FallbackEntry:
    return {"model": model, "max_retries": max_retries}


def make_agent(model: ModelConfig | list[FallbackEntry], **kwargs: Any) -> Agent:
    return Agent("hardened", "Be brief.", model, headers={"x-agent": AGENT_SECRET}, **kwargs)


async def ask(agent: Agent, mode: str) -> GenerateResult:
    """One call in `mode`; closes the agent's own clients."""
    try:
        if mode == "generate":
            return agent.generate("hi")
        if mode == "agenerate":
            return await agent.agenerate("hi")
        if mode == "stream":
            with agent.stream("hi") as stream:
                "".join(stream)
                return stream.result
        async with agent.astream("hi") as astream:
            "".join([chunk async for chunk in astream])
            return astream.result
    finally:
        await agent.aclose()


def user_client(mode: str, **kwargs: Any) -> dict[str, Any]:
    """`client=` or `async_client=` for `mode`, built with `kwargs`."""
    if mode in ("generate", "stream"):
        return {"client": httpx.Client(**kwargs)}
    return {"async_client": httpx.AsyncClient(**kwargs)}


async def close(clients: dict[str, Any]) -> None:
    for client in clients.values():
        if isinstance(client, httpx.AsyncClient):
            await client.aclose()
        else:
            client.close()


@dataclass(frozen=True)
class Sse:
    """Raw SSE bytes for one protocol's error event carrying `message`."""

    wire: str

    def error_event(self, message: str) -> bytes:
        data = '{"type":"error","error":{"type":"api_error","message":"%s"}}' % message
        if self.wire == "anthropic":
            return f"event: error\ndata: {data}\n\n".encode()
        if self.wire == "openai-responses":
            data = '{"type":"error","code":"server_error","message":"%s","param":null}' % message
            return f"event: error\ndata: {data}\n\n".encode()
        return f'data: {{"error":{{"message":"{message}","code":400}}}}\n\n'.encode()
