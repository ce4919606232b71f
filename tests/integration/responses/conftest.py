"""llmock for the Responses API tests (the tool-loop helpers are shared with tests/integration/tools)."""

from __future__ import annotations

from typing import Any

from llmock.testing import LLMockServer

from modelrouter._types import ModelConfig
from tests.support.llmock import MODES, llmock, mock, mode, openai_config, paths

__all__ = ["MODES", "llmock", "mock", "mode", "openai", "paths"]


def openai(mock: LLMockServer, model: str = "gpt-5-pro", **extra: Any) -> ModelConfig:
    """An OpenAI model on llmock; `gpt-5-pro` is Responses-only in the catalogue."""
    return openai_config(mock, model, **extra)
