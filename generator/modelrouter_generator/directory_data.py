"""Catalogue providers -> the compact, JSON-ready data the model directory page renders.

The page ships ~4,800 rows, so the data is columnar (one array per column, the provider as an
index into a provider table, capabilities and modalities as bit masks over small vocabularies):
about a third of the size of one object per row. Everything is sorted, so the same catalogue
always gives the same data. Nothing about API keys is read: the page may be shared.
"""

from __future__ import annotations

import json
import math
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Final
from urllib.parse import urlsplit

from modelrouter.gateways.base import ModelInfo, ProviderConfig

__all__ = ["CAPABILITIES", "DirectoryData", "collect_directory", "script_json", "safe_doc_url"]

CAPABILITIES: Final[tuple[tuple[str, str], ...]] = (
    ("tool_call", "tools"),
    ("structured_output", "structured output"),
    ("reasoning", "reasoning"),
    ("attachment", "attachments"),
)
"""Catalogue capability flag -> the label the page shows, in column order."""

# Characters that could end or confuse a <script> block or a JS string, spelled as JSON escapes.
_SCRIPT_ESCAPES: Final = {
    ord("<"): "\\u003c",
    ord(">"): "\\u003e",
    ord("&"): "\\u0026",
    0x2028: "\\u2028",
    0x2029: "\\u2029",
}


@dataclass(frozen=True)
class DirectoryData:
    """What the page needs: the JSON-ready payload and two counts for the static text."""

    payload: dict[str, object]
    providers: int
    models: int


def safe_doc_url(url: str | None) -> str | None:
    """`url` when it is an absolute http(s) URL with a host, else None (never linked or shown)."""
    if not url:
        return None
    try:
        parts = urlsplit(url.strip())
    except ValueError:
        return None
    if parts.scheme not in ("http", "https") or not parts.netloc:
        return None
    return url.strip()


def _mask(values: Iterable[str], vocabulary: Mapping[str, int]) -> int:
    bits = 0
    for value in values:
        index = vocabulary.get(value)
        if index is not None:
            bits |= 1 << index
    return bits


def _number(value: float | None) -> float | int | None:
    # 2.0 prints as 2 in JSON: a few hundred KB less over the whole catalogue.
    if value is None or not math.isfinite(value):
        return None
    return int(value) if float(value).is_integer() else value


def collect_directory(providers: Mapping[str, ProviderConfig]) -> DirectoryData:
    """Flatten `providers` (catalogue key -> config) into the page's columnar payload.

    Args:
        providers: every catalogue provider, as `modelrouter._catalog` returns them.

    Returns:
        The payload (`providers`, vocabularies, and `rows`: one array per column, in id order).
    """
    keys = sorted(providers)
    infos: list[tuple[int, str, ModelInfo]] = []
    for index, key in enumerate(keys):
        config = providers[key]
        for model in sorted(set(config.models) | set(config.model_info)):
            infos.append((index, model, config.model_info.get(model) or ModelInfo(id=model)))
    modalities = sorted(
        {m for _, _, i in infos for m in (*i.input_modalities, *i.output_modalities)}
    )
    statuses = sorted({i.status for _, _, i in infos if i.status})
    modality_bits = {m: n for n, m in enumerate(modalities)}
    capability_bits = {flag: n for n, (flag, _) in enumerate(CAPABILITIES)}
    columns: dict[str, list[object]] = {
        name: []
        for name in ("p", "m", "n", "ctx", "out", "in", "oc", "cr", "cw", "cap", "mi", "mo", "st")
    }
    for index, model, info in infos:
        columns["p"].append(index)
        columns["m"].append(model)
        columns["n"].append(info.name if info.name and info.name != model else None)
        columns["ctx"].append(info.context_limit)
        columns["out"].append(info.output_limit)
        columns["in"].append(_number(info.input_cost))
        columns["oc"].append(_number(info.output_cost))
        columns["cr"].append(_number(info.cache_read_cost))
        columns["cw"].append(_number(info.cache_write_cost))
        columns["cap"].append(_mask(info.capabilities, capability_bits))
        columns["mi"].append(_mask(info.input_modalities, modality_bits))
        columns["mo"].append(_mask(info.output_modalities, modality_bits))
        columns["st"].append(statuses.index(info.status) + 1 if info.status else 0)
    payload: dict[str, object] = {
        "providers": [
            {
                "key": key,
                "name": providers[key].name or key,
                "gateway": providers[key].gateway,
                "doc": safe_doc_url(providers[key].doc_url),
            }
            for key in keys
        ],
        "capabilities": [label for _, label in CAPABILITIES],
        "modalities": modalities,
        "statuses": statuses,
        "rows": columns,
    }
    return DirectoryData(payload=payload, providers=len(keys), models=len(infos))


def script_json(payload: Mapping[str, object]) -> str:
    """`payload` as JSON that is safe verbatim inside `<script type="application/json">`.

    `<`, `>` and `&` become `\\u003c`-style escapes, so no string in the data can close the
    script element (`</script>`) or open a comment (`<!--`); U+2028/U+2029 are escaped too.
    The output is deterministic: sorted keys, no spaces.
    """
    text = json.dumps(
        payload, sort_keys=True, separators=(",", ":"), ensure_ascii=False, allow_nan=False
    )
    return text.translate(_SCRIPT_ESCAPES)
