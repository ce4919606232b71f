"""Custom gateways the subprocess tests load by "module:Class" spec, as a user's would be.

`EnvCatalogGateway` has the id "models.dev", so it replaces the built-in one (custom gateways
win on id clashes): a run then renders only the few models its environment names, which keeps
runs that start many processes quick. The hanging gateways answer normally until their
environment variable says hang.
"""

from __future__ import annotations

import os
import threading
import time

from modelrouter.gateways.base import ModelGateway, ProviderConfig
from tests.unit.generator.listings import provider

MODELS_ENV = "MODELROUTER_TEST_MODELS"
"""`provider:model,model;provider:model` -> those providers and models."""
HANG_ENV = "MODELROUTER_TEST_HANG"
"""`1`: the hanging gateways hang."""
HANG_MARK_ENV = "MODELROUTER_TEST_HANG_MARK"
"""A file where a hanging gateway writes the wall-clock time it was called (and hung)."""

ENV_CATALOG = "tests.integration.generator.gateways:EnvCatalogGateway"
SYNC_HANG = "tests.integration.generator.gateways:SyncHangGateway"
LOOP_BLOCK = "tests.integration.generator.gateways:LoopBlockingGateway"
CASE_VARIANT = "tests.integration.generator.gateways:CaseVariantGateway"


def _hang() -> bool:
    if os.environ.get(HANG_ENV) != "1":
        return False
    mark = os.environ.get(HANG_MARK_ENV)
    if mark:
        with open(mark, "w", encoding="utf-8") as handle:
            handle.write(repr(time.time()))
    return True


class EnvCatalogGateway(ModelGateway):
    id = "models.dev"
    name = "models named by MODELROUTER_TEST_MODELS"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        found: dict[str, ProviderConfig] = {}
        for entry in filter(None, os.environ.get(MODELS_ENV, "").split(";")):
            key, _, models = entry.partition(":")
            found[key] = provider(models.split(","), gateway=self.id)
        return found


class SyncHangGateway(ModelGateway):
    """A sync `fetch_providers` that blocks for good (a socket read with no timeout, say)."""

    id = "sync-hang"
    name = "Sync hang"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        if _hang():
            threading.Event().wait()
        return {"hung-sync": provider(["kept-sync"], gateway=self.id)}


class LoopBlockingGateway(ModelGateway):
    """An async `fetch_providers` that blocks its event loop (a sync call inside `async def`)."""

    id = "loop-block"
    name = "Loop block"

    async def fetch_providers(self) -> dict[str, ProviderConfig]:
        if _hang():
            time.sleep(3600)
        return {"hung-async": provider(["kept-async"], gateway=self.id)}


class CaseVariantGateway(ModelGateway):
    """Lists "OpenAI" (no prefix): a provider id differing from models.dev's only by case."""

    id = "case-variant"
    name = "Case variant"

    def fetch_providers(self) -> dict[str, ProviderConfig]:
        return {"OpenAI": provider(["house-model"], gateway=self.id)}
