"""Gateway listings: fetch a built-in gateway's JSON listing and validate it into providers.

Build time only. Each built-in gateway of the runtime (`modelrouter.gateways.registry`, the one
list of built-ins) has a listing class here that derives from it and adds the fetch and the
payload validation (pydantic models generated from the JSON Schemas in `schemas/`).
"""

from __future__ import annotations

from typing import Final

from modelrouter.gateways.base import ModelGateway
from modelrouter.gateways.registry import builtin_gateways
from modelrouter_generator.listings.base import ListingFetchError, ListingGateway
from modelrouter_generator.listings.models_dev import ModelsDevListing
from modelrouter_generator.listings.netlify import NetlifyListing
from modelrouter_generator.listings.openrouter import OpenRouterListing

__all__ = [
    "ListingFetchError",
    "ListingGateway",
    "ModelsDevListing",
    "NetlifyListing",
    "OpenRouterListing",
    "builtin_listings",
    "listing_for",
]

_LISTING_BY_ID: Final[dict[str, type[ListingGateway]]] = {
    cls.id: cls for cls in (ModelsDevListing, NetlifyListing, OpenRouterListing)
}


def listing_for(gateway: ModelGateway) -> ListingGateway:
    """A fresh listing instance for a built-in gateway.

    Raises:
        LookupError: the runtime lists a built-in this generator cannot fetch (a bug).
    """
    try:
        return _LISTING_BY_ID[gateway.id]()
    except KeyError:
        raise LookupError(f"no listing for the built-in gateway {gateway.id!r}") from None


def builtin_listings() -> list[ListingGateway]:
    """One listing per runtime built-in, in the runtime's order."""
    return [listing_for(gateway) for gateway in builtin_gateways()]
