"""The attributes `_telemetry` records: what a span may say, and nothing secret.

Every value here is built from facts that are safe to export: the model id, the provider,
the host of the base URL (never its path, query or userinfo), token counts, finish reasons and
error class names. Content (answers, error messages) only when the user opted in, and error
messages then pass through `_redact` with the attempt's key and header values.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Final

if TYPE_CHECKING:
    from modelrouter._types import ModelResponse

__all__ = [
    "agent_attributes",
    "attempt_attributes",
    "error_attributes",
    "response_attributes",
    "result_attributes",
    "scrubbed_message",
]

_MESSAGE_CHARS: Final = 500
_routes: dict[str, tuple[str, str, str | None]] = {}


def _route(label: str) -> tuple[str, str, str | None]:
    """(provider, bare model, public base URL) of a model id; ("", label, None) for others."""
    known = _routes.get(label)
    if known is not None:
        return known
    from modelrouter._resolve import resolve_route

    try:
        route = resolve_route(label, lenient=True)
    except Exception:  # a custom model's label need not be a "provider/model" id
        found: tuple[str, str, str | None] = ("", label, None)
    else:
        url = route.default_url or route.url_template
        found = (route.provider, route.model, url if url and "${" not in url else None)
    if len(_routes) < 4096:  # ids come from code, but a selector could mint many
        _routes[label] = found
    return found


def _config(target: object) -> Mapping[str, Any] | None:
    model = getattr(target, "model", None)
    return model if isinstance(model, Mapping) else None


def _server(url: str) -> dict[str, Any]:
    from urllib.parse import urlsplit  # only once tracing is on: keeps `import modelrouter` lean

    try:
        parts = urlsplit(url)
        host, port = parts.hostname, parts.port
    except ValueError:
        return {}
    if not host:
        return {}
    found: dict[str, Any] = {"server.address": host}
    if port is None:
        port = {"https": 443, "http": 80}.get(parts.scheme)
    if port is not None:
        found["server.port"] = port
    return found


def attempt_attributes(label: str, target: object, tries: int) -> dict[str, Any]:
    """A `chat` span's attributes at its start (`tries`: 1 for a model's first try)."""
    provider, model, url = _route(label)
    config = _config(target)
    if config is not None and isinstance(config.get("url"), str):
        url = config["url"]
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "chat",
        "gen_ai.request.model": model,
        "modelrouter.model_id": label,
        "modelrouter.attempt": tries,
    }
    if provider:
        # The current name, and the one conventions up to v1.36 (and most backends) read.
        attributes["gen_ai.provider.name"] = provider
        attributes["gen_ai.system"] = provider
    if url:
        attributes.update(_server(url))
    return attributes


def error_attributes(exc: BaseException) -> dict[str, Any]:
    """`error.type` (the class name, low-cardinality) and the HTTP status when there was one."""
    attributes: dict[str, Any] = {"error.type": type(exc).__name__}
    status = getattr(exc, "status", None)
    if isinstance(status, int):
        attributes["http.response.status_code"] = status
    return attributes


def response_attributes(response: ModelResponse, capture_content: bool) -> dict[str, Any]:
    """A `chat` span's attributes from the model's answer."""
    attributes: dict[str, Any] = {"gen_ai.response.finish_reasons": [response.finish_reason]}
    raw = response.raw
    model = raw.get("model") or raw.get("modelVersion")
    if isinstance(model, str):
        attributes["gen_ai.response.model"] = model
    ident = raw.get("id") or raw.get("responseId")
    if isinstance(ident, str):
        attributes["gen_ai.response.id"] = ident
    usage = response.usage
    if usage.input_tokens is not None:
        attributes["gen_ai.usage.input_tokens"] = usage.input_tokens
    if usage.output_tokens is not None:
        attributes["gen_ai.usage.output_tokens"] = usage.output_tokens
    if capture_content:
        attributes["modelrouter.response.text"] = response.text
    return attributes


def scrubbed_message(exc: BaseException, target: object) -> str:
    """`exc`'s message, cut short and with the attempt's key and header values masked.

    Provider errors are redacted when raised; this is a second net for errors from custom
    models and hooks, with the secrets this attempt knows of (a config's key and headers, the
    agent's headers).
    """
    from modelrouter._redact import Secrets

    config = _config(target) or {}
    key = config.get("api_key")
    given: dict[str, str] = {}
    for source in (config.get("headers"), getattr(target, "headers", None)):
        if isinstance(source, Mapping):
            given.update((str(k), str(v)) for k, v in source.items())
    url = config.get("url")
    secrets = Secrets.of(
        key if isinstance(key, str) else None,
        [],
        url if isinstance(url, str) else None,
        every=given,
    )
    return f"{type(exc).__name__}: {secrets.scrub(str(exc)[:_MESSAGE_CHARS])}"


def result_attributes(result: Any) -> dict[str, Any]:
    """The `invoke_agent` span's attributes from the finished call (a `GenerateResult`)."""
    usage = result.usage
    attributes: dict[str, Any] = {
        "modelrouter.model_id": result.model_id,
        "gen_ai.response.finish_reasons": [result.finish_reason],
        "modelrouter.steps": len(result.steps),
        "modelrouter.attempts": len(result.attempts),
    }
    if usage.input_tokens is not None:
        attributes["gen_ai.usage.input_tokens"] = usage.input_tokens
    if usage.output_tokens is not None:
        attributes["gen_ai.usage.output_tokens"] = usage.output_tokens
    return attributes


def agent_attributes(agent: Any, call: str) -> dict[str, Any]:
    """The `invoke_agent` span's attributes known before the call runs."""
    attributes: dict[str, Any] = {
        "gen_ai.operation.name": "invoke_agent",
        "gen_ai.agent.name": str(agent.name),
        "modelrouter.call": call,
    }
    model = agent.model
    first = model.get("id") if isinstance(model, Mapping) else model
    if isinstance(first, str):  # the first id of a static spec (chat spans name each model)
        attributes["modelrouter.request.model_id"] = first
    return attributes
