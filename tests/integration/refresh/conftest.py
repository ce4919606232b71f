"""A loopback "models.dev" whose listing changes between requests, and a dev environment
pointing every built-in gateway at it (so no subprocess can reach the real network)."""

from __future__ import annotations

import json
import os
import subprocess
import sys
import threading
from collections.abc import Iterator, Mapping, Sequence
from pathlib import Path
from typing import Any, Final

import pytest

from tests.support.server import LoopbackServer, Reply, Request

REPO = Path(__file__).resolve().parents[3]
DRIVER = Path(__file__).with_name("driver.py")


def models_dev_payload(models: Mapping[str, Sequence[str]]) -> dict[str, Any]:
    """A minimal but valid models.dev `api.json` listing `models` per provider."""
    return {
        provider: {
            "id": provider,
            "name": provider.title(),
            "env": [f"{provider.upper()}_API_KEY"],
            "npm": "@ai-sdk/openai-compatible",
            "api": f"https://{provider}.invalid/v1",
            "models": {
                model: {
                    "id": model,
                    "name": model,
                    "limit": {"context": 8192, "output": 1024},
                    "modalities": {"input": ["text"], "output": ["text"]},
                }
                for model in ids
            },
        }
        for provider, ids in models.items()
    }


class ChangingGateway:
    """Serves models.dev listings in turn: each request gets the next one, the last repeats.

    Netlify and OpenRouter get empty, valid listings. `fail_next` answers 503 that many times.
    """

    def __init__(self, versions: Sequence[Mapping[str, Sequence[str]]]) -> None:
        self.versions = [models_dev_payload(v) for v in versions]
        self.served = 0
        self.fail_next = 0
        self._lock = threading.Lock()
        self.server = LoopbackServer(self._handle)

    def _handle(self, request: Request) -> Reply:
        if request.path.startswith("/netlify"):
            return Reply.json({"providers": {}})
        if request.path.startswith("/openrouter"):
            return Reply.json({"data": []})
        with self._lock:
            if self.fail_next:
                self.fail_next -= 1
                return Reply.json({"error": "down"}, status=503)
            payload = self.versions[min(self.served, len(self.versions) - 1)]
            self.served += 1
        return Reply.json(payload)

    def add_version(self, models: Mapping[str, Sequence[str]]) -> None:
        with self._lock:
            self.versions.append(models_dev_payload(models))

    @property
    def models_dev_requests(self) -> int:
        return sum(1 for r in self.server.requests if r.path.startswith("/models.dev"))

    def env(self) -> dict[str, str]:
        url = self.server.url
        return {
            "MODELROUTER_MODELS_DEV_URL": f"{url}/models.dev/api.json",
            "MODELROUTER_NETLIFY_URL": f"{url}/netlify/providers",
            "MODELROUTER_OPENROUTER_URL": f"{url}/openrouter/models",
        }


V1: Final = {"acme": ["alpha-1", "beta-2"], "zeta": ["z-small"]}
V2: Final = {"acme": ["alpha-1", "beta-2", "gamma-3-preview"], "zeta": ["z-small"]}


@pytest.fixture
def gateway(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Iterator[ChangingGateway]:
    """V1 on the first request, V2 after; the environment points every gateway at it."""
    served = ChangingGateway([V1, V2])
    with served.server:
        for name, value in served.env().items():
            monkeypatch.setenv(name, value)
        monkeypatch.setenv("MODELROUTER_OFFLINE", "0")
        monkeypatch.setenv("MODELROUTER_SNAPSHOT_DIR", str(tmp_path / "snapshots"))
        monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg-cache"))
        yield served


def run_driver(
    *args: str, out_dir: Path, env: Mapping[str, str] | None = None, timeout: float = 120
) -> subprocess.CompletedProcess[str]:
    """Run `driver.py` in a fresh interpreter that imports the catalogue from `out_dir`."""
    return subprocess.run(
        [sys.executable, str(DRIVER), *args],
        env=driver_env(out_dir, env),
        capture_output=True,
        text=True,
        timeout=timeout,
        check=False,
    )


def driver_env(out_dir: Path, extra: Mapping[str, str] | None = None) -> dict[str, str]:
    env = {**os.environ, **(extra or {})}
    # `out_dir` first so `modelrouter_catalog` is the test's, never the checkout's.
    env["PYTHONPATH"] = os.pathsep.join([str(out_dir), str(REPO)])
    return env


def catalogue_ids(out_dir: Path) -> dict[str, list[str]]:
    """Provider key -> model ids, read by importing the catalogue in a fresh process.

    Providers without models (the empty OpenRouter listing the fixture serves) are left out.
    """
    done = run_driver("ids", str(out_dir), out_dir=out_dir)
    assert done.returncode == 0, done.stderr
    ids: dict[str, list[str]] = json.loads(done.stdout)
    return {key: models for key, models in ids.items() if models}
