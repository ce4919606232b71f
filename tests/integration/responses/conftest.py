"""llmock for the Responses API tests (the tool-loop helpers are shared with tests/integration/tools)."""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, cast

import pytest
from llmock.testing import LLMockServer

from modelrouter._types import ModelConfig

MODES = ["generate", "agenerate", "stream", "astream"]


@pytest.fixture(scope="package")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


@pytest.fixture
def mock(llmock: LLMockServer) -> LLMockServer:
    llmock.state.reset()
    return llmock


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


def openai(mock: LLMockServer, model: str = "gpt-5-pro", **extra: Any) -> ModelConfig:
    """An OpenAI model on llmock; `gpt-5-pro` is Responses-only in the catalogue."""
    config = {"id": f"openai/{model}", "url": mock.base_url("openai"), "api_key": "test-key"}
    return cast(ModelConfig, {**config, **extra})


def paths(mock: LLMockServer) -> list[str]:
    return [r.path for r in mock.state.journal.records()]
