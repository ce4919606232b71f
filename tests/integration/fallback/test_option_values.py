"""Provider options reach the wire with their values untouched, in all four call modes."""

from __future__ import annotations

from typing import Any

import pytest

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", MODES)]

Models = tuple[Model, Model, Model]
SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"firstName": {"type": "string"}, "user_id": {"type": "string"}},
    "required": ["firstName", "user_id"],
}


async def test_openai_schema_and_extra_body_are_sent_verbatim(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    model = models[0]
    options = {
        "responseFormat": {"type": "json_schema", "json_schema": {"name": "p", "schema": SCHEMA}},
        "extra_body": {"userId": "u-1"},
    }
    agent = make_agent([model.entry(0)], sleeps, provider_options={"openai": options})
    await ask(agent, mode)
    body = model.fake.requests[0].json()
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert body["extra_body"] == {"userId": "u-1"}


async def test_gemini_schema_is_sent_verbatim(mode: str, models: Models, sleeps: Sleeps) -> None:
    model = models[2]
    options = {"response_schema": SCHEMA, "thinking_config": {"thinking_budget": 3}}
    agent = make_agent([model.entry(0)], sleeps, provider_options={"google": options})
    await ask(agent, mode)
    config = model.fake.requests[0].json()["generationConfig"]
    assert config["responseSchema"] == SCHEMA
    assert config["thinkingConfig"] == {"thinkingBudget": 3}
