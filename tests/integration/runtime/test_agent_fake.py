"""The Agent end to end against the fake provider: every protocol, sync and async, streamed or not."""

from __future__ import annotations

from typing import Any, cast

import pytest

from modelrouter._errors import (
    AuthenticationError,
    MissingApiKeyError,
    NotFoundError,
    ProviderError,
    RateLimitError,
    ServerError,
)
from modelrouter._types import ModelId
from tests.fakes.providers import FakeProvider, Script
from tests.integration.runtime.conftest import Case, Sleeps, make_agent, run


def test_answers_with_normalised_result(routed: Case, fake: FakeProvider, mode: str) -> None:
    fake.default = Script(text="Hi there friend", usage=(11, 5))
    result = run(make_agent(routed.model_id), mode)
    assert result.text == "Hi there friend"
    assert result.model_id == routed.model_id
    assert result.finish_reason == "stop"
    assert (result.usage.input_tokens, result.usage.output_tokens) == (11, 5)
    assert [a.error_type for a in result.attempts] == [None]


def test_request_carries_key_version_and_user_agent(
    routed: Case, fake: FakeProvider, mode: str
) -> None:
    run(make_agent(routed.model_id, instructions="Sys prompt"), mode, "What?")
    (request,) = fake.requests
    assert request.headers[routed.key_header] == routed.header_value(routed.key_value)
    assert request.headers["user-agent"].startswith("modelrouter/")
    body = request.json()
    model = routed.model_id.split("/", 1)[1]
    if routed.wire == "openai-chat":
        assert request.path == "/openai/v1/chat/completions"
        assert body["model"] == model
        assert body["messages"] == [
            {"role": "system", "content": "Sys prompt"},
            {"role": "user", "content": "What?"},
        ]
        assert body.get("stream", False) == mode.endswith("stream")
        if mode.endswith("stream"):
            assert body["stream_options"] == {"include_usage": True}
    elif routed.wire == "anthropic":
        assert request.path == "/anthropic/v1/messages"
        assert request.headers["anthropic-version"] == "2023-06-01"
        assert body["system"] == "Sys prompt"
        assert body["max_tokens"] == 4096
        assert body["messages"] == [{"role": "user", "content": "What?"}]
    else:
        verb = "streamGenerateContent?alt=sse" if mode.endswith("stream") else "generateContent"
        assert request.path == f"/gemini/v1beta/models/{model}:{verb}"
        assert body["systemInstruction"] == {"parts": [{"text": "Sys prompt"}]}
        assert body["contents"] == [{"role": "user", "parts": [{"text": "What?"}]}]


def test_provider_options_merge_and_map(routed: Case, fake: FakeProvider, mode: str) -> None:
    provider = routed.model_id.split("/")[0]
    agent_opts: dict[str, Any]
    call_opts: dict[str, Any]
    if routed.wire == "gemini":
        agent_opts = {"thinking_config": {"thinking_budget": 100, "include_thoughts": False}}
        call_opts = {"thinkingConfig": {"thinkingBudget": 512}}
    elif routed.wire == "anthropic":
        agent_opts = {"thinking": {"type": "enabled", "budgetTokens": 100}}
        call_opts = {"thinking": {"budget_tokens": 8000}}
    else:
        agent_opts = {"reasoningEffort": "low", "seed": 1}
        call_opts = {"reasoning_effort": "medium"}
    message_opts = {provider: {"top_p": 0.5}, "someone-else": {"secret_flag": True}}
    agent = make_agent(
        routed.model_id,
        provider_options={provider: agent_opts, "other": {"leak": 1}},
    )
    prompt = [{"role": "user", "content": "Hi", "provider_options": message_opts}]
    run(agent, mode, prompt, provider_options={provider: call_opts})
    body = fake.requests[0].json()
    assert "leak" not in fake.requests[0].body.decode()
    assert "secret_flag" not in fake.requests[0].body.decode()
    if routed.wire == "gemini":
        assert body["generationConfig"]["thinkingConfig"] == {
            "thinkingBudget": 512,
            "includeThoughts": False,
        }
        assert body["generationConfig"]["topP"] == 0.5
    elif routed.wire == "anthropic":
        assert body["thinking"] == {"type": "enabled", "budget_tokens": 8000}
        assert body["max_tokens"] > 8000  # raised above the thinking budget
        assert body["top_p"] == 0.5
    else:
        assert (body["reasoning_effort"], body["seed"], body["top_p"]) == ("medium", 1, 0.5)


def test_missing_key_fails_before_any_request(
    case: Case, fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(case.base_env, fake.base_url(case.wire))
    with pytest.raises(MissingApiKeyError) as caught:
        run(make_agent(case.model_id), mode)
    assert case.key_env in str(caught.value)
    assert case.model_id in str(caught.value)
    assert "api_key=" in str(caught.value)
    assert fake.requests == []


@pytest.mark.parametrize(
    ("status", "error"),
    [
        (401, AuthenticationError),
        (403, AuthenticationError),
        (400, ProviderError),
        (422, ProviderError),
    ],
)
def test_client_errors_map_without_retry(
    routed: Case,
    fake: FakeProvider,
    mode: str,
    status: int,
    error: type[ProviderError],
    sleeps: Sleeps,
) -> None:
    fake.push(Script(status=status, error_message=f"bad key {routed.key_value}"))
    with pytest.raises(error) as caught:
        run(make_agent(routed.model_id, sleeps), mode)
    assert caught.value.status == status
    assert caught.value.model == routed.model_id
    assert routed.key_value not in str(caught.value)
    assert routed.key_value not in caught.value.body
    assert routed.key_value not in repr(caught.value)
    assert len(fake.requests) == 1
    assert sleeps.calls == []


def test_rate_limit_retries_with_retry_after(
    routed: Case, fake: FakeProvider, mode: str, sleeps: Sleeps
) -> None:
    fake.push(Script(status=429, headers={"retry-after": "3"}))
    fake.push(Script(status=429, headers={"retry-after-ms": "1500"}))
    result = run(make_agent(routed.model_id, sleeps, max_retries=2), mode)
    assert result.text == Script().text
    assert len(fake.requests) == 3
    assert sleeps.calls == [3.0, 1.5]
    assert [a.error_type for a in result.attempts] == ["RateLimitError", "RateLimitError", None]


def test_rate_limit_exhausted_raises_the_error(
    routed: Case, fake: FakeProvider, mode: str, sleeps: Sleeps
) -> None:
    fake.push(Script(status=429, headers={"retry-after": "2"}))
    with pytest.raises(RateLimitError) as caught:
        run(make_agent(routed.model_id, sleeps, max_retries=0), mode)
    assert caught.value.retry_after == 2.0
    assert sleeps.calls == []


def test_server_error_is_retried_then_raised(
    routed: Case, fake: FakeProvider, mode: str, sleeps: Sleeps
) -> None:
    fake.push(*[Script(status=503)] * 3)
    with pytest.raises(ServerError) as caught:
        run(make_agent(routed.model_id, sleeps, max_retries=2), mode)
    assert caught.value.status == 503
    assert len(fake.requests) == 3
    assert len(sleeps.calls) == 2


def test_unknown_model_404_is_not_found(routed: Case, fake: FakeProvider, mode: str) -> None:
    fake.push(Script(status=404, error_message="model not found"))
    agent = make_agent(routed.model_id.split("/")[0] + "/no-such-model-xyz")
    with pytest.raises(NotFoundError) as caught:
        run(agent, mode)
    assert "model not found" in str(caught.value)
    assert fake.requests[0].json().get("model", "no-such-model-xyz") == "no-such-model-xyz"


def test_404_for_a_model_the_catalogue_lacks_suggests_near_ids(
    fake: FakeProvider, mode: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    from modelrouter import _catalog

    if not _catalog.has_model("openai", "gpt-4o"):
        pytest.skip("the generated catalogue is absent")
    monkeypatch.setenv("OPENAI_API_KEY", "k")
    monkeypatch.setenv("OPENAI_BASE_URL", fake.base_url("openai-chat"))
    fake.push(Script(status=404, error_message="The model `gpt-4oo` does not exist"))
    with pytest.raises(NotFoundError, match="Did you mean 'gpt-4o'"):
        run(make_agent(cast(ModelId, "openai/gpt-4oo"), max_retries=0), mode)
