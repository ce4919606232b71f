"""A client the user passes in keeps its default headers and cookies (e.g. proxy auth)."""

from __future__ import annotations

import httpx
import pytest

from modelrouter._defaults import USER_AGENT

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = [pytest.mark.anyio, pytest.mark.parametrize("mode", MODES)]

Models = tuple[Model, Model, Model]
SYNC_MODES = {"generate", "stream"}


def _defaults(kind: str) -> dict[str, str]:
    # Distinct per client, so a request sent with the other twin's defaults is caught.
    return {"x-proxy-authorization": f"Basic {kind}", "user-agent": f"their-agent/{kind}"}


@pytest.mark.parametrize("which", [0, 1, 2], ids=["openai", "anthropic", "gemini"])
async def test_user_client_defaults_are_sent_under_ours(
    mode: str, models: Models, sleeps: Sleeps, which: int
) -> None:
    model = models[which]
    kind = "sync" if mode in SYNC_MODES else "async"
    with httpx.Client(headers=_defaults("sync"), cookies={"session": "sync"}) as client:
        async with httpx.AsyncClient(
            headers=_defaults("async"), cookies={"session": "async"}
        ) as aclient:
            agent = make_agent([model.entry(0)], sleeps, client=client, async_client=aclient)
            await ask(agent, mode)
    headers = model.fake.requests[0].headers
    assert headers["x-proxy-authorization"] == f"Basic {kind}"
    assert headers["cookie"] == f"session={kind}"
    # Ours win where both set a header.
    assert headers["user-agent"] == USER_AGENT
    assert headers["content-type"] == "application/json"
    assert model.key in str(headers.values())  # the provider key is still ours


async def test_defaults_set_after_the_agent_is_built_are_sent(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    model = models[0]
    with httpx.Client() as client:
        async with httpx.AsyncClient() as aclient:
            agent = make_agent([model.entry(0)], sleeps, client=client, async_client=aclient)
            for user_client in (client, aclient):
                user_client.headers["x-trace"] = "later"
                user_client.cookies.set("session", "later")
            await ask(agent, mode)
    headers = model.fake.requests[0].headers
    assert headers["x-trace"] == "later"
    assert headers["cookie"] == "session=later"
