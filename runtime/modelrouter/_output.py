"""Structured output: an `output_type` compiled once into the spec sent and the validator.

Any type pydantic validates works: a pydantic model, a dataclass, a TypedDict, `list[...]` of
them, a union (`A | B`, or the tuple `(A, B)`). Every protocol wants an object at the root, so
anything else is wrapped as `{"result": ...}` and unwrapped after validation. pydantic is
imported on first use only.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Final, Generic, TypeVar, Union, cast

from modelrouter._errors import ConfigurationError
from modelrouter._parts import OutputSpec
from modelrouter._schema import is_strict, strict_schema

if TYPE_CHECKING:
    from pydantic import TypeAdapter

__all__ = ["OutputSchema", "compile_output", "reask_message"]

T = TypeVar("T")

_WRAP_KEY: Final = "result"
_NAME_CHARS: Final = re.compile(r"[^a-zA-Z0-9_-]+")
_COMPILED: dict[Any, OutputSchema[Any]] = {}
_MAX_COMPILED: Final = 256
_MAX_ERRORS: Final = 8


@dataclass(frozen=True)
class OutputSchema(Generic[T]):
    """One output type, ready to send (`spec`) and to validate answers against."""

    spec: OutputSpec
    adapter: TypeAdapter[T] = field(repr=False)
    wrapped: bool = False

    def validate(self, text: str) -> T:
        """The answer as the output type; raises pydantic's `ValidationError` (or ValueError)."""
        if not self.wrapped:
            return self.adapter.validate_json(text)
        data = json.loads(text)
        if not isinstance(data, dict) or _WRAP_KEY not in data:
            raise ValueError(f'expected a JSON object {{"{_WRAP_KEY}": ...}}')
        return self.adapter.validate_python(data[_WRAP_KEY])


def _name(output_type: Any) -> str:
    name = getattr(output_type, "__name__", None)
    if not isinstance(name, str) or getattr(output_type, "__args__", None):
        name = repr(output_type).replace("typing.", "")
    return (_NAME_CHARS.sub("_", name).strip("_") or "output")[:64]


def _wrap(schema: dict[str, Any]) -> dict[str, Any]:
    defs = schema.pop("$defs", None)
    wrapped: dict[str, Any] = {
        "type": "object",
        "properties": {_WRAP_KEY: schema},
        "required": [_WRAP_KEY],
    }
    if defs is not None:
        wrapped["$defs"] = defs  # `$ref`s point at the root
    return wrapped


def _compile(output_type: Any) -> OutputSchema[Any]:
    from pydantic import PydanticUserError, TypeAdapter
    from pydantic.errors import PydanticInvalidForJsonSchema, PydanticSchemaGenerationError

    target = Union[output_type] if isinstance(output_type, tuple) else output_type  # noqa: UP007
    try:
        adapter: TypeAdapter[Any] = TypeAdapter(cast(Any, target))
        schema = adapter.json_schema()
    except (
        PydanticSchemaGenerationError,
        PydanticInvalidForJsonSchema,
        PydanticUserError,
        TypeError,
        ValueError,
    ) as exc:
        raise ConfigurationError(
            f"output_type {_name(output_type)} cannot become a JSON Schema:"
            f" {_first_line(exc)} (use pydantic models, dataclasses, TypedDicts, or lists and"
            " unions of them)"
        ) from None
    description = schema.pop("description", "") if isinstance(schema, dict) else ""
    wrapped = schema.get("type") != "object"
    if wrapped:
        schema = _wrap(schema)
    strict = is_strict(schema)
    spec = OutputSpec(
        name=_name(output_type),
        schema=strict_schema(schema) if strict else schema,
        strict=strict,
        description=description if isinstance(description, str) else "",
    )
    return OutputSchema(spec, adapter, wrapped)


def _first_line(exc: Exception) -> str:
    return (str(exc).strip().splitlines() or [type(exc).__name__])[0]


def compile_output(output_type: Any) -> OutputSchema[Any]:
    """The compiled output type, cached by the type itself."""
    try:
        cached = _COMPILED.get(output_type)
    except TypeError:  # unhashable (a list of types?): compile without caching
        return _compile(output_type)
    if cached is None:
        cached = _compile(output_type)
        if len(_COMPILED) >= _MAX_COMPILED:
            _COMPILED.clear()
        _COMPILED[output_type] = cached
    return cached


def error_lines(exc: Exception) -> list[str]:
    """A validation failure as short lines the model (and a log) can read."""
    errors: Any = getattr(exc, "errors", None)
    if callable(errors):
        lines: list[str] = []
        found = cast(list[Any], errors(include_url=False))
        for error in found[:_MAX_ERRORS]:
            where = ".".join(str(p) for p in error.get("loc", ())) or "(root)"
            lines.append(f"{where}: {error.get('msg', '')}")
        return lines
    return [str(exc)]


def reask_message(lines: list[str]) -> Mapping[str, Any]:
    """The user turn that asks a model to correct output that failed validation."""
    listed = "\n".join(f"- {line}" for line in lines)
    return {
        "role": "user",
        "content": (
            "Your answer did not match the required JSON schema:\n"
            f"{listed}\nAnswer again with JSON that matches the schema, and nothing else."
        ),
    }
