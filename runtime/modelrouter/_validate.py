"""Checks at the public boundary: bad input is a `ConfigurationError` naming the parameter.

Every public callable hands what the user gave to one function here (built from the value
checks of `_validate_values`) before using it, so no
raw `TypeError`/`ValueError`/`KeyError`/`OverflowError` comes out of the router's own code.
What was given is shown as its type, or its value when it is a number or a short string, and
never for an API key or a header value (they are secrets). Construction-time input (Agent
settings, `Timeouts`, `RetryPolicy`) is checked once; per call only the call's own input is,
with plain `isinstance` tests, so the request path does not slow down.
"""

from __future__ import annotations

import sys
from collections.abc import Callable, Mapping, Sequence
from typing import Any, Final, cast, get_args

from modelrouter._media import check_media_part
from modelrouter._errors import ConfigurationError
from modelrouter._types import Role
from modelrouter._validate_values import (
    MAX_RETRIES,
    MAX_SECONDS,
    MAX_TEMPERATURE,
    MAX_TOKENS,
    check_fraction,
    check_headers,
    check_int,
    check_model_id,
    check_provider_options,
    check_seconds,
    is_mapping,
    shown,
    typed,
)

__all__ = [
    "MAX_RETRIES",
    "MAX_SECONDS",
    "MAX_OUTPUT_RETRIES",
    "MAX_STEPS",
    "MAX_TEMPERATURE",
    "MAX_TOKENS",
    "check_agent_args",
    "check_call",
    "check_gateway",
    "check_model_config",
    "check_model_id",
    "check_prompt",
    "check_retry_policy",
    "check_timeouts",
    "unsendable_body",
]

MAX_STEPS: Final = 1000
MAX_OUTPUT_RETRIES: Final = 10
"""Model calls one agent-loop run may make at most."""

# Follows `Role`, so a role added to the message type is accepted here too.
_ROLES: Final = frozenset(get_args(Role))
_ROLE_NAMES: Final = ", ".join(repr(r) for r in sorted(_ROLES))


def _check_part(param: str, part: object) -> None:
    """One part of a list `content`: the hook typed message parts extend with their own shapes.

    Until then a part is what every AI SDK writes: a dict with a str `type` (and a str `text`
    for a text part).
    """
    if not is_mapping(part) or not isinstance(part.get("type"), str):
        raise ConfigurationError(
            f"{param} must be a part dict with a str 'type', got {typed(part)}"
        )
    if part["type"] == "text" and not isinstance(part.get("text"), str):
        raise ConfigurationError(f"{param} is a text part: its 'text' must be a str")
    if part["type"] in ("image", "file", "audio"):
        check_media_part(param, part)  # _media: one source, str fields


def _check_content(param: str, content: object, *, parts: bool) -> None:
    if isinstance(content, str):
        return
    if parts and isinstance(content, list):
        for index, part in enumerate(content):
            _check_part(f"{param}[{index}]", part)
        return
    if not parts and isinstance(content, list):
        raise ConfigurationError(_system_parts(param, cast(list[object], content)))
    expected = "a str or a list of parts" if parts else "a str"
    raise ConfigurationError(f"{param} must be {expected}, got {typed(content)}")


def _system_parts(param: str, content: list[object]) -> str:
    """Why a system prompt's list of parts is refused, naming a media part when it holds one.

    Every protocol's system prompt takes text only (OpenAI chat refuses media outside user
    messages, Anthropic's `system` holds text blocks, Gemini's `systemInstruction` is text only,
    the Responses API's `instructions` is a string), so media there would be lost or refused.
    """
    kinds = [cast(dict[str, object], p).get("type") for p in content if isinstance(p, dict)]
    media = next((k for k in kinds if k in ("image", "file", "audio")), None)
    held = f" holding a part of type {media!r}" if media else ""
    return (
        f"{param} must be a str, got a list{held}: a system prompt takes text only on every"
        " protocol; put images, files and audio in a user message"
    )


def check_message(param: str, message: object) -> None:
    """A message dict: a known role, a `content`, and well-formed provider options."""
    if not is_mapping(message):
        raise ConfigurationError(
            f"{param} must be a message dict with 'role' and 'content', got {typed(message)}"
        )
    role = message.get("role")
    if not isinstance(role, str) or role not in _ROLES:
        raise ConfigurationError(f"{param}['role'] must be one of {_ROLE_NAMES}, got {shown(role)}")
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
        raise ConfigurationError(f"prompt must be a str or a list of messages, got {typed(prompt)}")
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
    if runtime_context is not None and not is_mapping(runtime_context):
        raise ConfigurationError(
            f"runtime_context must be a RuntimeContext or a mapping, got {typed(runtime_context)}"
        )


def check_instructions(param: str, value: object) -> None:
    if value is None or isinstance(value, str):
        return
    if not is_mapping(value):
        raise ConfigurationError(
            f"{param} must be a str, a {{'role': 'system', 'content': ...}} dict or None,"
            f" got {shown(value)}"
        )
    if value.get("role", "system") != "system":
        raise ConfigurationError(f"{param}['role'] must be 'system', got {shown(value['role'])}")
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
        shown = "one that is not" if isinstance(url, str) else typed(url)
        raise ConfigurationError(
            f"{param}['url'] must be an http:// or https:// URL with a host, got {shown}"
        )
    if "api_key" in config and not isinstance(config["api_key"], str):
        raise ConfigurationError(
            f"{param}['api_key'] must be a str, got {typed(config['api_key'])} (value not shown)"
        )
    check_headers(f"{param}['headers']", config.get("headers"))
    if "api" in config and config["api"] not in ("chat", "responses"):
        shown = repr(config["api"]) if isinstance(config["api"], str) else typed(config["api"])
        raise ConfigurationError(f"{param}['api'] must be 'chat' or 'responses', got {shown}")


def _check_model(param: str, spec: object) -> None:
    if not isinstance(spec, (list, tuple)):
        check_model_config(param, spec)
        return
    for index, entry in enumerate(spec):  # pyright: ignore[reportUnknownVariableType]
        where = f"{param}[{index}]"
        if not is_mapping(entry):
            continue  # `check_spec` names it
        if "max_retries" in entry:
            check_int(f"{where}['max_retries']", entry["max_retries"], 0, MAX_RETRIES)
        if "enabled" in entry and not isinstance(entry["enabled"], bool):
            raise ConfigurationError(
                f"{where}['enabled'] must be True or False, got {shown(entry['enabled'])}"
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
            raise ConfigurationError(f"{param} must be an {kind} or None, got {typed(value)}")

    return check


def _check_callable(param: str, value: object) -> None:
    if value is not None and not callable(value):
        raise ConfigurationError(f"{param} must be callable or None, got {shown(value)}")


def _check_name(param: str, value: object) -> None:
    if not isinstance(value, str):
        raise ConfigurationError(f"{param} must be a str, got {shown(value)}")


def _check_tools(param: str, value: object) -> None:
    # Each item is checked (and compiled) by `_tools.compile_tools`, which names the tool.
    if value is not None and (isinstance(value, (str, bytes)) or not isinstance(value, Sequence)):
        raise ConfigurationError(
            f"{param} must be a list of functions or modelrouter.Tool, got {typed(value)}"
        )


def _check_tool_choice(param: str, value: object) -> None:
    if value is not None and not isinstance(value, str):
        raise ConfigurationError(
            f"{param} must be 'auto', 'none', 'required' or a tool's name, got {typed(value)}"
        )


def _check_retry_policy_arg(param: str, value: object) -> None:
    from modelrouter._backoff import RetryPolicy

    if value is not None and not isinstance(value, RetryPolicy):
        raise ConfigurationError(f"{param} must be a RetryPolicy or None, got {typed(value)}")


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
            f"{param} must be a number from 0 to {MAX_TEMPERATURE:g}, got {shown(value)}"
        )


def _check_health(param: str, value: object) -> None:
    if isinstance(value, bool):
        return
    from modelrouter.routing.health import Health

    if not isinstance(value, Health):
        raise ConfigurationError(
            f"{param} must be True, False or a modelrouter.routing.Health, got {typed(value)}"
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
    # The agent loop's step limit (issue 9), checked here once it joins Agent's parameters.
    "max_steps": lambda param, value: check_int(param, value, 1, MAX_STEPS),
    "temperature": _check_temperature,
    "tools": _check_tools,
    "tool_choice": _check_tool_choice,
    # Whether a type can become a JSON Schema only pydantic can tell: `compile_output` asks it
    # and raises a ConfigurationError naming `output_type`.
    "output_type": lambda param, value: None,
    "output_retries": lambda param, value: check_int(param, value, 0, MAX_OUTPUT_RETRIES),
    "health": _check_health,
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
            f"register_gateway() needs a ModelGateway instance as gateway, got {typed(gateway)}"
        )
    gateway_id = getattr(gateway, "id", None)
    if not isinstance(gateway_id, str) or not gateway_id:
        raise _NotAGatewayError(
            f"gateway: {type(gateway).__name__} must set a non-empty string `id`,"
            f" got {shown(gateway_id)}"
        )
