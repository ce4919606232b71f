"""A Retry-After of 0, negative, nan or in the past never means "retry at once" (issue 4)."""

from __future__ import annotations

import pytest

from tests.fakes.providers import Script

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", MODES)]

Models = tuple[Model, Model, Model]


@pytest.mark.parametrize(
    "headers",
    [
        {"retry-after": "0"},
        {"retry-after": "-3"},
        {"retry-after": "nan"},
        {"retry-after": "Thu, 01 Jan 1970 00:00:00 GMT"},
        {"retry-after-ms": "0"},
        {"retry-after-ms": "-250"},
    ],
    ids=["zero", "negative", "nan", "past-date", "ms-zero", "ms-negative"],
)
async def test_a_useless_retry_after_backs_off_as_usual(
    mode: str, models: Models, sleeps: Sleeps, headers: dict[str, str]
) -> None:
    model = models[0]
    model.fake.push(Script(status=429, headers=headers), Script(status=429, headers=headers))
    model.fake.default = Script(text="third time lucky")
    agent = make_agent([model.entry(2)], sleeps)
    result = await ask(agent, mode)
    assert result.text == "third time lucky"
    assert sleeps.seconds == [0.25, 0.5]  # the computed backoff (no jitter), never 0


async def test_a_positive_retry_after_is_still_honoured(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    model = models[0]
    model.fake.push(Script(status=429, headers={"retry-after": "2"}))
    agent = make_agent([model.entry(1)], sleeps)
    await ask(agent, mode)
    assert sleeps.seconds == [2.0]
