"""Reasoning out: `result.reasoning` and reasoning events, never in `.text`, round-tripped.

Against the scripted server, per protocol: OpenAI-compatible `reasoning_content`, Anthropic
thinking blocks (with signatures), Gemini thought parts (`thought: true`, thought signatures).
"""

from __future__ import annotations

from typing import Any

from modelrouter import Agent, ReasoningDelta, ReasoningEnd, TextDelta
from tests.fakes.providers import FakeProvider, Script
from tests.integration.media.conftest import run, scripted_config
from tests.integration.media.turns import Turn

THOUGHT = "Six times seven, carefully."
USAGE = {
    "openai-chat": {"prompt_tokens": 5, "completion_tokens": 9},
    "anthropic": {"input_tokens": 5, "output_tokens": 9},
    "gemini": {"promptTokenCount": 5, "candidatesTokenCount": 3, "thoughtsTokenCount": 6},
}


def test_reasoning_is_its_own_field_and_event(scripted: FakeProvider, wire: str, mode: str) -> None:
    scripted.push(Script(render=Turn(text="Forty-two.", reasoning=THOUGHT, usage=USAGE[wire])))
    result, events = run(Agent("r", None, scripted_config(scripted, wire)), mode, "6 x 7?")
    assert result.text == "Forty-two."
    assert result.reasoning == THOUGHT
    assert result.steps[0].reasoning == THOUGHT
    answer = result.messages[-1]["content"]
    assert isinstance(answer, list)
    kept = [p for p in answer if p["type"] == "reasoning"]
    assert [p["text"] for p in kept] == [THOUGHT]
    assert kept[0].get("provider") == wire
    if wire == "anthropic":
        assert kept[0].get("signature") == "sig-1"
    if mode in ("stream", "astream"):
        deltas = [e.text for e in events if isinstance(e, ReasoningDelta)]
        assert len(deltas) == 2 and "".join(deltas) == THOUGHT  # streamed in two pieces
        ends = [e.part for e in events if isinstance(e, ReasoningEnd)]
        assert [e["text"] for e in ends] == [THOUGHT]
        text = "".join(e.text for e in events if isinstance(e, TextDelta))
        assert text == "Forty-two."
        # Reasoning comes before the text it leads to.
        kinds = [type(e) for e in events if isinstance(e, (ReasoningDelta, TextDelta))]
        assert kinds.index(TextDelta) == 2


def test_no_reasoning_is_none(scripted: FakeProvider, wire: str, mode: str) -> None:
    scripted.push(Script(render=Turn(text="Hi.", usage=USAGE[wire])))
    result, events = run(Agent("r", None, scripted_config(scripted, wire)), mode, "Hi")
    assert result.reasoning is None
    assert result.messages[-1]["content"] == "Hi."
    assert not any(isinstance(e, (ReasoningDelta, ReasoningEnd)) for e in events)


def test_a_tool_loop_sends_thinking_back_with_its_signature(
    scripted: FakeProvider, wire: str, mode: str
) -> None:
    call = ("get_weather", {"city": "Paris"})
    first = Turn(text="", reasoning="I need the weather.", call=call, usage=USAGE[wire])
    scripted.push(
        Script(render=first),
        Script(render=Turn(text="Sunny in Paris.", reasoning="Now answer.", usage=USAGE[wire])),
    )

    def get_weather(city: str) -> str:
        """Weather in a city."""
        return "sunny"

    agent = Agent("r", None, scripted_config(scripted, wire), tools=[get_weather])
    result, _ = run(agent, mode, "Weather in Paris?")
    assert result.text == "Sunny in Paris."
    assert result.reasoning == "Now answer."
    assert [s.reasoning for s in result.steps] == ["I need the weather.", "Now answer."]
    second = scripted.requests[1].json()
    assistant: Any
    if wire == "anthropic":
        assistant = second["messages"][1]
        assert assistant["content"][0] == {
            "type": "thinking",
            "thinking": "I need the weather.",
            "signature": "sig-1",
        }
        assert assistant["content"][1]["type"] == "tool_use"
    elif wire == "gemini":
        parts = second["contents"][1]["parts"]
        assert parts[0] == {"text": "I need the weather.", "thought": True}
        assert parts[1]["thoughtSignature"] == "sig-1"
        assert parts[1]["functionCall"]["name"] == "get_weather"
    else:
        assistant = second["messages"][1]
        assert "reasoning_content" not in assistant and assistant["content"] is None
        assert assistant["tool_calls"][0]["function"]["name"] == "get_weather"
