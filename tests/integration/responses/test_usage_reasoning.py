"""A scripted Responses answer (loopback server): usage, cost and reasoning in every call mode.

Hand-computed cost, openai/gpt-5.1-codex (catalogue: $1.25 input, $0.125 cache read, $10 output
per million): 1,000 input (400 cached), 500 output (200 reasoning):
600 x 1.25 + 400 x 0.125 + 500 x 10 = 5,800 per million = $0.0058.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

import pytest

from modelrouter import Agent, ModelConfig, ReasoningDelta, ReasoningEnd, Usage
from tests.integration.tools.conftest import run
from tests.support.server import LoopbackServer, Reply, Request

USAGE = {
    "input_tokens": 1000,
    "input_tokens_details": {"cached_tokens": 400},
    "output_tokens": 500,
    "output_tokens_details": {"reasoning_tokens": 200},
    "total_tokens": 1500,
}
SUMMARY = {"type": "reasoning", "id": "rs_1", "summary": [{"type": "summary_text", "text": "Hm."}]}
MESSAGE = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "Forty-two.", "annotations": []}],
}


def _sse(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


def _answer(request: Request) -> Reply:
    if not request.json().get("stream"):
        answer = {"status": "completed", "output": [SUMMARY, MESSAGE], "usage": USAGE}
        return Reply.json(answer)
    events = [
        _sse("response.output_item.added", output_index=0, item={**SUMMARY, "summary": []}),
        _sse("response.reasoning_summary_text.delta", output_index=0, delta="Hm."),
        _sse("response.output_item.done", output_index=0, item=SUMMARY),
        _sse("response.output_text.delta", output_index=1, delta="Forty-"),
        _sse("response.output_text.delta", output_index=1, delta="two."),
        _sse("response.completed", response={"status": "completed", "usage": USAGE}),
    ]
    return Reply(body=iter(events), headers={"content-type": "text/event-stream"})


@pytest.fixture(scope="module")
def server() -> Iterator[LoopbackServer]:
    with LoopbackServer(_answer) as running:
        yield running


def _agent(server: LoopbackServer) -> Agent:
    config = {"id": "openai/gpt-5.1-codex", "url": server.url + "/v1", "api_key": "k"}
    return Agent("codex", None, cast(ModelConfig, config))


def test_usage_cost_and_reasoning(server: LoopbackServer, mode: str) -> None:
    result = run(_agent(server), mode, "Why?")
    assert result.text == "Forty-two." and result.reasoning == "Hm."
    assert result.usage == Usage(1000, 500, cache_read_tokens=400, reasoning_tokens=200)
    assert result.cost == pytest.approx(0.0058, rel=1e-12)
    assert server.requests[-1].path == "/v1/responses"
    message = result.messages[-1]
    assert message["role"] == "assistant" and not isinstance(message["content"], str)
    thought = {"type": "reasoning", "text": "Hm.", "provider": "openai-responses", "id": "rs_1"}
    assert thought in list(message["content"])


def test_reasoning_streams_as_events(server: LoopbackServer) -> None:
    with _agent(server) as agent, agent.stream("Why?") as stream:
        seen = list(stream.events())
    assert [e.text for e in seen if isinstance(e, ReasoningDelta)] == ["Hm."]
    (end,) = [e for e in seen if isinstance(e, ReasoningEnd)]
    assert end.part["text"] == "Hm."
