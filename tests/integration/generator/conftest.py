"""Loopback endpoints serving the shared gateway snapshots, wired in through the URL overrides."""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass, field
from pathlib import Path

import pytest

from tests.support.server import LoopbackServer, Reply, Request

PATHS = {
    "models.dev": "/api.json",
    "netlify": "/api/v1/ai-gateway/providers",
    "openrouter": "/api/v1/models",
}
FILES = {
    "models.dev": "models.dev-api.json",
    "netlify": "netlify-ai-gateway-providers.mastra-test-fixture.json",
    "openrouter": "openrouter-models.json",
}
ENV = {
    "models.dev": "MODELROUTER_MODELS_DEV_URL",
    "netlify": "MODELROUTER_NETLIFY_URL",
    "openrouter": "MODELROUTER_OPENROUTER_URL",
}


@dataclass
class Gateways:
    """Which status each fake endpoint answers with; 200 serves the shared snapshot."""

    data: Path
    status: dict[str, int] = field(default_factory=lambda: dict.fromkeys(PATHS, 200))

    def answer(self, request: Request) -> Reply:
        for gateway, path in PATHS.items():
            if request.path == path:
                if self.status[gateway] != 200:
                    return Reply(status=self.status[gateway], body=b"upstream trouble")
                body = (self.data / FILES[gateway]).read_bytes()
                return Reply(body=body, headers={"content-type": "application/json"})
        return Reply(status=404)


@pytest.fixture
def gateways(
    shared_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> Iterator[Gateways]:
    state = Gateways(shared_dir / "data")
    with LoopbackServer(state.answer) as server:
        monkeypatch.delenv("MODELROUTER_OFFLINE", raising=False)
        monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
        for gateway, variable in ENV.items():
            monkeypatch.setenv(variable, server.url + PATHS[gateway])
        yield state
