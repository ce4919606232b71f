from __future__ import annotations

from modelrouter.gateways.base import ModelInfo
from modelrouter_generator.normalize import normalize
from tests.unit.generator.listings import (
    HOSTILE_KEPT,
    HOSTILE_SKIPPED,
    hostile_listing,
    listing,
    provider,
)


def test_later_listing_wins_per_field_and_models_are_united() -> None:
    old = listing(
        {
            "openrouter": provider(
                {
                    "a/x": ModelInfo(id="a/x", name="Old", context_limit=1000, family="fam"),
                    "a/only-old": ModelInfo(id="a/only-old"),
                },
                name="OpenRouter (models.dev)",
                env="OPENROUTER_API_KEY",
            )
        }
    )
    new = listing(
        {
            "openrouter": provider(
                {
                    "a/x": ModelInfo(id="a/x", name="New", context_limit=2000),
                    "a/only-new": ModelInfo(id="a/only-new"),
                },
                name="OpenRouter",
                gateway="openrouter",
                url=None,
            )
        },
        gateway_id="openrouter",
    )
    catalog = normalize([old, new])
    (entry,) = catalog.providers
    assert [m.id for m in entry.models] == ["a/only-new", "a/only-old", "a/x"]
    info = {m.id: m.info for m in entry.models}["a/x"]
    assert (info.name, info.context_limit, info.family) == ("New", 2000, "fam")
    assert entry.config.name == "OpenRouter"
    assert entry.config.gateway == "openrouter"
    assert entry.config.url == "https://api.example.com/v1"  # unknown later value keeps the old
    assert catalog.sources == (
        ("models.dev", "0123456789abcdef"),
        ("openrouter", "0123456789abcdef"),
    )


def test_prefixed_gateway_keys_and_full_ids() -> None:
    catalog = normalize(
        [listing({"openai": provider(["gpt-4o"])}, gateway_id="netlify", prefix="netlify")]
    )
    (entry,) = catalog.providers
    assert (entry.key, entry.module, entry.prefix) == (
        "netlify/openai",
        "netlify__openai",
        "netlify",
    )
    assert entry.models[0].full_id == "netlify/openai/gpt-4o"


def test_hostile_ids_are_kept_or_skipped_with_a_warning_naming_gateway_and_id() -> None:
    catalog = normalize([hostile_listing()])
    keys = [p.key for p in catalog.providers]
    assert keys == sorted(keys)
    assert "bad/provider" not in keys and "" not in keys
    hostile = next(p for p in catalog.providers if p.key == "hostile")
    assert [m.id for m in hostile.models] == sorted(HOSTILE_KEPT)
    for skipped in HOSTILE_SKIPPED:
        shown = repr(skipped[:80])
        assert any(shown in w and "'models.dev'" in w for w in catalog.warnings), skipped
    assert sum("skipped provider" in w for w in catalog.warnings) == 2


def test_duplicate_ids_merge_into_one_model() -> None:
    config = provider({"m": ModelInfo(id="m", name="one")})
    catalog = normalize([listing({"p": config}), listing({"p": provider(["m", "m"])})])
    assert [m.id for m in catalog.providers[0].models] == ["m"]
    assert catalog.providers[0].models[0].info.name == "one"


def test_unprintable_numbers_and_wires_are_dropped() -> None:
    info = ModelInfo(id="m", input_cost=float("nan"), output_cost=float("inf"), wire="smoke")  # type: ignore[arg-type]
    catalog = normalize([listing({"p": provider({"m": info})})])
    cleaned = catalog.providers[0].models[0].info
    assert (cleaned.input_cost, cleaned.output_cost, cleaned.wire) == (None, None, None)


def test_long_ids_are_counted_on_the_full_id() -> None:
    catalog = normalize([listing({"p": provider(["x" * 49, "y" * 48])})])
    assert catalog.long_ids == 1  # "p/" + 49 characters is 51; "p/" + 48 is exactly 50
