"""Responses API reasoning items go back in the next request of a tool loop (loopback server).

OpenAI: "Be sure to include these items in your `input` ... for subsequent turns of a
conversation if you are manually managing context". The first answer holds a reasoning item
(id, summary, encrypted content) and a function call; the second request must carry that item,
unchanged, before the call, in every call mode. Each request body is also checked against the
`openai` package's request types (generated from OpenAI's OpenAPI spec).
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any, cast

import pytest
from openai.types.responses import response_create_params as params
from pydantic import TypeAdapter

from modelrouter import Agent, ModelConfig
from tests.integration.tools.conftest import run
from tests.support.server import LoopbackServer, Reply, Request
from tests.unit.tools.test_openai_spec import validate

THOUGHT = {
    "type": "reasoning",
    "id": "rs_0001",
    "summary": [{"type": "summary_text", "text": "Need the weather first."}],
    "encrypted_content": "gAAAAB-opaque+/=",
}
HIDDEN = {"type": "reasoning", "id": "rs_0002", "summary": []}  # no summary asked for
CALL = {
    "type": "function_call",
    "id": "fc_1",
    "call_id": "call_1",
    "name": "get_weather",
    "arguments": '{"city": "Paris"}',
    "status": "completed",
}
ANSWER = {
    "type": "message",
    "id": "msg_1",
    "role": "assistant",
    "status": "completed",
    "content": [{"type": "output_text", "text": "Sunny.", "annotations": []}],
}
USAGE = {"input_tokens": 10, "output_tokens": 5, "total_tokens": 15}
NON_STREAMING = TypeAdapter(params.ResponseCreateParamsNonStreaming)
STREAMING = TypeAdapter(params.ResponseCreateParamsStreaming)


def _sse(kind: str, **fields: Any) -> bytes:
    return f"event: {kind}\ndata: {json.dumps({'type': kind, **fields})}\n\n".encode()


class Script:
    def __init__(self) -> None:
        self.first: list[dict[str, Any]] = [THOUGHT, HIDDEN, CALL]

    def answer(self, request: Request) -> Reply:
        body = request.json()
        validate(STREAMING if body.get("stream") else NON_STREAMING, body)
        has_result = any(i.get("type") == "function_call_output" for i in body["input"])
        output = [ANSWER] if has_result else self.first
        if not body.get("stream"):
            return Reply.json({"status": "completed", "output": output, "usage": USAGE})
        events: list[bytes] = []
        for index, item in enumerate(output):
            if item["type"] == "message":
                text = item["content"][0]["text"]
                events.append(_sse("response.output_text.delta", output_index=index, delta=text))
            else:
                # `added` carries an incomplete item: only the `done` one is authoritative.
                early = {**item, "encrypted_content": None} if item["type"] == "reasoning" else item
                events.append(_sse("response.output_item.added", output_index=index, item=early))
                for summary in item.get("summary") or ():
                    delta = summary["text"]
                    kind = "response.reasoning_summary_text.delta"
                    events.append(_sse(kind, output_index=index, delta=delta))
            events.append(_sse("response.output_item.done", output_index=index, item=item))
        final = {"status": "completed", "usage": USAGE}
        events.append(_sse("response.completed", response=final))
        return Reply(body=iter(events), headers={"content-type": "text/event-stream"})


@pytest.fixture
def script() -> Script:
    return Script()


@pytest.fixture
def server(script: Script) -> Iterator[LoopbackServer]:
    with LoopbackServer(script.answer) as running:
        yield running


def get_weather(city: str) -> str:
    """The weather in a city."""
    return f"sunny in {city}"


def _agent(server: LoopbackServer, **options: Any) -> Agent[str]:
    config = {"id": "openai/gpt-5-pro", "url": server.url + "/v1", "api_key": "k"}
    provider_options = {"openai": options} if options else None
    return Agent(
        "thinker",
        None,
        cast(ModelConfig, config),
        tools=[get_weather],
        provider_options=provider_options,
    )


def _second_input(server: LoopbackServer) -> list[dict[str, Any]]:
    assert len(server.requests) == 2
    items: list[dict[str, Any]] = server.requests[1].json()["input"]
    return items


@pytest.mark.parametrize("mode", ["generate", "agenerate", "stream", "astream"])
def test_reasoning_items_go_back_before_their_call(server: LoopbackServer, mode: str) -> None:
    result = run(_agent(server), mode, "Weather in Paris?")
    assert result.text == "Sunny."
    assert result.steps[0].reasoning == "Need the weather first."
    sent = _second_input(server)
    assert [i.get("type") or i.get("role") for i in sent] == [
        "user",
        "reasoning",
        "reasoning",
        "function_call",
        "function_call_output",
    ]
    assert sent[1] == THOUGHT  # id, summary and encrypted content, byte for byte
    assert sent[2] == HIDDEN  # no summary, no encrypted content: the id alone (store on)
    assert sent[3]["call_id"] == "call_1"


@pytest.mark.parametrize("mode", ["generate", "stream"])
def test_unstored_conversations_send_only_items_with_their_encrypted_content(
    server: LoopbackServer, mode: str
) -> None:
    run(_agent(server, store=False), mode, "Weather in Paris?")
    sent = _second_input(server)
    reasoning = [i for i in sent if i.get("type") == "reasoning"]
    assert reasoning == [THOUGHT]  # rs_0002 could only be found by id: OpenAI stored nothing
    assert server.requests[1].json()["store"] is False


def test_a_conversation_sent_back_by_hand_keeps_its_reasoning(server: LoopbackServer) -> None:
    with _agent(server) as agent:
        first = agent.generate("Weather in Paris?")
        agent.generate([*first.messages, {"role": "user", "content": "And tomorrow?"}])
    sent: list[dict[str, Any]] = server.requests[2].json()["input"]
    assert [i for i in sent if i.get("type") == "reasoning"] == [THOUGHT, HIDDEN]
    assert sent[-1] == {"role": "user", "content": "And tomorrow?"}
