"""Custom gateways the CLI tests load by "module:Class" spec, as a user's would be."""

from __future__ import annotations

from modelrouter.gateways.base import ModelGateway, ProviderConfig
from tests.unit.generator.listings import hostile_listing, provider


class HostileGateway(ModelGateway):
    """Lists every hostile id and awkward provider id from `listings`."""

    id = "hostile-gw"
    name = "Hostile"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        return dict(hostile_listing().providers)


class BrokenGateway(ModelGateway):
    """Always fails: its previous data must be kept and the failure reported."""

    id = "broken-gw"
    name = "Broken"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        raise RuntimeError("upstream is down")


class TinyGateway(ModelGateway):
    id = "tiny"
    name = "Tiny"
    prefix = "tiny"

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        return {"openai": provider(["gpt-4o", "gpt-4o-mini"], gateway="tiny")}
