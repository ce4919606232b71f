"""llmock fixtures for the integration packages that talk to it, and the four call modes.

A package's conftest imports the fixtures it wants (`from tests.support.llmock import llmock,
mock, mode`). pytest registers a fixture in the module it is found in, so each importing
conftest gets its own `llmock`: one server per package, as when each conftest wrote it out.
(A `pytest_plugins` entry in the root conftest would register them once, for the whole session,
and offer `mock` and `mode` to every test in the repository.)
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any, Final, cast

import pytest
from llmock.testing import LLMockServer

from modelrouter._testing import set_engine_hooks
from modelrouter._types import ModelConfig

__all__ = ["MODES", "llmock", "mock", "mode", "no_backoff", "openai_config", "paths"]

MODES: Final = ["generate", "agenerate", "stream", "astream"]


@pytest.fixture(scope="package")
def llmock() -> Iterator[LLMockServer]:
    with LLMockServer() as server:
        yield server


@pytest.fixture
def mock(llmock: LLMockServer) -> LLMockServer:
    """The package's server with its state (scenarios, journal) reset for this test."""
    llmock.state.reset()
    return llmock


@pytest.fixture(params=MODES)
def mode(request: pytest.FixtureRequest) -> str:
    result: str = request.param
    return result


def openai_config(mock: LLMockServer, model: str, **extra: Any) -> ModelConfig:
    """`openai/<model>` served by llmock's OpenAI endpoint, with a test key."""
    config = {"id": f"openai/{model}", "url": mock.base_url("openai"), "api_key": "test-key"}
    return cast(ModelConfig, {**config, **extra})


def no_backoff(agent: Any) -> None:
    """Retries go at once: the engine's waits between attempts (sync and async) return now."""
    set_engine_hooks(agent, sleep=lambda seconds: None, async_sleep=_no_wait)


async def _no_wait(seconds: float) -> None:
    return None


def paths(mock: LLMockServer) -> list[str]:
    """The path of every request the server has seen since the last reset."""
    return [r.path for r in mock.state.journal.records()]
