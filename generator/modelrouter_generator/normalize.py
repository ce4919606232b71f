"""Listings -> `Catalog`: merge gateways, drop hostile ids, sort, and name everything.

Listings arrive in precedence order and later ones win: per provider, and per model within a
provider, field by field (a later gateway's known value replaces an earlier one; an unknown,
i.e. None or empty, value keeps what an earlier gateway said). So models.dev's "openrouter"
merged with the live OpenRouter listing keeps the union of models and the freshest metadata.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any, Final, cast, get_args

from modelrouter._types import WireFormat
from modelrouter.gateways.base import ModelInfo, PriceTier, ProviderConfig
from modelrouter_generator.identifiers import (
    check_names,
    constant_names,
    id_problem,
    module_names,
    provider_problem,
    type_alias_name,
)
from modelrouter_generator.structures import Catalog, Listing, ModelEntry, ProviderEntry

__all__ = ["normalize"]

_WIRES: Final = frozenset(get_args(WireFormat))
_WARN_ID_CHARS: Final = 80
_FLOAT_FIELDS: Final = ("input_cost", "output_cost", "cache_read_cost", "cache_write_cost")
_INT_FIELDS: Final = ("context_limit", "input_limit", "output_limit")
_SORTED_FIELDS: Final = ("capabilities", "input_modalities", "output_modalities")
_STR_FIELDS: Final = ("name", "family", "status", "release_date", "knowledge", "url")


@dataclass
class _Provider:
    provider_id: str
    prefix: str | None
    config: ProviderConfig
    models: dict[str, ModelInfo] = field(default_factory=dict)


def _show(value: str) -> str:
    """A warning-safe rendering of an untrusted id: escaped and cut short."""
    if len(value) > _WARN_ID_CHARS:
        return repr(value[:_WARN_ID_CHARS]) + f"... ({len(value)} characters)"
    return repr(value)


def _known(value: object) -> bool:
    return value is not None and value != () and value != ""


def _clean_str(value: object) -> str | None:
    return value if isinstance(value, str) and value else None


def _clean_info(model_id: str, info: ModelInfo) -> ModelInfo:
    """Coerce a gateway's ModelInfo into values that print as valid, typed Python."""
    changes: dict[str, Any] = {"id": model_id}
    for name in _FLOAT_FIELDS:
        value = getattr(info, name)
        ok = isinstance(value, (int, float)) and not isinstance(value, bool)
        # nan/inf would print as bare names that do not exist at import time.
        changes[name] = float(value) if ok and math.isfinite(value) else None
    for name in _INT_FIELDS:
        value = getattr(info, name)
        changes[name] = value if isinstance(value, int) and not isinstance(value, bool) else None
    for name in _SORTED_FIELDS:
        values = getattr(info, name)
        changes[name] = tuple(sorted({v for v in values if isinstance(v, str) and v}))
    for name in _STR_FIELDS:
        changes[name] = _clean_str(getattr(info, name))
    changes["wire"] = info.wire if info.wire in _WIRES else None
    changes["context_tiers"] = _clean_tiers(info.context_tiers)
    return dataclasses.replace(info, **changes)


def _price(value: object) -> float | None:
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    return float(value) if math.isfinite(value) and value >= 0 else None


def _clean_tiers(tiers: object) -> tuple[PriceTier, ...]:
    """Well-formed context tiers only, sorted, one per threshold; a bad price becomes None."""
    found: dict[int, PriceTier] = {}
    for tier in cast(tuple[object, ...], tiers) if isinstance(tiers, tuple) else ():
        if not isinstance(tier, tuple) or len(cast(tuple[object, ...], tier)) != 5:
            continue
        above, *prices = cast(tuple[object, ...], tier)
        if type(above) is int and above >= 0 and above not in found:
            input_, output, read, write = (_price(p) for p in prices)
            found[above] = (above, input_, output, read, write)
    return tuple(found[above] for above in sorted(found))


def _merge_info(old: ModelInfo, new: ModelInfo) -> ModelInfo:
    changes = {
        f.name: getattr(new, f.name)
        for f in dataclasses.fields(new)
        if f.name != "id" and _known(getattr(new, f.name))
    }
    return dataclasses.replace(old, **changes)


def _clean_config(config: ProviderConfig) -> ProviderConfig:
    env = config.env_vars
    return dataclasses.replace(
        config,
        name=_clean_str(config.name) or "",
        api_key_env_var=env[0] if len(env) == 1 else tuple(v for v in env if isinstance(v, str)),
        url=_clean_str(config.url),
        api_key_header=_clean_str(config.api_key_header),
        doc_url=_clean_str(config.doc_url),
        wire=config.wire if config.wire in _WIRES else None,
        models=(),
        model_info={},
    )


def _merge_config(old: ProviderConfig, new: ProviderConfig) -> ProviderConfig:
    changes: dict[str, Any] = {
        f.name: getattr(new, f.name)
        for f in dataclasses.fields(new)
        if f.name not in ("models", "model_info") and _known(getattr(new, f.name))
    }
    return dataclasses.replace(old, **changes)


def _listed_models(config: ProviderConfig) -> dict[str, ModelInfo]:
    """Every model a config names, in `models` or only in `model_info`."""
    infos = dict(config.model_info)
    for model_id in config.models:
        infos.setdefault(model_id, ModelInfo(id=model_id))
    return infos


def _add_listing(listing: Listing, merged: dict[str, _Provider], warnings: list[str]) -> None:
    gateway = listing.gateway_id
    prefix = listing.prefix
    if prefix is not None and (problem := provider_problem(prefix)):
        warnings.append(f"gateway {gateway!r}: skipped: prefix {_show(prefix)} {problem}")
        return
    for provider_id, config in sorted(listing.providers.items()):
        if problem := provider_problem(provider_id):
            warnings.append(
                f"gateway {gateway!r}: skipped provider {_show(provider_id)}: {problem}"
            )
            continue
        key = f"{prefix}/{provider_id}" if prefix else provider_id
        cleaned = _clean_config(config)
        entry = merged.get(key)
        if entry is None:
            entry = merged[key] = _Provider(provider_id, prefix, cleaned)
        else:
            entry.config = _merge_config(entry.config, cleaned)
        for model_id, info in sorted(_listed_models(config).items()):
            if problem := id_problem(model_id):
                warnings.append(
                    f"gateway {gateway!r}: skipped model {_show(model_id)}"
                    f" of provider {provider_id!r}: {problem}"
                )
                continue
            info = _clean_info(model_id, info)
            old = entry.models.get(model_id)
            entry.models[model_id] = info if old is None else _merge_info(old, info)


def _entry(key: str, module: str, provider: _Provider) -> ProviderEntry:
    constants = constant_names(provider.models)
    check_names(constants)
    models = tuple(
        ModelEntry(id=mid, full_id=f"{key}/{mid}", constant=constants[mid], info=info)
        for mid, info in sorted(provider.models.items())
    )
    return ProviderEntry(
        key=key,
        provider_id=provider.provider_id,
        prefix=provider.prefix,
        module=module,
        alias=type_alias_name(module),
        config=provider.config,
        models=models,
    )


def normalize(listings: Sequence[Listing]) -> Catalog:
    """Merge listings (later wins) into a sorted, named, print-ready catalogue.

    Args:
        listings: gateway listings in precedence order.

    Returns:
        The catalogue; `warnings` name the gateway and id of everything skipped.
    """
    merged: dict[str, _Provider] = {}
    warnings: list[str] = []
    for listing in listings:
        _add_listing(listing, merged, warnings)
    modules = module_names(merged)
    check_names(modules)
    sources: Mapping[str, str] = {listing.gateway_id: listing.source_hash for listing in listings}
    return Catalog(
        providers=tuple(_entry(key, modules[key], merged[key]) for key in sorted(merged)),
        sources=tuple(sorted(sources.items())),
        warnings=tuple(warnings),
    )
