"""The value checks every boundary check is made of: numbers, ids, headers, provider options.

Each raises a `ConfigurationError` naming `param` and showing what was given: its value when it
is a number or a short string, else its type; never a header value, a key or a URL.
"""

from __future__ import annotations

import math
import re
from collections.abc import Mapping
from typing import Any, Final, TypeGuard

from modelrouter._errors import ConfigurationError, InvalidModelIdError
from modelrouter._options import _CONFIG_OBJECTS  # pyright: ignore[reportPrivateUsage]
from modelrouter._options import camel_to_snake

__all__ = [
    "MAX_RETRIES",
    "MAX_SECONDS",
    "MAX_TEMPERATURE",
    "MAX_TOKENS",
    "check_fraction",
    "check_headers",
    "check_int",
    "check_model_id",
    "check_provider_options",
    "check_seconds",
    "is_mapping",
    "shown",
    "typed",
]

MAX_RETRIES: Final = 100
"""Retries per model at most: with backoff capped at `RetryPolicy.backoff_max`, 100 retries is
already minutes of waiting; more is a mistake (`10**9`), not a policy."""
MAX_SECONDS: Final = 86_400.0
"""The longest time limit or wait accepted, a day; `None` (no limit) is the way to say more."""
MAX_TOKENS: Final = 2**31 - 1
"""Providers read `max_tokens` as a 32-bit integer."""
MAX_TEMPERATURE: Final = 2.0
"""The highest temperature any mainstream provider accepts (OpenAI, Gemini; Anthropic stops at 1)."""

_SHOWN_CHARS = 40
_MAX_DEPTH = 32
# An empty segment, or one starting or ending with whitespace: never part of a real id.
_BAD_SEGMENT: Final = re.compile(r"\A/|//|/\Z|\A\s|\s/|/\s|\s\Z")


def is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    # A dict first: the ABC check alone costs several times more, on every message of a call.
    return isinstance(value, dict) or isinstance(value, Mapping)


def shown(value: object) -> str:
    """What was given, safe and short: numbers and short strings by value, the rest by type."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"  # repr of a huge int raises ValueError
    if value is None or isinstance(value, (bool, int, float, str)):
        text = repr(value)
        return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
    return typed(value)


def typed(value: object) -> str:
    """What was given by type only (secrets, message content)."""
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiouAEIOU' else 'a'} {name}"


def check_int(param: str, value: object, low: int, high: int) -> None:
    """`value` is an int (not a bool) from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigurationError(f"{param} must be an int from {low} to {high}, got {shown(value)}")


def check_seconds(param: str, value: object, *, optional: bool = True, zero: bool = False) -> None:
    """`value` is a finite number of seconds, > 0 (>= 0 with `zero`), at most a day, or None."""
    if value is None and optional:
        return
    none = " (None: no limit)" if optional else ""
    low = "0 or more" if zero else "more than 0"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{param} must be a number of seconds{none}, got {shown(value)}")
    # Comparisons, not float(): exact for huge ints (no OverflowError), and False for nan.
    if value == 0 and not zero:
        raise ConfigurationError(
            f"{param}=0 would end every attempt before it starts: give {low} seconds{none}"
        )
    if not ((0 <= value if zero else 0 < value) and value <= MAX_SECONDS):
        raise ConfigurationError(
            f"{param} must be {low} and at most {MAX_SECONDS:g} seconds{none},"
            f" got {shown(value)}"
        )


def check_fraction(param: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigurationError(f"{param} must be a number from 0 to 1, got {shown(value)}")


def check_model_id(model_id: object) -> None:
    """A 'provider/model' string: no empty segment, no whitespace around one, no control char.

    Spaces inside a segment are real (some catalogue ids have them); at its edges they are a
    copy-paste slip that would be sent as is.
    """
    if not isinstance(model_id, str):
        raise InvalidModelIdError(f"A model id must be a str, got {typed(model_id)}")
    if "/" not in model_id or _BAD_SEGMENT.search(model_id) or not model_id.isprintable():
        raise InvalidModelIdError(
            f"Model id {model_id!r} is not 'provider/model' (e.g. 'openai/gpt-4o'): no empty"
            " part, no whitespace around a part, no line break or control character"
        )


def check_headers(param: str, headers: object) -> None:
    """A mapping of non-empty str names to str values; values are never shown."""
    if headers is None:
        return
    if not is_mapping(headers):
        raise ConfigurationError(
            f"{param} must be a mapping of header names to str values, got {typed(headers)}"
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise ConfigurationError(
                f"{param} has a header name that is not a non-empty str: {shown(name)}"
            )
        if not isinstance(value, str):
            raise ConfigurationError(
                f"{param}[{name!r}] must be a str, got {typed(value)} (value not shown)"
            )


def check_provider_options(param: str, options: object) -> None:
    """`{provider id: {option name: value}}`; the values are the provider's business."""
    if options is None:
        return
    if not is_mapping(options):
        raise ConfigurationError(
            f"{param} must be a mapping of provider ids to option mappings,"
            f' e.g. {{"openai": {{"reasoning_effort": "high"}}}}, got {shown(options)}'
        )
    for provider, own in options.items():
        if not isinstance(provider, str):
            raise ConfigurationError(
                f"{param} keys must be provider ids (str), got {shown(provider)}"
            )
        if not is_mapping(own):
            raise ConfigurationError(
                f"{param}[{provider!r}] must be a mapping of option names to values,"
                f" got {shown(own)}"
            )
        _check_json(param, (provider,), own, names=True, depth=0)


_SCALARS: Final = (str, int, type(None))  # bool is an int


def _check_json(
    param: str, path: tuple[object, ...], value: object, *, names: bool, depth: int
) -> None:
    """`value` as JSON carries it: finite numbers, str keys where they are option names.

    Options are small, so walking them costs little next to encoding them; it turns what
    `json.dumps` would raise (or send as invalid `NaN`) into an error that names the option.
    The name is built from `path` only then: a good option costs a type test.
    """
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigurationError(f"{_at(param, path)} must be a finite number, got {value!r}")
    elif depth >= _MAX_DEPTH:
        raise ConfigurationError(
            f"{_at(param, path)} is nested more than {_MAX_DEPTH} deep, or holds itself"
        )
    elif is_mapping(value):
        for key, item in value.items():
            if not isinstance(key, str):
                if names or not isinstance(key, (int, float)):
                    what = "option names" if names else "keys"
                    raise ConfigurationError(
                        f"{_at(param, path)} {what} must be str, got {shown(key)}"
                    )
            if isinstance(item, _SCALARS):
                continue
            # Option names inside a config object are option names too (see `_options`).
            inner = names and isinstance(key, str) and _is_config_object(key)
            _check_json(param, (*path, key), item, names=inner, depth=depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType]
            if not isinstance(item, _SCALARS):
                _check_json(param, (*path, index), item, names=False, depth=depth + 1)
    elif not isinstance(value, _SCALARS):
        raise ConfigurationError(f"{_at(param, path)} is {typed(value)}, which JSON cannot carry")


def _is_config_object(name: str) -> bool:
    # The snake_case spelling needs no regex; only a camelCase name is respelled.
    return name in _CONFIG_OBJECTS or (
        not name.islower() and camel_to_snake(name) in _CONFIG_OBJECTS
    )


def _at(param: str, path: tuple[object, ...]) -> str:
    return param + "".join(f"[{key!r}]" for key in path)
