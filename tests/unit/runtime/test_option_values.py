"""Option names are respelled per wire; option values (the user's data) never are."""

from __future__ import annotations

import json
from typing import Any

import pytest

from modelrouter._options import merge_provider_options
from modelrouter._types import ModelRequest, WireFormat
from modelrouter.transports import TRANSPORTS
from modelrouter.transports.base import Endpoint

SCHEMA: dict[str, Any] = {
    "type": "object",
    "properties": {"firstName": {"type": "string"}, "user_id": {"type": "integer"}},
    "required": ["firstName", "user_id"],
}
TOOL = {
    "type": "function",
    "function": {"name": "lookUp", "parameters": SCHEMA},
}


def _body(wire: WireFormat, options: dict[str, Any]) -> dict[str, Any]:
    merged = merge_provider_options([{"p": options}], "p")
    request = ModelRequest(messages=[{"role": "user", "content": "hi"}], provider_options=merged)
    endpoint = Endpoint(
        model_id="p/m", provider="p", model="m", base_url="http://h/v1", api_key="k"
    )
    built = TRANSPORTS[wire].build_request(endpoint, request, stream=False)
    body: dict[str, Any] = json.loads(built.content)
    return body


@pytest.mark.parametrize("wire", ["openai-chat", "anthropic"])
def test_snake_case_wires_keep_values_verbatim(wire: WireFormat) -> None:
    body = _body(
        wire,
        {
            "responseFormat": {"type": "json_schema", "json_schema": {"schema": SCHEMA}},
            "extra_body": {"userId": "u-1"},
            "tools": [TOOL],
            "thinking": {"type": "enabled", "budgetTokens": 64},
        },
    )
    assert body["response_format"]["json_schema"]["schema"] == SCHEMA
    assert body["extra_body"] == {"userId": "u-1"}
    assert body["tools"] == [TOOL]
    assert body["thinking"] == {"type": "enabled", "budget_tokens": 64}  # a known config object


def test_gemini_respells_config_names_but_not_schemas() -> None:
    body = _body(
        "gemini",
        {
            "response_mime_type": "application/json",
            "response_schema": SCHEMA,
            "thinking_config": {"thinking_budget": 5, "include_thoughts": True},
            "generation_config": {"candidate_count": 1, "thinking_config": {"thinking_budget": 7}},
            "tools": [{"function_declarations": [{"name": "f", "parameters": SCHEMA}]}],
        },
    )
    config = body["generationConfig"]
    assert config["responseMimeType"] == "application/json"
    assert config["responseSchema"] == SCHEMA
    assert config["candidateCount"] == 1
    # The later thinking_config (top-level) wins over the one nested in generation_config.
    assert config["thinkingConfig"] == {"thinkingBudget": 5, "includeThoughts": True}
    assert body["tools"] == [{"function_declarations": [{"name": "f", "parameters": SCHEMA}]}]


def test_names_inside_known_option_objects_are_respelled() -> None:
    openai = _body("openai-chat", {"responseFormat": {"type": "json_schema", "jsonSchema": {}}})
    assert openai["response_format"] == {"type": "json_schema", "json_schema": {}}
    anthropic = _body(
        "anthropic",
        {"toolChoice": {"type": "tool", "name": "lookUp", "disableParallelToolUse": True}},
    )
    # The tool's name is a value: it keeps its spelling.
    assert anthropic["tool_choice"] == {
        "type": "tool",
        "name": "lookUp",
        "disable_parallel_tool_use": True,
    }


def test_layers_spelling_one_nested_option_differently_merge_into_one() -> None:
    merged = merge_provider_options(
        [
            {"p": {"toolConfig": {"functionCallingConfig": {"mode": "ANY"}}}},
            {"p": {"tool_config": {"function_calling_config": {"allowed_function_names": ["f"]}}}},
        ],
        "p",
    )
    assert merged == {
        "tool_config": {"function_calling_config": {"mode": "ANY", "allowed_function_names": ["f"]}}
    }
    body = _body("gemini", merged)
    assert body["toolConfig"] == {
        "functionCallingConfig": {"mode": "ANY", "allowedFunctionNames": ["f"]}
    }
