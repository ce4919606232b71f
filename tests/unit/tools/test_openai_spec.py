"""Request bodies with tools, tool results and response_format, checked against OpenAI's own types.

The `openai` package (a dev dependency) ships its request parameters as TypedDicts generated
from OpenAI's OpenAPI spec; pydantic validates our bodies against them (every key's type and
every required key), so no copy of the spec is needed here.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pydantic import TypeAdapter, ValidationError

from modelrouter._output import compile_output
from modelrouter._parts import ToolSpec
from modelrouter._tools import compile_tools
from modelrouter._types import ModelRequest
from modelrouter.transports import openai_chat
from tests.unit.tools.test_openai_parts import CONVERSATION, EP, WEATHER

from openai.types.chat import completion_create_params as params


def _adapter(name: str) -> TypeAdapter[Any]:
    return TypeAdapter(getattr(params, name))


NON_STREAMING = _adapter("CompletionCreateParamsNonStreaming")
STREAMING = _adapter("CompletionCreateParamsStreaming")


def validate(adapter: TypeAdapter[Any], body: dict[str, Any]) -> None:
    """Validate `body` all the way down.

    The types declare lists as `Iterable[...]`, which pydantic validates lazily (item by item
    as they are iterated), so every such value is iterated here.
    """
    _drain(adapter.validate_python(body))


def _drain(value: Any) -> None:
    if isinstance(value, dict):
        for item in value.values():
            _drain(item)
    elif not isinstance(value, (str, bytes)) and hasattr(value, "__iter__"):
        for item in value:
            _drain(item)


def _body(request: ModelRequest, stream: bool) -> dict[str, Any]:
    parsed: dict[str, Any] = json.loads(
        openai_chat.build_request(EP, request, stream=stream).content
    )
    return parsed


def _forecast_tool() -> ToolSpec:
    def get_weather(city: str, days: int = 1) -> str:
        """Weather."""
        return city

    return compile_tools([get_weather]).specs[0]


@pytest.mark.parametrize("stream", [False, True])
@pytest.mark.parametrize("choice", [None, "auto", "none", "required", "get_weather"])
def test_bodies_with_tools_results_and_format_match_openai_types(
    stream: bool, choice: str | None
) -> None:
    output = compile_output(list[int]).spec
    request = ModelRequest(
        messages=CONVERSATION,
        system="Be brief.",
        tools=[WEATHER, _forecast_tool()],
        tool_choice=choice,
        output=output,
        max_tokens=50,
        temperature=0.2,
    )
    body = _body(request, stream)
    validate(STREAMING if stream else NON_STREAMING, body)


def test_the_check_catches_a_malformed_body() -> None:
    body = _body(ModelRequest(messages=CONVERSATION, tools=[WEATHER]), False)
    body["messages"][2]["tool_call_id"] = 7  # a wrong type for a tool message's id
    with pytest.raises(ValidationError):
        validate(NON_STREAMING, body)
