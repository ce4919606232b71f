"""Scrub the secrets a request carried out of any text an error keeps, however it was encoded.

A provider or proxy may echo a request back raw, JSON-escaped (`\\/` as PHP writes it,
`\\u0073k-...`), URL-encoded (`quote` / `quote_plus`, any hex case) or a mix of these. So a
secret is searched for in the text as it is and in the text decoded: JSON string escapes and
percent escapes are undone (twice, for one encoding nested in the other), and every match is
masked in the text as it was received, escapes included. Callers also scrub each string they
decode from a body, so nothing decoded later can reassemble a secret.

What counts as a secret (`Secrets.of`): the API key, every header value sent except those of
the standard headers an HTTP client sends by default (`PLAIN_HEADERS`: their values, such as
"gzip, deflate", are no secret and too common to mask), and the values of credential-like
query parameters (`key`, `token`, ...). The rule for short values: a value of
`MIN_ANYWHERE_CHARS` characters or more is masked wherever it appears, even inside a word; a
shorter one ("1", "true", "eu") is masked only where it stands as a whole word (no letter or
digit on either side), so it cannot hide as part of a longer token, while ordinary words that
merely contain it stay readable.

Cost is linear in the text (one scan per decoding, `str.find` per secret); callers bound the
text first (`excerpt`), so scrubbing an error never costs more than the body caps allow.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Final
from urllib.parse import parse_qsl, quote_plus

__all__ = ["MIN_ANYWHERE_CHARS", "PLAIN_HEADERS", "Secrets"]

MASK: Final = "***"

MIN_ANYWHERE_CHARS: Final = 8
"""A secret this long or longer is masked anywhere; a shorter one only as a whole word."""

PLAIN_HEADERS: Final = frozenset(
    {
        "user-agent",
        "content-type",
        "content-length",
        "content-encoding",
        "transfer-encoding",
        "accept",
        "accept-encoding",
        "accept-language",
        "accept-charset",
        "cache-control",
        "pragma",
        "connection",
        "keep-alive",
        "te",
        "expect",
        "host",
        "anthropic-version",
    }
)
"""Headers whose values are no secret: ours, and those an HTTP client sends by default."""

# Query parameters that carry credentials (Gemini's `?key=`, signed URLs, OAuth tokens).
_SECRET_PARAMS: Final = re.compile(r"(?i)key|token|secret|sig|password|auth|credential")

# One escape of either kind; a run of anything else is copied as it is.
_ESCAPE: Final = re.compile(r"\\u([0-9a-fA-F]{4})|\\([\"\\/bfnrt])|%([0-9a-fA-F]{2})")
_JSON_SIMPLE: Final = {"b": "\b", "f": "\f", "n": "\n", "r": "\r", "t": "\t"}


def _decode(text: str, plus_is_space: bool) -> tuple[str, list[int]] | None:
    """`text` with escapes undone, and for each decoded char the offset it came from.

    The offsets list has one more entry, `len(text)`, so char i spans [at[i], at[i+1]).
    None when there is nothing to decode.
    """
    if not _ESCAPE.search(text) and not (plus_is_space and "+" in text):
        return None
    out: list[str] = []
    at: list[int] = []
    pos = 0
    for match in _ESCAPE.finditer(text):
        start = match.start()
        if start > pos:
            plain = text[pos:start]
            out.append(plain.replace("+", " ") if plus_is_space else plain)
            at.extend(range(pos, start))
        hex4, simple, pct = match.groups()
        if hex4 is not None:
            out.append(chr(int(hex4, 16)))
        elif simple is not None:
            out.append(_JSON_SIMPLE.get(simple, simple))
        else:
            out.append(chr(int(pct, 16)))  # secrets are ASCII: one byte, one char
        at.append(start)
        pos = match.end()
    if pos < len(text):
        plain = text[pos:]
        out.append(plain.replace("+", " ") if plus_is_space else plain)
        at.extend(range(pos, len(text)))
    at.append(len(text))
    return "".join(out), at


def _is_word(char: str) -> bool:
    return char.isalnum()


class Secrets:
    """The values one request must not leak, and the scrubbing of texts against them."""

    __slots__ = ("_longest", "_spaced", "values")

    def __init__(self, values: Iterable[str]) -> None:
        # Longest first, so a secret containing another is masked whole.
        self.values: tuple[str, ...] = tuple(
            sorted({v for v in values if v}, key=len, reverse=True)
        )
        # JSON's \u escape is the longest spelling of a char: six.
        self._longest = 6 * len(self.values[0]) if self.values else 0
        self._spaced = any(" " in v for v in self.values)

    @classmethod
    def of(
        cls,
        api_key: str | None,
        headers: Iterable[Mapping[str, str]],
        url: str | None = None,
        *,
        every: Mapping[str, str] | None = None,
    ) -> Secrets:
        """The key, every non-standard header value in `headers`, every value in `every`
        (headers the user set on the model itself), and credential query values of `url`."""
        values = [api_key] if api_key else []
        if every:
            values.extend(every.values())
        for mapping in headers:
            values.extend(v for k, v in mapping.items() if k.lower() not in PLAIN_HEADERS)
        if url and "?" in url:
            query = url.split("?", 1)[1].split("#", 1)[0]
            for name, value in parse_qsl(query, keep_blank_values=False):
                if _SECRET_PARAMS.search(name):
                    values.extend((value, quote_plus(value)))
        return cls(values)

    def _spans(self, text: str, decoded: str, at: list[int] | None) -> list[tuple[int, int]]:
        spans: list[tuple[int, int]] = []
        for secret in self.values:
            anywhere = len(secret) >= MIN_ANYWHERE_CHARS
            start = decoded.find(secret)
            while start >= 0:
                end = start + len(secret)
                if anywhere or (
                    (start == 0 or not _is_word(decoded[start - 1]))
                    and (end == len(decoded) or not _is_word(decoded[end]))
                ):
                    spans.append((start, end) if at is None else (at[start], at[end]))
                start = decoded.find(secret, start + 1)
        return spans

    def scrub(self, text: str, stop: int | None = None) -> str:
        """`text` with every secret masked, raw or JSON-/URL-encoded (see the module doc).

        With `stop`, only what stood before that offset of `text` is kept (see `excerpt`).
        """
        if stop is not None and stop < len(text):
            keep = stop
        else:
            keep = len(text)
        if not self.values or not text:
            return text[:keep]
        spans = self._spans(text, text, None)
        for plus in (False, True) if self._spaced else (False,):
            first = _decode(text, plus)
            if first is None:
                continue
            once, at = first
            spans.extend(self._spans(text, once, at))
            second = _decode(once, plus)  # one encoding nested in the other
            if second is not None:
                twice, at2 = second
                spans.extend(self._spans(text, twice, [at[i] for i in at2]))
        out: list[str] = []
        pos = 0
        for start, end in sorted(spans):
            if start >= keep:
                break
            if end <= pos:
                continue  # inside a span already masked
            if start >= pos:
                out.append(text[pos:start])
                out.append(MASK)
            pos = end
        if pos < keep:
            out.append(text[pos:keep])
        return "".join(out)

    def excerpt(self, text: str, limit: int) -> str:
        """What stood in the first `limit` chars of `text`, scrubbed, at a cost bounded by it.

        A secret that starts before the cut is searched in a window reaching the longest
        encoded secret past it, so it is masked whole; nothing after the cut is kept, so no
        half of a secret can be.
        """
        if len(text) <= limit:
            return self.scrub(text)
        return self.scrub(text[: limit + self._longest], stop=limit)
