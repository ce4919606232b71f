"""A client the user passes in keeps its default headers and cookies (e.g. proxy auth)."""

from __future__ import annotations

import httpx
import pytest

from modelrouter._defaults import USER_AGENT

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", MODES)]

Models = tuple[Model, Model, Model]
DEFAULTS = {"x-proxy-authorization": "Basic cHJveHk6cGFzcw==", "user-agent": "their-agent/1"}


@pytest.mark.parametrize("which", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_user_client_defaults_are_sent_under_ours(
    mode: str, models: Models, sleeps: Sleeps, which: int
) -> None:
    model = models[which]
    with httpx.Client(headers=DEFAULTS, cookies={"session": "s1"}) as client:
        async with httpx.AsyncClient(headers=DEFAULTS, cookies={"session": "s1"}) as aclient:
            agent = make_agent([model.entry(0)], sleeps, client=client, async_client=aclient)
            await ask(agent, mode)
    headers = model.fake.requests[0].headers
    assert headers["x-proxy-authorization"] == DEFAULTS["x-proxy-authorization"]
    assert headers["cookie"] == "session=s1"
    # Ours win where both set a header.
    assert headers["user-agent"] == USER_AGENT
    assert headers["content-type"] == "application/json"
    assert model.key in str(headers.values())  # the provider key is still ours
