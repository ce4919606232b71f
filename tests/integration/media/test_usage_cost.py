"""A scripted usage block per protocol gives the exact `Usage` and USD, in every call mode.

Hand-computed figures (prices in tests/unit/media/test_cost.py):
openai-chat  1,200 prompt (1,000 cached), 300 completion (120 reasoning):
             200 x 0.15 + 1,000 x 0.08 + 300 x 0.60 = 290 per million = $0.000290
anthropic    100 input + 2,000 cache read + 500 cache write, 50 output:
             100 x 1.00 + 2,000 x 0.10 + 500 x 1.25 + 50 x 5.00 = 1,175 = $0.001175
gemini       1,000 prompt (400 cached), 100 candidates + 200 thoughts:
             600 x 0.30 + 400 x 0.03 + 300 x 2.50 = 942 = $0.000942
"""

from __future__ import annotations

from typing import Any, cast

import pytest

from modelrouter import Agent, ModelConfig, Usage
from tests.fakes.providers import FakeProvider, Script
from tests.integration.media.conftest import run, scripted_config
from tests.integration.media.turns import Turn

USAGE: dict[str, tuple[dict[str, Any], Usage, float]] = {
    "openai-chat": (
        {
            "prompt_tokens": 1200,
            "completion_tokens": 300,
            "total_tokens": 1500,
            "prompt_tokens_details": {"cached_tokens": 1000},
            "completion_tokens_details": {"reasoning_tokens": 120},
        },
        Usage(1200, 300, cache_read_tokens=1000, reasoning_tokens=120),
        0.000290,
    ),
    "anthropic": (
        {
            "input_tokens": 100,
            "cache_read_input_tokens": 2000,
            "cache_creation_input_tokens": 500,
            "output_tokens": 50,
        },
        Usage(2600, 50, cache_read_tokens=2000, cache_write_tokens=500),
        0.001175,
    ),
    "gemini": (
        {
            "promptTokenCount": 1000,
            "cachedContentTokenCount": 400,
            "candidatesTokenCount": 100,
            "thoughtsTokenCount": 200,
            "totalTokenCount": 1300,
        },
        Usage(1000, 300, cache_read_tokens=400, reasoning_tokens=200),
        0.000942,
    ),
}


def test_one_call_costs_the_hand_computed_figure(
    scripted: FakeProvider, wire: str, mode: str
) -> None:
    block, usage, dollars = USAGE[wire]
    scripted.push(Script(render=Turn(usage=block)))
    agent = Agent("cost", None, scripted_config(scripted, wire))
    result, _ = run(agent, mode, "How much?")
    assert result.usage == usage
    assert result.cost == pytest.approx(dollars, rel=1e-12)
    assert [s.cost for s in result.steps] == [result.cost]


def test_a_tool_loop_sums_usage_and_cost_over_its_steps(
    scripted: FakeProvider, wire: str, mode: str
) -> None:
    block, usage, dollars = USAGE[wire]
    call = ("get_weather", {"city": "Paris"})
    scripted.push(Script(render=Turn(text="", call=call, usage=block)))
    scripted.push(Script(render=Turn(text="Sunny.", usage=block)))

    def get_weather(city: str) -> str:
        """Weather in a city."""
        return "sunny"

    agent = Agent("cost", None, scripted_config(scripted, wire), tools=[get_weather])
    result, _ = run(agent, mode, "Weather in Paris?")
    assert result.text == "Sunny."
    assert len(result.steps) == 2
    assert result.usage == usage + usage
    assert result.cost == pytest.approx(2 * dollars, rel=1e-12)


def test_a_model_the_catalogue_does_not_price_costs_none(scripted: FakeProvider, mode: str) -> None:
    block, usage, _ = USAGE["openai-chat"]
    scripted.push(Script(render=Turn(usage=block)))
    config = {"id": "local/my-model", "url": scripted.base_url("openai-chat"), "api_key": "k"}
    agent: Agent[str] = Agent("cost", None, cast(ModelConfig, config))
    result, _ = run(agent, mode, "How much?")
    assert result.usage == usage
    assert result.cost is None and result.steps[0].cost is None
