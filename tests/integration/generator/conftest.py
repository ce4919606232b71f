"""Loopback endpoints serving full gateway listings, wired in through the URL overrides.

The listings are built from package data (`tests.support.listings`); a folder of snapshot files
(`../shared/data`, as the IDE tests pass) may be served instead.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.listings import SHARED_FILES, built_payloads
from tests.support.server import LoopbackServer, Reply, Request

PATHS = {
    "models.dev": "/api.json",
    "netlify": "/api/v1/ai-gateway/providers",
    "openrouter": "/api/v1/models",
}
FILES = SHARED_FILES
ENV = {
    "models.dev": "MODELROUTER_MODELS_DEV_URL",
    "netlify": "MODELROUTER_NETLIFY_URL",
    "openrouter": "MODELROUTER_OPENROUTER_URL",
}


@dataclass
class Gateways:
    """Which status each fake endpoint answers with; 200 serves the listing."""

    data: Path | Mapping[str, bytes]
    """The listing bodies by gateway id, or a folder holding them as `FILES`."""
    status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 200))

    def body(self, gateway: str) -> bytes:
        if isinstance(self.data, Path):
            return (self.data / FILES[gateway]).read_bytes()
        return self.data[gateway]

    def answer(self, request: Request) -> Reply:
        for gateway, path in PATHS.items():
            if request.path == path:
                if self.status[gateway] != 200:
                    return Reply(status=self.status[gateway], body=b"upstream trouble")
                body = self.body(gateway)
                return Reply(body=body, headers={"content-type": "application/json"})
        return Reply(status=404)


@pytest.fixture
def gateways(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[Gateways]:
    state = Gateways(built_payloads())
    with LoopbackServer(state.answer) as server:
        monkeypatch.delenv("MODELROUTER_OFFLINE", raising=False)
        monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
        for gateway, variable in ENV.items():
            monkeypatch.setenv(variable, server.url + PATHS[gateway])
        yield state
