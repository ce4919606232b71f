"""A media part in a system message is refused by name on every protocol, never dropped.

No protocol's system prompt takes media: OpenAI chat refuses images outside user messages,
Anthropic's `system` holds text blocks, Gemini's `systemInstruction` is text only and the
Responses API's `instructions` is a string. So a system message's content must be a str, and
a list holding an image, file or audio part fails with a `ConfigurationError` that names the
message, the part and the fix, before any request, in every call mode (the same parts in a
user message are mapped per protocol: see the other media tests).
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, cast

import pytest

from modelrouter import Agent, ConfigurationError, Message, ModelConfig, audio, file, image
from tests.support.server import LoopbackServer, Reply, Request

MODELS = {
    "openai-chat": ("openai/gpt-4o-mini", "/v1"),
    "anthropic": ("anthropic/claude-haiku-4-5", "/v1"),
    "gemini": ("google/gemini-2.5-flash", "/v1beta"),
    "openai-responses": ("openai/gpt-5-pro", "/v1"),
}
PARTS = {
    "image": image("https://example.com/logo.png"),
    "file": file(b"%PDF-1.4", media_type="application/pdf"),
    "audio": audio(b"RIFF", media_type="audio/wav"),
}


def _answer(request: Request) -> Reply:
    return Reply.json({"error": {"message": "no request was expected"}}, status=500)


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(_answer) as running:
        yield running


def _agent(server: LoopbackServer, wire: str) -> Agent[str]:
    model_id, path = MODELS[wire]
    config = {"id": model_id, "url": server.url + path, "api_key": "k", "max_retries": 0}
    return Agent("system-media", "Be brief.", cast(ModelConfig, config))


def _call(agent: Agent[str], mode: str, prompt: list[Message]) -> None:
    if mode == "generate":
        with agent:
            agent.generate(prompt)
    elif mode == "stream":
        with agent, agent.stream(prompt) as stream:
            list(stream)
    else:

        async def go() -> None:
            async with agent:
                await agent.agenerate(prompt)

        asyncio.run(go())


@pytest.mark.parametrize("kind", sorted(PARTS))
@pytest.mark.parametrize("wire", sorted(MODELS))
@pytest.mark.parametrize("mode", ["generate", "stream", "agenerate"])
def test_media_in_a_system_message_is_refused_by_name(
    server: LoopbackServer, wire: str, mode: str, kind: str
) -> None:
    before = len(server.requests)
    system: Any = {"role": "system", "content": [{"type": "text", "text": "Brand:"}, PARTS[kind]]}
    prompt: list[Message] = [system, {"role": "user", "content": "Describe our brand."}]
    with pytest.raises(ConfigurationError) as caught:
        _call(_agent(server, wire), mode, prompt)
    assert str(caught.value) == (
        f"prompt[0]['content'] must be a str, got a list holding a part of type {kind!r}:"
        " a system prompt takes text only on every protocol; put images, files and audio in"
        " a user message"
    )
    assert len(server.requests) == before  # refused before any request


def test_instructions_given_as_parts_say_the_same() -> None:
    with pytest.raises(ConfigurationError, match="holding a part of type 'image'"):
        Agent(
            "system-media",
            cast(Any, {"role": "system", "content": [PARTS["image"]]}),
            "openai/gpt-4o-mini",
        )
