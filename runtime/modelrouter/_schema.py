"""JSON Schema helpers: whether a schema meets OpenAI's strict-mode rules, and making it so.

Strict decoding (`"strict": true`) makes a model's arguments and structured output always
match the schema, but OpenAI accepts only a subset of JSON Schema: every object lists all its
properties as required and forbids additional ones, and a few keywords are not allowed. A
schema that cannot meet the rules is sent without `strict`.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, cast

__all__ = ["is_strict", "strict_schema"]

# Keywords strict mode rejects; `default` because strict mode makes every property required.
_UNSUPPORTED: Final = frozenset(
    {
        "default",
        "minLength",
        "maxLength",
        "patternProperties",
        "unevaluatedProperties",
        "propertyNames",
        "minProperties",
        "maxProperties",
        "minContains",
        "maxContains",
        "uniqueItems",
        "contains",
        "if",
        "then",
        "else",
        "not",
        "allOf",
        "oneOf",
        "discriminator",
    }
)


def _children(node: Mapping[str, Any]) -> list[Any]:
    children: list[Any] = []
    for key in ("properties", "$defs", "definitions"):
        value = node.get(key)
        if isinstance(value, Mapping):
            children.extend(cast(Mapping[str, Any], value).values())
    for key in ("items", "additionalProperties"):
        value = node.get(key)
        if isinstance(value, Mapping):
            children.append(value)
    for key in ("anyOf", "prefixItems"):
        value = node.get(key)
        if isinstance(value, list):
            children.extend(value)
    return children


def is_strict(schema: Mapping[str, Any]) -> bool:
    """True when `schema` (once `strict_schema` closes its objects) meets strict mode."""
    if any(key in schema for key in _UNSUPPORTED):
        return False
    if schema.get("type") == "object" or "properties" in schema:
        properties = cast(Mapping[str, Any], schema.get("properties") or {})
        required = set(cast(list[str], schema.get("required") or []))
        if set(properties) != required:
            return False
        extra = schema.get("additionalProperties")
        if extra not in (None, False):
            return False  # a dict type: strict mode has no way to say "any keys"
    return all(is_strict(child) for child in _children(schema) if isinstance(child, Mapping))


def strict_schema(schema: Mapping[str, Any]) -> dict[str, Any]:
    """A copy of `schema` with every object closed (`additionalProperties: false`)."""
    out: dict[str, Any] = {}
    for key, value in schema.items():
        if key in ("properties", "$defs", "definitions") and isinstance(value, Mapping):
            mapping = cast(Mapping[str, Any], value)
            out[key] = {k: _strict_any(v) for k, v in mapping.items()}
        elif key in ("items", "additionalProperties") and isinstance(value, Mapping):
            out[key] = strict_schema(cast(Mapping[str, Any], value))
        elif key in ("anyOf", "prefixItems") and isinstance(value, list):
            out[key] = [_strict_any(v) for v in value]
        else:
            out[key] = value
    if out.get("type") == "object" or "properties" in out:
        out["additionalProperties"] = False
    return out


def _strict_any(value: Any) -> Any:
    return strict_schema(cast(Mapping[str, Any], value)) if isinstance(value, Mapping) else value
