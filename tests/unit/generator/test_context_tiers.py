"""models.dev `cost.tiers` -> `ModelInfo.context_tiers` -> the generated provider modules."""

from __future__ import annotations

import json
import math
from pathlib import PurePosixPath
from typing import Any

import black
import pytest
from black.mode import TargetVersion

from modelrouter._cost import Prices, Tier, prices_of
from modelrouter._errors import GatewayError
from modelrouter.gateways.base import ModelInfo
from modelrouter_generator.listings.models_dev import ModelsDevListing
from modelrouter_generator.normalize import normalize
from modelrouter_generator.render import render_catalog
from tests.unit.generator.listings import listing, provider

_MODE = black.Mode(target_versions={TargetVersion.PY311}, line_length=100)


def _payload(cost: dict[str, Any]) -> bytes:
    model = {
        "name": "Big Context",
        "limit": {"context": 1_000_000, "output": 1000},
        "modalities": {"input": ["text"], "output": ["text"]},
        "cost": cost,
    }
    acme = {"name": "Acme", "env": ["ACME_API_KEY"], "npm": "x", "models": {"m": model}}
    return json.dumps({"acme": acme}).encode()


def _info(cost: dict[str, Any]) -> ModelInfo:
    return ModelsDevListing().parse_payload(_payload(cost))["acme"].model_info["m"]


def test_context_tiers_are_read_sorted_and_other_tier_types_skipped() -> None:
    cost = {
        "input": 5,
        "output": 25,
        "cache_read": 0.5,
        "context_over_200k": {"input": 99, "output": 99},  # a repeat of the first tier: ignored
        "tiers": [
            {"input": 20, "output": 60, "tier": {"type": "context", "size": 500_000}},
            {"input": 10, "output": 37.5, "cache_read": 1, "cache_write": 12.5,
             "tier": {"type": "context", "size": 200_000}},
            {"input": 1, "output": 1, "tier": {"type": "batch", "size": 0}},
        ],
    }  # fmt: skip
    info = _info(cost)
    assert info.context_tiers == (
        (200_000, 10.0, 37.5, 1.0, 12.5),
        (500_000, 20.0, 60.0, None, None),
    )
    assert prices_of(info) == Prices(
        5.0,
        25.0,
        0.5,
        None,
        (
            Tier(200_000, Prices(10.0, 37.5, 1.0, 12.5)),
            Tier(500_000, Prices(20.0, 60.0, None, None)),
        ),
    )


def test_a_model_without_tiers_has_none() -> None:
    assert _info({"input": 1, "output": 2}).context_tiers == ()


@pytest.mark.parametrize(
    ("tier", "field"),
    [
        ({"input": 1, "tier": {"type": "context", "size": "200k"}}, "tiers.0.tier.size"),
        ({"input": 1, "tier": {"type": "context", "size": -1}}, "tiers.0.tier.size"),
        ({"input": "ten", "tier": {"type": "context", "size": 1}}, "tiers.0.input"),
        ({"input": 1}, "tiers.0.tier"),
    ],
)
def test_drift_in_a_tier_names_the_field(tier: dict[str, Any], field: str) -> None:
    with pytest.raises(GatewayError, match=f"acme.models.m.cost.{field}: "):
        _info({"input": 1, "output": 2, "tiers": [tier]})


def _render(info: ModelInfo) -> str:
    catalog = normalize([listing({"acme": provider({info.id: info})})])
    return render_catalog(catalog)[PurePosixPath("modelrouter_catalog/providers/acme.py")]


def test_hostile_tier_values_are_dropped_or_nulled_by_normalize() -> None:
    tiers: Any = (
        (300_000, math.nan, -1.0, True, 2),  # bad prices become None, 2 becomes 2.0
        (100_000, 1.0, 2.0, None, None),
        (100_000, 9.0, 9.0, None, None),  # a second tier at one threshold: the first stays
        (-5, 1.0, 1.0, 1.0, 1.0),  # a negative threshold: dropped
        ("1", 1.0, 1.0, 1.0, 1.0),  # not an int: dropped
        (200_000, 1.0),  # wrong length: dropped
        "junk",
    )
    text = _render(ModelInfo(id="m", input_cost=0.5, context_tiers=tiers))
    namespace: dict[str, Any] = {}
    exec(compile(text, "acme.py", "exec"), namespace)
    assert namespace["MODELS"]["m"].context_tiers == (
        (100_000, 1.0, 2.0, None, None),
        (300_000, None, None, None, 2.0),
    )


def test_many_tiers_print_one_a_line_and_black_leaves_them() -> None:
    tiers = tuple((n * 32_000, 0.123456, 1.234567, 0.0123456, None) for n in range(1, 6))
    info = ModelInfo(id="m", input_cost=0.1, output_cost=1.0, context_tiers=tiers)
    text = _render(info)
    assert black.format_str(text, mode=_MODE) == text
    assert "        context_tiers=(\n            (32000, 0.123456," in text
    namespace: dict[str, Any] = {}
    exec(compile(text, "acme.py", "exec"), namespace)
    assert namespace["MODELS"]["m"].context_tiers == tiers


def test_a_custom_gateways_stored_tiers_round_trip_as_tuples() -> None:
    from modelrouter_generator.validate import decode_providers, encode_providers

    info = ModelInfo(id="m", input_cost=1.0, context_tiers=((200_000, 2.0, 4.0, None, 0.5),))
    providers = {"acme": provider({"m": info})}
    assert decode_providers("g", encode_providers(providers)) == providers
