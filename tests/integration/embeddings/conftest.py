"""Embedding servers on 127.0.0.1: llmock (OpenAI `/embeddings`) and a fake speaking both wires.

The fake (`EmbedServer`) answers OpenAI-style `POST /openai/v1/embeddings` and Gemini-style
`POST /gemini/v1beta/models/{m}:batchEmbedContents` with vectors derived from each text, counts
the requests per path, and fails the requests a test scripts (`fail`).
"""

from __future__ import annotations

import asyncio
import hashlib
from collections.abc import Callable, Iterator
from typing import Any, cast

import pytest
from llmock.testing import LLMockServer

from modelrouter._embed import EmbedResult, aembed, embed
from modelrouter._types import ModelConfig
from tests.support.server import LoopbackServer, Reply, Request

MODES = ["embed", "aembed"]
KEY = "sk-embed/Secret+Key=0123456789"


def vector(text: str, size: int = 4) -> list[float]:
    digest = hashlib.sha256(text.encode()).digest()
    return [b / 255 for b in digest[:size]]


class EmbedServer:
    def __init__(self) -> None:
        self.fail: Callable[[Request, int], Reply | None] = lambda request, n: None
        self.server = LoopbackServer(self._answer)
        self.count = 0

    @property
    def requests(self) -> list[Request]:
        return self.server.requests

    def config(self, model_id: str, **extra: Any) -> ModelConfig:
        wire = "gemini/v1beta" if model_id.startswith("google/") else "openai/v1"
        config = {"id": model_id, "url": f"{self.server.url}/{wire}", "api_key": KEY, **extra}
        return cast(ModelConfig, config)

    def _answer(self, request: Request) -> Reply:
        self.count += 1
        failed = self.fail(request, self.count)
        if failed is not None:
            return failed
        body = request.json()
        if request.path.endswith("/embeddings"):
            data = [
                {"object": "embedding", "index": i, "embedding": vector(t)}
                for i, t in enumerate(body["input"])
            ]
            data.reverse()  # OpenAI may answer out of order: `index` says where each goes
            tokens = sum(len(t.split()) for t in body["input"])
            usage = {"prompt_tokens": tokens, "total_tokens": tokens}
            return Reply.json(
                {"object": "list", "data": data, "model": body["model"], "usage": usage}
            )
        if request.path.endswith(":batchEmbedContents"):
            texts = [r["content"]["parts"][0]["text"] for r in body["requests"]]
            return Reply.json({"embeddings": [{"values": vector(t)} for t in texts]})
        return Reply.json({"error": {"message": "no such path"}}, status=404)


@pytest.fixture(scope="package")
def _server() -> Iterator[EmbedServer]:
    server = EmbedServer()
    with server.server:
        yield server


@pytest.fixture
def fake(_server: EmbedServer) -> EmbedServer:
    _server.requests.clear()
    _server.count = 0
    _server.fail = lambda request, n: None
    return _server


@pytest.fixture(scope="package")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


def call(mode: str, model: Any, inputs: Any, **kwargs: Any) -> EmbedResult:
    """`embed` or `aembed` (in a fresh event loop) with the same arguments."""
    if mode == "embed":
        return embed(model, inputs, **kwargs)
    return asyncio.run(aembed(model, inputs, **kwargs))
