"""Issue 4 end to end: an Agent with a fallback list against real loopback providers.

Every test runs in the four modes (generate, agenerate, stream, astream); backoff is recorded
by an injected sleep, so nothing here really waits.
"""

from __future__ import annotations

import pytest

from modelrouter._errors import (
    FallbackExhaustedError,
    MissingApiKeyError,
    ServerError,
    UnknownProviderError,
)
from modelrouter._fallback import Timeouts
from modelrouter._types import FallbackEntry
from tests.fakes.providers import Script

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", MODES)]

Models = tuple[Model, Model, Model]


async def test_server_errors_retry_then_the_next_model_answers(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.push(Script(status=500), Script(status=502), Script(status=503))
    second.fake.default = Script(text="second answers")
    agent = make_agent([first.entry(2), second.entry(1)], sleeps)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("second answers", second.model_id)
    assert len(first.fake.requests) == 3  # the first try and max_retries=2 retries
    assert len(second.fake.requests) == 1
    assert sleeps.seconds == [0.25, 0.5]  # backoff between retries, none when moving on
    assert [(a.model_id, a.error_type) for a in result.attempts] == [
        (first.model_id, "ServerError"),
        (first.model_id, "ServerError"),
        (first.model_id, "ServerError"),
        (second.model_id, None),
    ]
    assert all(a.duration_s >= 0 for a in result.attempts)


async def test_a_retry_can_succeed_on_the_same_model(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.push(Script(status=408), Script(status=409))
    first.fake.default = Script(text="third time lucky")
    agent = make_agent([first.entry(3), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert (result.text, result.model_id) == ("third time lucky", first.model_id)
    assert len(first.fake.requests) == 3 and not second.fake.requests
    assert [a.error_type for a in result.attempts] == ["ProviderError", "ProviderError", None]


@pytest.mark.parametrize(
    ("headers", "expected"),
    [({"retry-after": "1"}, 1.0), ({"retry-after-ms": "1500"}, 1.5)],
    ids=["retry-after", "retry-after-ms"],
)
async def test_rate_limit_waits_as_the_provider_asks(
    mode: str, models: Models, sleeps: Sleeps, headers: dict[str, str], expected: float
) -> None:
    first, second, _ = models
    first.fake.push(Script(status=429, headers=headers))
    agent = make_agent([first.entry(1), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert result.model_id == first.model_id
    assert sleeps.seconds == [expected]
    assert len(first.fake.requests) == 2 and not second.fake.requests


async def test_rate_limit_beyond_the_cap_moves_on_without_waiting(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.default = Script(status=429, headers={"retry-after": "120"})
    agent = make_agent([first.entry(3), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert sleeps.seconds == [] and len(first.fake.requests) == 1


async def test_rate_limit_with_no_retries_costs_no_wait(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.default = Script(status=429, headers={"retry-after": "1"})
    agent = make_agent([first.entry(0), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert sleeps.seconds == []


@pytest.mark.parametrize("status", [401, 403, 404, 400])
async def test_failures_retrying_cannot_cure_move_on_at_once(
    mode: str, models: Models, sleeps: Sleeps, status: int
) -> None:
    first, second, _ = models
    first.fake.default = Script(status=status)
    agent = make_agent([first.entry(3), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert len(first.fake.requests) == 1
    assert sleeps.seconds == []


async def test_missing_key_and_unknown_provider_fall_through(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    _, _, third = models
    entries: list[FallbackEntry] = [
        {"model": "openai/gpt-4o", "max_retries": 3},  # no OPENAI_API_KEY in tests
        {"model": "nosuchprovider/model", "max_retries": 3},  # type: ignore[typeddict-item]
        third.entry(0),
    ]
    result = await ask(make_agent(entries, sleeps), mode)
    assert result.model_id == third.model_id
    assert [a.error_type for a in result.attempts] == [
        MissingApiKeyError.__name__,
        UnknownProviderError.__name__,
        None,
    ]
    assert sleeps.seconds == []


async def test_every_model_failing_lists_each_in_order(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, third = models
    first.fake.default = Script(status=503, error_message="overloaded right now")
    second.fake.default = Script(status=401, error_message="invalid x-api-key")
    third.fake.default = Script(status=404, error_message="model not found")
    agent = make_agent([first.entry(1), second.entry(2), third.entry(0)], sleeps)
    with pytest.raises(FallbackExhaustedError) as caught:
        await ask(agent, mode)
    group = caught.value
    assert [type(e).__name__ for e in group.exceptions] == [
        "ServerError",
        "AuthenticationError",
        "NotFoundError",
    ]
    assert [a.model_id for a in group.attempts] == [first.model_id] * 2 + [
        second.model_id,
        third.model_id,
    ]
    lines = str(group).splitlines()
    assert len(lines) == 4
    for line, model, count in zip(lines[1:], models, (2, 1, 1), strict=True):
        assert line.strip().startswith(f"{model.model_id}: {count} attempt")
    assert "ServerError" in lines[1] and "overloaded right now" in lines[1]
    for model in models:
        assert model.key not in str(group)


async def test_one_model_raises_its_own_error(mode: str, models: Models, sleeps: Sleeps) -> None:
    first, _, _ = models
    first.fake.default = Script(status=500)
    agent = make_agent([first.entry(1)], sleeps)
    with pytest.raises(ServerError):
        await ask(agent, mode)
    assert len(first.fake.requests) == 2


async def test_headers_and_keys_stay_with_their_entry(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, third = models
    first.fake.default = Script(status=500)
    second.fake.default = Script(status=401)
    entries = [
        first.entry(0, headers={"x-first-only": "1"}),
        second.entry(0, headers={"x-second-only": "2"}),
        third.entry(0, headers={"x-third-only": "3"}),
    ]
    result = await ask(make_agent(entries, sleeps), mode)
    assert result.model_id == third.model_id
    for model, own_header in zip(models, ("x-first-only", "x-second-only", "x-third-only")):
        (request,) = model.fake.requests
        assert request.headers[own_header]
        wire = str(request.headers) + request.body.decode() + request.path
        for other in models:
            if other is not model:
                assert other.key not in wire
        others = {"x-first-only", "x-second-only", "x-third-only"} - {own_header}
        assert not others & set(request.headers)


async def test_attempt_timeout_moves_on(mode: str, models: Models, sleeps: Sleeps) -> None:
    first, second, _ = models
    first.fake.default = Script(delay=1.0)
    agent = make_agent([first.entry(0), second.entry(0)], sleeps, timeout=Timeouts(attempt=0.2))
    result = await ask(agent, mode)
    assert result.model_id == second.model_id
    assert result.attempts[0].error_type == "ProviderTimeoutError"


async def test_total_timeout_stops_with_what_was_tried(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    first, second, _ = models
    first.fake.default = Script(delay=1.0)
    agent = make_agent(
        [first.entry(3), second.entry(0)], sleeps, timeout=Timeouts(attempt=None, total=0.2)
    )
    with pytest.raises(FallbackExhaustedError) as caught:
        await ask(agent, mode)
    assert "total timeout" in str(caught.value)
    assert [a.model_id for a in caught.value.attempts] == [first.model_id]
    assert not second.fake.requests


async def test_an_empty_answer_is_an_answer_only_when_not_streamed(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    # Issue 4's no-content rule is about streams; a JSON answer with "" is the model's answer.
    first, second, _ = models
    first.fake.default = Script(text="")
    second.fake.default = Script(text="the backup speaks")
    agent = make_agent([first.entry(0), second.entry(0)], sleeps)
    result = await ask(agent, mode)
    if mode in ("generate", "agenerate"):
        assert (result.text, result.model_id) == ("", first.model_id)
    else:
        assert (result.text, result.model_id) == ("the backup speaks", second.model_id)
