"""Helpers every transport uses to map media and reasoning parts to its wire format."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, NamedTuple

from modelrouter._errors import ConfigurationError
from modelrouter._parts import ReasoningPart

__all__ = ["Source", "data_url", "media_source", "reasoning_part", "unsupported_media"]


class Source(NamedTuple):
    """Where a media part's bytes are: exactly one of `url` and `data` (base64) is set."""

    url: str | None
    data: str | None
    media_type: str | None


def media_source(wire: str, part: Mapping[str, Any]) -> Source:
    """The part's single source; `ConfigurationError` for none, both, or data without a type."""
    url, data, media_type = part.get("url"), part.get("data"), part.get("media_type")
    kind = part.get("type")
    if (url is None) == (data is None):
        raise ConfigurationError(
            f"The {kind!r} part needs exactly one of 'url' and 'data' (on {wire});"
            f" build it with modelrouter.{kind}(...)"
        )
    if data is not None and not isinstance(media_type, str):
        raise ConfigurationError(
            f"The {kind!r} part with 'data' needs its 'media_type' (on {wire}), e.g. 'image/png'"
        )
    return Source(url, data, media_type)


def data_url(source: Source) -> str:
    """`source` as a URL: its own, or a `data:` URL of its bytes."""
    if source.url is not None:
        return source.url
    return f"data:{source.media_type};base64,{source.data}"


def unsupported_media(wire: str, part: Mapping[str, Any], why: str) -> ConfigurationError:
    """The error for a media part this protocol cannot carry as given (never dropped)."""
    kind = part.get("type")
    media_type = part.get("media_type")
    shown = f" ({media_type})" if media_type else ""
    return ConfigurationError(f"The {kind!r} part{shown} cannot be sent on {wire}: {why}")


def reasoning_part(
    wire: str,
    text: str,
    signature: str | None = None,
    redacted: str | None = None,
    item_id: str | None = None,
) -> ReasoningPart:
    """A reasoning part as a transport returns it, tagged with its wire format."""
    part: ReasoningPart = {"type": "reasoning", "text": text, "provider": wire}
    if signature:
        part["signature"] = signature
    if redacted:
        part["redacted"] = redacted
    if item_id:
        part["id"] = item_id
    return part
