"""Keys and header values never show in a repr (issue 3: "Keys never appear in errors, reprs or
logs"): the Agent, the plan entries the engine logs in errors, and the request a model sees."""

from __future__ import annotations

from typing import cast

import pytest

from modelrouter._agent import Agent
from modelrouter._model import Clients, build_model
from modelrouter._request import build_plan
from modelrouter._types import FallbackEntry, ModelConfig, ModelRequest, RuntimeContext

KEY = "sk-live-0123456789abcdefSECRET"
HEADER_VALUE = "team-token-SECRET-42"


def _config() -> ModelConfig:
    return cast(
        ModelConfig,
        {
            "id": "local/m",
            "url": "http://127.0.0.1:9/v1",
            "api_key": KEY,
            "headers": {"x-team-token": HEADER_VALUE},
        },
    )


def _fallbacks() -> list[FallbackEntry]:
    return [
        {"model": _config(), "headers": {"authorization": f"Bearer {KEY}"}},
        {"model": "openai/gpt-4o", "headers": {"x-other": HEADER_VALUE}},
    ]


def _assert_clean(text: str) -> None:
    assert KEY not in text
    assert HEADER_VALUE not in text
    assert "SECRET" not in text


@pytest.mark.parametrize("model", [_config(), _fallbacks()], ids=["config", "fallback-list"])
def test_agent_repr_masks_keys_and_header_values(model: ModelConfig | list[FallbackEntry]) -> None:
    agent = Agent("a", None, model, headers={"x-agent": HEADER_VALUE})
    shown = repr(agent)
    _assert_clean(shown)
    # Still useful: the ids and the header names are there, values masked.
    assert "local/m" in shown and "x-team-token" in shown and "x-agent" in shown
    assert "***" in shown


def test_agent_repr_leaves_the_spec_untouched() -> None:
    config = _config()
    repr(Agent("a", None, config))
    assert config.get("api_key") == KEY  # masking works on a copy


def test_plan_entries_mask_keys_in_their_repr() -> None:
    plan = build_plan(_fallbacks(), RuntimeContext(), 0)
    _assert_clean(repr(plan))
    assert "openai/gpt-4o" in repr(plan)


def test_model_request_and_http_model_reprs_mask_headers() -> None:
    request = ModelRequest(messages=[], headers={"authorization": f"Bearer {KEY}"})
    _assert_clean(repr(request))
    assert "authorization" in repr(request)
    model = build_model(_config(), Clients())
    _assert_clean(repr(model))
