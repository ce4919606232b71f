"""`register_gateway` at run time, exactly as the README's "Your own gateway" example shows.

The example runs verbatim (its `AcmeGateway` serves `https://llm.acme.internal/openai/v1`). The
agent's client goes through a loopback CONNECT proxy that terminates TLS for that host, so the
request really is sent to the gateway's URL, with `ACME_API_KEY`, and nothing leaves 127.0.0.1.
"""

from __future__ import annotations

import asyncio
import re
import time
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from modelrouter import (
    Agent,
    MissingApiKeyError,
    ModelGateway,
    ProviderConfig,
    custom_model,
    register_gateway,
)
from modelrouter._errors import GatewayError, UnknownProviderError
from modelrouter._resolve import clear_cache, resolve_route
from modelrouter.gateways import registry
from tests.support.tls_proxy import TlsTunnelProxy

# Not in the committed catalogue (no `generate --gateway` run), so typed as a custom id.
ACME_GPT_5 = custom_model("acme/openai/gpt-5")
README = Path(__file__).resolve().parents[3] / "README.md"
ANSWER = {
    "choices": [{"message": {"role": "assistant", "content": "hi from acme"}}],
    "usage": {"prompt_tokens": 3, "completion_tokens": 4},
}


def _readme_gateway_example() -> str:
    blocks: list[str] = re.findall(
        r"```python\n(.*?)```", README.read_text(encoding="utf-8"), re.DOTALL
    )
    (example,) = [block for block in blocks if "register_gateway(AcmeGateway())" in block]
    return example


@pytest.fixture
def readme_gateway() -> Iterator[type[ModelGateway]]:
    namespace: dict[str, Any] = {"__name__": "readme_example"}
    exec(compile(_readme_gateway_example(), "README.md", "exec"), namespace)
    clear_cache()
    yield namespace["AcmeGateway"]
    registry.unregister_gateway("acme")
    clear_cache()


@pytest.fixture
def proxy() -> Iterator[TlsTunnelProxy]:
    with TlsTunnelProxy(["llm.acme.internal"], ANSWER) as server:
        yield server


def _check(proxy: TlsTunnelProxy) -> None:
    (request,) = proxy.requests
    assert request.host == "llm.acme.internal"
    assert (request.method, request.path) == ("POST", "/openai/v1/chat/completions")
    assert request.headers["authorization"] == "Bearer acme-secret"
    assert request.json()["model"] == "gpt-5"


def test_readme_example_routes_with_acme_api_key_and_the_gateway_url(
    readme_gateway: type[ModelGateway], proxy: TlsTunnelProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "acme-secret")
    with httpx.Client(proxy=proxy.url, verify=proxy.client_context()) as client:
        agent = Agent(name="a", instructions="Be brief.", model=ACME_GPT_5, client=client)
        assert agent.generate("Hello").text == "hi from acme"
    _check(proxy)


@pytest.mark.anyio
async def test_readme_example_routes_the_same_on_the_async_path(
    readme_gateway: type[ModelGateway], proxy: TlsTunnelProxy, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("ACME_API_KEY", "acme-secret")
    async with httpx.AsyncClient(proxy=proxy.url, verify=proxy.client_context()) as client:
        agent = Agent(name="a", instructions="Be brief.", model=ACME_GPT_5, async_client=client)
        assert (await agent.agenerate("Hello")).text == "hi from acme"
    _check(proxy)


def test_a_missing_key_names_the_gateways_variable(readme_gateway: type[ModelGateway]) -> None:
    agent = Agent(name="a", instructions="Be brief.", model=ACME_GPT_5)
    with pytest.raises(MissingApiKeyError, match="ACME_API_KEY") as caught:
        agent.generate("Hello")
    assert "ACME_OPENAI_API_KEY" not in str(caught.value)


class _Counting(ModelGateway):
    id = "counting"
    name = "Counting"
    prefix = "cnt"

    def __init__(self, fail: bool = False) -> None:
        self.calls = 0
        self.fail = fail

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        self.calls += 1
        if self.fail:
            raise OSError("listing host unreachable")
        return {
            "llm": ProviderConfig(
                name="LLM",
                models=["m"],
                api_key_env_var="CNT_KEY",
                gateway="counting",
                url="http://127.0.0.1:9/v1",
                api_key_header="x-api-key",
            )
        }


@pytest.fixture
def counting() -> Iterator[_Counting]:
    gateway = _Counting()
    register_gateway(gateway)
    clear_cache()
    yield gateway
    registry.unregister_gateway(gateway.id)
    clear_cache()


def test_providers_are_fetched_once_and_used_for_every_field(counting: _Counting) -> None:
    for model in ("cnt/llm/m", "cnt/llm/other", "cnt/llm/m"):
        route = resolve_route(model)
        assert route.env_vars == ("CNT_KEY",)
        assert route.url_template == "http://127.0.0.1:9/v1"
        assert route.api_key_header == "x-api-key"
    assert counting.calls == 1


def test_a_failing_gateway_is_a_gateway_error_naming_it_and_is_not_retried_at_once(
    counting: _Counting,
) -> None:
    counting.fail = True
    for _ in range(2):
        with pytest.raises(GatewayError, match="'counting'.*OSError: listing host unreachable"):
            resolve_route("cnt/llm/m")
    assert counting.calls == 1


def test_a_failing_gateway_falls_back_to_the_catalogue_entry(counting: _Counting) -> None:
    counting.fail = True
    catalogued = ProviderConfig(
        name="LLM", models=["m"], api_key_env_var="OLD_KEY", gateway="counting"
    )
    assert registry.live_provider(counting, "llm", catalogued) is catalogued


def test_re_registering_fetches_again(counting: _Counting) -> None:
    resolve_route("cnt/llm/m")
    fresh = _Counting()
    register_gateway(fresh)
    assert resolve_route("cnt/llm/m").env_vars == ("CNT_KEY",)
    assert (counting.calls, fresh.calls) == (1, 1)


@pytest.mark.parametrize(
    ("returned", "message"),
    [(["not", "a", "dict"], "returned list, expected a dict"), ({"llm": 3}, "'llm': int")],
)
def test_a_wrong_return_value_is_reported_like_the_generator_does(
    counting: _Counting, monkeypatch: pytest.MonkeyPatch, returned: object, message: str
) -> None:
    monkeypatch.setattr(counting, "fetch_providers", lambda: returned)
    with pytest.raises(GatewayError, match=message):
        resolve_route("cnt/llm/m")


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


class _Slow(_Counting):
    id = "slow"
    prefix = "slow"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        time.sleep(0.3)  # long enough for every caller to arrive while it runs
        return super().fetch_providers()


def test_concurrent_first_calls_share_one_fetch_sync_and_async() -> None:
    gateway = _Slow()
    register_gateway(gateway)
    clear_cache()
    try:

        async def both() -> None:
            await asyncio.gather(
                registry.aprefetch("slow/llm/m"),
                registry.aprefetch("slow/llm/m"),
                asyncio.to_thread(resolve_route, "slow/llm/m"),
                asyncio.to_thread(resolve_route, "slow/llm/other"),
            )

        asyncio.run(both())
        assert resolve_route("slow/llm/m").env_vars == ("CNT_KEY",)
        assert gateway.calls == 1
    finally:
        registry.unregister_gateway(gateway.id)
        clear_cache()


def test_the_route_cache_sees_every_registration_without_being_cleared() -> None:
    # The cache checks the registry's change counter, not the gateway list: a gateway
    # registered, replaced or removed after a call is what the very next call routes by.
    clear_cache()
    with pytest.raises(UnknownProviderError):
        resolve_route("cnt/llm/m")
    first = _Counting()
    register_gateway(first)
    try:
        assert resolve_route("cnt/llm/m").gateway is first
        assert resolve_route("cnt/llm/m").gateway is first  # a cache hit now
        second = _Counting()
        register_gateway(second)  # same id: replaces the first
        assert resolve_route("cnt/llm/m").gateway is second
    finally:
        registry.unregister_gateway("counting")
    with pytest.raises(UnknownProviderError):
        resolve_route("cnt/llm/m")
