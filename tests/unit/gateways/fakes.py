"""Small gateways the tests load by spec (`tests.unit.gateways.fakes:Name`)."""

from __future__ import annotations

import asyncio

from modelrouter.gateways.base import ModelGateway, ModelInfo, ProviderConfig


def acme_providers(
    gateway: str, models: tuple[str, ...] = ("m-1", "m-2")
) -> dict[str, ProviderConfig]:
    return {
        "acme": ProviderConfig(
            name="Acme",
            models=models,
            api_key_env_var=("ACME_API_KEY", "ACME_KEY"),
            gateway=gateway,
            url="https://api.acme.test/v1",
            wire="openai-chat",
            model_info={
                m: ModelInfo(id=m, context_limit=1000, capabilities=("tool_call",)) for m in models
            },
        )
    }


class SyncGateway(ModelGateway):
    id = "acme-sync"
    name = "Acme (sync)"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        return acme_providers(self.id)


class AsyncGateway(ModelGateway):
    id = "acme-async"
    name = "Acme (async)"
    prefix = "acme"

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        await asyncio.sleep(0)
        return acme_providers(self.id)


class ClashingGateway(SyncGateway):
    """Claims the built-in models.dev id, so it must replace the built-in."""

    id = "models.dev"
    name = "My models.dev mirror"


class NeedsArguments(SyncGateway):
    def __init__(self, token: str) -> None:
        self.token = token


class NotAGateway:
    id = "nope"


not_a_class = SyncGateway()
