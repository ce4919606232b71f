"""Deployment identity: provider + base URL + a keyed hash of the API key, never the key.

The same key on the same URL gives the same identity in every process (so a fleet shares
one cooldown), and nothing in it can be turned back into the key: the key goes through a
keyed BLAKE2b (key `MODELROUTER_HEALTH_SALT`, else a fixed one) cut to 12 bytes.
"""

from __future__ import annotations

import os
from functools import lru_cache
from typing import Any

__all__ = ["deployment_key", "fingerprint"]

_DEFAULT_SALT = b"modelrouter/deployment/v1"


@lru_cache(maxsize=1024)
def fingerprint(secret: str | None) -> str:
    """A short keyed hash of `secret` ("-" for no key)."""
    if not secret:
        return "-"
    import hashlib  # here, not at import: `import modelrouter` stays cheap

    salt = os.environ.get("MODELROUTER_HEALTH_SALT", "").encode() or _DEFAULT_SALT
    return hashlib.blake2b(secret.encode(), key=salt[:64], digest_size=12).hexdigest()


@lru_cache(maxsize=1024)
def _key(provider: str, base_url: str, secret: str | None) -> str:
    import hashlib

    url = hashlib.blake2b(base_url.encode(), digest_size=8).hexdigest()
    return f"{provider}:{url}:{fingerprint(secret)}"


# id(endpoint) -> (endpoint, key): clients cache their models, so an endpoint is met again
# and again; holding it keeps its id from being reused while the entry lives.
_BY_ENDPOINT: dict[int, tuple[object, str]] = {}
_MAX_ENDPOINTS = 4096


def deployment_key(model: Any) -> str:
    """The identity of the deployment a built model sends to.

    A router `HttpModel` is known by its endpoint; a user's own `LanguageModel` by its class
    and model id (it may wrap any service, so that is all we can tell apart). The URL is
    hashed too: a URL may carry a secret in its query string.
    """
    endpoint = getattr(model, "endpoint", None)
    if endpoint is not None:
        hit = _BY_ENDPOINT.get(id(endpoint))
        if hit is not None and hit[0] is endpoint:
            return hit[1]
        key = _key(endpoint.provider, endpoint.base_url, endpoint.api_key)
        if len(_BY_ENDPOINT) >= _MAX_ENDPOINTS:
            _BY_ENDPOINT.clear()
        _BY_ENDPOINT[id(endpoint)] = (endpoint, key)
        return key
    return _key(f"custom.{type(model).__name__}", str(model.model_id), None)
