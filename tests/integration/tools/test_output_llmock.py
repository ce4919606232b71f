"""Structured output against llmock (OpenAI chat): native json_schema mode, re-asks, fallback."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pytest
from llmock.scenarios import Match, Reply
from llmock.testing import LLMockServer
from pydantic import BaseModel
from typing_extensions import TypedDict  # pydantic needs it on Python < 3.12

from modelrouter import OutputValidationError
from modelrouter._agent import Agent
from tests.integration.tools.conftest import Weather, openai, run


class Forecast(BaseModel):
    """A forecast for one city."""

    city: str
    high: float
    summary: str


@dataclass
class Point:
    x: int
    y: int


class Pair(TypedDict):
    left: str
    right: int


def test_pydantic_output_in_every_mode(mock: LLMockServer, mode: str) -> None:
    agent = Agent("f", "Forecast.", openai(mock), output_type=Forecast)
    result = run(agent, mode)
    assert isinstance(result.output, Forecast)
    assert Forecast.model_validate_json(result.text) == result.output
    fmt = mock.state.journal.records()[0].body["response_format"]
    assert fmt["type"] == "json_schema"
    assert fmt["json_schema"]["name"] == "Forecast" and fmt["json_schema"]["strict"] is True
    assert fmt["json_schema"]["schema"]["additionalProperties"] is False


@pytest.mark.parametrize(
    ("output_type", "check"),
    [
        (Point, lambda v: isinstance(v, Point)),
        (Pair, lambda v: isinstance(v, dict) and set(v) == {"left", "right"}),
        (list[Forecast], lambda v: isinstance(v, list) and all(isinstance(f, Forecast) for f in v)),
        ((Point, Forecast), lambda v: isinstance(v, (Point, Forecast))),
        (int, lambda v: isinstance(v, int)),
    ],
    ids=["dataclass", "typeddict", "list", "union", "int"],
)
def test_other_output_types_per_call(mock: LLMockServer, output_type: Any, check: Any) -> None:
    agent = Agent("f", None, openai(mock))
    result = run(agent, "generate", output_type=output_type)
    assert check(result.output), result.output
    schema = mock.state.journal.records()[0].body["response_format"]["json_schema"]["schema"]
    assert schema["type"] == "object"


def test_invalid_output_is_re_asked_with_the_error(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Reply(text='{"city": "Paris"}'))
    result = run(Agent("f", None, openai(mock), output_type=Forecast), mode)
    assert isinstance(result.output, Forecast)
    assert len(result.steps) == 2 and result.steps[0].text == '{"city": "Paris"}'
    reask = mock.state.journal.records()[1].body["messages"][-1]
    assert reask["role"] == "user" and "high: Field required" in reask["content"]


@pytest.mark.parametrize("mode", ["generate", "agenerate"])
def test_output_failing_every_re_ask_moves_to_the_next_model(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Reply(text="no json", times=None, match=Match(model="gpt-4o-mini")))
    model = [{"model": openai(mock, "gpt-4o-mini")}, {"model": openai(mock, "gpt-4o")}]
    agent = Agent("f", None, model, output_type=Forecast, output_retries=1)  # type: ignore[arg-type]
    result = run(agent, mode)
    assert isinstance(result.output, Forecast) and result.model_id == "openai/gpt-4o"
    assert [a.error_type for a in result.attempts] == ["OutputValidationError", None]
    assert [r.model for r in mock.state.journal.records()] == ["gpt-4o-mini"] * 2 + ["gpt-4o"]
    # The failed model's re-asks stay out of the conversation the next model sees.
    assert len(mock.state.journal.records()[2].body["messages"]) == 1


def test_a_single_model_out_of_re_asks_raises(mock: LLMockServer, mode: str) -> None:
    mock.state.scenarios.add(Reply(text="no json", times=None))
    agent = Agent("f", None, openai(mock), output_type=Forecast, output_retries=1)
    with pytest.raises(OutputValidationError, match="after 2 tries") as caught:
        run(agent, mode)
    assert caught.value.text == "no json" and caught.value.errors


def test_tools_then_structured_output(mock: LLMockServer, mode: str) -> None:
    weather = Weather()
    agent = Agent("f", None, openai(mock), tools=[weather.get_weather], output_type=Forecast)
    result = run(agent, mode)
    assert len(weather.calls) == 1 and isinstance(result.output, Forecast)
    assert len(result.steps) == 2
