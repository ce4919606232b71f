"""Context-tier prices from the catalogue, per protocol, below and above the tier boundary.

A tier replaces the base prices for the whole request when the prompt (`Usage.input_tokens`,
cached tokens included) is strictly above its threshold. Catalogue prices (USD per million
tokens, from models.dev `cost.tiers`, generated/modelrouter_catalog):

openai/gpt-5.4          2.50 in, 15.00 out, 0.25 cache read; above 272k: 5.00, 22.50, 0.50
azure/claude-opus-4-6   5.00 in, 25.00 out, 0.50 read, 6.25 write; above 200k: 10, 37.5, 1, 12.5
google/gemini-2.5-pro   1.25 in, 10.00 out, 0.125 read; above 200k: 2.50, 15.00, 0.25
openai/gpt-5.4-pro      30 in, 180 out, no cache price; above 272k: 60, 270, no cache price
"""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any, cast

import pytest

from modelrouter import Agent, GenerateResult, ModelConfig, Usage
from tests.support.server import LoopbackServer, Reply, Request


def _answer(request: Request) -> Reply:
    body = request.json()
    usage = _USAGE_BY_MODEL[_model(request, body)]
    if request.path.endswith("/chat/completions"):
        message = {"role": "assistant", "content": "ok"}
        choice = {"index": 0, "message": message, "finish_reason": "stop"}
        return Reply.json({"id": "c1", "object": "chat.completion", "choices": [choice], **usage})
    if request.path.endswith("/messages"):
        content = [{"type": "text", "text": "ok"}]
        reply = {"id": "m1", "type": "message", "role": "assistant", "content": content}
        return Reply.json({**reply, "stop_reason": "end_turn", **usage})
    if request.path.endswith("/responses"):
        text = {"type": "output_text", "text": "ok", "annotations": []}
        item = {"type": "message", "id": "i1", "role": "assistant", "content": [text]}
        item["status"] = "completed"
        return Reply.json(
            {"id": "r1", "object": "response", "status": "completed", "output": [item], **usage}
        )
    parts = {"content": {"role": "model", "parts": [{"text": "ok"}]}, "finishReason": "STOP"}
    return Reply.json({"candidates": [parts], **usage})


def _model(request: Request, body: dict[str, Any]) -> str:
    if "model" in body:
        return str(body["model"])
    return request.path.rsplit("/models/", 1)[1].split(":", 1)[0]


_USAGE_BY_MODEL: dict[str, dict[str, Any]] = {}


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(_answer) as running:
        yield running


def _call(server: LoopbackServer, model_id: str, usage: dict[str, Any], mode: str) -> Any:
    bare = model_id.split("/", 1)[1]
    _USAGE_BY_MODEL[bare] = usage
    path = "/v1beta" if model_id.startswith("google/") else "/v1"
    config = cast(ModelConfig, {"id": model_id, "url": server.url + path, "api_key": "k"})
    agent: Agent[str] = Agent("tiers", None, config)
    if mode == "generate":
        with agent:
            return agent.generate("How much?")

    async def go() -> GenerateResult[str]:
        async with agent:
            return await agent.agenerate("How much?")

    return asyncio.run(go())


def _openai(prompt: int, cached: int, out: int) -> dict[str, Any]:
    details = {"cached_tokens": cached}
    counts = {"prompt_tokens": prompt, "completion_tokens": out, "total_tokens": prompt + out}
    return {"usage": {**counts, "prompt_tokens_details": details}}


def _anthropic(uncached: int, read: int, write: int, out: int) -> dict[str, Any]:
    counts = {"input_tokens": uncached, "output_tokens": out}
    cache = {"cache_read_input_tokens": read, "cache_creation_input_tokens": write}
    return {"usage": {**counts, **cache}}


def _gemini(prompt: int, cached: int, answer: int, thoughts: int) -> dict[str, Any]:
    counts = {"promptTokenCount": prompt, "cachedContentTokenCount": cached}
    out = {"candidatesTokenCount": answer, "thoughtsTokenCount": thoughts}
    return {"usageMetadata": {**counts, **out, "totalTokenCount": prompt + answer + thoughts}}


def _responses(prompt: int, cached: int, out: int) -> dict[str, Any]:
    usage = {
        "input_tokens": prompt,
        "input_tokens_details": {"cached_tokens": cached},
        "output_tokens": out,
        "output_tokens_details": {"reasoning_tokens": 0},
        "total_tokens": prompt + out,
    }
    return {"usage": usage}


CASES: list[tuple[str, str, dict[str, Any], Usage, float | None]] = [
    # 272,000 is not above 272k: 200,000 x 2.5 + 72,000 x 0.25 + 2,000 x 15 = 548,000.
    ("chat-at", "openai/gpt-5.4", _openai(272_000, 72_000, 2000), Usage(272_000, 2000), 0.548),
    # Above: 200,000 x 5 + 100,000 x 0.5 + 2,000 x 22.5 = 1,095,000.
    ("chat-above", "openai/gpt-5.4", _openai(300_000, 100_000, 2000), Usage(300_000, 2000), 1.095),
    # 100,000 + 60,000 read + 40,000 written = 200,000, not above: base prices.
    # 100,000 x 5 + 60,000 x 0.5 + 40,000 x 6.25 + 1,000 x 25 = 805,000.
    (
        "anthropic-at",
        "azure/claude-opus-4-6",
        _anthropic(100_000, 60_000, 40_000, 1000),
        Usage(200_000, 1000),
        0.805,
    ),
    # 150,000 uncached alone is under 200k, but the prompt is 210,000 with the cache: tier.
    # 150,000 x 10 + 40,000 x 1 + 20,000 x 12.5 + 1,000 x 37.5 = 1,827,500 (base: 920,000).
    (
        "anthropic-above",
        "azure/claude-opus-4-6",
        _anthropic(150_000, 40_000, 20_000, 1000),
        Usage(210_000, 1000),
        1.8275,
    ),
    # 150,000 (50,000 cached), 1,000 + 500 thoughts: 100,000 x 1.25 + 50,000 x 0.125
    # + 1,500 x 10 = 146,250.
    (
        "gemini-below",
        "google/gemini-2.5-pro",
        _gemini(150_000, 50_000, 1000, 500),
        Usage(150_000, 1500),
        0.14625,
    ),
    # 250,000 (50,000 cached): 200,000 x 2.5 + 50,000 x 0.25 + 1,500 x 15 = 535,000.
    (
        "gemini-above",
        "google/gemini-2.5-pro",
        _gemini(250_000, 50_000, 1000, 500),
        Usage(250_000, 1500),
        0.535,
    ),
    # 100,000 x 30 + 1,000 x 180 = 3,180,000; above: 300,000 x 60 + 1,000 x 270 = 18,270,000.
    (
        "responses-below",
        "openai/gpt-5.4-pro",
        _responses(100_000, 0, 1000),
        Usage(100_000, 1000),
        3.18,
    ),
    (
        "responses-above",
        "openai/gpt-5.4-pro",
        _responses(300_000, 0, 1000),
        Usage(300_000, 1000),
        18.27,
    ),
    # Cached tokens above the tier, which lists no cache price: unknown, not a guess.
    (
        "responses-no-tier-cache-price",
        "openai/gpt-5.4-pro",
        _responses(300_000, 10_000, 1000),
        Usage(300_000, 1000),
        None,
    ),
]


@pytest.mark.parametrize("mode", ["generate", "agenerate"])
@pytest.mark.parametrize(
    ("model_id", "usage", "counts", "dollars"),
    [case[1:] for case in CASES],
    ids=[case[0] for case in CASES],
)
def test_a_call_costs_the_hand_computed_tier_figure(
    server: LoopbackServer,
    mode: str,
    model_id: str,
    usage: dict[str, Any],
    counts: Usage,
    dollars: float | None,
) -> None:
    result = _call(server, model_id, usage, mode)
    assert (result.usage.input_tokens, result.usage.output_tokens) == (
        counts.input_tokens,
        counts.output_tokens,
    )
    if dollars is None:
        assert result.cost is None
    else:
        assert result.cost == pytest.approx(dollars, rel=1e-12)
    assert [step.cost for step in result.steps] == [result.cost]
