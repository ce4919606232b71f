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


async def test_defaults_changed_between_calls_are_sent_and_ours_win_in_any_case(
    mode: str, models: Models, sleeps: Sleeps
) -> None:
    # The client's defaults are decoded once per change: a value changed in place after a
    # first call, and one added, reach the next call; a default the agent's own headers set
    # under another case is not sent twice; a repeated default goes once, first value.
    model = models[0]
    given = [("x-team", "a"), ("accept", "text/plain"), ("x-dup", "1"), ("x-dup", "2")]
    with httpx.Client(headers=given) as client:
        async with httpx.AsyncClient(headers=given) as aclient:
            agent = make_agent(
                [model.entry(0)],
                sleeps,
                client=client,
                async_client=aclient,
                headers={"Accept": "application/json"},
            )
            await ask(agent, mode)
            for user_client in (client, aclient):
                user_client.headers["x-team"] = "b"
                user_client.headers["x-new"] = "yes"
            await ask(agent, mode)
    first, second = model.fake.requests
    assert (first.headers["x-team"], second.headers["x-team"]) == ("a", "b")
    assert "x-new" not in first.headers and second.headers["x-new"] == "yes"
    for request in (first, second):  # the fake keeps a repeated header's last value
        assert request.headers["accept"] == "application/json"
        assert request.headers["x-dup"] == "1"
