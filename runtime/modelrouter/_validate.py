"""Checks at the public boundary: bad input is a `ConfigurationError` naming the parameter.

Every public callable hands what the user gave to one function here before using it, so no
raw `TypeError`/`ValueError`/`KeyError`/`OverflowError` comes out of the router's own code.
What was given is shown as its type, or its value when it is a number or a short string, and
never for an API key or a header value (they are secrets). Construction-time input (Agent
settings, `Timeouts`, `RetryPolicy`) is checked once; per call only the call's own input is,
with plain `isinstance` tests, so the request path does not slow down.
"""

from __future__ import annotations

import math
import re
import sys
from collections.abc import Callable, Mapping
from typing import Any, Final, TypeGuard, get_args

from modelrouter._errors import ConfigurationError, InvalidModelIdError
from modelrouter._options import (
    _CONFIG_OBJECTS,
    camel_to_snake,
)  # pyright: ignore[reportPrivateUsage]
from modelrouter._types import Role

__all__ = [
    "MAX_RETRIES",
    "MAX_SECONDS",
    "MAX_TOKENS",
    "MAX_TEMPERATURE",
    "check_agent_args",
    "check_call",
    "check_gateway",
    "check_int",
    "check_model_config",
    "check_model_id",
    "check_prompt",
    "check_retry_policy",
    "check_seconds",
    "check_timeouts",
    "unsendable_body",
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

# Follows `Role`, so a role added to the message type is accepted here too.
_ROLES: Final = frozenset(get_args(Role))
_ROLE_NAMES: Final = ", ".join(repr(r) for r in sorted(_ROLES))
_SHOWN_CHARS = 40
_MAX_DEPTH = 32
# An empty segment, or one starting or ending with whitespace: never part of a real id.
_BAD_SEGMENT: Final = re.compile(r"\A/|//|/\Z|\A\s|\s/|/\s|\s\Z")


def _is_mapping(value: object) -> TypeGuard[Mapping[Any, Any]]:
    # A dict first: the ABC check alone costs several times more, on every message of a call.
    return isinstance(value, dict) or isinstance(value, Mapping)


def _shown(value: object) -> str:
    """What was given, safe and short: numbers and short strings by value, the rest by type."""
    if isinstance(value, int) and not isinstance(value, bool) and value.bit_length() > 64:
        return f"an int of {value.bit_length()} bits"  # repr of a huge int raises ValueError
    if value is None or isinstance(value, (bool, int, float, str)):
        text = repr(value)
        return text if len(text) <= _SHOWN_CHARS else text[: _SHOWN_CHARS - 3] + "..."
    return _typed(value)


def _typed(value: object) -> str:
    """What was given by type only (secrets, message content)."""
    name = type(value).__name__
    return f"{'an' if name[:1] in 'aeiouAEIOU' else 'a'} {name}"


def check_int(param: str, value: object, low: int, high: int) -> None:
    """`value` is an int (not a bool) from `low` to `high`."""
    if isinstance(value, bool) or not isinstance(value, int) or not low <= value <= high:
        raise ConfigurationError(
            f"{param} must be an int from {low} to {high}, got {_shown(value)}"
        )


def check_seconds(param: str, value: object, *, optional: bool = True, zero: bool = False) -> None:
    """`value` is a finite number of seconds, > 0 (>= 0 with `zero`), at most a day, or None."""
    if value is None and optional:
        return
    none = " (None: no limit)" if optional else ""
    low = "0 or more" if zero else "more than 0"
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        raise ConfigurationError(f"{param} must be a number of seconds{none}, got {_shown(value)}")
    # Comparisons, not float(): exact for huge ints (no OverflowError), and False for nan.
    if value == 0 and not zero:
        raise ConfigurationError(
            f"{param}=0 would end every attempt before it starts: give {low} seconds{none}"
        )
    if not ((0 <= value if zero else 0 < value) and value <= MAX_SECONDS):
        raise ConfigurationError(
            f"{param} must be {low} and at most {MAX_SECONDS:g} seconds{none},"
            f" got {_shown(value)}"
        )


def check_fraction(param: str, value: object) -> None:
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not 0 <= value <= 1:
        raise ConfigurationError(f"{param} must be a number from 0 to 1, got {_shown(value)}")


def check_model_id(model_id: object) -> None:
    """A 'provider/model' string: no empty segment, no whitespace around one, no control char.

    Spaces inside a segment are real (some catalogue ids have them); at its edges they are a
    copy-paste slip that would be sent as is.
    """
    if not isinstance(model_id, str):
        raise InvalidModelIdError(f"A model id must be a str, got {_typed(model_id)}")
    if "/" not in model_id or _BAD_SEGMENT.search(model_id) or not model_id.isprintable():
        raise InvalidModelIdError(
            f"Model id {model_id!r} is not 'provider/model' (e.g. 'openai/gpt-4o'): no empty"
            " part, no whitespace around a part, no line break or control character"
        )


def check_headers(param: str, headers: object) -> None:
    """A mapping of non-empty str names to str values; values are never shown."""
    if headers is None:
        return
    if not _is_mapping(headers):
        raise ConfigurationError(
            f"{param} must be a mapping of header names to str values, got {_typed(headers)}"
        )
    for name, value in headers.items():
        if not isinstance(name, str) or not name:
            raise ConfigurationError(
                f"{param} has a header name that is not a non-empty str: {_shown(name)}"
            )
        if not isinstance(value, str):
            raise ConfigurationError(
                f"{param}[{name!r}] must be a str, got {_typed(value)} (value not shown)"
            )


def check_provider_options(param: str, options: object) -> None:
    """`{provider id: {option name: value}}`; the values are the provider's business."""
    if options is None:
        return
    if not _is_mapping(options):
        raise ConfigurationError(
            f"{param} must be a mapping of provider ids to option mappings,"
            f' e.g. {{"openai": {{"reasoning_effort": "high"}}}}, got {_shown(options)}'
        )
    for provider, own in options.items():
        if not isinstance(provider, str):
            raise ConfigurationError(
                f"{param} keys must be provider ids (str), got {_shown(provider)}"
            )
        if not _is_mapping(own):
            raise ConfigurationError(
                f"{param}[{provider!r}] must be a mapping of option names to values,"
                f" got {_shown(own)}"
            )
        _check_json(f"{param}[{provider!r}]", own, names=True, depth=0)


def _check_json(param: str, value: object, *, names: bool, depth: int) -> None:
    """`value` as JSON carries it: finite numbers, str keys where they are option names.

    Options are small, so walking them costs little next to encoding them; it turns what
    `json.dumps` would raise (or send as invalid `NaN`) into an error that names the option.
    """
    if value is None or isinstance(value, (str, bool, int)):
        return
    if isinstance(value, float):
        if not math.isfinite(value):
            raise ConfigurationError(f"{param} must be a finite number, got {value!r}")
        return
    if depth >= _MAX_DEPTH:
        raise ConfigurationError(f"{param} is nested more than {_MAX_DEPTH} deep, or holds itself")
    if _is_mapping(value):
        for key, item in value.items():
            if not isinstance(key, str) and (names or not isinstance(key, (int, float, bool))):
                what = "option names" if names else "keys"
                raise ConfigurationError(f"{param} {what} must be str, got {_shown(key)}")
            # Option names inside a config object are option names too (see `_options`).
            inner = names and isinstance(key, str) and camel_to_snake(key) in _CONFIG_OBJECTS
            _check_json(f"{param}[{key!r}]", item, names=inner, depth=depth + 1)
    elif isinstance(value, (list, tuple)):
        for index, item in enumerate(value):  # pyright: ignore[reportUnknownVariableType]
            _check_json(f"{param}[{index}]", item, names=False, depth=depth + 1)
    else:
        raise ConfigurationError(f"{param} is {_typed(value)}, which JSON cannot carry")


def _check_part(param: str, part: object) -> None:
    """One part of a list `content`: the hook typed message parts extend with their own shapes.

    Until then a part is what every AI SDK writes: a dict with a str `type` (and a str `text`
    for a text part).
    """
    if not _is_mapping(part) or not isinstance(part.get("type"), str):
        raise ConfigurationError(
            f"{param} must be a part dict with a str 'type', got {_typed(part)}"
        )
    if part["type"] == "text" and not isinstance(part.get("text"), str):
        raise ConfigurationError(f"{param} is a text part: its 'text' must be a str")


def _check_content(param: str, content: object, *, parts: bool) -> None:
    if isinstance(content, str):
        return
    if parts and isinstance(content, list):
        for index, part in enumerate(content):
            _check_part(f"{param}[{index}]", part)
        return
    expected = "a str or a list of parts" if parts else "a str"
    raise ConfigurationError(f"{param} must be {expected}, got {_typed(content)}")


def check_message(param: str, message: object) -> None:
    """A message dict: a known role, a `content`, and well-formed provider options."""
    if not _is_mapping(message):
        raise ConfigurationError(
            f"{param} must be a message dict with 'role' and 'content', got {_typed(message)}"
        )
    role = message.get("role")
    if not isinstance(role, str) or role not in _ROLES:
        raise ConfigurationError(
            f"{param}['role'] must be one of {_ROLE_NAMES}, got {_shown(role)}"
        )
    if "content" not in message:
        raise ConfigurationError(f"{param} has no 'content'")
    _check_content(f"{param}['content']", message["content"], parts=role != "system")
    if "provider_options" in message:
        check_provider_options(f"{param}['provider_options']", message["provider_options"])


def check_prompt(prompt: object) -> None:
    """Per call: a str, or a list (or tuple) of message dicts."""
    if isinstance(prompt, str):
        return
    if not isinstance(prompt, (list, tuple)):
        raise ConfigurationError(
            f"prompt must be a str or a list of messages, got {_typed(prompt)}"
        )
    for index, message in enumerate(prompt):  # pyright: ignore[reportUnknownVariableType]
        # The usual message in one test, without building its name; anything else in full.
        if (
            type(message) is not dict
            or type(message.get("content")) is not str  # pyright: ignore[reportUnknownMemberType]
            or type(message.get("role")) is not str  # pyright: ignore[reportUnknownMemberType]
            or message["role"] not in _ROLES
            or "provider_options" in message
        ):
            check_message(f"prompt[{index}]", message)


def check_call(provider_options: object, runtime_context: object) -> None:
    """Per call: the call's own options and context (the prompt is checked with the messages)."""
    if provider_options is not None:
        check_provider_options("provider_options", provider_options)
    if runtime_context is not None and not _is_mapping(runtime_context):
        raise ConfigurationError(
            f"runtime_context must be a RuntimeContext or a mapping, got {_typed(runtime_context)}"
        )


def check_instructions(param: str, value: object) -> None:
    if value is None or isinstance(value, str):
        return
    if not _is_mapping(value):
        raise ConfigurationError(
            f"{param} must be a str, a {{'role': 'system', 'content': ...}} dict or None,"
            f" got {_shown(value)}"
        )
    if value.get("role", "system") != "system":
        raise ConfigurationError(f"{param}['role'] must be 'system', got {_shown(value['role'])}")
    if "content" not in value:
        raise ConfigurationError(f"{param} has no 'content'")
    _check_content(f"{param}['content']", value["content"], parts=False)
    if "provider_options" in value:
        check_provider_options(f"{param}['provider_options']", value["provider_options"])


def _is_http_url(url: object) -> bool:
    from urllib.parse import urlsplit

    if not isinstance(url, str) or not url.isprintable() or url != url.strip():
        return False
    try:
        parts = urlsplit(url)
        return parts.scheme.lower() in ("http", "https") and bool(parts.hostname)
    except ValueError:  # e.g. an unclosed IPv6 bracket, a bad port
        return False


def check_model_config(param: str, model: object) -> None:
    """A config dict: its id's syntax and its connection settings."""
    if not isinstance(model, dict):
        return  # ids, selectors and LanguageModels are checked by `check_spec`
    config: dict[str, Any] = model  # pyright: ignore[reportUnknownVariableType]
    if isinstance(config.get("id"), str):  # a missing or non-str id: `check_spec` names it
        check_model_id(config["id"])
    url = config.get("url")
    if url is not None and not _is_http_url(url):
        # The URL itself is not shown: it may carry a key (`?key=`, `user:pass@`).
        shown = "one that is not" if isinstance(url, str) else _typed(url)
        raise ConfigurationError(
            f"{param}['url'] must be an http:// or https:// URL with a host, got {shown}"
        )
    if "api_key" in config and not isinstance(config["api_key"], str):
        raise ConfigurationError(
            f"{param}['api_key'] must be a str, got {_typed(config['api_key'])} (value not shown)"
        )
    check_headers(f"{param}['headers']", config.get("headers"))


def _check_model(param: str, spec: object) -> None:
    if not isinstance(spec, (list, tuple)):
        check_model_config(param, spec)
        return
    for index, entry in enumerate(spec):  # pyright: ignore[reportUnknownVariableType]
        where = f"{param}[{index}]"
        if not _is_mapping(entry):
            continue  # `check_spec` names it
        if "max_retries" in entry:
            check_int(f"{where}['max_retries']", entry["max_retries"], 0, MAX_RETRIES)
        if "enabled" in entry and not isinstance(entry["enabled"], bool):
            raise ConfigurationError(
                f"{where}['enabled'] must be True or False, got {_shown(entry['enabled'])}"
            )
        check_headers(f"{where}['headers']", entry.get("headers"))
        check_provider_options(f"{where}['provider_options']", entry.get("provider_options"))
        check_model_config(f"{where}['model']", entry.get("model"))


def _check_timeout(param: str, value: object) -> None:
    from modelrouter._fallback_plan import Timeouts

    if not isinstance(value, Timeouts):  # a Timeouts checked itself when it was made
        check_seconds(param, value)


def _check_instance(kind: str) -> Callable[[str, object], None]:
    def check(param: str, value: object) -> None:
        module, _, name = kind.rpartition(".")
        # No import: an object of a class whose module is not loaded cannot be an instance.
        loaded = sys.modules.get(module)
        cls = getattr(loaded, name, None)
        if value is not None and (cls is None or not isinstance(value, cls)):
            raise ConfigurationError(f"{param} must be an {kind} or None, got {_typed(value)}")

    return check


def _check_callable(param: str, value: object) -> None:
    if value is not None and not callable(value):
        raise ConfigurationError(f"{param} must be callable or None, got {_shown(value)}")


def _check_name(param: str, value: object) -> None:
    if not isinstance(value, str):
        raise ConfigurationError(f"{param} must be a str, got {_shown(value)}")


def _check_rng(param: str, value: object) -> None:
    if value is not None and not callable(getattr(value, "random", None)):
        raise ConfigurationError(f"{param} must be a random.Random or None, got {_typed(value)}")


def _check_retry_policy_arg(param: str, value: object) -> None:
    from modelrouter._backoff import RetryPolicy

    if value is not None and not isinstance(value, RetryPolicy):
        raise ConfigurationError(f"{param} must be a RetryPolicy or None, got {_typed(value)}")


def _check_max_tokens(param: str, value: object) -> None:
    if value is not None:
        check_int(param, value, 1, MAX_TOKENS)


def _check_temperature(param: str, value: object) -> None:
    if value is None:
        return
    if (
        isinstance(value, bool)
        or not isinstance(value, (int, float))
        or not 0 <= value <= MAX_TEMPERATURE
    ):
        raise ConfigurationError(
            f"{param} must be a number from 0 to {MAX_TEMPERATURE:g}, got {_shown(value)}"
        )


_AGENT_CHECKS: Final[Mapping[str, Callable[[str, object], None]]] = {
    "name": _check_name,
    "instructions": check_instructions,
    "model": _check_model,
    "provider_options": check_provider_options,
    "headers": check_headers,
    "timeout": _check_timeout,
    "client": _check_instance("httpx.Client"),
    "async_client": _check_instance("httpx.AsyncClient"),
    "max_retries": lambda param, value: check_int(param, value, 0, MAX_RETRIES),
    "fallback_on": _check_callable,
    "retry_policy": _check_retry_policy_arg,
    "max_tokens": _check_max_tokens,
    "temperature": _check_temperature,
    "sleep": _check_callable,
    "async_sleep": _check_callable,
    "clock": _check_callable,
    "rng": _check_rng,
}


def check_agent_args(args: Mapping[str, object]) -> None:
    """`Agent.__init__`'s arguments (its `locals()`); a parameter not listed here is skipped."""
    for param, check in _AGENT_CHECKS.items():
        if param in args:
            check(param, args[param])


def check_timeouts(timeouts: object) -> None:
    """`Timeouts(...)`: every field None or seconds, more than 0 and at most a day."""
    for field in ("attempt", "first_chunk", "total"):
        check_seconds(f"Timeouts.{field}", getattr(timeouts, field))


def check_retry_policy(policy: object) -> None:
    """`RetryPolicy(...)`: waits of 0 to a day (0 retries at once), jitter from 0 to 1."""
    for field in ("backoff_base", "backoff_max", "retry_after_cap"):
        check_seconds(f"RetryPolicy.{field}", getattr(policy, field), optional=False, zero=True)
    check_fraction("RetryPolicy.jitter", getattr(policy, "jitter"))


def unsendable_body(exc: Exception) -> ConfigurationError:
    """What `json.dumps` raised for a request body (a value the checks above do not reach,
    such as a lone surrogate in a prompt): named, and typed.

    Caught where the body is encoded, so a good request pays nothing for it. The message holds
    no value from the body: `json` names types, `UnicodeEncodeError` one character.
    """
    return ConfigurationError(
        f"The request cannot be sent as JSON ({type(exc).__name__}: {exc}): check the prompt,"
        " its messages and provider_options"
    )


class _NotAGatewayError(ConfigurationError, TypeError):
    """Also a `TypeError`, which `register_gateway` raised before it named the parameter."""


def check_gateway(gateway: object) -> None:
    from modelrouter.gateways.base import ModelGateway

    if not isinstance(gateway, ModelGateway):
        raise _NotAGatewayError(
            f"register_gateway() needs a ModelGateway instance as gateway, got {_typed(gateway)}"
        )
    gateway_id = getattr(gateway, "id", None)
    if not isinstance(gateway_id, str) or not gateway_id:
        raise _NotAGatewayError(
            f"gateway: {type(gateway).__name__} must set a non-empty string `id`,"
            f" got {_shown(gateway_id)}"
        )
