"""Run-time gateway registry: custom first, built-ins lazily, same id replaces."""

from __future__ import annotations

import subprocess
import sys
from collections.abc import Iterator

import pytest

from modelrouter.gateways import registry
from modelrouter.gateways.builtins import ModelsDevGateway
from modelrouter.gateways.netlify import NetlifyGateway
from tests.unit.gateways.fakes import AsyncGateway, ClashingGateway, SyncGateway


@pytest.fixture(autouse=True)
def _clean_registry() -> Iterator[None]:
    yield
    for gateway in registry.registered_gateways():
        registry.unregister_gateway(gateway.id)


def test_builtins_in_order() -> None:
    ids = [g.id for g in registry.registered_gateways()]
    assert ids == ["models.dev", "netlify", "openrouter"]
    assert registry.builtin_gateways() is registry.builtin_gateways()


def test_custom_gateways_come_first_and_replace_by_id() -> None:
    first, second = SyncGateway(), SyncGateway()
    registry.register_gateway(AsyncGateway())
    registry.register_gateway(first)
    registry.register_gateway(second)
    gateways = registry.registered_gateways()
    assert [g.id for g in gateways] == [
        "acme-async",
        "acme-sync",
        "models.dev",
        "netlify",
        "openrouter",
    ]
    assert gateways[1] is second


def test_custom_gateway_replaces_builtin_of_same_id() -> None:
    mirror = ClashingGateway()
    registry.register_gateway(mirror)
    gateways = registry.registered_gateways()
    assert [g.id for g in gateways].count("models.dev") == 1
    assert gateways[0] is mirror
    assert not any(isinstance(g, ModelsDevGateway) for g in gateways)
    assert registry.unregister_gateway("models.dev")
    assert isinstance(registry.registered_gateways()[0], ModelsDevGateway)
    assert not registry.unregister_gateway("models.dev")


def test_gateway_for_prefix() -> None:
    assert isinstance(registry.gateway_for_prefix("netlify"), NetlifyGateway)
    assert registry.gateway_for_prefix("acme") is None
    custom = AsyncGateway()
    registry.register_gateway(custom)
    assert registry.gateway_for_prefix("acme") is custom

    class MyNetlify(AsyncGateway):
        id = "my-netlify"
        prefix = "netlify"

    mine = MyNetlify()
    registry.register_gateway(mine)
    assert registry.gateway_for_prefix("netlify") is mine


def test_rejects_non_gateways() -> None:
    with pytest.raises(TypeError, match="ModelGateway instance"):
        registry.register_gateway(object())  # type: ignore[arg-type]

    class NoId(SyncGateway):
        id = ""

    with pytest.raises(TypeError, match="non-empty string `id`"):
        registry.register_gateway(NoId())


def test_importing_gateways_loads_no_pydantic_and_builds_nothing() -> None:
    code = (
        "import sys\n"
        "import modelrouter.gateways.registry as r, modelrouter.gateways.builtins,"
        " modelrouter.gateways.netlify, modelrouter.gateways.live\n"
        "assert r._builtins is None, 'built-ins created at import'\n"
        "assert 'pydantic' not in sys.modules, 'pydantic imported eagerly'\n"
        "r.registered_gateways()\n"
        "assert 'pydantic' not in sys.modules\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True)
    assert done.returncode == 0, done.stderr


def test_the_generator_listings_derive_from_the_one_runtime_list() -> None:
    from modelrouter_generator.listings import builtin_listings, listing_for
    from modelrouter_generator.sources import default_gateways

    runtime = registry.builtin_gateways()
    listings = builtin_listings()
    assert [g.id for g in listings] == [g.id for g in runtime]
    for listing, gateway in zip(listings, runtime, strict=True):
        assert isinstance(listing, type(gateway))  # routes exactly as the runtime's does
        assert listing.prefix == gateway.prefix
    assert [g.id for g in default_gateways()] == [g.id for g in runtime]

    class Unknown(SyncGateway):
        id = "not-built-in"

    with pytest.raises(LookupError, match="not-built-in"):
        listing_for(Unknown())


def test_at_run_time_a_built_in_gateway_lists_the_catalogue_providers() -> None:
    netlify = registry.gateway_for_prefix("netlify")
    assert netlify is not None
    providers = netlify.fetch_providers()  # the committed (offline) catalogue has none
    assert isinstance(providers, dict)
    assert all(config.gateway == "netlify" for config in providers.values())
    (models_dev,) = [g for g in registry.builtin_gateways() if g.id == "models.dev"]
    registry_providers = models_dev.fetch_providers()
    assert isinstance(registry_providers, dict)
    assert {"openai", "anthropic"} <= set(registry_providers)
    assert "netlify/openai" not in registry_providers
