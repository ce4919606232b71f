"""Bad per-call input in every call mode: a ConfigurationError naming it, and no request sent.

The agent points at a real loopback provider (`tests.fakes.providers`), so "no request" is what
the server saw, and the good inputs at the end prove the same agent does answer.
"""

from __future__ import annotations

import asyncio
import traceback
from collections.abc import Iterator
from typing import Any

import pytest

from modelrouter import Agent, ConfigurationError, GenerateResult, RuntimeContext
from tests.fakes.providers import FakeProvider

KEY = "sk-live-SECRET-key-0123456789"
HEADER = "hv-SECRET-header-value"
MODES = ["generate", "agenerate", "stream", "astream"]


@pytest.fixture(scope="module")
def fake() -> Iterator[FakeProvider]:
    with FakeProvider() as server:
        yield server


@pytest.fixture
def agent(fake: FakeProvider) -> Agent:
    fake.reset()
    model: Any = {"id": "openai/gpt-5", "url": fake.base_url("openai-chat"), "api_key": KEY}
    return Agent("v", "Be brief.", model, headers={"x-team": HEADER}, max_retries=0)


def call(agent: Agent, mode: str, prompt: Any, **kwargs: Any) -> GenerateResult:
    if mode == "generate":
        with agent:
            return agent.generate(prompt, **kwargs)
    if mode == "stream":
        with agent, agent.stream(prompt, **kwargs) as stream:
            "".join(stream)
        return stream.result

    async def go() -> GenerateResult:
        try:
            if mode == "agenerate":
                return await agent.agenerate(prompt, **kwargs)
            async with agent.astream(prompt, **kwargs) as stream:
                [text async for text in stream]
            return stream.result
        finally:
            await agent.aclose()

    return asyncio.run(go())


# (prompt, call kwargs, text the message must contain)
BAD_CALLS: list[tuple[Any, dict[str, Any], str]] = [
    (123, {}, "prompt"),
    (None, {}, "prompt"),
    (b"hello", {}, "prompt"),
    ({"role": "user", "content": "hi"}, {}, "prompt"),  # one message, not a list
    (["hi"], {}, "prompt[0]"),
    ([{"role": "user"}], {}, "prompt[0] has no 'content'"),
    ([{"content": "hi"}], {}, "prompt[0]['role']"),
    ([{"role": "bot", "content": "hi"}], {}, "prompt[0]['role']"),
    ([{"role": ["user"], "content": "hi"}], {}, "prompt[0]['role']"),
    ([{"role": "user", "content": 5}], {}, "prompt[0]['content']"),
    ([{"role": "user", "content": None}], {}, "prompt[0]['content']"),
    ([{"role": "user", "content": ("a", "b")}], {}, "prompt[0]['content']"),
    ([{"role": "user", "content": ["a"]}], {}, "prompt[0]['content'][0]"),
    ([{"role": "user", "content": [{"type": "text", "text": 5}]}], {}, "prompt[0]['content'][0]"),
    ([{"role": "system", "content": [{"type": "text", "text": "s"}]}], {}, "prompt[0]['content']"),
    (
        [
            {"role": "user", "content": "hi"},
            {"role": "user", "content": "x", "provider_options": 1},
        ],
        {},
        "prompt[1]['provider_options']",
    ),
    ([], {}, "prompt"),
    ([{"role": "system", "content": "only a system message"}], {}, "prompt"),
    ("hi", {"provider_options": "x"}, "provider_options"),
    ("hi", {"provider_options": {"openai": "x"}}, "provider_options['openai']"),
    ("hi", {"provider_options": {"openai": {1: "x"}}}, "provider_options['openai']"),
    ("hi", {"provider_options": {"openai": {"temperature": float("nan")}}}, "['temperature']"),
    ("hi", {"provider_options": {"openai": {"x": object()}}}, "provider_options['openai']['x']"),
    ([{"role": "user", "content": "hi", "provider_options": {"o": {"x": b"b"}}}], {}, "['x']"),
    # Reached only by the encoder (a lone surrogate): still typed, still before any request.
    ("lone \ud800 surrogate", {}, "prompt"),
    ("hi", {"runtime_context": "pro"}, "runtime_context"),
    ("hi", {"runtime_context": ["tier"]}, "runtime_context"),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(
    ("prompt", "kwargs", "names"), BAD_CALLS, ids=[str(i) for i in range(len(BAD_CALLS))]
)
def test_bad_call_input_is_named_and_sends_nothing(
    agent: Agent, fake: FakeProvider, mode: str, prompt: Any, kwargs: dict[str, Any], names: str
) -> None:
    with pytest.raises(ConfigurationError) as caught:
        call(agent, mode, prompt, **kwargs)
    exc = caught.value
    assert names in str(exc), str(exc)
    shown = str(exc) + repr(exc) + "".join(traceback.format_exception(exc))
    assert KEY not in shown and HEADER not in shown
    assert fake.requests == []


def test_a_selector_returning_a_bad_config_sends_nothing(fake: FakeProvider) -> None:
    fake.reset()
    url = fake.base_url("openai-chat")
    selector: Any = lambda ctx: {"id": "openai/gpt-5", "url": url, "headers": {"x": 1}}
    agent = Agent("v", None, selector)
    for mode in MODES:
        with pytest.raises(ConfigurationError, match=r"model selector result\['headers'\]"):
            call(agent, mode, "hi", runtime_context=RuntimeContext(tier="pro"))
    assert fake.requests == []


GOOD_CALLS: list[tuple[Any, dict[str, Any]]] = [
    ("hi", {}),
    ([{"role": "user", "content": "hi"}], {}),
    (({"role": "system", "content": "s"}, {"role": "user", "content": "hi"}), {}),
    ("hi", {"provider_options": {"openai": {"reasoning_effort": "low"}}}),
    ("hi", {"runtime_context": RuntimeContext(tier="pro")}),
    ("hi", {"runtime_context": {"tier": "pro"}, "provider_options": None}),
]


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize(("prompt", "kwargs"), GOOD_CALLS, ids=[str(i) for i in range(6)])
def test_good_call_input_is_sent(
    agent: Agent, fake: FakeProvider, mode: str, prompt: Any, kwargs: dict[str, Any]
) -> None:
    assert call(agent, mode, prompt, **kwargs).text == "Hello from the fake"
    assert len(fake.requests) == 1
