"""`image(...)`, `file(...)`, `audio(...)`: input parts from a URL, bytes or a path.

Bytes (given, or read from a path) are base64-encoded here, once, into the part: every
attempt and every fallback model of a call then sends the same text. `base64` and
`mimetypes` are imported on first use so `import modelrouter` stays cheap.
"""

from __future__ import annotations

import os
import re
from collections.abc import Mapping
from typing import Any, Final, Literal, cast

from modelrouter._errors import ConfigurationError
from modelrouter._parts import AudioPart, FilePart, ImagePart

__all__ = ["audio", "check_media_part", "file", "image"]

Source = str | bytes | bytearray | memoryview | os.PathLike[str]

_URL: Final = re.compile(r"[a-zA-Z][a-zA-Z0-9+.-]*://").match

# Leading bytes of the formats providers take, for bytes given without a media type.
_MAGIC: Final[tuple[tuple[bytes, str], ...]] = (
    (b"\x89PNG\r\n\x1a\n", "image/png"),
    (b"\xff\xd8\xff", "image/jpeg"),
    (b"GIF87a", "image/gif"),
    (b"GIF89a", "image/gif"),
    (b"%PDF-", "application/pdf"),
    (b"ID3", "audio/mpeg"),
    (b"\xff\xfb", "audio/mpeg"),
    (b"fLaC", "audio/flac"),
    (b"OggS", "audio/ogg"),
)


def _sniff(data: bytes) -> str | None:
    for magic, media_type in _MAGIC:
        if data.startswith(magic):
            return media_type
    if data[:4] == b"RIFF" and data[8:12] in (b"WEBP", b"WAVE"):
        return "image/webp" if data[8:12] == b"WEBP" else "audio/wav"
    return None


def _encode(data: bytes) -> str:
    import base64

    return base64.b64encode(data).decode("ascii")


def _source(
    helper: str, source: Source, media_type: str | None
) -> tuple[str | None, str | None, str | None, str | None]:
    """(url, base64 data, media type, file name) of `source`; raises naming the parameter."""
    if isinstance(source, str) and _URL(source) and not source.startswith("file:"):
        return source, None, media_type, None  # http(s), or gs:// and the like for Gemini
    if isinstance(source, str) and source.startswith("data:"):
        header, comma, payload = source[5:].partition(",")
        if not comma or not header.endswith(";base64"):
            raise ConfigurationError(
                f"{helper}(source=...): a data URL must be 'data:<media type>;base64,<data>'"
            )
        return None, payload, media_type or header[: -len(";base64")] or None, None
    name: str | None = None
    if isinstance(source, bytes | bytearray | memoryview):
        data = bytes(source)
    elif isinstance(source, str | os.PathLike):
        path = os.fspath(source)
        try:
            with open(path, "rb") as handle:
                data = handle.read()
        except OSError as exc:
            raise ConfigurationError(
                f"{helper}(source=...): cannot read {path!r} ({type(exc).__name__}: {exc});"
                " give an http(s) URL, a data URL, bytes or a readable path"
            ) from None
        name = os.path.basename(path)
        if media_type is None:
            import mimetypes

            media_type = mimetypes.guess_type(path)[0]
    else:
        raise ConfigurationError(
            f"{helper}(source=...) takes a URL, bytes or a path, not {type(source).__name__}"
        )
    media_type = media_type or _sniff(data)
    if media_type is None:
        raise ConfigurationError(
            f"{helper}(media_type=...) is needed: the type of these bytes is not recognised"
        )
    return None, _encode(data), media_type, name


def _check_kind(helper: str, media_type: str | None, prefix: str) -> None:
    if media_type is not None and not media_type.startswith(prefix):
        raise ConfigurationError(
            f"{helper}(media_type={media_type!r}) is not an {prefix}* type;"
            " use file(...) for documents"
        )


def _part(
    kind: Literal["image", "file", "audio"], source: Source, media_type: str | None
) -> tuple[dict[str, Any], str | None]:
    """The keys every media part shares (`type`, `url` or `data`, `media_type`), and the file
    name a path gave; image and audio types are checked against their kind."""
    url, data, found, name = _source(kind, source, media_type)
    if kind != "file":
        _check_kind(kind, found if data is not None or media_type else None, f"{kind}/")
    part: dict[str, Any] = {"type": kind}
    if url is not None:
        part["url"] = url
    if data is not None:
        part["data"] = data
    if found is not None:
        part["media_type"] = found
    return part, name


def image(
    source: Source,
    media_type: str | None = None,
    *,
    detail: Literal["auto", "low", "high"] | None = None,
) -> ImagePart:
    """An image part from a URL (http(s), or gs:// for Gemini), a data URL, bytes or a path.

    `media_type` ("image/png") is guessed from a path's suffix or the bytes' signature when
    not given. `detail` is OpenAI's resolution hint.
    """
    part, _ = _part("image", source, media_type)
    if detail is not None:
        part["detail"] = detail
    return cast(ImagePart, part)


def file(source: Source, media_type: str | None = None, *, filename: str | None = None) -> FilePart:
    """A document part (PDF, text, ...) from an http(s) URL, a data URL, bytes or a path.

    A path gives its own file name and media type unless `filename` / `media_type` are given.
    """
    part, name = _part("file", source, media_type)
    if filename or name:
        part["filename"] = filename or name
    return cast(FilePart, part)


def audio(source: Source, media_type: str | None = None) -> AudioPart:
    """An audio part ("audio/wav", "audio/mpeg") from an http(s) URL, a data URL, bytes or a path."""
    part, _ = _part("audio", source, media_type)
    return cast(AudioPart, part)


def check_media_part(param: str, part: Mapping[str, Any]) -> None:
    """A media part written by hand: one str source, a str `media_type` beside `data`.

    Raises `ConfigurationError` naming `param` (e.g. "prompt[0]['content'][1]").
    """
    kind = part["type"]
    sources = [key for key in ("url", "data") if key in part]
    if len(sources) != 1:
        raise ConfigurationError(
            f"{param} is an {kind} part: give exactly one of 'url' and 'data' (base64), e.g."
            f" with modelrouter.{kind}(url_bytes_or_path)"
        )
    for key in ("url", "data", "media_type", "filename"):
        if key in part and not isinstance(part[key], str):
            raise ConfigurationError(
                f"{param}[{key!r}] must be a str, got {type(part[key]).__name__}"
            )
    if "data" in part and "media_type" not in part:
        raise ConfigurationError(f"{param}['media_type'] is needed beside 'data', e.g. 'image/png'")
    if part.get("detail", "auto") not in ("auto", "low", "high"):
        raise ConfigurationError(f"{param}['detail'] must be 'auto', 'low' or 'high'")
