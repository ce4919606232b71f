"""Validate stage: raw payload -> providers, or a `GatewayError` naming gateway and field.

Built-in (listing) gateways validate with their generated pydantic models through
`parse_payload`. A custom gateway only has `fetch_providers`, so what we store for it is the
canonical JSON of the providers it returned (`encode_providers`), read back by
`decode_providers`; both kinds thus keep a last good snapshot the same way.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Mapping
from typing import Any

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig
from modelrouter.gateways.live import check_providers
from modelrouter_generator.listings.base import ListingGateway

__all__ = ["check_providers", "decode_providers", "encode_providers", "parse_listing"]

_PROVIDER_FIELDS = frozenset(f.name for f in dataclasses.fields(ProviderConfig))
_MODEL_FIELDS = frozenset(f.name for f in dataclasses.fields(ModelInfo))
_TUPLE_MODEL_FIELDS = ("capabilities", "input_modalities", "output_modalities")


def encode_providers(providers: Mapping[str, ProviderConfig]) -> bytes:
    """Canonical JSON of providers (sorted keys), the stored form of a custom gateway's data.

    ASCII-escaped so a lone surrogate in a hostile id round-trips as `\\ud800` instead of failing
    to encode and costing the gateway all of its data; normalize then skips just that id.
    """
    data = {key: dataclasses.asdict(config) for key, config in sorted(providers.items())}
    return json.dumps(data, sort_keys=True, separators=(",", ":"), ensure_ascii=True).encode()


def _model_info(data: Any) -> ModelInfo:
    fields = {k: v for k, v in data.items() if k in _MODEL_FIELDS}
    for name in _TUPLE_MODEL_FIELDS:
        if name in fields:
            fields[name] = tuple(fields[name])
    if "context_tiers" in fields:  # JSON lists back to the tuples the catalogue prints
        fields["context_tiers"] = tuple(tuple(tier) for tier in fields["context_tiers"])
    return ModelInfo(**fields)


def decode_providers(gateway_id: str, raw: bytes) -> dict[str, ProviderConfig]:
    """Read back `encode_providers` output (fields unknown to this version are ignored)."""
    try:
        data = json.loads(raw)
        providers: dict[str, ProviderConfig] = {}
        for key, entry in data.items():
            fields = {k: v for k, v in entry.items() if k in _PROVIDER_FIELDS}
            fields["models"] = tuple(fields.get("models", ()))
            env = fields.get("api_key_env_var", ())
            fields["api_key_env_var"] = env if isinstance(env, str) else tuple(env)
            fields["model_info"] = {
                model: _model_info(info) for model, info in fields.get("model_info", {}).items()
            }
            providers[str(key)] = ProviderConfig(**fields)
    except (ValueError, TypeError, AttributeError) as exc:
        raise GatewayError(gateway_id, f"stored providers are unreadable: {exc}") from exc
    return providers


def parse_listing(gateway: ModelGateway, raw: bytes) -> dict[str, ProviderConfig]:
    """Turn a gateway's raw payload into providers.

    Raises:
        GatewayError: the payload did not validate; the message names gateway and field.
    """
    if not isinstance(gateway, ListingGateway):
        return decode_providers(gateway.id, raw)
    try:
        return gateway.parse_payload(raw)
    except GatewayError:
        raise
    except Exception as exc:
        # A user's parse_payload may fail in its own way; report it like any drift.
        raise GatewayError(gateway.id, f"payload rejected: {type(exc).__name__}: {exc}") from exc
