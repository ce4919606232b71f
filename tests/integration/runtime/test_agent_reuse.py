"""One Agent, many calls: what changes between calls is seen at the next call.

The Agent keeps the plan of a static `model=` and the models it built; these tests pin that
nothing it keeps hides a change: keys and base URLs in the environment, the `model` and
`max_retries` attributes, and a config dict edited in place.
"""

from __future__ import annotations

from typing import Any, cast
from urllib.parse import urlsplit

import pytest

from modelrouter._errors import MissingApiKeyError, ServerError
from modelrouter._types import ModelConfig
from tests.fakes.providers import FakeProvider, Script
from tests.integration.runtime.conftest import Case, Sleeps, make_agent, run


def test_key_changed_in_the_environment_is_sent_next_call(
    routed: Case, fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = make_agent(routed.model_id)
    run(agent, mode)
    monkeypatch.setenv(routed.key_env, routed.key_value + "-rotated")
    run(agent, mode)
    first, second = fake.requests
    assert first.headers[routed.key_header] == routed.header_value(routed.key_value)
    assert second.headers[routed.key_header] == routed.header_value(routed.key_value + "-rotated")


def test_key_removed_from_the_environment_fails_next_call(
    routed: Case, fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = make_agent(routed.model_id)
    run(agent, mode)
    monkeypatch.delenv(routed.key_env)
    with pytest.raises(MissingApiKeyError):
        run(agent, mode)
    assert len(fake.requests) == 1


def test_base_url_changed_in_the_environment_is_used_next_call(
    routed: Case, fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    agent = make_agent(routed.model_id)
    run(agent, mode)
    moved = fake.base_url(routed.wire) + "/moved"
    monkeypatch.setenv(routed.base_env, moved)
    run(agent, mode)
    first, second = fake.requests
    assert not first.path.startswith(urlsplit(moved).path)
    assert second.path.startswith(urlsplit(moved).path)


def test_reassigned_model_attribute_answers_next_call(
    fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("OPENAI_API_KEY", "sk-a")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url("openai-chat"))
    monkeypatch.setenv("ANTHROPIC_API_KEY", "sk-b")
    monkeypatch.setenv("ANTHROPIC_BASE_URL", fake.base_url("anthropic"))
    agent = make_agent("openai/gpt-4o")
    assert run(agent, mode).model_id == "openai/gpt-4o"
    agent.model = "anthropic/claude-sonnet-4-5"
    assert run(agent, mode).model_id == "anthropic/claude-sonnet-4-5"
    assert [r.path.split("/")[1] for r in fake.requests] == ["openai", "anthropic"]


def test_config_dict_edited_in_place_is_honoured(fake: FakeProvider, mode: str) -> None:
    config: dict[str, Any] = {
        "id": "local/first",
        "url": fake.base_url("openai-chat"),
        "api_key": "k1",
        "headers": {"x-team": "a"},
    }
    agent = make_agent(cast(ModelConfig, config))
    assert run(agent, mode).model_id == "local/first"
    config["id"] = "local/second"
    config["api_key"] = "k2"
    config["headers"]["x-team"] = "b"
    assert run(agent, mode).model_id == "local/second"
    first, second = fake.requests
    assert (first.json()["model"], first.headers["authorization"]) == ("first", "Bearer k1")
    assert (second.json()["model"], second.headers["authorization"]) == ("second", "Bearer k2")
    assert (first.headers["x-team"], second.headers["x-team"]) == ("a", "b")


def test_changed_max_retries_applies_next_call(
    routed: Case, fake: FakeProvider, mode: str, sleeps: Sleeps
) -> None:
    agent = make_agent(routed.model_id, sleeps, max_retries=0)
    fake.push(Script(status=500))
    with pytest.raises(ServerError):
        run(agent, mode)
    agent.max_retries = 1
    fake.push(Script(status=500))
    result = run(agent, mode)
    assert [a.error_type for a in result.attempts] == ["ServerError", None]
    assert len(fake.requests) == 3
