"""User mistakes surface as modelrouter configuration errors, never raw Python ones (issue 3)."""

from __future__ import annotations

from typing import Any

import pytest

from modelrouter._agent import Agent
from modelrouter._errors import ConfigurationError, InvalidModelIdError, ModelRouterError
from modelrouter._types import RuntimeContext
from tests.fakes.providers import Script

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]


def _missing_key(ctx: RuntimeContext) -> Any:
    return ctx["no-such-key"]


def _returns_42(ctx: RuntimeContext) -> Any:
    return 42


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("selector", "error", "cause"),
    [(_missing_key, ConfigurationError, KeyError), (_returns_42, InvalidModelIdError, None)],
    ids=["raises", "returns-42"],
)
async def test_a_broken_selector_is_a_configuration_error(
    mode: str, sleeps: Sleeps, selector: Any, error: type[Exception], cause: type[Exception] | None
) -> None:
    agent = make_agent([{"model": selector}], sleeps)
    with pytest.raises(error) as caught:
        await ask(agent, mode)
    assert "'resilient'" in str(caught.value)  # names the agent
    if cause is not None:
        assert isinstance(caught.value.__cause__, cause)


@pytest.mark.parametrize("mode", MODES)
async def test_the_next_entry_answers_after_a_broken_selector(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    good = models[0]
    good.fake.default = Script(text="fine")
    agent = make_agent([{"model": _missing_key}, good.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("fine", good.model_id)
    assert result.attempts[0].error_type == "ConfigurationError"


@pytest.mark.parametrize("mode", MODES)
async def test_a_non_ascii_header_is_a_configuration_error(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    model = models[0]
    agent = make_agent([model.entry(0, headers={"x-team": "café-secret"})], sleeps)
    with pytest.raises(ConfigurationError) as caught:
        await ask(agent, mode)
    assert "x-team" in str(caught.value) and "café" not in str(caught.value)
    assert not model.fake.requests


@pytest.mark.parametrize(
    "model",
    [42, None, {"url": "http://127.0.0.1:9/v1"}, {"id": 7}, [{"model": 42}], [{"model": None}]],
    ids=["int", "none", "dict-without-id", "non-string-id", "entry-int", "entry-none"],
)
def test_construction_rejects_what_is_not_a_model(model: Any) -> None:
    with pytest.raises(InvalidModelIdError) as caught:
        Agent("a", None, model)
    assert isinstance(caught.value, ModelRouterError)
