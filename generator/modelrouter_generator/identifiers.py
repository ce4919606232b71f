"""Turn ids from the network into safe Python: id checks, module names, constant names.

Every id that reaches a template has passed `id_problem()`; every name a template prints was
made here. Ids themselves only ever appear in generated code through `repr()`.

Hostile-id policy (documented in the README of the generator and tested case by case):
an id is skipped, with a warning naming the gateway and the id, when it is empty, longer than
`MAX_ID_CHARS`, or holds any character `str.isprintable()` rejects: NUL and the other control
characters, newlines, lone surrogates, bidi overrides and other format characters. Everything
else (quotes, backslashes, `\"\"\"`, `#`, non-ASCII letters, `/ : @ ~ .`, spaces) is kept.
"""

from __future__ import annotations

import keyword
import re
import unicodedata
from collections.abc import Callable, Iterable, Mapping
from typing import Final

__all__ = [
    "LONG_ID_CHARS",
    "MAX_ID_CHARS",
    "constant_names",
    "id_problem",
    "module_names",
    "provider_problem",
    "type_alias_name",
]

MAX_ID_CHARS: Final = 1000
"""Longer ids are skipped: no real model id comes near this, and such a Literal only bloats."""

LONG_ID_CHARS: Final = 50
"""pyright never offers literal strings longer than this; the generator reports how many are."""

MAX_CONSTANT_CHARS: Final = 64
"""Longer constant names are cut (collisions then get suffixes); black needs `NAME: Final = (`
to fit its 100 columns, and nobody types a longer name anyway."""

# Names a provider module defines itself; a model constant must never shadow them.
RESERVED_CONSTANTS: Final = frozenset({"PROVIDER_ID", "MODELS", "PROVIDER"})

_NOT_WORD: Final = re.compile(r"[^0-9A-Za-z]+")


def id_problem(value: str) -> str | None:
    """Say why `value` cannot become a Literal member, or None when it can.

    Args:
        value: a model id (bare) or a provider id from a gateway payload.

    Returns:
        A short reason ("empty", "longer than 1000 characters", "holds a control or
        unprintable character U+0000"), or None for an acceptable id.
    """
    if not value:
        return "empty"
    if len(value) > MAX_ID_CHARS:
        return f"longer than {MAX_ID_CHARS} characters"
    if not value.isprintable():
        bad = next(ch for ch in value if not ch.isprintable())
        return f"holds a control or unprintable character U+{ord(bad):04X}"
    return None


def provider_problem(value: str) -> str | None:
    """Like `id_problem`, and a provider id must also not hold "/" (it separates ids)."""
    problem = id_problem(value)
    if problem is None and "/" in value:
        return "holds '/', which separates provider from model"
    return problem


def _ascii_words(value: str) -> list[str]:
    # NFKD splits accented letters into letter + mark so "é" keeps its "e".
    folded = unicodedata.normalize("NFKD", value).encode("ascii", "ignore").decode("ascii")
    return [word for word in _NOT_WORD.split(folded) if word]


def _dedupe(
    bases: Iterable[tuple[str, str]], taken: set[str], *, rank: Callable[[str], int] | None = None
) -> dict[str, str]:
    """Give each (key, base) a unique name: the first key in (rank, key) order keeps the base,
    later ones get `_2`, `_3`, ... so the result never depends on input order."""
    names: dict[str, str] = {}
    for key, base in sorted(bases, key=lambda pair: (rank(pair[0]) if rank else 0, pair)):
        name = base
        counter = 1
        while name in taken:
            counter += 1
            name = f"{base}_{counter}"
        taken.add(name)
        names[key] = name
    return names


def _module_rank(key: str) -> int:
    # Lower-case keys (ids as gateways spell them) pick first, so a case variant such as a
    # custom gateway's "OpenAI" never takes "openai" from "openai"; order among them is as before.
    return 0 if key == key.lower() else 1


def module_names(keys: Iterable[str]) -> dict[str, str]:
    """Map catalogue provider keys to unique module names (valid ASCII identifiers).

    "openai" -> "openai", "amazon-bedrock" -> "amazon_bedrock", "302ai" -> "_302ai",
    "netlify/openai" -> "netlify__openai", "import" -> "import_". On a clash an exact,
    lower-case key keeps its natural name: with "openai" present, "OpenAI" gets "openai_2".
    """
    bases: list[tuple[str, str]] = []
    for key in keys:
        parts = ["_".join(_ascii_words(part.lower())) or "provider" for part in key.split("/")]
        base = "__".join(parts)[:MAX_CONSTANT_CHARS]
        if base[0].isdigit():
            base = "_" + base
        if keyword.iskeyword(base) or keyword.issoftkeyword(base) or base == "__init__":
            base += "_"
        bases.append((key, base))
    return _dedupe(bases, set(), rank=_module_rank)


def constant_names(model_ids: Iterable[str]) -> dict[str, str]:
    """Map bare model ids to unique UPPER_CASE constant names.

    "gpt-4o" -> "GPT_4O", "claude-3-5-haiku" -> "CLAUDE_3_5_HAIKU" and then
    "claude-3.5-haiku" -> "CLAUDE_3_5_HAIKU_2" (sorted order decides), "4o" -> "_4O".
    """
    bases: list[tuple[str, str]] = []
    for model_id in model_ids:
        base = "_".join(_ascii_words(model_id)).upper()[:MAX_CONSTANT_CHARS].rstrip("_") or "MODEL"
        if base[0].isdigit():
            base = "_" + base
        bases.append((model_id, base))
    return _dedupe(bases, set(RESERVED_CONSTANTS))


def type_alias_name(module: str) -> str:
    """The `model_ids` alias of a provider's full ids: "openai" -> "openai_ids"."""
    return f"{module}_ids"


def check_names(names: Mapping[str, str]) -> None:
    """Assert every generated name is an ASCII identifier and not a keyword (a safety net)."""
    for name in names.values():
        if not (name.isascii() and name.isidentifier()) or keyword.iskeyword(name):
            raise ValueError(f"generated name {name!r} is not a safe identifier")
