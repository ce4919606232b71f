"""Header values a provider echoes back never reach our error messages or bodies (issue 3)."""

from __future__ import annotations

import pytest

from modelrouter._agent import Agent
from modelrouter._errors import AuthenticationError, InvalidModelIdError, ProviderError
from tests.fakes.providers import Script

from .conftest import MODES, Model, Sleeps, ask, make_agent

pytestmark = pytest.mark.anyio

Models = tuple[Model, Model, Model]
ENTRY_SECRET = "proxy-entry-token-7f3a9c"
CONFIG_SECRET = "config-header-token-51be"
AGENT_SECRET = "agent-header-token-c0ffee"


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("status", [401, 500])
async def test_echoed_header_values_are_scrubbed(
    mode: str, models: Models, sleeps: Sleeps, status: int
) -> None:
    model = models[0]
    echoed = f"bad headers {ENTRY_SECRET} / {CONFIG_SECRET} / {AGENT_SECRET} key {model.key}"
    model.fake.default = Script(status=status, error_message=echoed)
    entry = model.entry(0, headers={"x-proxy-key": ENTRY_SECRET})
    entry["model"]["headers"] = {"x-config": CONFIG_SECRET}  # type: ignore[index]
    agent = make_agent([entry], sleeps, headers={"x-agent": AGENT_SECRET})
    with pytest.raises(ProviderError) as caught:
        await ask(agent, mode)
    error = caught.value
    assert isinstance(error, AuthenticationError) == (status == 401)
    shown = f"{error} {error.body!r} {error!r}"
    for secret in (ENTRY_SECRET, CONFIG_SECRET, AGENT_SECRET, model.key):
        assert secret not in shown
    assert "bad headers" in shown  # the rest of the provider's words survive


def test_a_malformed_fallback_entry_masks_its_key_and_headers() -> None:
    entry = {"id": "openai/gpt-4o", "api_key": "sk-live-SECRET", "headers": {"x": ENTRY_SECRET}}
    with pytest.raises(InvalidModelIdError) as caught:
        Agent("a", None, [entry])  # type: ignore[list-item]
    assert "SECRET" not in str(caught.value) and ENTRY_SECRET not in str(caught.value)
    assert "api_key" in str(caught.value)
