"""Tools: plain functions (sync or `async def`) or schema-only `Tool`s, compiled once.

A function's JSON Schema comes from its signature through pydantic, imported here on first use
(never by `import modelrouter`); the compiled tool is cached per function, so a second Agent
with the same tools pays nothing. A type pydantic cannot express fails when the Agent is built,
naming the tool and the parameter.
"""

from __future__ import annotations

import inspect
import re
import weakref
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final

from modelrouter._errors import ConfigurationError
from modelrouter._parts import ToolChoice, ToolSpec
from modelrouter._schema import is_strict, strict_schema

if TYPE_CHECKING:
    from pydantic import BaseModel

__all__ = ["FunctionTool", "Tool", "ToolSet", "compile_tools"]

_NAME: Final = re.compile(r"^[a-zA-Z0-9_-]{1,64}$")
_CHOICES: Final = frozenset({"auto", "none", "required"})
_EMPTY_OBJECT: Final[Mapping[str, Any]] = {"type": "object", "properties": {}}


@dataclass(frozen=True)
class Tool:
    """A tool given as a schema only: the model may call it, and you run it yourself.

    `generate()` then stops at the model's calls and returns them in `result.tool_calls`;
    send the results back as a `{"role": "tool", "content": [ToolResultPart, ...]}` message
    after `result.messages`.

    Attributes:
        name: `^[a-zA-Z0-9_-]{1,64}$`.
        description: what the tool does, for the model.
        parameters: the JSON Schema of its arguments (an object schema).
    """

    name: str
    description: str = ""
    parameters: Mapping[str, Any] = field(default_factory=lambda: dict(_EMPTY_OBJECT))


@dataclass(frozen=True)
class FunctionTool:
    """A function the agent loop runs itself, with its compiled schema and validator."""

    spec: ToolSpec
    function: Callable[..., Any]
    is_async: bool
    arguments: type[BaseModel] = field(repr=False)
    positional: tuple[str, ...] = ()
    """Positional-only parameters, passed by position."""
    names: tuple[str, ...] = ()
    """Every parameter, in order: the fields of `arguments` (read once, not per call)."""


_COMPILED: weakref.WeakKeyDictionary[Callable[..., Any], FunctionTool] = weakref.WeakKeyDictionary()


def _doc(function: Callable[..., Any]) -> tuple[str, dict[str, str]]:
    """The description (docstring up to its sections) and Google-style `Args:` entries."""
    doc = inspect.getdoc(function) or ""
    summary: list[str] = []
    params: dict[str, str] = {}
    section = None
    current: str | None = None
    for line in doc.splitlines():
        stripped = line.strip()
        if re.fullmatch(r"[A-Z][A-Za-z ]*:", stripped):
            section = stripped[:-1].lower()
            continue
        if section is None:
            summary.append(line)
        elif section in ("args", "arguments", "parameters"):
            match = re.match(r"^\s{0,8}(\*{0,2}\w+)\s*(?:\([^)]*\))?\s*:\s*(.*)$", line)
            if match and not line.startswith(" " * 9):
                current = str(match.group(1))
                params[current] = match.group(2).strip()
            elif current is not None and stripped:
                params[current] = f"{params[current]} {stripped}".strip()
    return "\n".join(summary).strip(), params


def _compile(function: Callable[..., Any]) -> FunctionTool:
    import typing

    from pydantic import ConfigDict, Field, PydanticUserError, create_model

    name = getattr(function, "__name__", type(function).__name__)
    where = f"Tool {name!r}"
    try:
        signature = inspect.signature(function)
        hints = typing.get_type_hints(function, include_extras=True)
    except (TypeError, ValueError, NameError) as exc:
        raise ConfigurationError(f"{where}: cannot read its signature ({exc})") from exc
    description, param_docs = _doc(function)
    fields: dict[str, Any] = {}
    positional: list[str] = []
    for param in signature.parameters.values():
        if param.kind in (param.VAR_POSITIONAL, param.VAR_KEYWORD):
            raise ConfigurationError(
                f"{where}: parameter {param.name!r} is *args/**kwargs; a tool takes named"
                " parameters only"
            )
        if param.name not in hints:
            raise ConfigurationError(
                f"{where}: parameter {param.name!r} has no type hint; the model needs one"
                " to know what to send"
            )
        if param.kind is param.POSITIONAL_ONLY:
            positional.append(param.name)
        annotation = hints[param.name]
        default = ... if param.default is param.empty else param.default
        _check_type(where, param.name, annotation)
        fields[param.name] = (annotation, Field(default, description=param_docs.get(param.name)))
    try:
        model = create_model(f"{name}_arguments", __config__=ConfigDict(extra="forbid"), **fields)
        schema = _clean(model.model_json_schema())
    except (PydanticUserError, TypeError, ValueError) as exc:
        raise ConfigurationError(f"{where}: its parameters cannot become a JSON Schema: {exc}")
    strict = is_strict(schema)
    spec = ToolSpec(
        name=name,
        description=description,
        parameters=strict_schema(schema) if strict else schema,
        strict=strict,
    )
    is_async = inspect.iscoroutinefunction(function) or inspect.iscoroutinefunction(
        getattr(function, "__call__", None)
    )
    return FunctionTool(spec, function, is_async, model, tuple(positional), tuple(fields))


def _check_type(where: str, param: str, annotation: Any) -> None:
    from pydantic import PydanticUserError, TypeAdapter
    from pydantic.errors import PydanticInvalidForJsonSchema, PydanticSchemaGenerationError

    try:
        TypeAdapter(annotation).json_schema()
    except (
        PydanticSchemaGenerationError,
        PydanticInvalidForJsonSchema,
        PydanticUserError,
        TypeError,
        ValueError,
    ) as exc:
        shown = getattr(annotation, "__name__", repr(annotation))
        raise ConfigurationError(
            f"{where}: parameter {param!r} has type {shown}, which cannot become a JSON Schema:"
            f" {_first_line(exc)} (use JSON types, pydantic models, dataclasses or TypedDicts)"
        ) from None


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def _clean(schema: dict[str, Any]) -> dict[str, Any]:
    # The generated model's title ("get_weather_arguments") tells the model nothing.
    schema.pop("title", None)
    return schema


def compile_tool(function: Callable[..., Any]) -> FunctionTool:
    """The compiled tool for `function`, from the cache when it was compiled before."""
    try:
        cached = _COMPILED.get(function)
    except TypeError:  # not weak-referenceable: compile every time
        return _compile(function)
    if cached is None:
        cached = _compile(function)
        _COMPILED[function] = cached
    return cached


@dataclass(frozen=True)
class ToolSet:
    """An Agent's tools: the specs sent to models and the functions the loop runs."""

    specs: tuple[ToolSpec, ...] = ()
    functions: Mapping[str, FunctionTool] = field(default_factory=dict[str, FunctionTool])
    has_async: bool = False

    @property
    def runnable(self) -> bool:
        """Every tool is a function (the loop can run all calls); else calls go to the caller."""
        return len(self.functions) == len(self.specs)


def compile_tools(tools: Sequence[Callable[..., Any] | Tool] | None) -> ToolSet:
    """Check and compile `tools=`; raises `ConfigurationError` naming the tool at fault."""
    if not tools:
        return ToolSet()
    specs: list[ToolSpec] = []
    functions: dict[str, FunctionTool] = {}
    for tool in tools:
        if isinstance(tool, Tool):
            spec = ToolSpec(
                tool.name, tool.description, tool.parameters, is_strict(tool.parameters)
            )
        elif callable(tool):
            compiled = compile_tool(tool)
            spec = compiled.spec
            functions[spec.name] = compiled
        else:
            raise ConfigurationError(
                f"tools: {type(tool).__name__} is not a function or a modelrouter.Tool"
            )
        if not _NAME.match(spec.name) or spec.name in _CHOICES:
            raise ConfigurationError(
                f"tools: {spec.name!r} is not a usable tool name (letters, digits, '_' and '-',"
                " at most 64, and not 'auto', 'none' or 'required')"
            )
        if any(s.name == spec.name for s in specs):
            raise ConfigurationError(f"tools: two tools are named {spec.name!r}")
        specs.append(spec)
    has_async = any(f.is_async for f in functions.values())
    return ToolSet(tuple(specs), functions, has_async)


def check_tool_choice(choice: ToolChoice | None, tools: ToolSet) -> None:
    """A named `tool_choice` must name one of the tools; any choice needs tools."""
    if choice is None:
        return
    if not tools.specs:
        raise ConfigurationError("tool_choice is set but the agent has no tools")
    if choice not in _CHOICES and all(s.name != choice for s in tools.specs):
        names = ", ".join(repr(s.name) for s in tools.specs)
        raise ConfigurationError(
            f"tool_choice {choice!r} is not 'auto', 'none', 'required' or a tool name ({names})"
        )
