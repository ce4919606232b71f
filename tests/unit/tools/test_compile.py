"""Tools and output types compile once, with clear errors for what cannot become a schema."""

from __future__ import annotations

import sys
from collections.abc import Callable
from typing import Any, Literal

import pytest
from pydantic import BaseModel

from modelrouter import Agent, ConfigurationError, Tool
from modelrouter._output import compile_output
from modelrouter._schema import is_strict, strict_schema
from modelrouter._tools import compile_tool, compile_tools


def get_weather(city: str, unit: Literal["C", "F"] = "C") -> str:
    """Current weather for a city.

    Args:
        city: the city's name,
            as people write it.
        unit: degrees.
    """
    return city


def test_schema_description_and_docs_come_from_the_function() -> None:
    spec = compile_tool(get_weather).spec
    assert spec.name == "get_weather" and spec.description == "Current weather for a city."
    assert spec.parameters["properties"]["city"] == {
        "description": "the city's name, as people write it.",
        "title": "City",
        "type": "string",
    }
    assert spec.parameters["required"] == ["city"]
    assert spec.strict is False  # `unit` has a default: strict mode would require it


def test_compiled_once_per_function() -> None:
    assert compile_tool(get_weather) is compile_tool(get_weather)


def test_a_parameter_with_no_json_schema_fails_at_agent_naming_tool_and_parameter() -> None:
    def apply(fn: Callable[[int], int], x: int) -> int:
        """Applies."""
        return fn(x)

    with pytest.raises(ConfigurationError, match=r"Tool 'apply': parameter 'fn' has type"):
        Agent("a", None, "openai/gpt-4o", tools=[apply])


@pytest.mark.parametrize(
    ("source", "message"),
    [
        ("def f(*args: int) -> None: ...", "parameter 'args' is \\*args"),
        ("def f(x) -> None: ...", "parameter 'x' has no type hint"),
    ],
)
def test_signatures_a_tool_cannot_have(source: str, message: str) -> None:
    namespace: dict[str, Any] = {}
    exec(source, namespace)
    with pytest.raises(ConfigurationError, match=message):
        compile_tools([namespace["f"]])


def test_tool_names_must_be_usable_and_unique() -> None:
    with pytest.raises(ConfigurationError, match="not a usable tool name"):
        compile_tools([Tool(name="auto")])
    with pytest.raises(ConfigurationError, match="two tools are named 'get_weather'"):
        compile_tools([get_weather, Tool(name="get_weather")])
    with pytest.raises(ConfigurationError, match="not a function or a modelrouter.Tool"):
        compile_tools([42])  # type: ignore[list-item]


def test_tool_choice_must_name_a_tool() -> None:
    with pytest.raises(ConfigurationError, match="tool_choice 'nope'"):
        Agent("a", None, "openai/gpt-4o", tools=[get_weather], tool_choice="nope")
    with pytest.raises(ConfigurationError, match="no tools"):
        Agent("a", None, "openai/gpt-4o", tool_choice="auto")


def test_loop_limits_are_checked() -> None:
    with pytest.raises(ConfigurationError, match="max_steps"):
        Agent("a", None, "openai/gpt-4o", max_steps=0)
    with pytest.raises(ConfigurationError, match="output_retries"):
        Agent("a", None, "openai/gpt-4o", output_retries=-1)


def test_an_output_type_with_no_schema_fails_at_agent() -> None:
    with pytest.raises(ConfigurationError, match="output_type .* cannot become a JSON Schema"):
        Agent("a", None, "openai/gpt-4o", output_type=Callable)  # type: ignore[arg-type]


class Forecast(BaseModel):
    city: str
    high: float


def test_output_schemas_wrap_non_objects_and_validate() -> None:
    plain = compile_output(Forecast)
    assert not plain.wrapped and plain.spec.strict and plain.spec.name == "Forecast"
    assert plain.validate('{"city": "Oslo", "high": 3}') == Forecast(city="Oslo", high=3)
    listed = compile_output(list[Forecast])
    assert listed.wrapped and listed.spec.schema["required"] == ["result"]
    assert "$defs" in listed.spec.schema
    assert listed.validate('{"result": [{"city": "a", "high": 1}]}') == [Forecast(city="a", high=1)]
    with pytest.raises(ValueError):
        listed.validate('[{"city": "a", "high": 1}]')
    assert compile_output(Forecast) is plain


def test_strictness() -> None:
    closed = {"type": "object", "properties": {"a": {"type": "string"}}, "required": ["a"]}
    assert is_strict(closed)
    assert strict_schema(closed)["additionalProperties"] is False
    assert not is_strict({**closed, "required": []})
    assert not is_strict({"type": "object", "additionalProperties": {"type": "integer"}})
    assert not is_strict({**closed, "properties": {"a": {"type": "string", "default": "x"}}})


def test_pydantic_is_not_imported_by_import_modelrouter() -> None:
    import subprocess

    code = "import modelrouter, sys; print('pydantic' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert out.stdout.strip() == "False"
