"""A loopback server standing in for the three listing endpoints."""

from __future__ import annotations

from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

import pytest

from tests.support.listings import payload_sources, payloads
from tests.support.server import LoopbackServer, Reply, Request

PATHS = {
    "models.dev": "/api.json",
    "netlify": "/api/v1/ai-gateway/providers",
    "openrouter": "/api/v1/models",
}
ENV = {
    "models.dev": "MODELROUTER_MODELS_DEV_URL",
    "netlify": "MODELROUTER_NETLIFY_URL",
    "openrouter": "MODELROUTER_OPENROUTER_URL",
}


@dataclass
class Listings:
    """What the fake endpoints answer, changeable between runs of a test."""

    server: LoopbackServer
    answers: dict[str, Callable[[], Reply]] = field(default_factory=dict)

    def serve(self, gateway: str, body: bytes | Reply) -> None:
        self.answers[PATHS[gateway]] = (
            (lambda: body) if isinstance(body, Reply) else (lambda: Reply(body=body))
        )

    def url(self, gateway: str) -> str:
        return self.server.url + PATHS[gateway]

    def paths(self) -> list[str]:
        return sorted(r.path for r in self.server.requests)


@pytest.fixture
def listings(monkeypatch: pytest.MonkeyPatch) -> Iterator[Listings]:
    """Serve listings on 127.0.0.1 and point the built-ins at them through their env overrides."""
    answers: dict[str, Callable[[], Reply]] = {}

    def handle(request: Request) -> Reply:
        answer = answers.get(request.path)
        return answer() if answer else Reply(status=404, body=b"no such listing")

    with LoopbackServer(handle) as server:
        for gateway, variable in ENV.items():
            monkeypatch.setenv(variable, server.url + PATHS[gateway])
        yield Listings(server, answers)


@pytest.fixture
def online(monkeypatch: pytest.MonkeyPatch) -> None:
    """Lift the suite-wide MODELROUTER_OFFLINE=1 (the server is loopback only)."""
    monkeypatch.delenv("MODELROUTER_OFFLINE", raising=False)


@pytest.fixture(params=payload_sources())
def real_payloads(request: pytest.FixtureRequest) -> dict[str, bytes]:
    """Full listings: built from package data (and ../shared's snapshots, when present)."""
    source: str = request.param
    return payloads(source)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
