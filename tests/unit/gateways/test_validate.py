"""Custom gateways' providers stored as canonical JSON, and parse dispatch."""

from __future__ import annotations

import pytest

from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ProviderConfig
from modelrouter_generator.validate import (
    check_providers,
    decode_providers,
    encode_providers,
    parse_listing,
)
from tests.unit.gateways.fakes import SyncGateway, acme_providers


def test_encode_decode_round_trip_is_exact_and_canonical() -> None:
    providers = acme_providers("acme-sync")
    raw = encode_providers(providers)
    assert decode_providers("acme-sync", raw) == providers
    assert encode_providers(
        dict(reversed(list({**providers, "b": providers["acme"]}.items())))
    ) == (encode_providers({"b": providers["acme"], **providers}))
    assert parse_listing(SyncGateway(), raw) == providers


def test_decode_ignores_unknown_fields_and_reports_garbage() -> None:
    raw = b'{"x": {"name": "X", "models": ["a"], "api_key_env_var": "K", "gateway": "g", "new": 1}}'
    assert decode_providers("g", raw)["x"] == ProviderConfig(
        name="X", models=("a",), api_key_env_var="K", gateway="g"
    )
    with pytest.raises(GatewayError, match="gateway 'g': stored providers are unreadable"):
        decode_providers("g", b"[1, 2]")


@pytest.mark.parametrize(
    ("value", "message"),
    [
        ([1], "fetch_providers returned list, expected a dict"),
        ({"a": {"name": "x"}}, "expected str keys and ProviderConfig values"),
        ({1: acme_providers("g")["acme"]}, "expected str keys and ProviderConfig values"),
    ],
)
def test_check_providers(value: object, message: str) -> None:
    with pytest.raises(GatewayError, match=message):
        check_providers("g", value)
